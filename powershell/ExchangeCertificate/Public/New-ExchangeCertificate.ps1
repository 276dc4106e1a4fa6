function New-ExchangeCertificate {
    <#
    .SYNOPSIS
    Creates a self-signed certificate, as Exchange Server's New-ExchangeCertificate does.

    .DESCRIPTION
    Creates a key pair and a self-signed certificate in the excert store of a server and returns
    it. Defaults follow Exchange: subject CN=<server name>, friendly name 'Microsoft Exchange',
    RSA 2048 bits, valid for 60 months, SHA-256, services IMAP, POP and SMTP, private key not
    exportable. The subject's common name is always in the subject alternative names; with no
    -DomainName and no include switch the names are the server's name and FQDN.

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
    The server whose store receives the certificate. Default this host's name.

    .PARAMETER Force
    Replace the server's default SMTP certificate without asking.

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
    New-ExchangeCertificate -KeyAlgorithm ECDSA_P256 -DomainName mail.contoso.com -Server EX01 -WhatIf

    Shows what would be created on EX01, creating nothing.

    .OUTPUTS
    ExchangeCertificate

    .LINK
    Get-ExchangeCertificate
    #>
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'Certificate')]
    [OutputType('ExchangeCertificate')]
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

        # Not with -GenerateRequest (the Request parameter set, to come): a request has no services.
        [Parameter(ParameterSetName = 'Certificate')]
        [Excert.AllowedServices] $Services,

        [ValidateNotNullOrEmpty()]
        [string] $Server,

        [switch] $Force,

        [switch] $IncludeServerFQDN,

        [switch] $IncludeServerNetBIOSName,

        [ValidateNotNullOrEmpty()]
        [string] $SubjectKeyIdentifier
    )

    $request = [ordered]@{}
    foreach ($name in 'Server', 'SubjectName', 'FriendlyName', 'KeySize', 'KeyAlgorithm', 'SubjectKeyIdentifier') {
        if ($PSBoundParameters.ContainsKey($name)) { $request[$name] = $PSBoundParameters[$name] }
    }
    if ($PSBoundParameters.ContainsKey('DomainName')) { $request['DomainName'] = [string[]]$DomainName }
    if ($PSBoundParameters.ContainsKey('PrivateKeyExportable')) { $request['PrivateKeyExportable'] = $PrivateKeyExportable }
    # The core takes the names as .NET's [Flags] ToString prints them: 'IIS, SMTP'.
    if ($PSBoundParameters.ContainsKey('Services')) { $request['Services'] = $Services.ToString() }
    if ($IncludeServerFQDN) { $request['IncludeServerFQDN'] = $true }
    if ($IncludeServerNetBIOSName) { $request['IncludeServerNetBIOSName'] = $true }
    $request['Force'] = [bool]$Force

    $subject = if ($SubjectName) { $SubjectName } else { 'CN=<server name>' }
    $where = if ($Server) { $Server } else { 'this server' }
    $target = "$subject on $where"
    if ($DomainName) { $target += " (names: $($DomainName -join ', '))" }
    if (-not $PSCmdlet.ShouldProcess($target, 'Create a self-signed certificate')) { return }

    $answer = Invoke-ExcertNative -Function excert_certificate_new -Request $request -TargetObject $target
    if ($answer -is [System.Management.Automation.ErrorRecord] -and
        $answer.Exception.Name -eq 'ConfirmationRequired' -and -not $Force) {
        # Exchange asks before a new certificate replaces the default SMTP certificate.
        # A session that cannot ask gets the native error, which names -Force.
        $confirmed = $false
        if (Test-ExcertCanPrompt) {
            try {
                $confirmed = $PSCmdlet.ShouldContinue($answer.Exception.Message, 'Replace the default SMTP certificate?')
            } catch [System.Management.Automation.PSInvalidOperationException], [System.Management.Automation.Host.HostException] {
                $confirmed = $false
            }
        }
        if (-not $confirmed) {
            $PSCmdlet.WriteError($answer)
            return
        }
        $request['Force'] = $true
        $answer = Invoke-ExcertNative -Function excert_certificate_new -Request $request -TargetObject $target
    }
    if ($answer -is [System.Management.Automation.ErrorRecord]) {
        $PSCmdlet.WriteError($answer)
        return
    }
    ConvertTo-ExchangeCertificate -InputObject $answer.Certificate
}
