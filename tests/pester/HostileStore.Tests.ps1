# A store others can write (docs/security.md), through the module: a reload file
# others can write is not run, and its refusal reaches the cmdlet's warning stream with the fix.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule
}

Describe 'A reload file others can write' -Skip:$IsWindows {
    BeforeAll {
        $Store = New-TestStore
        $Work = New-TestFolder 'excert-pester-hostile'
        $common = @{ KeyAlgorithm = 'ECDSA_P256'; Force = $true; WarningAction = 'SilentlyContinue' }
        $First = New-ExchangeCertificate -DomainName first.contoso.com -Services IIS @common
        $Second = New-ExchangeCertificate -DomainName second.contoso.com -Services None @common
        $Marker = Join-Path $Work 'ran'
        $ReloadFile = Join-Path $Store.Path "servers/$($First.Server)/reload"
        Set-Content -LiteralPath $ReloadFile -Value "IIS=touch '$Marker'" -Encoding ascii
        [IO.File]::SetUnixFileMode($ReloadFile, [IO.UnixFileMode]'UserRead, UserWrite, GroupRead, GroupWrite, OtherRead, OtherWrite')
    }
    AfterAll {
        Remove-TestStore $Store
        Remove-Item -LiteralPath $Work -Recurse -Force
    }

    It 'is not run; Enable warns with the file and the fix, and the assignment stands' {
        $enabled = Enable-ExchangeCertificate $Second.Thumbprint -Services IIS -Force -WarningVariable warned -WarningAction SilentlyContinue
        $Marker | Should -Not -Exist
        $text = "$warned"
        $text | Should -Match 'IIS live files changed but no reload command was run'
        $text | Should -Match ([regex]::Escape("chmod go-w '$ReloadFile'"))
        $enabled.Services | Should -Be ([Excert.AllowedServices]'IIS')
    }

    It 'runs once the file is 0644, without a warning' {
        [IO.File]::SetUnixFileMode($ReloadFile, [IO.UnixFileMode]'UserRead, UserWrite, GroupRead, OtherRead')
        $null = Enable-ExchangeCertificate $First.Thumbprint -Services IIS -Force -WarningVariable warned -WarningAction SilentlyContinue
        $Marker | Should -Exist
        "$warned" | Should -Not -Match 'reload'
    }
}
