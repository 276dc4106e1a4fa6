// Verbose and warning lines of the cmdlets, shown and recorded as Write-Verbose and
// Write-Warning show them.

using System.Management.Automation;

namespace Excert
{
    /// <summary>
    /// A cmdlet's own WriteVerbose/WriteWarning follow its command runtime, which under
    /// -Debug asks about every line (Inquire; in a -NonInteractive session, an error) and under
    /// -Verbose shows every warning; Write-Verbose and Write-Warning follow $VerbosePreference and
    /// $WarningPreference, which -Debug and -Verbose leave alone. Where the two differ the line
    /// goes through Write-Verbose/Write-Warning run in the cmdlet's pipeline (its streams and
    /// -WarningVariable); elsewhere straight through the runtime, which costs nothing to load.
    /// </summary>
    public static class Streams
    {
        public static void Verbose(PSCmdlet cmdlet, string message)
        {
            var bound = cmdlet.MyInvocation.BoundParameters;
            if (bound.ContainsKey("Verbose") || !Flag(cmdlet, "Debug"))
            {
                cmdlet.WriteVerbose(message);
                return;
            }
            ActionPreference preference = Preference(cmdlet, "VerbosePreference", ActionPreference.SilentlyContinue);
            // Nothing shown and, verbose lines having no -*Variable, nothing recorded.
            if (preference == ActionPreference.SilentlyContinue || preference == ActionPreference.Ignore) return;
            if (preference == ActionPreference.Inquire) cmdlet.WriteVerbose(message);
            else AsScript(cmdlet, "Write-Verbose", message);
        }

        public static void Warning(PSCmdlet cmdlet, string message)
        {
            var bound = cmdlet.MyInvocation.BoundParameters;
            bool debug = Flag(cmdlet, "Debug");
            if (bound.ContainsKey("WarningAction") || (!debug && !Flag(cmdlet, "Verbose")))
            {
                cmdlet.WriteWarning(message);
                return;
            }
            ActionPreference runtime = debug ? ActionPreference.Inquire : ActionPreference.Continue;
            if (Preference(cmdlet, "WarningPreference", ActionPreference.Continue) == runtime) cmdlet.WriteWarning(message);
            else AsScript(cmdlet, "Write-Warning", message);
        }

        // A common switch given as $true (-Debug, -Verbose).
        private static bool Flag(PSCmdlet cmdlet, string name) =>
            cmdlet.MyInvocation.BoundParameters.TryGetValue(name, out object flag) && LanguagePrimitives.IsTrue(AnswerValues.Unwrap(flag));

        // The preference variable in the caller's scope, as a compiled cmdlet's own Write* read it.
        private static ActionPreference Preference(PSCmdlet cmdlet, string name, ActionPreference fallback)
        {
            object value = AnswerValues.Unwrap(cmdlet.GetVariableValue(name));
            return value != null && LanguagePrimitives.TryConvertTo(value, out ActionPreference preference) ? preference : fallback;
        }

        private static void AsScript(PSCmdlet cmdlet, string command, string message)
        {
            SteppablePipeline pipeline = ScriptBlock.Create("param($Message) Microsoft.PowerShell.Utility\\" + command + " -Message $Message")
                .GetSteppablePipeline(CommandOrigin.Internal, new object[] { message });
            try
            {
                pipeline.Begin(cmdlet);
                pipeline.End();
            }
            finally
            {
                pipeline.Dispose();
            }
        }
    }
}
