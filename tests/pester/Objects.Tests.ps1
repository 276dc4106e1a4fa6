# The objects are X509Certificate2s (docs/cmdlets.md), written from the documentation: the
# cmdlet pages type -Instance as <X509Certificate2> and Exchange's ExchangeCertificate is one, so
# X509Certificate2's documented members (SubjectName, IssuerName, Extensions, PublicKey,
# SignatureAlgorithm, NotBefore/NotAfter in local time, GetCertHashString, Verify) work, the
# object goes wherever .NET takes an X509Certificate2, and Exchange's own properties are there.
# Peers: .NET reading the same RawData on its own, and the openssl CLI.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule
    $Store = New-TestStore
    $X509 = [System.Security.Cryptography.X509Certificates.X509Certificate2]
    $Cert = New-ExchangeCertificate -SubjectName 'C=US,O=Contoso,CN=mail.contoso.com' -DomainName mail.contoso.com, autodiscover.contoso.com -Services IIS, SMTP -Force
    $Ec = New-ExchangeCertificate -DomainName ec.contoso.com -KeyAlgorithm ECDSA_P256 -Services None
    # The peers: .NET on its own, and openssl, reading the same DER.
    $Fresh = [System.Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadCertificate($Cert.RawData)
    $Dir = New-TestFolder
    $Pem = Join-Path $Dir 'mail.pem'
    Set-Content -LiteralPath $Pem -Encoding ascii -Value ("-----BEGIN CERTIFICATE-----`n" + [Convert]::ToBase64String($Cert.RawData, 'InsertLineBreaks') + "`n-----END CERTIFICATE-----")
}

AfterAll {
    Remove-TestStore $Store
    if ($Dir) { Remove-Item -LiteralPath $Dir -Recurse -Force }
}

