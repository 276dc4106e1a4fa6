// Exchange's question "replace the default SMTP certificate?", for New- and Enable-ExchangeCertificate:
// who answers it (-Force, -Confirm:$false, the user, or nobody) and the call made again on the answer.

using System;
using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Runtime.ExceptionServices;

namespace Excert
{
    /// <summary>What to do with the server's default SMTP certificate.</summary>
    public enum DefaultSmtpAnswer
    {
        /// <summary>This certificate becomes the default (Force).</summary>
        Replace,
        /// <summary>The default stays; the rest is still done (KeepDefaultSMTP).</summary>
        Keep,
    }

    /// <summary>
    /// Calls an operation that may answer ConfirmationRequired (the server's default SMTP
    /// certificate would change) and acts on the answer to Exchange's question. Each step takes
    /// what it depends on as a delegate overload, so the decisions are tested without a prompt or
    /// a library (tests/pester/Unit.Tests.ps1).
    /// </summary>
    public static class DefaultSmtpQuestion
    {
        public const string Caption = "Replace the default SMTP certificate?";

        /// <summary>
        /// Calls function with the request; with Force in the request nothing is asked. On
        /// ConfirmationRequired the answer decides: Replace calls again with Force, Keep with
        /// KeepDefaultSMTP, so the operation still happens (the certificate made, the other
        /// services assigned, SMTP added without becoming the default), as Exchange does on No.
        /// Returns the answer; throws ExcertErrorException for a failure.
        /// </summary>
        public static PSObject Call(PSCmdlet cmdlet, Library library, string function, IDictionary request, object target)
        {
            return Call(cmdlet, request, sent => Invocation.Call(cmdlet, library, function, sent, target), refusal => Answer(cmdlet, refusal));
        }

        /// <summary>Call, with the native call and the question given.</summary>
        public static PSObject Call(PSCmdlet cmdlet, IDictionary request, Func<IDictionary, PSObject> native,
            Func<ErrorRecord, DefaultSmtpAnswer> answer)
        {
            if (LanguagePrimitives.IsTrue(request["Force"])) return Native(native, request);
            ErrorRecord refusal;
            try
            {
                return Native(native, request);
            }
            catch (ExcertErrorException failure) when (failure.ErrorRecord.Exception is ExcertException refused &&
                string.Equals(refused.Name, "ConfirmationRequired", StringComparison.OrdinalIgnoreCase))
            {
                refusal = failure.ErrorRecord;
            }
            if (answer(refusal) == DefaultSmtpAnswer.Replace)
            {
                request["Force"] = true;
            }
            else
            {
                Streams.Verbose(cmdlet, "The default SMTP certificate stays as it is; SMTP is added without making this one the default.");
                request["KeepDefaultSMTP"] = true;
            }
            return Native(native, request);
        }

        // A failure a script block reports comes wrapped by PowerShell: the ExcertErrorException in it.
        private static PSObject Native(Func<IDictionary, PSObject> native, IDictionary request)
        {
            try
            {
                return native(request);
            }
            catch (RuntimeException wrapped) when (wrapped.InnerException is ExcertErrorException failure)
            {
                ExceptionDispatchInfo.Capture(failure).Throw();
                throw;
            }
        }

        /// <summary>
        /// The answer for the refusal (the ConfirmationRequired ErrorRecord the operation
        /// answered): -Confirm:$false given to the cmdlet answers Replace without asking (-Force is
        /// handled before the question arises); otherwise the user is asked, Yes is Replace and No
        /// is Keep. A session that cannot ask gets the refusal again, ConfirmationRequired, with a
        /// message naming the parameter to add (ExcertErrorException).
        /// </summary>
        public static DefaultSmtpAnswer Answer(PSCmdlet cmdlet, ErrorRecord refusal)
        {
            return Answer(cmdlet, refusal, () => CanPrompt(cmdlet), (query, caption) => Ask(cmdlet, query, caption));
        }

        /// <summary>Answer, with whether the session can ask and the asking (query, caption) given.</summary>
        public static DefaultSmtpAnswer Answer(PSCmdlet cmdlet, ErrorRecord refusal, Func<bool> canPrompt, Func<string, string, bool> ask)
        {
            var bound = cmdlet.MyInvocation.BoundParameters;
            if (bound.TryGetValue("Confirm", out object confirm) && !LanguagePrimitives.IsTrue(confirm)) return DefaultSmtpAnswer.Replace;
            string question = refusal.Exception.Message;
            if (!canPrompt())
            {
                var refused = (ExcertException)refusal.Exception;
                string message = question + ". This session cannot ask (it is not interactive): add -Force (or -Confirm:$false) to replace the default SMTP certificate, or leave SMTP out of -Services to keep it.";
                throw new ExcertErrorException(new ErrorRecord(new ExcertException(refused.Code, refused.Name, message), refused.Name,
                    refusal.CategoryInfo.Category, refusal.TargetObject));
            }
            bool yes = ask(question + ". Yes makes this certificate the default SMTP certificate; No keeps the current one and still does the rest.", Caption);
            return yes ? DefaultSmtpAnswer.Replace : DefaultSmtpAnswer.Keep;
        }

        /// <summary>
        /// The user's yes or no, with the cmdlet's ShouldContinue; false when the session cannot
        /// ask. Asked only when it can: ShouldContinue throws in a non-interactive session, and
        /// even a caught exception lands in the caller's -ErrorVariable.
        /// </summary>
        public static bool Ask(PSCmdlet cmdlet, string query, string caption)
        {
            if (!CanPrompt(cmdlet)) return false;
            try
            {
                return cmdlet.ShouldContinue(query, caption);
            }
            catch (PSInvalidOperationException)
            {
                return false;
            }
            catch (HostException)
            {
                return false;
            }
        }

        /// <summary>False when the session cannot ask the user (pwsh -NonInteractive, or a host without a UI).</summary>
        public static bool CanPrompt(PSCmdlet cmdlet) =>
            CanPrompt(Environment.UserInteractive, cmdlet.Host, Environment.GetCommandLineArgs());

        /// <summary>CanPrompt, with the process's state given.</summary>
        public static bool CanPrompt(bool userInteractive, PSHost host, string[] arguments)
        {
            if (!userInteractive) return false;
            if (host?.UI == null || host.UI.RawUI == null) return false;
            // pwsh takes any unambiguous prefix of -NonInteractive ('-noni', '-NonInteractive' ...).
            foreach (string argument in arguments)
            {
                if (argument.Length >= 5 && (argument[0] == '-' || argument[0] == '/') &&
                    "noninteractive".StartsWith(argument.Substring(1), StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }
            return true;
        }
    }
}
