// File input for the cmdlets: -FileData's transformation and the reads and writes of -FileName
// and -RequestFile.

using System;
using System.Management.Automation;
using System.Security;
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

    /// <summary>
    /// File reads and writes for -FileName, -RequestFile: failures come back as a message
    /// instead of an exception, because PowerShell records even a caught exception in the
    /// caller's -ErrorVariable beside the error the cmdlet reports.
    /// </summary>
    public static class Files
    {
        /// <summary>Reads a file; returns null, or why it could not be read.</summary>
        public static string TryReadAllBytes(string path, out byte[] data)
        {
            data = null;
            try
            {
                data = System.IO.File.ReadAllBytes(path);
                return null;
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException ||
                e is ArgumentException || e is NotSupportedException || e is SecurityException)
            {
                return e.Message;
            }
        }

        /// <summary>
        /// Writes a file through a temporary file in the same folder renamed over the target: a
        /// reader never sees half a file, and with ownerOnly (a PFX holds a private key) the file
        /// is born 0600 on Unix rather than keeping an old file's mode. Returns null, or why not.
        /// </summary>
        public static string TryWriteAllBytes(string path, byte[] bytes, bool ownerOnly)
        {
            string temporary = null;
            try
            {
                string folder = System.IO.Path.GetDirectoryName(path);
                if (string.IsNullOrEmpty(folder) || !System.IO.Directory.Exists(folder))
                {
                    return "the folder '" + folder + "' does not exist.";
                }
                temporary = System.IO.Path.Combine(folder,
                    "." + System.IO.Path.GetFileName(path) + ".tmp-" + Guid.NewGuid().ToString("N"));
                var options = new System.IO.FileStreamOptions
                {
                    Mode = System.IO.FileMode.CreateNew,
                    Access = System.IO.FileAccess.Write,
                };
                if (ownerOnly && !OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = System.IO.UnixFileMode.UserRead | System.IO.UnixFileMode.UserWrite;
                }
                using (var stream = new System.IO.FileStream(temporary, options))
                {
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(true);
                }
                System.IO.File.Move(temporary, path, true);
                temporary = null;
                return null;
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException ||
                e is ArgumentException || e is NotSupportedException || e is SecurityException)
            {
                return e.Message;
            }
            finally
            {
                if (temporary != null)
                {
                    try { System.IO.File.Delete(temporary); } catch (System.IO.IOException) { } catch (UnauthorizedAccessException) { }
                }
            }
        }
    }
}
