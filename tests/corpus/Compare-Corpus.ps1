<#
.SYNOPSIS
Reads every certificate of the interop corpus with excert (Import-ExchangeCertificate, so the C
ABI), .NET's X509Certificate2 and the openssl CLI, and returns one record per disagreement.

.DESCRIPTION
Expects the module to be imported and $env:EXCERT_STORE to point at a throw-away store. Files that
.NET cannot read as one certificate are counted, not compared (.NET is the reference: Exchange
shows what .NET shows). Returns an object with the counts and the differences; each difference
names the file, the property, what excert said and what the peer said.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $CorpusPath,
    [string] $Server = 'CORPUS'
)

$X509 = [System.Security.Cryptography.X509Certificates.X509Certificate2]
$Loader = [System.Security.Cryptography.X509Certificates.X509CertificateLoader]

function Get-DotNetKeySize($x) {
    # Exchange's PublicKeySize is .NET's key size; for keys .NET cannot load (EdDSA, unknown
    # curves), openssl's "Public-Key: (N bit)" is the peer.
    foreach ($get in 'GetRSAPublicKey', 'GetECDsaPublicKey', 'GetDSAPublicKey') {
        try {
            $key = $x.PublicKey.$get()
            if ($key) { return $key.KeySize }
        } catch { }
    }
    $null
}

function Get-OpenSslKeySize([string] $File) {
    $pem = [IO.File]::ReadAllText($File).Contains('-----BEGIN')
    $text = & openssl x509 -in $File -inform ($pem ? 'PEM' : 'DER') -noout -text 2>$null
    foreach ($line in $text) { if ($line -match 'Public-Key: \((\d+) bit\)') { return [int] $Matches[1] } }
    $null
}

function Read-DotNet([byte[]] $bytes) {
    try { return $Loader::LoadCertificate($bytes) } catch { }
    # A PEM file: the first CERTIFICATE block, as .NET's own PEM reader finds it.
    try {
        $text = [Text.Encoding]::ASCII.GetString($bytes)
        $fields = [System.Security.Cryptography.PemEncoding]::Find($text.ToCharArray())
        $label = $text.Substring($fields.Label.Start.Value, $fields.Label.End.Value - $fields.Label.Start.Value)
        if ($label -eq 'CERTIFICATE') {
            $b64 = $text.Substring($fields.Base64Data.Start.Value, $fields.Base64Data.End.Value - $fields.Base64Data.Start.Value)
            return $Loader::LoadCertificate([Convert]::FromBase64String($b64))
        }
    } catch { }
    $null
}

$files = Get-ChildItem -LiteralPath (Join-Path $CorpusPath 'roots'), (Join-Path $CorpusPath 'vectors') -File | Sort-Object FullName
$counts = [ordered]@{ Files = $files.Count; DotNetUnreadable = 0; Duplicates = 0; Compared = 0; ExcertRefused = 0; Agreed = 0 }
$differences = [Collections.Generic.List[object]]::new()
$seen = @{}
$difference = {
    param($file, $property, $ours, $theirs)
    $differences.Add([pscustomobject]@{ File = $file.Name; Property = $property; Excert = "$ours"; Peer = "$theirs" })
}

foreach ($file in $files) {
    $bytes = [IO.File]::ReadAllBytes($file.FullName)
    $x = Read-DotNet $bytes
    if (-not $x) { $counts.DotNetUnreadable++; continue }
    if ($seen.ContainsKey($x.Thumbprint)) { $counts.Duplicates++; continue }
    $seen[$x.Thumbprint] = $file.Name
    $counts.Compared++
    $before = $differences.Count
    $warnings = $null
    try {
        $ours = Import-ExchangeCertificate -Server $Server -FileData $x.RawData -ErrorAction Stop -WarningVariable warnings -WarningAction SilentlyContinue
    } catch {
        $counts.ExcertRefused++
        & $difference $file 'Import' $_.Exception.Message 'read by .NET'
        continue
    }
    $ours = @($ours) | Where-Object { $_.Thumbprint -eq $x.Thumbprint } | Select-Object -First 1
    if (-not $ours) { & $difference $file 'Import' 'no certificate with .NET''s thumbprint' $x.Thumbprint; continue }

    $pairs = [ordered]@{
        Subject            = $x.Subject, $ours.Subject
        Issuer             = $x.Issuer, $ours.Issuer
        SerialNumber       = $x.SerialNumber, $ours.SerialNumber
        NotBefore          = $x.NotBefore.ToUniversalTime().ToString('o'), ([datetime] $ours.NotBefore).ToUniversalTime().ToString('o')
        NotAfter           = $x.NotAfter.ToUniversalTime().ToString('o'), ([datetime] $ours.NotAfter).ToUniversalTime().ToString('o')
        Version            = $x.Version, $ours.Version
        SignatureAlgorithm = ($x.SignatureAlgorithm.FriendlyName ? $x.SignatureAlgorithm.FriendlyName : $x.SignatureAlgorithm.Value), $ours.SignatureAlgorithm
    }
    $size = Get-DotNetKeySize $x
    if ($null -eq $size) { $size = Get-OpenSslKeySize $file.FullName }
    $pairs.PublicKeySize = $size, $ours.PublicKeySize
    $san = $x.Extensions | Where-Object { $_.Oid.Value -eq '2.5.29.17' } | Select-Object -First 1
    if ($san) {
        try {
            $typed = [System.Security.Cryptography.X509Certificates.X509SubjectAlternativeNameExtension]::new($san.RawData, $san.Critical)
            $pairs.DnsNameList = ((@($typed.EnumerateDnsNames()) | Sort-Object) -join ','), ((@($ours.DnsNameList) | Sort-Object) -join ',')
        } catch { }
    }
    foreach ($name in $pairs.Keys) {
        $peer, $mine = $pairs[$name]
        if ("$peer" -cne "$mine") { & $difference $file $name $mine $peer }
    }
    if ($differences.Count -eq $before) { $counts.Agreed++ }
}

[pscustomobject]@{ Counts = [pscustomobject] $counts; Differences = $differences }
