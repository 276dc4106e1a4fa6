# Revocation through the cmdlets and the real library, against the test PKI of
# tests/revocation_pki.sh on 127.0.0.1: CRLs served by nginx, `openssl ocsp` answering, a
# server that accepts and never answers.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule
    $Store = New-TestStore
    $Script = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../revocation_pki.sh'))
    $Pki = New-TestFolder -Prefix 'excert-pki'
    & $Script start $Pki *> (Join-Path $Pki 'start.log')
    if ($LASTEXITCODE -ne 0) { throw "the test PKI did not start: $(Get-Content -Raw (Join-Path $Pki 'start.log'))" }
    $Env = @{}
    foreach ($line in Get-Content (Join-Path $Pki 'pki.env')) { $k, $v = $line -split '=', 2; $Env[$k] = $v }

    function Get-Der([string] $Name) { , [IO.File]::ReadAllBytes((Join-Path $Pki "$Name.der")) }
    function Get-Thumb([string] $Name) {
        [Security.Cryptography.X509Certificates.X509Certificate2]::new((Get-Der $Name)).Thumbprint
    }
    Import-ExchangeCertificate -FileData (Get-Der 'root') -TrustedRoot | Out-Null
    $Leaves = @{
        'crl-good' = 'inter'; 'crl-revoked' = 'inter'; 'ocsp-revoked' = 'inter'; 'ocsp-only-revoked' = 'inter'
        'other-key' = 'inter'; 'expired-crl' = 'inter'; 'garbage' = 'inter'; 'slow' = 'inter'
        'no-cdp' = 'inter'; 'under-revoked-ca' = 'inter2'
    }
    foreach ($leaf in $Leaves.Keys) {
        $bundle = [IO.File]::ReadAllBytes((Join-Path $Pki "$leaf.pem")) + [IO.File]::ReadAllBytes((Join-Path $Pki "$($Leaves[$leaf]).pem"))
        Import-ExchangeCertificate -FileData $bundle | Out-Null
    }
    $Listed = Get-ExchangeCertificate -WarningVariable Warned -WarningAction SilentlyContinue
    $ListWarnings = @($Warned | ForEach-Object { "$_" })
    function Get-Listed([string] $Name) { $Listed | Where-Object Thumbprint -eq (Get-Thumb $Name) }
}

AfterAll {
    if ($Pki) {
        & $Script stop $Pki
        Remove-Item -LiteralPath $Pki -Recurse -Force -ErrorAction SilentlyContinue
    }
    Remove-TestStore $Store
}

