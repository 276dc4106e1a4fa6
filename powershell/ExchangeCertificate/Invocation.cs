// The seam every native call from a cmdlet passes: request in, parsed answer out, or an
// ErrorRecord thrown.

using System;
using System.Collections;
using System.Management.Automation;
using System.Security;
using System.Text.Json;

namespace Excert
{
    /// <summary>A failure to report as it is: the cmdlet writes or throws its ErrorRecord.</summary>
    public sealed class ExcertErrorException : Exception
    {
        public ErrorRecord ErrorRecord { get; }

        public ExcertErrorException(ErrorRecord record) : base(record.Exception.Message, record.Exception)
        {
            ErrorRecord = record;
        }
    }

    /// <summary>Native calls made for a cmdlet, with its debug lines, warnings and ErrorRecords.</summary>
    public static class Invocation
    {
        /// <summary>
        /// Calls function with the request and returns the parsed answer, having written its
        /// warnings; throws ExcertErrorException for a failure, with target as the ErrorRecord's
        /// TargetObject. The request goes as JSON: null members left out (the core's list fields
        /// refuse null), StoreRoot from EXCERT_STORE when not given (.NET on Unix does not pass
        /// $env: changes to the native getenv). The operations that take a secret (import,
        /// export) always go through the secret signature, with password (never a .NET string on
        /// the way), secret (bytes, zeroed) or neither (no password). The debug lines show the
        /// request with FileData reduced to its length (a PFX without password holds a key in the
        /// clear) and the result code: never an answer, which may hold a PFX.
        /// </summary>
        public static PSObject Call(PSCmdlet cmdlet, Library library, string function, IDictionary request, object target,
            SecureString password = null, byte[] secret = null)
        {
            try
            {
                if (library == null)
                {
                    throw new ExcertErrorException(new ErrorRecord(
                        new InvalidOperationException("The excert native library is not loaded; import the ExchangeCertificate module again."),
                        "LibraryNotLoaded", ErrorCategory.ResourceUnavailable, target));
                }
                string storeRoot = Environment.GetEnvironmentVariable("EXCERT_STORE");
                string json = Requests.ToJson(request, storeRoot) ?? WrittenByPowerShell(cmdlet, Requests.Body(request, storeRoot));
                bool withSecret = password != null || secret != null;
                bool debug = IsDebugging(cmdlet);
                if (debug) cmdlet.WriteDebug("excert: " + function + (withSecret ? " with a password " : " ") + DebugText(cmdlet, request, storeRoot));
                NativeResult result = !Library.TakesSecret(function) ? library.Invoke(function, json)
                    : password != null ? library.InvokeWithPassword(function, json, password)
                    : library.InvokeWithSecret(function, json, secret);
                if (debug) cmdlet.WriteDebug("excert: " + function + " returned " + result.Code + " (" + library.ResultName(result.Code) + ")");
                if (result.Code != 0) throw new ExcertErrorException(NativeFailure(library, function, result.Code, result.Error, target));
                if (!result.HasJson)
                {
                    // Success without an answer breaks the ABI contract; report it rather than guess.
                    throw new ExcertErrorException(new ErrorRecord(new ExcertException(900, "Internal",
                        function + " reported success but returned no answer. This is a bug in the excert library; please report it."),
                        "Internal", ErrorCategory.InvalidResult, target));
                }
                PSObject answer = Answers.Parse(result);
                foreach (string warning in Answers.WarningsOf(answer)) Streams.Warning(cmdlet, warning);
                return answer;
            }
            finally
            {
                // Zeroed whatever happened (InvokeWithSecret zeroes it too; a second time is harmless).
                if (secret != null) Array.Clear(secret, 0, secret.Length);
            }
        }

        // A request with a value System.Text.Json does not write (ConvertTo-Json writes any object).
        private static string WrittenByPowerShell(PSCmdlet cmdlet, IDictionary body)
        {
            var written = cmdlet.InvokeCommand.InvokeScript(false,
                ScriptBlock.Create("param($Body) ConvertTo-Json -InputObject $Body -Depth 10 -Compress"), null, body);
            return written.Count == 1 ? written[0]?.ToString() : null;
        }

        // The request as sent, FileData reduced to its length.
        private static string DebugText(PSCmdlet cmdlet, IDictionary request, string storeRoot)
        {
            var shown = Requests.Body(request, storeRoot);
            if (shown.Contains("FileData")) shown["FileData"] = "<" + (shown["FileData"]?.ToString() ?? "").Length + " Base64 characters>";
            return Requests.ToJson(shown, null) ?? WrittenByPowerShell(cmdlet, shown);
        }

        /// <summary>
        /// A native failure as an ErrorRecord: ErrorId the error's Name (NotFound ...), category
        /// its Category, exception an ExcertException carrying Code and Name. A library that
        /// broke its own error contract is reported as such, with the code.
        /// </summary>
        public static ErrorRecord NativeFailure(Library library, string function, int code, string errorJson, object target)
        {
            string name = null, category = null, text = null;
            if (!string.IsNullOrEmpty(errorJson))
            {
                try
                {
                    using (JsonDocument document = JsonDocument.Parse(errorJson))
                    {
                        JsonElement root = document.RootElement;
                        if (root.ValueKind == JsonValueKind.Object)
                        {
                            name = Member(root, "Name");
                            category = Member(root, "Category");
                            text = Member(root, "Message");
                        }
                    }
                }
                catch (JsonException)
                {
                    text = function + " returned code " + code + " with an unreadable error: " + errorJson;
                }
            }
            if (string.IsNullOrEmpty(name)) name = library.ResultName(code);
            if (string.IsNullOrEmpty(text)) text = function + " failed with code " + code + " (" + name + ") and no message.";
            ErrorCategory errorCategory = ErrorCategory.NotSpecified;
            if (!string.IsNullOrEmpty(category) && Enum.TryParse(category, true, out ErrorCategory parsed) &&
                Enum.IsDefined(typeof(ErrorCategory), parsed))
            {
                errorCategory = parsed;
            }
            return new ErrorRecord(new ExcertException(code, name, text), name, errorCategory, target);
        }

        // The member as text ([string] of it), or null when absent.
        private static string Member(JsonElement root, string name)
        {
            if (!root.TryGetProperty(name, out JsonElement value)) return null;
            return value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Null => null,
                _ => value.GetRawText(),
            };
        }

        // -Debug of this cmdlet, or else $DebugPreference where it runs (the command runtime's
        // rule): a cmdlet's own -Debug is not a variable its C# body can read.
        private static bool IsDebugging(PSCmdlet cmdlet)
        {
            if (cmdlet.MyInvocation.BoundParameters.TryGetValue("Debug", out object flag))
            {
                return LanguagePrimitives.IsTrue(AnswerValues.Unwrap(flag));
            }
            object preference = AnswerValues.Unwrap(cmdlet.GetVariableValue("DebugPreference"));
            return preference is ActionPreference action ? action != ActionPreference.SilentlyContinue : preference != null &&
                !string.Equals(preference.ToString(), "SilentlyContinue", StringComparison.OrdinalIgnoreCase);
        }
    }
}
