function Resolve-ExcertInstance {
    <#
    .SYNOPSIS
    The thumbprint and server of an -Instance: an ExchangeCertificate (also deserialized, from
    remoting), an X509Certificate2, anything with a Thumbprint property, or a thumbprint string.

    .DESCRIPTION
    Returns [pscustomobject]@{ Thumbprint; Server } (Server $null when the object names none);
    throws InvalidArgument when there is no thumbprint to take.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [AllowNull()] [psobject] $Instance
    )

    $base = if ($null -ne $Instance) { $Instance.PSObject.BaseObject } else { $null }
    $thumb = if ($base -is [string]) { $base }
    elseif ($null -ne $Instance -and $Instance.PSObject.Properties['Thumbprint']) { [string]$Instance.Thumbprint }
    else { $null }
    if (-not $thumb) {
        throw (New-ExcertErrorRecord -Message 'The certificate given as -Instance has no Thumbprint: pipe in Get-ExchangeCertificate output or an X509Certificate2, or give a thumbprint.' `
                -ErrorId InvalidArgument -Category InvalidArgument -TargetObject $Instance)
    }
    $server = if ($base -isnot [string] -and $Instance.PSObject.Properties['Server'] -and $Instance.Server) { [string]$Instance.Server } else { $null }
    [pscustomobject]@{ Thumbprint = $thumb; Server = $server }
}
