// New-AcceptedDomain's work, for its cmdlet (Cmdlets/NewAcceptedDomain.cs), which declares the
// parameters and calls it.

using System;
using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;

namespace Excert
{
    public static class NewAcceptedDomainCommand
    {
        /// <summary>
        /// The accepted domain added after ShouldProcess and written out, or one written error.
        /// The values as the cmdlet's properties hold them (domainType its default when not given).
        /// </summary>
        public static void End(PSCmdlet cmdlet, IDictionary bound, Library library, string name, string domainName, string domainType)
        {
            Parameters.WriteIgnored(cmdlet, bound);
            if (!cmdlet.ShouldProcess(name + " (" + domainName + ", " + domainType + ")", "Add the accepted domain")) return;
            try
            {
                var request = new OrderedDictionary { ["Name"] = name, ["DomainName"] = domainName, ["DomainType"] = domainType };
                PSObject answer = Invocation.Call(cmdlet, library, "excert_accepted_domain_new", request, name);
                cmdlet.WriteObject(AcceptedDomains.ToAcceptedDomain(answer.Properties["AcceptedDomain"]?.Value));
            }
            catch (Exception failure) when (Failures.AreWritten(failure))
            {
                Failures.Write(cmdlet, failure);
            }
        }
    }
}
