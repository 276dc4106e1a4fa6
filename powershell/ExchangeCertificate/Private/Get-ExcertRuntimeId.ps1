function Get-ExcertRuntimeId {
    <#
    .SYNOPSIS
    The .NET runtime identifier of this process (linux-x64, osx-arm64, win-x64 ...).
    #>
    param()

    $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
    # The process, not the OS: x64 pwsh under emulation on Arm64 needs the x64 library.
    $arch = [Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant()
    "$os-$arch"
}
