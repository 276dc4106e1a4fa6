# Listings in one session: the module keeps the certificates .NET parsed for the last listing and
# builds the next listing's objects on them (ParsedCertificates.cs, docs/performance.md). What a
# user sees must not change: every listing gives new objects with the store's current values, a
# removed or renewed certificate shows as the store has it, and an object the user disposed never
# reaches the next listing. That the parse is reused is seen without timing: objects built on
# the same parsed certificate share its native handle (the same OpenSSL X509 on Linux).

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule
    $Store = New-TestStore
    $Loader = [System.Security.Cryptography.X509Certificates.X509CertificateLoader]
    $A = New-ExchangeCertificate -DomainName a.contoso.com -KeyAlgorithm ECDSA_P256 -Services IIS -Force
    $B = New-ExchangeCertificate -DomainName b.contoso.com -KeyAlgorithm ECDSA_P256 -Services None
    $C = New-ExchangeCertificate -DomainName c.contoso.com -KeyAlgorithm ECDSA_P256 -Services None

    # Each object checked against .NET reading its RawData on its own (the peer).
    function Assert-AsDotNetReadsIt($Certificate) {
        $fresh = $Loader::LoadCertificate($Certificate.RawData)
        $Certificate.Handle | Should -Not -Be ([IntPtr]::Zero)
        $Certificate.Thumbprint | Should -BeExactly $fresh.Thumbprint
        $Certificate.Subject | Should -BeExactly $fresh.Subject
        $Certificate.NotAfter | Should -Be $fresh.NotAfter
        $Certificate.GetCertHashString() | Should -BeExactly $fresh.GetCertHashString()
        $Certificate.PublicKey.Oid.Value | Should -Be $fresh.PublicKey.Oid.Value
    }

    function Get-ByThumbprint($Listing) {
        $map = @{}
        foreach ($certificate in $Listing) { $map[$certificate.Thumbprint] = $certificate }
        $map
    }
}

AfterAll {
    Remove-TestStore $Store
}

Describe 'A later listing in the same session' {
    BeforeEach {
        # Other test files list other stores in this process: start from the parse of this one.
        $null = @(Get-ExchangeCertificate -Server *)
    }

    It 'gives new objects with the same RawData, on the certificates .NET parsed for the last listing' {
        $first = @(Get-ExchangeCertificate -Server *)
        $second = @(Get-ExchangeCertificate -Server *)
        $second.Count | Should -Be 3
        [Excert.ParsedCertificates]::Count | Should -Be 3
        $before = Get-ByThumbprint $first
        foreach ($certificate in $second) {
            $earlier = $before[$certificate.Thumbprint]
            [object]::ReferenceEquals($earlier, $certificate) | Should -BeFalse
            [Convert]::ToBase64String($certificate.RawData) | Should -BeExactly ([Convert]::ToBase64String($earlier.RawData))
            $certificate.Handle | Should -Be $earlier.Handle
            Assert-AsDotNetReadsIt $certificate
        }
    }

    It 'parses again after the session forgets (the first listing of a session)' {
        $first = Get-ByThumbprint @(Get-ExchangeCertificate -Server *)
        [Excert.ParsedCertificates]::Clear()
        [Excert.ParsedCertificates]::Count | Should -Be 0
        foreach ($certificate in @(Get-ExchangeCertificate -Server *)) {
            $certificate.Handle | Should -Not -Be $first[$certificate.Thumbprint].Handle
            [Convert]::ToBase64String($certificate.RawData) | Should -BeExactly ([Convert]::ToBase64String($first[$certificate.Thumbprint].RawData))
            Assert-AsDotNetReadsIt $certificate
        }
    }

    It 'shows Services changed in between, and leaves the earlier object as it was' {
        $earlier = Get-ExchangeCertificate -Thumbprint $B.Thumbprint
        $earlier.Services | Should -Be ([Excert.AllowedServices]::None)
        $null = Enable-ExchangeCertificate -Thumbprint $B.Thumbprint -Services IMAP
        $now = (Get-ByThumbprint @(Get-ExchangeCertificate -Server *))[$B.Thumbprint]
        $now.Services | Should -Be ([Excert.AllowedServices]::IMAP)
        $now.ServicesStringForm | Should -BeExactly 'I......'
        $earlier.Services | Should -Be ([Excert.AllowedServices]::None)
    }

    It 'drops a removed certificate, from the listing and from what the session keeps' {
        Remove-ExchangeCertificate -Thumbprint $C.Thumbprint -Confirm:$false
        $listing = @(Get-ExchangeCertificate -Server *)
        $listing.Thumbprint | Should -Not -Contain $C.Thumbprint
        $listing.Count | Should -Be 2
        [Excert.ParsedCertificates]::Count | Should -Be 2
    }

    It 'lists a renewed certificate as .NET reads its own RawData' {
        $renewed = Get-ExchangeCertificate -Thumbprint $A.Thumbprint | New-ExchangeCertificate -Force
        $renewed.Thumbprint | Should -Not -Be $A.Thumbprint
        $listing = Get-ByThumbprint @(Get-ExchangeCertificate -Server *)
        $listing.Keys | Should -Contain $renewed.Thumbprint
        [Convert]::ToBase64String($listing[$renewed.Thumbprint].RawData) | Should -BeExactly ([Convert]::ToBase64String($renewed.RawData))
        $listing[$renewed.Thumbprint].Handle | Should -Not -Be $listing[$A.Thumbprint].Handle
        foreach ($certificate in $listing.Values) { Assert-AsDotNetReadsIt $certificate }
    }

    It 'is not broken by objects the user disposed' {
        $disposed = @(Get-ExchangeCertificate -Server *)
        foreach ($certificate in $disposed) { $certificate.Dispose() }
        $disposed[0].Handle | Should -Be ([IntPtr]::Zero)
        foreach ($round in 1..2) {
            $listing = @(Get-ExchangeCertificate -Server *)
            $listing.Count | Should -Be $disposed.Count
            foreach ($certificate in $listing) {
                Assert-AsDotNetReadsIt $certificate
                $certificate.Verify() | Should -Be $Loader::LoadCertificate($certificate.RawData).Verify()
            }
        }
        # A look-up by thumbprint too (it reuses the listing's parse without changing it).
        $one = Get-ExchangeCertificate -Thumbprint $B.Thumbprint
        Assert-AsDotNetReadsIt $one
        $one.Handle | Should -Be ($listing | Where-Object Thumbprint -eq $B.Thumbprint).Handle
    }
}

