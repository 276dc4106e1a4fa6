function Invoke-ExcertConfirmable {
    <#
    .SYNOPSIS
    Calls an operation that may answer ConfirmationRequired (the default SMTP certificate would
    change), asks the user with ShouldContinue, and calls again with Force when they agree.

    .DESCRIPTION
    Returns the answer or an ErrorRecord, as Invoke-ExcertNative. A session that cannot ask
    (pwsh -NonInteractive, a host without UI) gets the native error, which names -Force.
    With -Force the first call already carries Force and nothing is asked.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [string] $Function,
        [Parameter(Mandatory)] [System.Collections.IDictionary] $Request,
        [AllowNull()] [object] $TargetObject
    )

    $answer = Invoke-ExcertNative -Function $Function -Request $Request -TargetObject $TargetObject
    if ($answer -isnot [System.Management.Automation.ErrorRecord] -or
        $answer.Exception.Name -ne 'ConfirmationRequired' -or $Request['Force']) {
        return $answer
    }
    $confirmed = $false
    if (Test-ExcertCanPrompt) {
        try {
            $confirmed = $Cmdlet.ShouldContinue($answer.Exception.Message, 'Replace the default SMTP certificate?')
        } catch [System.Management.Automation.PSInvalidOperationException], [System.Management.Automation.Host.HostException] {
            $confirmed = $false
        }
    }
    if (-not $confirmed) { return $answer }
    $Request['Force'] = $true
    Invoke-ExcertNative -Function $Function -Request $Request -TargetObject $TargetObject
}
