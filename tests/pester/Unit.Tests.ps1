# Unit tests of the module's own logic: how parameters become the native request, how the
# default-SMTP question is decided (the C# takes what it depends on as delegates, given here as
# script blocks), and how one failure travels (one written error per input). The end-to-end
# files run the same paths on the real library.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule
    function New-ConfirmationRequired([string] $Message = 'this would replace the default SMTP certificate AB: confirm, or repeat with -Force') {
        $exception = [Excert.ExcertException]::new(403, 'ConfirmationRequired', $Message)
        [System.Management.Automation.ErrorRecord]::new($exception, 'ConfirmationRequired', 'InvalidOperation', 'target')
    }
    # The question and the call asked while a cmdlet runs, as the cmdlets ask them: its bound
    # parameters (-Confirm) are read, its verbose lines written.
    function Invoke-Question {
        [CmdletBinding(SupportsShouldProcess)]
        param($Refusal, [Func[bool]] $CanPrompt, [Func[string, string, bool]] $Ask)
        [Excert.DefaultSmtpQuestion]::Answer($PSCmdlet, $Refusal, $CanPrompt, $Ask)
    }
    function Invoke-Confirmable {
        [CmdletBinding()]
        param($Request, [Func[System.Collections.IDictionary, psobject]] $Native, [Func[System.Management.Automation.ErrorRecord, Excert.DefaultSmtpAnswer]] $Answer)
        [Excert.DefaultSmtpQuestion]::Call($PSCmdlet, $Request, $Native, $Answer)
    }
    # A question that records what it is asked and answers $Said.
    function New-TestAsk($Asked, [bool] $Said) {
        [Func[string, string, bool]]{ param($Query, $Caption) $Asked.Add([pscustomobject]@{ Query = $Query; Caption = $Caption }); $Said }.GetNewClosure()
    }
    # The native call: records each request; refuses with ConfirmationRequired until the request
    # has Force or KeepDefaultSMTP, or fails with $Failure.
    function New-TestNative($Calls, $Refusal, $Failure) {
        [Func[System.Collections.IDictionary, psobject]]{
            param($Request)
            $Calls.Add(([ordered]@{} + $Request))
            if ($Failure) { throw [Excert.ExcertErrorException]::new($Failure) }
            if (-not $Request['Force'] -and -not $Request['KeepDefaultSMTP']) { throw [Excert.ExcertErrorException]::new($Refusal) }
            [pscustomobject]@{ Certificate = 'made' }
        }.GetNewClosure()
    }
    function New-TestAnswer($Asked, [string] $Answer) {
        [Func[System.Management.Automation.ErrorRecord, Excert.DefaultSmtpAnswer]]{ param($Refusal) $Asked.Add($Refusal); $Answer }.GetNewClosure()
    }
    # The ErrorRecord of the ExcertErrorException a C# method threw (PowerShell wraps it).
    function Get-ThrownRecord([scriptblock] $Script) {
        try { & $Script; $null } catch { $_.Exception.InnerException.ErrorRecord }
    }
}

Describe 'NewRequest: New-ExchangeCertificate''s parameters as the native request' {
    It 'sends only what was given, Services as .NET prints the flags' {
        $request = [Excert.NewRequest]::Of(@{
                DomainName = @('mail.contoso.com'); Services = [Excert.AllowedServices]'IIS, SMTP'; KeySize = 4096
                IncludeAcceptedDomains = [switch]$true; IncludeAutoDiscover = [switch]$false; DomainController = 'dc01'
            })
        @($request.Keys) | Should -Be @('KeySize', 'DomainName', 'Services', 'IncludeAcceptedDomains', 'Force')
        $request.Services | Should -BeExactly 'IIS, SMTP'
        $request.KeySize | Should -Be 4096
        $request.Force | Should -BeFalse
    }

    It 'turns -Instance into a renewal of its thumbprint on its server, keeping the overrides' {
        $instance = [pscustomobject]@{ Thumbprint = 'AB' * 20; Server = 'EX02' }
        $request = [Excert.NewRequest]::Of(@{ Instance = $instance; Services = [Excert.AllowedServices]'IIS, SMTP'; KeySize = 4096; Force = [switch]$true })
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
        $request = [Excert.NewRequest]::Of(@{ Instance = $x509 })
        $request.Thumbprint | Should -BeExactly $x509.Thumbprint
        $request.Contains('Server') | Should -BeTrue
        $request.Server | Should -BeNullOrEmpty
    }

    It 'throws InvalidArgument for -BinaryEncoded without -GenerateRequest' {
        $record = Get-ThrownRecord { [Excert.NewRequest]::Of(@{ BinaryEncoded = [switch]$true }) }
        $record.FullyQualifiedErrorId | Should -BeExactly 'InvalidArgument'
        $record.Exception.Message | Should -Match 'add -GenerateRequest'
    }
}

