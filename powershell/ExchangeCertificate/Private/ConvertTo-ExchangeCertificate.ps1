function ConvertTo-ExchangeCertificate {
    <#
    .SYNOPSIS
    A parsed certificate object as the cmdlets output it.

    .DESCRIPTION
    A certificate (the answer has RawData) becomes an [Excert.ExchangeCertificate], an
    X509Certificate2 built by .NET from RawData with Exchange's properties from the answer
    (Services as [Excert.AllowedServices], list properties as [string[]], numbers as [int]); a
    pending request, which has no certificate yet, a property bag typed
    'Excert.ExchangeCertificateRequest' in the contract's property order (dates as local
    [datetime]s). Properties this module does not know yet are added as they are given, so a
    newer library's additions are not lost.

    Invoke-ExcertNative already returns an answer's Certificate and Certificates converted (the
    shim does it while parsing, [Excert.Answers]); those pass through unchanged. Anything else
    (ConvertFrom-Json output, dates as text or as [datetime]) is converted by the same rules.
    #>
    [CmdletBinding()]
    [OutputType('Excert.ExchangeCertificate', 'Excert.ExchangeCertificateRequest')]
    param(
        [Parameter(Mandatory, ValueFromPipeline)]
        [object] $InputObject
    )

    process {
        [Excert.Answers]::ToExchangeCertificate($InputObject)
    }
}
