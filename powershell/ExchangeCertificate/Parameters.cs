// Bound parameters ($PSBoundParameters) read by the cmdlets' C# bodies, and the certificate a
// cmdlet acts on.

using System;
using System.Collections;
using System.Management.Automation;

namespace Excert
{
    /// <summary>Values of a script cmdlet's bound parameters, unwrapped.</summary>
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
                cmdlet.WriteVerbose("-DomainController " + bound["DomainController"] +
                    " is ignored: excert keeps the organization's data in its store, not in Active Directory.");
            }
        }
    }

    /// <summary>The certificate a cmdlet acts on, as request fields and as the error's target.</summary>
    public sealed class TargetCertificate
    {
        public string Server { get; private set; }
        public string Thumbprint { get; private set; }
        public string Identity { get; private set; }
        /// <summary>The ErrorRecord's TargetObject.</summary>
        public object Target { get; private set; }

        /// <summary>How -WhatIf and -Confirm name the certificate.</summary>
        public string Where { get; private set; }

        /// <summary>
        /// From -Thumbprint/-Server or -Identity. An identity ('SERVER\THUMBPRINT', or a bare
        /// thumbprint) goes to the core as it is: the core splits it and refuses a malformed one.
        /// </summary>
        public static TargetCertificate Of(string parameterSet, string thumbprint, string identity, string server)
        {
            if (string.IsNullOrEmpty(server)) server = null;
            if (string.IsNullOrEmpty(thumbprint)) thumbprint = null;
            if (string.IsNullOrEmpty(identity)) identity = null;
            return parameterSet == "Identity"
                ? new TargetCertificate { Server = server, Identity = identity, Target = identity, Where = server == null ? identity : identity + " on " + server }
                : new TargetCertificate { Server = server, Thumbprint = thumbprint, Target = thumbprint,
                    Where = thumbprint + " on " + (server ?? "this server") };
        }

        /// <summary>
        /// From an -Instance: an ExchangeCertificate (also deserialized, from remoting), an
        /// X509Certificate2, anything with a Thumbprint property, or a thumbprint string; its
        /// Server unless server is given.
        /// </summary>
        public static TargetCertificate OfInstance(object instance, string server)
        {
            PSObject wrapped = instance == null ? null : PSObject.AsPSObject(instance);
            object baseObject = wrapped?.BaseObject;
            string thumbprint = baseObject is string text ? text : Property(wrapped, "Thumbprint");
            if (string.IsNullOrEmpty(thumbprint))
            {
                throw new ExcertErrorException(new ErrorRecord(new ArgumentException(
                    "The certificate given as -Instance has no Thumbprint: pipe in Get-ExchangeCertificate output or an X509Certificate2, or give a thumbprint."),
                    "InvalidArgument", ErrorCategory.InvalidArgument, instance));
            }
            if (string.IsNullOrEmpty(server) && !(baseObject is string)) server = Property(wrapped, "Server");
            return new TargetCertificate { Server = server, Thumbprint = thumbprint, Target = thumbprint, Where = thumbprint + " on " + (server ?? "this server") };
        }

        // The property as [string] would make it; null when absent or empty.
        private static string Property(PSObject instance, string name)
        {
            string text = AnswerValues.Text(instance?.Properties[name]?.Value);
            return string.IsNullOrEmpty(text) ? null : text;
        }
    }
}
