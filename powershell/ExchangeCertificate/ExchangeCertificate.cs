// The cmdlets' certificate objects: X509Certificate2s, as Exchange's
// ExchangeCertificate is, plus Exchange's own properties from the store's answer.
//
// What comes from .NET (built from RawData): Subject, Issuer, SubjectName, IssuerName, NotBefore
// and NotAfter (local times), SerialNumber, Thumbprint, Version, SignatureAlgorithm (an Oid),
// PublicKey, Extensions, RawData, GetCertHashString(), Verify(). What comes from the store:
// everything Exchange adds (Services, Status, ...), and two shadowed members whose .NET value
// would mislead (see HasPrivateKey and FriendlyName below).
//
// Pending requests have no certificate yet and cannot be X509Certificate2s: they stay
// property-bag objects typed Excert.ExchangeCertificateRequest (Answers.RequestTypeName).

using System;
using System.Management.Automation;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;

namespace Excert
{
    /// <summary>A certificate of the store: an X509Certificate2 with Exchange's properties.</summary>
    public class ExchangeCertificate : X509Certificate2
    {
        private static readonly string[] NoStrings = new string[0];

        // X509CertificateLoader (.NET 9 and later) where it exists, else the byte[] constructor of
        // older runtimes, where it is not obsolete; bound once by reflection so the same source
        // compiles without an obsolete-API warning on every runtime PowerShell 7 runs on.
        private static readonly Func<byte[], X509Certificate2> Loader = MakeLoader();

        private static Func<byte[], X509Certificate2> MakeLoader()
        {
            Type loader = typeof(X509Certificate2).Assembly.GetType(
                "System.Security.Cryptography.X509Certificates.X509CertificateLoader");
            MethodInfo load = loader?.GetMethod("LoadCertificate", BindingFlags.Public | BindingFlags.Static,
                null, new[] { typeof(byte[]) }, null);
            if (load != null) return (Func<byte[], X509Certificate2>)load.CreateDelegate(typeof(Func<byte[], X509Certificate2>));
            return raw => (X509Certificate2)Activator.CreateInstance(typeof(X509Certificate2), raw);
        }

        /// <summary>Reads a DER certificate (the answer's RawData).</summary>
        public ExchangeCertificate(byte[] rawData) : this(Parse(rawData ?? throw new ArgumentNullException(nameof(rawData))), true)
        {
        }

        // Built on the parsed certificate's handle: a reference count, where the X509Certificate
        // copy constructor would encode and parse the certificate again. A parsed certificate
        // the caller keeps (ParsedCertificates) is not disposed: this object has its own handle.
        private ExchangeCertificate(X509Certificate2 parsed, bool disposeParsed) : base(parsed.Handle)
        {
            if (disposeParsed) parsed.Dispose();
        }

        /// <summary>.NET's parse of a DER certificate (the costly step of building an object).</summary>
        internal static X509Certificate2 Parse(byte[] rawData) => Loader(rawData);

        /// <summary>An object sharing <paramref name="parsed"/>'s certificate, which stays the caller's.</summary>
        internal static ExchangeCertificate On(X509Certificate2 parsed) => new ExchangeCertificate(parsed, false);

        /// <summary>SERVER\THUMBPRINT, as Exchange's Identity.</summary>
        public string Identity { get; set; }

        /// <summary>The server (store folder) that holds the certificate.</summary>
        public string Server { get; set; }

        /// <summary>The services the store records for the certificate on its server.</summary>
        public AllowedServices Services { get; set; }

        /// <summary>Exchange's letters IPUWSFC, a dot for each service not assigned.</summary>
        public string ServicesStringForm { get; set; }

        /// <summary>Valid, DateInvalid, Untrusted, Invalid (Exchange's CertificateStatus).</summary>
        public string Status { get; set; }

        /// <summary>ThirdParty, Registry, None (self-signed) or Unknown.</summary>
        public string RootCAType { get; set; }

