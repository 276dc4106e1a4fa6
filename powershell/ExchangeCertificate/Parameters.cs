// Bound parameters (MyInvocation.BoundParameters) read by the cmdlets' C# bodies.

using System.Collections;
using System.Management.Automation;

namespace Excert
{
    /// <summary>Values of a cmdlet's bound parameters, unwrapped.</summary>
    public static class Parameters
    {
        public static object Value(IDictionary bound, string name)
        {
            return AnswerValues.Unwrap(bound.Contains(name) ? bound[name] : null);
        }

        /// <summary>A [string] parameter's value; null when not bound or empty.</summary>
        public static string Text(IDictionary bound, string name)
        {
            string text = Value(bound, name) as string;
            return string.IsNullOrEmpty(text) ? null : text;
        }

        /// <summary>A [string[]] parameter's value; null when not bound or empty.</summary>
        public static string[] Texts(IDictionary bound, string name)
        {
            string[] texts = Value(bound, name) as string[];
            return texts == null || texts.Length == 0 ? null : texts;
        }

        public static int Number(IDictionary bound, string name) => (int)Value(bound, name);

        public static bool Switch(IDictionary bound, string name) =>
            Value(bound, name) is SwitchParameter flag && flag.IsPresent;

        /// <summary>
        /// A verbose line for an Exchange parameter that is accepted, so scripts run unchanged,
        /// but has nothing to act on here (-DomainController: there is no Active Directory).
        /// </summary>
        public static void WriteIgnored(PSCmdlet cmdlet, IDictionary bound)
        {
            if (bound.Contains("DomainController"))
            {
                Streams.Verbose(cmdlet, "-DomainController " + bound["DomainController"] +
                    " is ignored: excert keeps the organization's data in its store, not in Active Directory.");
            }
        }
    }
}
