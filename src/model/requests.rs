//! The requests of the core operations, one struct per verb, each with `Default`.

use crate::cert::keys::KeyAlgorithm;
use crate::cert::names::Subject;
use crate::cert::services::Services;
use std::path::PathBuf;
use time::OffsetDateTime;

/// A file an operation also writes its output to (`-FileName`, `-RequestFile`): replaced
/// whole, never through a symbolic link, 0600 when it holds a private key (docs/c-api.md).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileTarget {
    pub path: PathBuf,
    /// The bytes (DER, PFX) rather than the text (PEM, or Base64 for a PFX).
    pub binary_encoded: bool,
}

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
    /// A request only: also write it to this file (`-RequestFile`). A path that cannot be
    /// written is refused before anything is made.
    pub request_file: Option<FileTarget>,
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
    /// With `generate_request` only: also write the request to this file (`-RequestFile`).
    pub request_file: Option<FileTarget>,
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
    /// Instead of `file_data`: the file to read (a regular file, no symbolic link, at most
    /// `formats::MAX_INPUT_BYTES`).
    pub file_name: Option<PathBuf>,
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
    /// Also write the export to this file (`-FileName`); a PFX's is 0600.
    pub file_name: Option<FileTarget>,
}
