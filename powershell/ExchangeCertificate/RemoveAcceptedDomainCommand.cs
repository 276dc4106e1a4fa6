// Remove-AcceptedDomain's work, for its cmdlet (Cmdlets/RemoveAcceptedDomain.cs), which declares the
// parameters and calls it.

using System;
using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;

namespace Excert
{
    public static class RemoveAcceptedDomainCommand
    {
        /// <summary>
        /// One pipeline input: the accepted domain removed after ShouldProcess, or one written
        /// error. identity as the cmdlet's property holds it for this input.
        /// </summary>
        public static void Process(PSCmdlet cmdlet, IDictionary bound, Library library, string identity)
        {
            Parameters.WriteIgnored(cmdlet, bound);
            if (!cmdlet.ShouldProcess(identity, "Remove the accepted domain")) return;
            try
            {
                var request = new OrderedDictionary { ["Identity"] = identity };
                PSObject answer = Invocation.Call(cmdlet, library, "excert_accepted_domain_remove", request, identity);
                object removed = answer.Properties["AcceptedDomain"]?.Value;
                Streams.Verbose(cmdlet, "Removed the accepted domain " + AcceptedDomains.Text(removed, "Name") + " (" +
                    AcceptedDomains.Text(removed, "DomainName") + ").");
            }
            catch (Exception failure) when (Failures.AreWritten(failure))
            {
                Failures.Write(cmdlet, failure);
            }
        }
    }
}
