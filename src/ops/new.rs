//! `New-ExchangeCertificate`: a self-signed certificate, stored with its key and assigned.

use super::accepted_domain::certificate_names;
use super::assign::{assign, AssignRules};
use super::describe::{describe_stored, rfc3339};
use super::validate::{friendly_name, subject_key_identifier, validity};
use crate::cert::build::{self, CertificateSpec};
use crate::cert::host::HostNames;
use crate::cert::keys::{KeySpec, PrivateKey};
use crate::cert::names::{self, SanRequest, Subject};
use crate::cert::services::Services;
use crate::cert::thumbprint;
use crate::model::{CertificateAnswer, NewCertificateRequest};
use crate::store::{Metadata, NewEntry, ServerStore, Source, Store};
use crate::{Code, Error, Result};
use time::OffsetDateTime;

/// What `New-ExchangeCertificate` resolved from its parameters, before any key exists.
pub(super) struct Prepared {
    pub(super) server: ServerStore,
    pub(super) spec: CertificateSpec,
    pub(super) key_spec: KeySpec,
    pub(super) metadata: Metadata,
    /// Store paths others could have written, judged before anything is changed.
    pub(super) warnings: Vec<String>,
}

pub(super) fn prepare(req: &NewCertificateRequest, source: Source) -> Result<Prepared> {
    let store = Store::open(req.store_root.as_deref())?;
    let server = store.server(req.server.as_deref())?;
    let warnings = super::get::store_warnings(&store, &server, None);
    let mut host = HostNames::for_server(req.server.as_deref());
    if !host.fqdn.contains('.') {
        // Named by its short name: the FQDN a writer recorded for it, when there is one.
        if let Some(fqdn) = server.fqdn() {
            host.fqdn = fqdn;
        }
    }
    let subject = match &req.subject_name {
        Some(s) => s.clone(),
        None => Subject::common_name_only(&host.name),
    };
    // Exchange adds the accepted domains after the names given; duplicates are dropped below.
    let mut domain_names = req.domain_name.clone();
    domain_names.extend(certificate_names(
        &store,
        req.include_accepted_domains,
        req.include_autodiscover,
    )?);
    let sans = names::san_list(
        &subject,
        &SanRequest {
            domain_names: &domain_names,
            include_server_fqdn: req.include_server_fqdn,
            include_server_netbios_name: req.include_server_netbios_name,
        },
        &host,
    )?;
    let metadata = Metadata {
        friendly_name: friendly_name(req.friendly_name.as_deref())?,
        private_key_exportable: req.private_key_exportable,
        created: OffsetDateTime::now_utc(),
        source,
    };
    let key_spec = KeySpec::new(req.key_algorithm, req.key_size)?;
    let (not_before, not_after) = validity(req.not_before, req.not_after)?;
    let subject_key_identifier = req
        .subject_key_identifier
        .as_deref()
        .map(subject_key_identifier)
        .transpose()?;
    Ok(Prepared {
        server,
        spec: CertificateSpec {
            subject,
            sans,
            not_before,
            not_after,
            subject_key_identifier,
        },
        key_spec,
        metadata,
        warnings,
    })
}

/// `New-ExchangeCertificate`: a self-signed certificate with Exchange's defaults, stored with
/// its key and assigned to its services.
pub fn new_certificate(req: &NewCertificateRequest) -> Result<CertificateAnswer> {
    if req.request_file.is_some() {
        return Err(Error::invalid(
            "RequestFile goes with a request (-GenerateRequest): add it, or leave RequestFile out for a self-signed certificate",
        ));
    }
    let p = prepare(req, Source::SelfSigned)?;
    let services = match req.services {
        Some(s) => s,
        // Exchange: with the accepted-domain switches and no -Services, SMTP only.
        None if req.include_accepted_domains || req.include_autodiscover => Services::SMTP,
        None => Services::DEFAULT,
    };
    // Enable refuses a certificate outside its validity period; New assigns the same way.
    let now = OffsetDateTime::now_utc();
    if services != Services::NONE && (now > p.spec.not_after || now < p.spec.not_before) {
        return Err(Error::new(
            Code::Expired,
            format!(
                "the certificate would be valid only from {} to {}, so it cannot be assigned to \
                 services: give NotBefore and NotAfter around today, or Services None",
                rfc3339(p.spec.not_before),
                rfc3339(p.spec.not_after)
            ),
        ));
    }
    let key = PrivateKey::generate(p.key_spec)?;
    let der = build::self_signed(&p.spec, &key)?;
    let thumb = thumbprint(&der);

    let server = &p.server;
    let found = p.warnings;
    let lock = server.lock()?;
    let mut assignments = server.assignments()?;
    // Checked before anything is written, so a refusal leaves the store as it was.
    let rules = AssignRules {
        force: req.force,
        keep_default_smtp: req.keep_default_smtp,
        allow_federation: true,
    };
    let warnings = assign(&mut assignments, &thumb, services, rules)?;
    let new = NewEntry {
        thumbprint: &thumb,
        certificate: Some(&der),
        request: None,
        private_key: Some(&key),
        chain: &[],
        metadata: p.metadata,
    };
    lock.add(&new)?;
    let mut warnings = warnings;
    if services != Services::NONE {
        warnings.extend(lock.set_assignments(&assignments)?);
    }
    warnings.extend(lock.repair_warnings());
    warnings.extend(found);
    let certificate = describe_stored(server, new.as_stored(), &assignments)?;
    Ok(CertificateAnswer {
        certificate,
        warnings,
    })
}
