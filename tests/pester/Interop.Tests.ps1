# The certificate as .NET's X509Certificate2 and the openssl CLI read it must agree with the
# properties the module reports.

BeforeDiscovery {
    $HaveOpenSsl = [bool](Get-Command openssl -ErrorAction SilentlyContinue)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule
    $Store = New-TestStore
    $Cert = New-ExchangeCertificate -SubjectName 'C=US,O=Contoso,CN=mail.contoso.com' -DomainName mail.contoso.com, autodiscover.contoso.com -Services IIS, SMTP -PrivateKeyExportable $true -Force
    $X509 = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($Cert.RawData)
}

AfterAll { Remove-TestStore $Store }

Describe 'X509Certificate2 reading RawData' {
    It 'agrees on <Property>' -TestCases @(
        @{ Property = 'Thumbprint'; Read = { param($x) $x.Thumbprint } }
        @{ Property = 'Subject'; Read = { param($x) $x.Subject } }
        @{ Property = 'Issuer'; Read = { param($x) $x.Issuer } }
        @{ Property = 'SerialNumber'; Read = { param($x) $x.SerialNumber } }
        @{ Property = 'NotBefore'; Read = { param($x) $x.NotBefore.ToUniversalTime() } }
        @{ Property = 'NotAfter'; Read = { param($x) $x.NotAfter.ToUniversalTime() } }
        @{ Property = 'PublicKeySize'; Read = { param($x) $x.PublicKey.GetRSAPublicKey().KeySize } }
        @{ Property = 'Version'; Read = { param($x) $x.Version } }
        @{ Property = 'SignatureAlgorithm'; Read = { param($x) $x.SignatureAlgorithm.FriendlyName } }
    ) {
        # The object is an X509Certificate2: dates are local times and SignatureAlgorithm an Oid.
        $ours = switch ($Property) {
            { $_ -in 'NotBefore', 'NotAfter' } { $Cert.$Property.ToUniversalTime() }
            'SignatureAlgorithm' { $Cert.SignatureAlgorithm.FriendlyName }
            default { $Cert.$Property }
        }
        $ours | Should -Be (& $Read $X509)
    }

    It 'agrees on the SAN extension''s DNS names' {
        $san = $X509.Extensions | Where-Object { $_.Oid.Value -eq '2.5.29.17' }
        $san | Should -Not -BeNullOrEmpty
        $typed = [System.Security.Cryptography.X509Certificates.X509SubjectAlternativeNameExtension]::new($san.RawData, $san.Critical)
        @($typed.EnumerateDnsNames() | Sort-Object) | Should -Be @($Cert.CertificateDomains | Sort-Object)
    }

    It 'agrees on the subject key identifier' {
        $ski = $X509.Extensions | Where-Object { $_ -is [System.Security.Cryptography.X509Certificates.X509SubjectKeyIdentifierExtension] }
        $ski.SubjectKeyIdentifier | Should -BeExactly $Cert.SubjectKeyIdentifier
    }

    It 'carries serverAuth only, and is no CA' {
        $eku = $X509.Extensions | Where-Object { $_ -is [System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension] }
        @($eku.EnhancedKeyUsages | ForEach-Object Value) | Should -Be @('1.3.6.1.5.5.7.3.1')
        $basic = $X509.Extensions | Where-Object { $_ -is [System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension] }
        $basic.CertificateAuthority | Should -BeFalse
    }

    It 'is signed by its own key' {
        $chain = [System.Security.Cryptography.X509Certificates.X509Chain]::new()
        $chain.ChainPolicy.TrustMode = [System.Security.Cryptography.X509Certificates.X509ChainTrustMode]::CustomRootTrust
        $null = $chain.ChainPolicy.CustomTrustStore.Add($X509)
        $chain.ChainPolicy.RevocationMode = [System.Security.Cryptography.X509Certificates.X509RevocationMode]::NoCheck
        $chain.Build($X509) | Should -BeTrue -Because (($chain.ChainStatus | ForEach-Object StatusInformation) -join '; ')
    }
}

Describe 'openssl x509 -inform DER reading RawData' -Skip:(-not $HaveOpenSsl) {
    BeforeAll {
        $Folder = New-TestFolder
        $Der = Join-Path $Folder 'cert.der'
        [IO.File]::WriteAllBytes($Der, $Cert.RawData)
        $Fields = @{}
        foreach ($line in (& openssl x509 -inform DER -in $Der -noout -nameopt RFC2253 -subject -issuer -serial -startdate -enddate)) {
            $name, $value = $line -split '=', 2
            $Fields[$name.Trim()] = $value.Trim()
        }
        $Text = (& openssl x509 -inform DER -in $Der -noout -text) -join "`n"
    }
    AfterAll { Remove-Item -LiteralPath $Folder -Recurse -Force }

    It 'agrees on the subject and issuer' {
        # RFC 2253 prints most specific first, ',' separated, as .NET does with ', '.
        $Fields['subject'] | Should -BeExactly ($Cert.Subject -replace ', ', ',')
        $Fields['issuer'] | Should -BeExactly ($Cert.Issuer -replace ', ', ',')
    }

    It 'agrees on the serial number' {
        # openssl drops the DER integer's leading zero octet that .NET keeps.
        $Fields['serial'].TrimStart('0') | Should -BeExactly $Cert.SerialNumber.TrimStart('0')
    }

    It 'agrees on the validity dates' {
        ConvertFrom-OpenSslDate $Fields['notBefore'] | Should -Be $Cert.NotBefore.ToUniversalTime()
        ConvertFrom-OpenSslDate $Fields['notAfter'] | Should -Be $Cert.NotAfter.ToUniversalTime()
    }

    It 'agrees on the SANs' {
        $Text -match 'X509v3 Subject Alternative Name:\s*\n\s*(.+)' | Should -BeTrue
        $dns = @($Matches[1] -split ',\s*' | ForEach-Object { $_ -replace '^DNS:', '' } | Sort-Object)
        $dns | Should -Be @($Cert.CertificateDomains | Sort-Object)
    }

    It 'agrees on the key size and signature' {
        $Text | Should -Match "Public-Key: \($($Cert.PublicKeySize) bit\)"
        $Text | Should -Match 'Signature Algorithm: sha256WithRSAEncryption'
    }

    It 'verifies the self-signature' {
        $pem = Join-Path $Folder 'cert.pem'
        & openssl x509 -inform DER -in $Der -out $pem
        $out = & openssl verify -CAfile $pem -purpose sslserver $pem 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out -join ' ')
    }
}
