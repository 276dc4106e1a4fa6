# Enable-/Remove-ExchangeCertificate: Exchange's assignment rules, refusals, -WhatIf, the
# prompts (in a child pwsh that answers from stdin), pipeline removal, and the live files
# checked with openssl.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule
    $Module = Get-Module ExchangeCertificate
    $Library = [Excert.Cmdlets.ModuleImport]::Library.Path

    function New-EcCertificate([string] $Name, [string] $Services = 'None', [string] $Server) {
        $arguments = @{ DomainName = $Name; KeyAlgorithm = 'ECDSA_P256'; Services = $Services; Force = $true; WarningAction = 'SilentlyContinue' }
        if ($Server) { $arguments['Server'] = $Server }
        New-ExchangeCertificate @arguments
    }

}

Describe 'Enable-ExchangeCertificate' {
    BeforeAll {
        $Store = New-TestStore
        $A = New-EcCertificate 'a.contoso.com' 'IIS, SMTP'
        $B = New-EcCertificate 'b.contoso.com'
        $Server = $A.Server
    }
    AfterAll { Remove-TestStore $Store }

    It 'moves a single-holder service (IIS) to the certificate enabled' {
        $enabled = Enable-ExchangeCertificate -Thumbprint $B.Thumbprint -Services IIS
        $enabled.Thumbprint | Should -BeExactly $B.Thumbprint
        $enabled.Services | Should -Be ([Excert.AllowedServices]::IIS)
        (Get-ExchangeCertificate $A.Thumbprint).Services | Should -Be ([Excert.AllowedServices]::SMTP)
    }

    It 'shows the live files of the services it holds' {
        $cert = Get-ExchangeCertificate $B.Thumbprint
        @($cert.LiveFiles.PSObject.Properties.Name) | Should -Be @('IIS')
        $cert.LiveFiles.IIS | Should -BeExactly (Join-Path $Store.Path "servers/$Server/live/IIS")
    }

    It 'adds services to those the certificate has' {
        (Enable-ExchangeCertificate $B.Thumbprint -Services IMAP, POP).Services | Should -Be ([Excert.AllowedServices]'IMAP, POP, IIS')
        (Get-ExchangeCertificate $B.Thumbprint).ServicesStringForm | Should -BeExactly 'IP.W...'
    }

    It 'lets several certificates hold SMTP; -Force moves the default without asking' {
        $result = Enable-ExchangeCertificate $B.Thumbprint -Services SMTP -Force -WarningVariable warned -WarningAction SilentlyContinue
        $result.Services.HasFlag([Excert.AllowedServices]::SMTP) | Should -BeTrue
        (Get-ExchangeCertificate $A.Thumbprint).Services | Should -Be ([Excert.AllowedServices]::SMTP)
        # Exchange's -Force 'hides warning or confirmation messages' (Enable-ExchangeCertificate page).
        @($warned).Count | Should -Be 0
        (Get-Content -Raw (Join-Path $Store.Path "servers/$Server/assignments")) | Should -Match "DefaultSMTP=$($B.Thumbprint)"
    }

    It 'changes nothing on disk under -WhatIf' {
        $snapshot = Get-TreeSnapshot $Store.Path
        Enable-ExchangeCertificate $A.Thumbprint -Services IIS, IMAP -WhatIf | Should -BeNullOrEmpty
        Get-TreeSnapshot $Store.Path | Should -Be $snapshot
    }

    It 'takes certificates from the pipeline by property name, Identity too' {
        $piped = Get-ExchangeCertificate -DomainName a.contoso.com | Enable-ExchangeCertificate -Services UM
        $piped.Thumbprint | Should -BeExactly $A.Thumbprint
        (Enable-ExchangeCertificate -Identity $A.Identity -Services UMCallRouter).ServicesStringForm | Should -BeExactly '..U.S.C'
    }

    It 'enables an input without a Server on this server, after one with a Server' {
        # $PSBoundParameters keeps a Server an earlier input bound; the input after it has none.
        $enabled = @([pscustomobject]@{ Thumbprint = 'AB' * 20; Server = 'EX07' }, $B.Thumbprint |
                Enable-ExchangeCertificate -Services UM -ErrorAction SilentlyContinue -ErrorVariable failure)
        @($enabled.Thumbprint) | Should -Be @($B.Thumbprint)
        $enabled[0].Server | Should -BeExactly $Server
        @(Select-WrittenError $failure).Count | Should -Be 1
        (Select-WrittenError $failure)[0].Exception.Message | Should -Match 'EX07'
    }

    It 'warns that -DoNotRequireSsl and -NetworkServiceAllowed change nothing' {
        $null = Enable-ExchangeCertificate $A.Thumbprint -Services UM -DoNotRequireSsl -NetworkServiceAllowed -WarningVariable warned -WarningAction SilentlyContinue
        "$warned" | Should -Match 'DoNotRequireSsl and NetworkServiceAllowed'
    }

    It 'warns when a wildcard certificate gets IMAP or POP' {
        $wild = New-ExchangeCertificate -SubjectName 'CN=*.contoso.com' -KeyAlgorithm ECDSA_P256 -Services None
        $null = Enable-ExchangeCertificate $wild.Thumbprint -Services POP -WarningVariable warned -WarningAction SilentlyContinue
        "$warned" | Should -Match 'wildcard'
        (Get-ExchangeCertificate $B.Thumbprint).Services.HasFlag([Excert.AllowedServices]::POP) | Should -BeFalse
    }
}

