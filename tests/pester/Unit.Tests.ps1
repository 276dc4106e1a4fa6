# Unit tests of the module's own logic, with Pester mocks of its small private seams: how
# parameters become the native request, how the default-SMTP question is decided, and how one
# failure travels (helpers throw, cmdlets write one error). The end-to-end files run the same
# paths on the real library.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule
    # A cmdlet object as the private helpers receive it, with -Confirm bound or not.
    function Get-TestCmdlet {
        [CmdletBinding(SupportsShouldProcess)]
        param()
        $PSCmdlet
    }
    function New-ConfirmationRequired([string] $Message = 'this would replace the default SMTP certificate AB: confirm, or repeat with -Force') {
        $exception = [Excert.ExcertException]::new(403, 'ConfirmationRequired', $Message)
        [System.Management.Automation.ErrorRecord]::new($exception, 'ConfirmationRequired', 'InvalidOperation', 'target')
    }
}

Describe 'New-ExcertNewRequest: New-ExchangeCertificate''s parameters as the native request' {
    It 'sends only what was given, Services as .NET prints the flags' {
        $request = InModuleScope ExchangeCertificate {
            New-ExcertNewRequest -BoundParameters @{
                DomainName = @('mail.contoso.com'); Services = [Excert.AllowedServices]'IIS, SMTP'; KeySize = 4096
                IncludeAcceptedDomains = [switch]$true; IncludeAutoDiscover = [switch]$false; DomainController = 'dc01'
            }
        }
        @($request.Keys) | Should -Be @('KeySize', 'DomainName', 'Services', 'IncludeAcceptedDomains', 'Force')
        $request.Services | Should -BeExactly 'IIS, SMTP'
        $request.KeySize | Should -Be 4096
        $request.Force | Should -BeFalse
    }

    It 'turns -Instance into a renewal of its thumbprint on its server, keeping the overrides' {
        $request = InModuleScope ExchangeCertificate {
            $instance = [pscustomobject]@{ Thumbprint = 'AB' * 20; Server = 'EX02' }
            New-ExcertNewRequest -BoundParameters @{ Instance = $instance; Services = [Excert.AllowedServices]'IIS, SMTP'; KeySize = 4096; Force = [switch]$true }
        }
        $request.Thumbprint | Should -BeExactly ('AB' * 20)
        $request.Server | Should -BeExactly 'EX02'
        $request.Services | Should -BeExactly 'IIS, SMTP'
        $request.KeySize | Should -Be 4096
        $request.Force | Should -BeTrue
    }

    It 'takes an X509Certificate2 as -Instance (Exchange''s type)' {
        $rsa = [System.Security.Cryptography.RSA]::Create(2048)
        $x509 = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=x.contoso.com', $rsa, 'SHA256',
            [System.Security.Cryptography.RSASignaturePadding]::Pkcs1).CreateSelfSigned([datetimeoffset]::Now, [datetimeoffset]::Now.AddDays(1))
        $request = InModuleScope ExchangeCertificate -Parameters @{ X = $x509 } { param($X) New-ExcertNewRequest -BoundParameters @{ Instance = $X } }
        $request.Thumbprint | Should -BeExactly $x509.Thumbprint
        $request.Contains('Server') | Should -BeTrue
        $request.Server | Should -BeNullOrEmpty
    }

    It 'throws InvalidArgument for -BinaryEncoded without -GenerateRequest' {
        $record = InModuleScope ExchangeCertificate {
            try { New-ExcertNewRequest -BoundParameters @{ BinaryEncoded = [switch]$true }; $null } catch { $_ }
        }
        $record.FullyQualifiedErrorId | Should -BeExactly 'InvalidArgument'
        $record.Exception.Message | Should -Match 'add -GenerateRequest'
    }
}

