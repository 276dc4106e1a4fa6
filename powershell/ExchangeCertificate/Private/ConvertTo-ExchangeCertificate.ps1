function ConvertTo-ExcertDateTime {
    <#
    .SYNOPSIS
    An RFC 3339 answer date as a [datetime] of Kind Utc.

    .DESCRIPTION
    Kept in UTC (Kind Utc) rather than local time: the store, the native answers and openssl all
    speak UTC, and a Utc DateTime still prints and compares correctly; ToLocalTime() is one call
    away for display. [datetime] and [DateTimeOffset] values are accepted too. The rule lives in
    the shim ([Excert.Answers]::ToUtcDate), which converts every answer.
    #>
    [CmdletBinding()]
    [OutputType([datetime])]
    param([Parameter(Mandatory)] [AllowNull()] [object] $Value)

    [Excert.Answers]::ToUtcDate($Value)
}

function ConvertTo-ExchangeCertificate {
    <#
    .SYNOPSIS
    A parsed ExchangeCertificate object as the cmdlets output it.

    .DESCRIPTION
    A [pscustomobject] whose first type name is 'ExchangeCertificate' (the format views key on
    it), with Exchange's property names in the order of the contract: NotBefore/NotAfter as
    [datetime] (UTC), Services as [Excert.AllowedServices], RawData as byte[], list properties
    as [string[]], numbers as [int]. Properties this module does not know yet pass through as
    given, so a newer library's additions are not lost.

    Invoke-ExcertNative already returns an answer's Certificate and Certificates converted (the
    shim does it while parsing, [Excert.Answers]); those pass through unchanged. Anything else
    (ConvertFrom-Json output, dates as text or as [datetime]) is converted by the same rules.
    #>
    [CmdletBinding()]
    [OutputType('ExchangeCertificate')]
    param(
        [Parameter(Mandatory, ValueFromPipeline)]
        [object] $InputObject
    )

    process {
        [Excert.Answers]::ToExchangeCertificate($InputObject)
    }
}
