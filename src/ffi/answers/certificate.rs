//! A certificate in the JSON answers, with its properties in their documented order.

use crate::ffi::parse::b64;
use crate::model;
use crate::ops::rfc3339;
use serde::Serialize;

/// A certificate or pending request as the cmdlets show it (docs/cmdlets.md).
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(in crate::ffi) struct ExchangeCertificate {
    /// `SERVER\THUMBPRINT`.
    pub(in crate::ffi) identity: String,
    pub(in crate::ffi) server: String,
    pub(in crate::ffi) thumbprint: String,
    /// Flags as .NET prints them: `IMAP, POP, SMTP`, or `None`.
    pub(in crate::ffi) services: String,
    /// Seven letters `IPUWSFC`, `.` where unset.
    pub(in crate::ffi) services_string_form: String,
    pub(in crate::ffi) subject: String,
    pub(in crate::ffi) issuer: String,
    /// RFC 3339 UTC.
    pub(in crate::ffi) not_before: String,
    pub(in crate::ffi) not_after: String,
    pub(in crate::ffi) status: String,
    #[serde(rename = "RootCAType")]
    pub(in crate::ffi) root_ca_type: String,
    pub(in crate::ffi) certificate_domains: Vec<String>,
    pub(in crate::ffi) dns_name_list: Vec<String>,
    pub(in crate::ffi) friendly_name: String,
    pub(in crate::ffi) has_private_key: bool,
    pub(in crate::ffi) private_key_exportable: bool,
    pub(in crate::ffi) is_self_signed: bool,
    /// Upper-case hex of the serial's DER integer bytes, as .NET prints it.
    pub(in crate::ffi) serial_number: String,
    /// Bits.
    pub(in crate::ffi) public_key_size: u32,
    /// `RSA`, `ECDSA_P256`, `ECDSA_P384`.
    pub(in crate::ffi) key_algorithm: String,
    /// Windows' friendly name: `sha256RSA`, `sha256ECDSA` ...
    pub(in crate::ffi) signature_algorithm: String,
    pub(in crate::ffi) subject_key_identifier: String,
    /// `Server Authentication (1.3.6.1.5.5.7.3.1)`.
    pub(in crate::ffi) enhanced_key_usage_list: Vec<String>,
    pub(in crate::ffi) version: u32,
    /// Base64 DER; empty for a pending request.
    pub(in crate::ffi) raw_data: String,
    /// Base64 PKCS#10, pending requests only.
    pub(in crate::ffi) certificate_request: Option<String>,
    /// Whole days from now to NotAfter (negative once expired).
    pub(in crate::ffi) days_until_expiry: i64,
    /// True when NotAfter is within the warning threshold (or past).
    pub(in crate::ffi) expiry_warning: bool,
    /// Live PEM files per service (docs/live-files.md); empty until assigned.
    pub(in crate::ffi) live_files: std::collections::BTreeMap<String, String>,
    /// Status `Revoked` only: the reason as .NET's `X509RevocationReason` names it.
    pub(in crate::ffi) revocation_reason: Option<String>,
    /// Status `Revoked` only: RFC 3339 UTC.
    pub(in crate::ffi) revocation_date: Option<String>,
    /// Status `Revoked` only: `OCSP <url>` or `CRL <url>`, and which certificate of the chain
    /// is revoked when it is not this one.
    pub(in crate::ffi) revocation_source: Option<String>,
}

/// The properties of a certificate in the JSON answers, in order. The PowerShell module's copies
/// (`Native.cs`, the `.ps1xml` views) are checked against it (tests/drift.rs).
pub const CERTIFICATE_PROPERTIES: [&str; 32] = [
    "Identity",
    "Server",
    "Thumbprint",
    "Services",
    "ServicesStringForm",
    "Subject",
    "Issuer",
    "NotBefore",
    "NotAfter",
    "Status",
    "RootCAType",
    "CertificateDomains",
    "DnsNameList",
    "FriendlyName",
    "HasPrivateKey",
    "PrivateKeyExportable",
    "IsSelfSigned",
    "SerialNumber",
    "PublicKeySize",
    "KeyAlgorithm",
    "SignatureAlgorithm",
    "SubjectKeyIdentifier",
    "EnhancedKeyUsageList",
    "Version",
    "RawData",
    "CertificateRequest",
    "DaysUntilExpiry",
    "ExpiryWarning",
    "LiveFiles",
    "RevocationReason",
    "RevocationDate",
    "RevocationSource",
];

