//! What the core operations take and give: plain Rust values (a service set, a `Status`, dates,
//! bytes). No serde here: the C ABI's JSON requests and answers live in `ffi` and convert to and
//! from these. Each request has `Default`, so a caller names only what it sets:
//!
//! ```
//! # use excert::model::NewCertificateRequest;
//! # use excert::cert::services::Services;
//! let req = NewCertificateRequest {
//!     domain_name: vec!["mail.contoso.com".into()],
//!     services: Some(Services::IIS | Services::SMTP),
//!     ..Default::default()
//! };
//! # let _ = req;
//! ```

use crate::cert::chain::{RootCaType, Status};
use crate::cert::keys::KeyAlgorithm;
use crate::cert::names::Subject;
use crate::cert::services::Services;
use std::collections::BTreeMap;
use time::OffsetDateTime;
use zeroize::Zeroizing;

mod accepted_domain;
pub use accepted_domain::*;

/// Schema number carried by every JSON answer; raised when an answer changes incompatibly.
pub const SCHEMA: u32 = 1;

/// `New-ExchangeCertificate`, self-signed or (`new_request`) a request for a CA.
#[derive(Debug, Clone, Default)]
pub struct NewCertificateRequest {
    pub store_root: Option<String>,
    pub server: Option<String>,
    /// Default `CN=<server>`.
    pub subject_name: Option<Subject>,
    pub domain_name: Vec<String>,
    /// Default "Microsoft Exchange".
    pub friendly_name: Option<String>,
    /// RSA modulus bits (1024, 2048, 3072, 4096); default 2048.
    pub key_size: Option<u32>,
    /// Default RSA.
    pub key_algorithm: Option<KeyAlgorithm>,
    pub private_key_exportable: bool,
    /// Default IMAP, POP, SMTP; must be `None` for a request.
    pub services: Option<Services>,
    pub include_server_fqdn: bool,
    pub include_server_netbios_name: bool,
    /// Default derived from the public key.
    pub subject_key_identifier: Option<Vec<u8>>,
    /// Add every accepted domain of the organization to the names (`-IncludeAcceptedDomains`).
    pub include_accepted_domains: bool,
    /// Add `autodiscover.<domain>` for every accepted domain (`-IncludeAutoDiscover`).
    pub include_autodiscover: bool,
    /// Replace the default SMTP certificate without asking (and without a warning).
    pub force: bool,
    /// Keep the default SMTP certificate and add this one for SMTP beside it (the answer No).
    pub keep_default_smtp: bool,
    /// Default now; must be `None` for a request.
    pub not_before: Option<OffsetDateTime>,
    /// Default NotBefore + 60 months; must be `None` for a request.
    pub not_after: Option<OffsetDateTime>,
}

/// `Get-ExchangeCertificate`: all filters optional.
#[derive(Debug, Clone, Default)]
pub struct ListRequest {
    pub store_root: Option<String>,
    /// A server name, or `*` for every server in the store.
    pub server: Option<String>,
    pub thumbprint: Option<String>,
    /// Matches the subject's CN or a SAN; `*` and `?` wildcards, case-insensitive.
    pub domain_name: Vec<String>,
    /// Days before NotAfter that count as "expiring soon"; default 30.
    pub expiry_warning_days: Option<u32>,
    /// Only certificates whose NotAfter is within this many days (or past).
    pub expiring_within_days: Option<u32>,
    /// Where revocation answers may come from.
    pub revocation: RevocationMode,
}

/// Where CRLs and OCSP answers may come from (`Get-ExchangeCertificate -RefreshRevocation`,
/// `-OfflineRevocation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RevocationMode {
    /// Current cached answers first; the network for the rest.
    #[default]
    Online,
    /// Ask the network first; cached answers only when it fails.
    Refresh,
    /// Cached answers only; nothing is fetched (a stale or missing one is a failure).
    Offline,
}

/// RFC 5280 §5.3.1 revocation reasons, named as .NET's `X509RevocationReason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevocationReason {
    Unspecified,
    KeyCompromise,
    CACompromise,
    AffiliationChanged,
    Superseded,
    CessationOfOperation,
    CertificateHold,
    RemoveFromCrl,
    PrivilegeWithdrawn,
    AACompromise,
}

impl RevocationReason {
    /// From a CRL or OCSP reason code; an absent or undefined one is unspecified.
    pub fn from_code(code: Option<u8>) -> Self {
        use RevocationReason::*;
        match code {
            Some(1) => KeyCompromise,
            Some(2) => CACompromise,
            Some(3) => AffiliationChanged,
            Some(4) => Superseded,
            Some(5) => CessationOfOperation,
            Some(6) => CertificateHold,
            Some(8) => RemoveFromCrl,
            Some(9) => PrivilegeWithdrawn,
            Some(10) => AACompromise,
            _ => Unspecified,
        }
    }

