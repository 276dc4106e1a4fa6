function Get-ExcertCacheFolder {
    <#
    .SYNOPSIS
    The per-user cache folder of excert (the compiled shim lives there).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()

    if ($IsWindows) {
        $base = if ($env:LOCALAPPDATA) { $env:LOCALAPPDATA } else { [Environment]::GetFolderPath('LocalApplicationData') }
        return [IO.Path]::Combine($base, 'excert', 'cache')
    }
    if ($IsMacOS) {
        return [IO.Path]::Combine([Environment]::GetFolderPath('UserProfile'), 'Library', 'Caches', 'excert')
    }
    $base = if ($env:XDG_CACHE_HOME -and [IO.Path]::IsPathRooted($env:XDG_CACHE_HOME)) {
        $env:XDG_CACHE_HOME
    } else {
        [IO.Path]::Combine([Environment]::GetFolderPath('UserProfile'), '.cache')
    }
    [IO.Path]::Combine($base, 'excert')
}

# Unix modes of the cache: the folder 0700, files 0600 (issue 23: under umask 000 the cache was
# world-writable and any local user could plant an assembly that the next import would run).
$script:ExcertOwnerOnlyFolder = [IO.UnixFileMode]'UserRead, UserWrite, UserExecute'
$script:ExcertWritableByOthers = [IO.UnixFileMode]'GroupWrite, OtherWrite'

function New-ExcertPrivateFolder([string] $Path) {
    # Created 0700 whatever the umask (Windows: the per-user folder's ACL already is the owner's).
    if ($IsWindows) { return [IO.Directory]::CreateDirectory($Path) }
    [IO.Directory]::CreateDirectory($Path, $script:ExcertOwnerOnlyFolder)
}

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
    [CmdletBinding()]
    [OutputType([bool])]
    param([Parameter(Mandatory)] [string] $Folder)

    try {
        $null = New-ExcertPrivateFolder -Path $Folder
        if ($IsWindows) { return $true }
        for ($parent = [IO.Path]::GetDirectoryName($Folder); $parent; $parent = [IO.Path]::GetDirectoryName($parent)) {
            $mode = [IO.File]::GetUnixFileMode($parent)
            if (($mode -band $script:ExcertWritableByOthers) -and -not ($mode -band [IO.UnixFileMode]::StickyBit)) {
                $PSCmdlet.WriteVerbose("excert shim cache not used: $parent is writable by other users")
                return $false
            }
        }
        $wasOpen = [IO.File]::GetUnixFileMode($Folder) -band $script:ExcertWritableByOthers
        [IO.File]::SetUnixFileMode($Folder, $script:ExcertOwnerOnlyFolder)
        if ($wasOpen) {
            foreach ($file in [IO.Directory]::GetFiles($Folder, 'ExcertNative-*')) { [IO.File]::Delete($file) }
            $PSCmdlet.WriteVerbose("excert shim cache $Folder was writable by other users: made private and emptied")
        }
        $true
    } catch {
        $PSCmdlet.WriteVerbose("excert shim cache $Folder not usable ($($_.Exception.Message))")
        $false
    }
}

function Confirm-ExcertPrivateFile {
    <#
    .SYNOPSIS
    True when the cached assembly exists and is ours alone; one that others could have written is
    deleted (the caller compiles a new one).
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param([Parameter(Mandatory)] [string] $Path)

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
        $PSCmdlet.WriteVerbose("excert shim cache file $Path refused ($($_.Exception.Message)); compiling a new one")
        try { [IO.File]::Delete($Path) } catch { $PSCmdlet.WriteVerbose("could not remove $Path") }
        $false
    }
}

function Get-ExcertShimHash {
    <#
    .SYNOPSIS
    The shim's cache key: 16 hex digits of the SHA-256 over each source file's name and SHA-256,
    in the order given (a changed, added or renamed file changes it).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [string[]] $SourcePath)

    $text = [Text.StringBuilder]::new()
    foreach ($path in $SourcePath) {
        $digest = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([IO.File]::ReadAllBytes($path)))
        $null = $text.Append([IO.Path]::GetFileName($path)).Append(' ').Append($digest).Append("`n")
    }
    $bytes = [Text.Encoding]::UTF8.GetBytes($text.ToString())
    [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($bytes)).Substring(0, 16).ToLowerInvariant()
}

