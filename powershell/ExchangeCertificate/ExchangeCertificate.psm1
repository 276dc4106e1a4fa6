# ExchangeCertificate from the source tree: compiles the module's C# (the cmdlets, Cmdlets/*.cs,
# and the shim they call) into the per-user cache, opens the native library (ABI check) and
# imports the cmdlets from that assembly. An installed module is the assembly alone
# (bin/ExchangeCertificate.dll, scripts/package-module), without this file. Any failure stops
# the import with one message: no half-loaded module. The import path calls .NET rather than
# cmdlets (Get-ChildItem, Join-Path ...): the first use of a cmdlet in a fresh session costs ~200 ms.

Set-StrictMode -Version 3.0

# Unix modes of the shim cache: the folder 0700, files 0600 (under umask 000 the cache was once
# world-writable, and any local user could plant an assembly that the next import would run).
$script:ExcertOwnerOnlyFolder = [IO.UnixFileMode]'UserRead, UserWrite, UserExecute'
$script:ExcertWritableByOthers = [IO.UnixFileMode]'GroupWrite, OtherWrite'

# The module's C# files: every .cs here and in Cmdlets/, as powershell/ExchangeCertificate.csproj
# builds the installed module, in ordinal order (part of the cache key), compiled together into one
# cached assembly (Import-ExcertShim).
$script:ExcertShimSources = [IO.Directory]::GetFiles($PSScriptRoot, '*.cs') + [IO.Directory]::GetFiles([IO.Path]::Combine($PSScriptRoot, 'Cmdlets'), '*.cs')
[Array]::Sort($script:ExcertShimSources, [StringComparer]::Ordinal)

# Add-Type compiles as Debug by default (DisableOptimizations: every method JIT-compiled without
# optimization, for the life of the session); the shim does the per-certificate work of a listing.
# -unsafe: native calls go through C# function pointers (Native.cs), with no marshalling stub.
$script:ExcertShimCompilerOptions = '-optimize+', '-unsafe'

foreach ($file in [IO.Directory]::GetFiles([IO.Path]::Combine($PSScriptRoot, 'Private'), '*.ps1')) {
    try { . $file } catch {
        throw "ExchangeCertificate: loading Private/$([IO.Path]::GetFileName($file)) failed: $($_.Exception.Message)"
    }
}

$script:ExcertAssembly = & {
    # The module's version is not set yet while the .psm1 runs; read it from the manifest
    # (a regex: Import-PowerShellDataFile would cost ~50 ms on every import).
    $manifest = [IO.File]::ReadAllText([IO.Path]::Combine($PSScriptRoot, 'ExchangeCertificate.psd1'))
    if ($manifest -notmatch "(?m)^\s*ModuleVersion\s*=\s*'([0-9.]+)'") {
        throw 'ExchangeCertificate.psd1 has no ModuleVersion; the module folder is damaged, reinstall it.'
    }
    $version = $Matches[1]
    $reimport = [bool]('Excert.Cmdlets.ModuleImport' -as [type])
    $loaded = Import-ExcertShim -SourcePath $script:ExcertShimSources -ModuleVersion $version
    if ($reimport) {
        # A re-import (-Force, or after Remove-Module): the assembly's module of the last import
        # is still in the session's module table, and importing the assembly again would reuse it
        # without giving its cmdlets to this module.
        Get-Module -All | Where-Object { $_.ModuleType -eq 'Binary' -and $_.ImplementingAssembly -eq $loaded } | Remove-Module -Force
    }

    # Finding the library, loading it and the ABI check in one call (LibraryDiscovery.cs). The
    # import of the assembly below finds it open and leaves it.
    try {
        $null = [Excert.Cmdlets.ModuleImport]::Open($PSScriptRoot, $version)
    } catch {
        # Its messages name the problem and the fix; PowerShell wraps them ("Exception calling ...").
        $failure = $_.Exception
        throw $(if ($failure.InnerException) { $failure.InnerException.Message } else { $failure.Message })
    }
    $loaded
}

# The cmdlets, exported as the manifest's CmdletsToExport lists them.
Import-Module -Assembly $script:ExcertAssembly