Describe 'Get-ExcertDefaultSmtpAnswer: the answer to "replace the default SMTP certificate?"' {
    It 'is Replace with -Confirm:$false, without asking' {
        Mock -ModuleName ExchangeCertificate Read-ExcertConfirmation { throw 'must not ask' }
        # Asked while the cmdlet runs: its bound parameters are gone once it returns.
        function Test-Answer {
            [CmdletBinding(SupportsShouldProcess)]
            param($Refusal)
            InModuleScope ExchangeCertificate -Parameters @{ C = $PSCmdlet; R = $Refusal } {
                param($C, $R) Get-ExcertDefaultSmtpAnswer -Cmdlet $C -Function excert_certificate_new -Refusal $R
            }
        }
        $answer = Test-Answer -Refusal (New-ConfirmationRequired) -Confirm:$false
        $answer | Should -BeExactly 'Replace'
        Should -Invoke -ModuleName ExchangeCertificate Read-ExcertConfirmation -Times 0
    }

    It 'is the user''s answer: <Said> gives <Answer>' -TestCases @(
        @{ Said = $true; Answer = 'Replace' }
        @{ Said = $false; Answer = 'Keep' }
    ) {
        Mock -ModuleName ExchangeCertificate Test-ExcertCanPrompt { $true }
        Mock -ModuleName ExchangeCertificate Read-ExcertConfirmation { $Said }
        $answer = InModuleScope ExchangeCertificate -Parameters @{ C = (Get-TestCmdlet); R = (New-ConfirmationRequired) } {
            param($C, $R) Get-ExcertDefaultSmtpAnswer -Cmdlet $C -Function excert_certificate_enable -Refusal $R
        }
        $answer | Should -BeExactly $Answer
        Should -Invoke -ModuleName ExchangeCertificate Read-ExcertConfirmation -Times 1 -ParameterFilter { $Caption -eq 'Replace the default SMTP certificate?' -and $Query -match 'AB' }
    }

    It 'throws ConfirmationRequired naming -Force when the session cannot ask' {
        Mock -ModuleName ExchangeCertificate Test-ExcertCanPrompt { $false }
        Mock -ModuleName ExchangeCertificate Read-ExcertConfirmation { throw 'must not ask' }
        $record = InModuleScope ExchangeCertificate -Parameters @{ C = (Get-TestCmdlet); R = (New-ConfirmationRequired) } {
            param($C, $R) try { Get-ExcertDefaultSmtpAnswer -Cmdlet $C -Function excert_certificate_new -Refusal $R; $null } catch { $_ }
        }
        $record.FullyQualifiedErrorId | Should -BeExactly 'ConfirmationRequired'
        $record.Exception.Code | Should -Be 403
        $record.Exception.Message | Should -Match 'add -Force \(or -Confirm:\$false\)'
        $record.Exception.Message | Should -Match 'default SMTP certificate AB'
    }
}

