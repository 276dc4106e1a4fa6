// Get-ExchangeCertificate's work, for its cmdlet (Cmdlets/GetExchangeCertificate.cs), which declares the
// parameters and calls it.

using System;
using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;

namespace Excert
{
    public static class GetCommand
    {
        /// <summary>
        /// One pipeline input: the certificate asked for, or the listing, written out. Thumbprint
        /// and Server as the cmdlet's properties hold them for this input: BoundParameters
        /// keeps a Server an earlier pipeline input bound when this one has none.
        /// </summary>
        public static void Process(PSCmdlet cmdlet, IDictionary bound, Library library, string thumbprint, string server)
        {
            Parameters.WriteIgnored(cmdlet, bound);
            try
            {
                TargetCertificate resolved = cmdlet.ParameterSetName == "Instance"
                    ? TargetCertificate.OfInstance(Parameters.Value(bound, "Instance"), server)
                    : TargetCertificate.Of(cmdlet.ParameterSetName, thumbprint, Parameters.Text(bound, "Identity"), server);
                var request = new OrderedDictionary();
                if (resolved.Server != null) request["Server"] = resolved.Server;
                if (resolved.Thumbprint != null) request["Thumbprint"] = resolved.Thumbprint;
                if (resolved.Identity != null) request["Identity"] = resolved.Identity;
                if (Parameters.Switch(bound, "RefreshRevocation")) request["RefreshRevocation"] = true;
                if (Parameters.Switch(bound, "OfflineRevocation")) request["OfflineRevocation"] = true;
                string[] domainNames = Parameters.Texts(bound, "DomainName");
                bool named = resolved.Thumbprint != null || resolved.Identity != null;
                bool listing = domainNames != null || bound.Contains("ExpiringWithinDays") || bound.Contains("ExpiryWarningDays");
                if (named && !listing)
                {
                    PSObject answer = Invocation.Call(cmdlet, library, "excert_certificate_get", request, resolved.Target);
                    object certificate = answer.Properties["Certificate"]?.Value;
                    cmdlet.WriteObject(Answers.ToExchangeCertificate(certificate));
                    return;
                }

                // A listing, optionally narrowed to one certificate, to names and to expiry. Narrowed
                // to a certificate alone (a warning threshold aside), the core answers NotFound for
                // one it does not have, as the look-up does.
                if (domainNames != null) request["DomainName"] = domainNames;
                if (bound.Contains("ExpiringWithinDays")) request["ExpiringWithinDays"] = Parameters.Number(bound, "ExpiringWithinDays");
                if (bound.Contains("ExpiryWarningDays")) request["ExpiryWarningDays"] = Parameters.Number(bound, "ExpiryWarningDays");
                PSObject list = Invocation.Call(cmdlet, library, "excert_certificate_list", request, resolved.Target);
                if (list.Properties["Certificates"]?.Value is IEnumerable certificates && !(certificates is string))
                {
                    foreach (object certificate in certificates)
                    {
                        if (certificate != null) cmdlet.WriteObject(certificate);
                    }
                }
            }
            catch (Exception failure) when (Failures.AreWritten(failure))
            {
                Failures.Write(cmdlet, failure);
            }
        }
    }
}
