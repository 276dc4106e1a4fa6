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

    if ($BoundParameters.ContainsKey('DomainController')) {
        Write-Verbose "-DomainController $($BoundParameters['DomainController']) is ignored: excert keeps the organization's data in its store, not in Active Directory."
    }
}
