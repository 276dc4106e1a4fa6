//! Presentation: an entry as the cmdlets show it, with its status against the trust anchors.

use super::DEFAULT_EXPIRY_WARNING_DAYS;
use crate::cert::chain::{self, Pool, RootCaType, Status, TrustAnchors, VerifiedIssuers};
use crate::cert::inspect::{CertificateInfo, RequestInfo};
use crate::model::ExchangeCertificate;
use crate::revocation::{LeafFacts, Unchecked};
use crate::store::{Assignments, Entry, OrgCertificates, ServerStore, Source, Store};
use crate::Result;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// An entry just made here (self-signed or pending), as `NewEntry::as_stored` gives it: its
/// status needs no trust anchors.
pub(super) fn describe_stored(
    server: &ServerStore,
    entry: Entry,
    assignments: &Assignments,
) -> Result<ExchangeCertificate> {
    describe(
        server,
        entry,
        assignments,
        DEFAULT_EXPIRY_WARNING_DAYS,
        &Trust {
            anchors: TrustAnchors::empty(),
            intermediates: Vec::new(),
            verified: VerifiedIssuers::default(),
        },
    )
}

/// The system trust store plus the roots and intermediates of the organisation store.
pub(super) fn trust(store: &Store) -> Result<Trust> {
    Ok(Trust {
        anchors: TrustAnchors::system()
            .with_org_roots(store.org_certificates(OrgCertificates::TrustedRoots)?),
        intermediates: store.org_certificates(OrgCertificates::Intermediates)?,
        verified: VerifiedIssuers::default(),
    })
}

/// What a chain is checked against: the anchors, and the intermediate CAs the organisation has
/// seen, for certificates stored without their chain (as Windows' intermediate CA store).
pub struct Trust {
    pub anchors: TrustAnchors,
    pub intermediates: Vec<Vec<u8>>,
    /// CA signatures checked so far with this trust (one listing).
    pub verified: VerifiedIssuers,
}

/// RFC 3339 in UTC, as answers and messages write dates.
pub fn rfc3339(t: OffsetDateTime) -> String {
    match rfc3339_whole_seconds(t) {
        // The bytes are ASCII digits and separators.
        Some(bytes) => bytes.iter().map(|&b| b as char).collect(),
        None => t
            .to_offset(time::UtcOffset::UTC)
            .format(&Rfc3339)
            .unwrap_or_default(),
    }
}

/// `rfc3339` without an allocation, for the dates a listing writes (20,000 of them, where the
/// general formatter cost a tenth of a listing): certificate dates are whole seconds, written by
/// hand. `None` for anything else (fractions of a second, years outside 0 to 9999).
pub fn rfc3339_whole_seconds(t: OffsetDateTime) -> Option<[u8; 20]> {
    let t = t.to_offset(time::UtcOffset::UTC);
    if t.nanosecond() != 0 || !(0..=9999).contains(&t.year()) {
        return None;
    }
    let year = t.year() as u16;
    let digits = [
        (year / 100) as u8,
        (year % 100) as u8,
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
    ];
    let mut out = *b"0000-00-00T00:00:00Z";
    for (n, at) in digits.into_iter().zip([0, 2, 5, 8, 11, 14, 17]) {
        out[at] = b'0' + n / 10;
        out[at + 1] = b'0' + n % 10;
    }
    Some(out)
}

/// An entry as the cmdlets show it, its revocation unchecked.
pub fn describe(
    server: &ServerStore,
    entry: Entry,
    assignments: &Assignments,
    warning_days: u32,
    trust: &Trust,
) -> Result<ExchangeCertificate> {
    let pool = Pool::new(&trust.intermediates);
    let now = OffsetDateTime::now_utc();
    describe_chain(server, entry, assignments, warning_days, trust, &pool, now).map(|(c, _)| c)
}