function Import-ExcertShim {
    <#
    .SYNOPSIS
    Loads the compiled C# shim (the module's .cs files), compiling it into the cache
    first when needed.

    .DESCRIPTION
    The cache file name holds the module version, a SHA-256 over the source files (Get-ExcertShimHash)
    and the .NET major
    version (an assembly compiled against one runtime's reference set is not guaranteed to load
    in an older one), so a changed shim or runtime never loads a stale assembly. A warm import
    only loads the file (tens of milliseconds); compiling costs more than a second.
    #>
    [CmdletBinding()]
    [OutputType([System.Reflection.Assembly])]
    param(
        [Parameter(Mandatory)] [string[]] $SourcePath,
        [Parameter(Mandatory)] [version] $ModuleVersion
    )

    $hash = Get-ExcertShimHash -SourcePath $SourcePath
    $leaf = 'ExcertNative-{0}-{1}-net{2}.dll' -f $ModuleVersion, $hash, [Environment]::Version.Major

    # Already loaded in this session (a re-import): an assembly cannot be unloaded, so reuse it,
    # or refuse when it came from different sources, whose types would clash with the new ones.
    $loaded = 'Excert.Library' -as [type]
    if ($loaded) {
        $loadedLeaf = [IO.Path]::GetFileName($loaded.Assembly.Location)
        if ($loadedLeaf -eq $leaf) {
            $PSCmdlet.WriteVerbose("excert shim already loaded from $($loaded.Assembly.Location)")
            return $loaded.Assembly
        }
        throw ("This PowerShell session already holds another build of the excert shim " +
            "('$loadedLeaf', expected '$leaf'); .NET cannot unload it. Start a new pwsh session " +
            "and import the module again.")
    }

    $cacheFolder = Get-ExcertCacheFolder
    $cached = [IO.Path]::Combine($cacheFolder, $leaf)
    # Loading an assembly runs its code: only from a folder no one else can write (issue 23).
    $cacheable = Confirm-ExcertPrivateFolder -Folder $cacheFolder
    if ($cacheable -and (Confirm-ExcertPrivateFile -Path $cached)) {
        try {
            $assembly = [Reflection.Assembly]::LoadFrom($cached)
            $PSCmdlet.WriteVerbose("excert shim loaded from cache $cached")
            return $assembly
        } catch {
            # A truncated or foreign file: compile afresh below, replacing it.
            $PSCmdlet.WriteVerbose("excert shim cache $cached unusable ($($_.Exception.Message)); compiling")
        }
    }

    # Compile into a private folder under the final name, then rename into place: another
    # process importing at the same time never sees a half-written file.
    try {
        if (-not $cacheable) { throw "the cache folder $cacheFolder is not private to this user" }
        $work = [IO.Path]::Combine($cacheFolder, "tmp-$PID-$([Guid]::NewGuid().ToString('N'))")
        $null = New-ExcertPrivateFolder -Path $work
    } catch {
        # No writable cache (read-only home): compile for this session only, in a folder of our
        # own. Never a fixed name in the shared temp folder, where another user could plant a DLL.
        $cacheable = $false
        $work = [IO.Path]::Combine([IO.Path]::GetTempPath(), "excert-shim-$([Guid]::NewGuid().ToString('N'))")
        $null = New-ExcertPrivateFolder -Path $work
        $PSCmdlet.WriteVerbose("excert cache folder $cacheFolder not writable ($($_.Exception.Message)); compiling for this session only")
    }
    $built = [IO.Path]::Combine($work, $leaf)
    try {
        $PSCmdlet.WriteVerbose("compiling excert shim $SourcePath")
        Add-Type -LiteralPath $SourcePath -OutputAssembly $built -OutputType Library -ErrorAction Stop
        # Born with the umask's mode (0666 under umask 000): owner-only before anyone can see it.
        if (-not $IsWindows) { [IO.File]::SetUnixFileMode($built, [IO.UnixFileMode]'UserRead, UserWrite') }
        if (-not $cacheable) {
            return [Reflection.Assembly]::LoadFrom($built)
        }
        try {
            [IO.File]::Move($built, $cached, $true)
        } catch {
            # Lost a race with another importer (or the file is in use on Windows): theirs is
            # the same source compiled the same way, use it.
            if (-not [IO.File]::Exists($cached)) { throw }
        }
    } finally {
        # The session-only build stays while loaded on Windows; elsewhere it can go at once.
        if ($cacheable -or -not $IsWindows) {
            try { [IO.Directory]::Delete($work, $true) } catch { $PSCmdlet.WriteVerbose("could not remove $work") }
        }
    }
    [Reflection.Assembly]::LoadFrom($cached)
}
