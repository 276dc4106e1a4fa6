//! `Import-ExchangeCertificate`: completing pending requests, installing PFX files, trusting
//! roots.

use super::describe::{describe, trust};
use super::get::store_warnings;
use super::validate::friendly_name;
use super::{DEFAULT_EXPIRY_WARNING_DAYS, DEFAULT_FRIENDLY_NAME, MAX_FRIENDLY_NAME};
use crate::cert::inspect::{self, CertificateInfo, RequestInfo};
use crate::cert::issuers::Bundle;
use crate::cert::keys::PrivateKey;
use crate::cert::thumbprint;
use crate::formats::sniff;
use crate::formats::{pkcs12, MAX_INPUT_BYTES};
use crate::model::{ImportRequest, ListAnswer};
use crate::platform::input_file;
use crate::store::{Metadata, NewEntry, OrgCertificates, ServerStore, Source, Store};
use crate::{Code, Error, Result};
use std::collections::HashMap;
use time::OffsetDateTime;

/// One certificate to be stored by an import.
struct Planned {
    der: Vec<u8>,
    chain: Vec<Vec<u8>>,
    key: Option<PrivateKey>,
    metadata: Metadata,
    /// The pending request this completes.
    completes: Option<String>,
}

/// What the imported data holds, before the store is looked at.
enum Parsed {
    /// A PFX, opened: its certificate with key and chain.
    Pfx(Planned),
    /// Certificates (a CA response), to be matched with pending requests.
    Certificates(Vec<Vec<u8>>),
}

/// `Import-ExchangeCertificate -FileData`: sniffs the data, completes a pending request whose
/// key matches, installs a PFX with its key, or (with `TrustedRoot`) trusts a root for the
/// organisation. All checks happen before anything is written, so a failure changes nothing.
pub fn import(req: &ImportRequest, password: Option<&[u8]>) -> Result<ListAnswer> {
    let store = Store::open(req.store_root.as_deref())?;
    let read;
    let data =
        match &req.file_name {
            None => &req.file_data,
            Some(_) if !req.file_data.is_empty() => return Err(Error::invalid(
                "FileData and FileName were both given: give one, the bytes or the file to read",
            )),
            Some(path) => {
                read = input_file::read(path, MAX_INPUT_BYTES, |length| {
                    let e = crate::formats::input_too_large(length);
                    Error::invalid(format!("'{}': {}", path.display(), e.message))
                })?;
                &read
            }
        };
    crate::formats::check_input_size(data.len())?;
    if let (true, Some(path)) = (data.is_empty(), &req.file_name) {
        return Err(Error::new(
            Code::EmptyData,
            format!(
                "'{}' is empty: give the path of the certificate, chain or PFX file",
                path.display()
            ),
        ));
    }
    if data.is_empty() {
        return Err(Error::new(
            Code::EmptyData,
            "FileData is empty: pass the bytes of the certificate file, for example -FileData ([IO.File]::ReadAllBytes('mail.cer'))",
        ));
    }
    if req.trusted_root {
        return trust_roots(&store, data);
    }
    let server = store.server(req.server.as_deref())?;
    // Judged before the lock's repair and this import put anything right.
    let mut warnings = store_warnings(&store, &server, None);
    // The data is read (and a PFX opened) before the lock is taken, which creates a new
    // server's folder: bad data or a wrong password leaves no trace.
    let parsed = match sniff::kind(data) {
        sniff::Kind::Pkcs12 => plan_pkcs12(req, &sniff::binary(data), password)?,
        sniff::Kind::CertificateRequest => {
            return Err(Error::invalid(
                "this is a certificate request, not a certificate: send it to your CA and import the certificate the CA returns",
            ))
        }
        _ => Parsed::Certificates(sniff::certificates(data)?),
    };
    // Held from the matching of pending requests to the end, so no other writer can remove
    // the request this import completes.
    let lock = server.lock()?;
    let plans = match parsed {
        Parsed::Pfx(pfx) => vec![pfx],
        Parsed::Certificates(certs) => plan_certificates(req, &server, &certs, &mut warnings)?,
    };
    if password.is_some_and(|p| !p.is_empty()) && sniff::kind(data) != sniff::Kind::Pkcs12 {
        warnings.push(
            "A password was given but the data is not a PFX file; it was not needed".to_string(),
        );
    }

    for p in &plans {
        let t = thumbprint(&p.der);
        if server.get(&t)?.is_some() {
            return Err(Error::new(
                Code::AlreadyExists,
                format!("server {} already has the certificate {t}: nothing was imported; remove it first (Remove-ExchangeCertificate) to import it again", server.name()),
            ));
        }
    }
    let mut thumbs = Vec::new();
    for p in &plans {
        let t = thumbprint(&p.der);
        lock.add(&NewEntry {
            thumbprint: &t,
            certificate: Some(&p.der),
            request: None,
            private_key: p.key.as_ref(),
            chain: &p.chain,
            metadata: p.metadata.clone(),
        })?;
        // The pending entry goes only once the certificate with its key is in place.
        if let Some(pending) = &p.completes {
            lock.remove(pending)?;
        }
        thumbs.push(t);
    }
    warnings.extend(lock.repair_warnings());
    remember_intermediates(&store, &plans)?;
    let assignments = server.assignments()?;
    let anchors = trust(&store)?;
    let mut certificates = Vec::new();
    for t in thumbs {
        let entry = server
            .get(&t)?
            .ok_or_else(|| crate::store::not_found(server.name(), &t))?;
        certificates.push(describe(
            &server,
            entry,
            &assignments,
            DEFAULT_EXPIRY_WARNING_DAYS,
            &anchors,
        )?);
    }
    Ok(ListAnswer {
        certificates,
        warnings,
    })
}

