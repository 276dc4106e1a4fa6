//! `Remove-ExchangeCertificate`: a certificate or pending request and its key go.

use super::assign::release;
use super::get::store_warnings;
use crate::cert::normalize_thumbprint;
use crate::model::{RemoveAnswer, RemoveRequest};
use crate::store::Store;
use crate::Result;

/// `Remove-ExchangeCertificate`: deletes a certificate or pending request and its key. A
/// certificate in use (the default SMTP certificate, or the only holder of a service) is
/// refused unless `force`.
pub fn remove(req: &RemoveRequest) -> Result<RemoveAnswer> {
    let store = Store::open(req.store_root.as_deref())?;
    let server = store.server(req.server.as_deref())?;
    let thumb = normalize_thumbprint(&req.thumbprint)?;
    // Judged before the lock's repair and the removal put anything right.
    let found = store_warnings(&store, &server, None);
    let lock = server.lock_existing(&thumb)?;
    let mut assignments = server.assignments()?;
    let mut warnings = release(&mut assignments, &thumb, server.name(), req.force)?;
    // The assignments let go first, so no live file points at a certificate being deleted.
    warnings.extend(lock.set_assignments(&assignments)?);
    lock.remove(&thumb)?;
    warnings.extend(lock.repair_warnings());
    warnings.extend(found);
    Ok(RemoveAnswer {
        server: server.name().to_string(),
        thumbprint: thumb,
        warnings,
    })
}
