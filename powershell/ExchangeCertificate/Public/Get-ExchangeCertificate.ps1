function Get-ExchangeCertificate {
    <#
    .SYNOPSIS
    Lists the certificates and pending requests of a server, as Exchange Server's
    Get-ExchangeCertificate does.

    .DESCRIPTION
    Without -Thumbprint or -Identity, lists every certificate and pending request of the server
    (newest NotBefore first); -DomainName keeps those whose subject or subject alternative names
    match one of the names (wildcards * and ? honoured, case-insensitive). With a thumbprint,
    returns that certificate, or a non-terminating NotFound error.

    A certificate within 30 days of its NotAfter date (-ExpiryWarningDays) comes with a warning
    naming its server, thumbprint, subject and the days left, as Exchange's admin center warns;
    -ExpiringWithinDays keeps only the certificates that expire that soon (or have expired).

    .PARAMETER Thumbprint
    The certificate's thumbprint (SHA-1 of its DER encoding), in any case, spaces allowed.
    Accepted from the pipeline, by value and by property name.

    .PARAMETER Identity
    'Server\Thumbprint', as in the Identity property of the output.

    .PARAMETER Server
    The server whose store is read; '*' lists every server. Default this host's name.

    .PARAMETER Instance
    A certificate to look up by its thumbprint: an X509Certificate2, an ExchangeCertificate, or
    anything with a Thumbprint property.

    .PARAMETER DomainController
    Accepted so Exchange scripts run unchanged; there is no Active Directory here (a verbose
    line says so).

    .PARAMETER DomainName
    Names to match against the subject and the subject alternative names; wildcards allowed.

    .PARAMETER ExpiringWithinDays
    Only certificates whose NotAfter is less than this many days away, or past (beyond
    Exchange). Pending requests have no expiry and are left out.

    .PARAMETER ExpiryWarningDays
    Warn about, and set ExpiryWarning on, certificates that expire within this many days.
    Default 30, as Exchange's admin center.

    .EXAMPLE
    Get-ExchangeCertificate

    Thumbprint                                Services Subject
    ----------                                -------- -------
    5E6A5A7A5A5B7FDBC8A9AA51B5F5AB41B8B7D1A1  ...WS..  CN=mail.contoso.com, O=Contoso, C=US

    .EXAMPLE
    Get-ExchangeCertificate -Thumbprint 5E6A5A7A5A5B7FDBC8A9AA51B5F5AB41B8B7D1A1 | Format-List *

    Every property of one certificate.

    .EXAMPLE
    Get-ExchangeCertificate -DomainName *.contoso.com -Server '*'

    The certificates for contoso.com names, on every server in the store.

    .EXAMPLE
    Get-ExchangeCertificate -Server * -ExpiringWithinDays 60

    Every certificate of the organization store that expires within 60 days, with a warning
    for each one that expires within 30.

    .PARAMETER RefreshRevocation
    Beyond Exchange: fetch the CRLs and OCSP answers again even when the cached ones (shared by
    the organization in the store) are still current, for example right after a CA revoked a
    certificate. Revocation is checked for certificates issued by a CA: Status is Revoked
    (with RevocationReason, RevocationDate and RevocationSource) or RevocationCheckFailure (with
    a warning naming the URL and the cause).

    .PARAMETER OfflineRevocation
    Beyond Exchange: fetch nothing; use cached revocation answers only. A certificate without a
    current cached answer shows RevocationCheckFailure, at once.

    .OUTPUTS
    Excert.ExchangeCertificate (an X509Certificate2 with Exchange's properties); pending requests
    as Excert.ExchangeCertificateRequest

    .EXAMPLE
    Get-ExchangeCertificate -RefreshRevocation | Where-Object Status -eq Revoked | Format-List Thumbprint, Subject, RevocationReason, RevocationDate, RevocationSource

    Fetches revocation answers again and shows the revoked certificates with why and since when.

    .LINK
    New-ExchangeCertificate
    #>
    [CmdletBinding(DefaultParameterSetName = 'Thumbprint')]
    [OutputType('Excert.ExchangeCertificate', 'Excert.ExchangeCertificateRequest')]
    param(
        [Parameter(ParameterSetName = 'Thumbprint', Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [ValidateNotNullOrEmpty()]
        [string] $Thumbprint,

        [Parameter(ParameterSetName = 'Identity', Mandatory)]
        [ValidateNotNullOrEmpty()]
        [string] $Identity,

        # Exchange's type is X509Certificate2; anything with a Thumbprint is taken.
        [Parameter(ParameterSetName = 'Instance', Mandatory)]
        [ValidateNotNull()]
        [psobject] $Instance,

        # By property name too, so a listing of several servers pipes back to the right one.
        [Parameter(ParameterSetName = 'Thumbprint', ValueFromPipelineByPropertyName)]
        [Parameter(ParameterSetName = 'Instance')]
        [ValidateNotNullOrEmpty()]
        [string] $Server,

        [ValidateNotNullOrEmpty()]
        [string[]] $DomainName,

        [ValidateRange(0, [int]::MaxValue)]
        [int] $ExpiringWithinDays,

        [ValidateRange(0, [int]::MaxValue)]
        [int] $ExpiryWarningDays,

        [string] $DomainController,

        [switch] $RefreshRevocation,

        [switch] $OfflineRevocation
    )

    # The work is C# (GetCommand.cs): a script body's every distinct call costs a fresh session
    # a compiled call site, most of a first Get's time. The pipeline's values go as the variables
    # hold them: $PSBoundParameters keeps a Server an earlier pipeline input bound.
    process {
        [Excert.GetCommand]::Process($PSCmdlet, $PSBoundParameters, $script:ExcertLibrary, $Thumbprint, $Server)
    }
}
