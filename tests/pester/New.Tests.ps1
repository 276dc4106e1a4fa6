# New-ExchangeCertificate against the real library, each Describe in its own store.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule
}

Describe 'New-ExchangeCertificate with Exchange''s defaults' {
    BeforeAll {
        $Store = New-TestStore
        $Before = [datetime]::UtcNow
        $Cert = New-ExchangeCertificate
        $X509 = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($Cert.RawData)
    }
    AfterAll { Remove-TestStore $Store }

    It 'returns one ExchangeCertificate object' {
        @($Cert).Count | Should -Be 1
        $Cert.PSObject.TypeNames[0] | Should -BeExactly 'Excert.ExchangeCertificate'
    }

    It 'is for this host, subject CN=<server>' {
        $hostName = [System.Net.Dns]::GetHostName().Split('.')[0]
        # The store spells server names in upper case (Exchange's EX01); the CN keeps the host's
        # own spelling, so compare it without case.
        $Cert.Server | Should -BeExactly $hostName.ToUpperInvariant()
        $Cert.Subject | Should -Be "CN=$hostName"
        $Cert.Issuer | Should -BeExactly $Cert.Subject
        $Cert.Identity | Should -BeExactly "$($Cert.Server)\$($Cert.Thumbprint)"
    }

    It 'has Exchange''s SANs: the server name (and FQDN when it differs)' {
        # The FQDN as docs/cmdlets.md defines it offline: the host name when it is dotted, else
        # the host's first dotted alias in /etc/hosts. Not Dns.GetHostEntry: it throws on a host
        # whose name does not resolve (a CI container), which the module itself never needs.
        $hostName = [System.Net.Dns]::GetHostName().TrimEnd('.')
        $short = $hostName.Split('.')[0]
        $fqdn = if ($hostName.Contains('.')) { $hostName } else {
            Get-Content /etc/hosts | ForEach-Object { ($_ -split '#')[0] -split '\s+' | Select-Object -Skip 1 } |
                Where-Object { $_.Contains('.') -and $_.Split('.')[0] -eq $short } | Select-Object -First 1
        }
        $Cert.CertificateDomains | Should -Contain $Cert.Server
        if ($fqdn) { $Cert.CertificateDomains | Should -Contain $fqdn }
        foreach ($name in $Cert.CertificateDomains) {
            $name | Should -BeIn @($Cert.Server, $fqdn)
        }
        @($Cert.CertificateDomains | Sort-Object -Unique).Count | Should -Be @($Cert.CertificateDomains).Count
    }

    It 'is named Microsoft Exchange' {
        $Cert.FriendlyName | Should -BeExactly 'Microsoft Exchange'
    }

    It 'is assigned to IMAP, POP, SMTP (IP..S..)' {
        $Cert.Services | Should -Be ([Excert.AllowedServices]'IMAP, POP, SMTP')
        $Cert.Services | Should -BeOfType [Excert.AllowedServices]
        $Cert.Services.ToString() | Should -BeExactly 'IMAP, POP, SMTP'
        $Cert.ServicesStringForm | Should -BeExactly 'IP..S..'
    }

    It 'has an RSA 2048 key that is not exportable' {
        $Cert.KeyAlgorithm | Should -BeExactly 'RSA'
        $Cert.PublicKeySize | Should -Be 2048
        $X509.PublicKey.GetRSAPublicKey().KeySize | Should -Be 2048
        $Cert.HasPrivateKey | Should -BeTrue
        $Cert.PrivateKeyExportable | Should -BeFalse
        # An Oid, as X509Certificate2's (docs/cmdlets.md, "The objects").
        $Cert.SignatureAlgorithm.FriendlyName | Should -BeExactly 'sha256RSA'
    }

    It 'is valid from now for 60 months' {
        $Cert.NotBefore | Should -BeOfType [datetime]
        # Local times, as X509Certificate2 gives them (docs/cmdlets.md, "The objects").
        $Cert.NotBefore.Kind | Should -Be 'Local'
        $Cert.NotAfter.Kind | Should -Be 'Local'
        # Certificates carry whole seconds; allow the clock's second and a little back-dating.
        $Cert.NotBefore | Should -BeLessOrEqual ([datetime]::Now)
        $Cert.NotBefore | Should -BeGreaterThan $Before.AddMinutes(-5)
        [math]::Abs(($Cert.NotAfter - $Cert.NotBefore.AddMonths(60)).TotalDays) | Should -BeLessOrEqual 1
        $Cert.DaysUntilExpiry | Should -BeIn @(1824..1827)
        $Cert.ExpiryWarning | Should -BeFalse
    }

    It 'is a valid self-signed v3 server certificate' {
        $Cert.IsSelfSigned | Should -BeTrue
        $Cert.Status | Should -BeExactly 'Valid'
        $Cert.RootCAType | Should -BeExactly 'None'
        $Cert.Version | Should -Be 3
        $Cert.EnhancedKeyUsageList | Should -Be @('Server Authentication (1.3.6.1.5.5.7.3.1)')
        $Cert.CertificateRequest | Should -BeNullOrEmpty
    }

    It 'is the certificate of its thumbprint' {
        $Cert.Thumbprint | Should -BeExactly $X509.Thumbprint
        $Cert.Thumbprint | Should -MatchExactly '^[0-9A-F]{40}$'
    }

    It 'is stored: Get-ExchangeCertificate finds it' {
        $found = Get-ExchangeCertificate -Thumbprint $Cert.Thumbprint
        $found.Thumbprint | Should -BeExactly $Cert.Thumbprint
        [Convert]::ToBase64String($found.RawData) | Should -BeExactly ([Convert]::ToBase64String($Cert.RawData))
    }
}