impl From<model::ExchangeCertificate> for ExchangeCertificate {
    fn from(c: model::ExchangeCertificate) -> Self {
        ExchangeCertificate {
            identity: c.identity(),
            services: c.services.to_string(),
            services_string_form: c.services.string_form(),
            not_before: rfc3339(c.not_before),
            not_after: rfc3339(c.not_after),
            status: c.status.as_str().to_string(),
            root_ca_type: c.root_ca_type.as_str().to_string(),
            revocation_reason: c.revocation.as_ref().map(|r| r.reason.as_str().to_string()),
            revocation_date: c.revocation.as_ref().map(|r| rfc3339(r.date)),
            revocation_source: c.revocation.map(|r| r.source),
            raw_data: b64(&c.raw_data),
            certificate_request: c.certificate_request.as_deref().map(b64),
            server: c.server,
            thumbprint: c.thumbprint,
            subject: c.subject,
            issuer: c.issuer,
            certificate_domains: c.certificate_domains,
            dns_name_list: c.dns_name_list,
            friendly_name: c.friendly_name,
            has_private_key: c.has_private_key,
            private_key_exportable: c.private_key_exportable,
            is_self_signed: c.is_self_signed,
            serial_number: c.serial_number,
            public_key_size: c.public_key_size,
            key_algorithm: c.key_algorithm,
            signature_algorithm: c.signature_algorithm,
            subject_key_identifier: c.subject_key_identifier,
            enhanced_key_usage_list: c.enhanced_key_usage_list,
            version: c.version,
            days_until_expiry: c.days_until_expiry,
            expiry_warning: c.expiry_warning,
            live_files: c.live_files,
        }
    }
}

#[cfg(test)]
pub(in crate::ffi) mod tests {
    use super::*;
    use crate::cert::chain::{RootCaType, Status};
    use crate::cert::services::Services;

    /// A certificate with every property set.
    pub(in crate::ffi) fn sample() -> ExchangeCertificate {
        ExchangeCertificate::from(sample_model())
    }

    /// The same, as a listing makes it.
    pub(in crate::ffi) fn sample_model() -> model::ExchangeCertificate {
        let at = time::OffsetDateTime::UNIX_EPOCH;
        model::ExchangeCertificate {
            server: "EX01".into(),
            thumbprint: "AB".into(),
            services: Services::DEFAULT,
            subject: "CN=x".into(),
            common_name: Some("x".into()),
            issuer: "CN=x".into(),
            not_before: at,
            not_after: at,
            status: Status::Valid,
            root_ca_type: RootCaType::None,
            certificate_domains: Vec::new(),
            dns_name_list: Vec::new(),
            friendly_name: "f".into(),
            has_private_key: true,
            private_key_exportable: false,
            is_self_signed: true,
            serial_number: "01".into(),
            public_key_size: 256,
            key_algorithm: "ECDSA_P256".into(),
            signature_algorithm: "sha256ECDSA".into(),
            subject_key_identifier: "00".into(),
            enhanced_key_usage_list: Vec::new(),
            version: 3,
            raw_data: vec![1],
            certificate_request: None,
            days_until_expiry: 0,
            expiry_warning: false,
            live_files: Default::default(),
            revocation: Some(model::Revocation {
                reason: model::RevocationReason::KeyCompromise,
                date: at,
                source: "CRL http://127.0.0.1/ca.crl".into(),
            }),
        }
    }

    #[test]
    fn certificate_properties_are_serialised_in_the_listed_order() {
        let c = sample();
        let text = serde_json::to_string(&c).unwrap();
        let mut at = 0;
        for name in CERTIFICATE_PROPERTIES {
            let key = format!("\"{name}\":");
            let found = text[at..]
                .find(&key)
                .unwrap_or_else(|| panic!("{name} missing or out of order in {text}"));
            at += found + key.len();
        }
        let keys = text.matches("\":").count();
        assert_eq!(keys, CERTIFICATE_PROPERTIES.len(), "{text}");
    }
}
