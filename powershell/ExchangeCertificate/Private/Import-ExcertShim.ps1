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

    An installed module carries its shim compiled (scripts/package-module): -ShippedPath loads
    that file as it is, as trusted as the module's scripts beside it, with no source hash and no
    per-user cache. (The .psm1 loads a shipped shim itself on a session's first import, sparing
    this call; -ShippedPath serves re-imports, whose shim is already loaded.)

    A plain function, as the other helpers of the import: they run on every import and need
    none of an advanced function's parameter binding.
    #>
    param(
        [string[]] $SourcePath,
        [version] $ModuleVersion,
        [string] $ShippedPath
    )

    $leaf = if ($ShippedPath) {
        [IO.Path]::GetFileName($ShippedPath)
    } else {
        'ExcertNative-{0}-{1}-net{2}.dll' -f $ModuleVersion, (Get-ExcertShimHash -SourcePath $SourcePath), [Environment]::Version.Major
    }

    # Already loaded in this session (a re-import): an assembly cannot be unloaded, so reuse it,
    # or refuse when it came from different sources, whose types would clash with the new ones.
    $loaded = 'Excert.Library' -as [type]
    if ($loaded) {
        $loadedLeaf = [IO.Path]::GetFileName($loaded.Assembly.Location)
        if ($loadedLeaf -eq $leaf) {
            Write-ExcertNote "excert shim already loaded from $($loaded.Assembly.Location)"
            return $loaded.Assembly
        }
        throw ("This PowerShell session already holds another build of the excert shim " +
            "('$loadedLeaf', expected '$leaf'); .NET cannot unload it. Start a new pwsh session " +
            "and import the module again.")
    }

    if ($ShippedPath) {
        return [Reflection.Assembly]::LoadFrom($ShippedPath)
    }

    $cacheFolder = Get-ExcertCacheFolder
    $cached = [IO.Path]::Combine($cacheFolder, $leaf)
    # Loading an assembly runs its code: only from a folder no one else can write (docs/security.md).
    $cacheable = Confirm-ExcertPrivateFolder -Folder $cacheFolder
    if ($cacheable -and (Confirm-ExcertPrivateFile -Path $cached)) {
        try {
            $assembly = [Reflection.Assembly]::LoadFrom($cached)
            Write-ExcertNote "excert shim loaded from cache $cached"
            return $assembly
        } catch {
            # A truncated or foreign file: compile afresh below, replacing it.
            Write-ExcertNote "excert shim cache $cached unusable ($($_.Exception.Message)); compiling"
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
        Write-ExcertNote "excert cache folder $cacheFolder not writable ($($_.Exception.Message)); compiling for this session only"
    }
    $built = [IO.Path]::Combine($work, $leaf)
    try {
        Write-ExcertNote "compiling excert shim $SourcePath"
        Add-Type -LiteralPath $SourcePath -OutputAssembly $built -OutputType Library -CompilerOptions $script:ExcertShimCompilerOptions -ErrorAction Stop
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
            try { [IO.Directory]::Delete($work, $true) } catch { Write-ExcertNote "could not remove $work" }
        }
    }
    [Reflection.Assembly]::LoadFrom($cached)
}
