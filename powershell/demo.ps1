#!/usr/bin/env pwsh
<#
.SYNOPSIS
Demonstrates New- and Get-ExchangeCertificate from this checkout.

.DESCRIPTION
Imports the module from the source tree (the library from target/release or target/debug, or
$env:EXCERT_LIBRARY), creates the certificate of the issue in a throw-away store (or in -Store
when given, which is kept), lists the store with the default table view and shows every
property of the new certificate.

.PARAMETER Store
A store folder to use and keep. Default: a temporary folder, removed at the end.

.EXAMPLE
cargo build --release; pwsh powershell/demo.ps1
#>
[CmdletBinding()]
param(
    [string] $Store
)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'ExchangeCertificate/ExchangeCertificate.psd1') -Force

$temporary = -not $Store
if ($temporary) {
    $Store = Join-Path ([IO.Path]::GetTempPath()) ("excert-demo-" + [Guid]::NewGuid().ToString('N'))
}
$previous = $env:EXCERT_STORE
$env:EXCERT_STORE = $Store
try {
    Write-Host "Store: $Store" -ForegroundColor DarkGray

    Write-Host "`nPS> New-ExchangeCertificate -SubjectName 'C=US,O=Contoso,CN=mail.contoso.com' -DomainName mail.contoso.com,autodiscover.contoso.com -Services IIS,SMTP -PrivateKeyExportable `$true -Force" -ForegroundColor Cyan
    $cert = New-ExchangeCertificate -SubjectName 'C=US,O=Contoso,CN=mail.contoso.com' -DomainName mail.contoso.com, autodiscover.contoso.com -Services IIS, SMTP -PrivateKeyExportable $true -Force
    $cert | Out-Host

    Write-Host "PS> Get-ExchangeCertificate" -ForegroundColor Cyan
    Get-ExchangeCertificate | Out-Host

    Write-Host "PS> Get-ExchangeCertificate -Thumbprint $($cert.Thumbprint) | Format-List *" -ForegroundColor Cyan
    Get-ExchangeCertificate -Thumbprint $cert.Thumbprint | Format-List * | Out-Host
} finally {
    $env:EXCERT_STORE = $previous
    if ($temporary -and (Test-Path -LiteralPath $Store)) {
        Remove-Item -LiteralPath $Store -Recurse -Force
    }
}