/// As `describe`, with the trusted path (DER, leaf first) whose revocation is still to be
/// checked: empty unless the chain is otherwise `Valid` and CA-issued. The checks of a whole
/// answer run at once (`revocation::apply`), so that shared CRLs are read once. `pool` is
/// `trust`'s intermediates, parsed once for a whole listing; `now` the time the listing judges
/// dates against (read once for all its certificates).
pub(super) fn describe_chain<'t>(
    server: &ServerStore,
    mut entry: Entry,
    assignments: &Assignments,
    warning_days: u32,
    trust: &'t Trust,
    pool: &Pool<'t>,
    now: OffsetDateTime,
) -> Result<(ExchangeCertificate, Unchecked<'t>)> {
    let Some(der) = entry.certificate.take() else {
        let csr = entry.request.take().unwrap_or_default();
        let info = request_info(RequestInfo::from_der(&csr)?, entry.metadata.created);
        let pending = Shown {
            info,
            status: Status::PendingRequest,
            root_ca_type: RootCaType::Unknown,
            is_self_signed: false,
            raw_data: Vec::new(),
            certificate_request: Some(csr),
            expiry: None,
        };
        return Ok((
            view(server, entry, assignments, pending),
            Unchecked::default(),
        ));
    };
    // Read once when the listing index was written; a clone is far cheaper than parsing.
    let info = match entry.certificate_info.take() {
        Some(info) => info,
        None => CertificateInfo::from_der(&der)?,
    };
    let ours = entry.metadata.source == Source::SelfSigned;
    // Ours are trusted where they were made, as Exchange shows its own (docs/cmdlets.md).
    let (status, root_ca_type, unchecked) = if ours {
        let in_date = now >= info.not_before && now <= info.not_after;
        let status = if in_date {
            Status::Valid
        } else {
            Status::DateInvalid
        };
        (status, RootCaType::None, Unchecked::default())
    } else {
        let (anchors, verified) = (&trust.anchors, &trust.verified);
        let found = chain::evaluate_in(
            &der,
            &entry.chain,
            pool,
            anchors,
            now,
            verified,
            LeafFacts::of,
        );
        // Only a Valid path with an issuer is checked (a self-signed certificate never is).
        let unchecked = match found.leaf_facts {
            Some(leaf) => Unchecked {
                path: found.path,
                leaf: Some(leaf),
            },
            None => Unchecked::default(),
        };
        (found.status, found.root_ca_type, unchecked)
    };
    let left = info.not_after - now;
    let expiry = (
        left.whole_days(),
        left < time::Duration::days(warning_days as i64),
    );
    let certificate = Shown {
        // Ours are self-signed by construction; only others' self-issued ones need a check.
        is_self_signed: ours
            || (info.self_issued && crate::cert::inspect::self_signature_valid(&der)),
        info,
        status,
        root_ca_type,
        raw_data: der,
        certificate_request: None,
        expiry: Some(expiry),
    };
    Ok((view(server, entry, assignments, certificate), unchecked))
}

/// What tells a certificate from a pending request; the rest of the view comes from the entry.
struct Shown {
    /// A request's as far as it has them (no issuer, serial or validity).
    info: CertificateInfo,
    status: Status,
    root_ca_type: RootCaType,
    is_self_signed: bool,
    raw_data: Vec<u8>,
    certificate_request: Option<Vec<u8>>,
    /// Whole days to NotAfter and whether to warn; `None` for a request (no validity yet).
    expiry: Option<(i64, bool)>,
}

/// The one place an entry becomes the view the cmdlets show.
fn view(
    server: &ServerStore,
    entry: Entry,
    assignments: &Assignments,
    shown: Shown,
) -> ExchangeCertificate {
    let info = shown.info;
    let (days_until_expiry, expiry_warning) = shown.expiry.unwrap_or((0, false));
    ExchangeCertificate {
        server: server.name().to_string(),
        services: assignments.services_of(&entry.thumbprint),
        live_files: server.live_files_of(assignments, &entry.thumbprint),
        private_key_exportable: entry.has_private_key && entry.metadata.private_key_exportable,
        thumbprint: entry.thumbprint,
        subject: info.subject,
        common_name: info.common_name,
        issuer: info.issuer,
        not_before: info.not_before,
        not_after: info.not_after,
        status: shown.status,
        root_ca_type: shown.root_ca_type,
        certificate_domains: info.dns_names.clone(),
        dns_name_list: info.dns_names,
        friendly_name: entry.metadata.friendly_name,
        has_private_key: entry.has_private_key,
        is_self_signed: shown.is_self_signed,
        serial_number: info.serial_number,
        public_key_size: info.public_key_size,
        key_algorithm: info.key_algorithm,
        signature_algorithm: info.signature_algorithm,
        subject_key_identifier: info.subject_key_identifier,
        enhanced_key_usage_list: info.enhanced_key_usage,
        version: info.version,
        raw_data: shown.raw_data,
        certificate_request: shown.certificate_request,
        days_until_expiry,
        expiry_warning,
        revocation: None,
    }
}

/// A request's properties in a certificate's shape. It has no validity yet: its creation time
/// orders it among the others.
fn request_info(request: RequestInfo, created: OffsetDateTime) -> CertificateInfo {
    CertificateInfo {
        subject: request.subject,
        issuer: String::new(),
        not_before: created,
        not_after: created,
        dns_names: request.dns_names,
        common_name: request.common_name,
        serial_number: String::new(),
        public_key_size: request.public_key_size,
        key_algorithm: request.key_algorithm,
        signature_algorithm: request.signature_algorithm,
        subject_key_identifier: String::new(),
        enhanced_key_usage: Vec::new(),
        version: 0,
        self_issued: false,
        public_key_info: request.public_key_info,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_time_writes_them() {
        for unix in [
            0,
            951_782_400,
            1_764_585_221,
            253_402_300_799,
            -62_135_596_800,
        ] {
            let t = OffsetDateTime::from_unix_timestamp(unix).unwrap();
            assert_eq!(rfc3339(t), t.format(&Rfc3339).unwrap(), "{unix}");
        }
        let offset = time::UtcOffset::from_hms(2, 0, 0).unwrap();
        let t = OffsetDateTime::from_unix_timestamp(1_764_585_221).unwrap();
        assert_eq!(rfc3339(t.to_offset(offset)), "2025-12-01T10:33:41Z");
        let t = OffsetDateTime::from_unix_timestamp_nanos(1_764_585_221_500_000_000).unwrap();
        assert_eq!(rfc3339(t), "2025-12-01T10:33:41.5Z");
    }
}