Describe 'New-ExchangeCertificate with the issue''s command' {
    BeforeAll {
        $Store = New-TestStore
        $Cert = New-ExchangeCertificate -SubjectName 'C=US,O=Contoso,CN=mail.contoso.com' -DomainName mail.contoso.com, autodiscover.contoso.com -Services IIS, SMTP -PrivateKeyExportable $true -Force
    }
    AfterAll { Remove-TestStore $Store }

    It 'prints the subject most specific first' {
        $Cert.Subject | Should -BeExactly 'CN=mail.contoso.com, O=Contoso, C=US'
        $Cert.Issuer | Should -BeExactly 'CN=mail.contoso.com, O=Contoso, C=US'
    }

    It 'lists both names once each' {
        $Cert.CertificateDomains | Should -Contain 'mail.contoso.com'
        $Cert.CertificateDomains | Should -Contain 'autodiscover.contoso.com'
        @($Cert.CertificateDomains).Count | Should -Be 2
        $Cert.DnsNameList | Should -Contain 'autodiscover.contoso.com'
    }

    It 'is assigned to IIS and SMTP (...WS..)' {
        $Cert.Services | Should -Be ([Excert.AllowedServices]::IIS -bor [Excert.AllowedServices]::SMTP)
        $Cert.Services.ToString() | Should -BeExactly 'IIS, SMTP'
        $Cert.ServicesStringForm | Should -BeExactly '...WS..'
    }

    It 'has an exportable private key' {
        $Cert.HasPrivateKey | Should -BeTrue
        $Cert.PrivateKeyExportable | Should -BeTrue
    }
}

