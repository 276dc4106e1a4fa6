# Exchange scripts run unchanged: each example and documented parameter behaviour of
# Microsoft's cmdlet reference pages (New-, Get-, Import-, Export-, Enable-,
# Remove-ExchangeCertificate, New-/Get-/Remove-AcceptedDomain) and of the procedure "Renew the
# federation certificate", written from the page (named in each Describe) and run on the real
# library, checked with .NET's X509Certificate2 and the openssl CLI. Windows paths of the
# examples become paths in a temporary folder; prompts are answered with -Force or
# -Confirm:$false where the page's example would prompt (the prompts themselves are in
# New.Tests.ps1 and Services.Tests.ps1).

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule

    function Get-X509([string] $Thumbprint, [string] $Server) {
        $arguments = @{ Thumbprint = $Thumbprint }
        if ($Server) { $arguments['Server'] = $Server }
        [System.Security.Cryptography.X509Certificates.X509Certificate2]::new((Get-ExchangeCertificate @arguments).RawData)
    }
    function Get-DnsNames($X509) {
        $san = $X509.Extensions | Where-Object { $_.Oid.Value -eq '2.5.29.17' }
        @(([System.Security.Cryptography.X509Certificates.X509SubjectAlternativeNameExtension]$san).EnumerateDnsNames())
    }
}