Describe 'Invoke-ExcertConfirmable: acting on the answer' {
    BeforeEach {
        $script:calls = [Collections.Generic.List[object]]::new()
        Mock -ModuleName ExchangeCertificate Invoke-ExcertNative {
            $script:calls.Add([ordered]@{} + $Request)
            if (-not $Request['Force'] -and -not $Request['KeepDefaultSMTP']) { throw (New-ConfirmationRequired) }
            [pscustomobject]@{ Certificate = 'made' }
        }
    }

    It 'calls again with <Sent> when the answer is <Answer>' -TestCases @(
        @{ Answer = 'Replace'; Sent = 'Force' }
        @{ Answer = 'Keep'; Sent = 'KeepDefaultSMTP' }
    ) {
        Mock -ModuleName ExchangeCertificate Get-ExcertDefaultSmtpAnswer { $Answer }
        $answer = InModuleScope ExchangeCertificate -Parameters @{ C = (Get-TestCmdlet) } {
            param($C) Invoke-ExcertConfirmable -Cmdlet $C -Function excert_certificate_new -Request ([ordered]@{ Force = $false })
        }
        $answer.Certificate | Should -BeExactly 'made'
        $script:calls.Count | Should -Be 2
        $script:calls[1][$Sent] | Should -BeTrue
        $other = if ($Sent -eq 'Force') { 'KeepDefaultSMTP' } else { 'Force' }
        [bool]$script:calls[1][$other] | Should -BeFalse
    }

    It 'asks nothing and calls once with Force' {
        Mock -ModuleName ExchangeCertificate Get-ExcertDefaultSmtpAnswer { throw 'must not ask' }
        $null = InModuleScope ExchangeCertificate -Parameters @{ C = (Get-TestCmdlet) } {
            param($C) Invoke-ExcertConfirmable -Cmdlet $C -Function excert_certificate_new -Request ([ordered]@{ Force = $true })
        }
        $script:calls.Count | Should -Be 1
    }

    It 'passes any other failure on unchanged' {
        Mock -ModuleName ExchangeCertificate Invoke-ExcertNative {
            throw ([System.Management.Automation.ErrorRecord]::new([Excert.ExcertException]::new(300, 'NotFound', 'no such'), 'NotFound', 'ObjectNotFound', 't'))
        }
        $record = InModuleScope ExchangeCertificate -Parameters @{ C = (Get-TestCmdlet) } {
            param($C) try { Invoke-ExcertConfirmable -Cmdlet $C -Function excert_certificate_enable -Request ([ordered]@{ Force = $false }); $null } catch { $_ }
        }
        $record.FullyQualifiedErrorId | Should -BeExactly 'NotFound'
    }
}

Describe 'The cmdlets: bound parameters reach the seam, one failure is one written error' {
    It 'New-ExchangeCertificate pipeline renewal sends the Certificate set''s parameters with the thumbprint' {
        Mock -ModuleName ExchangeCertificate Invoke-ExcertConfirmable { [pscustomobject]@{ Certificate = [pscustomobject]@{ Thumbprint = 'NEW' } } }
        Mock -ModuleName ExchangeCertificate ConvertTo-ExchangeCertificate { $InputObject }
        $old = [pscustomobject]@{ Thumbprint = 'CD' * 20; Server = 'EX01' }
        $new = $old | New-ExchangeCertificate -Services IIS, SMTP -KeySize 4096 -Force
        $new.Thumbprint | Should -BeExactly 'NEW'
        Should -Invoke -ModuleName ExchangeCertificate Invoke-ExcertConfirmable -Times 1 -Exactly -ParameterFilter {
            $Function -eq 'excert_certificate_renew' -and $Request.Thumbprint -eq ('CD' * 20) -and $Request.Server -eq 'EX01' -and
            $Request.Services -eq 'IIS, SMTP' -and $Request.KeySize -eq 4096 -and $Request.Force
        }
    }

    It 'Enable-ExchangeCertificate writes exactly one error for a failure of the seam, and goes on' {
        Mock -ModuleName ExchangeCertificate Invoke-ExcertConfirmable {
            throw ([System.Management.Automation.ErrorRecord]::new([Excert.ExcertException]::new(300, 'NotFound', 'no such'), 'NotFound', 'ObjectNotFound', $TargetObject))
        }
        $written = @(('AA' * 20), ('BB' * 20) | Enable-ExchangeCertificate -Services IIS 2>&1)
        $written.Count | Should -Be 2
        $written | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeExactly 'NotFound,Enable-ExchangeCertificate' }
        $written[1].TargetObject | Should -BeExactly ('BB' * 20)
    }

    It 'Get-ExchangeCertificate -DomainController says in a verbose line that it is ignored' {
        $verbose = Get-ExchangeCertificate -DomainController dc01.contoso.com -Verbose 4>&1
        "$verbose" | Should -Match '-DomainController dc01.contoso.com is ignored'
    }

    It 'Get-ExchangeCertificate -Debug writes no question for its verbose line (a session that cannot ask)' {
        # A cmdlet's own -Debug makes its command runtime ask before each verbose line and
        # warning; Write-Verbose in the script went by $VerbosePreference (Streams.cs).
        $store = New-TestStore
        try {
            $child = Invoke-ChildPwsh -Environment @{ EXCERT_STORE = $store.Path } -Script @"
Import-Module '$ExcertModuleManifest' -ErrorAction Stop
Get-ExchangeCertificate -DomainController dc01.contoso.com -Debug -ErrorVariable failure 5>`$null
'ERRORS=' + `$failure.Count
`$VerbosePreference = 'Continue'
Get-ExchangeCertificate -DomainController dc02.contoso.com -Debug 5>`$null
"@
        } finally {
            Remove-TestStore $store
        }
        $child.Output | Should -Match 'ERRORS=0'
        $child.Output | Should -Not -Match 'dc01.contoso.com is ignored'
        $child.Output | Should -Match 'VERBOSE: -DomainController dc02.contoso.com is ignored'
    }
}

