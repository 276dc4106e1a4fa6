function Get-ExcertShimHash {
    <#
    .SYNOPSIS
    The shim's cache key: 16 hex digits of the SHA-256 over each source file's name and SHA-256,
    in the order given, and the compiler options (a changed, added or renamed file, or an
    assembly compiled another way, changes it).
    #>
    param([string[]] $SourcePath)

    $text = [Text.StringBuilder]::new()
    foreach ($path in $SourcePath) {
        $digest = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([IO.File]::ReadAllBytes($path)))
        $null = $text.Append([IO.Path]::GetFileName($path)).Append(' ').Append($digest).Append("`n")
    }
    $null = $text.Append('options ').Append($script:ExcertShimCompilerOptions -join ' ').Append("`n")
    $bytes = [Text.Encoding]::UTF8.GetBytes($text.ToString())
    [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($bytes)).Substring(0, 16).ToLowerInvariant()
}
