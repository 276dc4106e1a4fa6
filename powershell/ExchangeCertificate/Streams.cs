// Verbose and warning lines from the cmdlets' C# bodies, written as Write-Verbose and
// Write-Warning in their script functions (and in the helpers those called) wrote them.

using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace Excert
{
    /// <summary>
    /// A function's own command runtime reads its -Debug as "ask before every verbose line and
    /// warning" (in a session that cannot ask: an error) and its -Verbose as "show every
    /// warning"; Write-Verbose and Write-Warning in its body went by $VerbosePreference and
    /// $WarningPreference, which those switches leave alone. In those cases the line goes
    /// through Write-Verbose or Write-Warning itself; otherwise (the usual case) straight
    /// through the runtime, which then does the same.
    /// </summary>
    public static class Streams
    {
        public static void Verbose(PSCmdlet cmdlet, string text)
        {
            if (!IsBound(cmdlet, "Verbose") && IsSet(cmdlet, "Debug"))
            {
                // $VerbosePreference hides it (its default): no script to compile.
                if (LanguagePrimitives.TryConvertTo(cmdlet.GetVariableValue("VerbosePreference"), out ActionPreference preference) &&
                    (preference == ActionPreference.SilentlyContinue || preference == ActionPreference.Ignore))
                {
                    return;
                }
                ByCmdlet(cmdlet, "Write-Verbose", text);
                return;
            }
            cmdlet.WriteVerbose(text);
        }

        public static void Warning(PSCmdlet cmdlet, string text)
        {
            if (!IsBound(cmdlet, "WarningAction") && (IsSet(cmdlet, "Debug") || IsSet(cmdlet, "Verbose")))
            {
                ByCmdlet(cmdlet, "Write-Warning", text);
                return;
            }
            cmdlet.WriteWarning(text);
        }

        // In a scope below the function's (its preferences), into its output pipe: -WarningVariable
        // and redirections get the line as they got a nested helper's.
        private static void ByCmdlet(PSCmdlet cmdlet, string command, string text)
        {
            cmdlet.InvokeCommand.InvokeScript("param($Message) " + command + " -Message $Message", true, PipelineResultTypes.Output, null, text);
        }

        private static bool IsBound(PSCmdlet cmdlet, string name) => cmdlet.MyInvocation.BoundParameters.ContainsKey(name);

        private static bool IsSet(PSCmdlet cmdlet, string name) =>
            cmdlet.MyInvocation.BoundParameters.TryGetValue(name, out object flag) && LanguagePrimitives.IsTrue(AnswerValues.Unwrap(flag));
    }
}
