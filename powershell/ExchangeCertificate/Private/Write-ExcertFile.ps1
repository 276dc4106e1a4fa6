function Write-ExcertFile {
    <#
    .SYNOPSIS
    Writes bytes to a file a cmdlet was given (-RequestFile, -FileName), relative paths taken
    from PowerShell's current location.

    .DESCRIPTION
    With -Private (a PFX holds the private key) a new file is created readable by its owner
    only on Unix (0600); an existing file is replaced through a new file, so it never keeps
    looser permissions. Returns the full path.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [AllowEmptyCollection()] [byte[]] $Bytes,
        [switch] $Private
    )

    $full = $Cmdlet.GetUnresolvedProviderPathFromPSPath($Path)
    $folder = [IO.Path]::GetDirectoryName($full)
    if ($folder -and -not [IO.Directory]::Exists($folder)) {
        throw [System.IO.DirectoryNotFoundException]::new("The folder '$folder' of '$Path' does not exist: create it first, or give another path.")
    }
    $options = [IO.FileStreamOptions]::new()
    $options.Mode = [IO.FileMode]::CreateNew
    $options.Access = [IO.FileAccess]::Write
    if ($Private -and -not $IsWindows) {
        $options.UnixCreateMode = [IO.UnixFileMode]'UserRead, UserWrite'
    }
    # Written beside the target and renamed over it: a reader never sees half a file, and a
    # private file is born 0600 rather than inheriting an old file's mode.
    $temporary = [IO.Path]::Combine($folder, ".$([IO.Path]::GetFileName($full)).tmp-$([Guid]::NewGuid().ToString('N'))")
    try {
        $stream = [IO.FileStream]::new($temporary, $options)
        try { $stream.Write($Bytes, 0, $Bytes.Length) } finally { $stream.Dispose() }
        [IO.File]::Move($temporary, $full, $true)
    } finally {
        if ([IO.File]::Exists($temporary)) { [IO.File]::Delete($temporary) }
    }
    $full
}
