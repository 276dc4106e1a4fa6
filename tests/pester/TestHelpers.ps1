# Shared by every *.Tests.ps1: dot-source in BeforeAll. No mocks here: the module runs on the
# real native library, each Describe in its own throw-away store.

# Plain variables, not $script: ones: Pester runs BeforeAll's scope as the parent of the tests.
# EXCERT_TEST_MODULE runs the suites on another copy of the module's manifest, for example the
# installed module scripts/package-module assembles (docs/packages.md).
$ExcertModuleManifest = [IO.Path]::GetFullPath(($env:EXCERT_TEST_MODULE ? $env:EXCERT_TEST_MODULE : (Join-Path $PSScriptRoot '../../powershell/ExchangeCertificate/ExchangeCertificate.psd1')))
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

function Select-WrittenError($Records) {
    # The errors a cmdlet wrote (their ErrorId ends in ',<cmdlet name>'), from an -ErrorVariable.
    # A caught exception also lands there, once per call layer it crossed (PowerShell issues
    # 3165 and 3768): the module's helpers throw, its cmdlets catch and write one error.
    , @($Records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] -and $_.FullyQualifiedErrorId.Contains(',') })
}

function Get-ErrorId([System.Management.Automation.ErrorRecord] $Record) {
    # 'NotFound,Excert.Cmdlets.GetExchangeCertificate' -> 'NotFound'.
    $Record.FullyQualifiedErrorId.Split(',')[0]
}

function ConvertFrom-OpenSslDate([string] $Text) {
    # openssl prints 'Nov 28 05:20:00 2026 GMT' (day padded with a space).
    $clean = ($Text -replace '\s+', ' ').Trim() -replace ' GMT$', ''
    [datetime]::ParseExact($clean, 'MMM d HH:mm:ss yyyy', [Globalization.CultureInfo]::InvariantCulture,
        [Globalization.DateTimeStyles]::AdjustToUniversal -bor [Globalization.DateTimeStyles]::AssumeUniversal)
}

function Invoke-OpenSsl {
    # Runs the openssl CLI; throws with its output when it fails, returns its stdout lines.
    $output = & openssl @args 2>&1
    if ($LASTEXITCODE -ne 0) { throw "openssl $($args -join ' ') failed ($LASTEXITCODE): $($output -join [Environment]::NewLine)" }
    $output | ForEach-Object { "$_" }
}

function New-TestCa {
    # A real two-level CA made with the openssl CLI: root -> issuing intermediate, EC P-256
    # keys (quick to make). Returns the paths; Sign-TestRequest issues certificates from it.
    param([Parameter(Mandatory)] [string] $Folder, [string] $Name = 'Contoso')
    $null = New-Item -ItemType Directory -Force -Path $Folder
    $ca = [pscustomobject]@{
        Folder = $Folder
        RootKey = Join-Path $Folder 'root.key'; Root = Join-Path $Folder 'root.pem'
        IssuingKey = Join-Path $Folder 'issuing.key'; Issuing = Join-Path $Folder 'issuing.pem'
    }
    $null = Invoke-OpenSsl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $ca.RootKey -out $ca.Root `
        -days 3650 -subj "/O=$Name/CN=$Name Test Root" -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign'
    $csr = Join-Path $Folder 'issuing.csr'
    $null = Invoke-OpenSsl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $ca.IssuingKey -out $csr -subj "/O=$Name/CN=$Name Issuing CA"
    $extensions = Join-Path $Folder 'ca.ext'
    Set-Content -LiteralPath $extensions -Value "basicConstraints=critical,CA:TRUE,pathlen:0`nkeyUsage=critical,keyCertSign,cRLSign" -Encoding ascii
    $null = Invoke-OpenSsl x509 -req -in $csr -CA $ca.Root -CAkey $ca.RootKey -set_serial 2 -days 3650 -extfile $extensions -out $ca.Issuing
    $ca
}

function Invoke-TestCaSign {
    # The CA answers a request file: the issued certificate (PEM path), extensions copied from
    # the request as the brief's `openssl x509 -req -copy_extensions copy`.
    param([Parameter(Mandatory)] $Ca, [Parameter(Mandatory)] [string] $RequestFile, [int] $Days = 365)
    $out = Join-Path $Ca.Folder ("issued-" + [Guid]::NewGuid().ToString('N') + '.pem')
    $serial = '0x' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(8))
    $null = Invoke-OpenSsl x509 -req -in $RequestFile -CA $Ca.Issuing -CAkey $Ca.IssuingKey -set_serial $serial -days $Days -copy_extensions copy -out $out
    $out
}

function Get-OpenSslFingerprint([string] $PemPath) {
    # SHA-1 fingerprint as Exchange prints a thumbprint: upper hex, no colons.
    ((Invoke-OpenSsl x509 -in $PemPath -noout -fingerprint -sha1) -replace '^.*=', '' -replace ':', '').Trim()
}

function Get-TreeSnapshot([string] $Path) {
    # Every file and link under a folder with a hash of its content: equal snapshots mean
    # nothing changed on disk.
    Get-ChildItem -LiteralPath $Path -Recurse -Force | Sort-Object FullName | ForEach-Object {
        $relative = [IO.Path]::GetRelativePath($Path, $_.FullName)
        if ($_.LinkTarget) { "$relative -> $($_.LinkTarget)" }
        elseif ($_.PSIsContainer) { "$relative/" }
        else { "$relative $([Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([IO.File]::ReadAllBytes($_.FullName))))" }
    }
}

function Invoke-ExcertNative {
    <#
    .SYNOPSIS
    A native call as the cmdlets make it, for the tests: request hashtable in, parsed answer or
    ErrorRecord out, through the module's open library.

    .DESCRIPTION
    [Excert.Invocation]::Call (Invocation.cs) does the work, as the cmdlets written in C# call it:
    the request as JSON without its null members and with StoreRoot from $env:EXCERT_STORE, the
    answer parsed by the shim (its Certificate and Certificates as ExchangeCertificate objects),
    warnings written, debug lines without any secret or answer. The operations that take a
    secret (import, export) go through the secret signature, with -Password (a SecureString,
    turned into UTF-8 bytes in the shim and zeroed there), -Secret (bytes, zeroed) or neither.

    On failure it throws the ErrorRecord: ErrorId the native error's Name (NotFound ...),
    category its Category, exception an [Excert.ExcertException] carrying Code and Name, target
    -TargetObject.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [ValidatePattern('^excert_[a-z0-9]+(_[a-z0-9]+)+$')]
        [string] $Function,

        [Parameter(Mandatory)]
        [System.Collections.IDictionary] $Request,

        [AllowNull()]
        [object] $TargetObject,

        # For the operations that take a secret (import/export passwords): sent as bytes with a
        # length, never in the JSON; the array is zeroed once the call returns.
        [byte[]] $Secret,

        # The same as a SecureString (what the cmdlets take): never a .NET string on the way.
        [securestring] $Password
    )

    try {
        [Excert.Invocation]::Call($PSCmdlet, [Excert.Cmdlets.ModuleImport]::Library, $Function, $Request, $TargetObject, $Password, $Secret)
    } catch {
        # A .NET method's exception comes wrapped ("Exception calling ..."): throw the record.
        if ($_.Exception.InnerException -is [Excert.ExcertErrorException]) { throw $_.Exception.InnerException.ErrorRecord }
        throw
    }
}
