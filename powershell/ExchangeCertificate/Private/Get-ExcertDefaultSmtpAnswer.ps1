function Get-ExcertDefaultSmtpAnswer {
    <#
    .SYNOPSIS
    The answer to Exchange's question "replace the default SMTP certificate?": Replace or Keep;
    throws when nobody can answer.

    .DESCRIPTION
    -Confirm:$false given to the cmdlet answers Replace without asking (-Force is handled before
    the question arises). Otherwise the user is asked (Read-ExcertConfirmation): Yes is Replace,
    No is Keep. A session that cannot ask (pwsh -NonInteractive, a host without UI) gets the
    refusal again, ErrorId ConfirmationRequired, with a message naming the parameter to add.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [string] $Function,
        # The ConfirmationRequired ErrorRecord the operation answered.
        [Parameter(Mandatory)] [System.Management.Automation.ErrorRecord] $Refusal
    )

    $bound = $Cmdlet.MyInvocation.BoundParameters
    if ($bound.ContainsKey('Confirm') -and -not $bound['Confirm']) { return 'Replace' }
    $question = $Refusal.Exception.Message
    if (-not (Test-ExcertCanPrompt)) {
        $message = "$question. This session cannot ask (it is not interactive): add -Force (or -Confirm:`$false) to replace the default SMTP certificate, or leave SMTP out of -Services to keep it."
        throw (New-ExcertErrorRecord -Function $Function -Code $Refusal.Exception.Code -TargetObject $Refusal.TargetObject -ErrorJson (
                ConvertTo-Json -Compress @{ Name = $Refusal.Exception.Name; Category = [string]$Refusal.CategoryInfo.Category; Message = $message }))
    }
    $yes = Read-ExcertConfirmation -Cmdlet $Cmdlet -Query "$question. Yes makes this certificate the default SMTP certificate; No keeps the current one and still does the rest." -Caption 'Replace the default SMTP certificate?'
    if ($yes) { 'Replace' } else { 'Keep' }
}