Describe 'Get-ExchangeCertificate checks revocation' {
    It 'shows a certificate the CRL does not list as Valid' {
        (Get-Listed 'crl-good').Status | Should -Be 'Valid'
        (Get-Listed 'crl-good').RevocationReason | Should -BeNullOrEmpty
    }

    It 'shows a certificate revoked in the CRL as Revoked, with the reason, date and source' {
        $c = Get-Listed 'crl-revoked'
        $c.Status | Should -Be 'Revoked'
        $c.RevocationReason | Should -Be 'KeyCompromise'
        $c.RevocationDate | Should -BeOfType [datetime]
        $c.RevocationDate.Kind | Should -Be 'Utc'
        $c.RevocationSource | Should -Be "CRL http://127.0.0.1:$($Env.HTTP_PORT)/inter.crl"
        # openssl's own reading of the same CRL agrees on the date.
        $text = & openssl crl -inform DER -in (Join-Path $Pki 'www/inter.crl') -noout -text
        $serial = [Security.Cryptography.X509Certificates.X509Certificate2]::new((Get-Der 'crl-revoked')).SerialNumber
        $i = [array]::IndexOf($text, ($text | Where-Object { $_ -match "Serial Number: $serial" } | Select-Object -First 1))
        $date = ($text[$i + 1] -replace '^\s*Revocation Date:\s*', '') -replace '\s+', ' '
        $parsed = [datetime]::ParseExact($date, 'MMM d HH:mm:ss yyyy \G\M\T', [Globalization.CultureInfo]::InvariantCulture, 'AssumeUniversal,AdjustToUniversal')
        $c.RevocationDate | Should -Be $parsed
    }

    It 'asks OCSP first: <_> is Revoked by the responder' -ForEach 'ocsp-revoked', 'ocsp-only-revoked' {
        $c = Get-Listed $_
        $c.Status | Should -Be 'Revoked'
        $c.RevocationSource | Should -Be "OCSP http://127.0.0.1:$($Env.OCSP_PORT)"
    }

    It 'shows the leaves of a revoked intermediate as Revoked' {
        $c = Get-Listed 'under-revoked-ca'
        $c.Status | Should -Be 'Revoked'
        $c.RevocationReason | Should -Be 'CACompromise'
        $c.RevocationSource | Should -Match (Get-Thumb 'inter2')
    }

    It 'gives RevocationCheckFailure and a warning naming <Url> for <Name>' -ForEach @(
        @{ Name = 'other-key'; Url = '/other-key.crl'; Cause = 'signature does not verify' }
        @{ Name = 'expired-crl'; Url = '/expired.crl'; Cause = 'expired' }
        @{ Name = 'garbage'; Url = '/garbage.crl'; Cause = 'malformed' }
        @{ Name = 'slow'; Url = '/slow.crl'; Cause = 'timed out' }
        @{ Name = 'no-cdp'; Url = ''; Cause = 'no usable CRL distribution point' }
    ) {
        (Get-Listed $Name).Status | Should -Be 'RevocationCheckFailure'
        $w = @($ListWarnings | Where-Object { $_ -match (Get-Thumb $Name) })
        $w.Count | Should -Be 1
        $w[0] | Should -BeLike "*$Url*"
        $w[0] | Should -BeLike "*$Cause*"
    }

    It 'works offline from the cache, and fails at once for what is not cached' {
        $thumb = Get-Thumb 'crl-revoked'
        (Get-ExchangeCertificate -Thumbprint $thumb -OfflineRevocation).Status | Should -Be 'Revoked'
        $slow = Get-ExchangeCertificate -Thumbprint (Get-Thumb 'slow') -OfflineRevocation -WarningVariable w -WarningAction SilentlyContinue
        $slow.Status | Should -Be 'RevocationCheckFailure'
        "$w" | Should -BeLike '*offline*'
    }

    It 'sees a revocation published since the cache was filled only with -RefreshRevocation' {
        $db = Join-Path $Pki 'db-inter'
        & openssl ca -config "$db/ca.cnf" -cert "$Pki/inter.pem" -keyfile "$Pki/inter.key" -revoke "$Pki/crl-good.pem" -crl_reason superseded 2>$null
        & openssl ca -gencrl -config "$db/ca.cnf" -cert "$Pki/inter.pem" -keyfile "$Pki/inter.key" -out "$Pki/inter.crl.pem" 2>$null
        & openssl crl -in "$Pki/inter.crl.pem" -outform DER -out "$Pki/www/inter.crl"
        $thumb = Get-Thumb 'crl-good'
        (Get-ExchangeCertificate -Thumbprint $thumb).Status | Should -Be 'Valid'
        $c = Get-ExchangeCertificate -Thumbprint $thumb -RefreshRevocation
        $c.Status | Should -Be 'Revoked'
        $c.RevocationReason | Should -Be 'Superseded'
    }

    It 'refuses -RefreshRevocation with -OfflineRevocation' {
        { Get-ExchangeCertificate -RefreshRevocation -OfflineRevocation -ErrorAction Stop } |
            Should -Throw '*RefreshRevocation and OfflineRevocation*'
    }

    It 'gives RevocationCheckFailure naming the URL once the servers are gone and nothing is cached' {
        & $Script stop $Pki
        Remove-Item -LiteralPath (Join-Path $Store.Path 'revocation') -Recurse -Force
        $c = Get-ExchangeCertificate -Thumbprint (Get-Thumb 'crl-revoked') -WarningVariable w -WarningAction SilentlyContinue
        $c.Status | Should -Be 'RevocationCheckFailure'
        "$w" | Should -BeLike "*http://127.0.0.1:$($Env.HTTP_PORT)/inter.crl*cannot connect*"
    }
}
