function Get-ExcertRequestBody {
    <#
    .SYNOPSIS
    The request as the library reads it, as an ordered hashtable: members with a $null value
    left out (the core's list fields refuse null), StoreRoot from $env:EXCERT_STORE when set and
    not given. [Excert.Requests]::ToJson writes the same in one call; this is for the two paths
    that need the members themselves: ConvertTo-Json (a value the shim's writer does not know)
    and the Write-Debug line.
    #>
    param([System.Collections.IDictionary] $Request)

    $body = [ordered]@{}
    foreach ($key in $Request.Keys) {
        if ($null -ne $Request[$key]) { $body[$key] = $Request[$key] }
    }
    if ($env:EXCERT_STORE -and -not $body.Contains('StoreRoot')) {
        $body['StoreRoot'] = $env:EXCERT_STORE
    }
    $body
}
