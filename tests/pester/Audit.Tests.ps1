# The cmdlets' changes land in the server's audit trail (servers/<SERVER>/audit), the file the
# admin center shows as a certificate's history: tab-separated time, account, action,
# thumbprint, detail. The account is the one `id -un` names.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule
}

Describe 'The audit trail of the cmdlets' {
    BeforeAll {
        $Store = New-TestStore
        $Account = (& id -un).Trim()
        $Cert = New-ExchangeCertificate -DomainName 'audit.contoso.com' -KeyAlgorithm ECDSA_P256 -Services IIS -PrivateKeyExportable $true -Force -WarningAction SilentlyContinue
        $Trail = Join-Path $Store.Path "servers/$($Cert.Server)/audit"
        function Get-TrailEvent {
            @(Get-Content -LiteralPath $Trail | ForEach-Object {
                    $f = $_ -split "`t"
                    [pscustomobject]@{ Time = $f[0]; Admin = $f[1]; Action = $f[2]; Thumbprint = $f[3]; Detail = $f[4] }
                })
        }
    }
    AfterAll { Remove-TestStore $Store }

    It 'records New-ExchangeCertificate with the account, the thumbprint and the services' {
        $e = (Get-TrailEvent)[-1]
        $e.Admin | Should -BeExactly $Account
        $e.Action | Should -BeExactly 'New self-signed certificate'
        $e.Thumbprint | Should -BeExactly $Cert.Thumbprint
        $e.Detail | Should -BeExactly 'IIS'
        [datetime]::Parse($e.Time).ToUniversalTime() | Should -BeGreaterThan ([datetime]::UtcNow.AddMinutes(-5))
    }

    It 'records Enable-, Export- (a PFX) and Remove-ExchangeCertificate in order, and never the password' {
        $password = ConvertTo-SecureString 'audit-pw-9' -AsPlainText -Force
        Enable-ExchangeCertificate -Thumbprint $Cert.Thumbprint -Services POP -Force
        $null = Export-ExchangeCertificate -Thumbprint $Cert.Thumbprint -Password $password
        Remove-ExchangeCertificate -Thumbprint $Cert.Thumbprint -Force -Confirm:$false
        $last = (Get-TrailEvent)[-3..-1]
        $last.Action | Should -Be @('Assign services', 'Export PFX', 'Delete')
        $last.Thumbprint | Should -Be @($Cert.Thumbprint, $Cert.Thumbprint, $Cert.Thumbprint)
        $last[0].Detail | Should -BeExactly 'POP'
        $last[1].Detail | Should -BeExactly 'Modern'
        Get-Content -Raw -LiteralPath $Trail | Should -Not -Match 'audit-pw-9'
    }

    It 'keeps the trail as a secret is kept: 0600' {
        (& stat -c '%a' $Trail).Trim() | Should -BeExactly '600'
    }
}
