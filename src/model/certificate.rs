//! A certificate as the cmdlets show it, and why it is revoked.

use crate::cert::chain::{RootCaType, Status};
use crate::cert::services::Services;
use std::collections::BTreeMap;
use time::OffsetDateTime;

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
