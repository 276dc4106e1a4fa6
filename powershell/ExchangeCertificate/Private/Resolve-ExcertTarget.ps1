function Resolve-ExcertTarget {
    <#
    .SYNOPSIS
    The certificate a cmdlet acts on, from -Thumbprint/-Server or -Identity, as request fields.

    .DESCRIPTION
    Returns an [Excert.TargetCertificate] (TargetCertificate.cs): Server, Thumbprint, Identity (the request fields,
    the unused ones $null, which Invoke-ExcertNative leaves out), Target (the ErrorRecord's target) and
    Where (how -WhatIf and -Confirm name the certificate). An identity ('SERVER\THUMBPRINT', SERVER a
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

    [Excert.TargetCertificate]::Of($ParameterSetName, $Thumbprint, $Identity, $Server)
}
