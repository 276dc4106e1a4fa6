<#
.SYNOPSIS
Reads every certificate of the interop corpus with excert (the C ABI's import answer, and the
cmdlets' objects), .NET's X509Certificate2 and the openssl CLI, and returns one record per
disagreement.

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
# The library the module loaded, called directly for its JSON.
$Library = [Excert.Cmdlets.ModuleImport]::Library
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
    $text = @(& openssl x509 -in $File -inform ($pem ? 'PEM' : 'DER') -noout -text 2>$null)
    foreach ($line in $text) { if ($line -match 'Public-Key: \((\d+) bit\)') { return [int] $Matches[1] } }
    # EdDSA and X25519/X448: openssl prints the key's octets under "pub:" without a size.
    $at = [array]::FindIndex($text, [Predicate[string]] { param($l) $l -match '(ED|X)(25519|448) Public-Key:' })
    if ($at -ge 0) {
        $octets = 0
        for ($i = $at + 2; $i -lt $text.Count -and $text[$i] -match '^\s+([0-9a-f]{2}:?)+$'; $i++) {
            $octets += ($text[$i].Trim().TrimEnd(':') -split ':').Count
        }
        return 8 * $octets
    }
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
    # The C ABI's own answer (the cmdlets' objects take Subject, Issuer, dates and the like from
    # .NET itself, so the library's values are compared where a C program reads them).
    $request = @{ Server = $Server; StoreRoot = $env:EXCERT_STORE; FileData = [Convert]::ToBase64String($x.RawData) } | ConvertTo-Json -Compress
    $answer = $Library.InvokeWithSecret('excert_certificate_import', $request, $null)
    if ($answer.Code -ne 0) {
        $counts.ExcertRefused++
        & $difference $file 'Import' $answer.Error 'read by .NET'
        continue
    }
    $ours = @(($answer.Json | ConvertFrom-Json -DateKind String).Certificates) | Where-Object { $_.Thumbprint -eq $x.Thumbprint } | Select-Object -First 1
    if (-not $ours) { & $difference $file 'Import' 'no certificate with .NET''s thumbprint' $x.Thumbprint; continue }
    # The cmdlet's object of the same certificate: an X509Certificate2 with Exchange's properties.
    $object = Get-ExchangeCertificate -Server $Server -Thumbprint $x.Thumbprint -WarningAction SilentlyContinue
    if ($object.Thumbprint -ne $x.Thumbprint -or $object.PublicKeySize -ne $ours.PublicKeySize) {
        & $difference $file 'Cmdlet' "$($object.Thumbprint) $($object.PublicKeySize)" "$($x.Thumbprint) $($ours.PublicKeySize)"
    }

    $pairs = [ordered]@{
        Subject            = $x.Subject, $ours.Subject
        Issuer             = $x.Issuer, $ours.Issuer
        SerialNumber       = $x.SerialNumber, $ours.SerialNumber
        NotBefore          = $x.NotBefore.ToUniversalTime().ToString('o'), ([DateTimeOffset]::Parse($ours.NotBefore)).UtcDateTime.ToString('o')
        NotAfter           = $x.NotAfter.ToUniversalTime().ToString('o'), ([DateTimeOffset]::Parse($ours.NotAfter)).UtcDateTime.ToString('o')
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
        # Neither .NET nor openssl could size the key: nothing to compare against.
        if ($name -eq 'PublicKeySize' -and $null -eq $peer) { continue }
        if ("$peer" -cne "$mine") { & $difference $file $name $mine $peer }
    }
    if ($differences.Count -eq $before) { $counts.Agreed++ }
}

# PKCS#12 and PKCS#7: the same certificates as .NET finds in each file, the keys with the same
# certificates. cryptography's PKCS#12 files use the password "cryptography", PKITS's "password".
$bundles = @(Get-ChildItem -LiteralPath (Join-Path $CorpusPath 'pkcs12'), (Join-Path $CorpusPath 'pkcs7') -File -ErrorAction SilentlyContinue | Sort-Object FullName)
$counts.Bundles = $bundles.Count
$counts.BundlesCompared = 0
$counts.BundlesAgreed = 0
foreach ($file in $bundles) {
    $bytes = [IO.File]::ReadAllBytes($file.FullName)
    $isPfx = $file.Extension -eq '.p12'
    $password = if (-not $isPfx -or $file.Name -match 'no-pwd|no-password') { $null }
                elseif ($file.Name -like 'x509__*') { 'password' } else { 'cryptography' }
    $theirs = [System.Security.Cryptography.X509Certificates.X509Certificate2Collection]::new()
    try {
        if ($isPfx) { $theirs = $Loader::LoadPkcs12Collection($bytes, $password) }
        else {
            $der = $bytes
            $text = [Text.Encoding]::ASCII.GetString($bytes)
            if ($text.StartsWith('-----BEGIN')) {
                $der = [Convert]::FromBase64String((($text -split "`n" | Where-Object { $_ -notmatch '^-----' }) -join ''))
            }
            $theirs.Import($der)
        }
    } catch { }
    if ($theirs.Count -eq 0) { $counts.DotNetUnreadable++; continue }
    $counts.BundlesCompared++
    $before = $differences.Count
    $secure = if ($null -ne $password) { ConvertTo-SecureString $password -AsPlainText -Force }
    $server = 'BUNDLE' + $counts.BundlesCompared
    try {
        $params = @{ Server = $server; FileData = $bytes; ErrorAction = 'Stop'; WarningAction = 'SilentlyContinue' }
        if ($secure) { $params.Password = $secure }
        $null = Import-ExchangeCertificate @params
        $ours = @(Get-ExchangeCertificate -Server $server -WarningAction SilentlyContinue)
    } catch {
        $counts.ExcertRefused++
        & $difference $file 'Import' $_.Exception.Message 'read by .NET'
        continue
    }
    # Every certificate .NET found is an entry of ours or in the chain of one, and the ones with
    # a key are ours with HasPrivateKey.
    $entries = @{}
    foreach ($c in $ours) { $entries[$c.Thumbprint] = $c }
    foreach ($x in $theirs) {
        $mine = $entries[$x.Thumbprint]
        if ($x.HasPrivateKey -and -not ($mine -and $mine.HasPrivateKey)) {
            & $difference $file 'HasPrivateKey' ($mine ? $mine.HasPrivateKey : 'missing') "$($x.Thumbprint) with its key"
        } elseif (-not $mine -and -not $x.HasPrivateKey -and $theirs.Where({ $_.HasPrivateKey }).Count -eq 0) {
            & $difference $file 'Certificates' 'missing' $x.Thumbprint
        }
    }
    if ($differences.Count -eq $before) { $counts.BundlesAgreed++ }
}

[pscustomobject]@{ Counts = [pscustomobject] $counts; Differences = $differences }
