// New-AcceptedDomain: its parameters as Exchange declares them; the work is in the C# body
// it calls.

using System.Management.Automation;

namespace Excert.Cmdlets
{
    [Cmdlet("New", "AcceptedDomain", SupportsShouldProcess = true)]
    [OutputType("AcceptedDomain")]
    public sealed class NewAcceptedDomain : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string DomainName { get; set; }

        [Parameter]
        [ValidateSet("Authoritative", "InternalRelay", "ExternalRelay")]
        public string DomainType { get; set; } = "Authoritative";

        [Parameter]
        public string DomainController { get; set; }

        protected override void EndProcessing() =>
            NewAcceptedDomainCommand.End(this, MyInvocation.BoundParameters, ModuleImport.Library, Name, DomainName, DomainType);
    }
}