Describe 'An ExchangeCertificate is an X509Certificate2' {
    It 'is one for .NET and for PowerShell (-is, the -Instance parameter type of the pages)' {
        $Cert -is $X509 | Should -BeTrue
        $Cert | Should -BeOfType [Excert.ExchangeCertificate]
        (Get-ExchangeCertificate $Cert.Thumbprint) -is $X509 | Should -BeTrue
        @(Get-ExchangeCertificate -Server *) | ForEach-Object { $_ -is $X509 | Should -BeTrue }
    }

    It 'has SubjectName and IssuerName as X500DistinguishedName, as .NET reads them' {
        $Cert.SubjectName | Should -BeOfType [System.Security.Cryptography.X509Certificates.X500DistinguishedName]
        $Cert.SubjectName.Name | Should -BeExactly 'CN=mail.contoso.com, O=Contoso, C=US'
        $Cert.SubjectName.Name | Should -BeExactly $Cert.Subject
        $Cert.IssuerName.Name | Should -BeExactly $Fresh.IssuerName.Name
        $Cert.SubjectName.RawData | Should -Be $Fresh.SubjectName.RawData
    }

    It 'has the Extensions .NET finds: SAN, EKU, key usage, basic constraints, subject key identifier' {
        @($Cert.Extensions.Oid.Value | Sort-Object) | Should -Be @($Fresh.Extensions.Oid.Value | Sort-Object)
        @($Cert.Extensions.Oid.Value) | Should -Contain '2.5.29.17'
        $san = $Cert.Extensions | Where-Object { $_ -is [System.Security.Cryptography.X509Certificates.X509SubjectAlternativeNameExtension] }
        @($san.EnumerateDnsNames()) | Should -Be @('mail.contoso.com', 'autodiscover.contoso.com')
        $eku = $Cert.Extensions | Where-Object { $_ -is [System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension] }
        @($eku.EnhancedKeyUsages.Value) | Should -Be @('1.3.6.1.5.5.7.3.1')
        $basic = $Cert.Extensions | Where-Object { $_ -is [System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension] }
        $basic.CertificateAuthority | Should -BeFalse
    }

    It 'has the KeyIdentifier Exchange shows: the subject key identifier extension''s value' {
        $ski = $Cert.Extensions | Where-Object { $_ -is [System.Security.Cryptography.X509Certificates.X509SubjectKeyIdentifierExtension] }
        $Cert.KeyIdentifier | Should -BeExactly $ski.SubjectKeyIdentifier
        $Cert.SubjectKeyIdentifier | Should -BeExactly $ski.SubjectKeyIdentifier
    }

    It 'has a PublicKey whose Oid names the algorithm (RSA, EC)' {
        $Cert.PublicKey.Oid.Value | Should -BeExactly '1.2.840.113549.1.1.1'
        $Cert.PublicKey.GetRSAPublicKey().KeySize | Should -Be $Cert.PublicKeySize
        $Ec.PublicKey.Oid.Value | Should -BeExactly '1.2.840.10045.2.1'
        $Ec.PublicKey.GetECDsaPublicKey().KeySize | Should -Be 256
    }

    It 'has SignatureAlgorithm as an Oid with FriendlyName, as openssl names the same algorithm' {
        $Cert.SignatureAlgorithm | Should -BeOfType [System.Security.Cryptography.Oid]
        $Cert.SignatureAlgorithm.FriendlyName | Should -BeExactly 'sha256RSA'
        $Cert.SignatureAlgorithm.Value | Should -BeExactly '1.2.840.113549.1.1.11'
        $Ec.SignatureAlgorithm.FriendlyName | Should -BeExactly 'sha256ECDSA'
        (Invoke-OpenSsl x509 -in $Pem -noout -text) -join "`n" | Should -Match 'Signature Algorithm: sha256WithRSAEncryption'
    }

    It 'has NotBefore and NotAfter in local time, the instants openssl prints' {
        $Cert.NotBefore.Kind | Should -Be 'Local'
        $Cert.NotAfter.Kind | Should -Be 'Local'
        $Cert.NotAfter | Should -Be $Fresh.NotAfter
        $dates = Invoke-OpenSsl x509 -in $Pem -noout -startdate -enddate
        ConvertFrom-OpenSslDate (($dates -match '^notBefore=') -replace '^notBefore=', '') | Should -Be $Cert.NotBefore.ToUniversalTime()
        ConvertFrom-OpenSslDate (($dates -match '^notAfter=') -replace '^notAfter=', '') | Should -Be $Cert.NotAfter.ToUniversalTime()
    }

    It 'answers GetCertHashString() with the Thumbprint, openssl''s SHA-1 fingerprint' {
        $Cert.GetCertHashString() | Should -BeExactly $Cert.Thumbprint
        $Cert.GetCertHashString() | Should -BeExactly (Get-OpenSslFingerprint $Pem)
    }

    It 'answers Verify() as .NET does for the same certificate (self-signed, untrusted here)' {
        $Cert.Verify() | Should -Be $Fresh.Verify()
    }

    It 'builds a chain with X509Chain like any X509Certificate2, with the same outcome' {
        $chain = [System.Security.Cryptography.X509Certificates.X509Chain]::new()
        $chain.ChainPolicy.RevocationMode = 'NoCheck'
        $reference = [System.Security.Cryptography.X509Certificates.X509Chain]::new()
        $reference.ChainPolicy.RevocationMode = 'NoCheck'
        $chain.Build($Cert) | Should -Be $reference.Build($Fresh)
        $chain.ChainElements[0].Certificate.Thumbprint | Should -BeExactly $Cert.Thumbprint
        # Trusted as its own root: the chain is valid.
        $trusted = [System.Security.Cryptography.X509Certificates.X509Chain]::new()
        $trusted.ChainPolicy.RevocationMode = 'NoCheck'
        $trusted.ChainPolicy.TrustMode = 'CustomRootTrust'
        $null = $trusted.ChainPolicy.CustomTrustStore.Add($Fresh)
        $trusted.Build($Cert) | Should -BeTrue
    }

    It 'goes into an X509Certificate2Collection and exports as the same DER' {
        $collection = [System.Security.Cryptography.X509Certificates.X509Certificate2Collection]::new()
        $collection.Add($Cert) | Should -Be 0
        $collection.Count | Should -Be 1
        $collection.Find('FindByThumbprint', $Cert.Thumbprint, $false).Count | Should -Be 1
        $Cert.Export('Cert') | Should -Be $Fresh.RawData
        $Cert.Equals($Fresh) | Should -BeTrue
    }
}

