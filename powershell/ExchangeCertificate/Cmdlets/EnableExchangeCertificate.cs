// Enable-ExchangeCertificate: its parameters as Exchange declares them; the work is in the C# body
// it calls.

using System.Management.Automation;

namespace Excert.Cmdlets
{
    [Cmdlet("Enable", "ExchangeCertificate", SupportsShouldProcess = true, DefaultParameterSetName = "Thumbprint")]
    [OutputType("Excert.ExchangeCertificate")]
    public sealed class EnableExchangeCertificate : PSCmdlet
    {
        [Parameter(ParameterSetName = "Thumbprint", Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Thumbprint { get; set; }

        [Parameter(ParameterSetName = "Identity", Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string Identity { get; set; }

        [Parameter(ParameterSetName = "Thumbprint", ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Server { get; set; }

        [Parameter(Mandatory = true)]
        public AllowedServices Services { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter DoNotRequireSsl { get; set; }

        [Parameter]
        public SwitchParameter NetworkServiceAllowed { get; set; }

        [Parameter]
        public string DomainController { get; set; }

        protected override void ProcessRecord() =>
            EnableCommand.Process(this, MyInvocation.BoundParameters, ModuleImport.Library, Thumbprint, Server);
    }
}
