// Exchange's members of a certificate object, set from the answer: the one place that says which
// contract member goes to which ExchangeCertificate property, and a fast reading of the JSON
// values that gives what AnswerValues.Convert gives.

using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Text.Json;
using static Excert.AnswerValues;

namespace Excert
{
    /// <summary>Contract members onto <see cref="ExchangeCertificate"/> properties.</summary>
    internal static class CertificateMembers
    {
        private static readonly object True = true;
        private static readonly object False = false;

        /// <summary>
        /// Sets the property of <paramref name="name"/> (a contract name) from its converted value;
        /// a contract member with no property of its own goes to <paramref name="newer"/>.
        /// </summary>
        internal static void Assign(ExchangeCertificate certificate, string name, object value,
            ref List<KeyValuePair<string, object>> newer)
        {
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
                case "RevocationReason": certificate.RevocationReason = Text(value); break;
                case "RevocationDate": certificate.RevocationDate = (DateTime?)value; break;
                case "RevocationSource": certificate.RevocationSource = Text(value); break;
                default:
                    // Converted by the same rules. Kept rare: a note property on an object that is
                    // not a PSCustomObject lives in PowerShell's shared resurrection table, which
                    // cost a 10,000 listing about a second.
                    (newer ??= new List<KeyValuePair<string, object>>()).Add(new KeyValuePair<string, object>(name, value));
                    break;
            }
        }

        /// <summary>
        /// Convert(name, Plain(value)) without the intermediate values for the usual JSON kinds:
        /// text as it is, booleans, whole numbers, lists of strings.
        /// </summary>
        internal static object FromJson(string name, JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    string text = value.GetString();
                    return IsText(name) ? text : Convert(name, text);
                case JsonValueKind.True:
                    return IsFlag(name) ? True : Convert(name, true);
                case JsonValueKind.False:
                    return IsFlag(name) ? False : Convert(name, false);
                case JsonValueKind.Number:
                    return IsWhole(name) && value.TryGetInt32(out int whole) ? whole : Convert(name, Plain(value));
                case JsonValueKind.Array:
                    return IsList(name) ? StringsOf(name, value) : Convert(name, Plain(value));
                default:
                    return Convert(name, Plain(value));
            }
        }

        // A JSON array of strings as a string[]; anything else in it takes the general rule.
        private static object StringsOf(string name, JsonElement array)
        {
            var result = new string[array.GetArrayLength()];
            int i = 0;
            foreach (JsonElement item in array.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String) return Convert(name, Plain(array));
                result[i++] = item.GetString();
            }
            return result;
        }

        // Members AnswerValues.Convert passes through unchanged (its default rule) when given text.
        private static bool IsText(string name) =>
            name != "Services" && name != "RevocationDate" && !IsList(name) && !IsWhole(name) && !IsFlag(name) &&
            name != "NotBefore" && name != "NotAfter" && name != "RawData";

        private static bool IsList(string name) =>
            name == "CertificateDomains" || name == "DnsNameList" || name == "EnhancedKeyUsageList";

        private static bool IsWhole(string name) =>
            name == "PublicKeySize" || name == "Version" || name == "DaysUntilExpiry";

        private static bool IsFlag(string name) =>
            name == "HasPrivateKey" || name == "PrivateKeyExportable" || name == "IsSelfSigned" || name == "ExpiryWarning";
    }
}
