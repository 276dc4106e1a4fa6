@{
    RootModule           = 'ExchangeCertificate.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '4fe4d44f-f4fd-45e9-ba51-a4002f88b87b'
    Author               = 'excert contributors'
    Copyright            = '(c) excert contributors. MIT License.'
    Description          = "Exchange Server's certificate cmdlets (New-, Get-, Import-, Export-, Enable-, Remove-ExchangeCertificate) for PowerShell 7 on Linux, macOS and Windows, on the excert native library."
    PowerShellVersion    = '7.2'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('ExchangeCertificate.Format.ps1xml')
    TypesToProcess       = @('ExchangeCertificate.Types.ps1xml')
    FunctionsToExport    = @()
    CmdletsToExport      = @(
        'New-ExchangeCertificate'
        'Get-ExchangeCertificate'
        'Import-ExchangeCertificate'
        'Export-ExchangeCertificate'
        'Enable-ExchangeCertificate'
        'Remove-ExchangeCertificate'
        'New-AcceptedDomain'
        'Get-AcceptedDomain'
        'Remove-AcceptedDomain'
    )
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Exchange', 'Certificate', 'X509', 'PKI', 'Linux', 'macOS', 'Windows', 'PSEdition_Core')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            # The shipped manifest gets this release's section of CHANGELOG.md here, and a
            # ProjectUri from Cargo.toml's repository (scripts/package-module).
            ReleaseNotes = 'See CHANGELOG.md for the changes of each release.'
        }
    }
}
