// The certificate a cmdlet acts on: from -Thumbprint/-Server, -Identity or -Instance, as request
// fields, the ErrorRecord's target and how -WhatIf names it.

using System;
using System.Management.Automation;

namespace Excert
{
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
