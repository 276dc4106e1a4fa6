function ConvertTo-ExcertDateTime {
    <#
    .SYNOPSIS
    An RFC 3339 answer date as a [datetime] of Kind Utc.

    .DESCRIPTION
    Kept in UTC (Kind Utc) rather than local time: the store, the native answers and openssl all
    speak UTC, and a Utc DateTime still prints and compares correctly; ToLocalTime() is one call
    away for display. PowerShell before 7.5 hands over [datetime] values already parsed.
    #>
    [CmdletBinding()]
    [OutputType([datetime])]
    param([Parameter(Mandatory)] [AllowNull()] [object] $Value)

    if ($null -eq $Value -or ($Value -is [string] -and $Value -eq '')) { return $null }
    if ($Value -is [datetime]) {
        if ($Value.Kind -eq [DateTimeKind]::Unspecified) {
            return [datetime]::SpecifyKind($Value, [DateTimeKind]::Utc)
        }
        return $Value.ToUniversalTime()
    }
    if ($Value -is [DateTimeOffset]) { return $Value.UtcDateTime }
    [DateTimeOffset]::Parse([string]$Value, [Globalization.CultureInfo]::InvariantCulture).UtcDateTime
}

function ConvertTo-ExchangeCertificate {
    <#
    .SYNOPSIS
    A native ExchangeCertificate answer object as the cmdlets output it.

    .DESCRIPTION
    A [pscustomobject] whose first type name is 'ExchangeCertificate' (the format views key on
    it), with Exchange's property names in the order of the contract: NotBefore/NotAfter as
    [datetime] (UTC), Services as [Excert.AllowedServices], RawData as byte[], list properties
    as [string[]], numbers as [int]. Properties this module does not know yet pass through as
    given, so a newer library's additions are not lost.
    #>
    [CmdletBinding()]
    [OutputType('ExchangeCertificate')]
    param(
        [Parameter(Mandatory, ValueFromPipeline)]
        [object] $InputObject
    )

    process {
        $source = $InputObject.PSObject.Properties
        $result = [ordered]@{}
        foreach ($property in $source) {
            $name = $property.Name
            $value = $property.Value
            if ($name -eq 'Services') {
                $value = if ($null -eq $value -or $value -eq '') { [Excert.AllowedServices]::None }
                else { [Enum]::Parse([Excert.AllowedServices], [string]$value, $true) }
            } elseif ($name -in 'NotBefore', 'NotAfter') {
                $value = ConvertTo-ExcertDateTime -Value $value
            } elseif ($name -eq 'RawData') {
                # Assigned in each branch: an if-expression would unroll the array into object[].
                if ($value) { $value = [Convert]::FromBase64String([string]$value) } else { $value = [byte[]]::new(0) }
            } elseif ($name -in 'CertificateDomains', 'DnsNameList', 'EnhancedKeyUsageList') {
                $value = [string[]] @($value | Where-Object { $null -ne $_ })
            } elseif ($name -in 'PublicKeySize', 'Version', 'DaysUntilExpiry') {
                if ($null -ne $value) { $value = [int]$value }
            } elseif ($name -in 'HasPrivateKey', 'PrivateKeyExportable', 'IsSelfSigned', 'ExpiryWarning') {
                $value = [bool]$value
            }
            $result[$name] = $value
        }

        # Contract order first (Format-List * reads in this order), then anything newer.
        $order = @(
            'Identity', 'Server', 'Thumbprint', 'Services', 'ServicesStringForm', 'Subject', 'Issuer',
            'NotBefore', 'NotAfter', 'Status', 'RootCAType', 'CertificateDomains', 'DnsNameList',
            'FriendlyName', 'HasPrivateKey', 'PrivateKeyExportable', 'IsSelfSigned', 'SerialNumber',
            'PublicKeySize', 'KeyAlgorithm', 'SignatureAlgorithm', 'SubjectKeyIdentifier',
            'EnhancedKeyUsageList', 'Version', 'RawData', 'CertificateRequest', 'DaysUntilExpiry',
            'ExpiryWarning', 'LiveFiles'
        )
        $output = [pscustomobject]@{}
        foreach ($name in $order) {
            if ($result.Contains($name)) {
                $output.PSObject.Properties.Add([psnoteproperty]::new($name, $result[$name]))
            }
        }
        foreach ($name in $result.Keys) {
            if ($name -notin $order) {
                $output.PSObject.Properties.Add([psnoteproperty]::new($name, $result[$name]))
            }
        }
        $output.PSObject.TypeNames.Insert(0, 'ExchangeCertificate')
        $output
    }
}
