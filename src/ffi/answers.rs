//! The JSON answers of the C ABI, field for field and in the order `include/excert.h` documents
//! them, made from the core's typed answers. Private to `ffi`: the core never sees them.

use super::parse::b64;
use crate::model;
use crate::ops::rfc3339;
use serde::Serialize;
use zeroize::Zeroize;

use crate::model::SCHEMA;

/// A certificate or pending request as the cmdlets show it (docs/cmdlets.md).
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ExchangeCertificate {
    /// `SERVER\THUMBPRINT`.
    pub(super) identity: String,
    pub(super) server: String,
    pub(super) thumbprint: String,
    /// Flags as .NET prints them: `IMAP, POP, SMTP`, or `None`.
    pub(super) services: String,
    /// Seven letters `IPUWSFC`, `.` where unset.
    pub(super) services_string_form: String,
    pub(super) subject: String,
    pub(super) issuer: String,
    /// RFC 3339 UTC.
    pub(super) not_before: String,
    pub(super) not_after: String,
    pub(super) status: String,
    #[serde(rename = "RootCAType")]
    pub(super) root_ca_type: String,
    pub(super) certificate_domains: Vec<String>,
    pub(super) dns_name_list: Vec<String>,
    pub(super) friendly_name: String,
    pub(super) has_private_key: bool,
    pub(super) private_key_exportable: bool,
    pub(super) is_self_signed: bool,
    /// Upper-case hex of the serial's DER integer bytes, as .NET prints it.
    pub(super) serial_number: String,
    /// Bits.
    pub(super) public_key_size: u32,
    /// `RSA`, `ECDSA_P256`, `ECDSA_P384`.
    pub(super) key_algorithm: String,
    /// Windows' friendly name: `sha256RSA`, `sha256ECDSA` ...
    pub(super) signature_algorithm: String,
    pub(super) subject_key_identifier: String,
    /// `Server Authentication (1.3.6.1.5.5.7.3.1)`.
    pub(super) enhanced_key_usage_list: Vec<String>,
    pub(super) version: u32,
    /// Base64 DER; empty for a pending request.
    pub(super) raw_data: String,
    /// Base64 PKCS#10, pending requests only.
    pub(super) certificate_request: Option<String>,
    /// Whole days from now to NotAfter (negative once expired).
    pub(super) days_until_expiry: i64,
    /// True when NotAfter is within the warning threshold (or past).
    pub(super) expiry_warning: bool,
    /// Live PEM files per service (docs/live-files.md); empty until assigned.
    pub(super) live_files: std::collections::BTreeMap<String, String>,
    /// Status `Revoked` only: the reason as .NET's `X509RevocationReason` names it.
    pub(super) revocation_reason: Option<String>,
    /// Status `Revoked` only: RFC 3339 UTC.
    pub(super) revocation_date: Option<String>,
    /// Status `Revoked` only: `OCSP <url>` or `CRL <url>`, and which certificate of the chain
    /// is revoked when it is not this one.
    pub(super) revocation_source: Option<String>,
}

/// Answer carrying one certificate.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct CertificateAnswer {
    pub(super) schema: u32,
    pub(super) certificate: ExchangeCertificate,
    /// Non-fatal remarks for the caller to show as warnings.
    pub(super) warnings: Vec<String>,
}

/// Answer to `New-ExchangeCertificate -GenerateRequest`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct RequestAnswer {
    pub(super) schema: u32,
    /// The pending entry, as Get-ExchangeCertificate shows it.
    pub(super) certificate: ExchangeCertificate,
    /// The PKCS#10 as Base64 framed by `-----BEGIN NEW CERTIFICATE REQUEST-----`.
    pub(super) request: String,
    pub(super) warnings: Vec<String>,
}

/// Answer to a removal.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct RemoveAnswer {
    pub(super) schema: u32,
    /// `SERVER\THUMBPRINT` of what was removed.
    pub(super) identity: String,
    pub(super) warnings: Vec<String>,
}

