# The default views: Exchange's table and list, and Format-List * with every property.

BeforeDiscovery {
    # docs/cmdlets.md: the properties every output object carries.
    $PropertyCases = @(
        'Identity', 'Thumbprint', 'Services', 'ServicesStringForm', 'Subject', 'Issuer', 'NotBefore',
        'NotAfter', 'Status', 'RootCAType', 'CertificateDomains', 'DnsNameList', 'FriendlyName',
        'HasPrivateKey', 'PrivateKeyExportable', 'IsSelfSigned', 'SerialNumber', 'PublicKeySize',
        'KeyAlgorithm', 'SignatureAlgorithm', 'SubjectKeyIdentifier', 'EnhancedKeyUsageList', 'Version',
        'RawData', 'CertificateRequest', 'LiveFiles', 'DaysUntilExpiry'
    ) | ForEach-Object { @{ Name = $_ } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule
    $Store = New-TestStore
    $Cert = New-ExchangeCertificate -SubjectName 'C=US,O=Contoso,CN=mail.contoso.com' -DomainName mail.contoso.com, autodiscover.contoso.com -Services IIS, SMTP -PrivateKeyExportable $true -Force
}

AfterAll { Remove-TestStore $Store }

Describe 'The default table view' {
    BeforeAll {
        $Text = Get-ExchangeCertificate | Out-String -Width 200
        $Lines = $Text -split '\r?\n' | Where-Object { $_.Trim() }
    }

    It 'has the columns Thumbprint, Services, Subject' {
        $Lines[0] | Should -Match '^Thumbprint\s+Services\s+Subject\s*$'
    }

    It 'shows the thumbprint, the service letters and the subject' {
        $row = $Lines | Where-Object { $_ -match [regex]::Escape($Cert.Thumbprint) }
        @($row).Count | Should -Be 1
        $row | Should -Match ('^' + $Cert.Thumbprint + '\s+\.\.\.WS\.\.\s+CN=mail\.contoso\.com, O=Contoso, C=US\s*$')
    }

    It 'does not show the flag names in the table' {
        $Text | Should -Not -Match 'IIS, SMTP'
    }
}

Describe 'The default list view' {
    BeforeAll {
        $Text = Get-ExchangeCertificate -Thumbprint $Cert.Thumbprint | Format-List | Out-String -Width 200
        $Names = @([regex]::Matches($Text, '(?m)^(\w+)\s+:').ForEach({ $_.Groups[1].Value }))
    }

    It 'shows Exchange''s list properties in order' {
        $Names | Should -Be @('Thumbprint', 'Services', 'CertificateDomains', 'HasPrivateKey', 'IsSelfSigned',
            'Issuer', 'NotAfter', 'NotBefore', 'PublicKeySize', 'RootCAType', 'SerialNumber', 'Status', 'Subject')
    }

    It 'shows the service names, not the letters' {
        $Text | Should -Match '(?m)^Services\s+: IIS, SMTP\s*$'
    }

    It 'shows both domains' {
        $Text | Should -Match '(?m)^CertificateDomains\s+: \{mail\.contoso\.com, autodiscover\.contoso\.com\}\s*$'
    }
}

Describe 'Format-List *' {
    BeforeAll {
        $Text = Get-ExchangeCertificate -Thumbprint $Cert.Thumbprint | Format-List * | Out-String -Width 300
    }

    It 'shows <Name>' -TestCases $PropertyCases {
        $Text | Should -Match ('(?m)^' + $Name + '\s+:')
    }

    It 'shows the serial number and the service letters' {
        $Text | Should -Match ('(?m)^SerialNumber\s+: ' + $Cert.SerialNumber + '\s*$')
        $Text | Should -Match '(?m)^ServicesStringForm\s+: \.\.\.WS\.\.\s*$'
    }
}
