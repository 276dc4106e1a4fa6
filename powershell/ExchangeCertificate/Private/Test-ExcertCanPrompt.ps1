function Test-ExcertCanPrompt {
    <#
    .SYNOPSIS
    False when the session cannot ask the user (pwsh -NonInteractive, or a host without a UI).

    .DESCRIPTION
    Asked before ShouldContinue: calling it in a non-interactive session throws, and a caught
    exception still lands in the caller's -ErrorVariable next to the real error.
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param()

    if (-not [Environment]::UserInteractive) { return $false }
    if ($null -eq $Host.UI -or $null -eq $Host.UI.RawUI) { return $false }
    # pwsh takes any unambiguous prefix of -NonInteractive ('-noni', '-NonInteractive' ...).
    foreach ($argument in [Environment]::GetCommandLineArgs()) {
        if ($argument -match '^[-/]noni' -and 'noninteractive'.StartsWith($argument.Substring(1), [StringComparison]::OrdinalIgnoreCase)) {
            return $false
        }
    }
    $true
}
