function Export-ExchangeCertificate {
    <#
    .SYNOPSIS
    Exports a certificate, with its private key as a PFX when a password is given, as Exchange
    Server's Export-ExchangeCertificate does.

    .DESCRIPTION
    With -Password the result is a PKCS#12 (PFX) holding the certificate, its chain and its
    private key — only when the certificate's PrivateKeyExportable is True (NotExportable
    otherwise). Without -Password it is the certificate alone; a pending request exports as its
    PKCS#10 request. An expired certificate is refused unless -Force.

    The output is text (PEM for a certificate or request, Base64 for a PFX), or with
    -BinaryEncoded an object whose FileData holds the bytes. -FileName also writes the output to
    a file (a PFX file is created readable by its owner only, 0600, on Linux and macOS).

    PFX profiles (-Encryption):
      Modern (default): PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC, HMAC-SHA256 MAC. Read by
        Windows Server 2019 and later, Windows 10 1709+, OpenSSL 1.1.1 and 3, .NET and macOS 12+.
        It is the default because every Windows Server that runs a supported Exchange (2019 and
        Subscription Edition need Windows Server 2019 or later) reads it, and it is what
        OpenSSL 3 writes.
      Legacy: pbeWithSHAAnd3-KeyTripleDES-CBC for key and certificates, HMAC-SHA1 MAC. Also read
        by Windows Server 2016, 2012 R2 and older, which report an AES-protected file as a wrong
        password. OpenSSL 3 opens it without -legacy (no RC2).

    .PARAMETER Thumbprint
    The certificate's thumbprint, any case, spaces allowed. From the pipeline by value or by
    property name.

    .PARAMETER Identity
    'Server\Thumbprint', as in the Identity property of Get-ExchangeCertificate's output.

    .PARAMETER Server
    The server whose store holds the certificate. Default this host's name.

    .PARAMETER BinaryEncoded
    Return an object whose FileData holds the file's bytes (DER or PFX) instead of text.

    .PARAMETER Password
    Export a PFX with the private key, protected by this password (a SecureString). It reaches
    the native library as bytes that are zeroed after use, never as text.

    .PARAMETER FileName
    Also write the output to this file: the bytes with -BinaryEncoded, else the text. A file
    there is replaced whole; a symbolic link there is refused, never followed. Exchange removed
    this parameter in 2022; it is kept here.

    .PARAMETER Encryption
    The PFX profile: Modern (default) or Legacy, see the description.

    .PARAMETER Force
    Export an expired certificate too.

    .PARAMETER DomainController
    Accepted so Exchange scripts run unchanged; there is no Active Directory here (a verbose
    line says so).

    .EXAMPLE
    $pw = Read-Host -AsSecureString 'PFX password'
    Export-ExchangeCertificate -Thumbprint 5E6A5A7A5A5B7FDBC8A9AA51B5F5AB41B8B7D1A1 -BinaryEncoded -Password $pw -FileName ./mail.pfx

    Writes mail.pfx with the certificate, its chain and its private key (Modern profile).

    .EXAMPLE
    Get-ExchangeCertificate -DomainName mail.contoso.com | Export-ExchangeCertificate -BinaryEncoded -Password $pw -Encryption Legacy | Import-ExchangeCertificate -Server EX02 -Password $pw

    Copies the certificate with its key to EX02, in the profile Windows Server 2016 reads.

    .EXAMPLE
    Export-ExchangeCertificate 5E6A5A7A5A5B7FDBC8A9AA51B5F5AB41B8B7D1A1

    The certificate alone, as PEM text.

    .OUTPUTS
    [string], or an object with FileData byte[] with -BinaryEncoded

    .LINK
    Import-ExchangeCertificate
    #>
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'Thumbprint')]
    [OutputType([string])]
    param(
        [Parameter(ParameterSetName = 'Thumbprint', Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [ValidateNotNullOrEmpty()]
        [string] $Thumbprint,

        [Parameter(ParameterSetName = 'Identity', Mandatory)]
        [ValidateNotNullOrEmpty()]
        [string] $Identity,

        # By property name too, so certificates listed with -Server * export from their server.
        [Parameter(ParameterSetName = 'Thumbprint', ValueFromPipelineByPropertyName)]
        [ValidateNotNullOrEmpty()]
        [string] $Server,

        [switch] $BinaryEncoded,

        [securestring] $Password,

        [ValidateNotNullOrEmpty()]
        [string] $FileName,

        # Modern by default: see the description (Windows Server 2019+ and OpenSSL 3 read it).
        [ValidateSet('Modern', 'Legacy')]
        [string] $Encryption = 'Modern',

        [switch] $Force,

        [string] $DomainController
    )

    # The work is C# (ExportCommand.cs): a script body's every distinct call costs a fresh session
    # a compiled call site. The pipeline's values go as the variables hold them:
    # $PSBoundParameters keeps a Server an earlier pipeline input bound.
    process {
        [Excert.ExportCommand]::Process($PSCmdlet, $PSBoundParameters, $script:ExcertLibrary, $Thumbprint, $Server)
    }
}
