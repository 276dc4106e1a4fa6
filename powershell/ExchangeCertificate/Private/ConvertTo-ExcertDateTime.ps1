function ConvertTo-ExcertDateTime {
    <#
    .SYNOPSIS
    An RFC 3339 answer date as a [datetime] of Kind Utc.

    .DESCRIPTION
    Kept in UTC (Kind Utc) rather than local time: the store, the native answers and openssl all
    speak UTC, and a Utc DateTime still prints and compares correctly; ToLocalTime() is one call
    away for display. [datetime] and [DateTimeOffset] values are accepted too. The rule lives in
    the shim ([Excert.AnswerValues]::ToUtcDate), which converts every answer.
    #>
    [CmdletBinding()]
    [OutputType([datetime])]
    param([Parameter(Mandatory)] [AllowNull()] [object] $Value)

    [Excert.AnswerValues]::ToUtcDate($Value)
}
