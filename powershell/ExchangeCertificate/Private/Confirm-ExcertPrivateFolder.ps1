function Confirm-ExcertPrivateFolder {
    <#
    .SYNOPSIS
    True when the cache folder exists (it is made if missing) and no other user can write in it.

    .DESCRIPTION
    The folder is set to 0700: only its owner (or root) may change a mode, so success also shows
    that it is ours. A folder found writable by others is purged of cached assemblies, which
    anyone may have planted. A parent writable by others (without the sticky bit) could have the
    folder swapped: then nothing is cached, the shim is compiled for the session only.
    #>
    param([string] $Folder)

    try {
        $null = New-ExcertPrivateFolder -Path $Folder
        if ($IsWindows) { return $true }
        for ($parent = [IO.Path]::GetDirectoryName($Folder); $parent; $parent = [IO.Path]::GetDirectoryName($parent)) {
            $mode = [IO.File]::GetUnixFileMode($parent)
            if (($mode -band $script:ExcertWritableByOthers) -and -not ($mode -band [IO.UnixFileMode]::StickyBit)) {
                Write-ExcertNote "excert shim cache not used: $parent is writable by other users"
                return $false
            }
        }
        $wasOpen = [IO.File]::GetUnixFileMode($Folder) -band $script:ExcertWritableByOthers
        [IO.File]::SetUnixFileMode($Folder, $script:ExcertOwnerOnlyFolder)
        if ($wasOpen) {
            foreach ($file in [IO.Directory]::GetFiles($Folder, 'ExcertNative-*')) { [IO.File]::Delete($file) }
            foreach ($build in [IO.Directory]::GetDirectories($Folder, 'ExcertNative-*')) { [IO.Directory]::Delete($build, $true) }
            $assembly = [IO.Path]::Combine($Folder, 'ExchangeCertificate.dll')
            if ([IO.File]::Exists($assembly)) { [IO.File]::Delete($assembly) }
            Write-ExcertNote "excert shim cache $Folder was writable by other users: made private and emptied"
        }
        $true
    } catch {
        Write-ExcertNote "excert shim cache $Folder not usable ($($_.Exception.Message))"
        $false
    }
}
