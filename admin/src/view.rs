//! What the pages show of a certificate: the cmdlets' object without its raw bytes, so a
//! listing of 10,000 certificates stays small.

use excert::model::ExchangeCertificate;
use excert::ops::rfc3339;
use serde::Serialize;

/// One row of the certificates list, with everything its details pane shows.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Row {
    pub identity: String,
    pub server: String,
    pub thumbprint: String,
    pub friendly_name: String,
    pub subject: String,
    pub issuer: String,
    pub status: String,
    pub not_before: String,
    pub not_after: String,
    pub services: String,
    pub days_until_expiry: i64,
    pub expiry_warning: bool,
    pub certificate_domains: Vec<String>,
    pub key_algorithm: String,
    pub public_key_size: u32,
    pub has_private_key: bool,
    pub private_key_exportable: bool,
    pub is_self_signed: bool,
    #[serde(rename = "RootCAType")]
    pub root_ca_type: String,
    /// Status `Revoked` only: the reason, date and source, as the cmdlets show them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revocation_reason: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revocation_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revocation_source: Option<String>,
}

impl From<ExchangeCertificate> for Row {
    fn from(c: ExchangeCertificate) -> Row {
        Row {
            identity: c.identity(),
            server: c.server,
            thumbprint: c.thumbprint,
            friendly_name: c.friendly_name,
            subject: c.subject,
            issuer: c.issuer,
            status: c.status.as_str().to_string(),
            not_before: rfc3339(c.not_before),
            not_after: rfc3339(c.not_after),
            services: c.services.to_string(),
            days_until_expiry: c.days_until_expiry,
            expiry_warning: c.expiry_warning,
            certificate_domains: c.certificate_domains,
            key_algorithm: c.key_algorithm,
            public_key_size: c.public_key_size,
            has_private_key: c.has_private_key,
            private_key_exportable: c.private_key_exportable,
            is_self_signed: c.is_self_signed,
            root_ca_type: c.root_ca_type.as_str().to_string(),
            revocation_reason: c.revocation.as_ref().map(|r| r.reason.as_str()),
            revocation_date: c.revocation.as_ref().map(|r| rfc3339(r.date)),
            revocation_source: c.revocation.map(|r| r.source),
        }
    }
}
