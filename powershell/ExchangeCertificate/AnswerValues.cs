// Answer JSON values to PowerShell values: any JSON value as ConvertFrom-Json gives it, and the
// contract's members (dates, services, lists, numbers) converted as the cmdlets output them.

using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Numerics;
using System.Text.Json;

namespace Excert
{
    /// <summary>The value conversions of <see cref="Answers"/>, one rule per contract member.</summary>
    public static class AnswerValues
    {
        internal static string Text(object value)
        {
            return value as string ?? (value == null ? null : LanguagePrimitives.ConvertTo<string>(value));
        }

        internal static object Unwrap(object value)
        {
            return value is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject) ? wrapped.BaseObject : value;
        }

        // The same rules as the script converter before it: PowerShell's casts where it used them.
        internal static object Convert(string name, object value)
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
                    if (value is byte[] bytes) return bytes;
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
        internal static string[] Strings(object value)
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
        internal static object Plain(JsonElement element)
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
}
