# ExchangeCertificate: Exchange Server's certificate cmdlets on the excert native library.
# Import order: private helpers, the compiled shim, the native library (ABI check), then the
# public functions. Any failure stops the import with one message: no half-loaded module.
# The import path calls .NET rather than cmdlets (Get-ChildItem, Join-Path ...): the first use
# of a cmdlet in a fresh session costs ~200 ms, and a warm import should cost little.

Set-StrictMode -Version 3.0

# The ABI this module speaks (excert_abi_version(), EXCERT_ABI_VERSION in include/excert.h).
$script:ExcertAbiVersion = 1

# The loaded [Excert.Library]; the cmdlets' C# bodies make their native calls with it (Invocation.cs).
$script:ExcertLibrary = $null

# Unix modes of the shim cache: the folder 0700, files 0600 (under umask 000 the cache was once
# world-writable, and any local user could plant an assembly that the next import would run).
$script:ExcertOwnerOnlyFolder = [IO.UnixFileMode]'UserRead, UserWrite, UserExecute'
$script:ExcertWritableByOthers = [IO.UnixFileMode]'GroupWrite, OtherWrite'

# The shim's C# files (names in this folder), compiled together into one cached assembly
# (Import-ExcertShim) where the module ships none for this .NET; the order is part of the cache
# key. Joined to the folder only there: a loop over 26 names in the import's own script is
# compiled by PowerShell (its interpreter compiles a loop past a number of rounds), ~20 methods
# JIT-compiled by every import (docs/performance.md).
$script:ExcertShimSources = 'Native.cs', 'LibraryDiscovery.cs', 'Requests.cs', 'Answers.cs', 'AnswerValues.cs', 'CertificateMembers.cs', 'ParsedCertificates.cs', 'ExchangeCertificate.cs', 'Files.cs', 'Invocation.cs', 'Parameters.cs', 'TargetCertificate.cs', 'Streams.cs', 'Failures.cs', 'NewRequest.cs', 'DefaultSmtpQuestion.cs', 'NewCommand.cs', 'EnableCommand.cs', 'AcceptedDomains.cs', 'GetAcceptedDomainCommand.cs', 'NewAcceptedDomainCommand.cs', 'RemoveAcceptedDomainCommand.cs', 'RemoveCommand.cs', 'ImportCommand.cs', 'ExportCommand.cs', 'GetCommand.cs'

# Add-Type compiles as Debug by default (DisableOptimizations: every method JIT-compiled without
# optimization, for the life of the session); the shim does the per-certificate work of a listing.
# -unsafe: native calls go through C# function pointers (Native.cs), with no marshalling stub.
$script:ExcertShimCompilerOptions = '-optimize+', '-unsafe'

#region ScriptFiles
# The script files in Private/ or Public/, in ordinal order (the installed module has none:
# scripts/inline-module-scripts drops this region with them).
function Get-ExcertScriptFile([string] $Folder) {
    $files = [IO.Directory]::GetFiles([IO.Path]::Combine($PSScriptRoot, $Folder), '*.ps1')
    [Array]::Sort($files, [StringComparer]::Ordinal)
    $files
}
#endregion ScriptFiles

# Dot-sourced here, at the module's script scope, so the functions land in the module. The
# installed module has each region replaced by its files' text (scripts/package-module): one
# file to read and parse instead of 31.
#region Private
foreach ($file in (Get-ExcertScriptFile 'Private')) {
    try { . $file } catch {
        throw "ExchangeCertificate: loading Private/$([IO.Path]::GetFileName($file)) failed: $($_.Exception.Message)"
    }
}
#endregion Private

& {
    #region ModuleVersion
    # The module's version is not set yet while the .psm1 runs; read it from the manifest
    # (a regex: Import-PowerShellDataFile would cost ~50 ms on every import). Kept as text:
    # a [version] conversion costs a fresh session milliseconds, and a file name needs none.
    # The installed module has this region replaced by the version (scripts/package-module):
    # reading and matching the manifest costs a fresh session ~15 ms.
    $manifest = [IO.File]::ReadAllText([IO.Path]::Combine($PSScriptRoot, 'ExchangeCertificate.psd1'))
    if ($manifest -notmatch "(?m)^\s*ModuleVersion\s*=\s*'([0-9.]+)'") {
        throw 'ExchangeCertificate.psd1 has no ModuleVersion; the module folder is damaged, reinstall it.'
    }
    $version = $Matches[1]
    #endregion ModuleVersion
    # Installed (scripts/package-module): the shim compiled for this .NET, in the module's bin/.
    # From the source tree, or for another .NET: compiled into the per-user cache.
    $shipped = [IO.Path]::Combine($PSScriptRoot, 'bin', "ExcertNative-$version-net$([Environment]::Version.Major).dll")
    $hasShipped = [IO.File]::Exists($shipped)
    $null = if ($hasShipped -and -not ('Excert.Library' -as [type])) {
        # The session's first import: the shipped shim loaded here rather than through
        # Import-ExcertShim, whose call costs a fresh session ~20 ms (docs/performance.md).
        [Reflection.Assembly]::LoadFrom($shipped)
    } elseif ($hasShipped) {
        # A re-import: the loaded shim reused, or refused when it came from other sources.
        Import-ExcertShim -ShippedPath $shipped
    } else {
        $sources = foreach ($name in $script:ExcertShimSources) { [IO.Path]::Combine($PSScriptRoot, $name) }
        Import-ExcertShim -SourcePath $sources -ModuleVersion $version
    }

    # Finding the library, loading it and the ABI check in one call (LibraryDiscovery.cs): each
    # .NET call made from script costs a fresh session a binding and a compiled call site.
    try {
        $script:ExcertLibrary = [Excert.Library]::OpenForModule($PSScriptRoot, $script:ExcertAbiVersion, $version)
    } catch {
        # Its messages name the problem and the fix; PowerShell wraps them ("Exception calling ...").
        $failure = $_.Exception
        throw $(if ($failure.InnerException) { $failure.InnerException.Message } else { $failure.Message })
    }
}

# One public function per file, named as the file. What is exported is the manifest's
# FunctionsToExport, the one list of them: an Export-ModuleMember here cost a fresh session ~25 ms
# (it makes a wildcard pattern of each name; docs/performance.md).
#region Public
foreach ($file in (Get-ExcertScriptFile 'Public')) {
    try { . $file } catch {
        throw "ExchangeCertificate: loading Public/$([IO.Path]::GetFileName($file)) failed: $($_.Exception.Message)"
    }
}
#endregion Public
