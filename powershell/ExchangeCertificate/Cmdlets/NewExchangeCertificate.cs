// New-ExchangeCertificate: its parameters as Exchange declares them; the work is in the C# body
// it calls.

using System.Management.Automation;

namespace Excert.Cmdlets
{
    [Cmdlet("New", "ExchangeCertificate", SupportsShouldProcess = true, DefaultParameterSetName = "Certificate")]
    [OutputType("Excert.ExchangeCertificate", ParameterSetName = new string[] { "Certificate" })]
    [OutputType(typeof(string), ParameterSetName = new string[] { "Request" })]
    public sealed class NewExchangeCertificate : PSCmdlet
    {
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string SubjectName { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] DomainName { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string FriendlyName { get; set; }

        [Parameter]
        [ValidateSet("1024", "2048", "3072", "4096")]
        public int KeySize { get; set; }

        [Parameter]
        [ValidateSet("RSA", "ECDSA_P256", "ECDSA_P384")]
        public string KeyAlgorithm { get; set; }

        [Parameter]
        public bool PrivateKeyExportable { get; set; }

        [Parameter(ParameterSetName = "Certificate")]
        public AllowedServices Services { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Server { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter IncludeAcceptedDomains { get; set; }

        [Parameter]
        public SwitchParameter IncludeAutoDiscover { get; set; }

        [Parameter]
        public SwitchParameter IncludeServerFQDN { get; set; }

        [Parameter]
        public SwitchParameter IncludeServerNetBIOSName { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string SubjectKeyIdentifier { get; set; }

        [Parameter(ParameterSetName = "Request")]
        public SwitchParameter GenerateRequest { get; set; }

        [Parameter(ParameterSetName = "Request")]
        public SwitchParameter BinaryEncoded { get; set; }

        [Parameter(ParameterSetName = "Request")]
        [ValidateNotNullOrEmpty]
        public string RequestFile { get; set; }

        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNull]
        public PSObject Instance { get; set; }

        [Parameter]
        public string DomainController { get; set; }

        protected override void ProcessRecord() =>
            NewCommand.Process(this, MyInvocation.BoundParameters, ModuleImport.Library);
    }
}
