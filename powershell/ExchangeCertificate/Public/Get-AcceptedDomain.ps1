function Get-AcceptedDomain {
    <#
    .SYNOPSIS
    Lists the organization's accepted domains, as Exchange Server's Get-AcceptedDomain does.

    .DESCRIPTION
    Without -Identity, every accepted domain of the store (the first one added is the default).
    With -Identity, the one whose Name or DomainName it is (any case), or a NotFound error.

    .PARAMETER Identity
    The accepted domain's Name or DomainName (position 0).

    .PARAMETER ResultSize
    At most this many domains; 'Unlimited' (default) for all.

    .PARAMETER DomainController
    Accepted so Exchange scripts run unchanged; there is no Active Directory here (a verbose
    line says so).

    .EXAMPLE
    Get-AcceptedDomain

    Lists all the accepted domains of the organization (Exchange's example 1).

    .EXAMPLE
    Get-AcceptedDomain | Where{$_.DomainType -eq 'Authoritative'}

    Lists the authoritative accepted domains (Exchange's example 2).

    .OUTPUTS
    AcceptedDomain

    .LINK
    New-AcceptedDomain
    #>
    [CmdletBinding()]
    [OutputType('AcceptedDomain')]
    param(
        [Parameter(Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [ValidateNotNullOrEmpty()]
        [string] $Identity,

        [ValidatePattern('^(Unlimited|[0-9]+)$')]
        [string] $ResultSize = 'Unlimited',

        [string] $DomainController
    )

    # The work is C# (GetAcceptedDomainCommand.cs): a script body's every distinct call costs a
    # fresh session a compiled call site. The values go as the variables hold them:
    # $PSBoundParameters keeps an Identity an earlier pipeline input bound, and has no defaults.
    process {
        [Excert.GetAcceptedDomainCommand]::Process($PSCmdlet, $PSBoundParameters, $script:ExcertLibrary, $Identity, $ResultSize)
    }
}