/// Answer to an export.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ExportAnswer {
    pub(super) schema: u32,
    /// `Pkcs12`, `Certificate` or `CertificateRequest`.
    pub(super) format: String,
    /// Base64 of the file's bytes.
    pub(super) file_data: String,
    /// What `Export-ExchangeCertificate` prints without `-BinaryEncoded`: PEM-framed Base64 for
    /// a certificate or request, plain Base64 for a PFX.
    pub(super) text: String,
    pub(super) warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ListAnswer {
    pub(super) schema: u32,
    pub(super) certificates: Vec<ExchangeCertificate>,
    pub(super) warnings: Vec<String>,
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

impl From<model::CertificateAnswer> for CertificateAnswer {
    fn from(a: model::CertificateAnswer) -> Self {
        CertificateAnswer {
            schema: SCHEMA,
            certificate: a.certificate.into(),
            warnings: a.warnings,
        }
    }
}

impl From<model::RequestAnswer> for RequestAnswer {
    fn from(a: model::RequestAnswer) -> Self {
        let request = a.pem();
        RequestAnswer {
            schema: SCHEMA,
            certificate: a.certificate.into(),
            request,
            warnings: a.warnings,
        }
    }
}

/// A renewal answers as a new certificate, or as a new request.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(super) enum Renewed {
    Certificate(CertificateAnswer),
    Request(RequestAnswer),
}

impl From<model::Renewed> for Renewed {
    fn from(r: model::Renewed) -> Self {
        match r {
            model::Renewed::Certificate(a) => Renewed::Certificate(a.into()),
            model::Renewed::Request(a) => Renewed::Request(a.into()),
        }
    }
}

impl From<model::RemoveAnswer> for RemoveAnswer {
    fn from(a: model::RemoveAnswer) -> Self {
        RemoveAnswer {
            schema: SCHEMA,
            identity: a.identity(),
            warnings: a.warnings,
        }
    }
}

impl From<model::ExportAnswer> for ExportAnswer {
    fn from(a: model::ExportAnswer) -> Self {
        let text = a.text().to_string();
        ExportAnswer {
            schema: SCHEMA,
            format: a.format.as_str().to_string(),
            file_data: b64(&a.file_data),
            text,
            warnings: a.warnings,
        }
    }
}

/// The Base64 of a PFX is the key, encrypted by a password that may be weak: zeroed.
impl Drop for ExportAnswer {
    fn drop(&mut self) {
        self.file_data.zeroize();
        self.text.zeroize();
    }
}

impl From<model::ListAnswer> for ListAnswer {
    fn from(a: model::ListAnswer) -> Self {
        ListAnswer {
            schema: SCHEMA,
            certificates: a.certificates.into_iter().map(Into::into).collect(),
            warnings: a.warnings,
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::cert::chain::{RootCaType, Status};
    use crate::cert::services::Services;

    /// A certificate with every property set.
    pub(in crate::ffi) fn sample() -> ExchangeCertificate {
        let at = time::OffsetDateTime::UNIX_EPOCH;
        ExchangeCertificate::from(model::ExchangeCertificate {
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
        })
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

/// An accepted domain as the cmdlets show it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct AcceptedDomainView {
    name: String,
    domain_name: String,
    domain_type: &'static str,
    default: bool,
}

impl From<model::AcceptedDomainView> for AcceptedDomainView {
    fn from(d: model::AcceptedDomainView) -> Self {
        AcceptedDomainView {
            name: d.name,
            domain_name: d.domain_name,
            domain_type: d.domain_type.as_str(),
            default: d.default,
        }
    }
}

/// Answer carrying one accepted domain (new, remove).
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct AcceptedDomainAnswer {
    schema: u32,
    accepted_domain: AcceptedDomainView,
    warnings: Vec<String>,
}

impl From<model::AcceptedDomainAnswer> for AcceptedDomainAnswer {
    fn from(a: model::AcceptedDomainAnswer) -> Self {
        AcceptedDomainAnswer {
            schema: SCHEMA,
            accepted_domain: a.accepted_domain.into(),
            warnings: a.warnings,
        }
    }
}

/// Answer carrying the accepted domains, in the order added.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct AcceptedDomainListAnswer {
    schema: u32,
    accepted_domains: Vec<AcceptedDomainView>,
    warnings: Vec<String>,
}

impl From<model::AcceptedDomainListAnswer> for AcceptedDomainListAnswer {
    fn from(a: model::AcceptedDomainListAnswer) -> Self {
        AcceptedDomainListAnswer {
            schema: SCHEMA,
            accepted_domains: a
                .accepted_domains
                .into_iter()
                .map(AcceptedDomainView::from)
                .collect(),
            warnings: a.warnings,
        }
    }
}
