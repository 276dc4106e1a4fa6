# Get-ExchangeCertificate: by thumbprint, identity, names, pipeline, errors.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule
    $Store = New-TestStore
    $Mail = New-ExchangeCertificate -SubjectName 'C=US,O=Contoso,CN=mail.contoso.com' -DomainName mail.contoso.com, autodiscover.contoso.com -Services IIS, SMTP -PrivateKeyExportable $true -Force
    $Fabrikam = New-ExchangeCertificate -SubjectName 'CN=owa.fabrikam.com' -DomainName owa.fabrikam.com -Services IMAP, POP -Force
    $All = @($Mail, $Fabrikam)
}

AfterAll { Remove-TestStore $Store }

Describe 'Get-ExchangeCertificate without a thumbprint' {
    It 'lists every certificate of the server' {
        $list = @(Get-ExchangeCertificate)
        $list.Count | Should -Be 2
        @($list.Thumbprint | Sort-Object) | Should -Be @($All.Thumbprint | Sort-Object)
        $list | ForEach-Object { $_.PSObject.TypeNames[0] | Should -BeExactly 'Excert.ExchangeCertificate' }
    }

    It 'keeps the names matching <Pattern>' -TestCases @(
        @{ Pattern = '*.contoso.com'; Expected = 'mail' }
        @{ Pattern = 'autodiscover.*'; Expected = 'mail' }
        @{ Pattern = 'AUTODISCOVER.CONTOSO.COM'; Expected = 'mail' }
        @{ Pattern = 'owa.fabrikam.com'; Expected = 'fabrikam' }
        @{ Pattern = 'ow?.fabrikam.com'; Expected = 'fabrikam' }
        @{ Pattern = '*.com'; Expected = 'both' }
        @{ Pattern = '*.example.org'; Expected = 'none' }
    ) {
        $want = switch ($Expected) {
            'mail' { @($Mail.Thumbprint) }
            'fabrikam' { @($Fabrikam.Thumbprint) }
            'both' { @($All.Thumbprint | Sort-Object) }
            'none' { @() }
        }
        $got = @(Get-ExchangeCertificate -DomainName $Pattern -ErrorVariable failure)
        (Select-WrittenError $failure).Count | Should -Be 0
        @($got.Thumbprint | Sort-Object) | Should -Be $want
    }

    It 'keeps a certificate matching any of several names' {
        @((Get-ExchangeCertificate -DomainName 'nothing.example', 'owa.fabrikam.com').Thumbprint) | Should -Be @($Fabrikam.Thumbprint)
    }
}

