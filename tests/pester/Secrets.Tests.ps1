# No secret in any stream (docs/security.md): every cmdlet runs its success and failure paths
# with -Verbose and -Debug, every stream merged (*>&1); the text of everything that came out is
# searched for the PFX passwords and for the private keys of the store.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule
    $Store = New-TestStore
    $Work = New-TestFolder 'excert-pester-secrets'
    $Ca = New-TestCa -Folder (Join-Path $Work 'ca')
    $PasswordText = 'Geheim-Pässwort 42'
    $WrongText = 'Falsches-Kennwort 17'
    $Password = ConvertTo-SecureString $PasswordText -AsPlainText -Force
    $Wrong = ConvertTo-SecureString $WrongText -AsPlainText -Force

    # Every private key the store held at any point: each step adds the keys it sees.
    $Keys = [Collections.Generic.HashSet[string]]::new()
    function Save-StoreKeys {
        Get-ChildItem -LiteralPath $Store.Path -Recurse -Filter 'key.p8' -File | ForEach-Object {
            $null = $Keys.Add([Convert]::ToBase64String([IO.File]::ReadAllBytes($_.FullName)))
        }
    }

    function ConvertTo-StreamText($Record) {
        # Everything a user could see of a record, in every form PowerShell shows it.
        $parts = [Collections.Generic.List[string]]::new()
        $parts.Add(($Record | Out-String -Width 4096))
        if ($Record -is [System.Management.Automation.ErrorRecord]) {
            $parts.Add(($Record | Format-List * -Force | Out-String -Width 4096))
            $parts.Add($Record.Exception.ToString())
            $parts.Add("$($Record.TargetObject)")
            $parts.Add("$($Record.ErrorDetails)")
        } elseif ($Record -is [System.Management.Automation.InformationalRecord]) {
            $parts.Add($Record.Message)
        } elseif ($null -ne $Record -and $Record -isnot [string]) {
            $parts.Add(($Record | Format-List * -Force | Out-String -Width 4096))
            $parts.Add(($Record | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue))
        }
        $parts -join "`n"
    }

    function Find-Secret([string] $Text) {
        # The names of the secrets found in the text; empty when it is clean.
        $found = [Collections.Generic.List[string]]::new()
        foreach ($candidate in @(
                @{ Name = 'password'; Value = $PasswordText }
                @{ Name = 'wrong password'; Value = $WrongText }
                @{ Name = 'password as Base64'; Value = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($PasswordText)) }
                @{ Name = 'password as hex'; Value = [Convert]::ToHexString([Text.Encoding]::UTF8.GetBytes($PasswordText)) }
                @{ Name = 'PEM key marker'; Value = 'PRIVATE KEY-----' })) {
            if ($Text.Contains($candidate.Value, [StringComparison]::OrdinalIgnoreCase)) { $found.Add($candidate.Name) }
        }
        foreach ($key in $Keys) {
            # The key in one piece, and each 64-character line of its PEM form (privkey.pem).
            $lines = for ($i = 0; $i -lt $key.Length; $i += 64) { $key.Substring($i, [Math]::Min(64, $key.Length - $i)) }
            if ($Text.Contains($key) -or @($lines | Where-Object { $_.Length -ge 40 -and $Text.Contains($_) }).Count -gt 0) {
                $found.Add("private key $($key.Substring(0, 12))...")
            }
            $hex = [Convert]::ToHexString([Convert]::FromBase64String($key))
            if ($Text.Contains($hex.Substring(0, 64), [StringComparison]::OrdinalIgnoreCase)) { $found.Add("private key as hex") }
        }
        $found
    }

    $Common = @{ Verbose = $true; Debug = $true; ErrorAction = 'Continue'; WarningAction = 'Continue' }
    $Records = & {
        # New: self-signed (the default SMTP certificate), a refusal, a request, a bad request file.
        $mail = New-ExchangeCertificate @Common -SubjectName 'CN=mail.contoso.com' -DomainName mail.contoso.com -KeyAlgorithm ECDSA_P256 -Services IIS, SMTP -PrivateKeyExportable $true -Force
        $mail
        Save-StoreKeys
        New-ExchangeCertificate @Common -FriendlyName ('x' * 64)
        $requestFile = Join-Path $Work 'mail.req'
        New-ExchangeCertificate @Common -GenerateRequest -SubjectName 'CN=ca.contoso.com' -KeyAlgorithm ECDSA_P256 -PrivateKeyExportable $true -RequestFile $requestFile
        New-ExchangeCertificate @Common -GenerateRequest -SubjectName 'CN=lost.contoso.com' -KeyAlgorithm ECDSA_P256 -RequestFile (Join-Path $Work 'missing/x.req')
        Save-StoreKeys

        # Import: completing the request, trusting the root, garbage, a key-less certificate.
        $issued = Invoke-TestCaSign -Ca $Ca -RequestFile $requestFile
        Import-ExchangeCertificate @Common -FileName $issued
        Import-ExchangeCertificate @Common -FileData ([IO.File]::ReadAllBytes($Ca.Root)) -TrustedRoot
        Import-ExchangeCertificate @Common -FileData ([byte[]](1..64))
        Import-ExchangeCertificate @Common -FileName $Ca.Issuing

        # Export: PFX in both profiles, refusals, the certificate alone, a file.
        Export-ExchangeCertificate @Common $mail.Thumbprint -Password $Password -BinaryEncoded -FileName (Join-Path $Work 'mail.pfx')
        Export-ExchangeCertificate @Common $mail.Thumbprint -Password $Password -Encryption Legacy
        Export-ExchangeCertificate @Common $mail.Thumbprint
        Export-ExchangeCertificate @Common ('AB' * 20) -Password $Password
        $locked = New-ExchangeCertificate @Common -DomainName locked.contoso.com -KeyAlgorithm ECDSA_P256 -Services None
        Export-ExchangeCertificate @Common $locked.Thumbprint -Password $Password
        Save-StoreKeys

        # Import of PFX files: right, wrong and no password, and an openssl file without any
        # encryption (its key travels in the clear inside FileData).
        $pfx = [IO.File]::ReadAllBytes((Join-Path $Work 'mail.pfx'))
        Import-ExchangeCertificate @Common -Server EX02 -FileData $pfx -Password $Password -PrivateKeyExportable $true
        Import-ExchangeCertificate @Common -Server EX03 -FileData $pfx -Password $Wrong
        Import-ExchangeCertificate @Common -Server EX03 -FileData $pfx
        $null = Invoke-OpenSsl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$Work/clear.key" -out "$Work/clear.pem" -days 30 -subj '/CN=clear.contoso.com'
        $null = Invoke-OpenSsl pkcs12 -export -in "$Work/clear.pem" -inkey "$Work/clear.key" -keypbe NONE -certpbe NONE -nomac -passout pass: -out "$Work/clear.pfx"
        Import-ExchangeCertificate @Common -Server EX04 -FileName "$Work/clear.pfx"
        Save-StoreKeys

        # Get, Enable, renewal, Remove: successes and refusals.
        Get-ExchangeCertificate @Common -Server '*'
        Get-ExchangeCertificate @Common $mail.Thumbprint
        Get-ExchangeCertificate @Common ('CD' * 20)
        Enable-ExchangeCertificate @Common $locked.Thumbprint -Services IMAP, POP
        Enable-ExchangeCertificate @Common $locked.Thumbprint -Services Federation
        Enable-ExchangeCertificate @Common -Identity "EX02\$($mail.Thumbprint)" -Services SMTP -Force
        Get-ExchangeCertificate $mail.Thumbprint | New-ExchangeCertificate @Common -Force
        Save-StoreKeys
        Remove-ExchangeCertificate @Common $locked.Thumbprint -Confirm:$false
        Get-ExchangeCertificate -Server '*' | Remove-ExchangeCertificate @Common -Force -Confirm:$false
    } *>&1
    $Text = ($Records | ForEach-Object { ConvertTo-StreamText $_ }) -join "`n"
}

