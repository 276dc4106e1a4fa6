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
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;

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
    /// <remarks>
    /// Exports are called through C# function pointers with blittable arguments (byte*, IntPtr*,
    /// integers): no marshalling stub is generated and JIT-compiled per signature, as a delegate
    /// from Marshal.GetDelegateForFunctionPointer would need (docs/performance.md). Finding and
    /// checking the library at import: LibraryDiscovery.cs.
    /// </remarks>
    public sealed partial class Library
    {
        // The operations whose C signature carries a secret (docs/c-api.md). Calling one through the
        // other signature would read garbage as pointers, so each path refuses the other's.
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

        // Only the library's own JSON operations may be called by name (not its helpers, whose
        // signatures differ: calling them as an operation would be undefined behaviour): excert_
        // then two or more words of [a-z0-9] joined by single underscores. Checked by hand rather
        // than with a Regex, whose construction at type load costs the first call milliseconds.
        private static bool IsOperationName(string name)
        {
            const string Prefix = "excert_";
            if (name == null || !name.StartsWith(Prefix, StringComparison.Ordinal)) return false;
            int words = 0, letters = 0;
            for (int i = Prefix.Length; i < name.Length; i++)
            {
                char c = name[i];
                if (c == '_')
                {
                    if (letters == 0) return false;
                    words++;
                    letters = 0;
                }
                else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                {
                    letters++;
                }
                else
                {
                    return false;
                }
            }
            return letters > 0 && words >= 1;
        }

        private readonly IntPtr _handle;
        // Export addresses by name; reference-type values, so the dictionary's code is the
        // runtime's shared, precompiled instantiation.
        private readonly ConcurrentDictionary<string, object> _exports =
            new ConcurrentDictionary<string, object>(StringComparer.Ordinal);

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

        // The address of an export, looked up once; a missing one is a clear error.
        private IntPtr Export(string name)
        {
            if (_exports.TryGetValue(name, out object known)) return (IntPtr)known;
            if (!NativeLibrary.TryGetExport(_handle, name, out IntPtr address))
            {
                throw new EntryPointNotFoundException(
                    "The library '" + Path + "' has no export '" + name + "'. It is not an excert " +
                    "library or it is older than this module; build or install a matching one.");
            }
            _exports.TryAdd(name, address);
            return address;
        }

        /// <summary>True when the library exports the named function.</summary>
        public bool HasExport(string name)
        {
            return NativeLibrary.TryGetExport(_handle, name, out _);
        }

        /// <summary>excert_abi_version(): the ABI this library speaks.</summary>
        public unsafe uint AbiVersion()
        {
            return ((delegate* unmanaged[Cdecl]<uint>)Export("excert_abi_version"))();
        }

        /// <summary>excert_version(): the crate version (a static string, not freed).</summary>
        public unsafe string Version()
        {
            return Marshal.PtrToStringUTF8(((delegate* unmanaged[Cdecl]<IntPtr>)Export("excert_version"))());
        }

        /// <summary>excert_result_name(code): the stable name of a code (a static string).</summary>
        public unsafe string ResultName(int code)
        {
            return Marshal.PtrToStringUTF8(((delegate* unmanaged[Cdecl]<int, IntPtr>)Export("excert_result_name"))(code));
        }

        private static byte[] ToUtf8Z(string s)
        {
            if (s == null) return null;
            int n = Encoding.UTF8.GetByteCount(s);
            byte[] bytes = new byte[n + 1];
            Encoding.UTF8.GetBytes(s, 0, s.Length, bytes, 0);
            return bytes;
        }

        private IntPtr Operation(string function)
        {
            if (!IsOperationName(function) ||
                function == "excert_string_free" || function == "excert_abi_version" ||
                function == "excert_result_name")
            {
                throw new ArgumentException("'" + function + "' is not an excert operation name.",
                    nameof(function));
            }
            return Export(function);
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

        // The native calls made inside try blocks, each in a method of its own with no exception
        // handler and never inlined: the JIT and crossgen2 inline a call's transition to native
        // code only outside try regions; inside one it takes an IL stub made and JIT-compiled at
        // run time, and crossgen2 leaves the whole calling method to the JIT.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static unsafe int CallOperation(IntPtr fn, byte* request, IntPtr* json, IntPtr* error)
        {
            return ((delegate* unmanaged[Cdecl]<byte*, IntPtr*, IntPtr*, int>)fn)(request, json, error);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static unsafe int CallSecretOperation(IntPtr fn, byte* request, byte* secret, nuint secretLen,
            IntPtr* json, IntPtr* error)
        {
            return ((delegate* unmanaged[Cdecl]<byte*, byte*, nuint, IntPtr*, IntPtr*, int>)fn)(
                request, secret, secretLen, json, error);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static unsafe void FreeString(IntPtr fn, IntPtr s)
        {
            ((delegate* unmanaged[Cdecl]<IntPtr, void>)fn)(s);
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
                    IntPtr free = Export("excert_string_free");
                    if (json != IntPtr.Zero) FreeString(free, json);
                    if (error != IntPtr.Zero) FreeString(free, error);
                }
            }
        }

        /// <summary>Calls excert_noun_verb(request_json, out_json, out_error).</summary>
        public unsafe NativeResult Invoke(string function, string requestJson)
        {
            if (TakesSecret(function))
            {
                throw new ArgumentException("'" + function + "' takes a secret: call InvokeWithSecret.",
                    nameof(function));
            }
            IntPtr fn = Operation(function);
            byte[] request = ToUtf8Z(requestJson);
            IntPtr json = IntPtr.Zero, error = IntPtr.Zero;
            int code;
            try
            {
                fixed (byte* r = request)
                {
                    code = CallOperation(fn, r, &json, &error);
                }
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
        public unsafe NativeResult InvokeWithSecret(string function, string requestJson, byte[] secret)
        {
            try
            {
                if (!TakesSecret(function))
                {
                    throw new ArgumentException("'" + function + "' takes no secret: call Invoke.",
                        nameof(function));
                }
                IntPtr fn = Operation(function);
                byte[] request = ToUtf8Z(requestJson);
                IntPtr json = IntPtr.Zero, error = IntPtr.Zero;
                int code;
                nuint length = secret == null ? 0u : (nuint)secret.Length;
                // An empty password is not "no password": a one-byte buffer guarantees a
                // non-NULL pointer (fixed gives NULL for an empty array) with length 0.
                byte[] buffer = secret != null && secret.Length == 0 ? new byte[1] : secret;
                try
                {
                    fixed (byte* r = request, s = buffer)
                    {
                        code = CallSecretOperation(fn, r, s, length, &json, &error);
                    }
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
