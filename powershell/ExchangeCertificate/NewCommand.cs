// New-ExchangeCertificate's work, for its cmdlet (Cmdlets/NewExchangeCertificate.cs), which declares the
// parameters and calls it.

using System;
using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;

namespace Excert
{
    public static class NewCommand
    {
        /// <summary>One pipeline input: the certificate, request or renewal made, written out.</summary>
        public static void Process(PSCmdlet cmdlet, IDictionary bound, Library library)
        {
            Parameters.WriteIgnored(cmdlet, bound);
            bool requesting = Parameters.Switch(bound, "GenerateRequest");
            string requestFile = Parameters.Text(bound, "RequestFile");
            bool binaryEncoded = Parameters.Switch(bound, "BinaryEncoded");
            OrderedDictionary request;
            try
            {
                request = NewRequest.Of(bound);
                if (requestFile != null)
                {
                    // The library writes the file (the PEM, or the DER with -BinaryEncoded), and refuses
                    // a path it cannot write before it makes anything.
                    request["RequestFile"] = ProviderPath(cmdlet, requestFile);
                    if (binaryEncoded) request["BinaryEncoded"] = true;
                }
            }
            catch (ExcertErrorException failure)
            {
                cmdlet.WriteError(failure.ErrorRecord);
                return;
            }

            bool renewing = request.Contains("Thumbprint");
            string function = renewing ? "excert_certificate_renew" : requesting ? "excert_request_new" : "excert_certificate_new";
            string where = AnswerValues.Text(request["Server"]);
            if (string.IsNullOrEmpty(where)) where = "this server";
            string target, action;
            if (renewing)
            {
                target = request["Thumbprint"] + " on " + where;
                action = requesting ? "Create a renewal request (new key)" : "Renew with a new key and self-signed certificate";
            }
            else
            {
                target = (Parameters.Text(bound, "SubjectName") ?? "CN=<server name>") + " on " + where;
                string[] domainNames = Parameters.Texts(bound, "DomainName");
                if (domainNames != null) target += " (names: " + string.Join(", ", domainNames) + ")";
                action = requesting ? "Create a certificate request" : "Create a self-signed certificate";
            }
            if (!cmdlet.ShouldProcess(target, action)) return;

            PSObject answer;
            try
            {
                answer = DefaultSmtpQuestion.Call(cmdlet, library, function, request, target);
            }
            catch (Exception failure) when (Failures.AreWritten(failure))
            {
                Failures.Write(cmdlet, failure);
                return;
            }
            object certificate = answer.Properties["Certificate"]?.Value;
            if (!requesting)
            {
                cmdlet.WriteObject(Answers.ToExchangeCertificate(certificate));
                return;
            }

            PSObject pending = certificate == null ? null : PSObject.AsPSObject(certificate);
            Streams.Verbose(cmdlet, "The pending request " + AnswerValues.Text(pending?.Properties["Identity"]?.Value) +
                " waits for the CA's certificate (Import-ExchangeCertificate completes it).");
            if (requestFile != null) Streams.Verbose(cmdlet, "Written: " + request["RequestFile"]);
            if (binaryEncoded)
            {
                var output = new PSObject();
                output.Properties.Add(new PSNoteProperty("FileData",
                    Convert.FromBase64String(AnswerValues.Text(pending?.Properties["CertificateRequest"]?.Value) ?? "")));
                output.TypeNames.Insert(0, "BinaryFileDataObject");
                cmdlet.WriteObject(output);
            }
            else
            {
                cmdlet.WriteObject(AnswerValues.Text(answer.Properties["Request"]?.Value) ?? "");
            }
        }

        // The -RequestFile path as the file system takes it. A path it cannot take (an unknown
        // drive ...) is the written error a script's method call made of it.
        private static string ProviderPath(PSCmdlet cmdlet, string path)
        {
            try
            {
                return cmdlet.GetUnresolvedProviderPathFromPSPath(path);
            }
            catch (Exception failure) when (!(failure is PipelineStoppedException) && !(failure is ActionPreferenceStopException))
            {
                throw new ExcertErrorException(new ErrorRecord(new MethodInvocationException(
                    "Exception calling \"GetUnresolvedProviderPathFromPSPath\" with \"1\" argument(s): \"" + failure.Message + "\"", failure),
                    failure.GetType().Name, ErrorCategory.NotSpecified, null));
            }
        }
    }
}