Describe 'DefaultSmtpQuestion.Answer: the answer to "replace the default SMTP certificate?"' {
    BeforeEach {
        $asked = [Collections.Generic.List[object]]::new()
    }

    It 'is Replace with -Confirm:$false, without asking' {
        $answer = Invoke-Question -Refusal (New-ConfirmationRequired) -CanPrompt { $true } -Ask (New-TestAsk $asked $false) -Confirm:$false
        "$answer" | Should -BeExactly 'Replace'
        $asked.Count | Should -Be 0
    }

    It 'is the user''s answer: <Said> gives <Answer>' -TestCases @(
        @{ Said = $true; Answer = 'Replace' }
        @{ Said = $false; Answer = 'Keep' }
    ) {
        $answer = Invoke-Question -Refusal (New-ConfirmationRequired) -CanPrompt { $true } -Ask (New-TestAsk $asked $Said)
        "$answer" | Should -BeExactly $Answer
        $asked.Count | Should -Be 1
        $asked[0].Caption | Should -BeExactly 'Replace the default SMTP certificate?'
        $asked[0].Query | Should -Match 'AB'
    }

    It 'throws ConfirmationRequired naming -Force when the session cannot ask' {
        $record = Get-ThrownRecord { Invoke-Question -Refusal (New-ConfirmationRequired) -CanPrompt { $false } -Ask (New-TestAsk $asked $true) }
        $record.FullyQualifiedErrorId | Should -BeExactly 'ConfirmationRequired'
        $record.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $record.TargetObject | Should -BeExactly 'target'
        $record.Exception.Code | Should -Be 403
        $record.Exception.Message | Should -Match 'add -Force \(or -Confirm:\$false\)'
        $record.Exception.Message | Should -Match 'default SMTP certificate AB'
        $asked.Count | Should -Be 0
    }
}

Describe 'DefaultSmtpQuestion.CanPrompt: whether the session can ask' {
    It 'cannot with <Argument> on the command line (any unambiguous prefix of -NonInteractive)' -TestCases @(
        @{ Argument = '-noni' }, @{ Argument = '-NonInteractive' }, @{ Argument = '/NONINTERACTIVE' }, @{ Argument = '-nonint' }
    ) {
        [Excert.DefaultSmtpQuestion]::CanPrompt($true, $Host, @('pwsh', '-NoProfile', $Argument, '-File', 'x.ps1')) | Should -BeFalse
    }

    It 'can with <Argument> on the command line' -TestCases @(
        @{ Argument = '-NoLogo' }, @{ Argument = '-non' }, @{ Argument = '-noninteractively' }, @{ Argument = 'noninteractive' }
    ) {
        [Excert.DefaultSmtpQuestion]::CanPrompt($true, $Host, @('pwsh', $Argument)) | Should -BeTrue
    }

    It 'cannot when the process is not interactive or there is no host UI' {
        [Excert.DefaultSmtpQuestion]::CanPrompt($false, $Host, @('pwsh')) | Should -BeFalse
        [Excert.DefaultSmtpQuestion]::CanPrompt($true, $null, @('pwsh')) | Should -BeFalse
    }
}

Describe 'DefaultSmtpQuestion.Call: acting on the answer' {
    BeforeEach {
        $calls = [Collections.Generic.List[object]]::new()
        $asked = [Collections.Generic.List[object]]::new()
    }

    It 'calls again with <Sent> when the answer is <Answer>' -TestCases @(
        @{ Answer = 'Replace'; Sent = 'Force' }
        @{ Answer = 'Keep'; Sent = 'KeepDefaultSMTP' }
    ) {
        $answer = Invoke-Confirmable -Request ([ordered]@{ Force = $false }) -Native (New-TestNative $calls (New-ConfirmationRequired)) -Answer (New-TestAnswer $asked $Answer)
        $answer.Certificate | Should -BeExactly 'made'
        $asked.Count | Should -Be 1
        $asked[0].FullyQualifiedErrorId | Should -BeExactly 'ConfirmationRequired'
        $calls.Count | Should -Be 2
        $calls[1][$Sent] | Should -BeTrue
        $other = if ($Sent -eq 'Force') { 'KeepDefaultSMTP' } else { 'Force' }
        [bool]$calls[1][$other] | Should -BeFalse
    }

    It 'says in a verbose line that the default stays, on Keep' {
        $verbose = Invoke-Confirmable -Request ([ordered]@{ Force = $false }) -Native (New-TestNative $calls (New-ConfirmationRequired)) -Answer (New-TestAnswer $asked 'Keep') -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        "$verbose" | Should -BeExactly 'The default SMTP certificate stays as it is; SMTP is added without making this one the default.'
    }

    It 'asks nothing and calls once with Force' {
        $null = Invoke-Confirmable -Request ([ordered]@{ Force = $true }) -Native (New-TestNative $calls (New-ConfirmationRequired)) -Answer (New-TestAnswer $asked 'Keep')
        $calls.Count | Should -Be 1
        $asked.Count | Should -Be 0
    }

    It 'passes any other failure on unchanged' {
        $notFound = [System.Management.Automation.ErrorRecord]::new([Excert.ExcertException]::new(300, 'NotFound', 'no such'), 'NotFound', 'ObjectNotFound', 't')
        $record = Get-ThrownRecord {
            Invoke-Confirmable -Request ([ordered]@{ Force = $false }) -Native (New-TestNative $calls (New-ConfirmationRequired) $notFound) -Answer (New-TestAnswer $asked 'Keep')
        }
        [object]::ReferenceEquals($record, $notFound) | Should -BeTrue
        $record.FullyQualifiedErrorId | Should -BeExactly 'NotFound'
        $calls.Count | Should -Be 1
        $asked.Count | Should -Be 0
    }
}

