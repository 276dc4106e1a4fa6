function Get-ExcertCacheFolder {
    <#
    .SYNOPSIS
    The per-user cache folder of excert (the compiled shim lives there).
    #>
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