Describe 'A listing''s certificates, read member by member' {
    It 'have the values the general conversion gives, unusual members and a newer library''s included' {
        $library = [Excert.Cmdlets.ModuleImport]::Library
        $json = $library.Invoke('excert_certificate_list', (ConvertTo-Json -Compress @{ StoreRoot = $env:EXCERT_STORE; Server = '*' })).Json
        $plain = ConvertFrom-Json $json -DateKind String
        $plain.Certificates.Count | Should -BeGreaterThan 1
        # Values of other kinds than the library writes today, out of the contract's order, and
        # a member this module does not know.
        $odd = $plain.Certificates[0]
        $odd.Services = 'imap,  POP'
        $odd.PublicKeySize = '256'
        $odd.HasPrivateKey = 1
        $odd.CertificateDomains = 'one.contoso.com'
        $odd.DnsNameList = @('a.contoso.com', $null, 7)
        $odd.LiveFiles = [pscustomobject]@{ IIS = 'live/iis' }
        $odd.RevocationDate = '2026-11-28T05:20:00+02:00'
        $odd.RevocationReason = 'KeyCompromise'
        $odd | Add-Member -NotePropertyName Zeta -NotePropertyValue ([pscustomobject]@{ X = 1 })
        $moved = [ordered]@{ Zeta = $odd.Zeta }
        foreach ($property in $odd.PSObject.Properties) { if ($property.Name -ne 'Zeta') { $moved[$property.Name] = $property.Value } }
        $plain.Certificates[0] = [pscustomobject]$moved
        $json = ConvertTo-Json -InputObject $plain -Depth 10 -Compress
        $general = ConvertFrom-Json $json -DateKind String
        $fast = ([Excert.Answers]::Parse($json)).Certificates
        for ($i = 0; $i -lt $fast.Count; $i++) {
            $expected = [Excert.Answers]::ToExchangeCertificate($general.Certificates[$i])
            $fast[$i] | Should -BeOfType [Excert.ExchangeCertificate]
            @($fast[$i].PSObject.Properties.Name) | Should -Be @($expected.PSObject.Properties.Name)
            foreach ($name in $general.Certificates[$i].PSObject.Properties.Name) {
                $want = $expected.$name
                $got = $fast[$i].$name
                if ($null -eq $want) { $got | Should -BeNullOrEmpty -Because $name; continue }
                $got.GetType() | Should -Be $want.GetType() -Because $name
                ConvertTo-Json -InputObject $got -Depth 5 -Compress | Should -BeExactly (ConvertTo-Json -InputObject $want -Depth 5 -Compress) -Because $name
            }
        }
        $fast[0].Services | Should -Be ([Excert.AllowedServices]'IMAP, POP')
        $fast[0].DnsNameList | Should -Be @('a.contoso.com', '7')
        $fast[0].Zeta.X | Should -Be 1
    }
}

