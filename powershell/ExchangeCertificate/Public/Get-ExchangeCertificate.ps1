function Get-ExchangeCertificate {
    <#
    .SYNOPSIS
    Lists the certificates and pending requests of a server, as Exchange Server's
    Get-ExchangeCertificate does.

    .DESCRIPTION
    Without -Thumbprint or -Identity, lists every certificate and pending request of the server
    (newest NotBefore first); -DomainName keeps those whose subject or subject alternative names
    match one of the names (wildcards * and ? honoured, case-insensitive). With a thumbprint,
    returns that certificate, or a non-terminating NotFound error.

    A certificate within 30 days of its NotAfter date comes with a warning.

    .PARAMETER Thumbprint
    The certificate's thumbprint (SHA-1 of its DER encoding), in any case, spaces allowed.
    Accepted from the pipeline, by value and by property name.

    .PARAMETER Identity
    'Server\Thumbprint', as in the Identity property of the output.

    .PARAMETER Server
    The server whose store is read; '*' lists every server. Default this host's name.

    .PARAMETER DomainName
    Names to match against the subject and the subject alternative names; wildcards allowed.

    .EXAMPLE
    Get-ExchangeCertificate

    Thumbprint                                Services Subject
    ----------                                -------- -------
    5E6A5A7A5A5B7FDBC8A9AA51B5F5AB41B8B7D1A1  ...WS..  CN=mail.contoso.com, O=Contoso, C=US

    .EXAMPLE
    Get-ExchangeCertificate -Thumbprint 5E6A5A7A5A5B7FDBC8A9AA51B5F5AB41B8B7D1A1 | Format-List *

    Every property of one certificate.

    .EXAMPLE
    Get-ExchangeCertificate -DomainName *.contoso.com -Server '*'

    The certificates for contoso.com names, on every server in the store.

    .OUTPUTS
    ExchangeCertificate

    .LINK
    New-ExchangeCertificate
    #>
    [CmdletBinding(DefaultParameterSetName = 'Thumbprint')]
    [OutputType('ExchangeCertificate')]
    param(
        [Parameter(ParameterSetName = 'Thumbprint', Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [ValidateNotNullOrEmpty()]
        [string] $Thumbprint,

        [Parameter(ParameterSetName = 'Identity', Mandatory)]
        [ValidateNotNullOrEmpty()]
        [string] $Identity,

        # By property name too, so a listing of several servers pipes back to the right one.
        [Parameter(ParameterSetName = 'Thumbprint', ValueFromPipelineByPropertyName)]
        [ValidateNotNullOrEmpty()]
        [string] $Server,

        [ValidateNotNullOrEmpty()]
        [string[]] $DomainName
    )

    process {
        $serverName = if ($PSBoundParameters.ContainsKey('Server')) { $Server } else { $null }
        $thumb = if ($PSBoundParameters.ContainsKey('Thumbprint')) { $Thumbprint } else { $null }
        $target = $thumb
        if ($PSCmdlet.ParameterSetName -eq 'Identity') {
            $target = $Identity
            $slash = $Identity.LastIndexOf('\')
            if ($slash -ge 0) {
                if ($slash -gt 0) { $serverName = $Identity.Substring(0, $slash) }
                $thumb = $Identity.Substring($slash + 1)
            } else {
                $thumb = $Identity
            }
            if (-not $thumb.Trim()) {
                $exception = [System.ArgumentException]::new("The Identity '$Identity' names no thumbprint; give it as 'Server\Thumbprint'.")
                $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($exception, 'InvalidArgument',
                        [System.Management.Automation.ErrorCategory]::InvalidArgument, $Identity))
                return
            }
        }

        $request = [ordered]@{}
        if ($serverName) { $request['Server'] = $serverName }
        if ($thumb -and -not $DomainName) {
            $request['Thumbprint'] = $thumb
            $answer = Invoke-ExcertNative -Function excert_certificate_get -Request $request -TargetObject $target
            if ($answer -is [System.Management.Automation.ErrorRecord]) {
                $PSCmdlet.WriteError($answer)
                return
            }
            ConvertTo-ExchangeCertificate -InputObject $answer.Certificate
            return
        }

        # A listing, optionally narrowed to one thumbprint and to names.
        if ($thumb) { $request['Thumbprint'] = $thumb }
        if ($DomainName) { $request['DomainName'] = [string[]]$DomainName }
        $answer = Invoke-ExcertNative -Function excert_certificate_list -Request $request -TargetObject $target
        if ($answer -is [System.Management.Automation.ErrorRecord]) {
            $PSCmdlet.WriteError($answer)
            return
        }
        foreach ($certificate in @($answer.Certificates)) {
            if ($null -ne $certificate) { ConvertTo-ExchangeCertificate -InputObject $certificate }
        }
    }
}
