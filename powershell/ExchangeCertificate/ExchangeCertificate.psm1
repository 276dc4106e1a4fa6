# ExchangeCertificate: Exchange Server's certificate cmdlets on the excert native library.
# Import order: private helpers, the compiled shim, the native library (ABI check), then the
# public functions. Any failure stops the import with one message: no half-loaded module.

Set-StrictMode -Version 3.0

# The ABI this module speaks (excert_abi_version(), EXCERT_ABI_VERSION in include/excert.h).
$script:ExcertAbiVersion = 1

# The loaded [Excert.Library]; every native call goes through Invoke-ExcertNative, which uses it.
$script:ExcertLibrary = $null

# Dot-sourced here, at the module's script scope, so the functions land in the module.
foreach ($file in Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot 'Private') -Filter '*.ps1' -File -ErrorAction Stop) {
    try { . $file.FullName } catch {
        throw "ExchangeCertificate: loading Private/$($file.Name) failed: $($_.Exception.Message)"
    }
}

& {
    # The module's version is not set yet while the .psm1 runs; read it from the manifest
    # (a regex: Import-PowerShellDataFile would cost ~50 ms on every import).
    $manifest = [IO.File]::ReadAllText((Join-Path $PSScriptRoot 'ExchangeCertificate.psd1'))
    if ($manifest -notmatch "(?m)^\s*ModuleVersion\s*=\s*'([0-9.]+)'") {
        throw 'ExchangeCertificate.psd1 has no ModuleVersion; the module folder is damaged, reinstall it.'
    }
    $version = [version]$Matches[1]
    $null = Import-ExcertShim -SourcePath (Join-Path $PSScriptRoot 'Native.cs') -ModuleVersion $version

    $path = Find-ExcertLibrary -ModuleRoot $PSScriptRoot -FileName ([Excert.Library]::FileName)
    try {
        $library = [Excert.Library]::Load($path)
    } catch {
        $why = if ($_.Exception.InnerException) { $_.Exception.InnerException.Message } else { $_.Exception.Message }
        throw "The excert library '$path' could not be loaded: $why Check that it was built for $(Get-ExcertRuntimeId), or point EXCERT_LIBRARY at one that was."
    }
    try {
        $abi = $library.AbiVersion()
    } catch {
        $why = if ($_.Exception.InnerException) { $_.Exception.InnerException.Message } else { $_.Exception.Message }
        throw "'$path' is not a usable excert library: $why"
    }
    if ($abi -ne $script:ExcertAbiVersion) {
        throw "The excert library '$path' speaks ABI version $abi, but this module ($version) needs ABI version $($script:ExcertAbiVersion). Install the module and the library from the same release, or rebuild the library from this source tree ('cargo build --release')."
    }
    $script:ExcertLibrary = $library
    Write-Verbose "excert library $path (version $($library.Version()), ABI $abi)"
}

foreach ($file in Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot 'Public') -Filter '*.ps1' -File -ErrorAction Stop) {
    try { . $file.FullName } catch {
        throw "ExchangeCertificate: loading Public/$($file.Name) failed: $($_.Exception.Message)"
    }
}

Export-ModuleMember -Function (Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot 'Public') -Filter '*.ps1' -File).BaseName