Describe 'New-ExchangeCertificate key choices' {
    BeforeAll { $Store = New-TestStore }
    AfterAll { Remove-TestStore $Store }

    It 'makes an RSA key of <KeySize> bits' -TestCases @(
        @{ KeySize = 1024 }
        @{ KeySize = 2048 }
        @{ KeySize = 3072 }
        @{ KeySize = 4096 }
    ) {
        $cert = New-ExchangeCertificate -KeySize $KeySize -Services IIS -DomainName "rsa$KeySize.contoso.com"
        $cert.PublicKeySize | Should -Be $KeySize
        $cert.KeyAlgorithm | Should -BeExactly 'RSA'
        $x509 = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($cert.RawData)
        $x509.PublicKey.GetRSAPublicKey().KeySize | Should -Be $KeySize
    }

    It 'makes a <KeyAlgorithm> key of <Bits> bits signed <Signature>' -TestCases @(
        @{ KeyAlgorithm = 'ECDSA_P256'; Bits = 256; Signature = 'sha256ECDSA' }
        @{ KeyAlgorithm = 'ECDSA_P384'; Bits = 384; Signature = 'sha384ECDSA' }
    ) {
        $cert = New-ExchangeCertificate -KeyAlgorithm $KeyAlgorithm -Services IIS -DomainName "ec$Bits.contoso.com"
        $cert.KeyAlgorithm | Should -BeExactly $KeyAlgorithm
        $cert.PublicKeySize | Should -Be $Bits
        $cert.SignatureAlgorithm.FriendlyName | Should -BeExactly $Signature
        $x509 = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($cert.RawData)
        $x509.PublicKey.GetECDsaPublicKey().KeySize | Should -Be $Bits
        $x509.SignatureAlgorithm.FriendlyName | Should -BeExactly $Signature
    }

    It 'refuses KeySize <KeySize> at binding (ValidateSet)' -TestCases @(
        @{ KeySize = 1000 }
        @{ KeySize = 8192 }
    ) {
        { New-ExchangeCertificate -KeySize $KeySize } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Excert.Cmdlets.NewExchangeCertificate'
    }

    It 'refuses KeyAlgorithm <Name> at binding (ValidateSet)' -TestCases @(
        @{ Name = 'DSA' }
        @{ Name = 'ECDSA_P521' }
    ) {
        { New-ExchangeCertificate -KeyAlgorithm $Name } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Excert.Cmdlets.NewExchangeCertificate'
    }

    It 'uses the SubjectKeyIdentifier given' {
        $ski = '0123456789ABCDEF0123456789ABCDEF01234567'
        $cert = New-ExchangeCertificate -SubjectKeyIdentifier $ski -Services IIS -DomainName 'ski.contoso.com'
        $cert.SubjectKeyIdentifier | Should -BeExactly $ski
        $x509 = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($cert.RawData)
        $extension = $x509.Extensions | Where-Object { $_ -is [System.Security.Cryptography.X509Certificates.X509SubjectKeyIdentifierExtension] }
        $extension.SubjectKeyIdentifier | Should -BeExactly $ski
    }

    It 'keeps a non-ASCII FriendlyName intact through the UTF-8 boundary' {
        $name = 'Zertifikat für Exchange – 2026 ✓'
        $cert = New-ExchangeCertificate -FriendlyName $name -Services IIS -DomainName 'utf8.contoso.com'
        $cert.FriendlyName | Should -BeExactly $name
        (Get-ExchangeCertificate $cert.Thumbprint).FriendlyName | Should -BeExactly $name
    }

    It 'stores an IDN DomainName as punycode' {
        $idn = 'bücher.contoso.com'
        $ascii = [Globalization.IdnMapping]::new().GetAscii($idn)
        $ascii | Should -BeExactly 'xn--bcher-kva.contoso.com'
        $cert = New-ExchangeCertificate -DomainName $idn -Services IIS
        $cert.CertificateDomains | Should -Contain $ascii
        $cert.CertificateDomains | Should -Not -Contain $idn
    }

    It 'uses the FriendlyName given' {
        $cert = New-ExchangeCertificate -FriendlyName 'Contoso mail 2026' -Services IIS -DomainName 'fn.contoso.com'
        $cert.FriendlyName | Should -BeExactly 'Contoso mail 2026'
        (Get-ExchangeCertificate $cert.Thumbprint).FriendlyName | Should -BeExactly 'Contoso mail 2026'
    }
}

