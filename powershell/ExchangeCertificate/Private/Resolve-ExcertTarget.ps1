function Resolve-ExcertTarget {
    <#
    .SYNOPSIS
    The server and thumbprint a cmdlet acts on, from -Thumbprint/-Server or -Identity.

    .DESCRIPTION
    Returns [pscustomobject]@{ Server; Thumbprint; Target } (Server $null for this host), or an
    InvalidArgument ErrorRecord when -Identity names no thumbprint. 'SERVER\THUMB' and a bare
    thumbprint are both accepted as an identity; the thumbprint itself is checked by the core.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $ParameterSetName,
        [AllowNull()] [AllowEmptyString()] [string] $Thumbprint,
        [AllowNull()] [AllowEmptyString()] [string] $Identity,
        [AllowNull()] [AllowEmptyString()] [string] $Server
    )

    if ($ParameterSetName -ne 'Identity') {
        return [pscustomobject]@{
            Server     = if ($Server) { $Server } else { $null }
            Thumbprint = $Thumbprint
            Target     = $Thumbprint
        }
    }
    $serverName = if ($Server) { $Server } else { $null }
    $slash = $Identity.LastIndexOf('\')
    $thumb = $Identity
    if ($slash -ge 0) {
        if ($slash -gt 0) { $serverName = $Identity.Substring(0, $slash) }
        $thumb = $Identity.Substring($slash + 1)
    }
    if (-not $thumb.Trim()) {
        $exception = [System.ArgumentException]::new("The Identity '$Identity' names no thumbprint; give it as 'Server\Thumbprint'.")
        return [System.Management.Automation.ErrorRecord]::new($exception, 'InvalidArgument',
            [System.Management.Automation.ErrorCategory]::InvalidArgument, $Identity)
    }
    [pscustomobject]@{ Server = $serverName; Thumbprint = $thumb; Target = $Identity }
}
