function Remove-AcceptedDomain {
    <#
    .SYNOPSIS
    Removes an accepted domain from the organization, as Exchange Server's Remove-AcceptedDomain
    does.

    .DESCRIPTION
    Asks first (ConfirmImpact High); -Confirm:$false removes without asking. Certificates that
    already carry the domain keep it. When the default domain is removed, the next one added
    earliest becomes the default.

    .PARAMETER Identity
    The accepted domain's Name or DomainName (position 0, from the pipeline by property name:
    Get-AcceptedDomain output pipes in).

    .PARAMETER DomainController
    Accepted so Exchange scripts run unchanged; there is no Active Directory here (a verbose
    line says so).

    .EXAMPLE
    Remove-AcceptedDomain -Identity Contoso

    Removes the accepted domain Contoso (Exchange's example).

    .EXAMPLE
    Get-AcceptedDomain | Where-Object DomainType -eq ExternalRelay | Remove-AcceptedDomain -Confirm:$false

    Removes every external relay domain without asking.

    .LINK
    New-AcceptedDomain
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    [OutputType([void])]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [ValidateNotNullOrEmpty()]
        [string] $Identity,

        [string] $DomainController
    )

    # The work is C# (RemoveAcceptedDomainCommand.cs): a script body's every distinct call costs a
    # fresh session a compiled call site.
    process {
        [Excert.RemoveAcceptedDomainCommand]::Process($PSCmdlet, $PSBoundParameters, $script:ExcertLibrary, $Identity)
    }
}
