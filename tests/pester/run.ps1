#!/usr/bin/env pwsh
<#
.SYNOPSIS
Runs the Pester suite of the ExchangeCertificate module against the real native library.

.DESCRIPTION
Runs every *.Tests.ps1 here (or the paths given) with detailed output, then prints one line
'Pester: N passed, N failed, N skipped' and exits non-zero when anything failed (a test, a
setup block or a whole file). The module finds the library as usual: $env:EXCERT_LIBRARY, else
the checkout's target/release or target/debug (run 'cargo build --release' first).

.EXAMPLE
pwsh tests/pester/run.ps1

.EXAMPLE
pwsh tests/pester/run.ps1 -Path tests/pester/Get.Tests.ps1
#>
[CmdletBinding()]
param(
    [string[]] $Path = @($PSScriptRoot)
)

Import-Module Pester -MinimumVersion 5.0 -ErrorAction Stop

# 'pwsh -File run.ps1 -Path a,b' passes one string: split it here.
$Path = @($Path | ForEach-Object { $_ -split ',' } | Where-Object { $_ })

$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Run.Exit = $false
$configuration.Output.Verbosity = 'Detailed'

$result = Invoke-Pester -Configuration $configuration
if ($null -eq $result) {
    'Pester: 0 passed, 0 failed, 0 skipped'
    Write-Error 'Pester produced no result (no test files, or Pester itself failed).'
    exit 1
}

"Pester: $($result.PassedCount) passed, $($result.FailedCount) failed, $($result.SkippedCount) skipped"
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
if ($failed -gt 0 -or $result.Result -ne 'Passed') { exit 1 }
exit 0
