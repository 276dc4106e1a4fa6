// Import-ExchangeCertificate: its parameters as Exchange declares them; the work is in the C# body
// it calls.

using System.Collections.Generic;
using System.Management.Automation;
using System.Security;

namespace Excert.Cmdlets
{
    [Cmdlet("Import", "ExchangeCertificate", SupportsShouldProcess = true, DefaultParameterSetName = "Instance")]
    [OutputType("Excert.ExchangeCertificate")]
    public sealed class ImportExchangeCertificate : PSCmdlet
    {
        [Parameter(ParameterSetName = "FileData", Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [FileDataTransformation]
        [ValidateNotNull]
        [AllowEmptyCollection]
        public byte[] FileData { get; set; }

        [Parameter(ParameterSetName = "FileName", Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string FileName { get; set; }

        [Parameter(ParameterSetName = "Instance", Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public string[] Instance { get; set; }

        [Parameter]
        public SecureString Password { get; set; }

        [Parameter]
        public bool PrivateKeyExportable { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string FriendlyName { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Server { get; set; }

        [Parameter]
        public SwitchParameter TrustedRoot { get; set; }

        [Parameter]
        public string DomainController { get; set; }

        // The -Instance lines piped in one by one, imported as one text at the end.
        private readonly List<string> lines = ImportCommand.Begin();

        protected override void ProcessRecord() =>
            ImportCommand.Process(this, MyInvocation.BoundParameters, ModuleImport.Library, lines);

        protected override void EndProcessing() =>
            ImportCommand.End(this, MyInvocation.BoundParameters, ModuleImport.Library, lines);
    }
}
