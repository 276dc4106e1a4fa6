// The module's C# code, with ExchangeCertificate.cs (the certificate objects): binds the excert
// native library by absolute path and calls its JSON operations. Strings go in as NUL-terminated UTF-8, answers come back as IntPtr and are
// copied, then freed with excert_string_free in a finally block (never declared as .NET string
// returns, which would free them with the wrong allocator).
//
// Compiled once per module version and cached (see ExchangeCertificate.psm1); changing either file
// changes the cache key.

using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Excert
{
    /// <summary>The services a certificate can be assigned to, as Exchange's AllowedServices.</summary>
    [Flags]
    public enum AllowedServices
    {
        None = 0,
        IMAP = 1,
        POP = 2,
        UM = 4,
        IIS = 8,
        SMTP = 16,
        Federation = 32,
        UMCallRouter = 64,
    }

    /// <summary>The outcome of one native call: the code and whichever output the library set.</summary>
    public sealed class NativeResult
    {
        public int Code { get; }
        public string Json { get; }
        public string Error { get; }

        public NativeResult(int code, string json, string error)
        {
            Code = code;
            Json = json;
            Error = error;
        }
    }

    /// <summary>A failure reported by the native library: its stable code and name.</summary>
    public sealed class ExcertException : Exception
    {
        /// <summary>The numeric result code (DESIGN §3), for example 300.</summary>
        public int Code { get; }

        /// <summary>The code's stable name, for example NotFound; the ErrorRecord's ErrorId.</summary>
        public string Name { get; }

        public ExcertException(int code, string name, string message) : base(message)
        {
            Code = code;
            Name = name;
        }
    }

    /// <summary>A loaded excert library: the handle and the exports used so far.</summary>
    public sealed class Library
    {
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        private delegate int OperationFn(byte[] request, ref IntPtr outJson, ref IntPtr outError);

        // Operations taking a secret (PFX password): the bytes and their length before the outputs.
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        private delegate int SecretOperationFn(byte[] request, byte[] secret, UIntPtr secretLen,
            ref IntPtr outJson, ref IntPtr outError);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        private delegate void StringFreeFn(IntPtr s);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        private delegate uint AbiVersionFn();

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        private delegate IntPtr StaticStringFn();

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        private delegate IntPtr ResultNameFn(int code);

        // Only the library's own JSON operations may be called by name (not its helpers, whose
        // signatures differ: binding them as an operation would be undefined behaviour).
        private static readonly Regex OperationName = new Regex("^excert_[a-z0-9]+(_[a-z0-9]+)+$");

        // The operations whose C signature carries a secret (DESIGN §3). Calling one through the
        // other delegate type would read garbage as pointers, so each path refuses the other's.
        private static readonly string[] SecretOperations =
        {
            "excert_certificate_import",
            "excert_certificate_export",
        };

        /// <summary>True when the operation takes a secret (secret, secret_len before the outputs).</summary>
        public static bool TakesSecret(string function)
        {
            return Array.IndexOf(SecretOperations, function) >= 0;
        }

        private readonly IntPtr _handle;
        private readonly ConcurrentDictionary<string, Delegate> _exports =
            new ConcurrentDictionary<string, Delegate>(StringComparer.Ordinal);

        /// <summary>The absolute path the library was loaded from.</summary>
        public string Path { get; }

        private Library(string path, IntPtr handle)
        {
            Path = path;
            _handle = handle;
        }

        /// <summary>The native file name on this OS.</summary>
        public static string FileName
        {
            get
            {
                if (OperatingSystem.IsWindows()) return "excert.dll";
                if (OperatingSystem.IsMacOS()) return "libexcert.dylib";
                return "libexcert.so";
            }
        }

        /// <summary>Loads the library from an absolute path; the loader's search path is never used.</summary>
        public static Library Load(string path)
        {
            if (string.IsNullOrEmpty(path) || !System.IO.Path.IsPathFullyQualified(path))
            {
                throw new ArgumentException(
                    "The excert library path must be absolute, got '" + path + "'.", nameof(path));
            }
            IntPtr handle = NativeLibrary.Load(path);
            return new Library(path, handle);
        }

        private T Export<T>(string name) where T : Delegate
        {
            // Keyed by delegate type too: one export could be bound with two signatures.
            Delegate d = _exports.GetOrAdd(typeof(T).Name + ":" + name, key =>
            {
                string n = name;
                if (!NativeLibrary.TryGetExport(_handle, n, out IntPtr address))
                {
                    throw new EntryPointNotFoundException(
                        "The library '" + Path + "' has no export '" + n + "'. It is not an excert " +
                        "library or it is older than this module; build or install a matching one.");
                }
                return Marshal.GetDelegateForFunctionPointer<T>(address);
            });
            return (T)d;
        }

        /// <summary>True when the library exports the named function.</summary>
        public bool HasExport(string name)
        {
            return NativeLibrary.TryGetExport(_handle, name, out _);
        }

        /// <summary>excert_abi_version(): the ABI this library speaks.</summary>
        public uint AbiVersion()
        {
            return Export<AbiVersionFn>("excert_abi_version")();
        }

        /// <summary>excert_version(): the crate version (a static string, not freed).</summary>
        public string Version()
        {
            return Marshal.PtrToStringUTF8(Export<StaticStringFn>("excert_version")());
        }

        /// <summary>excert_result_name(code): the stable name of a code (a static string).</summary>
        public string ResultName(int code)
        {
            return Marshal.PtrToStringUTF8(Export<ResultNameFn>("excert_result_name")(code));
        }

        private static byte[] ToUtf8Z(string s)
        {
            if (s == null) return null;
            int n = Encoding.UTF8.GetByteCount(s);
            byte[] bytes = new byte[n + 1];
            Encoding.UTF8.GetBytes(s, 0, s.Length, bytes, 0);
            return bytes;
        }

        private Delegate Operation<T>(string function) where T : Delegate
        {
            if (function == null || !OperationName.IsMatch(function) ||
                function == "excert_string_free" || function == "excert_abi_version" ||
                function == "excert_result_name")
            {
                throw new ArgumentException("'" + function + "' is not an excert operation name.",
                    nameof(function));
            }
            return Export<T>(function);
        }

        // Copies and frees both outputs; the library sets at most one, but free whatever is there.
        private NativeResult Collect(int code, IntPtr json, IntPtr error)
        {
            try
            {
                return new NativeResult(code,
                    json == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(json),
                    error == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(error));
            }
            finally
            {
                if (json != IntPtr.Zero || error != IntPtr.Zero)
                {
                    var free = Export<StringFreeFn>("excert_string_free");
                    if (json != IntPtr.Zero) free(json);
                    if (error != IntPtr.Zero) free(error);
                }
            }
        }

        /// <summary>Calls excert_noun_verb(request_json, out_json, out_error).</summary>
        public NativeResult Invoke(string function, string requestJson)
        {
            if (TakesSecret(function))
            {
                throw new ArgumentException("'" + function + "' takes a secret: call InvokeWithSecret.",
                    nameof(function));
            }
            var fn = (OperationFn)Operation<OperationFn>(function);
            byte[] request = ToUtf8Z(requestJson);
            IntPtr json = IntPtr.Zero, error = IntPtr.Zero;
            int code;
            try
            {
                code = fn(request, ref json, ref error);
            }
            catch
            {
                Collect(0, json, error);
                throw;
            }
            return Collect(code, json, error);
        }

        /// <summary>
        /// Calls excert_noun_verb(request_json, secret, secret_len, out_json, out_error).
        /// The secret array is zeroed before this returns, whatever happens.
        /// </summary>
        public NativeResult InvokeWithSecret(string function, string requestJson, byte[] secret)
        {
            try
            {
                if (!TakesSecret(function))
                {
                    throw new ArgumentException("'" + function + "' takes no secret: call Invoke.",
                        nameof(function));
                }
                var fn = (SecretOperationFn)Operation<SecretOperationFn>(function);
                byte[] request = ToUtf8Z(requestJson);
                IntPtr json = IntPtr.Zero, error = IntPtr.Zero;
                int code;
                UIntPtr length = new UIntPtr(secret == null ? 0u : (uint)secret.Length);
                // An empty password is not "no password": a one-byte buffer guarantees a
                // non-NULL pointer (an empty array may be marshalled as NULL) with length 0.
                byte[] buffer = secret != null && secret.Length == 0 ? new byte[1] : secret;
                try
                {
                    code = fn(request, buffer, length, ref json, ref error);
                }
                catch
                {
                    Collect(0, json, error);
                    throw;
                }
                return Collect(code, json, error);
            }
            finally
            {
                if (secret != null) Array.Clear(secret, 0, secret.Length);
            }
        }

        /// <summary>
        /// As InvokeWithSecret, with the password as a SecureString: its characters are copied
        /// out of unmanaged memory into UTF-8 bytes without ever becoming a .NET string, and every
        /// copy is zeroed before this returns. NULL password: no secret.
        /// </summary>
        public NativeResult InvokeWithPassword(string function, string requestJson, SecureString password)
        {
            if (password == null) return InvokeWithSecret(function, requestJson, null);
            IntPtr unmanaged = IntPtr.Zero;
            char[] chars = null;
            byte[] bytes = null;
            try
            {
                unmanaged = Marshal.SecureStringToGlobalAllocUnicode(password);
                chars = new char[password.Length];
                Marshal.Copy(unmanaged, chars, 0, chars.Length);
                bytes = Encoding.UTF8.GetBytes(chars);
                return InvokeWithSecret(function, requestJson, bytes);
            }
            finally
            {
                if (chars != null) Array.Clear(chars, 0, chars.Length);
                if (bytes != null) Array.Clear(bytes, 0, bytes.Length);
                if (unmanaged != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
            }
        }
    }

    /// <summary>
    /// Answer JSON → PowerShell objects, in one pass of System.Text.Json (ConvertFrom-Json plus a
    /// script converter per object cost over half a millisecond each); a certificate's cost is
    /// then mostly .NET parsing its RawData. Everything comes out as ConvertFrom-Json -DateKind String would give it
    /// (PSCustomObject, Int64/Double/BigInteger, object[], strings), except the answer's
    /// Certificate and Certificates, which come out as [Excert.ExchangeCertificate] objects
    /// (X509Certificate2s), or for a pending request, which has no certificate yet, as a property
    /// bag typed RequestTypeName.
    /// </summary>
    public static class Answers
    {
        /// <summary>The first type name of a pending request's object (the format views key on it).</summary>
        public const string RequestTypeName = "Excert.ExchangeCertificateRequest";

        // The members an ExchangeCertificate takes from its certificate (.NET's values), not from
        // the answer: .NET reads the same RawData.
        private static readonly HashSet<string> FromCertificate = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Thumbprint", "Subject", "Issuer", "NotBefore", "NotAfter", "SerialNumber", "SignatureAlgorithm",
            "Version", "RawData",
        };

        // Listings at least this long build their certificates on every core: parsing a
        // certificate is most of a listing's cost (.NET on OpenSSL 3), and each is independent.
        private const int ParallelFrom = 64;

        // The contract's order (Format-List * reads in this order); unknown names follow.
        private static readonly string[] Order =
        {
            "Identity", "Server", "Thumbprint", "Services", "ServicesStringForm", "Subject", "Issuer",
            "NotBefore", "NotAfter", "Status", "RootCAType", "CertificateDomains", "DnsNameList",
            "FriendlyName", "HasPrivateKey", "PrivateKeyExportable", "IsSelfSigned", "SerialNumber",
            "PublicKeySize", "KeyAlgorithm", "SignatureAlgorithm", "SubjectKeyIdentifier",
            "EnhancedKeyUsageList", "Version", "RawData", "CertificateRequest", "DaysUntilExpiry",
            "ExpiryWarning", "LiveFiles", "RevocationReason", "RevocationDate", "RevocationSource",
        };

        private static readonly Dictionary<string, int> Rank = MakeRank();

        private static Dictionary<string, int> MakeRank()
        {
            var rank = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i < Order.Length; i++) rank[Order[i]] = i;
            return rank;
        }

        /// <summary>Parses a whole answer; Warnings and other members stay as ConvertFrom-Json gives them.</summary>
        public static PSObject Parse(string json)
        {
            using (JsonDocument document = JsonDocument.Parse(json))
            {
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException("The excert answer is not a JSON object: " + root.ValueKind + ".");
                }
                var answer = new PSObject();
                foreach (JsonProperty member in root.EnumerateObject())
                {
                    object value;
                    if (member.Name == "Certificate" && member.Value.ValueKind == JsonValueKind.Object)
                    {
                        value = Certificate(member.Value);
                    }
                    else if (member.Name == "Certificates" && member.Value.ValueKind == JsonValueKind.Array)
                    {
                        value = CertificateList(member.Value);
                    }
                    else
                    {
                        value = Plain(member.Value);
                    }
                    answer.Properties.Add(new PSNoteProperty(member.Name, value));
                }
                return answer;
            }
        }

        /// <summary>
        /// A parsed certificate object (from ConvertFrom-Json, with dates as text or as
        /// [datetime]) as the cmdlets output it; one already converted is returned as it is.
        /// </summary>
        public static object ToExchangeCertificate(object input)
        {
            if (input == null) throw new ArgumentNullException(nameof(input));
            PSObject source = input as PSObject ?? PSObject.AsPSObject(input);
            if (source.BaseObject is ExchangeCertificate) return input;
            if (source.TypeNames.Count > 0 && source.TypeNames[0] == RequestTypeName) return source;
            var pairs = new List<KeyValuePair<string, object>>();
            foreach (PSPropertyInfo property in source.Properties)
            {
                pairs.Add(new KeyValuePair<string, object>(property.Name, property.Value));
            }
            return Build(pairs);
        }

        private static List<KeyValuePair<string, object>> Pairs(JsonElement element)
        {
            var pairs = new List<KeyValuePair<string, object>>(Order.Length + 4);
            foreach (JsonProperty member in element.EnumerateObject())
            {
                pairs.Add(new KeyValuePair<string, object>(member.Name, Plain(member.Value)));
            }
            return pairs;
        }

        private static object Certificate(JsonElement element)
        {
            return Build(Pairs(element));
        }

        // The JSON is read on this thread; the certificates are built in parallel for long lists.
        private static object[] CertificateList(JsonElement array)
        {
            var items = new object[array.GetArrayLength()];
            int i = 0;
            foreach (JsonElement item in array.EnumerateArray())
            {
                items[i++] = item.ValueKind == JsonValueKind.Object ? (object)Pairs(item) : Plain(item);
            }
            Action<int> build = k =>
            {
                if (items[k] is List<KeyValuePair<string, object>> pairs) items[k] = Build(pairs);
            };
            if (items.Length >= ParallelFrom)
            {
                try
                {
                    System.Threading.Tasks.Parallel.For(0, items.Length, build);
                }
                catch (AggregateException e) when (e.InnerExceptions.Count > 0)
                {
                    // The first failure as it was thrown (a damaged entry's FormatException).
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
                    throw;
                }
            }
            else
            {
                for (int k = 0; k < items.Length; k++) build(k);
            }
            return items;
        }

        // A certificate (it has RawData) as an ExchangeCertificate, a pending request as a
        // property bag; see BuildCertificate and BuildRequest.
        private static object Build(List<KeyValuePair<string, object>> pairs)
        {
            foreach (var pair in pairs)
            {
                if (string.Equals(pair.Key, "RawData", StringComparison.OrdinalIgnoreCase))
                {
                    byte[] raw = (byte[])Convert("RawData", pair.Value);
                    if (raw.Length > 0) return BuildCertificate(raw, pairs);
                }
            }
            return BuildRequest(pairs);
        }

        // The X509Certificate2 from RawData, Exchange's properties from the answer; members this
        // module does not know (a newer library's) are added as note properties, as given.
        private static object BuildCertificate(byte[] raw, List<KeyValuePair<string, object>> pairs)
        {
            ExchangeCertificate certificate;
            try
            {
                certificate = new ExchangeCertificate(raw);
            }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                throw new FormatException("The certificate's RawData is not a certificate .NET can read (" +
                    e.Message + "). The store entry may be damaged: check it with openssl x509 -inform der.", e);
            }
            List<KeyValuePair<string, object>> newer = null;
            foreach (var pair in pairs)
            {
                if (!Rank.TryGetValue(pair.Key, out int rank))
                {
                    (newer ??= new List<KeyValuePair<string, object>>()).Add(pair);
                    continue;
                }
                string name = Order[rank];
                if (FromCertificate.Contains(name)) continue;
                object value = Convert(name, pair.Value);
                switch (name)
                {
                    case "Identity": certificate.Identity = Text(value); break;
                    case "Server": certificate.Server = Text(value); break;
                    case "Services": certificate.Services = (AllowedServices)value; break;
                    case "ServicesStringForm": certificate.ServicesStringForm = Text(value); break;
                    case "Status": certificate.Status = Text(value); break;
                    case "RootCAType": certificate.RootCAType = Text(value); break;
                    case "CertificateDomains": certificate.CertificateDomains = (string[])value; break;
                    case "DnsNameList": certificate.DnsNameList = (string[])value; break;
                    case "FriendlyName": certificate.FriendlyName = Text(value); break;
                    case "HasPrivateKey": certificate.HasPrivateKey = (bool)value; break;
                    case "PrivateKeyExportable": certificate.PrivateKeyExportable = (bool)value; break;
                    case "IsSelfSigned": certificate.IsSelfSigned = (bool)value; break;
                    case "PublicKeySize": certificate.PublicKeySize = value == null ? 0 : (int)value; break;
                    case "KeyAlgorithm": certificate.KeyAlgorithm = Text(value); break;
                    case "SubjectKeyIdentifier": certificate.SubjectKeyIdentifier = Text(value); break;
                    case "EnhancedKeyUsageList": certificate.EnhancedKeyUsageList = (string[])value; break;
                    case "CertificateRequest": certificate.CertificateRequest = Text(value); break;
                    case "DaysUntilExpiry": certificate.DaysUntilExpiry = value == null ? 0 : (int)value; break;
                    case "ExpiryWarning": certificate.ExpiryWarning = (bool)value; break;
                    case "LiveFiles": certificate.LiveFiles = value; break;
                    default:
                        // A contract member with no property of its own (RevocationDate ...),
                        // converted by the same rules.
                        (newer ??= new List<KeyValuePair<string, object>>()).Add(new KeyValuePair<string, object>(name, value));
                        break;
                }
            }
            PSObject output = PSObject.AsPSObject(certificate);
            // PowerShell's serializer sends an object typed X509Certificate2 as its RawData alone
            // and rebuilds a plain X509Certificate2 on the other side, losing Exchange's
            // properties. Without those two type names (only in PowerShell's view: the object
            // still is an X509Certificate2 to .NET, -is and parameter binding) remoting, jobs and
            // Export-Clixml carry every property as Deserialized.Excert.ExchangeCertificate, even
            // to a session without this module. PowerShell keeps instance type names with the object.
            output.TypeNames.Remove(X509Certificate2Name);
            output.TypeNames.Remove(X509CertificateName);
            if (newer != null)
            {
                foreach (var pair in newer) output.Properties.Add(new PSNoteProperty(pair.Key, pair.Value));
            }
            return output;
        }

        private static readonly string X509Certificate2Name =
            typeof(System.Security.Cryptography.X509Certificates.X509Certificate2).FullName;

        private static readonly string X509CertificateName =
            typeof(System.Security.Cryptography.X509Certificates.X509Certificate).FullName;

        private static string Text(object value)
        {
            return value == null ? null : LanguagePrimitives.ConvertTo<string>(value);
        }

        // A pending request: known names converted and in contract order, unknown ones after, as given.
        private static PSObject BuildRequest(List<KeyValuePair<string, object>> pairs)
        {
            var known = new object[Order.Length];
            var present = new bool[Order.Length];
            List<KeyValuePair<string, object>> newer = null;
            foreach (var pair in pairs)
            {
                if (Rank.TryGetValue(pair.Key, out int rank))
                {
                    known[rank] = Convert(Order[rank], pair.Value);
                    present[rank] = true;
                }
                else
                {
                    (newer ??= new List<KeyValuePair<string, object>>()).Add(pair);
                }
            }
            var output = new PSObject();
            for (int i = 0; i < Order.Length; i++)
            {
                // Pre-validated (no per-member conflict check): the names are the contract's, unique
                // by construction.
                if (present[i]) output.Properties.Add(new PSNoteProperty(Order[i], known[i]), true);
            }
            if (newer != null)
            {
                foreach (var pair in newer) output.Properties.Add(new PSNoteProperty(pair.Key, pair.Value));
            }
            output.TypeNames.Insert(0, RequestTypeName);
            return output;
        }

        private static object Unwrap(object value)
        {
            return value is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject) ? wrapped.BaseObject : value;
        }

        // The same rules as the script converter before it: PowerShell's casts where it used them.
        private static object Convert(string name, object value)
        {
            value = Unwrap(value);
            switch (name)
            {
                case "Services":
                    if (value == null || (value is string s && s.Length == 0)) return AllowedServices.None;
                    return (AllowedServices)Enum.Parse(typeof(AllowedServices),
                        LanguagePrimitives.ConvertTo<string>(value), true);
                case "NotBefore":
                case "NotAfter":
                    // Local time, as X509Certificate2 gives the dates of a certificate.
                    object utc = ToUtcDate(value);
                    return utc == null ? null : (object)((DateTime)utc).ToLocalTime();
                case "RevocationDate":
                    return ToUtcDate(value);
                case "RawData":
                    if (!LanguagePrimitives.IsTrue(value)) return new byte[0];
                    return System.Convert.FromBase64String(LanguagePrimitives.ConvertTo<string>(value));
                case "CertificateDomains":
                case "DnsNameList":
                case "EnhancedKeyUsageList":
                    return Strings(value);
                case "PublicKeySize":
                case "Version":
                case "DaysUntilExpiry":
                    return value == null ? null : (object)LanguagePrimitives.ConvertTo<int>(value);
                case "HasPrivateKey":
                case "PrivateKeyExportable":
                case "IsSelfSigned":
                case "ExpiryWarning":
                    return LanguagePrimitives.IsTrue(value);
                default:
                    return value;
            }
        }

        /// <summary>A date (RFC 3339 text, [datetime], [DateTimeOffset]) as a [datetime] of Kind Utc; null or "" gives null.</summary>
        public static object ToUtcDate(object value)
        {
            if (value == null || (value is string s && s.Length == 0)) return null;
            if (value is DateTime date)
            {
                return date.Kind == DateTimeKind.Unspecified
                    ? DateTime.SpecifyKind(date, DateTimeKind.Utc)
                    : date.ToUniversalTime();
            }
            if (value is DateTimeOffset offset) return offset.UtcDateTime;
            return DateTimeOffset.Parse(LanguagePrimitives.ConvertTo<string>(value),
                CultureInfo.InvariantCulture).UtcDateTime;
        }

        // A string[] without nulls, whether one value or a list came.
        private static string[] Strings(object value)
        {
            var result = new List<string>();
            if (value is IEnumerable items && !(value is string))
            {
                foreach (object item in items)
                {
                    object v = Unwrap(item);
                    if (v != null) result.Add(LanguagePrimitives.ConvertTo<string>(v));
                }
            }
            else if (value != null)
            {
                result.Add(LanguagePrimitives.ConvertTo<string>(value));
            }
            return result.ToArray();
        }

        // Any JSON value as ConvertFrom-Json gives it (dates stay text, as with -DateKind String).
        private static object Plain(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    return element.GetString();
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                case JsonValueKind.Null:
                case JsonValueKind.Undefined:
                    return null;
                case JsonValueKind.Number:
                    if (element.TryGetInt64(out long whole)) return whole;
                    string text = element.GetRawText();
                    if (text.IndexOfAny(new[] { '.', 'e', 'E' }) < 0)
                    {
                        return BigInteger.Parse(text, CultureInfo.InvariantCulture);
                    }
                    return element.GetDouble();
                case JsonValueKind.Array:
                    var list = new object[element.GetArrayLength()];
                    int i = 0;
                    foreach (JsonElement item in element.EnumerateArray()) list[i++] = Plain(item);
                    return list;
                default:
                    var obj = new PSObject();
                    foreach (JsonProperty member in element.EnumerateObject())
                    {
                        obj.Properties.Add(new PSNoteProperty(member.Name, Plain(member.Value)));
                    }
                    return obj;
            }
        }
    }

    /// <summary>
    /// Lets -FileData take what Exchange admins pass: a byte[] (ReadAllBytes, Get-Content
    /// -AsByteStream), or text — the Base64 that Export-ExchangeCertificate prints, or PEM. Text
    /// goes to the library as its UTF-8 bytes: the library sniffs Base64 and PEM itself, so there
    /// is one set of rules (and one set of errors) for every caller.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class FileDataTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            return value is string text ? Encoding.UTF8.GetBytes(text) : inputData;
        }
    }

    /// <summary>
    /// File reads and writes for -FileName, -RequestFile: failures come back as a message
    /// instead of an exception, because PowerShell records even a caught exception in the
    /// caller's -ErrorVariable beside the error the cmdlet reports.
    /// </summary>
    public static class Files
    {
        /// <summary>Reads a file; returns null, or why it could not be read.</summary>
        public static string TryReadAllBytes(string path, out byte[] data)
        {
            data = null;
            try
            {
                data = System.IO.File.ReadAllBytes(path);
                return null;
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException ||
                e is ArgumentException || e is NotSupportedException || e is SecurityException)
            {
                return e.Message;
            }
        }

        /// <summary>
        /// Writes a file through a temporary file in the same folder renamed over the target: a
        /// reader never sees half a file, and with ownerOnly (a PFX holds a private key) the file
        /// is born 0600 on Unix rather than keeping an old file's mode. Returns null, or why not.
        /// </summary>
        public static string TryWriteAllBytes(string path, byte[] bytes, bool ownerOnly)
        {
            string temporary = null;
            try
            {
                string folder = System.IO.Path.GetDirectoryName(path);
                if (string.IsNullOrEmpty(folder) || !System.IO.Directory.Exists(folder))
                {
                    return "the folder '" + folder + "' does not exist.";
                }
                temporary = System.IO.Path.Combine(folder,
                    "." + System.IO.Path.GetFileName(path) + ".tmp-" + Guid.NewGuid().ToString("N"));
                var options = new System.IO.FileStreamOptions
                {
                    Mode = System.IO.FileMode.CreateNew,
                    Access = System.IO.FileAccess.Write,
                };
                if (ownerOnly && !OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = System.IO.UnixFileMode.UserRead | System.IO.UnixFileMode.UserWrite;
                }
                using (var stream = new System.IO.FileStream(temporary, options))
                {
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(true);
                }
                System.IO.File.Move(temporary, path, true);
                temporary = null;
                return null;
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException ||
                e is ArgumentException || e is NotSupportedException || e is SecurityException)
            {
                return e.Message;
            }
            finally
            {
                if (temporary != null)
                {
                    try { System.IO.File.Delete(temporary); } catch (System.IO.IOException) { } catch (UnauthorizedAccessException) { }
                }
            }
        }
    }
}
