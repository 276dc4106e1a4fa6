// Verbose and warning lines written by the cmdlets' C# bodies as their scripts' Write-Verbose and
// Write-Warning wrote them: a script cmdlet's own runtime asks (Inquire) about each one under -Debug.

using System.Collections.Generic;
using System.Management.Automation;

namespace Excert
{
    /// <summary>Verbose and warning lines of a script cmdlet, by its preference variables.</summary>
    public static class Streams
    {
        /// <summary>
        /// As Write-Verbose in the cmdlet's script: shown by $VerbosePreference, which -Verbose
        /// sets. The cmdlet's runtime follows -Verbose too, but without it makes -Debug an
        /// Inquire.
        /// </summary>
        public static void WriteVerbose(PSCmdlet cmdlet, string text)
        {
            Dictionary<string, object> bound = cmdlet.MyInvocation.BoundParameters;
            if (bound.ContainsKey("Verbose") || !Flag(bound, "Debug"))
            {
                cmdlet.WriteVerbose(text);
                return;
            }
            ActionPreference preference = Preference(cmdlet, "VerbosePreference", ActionPreference.SilentlyContinue);
            if (preference == ActionPreference.SilentlyContinue || preference == ActionPreference.Ignore) return;
            AsScript(cmdlet, "Write-Verbose", text);
        }

        /// <summary>
        /// As Write-Warning in the cmdlet's script: shown by $WarningPreference, which
        /// -WarningAction sets. The cmdlet's runtime follows -WarningAction too, but without it
        /// makes -Debug an Inquire and -Verbose a Continue.
        /// </summary>
        public static void WriteWarning(PSCmdlet cmdlet, string text)
        {
            Dictionary<string, object> bound = cmdlet.MyInvocation.BoundParameters;
            bool debug = Flag(bound, "Debug");
            if (bound.ContainsKey("WarningAction") || !(debug || Flag(bound, "Verbose")) ||
                Preference(cmdlet, "WarningPreference", ActionPreference.Continue) == (debug ? ActionPreference.Inquire : ActionPreference.Continue))
            {
                // The same decision either way; only the runtime's write also fills -WarningVariable.
                cmdlet.WriteWarning(text);
                return;
            }
            AsScript(cmdlet, "Write-Warning", text);
        }

        // The line written by the cmdlet, run in the cmdlet's scope, where its script ran it.
        private static void AsScript(PSCmdlet cmdlet, string command, string text)
        {
            cmdlet.InvokeCommand.InvokeScript(false, ScriptBlock.Create("param($Message) " + command + " -Message $Message"), null, text);
        }

        private static bool Flag(Dictionary<string, object> bound, string name)
        {
            return bound.TryGetValue(name, out object flag) && LanguagePrimitives.IsTrue(flag is PSObject boxed ? boxed.BaseObject : flag);
        }

        // The preference variable where the cmdlet runs, as the runtime reads it.
        private static ActionPreference Preference(PSCmdlet cmdlet, string name, ActionPreference fallback)
        {
            object value = Parameters.Variable(cmdlet, name);
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            return value != null && LanguagePrimitives.TryConvertTo(value, out ActionPreference preference) ? preference : fallback;
        }
    }
}
