//! Requests and answers of the operations, with Exchange's PascalCase property names.
//! serde types only: the FFI layer turns them into JSON, the core never sees JSON.

use serde::{Deserialize, Serialize};

mod accepted_domain;
pub use accepted_domain::*;

/// Schema number carried by every answer; raised when an answer changes incompatibly.
pub const SCHEMA: u32 = 1;

/// `New-ExchangeCertificate` (Certificate parameter set).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct NewCertificateRequest {
    #[serde(default)]
    pub store_root: Option<String>,
    #[serde(default)]
    pub server: Option<String>,
    /// X.500 name, for example `C=US,O=Contoso,CN=mail.contoso.com`; default `CN=<server>`.
    #[serde(default)]
    pub subject_name: Option<String>,
    #[serde(default)]
    pub domain_name: Vec<String>,
    #[serde(default)]
    pub friendly_name: Option<String>,
    /// RSA key size in bits (1024, 2048, 3072, 4096); default 2048.
    #[serde(default)]
    pub key_size: Option<u32>,
    /// `RSA` (default), `ECDSA_P256` or `ECDSA_P384`.
    #[serde(default)]
    pub key_algorithm: Option<String>,
    #[serde(default)]
    pub private_key_exportable: bool,
    /// Comma-separated service names (`IIS, SMTP`); default `IMAP, POP, SMTP`.
    #[serde(default)]
    pub services: Option<String>,
    #[serde(default, rename = "IncludeServerFQDN")]
    pub include_server_fqdn: bool,
    #[serde(default, rename = "IncludeServerNetBIOSName")]
    pub include_server_netbios_name: bool,
    /// Hex string; default derived from the public key.
    #[serde(default)]
    pub subject_key_identifier: Option<String>,
    /// Add every accepted domain of the organization to the names (`-IncludeAcceptedDomains`).
    #[serde(default)]
    pub include_accepted_domains: bool,
    /// Add `autodiscover.<domain>` for every accepted domain (`-IncludeAutoDiscover`).
    #[serde(default, rename = "IncludeAutoDiscover")]
    pub include_autodiscover: bool,
    /// Replace the default SMTP certificate without asking (and without a warning).
    #[serde(default)]
    pub force: bool,
    /// Keep the default SMTP certificate and add this one for SMTP beside it (the answer No).
    #[serde(default, rename = "KeepDefaultSMTP")]
    pub keep_default_smtp: bool,
    /// RFC 3339; default now. Beyond Exchange, for tests and back-dated certificates.
    #[serde(default)]
    pub not_before: Option<String>,
    /// RFC 3339; default NotBefore + 60 months.
    #[serde(default)]
    pub not_after: Option<String>,
}

/// `Get-ExchangeCertificate`: all filters optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ListRequest {
    #[serde(default)]
    pub store_root: Option<String>,
    /// A server name, or `*` for every server in the store.
    #[serde(default)]
    pub server: Option<String>,
    #[serde(default)]
    pub thumbprint: Option<String>,
    /// Matches subject CN or a SAN; `*` and `?` wildcards honoured, case-insensitive.
    #[serde(default)]
    pub domain_name: Vec<String>,
    /// Days before NotAfter that count as "expiring soon"; default 30.
    #[serde(default)]
    pub expiry_warning_days: Option<u32>,
    /// Only certificates whose NotAfter is within this many days (or past).
    #[serde(default)]
    pub expiring_within_days: Option<u32>,
}

/// One certificate addressed by thumbprint (`Get` with `-Thumbprint`, and the changing verbs).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ThumbprintRequest {
    #[serde(default)]
    pub store_root: Option<String>,
    #[serde(default)]
    pub server: Option<String>,
    pub thumbprint: String,
}

/// A certificate or pending request as the cmdlets show it (DESIGN §6).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct ExchangeCertificate {
    /// `SERVER\THUMBPRINT`.
    pub identity: String,
    pub server: String,
    pub thumbprint: String,
    /// Flags as .NET prints them: `IMAP, POP, SMTP`, or `None`.
    pub services: String,
    /// Seven letters `IPUWSFC`, `.` where unset.
    pub services_string_form: String,
    pub subject: String,
    pub issuer: String,
    /// RFC 3339 UTC.
    pub not_before: String,
    pub not_after: String,
    pub status: String,
    #[serde(rename = "RootCAType")]
    pub root_ca_type: String,
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
    /// `RSA`, `ECDSA_P256`, `ECDSA_P384`.
    pub key_algorithm: String,
    /// Windows' friendly name: `sha256RSA`, `sha256ECDSA` ...
    pub signature_algorithm: String,
    pub subject_key_identifier: String,
    /// `Server Authentication (1.3.6.1.5.5.7.3.1)`.
    pub enhanced_key_usage_list: Vec<String>,
    pub version: u32,
    /// Base64 DER; empty for a pending request.
    pub raw_data: String,
    /// Base64 PKCS#10, pending requests only.
    pub certificate_request: Option<String>,
    /// Whole days from now to NotAfter (negative once expired).
    pub days_until_expiry: i64,
    /// True when NotAfter is within the warning threshold (or past).
    pub expiry_warning: bool,
    /// Live PEM files per service (DESIGN §7.2); empty until assigned.
    pub live_files: std::collections::BTreeMap<String, String>,
}

/// Answer carrying one certificate.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CertificateAnswer {
    pub schema: u32,
    pub certificate: ExchangeCertificate,
    /// Non-fatal remarks for the caller to show as warnings.
    pub warnings: Vec<String>,
}

