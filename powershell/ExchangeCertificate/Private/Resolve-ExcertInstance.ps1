function Resolve-ExcertInstance {
    <#
    .SYNOPSIS
    The thumbprint and server of an -Instance: an ExchangeCertificate (also deserialized, from
    remoting), an X509Certificate2, anything with a Thumbprint property, or a thumbprint string.

    .DESCRIPTION
    Returns an [Excert.TargetCertificate] (TargetCertificate.cs): Thumbprint, and Server ($null when
    the object names none);
    throws InvalidArgument when there is no thumbprint to take.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [AllowNull()] [psobject] $Instance
    )

    try {
        [Excert.TargetCertificate]::OfInstance($Instance, $null)
    } catch {
        # A .NET method's exception comes wrapped ("Exception calling ..."): throw the record.
        if ($_.Exception.InnerException -is [Excert.ExcertErrorException]) { throw $_.Exception.InnerException.ErrorRecord }
        throw
    }
}
