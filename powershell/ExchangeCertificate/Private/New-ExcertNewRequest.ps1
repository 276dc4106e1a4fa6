function New-ExcertNewRequest {
    <#
    .SYNOPSIS
    The native request New-ExchangeCertificate sends, from its bound parameters: for
    excert_certificate_new, excert_request_new, or with -Instance excert_certificate_renew.

    .DESCRIPTION
    Only the parameters given are sent, so the core applies Exchange's defaults (and, for a
    renewal, copies the rest from the old certificate). Services go as .NET's [Flags] ToString
    prints them ('IIS, SMTP'). Throws InvalidArgument for -BinaryEncoded or -RequestFile without
    -GenerateRequest, and for an -Instance without a thumbprint.
    #>
    [CmdletBinding()]
    [OutputType([System.Collections.Specialized.OrderedDictionary])]
    param(
        [Parameter(Mandatory)] [System.Collections.IDictionary] $BoundParameters
    )

    $bound = $BoundParameters
    $requesting = $bound.ContainsKey('GenerateRequest') -and [bool]$bound['GenerateRequest']
    if (-not $requesting -and (($bound.ContainsKey('BinaryEncoded') -and [bool]$bound['BinaryEncoded']) -or $bound['RequestFile'])) {
        throw (New-ExcertErrorRecord -Message '-BinaryEncoded and -RequestFile go with -GenerateRequest: add -GenerateRequest, or leave them out for a self-signed certificate.' `
                -ErrorId InvalidArgument -Category InvalidArgument)
    }

    $request = [ordered]@{}
    if ($bound.ContainsKey('Instance')) {
        $instance = Resolve-ExcertInstance -Instance $bound['Instance']
        $request['Server'] = if ($bound['Server']) { [string]$bound['Server'] } else { $instance.Server }
        $request['Thumbprint'] = $instance.Thumbprint
        if ($requesting) { $request['GenerateRequest'] = $true }
    } elseif ($bound['Server']) {
        $request['Server'] = [string]$bound['Server']
    }
    foreach ($name in 'SubjectName', 'FriendlyName', 'KeySize', 'KeyAlgorithm', 'SubjectKeyIdentifier') {
        if ($bound.ContainsKey($name)) { $request[$name] = $bound[$name] }
    }
    if ($bound.ContainsKey('DomainName')) { $request['DomainName'] = [string[]]$bound['DomainName'] }
    if ($bound.ContainsKey('PrivateKeyExportable')) { $request['PrivateKeyExportable'] = [bool]$bound['PrivateKeyExportable'] }
    if ($bound.ContainsKey('Services')) { $request['Services'] = $bound['Services'].ToString() }
    foreach ($name in 'IncludeServerFQDN', 'IncludeServerNetBIOSName', 'IncludeAcceptedDomains', 'IncludeAutoDiscover') {
        if ($bound.ContainsKey($name) -and [bool]$bound[$name]) { $request[$name] = $true }
    }
    $request['Force'] = $bound.ContainsKey('Force') -and [bool]$bound['Force']
    $request
}
