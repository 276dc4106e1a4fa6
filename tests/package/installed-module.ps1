# Run in a fresh pwsh by scripts/package-tests after the module was installed (PSResourceGet or
# the Debian package). Imports ExchangeCertificate BY NAME, creates, lists and removes a
# certificate, and proves where the native library came from: the process's own memory map
# (/proc/<pid>/maps) names the file the loader opened. Prints "ok ..." / "not ok ..." lines.
param(
    [Parameter(Mandatory)] [string] $ExpectedModuleBase,
    [Parameter(Mandatory)] [string] $SourceTree,
    [Parameter(Mandatory)] [string] $ExpectedVersion
)
$ErrorActionPreference = 'Stop'
function Check([string] $Name, [bool] $Ok, [string] $Detail = '') {
    if ($Ok) { "ok $Name" } else { "not ok $Name $Detail" }
}

Import-Module ExchangeCertificate
$module = Get-Module ExchangeCertificate
Check 'imported by name from the installed folder' ($module.ModuleBase -like "$ExpectedModuleBase*") "ModuleBase $($module.ModuleBase)"
Check 'module version is the release version' ($module.Version.ToString() -eq $ExpectedVersion) "version $($module.Version)"
$manifest = Test-ModuleManifest -Path (Join-Path $module.ModuleBase 'ExchangeCertificate.psd1')
Check 'installed manifest passes Test-ModuleManifest, with ReleaseNotes of this release' ($manifest.ReleaseNotes -match 'First release|\S{20,}' -and $manifest.ReleaseNotes -notmatch '^See CHANGELOG') "ReleaseNotes '$($manifest.ReleaseNotes)'"

$cert = New-ExchangeCertificate -SubjectName 'CN=packaged.contoso.com' -DomainName packaged.contoso.com -Services SMTP -Force
$exported = Export-ExchangeCertificate -Thumbprint $cert.Thumbprint -BinaryEncoded
$dotnet = [Security.Cryptography.X509Certificates.X509Certificate2]::new([byte[]]$exported.FileData)
Check 'New-ExchangeCertificate made a certificate .NET reads with the same thumbprint' ($dotnet.Thumbprint -eq $cert.Thumbprint) "$($dotnet.Thumbprint) vs $($cert.Thumbprint)"
$listed = @(Get-ExchangeCertificate | Where-Object Thumbprint -eq $cert.Thumbprint)
Check 'Get-ExchangeCertificate lists it' ($listed.Count -eq 1 -and $listed[0].Subject -eq 'CN=packaged.contoso.com')
# It holds SMTP (the server's default SMTP certificate): -Force lets it go.
Remove-ExchangeCertificate -Thumbprint $cert.Thumbprint -Force -Confirm:$false
Check 'Remove-ExchangeCertificate removed it' (@(Get-ExchangeCertificate | Where-Object Thumbprint -eq $cert.Thumbprint).Count -eq 0)

$maps = [IO.File]::ReadAllLines("/proc/$PID/maps") | Where-Object { $_ -match 'libexcert' } |
    ForEach-Object { ($_ -split '\s+', 6)[5] } | Sort-Object -Unique
$libs = @($maps | ForEach-Object { [IO.Path]::GetFullPath($_) })
Check 'one excert library is mapped' ($libs.Count -eq 1) ($libs -join ', ')
$rid = 'linux-' + [Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant()
$shipped = Get-Item (Join-Path $module.ModuleBase "bin/$rid/libexcert.so")
# realpath(1), as the kernel resolves it: .NET resolves a relative link against the path as
# spelled, which is wrong when the module folder is itself reached through a link.
$real = (& realpath -- $shipped.FullName | Select-Object -First 1)
Check 'the mapped library is the installed one (bin/<rid>/ of the module)' ($libs.Count -eq 1 -and $libs[0] -eq $real) "mapped $($libs -join ', ') expected $real"
$shim = [Excert.Library].Assembly.Location
$shippedShim = Join-Path $module.ModuleBase 'bin/ExchangeCertificate.dll'
Check 'the module is its shipped assembly (bin/ExchangeCertificate.dll), nothing compiled at import' ($module.ModuleType -eq 'Binary' -and $shim -eq $shippedShim) "$($module.ModuleType) module, loaded $shim expected $shippedShim"
Check 'nothing is loaded from the source tree' (-not (@($libs) + $shim | Where-Object { $_.StartsWith($SourceTree) })) (@($libs) + $shim -join ', ')
