function New-AcceptedDomain {
    <#
    .SYNOPSIS
    Adds an accepted domain to the organization, as Exchange Server's New-AcceptedDomain does.

    .DESCRIPTION
    An accepted domain is an SMTP namespace the organization sends and receives mail for. Here
    the list serves New-ExchangeCertificate's -IncludeAcceptedDomains and -IncludeAutoDiscover,
    which add each domain (and autodiscover.<domain>) to a certificate's names. The list is
    kept once for the whole organization, in the store (every server sees it). The first
    domain added is the default one.

    .PARAMETER Name
    A unique name for the accepted domain (position 0), for example Contoso.

    .PARAMETER DomainName
    The SMTP domain, for example contoso.com; *.contoso.com for all its subdomains.

    .PARAMETER DomainType
    Authoritative (default), InternalRelay or ExternalRelay.

    .PARAMETER DomainController
    Accepted so Exchange scripts run unchanged; there is no Active Directory here (a verbose
    line says so).

    .EXAMPLE
    New-AcceptedDomain -DomainName Contoso.com -DomainType Authoritative -Name Contoso

    Creates the authoritative accepted domain Contoso (Exchange's example).

    .EXAMPLE
    New-AcceptedDomain -Name Fabrikam -DomainName fabrikam.com; New-ExchangeCertificate -IncludeAcceptedDomains -IncludeAutoDiscover -Services IIS,SMTP -Force

    Adds fabrikam.com, then makes a certificate for every accepted domain and its autodiscover name.

    .OUTPUTS
    AcceptedDomain

    .LINK
    Get-AcceptedDomain
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType('AcceptedDomain')]
    param(
        [Parameter(Mandatory, Position = 0)]
        [ValidateNotNullOrEmpty()]
        [string] $Name,

        [Parameter(Mandatory)]
        [ValidateNotNullOrEmpty()]
        [string] $DomainName,

        [ValidateSet('Authoritative', 'InternalRelay', 'ExternalRelay')]
        [string] $DomainType = 'Authoritative',

        [string] $DomainController
    )

    # The work is C# (NewAcceptedDomainCommand.cs): a script body's every distinct call costs a
    # fresh session a compiled call site. $DomainType goes as the variable holds it, its default
    # included.
    [Excert.NewAcceptedDomainCommand]::End($PSCmdlet, $PSBoundParameters, $script:ExcertLibrary, $Name, $DomainName, $DomainType)
}
