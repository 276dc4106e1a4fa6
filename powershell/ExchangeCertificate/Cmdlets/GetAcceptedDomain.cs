// Get-AcceptedDomain: its parameters as Exchange declares them; the work is in the C# body
// it calls.

using System.Management.Automation;

namespace Excert.Cmdlets
{
    [Cmdlet("Get", "AcceptedDomain")]
    [OutputType("AcceptedDomain")]
    public sealed class GetAcceptedDomain : PSCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Identity { get; set; }

        [Parameter]
        [ValidatePattern("^(Unlimited|[0-9]+)$")]
        public string ResultSize { get; set; } = "Unlimited";

        [Parameter]
        public string DomainController { get; set; }

        protected override void ProcessRecord() =>
            GetAcceptedDomainCommand.Process(this, MyInvocation.BoundParameters, ModuleImport.Library, Identity, ResultSize);
    }
}
