// Remove-AcceptedDomain: its parameters as Exchange declares them; the work is in the C# body
// it calls.

using System.Management.Automation;

namespace Excert.Cmdlets
{
    [Cmdlet("Remove", "AcceptedDomain", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveAcceptedDomain : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Identity { get; set; }

        [Parameter]
        public string DomainController { get; set; }

        protected override void ProcessRecord() =>
            RemoveAcceptedDomainCommand.Process(this, MyInvocation.BoundParameters, ModuleImport.Library, Identity);
    }
}
