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

    process {
        Write-ExcertIgnoredParameter -BoundParameters $PSBoundParameters
        $request = [ordered]@{}
        if ($Identity) { $request['Identity'] = $Identity }
        try {
            $answer = Invoke-ExcertNative -Function excert_accepted_domain_list -Request $request -TargetObject $Identity
        } catch {
            $PSCmdlet.WriteError($_)
            return
        }
        $domains = @($answer.AcceptedDomains)
        if ($ResultSize -ne 'Unlimited' -and $domains.Count -gt [int]$ResultSize) {
            Write-Warning "There are more results, use ResultSize Unlimited to return them all."
            $domains = $domains[0..([int]$ResultSize - 1)]
        }
        foreach ($domain in $domains) {
            if ($null -ne $domain) { ConvertTo-ExcertAcceptedDomain -InputObject $domain }
        }
    }
}
