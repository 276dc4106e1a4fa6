# Servers that keep their own store, driven over PowerShell remoting by SSH (docs/many-servers.md):
# a private OpenSSH server on 127.0.0.1 with pwsh as its powershell subsystem, key
# authentication, its own host key and config. The remote side finds the module through
# PSModulePath (as an installed module) and keeps its own store, both set by the server's
# SetEnv. Skipped only when sshd is missing and cannot be installed.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule
    $LocalStore = New-TestStore
    $Library = [Excert.Cmdlets.ModuleImport]::Library.Path
    $Sshd = '/usr/sbin/sshd'
    $SkipReason = $null

    if ($IsWindows) {
        $SkipReason = 'this test drives Debian''s OpenSSH server; on Windows run it on a Linux host'
    } elseif (-not (Test-Path $Sshd)) {
        # The project's setup installs it; a machine without it gets it here when it can.
        $apt = Get-Command apt-get -ErrorAction SilentlyContinue
        if ($apt -and [Environment]::UserName -eq 'root') {
            $env:DEBIAN_FRONTEND = 'noninteractive'
            $log = & apt-get install -y -qq openssh-server 2>&1
            if (-not (Test-Path $Sshd)) {
                # A fresh machine may not have the package lists yet.
                $null = & apt-get update -qq 2>&1
                $log = & apt-get install -y -qq openssh-server 2>&1
            }
            if (-not (Test-Path $Sshd)) { $SkipReason = "openssh-server could not be installed: $($log | Select-Object -Last 3)" }
        } else {
            $SkipReason = 'sshd is not installed and cannot be installed here (needs root and apt-get): apt-get install openssh-server'
        }
    }
    if ($SkipReason) {
        Write-Warning "REMOTING TESTS SKIPPED: $SkipReason"
        return
    }

    $Dir = New-TestFolder 'excert-pester-sshd'
    [IO.File]::SetUnixFileMode($Dir, [IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
    # Two "hosts", each with its own store: 127.0.0.1 and 127.0.0.2 (sshd's Match LocalAddress).
    $RemoteStore = Join-Path $Dir 'remote-store'
    $SecondStore = Join-Path $Dir 'second-store'
    foreach ($folder in $RemoteStore, $SecondStore) {
        $null = New-Item -ItemType Directory -Path $folder
        [IO.File]::SetUnixFileMode($folder, [IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
    }
    $HostKey = Join-Path $Dir 'host_key'
    $ClientKey = Join-Path $Dir 'client_key'
    $null = & ssh-keygen -q -t ed25519 -N '' -f $HostKey 2>&1
    $null = & ssh-keygen -q -t ed25519 -N '' -f $ClientKey 2>&1
    Copy-Item -LiteralPath "$ClientKey.pub" -Destination (Join-Path $Dir 'authorized_keys')

    # A free port: the kernel picks one, the listener lets it go for sshd.
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start(); $Port = $probe.LocalEndpoint.Port; $probe.Stop()

        $ModuleFolder = Split-Path (Split-Path $ExcertModuleManifest)
    $Pwsh = Join-Path $PSHOME 'pwsh'
    $Config = Join-Path $Dir 'sshd_config'
    Set-Content -LiteralPath $Config -Encoding ascii -Value @"
ListenAddress 127.0.0.1
ListenAddress 127.0.0.2
Port $Port
HostKey $HostKey
PidFile none
AuthorizedKeysFile $Dir/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
Subsystem powershell $Pwsh -sshs -NoLogo -NoProfile
Match LocalAddress 127.0.0.1
    SetEnv PSModulePath=$ModuleFolder EXCERT_STORE=$RemoteStore EXCERT_LIBRARY=$Library
Match LocalAddress 127.0.0.2
    SetEnv PSModulePath=$ModuleFolder EXCERT_STORE=$SecondStore EXCERT_LIBRARY=$Library
"@
    $null = New-Item -ItemType Directory -Force -Path '/run/sshd'
    # In the foreground (-D), logging to stderr (-e): it is this test's own child, and it says
    # "Server listening on ..." for each address once it serves, so no waiting by the clock.
    $start = [System.Diagnostics.ProcessStartInfo]::new($Sshd)
    foreach ($argument in '-D', '-e', '-f', $Config, '-o', 'LogLevel=INFO') { $start.ArgumentList.Add($argument) }
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $SshdProcess = [System.Diagnostics.Process]::Start($start)
    $log = [Collections.Generic.List[string]]::new()
    $listening = 0
    while ($listening -lt 2) {
        $line = $SshdProcess.StandardError.ReadLine()
        if ($null -eq $line) { throw "sshd stopped before it listened: $($log -join ' | ')" }
        $log.Add($line)
        if ($line -match "^Server listening on 127\.0\.0\.[12] port $Port") { $listening++ }
    }

    $Connection = @{
        Port        = $Port
        UserName    = [Environment]::UserName
        KeyFilePath = $ClientKey
        Options     = @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = '/dev/null'; LogLevel = 'ERROR' }
    }
    $Session = New-PSSession -HostName 127.0.0.1 @Connection -ErrorAction Stop
    $Results = @(Invoke-Command -Session $Session -ScriptBlock {
            New-ExchangeCertificate -SubjectName 'CN=remote.contoso.com' -DomainName remote.contoso.com -KeyAlgorithm ECDSA_P256 -Services IIS -Force
            Get-ExchangeCertificate
        })
}

AfterAll {
    if ($Session) { Remove-PSSession $Session }
    if ($SshdProcess) {
        # Only the listener this test started; its per-connection children end with their
        # connections, closed above.
        if (-not $SshdProcess.HasExited) { $SshdProcess.Kill() }
        $SshdProcess.WaitForExit()
        $SshdProcess.Dispose()
    }
    Remove-TestStore $LocalStore
    if ($Dir -and (Test-Path $Dir)) { Remove-Item -LiteralPath $Dir -Recurse -Force }
}

Describe 'Invoke-Command over SSH' {
    BeforeEach {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason }
    }

    It 'returns the new certificate and the listing' {
        $Results.Count | Should -Be 2
        $Results[0].Thumbprint | Should -BeExactly $Results[1].Thumbprint
        $Results[0].Subject | Should -BeExactly 'CN=remote.contoso.com'
        $Results | ForEach-Object { $_.PSComputerName | Should -BeExactly '127.0.0.1' }
    }

    It 'delivers Deserialized.Excert.ExchangeCertificate objects with Exchange''s properties' {
        foreach ($result in $Results) {
            $result.PSObject.TypeNames[0] | Should -BeExactly 'Deserialized.Excert.ExchangeCertificate'
            $result.ServicesStringForm | Should -BeExactly '...W...'
            # As names, not the bare number (ExchangeCertificate.Types.ps1xml).
            $result.Services | Should -BeExactly 'IIS'
            $result.Status | Should -BeExactly 'Valid'
            $result.NotAfter | Should -BeOfType [datetime]
        }
    }

    It 'formats them with Exchange''s table view, service letters and all' {
        $table = ($Results[1] | Out-String -Width 200).Trim() -split '\r?\n'
        # PowerShell adds the PSComputerName column to every remote table.
        $table[0] | Should -Match '^Thumbprint\s+Services\s+Subject\s+PSComputerName\s*$'
        $table[2] | Should -Match ("^$($Results[1].Thumbprint)\s+\.\.\.W\.\.\.\s+CN=remote\.contoso\.com\s+127\.0\.0\.1\s*$")
        ($Results[1] | Format-List | Out-String) | Should -Match 'Services\s*:\s*IIS'
    }

    It 'wrote to the remote server''s own store, not to the local one' {
        $server = $Results[0].Server
        Join-Path $RemoteStore "servers/$server/certs/$($Results[0].Thumbprint)/key.p8" | Should -Exist
        Get-ExchangeCertificate -Server '*' | Should -BeNullOrEmpty
    }

    It 'takes deserialized objects back: Enable- and Export-ExchangeCertificate by pipeline on the remote side' {
        $out = Invoke-Command -Session $Session -ArgumentList $Results[1] -ScriptBlock {
            param($certificate)
            $certificate | Enable-ExchangeCertificate -Services SMTP -Force
            [Convert]::ToBase64String(($certificate | Export-ExchangeCertificate -BinaryEncoded).FileData)
        }
        $out[0].PSObject.TypeNames[0] | Should -BeExactly 'Deserialized.Excert.ExchangeCertificate'
        $out[0].Thumbprint | Should -BeExactly $Results[1].Thumbprint
        $out[0].Services | Should -BeExactly 'IIS, SMTP'
        # The certificate alone, the DER the listing carried as RawData.
        [Convert]::FromBase64String($out[1]) | Should -Be $Results[1].RawData
    }

    It 'takes deserialized objects back: renewal and removal by pipeline on the remote side' {
        $renewed = Invoke-Command -Session $Session -ArgumentList $Results[0] -ScriptBlock {
            param($certificate)
            $new = $certificate | New-ExchangeCertificate -Force
            $certificate | Remove-ExchangeCertificate -Confirm:$false
            $new
            @(Get-ExchangeCertificate).Count
        }
        $renewed[0].Thumbprint | Should -Not -Be $Results[0].Thumbprint
        $renewed[0].Subject | Should -BeExactly 'CN=remote.contoso.com'
        # The renewal keeps the services, SMTP included since the test above.
        "$($renewed[0].Services)" | Should -BeExactly 'IIS, SMTP'
        $renewed[1] | Should -Be 1
    }

    It 'pushes one PFX to many hosts at once, as docs/many-servers.md shows' {
        $source = New-ExchangeCertificate -DomainName pushed.contoso.com -KeyAlgorithm ECDSA_P256 -PrivateKeyExportable $true -Services None
        $password = ConvertTo-SecureString 'Push-Pässword 9' -AsPlainText -Force
        $pfx = (Export-ExchangeCertificate $source.Thumbprint -BinaryEncoded -Password $password).FileData
        # docs/many-servers.md's example, with this test's hosts and connection.
        $servers = '127.0.0.1', '127.0.0.2'
        $pushed = Invoke-Command -HostName $servers @Connection -ErrorAction Stop -ArgumentList $pfx, $password -ScriptBlock {
            param($data, $password)
            Import-ExchangeCertificate -FileData $data -Password $password |
                Enable-ExchangeCertificate -Services IIS, SMTP -Force
        }
        @($pushed.PSComputerName | Sort-Object) | Should -Be @('127.0.0.1', '127.0.0.2')
        $pushed | ForEach-Object {
            $_.PSObject.TypeNames[0] | Should -BeExactly 'Deserialized.Excert.ExchangeCertificate'
            $_.Thumbprint | Should -BeExactly $source.Thumbprint
            $_.Services | Should -BeExactly 'IIS, SMTP'
            $_.HasPrivateKey | Should -BeTrue
        }
        # Each host has it in its own store, with its live files.
        foreach ($store in $RemoteStore, $SecondStore) {
            Join-Path $store "servers/$($pushed[0].Server)/live/IIS/fullchain.pem" | Should -Exist
        }
        $expiring = Invoke-Command -HostName $servers @Connection -ScriptBlock { Get-ExchangeCertificate -ExpiringWithinDays 3650 }
        @($expiring | Where-Object Thumbprint -EQ $source.Thumbprint).Count | Should -Be 2
    }

    It 'brings remote errors back with the native ErrorId' {
        $null = Invoke-Command -Session $Session -ScriptBlock { Get-ExchangeCertificate -Thumbprint ('00' * 20) } -ErrorAction SilentlyContinue -ErrorVariable failure
        (Select-WrittenError $failure).Count | Should -Be 1
        (Select-WrittenError $failure)[0].FullyQualifiedErrorId | Should -Match '^NotFound,Excert.Cmdlets.GetExchangeCertificate'
    }
}
