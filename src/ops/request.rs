//! `New-ExchangeCertificate -GenerateRequest`: a PKCS#10 and its key, kept as a pending entry.

use super::describe::describe_stored;
use super::new::prepare;
use crate::cert::build;
use crate::cert::keys::PrivateKey;
use crate::cert::thumbprint;
use crate::model::{NewCertificateRequest, RequestAnswer};
use crate::platform::output_file;
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
    // Opened first: a path that cannot be written is refused before anything is made.
    let file = (req.request_file.as_ref())
        .map(|t| output_file::OutputFile::create(&t.path, output_file::READABLE))
        .transpose()?;
    let p = prepare(req, Source::Request)?;
    let key = PrivateKey::generate(p.key_spec)?;
    let der = build::request(&p.spec, &key)?;
    let id = thumbprint(&der);
    let lock = p.server.lock()?;
    let new = NewEntry {
        thumbprint: &id,
        certificate: None,
        request: Some(&der),
        private_key: Some(&key),
        chain: &[],
        metadata: p.metadata,
    };
    lock.add(&new)?;
    let certificate = describe_stored(&p.server, new.as_stored(), &p.server.assignments()?)?;
    let answer = RequestAnswer {
        certificate,
        request: der,
        warnings: lock
            .repair_warnings()
            .into_iter()
            .chain(p.warnings)
            .collect(),
    };
    drop(lock);
    if let (Some(file), Some(target)) = (file, &req.request_file) {
        let pem;
        let bytes = if target.binary_encoded {
            &answer.request
        } else {
            pem = answer.pem();
            pem.as_bytes()
        };
        // The request is kept either way: the error says how to get it again.
        file.commit(bytes).map_err(|e| {
            let identity = answer.certificate.identity();
            Error::new(e.code, format!("The request was made ({identity}; Export-ExchangeCertificate -Thumbprint {id} gives it again), but {}", e.message))
        })?;
    }
    Ok(answer)
}