Describe 'Exchange''s own properties' {
    It 'has Services, ServicesStringForm, Status, RootCAType and CertificateDomains' {
        $Cert.Services | Should -Be ([Excert.AllowedServices]'IIS, SMTP')
        $Cert.ServicesStringForm | Should -BeExactly '...WS..'
        $Cert.Status | Should -BeExactly 'Valid'
        $Cert.RootCAType | Should -BeExactly 'None'
        @($Cert.CertificateDomains) | Should -Be @('mail.contoso.com', 'autodiscover.contoso.com')
        @($Cert.DnsNameList) | Should -Be @('mail.contoso.com', 'autodiscover.contoso.com')
        @($Cert.EnhancedKeyUsageList) | Should -Be @('Server Authentication (1.3.6.1.5.5.7.3.1)')
    }

    It 'has IISServices (empty: no IIS off Windows) and AccessRules (null: keys are owner-only files)' {
        $Cert.PSObject.Properties['IISServices'] | Should -Not -BeNullOrEmpty
        @($Cert.IISServices).Count | Should -Be 0
        $Cert.PSObject.Properties['AccessRules'] | Should -Not -BeNullOrEmpty
        $Cert.AccessRules | Should -BeNullOrEmpty
    }

    It 'has HasPrivateKey and FriendlyName from the store; as an X509Certificate2 it carries no key' {
        $Cert.HasPrivateKey | Should -BeTrue
        $Cert.FriendlyName | Should -BeExactly 'Microsoft Exchange'
        # X509Certificate2.HasPrivateKey is not virtual: code that sees the base type reads the
        # object's own key, which stays in the store.
        $X509.GetProperty('HasPrivateKey').GetValue($Cert) | Should -BeFalse
    }

    It 'shows Exchange''s table view: Thumbprint, Services (letters), Subject' {
        $lines = (Get-ExchangeCertificate $Cert.Thumbprint | Out-String -Width 200).Trim() -split '\r?\n'
        $lines[0] | Should -Match '^Thumbprint\s+Services\s+Subject\s*$'
        $lines[2] | Should -Match ('^' + $Cert.Thumbprint + '\s+\.\.\.WS\.\.\s+CN=mail\.contoso\.com, O=Contoso, C=US\s*$')
    }
}

Describe 'A damaged RawData in an answer' {
    It 'is refused with a message naming the problem, alone and in a long listing (built in parallel)' {
        $bad = '{"Thumbprint":"AB","RawData":"AQID"}'
        { [Excert.Answers]::Parse('{"Certificate":' + $bad + '}') } | Should -Throw '*not a certificate .NET can read*'
        $many = '{"Certificates":[' + ((1..100 | ForEach-Object { $bad }) -join ',') + ']}'
        { [Excert.Answers]::Parse($many) } | Should -Throw '*not a certificate .NET can read*'
    }
}

