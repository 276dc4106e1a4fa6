// Get-AcceptedDomain's work, for its cmdlet (Cmdlets/GetAcceptedDomain.cs), which declares the
// parameters and calls it.

using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Management.Automation;

namespace Excert
{
    public static class GetAcceptedDomainCommand
    {
        /// <summary>
        /// One pipeline input: the accepted domain named, or all of them up to resultSize, written
        /// out. identity and resultSize as the cmdlet's properties hold them ("" and its default
        /// when not given): BoundParameters keeps a value an earlier pipeline input bound.
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
                int? limit = Limit(resultSize);
                if (limit.HasValue && domains.Count > limit.Value)
                {
                    Streams.Warning(cmdlet, "There are more results, use ResultSize Unlimited to return them all.");
                    domains = domains.GetRange(0, limit.Value);
                }
                foreach (object domain in domains)
                {
                    if (domain != null) cmdlet.WriteObject(AcceptedDomains.ToAcceptedDomain(domain));
                }
            }
            catch (Exception failure) when (Failures.AreWritten(failure))
            {
                Failures.Write(cmdlet, failure);
            }
        }

        // -ResultSize as a count, null for Unlimited (any case). The parameter takes only digits or
        // Unlimited; a count past what an int holds is more than any store has: no limit.
        private static int? Limit(string resultSize)
        {
            string text = resultSize?.Trim();
            if (string.IsNullOrEmpty(text) || string.Equals(text, "Unlimited", StringComparison.OrdinalIgnoreCase)) return null;
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int limit) ? limit : (int?)null;
        }
    }
}
