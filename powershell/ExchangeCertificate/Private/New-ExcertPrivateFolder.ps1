function New-ExcertPrivateFolder([string] $Path) {
    # Created 0700 whatever the umask (Windows: the per-user folder's ACL already is the owner's).
    if ($IsWindows) { return [IO.Directory]::CreateDirectory($Path) }
    [IO.Directory]::CreateDirectory($Path, $script:ExcertOwnerOnlyFolder)
}
