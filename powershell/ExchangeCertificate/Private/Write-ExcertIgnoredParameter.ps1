function Write-ExcertIgnoredParameter {
    <#
    .SYNOPSIS
    A verbose line for an Exchange parameter that is accepted, so scripts run unchanged, but has
    nothing to act on here (-DomainController: there is no Active Directory).
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param(
        [Parameter(Mandatory)] [System.Collections.IDictionary] $BoundParameters
    )

    [Excert.Parameters]::WriteIgnored($PSCmdlet, $BoundParameters)
}
