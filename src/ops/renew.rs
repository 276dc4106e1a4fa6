//! Renewal (`Get-ExchangeCertificate T | New-ExchangeCertificate`).

use super::find;
use super::new::new_certificate;
use super::request::new_request;
use crate::cert::inspect::CertificateInfo;
use crate::cert::keys::KeyAlgorithm;
use crate::cert::names::Subject;
use crate::model::{NewCertificateRequest, RenewRequest, Renewed};
use crate::{Code, Error, Result};

/// Renewal: a new key, and a certificate (or request) with the old one's subject, domain
/// names, friendly name, key algorithm and size, exportability and services, except what the
/// request overrides (`Get-ExchangeCertificate T | New-ExchangeCertificate -Services IIS,SMTP
/// -KeySize 4096`).
pub fn renew(req: &RenewRequest) -> Result<Renewed> {
    let (_, server, entry) = find(
        req.store_root.as_deref(),
        req.server.as_deref(),
        &req.thumbprint,
    )?;
    let thumb = entry.thumbprint.clone();
    if req.request_file.is_some() && !req.generate_request {
        return Err(Error::invalid(
            "RequestFile goes with a renewal request (GenerateRequest): add it, or leave RequestFile out for a self-signed renewal",
        ));
    }
    let Some(der) = &entry.certificate else {
        return Err(Error::new(
            Code::PendingRequest,
            format!("{thumb} is a pending request, not a certificate: complete it with Import-ExchangeCertificate, or remove it and make a new request"),
        ));
    };
    let info = CertificateInfo::from_der(der)?;
    // What the caller gives wins (a key size alone means RSA); the rest is the old one's.
    let (key_algorithm, key_size) = match (req.key_algorithm, req.key_size) {
        (Some(algorithm), size) => (algorithm, size),
        (None, Some(size)) => (KeyAlgorithm::Rsa, Some(size)),
        (None, None) => match KeyAlgorithm::parse(&info.key_algorithm)? {
            KeyAlgorithm::Rsa => (KeyAlgorithm::Rsa, Some(info.public_key_size)),
            other => (other, None),
        },
    };
    let subject_name = match &req.subject_name {
        Some(s) => s.clone(),
        // As text, so a name this library could not write again is refused with the reason.
        None => Subject::parse(&crate::cert::inspect::subject_name_text(der)?)?,
    };
    let new = NewCertificateRequest {
        store_root: req.store_root.clone(),
        server: Some(server.name().to_string()),
        subject_name: Some(subject_name),
        domain_name: req.domain_name.clone().unwrap_or(info.dns_names),
        friendly_name: Some(
            req.friendly_name
                .clone()
                .unwrap_or(entry.metadata.friendly_name),
        ),
        key_size,
        key_algorithm: Some(key_algorithm),
        private_key_exportable: req
            .private_key_exportable
            .unwrap_or(entry.metadata.private_key_exportable),
        subject_key_identifier: req.subject_key_identifier.clone(),
        include_server_fqdn: req.include_server_fqdn,
        include_server_netbios_name: req.include_server_netbios_name,
        include_accepted_domains: req.include_accepted_domains,
        include_autodiscover: req.include_autodiscover,
        force: req.force,
        keep_default_smtp: req.keep_default_smtp,
        ..Default::default()
    };
    if req.generate_request {
        return new_request(&NewCertificateRequest {
            request_file: req.request_file.clone(),
            ..new
        })
        .map(Renewed::Request);
    }
    let services = match req.services {
        Some(s) => s,
        None => server.assignments()?.services_of(&thumb),
    };
    new_certificate(&NewCertificateRequest {
        services: Some(services),
        ..new
    })
    .map(Renewed::Certificate)
}
