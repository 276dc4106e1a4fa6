//! Trust anchors: the system trust store (read once per process) and the roots the
//! organisation store trusts, indexed by subject so looking up an issuer scans nothing.

use std::collections::HashMap;
use std::fmt;

use once_cell::sync::Lazy;
use x509_parser::prelude::{FromDer, X509Certificate, X509Name};

use super::{fold_name, RootCaType};
use crate::formats::{pem, sniff};

/// The system store, read on first use and kept for the life of the process.
static SYSTEM: Lazy<AnchorSet> = Lazy::new(load_system);

/// Trust anchors: optionally the system store, plus roots the organisation trusts (DER).
#[derive(Clone)]
pub struct TrustAnchors {
    system: bool,
    org: AnchorSet,
}

impl fmt::Debug for TrustAnchors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TrustAnchors")
            .field("system", &self.system)
            .field("org_roots", &self.org.anchors.len())
            .finish()
    }
}

impl TrustAnchors {
    /// The system trust store: `SSL_CERT_FILE` when set, else the distribution's bundle file.
    /// The file is read once per process, on the first evaluation that needs it.
    pub fn system() -> Self {
        TrustAnchors {
            system: true,
            org: AnchorSet::default(),
        }
    }

    /// No anchors at all.
    pub fn empty() -> Self {
        TrustAnchors {
            system: false,
            org: AnchorSet::default(),
        }
    }

    /// Adds roots the organisation trusts (DER certificates); ones that do not parse are skipped.
    pub fn with_org_roots(mut self, roots: Vec<Vec<u8>>) -> Self {
        for der in roots {
            self.org.add(der);
        }
        self
    }

    /// How many system anchors were loaded (reads the store if not done yet).
    pub fn system_count(&self) -> usize {
        if self.system {
            SYSTEM.anchors.len()
        } else {
            0
        }
    }

    /// The stores to search, organisation first: its roots are the admin's explicit choice.
    pub(super) fn sets(&self) -> impl Iterator<Item = (&AnchorSet, RootCaType)> {
        let system = self.system.then(|| (&*SYSTEM, RootCaType::ThirdParty));
        std::iter::once((&self.org, RootCaType::Registry)).chain(system)
    }

    /// Where this exact certificate is an anchor; the system store wins when in both.
    pub(super) fn anchor_type(&self, der: &[u8], cert: &X509Certificate) -> Option<RootCaType> {
        let mut found = None;
        for (set, kind) in self.sets() {
            if set.contains(der, cert) {
                found = Some(kind);
            }
        }
        found
    }
}

#[derive(Clone)]
pub(super) struct Anchor {
    pub(super) der: Vec<u8>,
}

/// Anchors indexed by subject, so looking up an issuer does not scan or parse the whole store.
#[derive(Clone, Default)]
pub(super) struct AnchorSet {
    anchors: Vec<Anchor>,
    by_subject: HashMap<Vec<u8>, Vec<usize>>,
    by_folded_subject: HashMap<String, Vec<usize>>,
    by_der: HashMap<Vec<u8>, usize>,
}

impl AnchorSet {
    /// Adds a DER certificate (bytes after it are tolerated); one that does not parse is skipped.
    fn add(&mut self, der: Vec<u8>) {
        self.insert(der, false);
    }

    /// Adds `der` when it is exactly one certificate, nothing after it; false when not (nothing added).
    fn add_exact(&mut self, der: Vec<u8>) -> bool {
        self.insert(der, true)
    }

    fn insert(&mut self, der: Vec<u8>, exact: bool) -> bool {
        if self.by_der.contains_key(&der) {
            return true;
        }
        let Ok((rest, cert)) = X509Certificate::from_der(&der) else {
            return false;
        };
        if exact && !rest.is_empty() {
            return false;
        }
        let i = self.anchors.len();
        self.by_subject
            .entry(cert.subject().as_raw().to_vec())
            .or_default()
            .push(i);
        self.by_folded_subject
            .entry(fold_name(cert.subject()))
            .or_default()
            .push(i);
        self.by_der.insert(der.clone(), i);
        self.anchors.push(Anchor { der });
        true
    }

    /// Is this exact certificate (`der`, parsed as `cert`) an anchor? Looked up by subject
    /// first: hashing a short name, not the whole DER, for the many certificates that are not.
    fn contains(&self, der: &[u8], cert: &X509Certificate) -> bool {
        self.by_subject
            .get(cert.subject().as_raw())
            .is_some_and(|hits| hits.iter().any(|&i| self.anchors[i].der == der))
    }

    /// Anchors whose subject is `issuer`.
    pub(super) fn named<'s>(&'s self, issuer: &X509Name) -> impl Iterator<Item = &'s Anchor> + 's {
        let exact = self.by_subject.get(issuer.as_raw());
        let hits = match exact {
            Some(v) => v.clone(),
            None => self
                .by_folded_subject
                .get(&fold_name(issuer))
                .cloned()
                .unwrap_or_default(),
        };
        hits.into_iter().map(move |i| &self.anchors[i])
    }
}

fn load_system() -> AnchorSet {
    let mut set = AnchorSet::default();
    let Some(bytes) = crate::platform::trust_bundle::read() else {
        return set;
    };
    // A bad block must not cost every other root: read block by block when the PEM is sound,
    // else fall back to the general reader (DER or PKCS#7 bundles).
    match pem::parse(&bytes) {
        Ok(blocks) if !blocks.is_empty() => {
            for b in blocks {
                // The common case, one certificate per block, is taken as it is; anything else
                // (PKCS#7 in a CERTIFICATE block) goes through the general reader.
                if b.label == pem::CERTIFICATE && set.add_exact(b.data.to_vec()) {
                    continue;
                }
                if let Ok(certs) = sniff::certificates(pem::encode(&b.label, &b.data).as_bytes()) {
                    certs.into_iter().for_each(|c| set.add(c));
                }
            }
        }
        _ => {
            if let Ok(certs) = sniff::certificates(&bytes) {
                certs.into_iter().for_each(|c| set.add(c));
            }
        }
    }
    set
}
