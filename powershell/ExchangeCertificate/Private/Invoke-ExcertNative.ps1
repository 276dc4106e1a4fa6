function Invoke-ExcertNative {
    <#
    .SYNOPSIS
    The one seam every native call passes: request hashtable in, parsed answer or ErrorRecord out.

    .DESCRIPTION
    [Excert.Invocation]::Call (Invocation.cs) does the work, as the cmdlets written in C# call it:
    the request as JSON without its null members and with StoreRoot from $env:EXCERT_STORE, the
    answer parsed by the shim (its Certificate and Certificates as ExchangeCertificate objects),
    warnings written, debug lines without any secret or answer. The operations that take a
    secret (import, export) go through the secret signature, with -Password (a SecureString,
    turned into UTF-8 bytes in the shim and zeroed there), -Secret (bytes, zeroed) or neither.

    On failure it throws the ErrorRecord: ErrorId the native error's Name (NotFound ...),
    category its Category, exception an [Excert.ExcertException] carrying Code and Name, target
    -TargetObject. The cmdlet catches it and decides: $PSCmdlet.WriteError per item, or
    ThrowTerminatingError.

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

    try {
        [Excert.Invocation]::Call($PSCmdlet, $script:ExcertLibrary, $Function, $Request, $TargetObject, $Password, $Secret)
    } catch {
        # A .NET method's exception comes wrapped ("Exception calling ..."): throw the record.
        if ($_.Exception.InnerException -is [Excert.ExcertErrorException]) { throw $_.Exception.InnerException.ErrorRecord }
        throw
    }
}