Describe 'Pending requests' {
    BeforeAll {
        $Request = New-ExchangeCertificate -GenerateRequest -SubjectName 'CN=pending.contoso.com' -DomainName pending.contoso.com
        $Pending = Get-ExchangeCertificate | Where-Object Status -EQ 'PendingRequest'
    }

    It 'are listed with Status PendingRequest, typed Excert.ExchangeCertificateRequest (no certificate yet)' {
        @($Pending).Count | Should -Be 1
        $Pending -is $X509 | Should -BeFalse
        $Pending.PSObject.TypeNames[0] | Should -BeExactly 'Excert.ExchangeCertificateRequest'
        @($Pending.CertificateDomains) | Should -Be @('pending.contoso.com')
        $Pending.HasPrivateKey | Should -BeTrue
    }

    It 'share the table view' {
        ($Pending | Out-String -Width 200) | Should -Match ('(?m)^' + $Pending.Thumbprint + '\s+\.{7}\s+CN=pending\.contoso\.com\s*$')
    }
}

Describe 'Serialized objects (a job: another process, PowerShell''s remoting serializer)' {
    BeforeAll {
        $Module = $ExcertModuleManifest
        $FromJob = @(Start-Job -ScriptBlock {
                $env:EXCERT_STORE = $using:Store.Path
                Import-Module $using:Module -ErrorAction Stop
                Get-ExchangeCertificate $using:Cert.Thumbprint
            } | Wait-Job | Receive-Job)
    }

    It 'keeps Exchange''s properties, typed Deserialized.Excert.ExchangeCertificate' {
        $FromJob.Count | Should -Be 1
        $FromJob[0].PSObject.TypeNames[0] | Should -BeExactly 'Deserialized.Excert.ExchangeCertificate'
        $FromJob[0].Thumbprint | Should -BeExactly $Cert.Thumbprint
        $FromJob[0].Services | Should -BeExactly 'IIS, SMTP'
        $FromJob[0].ServicesStringForm | Should -BeExactly '...WS..'
        $FromJob[0].Status | Should -BeExactly 'Valid'
        @($FromJob[0].CertificateDomains) | Should -Be @('mail.contoso.com', 'autodiscover.contoso.com')
        $FromJob[0].HasPrivateKey | Should -BeTrue
        $FromJob[0].NotAfter | Should -Be $Cert.NotAfter
    }

    It 'keeps the table view' {
        $lines = ($FromJob[0] | Out-String -Width 200).Trim() -split '\r?\n'
        $lines[0] | Should -Match '^Thumbprint\s+Services\s+Subject'
        $lines[2] | Should -Match ('^' + $Cert.Thumbprint + '\s+\.\.\.WS\.\.\s+CN=mail\.contoso\.com')
    }

    It 'pipes into Enable-, Export- and Remove-ExchangeCertificate (by Thumbprint and Server)' {
        $enabled = $FromJob[0] | Enable-ExchangeCertificate -Services IMAP -Force
        $enabled.Services | Should -Be ([Excert.AllowedServices]'IMAP, IIS, SMTP')
        $exported = $FromJob[0] | Export-ExchangeCertificate -BinaryEncoded
        $exported.FileData | Should -Be $Cert.RawData
        $copy = New-ExchangeCertificate -DomainName copy.contoso.com -KeyAlgorithm ECDSA_P256 -Services None
        $serialized = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($copy))
        $serialized | Remove-ExchangeCertificate -Confirm:$false
        Get-ExchangeCertificate $copy.Thumbprint -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'keeps the properties in a session without the module (Export-Clixml, Import-Clixml)' {
        $file = Join-Path $Dir 'cert.clixml'
        $Cert | Export-Clixml -LiteralPath $file
        $child = Invoke-ChildPwsh -Script @"
`$c = Import-Clixml -LiteralPath '$file'
'TYPE=' + `$c.PSObject.TypeNames[0]
'SERVICES=' + `$c.Services
'MODULE=' + [bool](Get-Module ExchangeCertificate)
"@
        $child.ExitCode | Should -Be 0 -Because $child.Output
        $child.Output | Should -Match 'TYPE=Deserialized\.Excert\.ExchangeCertificate'
        $child.Output | Should -Match 'SERVICES=IIS, SMTP'
        $child.Output | Should -Match 'MODULE=False'
    }
}
