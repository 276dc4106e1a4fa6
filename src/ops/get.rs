//! `Get-ExchangeCertificate -Thumbprint`: one entry, and the warnings every listing gives.

use super::describe::{describe_chain, trust};
use super::list::list_certificates_wanting;
use super::{find, DEFAULT_EXPIRY_WARNING_DAYS};
use crate::cert::chain::Pool;
use crate::cert::normalize_thumbprint;
use crate::error::{Code, Error};
use crate::model::{
    CertificateAnswer, ExchangeCertificate, ListAnswer, ListRequest, RevocationMode,
    ThumbprintRequest,
};
use crate::store::Wanted;
use crate::store::{Assignments, Entry, ServerStore, Store};
use crate::Result;

/// `Get-ExchangeCertificate -Thumbprint`, revocation answers from the cache or the network.
pub fn get_certificate(req: &ThumbprintRequest) -> Result<CertificateAnswer> {
    get_certificate_with(req, RevocationMode::Online)
}

/// `Get-ExchangeCertificate -Thumbprint`, with `-RefreshRevocation` or `-OfflineRevocation`.
pub fn get_certificate_with(
    req: &ThumbprintRequest,
    revocation: RevocationMode,
) -> Result<CertificateAnswer> {
    let (store, server, entry) = find(
        req.store_root.as_deref(),
        req.server.as_deref(),
        &req.thumbprint,
    )?;
    let assignments = server.assignments()?;
    let mut warnings = store_warnings(&store, &server, Some(&entry.thumbprint));
    let certificate = describe_checked(
        &store,
        &server,
        entry,
        &assignments,
        revocation,
        &mut warnings,
    )?;
    warnings.extend(expiry_warnings(std::slice::from_ref(&certificate)));
    Ok(CertificateAnswer {
        warnings,
        certificate,
    })
}

/// `Get-ExchangeCertificate`'s listing. Narrowed to a thumbprint only (a warning threshold aside)
/// it is a look-up: a thumbprint no server listed has answers NotFound, as
/// `Get-ExchangeCertificate -Thumbprint` does. Narrowed further by names (`DomainName`, which
/// Exchange documents as a filter beside `Thumbprint`) or by expiry, an empty listing is the answer.
pub fn list_or_not_found(req: &ListRequest, wanted: Wanted) -> Result<ListAnswer> {
    let answer = list_certificates_wanting(req, wanted)?;
    let look_up = req.domain_name.is_empty() && req.expiring_within_days.is_none();
    match req.thumbprint.as_deref() {
        Some(thumbprint) if look_up && answer.certificates.is_empty() => {
            let thumb = normalize_thumbprint(thumbprint)?;
            match req.server.as_deref().map(str::trim) {
                Some("*") => Err(Error::new(
                    Code::NotFound,
                    format!(
                        "no server has a certificate or request with thumbprint {thumb}: list them \
                         with Get-ExchangeCertificate -Server *"
                    ),
                )),
                server => {
                    // The server's own NotFound (or why the server cannot be read).
                    find(req.store_root.as_deref(), server, &thumb)?;
                    Ok(answer)
                }
            }
        }
        _ => Ok(answer),
    }
}

/// One entry as the cmdlets show it, its revocation checked; the revocation warnings are added
/// to `warnings`.
pub(super) fn describe_checked(
    store: &Store,
    server: &ServerStore,
    entry: Entry,
    assignments: &Assignments,
    revocation: RevocationMode,
    warnings: &mut Vec<String>,
) -> Result<ExchangeCertificate> {
    let trust = trust(store)?;
    let pool = Pool::new(&trust.intermediates);
    let described = describe_chain(
        server,
        entry,
        assignments,
        DEFAULT_EXPIRY_WARNING_DAYS,
        &trust,
        &pool,
        time::OffsetDateTime::now_utc(),
    )?;
    let mut one = [described];
    warnings.extend(crate::revocation::apply(
        &mut one,
        &store.revocation_cache(),
        revocation,
    ));
    let [(certificate, _)] = one;
    Ok(certificate)
}

/// What every operation on an entry warns about: store paths others could have written (a
/// key others can read, a folder others can write ...), each with its fix.
/// `None` looks at every entry of the server (for operations that change it).
pub(super) fn store_warnings(
    store: &Store,
    server: &ServerStore,
    thumbprint: Option<&str>,
) -> Vec<String> {
    let mut warnings = store.permission_warnings();
    warnings.extend(server.path_warnings(thumbprint));
    warnings
}

/// A warning per certificate whose expiry is near or past.
pub(super) fn expiry_warnings(certs: &[ExchangeCertificate]) -> Vec<String> {
    certs
        .iter()
        .filter(|c| c.expiry_warning && !c.is_pending())
        .map(|c| {
            if c.days_until_expiry < 0 {
                format!(
                    "The certificate {} on server {} ({}) expired {} days ago: renew it with Get-ExchangeCertificate -Thumbprint {} -Server {} | New-ExchangeCertificate",
                    c.thumbprint, c.server, c.subject, -c.days_until_expiry, c.thumbprint, c.server
                )
            } else {
                format!(
                    "The certificate {} on server {} ({}) expires in {} days: renew it with Get-ExchangeCertificate -Thumbprint {} -Server {} | New-ExchangeCertificate",
                    c.thumbprint, c.server, c.subject, c.days_until_expiry, c.thumbprint, c.server
                )
            }
        })
        .collect()
}
