# Export-/Import-ExchangeCertificate: PFX profiles read by .NET and openssl, passwords as
# SecureString, refusals, files, and one PFX onto several servers of a shared store.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule
    $Work = New-TestFolder 'excert-pester-pfx'
    $Store = New-TestStore
    # Typed here only: the tests never put a password on a command line.
    $PasswordText = 'Pässwörd 7 – Contoso'
    $Password = ConvertTo-SecureString $PasswordText -AsPlainText -Force
    $Cert = New-ExchangeCertificate -SubjectName 'C=US,O=Contoso,CN=mail.contoso.com' -DomainName mail.contoso.com, owa.contoso.com `
        -FriendlyName 'Contoso mail' -PrivateKeyExportable $true -Services IIS
    $Locked = New-ExchangeCertificate -DomainName locked.contoso.com -KeyAlgorithm ECDSA_P256 -Services None
    $X509 = [System.Security.Cryptography.X509Certificates.X509Certificate2]

    function Get-OpenSslPublicKey([string[]] $Arguments) {
        # The public key (PEM) of whatever openssl reads with these arguments.
        (Invoke-OpenSsl @Arguments) -join "`n"
    }
}

AfterAll {
    Remove-TestStore $Store
    if ($Work -and (Test-Path -LiteralPath $Work)) { Remove-Item -LiteralPath $Work -Recurse -Force }
}