fn plan_pkcs12(req: &ImportRequest, data: &[u8], password: Option<&[u8]>) -> Result<Parsed> {
    let contents = pkcs12::read(data, password).map_err(|e| match e.code {
        Code::UnsupportedProfile | Code::WrongPassword => e,
        _ => Error::new(
            e.code,
            format!("the PFX file cannot be read: {}", e.message),
        ),
    })?;
    if contents.certificates.is_empty() {
        return Err(Error::new(
            Code::EmptyData,
            "the PFX file holds no certificate: export it again with its certificate",
        ));
    }
    // A PFX without a key is a bundle of certificates: each end-entity one becomes an entry (or
    // completes its pending request), as from a .p7b, and as .NET and Windows read it.
    let ders: Vec<Vec<u8>> = contents
        .certificates
        .iter()
        .map(|b| b.der.clone())
        .collect();
    if contents.keys.is_empty() {
        return Ok(Parsed::Certificates(ders));
    }
    // The leaf is the certificate whose public key is the key's, wherever it stands in the file.
    // Each certificate and each key is parsed once (a file of K keys and C certificates is
    // K + C parses, not K × C).
    let by_key: HashMap<Vec<u8>, usize> = ders
        .iter()
        .enumerate()
        .filter_map(|(i, d)| Some((inspect::parse(d).ok()?.public_key().raw.to_vec(), i)))
        .rev()
        .collect();
    let mut found = None;
    for key_bag in &contents.keys {
        let key = PrivateKey::from_pkcs8(&key_bag.pkcs8)?;
        if let Some(&i) = by_key.get(&key.public_key_info()?) {
            found = Some((i, key));
            break;
        }
    }
    let mut bundle = Bundle::new(&ders);
    let (leaf, key) = match found {
        Some((i, key)) => (i, Some(key)),
        None => {
            return Err(Error::new(Code::KeyMismatch, "the PFX file's private key belongs to none of its certificates: export it again from the server that holds the certificate"));
        }
    };
    let leaf_bag = &contents.certificates[leaf];
    let chain = bundle
        .issuers_of(leaf)
        .into_iter()
        .map(|i| ders[i].clone())
        .collect();
    let name = match &req.friendly_name {
        Some(n) => friendly_name(Some(n))?,
        None => leaf_bag
            .friendly_name
            .clone()
            .filter(|n| !n.is_empty())
            .map(|n| n.chars().take(MAX_FRIENDLY_NAME).collect())
            .unwrap_or_else(|| DEFAULT_FRIENDLY_NAME.to_string()),
    };
    CertificateInfo::from_der(&leaf_bag.der)?;
    Ok(Parsed::Pfx(Planned {
        der: leaf_bag.der.clone(),
        chain,
        key,
        metadata: Metadata {
            friendly_name: name,
            private_key_exportable: req.private_key_exportable.unwrap_or(false),
            created: OffsetDateTime::now_utc(),
            source: Source::Imported,
        },
        completes: None,
    }))
}