Describe 'New-ExchangeCertificate and the default SMTP certificate' {
    # New-ExchangeCertificate page, example 1 and -Force: a new SMTP certificate asks to replace
    # the default SMTP certificate; "No" keeps it (the certificate is still made), -Force
    # replaces it without asking and "hides warning or confirmation messages".
    BeforeAll {
        $Store = New-TestStore
        $First = New-ExchangeCertificate -DomainName 'smtp1.contoso.com'
        $Library = [Excert.Cmdlets.ModuleImport]::Library.Path
        $Assignments = Join-Path $Store.Path "servers/$($First.Server)/assignments"
        # One script tries twice: an interactive child answers No, then Yes.
        $Second = @"
try { Import-Module '$ExcertModuleManifest' -ErrorAction Stop } catch { 'IMPORT FAILED: ' + `$_.Exception.Message; exit 3 }
foreach (`$try in 'FIRST', 'SECOND') {
    `$cert = New-ExchangeCertificate -DomainName "smtp2-`$try.contoso.com" -ErrorVariable failure -ErrorAction SilentlyContinue -WarningVariable warned -WarningAction SilentlyContinue
    "`$try CREATED=" + [bool]`$cert + ' SERVICES=' + `$cert.Services
    "`$try ERRORS=" + ((`$failure | Where-Object { `$_ -is [System.Management.Automation.ErrorRecord] -and `$_.FullyQualifiedErrorId.Contains(',') } | ForEach-Object FullyQualifiedErrorId) -join ';')
    "`$try MESSAGE=" + ((`$failure | Where-Object { `$_ -is [System.Management.Automation.ErrorRecord] -and `$_.FullyQualifiedErrorId.Contains(',') } | ForEach-Object { `$_.Exception.Message }) -join ';')
    "`$try WARNING=" + (`$warned -join ';')
    "`$try COUNT=" + @(Get-ExchangeCertificate).Count
    "`$try DEFAULT=" + ((Get-Content -Raw '$Assignments') -split "``n" | Where-Object { `$_ -like 'DefaultSMTP=*' })
    "`$try NEW=" + `$cert.Thumbprint
}
"@
    }
    AfterAll { Remove-TestStore $Store }

    It 'is the first SMTP certificate, made without asking' {
        $First.Services.HasFlag([Excert.AllowedServices]::SMTP) | Should -BeTrue
    }

    It 'cannot ask in a non-interactive session: one ConfirmationRequired error naming -Force, nothing created' {
        $child = Invoke-ChildPwsh -Environment @{ EXCERT_LIBRARY = $Library; EXCERT_STORE = $Store.Path } -Script $Second
        $child.ExitCode | Should -Be 0 -Because $child.Output
        foreach ($try in 'FIRST', 'SECOND') {
            $child.Output | Should -Match "$try CREATED=False"
            # Exactly one error written: the refusal, not the host's inability to prompt as well.
            $child.Output | Should -Match "(?m)^$try ERRORS=ConfirmationRequired,Excert.Cmdlets.NewExchangeCertificate\s*$"
            $child.Output | Should -Match "$try COUNT=1"
        }
        # The message names the certificate it would replace and the parameters to add.
        $child.Output | Should -Match ('MESSAGE=.*' + $First.Thumbprint + '.*not interactive.*add -Force \(or -Confirm:\$false\)')
    }

    It 'on No keeps the default and still creates the certificate for SMTP; on Yes replaces it' {
        $child = Invoke-ChildPwsh -Interactive -InputText "N`nY`n" -Environment @{ EXCERT_LIBRARY = $Library; EXCERT_STORE = $Store.Path } -Script $Second
        $child.ExitCode | Should -Be 0 -Because $child.Output
        $child.Output | Should -Match 'FIRST CREATED=True SERVICES=IMAP, POP, SMTP'
        $child.Output | Should -Match '(?m)^FIRST ERRORS=\s*$'
        $child.Output | Should -Match 'FIRST COUNT=2'
        $child.Output | Should -Match ('FIRST DEFAULT=DefaultSMTP=' + $First.Thumbprint)
        $child.Output | Should -Match 'SECOND CREATED=True'
        $child.Output | Should -Match '(?m)^SECOND ERRORS=\s*$'
        $child.Output | Should -Match 'SECOND COUNT=3'
        $newDefault = [regex]::Match($child.Output, 'SECOND NEW=([0-9A-F]{40})').Groups[1].Value
        $child.Output | Should -Match ('SECOND DEFAULT=DefaultSMTP=' + $newDefault)
    }

    It 'replaces the default without asking and without a warning with -Force' {
        $third = New-ExchangeCertificate -DomainName 'smtp3.contoso.com' -Force -WarningVariable warned -WarningAction SilentlyContinue
        $third.Services.HasFlag([Excert.AllowedServices]::SMTP) | Should -BeTrue
        @($warned).Count | Should -Be 0
        (Get-Content -Raw $Assignments) | Should -Match ('DefaultSMTP=' + $third.Thumbprint)
    }

    It 'replaces the default without asking with -Confirm:$false' {
        $fourth = New-ExchangeCertificate -DomainName 'smtp4.contoso.com' -Confirm:$false
        (Get-Content -Raw $Assignments) | Should -Match ('DefaultSMTP=' + $fourth.Thumbprint)
    }
}

Describe 'New-ExchangeCertificate -Server' {
    BeforeAll {
        $Store = New-TestStore
        $Local = New-ExchangeCertificate -Services IIS -DomainName 'local.contoso.com'
        $Remote = New-ExchangeCertificate -Server 'EX01' -Services IIS -DomainName 'ex01.contoso.com'
    }
    AfterAll { Remove-TestStore $Store }

    It 'stores the certificate under the named server' {
        $Remote.Server | Should -BeExactly 'EX01'
        $Remote.Identity | Should -BeExactly "EX01\$($Remote.Thumbprint)"
        (Get-ExchangeCertificate -Server EX01).Thumbprint | Should -Be @($Remote.Thumbprint)
    }

    It 'keeps the servers apart' {
        (Get-ExchangeCertificate).Thumbprint | Should -Be @($Local.Thumbprint)
        Get-ExchangeCertificate -Thumbprint $Remote.Thumbprint -ErrorAction SilentlyContinue -ErrorVariable missing | Should -BeNullOrEmpty
        Get-ErrorId (Select-WrittenError $missing)[0] | Should -BeExactly 'NotFound'
    }

    It 'lists every server with -Server *' {
        @((Get-ExchangeCertificate -Server '*').Thumbprint | Sort-Object) | Should -Be @(@($Local.Thumbprint, $Remote.Thumbprint) | Sort-Object)
    }
}

Describe 'New-ExchangeCertificate with invalid input' {
    BeforeAll { $Store = New-TestStore }
    AfterAll { Remove-TestStore $Store }

    It 'writes a non-terminating <ErrorId> error for <Case>' -TestCases @(
        @{ Case = 'a 64-character FriendlyName'; Arguments = @{ FriendlyName = 'x' * 64 }; ErrorId = 'InvalidArgument' }
        @{ Case = 'a SubjectName that is no X.500 name'; Arguments = @{ SubjectName = 'mail.contoso.com' }; ErrorId = 'InvalidArgument' }
        @{ Case = 'a SubjectName with an unknown attribute'; Arguments = @{ SubjectName = 'XX=1,CN=mail.contoso.com' }; ErrorId = 'InvalidArgument' }
        @{ Case = 'a DomainName with a space'; Arguments = @{ DomainName = 'mail contoso.com' }; ErrorId = 'InvalidArgument' }
        @{ Case = 'a DomainName with an empty label'; Arguments = @{ DomainName = 'mail..contoso.com' }; ErrorId = 'InvalidArgument' }
        @{ Case = 'a wildcard that is not the leftmost label'; Arguments = @{ DomainName = 'mail.*.contoso.com' }; ErrorId = 'InvalidArgument' }
        @{ Case = 'a SubjectKeyIdentifier that is not hex'; Arguments = @{ SubjectKeyIdentifier = 'not-hex' }; ErrorId = 'InvalidArgument' }
    ) {
        # Non-terminating: with SilentlyContinue a terminating error would still throw here.
        $out = New-ExchangeCertificate @Arguments -Services IIS -ErrorAction SilentlyContinue -ErrorVariable failure
        $out | Should -BeNullOrEmpty
        (Select-WrittenError $failure).Count | Should -Be 1
        (Select-WrittenError $failure)[0].FullyQualifiedErrorId | Should -BeExactly "$ErrorId,Excert.Cmdlets.NewExchangeCertificate"
        (Select-WrittenError $failure)[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        (Select-WrittenError $failure)[0].Exception | Should -BeOfType [Excert.ExcertException]
        (Select-WrittenError $failure)[0].Exception.Code | Should -Be 4
        (Select-WrittenError $failure)[0].Exception.Message | Should -Not -BeNullOrEmpty
        (Select-WrittenError $failure)[0].TargetObject | Should -Not -BeNullOrEmpty
        Get-ExchangeCertificate | Should -BeNullOrEmpty
    }

    It 'stops on the error with -ErrorAction Stop' {
        { New-ExchangeCertificate -FriendlyName ('x' * 64) -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidArgument,Excert.Cmdlets.NewExchangeCertificate'
    }
}

Describe 'New-ExchangeCertificate -WhatIf' {
    BeforeAll { $Store = New-TestStore }
    AfterAll { Remove-TestStore $Store }

    It 'creates nothing' {
        $out = New-ExchangeCertificate -SubjectName 'CN=whatif.contoso.com' -WhatIf
        $out | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath $Store.Path -Recurse -File).Count | Should -Be 0
        Get-ExchangeCertificate | Should -BeNullOrEmpty
    }

    It 'says what it would create' {
        # WhatIf text goes to the host: a child pwsh's output shows it.
        $library = [Excert.Cmdlets.ModuleImport]::Library.Path
        $child = Invoke-ChildPwsh -Environment @{ EXCERT_LIBRARY = $library; EXCERT_STORE = $Store.Path } -Script @"
try { Import-Module '$ExcertModuleManifest' -ErrorAction Stop } catch { 'IMPORT FAILED: ' + `$_.Exception.Message; exit 3 }
New-ExchangeCertificate -SubjectName 'CN=whatif.contoso.com' -Server 'EX02' -WhatIf
'COUNT=' + @(Get-ExchangeCertificate -Server '*').Count
"@
        $child.ExitCode | Should -Be 0 -Because $child.Output
        $child.Output | Should -Match 'What if: Performing the operation "Create a self-signed certificate" on target "CN=whatif\.contoso\.com on EX02"'
        $child.Output | Should -Match 'COUNT=0'
    }
}