Describe 'Get-ExchangeCertificate -Thumbprint' {
    It 'finds the certificate given as <Form>' -TestCases @(
        @{ Form = 'upper case'; Transform = { param($t) $t }; Positional = $false }
        @{ Form = 'lower case'; Transform = { param($t) $t.ToLowerInvariant() }; Positional = $false }
        @{ Form = 'pairs with spaces'; Transform = { param($t) ($t -split '(..)' -ne '') -join ' ' }; Positional = $false }
        @{ Form = 'a positional argument'; Transform = { param($t) $t }; Positional = $true }
    ) {
        $given = & $Transform $Mail.Thumbprint
        $cert = if ($Positional) { Get-ExchangeCertificate $given } else { Get-ExchangeCertificate -Thumbprint $given }
        @($cert).Count | Should -Be 1
        $cert.Thumbprint | Should -BeExactly $Mail.Thumbprint
        $cert.Subject | Should -BeExactly 'CN=mail.contoso.com, O=Contoso, C=US'
    }

    It 'returns the same properties New-ExchangeCertificate returned' {
        $cert = Get-ExchangeCertificate -Thumbprint $Mail.Thumbprint
        foreach ($name in 'Identity', 'Services', 'ServicesStringForm', 'Subject', 'Issuer', 'NotBefore',
            'NotAfter', 'SerialNumber', 'FriendlyName', 'PublicKeySize', 'SubjectKeyIdentifier', 'PrivateKeyExportable') {
            $cert.$name | Should -Be $Mail.$name -Because $name
        }
        @($cert.CertificateDomains) | Should -Be @($Mail.CertificateDomains)
    }

    It 'writes a non-terminating NotFound error for an unknown thumbprint' {
        $unknown = '0000000000000000000000000000000000000000'
        $out = Get-ExchangeCertificate -Thumbprint $unknown -ErrorAction SilentlyContinue -ErrorVariable failure
        $out | Should -BeNullOrEmpty
        (Select-WrittenError $failure).Count | Should -Be 1
        (Select-WrittenError $failure)[0].FullyQualifiedErrorId | Should -BeExactly 'NotFound,Excert.Cmdlets.GetExchangeCertificate'
        (Select-WrittenError $failure)[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        (Select-WrittenError $failure)[0].TargetObject | Should -BeExactly $unknown
        (Select-WrittenError $failure)[0].Exception.Code | Should -Be 300
        (Select-WrittenError $failure)[0].Exception.Message | Should -Match $unknown
    }

    It 'goes on with the next thumbprint after an unknown one' {
        $out = @('1111111111111111111111111111111111111111', $Fabrikam.Thumbprint, $Mail.Thumbprint |
                Get-ExchangeCertificate -ErrorAction SilentlyContinue -ErrorVariable failure)
        @($out.Thumbprint) | Should -Be @($Fabrikam.Thumbprint, $Mail.Thumbprint)
        (Select-WrittenError $failure).Count | Should -Be 1
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly 'NotFound'
    }

    It 'writes InvalidArgument for a thumbprint that is not hex' {
        Get-ExchangeCertificate -Thumbprint 'not a thumbprint' -ErrorAction SilentlyContinue -ErrorVariable failure | Should -BeNullOrEmpty
        (Select-WrittenError $failure).Count | Should -Be 1
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly 'InvalidArgument'
    }
}

Describe 'Get-ExchangeCertificate -Identity' {
    It 'finds Server\Thumbprint' {
        $cert = Get-ExchangeCertificate -Identity $Mail.Identity
        $cert.Thumbprint | Should -BeExactly $Mail.Thumbprint
    }

    It 'finds a lower-case identity' {
        (Get-ExchangeCertificate -Identity $Mail.Identity.ToLowerInvariant()).Thumbprint | Should -BeExactly $Mail.Thumbprint
    }

    It 'looks on the server the identity names' {
        Get-ExchangeCertificate -Identity "EX99\$($Mail.Thumbprint)" -ErrorAction SilentlyContinue -ErrorVariable failure | Should -BeNullOrEmpty
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly 'NotFound'
        (Select-WrittenError $failure)[0].TargetObject | Should -BeExactly "EX99\$($Mail.Thumbprint)"
    }

    It 'refuses an identity without a thumbprint' {
        Get-ExchangeCertificate -Identity 'EX01\' -ErrorAction SilentlyContinue -ErrorVariable failure | Should -BeNullOrEmpty
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly 'InvalidArgument'
    }
}

Describe 'Get-ExchangeCertificate in a pipeline' {
    It 'takes its own output back (by property name)' {
        $listed = @(Get-ExchangeCertificate)
        $again = @(Get-ExchangeCertificate | Get-ExchangeCertificate)
        @($again.Thumbprint) | Should -Be @($listed.Thumbprint)
        @($again.Identity) | Should -Be @($listed.Identity)
    }

    It 'takes thumbprints as strings (by value)' {
        @(@($Mail.Thumbprint, $Fabrikam.Thumbprint) | Get-ExchangeCertificate).Thumbprint | Should -Be @($Mail.Thumbprint, $Fabrikam.Thumbprint)
    }

    It 'takes objects of another server back to that server' {
        $remote = New-ExchangeCertificate -Server 'EX03' -Services IIS -DomainName 'ex03.contoso.com'
        $again = @(Get-ExchangeCertificate -Server '*' | Get-ExchangeCertificate)
        $again.Count | Should -Be 3
        ($again | Where-Object Thumbprint -EQ $remote.Thumbprint).Server | Should -BeExactly 'EX03'
    }

    It 'looks up an input without a Server on this server, after one with a Server' {
        # $PSBoundParameters keeps a Server an earlier input bound; the input after it has none.
        $found = @([pscustomobject]@{ Thumbprint = 'AB' * 20; Server = 'EX07' }, $Mail.Thumbprint |
                Get-ExchangeCertificate -ErrorAction SilentlyContinue -ErrorVariable failure)
        @($found.Thumbprint) | Should -Be @($Mail.Thumbprint)
        $found[0].Server | Should -BeExactly $Mail.Server
        @(Select-WrittenError $failure).Count | Should -Be 1
        (Select-WrittenError $failure)[0].Exception.Message | Should -Match 'EX07'
    }
}

Describe 'Get-ExchangeCertificate expiry warnings' {
    BeforeAll {
        # A store of its own: the certificates here are dated through the seam (NotBefore and
        # NotAfter are request fields of the core that New-ExchangeCertificate does not expose).
        $Dated = New-TestStore
        $Module = Get-Module ExchangeCertificate
        function New-DatedCertificate([string] $Server, [int] $FromDays, [int] $ToDays) {
            $now = [datetime]::UtcNow
            $request = [ordered]@{
                Server    = $Server
                # New refuses to assign services to a certificate outside its validity.
                Services  = if ($ToDays -lt 0) { 'None' } else { 'IIS' }
                NotBefore = $now.AddDays($FromDays).ToString('yyyy-MM-ddTHH:mm:ssZ')
                NotAfter  = $now.AddDays($ToDays).ToString('yyyy-MM-ddTHH:mm:ssZ')
            }
            $answer = Invoke-ExcertNative -Function excert_certificate_new -Request $request
            $answer | Should -Not -BeOfType [System.Management.Automation.ErrorRecord]
            $answer.Certificate.Thumbprint
        }
        $Soon = New-DatedCertificate -Server 'SOON' -FromDays -1 -ToDays 10
        $Gone = New-DatedCertificate -Server 'GONE' -FromDays -100 -ToDays -2
        $Fine = New-DatedCertificate -Server 'FINE' -FromDays -1 -ToDays 365
    }
    AfterAll { Remove-TestStore $Dated }

    It 'warns about a certificate that expires within 30 days' {
        $cert = Get-ExchangeCertificate -Server SOON -WarningVariable warned -WarningAction SilentlyContinue
        $cert.Thumbprint | Should -BeExactly $Soon
        $cert.ExpiryWarning | Should -BeTrue
        $cert.DaysUntilExpiry | Should -BeIn 9, 10
        $cert.Status | Should -BeExactly 'Valid'
        @($warned).Count | Should -Be 1
        "$($warned[0])" | Should -Match "$Soon.*expires in (9|10) days"
    }

    It 'warns about an expired certificate, which is DateInvalid' {
        $cert = Get-ExchangeCertificate -Thumbprint $Gone -Server GONE -WarningVariable warned -WarningAction SilentlyContinue
        $cert.Status | Should -BeExactly 'DateInvalid'
        $cert.DaysUntilExpiry | Should -BeIn -2, -3
        "$($warned[0])" | Should -Match "$Gone.*expired (2|3) days ago"
    }

    It 'does not warn about a certificate a year from expiry' {
        $cert = Get-ExchangeCertificate -Server FINE -WarningVariable warned -WarningAction SilentlyContinue
        $cert.Thumbprint | Should -BeExactly $Fine
        $cert.ExpiryWarning | Should -BeFalse
        @($warned).Count | Should -Be 0
    }

    It 'warns across every server with -Server *' {
        $null = Get-ExchangeCertificate -Server '*' -WarningVariable warned -WarningAction SilentlyContinue
        @($warned).Count | Should -Be 2
        ($warned -join "`n") | Should -Match $Soon
        ($warned -join "`n") | Should -Match $Gone
    }

    It 'names server, thumbprint, subject and days in each warning' {
        $null = Get-ExchangeCertificate -Server SOON -WarningVariable warned -WarningAction SilentlyContinue
        "$($warned[0])" | Should -Match "certificate $Soon on server SOON \(CN=[^)]+\) expires in (9|10) days"
    }

    It 'finds the certificates expiring within <Days> days across all servers' -TestCases @(
        @{ Days = 5; Expected = 'GONE' }
        @{ Days = 60; Expected = 'GONE', 'SOON' }
        @{ Days = 400; Expected = 'FINE', 'GONE', 'SOON' }
    ) {
        $found = @(Get-ExchangeCertificate -Server '*' -ExpiringWithinDays $Days -WarningAction SilentlyContinue)
        @($found.Server | Sort-Object) | Should -Be @($Expected)
        $found | ForEach-Object { $_.Identity | Should -BeExactly "$($_.Server)\$($_.Thumbprint)" }
    }

    It 'moves the warning threshold with -ExpiryWarningDays' {
        $cert = Get-ExchangeCertificate -Server FINE -ExpiryWarningDays 400 -WarningVariable warned -WarningAction SilentlyContinue
        $cert.ExpiryWarning | Should -BeTrue
        "$($warned[0])" | Should -Match "$Fine.*expires in (364|365) days"
        $quiet = Get-ExchangeCertificate -Server SOON -ExpiryWarningDays 5 -WarningVariable none -WarningAction SilentlyContinue
        $quiet.ExpiryWarning | Should -BeFalse
        @($none).Count | Should -Be 0
    }

    It 'keeps NotFound for an unknown thumbprint with -ExpiryWarningDays' {
        Get-ExchangeCertificate -Thumbprint ('12' * 20) -Server FINE -ExpiryWarningDays 10 -ErrorAction SilentlyContinue -ErrorVariable failure | Should -BeNullOrEmpty
        (Select-WrittenError $failure).Count | Should -Be 1
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly 'NotFound'
        (Get-ExchangeCertificate -Thumbprint $Fine -Server FINE -ExpiryWarningDays 400 -WarningAction SilentlyContinue).ExpiryWarning | Should -BeTrue
    }

    It 'refuses a negative number of days at binding' {
        { Get-ExchangeCertificate -ExpiringWithinDays -1 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Excert.Cmdlets.GetExchangeCertificate'
    }
}

Describe 'Get-ExchangeCertificate and an exposed store' -Skip:$IsWindows {
    BeforeAll {
        $Open = New-TestStore
        $Thumbprint = (New-ExchangeCertificate -Services IIS -DomainName 'open.contoso.com').Thumbprint
        # Others may enter the folder: the core warns on every listing, and the module shows it.
        [IO.File]::SetUnixFileMode($Open.Path, [IO.UnixFileMode]'UserRead, UserWrite, UserExecute, GroupRead, GroupExecute, OtherRead, OtherExecute')
    }
    AfterAll { Remove-TestStore $Open }

    It 'passes on the core''s warning, naming the folder and the fix' {
        $cert = Get-ExchangeCertificate -WarningVariable warned -WarningAction SilentlyContinue
        $cert.Thumbprint | Should -BeExactly $Thumbprint
        @($warned).Count | Should -Be 1
        "$($warned[0])" | Should -Match ([regex]::Escape($Open.Path))
        "$($warned[0])" | Should -Match 'chmod 700'
    }
}