Describe 'A long listing (built on both cores)' {
    BeforeAll {
        # An answer of 80 certificates .NET made (above the shim's parallel threshold), read by
        # the same parser as the library's answers.
        $key = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
        $Made = foreach ($i in 1..80) {
            $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new("CN=host$i.contoso.com", $key, 'SHA256')
            $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(30))
        }
        function ConvertTo-Answer($Certificates, [string] $Services) {
            $items = foreach ($one in $Certificates) {
                '{{"Identity":"EX01\\{0}","Server":"EX01","Services":"{1}","RawData":"{2}"}}' -f $one.Thumbprint, $Services, [Convert]::ToBase64String($one.RawData)
            }
            '{"Certificates":[' + ($items -join ',') + ']}'
        }
    }

    It 'gives distinct objects with equal RawData, each as .NET reads it, also after the first were disposed' {
        $first = ([Excert.Answers]::Parse((ConvertTo-Answer $Made 'IIS'))).Certificates
        $second = ([Excert.Answers]::Parse((ConvertTo-Answer $Made 'SMTP'))).Certificates
        $second.Count | Should -Be 80
        [Excert.ParsedCertificates]::Count | Should -Be 80
        # One line per certificate, compared at once (a Should per value costs seconds here).
        $expected = foreach ($one in $Made) { "False $([Convert]::ToBase64String($one.RawData)) $($one.Thumbprint) SMTP IIS" }
        $seen = for ($i = 0; $i -lt 80; $i++) {
            $same = [object]::ReferenceEquals($first[$i], $second[$i])
            "$same $([Convert]::ToBase64String($second[$i].RawData)) $($second[$i].Thumbprint) $($second[$i].Services) $($first[$i].Services)"
        }
        $seen | Should -Be $expected
        @(for ($i = 0; $i -lt 80; $i++) { $second[$i].Handle -eq $first[$i].Handle }) | Should -Not -Contain $false
        foreach ($certificate in $first + $second) { $certificate.Dispose() }
        $third = ([Excert.Answers]::Parse((ConvertTo-Answer $Made[40..79] 'None'))).Certificates
        [Excert.ParsedCertificates]::Count | Should -Be 40
        @($third | ForEach-Object { "$($_.Thumbprint) $($_.Subject) $($_.Services)" }) |
            Should -Be @($Made[40..79] | ForEach-Object { "$($_.Thumbprint) $($_.Subject) None" })
    }
}

Describe 'A native answer read in the bytes the library wrote' {
    # Answers.Parse(NativeResult) reads the UTF-8 answer in place (no .NET string of it); the
    # answer's length is found a page at a time (Native.cs). Checked against the text path.
    It 'gives the objects the answer text gives, non-ASCII text and answers longer than a page included' {
        $name = "Zürich – 東京 ✓ $([char]::ConvertFromUtf32(0x1F512))"
        $made = New-ExchangeCertificate -DomainName utf8.contoso.com -KeyAlgorithm ECDSA_P256 -Services None -FriendlyName $name
        # Enough certificates for an answer over several pages.
        foreach ($i in 1..8) { $null = New-ExchangeCertificate -DomainName "page$i.contoso.com" -KeyAlgorithm ECDSA_P256 -Services None }
        $library = [Excert.Cmdlets.ModuleImport]::Library
        $result = $library.Invoke('excert_certificate_list', (ConvertTo-Json -Compress @{ StoreRoot = $env:EXCERT_STORE; Server = '*' }))
        $result.Code | Should -Be 0
        $result.HasJson | Should -BeTrue
        [Text.Encoding]::UTF8.GetByteCount($result.Json) | Should -BeGreaterThan (3 * 4096)
        $fromBytes = ([Excert.Answers]::Parse($result)).Certificates
        $fromText = ([Excert.Answers]::Parse($result.Json)).Certificates
        $fromBytes.Count | Should -Be $fromText.Count
        $fromBytes.Count | Should -BeGreaterThan 3
        for ($i = 0; $i -lt $fromBytes.Count; $i++) {
            $fromBytes[$i] | Should -BeOfType [Excert.ExchangeCertificate]
            ConvertTo-Json -InputObject $fromBytes[$i] -Depth 3 -Compress -WarningAction SilentlyContinue |
                Should -BeExactly (ConvertTo-Json -InputObject $fromText[$i] -Depth 3 -Compress -WarningAction SilentlyContinue)
        }
        ($fromBytes | Where-Object Thumbprint -eq $made.Thumbprint).FriendlyName | Should -BeExactly $name
        (Get-ExchangeCertificate -Thumbprint $made.Thumbprint).FriendlyName | Should -BeExactly $name
    }

    It 'refuses a result without an answer, naming the problem' {
        $none = [Excert.NativeResult]::new(300, $null, '{"Name":"NotFound"}')
        $none.HasJson | Should -BeFalse
        $none.Json | Should -BeNullOrEmpty
        { [Excert.Answers]::Parse($none) } | Should -Throw '*returned no answer*'
    }
}
