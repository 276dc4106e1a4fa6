function Resolve-ExcertTarget {
    <#
    .SYNOPSIS
    The server and thumbprint a cmdlet acts on, from -Thumbprint/-Server or -Identity.

    .DESCRIPTION
    Returns [pscustomobject]@{ Server; Thumbprint; Target } (Server $null for this host), and
    throws an InvalidArgument ErrorRecord when -Identity names no thumbprint. 'SERVER\THUMB'
    (SERVER a name or an FQDN, resolved by the core) and a bare thumbprint are both accepted as
    an identity; the thumbprint itself is checked by the core.
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
        throw (New-ExcertErrorRecord -Message "The Identity '$Identity' names no thumbprint; give it as 'Server\Thumbprint'." `
                -ErrorId InvalidArgument -Category InvalidArgument -TargetObject $Identity)
    }
    [pscustomobject]@{ Server = $serverName; Thumbprint = $thumb; Target = $Identity }
}
