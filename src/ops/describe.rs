//! Presentation: an entry as the cmdlets show it, with its status against the trust anchors.

use super::DEFAULT_EXPIRY_WARNING_DAYS;
use crate::cert::chain::{self, RootCaType, Status, TrustAnchors};
use crate::cert::inspect::{CertificateInfo, RequestInfo};
use crate::model::ExchangeCertificate;
use crate::store::{Assignments, Entry, OrgCertificates, ServerStore, Source, Store};
use crate::Result;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// An entry just made here (self-signed or pending): its status needs no trust anchors.
pub(super) fn describe_stored(
    server: &ServerStore,
    thumb: &str,
    assignments: &Assignments,
) -> Result<ExchangeCertificate> {
    let entry = server
        .get(thumb)?
        .ok_or_else(|| crate::store::not_found(server.name(), thumb))?;
    describe(
        server,
        entry,
        assignments,
        DEFAULT_EXPIRY_WARNING_DAYS,
        &Trust {
            anchors: TrustAnchors::empty(),
            intermediates: Vec::new(),
        },
    )
}

/// The system trust store plus the roots and intermediates of the organisation store.
pub(super) fn trust(store: &Store) -> Result<Trust> {
    Ok(Trust {
        anchors: TrustAnchors::system()
            .with_org_roots(store.org_certificates(OrgCertificates::TrustedRoots)?),
        intermediates: store.org_certificates(OrgCertificates::Intermediates)?,
    })
}

/// What a chain is checked against: the anchors, and the intermediate CAs the organisation has
/// seen, for certificates stored without their chain (as Windows' intermediate CA store).
pub struct Trust {
    pub anchors: TrustAnchors,
    pub intermediates: Vec<Vec<u8>>,
}

pub(super) fn rfc3339(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_default()
}

pub(super) fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// An entry as the cmdlets show it.
pub fn describe(
    server: &ServerStore,
    mut entry: Entry,
    assignments: &Assignments,
    warning_days: u32,
    trust: &Trust,
) -> Result<ExchangeCertificate> {
    let now = OffsetDateTime::now_utc();
    let services = assignments.services_of(&entry.thumbprint);
    let mut c = ExchangeCertificate {
        identity: format!("{}\\{}", server.name(), entry.thumbprint),
        server: server.name().to_string(),
        thumbprint: entry.thumbprint.clone(),
        services: services.to_string(),
        services_string_form: services.string_form(),
        friendly_name: entry.metadata.friendly_name.clone(),
        has_private_key: entry.has_private_key,
        private_key_exportable: entry.has_private_key && entry.metadata.private_key_exportable,
        live_files: server.live_files_of(assignments, &entry.thumbprint),
        ..Default::default()
    };
    match &entry.certificate {
        Some(der) => {
            // Read once when the listing index was written; a clone is far cheaper than parsing.
            let info = match entry.certificate_info.take() {
                Some(info) => info,
                None => CertificateInfo::from_der(der)?,
            };
            // Ours are trusted where they were made, as Exchange shows its own (DESIGN §5).
            let (status, root) = if entry.metadata.source == Source::SelfSigned {
                let in_date = now >= info.not_before && now <= info.not_after;
                (
                    if in_date {
                        Status::Valid
                    } else {
                        Status::DateInvalid
                    },
                    RootCaType::None,
                )
            } else {
                let pool = [entry.chain.as_slice(), trust.intermediates.as_slice()].concat();
                chain::evaluate(der, &pool, &trust.anchors, now)
            };
            c.status = status.as_str().to_string();
            c.root_ca_type = root.as_str().to_string();
            c.subject = info.subject;
            c.issuer = info.issuer;
            c.not_before = rfc3339(info.not_before);
            c.not_after = rfc3339(info.not_after);
            c.days_until_expiry = (info.not_after - now).whole_days();
            c.expiry_warning = info.not_after - now < time::Duration::days(warning_days as i64);
            c.certificate_domains = info.dns_names.clone();
            c.dns_name_list = info.dns_names;
            // Ours are self-signed by construction; only others' self-issued ones need a check.
            c.is_self_signed = entry.metadata.source == Source::SelfSigned
                || (info.self_issued && crate::cert::inspect::self_signature_valid(der));
            c.serial_number = info.serial_number;
            c.public_key_size = info.public_key_size;
            c.key_algorithm = info.key_algorithm;
            c.signature_algorithm = info.signature_algorithm;
            c.subject_key_identifier = info.subject_key_identifier;
            c.enhanced_key_usage_list = info.enhanced_key_usage;
            c.version = info.version;
            c.raw_data = b64(der);
        }
        None => {
            let csr = entry.request.as_deref().unwrap_or_default();
            let info = RequestInfo::from_der(csr)?;
            c.status = "PendingRequest".to_string();
            c.root_ca_type = "Unknown".to_string();
            c.certificate_request = Some(b64(csr));
            c.subject = info.subject;
            c.certificate_domains = info.dns_names.clone();
            c.dns_name_list = info.dns_names;
            c.public_key_size = info.public_key_size;
            c.key_algorithm = info.key_algorithm;
            c.signature_algorithm = info.signature_algorithm;
            // A request has no validity yet; its creation time orders it among the others.
            c.not_before = rfc3339(entry.metadata.created);
            c.not_after = c.not_before.clone();
        }
    }
    Ok(c)
}
