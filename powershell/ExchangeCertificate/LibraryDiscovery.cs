// Finding, loading and checking the native library when the module is imported
// (Cmdlets/ModuleImport.cs calls Library.OpenForModule).

using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Excert
{
    /// <summary>An import-time failure whose message is the whole story for the user.</summary>
    public sealed class ExcertImportException : Exception
    {
        public ExcertImportException(string message) : base(message)
        {
        }
    }

    public sealed partial class Library
    {
        /// <summary>The .NET runtime identifier of this process (linux-x64, osx-arm64, win-x64 ...).</summary>
        public static string RuntimeId
        {
            get
            {
                string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
                // The process, not the OS: x64 pwsh under emulation on Arm64 needs the x64 library.
                return os + "-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
            }
        }

        /// <summary>
        /// The absolute path of the native library, or an ExcertImportException naming every place
        /// looked in:
        /// 1. $env:EXCERT_LIBRARY, an absolute path to the file. When set it is the only candidate:
        ///    a user who names a library must not silently get another one.
        /// 2. bin/&lt;rid&gt;/ inside the module folder (an installed module).
        /// 3. The checkout's target/release, then target/debug (module loaded from the source tree).
        /// </summary>
        public static string Find(string moduleRoot)
        {
            string fileName = FileName;
            string named = Environment.GetEnvironmentVariable("EXCERT_LIBRARY");
            if (!string.IsNullOrEmpty(named))
            {
                if (!System.IO.Path.IsPathFullyQualified(named))
                {
                    throw new ExcertImportException("EXCERT_LIBRARY must be an absolute path to " + fileName +
                        ", but it is '" + named + "'. Set it to the full path, or unset it to use the module's own library.");
                }
                if (!File.Exists(named))
                {
                    throw new ExcertImportException("EXCERT_LIBRARY points at '" + named + "', but no file is " +
                        "there. Fix the path, or unset EXCERT_LIBRARY to search the module's bin/" + RuntimeId +
                        "/ folder and the source tree's target/release and target/debug.");
                }
                return named;
            }

            string checkout = System.IO.Path.GetFullPath(System.IO.Path.Combine(moduleRoot, "..", "..", "target"));
            string[] candidates =
            {
                System.IO.Path.Combine(moduleRoot, "bin", RuntimeId, fileName),
                System.IO.Path.Combine(checkout, "release", fileName),
                System.IO.Path.Combine(checkout, "debug", fileName),
            };
            foreach (string candidate in candidates)
            {
                if (File.Exists(candidate)) return candidate;
            }
            string nl = Environment.NewLine;
            throw new ExcertImportException("The excert native library (" + fileName + ") was not found. Looked in:" + nl +
                "  $env:EXCERT_LIBRARY (not set)" + nl + "  " + string.Join(nl + "  ", candidates) + nl +
                "Build it with 'cargo build --release' in the source tree, install the module with its bin/" +
                RuntimeId + "/ folder, or set EXCERT_LIBRARY to the library's absolute path.");
        }

        /// <summary>
        /// The module's import: finds the library (Find), loads it and checks that it speaks
        /// the module's ABI. Every failure is an ExcertImportException with one clear message.
        /// </summary>
        public static Library OpenForModule(string moduleRoot, uint abiVersion, string moduleVersion)
        {
            string path = Find(moduleRoot);
            Library library;
            try
            {
                library = Load(path);
            }
            catch (Exception e)
            {
                throw new ExcertImportException("The excert library '" + path + "' could not be loaded: " +
                    e.Message + " Check that it was built for " + RuntimeId + ", or point EXCERT_LIBRARY at one that was.");
            }
            uint abi;
            try
            {
                abi = library.AbiVersion();
            }
            catch (Exception e)
            {
                throw new ExcertImportException("'" + path + "' is not a usable excert library: " + e.Message);
            }
            if (abi != abiVersion)
            {
                throw new ExcertImportException("The excert library '" + path + "' speaks ABI version " + abi +
                    ", but this module (" + moduleVersion + ") needs ABI version " + abiVersion + ". Install the " +
                    "module and the library from the same release, or rebuild the library from this source tree " +
                    "('cargo build --release').");
            }
            return library;
        }
    }
}
