function Remove-ExchangeCertificate {
    <#
    .SYNOPSIS
    Deletes a certificate or pending request and its private key, as Exchange Server's
    Remove-ExchangeCertificate does.

    .DESCRIPTION
    Asks first (ConfirmImpact High; -Confirm:$false skips the question). A certificate in use —
    the server's default SMTP certificate, or the only holder of an assigned service — is
    refused with InUse unless -Force, which leaves those services without a certificate (a
    warning names them). Key files are overwritten before they are deleted. Every certificate
    piped in is removed.

    .PARAMETER Thumbprint
    The certificate's thumbprint, any case, spaces allowed. From the pipeline by value or by
    property name.

    .PARAMETER Identity
    'Server\Thumbprint', as in the Identity property of Get-ExchangeCertificate's output.

    .PARAMETER Server
    The server whose store holds the certificate. Default this host's name.

    .PARAMETER Force
    Remove a certificate in use too. It does not skip the confirmation: use -Confirm:$false.

    .PARAMETER DomainController
    Accepted so Exchange scripts run unchanged; there is no Active Directory here (a verbose
    line says so).

    .EXAMPLE
    Get-ExchangeCertificate -DomainName old.contoso.com | Remove-ExchangeCertificate -Confirm:$false

    Removes every certificate for old.contoso.com without asking.

    .EXAMPLE
    Remove-ExchangeCertificate -Identity EX01\5E6A5A7A5A5B7FDBC8A9AA51B5F5AB41B8B7D1A1 -Force

    Removes the certificate from EX01 even if a service uses it, after asking.

    .LINK
    Enable-ExchangeCertificate
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High', DefaultParameterSetName = 'Thumbprint')]
    [OutputType([void])]
    param(
        [Parameter(ParameterSetName = 'Thumbprint', Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [ValidateNotNullOrEmpty()]
        [string] $Thumbprint,

        [Parameter(ParameterSetName = 'Identity', Mandatory)]
        [ValidateNotNullOrEmpty()]
        [string] $Identity,

        [Parameter(ParameterSetName = 'Thumbprint', ValueFromPipelineByPropertyName)]
        [ValidateNotNullOrEmpty()]
        [string] $Server,

        [switch] $Force,

        [string] $DomainController
    )

    # The work is C# (RemoveCommand.cs): a script body's every distinct call costs a fresh session
    # a compiled call site. The values go as the variables hold them: $PSBoundParameters keeps a
    # Server an earlier pipeline input bound when this one has none.
    process {
        [Excert.RemoveCommand]::Process($PSCmdlet, $PSBoundParameters, $script:ExcertLibrary, $Thumbprint, $Identity, $Server, $Force)
    }
}
