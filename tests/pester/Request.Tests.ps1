# The request flow against a real openssl CA: New-ExchangeCertificate -GenerateRequest ->
# openssl x509 -req -> Import-ExchangeCertificate with .cer, PEM chain or .p7b -> -TrustedRoot.
# Renewal by pipeline. Each Describe has its own store.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule
    $Work = New-TestFolder 'excert-pester-ca'
    $Ca = New-TestCa -Folder (Join-Path $Work 'ca')
}

AfterAll {
    if ($Work -and (Test-Path -LiteralPath $Work)) { Remove-Item -LiteralPath $Work -Recurse -Force }
}

Describe 'New-ExchangeCertificate -GenerateRequest' {
    BeforeAll {
        $Store = New-TestStore
        $RequestFile = Join-Path $Work 'mail.req'
        $Text = New-ExchangeCertificate -GenerateRequest -SubjectName 'C=US,O=Contoso,CN=mail.contoso.com' `
            -DomainName mail.contoso.com, autodiscover.contoso.com, 'bücher.contoso.com' -FriendlyName 'Contoso mail' `
            -PrivateKeyExportable $true -RequestFile $RequestFile
        $Pending = Get-ExchangeCertificate | Where-Object Status -EQ 'PendingRequest'
        $Parsed = Invoke-OpenSsl req -in $RequestFile -noout -text -nameopt RFC2253
    }
    AfterAll { Remove-TestStore $Store }

    It 'returns the request as Base64 text framed NEW CERTIFICATE REQUEST' {
        $Text | Should -BeOfType [string]
        $Text | Should -Match '^-----BEGIN NEW CERTIFICATE REQUEST-----\r?\n'
        $Text.TrimEnd() | Should -Match '-----END NEW CERTIFICATE REQUEST-----$'
    }

    It 'writes the same text to -RequestFile' {
        [IO.File]::ReadAllText($RequestFile) | Should -BeExactly $Text
    }

    It 'is a request openssl verifies, signed with SHA-256' {
        (Invoke-OpenSsl req -in $RequestFile -noout -verify) -join "`n" | Should -Match 'verify OK'
        ($Parsed -join "`n") | Should -Match 'Signature Algorithm: sha256WithRSAEncryption'
        ($Parsed -join "`n") | Should -Match 'Public-Key: \(2048 bit\)'
    }

    It 'carries the subject and the domain names (IDN as punycode)' {
        ($Parsed -join "`n") | Should -Match 'Subject: CN=mail\.contoso\.com,O=Contoso,C=US'
        $san = ($Parsed -join "`n")
        $san | Should -Match 'DNS:mail\.contoso\.com'
        $san | Should -Match 'DNS:autodiscover\.contoso\.com'
        $san | Should -Match 'DNS:xn--bcher-kva\.contoso\.com'
    }

    It 'is kept as one pending entry with Exchange''s pending properties' {
        @($Pending).Count | Should -Be 1
        $Pending.IsSelfSigned | Should -BeFalse
        $Pending.RootCAType | Should -BeExactly 'Unknown'
        $Pending.HasPrivateKey | Should -BeTrue
        $Pending.FriendlyName | Should -BeExactly 'Contoso mail'
        $Pending.Services | Should -Be ([Excert.AllowedServices]::None)
        $Pending.Thumbprint | Should -MatchExactly '^[0-9A-F]{40}$'
    }

    It 'holds the same PKCS#10 as the file: thumbprint = SHA-1 of the DER' {
        $der = [Convert]::FromBase64String($Pending.CertificateRequest)
        $fromFile = [Convert]::FromBase64String((($Text -split "`n" | Where-Object { $_ -notmatch '-----' }) -join ''))
        [Convert]::ToBase64String($der) | Should -BeExactly ([Convert]::ToBase64String($fromFile))
        [Convert]::ToHexString([Security.Cryptography.SHA1]::HashData($der)) | Should -BeExactly $Pending.Thumbprint
    }

    It 'returns the DER in FileData with -BinaryEncoded and writes DER to -RequestFile' {
        $derFile = Join-Path $Work 'ec.req.der'
        $binary = New-ExchangeCertificate -GenerateRequest -BinaryEncoded -KeyAlgorithm ECDSA_P256 -SubjectName 'CN=ec.contoso.com' -RequestFile $derFile
        $binary.FileData | Should -BeOfType [byte]
        $binary.FileData.GetType() | Should -Be ([byte[]])
        [Convert]::ToBase64String([IO.File]::ReadAllBytes($derFile)) | Should -BeExactly ([Convert]::ToBase64String($binary.FileData))
        ((Invoke-OpenSsl req -inform DER -in $derFile -noout -verify -text) -join "`n") | Should -Match 'ecdsa-with-SHA256'
        $entry = Get-ExchangeCertificate | Where-Object { $_.Status -eq 'PendingRequest' -and $_.Subject -eq 'CN=ec.contoso.com' }
        [Convert]::ToHexString([Security.Cryptography.SHA1]::HashData($binary.FileData)) | Should -BeExactly $entry.Thumbprint
    }

    It 'refuses -Services with -GenerateRequest at binding' {
        { New-ExchangeCertificate -GenerateRequest -Services IIS } | Should -Throw -ErrorId 'AmbiguousParameterSet,Excert.Cmdlets.NewExchangeCertificate'
    }

    It 'refuses -BinaryEncoded without -GenerateRequest' {
        # Not a binding error: a message that says what to add.
        { New-ExchangeCertificate -BinaryEncoded -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidArgument,Excert.Cmdlets.NewExchangeCertificate' -ExpectedMessage '*add -GenerateRequest*'
        # In a renewal both are allowed, but only together.
        $count = @(Get-ExchangeCertificate).Count
        $Pending | New-ExchangeCertificate -BinaryEncoded -ErrorAction SilentlyContinue -ErrorVariable failure | Should -BeNullOrEmpty
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly 'InvalidArgument'
        (Select-WrittenError $failure)[0].Exception.Message | Should -Match '-GenerateRequest'
        @(Get-ExchangeCertificate).Count | Should -Be $count
    }

    It 'makes nothing under -WhatIf' {
        $before = @(Get-ExchangeCertificate).Count
        New-ExchangeCertificate -GenerateRequest -SubjectName 'CN=whatif.contoso.com' -RequestFile (Join-Path $Work 'whatif.req') -WhatIf | Should -BeNullOrEmpty
        @(Get-ExchangeCertificate).Count | Should -Be $before
        Join-Path $Work 'whatif.req' | Should -Not -Exist
    }

    It 'refuses a -RequestFile it cannot write before making anything: FileNotWritten' {
        $before = @(Get-ExchangeCertificate).Count
        $path = Join-Path $Work 'no-such-folder/lost.req'
        New-ExchangeCertificate -GenerateRequest -SubjectName 'CN=lost.contoso.com' -KeyAlgorithm ECDSA_P256 -RequestFile $path -ErrorAction SilentlyContinue -ErrorVariable failure |
            Should -BeNullOrEmpty
        (Select-WrittenError $failure).Count | Should -Be 1
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly 'FileNotWritten'
        (Select-WrittenError $failure)[0].Exception.Message | Should -Match ([regex]::Escape($path))
        (Select-WrittenError $failure)[0].Exception.Message | Should -Match 'does not exist'
        @(Get-ExchangeCertificate).Count | Should -Be $before
    }

    It 'writes the request readable by others (it holds no key)' -Skip:$IsWindows {
        $probe = Join-Path $Work 'probe.txt'
        [IO.File]::WriteAllText($probe, '')
        [int][IO.File]::GetUnixFileMode($RequestFile) | Should -Be ([int][IO.File]::GetUnixFileMode($probe) -band 0x1A4)
    }

    It 'exports a pending request as its PKCS#10' {
        Export-ExchangeCertificate -Thumbprint $Pending.Thumbprint | Should -BeExactly $Text
    }
}

Describe 'Completing a request with the CA''s answer as <Form>' -ForEach @(
    @{ Form = 'a DER .cer'; Chain = $false; Make = { param($ca, $issued, $dir) $f = Join-Path $dir 'mail.cer'; $null = Invoke-OpenSsl x509 -in $issued -outform DER -out $f; [IO.File]::ReadAllBytes($f) } }
    @{ Form = 'a PEM chain'; Chain = $true; Make = { param($ca, $issued, $dir) [Text.Encoding]::ASCII.GetBytes(((Get-Content -Raw $issued), (Get-Content -Raw $ca.Issuing), (Get-Content -Raw $ca.Root)) -join '') } }
    @{ Form = 'a DER .p7b'; Chain = $true; Make = { param($ca, $issued, $dir) $f = Join-Path $dir 'mail.p7b'; $null = Invoke-OpenSsl crl2pkcs7 -nocrl -certfile $issued -certfile $ca.Issuing -certfile $ca.Root -outform DER -out $f; [IO.File]::ReadAllBytes($f) } }
    @{ Form = 'a PEM .p7b'; Chain = $true; Make = { param($ca, $issued, $dir) $f = Join-Path $dir 'mail.p7b.pem'; $null = Invoke-OpenSsl crl2pkcs7 -nocrl -certfile $issued -certfile $ca.Issuing -outform PEM -out $f; [IO.File]::ReadAllBytes($f) } }
) {
    BeforeAll {
        $Store = New-TestStore
        $Dir = New-TestFolder 'excert-pester-answer'
        $RequestFile = Join-Path $Dir 'mail.req'
        $null = New-ExchangeCertificate -GenerateRequest -SubjectName 'C=US,O=Contoso,CN=mail.contoso.com' -DomainName mail.contoso.com, autodiscover.contoso.com `
            -KeyAlgorithm ECDSA_P256 -FriendlyName 'Contoso mail' -PrivateKeyExportable $true -RequestFile $RequestFile
        $PendingThumbprint = (Get-ExchangeCertificate).Thumbprint
        $Issued = Invoke-TestCaSign -Ca $Ca -RequestFile $RequestFile
        $Bytes = & $Make $Ca $Issued $Dir
        $Imported = Import-ExchangeCertificate -FileData $Bytes -WarningVariable ImportWarnings
    }
    AfterAll {
        Remove-TestStore $Store
        Remove-Item -LiteralPath $Dir -Recurse -Force
    }

    It 'returns the issued certificate, the one openssl made' {
        @($Imported).Count | Should -Be 1
        $Imported.Thumbprint | Should -BeExactly (Get-OpenSslFingerprint $Issued)
        $Imported.PSObject.TypeNames[0] | Should -BeExactly 'Excert.ExchangeCertificate'
        @($ImportWarnings).Count | Should -Be 0
    }

    It 'attaches the request''s key and keeps its friendly name and exportability' {
        $Imported.HasPrivateKey | Should -BeTrue
        $Imported.PrivateKeyExportable | Should -BeTrue
        $Imported.FriendlyName | Should -BeExactly 'Contoso mail'
        $Imported.KeyAlgorithm | Should -BeExactly 'ECDSA_P256'
    }

    It 'keeps the SANs and the CA as issuer' {
        @($Imported.CertificateDomains | Sort-Object) | Should -Be @('autodiscover.contoso.com', 'mail.contoso.com')
        $Imported.Issuer | Should -BeExactly 'CN=Contoso Issuing CA, O=Contoso'
        $Imported.IsSelfSigned | Should -BeFalse
    }

    It 'replaces the pending entry' {
        $all = @(Get-ExchangeCertificate)
        $all.Count | Should -Be 1
        $all[0].Thumbprint | Should -BeExactly $Imported.Thumbprint
        Get-ExchangeCertificate -Thumbprint $PendingThumbprint -ErrorAction SilentlyContinue -ErrorVariable missing | Should -BeNullOrEmpty
        Get-ErrorId (Select-WrittenError $missing)[0] | Should -BeExactly 'NotFound'
    }

    It 'is Untrusted until the root is trusted, then trusted with RootCAType Registry' {
        $Imported.Status | Should -BeExactly 'Untrusted'
        Import-ExchangeCertificate -FileData ([IO.File]::ReadAllBytes($Ca.Root)) -TrustedRoot | Should -BeNullOrEmpty
        $now = Get-ExchangeCertificate -Thumbprint $Imported.Thumbprint
        if (-not $Chain) {
            # A lone .cer brings no issuing CA, so no path reaches the root: trusting the
            # issuing CA as well completes the path.
            $now.Status | Should -BeExactly 'Untrusted'
            Import-ExchangeCertificate -FileData ([IO.File]::ReadAllBytes($Ca.Issuing)) -TrustedRoot | Should -BeNullOrEmpty
            $now = Get-ExchangeCertificate -Thumbprint $Imported.Thumbprint
        }
        # Trusted and complete, so revocation is checked: the test CA publishes no CRL and no
        # OCSP responder, which Windows reports as revocation status unknown and Exchange as
        # RevocationCheckFailure (docs/revocation.md).
        $now.Status | Should -BeExactly 'RevocationCheckFailure'
        $now.RootCAType | Should -BeExactly 'Registry'
    }

    It 'refuses the same certificate again with AlreadyExists and changes nothing' {
        $snapshot = Get-TreeSnapshot $Store.Path
        Import-ExchangeCertificate -FileData $Bytes -ErrorAction SilentlyContinue -ErrorVariable failure | Should -BeNullOrEmpty
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly 'AlreadyExists'
        Get-TreeSnapshot $Store.Path | Should -Be $snapshot
    }
}

Describe 'Import-ExchangeCertificate of certificates it cannot complete' {
    BeforeAll {
        $Store = New-TestStore
        $Dir = New-TestFolder 'excert-pester-orphan'
        # A certificate for a key this store never saw: openssl makes request and key itself.
        $csr = Join-Path $Dir 'other.csr'
        $null = Invoke-OpenSsl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout (Join-Path $Dir 'other.key') -out $csr -subj '/CN=other.contoso.com' -addext 'subjectAltName=DNS:other.contoso.com'
        $Orphan = Invoke-TestCaSign -Ca $Ca -RequestFile $csr
    }
    AfterAll {
        Remove-TestStore $Store
        Remove-Item -LiteralPath $Dir -Recurse -Force
    }

    It 'imports a certificate without a pending request with no key, and warns' {
        $cert = Import-ExchangeCertificate -FileName $Orphan -WarningVariable warned -WarningAction SilentlyContinue
        $cert.Thumbprint | Should -BeExactly (Get-OpenSslFingerprint $Orphan)
        $cert.HasPrivateKey | Should -BeFalse
        @($warned).Count | Should -Be 1
        "$($warned[0])" | Should -Match $cert.Thumbprint
        "$($warned[0])" | Should -Match 'without a private key'
    }

    It 'takes the PEM text as a string (Exchange scripts pass text too)' {
        $text = Get-Content -Raw -LiteralPath $Ca.Issuing
        $null = Import-ExchangeCertificate -FileData $text -Server 'EX09' -WarningAction SilentlyContinue
        (Get-ExchangeCertificate -Server EX09).Thumbprint | Should -BeExactly (Get-OpenSslFingerprint $Ca.Issuing)
    }

    It 'fails with <ErrorId> for <Case> and changes nothing' -TestCases @(
        @{ Case = 'random bytes'; Data = { [byte[]](1..200 | ForEach-Object { ($_ * 37) % 256 }) }; ErrorId = 'UnknownFormat' }
        @{ Case = 'a truncated PKCS#7'; Data = { $f = Join-Path $Dir 'cut.p7b'; $null = Invoke-OpenSsl crl2pkcs7 -nocrl -certfile $Orphan -outform DER -out $f; $b = [IO.File]::ReadAllBytes($f); [byte[]]$b[0..($b.Length / 2)] }; ErrorId = 'MalformedData' }
        @{ Case = 'empty data'; Data = { , [byte[]]::new(0) }; ErrorId = 'EmptyData' }
        @{ Case = 'a certificate request'; Data = { [IO.File]::ReadAllBytes((Join-Path $Dir 'other.csr')) }; ErrorId = 'InvalidArgument' }
    ) {
        $snapshot = Get-TreeSnapshot $Store.Path
        $out = Import-ExchangeCertificate -FileData (& $Data) -ErrorAction SilentlyContinue -ErrorVariable failure
        $out | Should -BeNullOrEmpty
        (Select-WrittenError $failure).Count | Should -Be 1
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly $ErrorId
        (Select-WrittenError $failure)[0].Exception.Message | Should -Not -BeNullOrEmpty
        Get-TreeSnapshot $Store.Path | Should -Be $snapshot
    }

    It 'says which file it could not read with -FileName' {
        $missing = Join-Path $Dir 'no-such.cer'
        Import-ExchangeCertificate -FileName $missing -ErrorAction SilentlyContinue -ErrorVariable failure | Should -BeNullOrEmpty
        # One error: the cmdlet's, not also the .NET exception behind it.
        (Select-WrittenError $failure).Count | Should -Be 1
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly 'FileNotReadable'
        (Select-WrittenError $failure)[0].Exception.Message | Should -Match ([regex]::Escape($missing))
    }

    It 'refuses a -FileName reached through a symbolic link, and changes nothing' -Skip:$IsWindows {
        $link = Join-Path $Dir 'orphan-link.cer'
        $null = New-Item -ItemType SymbolicLink -Path $link -Target $Orphan
        $snapshot = Get-TreeSnapshot $Store.Path
        Import-ExchangeCertificate -FileName $link -ErrorAction SilentlyContinue -ErrorVariable failure | Should -BeNullOrEmpty
        (Select-WrittenError $failure).Count | Should -Be 1
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly 'FileNotReadable'
        (Select-WrittenError $failure)[0].Exception.Message | Should -Match ([regex]::Escape($link))
        (Select-WrittenError $failure)[0].Exception.Message | Should -Match 'symbolic link'
        Get-TreeSnapshot $Store.Path | Should -Be $snapshot
    }

    It 'refuses a leaf certificate as a trusted root' {
        Import-ExchangeCertificate -FileName $Orphan -TrustedRoot -ErrorAction SilentlyContinue -ErrorVariable failure | Should -BeNullOrEmpty
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly 'InvalidArgument'
        (Select-WrittenError $failure)[0].Exception.Message | Should -Match 'not a CA certificate'
    }
}

Describe 'Renewal through the pipeline' {
    BeforeAll {
        $Store = New-TestStore
        $Old = New-ExchangeCertificate -SubjectName 'C=US,O=Contoso,CN=mail.contoso.com' -DomainName mail.contoso.com, owa.contoso.com `
            -KeyAlgorithm ECDSA_P384 -FriendlyName 'Contoso 2026' -PrivateKeyExportable $true -Services IIS, SMTP -Force
    }
    AfterAll { Remove-TestStore $Store }

    It 'makes a new self-signed certificate with the same names, key type and services (-Force)' {
        $new = Get-ExchangeCertificate -Thumbprint $Old.Thumbprint | New-ExchangeCertificate -Force -WarningAction SilentlyContinue
        @($new).Count | Should -Be 1
        $new.Thumbprint | Should -Not -Be $Old.Thumbprint
        $new.Subject | Should -BeExactly $Old.Subject
        @($new.CertificateDomains) | Should -Be @($Old.CertificateDomains)
        $new.FriendlyName | Should -BeExactly 'Contoso 2026'
        $new.KeyAlgorithm | Should -BeExactly 'ECDSA_P384'
        $new.PrivateKeyExportable | Should -BeTrue
        $new.Services | Should -Be ([Excert.AllowedServices]'IIS, SMTP')
        # A new key: the public keys differ.
        $oldKey = [Security.Cryptography.X509Certificates.X509Certificate2]::new($Old.RawData).PublicKey.EncodedKeyValue.RawData
        $newKey = [Security.Cryptography.X509Certificates.X509Certificate2]::new($new.RawData).PublicKey.EncodedKeyValue.RawData
        [Convert]::ToBase64String($newKey) | Should -Not -Be ([Convert]::ToBase64String($oldKey))
        # IIS moved to the new certificate; SMTP is shared, and the default moved with -Force.
        (Get-ExchangeCertificate -Thumbprint $Old.Thumbprint).Services | Should -Be ([Excert.AllowedServices]::SMTP)
    }

    It 'makes a renewal request with -GenerateRequest, written to -RequestFile' {
        $file = Join-Path $Work 'renewal.req'
        $text = Get-ExchangeCertificate -Thumbprint $Old.Thumbprint | New-ExchangeCertificate -GenerateRequest -RequestFile $file
        $text | Should -Match 'BEGIN NEW CERTIFICATE REQUEST'
        $parsed = (Invoke-OpenSsl req -in $file -noout -verify -text -nameopt RFC2253) -join "`n"
        $parsed | Should -Match 'Subject: CN=mail\.contoso\.com,O=Contoso,C=US'
        $parsed | Should -Match 'DNS:mail\.contoso\.com, DNS:owa\.contoso\.com'
        $parsed | Should -Match 'NIST CURVE: P-384'
        $pending = Get-ExchangeCertificate | Where-Object Status -EQ 'PendingRequest'
        $pending.FriendlyName | Should -BeExactly 'Contoso 2026'
    }

    It 'takes a thumbprint string or -Instance too' {
        $byString = $Old.Thumbprint | New-ExchangeCertificate -GenerateRequest -BinaryEncoded -FriendlyName 'From a string'
        $byString.FileData.Length | Should -BeGreaterThan 100
        $byInstance = New-ExchangeCertificate -Instance $Old -GenerateRequest -FriendlyName 'From Instance'
        $byInstance | Should -Match 'BEGIN NEW CERTIFICATE REQUEST'
        @(Get-ExchangeCertificate | Where-Object FriendlyName -In 'From a string', 'From Instance').Count | Should -Be 2
    }

    It 'refuses to renew a pending request (PendingRequest)' {
        $pending = @(Get-ExchangeCertificate | Where-Object Status -EQ 'PendingRequest')[0]
        $pending | New-ExchangeCertificate -Force -ErrorAction SilentlyContinue -ErrorVariable failure | Should -BeNullOrEmpty
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly 'PendingRequest'
    }

    It 'writes NotFound for an unknown certificate and goes on with the next' {
        $out = @('0000000000000000000000000000000000000000', $Old.Thumbprint) | New-ExchangeCertificate -GenerateRequest -BinaryEncoded -ErrorAction SilentlyContinue -ErrorVariable failure
        @($out).Count | Should -Be 1
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly 'NotFound'
    }
}
