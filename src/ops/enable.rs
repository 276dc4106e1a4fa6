//! `Enable-ExchangeCertificate`: services for a certificate.

use super::assign::{assign, AssignRules};
use super::describe::rfc3339;
use super::get::describe_checked;
use super::get::store_warnings;
use crate::cert::inspect::CertificateInfo;
use crate::cert::normalize_thumbprint;
use crate::cert::services::Services;
use crate::model::{CertificateAnswer, EnableRequest, RevocationMode};
use crate::store::Store;
use crate::{Code, Error, Result};
use time::OffsetDateTime;

/// `Enable-ExchangeCertificate`: adds services to a certificate (docs/cmdlets.md). Single-holder
/// services move to it; the default SMTP certificate changes only with `force`.
pub fn enable(req: &EnableRequest) -> Result<CertificateAnswer> {
    let store = Store::open(req.store_root.as_deref())?;
    let server = store.server(req.server.as_deref())?;
    let thumb = normalize_thumbprint(&req.thumbprint)?;
    let services = req.services;
    // Judged before the lock's repair and this change put anything right.
    let found = store_warnings(&store, &server, None);
    let lock = server.lock_existing(&thumb)?;
    let entry = server
        .get(&thumb)?
        .ok_or_else(|| crate::store::not_found(server.name(), &thumb))?;
    let Some(der) = &entry.certificate else {
        return Err(Error::new(
            Code::PendingRequest,
            format!("{thumb} is a pending request: complete it with Import-ExchangeCertificate first, then enable the certificate"),
        ));
    };
    if !entry.has_private_key {
        return Err(Error::new(
            Code::NoPrivateKey,
            format!("{thumb} has no private key, so no service can use it: import it again with its key (a PFX file)"),
        ));
    }
    let info = CertificateInfo::from_der(der)?;
    let now = OffsetDateTime::now_utc();
    if now > info.not_after || now < info.not_before {
        return Err(Error::new(
            Code::Expired,
            format!(
                "{thumb} is valid only from {} to {}: renew it (Get-ExchangeCertificate -Thumbprint {thumb} | New-ExchangeCertificate) and enable the new one",
                rfc3339(info.not_before),
                rfc3339(info.not_after)
            ),
        ));
    }
    let mut assignments = server.assignments()?;
    let rules = AssignRules {
        force: req.force,
        keep_default_smtp: req.keep_default_smtp,
        allow_federation: false,
    };
    let mut warnings = assign(&mut assignments, &thumb, services, rules)?;
    if (services.contains(Services::IMAP) || services.contains(Services::POP))
        && info.dns_names.iter().any(|n| n.starts_with("*."))
    {
        warnings.push(format!(
            "{thumb} is a wildcard certificate: IMAP and POP clients that check the name see the wildcard; set the IMAP/POP X509CertificateName to a name the certificate covers"
        ));
    }
    if req.do_not_require_ssl || req.network_service_allowed {
        warnings.push("DoNotRequireSsl and NetworkServiceAllowed concern IIS and Windows accounts; they change nothing here (live key files stay 0600)".to_string());
    }
    if services != Services::NONE {
        warnings.extend(lock.set_assignments(&assignments)?);
    }
    warnings.extend(lock.repair_warnings());
    warnings.extend(found);
    let certificate = describe_checked(
        &store,
        &server,
        entry,
        &assignments,
        RevocationMode::Online,
        &mut warnings,
    )?;
    Ok(CertificateAnswer {
        certificate,
        warnings,
    })
}