Describe 'The cmdlets: bound parameters reach the library, one failure is one written error' {
    BeforeAll { $Store = New-TestStore }
    AfterAll { Remove-TestStore $Store }

    It 'New-ExchangeCertificate pipeline renewal sends the Certificate set''s parameters with the thumbprint' {
        $old = New-ExchangeCertificate -DomainName renew.contoso.com -Services IIS
        $written = @(Get-ExchangeCertificate -Thumbprint $old.Thumbprint | New-ExchangeCertificate -Services IIS, SMTP -KeySize 3072 -Force -Debug 5>&1)
        # The request as sent: the -Debug line prints it.
        $sent = @($written | Where-Object { $_ -is [System.Management.Automation.DebugRecord] -and "$_" -match '^excert: excert_certificate_renew \{' })
        $sent.Count | Should -Be 1
        $request = "$($sent[0])" -replace '^excert: excert_certificate_renew ', '' | ConvertFrom-Json
        $request.Thumbprint | Should -BeExactly $old.Thumbprint
        $request.Server | Should -BeExactly $old.Server
        $request.Services | Should -BeExactly 'IIS, SMTP'
        $request.KeySize | Should -Be 3072
        $request.Force | Should -BeTrue
        $new = @($written | Where-Object { $_ -is [Excert.ExchangeCertificate] })
        $new.Count | Should -Be 1
        $new[0].Thumbprint | Should -Not -Be $old.Thumbprint
        $new[0].Services | Should -Be ([Excert.AllowedServices]'IIS, SMTP')
        $new[0].PublicKeySize | Should -Be 3072
    }

    It 'Enable-ExchangeCertificate writes exactly one error per failing input, and goes on' {
        $written = @(('AA' * 20), ('BB' * 20) | Enable-ExchangeCertificate -Services IIS 2>&1)
        $written.Count | Should -Be 2
        $written | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeExactly 'NotFound,Excert.Cmdlets.EnableExchangeCertificate' }
        $written[0].TargetObject | Should -BeExactly ('AA' * 20)
        $written[1].TargetObject | Should -BeExactly ('BB' * 20)
    }

    It 'New-, Enable- and Get-ExchangeCertificate write warnings and verbose lines under -Debug as without it, asking nothing' {
        # A -NonInteractive session: a question about a line would be an error there.
        $holder = New-ExchangeCertificate -DomainName warn.contoso.com -Services IIS
        $child = Invoke-ChildPwsh -Environment @{ EXCERT_STORE = $Store.Path } -Script @"
Import-Module '$ExcertModuleManifest' -ErrorAction Stop
`$out = Enable-ExchangeCertificate -Thumbprint $($holder.Thumbprint) -Services POP -DoNotRequireSsl -Debug -WarningVariable warned 3>`$null 5>`$null
'ENABLED=' + `$out.Services
'WARNED=' + (`$warned -join ';')
`$out = New-ExchangeCertificate -GenerateRequest -SubjectName CN=debug.contoso.com -DomainController dc01 -Debug 4>&1 5>`$null
'VERBOSE=' + @(`$out | Where-Object { `$_ -is [System.Management.Automation.VerboseRecord] }).Count
'REQUEST=' + (@(`$out | Where-Object { `$_ -is [string] }) -join '').StartsWith('-----BEGIN NEW CERTIFICATE REQUEST-----')
'LISTED=' + @(Get-ExchangeCertificate -DomainController dc01 -Debug 5>`$null).Count
"@
        $child.Output | Should -Not -Match 'NonInteractive mode'
        $child.Output | Should -Match 'ENABLED=POP, IIS'
        $child.Output | Should -Match 'WARNED=DoNotRequireSsl'
        $child.Output | Should -Match 'VERBOSE=0'
        $child.Output | Should -Match 'REQUEST=True'
        $child.Output | Should -Match 'LISTED=[1-9]'
        $child.ExitCode | Should -Be 0
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
        $record = & {
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
