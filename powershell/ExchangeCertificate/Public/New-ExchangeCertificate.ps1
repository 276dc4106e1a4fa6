function New-ExchangeCertificate {
    <#
    .SYNOPSIS
    Creates a self-signed certificate or a certificate request for a CA, or renews a certificate,
    as Exchange Server's New-ExchangeCertificate does.

    .DESCRIPTION
    Creates a key pair and a self-signed certificate in the excert store of a server and returns
    it. Defaults follow Exchange: subject CN=<server name>, friendly name 'Microsoft Exchange',
    RSA 2048 bits, valid for 60 months, SHA-256, services IMAP, POP and SMTP, private key not
    exportable. The subject's common name is always in the subject alternative names; with no
    -DomainName and no include switch the names are the server's name and FQDN.

    With -GenerateRequest it makes a PKCS#10 request for a CA instead and keeps it, with its
    key, as a pending entry (Status PendingRequest) until Import-ExchangeCertificate completes
    it with the certificate the CA returns. The request is returned as Base64 text framed by
    -----BEGIN NEW CERTIFICATE REQUEST-----, or with -BinaryEncoded as an object whose FileData
    holds the DER bytes; -RequestFile also writes it to a file.

    Renewal: pipe a certificate in (Get-ExchangeCertificate -Thumbprint T | New-ExchangeCertificate)
    for a new self-signed certificate, or add -GenerateRequest for a renewal request, with the
    same subject, domain names, friendly name, key algorithm and size, exportability and
    services, and always a new key.

    Making a certificate for SMTP when the server already has a default SMTP certificate asks
    first, as Exchange does: Yes makes the new certificate the default; No keeps the current
    default and still creates the certificate, with SMTP among its services. -Force (or
    -Confirm:$false) replaces the default without asking or warning. A session that cannot ask
    gets a ConfirmationRequired error naming -Force.

    The federation certificate of Exchange's procedure is made with -DomainName Federation
    -Services Federation -SubjectKeyIdentifier $ski -PrivateKeyExportable $true.

    Beyond Exchange, -KeyAlgorithm ECDSA_P256 or ECDSA_P384 makes an elliptic-curve key.

    The store is $env:EXCERT_STORE when set, else the per-user data folder.

    .PARAMETER SubjectName
    The X.500 subject, for example 'C=US,O=Contoso,CN=mail.contoso.com'. Default CN=<server>.

    .PARAMETER DomainName
    Names to add as subject alternative names (DNS). Duplicates are removed; IDN names are stored
    as punycode; a wildcard is allowed only as the leftmost label.

    .PARAMETER FriendlyName
    At most 63 characters. Default 'Microsoft Exchange'.

    .PARAMETER KeySize
    RSA key size in bits: 1024, 2048 (default), 3072 or 4096.

    .PARAMETER KeyAlgorithm
    RSA (default), ECDSA_P256 or ECDSA_P384.

    .PARAMETER PrivateKeyExportable
    $true to allow Export-ExchangeCertificate to export the private key. Default $false.

    .PARAMETER Services
    The services to assign: a combination of IMAP, POP, UM, IIS, SMTP, Federation,
    UMCallRouter, or None. Default IMAP, POP, SMTP.

    .PARAMETER Server
    The server whose store receives the certificate: its name or FQDN, any case. Default this
    host's name; for a renewal, the server of the certificate piped in.

    .PARAMETER Force
    Replace the server's default SMTP certificate without asking, and without a warning.

    .PARAMETER GenerateRequest
    Make a certificate request (PKCS#10) for a CA instead of a self-signed certificate.

    .PARAMETER BinaryEncoded
    With -GenerateRequest: return an object whose FileData holds the DER request instead of
    the Base64 text (and write DER to -RequestFile).

    .PARAMETER RequestFile
    With -GenerateRequest: also write the request to this file (Base64 text, or DER with
    -BinaryEncoded), replacing a file there. A path that cannot be written (a missing folder, a
    symbolic link, which is never followed) is refused before the request is made. Exchange
    removed this parameter in 2022; it is kept here.

    .PARAMETER Instance
    The certificate to renew, usually from the pipeline (Get-ExchangeCertificate output, also
    over remoting, an X509Certificate2, anything with a Thumbprint property, or a thumbprint
    string). The other parameters given (-Services, -KeySize, -FriendlyName ...) change the
    renewed certificate; the rest is copied.

    .PARAMETER IncludeAcceptedDomains
    Add every accepted domain of the organization (New-AcceptedDomain, Get-AcceptedDomain) to
    the subject alternative names. Without -Services, the certificate is assigned to SMTP only.

    .PARAMETER IncludeAutoDiscover
    Add autodiscover.<domain> for every accepted domain of the organization. Without -Services,
    the certificate is assigned to SMTP only.

    .PARAMETER DomainController
    Accepted so Exchange scripts run unchanged; there is no Active Directory here (a verbose
    line says so).

    .PARAMETER IncludeServerFQDN
    Add the server's fully qualified domain name to the subject alternative names.

    .PARAMETER IncludeServerNetBIOSName
    Add the server's NetBIOS (short) name to the subject alternative names.

    .PARAMETER SubjectKeyIdentifier
    The subject key identifier as hex, instead of the one derived from the public key.

    .EXAMPLE
    New-ExchangeCertificate

    A self-signed certificate for this server with Exchange's defaults.

    .EXAMPLE
    New-ExchangeCertificate -SubjectName 'C=US,O=Contoso,CN=mail.contoso.com' -DomainName mail.contoso.com,autodiscover.contoso.com -Services IIS,SMTP -PrivateKeyExportable $true -Force

    A certificate for mail.contoso.com and autodiscover.contoso.com, assigned to IIS and SMTP,
    whose key can be exported.

    .EXAMPLE
    New-ExchangeCertificate -GenerateRequest -SubjectName 'C=US,O=Contoso,CN=mail.contoso.com' -DomainName mail.contoso.com,autodiscover.contoso.com -PrivateKeyExportable $true -RequestFile ./mail.req

    A request for a CA, written to mail.req (and returned as text); the pending entry waits in
    the store until Import-ExchangeCertificate completes it.

    .EXAMPLE
    Get-ExchangeCertificate -Thumbprint 5E6A5A7A5A5B7FDBC8A9AA51B5F5AB41B8B7D1A1 | New-ExchangeCertificate -Force

    Renews a self-signed certificate: a new key and certificate with the same names and services.

    .EXAMPLE
    Get-ExchangeCertificate -Thumbprint 5E6A5A7A5A5B7FDBC8A9AA51B5F5AB41B8B7D1A1 | New-ExchangeCertificate -GenerateRequest -RequestFile ./renewal.req

    A renewal request for the CA that issued the certificate.

    .EXAMPLE
    Get-ExchangeCertificate -Thumbprint 5E6A5A7A5A5B7FDBC8A9AA51B5F5AB41B8B7D1A1 | New-ExchangeCertificate -Services IIS,SMTP -KeySize 4096 -Force

    Renews with a 4096-bit key, assigned to IIS and SMTP, replacing the default SMTP certificate.

    .EXAMPLE
    $ski = [System.Guid]::NewGuid().ToString('N')
    New-ExchangeCertificate -DomainName Federation -FriendlyName 'Exchange Delegated Federation' -Services Federation -SubjectKeyIdentifier $ski -PrivateKeyExportable $true

    The federation certificate, as Exchange's "Renew the federation certificate" procedure makes it.

    .EXAMPLE
    New-ExchangeCertificate -KeyAlgorithm ECDSA_P256 -DomainName mail.contoso.com -Server EX01 -WhatIf

    Shows what would be created on EX01, creating nothing.

    .OUTPUTS
    Excert.ExchangeCertificate (an X509Certificate2); with -GenerateRequest, [string] (or an object with FileData byte[]
    with -BinaryEncoded)

    .LINK
    Get-ExchangeCertificate
    #>
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'Certificate')]
    [OutputType('Excert.ExchangeCertificate', ParameterSetName = 'Certificate')]
    [OutputType([string], ParameterSetName = 'Request')]
    param(
        [ValidateNotNullOrEmpty()]
        [string] $SubjectName,

        [ValidateNotNullOrEmpty()]
        [string[]] $DomainName,

        # The length limit (63) is the core's: one rule, one message, for every caller of the ABI.
        [ValidateNotNullOrEmpty()]
        [string] $FriendlyName,

        [ValidateSet(1024, 2048, 3072, 4096)]
        [int] $KeySize,

        [ValidateSet('RSA', 'ECDSA_P256', 'ECDSA_P384')]
        [string] $KeyAlgorithm,

        [bool] $PrivateKeyExportable,

        # Not with -GenerateRequest: a request has no services until its certificate is enabled.
        [Parameter(ParameterSetName = 'Certificate')]
        [Excert.AllowedServices] $Services,

        [ValidateNotNullOrEmpty()]
        [string] $Server,

        [switch] $Force,

        [switch] $IncludeAcceptedDomains,

        [switch] $IncludeAutoDiscover,

        [switch] $IncludeServerFQDN,

        [switch] $IncludeServerNetBIOSName,

        [ValidateNotNullOrEmpty()]
        [string] $SubjectKeyIdentifier,

        # Not mandatory, so -BinaryEncoded without it gets our message, not a prompt for it.
        [Parameter(ParameterSetName = 'Request')]
        [switch] $GenerateRequest,

        [Parameter(ParameterSetName = 'Request')]
        [switch] $BinaryEncoded,

        [Parameter(ParameterSetName = 'Request')]
        [ValidateNotNullOrEmpty()]
        [string] $RequestFile,

        # In both sets, by value: Exchange's renewal idiom is Get-ExchangeCertificate T | New-ExchangeCertificate.
        [Parameter(ValueFromPipeline)]
        [ValidateNotNull()]
        [psobject] $Instance,

        [string] $DomainController
    )

    # The work is C# (NewCommand.cs): a script body's every distinct call costs a fresh session
    # a compiled call site, most of a first New's time.
    process {
        [Excert.NewCommand]::Process($PSCmdlet, $PSBoundParameters, $script:ExcertLibrary)
    }
}
