// Request hashtables to the JSON the library reads, with System.Text.Json. ConvertTo-Json is a
// cmdlet of Microsoft.PowerShell.Utility: in a fresh session its first use loads that module and
// compiles some 700 methods of it, most of a first Get-ExchangeCertificate's cost.

using System;
using System.Buffers;
using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Excert
{
    /// <summary>Writes a request (an IDictionary of strings, booleans, integers and lists of them).</summary>
    public static class Requests
    {
        private static readonly JsonWriterOptions Options = new JsonWriterOptions
        {
            // Non-ASCII text as UTF-8, as ConvertTo-Json writes it (the library reads either).
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        /// <summary>
        /// The request as compact JSON, members with a null value left out (the core's list
        /// fields refuse null), or null when a value is of a kind this writer does not know (a
        /// caller then uses ConvertTo-Json, which writes any object).
        /// </summary>
        public static string ToJson(IDictionary request) => ToJson(request, null);

        /// <summary>
        /// As ToJson(request), with StoreRoot set to storeRoot when the request gives none and
        /// storeRoot is not empty ($env:EXCERT_STORE: .NET on Unix does not pass $env: changes to
        /// the native getenv). One call from PowerShell instead of a loop over the members: a
        /// fresh session's first cmdlet pays for every distinct call a script makes.
        /// </summary>
        public static string ToJson(IDictionary request, string storeRoot)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            var buffer = new ArrayBufferWriter<byte>();
            try
            {
                using (var writer = new Utf8JsonWriter(buffer, Options))
                {
                    writer.WriteStartObject();
                    bool hasStoreRoot = false;
                    foreach (DictionaryEntry member in request)
                    {
                        object value = AnswerValues.Unwrap(member.Value);
                        if (value == null) continue;
                        string name = LanguagePrimitives.ConvertTo<string>(member.Key);
                        hasStoreRoot |= string.Equals(name, "StoreRoot", StringComparison.OrdinalIgnoreCase);
                        writer.WritePropertyName(name);
                        if (!TryWrite(writer, value)) return null;
                    }
                    if (!hasStoreRoot && !string.IsNullOrEmpty(storeRoot))
                    {
                        writer.WriteString("StoreRoot", storeRoot);
                    }
                    writer.WriteEndObject();
                }
            }
            catch (ArgumentException)
            {
                // Text System.Text.Json refuses (a lone surrogate): leave it to ConvertTo-Json.
                return null;
            }
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }

        /// <summary>
        /// The request as the library reads it, as an ordered dictionary: members with a null
        /// value left out, StoreRoot set to storeRoot when the request gives none and storeRoot is
        /// not empty. For the two paths that need the members: ConvertTo-Json (a value this
        /// writer does not know) and the debug line.
        /// </summary>
        public static OrderedDictionary Body(IDictionary request, string storeRoot)
        {
            var body = new OrderedDictionary();
            bool hasStoreRoot = false;
            foreach (DictionaryEntry member in request)
            {
                if (AnswerValues.Unwrap(member.Value) == null) continue;
                body[member.Key] = member.Value;
                hasStoreRoot |= string.Equals(LanguagePrimitives.ConvertTo<string>(member.Key), "StoreRoot", StringComparison.OrdinalIgnoreCase);
            }
            if (!hasStoreRoot && !string.IsNullOrEmpty(storeRoot)) body["StoreRoot"] = storeRoot;
            return body;
        }

        private static bool TryWrite(Utf8JsonWriter writer, object value)
        {
            switch (value)
            {
                case null:
                    writer.WriteNullValue();
                    return true;
                case string text:
                    writer.WriteStringValue(text);
                    return true;
                case bool flag:
                    writer.WriteBooleanValue(flag);
                    return true;
                case int number:
                    writer.WriteNumberValue(number);
                    return true;
                case long number:
                    writer.WriteNumberValue(number);
                    return true;
                case IList list when !(value is byte[]):
                    writer.WriteStartArray();
                    foreach (object item in list)
                    {
                        if (!TryWrite(writer, AnswerValues.Unwrap(item))) return false;
                    }
                    writer.WriteEndArray();
                    return true;
                default:
                    return false;
            }
        }
    }
}