Describe 'Export-ExchangeCertificate -Password (<Encryption>)' -ForEach @(
    @{ Encryption = 'Modern'; Cipher = 'PBES2, PBKDF2, AES-256-CBC'; Mac = 'sha256'; LegacyFlag = @() }
    @{ Encryption = 'Legacy'; Cipher = 'pbeWithSHA1And3-KeyTripleDES-CBC'; Mac = 'sha1'; LegacyFlag = @('-legacy') }
) {
    BeforeAll {
        $File = Join-Path $Work "mail-$Encryption.pfx"
        $Binary = Export-ExchangeCertificate -Thumbprint $Cert.Thumbprint -BinaryEncoded -Password $Password -Encryption $Encryption -FileName $File
        $PasswordFile = Join-Path $Work 'password.txt'
        [IO.File]::WriteAllText($PasswordFile, $PasswordText)
        $PassIn = "file:$PasswordFile"
    }

    It 'returns the PFX bytes in FileData, the same as the file' {
        $Binary.FileData.GetType() | Should -Be ([byte[]])
        [Convert]::ToBase64String([IO.File]::ReadAllBytes($File)) | Should -BeExactly ([Convert]::ToBase64String($Binary.FileData))
    }

    It 'creates the file readable by its owner only' -Skip:$IsWindows {
        [IO.File]::GetUnixFileMode($File) | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
    }

    It 'opens in .NET (X509CertificateLoader) with its private key and the same thumbprint' {
        $loaded = [System.Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadPkcs12($Binary.FileData, $PasswordText,
            [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::EphemeralKeySet)
        $loaded.Thumbprint | Should -BeExactly $Cert.Thumbprint
        $loaded.HasPrivateKey | Should -BeTrue
        # The key is the certificate's: sign with it, verify with the certificate.
        $data = [Text.Encoding]::UTF8.GetBytes('excert')
        $signature = [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($loaded).SignData($data, 'SHA256', [Security.Cryptography.RSASignaturePadding]::Pkcs1)
        $X509::new($Cert.RawData).PublicKey.GetRSAPublicKey().VerifyData($data, $signature, 'SHA256', [Security.Cryptography.RSASignaturePadding]::Pkcs1) | Should -BeTrue
    }

    It 'keeps the friendly name in the PFX' {
        $collection = [System.Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadPkcs12Collection($Binary.FileData, $PasswordText,
            [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::EphemeralKeySet)
        # .NET surfaces the bag's friendly name only on Windows; openssl shows it everywhere.
        ((Invoke-OpenSsl pkcs12 -in $File -passin $PassIn -nokeys @LegacyFlag) -join "`n") | Should -Match 'friendlyName: Contoso mail'
        @($collection).Count | Should -Be 1
    }

    It 'is the profile asked for: <Cipher>, MAC <Mac>, 2048 iterations' {
        $info = (Invoke-OpenSsl pkcs12 -in $File -passin $PassIn -info -noout @LegacyFlag) -join "`n"
        $info | Should -Match "MAC: $Mac, Iteration 2048"
        $info | Should -Match ([regex]::Escape($Cipher))
        $info | Should -Not -Match 'RC2'
    }

    It 'opens in openssl pkcs12 with the same certificate and key' {
        $pem = Join-Path $Work "mail-$Encryption.pem"
        $null = Invoke-OpenSsl pkcs12 -in $File -passin $PassIn -nodes -out $pem @LegacyFlag
        Get-OpenSslFingerprint $pem | Should -BeExactly $Cert.Thumbprint
        $fromKey = Get-OpenSslPublicKey pkey, -in, $pem, -pubout
        $fromCert = Get-OpenSslPublicKey x509, -in, $pem, -noout, -pubkey
        $fromKey | Should -BeExactly $fromCert
    }

    It 'imports on another server with its key, thumbprint and friendly name' {
        $server = "PFX$Encryption".ToUpperInvariant()
        $imported = Import-ExchangeCertificate -Server $server -FileData $Binary.FileData -Password $Password -PrivateKeyExportable $true
        $imported.Identity | Should -BeExactly "$server\$($Cert.Thumbprint)"
        $imported.HasPrivateKey | Should -BeTrue
        $imported.PrivateKeyExportable | Should -BeTrue
        $imported.FriendlyName | Should -BeExactly 'Contoso mail'
        [Convert]::ToBase64String($imported.RawData) | Should -BeExactly ([Convert]::ToBase64String($Cert.RawData))
        # The same key: the second server's export carries the same public key as the first's.
        $again = Export-ExchangeCertificate -Server $server -Thumbprint $Cert.Thumbprint -BinaryEncoded -Password $Password
        $reloaded = [System.Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadPkcs12($again.FileData, $PasswordText,
            [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::EphemeralKeySet)
        [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($reloaded).ExportParameters($false).Modulus | Should -Be $X509::new($Cert.RawData).PublicKey.GetRSAPublicKey().ExportParameters($false).Modulus
    }
}

Describe 'Export-ExchangeCertificate without a password' {
    It 'returns the certificate as PEM text that openssl reads' {
        $text = Export-ExchangeCertificate $Cert.Thumbprint
        $text | Should -Match '^-----BEGIN CERTIFICATE-----'
        $file = Join-Path $Work 'mail.cer.pem'
        [IO.File]::WriteAllText($file, $text)
        Get-OpenSslFingerprint $file | Should -BeExactly $Cert.Thumbprint
    }

    It 'returns the DER with -BinaryEncoded and writes it to -FileName' {
        $file = Join-Path $Work 'mail.cer'
        $binary = Export-ExchangeCertificate -Identity $Cert.Identity -BinaryEncoded -FileName $file
        [Convert]::ToBase64String($binary.FileData) | Should -BeExactly ([Convert]::ToBase64String($Cert.RawData))
        [Convert]::ToBase64String([IO.File]::ReadAllBytes($file)) | Should -BeExactly ([Convert]::ToBase64String($Cert.RawData))
    }

    It 'exports a non-exportable key''s certificate alone' {
        $text = Export-ExchangeCertificate $Locked.Thumbprint
        $text | Should -Match 'BEGIN CERTIFICATE'
        $text | Should -Not -Match 'PRIVATE KEY'
    }

    It 'takes certificates from the pipeline' {
        $texts = @(Get-ExchangeCertificate | Export-ExchangeCertificate)
        $texts.Count | Should -Be 2
        $texts | ForEach-Object { $_ | Should -Match 'BEGIN CERTIFICATE' }
    }

    It 'takes each piped object''s Server, and this server for one without it' {
        # $PSBoundParameters keeps the Server an earlier object bound; the second object has none.
        $piped = [pscustomobject]@{ Thumbprint = $Cert.Thumbprint; Server = 'NOSUCH' }, [pscustomobject]@{ Thumbprint = $Cert.Thumbprint }
        $texts = @($piped | Export-ExchangeCertificate -ErrorAction SilentlyContinue -ErrorVariable failure)
        (Select-WrittenError $failure).Count | Should -Be 1
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly 'NotFound'
        (Select-WrittenError $failure)[0].Exception.Message | Should -Match 'NOSUCH'
        $texts.Count | Should -Be 1
        $texts[0] | Should -Match 'BEGIN CERTIFICATE'
    }
}

Describe 'Import- and Export-ExchangeCertificate -Debug' {
    It 'write their warnings and verbose lines by the preference variables, without asking' {
        # A script cmdlet's own runtime makes -Debug an Inquire for warning and verbose lines
        # (in a session that cannot ask: an error); Write-Warning and Write-Verbose do not.
        $cer = Join-Path $Work 'debug.cer'
        [IO.File]::WriteAllBytes($cer, $Locked.RawData)
        $written = Join-Path $Work 'debug-export.cer'
        $child = Invoke-ChildPwsh -Environment @{ EXCERT_STORE = $Store.Path } -Script @"
Import-Module '$ExcertModuleManifest' -ErrorAction Stop
`$null = Import-ExchangeCertificate -Server DEBUG -FileData ([IO.File]::ReadAllBytes('$cer')) -DomainController dc01 -Debug
'IMPORTED'
`$global:VerbosePreference = 'Continue'
`$null = Export-ExchangeCertificate -Server DEBUG -Thumbprint $($Locked.Thumbprint) -FileName '$written' -Debug
'EXPORTED'
"@
        $child.ExitCode | Should -Be 0
        $child.Output | Should -Not -Match 'NonInteractive'
        $child.Output | Should -Match 'WARNING: .*imported without a private key'
        # Verbose lines by `$VerbosePreference: not before it is Continue, then shown.
        $child.Output | Should -Not -Match '-DomainController dc01 is ignored'
        $child.Output | Should -Match ('(?s)IMPORTED.*VERBOSE: Written: ' + [regex]::Escape($written) + '.*EXPORTED')
        $written | Should -Exist
    }
}

Describe 'Export-ExchangeCertificate refusals' {
    BeforeAll {
        $Module = Get-Module ExchangeCertificate
        $now = [datetime]::UtcNow
        $expired = Invoke-ExcertNative -Function excert_certificate_new -Request ([ordered]@{
                Server = 'OLD'; Services = 'None'; KeyAlgorithm = 'ECDSA_P256'; PrivateKeyExportable = $true
                NotBefore = $now.AddDays(-400).ToString('yyyy-MM-ddTHH:mm:ssZ'); NotAfter = $now.AddDays(-5).ToString('yyyy-MM-ddTHH:mm:ssZ')
            })
        $Expired = $expired.Certificate.Thumbprint
    }

    It 'refuses a key that is not exportable: NotExportable' {
        Export-ExchangeCertificate $Locked.Thumbprint -Password $Password -ErrorAction SilentlyContinue -ErrorVariable failure | Should -BeNullOrEmpty
        (Select-WrittenError $failure).Count | Should -Be 1
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly 'NotExportable'
        (Select-WrittenError $failure)[0].Exception.Message | Should -Match 'PrivateKeyExportable'
    }

    It 'refuses an expired certificate unless -Force: Expired' {
        Export-ExchangeCertificate $Expired -Server OLD -Password $Password -BinaryEncoded -ErrorAction SilentlyContinue -ErrorVariable failure | Should -BeNullOrEmpty
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly 'Expired'
        (Select-WrittenError $failure)[0].Exception.Message | Should -Match '-Force'
        $forced = Export-ExchangeCertificate $Expired -Server OLD -Password $Password -BinaryEncoded -Force
        $loaded = [System.Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadPkcs12($forced.FileData, $PasswordText,
            [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::EphemeralKeySet)
        $loaded.Thumbprint | Should -BeExactly $Expired
    }

    It 'writes NotFound for an unknown thumbprint' {
        Export-ExchangeCertificate ('AB' * 20) -ErrorAction SilentlyContinue -ErrorVariable failure | Should -BeNullOrEmpty
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly 'NotFound'
    }

    It 'refuses an unknown profile at binding' {
        { Export-ExchangeCertificate $Cert.Thumbprint -Encryption RC2 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Excert.Cmdlets.ExportExchangeCertificate'
    }

    It 'reports a folder that does not exist, naming the path' {
        $path = Join-Path $Work 'no-such-folder/mail.cer'
        $out = Export-ExchangeCertificate $Cert.Thumbprint -FileName $path -ErrorAction SilentlyContinue -ErrorVariable failure
        $out | Should -BeNullOrEmpty
        (Select-WrittenError $failure).Count | Should -Be 1
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly 'FileNotWritten'
        (Select-WrittenError $failure)[0].Exception.Message | Should -Match ([regex]::Escape($path))
    }

    It 'writes nothing under -WhatIf' {
        $path = Join-Path $Work 'whatif.pfx'
        Export-ExchangeCertificate $Cert.Thumbprint -Password $Password -BinaryEncoded -FileName $path -WhatIf | Should -BeNullOrEmpty
        $path | Should -Not -Exist
    }

    It 'refuses a symbolic link at -FileName, leaves its target alone and shows no password' -Skip:$IsWindows {
        $target = Join-Path $Work 'precious.txt'
        [IO.File]::WriteAllText($target, 'keep me')
        $link = Join-Path $Work 'link.pfx'
        $null = New-Item -ItemType SymbolicLink -Path $link -Target $target
        $out = Export-ExchangeCertificate $Cert.Thumbprint -Password $Password -BinaryEncoded -FileName $link -ErrorAction SilentlyContinue -ErrorVariable failure
        $out | Should -BeNullOrEmpty
        (Select-WrittenError $failure).Count | Should -Be 1
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly 'FileNotWritten'
        $message = (Select-WrittenError $failure)[0].Exception.Message
        $message | Should -Match ([regex]::Escape($link))
        $message | Should -Match 'symbolic link'
        $message | Should -Not -Match ([regex]::Escape($PasswordText))
        [IO.File]::ReadAllText($target) | Should -BeExactly 'keep me'
        (Get-Item -LiteralPath $link -Force).LinkType | Should -Be 'SymbolicLink'
    }

    It 'replaces an existing file, a relative path taken from the current location' -Skip:$IsWindows {
        Push-Location $Work
        try {
            [IO.File]::WriteAllText((Join-Path $Work 'again.pfx'), 'old content')
            [IO.File]::SetUnixFileMode((Join-Path $Work 'again.pfx'), [IO.UnixFileMode]'UserRead, UserWrite, GroupRead, OtherRead')
            $binary = Export-ExchangeCertificate $Cert.Thumbprint -Password $Password -BinaryEncoded -FileName 'again.pfx'
        } finally {
            Pop-Location
        }
        $file = Join-Path $Work 'again.pfx'
        [Convert]::ToBase64String([IO.File]::ReadAllBytes($file)) | Should -BeExactly ([Convert]::ToBase64String($binary.FileData))
        # A new file, born readable by its owner only: the old file's mode is not kept.
        [IO.File]::GetUnixFileMode($file) | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        $loaded = [System.Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadPkcs12FromFile($file, $PasswordText,
            [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::EphemeralKeySet)
        $loaded.Thumbprint | Should -BeExactly $Cert.Thumbprint
        @(Get-ChildItem -LiteralPath $Work -Force -Filter '.again.pfx.tmp-*') | Should -BeNullOrEmpty
    }

    It 'writes a certificate''s PEM readable by others (no key in it)' -Skip:$IsWindows {
        $file = Join-Path $Work 'public.cer'
        $text = Export-ExchangeCertificate $Cert.Thumbprint -FileName $file
        [IO.File]::ReadAllText($file) | Should -BeExactly $text
        # 0644 as the umask lets it be: the mode of a file made here, masked to 0644.
        $probe = Join-Path $Work 'probe.txt'
        [IO.File]::WriteAllText($probe, '')
        $readable = [int][IO.File]::GetUnixFileMode($probe) -band 0x1A4
        [int][IO.File]::GetUnixFileMode($file) | Should -Be $readable
        Get-OpenSslFingerprint $file | Should -BeExactly $Cert.Thumbprint
    }
}

Describe 'Import-ExchangeCertificate of PFX files' {
    BeforeAll {
        $Pfx = (Export-ExchangeCertificate $Cert.Thumbprint -BinaryEncoded -Password $Password).FileData
        $Wrong = ConvertTo-SecureString 'not the password' -AsPlainText -Force
        # A server that already has a certificate: a failed import must leave its folder as it was.
        $null = New-ExchangeCertificate -Server WRONG -DomainName wrong.contoso.com -KeyAlgorithm ECDSA_P256 -Services None
    }

    It 'gives WrongPassword for a wrong password and changes nothing' {
        $snapshot = Get-TreeSnapshot $Store.Path
        Import-ExchangeCertificate -Server WRONG -FileData $Pfx -Password $Wrong -ErrorAction SilentlyContinue -ErrorVariable failure | Should -BeNullOrEmpty
        (Select-WrittenError $failure).Count | Should -Be 1
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly 'WrongPassword'
        (Select-WrittenError $failure)[0].CategoryInfo.Category | Should -Not -Be 'NotSpecified'
        Get-TreeSnapshot $Store.Path | Should -Be $snapshot
    }

    It 'gives WrongPassword without a password' {
        Import-ExchangeCertificate -Server WRONG -FileData $Pfx -ErrorAction SilentlyContinue -ErrorVariable failure | Should -BeNullOrEmpty
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly 'WrongPassword'
    }

    It 'takes the Base64 text Export-ExchangeCertificate prints' {
        $text = Export-ExchangeCertificate $Cert.Thumbprint -Password $Password -Encryption Legacy
        $text | Should -BeOfType [string]
        $text | Should -MatchExactly '^[A-Za-z0-9+/=]+$'
        $imported = Import-ExchangeCertificate -Server TEXT -FileData $text -Password $Password
        $imported.Thumbprint | Should -BeExactly $Cert.Thumbprint
        $imported.HasPrivateKey | Should -BeTrue
        # Exchange's default: an imported key is not exportable unless asked for.
        $imported.PrivateKeyExportable | Should -BeFalse
    }

    It 'reads a PFX with -FileName and names it with -FriendlyName' {
        $file = Join-Path $Work 'byname.pfx'
        [IO.File]::WriteAllBytes($file, $Pfx)
        $imported = Import-ExchangeCertificate -Server BYNAME -FileName $file -Password $Password -FriendlyName 'Imported by name'
        $imported.FriendlyName | Should -BeExactly 'Imported by name'
    }

    It 'takes an empty password as a password, not as none' {
        $empty = [securestring]::new()
        $blank = Export-ExchangeCertificate $Cert.Thumbprint -BinaryEncoded -Password $empty -WarningVariable warned -WarningAction SilentlyContinue
        "$warned" | Should -Match 'empty password'
        $loaded = [System.Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadPkcs12($blank.FileData, '',
            [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::EphemeralKeySet)
        $loaded.HasPrivateKey | Should -BeTrue
        (Import-ExchangeCertificate -Server BLANK -FileData $blank.FileData -Password $empty).HasPrivateKey | Should -BeTrue
    }

    It 'imports a PFX that openssl wrote (<Case>)' -TestCases @(
        @{ Case = 'openssl 3 default'; Extra = @() }
        @{ Case = '-legacy (RC2-40 certificates)'; Extra = @('-legacy') }
    ) {
        $folder = New-TestFolder 'excert-pester-openssl-pfx'
        try {
            $null = Invoke-OpenSsl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$folder/k.pem" -out "$folder/c.pem" -days 30 -subj '/CN=openssl.contoso.com'
            [IO.File]::WriteAllText("$folder/pw", $PasswordText)
            $null = Invoke-OpenSsl pkcs12 -export -in "$folder/c.pem" -inkey "$folder/k.pem" -passout "file:$folder/pw" -out "$folder/o.pfx" -name 'From openssl' @Extra
            $server = 'OPENSSL' + $Extra.Count
            $imported = Import-ExchangeCertificate -Server $server -FileName "$folder/o.pfx" -Password $Password
            $imported.Thumbprint | Should -BeExactly (Get-OpenSslFingerprint "$folder/c.pem")
            $imported.HasPrivateKey | Should -BeTrue
            $imported.FriendlyName | Should -BeExactly 'From openssl'
        } finally {
            Remove-Item -LiteralPath $folder -Recurse -Force
        }
    }

    It 'pipes an export straight into an import on another server' {
        $imported = Export-ExchangeCertificate $Cert.Thumbprint -BinaryEncoded -Password $Password | Import-ExchangeCertificate -Server PIPED -Password $Password
        $imported.Identity | Should -BeExactly "PIPED\$($Cert.Thumbprint)"
    }

    It 'imports nothing under -WhatIf' {
        $snapshot = Get-TreeSnapshot $Store.Path
        Import-ExchangeCertificate -Server WHATIF -FileData $Pfx -Password $Password -WhatIf | Should -BeNullOrEmpty
        Get-TreeSnapshot $Store.Path | Should -Be $snapshot
    }
}

Describe 'One PFX onto several servers of a shared store' {
    BeforeAll {
        $Shared = New-TestStore
        $Source = New-ExchangeCertificate -Server SOURCE -DomainName shared.contoso.com -KeyAlgorithm ECDSA_P256 -PrivateKeyExportable $true -Services None
        $Bytes = (Export-ExchangeCertificate -Server SOURCE $Source.Thumbprint -BinaryEncoded -Password $Password).FileData
        $Imported = 'EX01', 'EX02' | ForEach-Object { Import-ExchangeCertificate -Server $_ -FileData $Bytes -Password $Password }
    }
    AfterAll { Remove-TestStore $Shared }

    It 'imports it once per server in one pipeline' {
        @($Imported.Identity) | Should -Be @("EX01\$($Source.Thumbprint)", "EX02\$($Source.Thumbprint)")
    }

    It 'is seen on both by Get-ExchangeCertificate -Server *' {
        $all = @(Get-ExchangeCertificate -Server '*' -DomainName shared.contoso.com)
        @($all.Identity | Sort-Object) | Should -Be @("EX01\$($Source.Thumbprint)", "EX02\$($Source.Thumbprint)", "SOURCE\$($Source.Thumbprint)")
        $all | ForEach-Object { $_.HasPrivateKey | Should -BeTrue }
    }

    It 'keeps each server''s copy in its own folder with its own key file' {
        foreach ($server in 'EX01', 'EX02') {
            Join-Path $Shared.Path "servers/$server/certs/$($Source.Thumbprint)/key.p8" | Should -Exist
        }
    }
}
