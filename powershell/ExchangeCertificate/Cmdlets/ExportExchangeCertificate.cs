// Export-ExchangeCertificate: its parameters as Exchange declares them; the work is in the C# body
// it calls.

using System.Management.Automation;
using System.Security;

namespace Excert.Cmdlets
{
    [Cmdlet("Export", "ExchangeCertificate", SupportsShouldProcess = true, DefaultParameterSetName = "Thumbprint")]
    [OutputType(typeof(string))]
    public sealed class ExportExchangeCertificate : PSCmdlet
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
        public SwitchParameter BinaryEncoded { get; set; }

        [Parameter]
        public SecureString Password { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string FileName { get; set; }

        [Parameter]
        [ValidateSet("Modern", "Legacy")]
        public string Encryption { get; set; } = "Modern";

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public string DomainController { get; set; }

        protected override void ProcessRecord() =>
            ExportCommand.Process(this, MyInvocation.BoundParameters, ModuleImport.Library, Thumbprint, Server);
    }
}