Describe 'The request and answer helpers of the shim' {
    It 'writes the request without its null members and adds StoreRoot only when none is given' {
        $request = [ordered]@{ Server = 'EX01'; Thumbprint = $null; Services = @('IIS', 'SMTP') }
        [Excert.Requests]::ToJson($request, '/srv/excert') |
            Should -BeExactly '{"Server":"EX01","Services":["IIS","SMTP"],"StoreRoot":"/srv/excert"}'
        [Excert.Requests]::ToJson($request, $null) | Should -BeExactly '{"Server":"EX01","Services":["IIS","SMTP"]}'
        # A StoreRoot in the request wins over the environment's, in any case of its name.
        [Excert.Requests]::ToJson(@{ storeroot = '/mine' }, '/srv/excert') | Should -BeExactly '{"storeroot":"/mine"}'
        # ... unless it is null: then the environment's is used.
        [Excert.Requests]::ToJson([ordered]@{ StoreRoot = $null }, '/srv/excert') | Should -BeExactly '{"StoreRoot":"/srv/excert"}'
    }

    It 'gives the request''s members as ConvertTo-Json would write them, as the JSON the shim writes' {
        $request = [ordered]@{ Server = 'EX01'; Thumbprint = $null }
        $body = [Excert.Requests]::Body($request, '/srv/excert')
        @($body.Keys) | Should -Be @('Server', 'StoreRoot')
        ConvertTo-Json -InputObject $body -Compress | Should -BeExactly ([Excert.Requests]::ToJson($request, '/srv/excert'))
    }

    It 'sends a value its JSON writer does not know as ConvertTo-Json writes it' {
        $record = & (Get-Module ExchangeCertificate) {
            try { Invoke-ExcertNative -Function excert_certificate_list -Request ([ordered]@{ Odd = [pscustomobject]@{ A = 1 } }); $null } catch { $_ }
        }
        # The library read the member, so the JSON reached it: it refuses the unknown field by name.
        $record.FullyQualifiedErrorId | Should -BeExactly 'InvalidJson'
        $record.Exception.Message | Should -Match 'unknown field `Odd`'
    }

    It 'reads the warnings of an answer, leaving out empty ones' {
        [Excert.Answers]::WarningsOf([Excert.Answers]::Parse('{"Certificates":[]}')).Count | Should -Be 0
        [Excert.Answers]::WarningsOf([Excert.Answers]::Parse('{"Warnings":[]}')).Count | Should -Be 0
        [Excert.Answers]::WarningsOf([Excert.Answers]::Parse('{"Warnings":["a","","b"]}')) | Should -BeExactly @('a', 'b')
        [Excert.Answers]::WarningsOf([Excert.Answers]::Parse('{"Warnings":"one"}')) | Should -BeExactly @('one')
        [Excert.Answers]::WarningsOf([Excert.Answers]::Parse('{"Warnings":null}')).Count | Should -Be 0
    }
}
