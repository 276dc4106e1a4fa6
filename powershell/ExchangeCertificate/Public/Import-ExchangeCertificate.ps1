function Import-ExchangeCertificate {
    <#
    .SYNOPSIS
    Imports certificates into a server's store: completes pending requests with the CA's
    answer, installs PFX files with their keys, and (beyond Exchange) trusts roots.

    .DESCRIPTION
    The data is recognised by its content, not a file name: a DER or PEM certificate, a PEM
    bundle, a PKCS#7 chain (.p7b/.p7c, DER or PEM), or a PKCS#12 (.pfx/.p12, binary or Base64).

    A certificate whose public key matches a pending request (New-ExchangeCertificate
    -GenerateRequest) completes it: the request's key is attached, its friendly name and
    exportability are kept, the other certificates of the file become the chain, and the
    pending entry is replaced. A certificate that matches no pending request and comes without
    a key is imported without one (HasPrivateKey False), with a warning.

    A PFX brings its key: -Password opens it. The certificate that matches the key is the one
    imported, wherever it stands in the file; the others are kept as its chain. A wrong password
    gives WrongPassword and changes nothing. Every failure leaves the store as it was.

    -TrustedRoot (beyond Exchange) adds the CA certificates of the data to the roots the whole
    organization store trusts, instead of importing them to a server; certificates chaining to
    them then show Status Valid and RootCAType Registry.

    .PARAMETER FileData
    The file's bytes, for example ([IO.File]::ReadAllBytes('./mail.pfx')). Base64 or PEM text is
    accepted too (what Export-ExchangeCertificate prints). Taken from the pipeline by property
    name, so Export-ExchangeCertificate -BinaryEncoded output pipes straight in.

    .PARAMETER FileName
    A file to read instead of -FileData: a regular file of at most 8 MiB, not a symbolic link
    (give the path it points to). Exchange removed this parameter in 2022; it is kept here.

    .PARAMETER Password
    The PFX password, as a SecureString (Read-Host -AsSecureString). It reaches the native
    library as bytes that are zeroed after use, never as text.

    .PARAMETER PrivateKeyExportable
    Whether Export-ExchangeCertificate may export the imported key. Default $false, as Exchange;
    a completed request keeps the request's setting unless this is given.

    .PARAMETER FriendlyName
    The friendly name of the imported certificate (at most 63 characters). Default: the PFX's
    own, the pending request's, or 'Microsoft Exchange'.

    .PARAMETER Server
    The server whose store receives the certificate. Default this host's name.

    .PARAMETER TrustedRoot
    Trust the CA certificate(s) in the data for the whole organization store (beyond Exchange).

    .PARAMETER Instance
    The certificate as text (PEM, or Base64 DER), as Exchange 2010's whole-object form took it:
    one string, or the lines of a file piped in (Get-Content ./mail.cer | Import-ExchangeCertificate).

    .PARAMETER DomainController
    Accepted so Exchange scripts run unchanged; there is no Active Directory here (a verbose
    line says so).

    .EXAMPLE
    Import-ExchangeCertificate -FileData ([IO.File]::ReadAllBytes('./mail.p7b'))

    Completes the pending request that the CA answered with mail.p7b.

    .EXAMPLE
    $pw = Read-Host -AsSecureString 'PFX password'
    'EX01', 'EX02' | ForEach-Object { Import-ExchangeCertificate -Server $_ -FileData ([IO.File]::ReadAllBytes('./mail.pfx')) -Password $pw -PrivateKeyExportable $true }

    Installs one PFX on two servers of the organization store.

    .EXAMPLE
    Import-ExchangeCertificate -FileData ([IO.File]::ReadAllBytes('./contoso-root.cer')) -TrustedRoot

    Trusts the organization's private root CA.

    .OUTPUTS
    Excert.ExchangeCertificate, an X509Certificate2 (nothing with -TrustedRoot)

    .LINK
    Export-ExchangeCertificate

    .LINK
    New-ExchangeCertificate
    #>
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'Instance')]
    [OutputType('Excert.ExchangeCertificate')]
    param(
        [Parameter(ParameterSetName = 'FileData', Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Excert.FileDataTransformation()]
        [ValidateNotNull()]
        # Empty data reaches the core, whose EmptyData error says what to pass.
        [AllowEmptyCollection()]
        [byte[]] $FileData,

        [Parameter(ParameterSetName = 'FileName', Mandatory)]
        [ValidateNotNullOrEmpty()]
        [string] $FileName,

        # Exchange 2010's whole-object form: the certificate as text (PEM or Base64), one string
        # or the lines of a file (Get-Content), from the pipeline too.
        [Parameter(ParameterSetName = 'Instance', Mandatory, ValueFromPipeline)]
        [ValidateNotNull()]
        [string[]] $Instance,

        [securestring] $Password,

        [bool] $PrivateKeyExportable,

        [ValidateNotNullOrEmpty()]
        [string] $FriendlyName,

        [ValidateNotNullOrEmpty()]
        [string] $Server,

        [switch] $TrustedRoot,

        [string] $DomainController
    )

    # The work is C# (ImportCommand.cs): a script body's every distinct call costs a fresh session
    # a compiled call site. -Instance lines piped in one by one are kept in $lines and imported
    # as one text at the end.
    begin {
        $lines = [Excert.ImportCommand]::Begin()
    }

    process {
        [Excert.ImportCommand]::Process($PSCmdlet, $PSBoundParameters, $script:ExcertLibrary, $lines)
    }

    end {
        [Excert.ImportCommand]::End($PSCmdlet, $PSBoundParameters, $script:ExcertLibrary, $lines)
    }
}
