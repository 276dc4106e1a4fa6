function Resolve-ExcertTarget {
    <#
    .SYNOPSIS
    The certificate a cmdlet acts on, from -Thumbprint/-Server or -Identity, as request fields.

    .DESCRIPTION
    Returns [pscustomobject]@{ Server; Thumbprint; Identity; Target; Where }: the request fields
    (the unused ones $null, which Invoke-ExcertNative leaves out), the ErrorRecord's target, and
    how -WhatIf and -Confirm name the certificate. An identity ('SERVER\THUMBPRINT', SERVER a
    name or an FQDN, or a bare thumbprint) goes to the core as it is: the core splits it,
    resolves the server and refuses a malformed one.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $ParameterSetName,
        [AllowNull()] [AllowEmptyString()] [string] $Thumbprint,
        [AllowNull()] [AllowEmptyString()] [string] $Identity,
        [AllowNull()] [AllowEmptyString()] [string] $Server
    )

    $serverName = if ($Server) { $Server } else { $null }
    if ($ParameterSetName -eq 'Identity') {
        $where = if ($serverName) { "$Identity on $serverName" } else { $Identity }
        return [pscustomobject]@{ Server = $serverName; Thumbprint = $null; Identity = $Identity; Target = $Identity; Where = $where }
    }
    $where = if ($serverName) { "$Thumbprint on $serverName" } else { "$Thumbprint on this server" }
    [pscustomobject]@{ Server = $serverName; Thumbprint = $Thumbprint; Identity = $null; Target = $Thumbprint; Where = $where }
}
