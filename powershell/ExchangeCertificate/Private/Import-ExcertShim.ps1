function Import-ExcertShim {
    <#
    .SYNOPSIS
    Loads the module's compiled C# (the cmdlets and the shim, the module's .cs files),
    compiling it into the cache first when needed.

    .DESCRIPTION
    The assembly is cached as <key>/ExchangeCertificate.dll, where the key holds the module
    version, a SHA-256 over the source files (Get-ExcertShimHash) and the .NET major version (an
    assembly compiled against one runtime's reference set is not guaranteed to load in an older
    one), so a changed source or runtime never loads a stale assembly. The file keeps the
    installed module's name: Get-Help finds a cmdlet's help by its assembly's file name
    (en-US/ExchangeCertificate.dll-Help.xml). A warm import only loads the file; compiling costs
    more than a second.

    A plain function, as the other helpers of the import: they run on every import and need
    none of an advanced function's parameter binding.
    #>
    param(
        [string[]] $SourcePath,
        [version] $ModuleVersion
    )

    $key = 'ExcertNative-{0}-{1}-net{2}' -f $ModuleVersion, (Get-ExcertShimHash -SourcePath $SourcePath), [Environment]::Version.Major
    $leaf = 'ExchangeCertificate.dll'

    $loaded = 'Excert.Cmdlets.ModuleImport' -as [type]
    if ($loaded) {
        $loadedKey = [IO.Path]::GetFileName([IO.Path]::GetDirectoryName($loaded.Assembly.Location))
        if ($loadedKey -eq $key) {
            Write-ExcertNote "excert shim already loaded from $($loaded.Assembly.Location)"
            return $loaded.Assembly
        }
        throw ("This PowerShell session already holds another build of the excert module " +
            "('$($loaded.Assembly.Location)', expected '$key'); .NET cannot unload it. Start a new " +
            "pwsh session and import the module again.")
    }

    $cacheFolder = Get-ExcertCacheFolder
    $keyFolder = [IO.Path]::Combine($cacheFolder, $key)
    $cached = [IO.Path]::Combine($keyFolder, $leaf)
    $cacheable = Confirm-ExcertPrivateFolder -Folder $cacheFolder
    if ($cacheable -and [IO.Directory]::Exists($keyFolder) -and (Confirm-ExcertPrivateFolder -Folder $keyFolder) -and
        (Confirm-ExcertPrivateFile -Path $cached)) {
        try {
            $assembly = [Reflection.Assembly]::LoadFrom($cached)
            Write-ExcertNote "excert shim loaded from cache $cached"
            return $assembly
        } catch {
            Write-ExcertNote "excert shim cache $cached unusable ($($_.Exception.Message)); compiling"
        }
    }

    try {
        if (-not $cacheable) { throw "the cache folder $cacheFolder is not private to this user" }
        $work = [IO.Path]::Combine($cacheFolder, "tmp-$PID-$([Guid]::NewGuid().ToString('N'))")
        $null = New-ExcertPrivateFolder -Path $work
    } catch {
        $cacheable = $false
        $work = [IO.Path]::Combine([IO.Path]::GetTempPath(), "excert-shim-$([Guid]::NewGuid().ToString('N'))")
        $null = New-ExcertPrivateFolder -Path $work
        Write-ExcertNote "excert cache folder $cacheFolder not writable ($($_.Exception.Message)); compiling for this session only"
    }
    $built = [IO.Path]::Combine($work, $leaf)
    Write-ExcertNote "compiling excert shim $SourcePath"
    try {
        Add-Type -LiteralPath $SourcePath -OutputAssembly $built -OutputType Library -CompilerOptions $script:ExcertShimCompilerOptions -ErrorAction Stop
        # Born with the umask's mode (0666 under umask 000): owner-only before anyone can see it.
        if (-not $IsWindows) { [IO.File]::SetUnixFileMode($built, [IO.UnixFileMode]'UserRead, UserWrite') }
    } catch {
        try { [IO.Directory]::Delete($work, $true) } catch { Write-ExcertNote "could not remove $work" }
        throw
    }
    if (-not $cacheable) {
        $assembly = [Reflection.Assembly]::LoadFrom($built)
        # A loaded file stays readable once deleted, except on Windows.
        if (-not $IsWindows) { try { [IO.Directory]::Delete($work, $true) } catch { Write-ExcertNote "could not remove $work" } }
        return $assembly
    }
    try {
        # Published whole: a reader sees the key's folder with its file, or no folder.
        if ([IO.Directory]::Exists($keyFolder)) { [IO.Directory]::Delete($keyFolder, $true) }
        [IO.Directory]::Move($work, $keyFolder)
    } catch {
        # Lost a race with another importer (or the file is in use on Windows): theirs is
        # the same source compiled the same way, use it.
        if (-not [IO.File]::Exists($cached)) { throw }
        try { [IO.Directory]::Delete($work, $true) } catch { Write-ExcertNote "could not remove $work" }
    }
    [Reflection.Assembly]::LoadFrom($cached)
}