/// Certificates from a CA response: each end-entity certificate becomes an entry, with the key
/// of the pending request it answers, and the other certificates as its chain.
fn plan_certificates(
    req: &ImportRequest,
    server: &ServerStore,
    certs: &[Vec<u8>],
    warnings: &mut Vec<String>,
) -> Result<Vec<Planned>> {
    let pending: Vec<(String, Vec<u8>, Metadata)> = server
        .list()?
        .into_iter()
        .filter_map(|e| {
            let spki = RequestInfo::from_der(e.request.as_deref()?)
                .ok()?
                .public_key_info;
            Some((e.thumbprint, spki, e.metadata))
        })
        .collect();
    let mut plans = Vec::new();
    let mut bundle = Bundle::new(certs);
    for leaf in bundle.end_entities() {
        let der = certs[leaf].clone();
        let info = CertificateInfo::from_der(&der)?;
        let chain = bundle
            .issuers_of(leaf)
            .into_iter()
            .map(|i| certs[i].clone())
            .collect();
        match pending
            .iter()
            .find(|(_, spki, _)| *spki == info.public_key_info)
        {
            Some((id, _, meta)) => {
                let key = server.private_key(id)?.ok_or_else(|| {
                    Error::new(Code::StoreCorrupt, format!("the pending request {id} lost its private key: remove it and make a new request"))
                })?;
                let friendly = match &req.friendly_name {
                    Some(n) => friendly_name(Some(n))?,
                    None => meta.friendly_name.clone(),
                };
                plans.push(Planned {
                    der,
                    chain,
                    key: Some(key),
                    metadata: Metadata {
                        friendly_name: friendly,
                        private_key_exportable: req
                            .private_key_exportable
                            .unwrap_or(meta.private_key_exportable),
                        created: OffsetDateTime::now_utc(),
                        source: Source::Request,
                    },
                    completes: Some(id.clone()),
                });
            }
            None => {
                warnings.push(format!(
                    "{} ({}) matches no pending request on server {}, so it was imported without a private key (HasPrivateKey False): no service can use it until it is imported with its key, as a PFX file",
                    thumbprint(&der),
                    info.subject,
                    server.name()
                ));
                plans.push(Planned {
                    der,
                    chain,
                    key: None,
                    metadata: Metadata {
                        friendly_name: friendly_name(req.friendly_name.as_deref())?,
                        private_key_exportable: false,
                        created: OffsetDateTime::now_utc(),
                        source: Source::Imported,
                    },
                    completes: None,
                });
            }
        }
    }
    Ok(plans)
}

/// `-TrustedRoot`: the self-signed CA certificates in the data become trust anchors of the whole
/// store; other CA certificates (intermediates) are kept for building chains, not trusted.
/// Everything is checked before anything is written.
fn trust_roots(store: &Store, data: &[u8]) -> Result<ListAnswer> {
    let mut found = Vec::new();
    for der in sniff::certificates(data)? {
        let info = CertificateInfo::from_der(&der)?;
        if !inspect::parse(&der)?.is_ca() {
            return Err(Error::invalid(format!(
                "{} ({}) is not a CA certificate: only CA certificates can be trusted roots; import it without -TrustedRoot",
                thumbprint(&der), info.subject
            )));
        }
        let is_root = info.self_issued && inspect::self_signature_valid(&der);
        found.push((info, der, is_root));
    }
    let mut warnings = Vec::new();
    for (info, der, is_root) in found {
        let kind = if is_root {
            OrgCertificates::TrustedRoots
        } else {
            OrgCertificates::Intermediates
        };
        let added = store.add_org_certificate(kind, &thumbprint(&der), &der)?;
        match (is_root, added) {
            (true, false) => warnings.push(format!("{} ({}) was already trusted", thumbprint(&der), info.subject)),
            (false, _) => warnings.push(format!(
                "{} ({}) is an intermediate CA, not a root: it is kept for building chains but not trusted; trust its root",
                thumbprint(&der), info.subject
            )),
            (true, true) => {}
        }
    }
    Ok(ListAnswer {
        certificates: Vec::new(),
        warnings,
    })
}

/// Keeps the intermediate CA certificates of an import for the whole organisation, so a
/// certificate imported later without its chain still finds its path.
fn remember_intermediates(store: &Store, plans: &[Planned]) -> Result<()> {
    for der in plans.iter().flat_map(|p| &p.chain) {
        let Ok(cert) = inspect::parse(der) else {
            continue;
        };
        if cert.is_ca() && cert.subject().as_raw() != cert.issuer().as_raw() {
            store.add_org_certificate(OrgCertificates::Intermediates, &thumbprint(der), der)?;
        }
    }
    Ok(())
}
