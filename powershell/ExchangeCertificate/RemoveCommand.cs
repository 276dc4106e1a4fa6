// Remove-ExchangeCertificate's work, for its cmdlet (Cmdlets/RemoveExchangeCertificate.cs), which declares the
// parameters and calls it.

using System;
using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;

namespace Excert
{
    public static class RemoveCommand
    {
        /// <summary>
        /// One pipeline input: the certificate removed after ShouldProcess, or one written error.
        /// The values as the cmdlet's properties hold them for this input: BoundParameters
        /// keeps a Server an earlier pipeline input bound when this one has none.
        /// </summary>
        public static void Process(PSCmdlet cmdlet, IDictionary bound, Library library, string thumbprint, string identity, string server,
            SwitchParameter force)
        {
            Parameters.WriteIgnored(cmdlet, bound);
            // An identity goes to the core as it is: the core splits and checks it.
            TargetCertificate resolved = TargetCertificate.Of(cmdlet.ParameterSetName, thumbprint, identity, server);
            var request = new OrderedDictionary { ["Thumbprint"] = resolved.Thumbprint, ["Identity"] = resolved.Identity, ["Force"] = force.IsPresent };
            if (resolved.Server != null) request["Server"] = resolved.Server;
            if (!cmdlet.ShouldProcess(resolved.Where, "Remove the certificate and its private key")) return;
            try
            {
                PSObject answer = Invocation.Call(cmdlet, library, "excert_certificate_remove", request, resolved.Target);
                Streams.Verbose(cmdlet, "Removed " + LanguagePrimitives.ConvertTo<string>(answer.Properties["Identity"]?.Value) + ".");
            }
            catch (Exception failure) when (Failures.AreWritten(failure))
            {
                Failures.Write(cmdlet, failure);
            }
        }
    }
}
