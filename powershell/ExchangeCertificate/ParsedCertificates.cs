// The certificates .NET parsed for the last listing, kept so that the next listing in the same
// session builds its objects from them instead of parsing every DER again (on OpenSSL 3.0,
// .NET's parse costs 150-200 µs a certificate: most of a large listing; docs/performance.md).

using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;

namespace Excert
{
    /// <summary>
    /// Parsed certificates keyed by their exact DER bytes (never a digest alone). The cache owns
    /// its X509Certificate2s and never hands them out: each ExchangeCertificate is built on a
    /// duplicate of the handle, so a user disposing an object cannot reach the cache's copy.
    /// A listing's certificates replace the previous listing's (what the store no longer has is
    /// dropped, so the cache holds at most one listing). Entries are never disposed, only
    /// dropped: another thread may still be building on one, and the finalizer frees it.
    /// </summary>
    public sealed class ParsedCertificates
    {
        private static readonly object Gate = new object();
        private static Dictionary<byte[], X509Certificate2> last = new Dictionary<byte[], X509Certificate2>(DerComparer.Instance);

        // This listing's certificates, found or parsed; it becomes the cache when the listing is done.
        private readonly Dictionary<byte[], X509Certificate2> previous;
        private readonly Dictionary<byte[], X509Certificate2> kept;

        private ParsedCertificates(Dictionary<byte[], X509Certificate2> previous, int capacity)
        {
            this.previous = previous;
            kept = new Dictionary<byte[], X509Certificate2>(capacity, DerComparer.Instance);
        }

        /// <summary>
        /// A listing of about <paramref name="capacity"/> certificates, reading what the last
        /// listing left. The previous map is never written again once replaced, so it is read
        /// without the lock.
        /// </summary>
        public static ParsedCertificates StartListing(int capacity)
        {
            lock (Gate)
            {
                return new ParsedCertificates(last, capacity);
            }
        }

        /// <summary>How many parsed certificates the session keeps (for tests and the bench).</summary>
        public static int Count
        {
            get { lock (Gate) { return last.Count; } }
        }

        /// <summary>Forgets every parsed certificate (the bench's first-listing rows use it).</summary>
        public static void Clear()
        {
            lock (Gate)
            {
                last = new Dictionary<byte[], X509Certificate2>(DerComparer.Instance);
            }
        }

        /// <summary>The parsed certificate for one DER outside a listing (a look-up): no eviction.</summary>
        public static X509Certificate2 Find(byte[] der)
        {
            lock (Gate)
            {
                return last.TryGetValue(der, out X509Certificate2 found) ? found : null;
            }
        }

        /// <summary>
        /// The cache's parsed certificate for <paramref name="der"/>, parsing it on a miss with
        /// <paramref name="parse"/>. Safe from several threads at once.
        /// </summary>
        public X509Certificate2 Get(byte[] der, Func<byte[], X509Certificate2> parse)
        {
            if (!previous.TryGetValue(der, out X509Certificate2 parsed))
            {
                parsed = parse(der);
            }
            lock (kept)
            {
                kept[der] = parsed;
            }
            return parsed;
        }

        /// <summary>The listing is complete: its certificates are now the session's cache.</summary>
        public void Finish()
        {
            lock (Gate)
            {
                last = kept;
            }
        }

        // Exact byte equality; the hash reads the length and the last bytes (inside the
        // signature, which differs between any two certificates) so hashing stays cheap.
        private sealed class DerComparer : IEqualityComparer<byte[]>
        {
            public static readonly DerComparer Instance = new DerComparer();

            public bool Equals(byte[] x, byte[] y)
            {
                if (ReferenceEquals(x, y)) return true;
                if (x == null || y == null) return false;
                return x.AsSpan().SequenceEqual(y);
            }

            public int GetHashCode(byte[] der)
            {
                int hash = der.Length;
                int from = Math.Max(0, der.Length - 16);
                for (int i = from; i < der.Length; i++) hash = unchecked(hash * 31 + der[i]);
                return hash;
            }
        }
    }
}
