// How a cmdlet reports the failure of one pipeline input: one written error, and on to the next
// input.

using System;
using System.Management.Automation;

namespace Excert
{
    public static class Failures
    {
        /// <summary>
        /// True for a failure written as the input's one error: the library's (ExcertErrorException)
        /// or any other .NET failure (an answer .NET cannot read ...). PowerShell's own
        /// (RuntimeExceptions: a stopped pipeline, -ErrorAction Stop) go on up and end the command.
        /// </summary>
        public static bool AreWritten(Exception failure) => failure is ExcertErrorException || !(failure is RuntimeException);

        /// <summary>The library's ErrorRecord as it is; any other failure with its type as the id.</summary>
        public static void Write(PSCmdlet cmdlet, Exception failure)
        {
            cmdlet.WriteError(failure is ExcertErrorException excert
                ? excert.ErrorRecord
                : new ErrorRecord(failure, failure.GetType().Name, ErrorCategory.NotSpecified, null));
        }
    }
}
