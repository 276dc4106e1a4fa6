function Write-ExcertFile {
    <#
    .SYNOPSIS
    Writes bytes to a file a cmdlet was given (-RequestFile, -FileName), a relative path taken
    from PowerShell's current location. Returns $null, or an ErrorRecord naming the path and
    the cause.

    .DESCRIPTION
    -Private (a PFX holds the private key) creates the file readable by its owner only (0600)
    on Linux and macOS. The write goes through a temporary file renamed into place.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [AllowEmptyCollection()] [byte[]] $Bytes,
        [switch] $Private
    )

    $full = $Cmdlet.GetUnresolvedProviderPathFromPSPath($Path)
    $why = [Excert.Files]::TryWriteAllBytes($full, $Bytes, $Private.IsPresent)
    if ($null -eq $why) {
        Write-Verbose "Written: $full"
        return $null
    }
    $exception = [System.IO.IOException]::new("'$full' could not be written: $why Give a path in a folder that exists and that you can write to.")
    [System.Management.Automation.ErrorRecord]::new($exception, 'FileNotWritten',
        [System.Management.Automation.ErrorCategory]::WriteError, $Path)
}