Describe 'Enable-ExchangeCertificate refusals' {
    BeforeAll {
        $Store = New-TestStore
        $Ca = New-TestCa -Folder (New-TestFolder 'excert-pester-ca')
        $Good = New-EcCertificate 'good.contoso.com'
        $null = New-ExchangeCertificate -GenerateRequest -SubjectName 'CN=pending.contoso.com' -KeyAlgorithm ECDSA_P256
        $Pending = (Get-ExchangeCertificate | Where-Object Status -EQ 'PendingRequest').Thumbprint
        $NoKey = (Import-ExchangeCertificate -FileName $Ca.Issuing -WarningAction SilentlyContinue).Thumbprint
        $now = [datetime]::UtcNow
        $Expired = (Invoke-ExcertNative -Function excert_certificate_new -Request ([ordered]@{
                    Services = 'None'; KeyAlgorithm = 'ECDSA_P256'; NotBefore = $now.AddDays(-60).ToString('yyyy-MM-ddTHH:mm:ssZ'); NotAfter = $now.AddDays(-1).ToString('yyyy-MM-ddTHH:mm:ssZ')
                })).Certificate.Thumbprint
    }
    AfterAll {
        Remove-TestStore $Store
        Remove-Item -LiteralPath $Ca.Folder -Recurse -Force
    }

    It 'refuses <Case> with <ErrorId> and changes nothing' -TestCases @(
        @{ Case = 'Federation'; Thumbprint = { $Good.Thumbprint }; Services = 'Federation'; ErrorId = 'ServiceRefused'; Says = 'federation trust' }
        @{ Case = 'a pending request'; Thumbprint = { $Pending }; Services = 'IIS'; ErrorId = 'PendingRequest'; Says = 'Import-ExchangeCertificate' }
        @{ Case = 'a certificate without a key'; Thumbprint = { $NoKey }; Services = 'IIS'; ErrorId = 'NoPrivateKey'; Says = 'PFX' }
        @{ Case = 'an expired certificate'; Thumbprint = { $Expired }; Services = 'IIS'; ErrorId = 'Expired'; Says = 'New-ExchangeCertificate' }
        @{ Case = 'an unknown thumbprint'; Thumbprint = { 'CD' * 20 }; Services = 'IIS'; ErrorId = 'NotFound'; Says = 'Get-ExchangeCertificate' }
    ) {
        $snapshot = Get-TreeSnapshot $Store.Path
        $out = Enable-ExchangeCertificate -Thumbprint (& $Thumbprint) -Services $Services -ErrorAction SilentlyContinue -ErrorVariable failure
        $out | Should -BeNullOrEmpty
        (Select-WrittenError $failure).Count | Should -Be 1
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly $ErrorId -Because (Select-WrittenError $failure)[0].Exception.Message
        (Select-WrittenError $failure)[0].Exception.Message | Should -Match $Says
        Get-TreeSnapshot $Store.Path | Should -Be $snapshot
    }

    It 'requires -Services' {
        (Get-Command Enable-ExchangeCertificate).Parameters['Services'].Attributes.Where({ $_ -is [Parameter] }).Mandatory | Should -Contain $true
    }
}

