# Import, exports, native library discovery, ABI check and the shim cache.

BeforeDiscovery {
    # The source tree's module (its .psm1 compiles the C# into the per-user cache), or an
    # installed one under EXCERT_TEST_MODULE: the assembly alone.
    $SourceTree = -not $env:EXCERT_TEST_MODULE -or (Import-PowerShellDataFile $env:EXCERT_TEST_MODULE).RootModule -like '*.psm1'
    $HaveDateKind = $PSVersionTable.PSVersion -ge [version]'7.5'
    $HaveCCompiler = [bool](Get-Command cc -ErrorAction SilentlyContinue)
    $ScriptFiles = foreach ($path in [IO.Directory]::GetFiles((Join-Path $PSScriptRoot '..' '..' 'powershell' 'ExchangeCertificate' 'Private'), '*.ps1')) {
        @{ Name = "Private/$([IO.Path]::GetFileName($path))"; Path = $path }
    }
    $FlagCases = @(
        @{ Name = 'None'; Value = 0 }
        @{ Name = 'IMAP'; Value = 1 }
        @{ Name = 'POP'; Value = 2 }
        @{ Name = 'UM'; Value = 4 }
        @{ Name = 'IIS'; Value = 8 }
        @{ Name = 'SMTP'; Value = 16 }
        @{ Name = 'Federation'; Value = 32 }
        @{ Name = 'UMCallRouter'; Value = 64 }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule
    $Module = Get-Module ExchangeCertificate
    $SourceTree = $Module.ModuleType -eq 'Script'
    $LibraryPath = [Excert.Cmdlets.ModuleImport]::Library.Path
    $Store = New-TestStore
}

AfterAll {
    Remove-TestStore $Store
}

Describe 'The module manifest and exports' {
    It 'passes Test-ModuleManifest with version 0.1.0 for PowerShell Core: the source tree''s .psm1 from 7.2, the installed assembly from 7.4' {
        $manifest = Test-ModuleManifest -Path $ExcertModuleManifest -ErrorAction Stop
        $manifest.Version | Should -Be ([version]'0.1.0')
        $manifest.CompatiblePSEditions | Should -Be @('Core')
        if ($SourceTree) {
            $manifest.PowerShellVersion | Should -Be ([version]'7.2')
            $manifest.RootModule | Should -Be 'ExchangeCertificate.psm1'
        } else {
            $manifest.PowerShellVersion | Should -Be ([version]'7.4')
            $manifest.RootModule | Should -Be 'bin/ExchangeCertificate.dll'
            $Module.ModuleType | Should -Be 'Binary'
        }
    }

    It 'exports exactly the six Exchange certificate cmdlets and the three accepted-domain ones' {
        @($Module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @('Enable-ExchangeCertificate', 'Export-ExchangeCertificate',
            'Get-AcceptedDomain', 'Get-ExchangeCertificate', 'Import-ExchangeCertificate', 'New-AcceptedDomain', 'New-ExchangeCertificate',
            'Remove-AcceptedDomain', 'Remove-ExchangeCertificate')
        $Module.ExportedFunctions.Count | Should -Be 0
        $Module.ExportedAliases.Count | Should -Be 0
        $Module.ExportedVariables.Count | Should -Be 0
    }

    It 'lists in the manifest exactly the cmdlets of its assembly, each in Cmdlets/ as its class' -Skip:(-not $SourceTree) {
        $declared = foreach ($type in [Excert.Cmdlets.ModuleImport].Assembly.GetTypes() | Where-Object { $_.IsSubclassOf([System.Management.Automation.PSCmdlet]) }) {
            $cmdlet = $type.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
            "$($cmdlet.VerbName)-$($cmdlet.NounName)"
            $type.FullName | Should -BeExactly "Excert.Cmdlets.$($cmdlet.VerbName)$($cmdlet.NounName)"
        }
        $files = Get-ChildItem (Join-Path (Split-Path $ExcertModuleManifest) 'Cmdlets') -Filter *.cs | ForEach-Object BaseName | Where-Object { $_ -ne 'ModuleImport' }
        $listed = (Import-PowerShellDataFile $ExcertModuleManifest).CmdletsToExport
        @($listed | Sort-Object) | Should -Be @($declared | Sort-Object)
        @($files | Sort-Object) | Should -Be @($declared -replace '-' | Sort-Object)
    }

    It '<Name> defines one function, named as the file' -ForEach $ScriptFiles {
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$null, [ref]$null)
        # Top-level definitions only: not the helpers a function defines inside itself.
        $functions = $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $false)
        @($functions.Name) | Should -Be @([IO.Path]::GetFileNameWithoutExtension($Path))
    }

    It 'keeps the private helpers private (<_>)' -ForEach 'Import-ExcertShim', 'Get-ExcertShimHash' -Skip:(-not $SourceTree) {
        Get-Command $_ -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        & $Module ([scriptblock]::Create("Get-Command $_ -CommandType Function")) | Should -Not -BeNullOrEmpty
    }

    It 'has help with examples for <_>' -ForEach 'New-ExchangeCertificate', 'Get-ExchangeCertificate', 'Import-ExchangeCertificate',
        'Export-ExchangeCertificate', 'Enable-ExchangeCertificate', 'Remove-ExchangeCertificate', 'New-AcceptedDomain',
        'Get-AcceptedDomain', 'Remove-AcceptedDomain' {
        $help = Get-Help $_ -Full
        # Without comment help, Get-Help makes the synopsis from the syntax.
        $help.Synopsis | Should -Not -Match "^\s*$_\s*\["
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        # WhatIf and Confirm are PowerShell's own, described by it.
        foreach ($parameter in $help.parameters.parameter | Where-Object name -NotIn 'WhatIf', 'Confirm') {
            ($parameter.description.Text -join '') | Should -Not -BeNullOrEmpty -Because "-$($parameter.name) of $_ needs a description"
        }
    }
}

