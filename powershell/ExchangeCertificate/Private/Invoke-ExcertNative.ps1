function Invoke-ExcertNative {
    <#
    .SYNOPSIS
    The one seam every native call passes: request hashtable in, parsed answer or ErrorRecord out.

    .DESCRIPTION
    Drops $null values (the core's list fields refuse null), adds StoreRoot from
    $env:EXCERT_STORE when set and not given (.NET on Unix does not pass $env: changes to the
    native getenv), sends the request as compact JSON, and parses the answer in the shim
    ([Excert.Answers]::Parse: its Certificate and Certificates come back as ExchangeCertificate
    objects). Warnings in the answer are written with Write-Warning.

    The operations that take a secret (import, export) always go through the secret signature,
    with -Password (a SecureString, turned into UTF-8 bytes in the shim and zeroed there),
    -Secret (bytes, zeroed) or neither (no password). Write-Debug shows the function, the request
    with FileData reduced to its length (a PFX without password holds a key in the clear), and
    the result code: never an answer, which may hold a PFX.

    On failure it throws the ErrorRecord New-ExcertErrorRecord makes: ErrorId the native error's
    Name (NotFound ...), category its Category, exception an [Excert.ExcertException] carrying
    Code and Name, target -TargetObject. The cmdlet catches it and decides: $PSCmdlet.WriteError
    per item, or ThrowTerminatingError.

    .EXAMPLE
    try { $answer = Invoke-ExcertNative -Function excert_certificate_get -Request @{ Thumbprint = $t } -TargetObject $t }
    catch { $PSCmdlet.WriteError($_); return }
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

    # In the shim (System.Text.Json), null members left out and StoreRoot added: ConvertTo-Json's
    # first use in a session costs ~150 ms, and each distinct call made from script here is paid
    # again by a fresh session's first cmdlet.
    $json = [Excert.Requests]::ToJson($Request, $env:EXCERT_STORE)
    if ($null -eq $json) { $json = ConvertTo-Json -InputObject (Get-ExcertRequestBody $Request) -Depth 10 -Compress }

    if ($null -eq $script:ExcertLibrary) {
        throw (New-ExcertErrorRecord -Message 'The excert native library is not loaded; import the ExchangeCertificate module again.' -ErrorId LibraryNotLoaded -Category ResourceUnavailable -ExceptionType InvalidOperation)
    }
    $withSecret = $PSBoundParameters.ContainsKey('Password') -or $PSBoundParameters.ContainsKey('Secret')
    if ($DebugPreference -ne 'SilentlyContinue') { Write-ExcertNativeDebug -Function $Function -Request $Request -WithSecret $withSecret }
    $result = if ([Excert.Library]::TakesSecret($Function)) {
        if ($PSBoundParameters.ContainsKey('Password')) {
            $script:ExcertLibrary.InvokeWithPassword($Function, $json, $Password)
        } else {
            # -Secret bytes (zeroed in the shim), or without them NULL and 0: no password.
            $script:ExcertLibrary.InvokeWithSecret($Function, $json, $Secret)
        }
    } else {
        $script:ExcertLibrary.Invoke($Function, $json)
    }
    if ($DebugPreference -ne 'SilentlyContinue') { Write-ExcertNativeDebug -Function $Function -Result $result }

    if ($result.Code -eq 0) {
        if (-not $result.HasJson) {
            # Success without an answer breaks the ABI contract; report it rather than guess.
            throw (New-ExcertErrorRecord -Function $Function -Code 900 -TargetObject $TargetObject -ErrorJson (
                ConvertTo-Json -Compress @{ Name = 'Internal'; Category = 'InvalidResult'; Message = "$Function reported success but returned no answer. This is a bug in the excert library; please report it." }))
        }
        # Parsed in the shim: certificates come back as Excert.ExchangeCertificate objects already.
        $answer = [Excert.Answers]::Parse($result)
        foreach ($warning in [Excert.Answers]::WarningsOf($answer)) { Write-Warning $warning }
        return $answer
    }

    throw (New-ExcertErrorRecord -Function $Function -Code $result.Code -ErrorJson $result.Error -TargetObject $TargetObject)
}