    /// The name as .NET prints it.
    pub fn as_str(self) -> &'static str {
        use RevocationReason::*;
        match self {
            Unspecified => "Unspecified",
            KeyCompromise => "KeyCompromise",
            CACompromise => "CACompromise",
            AffiliationChanged => "AffiliationChanged",
            Superseded => "Superseded",
            CessationOfOperation => "CessationOfOperation",
            CertificateHold => "CertificateHold",
            RemoveFromCrl => "RemoveFromCrl",
            PrivilegeWithdrawn => "PrivilegeWithdrawn",
            AACompromise => "AACompromise",
        }
    }
}

/// Why, since when and by whose word a certificate of the chain is revoked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    pub reason: RevocationReason,
    pub date: OffsetDateTime,
    /// `OCSP <url>` or `CRL <url>`, and which CA certificate of the chain is revoked when it is
    /// not this one.
    pub source: String,
}

/// One certificate addressed by thumbprint.
#[derive(Debug, Clone, Default)]
pub struct ThumbprintRequest {
    pub store_root: Option<String>,
    pub server: Option<String>,
    /// Any case; spaces allowed.
    pub thumbprint: String,
}

/// Renewal: a new key, with the old certificate's subject, names, key type and services.
#[derive(Debug, Clone, Default)]
pub struct RenewRequest {
    pub store_root: Option<String>,
    pub server: Option<String>,
    pub thumbprint: String,
    /// A request for a CA instead of a self-signed certificate.
    pub generate_request: bool,
    pub force: bool,
    /// Default: the old friendly name.
    pub friendly_name: Option<String>,
    /// Default: as the old certificate.
    pub private_key_exportable: Option<bool>,
    /// Default: the old certificate's.
    pub services: Option<Services>,
    /// Default: the old key's (a size alone means RSA).
    pub key_size: Option<u32>,
    /// Default: the old key's.
    pub key_algorithm: Option<KeyAlgorithm>,
    /// Default derived from the new public key.
    pub subject_key_identifier: Option<Vec<u8>>,
    /// Default: the old subject.
    pub subject_name: Option<Subject>,
    /// Default: the old domain names.
    pub domain_name: Option<Vec<String>>,
    pub include_server_fqdn: bool,
    pub include_server_netbios_name: bool,
    pub include_accepted_domains: bool,
    pub include_autodiscover: bool,
    /// Keep the default SMTP certificate and add the new one for SMTP beside it.
    pub keep_default_smtp: bool,
}

/// `Enable-ExchangeCertificate`.
#[derive(Debug, Clone, Default)]
pub struct EnableRequest {
    pub store_root: Option<String>,
    pub server: Option<String>,
    pub thumbprint: String,
    /// Added to the services the certificate has.
    pub services: Services,
    /// Replace the default SMTP certificate without asking.
    pub force: bool,
    /// Keep the default SMTP certificate and add this one for SMTP beside it (the answer No).
    pub keep_default_smtp: bool,
    /// Accepted for Exchange scripts; no effect off Windows (said in a warning).
    pub do_not_require_ssl: bool,
    /// Accepted for Exchange scripts; no effect off Windows (said in a warning).
    pub network_service_allowed: bool,
}

/// `Remove-ExchangeCertificate`.
#[derive(Debug, Clone, Default)]
pub struct RemoveRequest {
    pub store_root: Option<String>,
    pub server: Option<String>,
    pub thumbprint: String,
    /// Remove even a certificate in use (its services are left without a holder).
    pub force: bool,
}

/// `Import-ExchangeCertificate`; the PFX password is a separate argument.
#[derive(Debug, Clone, Default)]
pub struct ImportRequest {
    pub store_root: Option<String>,
    pub server: Option<String>,
    /// The file's bytes: DER, PEM, PKCS#7 or PKCS#12.
    pub file_data: Vec<u8>,
    /// Default False, as Exchange; a completed request keeps the request's setting.
    pub private_key_exportable: Option<bool>,
    pub friendly_name: Option<String>,
    /// Trust the CA certificate(s) for the whole organisation store instead of importing them.
    pub trusted_root: bool,
}

/// The PFX encryption of an export: the PKCS#12 writer's profile (`Modern` or `Legacy`, its
/// names and parsing defined once, there).
pub use crate::formats::pkcs12::Profile as Encryption;

/// `Export-ExchangeCertificate`; the PFX password is a separate argument.
#[derive(Debug, Clone, Default)]
pub struct ExportRequest {
    pub store_root: Option<String>,
    pub server: Option<String>,
    pub thumbprint: String,
    pub encryption: Encryption,
    /// Export even an expired certificate.
    pub force: bool,
}