Describe 'The native library' {
    It 'is bound by absolute path with the file name of this OS' {
        [IO.Path]::IsPathFullyQualified($LibraryPath) | Should -BeTrue
        $expected = if ($IsWindows) { 'excert.dll' } elseif ($IsMacOS) { 'libexcert.dylib' } else { 'libexcert.so' }
        Split-Path $LibraryPath -Leaf | Should -BeExactly $expected
    }

    It 'speaks ABI version 1' {
        [Excert.Cmdlets.ModuleImport]::Library.AbiVersion() | Should -Be 1
    }

    It 'reports the crate version of Cargo.toml' {
        $cargo = Get-Content (Join-Path $PSScriptRoot '../../Cargo.toml') -Raw
        $cargo -match '(?m)^version\s*=\s*"([^"]+)"' | Should -BeTrue
        [Excert.Cmdlets.ModuleImport]::Library.Version() | Should -BeExactly $Matches[1]
    }

    It 'names result code <Code> <Name>' -TestCases @(
        @{ Code = 0; Name = 'Ok' }
        @{ Code = 3; Name = 'InvalidJson' }
        @{ Code = 300; Name = 'NotFound' }
        @{ Code = 999; Name = 'Panic' }
        @{ Code = 12345; Name = 'Unknown' }
    ) {
        [Excert.Cmdlets.ModuleImport]::Library.ResultName($Code) | Should -BeExactly $Name
    }

    It 'refuses <Name> as an operation name' -TestCases @(
        @{ Name = 'strlen' }
        @{ Name = 'excert_string_free' }
        @{ Name = 'excert_result_name' }
        @{ Name = 'excert_abi_version' }
        # The name's shape (excert_ and two or more lowercase words), checked before any lookup:
        # excert_version is an export, of another signature.
        @{ Name = 'excert_version' }
        @{ Name = 'excert_certificate__list' }
        @{ Name = 'excert_certificate_list_' }
        @{ Name = 'Excert_certificate_list' }
        @{ Name = 'excert_certificate-list' }
        @{ Name = "excert_certificate_list`n" }
    ) {
        { [Excert.Cmdlets.ModuleImport]::Library.Invoke($Name, '{}') } | Should -Throw -ExpectedMessage '*not an excert operation name*'
    }

    It 'calls <Name> only through the secret signature' -TestCases @(
        @{ Name = 'excert_certificate_import' }
        @{ Name = 'excert_certificate_export' }
    ) {
        [Excert.Library]::TakesSecret($Name) | Should -BeTrue
        { [Excert.Cmdlets.ModuleImport]::Library.Invoke($Name, '{}') } | Should -Throw -ExpectedMessage '*takes a secret*'
    }

    It 'refuses the secret signature for an operation without one' {
        [Excert.Library]::TakesSecret('excert_certificate_get') | Should -BeFalse
        { [Excert.Cmdlets.ModuleImport]::Library.InvokeWithSecret('excert_certificate_get', '{}', [byte[]](1, 2)) } | Should -Throw -ExpectedMessage '*takes no secret*'
    }

    It 'says which export is missing' {
        { [Excert.Cmdlets.ModuleImport]::Library.Invoke('excert_nothing_here', '{}') } | Should -Throw -ExpectedMessage "*no export 'excert_nothing_here'*"
    }

    It 'throws a request the library rejects as an InvalidJson ErrorRecord' {
        # Unknown fields are refused by the core: the seam must carry that back as an ErrorRecord.
        $record = try { Invoke-ExcertNative -Function excert_certificate_list -Request @{ NoSuchField = 1 } -TargetObject 'x'; $null } catch { $_ }
        $record | Should -BeOfType [System.Management.Automation.ErrorRecord]
        $record.FullyQualifiedErrorId | Should -BeExactly 'InvalidJson'
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $record.Exception | Should -BeOfType [Excert.ExcertException]
        $record.Exception.Code | Should -Be 3
        $record.TargetObject | Should -BeExactly 'x'
    }
}

