function Enable-ExchangeCertificate {
    <#
    .SYNOPSIS
    Assigns services to a certificate, as Exchange Server's Enable-ExchangeCertificate does.

    .DESCRIPTION
    Services are added to those the certificate already has. IIS, IMAP, POP, UM and
    UMCallRouter have one certificate per server: enabling another certificate for one of them
    moves the service to it. SMTP may be held by several certificates; when another one is the
    server's default SMTP certificate you are asked, as in Exchange: Yes makes this one the
    default, No keeps the default and still enables SMTP (and the other services) here. -Force
    or -Confirm:$false answer Yes without asking; a session that cannot ask gets a
    ConfirmationRequired error naming -Force. Pending requests,
    certificates without a private key and expired certificates are refused, as is Federation,
    which Exchange manages with its federation trust; a wildcard certificate for IMAP or POP
    gets a warning.

    Beyond Exchange, the store keeps per-service "live files" (cert.pem, chain.pem,
    fullchain.pem, privkey.pem, combined.pem) of the assigned certificate for nginx, Postfix and
    Dovecot, replaced atomically, and runs the server's reload command for each changed service.
    The updated certificate is returned, with the paths in LiveFiles (Exchange returns nothing).

    .PARAMETER Thumbprint
    The certificate's thumbprint, any case, spaces allowed. From the pipeline by value or by
    property name.

    .PARAMETER Identity
    'Server\Thumbprint', as in the Identity property of Get-ExchangeCertificate's output.

    .PARAMETER Server
    The server whose store holds the certificate. Default this host's name.

    .PARAMETER Services
    The services to add: IMAP, POP, UM, IIS, SMTP, UMCallRouter (Federation is refused), or None.

    .PARAMETER Force
    Replace the server's default SMTP certificate without asking, and without a warning.

    .PARAMETER DoNotRequireSsl
    Accepted for Exchange scripts; it concerns IIS and changes nothing here (a warning says so).

    .PARAMETER NetworkServiceAllowed
    Accepted for Exchange scripts; it concerns a Windows account and changes nothing here.

    .PARAMETER DomainController
    Accepted so Exchange scripts run unchanged; there is no Active Directory here (a verbose
    line says so).

    .EXAMPLE
    Enable-ExchangeCertificate -Thumbprint 5E6A5A7A5A5B7FDBC8A9AA51B5F5AB41B8B7D1A1 -Services IIS,IMAP,POP

    Moves IIS, IMAP and POP to this certificate.

    .EXAMPLE
    Get-ExchangeCertificate -DomainName mail.contoso.com | Enable-ExchangeCertificate -Services SMTP -Force

    Makes it the default SMTP certificate without asking.

    .OUTPUTS
    Excert.ExchangeCertificate (an X509Certificate2 with Exchange's properties)

    .LINK
    Remove-ExchangeCertificate
    #>
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'Thumbprint')]
    [OutputType('Excert.ExchangeCertificate')]
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

        # Not from the pipeline: a listed certificate's own Services must not bind here.
        [Parameter(Mandatory)]
        [Excert.AllowedServices] $Services,

        [switch] $Force,

        [switch] $DoNotRequireSsl,

        [switch] $NetworkServiceAllowed,

        [string] $DomainController
    )

    # The work is C# (EnableCommand.cs): a script body's every distinct call costs a fresh session
    # a compiled call site, most of a first Enable's time. The pipeline's values go as the
    # variables hold them: $PSBoundParameters keeps a Server an earlier pipeline input bound.
    process {
        [Excert.EnableCommand]::Process($PSCmdlet, $PSBoundParameters, $script:ExcertLibrary, $Thumbprint, $Server)
    }
}
