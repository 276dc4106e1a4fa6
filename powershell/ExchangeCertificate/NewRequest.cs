// The native request New-ExchangeCertificate sends, from its bound parameters: for
// excert_certificate_new, excert_request_new, or with -Instance excert_certificate_renew.

using System;
using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;

namespace Excert
{
    /// <summary>New-ExchangeCertificate's bound parameters as the native request.</summary>
    public static class NewRequest
    {
        /// <summary>
        /// Only the parameters given are sent, so the core applies Exchange's defaults (and, for a
        /// renewal, copies the rest from the old certificate). Services go as .NET's [Flags]
        /// ToString prints them ('IIS, SMTP'). Throws ExcertErrorException (InvalidArgument) for
        /// -BinaryEncoded or -RequestFile without -GenerateRequest, and for an -Instance without a
        /// thumbprint. -RequestFile itself is the command's to add: it is a provider path.
        /// </summary>
        public static OrderedDictionary Of(IDictionary bound)
        {
            bool requesting = Given(bound, "GenerateRequest");
            if (!requesting && (Given(bound, "BinaryEncoded") || Parameters.Text(bound, "RequestFile") != null))
            {
                throw new ExcertErrorException(new ErrorRecord(new ArgumentException(
                    "-BinaryEncoded and -RequestFile go with -GenerateRequest: add -GenerateRequest, or leave them out for a self-signed certificate."),
                    "InvalidArgument", ErrorCategory.InvalidArgument, null));
            }

            var request = new OrderedDictionary();
            string server = Parameters.Text(bound, "Server");
            if (bound.Contains("Instance"))
            {
                TargetCertificate instance = TargetCertificate.OfInstance(Parameters.Value(bound, "Instance"), server);
                // Present even when null (the instance names no server): the core takes its own.
                request["Server"] = instance.Server;
                request["Thumbprint"] = instance.Thumbprint;
                if (requesting) request["GenerateRequest"] = true;
            }
            else if (server != null)
            {
                request["Server"] = server;
            }
            foreach (string name in new[] { "SubjectName", "FriendlyName", "KeySize", "KeyAlgorithm", "SubjectKeyIdentifier" })
            {
                if (bound.Contains(name)) request[name] = Parameters.Value(bound, name);
            }
            if (bound.Contains("DomainName")) request["DomainName"] = LanguagePrimitives.ConvertTo<string[]>(Parameters.Value(bound, "DomainName"));
            if (bound.Contains("PrivateKeyExportable")) request["PrivateKeyExportable"] = Given(bound, "PrivateKeyExportable");
            if (bound.Contains("Services")) request["Services"] = Parameters.Value(bound, "Services").ToString();
            foreach (string name in new[] { "IncludeServerFQDN", "IncludeServerNetBIOSName", "IncludeAcceptedDomains", "IncludeAutoDiscover" })
            {
                if (Given(bound, name)) request[name] = true;
            }
            request["Force"] = Given(bound, "Force");
            return request;
        }

        // Bound and true as [bool] makes it: a switch that is present, a [bool] $true.
        private static bool Given(IDictionary bound, string name) =>
            bound.Contains(name) && LanguagePrimitives.IsTrue(Parameters.Value(bound, name));
    }
}
