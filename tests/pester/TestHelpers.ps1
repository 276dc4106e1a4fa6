# Shared by every *.Tests.ps1: dot-source in BeforeAll. No mocks here: the module runs on the
# real native library, each Describe in its own throw-away store.

# Plain variables, not $script: ones: Pester runs BeforeAll's scope as the parent of the tests.
$ExcertModuleManifest = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../powershell/ExchangeCertificate/ExchangeCertificate.psd1'))
$ExcertPwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')

function New-TestFolder([string] $Prefix = 'excert-pester') {
    $path = Join-Path ([IO.Path]::GetTempPath()) ("$Prefix-" + [Guid]::NewGuid().ToString('N'))
    (New-Item -ItemType Directory -Path $path).FullName
}

function New-TestStore {
    # A fresh store folder (mode 0700 on Unix, as the core wants a private store), made the
    # current one through EXCERT_STORE. Returns the value to hand back to Remove-TestStore.
    $path = New-TestFolder
    if (-not $IsWindows) { [IO.File]::SetUnixFileMode($path, [IO.UnixFileMode]'UserRead, UserWrite, UserExecute') }
    $state = [pscustomobject]@{ Path = $path; Previous = $env:EXCERT_STORE }
    $env:EXCERT_STORE = $state.Path
    $state
}

function Remove-TestStore($State) {
    if ($null -eq $State) { return }
    $env:EXCERT_STORE = $State.Previous
    if (Test-Path -LiteralPath $State.Path) { Remove-Item -LiteralPath $State.Path -Recurse -Force }
}

function Import-TestModule {
    Import-Module $ExcertModuleManifest -Force -ErrorAction Stop
}

function Invoke-ChildPwsh {
    # Runs a script in a fresh pwsh with extra environment variables; returns its exit code and
    # everything it wrote (stdout and stderr), as text.
    param(
        [Parameter(Mandatory)] [string] $Script,
        [hashtable] $Environment = @{},
        # Without -NonInteractive, so prompts read their answers from -InputText on stdin.
        [switch] $Interactive,
        [string] $InputText = ''
    )
    $file = Join-Path ([IO.Path]::GetTempPath()) ("excert-child-" + [Guid]::NewGuid().ToString('N') + '.ps1')
    Set-Content -LiteralPath $file -Value $Script -Encoding utf8
    $saved = @{}
    foreach ($name in $Environment.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $Environment[$name])
    }
    try {
        $arguments = @('-NoProfile') + ($Interactive ? @() : @('-NonInteractive')) + @('-File', $file)
        $output = $InputText | & $ExcertPwsh @arguments 2>&1
        [pscustomobject]@{
            ExitCode = $LASTEXITCODE
            Output   = ($output | ForEach-Object { "$_" }) -join [Environment]::NewLine
        }
    } finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        Remove-Item -LiteralPath $file -Force
    }
}

function Get-ErrorId([System.Management.Automation.ErrorRecord] $Record) {
    # 'NotFound,Get-ExchangeCertificate' -> 'NotFound'.
    $Record.FullyQualifiedErrorId.Split(',')[0]
}

function ConvertFrom-OpenSslDate([string] $Text) {
    # openssl prints 'Nov 28 05:20:00 2026 GMT' (day padded with a space).
    $clean = ($Text -replace '\s+', ' ').Trim() -replace ' GMT$', ''
    [datetime]::ParseExact($clean, 'MMM d HH:mm:ss yyyy', [Globalization.CultureInfo]::InvariantCulture,
        [Globalization.DateTimeStyles]::AdjustToUniversal -bor [Globalization.DateTimeStyles]::AssumeUniversal)
}
