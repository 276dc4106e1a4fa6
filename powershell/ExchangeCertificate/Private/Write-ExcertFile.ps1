function Write-ExcertFile {
    <#
    .SYNOPSIS
    Writes bytes to a file a cmdlet was given (-RequestFile, -FileName), a relative path taken
    from PowerShell's current location; throws a FileNotWritten ErrorRecord naming the path and
    the cause.

    .DESCRIPTION
    -Private (a PFX holds the private key) creates the file readable by its owner only (0600)
    on Linux and macOS. The write goes through a temporary file renamed into place.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [AllowEmptyCollection()] [byte[]] $Bytes,
        [switch] $Private,
        # Said before the cause, for a caller that did something first (a request was made ...).
        [string] $Context
    )

    $full = $Cmdlet.GetUnresolvedProviderPathFromPSPath($Path)
    $why = [Excert.Files]::TryWriteAllBytes($full, $Bytes, $Private.IsPresent)
    if ($null -eq $why) {
        Write-Verbose "Written: $full"
        return
    }
    throw (New-ExcertErrorRecord -Message "$Context'$full' could not be written: $why Give a path in a folder that exists and that you can write to." `
            -ErrorId FileNotWritten -Category WriteError -ExceptionType IO -TargetObject $Path)
}
