// -FileData's transformation. The files of -FileName and -RequestFile are read and written by
// the native library (docs/c-api.md), not here.

using System;
using System.Management.Automation;
using System.Text;

namespace Excert
{
    /// <summary>
    /// Lets -FileData take what Exchange admins pass: a byte[] (ReadAllBytes, Get-Content
    /// -AsByteStream), or text — the Base64 that Export-ExchangeCertificate prints, or PEM. Text
    /// goes to the library as its UTF-8 bytes: the library sniffs Base64 and PEM itself, so there
    /// is one set of rules (and one set of errors) for every caller.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class FileDataTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            return value is string text ? Encoding.UTF8.GetBytes(text) : inputData;
        }
    }
}
