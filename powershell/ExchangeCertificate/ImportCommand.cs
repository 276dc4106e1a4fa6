// Import-ExchangeCertificate's work, for its cmdlet (Cmdlets/ImportExchangeCertificate.cs), which declares the
// parameters and calls it.

using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Management.Automation;
using System.Security;
using System.Text;

namespace Excert
{
    public static class ImportCommand
    {
        // The native library's input limit (formats::MAX_INPUT_BYTES, a Rust test keeps the two
        // equal): checked here before bytes are turned into Base64, so huge data costs no more
        // memory. A -FileName file is read, and bounded, by the library itself.
        private const int MaxInputBytes = 8388608;

        /// <summary>The -Instance lines piped in one by one, to be imported as one text by End.</summary>
        public static List<string> Begin() => new List<string>();

        /// <summary>One pipeline input: -FileData or -FileName imported, or -Instance lines kept.</summary>
        public static void Process(PSCmdlet cmdlet, IDictionary bound, Library library, List<string> lines)
        {
            Parameters.WriteIgnored(cmdlet, bound);
            if (cmdlet.ParameterSetName == "Instance")
            {
                if (Parameters.Value(bound, "Instance") is string[] instance) lines.AddRange(instance);
                return;
            }
            if (cmdlet.ParameterSetName == "FileName")
            {
                // Resolved against PowerShell's current location; the library opens and reads it.
                string path = cmdlet.GetUnresolvedProviderPathFromPSPath((string)Parameters.Value(bound, "FileName"));
                Import(cmdlet, bound, library, null, path, path);
                return;
            }
            Import(cmdlet, bound, library, (byte[])Parameters.Value(bound, "FileData"), null, "the data given");
        }

        /// <summary>The end of the pipeline: the -Instance lines imported as one text.</summary>
        public static void End(PSCmdlet cmdlet, IDictionary bound, Library library, List<string> lines)
        {
            if (cmdlet.ParameterSetName != "Instance") return;
            string text = string.Join(Environment.NewLine, lines);
            Import(cmdlet, bound, library, Encoding.UTF8.GetBytes(text), null, "the -Instance text");
        }

        // One import: data's bytes, or the file at path, named source in the messages.
        private static void Import(PSCmdlet cmdlet, IDictionary bound, Library library, byte[] data, string path, string source)
        {
            var request = new OrderedDictionary();
            string what;
            if (!string.IsNullOrEmpty(path))
            {
                request["FileName"] = path;
                what = source;
            }
            else if (data.Length > MaxInputBytes)
            {
                cmdlet.WriteError(new ErrorRecord(new ArgumentException(string.Format(CultureInfo.InvariantCulture,
                    "{0} is {1} bytes, more than the {2} bytes (8 MiB) an import reads: certificate, chain and PFX files are far smaller; check that it is the right file, or split a bundle into several imports.",
                    source, data.Length, MaxInputBytes)), "InvalidArgument", ErrorCategory.InvalidArgument, source));
                return;
            }
            else
            {
                request["FileData"] = Convert.ToBase64String(data);
                what = source + " (" + data.Length.ToString(CultureInfo.InvariantCulture) + " bytes)";
            }
            string server = Parameters.Text(bound, "Server");
            bool trustedRoot = Parameters.Switch(bound, "TrustedRoot");
            if (server != null) request["Server"] = server;
            if (bound.Contains("PrivateKeyExportable")) request["PrivateKeyExportable"] = Parameters.Value(bound, "PrivateKeyExportable");
            if (bound.Contains("FriendlyName")) request["FriendlyName"] = Parameters.Value(bound, "FriendlyName");
            if (trustedRoot) request["TrustedRoot"] = true;

            string target = trustedRoot ? what + " for the organization store" : what + " on " + (server ?? "this server");
            string action = trustedRoot ? "Trust the root certificates" : "Import certificates";
            if (!cmdlet.ShouldProcess(target, action)) return;

            PSObject answer;
            try
            {
                answer = Invocation.Call(cmdlet, library, "excert_certificate_import", request, target,
                    bound.Contains("Password") ? Parameters.Value(bound, "Password") as SecureString : null);
            }
            catch (Exception failure) when (Failures.AreWritten(failure))
            {
                Failures.Write(cmdlet, failure);
                return;
            }
            if (trustedRoot) Streams.Verbose(cmdlet, "The root certificates are trusted by every server of the store.");
            // As @() takes them: a list's items, or the value alone.
            object certificates = answer.Properties["Certificates"]?.Value;
            foreach (object certificate in LanguagePrimitives.GetEnumerable(certificates) ?? new[] { certificates })
            {
                if (certificate != null) cmdlet.WriteObject(Answers.ToExchangeCertificate(certificate));
            }
        }
    }
}
