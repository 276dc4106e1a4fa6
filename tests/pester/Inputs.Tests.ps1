# Crafted inputs cannot fill the host (docs/security.md): a file over the import limit (8 MiB)
# is refused before it is read or turned into Base64, with an error naming the limit, and the
# store is left as it was.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule
    $Store = New-TestStore
    $Work = New-TestFolder 'excert-pester-inputs'
}

AfterAll {
    Remove-TestStore $Store
    Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Import-ExchangeCertificate input size limit' {
    It 'refuses a 100 MB -FileName without reading it' {
        $path = Join-Path $Work 'huge.pfx'
        $file = [IO.File]::Create($path)
        $file.SetLength(100MB)   # sparse: nothing is written, and reading it would take 100 MB
        $file.Close()
        Import-ExchangeCertificate -FileName $path -Confirm:$false -ErrorVariable failure -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        # The library opens the file and refuses it by its size before reading it.
        $written = Select-WrittenError $failure
        $written.Count | Should -Be 1
        $written[0].FullyQualifiedErrorId | Should -Be 'InvalidArgument,Excert.Cmdlets.ImportExchangeCertificate'
        $written[0].Exception.Message | Should -BeLike "*$path*104857600 bytes, more than the 8388608 bytes (8 MiB)*"
        Test-Path (Join-Path $Store.Path 'servers') | Should -BeFalse
    }

    It 'refuses -FileData over the limit and still takes a file at the limit to the library' {
        Import-ExchangeCertificate -FileData ([byte[]]::new(8MB + 1)) -Confirm:$false -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -Be 'InvalidArgument,Excert.Cmdlets.ImportExchangeCertificate'
        $failure[0].Exception.Message | Should -BeLike '*8388609 bytes, more than the 8388608 bytes*'
        # Exactly 8 MiB of zeros passes the size check; the library says it holds nothing.
        Import-ExchangeCertificate -FileData ([byte[]]::new(8MB)) -Confirm:$false -ErrorVariable atLimit -ErrorAction SilentlyContinue
        $atLimit[0].FullyQualifiedErrorId | Should -Not -BeLike 'InvalidArgument*'
    }
}
