function Confirm-ExcertPrivateFile {
    <#
    .SYNOPSIS
    True when the cached assembly exists and is ours alone; one that others could have written is
    deleted (the caller compiles a new one).
    #>
    param([string] $Path)

    if (-not [IO.File]::Exists($Path)) { return $false }
    if ($IsWindows) { return $true }
    try {
        if ([IO.File]::GetUnixFileMode($Path) -band $script:ExcertWritableByOthers) {
            throw 'it is writable by other users'
        }
        # Only the owner (or root) may change the mode: a file another user left here fails.
        [IO.File]::SetUnixFileMode($Path, [IO.UnixFileMode]'UserRead, UserWrite')
        $true
    } catch {
        Write-ExcertNote "excert shim cache file $Path refused ($($_.Exception.Message)); compiling a new one"
        try { [IO.File]::Delete($Path) } catch { Write-ExcertNote "could not remove $Path" }
        $false
    }
}