/// Answer to `New-ExchangeCertificate -GenerateRequest`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RequestAnswer {
    pub schema: u32,
    /// The pending entry, as Get-ExchangeCertificate shows it.
    pub certificate: ExchangeCertificate,
    /// The PKCS#10 as Base64 framed by `-----BEGIN NEW CERTIFICATE REQUEST-----`.
    pub request: String,
    pub warnings: Vec<String>,
}

/// Renewal (`Get-ExchangeCertificate T | New-ExchangeCertificate`): a new key and certificate
/// (or request) with the old one's subject, names, friendly name, key type and services.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct RenewRequest {
    #[serde(default)]
    pub store_root: Option<String>,
    #[serde(default)]
    pub server: Option<String>,
    pub thumbprint: String,
    /// Make a renewal request for a CA instead of a self-signed certificate.
    #[serde(default)]
    pub generate_request: bool,
    #[serde(default)]
    pub force: bool,
    /// Overrides the old friendly name.
    #[serde(default)]
    pub friendly_name: Option<String>,
    /// Overrides the old exportability (default: as the old certificate).
    #[serde(default)]
    pub private_key_exportable: Option<bool>,
    /// Overrides the old services (default: as the old certificate).
    #[serde(default)]
    pub services: Option<String>,
    /// Overrides the old key size (RSA).
    #[serde(default)]
    pub key_size: Option<u32>,
    /// Overrides the old key algorithm.
    #[serde(default)]
    pub key_algorithm: Option<String>,
    /// A subject key identifier for the new certificate (hex).
    #[serde(default)]
    pub subject_key_identifier: Option<String>,
    /// Overrides the old subject.
    #[serde(default)]
    pub subject_name: Option<String>,
    /// Overrides the old domain names.
    #[serde(default)]
    pub domain_name: Option<Vec<String>>,
    #[serde(default, rename = "IncludeServerFQDN")]
    pub include_server_fqdn: bool,
    #[serde(default, rename = "IncludeServerNetBIOSName")]
    pub include_server_netbios_name: bool,
    #[serde(default)]
    pub include_accepted_domains: bool,
    #[serde(default, rename = "IncludeAutoDiscover")]
    pub include_autodiscover: bool,
    /// Keep the default SMTP certificate and add the new one for SMTP beside it.
    #[serde(default, rename = "KeepDefaultSMTP")]
    pub keep_default_smtp: bool,
}

/// `Enable-ExchangeCertificate`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct EnableRequest {
    #[serde(default)]
    pub store_root: Option<String>,
    #[serde(default)]
    pub server: Option<String>,
    pub thumbprint: String,
    /// Comma-separated services to add (`IIS, SMTP`).
    pub services: String,
    /// Replace the default SMTP certificate without asking.
    #[serde(default)]
    pub force: bool,
    /// Keep the default SMTP certificate and add this one for SMTP beside it (the answer No).
    #[serde(default, rename = "KeepDefaultSMTP")]
    pub keep_default_smtp: bool,
    /// Accepted for Exchange scripts; no effect off Windows (said in a warning).
    #[serde(default)]
    pub do_not_require_ssl: bool,
    /// Accepted for Exchange scripts; no effect off Windows (said in a warning).
    #[serde(default)]
    pub network_service_allowed: bool,
}

/// `Remove-ExchangeCertificate`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct RemoveRequest {
    #[serde(default)]
    pub store_root: Option<String>,
    #[serde(default)]
    pub server: Option<String>,
    pub thumbprint: String,
    /// Remove even a certificate in use (its services are left without a holder).
    #[serde(default)]
    pub force: bool,
}

/// Answer to a removal.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RemoveAnswer {
    pub schema: u32,
    /// `SERVER\THUMBPRINT` of what was removed.
    pub identity: String,
    pub warnings: Vec<String>,
}

/// `Import-ExchangeCertificate`. The PFX password travels beside the JSON, never in it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ImportRequest {
    #[serde(default)]
    pub store_root: Option<String>,
    #[serde(default)]
    pub server: Option<String>,
    /// Base64 of the file's bytes (DER, PEM, PKCS#7 or PKCS#12).
    pub file_data: String,
    /// Default False, as Exchange; a completed request keeps the request's setting.
    #[serde(default)]
    pub private_key_exportable: Option<bool>,
    #[serde(default)]
    pub friendly_name: Option<String>,
    /// Beyond Exchange: trust the (root) certificate(s) for the whole organisation store instead
    /// of importing them to a server.
    #[serde(default)]
    pub trusted_root: bool,
}

/// `Export-ExchangeCertificate`. The PFX password travels beside the JSON, never in it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ExportRequest {
    #[serde(default)]
    pub store_root: Option<String>,
    #[serde(default)]
    pub server: Option<String>,
    pub thumbprint: String,
    /// `Modern` (default) or `Legacy`.
    #[serde(default)]
    pub encryption: Option<String>,
    /// Export even an expired certificate.
    #[serde(default)]
    pub force: bool,
}

/// Answer to an export.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ExportAnswer {
    pub schema: u32,
    /// `Pkcs12`, `Certificate` or `CertificateRequest`.
    pub format: String,
    /// Base64 of the file's bytes.
    pub file_data: String,
    /// What `Export-ExchangeCertificate` prints without `-BinaryEncoded`: PEM-framed Base64 for
    /// a certificate or request, plain Base64 for a PFX.
    pub text: String,
    pub warnings: Vec<String>,
}

/// Answer carrying a list.

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListAnswer {
    pub schema: u32,
    pub certificates: Vec<ExchangeCertificate>,
    pub warnings: Vec<String>,
}