        /// <summary>The subject's CN and the DNS names of the SAN, as Exchange lists them.</summary>
        public string[] CertificateDomains { get; set; } = NoStrings;

        /// <summary>
        /// The DNS names. PowerShell's own X509Certificate2 script property of this name does not
        /// work off Windows; ExchangeCertificate.Types.ps1xml points the name at this value.
        /// </summary>
        public string[] DnsNameList { get; set; } = NoStrings;

        /// <summary>
        /// The friendly name the store keeps. Shadows X509Certificate2.FriendlyName, which is a
        /// Windows certificate-store property (its setter throws elsewhere); code that sees the
        /// object as an X509Certificate2 reads an empty name.
        /// </summary>
        public new string FriendlyName { get; set; }

        /// <summary>
        /// Whether the store holds the private key. Shadows X509Certificate2.HasPrivateKey (not
        /// virtual): the key stays in the store, never in this object, so code that sees the
        /// object as an X509Certificate2 reads False. Export-ExchangeCertificate gives the key.
        /// </summary>
        public new bool HasPrivateKey { get; set; }

        /// <summary>Whether Export-ExchangeCertificate may put the private key in a PFX.</summary>
        public bool PrivateKeyExportable { get; set; }

        /// <summary>True for a self-signed certificate whose signature verifies.</summary>
        public bool IsSelfSigned { get; set; }

        /// <summary>The public key's size in bits.</summary>
        public int PublicKeySize { get; set; }

        /// <summary>RSA, ECDSA_P256, ...: the key's algorithm as the store names it.</summary>
        public string KeyAlgorithm { get; set; }

        /// <summary>The subject key identifier (hex), as the certificate carries it.</summary>
        public string SubjectKeyIdentifier { get; set; }

        /// <summary>Exchange's name for the subject key identifier.</summary>
        public string KeyIdentifier => SubjectKeyIdentifier;

        /// <summary>The extended key usages, "Name (OID)". See DnsNameList for the Types.ps1xml note.</summary>
        public string[] EnhancedKeyUsageList { get; set; } = NoStrings;

        /// <summary>The PKCS#10 request the certificate completed (Base64), when there was one.</summary>
        public string CertificateRequest { get; set; }

        /// <summary>Whole days until NotAfter (negative once expired).</summary>
        public int DaysUntilExpiry { get; set; }

        /// <summary>True when the certificate expires within the listing's warning threshold.</summary>
        public bool ExpiryWarning { get; set; }

        /// <summary>The live files per service (beyond Exchange): service name → folder.</summary>
        public object LiveFiles { get; set; }

        /// <summary>Why a CA revoked the certificate (KeyCompromise ...), when Status is Revoked.</summary>
        public string RevocationReason { get; set; }

        /// <summary>When the CA revoked the certificate (UTC), when Status is Revoked.</summary>
        public DateTime? RevocationDate { get; set; }

        /// <summary>The CRL or OCSP responder that said so, when Status is Revoked.</summary>
        public string RevocationSource { get; set; }

        /// <summary>
        /// The IIS web sites bound to the certificate: always empty, there is no IIS off Windows
        /// (the services assigned to IIS are in Services).
        /// </summary>
        public object[] IISServices { get; } = new object[0];

        /// <summary>
        /// The private key's Windows access rules: always null, keys are files of the store
        /// readable by their owner only (docs/security.md).
        /// </summary>
        public object AccessRules => null;

        /// <summary>Typed DnsNameList for Types.ps1xml (the name is taken by PowerShell's script property).</summary>
        public static string[] GetDnsNameList(PSObject instance) =>
            (instance?.BaseObject as ExchangeCertificate)?.DnsNameList;

        /// <summary>Typed EnhancedKeyUsageList for Types.ps1xml, as GetDnsNameList.</summary>
        public static string[] GetEnhancedKeyUsageList(PSObject instance) =>
            (instance?.BaseObject as ExchangeCertificate)?.EnhancedKeyUsageList;
    }
}
