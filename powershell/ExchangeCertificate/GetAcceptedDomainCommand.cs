// Get-AcceptedDomain's work, for its script function (Public/Get-AcceptedDomain.ps1), which
// declares the parameters and calls Process once per pipeline input.

using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Management.Automation;

namespace Excert
{
    public static class GetAcceptedDomainCommand
    {
        /// <summary>
        /// One pipeline input: the accepted domain named, or all of them up to resultSize, written
        /// out. identity and resultSize as the function's variables hold them ("" and its default
        /// when not given): $PSBoundParameters keeps a value an earlier pipeline input bound.
        /// </summary>
        public static void Process(PSCmdlet cmdlet, IDictionary bound, Library library, string identity, string resultSize)
        {
            Parameters.WriteIgnored(cmdlet, bound);
            try
            {
                var request = new OrderedDictionary();
                if (!string.IsNullOrEmpty(identity)) request["Identity"] = identity;
                PSObject answer = Invocation.Call(cmdlet, library, "excert_accepted_domain_list", request, identity);
                List<object> domains = AcceptedDomains.ListOf(answer);
                int? limit = Limit(cmdlet, resultSize);
                if (limit.HasValue && domains.Count > limit.Value)
                {
                    Streams.Warning(cmdlet, "There are more results, use ResultSize Unlimited to return them all.");
                    // -ResultSize 0 gives the first and the last, as the script's $domains[0..-1] did.
                    domains = limit.Value == 0
                        ? new List<object> { domains[0], domains[domains.Count - 1] }
                        : domains.GetRange(0, limit.Value);
                }
                foreach (object domain in domains)
                {
                    if (domain != null) cmdlet.WriteObject(AcceptedDomains.ToAcceptedDomain(domain));
                }
            }
            catch (ExcertErrorException failure)
            {
                cmdlet.WriteError(failure.ErrorRecord);
            }
            catch (Exception failure) when (!(failure is RuntimeException))
            {
                // Any other failure is one written error too, with the exception's type as its id,
                // as the script wrote it; a stopped pipeline or an -ErrorAction Stop goes on up.
                cmdlet.WriteError(new ErrorRecord(failure, failure.GetType().Name, ErrorCategory.NotSpecified, null));
            }
        }

        // -ResultSize as a number, null for Unlimited (any case, as -ne compared it). A number
        // [int] cannot hold is the script's [int] cast error, written, and then no limit: the
        // error ended only the script's if statement.
        private static int? Limit(PSCmdlet cmdlet, string resultSize)
        {
            if (LanguagePrimitives.Equals(resultSize, "Unlimited", true)) return null;
            try
            {
                return LanguagePrimitives.ConvertTo<int>(resultSize);
            }
            catch (PSInvalidCastException failure)
            {
                cmdlet.WriteError(new ErrorRecord(new RuntimeException(failure.Message, failure),
                    failure.ErrorRecord.FullyQualifiedErrorId, ErrorCategory.InvalidArgument, null));
                return null;
            }
        }
    }
}