Describe 'Live files' {
    BeforeAll {
        $Store = New-TestStore
        $Work = New-TestFolder 'excert-pester-live'
        $Ca = New-TestCa -Folder (Join-Path $Work 'ca')
        # A CA-issued certificate, so the chain files have something in them.
        $requestFile = Join-Path $Work 'web.req'
        $null = New-ExchangeCertificate -GenerateRequest -SubjectName 'CN=web.contoso.com' -DomainName web.contoso.com -KeyAlgorithm ECDSA_P256 -RequestFile $requestFile
        $issued = Invoke-TestCaSign -Ca $Ca -RequestFile $requestFile
        $chain = [Text.Encoding]::ASCII.GetBytes((Get-Content -Raw $issued) + (Get-Content -Raw $Ca.Issuing))
        $Web = Import-ExchangeCertificate -FileData $chain
        $Server = $Web.Server
        $ReloadLog = Join-Path $Work 'reloads.log'
        Set-Content -LiteralPath (Join-Path $Store.Path "servers/$Server/reload") -Value "IIS=echo IIS >> '$ReloadLog'`nIMAP=exit 7" -Encoding ascii
        $Enabled = Enable-ExchangeCertificate $Web.Thumbprint -Services IIS
        $Live = $Enabled.LiveFiles.IIS
    }
    AfterAll {
        Remove-TestStore $Store
        Remove-Item -LiteralPath $Work -Recurse -Force
    }

    It 'holds the assigned certificate in cert.pem' {
        Get-OpenSslFingerprint (Join-Path $Live 'cert.pem') | Should -BeExactly $Web.Thumbprint
    }

    It 'holds the issuing CA in chain.pem and both in fullchain.pem' {
        Get-OpenSslFingerprint (Join-Path $Live 'chain.pem') | Should -BeExactly (Get-OpenSslFingerprint $Ca.Issuing)
        $full = Get-Content -Raw (Join-Path $Live 'fullchain.pem')
        ([regex]::Matches($full, 'BEGIN CERTIFICATE')).Count | Should -Be 2
        $full | Should -BeExactly ((Get-Content -Raw (Join-Path $Live 'cert.pem')) + (Get-Content -Raw (Join-Path $Live 'chain.pem')))
        # openssl builds the path leaf -> issuing -> root from these files.
        (Invoke-OpenSsl verify -CAfile $Ca.Root -untrusted (Join-Path $Live 'chain.pem') (Join-Path $Live 'cert.pem')) -join '' | Should -Match ': OK$'
    }

    It 'holds the matching private key in privkey.pem, and key + full chain in combined.pem' {
        $fromKey = (Invoke-OpenSsl pkey -in (Join-Path $Live 'privkey.pem') -pubout) -join "`n"
        $fromCert = (Invoke-OpenSsl x509 -in (Join-Path $Live 'cert.pem') -noout -pubkey) -join "`n"
        $fromKey | Should -BeExactly $fromCert
        (Get-Content -Raw (Join-Path $Live 'combined.pem')) | Should -BeExactly ((Get-Content -Raw (Join-Path $Live 'privkey.pem')) + (Get-Content -Raw (Join-Path $Live 'fullchain.pem')))
    }

    It 'keeps the key files readable by the owner only' -Skip:$IsWindows {
        foreach ($name in 'privkey.pem', 'combined.pem') {
            [IO.File]::GetUnixFileMode((Join-Path $Live $name)) | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite') -Because $name
        }
    }

    It 'ran the IIS reload command once' {
        @(Get-Content -LiteralPath $ReloadLog) | Should -Be @('IIS')
    }

    It 'moves the live files to a new holder, and warns when a reload command fails' {
        $next = New-EcCertificate 'next.contoso.com'
        $moved = Enable-ExchangeCertificate $next.Thumbprint -Services IIS, IMAP -WarningVariable warned -WarningAction SilentlyContinue
        Get-OpenSslFingerprint (Join-Path $Live 'cert.pem') | Should -BeExactly $next.Thumbprint
        @(Get-Content -LiteralPath $ReloadLog) | Should -Be @('IIS', 'IIS')
        "$warned" | Should -Match 'IMAP live files changed but its reload command failed'
        # The assignment stands all the same.
        $moved.Services | Should -Be ([Excert.AllowedServices]'IMAP, IIS')
        (Get-ExchangeCertificate $Web.Thumbprint).LiveFiles.PSObject.Properties.Name | Should -BeNullOrEmpty
    }
}

