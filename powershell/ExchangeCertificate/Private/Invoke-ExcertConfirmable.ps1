function Invoke-ExcertConfirmable {
    <#
    .SYNOPSIS
    Calls an operation that may answer ConfirmationRequired (the server's default SMTP
    certificate would change) and acts on the answer to Exchange's question.

    .DESCRIPTION
    With Force in the request nothing is asked. Otherwise, on ConfirmationRequired, the answer
    comes from Get-ExcertDefaultSmtpAnswer: Replace calls again with Force; Keep calls again
    with KeepDefaultSMTP, so the operation still happens (the certificate is made, the other
    services assigned, SMTP added without becoming the default), as Exchange does on No.
    Returns the answer; throws the ErrorRecord of a failure (New-ExcertErrorRecord).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [string] $Function,
        [Parameter(Mandatory)] [System.Collections.IDictionary] $Request,
        [AllowNull()] [object] $TargetObject
    )

    if ($Request['Force']) {
        return Invoke-ExcertNative -Function $Function -Request $Request -TargetObject $TargetObject
    }
    $refusal = $null
    try {
        return Invoke-ExcertNative -Function $Function -Request $Request -TargetObject $TargetObject
    } catch {
        if ($_.Exception -isnot [Excert.ExcertException] -or $_.Exception.Name -ne 'ConfirmationRequired') { throw }
        $refusal = $_
    }
    $answer = Get-ExcertDefaultSmtpAnswer -Cmdlet $Cmdlet -Function $Function -Refusal $refusal
    if ($answer -eq 'Replace') {
        $Request['Force'] = $true
    } else {
        Write-Verbose 'The default SMTP certificate stays as it is; SMTP is added without making this one the default.'
        $Request['KeepDefaultSMTP'] = $true
    }
    Invoke-ExcertNative -Function $Function -Request $Request -TargetObject $TargetObject
}
