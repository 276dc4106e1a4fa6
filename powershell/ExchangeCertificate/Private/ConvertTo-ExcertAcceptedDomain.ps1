function ConvertTo-ExcertAcceptedDomain {
    <#
    .SYNOPSIS
    An accepted domain of the core's answer as the object Exchange's *-AcceptedDomain cmdlets
    return: type name AcceptedDomain, shown as Name, DomainName, DomainType, Default.
    #>
    [CmdletBinding()]
    [OutputType('AcceptedDomain')]
    param(
        [Parameter(Mandatory)] [psobject] $InputObject
    )

    $domain = [pscustomobject]@{
        Identity   = [string]$InputObject.Name
        Name       = [string]$InputObject.Name
        DomainName = [string]$InputObject.DomainName
        DomainType = [string]$InputObject.DomainType
        Default    = [bool]$InputObject.Default
    }
    $domain.PSObject.TypeNames.Insert(0, 'AcceptedDomain')
    # Exchange's table: Name, DomainName, DomainType, Default (Identity stays for Format-List *).
    $shown = [System.Management.Automation.PSPropertySet]::new('DefaultDisplayPropertySet', [string[]]('Name', 'DomainName', 'DomainType', 'Default'))
    $domain.PSObject.Members.Add([System.Management.Automation.PSMemberSet]::new('PSStandardMembers', [System.Management.Automation.PSMemberInfo[]]@($shown)))
    $domain
}
