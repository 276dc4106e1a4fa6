// Get-ExchangeCertificate: its parameters as Exchange declares them; the work is in the C# body
// it calls.

using System.Management.Automation;

namespace Excert.Cmdlets
{
    [Cmdlet("Get", "ExchangeCertificate", DefaultParameterSetName = "Thumbprint")]
    [OutputType("Excert.ExchangeCertificate", "Excert.ExchangeCertificateRequest")]
    public sealed class GetExchangeCertificate : PSCmdlet
    {
        [Parameter(ParameterSetName = "Thumbprint", Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Thumbprint { get; set; }

        [Parameter(ParameterSetName = "Identity", Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string Identity { get; set; }

        [Parameter(ParameterSetName = "Instance", Mandatory = true)]
        [ValidateNotNull]
        public PSObject Instance { get; set; }

        [Parameter(ParameterSetName = "Thumbprint", ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = "Instance")]
        [ValidateNotNullOrEmpty]
        public string Server { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] DomainName { get; set; }

        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int ExpiringWithinDays { get; set; }

        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int ExpiryWarningDays { get; set; }

        [Parameter]
        public string DomainController { get; set; }

        [Parameter]
        public SwitchParameter RefreshRevocation { get; set; }

        [Parameter]
        public SwitchParameter OfflineRevocation { get; set; }

        protected override void ProcessRecord() =>
            GetCommand.Process(this, MyInvocation.BoundParameters, ModuleImport.Library, Thumbprint, Server);
    }
}
