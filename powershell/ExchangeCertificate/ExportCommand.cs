// Export-ExchangeCertificate's work, for its cmdlet (Cmdlets/ExportExchangeCertificate.cs), which declares the
// parameters and calls it.

using System;
using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;
using System.Security;

namespace Excert
{
    public static class ExportCommand
    {
        /// <summary>
        /// One pipeline input: the certificate exported as text, or as bytes with -BinaryEncoded.
        /// Thumbprint and Server as the cmdlet's properties hold them for this input:
        /// BoundParameters keeps a Server an earlier pipeline input bound when this one has none.
        /// </summary>
        public static void Process(PSCmdlet cmdlet, IDictionary bound, Library library, string thumbprint, string server)
        {
            Parameters.WriteIgnored(cmdlet, bound);
            // An identity goes to the core as it is: the core splits and checks it.
            TargetCertificate resolved = TargetCertificate.Of(cmdlet.ParameterSetName, thumbprint, Parameters.Text(bound, "Identity"), server);
            // -Encryption's default is the parameter's, which BoundParameters does not hold.
            string encryption = bound.Contains("Encryption") ? (string)Parameters.Value(bound, "Encryption") : "Modern";
            bool binaryEncoded = Parameters.Switch(bound, "BinaryEncoded");
            string fileName = Parameters.Text(bound, "FileName");
            SecureString password = Parameters.Value(bound, "Password") as SecureString;
            var request = new OrderedDictionary
            {
                ["Thumbprint"] = resolved.Thumbprint,
                ["Identity"] = resolved.Identity,
                ["Encryption"] = encryption,
                ["Force"] = Parameters.Switch(bound, "Force"),
            };
            if (resolved.Server != null) request["Server"] = resolved.Server;
            string path = null;
            if (fileName != null)
            {
                // The library writes the file (what is returned: the bytes, or the text), from a path
                // resolved against PowerShell's current location.
                path = cmdlet.GetUnresolvedProviderPathFromPSPath(fileName);
                request["FileName"] = path;
                if (binaryEncoded) request["BinaryEncoded"] = true;
            }

            string what = password != null ? "Export with the private key (" + encryption + " PFX)" : "Export the certificate";
            if (fileName != null) what += " to " + fileName;
            if (!cmdlet.ShouldProcess((string)resolved.Target, what)) return;

            PSObject answer;
            try
            {
                answer = Invocation.Call(cmdlet, library, "excert_certificate_export", request, resolved.Target,
                    bound.Contains("Password") ? password : null);
            }
            catch (Exception failure) when (Failures.AreWritten(failure))
            {
                Failures.Write(cmdlet, failure);
                return;
            }
            if (path != null) Streams.Verbose(cmdlet, "Written: " + path);
            if (binaryEncoded)
            {
                // [pscustomobject]@{ FileData } typed BinaryFileDataObject, as Exchange names it.
                var output = new PSObject();
                output.Properties.Add(new PSNoteProperty("FileData",
                    Convert.FromBase64String(AnswerValues.Text(answer.Properties["FileData"]?.Value) ?? "")));
                output.TypeNames.Insert(0, "BinaryFileDataObject");
                cmdlet.WriteObject(output);
            }
            else
            {
                cmdlet.WriteObject(AnswerValues.Text(answer.Properties["Text"]?.Value) ?? "");
            }
        }
    }
}
