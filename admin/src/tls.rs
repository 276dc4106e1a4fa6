//! The HTTPS identity: the admin's own PEM files, or a self-signed certificate of ours that
//! the admin center makes once and keeps in the store for this host.

use excert::cert::chain::Status;
use excert::cert::keys::KeyAlgorithm;
use excert::cert::names::Subject;
use excert::cert::services::Services;
use excert::model::{ListRequest, NewCertificateRequest, RevocationMode};
use excert::store::Store;
use rustls::ServerConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::path::Path;
use std::sync::Arc;

/// Friendly name of the admin center's own certificate in the store.
pub const ADMIN_FRIENDLY_NAME: &str = "excert admin center";
/// A kept certificate this close to expiry is replaced at start.
const RENEW_WITHIN_DAYS: i64 = 30;

/// Where the serving certificate came from, for the start-up message.
pub enum Identity {
    Files,
    Store { thumbprint: String, created: bool },
}

/// TLS settings from `--cert/--key`, or from the store's admin certificate.
pub fn server_config(
    files: Option<&(std::path::PathBuf, std::path::PathBuf)>,
    store: Option<&str>,
) -> Result<(Arc<ServerConfig>, Identity), String> {
    let (chain, key, identity) = match files {
        Some((cert, key)) => {
            let (c, k) = from_files(cert, key)?;
            (c, k, Identity::Files)
        }
        None => from_store(store)?,
    };
    let mut config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| format!("the certificate and key cannot serve TLS: {e}"))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok((Arc::new(config), identity))
}

fn from_files(
    cert: &Path,
    key: &Path,
) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), String> {
    let chain = CertificateDer::pem_file_iter(cert)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|e| {
            format!(
                "--cert {}: not a readable PEM certificate file ({e})",
                cert.display()
            )
        })?;
    if chain.is_empty() {
        return Err(format!("--cert {}: holds no certificate", cert.display()));
    }
    let key = PrivateKeyDer::from_pem_file(key).map_err(|e| {
        format!(
            "--key {}: not a readable PEM private key file ({e})",
            key.display()
        )
    })?;
    Ok((chain, key))
}

type Material = (
    Vec<CertificateDer<'static>>,
    PrivateKeyDer<'static>,
    Identity,
);

fn from_store(root: Option<&str>) -> Result<Material, String> {
    let fail = |e: excert::Error| format!("the admin center's certificate in the store: {e}");
    // Its own certificate is self-signed: no revocation answer to wait for at start-up.
    let listed = excert::ops::list_certificates(&ListRequest {
        store_root: root.map(str::to_string),
        revocation: RevocationMode::Offline,
        ..Default::default()
    })
    .map_err(fail)?;
    let kept = listed.certificates.into_iter().find(|c| {
        c.friendly_name == ADMIN_FRIENDLY_NAME
            && c.has_private_key
            && c.status == Status::Valid
            && c.days_until_expiry > RENEW_WITHIN_DAYS
    });
    let (server, thumbprint, created) = match kept {
        Some(c) => (c.server, c.thumbprint, false),
        None => {
            let host = excert::cert::host::HostNames::local();
            let mut domains = vec!["localhost".to_string(), host.name.clone()];
            if host.fqdn != host.name {
                domains.push(host.fqdn.clone());
            }
            let made = excert::ops::new_certificate(&NewCertificateRequest {
                store_root: root.map(str::to_string),
                subject_name: Some(Subject::common_name_only("localhost")),
                domain_name: domains,
                friendly_name: Some(ADMIN_FRIENDLY_NAME.into()),
                key_algorithm: Some(KeyAlgorithm::EcdsaP256),
                services: Some(Services::NONE),
                ..Default::default()
            })
            .map_err(fail)?;
            (made.certificate.server, made.certificate.thumbprint, true)
        }
    };
    let store = Store::open(root).map_err(fail)?;
    let server = store.server(Some(&server)).map_err(fail)?;
    let entry = server.get(&thumbprint).map_err(fail)?.ok_or_else(|| {
        format!("the admin center's certificate {thumbprint} vanished from the store")
    })?;
    let der = entry
        .certificate
        .ok_or_else(|| format!("{thumbprint} is not a certificate"))?;
    let key = server
        .private_key(&thumbprint)
        .map_err(fail)?
        .ok_or_else(|| format!("the admin center's certificate {thumbprint} has no key"))?;
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.pkcs8().to_vec()));
    Ok((
        vec![CertificateDer::from(der)],
        key,
        Identity::Store {
            thumbprint,
            created,
        },
    ))
}
