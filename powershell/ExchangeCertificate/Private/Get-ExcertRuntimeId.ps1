function Get-ExcertRuntimeId {
    <#
    .SYNOPSIS
    The .NET runtime identifier of this process (linux-x64, osx-arm64, win-x64 ...): the
    bin/<rid>/ folder the module's library is looked for in (Excert.Library, LibraryDiscovery.cs).
    #>
    param()

    [Excert.Library]::RuntimeId
}