Describe 'New-ExchangeCertificate page: examples' {
    BeforeAll {
        $Store = New-TestStore
        $Dir = New-TestFolder
        $Host_ = [Environment]::MachineName
    }
    AfterAll {
        Remove-TestStore $Store
        Remove-Item -LiteralPath $Dir -Recurse -Force
    }

    It 'Example 1: New-ExchangeCertificate (Subject CN=<ServerName>, Services IMAP, POP, SMTP)' {
        $cert = New-ExchangeCertificate
        $x509 = Get-X509 $cert.Thumbprint
        $x509.Subject | Should -BeExactly "CN=$($cert.Server.ToLowerInvariant())" -Because 'the subject is CN=<ServerName>'
        $cert.Services | Should -Be ([Excert.AllowedServices]'IMAP, POP, SMTP')
        (Get-DnsNames $x509) | Should -Contain $cert.Server.ToLowerInvariant()
    }

    It 'Example 2: a request for a CA, written to -RequestFile and shown, with the CN among the SANs' {
        $file = Join-Path $Dir 'woodgrovebank.req'
        $text = New-ExchangeCertificate -GenerateRequest -RequestFile $file -SubjectName "c=US,o=Woodgrove Bank,cn=mail.woodgrovebank.com" -DomainName autodiscover.woodgrovebank.com, mail.fabrikam.com, autodiscover.fabrikam.com
        $text | Should -Match '^-----BEGIN NEW CERTIFICATE REQUEST-----'
        (Get-Content -Raw $file).Trim() | Should -BeExactly $text.Trim()
        $shown = (Invoke-OpenSsl req -in $file -noout -text) -join "`n"
        $shown | Should -Match 'Subject: C\s*=\s*US, O\s*=\s*Woodgrove Bank, CN\s*=\s*mail.woodgrovebank.com'
        foreach ($name in 'mail.woodgrovebank.com', 'autodiscover.woodgrovebank.com', 'mail.fabrikam.com', 'autodiscover.fabrikam.com') {
            $shown | Should -Match ([regex]::Escape("DNS:$name"))
        }
    }

    It 'Example 3: Get-ExchangeCertificate -Thumbprint T | New-ExchangeCertificate -PrivateKeyExportable $true renews it, exportable' {
        $old = New-ExchangeCertificate -DomainName renew3.contoso.com -Services IIS -Force
        $new = Get-ExchangeCertificate -Thumbprint $old.Thumbprint.ToLowerInvariant() | New-ExchangeCertificate -PrivateKeyExportable $true
        $new.Thumbprint | Should -Not -Be $old.Thumbprint
        $new.PrivateKeyExportable | Should -BeTrue
        $new.CertificateDomains | Should -Be $old.CertificateDomains
        $new.Services | Should -Be ([Excert.AllowedServices]::IIS)
        # "allows the renewed self-signed certificate to be exported": a PFX .NET opens with its key.
        $pw = ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force
        $pfx = Export-ExchangeCertificate -Thumbprint $new.Thumbprint -BinaryEncoded -Password $pw
        $opened = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($pfx.FileData, 'P@ssw0rd1',
            [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::EphemeralKeySet)
        $opened.HasPrivateKey | Should -BeTrue
    }

    It 'Example 4: Get-ExchangeCertificate -Thumbprint T | New-ExchangeCertificate -GenerateRequest -RequestFile renews as a request' {
        $old = New-ExchangeCertificate -SubjectName 'C=US,O=Fabrikam,CN=mail.fabrikam.com' -DomainName autodiscover.fabrikam.com -Services None
        $file = Join-Path $Dir 'fabrikam_renewal.req'
        $text = Get-ExchangeCertificate -Thumbprint $old.Thumbprint | New-ExchangeCertificate -GenerateRequest -RequestFile $file
        $text | Should -Match 'NEW CERTIFICATE REQUEST'
        $shown = (Invoke-OpenSsl req -in $file -noout -text) -join "`n"
        $shown | Should -Match 'CN\s*=\s*mail.fabrikam.com'
        $shown | Should -Match 'DNS:autodiscover.fabrikam.com'
        @(Get-ExchangeCertificate | Where-Object Status -eq PendingRequest).Count | Should -BeGreaterOrEqual 1
    }

    It 'Example 5: Get-ExchangeCertificate -Thumbprint T | New-ExchangeCertificate renews a self-signed certificate' {
        $old = New-ExchangeCertificate -DomainName renew5.contoso.com -Services POP -Force
        $new = Get-ExchangeCertificate -Thumbprint $old.Thumbprint | New-ExchangeCertificate -Force
        $new.Thumbprint | Should -Not -Be $old.Thumbprint
        $new.Subject | Should -BeExactly $old.Subject
        (Get-ExchangeCertificate $new.Thumbprint).Services | Should -Be ([Excert.AllowedServices]::POP)
    }
}

Describe 'New-ExchangeCertificate page: parameters' {
    BeforeAll {
        $Store = New-TestStore
        # The organization's accepted domains of the -IncludeAutoDiscover description.
        $null = New-AcceptedDomain -Name WoodgroveBank -DomainName woodgrovebank.com
        $null = New-AcceptedDomain -Name WoodgroveBankUK -DomainName woodgrovebank.co.uk -DomainType InternalRelay
    }
    AfterAll { Remove-TestStore $Store }

    It '-IncludeAutoDiscover adds autodiscover.woodgrovebank.com and autodiscover.woodgrovebank.co.uk; without -Services, SMTP only' {
        $cert = New-ExchangeCertificate -SubjectName 'CN=mail.woodgrovebank.com' -IncludeAutoDiscover -Force
        $names = Get-DnsNames (Get-X509 $cert.Thumbprint)
        $names | Should -Be @('mail.woodgrovebank.com', 'autodiscover.woodgrovebank.com', 'autodiscover.woodgrovebank.co.uk')
        $cert.Services | Should -Be ([Excert.AllowedServices]::SMTP)
    }

    It '-IncludeAcceptedDomains adds every accepted domain once, also one already in -DomainName' {
        $cert = New-ExchangeCertificate -SubjectName 'CN=mail.woodgrovebank.com' -DomainName WoodgroveBank.com -IncludeAcceptedDomains -Services IIS
        $names = Get-DnsNames (Get-X509 $cert.Thumbprint)
        $names | Should -Be @('mail.woodgrovebank.com', 'WoodgroveBank.com', 'woodgrovebank.co.uk')
        $cert.Services | Should -Be ([Excert.AllowedServices]::IIS)
    }

    It '-IncludeAcceptedDomains -IncludeAutoDiscover -GenerateRequest puts both in the request' {
        $text = New-ExchangeCertificate -GenerateRequest -SubjectName 'C=US,CN=mail.woodgrovebank.com' -IncludeAcceptedDomains -IncludeAutoDiscover
        $file = Join-Path ([IO.Path]::GetTempPath()) ('excert-req-' + [Guid]::NewGuid().ToString('N') + '.req')
        try {
            Set-Content -LiteralPath $file -Value $text -Encoding ascii
            $shown = (Invoke-OpenSsl req -in $file -noout -text) -join "`n"
        } finally { Remove-Item -LiteralPath $file -Force }
        foreach ($name in 'woodgrovebank.com', 'woodgrovebank.co.uk', 'autodiscover.woodgrovebank.com', 'autodiscover.woodgrovebank.co.uk') {
            $shown | Should -Match ([regex]::Escape("DNS:$name") + '(,|\s|$)')
        }
    }

    It '-SubjectKeyIdentifier takes $ski = [System.Guid]::NewGuid().ToString("N"), as the page suggests' {
        $ski = [System.Guid]::NewGuid().ToString("N")
        $cert = New-ExchangeCertificate -DomainName ski.contoso.com -SubjectKeyIdentifier $ski -Services None
        $extension = (Get-X509 $cert.Thumbprint).Extensions | Where-Object { $_.Oid.Value -eq '2.5.29.14' }
        ([System.Security.Cryptography.X509Certificates.X509SubjectKeyIdentifierExtension]$extension).SubjectKeyIdentifier | Should -BeExactly $ski.ToUpperInvariant()
    }

    It '-DomainController dc01.contoso.com is accepted, ignored, and says so' {
        $verbose = New-ExchangeCertificate -DomainName dc.contoso.com -Services None -DomainController dc01.contoso.com -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        "$verbose" | Should -Match 'DomainController dc01.contoso.com is ignored'
        @(Get-ExchangeCertificate -DomainName dc.contoso.com).Count | Should -Be 1
    }

    It '-Instance takes an X509Certificate2 (the documented type) and renews that certificate' {
        $old = New-ExchangeCertificate -DomainName instance.contoso.com -Services IMAP -Force
        $new = New-ExchangeCertificate -Instance (Get-X509 $old.Thumbprint) -Force
        $new.Thumbprint | Should -Not -Be $old.Thumbprint
        $new.CertificateDomains | Should -Be $old.CertificateDomains
    }

    It 'pipeline renewal takes the Certificate set''s parameters: -Services IIS,SMTP -KeySize 4096 -Force' {
        $old = New-ExchangeCertificate -DomainName big.contoso.com -Services IMAP -KeySize 2048 -Force
        $new = Get-ExchangeCertificate $old.Thumbprint | New-ExchangeCertificate -Services IIS, SMTP -KeySize 4096 -Force
        $new.Services | Should -Be ([Excert.AllowedServices]'IIS, SMTP')
        (Get-X509 $new.Thumbprint).PublicKey.GetRSAPublicKey().KeySize | Should -Be 4096
        $new.CertificateDomains | Should -Be $old.CertificateDomains
    }
}

Describe 'Renew the federation certificate (procedure page)' {
    BeforeAll { $Store = New-TestStore }
    AfterAll { Remove-TestStore $Store }

    It 'creates it: New-ExchangeCertificate -DomainName Federation -FriendlyName "Exchange Delegated Federation" -Services Federation -SubjectKeyIdentifier $SKI -PrivateKeyExportable $true' {
        $SKI = [System.Guid]::NewGuid().ToString("N"); $cert = New-ExchangeCertificate -DomainName Federation -FriendlyName "Exchange Delegated Federation" -Services Federation -SubjectKeyIdentifier $SKI -PrivateKeyExportable $true
        $cert.Services | Should -Be ([Excert.AllowedServices]::Federation)
        $cert.ServicesStringForm | Should -BeExactly '.....F.'
        $cert.FriendlyName | Should -BeExactly 'Exchange Delegated Federation'
        $cert.PrivateKeyExportable | Should -BeTrue
        $x509 = Get-X509 $cert.Thumbprint
        Get-DnsNames $x509 | Should -Contain 'Federation'
        $extension = $x509.Extensions | Where-Object { $_.Oid.Value -eq '2.5.29.14' }
        ([System.Security.Cryptography.X509Certificates.X509SubjectKeyIdentifierExtension]$extension).SubjectKeyIdentifier | Should -BeExactly $SKI.ToUpperInvariant()
        # The next step of the procedure exports it to the other servers: it opens with its key.
        $pw = ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force
        $pfx = Export-ExchangeCertificate -Thumbprint $cert.Thumbprint -BinaryEncoded -Password $pw
        $imported = Import-ExchangeCertificate -Server EX02 -FileData $pfx.FileData -Password $pw -PrivateKeyExportable $true
        $imported.HasPrivateKey | Should -BeTrue
    }

    It 'Enable-ExchangeCertificate page: "Don''t use this command to enable a certificate for federation": refused' {
        $other = New-ExchangeCertificate -DomainName other.contoso.com -Services None
        Enable-ExchangeCertificate -Thumbprint $other.Thumbprint -Services Federation -ErrorAction SilentlyContinue -ErrorVariable failure
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly 'ServiceRefused'
        (Get-ExchangeCertificate $other.Thumbprint).Services | Should -Be ([Excert.AllowedServices]::None)
    }
}

Describe 'A server is named as Exchange names it: Name or FQDN, any case (the -Server and -Identity parameters)' {
    BeforeAll {
        $Store = New-TestStore
        $Cert = New-ExchangeCertificate -Server ex02.contoso.com -DomainName mail.contoso.com -Services IIS
    }
    AfterAll { Remove-TestStore $Store }

    It 'records it under its name, EX02, and its FQDN in the store' {
        $Cert.Server | Should -BeExactly 'EX02'
        $Cert.Identity | Should -BeExactly "EX02\$($Cert.Thumbprint)"
        (Get-Content -Raw (Join-Path $Store.Path 'servers/EX02/fqdn')).Trim() | Should -BeExactly 'ex02.contoso.com'
        Test-Path (Join-Path $Store.Path 'servers/EX02.CONTOSO.COM') | Should -BeFalse
    }

    It 'Get-ExchangeCertificate -Server <_> finds it' -ForEach 'EX02', 'ex02', 'ex02.contoso.com', 'EX02.Contoso.Com' {
        (Get-ExchangeCertificate -Server $_).Thumbprint | Should -Be @($Cert.Thumbprint)
    }

    It 'Enable-/Get-ExchangeCertificate -Identity ServerNameOrFQDN\Thumbprint (Enable page) finds it: <_>' -ForEach 'ex02.contoso.com', 'Ex02' {
        $identity = "$_\$($Cert.Thumbprint.ToLowerInvariant())"
        (Get-ExchangeCertificate -Identity $identity).Thumbprint | Should -BeExactly $Cert.Thumbprint
        (Enable-ExchangeCertificate -Identity $identity -Services POP).Services | Should -Be ([Excert.AllowedServices]'POP, IIS')
    }

    It 'uses the recorded FQDN for -IncludeServerFQDN when the server is named by its name' {
        $cert = New-ExchangeCertificate -Server EX02 -SubjectName 'CN=ex02' -IncludeServerFQDN -Services None
        $cert.CertificateDomains | Should -Contain 'ex02.contoso.com'
    }

    It 'Remove-ExchangeCertificate -Thumbprint T -Server <FQDN> (Remove page) removes it' {
        $doomed = New-ExchangeCertificate -Server ex02 -DomainName doomed.contoso.com -Services None
        Remove-ExchangeCertificate -Thumbprint $doomed.Thumbprint -Server EX02.contoso.com -Confirm:$false
        Get-ExchangeCertificate $doomed.Thumbprint -Server ex02 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Enable-ExchangeCertificate page' {
    BeforeAll { $Store = New-TestStore }
    AfterAll { Remove-TestStore $Store }

    It 'Example 1: Enable-ExchangeCertificate -Thumbprint T -Services POP,IMAP,SMTP,IIS' {
        $cert = New-ExchangeCertificate -DomainName enable.contoso.com -Services None
        $enabled = Enable-ExchangeCertificate -Thumbprint $cert.Thumbprint.ToLowerInvariant() -Services POP,IMAP,SMTP,IIS
        $enabled.Services | Should -Be ([Excert.AllowedServices]'IMAP, POP, IIS, SMTP')
        $enabled.ServicesStringForm | Should -BeExactly 'IP.WS..'
    }

    It '-DomainController is accepted and ignored' {
        $cert = New-ExchangeCertificate -DomainName enable-dc.contoso.com -Services None
        (Enable-ExchangeCertificate $cert.Thumbprint -Services UM -DomainController dc01.contoso.com).Services | Should -Be ([Excert.AllowedServices]::UM)
    }
}

Describe 'Get-ExchangeCertificate page' {
    BeforeAll {
        $Store = New-TestStore
        $Cert = New-ExchangeCertificate -DomainName get.contoso.com -Services IIS
    }
    AfterAll { Remove-TestStore $Store }

    It 'Example 1: Get-ExchangeCertificate -Server Mailbox01 lists that server''s certificates and pending requests' {
        $made = New-ExchangeCertificate -Server Mailbox01 -DomainName mb.contoso.com -Services None
        $pending = New-ExchangeCertificate -Server Mailbox01 -GenerateRequest -SubjectName 'CN=mb2.contoso.com'
        $listed = @(Get-ExchangeCertificate -Server Mailbox01)
        $listed.Count | Should -Be 2
        $listed.Thumbprint | Should -Contain $made.Thumbprint
        @($listed | Where-Object Status -eq PendingRequest).Count | Should -Be 1
        (Get-ExchangeCertificate -Server Mailbox01 | Out-String) | Should -Match 'Thumbprint\s+Services\s+Subject'
    }

    It 'Example 2: Get-ExchangeCertificate -Thumbprint T | Format-List shows the page''s list properties' {
        $text = Get-ExchangeCertificate -Thumbprint $Cert.Thumbprint | Format-List | Out-String
        foreach ($property in 'CertificateDomains', 'HasPrivateKey', 'IsSelfSigned', 'Issuer', 'NotAfter', 'NotBefore', 'PublicKeySize', 'RootCAType', 'SerialNumber', 'Status') {
            $text | Should -Match "(?m)^$property\s*:"
        }
    }

    It 'Example 4: Get-ExchangeCertificate -DomainName mail.contoso.com returns the certificates for that name' {
        $mail = New-ExchangeCertificate -DomainName mail.contoso.com -Services None
        @(Get-ExchangeCertificate -DomainName mail.contoso.com).Thumbprint | Should -Be @($mail.Thumbprint)
    }

    It 'Example 3: Get-ExchangeCertificate -Thumbprint T | Format-List * shows every property' {
        $text = Get-ExchangeCertificate -Thumbprint $Cert.Thumbprint | Format-List * | Out-String
        foreach ($property in 'Thumbprint', 'Services', 'Subject', 'CertificateDomains', 'NotAfter', 'Status', 'RootCAType') {
            $text | Should -Match "(?m)^$property\s*:"
        }
    }

    It '-Instance (X509Certificate2) with -Server and -DomainController finds the certificate' {
        $x509 = Get-X509 $Cert.Thumbprint
        (Get-ExchangeCertificate -Instance $x509 -Server $Cert.Server -DomainController dc01.contoso.com).Thumbprint | Should -BeExactly $Cert.Thumbprint
    }
}

Describe 'Import-ExchangeCertificate and Export-ExchangeCertificate pages' {
    BeforeAll {
        $Store = New-TestStore
        $Dir = New-TestFolder
        $Cert = New-ExchangeCertificate -DomainName mail.fabrikam.com -Services None -PrivateKeyExportable $true
    }
    AfterAll {
        Remove-TestStore $Store
        Remove-Item -LiteralPath $Dir -Recurse -Force
    }

    It 'Export example: $bincert = Export-ExchangeCertificate -BinaryEncoded -Thumbprint T -Password (ConvertTo-SecureString ...); WriteAllBytes' {
        $bincert = Export-ExchangeCertificate -BinaryEncoded -Thumbprint $Cert.Thumbprint -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) -DomainController dc01.contoso.com
        [System.IO.File]::WriteAllBytes((Join-Path $Dir 'Exported Fabrikam Cert.pfx'), $bincert.FileData)
        $x509 = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new((Join-Path $Dir 'Exported Fabrikam Cert.pfx'), 'P@ssw0rd1',
            [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::EphemeralKeySet)
        $x509.Thumbprint | Should -BeExactly $Cert.Thumbprint
        $x509.HasPrivateKey | Should -BeTrue
    }

    It 'Import example 1: Import-ExchangeCertificate -Server Mailbox01 -FileName "...\Exported Fabrikam Cert.pfx" -Password (ConvertTo-SecureString ...)' {
        $imported = Import-ExchangeCertificate -Server Mailbox01 -FileName (Join-Path $Dir 'Exported Fabrikam Cert.pfx') -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) -DomainController dc01.contoso.com
        $imported.Thumbprint | Should -BeExactly $Cert.Thumbprint
        $imported.Server | Should -BeExactly 'MAILBOX01'
        $imported.HasPrivateKey | Should -BeTrue
    }

    It 'Import example 2: -FileData ([Byte[]](Get-Content -Path file -Encoding byte -ReadCount 0)), as PowerShell 7 writes it (-AsByteStream)' {
        $cer = Join-Path $Dir 'Fabrikam IssuedCert.cer'
        $null = Export-ExchangeCertificate -Thumbprint $Cert.Thumbprint -FileName $cer
        $imported = Import-ExchangeCertificate -Server EX03 -FileData ([Byte[]](Get-Content -Path $cer -AsByteStream -ReadCount 0)) -WarningAction SilentlyContinue
        $imported.Thumbprint | Should -BeExactly $Cert.Thumbprint
    }

    It '-Instance takes the certificate as text (a string, or the lines of a file from the pipeline)' {
        $pem = Export-ExchangeCertificate -Thumbprint $Cert.Thumbprint
        (Import-ExchangeCertificate -Server EX04 -Instance $pem -WarningAction SilentlyContinue).Thumbprint | Should -BeExactly $Cert.Thumbprint
        $lines = $pem -split "`r?`n"
        ($lines | Import-ExchangeCertificate -Server EX05 -WarningAction SilentlyContinue).Thumbprint | Should -BeExactly $Cert.Thumbprint
    }
}

Describe 'New-AcceptedDomain, Get-AcceptedDomain and Remove-AcceptedDomain pages' {
    BeforeAll { $Store = New-TestStore }
    AfterAll { Remove-TestStore $Store }

    It 'New-AcceptedDomain example: -DomainName Contoso.com -DomainType Authoritative -Name Contoso' {
        $domain = New-AcceptedDomain -DomainName Contoso.com -DomainType Authoritative -Name Contoso
        $domain.Name | Should -BeExactly 'Contoso'
        $domain.DomainName | Should -BeExactly 'Contoso.com'
        $domain.DomainType | Should -BeExactly 'Authoritative'
        $domain.Default | Should -BeTrue -Because 'the first accepted domain is the default'
        $domain.PSObject.TypeNames[0] | Should -BeExactly 'AcceptedDomain'
    }

    It 'DomainType defaults to Authoritative; a Name or DomainName already there is AlreadyExists' {
        (New-AcceptedDomain Fabrikam -DomainName fabrikam.com).DomainType | Should -BeExactly 'Authoritative'
        $null = New-AcceptedDomain -Name Relay -DomainName relay.contoso.com -DomainType ExternalRelay
        New-AcceptedDomain -Name contoso -DomainName other.com -ErrorAction SilentlyContinue -ErrorVariable failure
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly 'AlreadyExists'
        @(Get-AcceptedDomain).Count | Should -Be 3
    }

    It 'Get-AcceptedDomain example 1 lists them all, in the order added, the first the default' {
        $all = @(Get-AcceptedDomain)
        $all.Name | Should -Be @('Contoso', 'Fabrikam', 'Relay')
        $all.Default | Should -Be @($true, $false, $false)
        (Get-AcceptedDomain | Out-String) | Should -Match 'Name\s+DomainName\s+DomainType\s+Default'
    }

    It 'Get-AcceptedDomain example 2: Get-AcceptedDomain | Where{$_.DomainType -eq ''Authoritative''}' {
        @(Get-AcceptedDomain | Where{$_.DomainType -eq 'Authoritative'}).Name | Should -Be @('Contoso', 'Fabrikam')
    }

    It 'Get-AcceptedDomain -Identity takes the Name or the DomainName; an unknown one is NotFound' {
        (Get-AcceptedDomain FABRIKAM.com).Name | Should -BeExactly 'Fabrikam'
        (Get-AcceptedDomain -Identity relay).DomainName | Should -BeExactly 'relay.contoso.com'
        Get-AcceptedDomain -Identity nope.com -ErrorAction SilentlyContinue -ErrorVariable failure | Should -BeNullOrEmpty
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly 'NotFound'
    }

    It 'Get-AcceptedDomain -ResultSize returns at most that many, and warns that there are more' {
        $first = @(Get-AcceptedDomain -ResultSize 2 -WarningVariable warned -WarningAction SilentlyContinue)
        $first.Name | Should -Be @('Contoso', 'Fabrikam')
        "$warned" | Should -BeExactly 'There are more results, use ResultSize Unlimited to return them all.'
        @(Get-AcceptedDomain -ResultSize 3 -WarningVariable none).Count | Should -Be 3
        $none | Should -BeNullOrEmpty
        @(Get-AcceptedDomain -ResultSize unlimited).Count | Should -Be 3
    }

    It 'Get-AcceptedDomain -ResultSize 0 returns none (and warns); a count past an int is no limit' {
        @(Get-AcceptedDomain -ResultSize 0 -WarningVariable warned -WarningAction SilentlyContinue).Count | Should -Be 0
        "$warned" | Should -BeExactly 'There are more results, use ResultSize Unlimited to return them all.'
        @(Get-AcceptedDomain -ResultSize 99999999999 -ErrorVariable failure).Count | Should -Be 3
        $failure | Should -BeNullOrEmpty
    }

    It 'Get-AcceptedDomain takes names from the pipeline, and goes on after one it does not have' {
        $found = @('relay', 'nope.com', 'CONTOSO.COM' | Get-AcceptedDomain -ErrorAction SilentlyContinue -ErrorVariable failure)
        $found.Name | Should -Be @('Relay', 'Contoso')
        (Select-WrittenError $failure).Count | Should -Be 1
        (Select-WrittenError $failure)[0].TargetObject | Should -BeExactly 'nope.com'
    }

    It 'an accepted domain has Identity (its Name), Name, DomainName, DomainType and Default; the table shows the last four' {
        $domain = Get-AcceptedDomain Fabrikam
        @($domain.PSObject.Properties.Name) | Should -Be @('Identity', 'Name', 'DomainName', 'DomainType', 'Default')
        $domain.Identity | Should -BeExactly 'Fabrikam'
        $domain.Default | Should -BeOfType [bool]
        @($domain.PSStandardMembers.DefaultDisplayPropertySet.ReferencedPropertyNames) | Should -Be @('Name', 'DomainName', 'DomainType', 'Default')
    }

    It 'New- and Remove-AcceptedDomain -WhatIf change nothing and say what they would do; Remove asks first' {
        $binding = [System.Management.Automation.CommandMetadata]::new((Get-Command Remove-AcceptedDomain))
        $binding.ConfirmImpact | Should -Be 'High'
        $child = Invoke-ChildPwsh -Environment @{ EXCERT_STORE = $Store.Path } -Script @"
Import-Module '$ExcertModuleManifest' -ErrorAction Stop
New-AcceptedDomain Tailspin -DomainName tailspintoys.com -DomainType InternalRelay -WhatIf
Remove-AcceptedDomain Relay -WhatIf
"@
        $child.Output | Should -Match ([regex]::Escape('What if: Performing the operation "Add the accepted domain" on target "Tailspin (tailspintoys.com, InternalRelay)".'))
        $child.Output | Should -Match ([regex]::Escape('What if: Performing the operation "Remove the accepted domain" on target "Relay".'))
        @(Get-AcceptedDomain).Name | Should -Be @('Contoso', 'Fabrikam', 'Relay')
    }

    It 'with -Debug and -DomainController, New- and Remove-AcceptedDomain act without asking (a session that cannot ask)' {
        # A cmdlet's own -Debug makes its command runtime ask before each verbose line; the
        # script's Write-Verbose went by $VerbosePreference.
        $child = Invoke-ChildPwsh -Environment @{ EXCERT_STORE = $Store.Path } -Script @"
Import-Module '$ExcertModuleManifest' -ErrorAction Stop
`$made = New-AcceptedDomain Tailspin -DomainName tailspintoys.com -Debug -DomainController dc01 -ErrorVariable failure 5>`$null
'MADE=' + `$made.Name
Remove-AcceptedDomain Tailspin -Confirm:`$false -Debug -DomainController dc01 -ErrorVariable +failure 5>`$null
'ERRORS=' + `$failure.Count
`$VerbosePreference = 'Continue'
`$null = New-AcceptedDomain Tailspin -DomainName tailspintoys.com -Debug -DomainController dc01 5>`$null
Remove-AcceptedDomain Tailspin -Confirm:`$false -Debug 5>`$null
"@
        $child.Output | Should -Match 'MADE=Tailspin'
        $child.Output | Should -Match 'ERRORS=0'
        $child.Output | Should -Match 'VERBOSE: -DomainController dc01 is ignored'
        $child.Output | Should -Match ([regex]::Escape('VERBOSE: Removed the accepted domain Tailspin (tailspintoys.com).'))
        @(Get-AcceptedDomain).Name | Should -Be @('Contoso', 'Fabrikam', 'Relay')
    }

    It 'Remove-AcceptedDomain example: Remove-AcceptedDomain -Identity Contoso (the next becomes the default)' {
        Remove-AcceptedDomain -Identity Contoso -Confirm:$false
        @(Get-AcceptedDomain).Name | Should -Be @('Fabrikam', 'Relay')
        (Get-AcceptedDomain Fabrikam).Default | Should -BeTrue
        Get-AcceptedDomain | Where-Object DomainType -eq ExternalRelay | Remove-AcceptedDomain -Confirm:$false
        @(Get-AcceptedDomain).Name | Should -Be @('Fabrikam')
    }

    It 'is one list for the whole organization, kept in the store' {
        $child = Invoke-ChildPwsh -Environment @{ EXCERT_STORE = $Store.Path } -Script @"
Import-Module '$ExcertModuleManifest' -ErrorAction Stop
'DOMAINS=' + ((Get-AcceptedDomain).DomainName -join ',')
"@
        $child.Output | Should -Match 'DOMAINS=fabrikam.com'
    }
}

Describe 'Every parameter of the reference pages'' SYNTAX sections exists' {
    It '<Cmdlet> has <Parameters>' -TestCases @(
        @{ Cmdlet = 'New-ExchangeCertificate'; Parameters = @('BinaryEncoded', 'GenerateRequest', 'RequestFile', 'Confirm', 'DomainController', 'DomainName',
                'Force', 'FriendlyName', 'IncludeAcceptedDomains', 'IncludeAutoDiscover', 'IncludeServerFQDN', 'IncludeServerNetBIOSName', 'Instance',
                'KeySize', 'PrivateKeyExportable', 'Server', 'Services', 'SubjectKeyIdentifier', 'SubjectName', 'WhatIf') }
        @{ Cmdlet = 'Get-ExchangeCertificate'; Parameters = @('Identity', 'Instance', 'Thumbprint', 'DomainController', 'DomainName', 'Server') }
        @{ Cmdlet = 'Import-ExchangeCertificate'; Parameters = @('FileData', 'FileName', 'Instance', 'Confirm', 'DomainController', 'FriendlyName',
                'Password', 'PrivateKeyExportable', 'Server', 'WhatIf') }
        @{ Cmdlet = 'Export-ExchangeCertificate'; Parameters = @('Thumbprint', 'Identity', 'BinaryEncoded', 'Confirm', 'DomainController', 'FileName',
                'Password', 'Server', 'WhatIf') }
        @{ Cmdlet = 'Enable-ExchangeCertificate'; Parameters = @('Thumbprint', 'Identity', 'Services', 'Confirm', 'DomainController', 'DoNotRequireSsl',
                'Force', 'NetworkServiceAllowed', 'Server', 'WhatIf') }
        @{ Cmdlet = 'Remove-ExchangeCertificate'; Parameters = @('Thumbprint', 'Identity', 'Confirm', 'DomainController', 'Server', 'WhatIf') }
        @{ Cmdlet = 'New-AcceptedDomain'; Parameters = @('Name', 'DomainName', 'Confirm', 'DomainController', 'DomainType', 'WhatIf') }
        @{ Cmdlet = 'Get-AcceptedDomain'; Parameters = @('Identity', 'DomainController', 'ResultSize') }
        @{ Cmdlet = 'Remove-AcceptedDomain'; Parameters = @('Identity', 'Confirm', 'DomainController', 'WhatIf') }
    ) {
        $command = Get-Command $Cmdlet
        foreach ($name in $Parameters) { $command.Parameters.Keys | Should -Contain $name -Because "$Cmdlet's page lists -$name" }
    }

    It 'Thumbprint is the positional parameter of <_> (the pages: "The Thumbprint parameter, not the Identity parameter, is the positional parameter")' -ForEach 'Get-ExchangeCertificate', 'Enable-ExchangeCertificate', 'Export-ExchangeCertificate', 'Remove-ExchangeCertificate' {
        $thumbprint = (Get-Command $_).Parameters['Thumbprint'].ParameterSets.Values | Select-Object -First 1
        $thumbprint.Position | Should -Be 0
    }
}

Describe '-DomainController on all six certificate cmdlets (every reference page lists it)' {
    It '<_> takes -DomainController' -ForEach 'New-ExchangeCertificate', 'Get-ExchangeCertificate', 'Import-ExchangeCertificate',
        'Export-ExchangeCertificate', 'Enable-ExchangeCertificate', 'Remove-ExchangeCertificate' {
        $command = Get-Command $_
        $command.Parameters.ContainsKey('DomainController') | Should -BeTrue
        foreach ($set in $command.ParameterSets) { $set.Parameters.Name | Should -Contain 'DomainController' }
    }

    It '-Instance exists on <_>' -ForEach 'New-ExchangeCertificate', 'Get-ExchangeCertificate', 'Import-ExchangeCertificate' {
        (Get-Command $_).Parameters.ContainsKey('Instance') | Should -BeTrue
    }

    It 'New-ExchangeCertificate has -IncludeAcceptedDomains and -IncludeAutoDiscover in both parameter sets' {
        foreach ($set in (Get-Command New-ExchangeCertificate).ParameterSets) {
            $set.Parameters.Name | Should -Contain 'IncludeAcceptedDomains'
            $set.Parameters.Name | Should -Contain 'IncludeAutoDiscover'
            $set.Parameters.Name | Should -Contain 'Instance'
        }
    }
}

Describe 'The procedure pages: create a request, complete it, assign services, renew, export and import' {
    # Exchange Server's procedures write request files with [System.IO.File]::WriteAllBytes and
    # read certificate files with ReadAllBytes; a real openssl CA answers the request.
    BeforeAll {
        $Store = New-TestStore
        $Dir = New-TestFolder
        $Ca = New-TestCa -Folder (Join-Path $Dir 'ca')
    }
    AfterAll {
        Remove-TestStore $Store
        Remove-Item -LiteralPath $Dir -Recurse -Force
    }

    It 'create a request: $txtrequest = New-ExchangeCertificate -GenerateRequest ...; WriteAllBytes(..., [Text.Encoding]::Unicode.GetBytes($txtrequest)); complete it with ReadAllBytes; assign with -Services POP,IMAP -Server' {
        $txtrequest = New-ExchangeCertificate -Server Mailbox01 -GenerateRequest -FriendlyName "Contoso Mail" -SubjectName "C=US,O=Contoso Corporation,CN=mail.contoso.com" -DomainName autodiscover.contoso.com, mail.contoso.com -PrivateKeyExportable $true
        [System.IO.File]::WriteAllBytes((Join-Path $Dir 'ContosoCertRequest.req'), [System.Text.Encoding]::Unicode.GetBytes($txtrequest))
        # The CA reads the UTF-16 text the procedure writes (as Windows CAs do); openssl wants ASCII.
        $ascii = Join-Path $Dir 'ContosoCertRequest.ascii.req'
        [IO.File]::WriteAllText($ascii, [Text.Encoding]::Unicode.GetString([IO.File]::ReadAllBytes((Join-Path $Dir 'ContosoCertRequest.req'))), [Text.Encoding]::ASCII)
        $issued = Invoke-TestCaSign -Ca $Ca -RequestFile $ascii
        $der = Join-Path $Dir 'Contoso.cer'
        $null = Invoke-OpenSsl x509 -in $issued -outform DER -out $der

        $completed = Import-ExchangeCertificate -Server Mailbox01 -FileData ([System.IO.File]::ReadAllBytes($der))
        $completed.Thumbprint | Should -BeExactly (Get-OpenSslFingerprint $issued)
        $completed.HasPrivateKey | Should -BeTrue
        $completed.FriendlyName | Should -BeExactly 'Contoso Mail'
        @(Get-ExchangeCertificate -Server Mailbox01 | Where-Object Status -eq PendingRequest).Count | Should -Be 0

        $assigned = Enable-ExchangeCertificate -Thumbprint $completed.Thumbprint -Services POP, IMAP -Server Mailbox01
        $assigned.Services | Should -Be ([Excert.AllowedServices]'IMAP, POP')
    }

    It 'renew a CA certificate: $txtrequest = Get-ExchangeCertificate -Thumbprint T | New-ExchangeCertificate -GenerateRequest' {
        $old = Get-ExchangeCertificate -Server Mailbox01 -DomainName mail.contoso.com | Where-Object Status -ne PendingRequest | Select-Object -First 1
        $txtrequest = Get-ExchangeCertificate -Thumbprint $old.Thumbprint -Server Mailbox01 | New-ExchangeCertificate -GenerateRequest
        [System.IO.File]::WriteAllBytes((Join-Path $Dir 'ContosoCertRenewal.req'), [System.Text.Encoding]::Unicode.GetBytes($txtrequest))
        $text = [Text.Encoding]::Unicode.GetString([IO.File]::ReadAllBytes((Join-Path $Dir 'ContosoCertRenewal.req')))
        $ascii = Join-Path $Dir 'renewal.ascii.req'
        [IO.File]::WriteAllText($ascii, $text, [Text.Encoding]::ASCII)
        $shown = (Invoke-OpenSsl req -in $ascii -noout -text) -join "`n"
        $shown | Should -Match 'O\s*=\s*Contoso Corporation, CN\s*=\s*mail.contoso.com'
        $shown | Should -Match 'DNS:autodiscover.contoso.com'
    }

    It 'renew a self-signed certificate: Get-ExchangeCertificate -Thumbprint T | New-ExchangeCertificate -Force -PrivateKeyExportable $true' {
        $old = New-ExchangeCertificate -Server Mailbox01 -DomainName self.contoso.com -Services IIS -Force
        $new = Get-ExchangeCertificate -Thumbprint $old.Thumbprint -Server Mailbox01 | New-ExchangeCertificate -Force -PrivateKeyExportable $true
        $new.Server | Should -BeExactly 'MAILBOX01'
        $new.PrivateKeyExportable | Should -BeTrue
        $new.Services | Should -Be ([Excert.AllowedServices]::IIS)
    }

    It 'export and import: $bincert = Export-ExchangeCertificate -Thumbprint T -BinaryEncoded -Password ...; WriteAllBytes; Import-ExchangeCertificate -Server Mailbox02 -FileData (ReadAllBytes) -Password ...' {
        # The CA-issued one (the renewal request of the test above has the same names).
        $cert = Get-ExchangeCertificate -Server Mailbox01 -DomainName mail.contoso.com | Where-Object Status -ne PendingRequest | Select-Object -First 1
        $password = ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force
        $bincert = Export-ExchangeCertificate -Thumbprint $cert.Thumbprint -Server Mailbox01 -BinaryEncoded -Password $password
        [System.IO.File]::WriteAllBytes((Join-Path $Dir 'Fabrikam.pfx'), $bincert.FileData)
        $imported = Import-ExchangeCertificate -Server Mailbox02 -FileData ([System.IO.File]::ReadAllBytes((Join-Path $Dir 'Fabrikam.pfx'))) -Password $password
        $imported.Thumbprint | Should -BeExactly $cert.Thumbprint
        $imported.HasPrivateKey | Should -BeTrue
        $imported.Server | Should -BeExactly 'MAILBOX02'
    }
}
