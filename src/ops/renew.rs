//! Renewal (`Get-ExchangeCertificate T | New-ExchangeCertificate`).

use super::find;
use super::new::new_certificate;
use super::request::new_request;
use crate::cert::inspect::CertificateInfo;
use crate::model::{CertificateAnswer, NewCertificateRequest, RenewRequest, RequestAnswer};
use crate::{Code, Error, Result};

/// The answer of `renew`: a certificate, or a request.
#[derive(serde::Serialize)]
#[serde(untagged)]
pub enum Renewed {
    Certificate(CertificateAnswer),
    Request(RequestAnswer),
}

/// Renewal: a new key, and a certificate (or request) with the old one's subject, domain
/// names, friendly name, key algorithm and size, exportability and services.
pub fn renew(req: &RenewRequest) -> Result<Renewed> {
    let (_, server, entry) = find(
        req.store_root.as_deref(),
        req.server.as_deref(),
        &req.thumbprint,
    )?;
    let thumb = entry.thumbprint.clone();
    let Some(der) = &entry.certificate else {
        return Err(Error::new(
            Code::PendingRequest,
            format!("{thumb} is a pending request, not a certificate: complete it with Import-ExchangeCertificate, or remove it and make a new request"),
        ));
    };
    let info = CertificateInfo::from_der(der)?;
    let (key_algorithm, key_size) = match info.key_algorithm.as_str() {
        "RSA" => (None, Some(info.public_key_size)),
        other => (Some(other.to_string()), None),
    };
    let new = NewCertificateRequest {
        store_root: req.store_root.clone(),
        server: Some(server.name().to_string()),
        subject_name: Some(crate::cert::inspect::subject_name_text(der)?),
        domain_name: info.dns_names,
        friendly_name: Some(
            req.friendly_name
                .clone()
                .unwrap_or(entry.metadata.friendly_name),
        ),
        key_size,
        key_algorithm,
        private_key_exportable: req
            .private_key_exportable
            .unwrap_or(entry.metadata.private_key_exportable),
        force: req.force,
        ..Default::default()
    };
    if req.generate_request {
        return new_request(&new).map(Renewed::Request);
    }
    let services = server.assignments()?.services_of(&thumb);
    new_certificate(&NewCertificateRequest {
        services: Some(services.to_string()),
        ..new
    })
    .map(Renewed::Certificate)
}
