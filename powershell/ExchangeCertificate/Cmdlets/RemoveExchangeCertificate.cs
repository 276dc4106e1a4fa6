// Remove-ExchangeCertificate: its parameters as Exchange declares them; the work is in the C# body
// it calls.

using System.Management.Automation;

namespace Excert.Cmdlets
{
    [Cmdlet("Remove", "ExchangeCertificate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "Thumbprint")]
    [OutputType(typeof(void))]
    public sealed class RemoveExchangeCertificate : PSCmdlet
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

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public string DomainController { get; set; }

        protected override void ProcessRecord() =>
            RemoveCommand.Process(this, MyInvocation.BoundParameters, ModuleImport.Library, Thumbprint, Identity, Server, Force);
    }
}
