function Read-ExcertConfirmation {
    <#
    .SYNOPSIS
    Asks the user a yes/no question with the cmdlet's ShouldContinue; $false when the session
    cannot ask. A seam of its own so the decision around it can be unit-tested with Mock.

    .DESCRIPTION
    Test-ExcertCanPrompt is asked first: ShouldContinue throws in a non-interactive session,
    and even a caught exception lands in the caller's -ErrorVariable.
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [string] $Query,
        [Parameter(Mandatory)] [string] $Caption
    )

    if (-not (Test-ExcertCanPrompt)) { return $false }
    try {
        $Cmdlet.ShouldContinue($Query, $Caption)
    } catch [System.Management.Automation.PSInvalidOperationException], [System.Management.Automation.Host.HostException] {
        $false
    }
}
