function Write-ExcertNativeDebug {
    <#
    .SYNOPSIS
    Invoke-ExcertNative's Write-Debug lines, apart so that a call made without -Debug does not
    compile them: the request (-Request) with FileData reduced to its length (a PFX without
    password holds a key in the clear), or the result code (-Result). Never an answer, which may
    hold a PFX.
    #>
    param([string] $Function, [System.Collections.IDictionary] $Request, [bool] $WithSecret, [object] $Result)

    if ($null -ne $Result) {
        Write-Debug "excert: $Function returned $($Result.Code) ($($script:ExcertLibrary.ResultName($Result.Code)))"
        return
    }
    $shown = Get-ExcertRequestBody $Request
    if ($shown.Contains('FileData')) { $shown['FileData'] = "<$(([string]$shown['FileData']).Length) Base64 characters>" }
    $how = if ($WithSecret) { ' with a password' } else { '' }
    Write-Debug "excert: $Function$how $(ConvertTo-Json -InputObject $shown -Depth 10 -Compress)"
}