Describe 'Secrets through the shim' {
    # The seam's secret path, ready for Import-/Export-ExchangeCertificate: bytes and a length,
    # never JSON, and the caller's array zeroed once the call returns.
    BeforeAll {
        $Cert = New-ExchangeCertificate -SubjectName 'CN=secret.contoso.com' -Services IIS -PrivateKeyExportable $true
        $Password = 'P@ss wörd – 1'
    }

    It 'exports a PFX that .NET opens with the password given as bytes' {
        $secret = [Text.Encoding]::UTF8.GetBytes($Password)
        $answer = Invoke-ExcertNative -Function excert_certificate_export -Request @{ Thumbprint = $Cert.Thumbprint } -Secret $secret -TargetObject $Cert.Thumbprint
        $answer | Should -Not -BeOfType [System.Management.Automation.ErrorRecord]
        $pfx = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new(
            [Convert]::FromBase64String($answer.FileData), $Password,
            [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::EphemeralKeySet)
        $pfx.Thumbprint | Should -BeExactly $Cert.Thumbprint
        $pfx.HasPrivateKey | Should -BeTrue
    }

    It 'zeroes the caller''s secret array after the call' {
        $secret = [Text.Encoding]::UTF8.GetBytes($Password)
        $null = Invoke-ExcertNative -Function excert_certificate_export -Request @{ Thumbprint = $Cert.Thumbprint } -Secret $secret
        $secret.Length | Should -BeGreaterThan 0
        @($secret | Where-Object { $_ -ne 0 }).Count | Should -Be 0
    }

    It 'zeroes the secret on failure too' {
        $secret = [Text.Encoding]::UTF8.GetBytes($Password)
        $record = try { Invoke-ExcertNative -Function excert_certificate_export -Request @{ Thumbprint = '00' * 20 } -Secret $secret; $null } catch { $_ }
        Get-ErrorId $record | Should -BeExactly 'NotFound'
        @($secret | Where-Object { $_ -ne 0 }).Count | Should -Be 0
    }
}

Describe 'Import failures' {
    BeforeAll {
        # Import-Module reports a failing .psm1 as a statement-terminating error: a script goes
        # on after it even with -ErrorAction Stop, so the probe exits with its own code.
        $ImportOrExit3 = @"
try { Import-Module '$ExcertModuleManifest' -ErrorAction Stop } catch { 'IMPORT FAILED: ' + `$_.Exception.Message; exit 3 }
"@
    }

    It 'names EXCERT_LIBRARY when it points at a missing file, and loads nothing' {
        # A folder that is never created.
        $missing = Join-Path ([IO.Path]::GetTempPath()) ('excert-missing-' + [Guid]::NewGuid().ToString('N') + '/' + (Split-Path $LibraryPath -Leaf))
        $child = Invoke-ChildPwsh -Environment @{ EXCERT_LIBRARY = $missing } -Script @"
try { Import-Module '$ExcertModuleManifest' -ErrorAction Stop } catch { 'IMPORT FAILED: ' + `$_.Exception.Message }
'LOADED=' + [bool](Get-Module ExchangeCertificate)
'COMMAND=' + [bool](Get-Command New-ExchangeCertificate -ErrorAction SilentlyContinue)
"@
        $child.Output | Should -Match 'IMPORT FAILED: EXCERT_LIBRARY points at'
        $child.Output | Should -Match ([regex]::Escape($missing))
        $child.Output | Should -Match 'LOADED=False'
        $child.Output | Should -Match 'COMMAND=False'
    }

    It 'refuses a relative EXCERT_LIBRARY' {
        $child = Invoke-ChildPwsh -Environment @{ EXCERT_LIBRARY = 'libexcert.so' } -Script $ImportOrExit3
        $child.ExitCode | Should -Be 3
        $child.Output | Should -Match 'EXCERT_LIBRARY must be an absolute path'
    }

    It 'refuses a shared library that is not excert' {
        $runtime = [Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()
        $foreign = if ($IsWindows) { Join-Path $runtime 'clrjit.dll' }
        elseif ($IsMacOS) { Join-Path $runtime 'libSystem.Native.dylib' }
        else { Join-Path $runtime 'libSystem.Native.so' }
        Test-Path $foreign | Should -BeTrue
        $child = Invoke-ChildPwsh -Environment @{ EXCERT_LIBRARY = $foreign } -Script $ImportOrExit3
        $child.ExitCode | Should -Be 3
        $child.Output | Should -Match "no export 'excert_abi_version'"
    }

    It 'refuses a library of another ABI version with one clear message' -Skip:(-not $HaveCCompiler) {
        # A two-function C library is the only way to meet another ABI version; it mocks no operation.
        $folder = New-TestFolder
        $source = Join-Path $folder 'abi2.c'
        $ext = if ($IsWindows) { 'dll' } elseif ($IsMacOS) { 'dylib' } else { 'so' }
        $binary = Join-Path $folder "libexcert.$ext"
        Set-Content -LiteralPath $source -Value @'
#include <stdint.h>
uint32_t excert_abi_version(void) { return 2; }
const char *excert_version(void) { return "9.9.9"; }
'@
        & cc -shared -fPIC -o $binary $source
        $LASTEXITCODE | Should -Be 0
        $child = Invoke-ChildPwsh -Environment @{ EXCERT_LIBRARY = $binary } -Script $ImportOrExit3
        $child.ExitCode | Should -Be 3
        $child.Output | Should -Match 'speaks ABI version 2, but this module \(0\.1\.0\) needs ABI version 1'
        Remove-Item -LiteralPath $folder -Recurse -Force
    }

    It 'fails cleanly when a script of the module does not parse' -Skip:(-not $SourceTree) {
        $copy = Join-Path (New-TestFolder) 'ExchangeCertificate'
        Copy-Item -LiteralPath (Split-Path $ExcertModuleManifest) -Destination $copy -Recurse
        Set-Content -LiteralPath (Join-Path $copy 'Private/Broken.ps1') -Value 'function Broken { if ( }'
        $child = Invoke-ChildPwsh -Environment @{ EXCERT_LIBRARY = $LibraryPath } -Script @"
try { Import-Module '$copy' -ErrorAction Stop } catch { 'IMPORT FAILED: ' + `$_.Exception.Message }
'LOADED=' + [bool](Get-Module ExchangeCertificate)
'COMMAND=' + [bool](Get-Command Get-ExchangeCertificate -ErrorAction SilentlyContinue)
"@
        $child.Output | Should -Match 'IMPORT FAILED: ExchangeCertificate: loading Private/Broken.ps1 failed'
        $child.Output | Should -Match 'LOADED=False'
        $child.Output | Should -Match 'COMMAND=False'
        Remove-Item -LiteralPath (Split-Path $copy) -Recurse -Force
    }
}

Describe 'Library discovery' {
    BeforeAll {
        # A copy of the module in a fake checkout: <root>/powershell/ExchangeCertificate and
        # <root>/target/{release,debug}, with the real library copied where each case needs it.
        $Root = New-TestFolder 'excert-discovery'
        $Copy = Join-Path $Root 'powershell/ExchangeCertificate'
        $null = New-Item -ItemType Directory -Path (Split-Path $Copy)
        Copy-Item -LiteralPath (Split-Path $ExcertModuleManifest) -Destination $Copy -Recurse
        $Leaf = Split-Path $LibraryPath -Leaf
        $Rid = [Excert.Library]::RuntimeId
        $Places = [ordered]@{
            Bin     = Join-Path $Copy "bin/$Rid/$Leaf"
            Release = Join-Path $Root "target/release/$Leaf"
            Debug   = Join-Path $Root "target/debug/$Leaf"
        }
        $Probe = @"
try { Import-Module '$Copy' -ErrorAction Stop } catch { 'IMPORT FAILED: ' + `$_.Exception.Message; exit 3 }
'USING=' + ([Excert.Cmdlets.ModuleImport]::Library.Path)
"@
        function Set-Library([string[]] $Where) {
            foreach ($name in $Places.Keys) {
                $path = $Places[$name]
                if ($name -in $Where) {
                    $null = New-Item -ItemType Directory -Path (Split-Path $path) -Force
                    Copy-Item -LiteralPath $LibraryPath -Destination $path -Force
                } elseif (Test-Path -LiteralPath $path) {
                    Remove-Item -LiteralPath $path
                }
            }
        }
    }
    AfterAll { Remove-Item -LiteralPath $Root -Recurse -Force }

    It 'names every place it looked in when none has the library' {
        Set-Library @()
        $child = Invoke-ChildPwsh -Environment @{ EXCERT_LIBRARY = $null } -Script $Probe
        $child.ExitCode | Should -Be 3
        $child.Output | Should -Match 'was not found'
        foreach ($path in $Places.Values) { $child.Output | Should -Match ([regex]::Escape($path)) }
        $child.Output | Should -Match 'cargo build --release'
    }

    It 'uses <Expected> when the library is in <Present>' -TestCases @(
        @{ Present = @('Debug'); Expected = 'Debug' }
        @{ Present = @('Release', 'Debug'); Expected = 'Release' }
        @{ Present = @('Bin', 'Release', 'Debug'); Expected = 'Bin' }
    ) {
        Set-Library $Present
        $child = Invoke-ChildPwsh -Environment @{ EXCERT_LIBRARY = $null } -Script $Probe
        $child.ExitCode | Should -Be 0 -Because $child.Output
        $child.Output | Should -Match ('USING=' + [regex]::Escape($Places[$Expected]) + '\s*$')
    }

    It 'prefers EXCERT_LIBRARY over every other place' {
        Set-Library @('Bin', 'Release', 'Debug')
        $child = Invoke-ChildPwsh -Environment @{ EXCERT_LIBRARY = $LibraryPath } -Script $Probe
        $child.Output | Should -Match ('USING=' + [regex]::Escape($LibraryPath) + '\s*$')
    }
}

Describe 'Answer conversion' {
    It 'converts <Text> to the UTC instant <Utc>' -TestCases @(
        @{ Text = '2026-11-28T05:20:00Z'; Utc = '2026-11-28T05:20:00' }
        @{ Text = '2026-11-28T07:20:00+02:00'; Utc = '2026-11-28T05:20:00' }
        @{ Text = '2030-02-28T23:59:59Z'; Utc = '2030-02-28T23:59:59' }
    ) {
        $value = [Excert.AnswerValues]::ToUtcDate($Text)
        $value.Kind | Should -Be 'Utc'
        $value.ToString('yyyy-MM-ddTHH:mm:ss') | Should -BeExactly $Utc
    }

    It 'gives the same dates whether the JSON parser kept them as text or parsed them' -Skip:(-not $HaveDateKind) {
        # PowerShell before 7.5 has no -DateKind and hands over [datetime] values. No RawData: a
        # pending request's object (a certificate's dates are .NET's, read from RawData).
        $json = '{"Thumbprint":"AB","NotBefore":"2026-11-28T05:20:00Z","NotAfter":"2031-11-28T05:20:00Z","Services":"IIS, SMTP","CertificateDomains":["a.contoso.com"]}'
        $parsed = [Excert.Answers]::ToExchangeCertificate((ConvertFrom-Json $json))
        $asText = [Excert.Answers]::ToExchangeCertificate((ConvertFrom-Json $json -DateKind String))
        $parsed.NotBefore | Should -Be $asText.NotBefore
        $parsed.NotAfter | Should -Be $asText.NotAfter
        # Local times, as X509Certificate2's (docs/cmdlets.md).
        $asText.NotAfter.Kind | Should -Be 'Local'
        $asText.NotAfter.ToUniversalTime() | Should -Be ([datetime]::new(2031, 11, 28, 5, 20, 0, [DateTimeKind]::Utc))
        $asText.Services | Should -Be ([Excert.AllowedServices]'IIS, SMTP')
        $asText.PSObject.TypeNames[0] | Should -BeExactly 'Excert.ExchangeCertificateRequest'
        , $asText.CertificateDomains | Should -BeOfType [string[]]
    }

    It 'parses answer members the way ConvertFrom-Json -DateKind String does' -Skip:(-not $HaveDateKind) {
        # The shim replaced ConvertFrom-Json for answers: anything but certificates must not change.
        $json = '{"Schema":1,"Format":"Pfx","Small":7,"Big":99999999999,"Huge":12345678901234567890123,"Real":1.5,"Exp":1e2,' +
            '"Flag":false,"Nothing":null,"When":"2026-11-28T05:20:00Z","Warnings":["one","two"],"Empty":[],"Nested":{"A":[1,"x",{"B":true}],"C":{}}}'
        $expected = ConvertFrom-Json -InputObject $json -DateKind String
        $actual = [Excert.Answers]::Parse($json)
        @($actual.PSObject.TypeNames) | Should -Be @($expected.PSObject.TypeNames)
        @($actual.PSObject.Properties.Name) | Should -Be @($expected.PSObject.Properties.Name)
        foreach ($name in $expected.PSObject.Properties.Name) {
            $e = $expected.$name
            $a = $actual.$name
            if ($null -eq $e) { $a | Should -BeNullOrEmpty -Because $name; continue }
            $a.GetType().FullName | Should -BeExactly $e.GetType().FullName -Because $name
            ConvertTo-Json -InputObject $a -Depth 10 -Compress | Should -BeExactly (ConvertTo-Json -InputObject $e -Depth 10 -Compress) -Because $name
        }
        $actual.Nested.A[0] | Should -BeOfType [long]
        $actual.Nested.A[2].B | Should -BeTrue
    }

    It 'returns the certificate of an answer typed, equal to converting its ConvertFrom-Json form, and true to .NET' {
        $answer = & { Invoke-ExcertNative -Function excert_certificate_new -Request ([ordered]@{
                    Server = 'CONV'; Services = 'IIS, SMTP'; KeyAlgorithm = 'ECDSA_P256'; DomainName = @('conv.contoso.com') }) }
        $answer | Should -Not -BeOfType [System.Management.Automation.ErrorRecord]
        $typed = $answer.Certificate
        $typed | Should -BeOfType [Excert.ExchangeCertificate]
        $typed.PSObject.TypeNames[0] | Should -BeExactly 'Excert.ExchangeCertificate'
        # Passing an already typed object through the converter changes nothing.
        [object]::ReferenceEquals([Excert.Answers]::ToExchangeCertificate($typed), $typed) | Should -BeTrue

        $result = & { param($t) [Excert.Cmdlets.ModuleImport]::Library.Invoke('excert_certificate_get',
                (ConvertTo-Json -Compress @{ StoreRoot = $env:EXCERT_STORE; Server = 'CONV'; Thumbprint = $t })) } $typed.Thumbprint
        $result.Code | Should -Be 0
        $fromScript = [Excert.Answers]::ToExchangeCertificate((ConvertFrom-Json $result.Json).Certificate)
        @($typed.PSObject.Properties.Name) | Should -Be @($fromScript.PSObject.Properties.Name)
        # Exchange's properties (the answer's); the X509Certificate2 ones come from .NET (Handle differs).
        $answerNames = @((ConvertFrom-Json $result.Json).Certificate.PSObject.Properties.Name)
        foreach ($property in $fromScript.PSObject.Properties | Where-Object Name -In $answerNames) {
            $value = $typed.($property.Name)
            if ($null -eq $property.Value) { $value | Should -BeNullOrEmpty -Because $property.Name; continue }
            $value.GetType() | Should -Be $property.Value.GetType() -Because $property.Name
            ConvertTo-Json -InputObject $value -Depth 5 -Compress | Should -BeExactly (ConvertTo-Json -InputObject $property.Value -Depth 5 -Compress) -Because $property.Name
        }

        $typed.Services | Should -Be ([Excert.AllowedServices]'IIS, SMTP')
        $x509 = [Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadCertificate($typed.RawData)
        $typed.Thumbprint | Should -BeExactly $x509.Thumbprint
        $typed.NotAfter.Kind | Should -Be 'Local'
        $typed.NotAfter | Should -Be $x509.NotAfter
        $typed.NotBefore | Should -Be $x509.NotBefore
        $typed.Subject | Should -BeExactly $x509.Subject
    }

    It 'keeps properties a newer library adds, after the contract''s, as given' {
        $json = '{"Schema":1,"Certificate":{"Zeta":{"X":1},"Thumbprint":"AB","Identity":"S\\AB","Services":"smtp"},"Certificates":[{"Thumbprint":"CD"}]}'
        $answer = [Excert.Answers]::Parse($json)
        @($answer.Certificate.PSObject.Properties.Name) | Should -Be @('Identity', 'Thumbprint', 'Services', 'Zeta')
        $answer.Certificate.Identity | Should -BeExactly 'S\AB'
        $answer.Certificate.Services | Should -Be ([Excert.AllowedServices]::SMTP)
        $answer.Certificate.Zeta.X | Should -BeOfType [long]
        $answer.Certificates.Count | Should -Be 1
        # No RawData: pending requests' objects.
        $answer.Certificate.PSObject.TypeNames[0] | Should -BeExactly 'Excert.ExchangeCertificateRequest'
        $answer.Certificates[0].PSObject.TypeNames[0] | Should -BeExactly 'Excert.ExchangeCertificateRequest'
        $answer.Certificates[0].Thumbprint | Should -BeExactly 'CD'
    }
}

Describe 'The compiled shim cache' -Skip:(-not $IsLinux -or -not $SourceTree) {
    BeforeAll {
        $Cache = New-TestFolder 'excert-cache'
        $sources = & (Get-Module ExchangeCertificate) { $script:ExcertShimSources }
        $hash = & (Get-Module ExchangeCertificate) { param($s) Get-ExcertShimHash -SourcePath $s } $sources
        # A folder per build, the file named as the installed module's: Get-Help finds a cmdlet's
        # help by its assembly's file name.
        $Key = "ExcertNative-0.1.0-$hash-net$([Environment]::Version.Major)"
        $Expected = Join-Path $Cache "excert/$Key/ExchangeCertificate.dll"
        $Probe = @"
try { Import-Module '$ExcertModuleManifest' -ErrorAction Stop } catch { 'IMPORT FAILED: ' + `$_.Exception.Message; exit 3 }
'LOCATION=' + [Excert.Library].Assembly.Location
'HELP=' + (Get-Help Get-ExchangeCertificate).Synopsis
'ABI=' + ([Excert.Cmdlets.ModuleImport]::Library.AbiVersion())
"@
    }
    AfterAll {
        Remove-Item -LiteralPath $Cache -Recurse -Force
    }

    It 'compiles on the first import into the cache, keyed by version and the sources'' hash' {
        Test-Path $Expected | Should -BeFalse
        $child = Invoke-ChildPwsh -Environment @{ XDG_CACHE_HOME = $Cache; EXCERT_LIBRARY = $LibraryPath } -Script $Probe
        $child.ExitCode | Should -Be 0 -Because $child.Output
        $child.Output | Should -Match ('LOCATION=' + [regex]::Escape($Expected))
        $child.Output | Should -Match 'ABI=1'
        $child.Output | Should -Match 'HELP=Lists the certificates'
        @(Get-ChildItem (Join-Path $Cache 'excert')).Name | Should -Be @($Key)
        @(Get-ChildItem (Join-Path $Cache 'excert' $Key)).Name | Should -Be @('ExchangeCertificate.dll')
    }

    It 'loads the cached assembly on a warm import without compiling again' {
        $before = Get-Item $Expected
        $child = Invoke-ChildPwsh -Environment @{ XDG_CACHE_HOME = $Cache; EXCERT_LIBRARY = $LibraryPath } -Script $Probe
        $child.ExitCode | Should -Be 0 -Because $child.Output
        $child.Output | Should -Match ('LOCATION=' + [regex]::Escape($Expected))
        $after = Get-Item $Expected
        $after.LastWriteTimeUtc | Should -Be $before.LastWriteTimeUtc
        $after.Length | Should -Be $before.Length
    }

    It 'compiles for the session only, leaving nothing behind, when the cache folder cannot be made' {
        # A file where the cache folder should be. Set inside the child: pwsh itself needs a
        # usable XDG_CACHE_HOME to start.
        $blocker = Join-Path $Cache 'a-file'
        Set-Content -LiteralPath $blocker -Value 'not a folder'
        $child = Invoke-ChildPwsh -Environment @{ EXCERT_LIBRARY = $LibraryPath } -Script @"
`$env:XDG_CACHE_HOME = '$blocker'
$Probe
'LEFT=' + (Test-Path -LiteralPath ([Excert.Library].Assembly.Location))
"@
        $child.ExitCode | Should -Be 0 -Because $child.Output
        $child.Output | Should -Match ('LOCATION=' + [regex]::Escape([IO.Path]::GetTempPath().TrimEnd('/')) + '/excert-shim-[0-9a-f]{32}/ExchangeCertificate.dll')
        $child.Output | Should -Match 'ABI=1'
        $child.Output | Should -Match 'LEFT=False'
    }

    Context 'under umask 000' {
        BeforeAll {
            # A child pwsh whose umask is 000: every file and folder it makes without an explicit
            # mode is world-writable.
            function Invoke-OpenUmaskPwsh([string] $CacheHome) {
                $file = Join-Path ([IO.Path]::GetTempPath()) ("excert-child-" + [Guid]::NewGuid().ToString('N') + '.ps1')
                Set-Content -LiteralPath $file -Value $Probe -Encoding utf8
                $saved = $env:XDG_CACHE_HOME, $env:EXCERT_LIBRARY
                $env:XDG_CACHE_HOME = $CacheHome; $env:EXCERT_LIBRARY = $LibraryPath
                try {
                    $output = & sh -c 'umask 000 && exec "$0" -NoProfile -NonInteractive -File "$1"' $ExcertPwsh $file 2>&1
                    [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | ForEach-Object { "$_" }) -join "`n" }
                } finally {
                    $env:XDG_CACHE_HOME, $env:EXCERT_LIBRARY = $saved
                    Remove-Item -LiteralPath $file -Force
                }
            }
            $OwnerOnlyFolder = [IO.UnixFileMode]'UserRead, UserWrite, UserExecute'
            $OwnerOnlyFile = [IO.UnixFileMode]'UserRead, UserWrite'
        }

        It 'makes the cache folder 0700 and the assembly 0600' {
            $cacheHome = New-TestFolder 'excert-cache-umask'
            try {
                $child = Invoke-OpenUmaskPwsh $cacheHome
                $child.ExitCode | Should -Be 0 -Because $child.Output
                $child.Output | Should -Match 'ABI=1'
                $folder = Join-Path $cacheHome 'excert'
                $assembly = Join-Path $folder $Key 'ExchangeCertificate.dll'
                $child.Output | Should -Match ('LOCATION=' + [regex]::Escape($assembly))
                [IO.File]::GetUnixFileMode($folder) | Should -Be $OwnerOnlyFolder
                [IO.File]::GetUnixFileMode((Join-Path $folder $Key)) | Should -Be $OwnerOnlyFolder
                [IO.File]::GetUnixFileMode($assembly) | Should -Be $OwnerOnlyFile
            } finally { Remove-Item -LiteralPath $cacheHome -Recurse -Force }
        }

        It 'does not load an assembly planted in a cache folder others can write; rebuilds it privately' {
            $cacheHome = New-TestFolder 'excert-cache-planted'
            try {
                $folder = Join-Path $cacheHome 'excert'
                $null = New-Item -ItemType Directory -Path $folder
                $everyone = [IO.UnixFileMode]'UserRead, UserWrite, UserExecute, GroupRead, GroupWrite, GroupExecute, OtherRead, OtherWrite, OtherExecute'
                [IO.File]::SetUnixFileMode($folder, $everyone)
                # Under the exact name the module looks for: a valid assembly would run at import.
                $null = New-Item -ItemType Directory -Path (Join-Path $folder $Key)
                [IO.File]::SetUnixFileMode((Join-Path $folder $Key), $everyone)
                $planted = Join-Path $folder $Key 'ExchangeCertificate.dll'
                Set-Content -LiteralPath $planted -Value 'planted by another user'
                [IO.File]::SetUnixFileMode($planted, [IO.UnixFileMode]'UserRead, UserWrite, GroupRead, GroupWrite, OtherRead, OtherWrite')

                $child = Invoke-OpenUmaskPwsh $cacheHome
                $child.ExitCode | Should -Be 0 -Because $child.Output
                $child.Output | Should -Match 'ABI=1'
                $child.Output | Should -Match ('LOCATION=' + [regex]::Escape($planted))
                [IO.File]::GetUnixFileMode($folder) | Should -Be $OwnerOnlyFolder
                [IO.File]::GetUnixFileMode($planted) | Should -Be $OwnerOnlyFile
                [IO.File]::ReadAllText($planted) | Should -Not -Match 'planted'
            } finally { Remove-Item -LiteralPath $cacheHome -Recurse -Force }
        }

        It 'rebuilds a cached assembly that others can write, in a private folder' {
            $cacheHome = New-TestFolder 'excert-cache-open-file'
            try {
                $first = Invoke-OpenUmaskPwsh $cacheHome
                $first.ExitCode | Should -Be 0 -Because $first.Output
                $assembly = Join-Path $cacheHome 'excert' $Key 'ExchangeCertificate.dll'
                [IO.File]::SetUnixFileMode($assembly, [IO.UnixFileMode]'UserRead, UserWrite, OtherWrite')
                $before = Get-Item $assembly

                $child = Invoke-OpenUmaskPwsh $cacheHome
                $child.ExitCode | Should -Be 0 -Because $child.Output
                $child.Output | Should -Match 'ABI=1'
                [IO.File]::GetUnixFileMode($assembly) | Should -Be $OwnerOnlyFile
                # A new file: another inode, or the freed one reused (tmpfs does) with a later write.
                $after = Get-Item $assembly
                ($after.UnixStat.Inode -ne $before.UnixStat.Inode -or $after.LastWriteTimeUtc -ne $before.LastWriteTimeUtc) |
                    Should -BeTrue -Because 'a new file replaced it'
            } finally { Remove-Item -LiteralPath $cacheHome -Recurse -Force }
        }
    }

    It 'replaces a damaged cache file' {
        Set-Content -LiteralPath $Expected -Value 'not an assembly'
        $child = Invoke-ChildPwsh -Environment @{ XDG_CACHE_HOME = $Cache; EXCERT_LIBRARY = $LibraryPath } -Script $Probe
        $child.ExitCode | Should -Be 0 -Because $child.Output
        $child.Output | Should -Match 'ABI=1'
        (Get-Item $Expected).Length | Should -BeGreaterThan 1000
    }
}

Describe 'The services flags enum' {
    It '<Name> is <Value>' -TestCases $FlagCases {
        [int][Excert.AllowedServices]$Name | Should -Be $Value
    }

    It 'parses and prints Exchange''s comma list' {
        $services = [Excert.AllowedServices]'IMAP, POP, SMTP'
        [int]$services | Should -Be 19
        $services.ToString() | Should -BeExactly 'IMAP, POP, SMTP'
    }

    It 'binds -Services IIS,SMTP on New-ExchangeCertificate' {
        $parameter = (Get-Command New-ExchangeCertificate).Parameters['Services']
        $parameter.ParameterType | Should -Be ([Excert.AllowedServices])
        # On a command line, IIS,SMTP is an array of two strings; the binder converts it like this.
        $value = [System.Management.Automation.LanguagePrimitives]::ConvertTo(@('IIS', 'SMTP'), [Excert.AllowedServices])
        [int]$value | Should -Be 24
    }
}