Describe 'Remove-ExchangeCertificate' {
    BeforeAll {
        $Store = New-TestStore
        $Holder = New-EcCertificate 'holder.contoso.com' 'IIS'
        $Spare = New-EcCertificate 'spare.contoso.com'
    }
    AfterAll { Remove-TestStore $Store }

    It 'asks first: ConfirmImpact High' {
        $binding = [System.Management.Automation.CommandMetadata]::new((Get-Command Remove-ExchangeCertificate))
        $binding.ConfirmImpact | Should -Be 'High'
        $binding.SupportsShouldProcess | Should -BeTrue
    }

    It 'refuses the only holder of a service with InUse, naming the way out' {
        $snapshot = Get-TreeSnapshot $Store.Path
        Remove-ExchangeCertificate $Holder.Thumbprint -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failure
        (Select-WrittenError $failure).Count | Should -Be 1
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly 'InUse'
        (Select-WrittenError $failure)[0].Exception.Message | Should -Match 'only certificate for IIS'
        (Select-WrittenError $failure)[0].Exception.Message | Should -Match '-Force'
        Get-TreeSnapshot $Store.Path | Should -Be $snapshot
    }

    It 'removes nothing under -WhatIf' {
        $snapshot = Get-TreeSnapshot $Store.Path
        Remove-ExchangeCertificate $Spare.Thumbprint -WhatIf
        Get-TreeSnapshot $Store.Path | Should -Be $snapshot
    }

    It 'removes a certificate in use with -Force, and says what is left without one' {
        $entry = Join-Path $Store.Path "servers/$($Holder.Server)/certs/$($Holder.Thumbprint)"
        $entry | Should -Exist
        Remove-ExchangeCertificate $Holder.Thumbprint -Force -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue
        $entry | Should -Not -Exist
        "$warned" | Should -Match 'IIS now have no certificate'
        Join-Path $Store.Path "servers/$($Holder.Server)/live/IIS" | Should -Not -Exist
    }

    It 'removes every certificate piped in, and only those' {
        $old = 1..3 | ForEach-Object { New-EcCertificate "old.contoso.com" }
        @(Get-ExchangeCertificate -DomainName old.contoso.com).Count | Should -Be 3
        Get-ExchangeCertificate -DomainName old.contoso.com | Remove-ExchangeCertificate -Confirm:$false
        Get-ExchangeCertificate -DomainName old.contoso.com | Should -BeNullOrEmpty
        foreach ($cert in $old) {
            Join-Path $Store.Path "servers/$($cert.Server)/certs/$($cert.Thumbprint)" | Should -Not -Exist
        }
        (Get-ExchangeCertificate).Thumbprint | Should -Be @($Spare.Thumbprint)
    }

    It 'removes a pending request and its key, by Identity on another server' {
        $null = New-ExchangeCertificate -GenerateRequest -Server EX05 -SubjectName 'CN=never.contoso.com' -KeyAlgorithm ECDSA_P256
        $pending = Get-ExchangeCertificate -Server EX05
        $pending.Status | Should -BeExactly 'PendingRequest'
        Join-Path $Store.Path "servers/EX05/certs/$($pending.Thumbprint)/key.p8" | Should -Exist
        Remove-ExchangeCertificate -Identity $pending.Identity -Confirm:$false
        Get-ExchangeCertificate -Server EX05 | Should -BeNullOrEmpty
        Join-Path $Store.Path "servers/EX05/certs/$($pending.Thumbprint)" | Should -Not -Exist
    }

    It 'writes NotFound for an unknown thumbprint and goes on with the next' {
        $extra = New-EcCertificate 'extra.contoso.com'
        @(('EF' * 20), $extra.Thumbprint) | Remove-ExchangeCertificate -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failure
        (Select-WrittenError $failure).Count | Should -Be 1
        Get-ErrorId (Select-WrittenError $failure)[0] | Should -BeExactly 'NotFound'
        Get-ExchangeCertificate $extra.Thumbprint -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'takes each piped input''s own Server: an input without one is this server''s' {
        # $PSBoundParameters keeps a Server an earlier input bound; the input after it has none.
        $local = New-EcCertificate 'local.contoso.com'
        [pscustomobject]@{ Thumbprint = 'AB' * 20; Server = 'EX07' }, $local.Thumbprint |
            Remove-ExchangeCertificate -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failure
        (Select-WrittenError $failure).Count | Should -Be 1
        (Select-WrittenError $failure)[0].Exception.Message | Should -Match 'EX07'
        Get-ExchangeCertificate $local.Thumbprint -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'says in a verbose line what it removed, and what -WhatIf would remove' {
        $doomed = New-EcCertificate 'verbose.contoso.com'
        $whatIf = Invoke-ChildPwsh -Environment @{ EXCERT_LIBRARY = $Library; EXCERT_STORE = $Store.Path } -Script @"
Import-Module '$ExcertModuleManifest' -ErrorAction Stop
Remove-ExchangeCertificate $($doomed.Thumbprint) -WhatIf
Remove-ExchangeCertificate -Identity 'EX02\$($doomed.Thumbprint)' -WhatIf
"@
        $whatIf.Output | Should -Match ([regex]::Escape("What if: Performing the operation `"Remove the certificate and its private key`" on target `"$($doomed.Thumbprint) on this server`"."))
        $whatIf.Output | Should -Match ([regex]::Escape("on target `"EX02\$($doomed.Thumbprint)`"."))
        Get-ExchangeCertificate $doomed.Thumbprint | Should -Not -BeNullOrEmpty
        $verbose = @(Remove-ExchangeCertificate $doomed.Thumbprint -Confirm:$false -Verbose 4>&1)
        "$($verbose[-1])" | Should -BeExactly "Removed $($doomed.Identity)."
    }

    It 'with -Verbose, leaves its warnings to $WarningPreference, as Write-Warning does' {
        $holder = New-EcCertificate 'quiet.contoso.com' 'POP'
        # The module's functions see the global preference, not this scope's.
        $saved = $global:WarningPreference
        try {
            $global:WarningPreference = 'SilentlyContinue'
            $written = Remove-ExchangeCertificate $holder.Thumbprint -Force -Confirm:$false -Verbose -WarningVariable warned 4>$null 3>&1
        } finally {
            $global:WarningPreference = $saved
        }
        $written | Should -BeNullOrEmpty
        "$warned" | Should -Match 'POP now have no certificate'
    }

    It 'with -Debug, writes its warnings without asking (a session that cannot ask)' {
        # A cmdlet's own -Debug makes its command runtime ask before each warning and verbose
        # line; Write-Warning and Write-Verbose in the script did not ask.
        $holder = New-EcCertificate 'debug.contoso.com' 'IMAP'
        $child = Invoke-ChildPwsh -Environment @{ EXCERT_LIBRARY = $Library; EXCERT_STORE = $Store.Path } -Script @"
Import-Module '$ExcertModuleManifest' -ErrorAction Stop
Remove-ExchangeCertificate $($holder.Thumbprint) -Force -Confirm:`$false -Debug -DomainController dc01 -ErrorVariable failure 5>`$null
'ERRORS=' + `$failure.Count
"@
        $child.Output | Should -Match 'WARNING: IMAP now have no certificate'
        $child.Output | Should -Not -Match 'is ignored'
        $child.Output | Should -Match 'ERRORS=0'
        Get-ExchangeCertificate $holder.Thumbprint -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'The questions, answered at a prompt' {
    # One interactive child pwsh answers every question from stdin in turn: N, Y, N, Y, N.
    BeforeAll {
        $Store = New-TestStore
        $First = New-EcCertificate 'first.contoso.com' 'SMTP'
        $Second = New-EcCertificate 'second.contoso.com'
        $Doomed = New-EcCertificate 'doomed.contoso.com'
        $Script = @"
try { Import-Module '$ExcertModuleManifest' -ErrorAction Stop } catch { 'IMPORT FAILED: ' + `$_.Exception.Message; exit 3 }
function Show([string] `$step, `$failure) { "`$step ERRORS=" + ((`$failure | Where-Object { `$_ -is [System.Management.Automation.ErrorRecord] -and `$_.FullyQualifiedErrorId.Contains(',') } | ForEach-Object FullyQualifiedErrorId) -join ';') }
`$enabled = Enable-ExchangeCertificate $($Second.Thumbprint) -Services SMTP -ErrorVariable f1 -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
Show 'ENABLE-NO' `$f1
'ENABLE-NO DEFAULT=' + ((Get-Content -Raw '$($Store.Path)/servers/$($First.Server)/assignments') -match 'DefaultSMTP=$($First.Thumbprint)')
'ENABLE-NO SERVICES=' + `$enabled.Services
`$null = Enable-ExchangeCertificate $($Second.Thumbprint) -Services SMTP -ErrorVariable f2 -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
Show 'ENABLE-YES' `$f2
'ENABLE-YES DEFAULT=' + ((Get-Content -Raw '$($Store.Path)/servers/$($First.Server)/assignments') -match 'DefaultSMTP=$($Second.Thumbprint)')
Remove-ExchangeCertificate $($Doomed.Thumbprint) -ErrorVariable f3 -ErrorAction SilentlyContinue
Show 'REMOVE-NO' `$f3
'REMOVE-NO PRESENT=' + [bool](Get-ExchangeCertificate $($Doomed.Thumbprint) -ErrorAction SilentlyContinue)
Remove-ExchangeCertificate $($Doomed.Thumbprint) -ErrorVariable f4 -ErrorAction SilentlyContinue
Show 'REMOVE-YES' `$f4
'REMOVE-YES PRESENT=' + [bool](Get-ExchangeCertificate $($Doomed.Thumbprint) -ErrorAction SilentlyContinue)
`$renewed = Get-ExchangeCertificate $($Second.Thumbprint) | New-ExchangeCertificate -ErrorVariable f5 -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
Show 'RENEW-NO' `$f5
'RENEW-NO COUNT=' + @(Get-ExchangeCertificate).Count + ' CREATED=' + [bool]`$renewed + ' SERVICES=' + `$renewed.Services
'RENEW-NO DEFAULT=' + ((Get-Content -Raw '$($Store.Path)/servers/$($First.Server)/assignments') -match 'DefaultSMTP=$($Second.Thumbprint)')
"@
        $Child = Invoke-ChildPwsh -Interactive -InputText "N`nY`nN`nY`nN`n" -Environment @{ EXCERT_LIBRARY = $Library; EXCERT_STORE = $Store.Path } -Script $Script
    }
    AfterAll { Remove-TestStore $Store }

    It 'ran to the end' {
        $Child.ExitCode | Should -Be 0 -Because $Child.Output
        $Child.Output | Should -Match 'RENEW-NO COUNT'
    }

    # Enable-ExchangeCertificate page, -Services SMTP: "you're prompted to replace the default
    # Exchange self-signed certificate"; No keeps it, and the certificate is still enabled.
    It 'Enable: No keeps the default SMTP certificate and still enables SMTP, without an error' {
        $Child.Output | Should -Match '(?m)^ENABLE-NO ERRORS=\s*$'
        $Child.Output | Should -Match 'ENABLE-NO DEFAULT=True'
        $Child.Output | Should -Match 'ENABLE-NO SERVICES=SMTP'
        $Child.Output | Should -Match 'Replace the default SMTP certificate\?'
    }

    It 'Enable: Yes makes it the default' {
        $Child.Output | Should -Match '(?m)^ENABLE-YES ERRORS=\s*$'
        $Child.Output | Should -Match 'ENABLE-YES DEFAULT=True'
    }

    It 'Remove: asks without -Confirm; No keeps the certificate, Yes removes it' {
        $Child.Output | Should -Match 'Remove the certificate and its private key'
        $Child.Output | Should -Match '(?m)^REMOVE-NO ERRORS=\s*$'
        $Child.Output | Should -Match 'REMOVE-NO PRESENT=True'
        $Child.Output | Should -Match '(?m)^REMOVE-YES ERRORS=\s*$'
        $Child.Output | Should -Match 'REMOVE-YES PRESENT=False'
    }

    # New-ExchangeCertificate page, example 1: answer "No" so the new certificate does not
    # replace the default SMTP certificate; it is still made, with SMTP among its services.
    It 'Renewal of the default SMTP certificate: No renews it and keeps the old one as the default' {
        $Child.Output | Should -Match '(?m)^RENEW-NO ERRORS=\s*$'
        $Child.Output | Should -Match 'RENEW-NO COUNT=3 CREATED=True SERVICES=SMTP'
        $Child.Output | Should -Match 'RENEW-NO DEFAULT=True'
    }
}
