// The module's import: the native library the cmdlets call, opened once per session.

using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace Excert.Cmdlets
{
    /// <summary>
    /// Opens the native library when the module is imported. From the source tree the .psm1
    /// opens it (Open, with the module folder and version) before it imports this assembly; an
    /// installed module is this assembly alone (bin/ExchangeCertificate.dll), and its import
    /// opens the library from the module folder, bin/'s parent. A failure fails the import with
    /// the message of LibraryDiscovery's ExcertImportException.
    /// </summary>
    public sealed class ModuleImport : IModuleAssemblyInitializer
    {
        /// <summary>The C ABI version this module speaks (excert_abi_version).</summary>
        public const uint AbiVersion = 1;

        /// <summary>The library the cmdlets call.</summary>
        public static Library Library { get; private set; }

        /// <summary>Opens the library of the module in moduleRoot, unless one is open already.</summary>
        public static Library Open(string moduleRoot, string moduleVersion)
        {
            if (Library == null) Library = Library.OpenForModule(moduleRoot, AbiVersion, moduleVersion);
            return Library;
        }

        public void OnImport()
        {
            Assembly assembly = typeof(ModuleImport).Assembly;
            string moduleRoot = Path.GetDirectoryName(Path.GetDirectoryName(assembly.Location));
            string version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            Open(moduleRoot, version ?? "?");
        }
    }
}
