// Enable-ExchangeCertificate's work, for its cmdlet (Cmdlets/EnableExchangeCertificate.cs), which declares the
// parameters and calls it.

using System;
using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;

namespace Excert
{
    public static class EnableCommand
    {
        /// <summary>
        /// One pipeline input: the services assigned, the updated certificate written out.
        /// Thumbprint and Server as the cmdlet's properties hold them for this input:
        /// BoundParameters keeps a Server an earlier pipeline input bound when this one has none.
        /// </summary>
        public static void Process(PSCmdlet cmdlet, IDictionary bound, Library library, string thumbprint, string server)
        {
            Parameters.WriteIgnored(cmdlet, bound);
            // An identity goes to the core as it is: the core splits and checks it.
            TargetCertificate resolved = TargetCertificate.Of(cmdlet.ParameterSetName, thumbprint, Parameters.Text(bound, "Identity"), server);
            string services = Parameters.Value(bound, "Services").ToString();
            var request = new OrderedDictionary
            {
                ["Thumbprint"] = resolved.Thumbprint,
                ["Identity"] = resolved.Identity,
                // The core takes the names as .NET's [Flags] ToString prints them: 'IIS, SMTP'.
                ["Services"] = services,
                ["Force"] = Parameters.Switch(bound, "Force"),
            };
            if (resolved.Server != null) request["Server"] = resolved.Server;
            if (Parameters.Switch(bound, "DoNotRequireSsl")) request["DoNotRequireSsl"] = true;
            if (Parameters.Switch(bound, "NetworkServiceAllowed")) request["NetworkServiceAllowed"] = true;

            if (!cmdlet.ShouldProcess(resolved.Where, "Enable for " + services)) return;

            PSObject answer;
            try
            {
                answer = DefaultSmtpQuestion.Call(cmdlet, library, "excert_certificate_enable", request, resolved.Target);
            }
            catch (Exception failure) when (Failures.AreWritten(failure))
            {
                Failures.Write(cmdlet, failure);
                return;
            }
            cmdlet.WriteObject(Answers.ToExchangeCertificate(answer.Properties["Certificate"]?.Value));
        }
    }
}
