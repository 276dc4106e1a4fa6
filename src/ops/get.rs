//! `Get-ExchangeCertificate -Thumbprint`: one entry, and the warnings every listing gives.

use super::describe::{describe_chain, trust};
use super::{find, DEFAULT_EXPIRY_WARNING_DAYS};
use crate::model::{CertificateAnswer, ExchangeCertificate, RevocationMode, ThumbprintRequest};
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
    let mut warnings = store.permission_warnings();
    warnings.extend(entry.key_file_exposed.as_deref().map(exposed_key_warning));
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
    let described = describe_chain(
        server,
        entry,
        assignments,
        DEFAULT_EXPIRY_WARNING_DAYS,
        &trust(store)?,
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

pub(super) fn exposed_key_warning(path: &std::path::Path) -> String {
    format!(
        "The private key file {} can be read by other users: run `chmod 600 '{}'`; until then the key is not used or exported",
        path.display(),
        path.display()
    )
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
