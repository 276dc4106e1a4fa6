//! `New-ExchangeCertificate -GenerateRequest`: a PKCS#10 and its key, kept as a pending entry.

use super::describe::describe_stored;
use super::new::prepare;
use crate::cert::build;
use crate::cert::keys::PrivateKey;
use crate::cert::thumbprint;
use crate::model::{NewCertificateRequest, RequestAnswer};
use crate::store::{NewEntry, Source};
use crate::{Error, Result};

/// `New-ExchangeCertificate -GenerateRequest`: a PKCS#10 for a CA, kept as a pending entry
/// (with its key) until `Import-ExchangeCertificate` completes it.
pub fn new_request(req: &NewCertificateRequest) -> Result<RequestAnswer> {
    if req.services.is_some() {
        return Err(Error::invalid(
            "Services cannot be given with a request: complete the request with Import-ExchangeCertificate, then assign services with Enable-ExchangeCertificate",
        ));
    }
    if req.not_before.is_some() || req.not_after.is_some() {
        return Err(Error::invalid(
            "NotBefore and NotAfter are chosen by the CA for a request: leave them out",
        ));
    }
    let p = prepare(req, Source::Request)?;
    let key = PrivateKey::generate(p.key_spec)?;
    let der = build::request(&p.spec, &key)?;
    let id = thumbprint(&der);
    let lock = p.server.lock()?;
    lock.add(&NewEntry {
        thumbprint: &id,
        certificate: None,
        request: Some(&der),
        private_key: Some(&key),
        chain: &[],
        metadata: p.metadata,
    })?;
    let certificate = describe_stored(&p.server, &id, &p.server.assignments()?)?;
    Ok(RequestAnswer {
        certificate,
        request: der,
        warnings: lock
            .repair_warnings()
            .into_iter()
            .chain(p.warnings)
            .collect(),
    })
}