AfterAll {
    Remove-TestStore $Store
    if ($Work -and (Test-Path -LiteralPath $Work)) { Remove-Item -LiteralPath $Work -Recurse -Force }
}

Describe 'Every message stream of every cmdlet' {
    It 'ran every path: output, errors, warnings, verbose and debug records' {
        $kinds = $Records | ForEach-Object { $_.GetType().Name } | Sort-Object -Unique
        foreach ($kind in 'ErrorRecord', 'WarningRecord', 'VerboseRecord', 'DebugRecord', 'PSCustomObject', 'String') {
            $kinds | Should -Contain $kind
        }
        $errors = @($Records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { Get-ErrorId $_ })
        foreach ($id in 'InvalidArgument', 'FileNotWritten', 'UnknownFormat', 'NotFound', 'NotExportable', 'WrongPassword', 'ServiceRefused') {
            $errors | Should -Contain $id
        }
        $identities = @($Records | Where-Object { $_ -is [Excert.ExchangeCertificate] } | ForEach-Object Identity)
        $identities -like 'EX02\*' | Should -Not -BeNullOrEmpty
        $identities -like 'EX04\*' | Should -Not -BeNullOrEmpty
        # Every cmdlet spoke in the debug stream, with its request.
        foreach ($function in 'excert_certificate_new', 'excert_request_new', 'excert_certificate_import', 'excert_certificate_export',
            'excert_certificate_list', 'excert_certificate_get', 'excert_certificate_enable', 'excert_certificate_renew', 'excert_certificate_remove') {
            $Text | Should -Match "excert: $function"
        }
    }

    It 'collected the keys of the store to look for' {
        # Self-signed (also copied to EX02), request (completed), locked, openssl's clear PFX,
        # renewal. The request with a -RequestFile in a missing folder makes nothing (no key).
        $Keys.Count | Should -BeGreaterOrEqual 5
    }

    It 'finds what it looks for when it is there (the search works)' {
        $livePem = Get-Content -Raw (Join-Path $Work 'mail.req')
        Find-Secret $livePem | Should -BeNullOrEmpty
        $key = @($Keys)[0]
        $pem = "-----BEGIN PRIVATE KEY-----`n" + (($key -split '(.{64})' | Where-Object { $_ }) -join "`n") + "`n-----END PRIVATE KEY-----"
        Find-Secret $pem | Should -Contain 'PEM key marker'
        (Find-Secret $pem) -join ',' | Should -Match 'private key'
        (Find-Secret "x $PasswordText y") | Should -Contain 'password'
        (Find-Secret ([Convert]::ToHexString([Convert]::FromBase64String($key)))) | Should -Contain 'private key as hex'
    }

    It 'holds no password and no private key' {
        Find-Secret $Text | Should -BeNullOrEmpty
    }

    It 'shows FileData in debug messages only as its length' {
        $Text | Should -Match '"FileData":"<\d+ Base64 characters>"'
        $Text | Should -Match 'excert: excert_certificate_import with a password'
    }
}
