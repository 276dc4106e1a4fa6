// Answer JSON to PowerShell objects: the certificates as Excert.ExchangeCertificate
// (X509Certificate2s), pending requests as property bags, the rest as ConvertFrom-Json gives it.

using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using static Excert.AnswerValues;

namespace Excert
{
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

        private static readonly int RawDataRank = Array.IndexOf(Order, "RawData");

        private static readonly byte[][] OrderUtf8 = Array.ConvertAll(Order, System.Text.Encoding.UTF8.GetBytes);

        // The members an ExchangeCertificate takes from its certificate (.NET's values), not from
        // the answer: .NET reads the same RawData.
        private static readonly bool[] IsFromCertificate = Array.ConvertAll(Order, name => Array.IndexOf(new[]
        {
            "Thumbprint", "Subject", "Issuer", "NotBefore", "NotAfter", "SerialNumber", "SignatureAlgorithm",
            "Version", "RawData",
        }, name) >= 0);

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
                return Parse(document);
            }
        }

        /// <summary>
        /// The answer's Warnings that are not empty, in order (none: an empty array). One call
        /// from PowerShell instead of reading the member through PSObject's adapter, whose first
        /// use in a session is a fresh session's first cmdlet's cost.
        /// </summary>
        public static string[] WarningsOf(PSObject answer)
        {
            object value = answer?.Properties["Warnings"]?.Value;
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            var warnings = new List<string>();
            if (value is string single)
            {
                if (single.Length > 0) warnings.Add(single);
            }
            else if (value is IEnumerable many)
            {
                foreach (object item in many)
                {
                    string text = item is PSObject boxed ? boxed.BaseObject?.ToString() : item?.ToString();
                    if (!string.IsNullOrEmpty(text)) warnings.Add(text);
                }
            }
            else if (value != null)
            {
                string text = value.ToString();
                if (text.Length > 0) warnings.Add(text);
            }
            return warnings.ToArray();
        }

        /// <summary>As Parse(string), reading a native call's answer in the bytes the library wrote.</summary>
        public static PSObject Parse(NativeResult result)
        {
            if (result == null || !result.HasJson) throw new ArgumentException("The native call returned no answer.", nameof(result));
            if (result.JsonUtf8 == null) return Parse(result.Json);
            using (JsonDocument document = JsonDocument.Parse(result.JsonUtf8.AsMemory()))
            {
                return Parse(document);
            }
        }

        private static PSObject Parse(JsonDocument document)
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
            return Build(pairs, null);
        }

        private static List<KeyValuePair<string, object>> Pairs(JsonElement element)
        {
            var pairs = new List<KeyValuePair<string, object>>(Order.Length + 4);
            foreach (JsonProperty member in element.EnumerateObject())
            {
                // RawData straight to bytes: no 800-character string per certificate on the way.
                object value = member.Value.ValueKind == JsonValueKind.String && member.NameEquals("RawData") &&
                    member.Value.TryGetBytesFromBase64(out byte[] raw) ? raw : Plain(member.Value);
                pairs.Add(new KeyValuePair<string, object>(member.Name, value));
            }
            return pairs;
        }

        // A non-empty RawData (a certificate, not a pending request), or null.
        private static byte[] RawDataOf(JsonElement item)
        {
            return item.TryGetProperty(OrderUtf8[RawDataRank], out JsonElement value) &&
                value.ValueKind == JsonValueKind.String && value.TryGetBytesFromBase64(out byte[] raw) &&
                raw.Length > 0 ? raw : null;
        }

        private static object Certificate(JsonElement element)
        {
            return Build(Pairs(element), null);
        }

        // A long listing is read and built on every core (JsonDocument is immutable once parsed),
        // each certificate from the parsed one the last listing left when it had the same DER.
        private static object[] CertificateList(JsonElement array)
        {
            var elements = new JsonElement[array.GetArrayLength()];
            int i = 0;
            foreach (JsonElement item in array.EnumerateArray()) elements[i++] = item;
            var items = new object[elements.Length];
            ParsedCertificates parsed = ParsedCertificates.StartListing(elements.Length);
            Action<int> build = k =>
            {
                JsonElement item = elements[k];
                items[k] = item.ValueKind != JsonValueKind.Object ? Plain(item)
                    : RawDataOf(item) is byte[] raw ? CertificateFromJson(item, raw, parsed)
                    : Build(Pairs(item), parsed);
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
            parsed.Finish();
            return items;
        }

        // A certificate (it has RawData) as an ExchangeCertificate, a pending request as a
        // property bag; see BuildCertificate and BuildRequest. Outside a listing (parsed null),
        // a certificate the last listing parsed is still reused.
        private static object Build(List<KeyValuePair<string, object>> pairs, ParsedCertificates parsed)
        {
            foreach (var pair in pairs)
            {
                if (string.Equals(pair.Key, "RawData", StringComparison.OrdinalIgnoreCase))
                {
                    byte[] raw = (byte[])Convert("RawData", pair.Value);
                    if (raw.Length > 0) return BuildCertificate(NewCertificate(raw, parsed), pairs);
                }
            }
            return BuildRequest(pairs);
        }

        // raw is the answer's, decoded here and seen by no caller: the cache may keep it as a key.
        private static ExchangeCertificate NewCertificate(byte[] raw, ParsedCertificates parsed)
        {
            try
            {
                X509Certificate2 known = parsed != null ? parsed.Get(raw, ExchangeCertificate.Parse) : ParsedCertificates.Find(raw);
                return known != null ? ExchangeCertificate.On(known) : new ExchangeCertificate(raw);
            }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                throw new FormatException("The certificate's RawData is not a certificate .NET can read (" +
                    e.Message + "). The store entry may be damaged: check it with openssl x509 -inform der.", e);
            }
        }

        // Exchange's properties from the answer onto the certificate; members this module does
        // not know (a newer library's) are added as note properties, as given.
        private static object BuildCertificate(ExchangeCertificate certificate, List<KeyValuePair<string, object>> pairs)
        {
            List<KeyValuePair<string, object>> newer = null;
            foreach (var pair in pairs)
            {
                if (!Rank.TryGetValue(pair.Key, out int rank))
                {
                    (newer ??= new List<KeyValuePair<string, object>>()).Add(pair);
                    continue;
                }
                if (IsFromCertificate[rank]) continue;
                CertificateMembers.Assign(certificate, Order[rank], Convert(Order[rank], pair.Value), ref newer);
            }
            return Wrap(certificate, newer);
        }

        // A certificate of a listing read member by member from its JSON, the hot path of a long
        // listing: no pair list, no name strings (the members come in the contract's order, so
        // the next expected name is compared first), and the members .NET reads from RawData
        // skipped. The values are those Convert gives (CertificateMembers.FromJson).
        private static object CertificateFromJson(JsonElement item, byte[] raw, ParsedCertificates parsed)
        {
            ExchangeCertificate certificate = NewCertificate(raw, parsed);
            List<KeyValuePair<string, object>> newer = null;
            int next = 0;
            foreach (JsonProperty member in item.EnumerateObject())
            {
                int rank;
                if (next < Order.Length && member.NameEquals(OrderUtf8[next]))
                {
                    rank = next;
                }
                else if (!Rank.TryGetValue(member.Name, out rank))
                {
                    (newer ??= new List<KeyValuePair<string, object>>()).Add(
                        new KeyValuePair<string, object>(member.Name, Plain(member.Value)));
                    continue;
                }
                next = rank + 1;
                if (IsFromCertificate[rank]) continue;
                string name = Order[rank];
                CertificateMembers.Assign(certificate, name, CertificateMembers.FromJson(name, member.Value), ref newer);
            }
            return Wrap(certificate, newer);
        }

        private static PSObject Wrap(ExchangeCertificate certificate, List<KeyValuePair<string, object>> newer)
        {
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
    }
}
