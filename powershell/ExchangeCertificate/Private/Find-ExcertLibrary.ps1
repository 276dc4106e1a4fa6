function Find-ExcertLibrary {
    <#
    .SYNOPSIS
    The absolute path of the native excert library, or a terminating error
    naming every place looked in.

    .DESCRIPTION
    1. $env:EXCERT_LIBRARY, an absolute path to the file. When set it is the only candidate: a
       user who names a library must not silently get another one.
    2. bin/<rid>/ inside the module folder (an installed module).
    3. The checkout's target/release, then target/debug (module loaded from the source tree).
    #>
    param(
        [string] $ModuleRoot,
        [string] $FileName
    )

    if ($env:EXCERT_LIBRARY) {
        $path = $env:EXCERT_LIBRARY
        if (-not [IO.Path]::IsPathFullyQualified($path)) {
            throw "EXCERT_LIBRARY must be an absolute path to $FileName, but it is '$path'. Set it to the full path, or unset it to use the module's own library."
        }
        if (-not [IO.File]::Exists($path)) {
            throw "EXCERT_LIBRARY points at '$path', but no file is there. Fix the path, or unset EXCERT_LIBRARY to search the module's bin/$(Get-ExcertRuntimeId)/ folder and the source tree's target/release and target/debug."
        }
        return $path
    }

    $checkout = [IO.Path]::GetFullPath([IO.Path]::Combine($ModuleRoot, '..', '..', 'target'))
    $candidates = @(
        [IO.Path]::Combine($ModuleRoot, 'bin', (Get-ExcertRuntimeId), $FileName)
        [IO.Path]::Combine($checkout, 'release', $FileName)
        [IO.Path]::Combine($checkout, 'debug', $FileName)
    )
    foreach ($candidate in $candidates) {
        if ([IO.File]::Exists($candidate)) { return $candidate }
    }
    $list = ($candidates | ForEach-Object { "  $_" }) -join [Environment]::NewLine
    throw ("The excert native library ($FileName) was not found. Looked in:" + [Environment]::NewLine +
        "  `$env:EXCERT_LIBRARY (not set)" + [Environment]::NewLine + $list + [Environment]::NewLine +
        "Build it with 'cargo build --release' in the source tree, install the module with its bin/$(Get-ExcertRuntimeId)/ folder, or set EXCERT_LIBRARY to the library's absolute path.")
}