/// A certificate or pending request as the cmdlets show it (docs/cmdlets.md).
#[derive(Debug, Clone, PartialEq)]
pub struct ExchangeCertificate {
    pub server: String,
    pub thumbprint: String,
    pub services: Services,
    /// As .NET prints it: `CN=mail.contoso.com, O=Contoso`.
    pub subject: String,
    /// The subject's CN, for `-DomainName` filters.
    pub common_name: Option<String>,
    pub issuer: String,
    /// A pending request's are its creation time.
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    pub status: Status,
    pub root_ca_type: RootCaType,
    pub certificate_domains: Vec<String>,
    pub dns_name_list: Vec<String>,
    pub friendly_name: String,
    pub has_private_key: bool,
    pub private_key_exportable: bool,
    pub is_self_signed: bool,
    /// Upper-case hex of the serial's DER integer bytes, as .NET prints it.
    pub serial_number: String,
    /// Bits.
    pub public_key_size: u32,
    /// `RSA`, `ECDSA_P256`, `ECDSA_P384`, or what another issuer used.
    pub key_algorithm: String,
    /// Windows' friendly name: `sha256RSA`, `sha256ECDSA` ...
    pub signature_algorithm: String,
    pub subject_key_identifier: String,
    /// `Server Authentication (1.3.6.1.5.5.7.3.1)`.
    pub enhanced_key_usage_list: Vec<String>,
    pub version: u32,
    /// DER; empty for a pending request.
    pub raw_data: Vec<u8>,
    /// DER PKCS#10, pending requests only.
    pub certificate_request: Option<Vec<u8>>,
    /// Whole days from now to NotAfter (negative once expired).
    pub days_until_expiry: i64,
    /// True when NotAfter is within the warning threshold (or past).
    pub expiry_warning: bool,
    /// Live PEM files per service (docs/live-files.md); empty until assigned.
    pub live_files: BTreeMap<String, String>,
    /// Status `Revoked` only.
    pub revocation: Option<Revocation>,
}

impl ExchangeCertificate {
    /// `SERVER\THUMBPRINT`.
    pub fn identity(&self) -> String {
        format!("{}\\{}", self.server, self.thumbprint)
    }

    pub fn is_pending(&self) -> bool {
        self.status == Status::PendingRequest
    }
}

/// One certificate and the remarks for the caller to show as warnings.
#[derive(Debug)]
pub struct CertificateAnswer {
    pub certificate: ExchangeCertificate,
    pub warnings: Vec<String>,
}

/// A new request for a CA.
#[derive(Debug)]
pub struct RequestAnswer {
    /// The pending entry, as Get-ExchangeCertificate shows it.
    pub certificate: ExchangeCertificate,
    /// The PKCS#10 as DER.
    pub request: Vec<u8>,
    pub warnings: Vec<String>,
}

impl RequestAnswer {
    /// The request as `New-ExchangeCertificate -GenerateRequest` prints it, framed by
    /// `-----BEGIN NEW CERTIFICATE REQUEST-----` for the CA.
    pub fn pem(&self) -> String {
        crate::formats::pem::encode(crate::formats::pem::NEW_CERTIFICATE_REQUEST, &self.request)
    }
}

/// A renewal's outcome: a certificate, or a request.
#[derive(Debug)]
pub enum Renewed {
    Certificate(CertificateAnswer),
    Request(RequestAnswer),
}

/// A listing or an import.
#[derive(Debug)]
pub struct ListAnswer {
    pub certificates: Vec<ExchangeCertificate>,
    pub warnings: Vec<String>,
}

/// A removal.
#[derive(Debug)]
pub struct RemoveAnswer {
    pub server: String,
    pub thumbprint: String,
    pub warnings: Vec<String>,
}

impl RemoveAnswer {
    /// `SERVER\THUMBPRINT` of what was removed.
    pub fn identity(&self) -> String {
        format!("{}\\{}", self.server, self.thumbprint)
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Pkcs12,
    Certificate,
    CertificateRequest,
}

impl ExportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Pkcs12 => "Pkcs12",
            ExportFormat::Certificate => "Certificate",
            ExportFormat::CertificateRequest => "CertificateRequest",
        }
    }
}

/// An export: the file's bytes (zeroed when dropped: a PFX holds the key).
#[derive(Debug)]
pub struct ExportAnswer {
    pub format: ExportFormat,
    pub file_data: Zeroizing<Vec<u8>>,
    pub warnings: Vec<String>,
}

impl ExportAnswer {
    /// What `Export-ExchangeCertificate` prints without `-BinaryEncoded`: PEM for a certificate
    /// or request, plain Base64 for a PFX.
    pub fn text(&self) -> Zeroizing<String> {
        use crate::formats::pem;
        Zeroizing::new(match self.format {
            ExportFormat::Pkcs12 => {
                use base64::Engine;
                base64::engine::general_purpose::STANDARD.encode(&*self.file_data)
            }
            ExportFormat::Certificate => pem::encode(pem::CERTIFICATE, &self.file_data),
            ExportFormat::CertificateRequest => {
                pem::encode(pem::NEW_CERTIFICATE_REQUEST, &self.file_data)
            }
        })
    }
}
