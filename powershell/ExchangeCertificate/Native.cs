// The module's C# shim: binds the excert native library by absolute path and calls its JSON
// operations. Strings go in as NUL-terminated UTF-8, answers come back as IntPtr and are copied,
// then freed with excert_string_free in a finally block (never declared as .NET string returns,
// which would free them with the wrong allocator). The shim's other files: Requests.cs (request
// to JSON), Answers.cs (answer JSON to objects), ExchangeCertificate.cs (the certificate objects),
// Files.cs (file input and output).
//
// Compiled once per module version and cached (Private/Import-ExcertShim.ps1); changing any of the
// files changes the cache key.

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
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
        // The answer as the library wrote it (UTF-8): Answers.Parse reads it in place, so a
        // 10,000-certificate listing (16 MB) is never also a 32 MB .NET string (docs/performance.md).
        private readonly byte[] jsonUtf8;
        private string json;

        public int Code { get; }
        public string Error { get; }

        /// <summary>Whether the library set an answer (an empty one is none).</summary>
        public bool HasJson => jsonUtf8 != null ? jsonUtf8.Length > 0 : !string.IsNullOrEmpty(json);

        /// <summary>The answer as text, decoded on first use.</summary>
        public string Json => json ?? (jsonUtf8 == null ? null : json = Encoding.UTF8.GetString(jsonUtf8));

        internal byte[] JsonUtf8 => jsonUtf8;

        public NativeResult(int code, string json, string error)
        {
            Code = code;
            this.json = json;
            Error = error;
        }

        internal NativeResult(int code, byte[] jsonUtf8, string error)
        {
            Code = code;
            this.jsonUtf8 = jsonUtf8;
            Error = error;
        }
    }

    /// <summary>A failure reported by the native library: its stable code and name.</summary>
    public sealed class ExcertException : Exception
    {
        /// <summary>The numeric result code (docs/c-api.md), for example 300.</summary>
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

        // The operations whose C signature carries a secret (docs/c-api.md). Calling one through the
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

        // The bytes of the NUL-terminated string at text, without the NUL. Its length is found
        // without unsafe code, a page at a time: memory is readable or not by whole pages, so
        // reading to the end of a page that holds a byte of the string never faults.
        private static byte[] CopyUtf8(IntPtr text)
        {
            const int Page = 4096;
            var chunk = new byte[Page];
            long length = 0;
            while (true)
            {
                long at = text.ToInt64() + length;
                int toPageEnd = Page - (int)(at & (Page - 1));
                Marshal.Copy(new IntPtr(at), chunk, 0, toPageEnd);
                int nul = chunk.AsSpan(0, toPageEnd).IndexOf((byte)0);
                if (nul >= 0)
                {
                    length += nul;
                    break;
                }
                length += toPageEnd;
            }
            var bytes = new byte[checked((int)length)];
            Marshal.Copy(text, bytes, 0, bytes.Length);
            return bytes;
        }

        // Copies and frees both outputs; the library sets at most one, but free whatever is there.
        private NativeResult Collect(int code, IntPtr json, IntPtr error)
        {
            try
            {
                return new NativeResult(code,
                    json == IntPtr.Zero ? null : CopyUtf8(json),
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
}
