#Requires -Version 7.4
<#
.SYNOPSIS
The daily expiry check of excert-expiry.service: every certificate of every server of the store
that expires within the warning window (30 days by default) is written as a warning.

.DESCRIPTION
Output lines carry sd-daemon priority prefixes, so the journal records "<4>" lines as warnings
and "<3>" lines as errors; run by hand, they read as plain lines. Settings come from the
environment (systemd reads /etc/default/excert):
  EXCERT_STORE           the store (the service's default: /var/lib/excert)
  EXCERT_EXPIRY_DAYS     the warning window in days (default 30)
  EXCERT_EXPIRY_COMMAND  optional: run by /bin/sh -c once per expiring certificate, with
                         EXCERT_SERVER, EXCERT_THUMBPRINT, EXCERT_SUBJECT, EXCERT_NOT_AFTER
                         and EXCERT_DAYS_LEFT set
  EXCERT_MODULE          the module to import (a path, or the name ExchangeCertificate)
Exit status: 0 when the store was checked (whatever it found), 1 when the store could not be
listed or the command failed, 2 when the module could not be loaded.
#>
[CmdletBinding()]
param(
    [string] $Module = $(if ($env:EXCERT_MODULE) { $env:EXCERT_MODULE } else { 'ExchangeCertificate' }),
    [string] $Days = $(if ($env:EXCERT_EXPIRY_DAYS) { $env:EXCERT_EXPIRY_DAYS } else { '30' }),
    [string] $Command = $env:EXCERT_EXPIRY_COMMAND
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

# Store contents are written by others: no control character reaches the journal unescaped.
function Format-ExcertText([object] $Value) {
    [regex]::Replace([string]$Value, '\p{C}', { param($m) '\u{0:x4}' -f [int][char]$m.Value })
}

$window = 0
if (-not [int]::TryParse($Days, [ref]$window) -or $window -lt 0 -or $window -gt 3650) {
    "<3>excert-expiry: EXCERT_EXPIRY_DAYS is '$(Format-ExcertText $Days)'; set it to a number of days from 0 to 3650 (in /etc/default/excert)."
    exit 1
}
try {
    Import-Module $Module -ErrorAction Stop
} catch {
    "<3>excert-expiry: the ExchangeCertificate module could not be loaded from '$(Format-ExcertText $Module)': $(Format-ExcertText $_.Exception.Message)"
    exit 2
}

$store = if ($env:EXCERT_STORE) { $env:EXCERT_STORE } else { 'the per-user store' }
$listWarnings = $null
try {
    $expiring = @(Get-ExchangeCertificate -Server * -ExpiringWithinDays $window -WarningVariable listWarnings -WarningAction SilentlyContinue |
            Where-Object Status -ne 'PendingRequest' | Sort-Object NotAfter)
} catch {
    "<3>excert-expiry: the store $(Format-ExcertText $store) could not be listed: $(Format-ExcertText $_.Exception.Message)"
    exit 1
}
# The listing's own warnings (key permissions ...), except its expiry notes: those come below.
$thumbprints = @($expiring | ForEach-Object { [string]$_.Thumbprint })
foreach ($warning in @($listWarnings)) {
    $text = [string]$warning
    if ($thumbprints | Where-Object { $text.Contains($_) }) { continue }
    "<4>excert-expiry: $(Format-ExcertText $text)"
}

$failed = $false
$now = [DateTime]::UtcNow
foreach ($cert in $expiring) {
    $notAfter = $cert.NotAfter.ToUniversalTime()
    $left = [int][Math]::Floor(($notAfter - $now).TotalDays)
    $when = if ($notAfter -le $now) { "expired on $($notAfter.ToString('u')) ($(-$left) days ago)" } else { "expires on $($notAfter.ToString('u')) (in $left days)" }
    $services = if ($cert.Services) { [string]$cert.Services } else { 'None' }
    "<4>excert-expiry: certificate $($cert.Thumbprint) on server $(Format-ExcertText $cert.Server) ($(Format-ExcertText $cert.Subject)) $when; services: $services"
    if ($Command) {
        $env:EXCERT_SERVER = [string]$cert.Server
        $env:EXCERT_THUMBPRINT = [string]$cert.Thumbprint
        $env:EXCERT_SUBJECT = [string]$cert.Subject
        $env:EXCERT_NOT_AFTER = $notAfter.ToString('yyyy-MM-ddTHH:mm:ssZ')
        $env:EXCERT_DAYS_LEFT = [string]$left
        & /bin/sh -c $Command
        if ($LASTEXITCODE -ne 0) {
            "<3>excert-expiry: EXCERT_EXPIRY_COMMAND exited with $LASTEXITCODE for certificate $($cert.Thumbprint) on server $(Format-ExcertText $cert.Server)"
            $failed = $true
        }
    }
}
"<6>excert-expiry: $($expiring.Count) certificate(s) in $(Format-ExcertText $store) expire within $window days"
if ($failed) { exit 1 }
exit 0
