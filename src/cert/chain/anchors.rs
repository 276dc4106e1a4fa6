//! Trust anchors: the system trust store (read once per process) and the roots the
//! organisation store trusts, indexed by subject so looking up an issuer scans nothing.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use once_cell::sync::{Lazy, OnceCell};
use x509_parser::prelude::{FromDer, X509Certificate, X509Name};

use super::{fold_name, RootCaType};
use crate::formats::{pem, sniff};
use walk::{name_shape, subject_range};

mod walk;

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
    /// Where the subject Name (its whole DER element) is in `der`.
    subject: Range<usize>,
}

impl Anchor {
    fn subject(&self) -> &[u8] {
        &self.der[self.subject.clone()]
    }
}

/// Anchors indexed by subject, so looking up an issuer does not scan or parse the whole store.
///
/// Nothing is parsed whole when the set is made: the system store holds about 150 roots and
/// a process uses one or two of them. Each root's subject is found by walking the DER
/// (`subject_range`); the chain code parses an anchor when it is a candidate.
#[derive(Clone, Default)]
pub(super) struct AnchorSet {
    anchors: Vec<Anchor>,
    by_subject: HashMap<Vec<u8>, Vec<usize>>,
    /// By the names' attribute types in order (`name_shape`): two names can only fold to the
    /// same string when their types are the same, so a case-insensitive look-up folds only
    /// the subjects of its issuer's shape, once.
    by_shape: HashMap<Vec<u8>, ShapeBucket>,
}

/// The anchors of one name shape, and (made on the first look-up that needs it) the same by
/// folded subject.
#[derive(Clone, Default)]
struct ShapeBucket {
    members: Vec<usize>,
    folded: OnceCell<HashMap<String, Vec<usize>>>,
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
        let Some(subject) = subject_range(&der, exact) else {
            return false;
        };
        let raw = &der[subject.clone()];
        if let Some(hits) = self.by_subject.get(raw) {
            if hits.iter().any(|&i| self.anchors[i].der == der) {
                return true;
            }
        }
        let i = self.anchors.len();
        self.by_subject.entry(raw.to_vec()).or_default().push(i);
        let bucket = self
            .by_shape
            .entry(name_shape(raw).unwrap_or_default())
            .or_default();
        bucket.members.push(i);
        bucket.folded = OnceCell::new();
        self.anchors.push(Anchor { der, subject });
        true
    }

    /// Is this exact certificate (`der`, parsed as `cert`) an anchor? Looked up by subject
    /// first: hashing a short name, not the whole DER, for the many certificates that are not.
    fn contains(&self, der: &[u8], cert: &X509Certificate) -> bool {
        self.by_subject
            .get(cert.subject().as_raw())
            .is_some_and(|hits| hits.iter().any(|&i| self.anchors[i].der == der))
    }

    /// Anchors whose subject is `issuer`: byte-equal, else equal once folded (`fold_name`).
    pub(super) fn named<'s>(&'s self, issuer: &X509Name) -> impl Iterator<Item = &'s Anchor> + 's {
        let hits = match self.by_subject.get(issuer.as_raw()) {
            Some(v) => v.clone(),
            None => self.folded_equal(issuer),
        };
        hits.into_iter().map(move |i| &self.anchors[i])
    }

    /// Anchors whose folded subject equals `issuer`'s: among those of the same shape, and
    /// those whose names could not be walked (the empty shape).
    fn folded_equal(&self, issuer: &X509Name) -> Vec<usize> {
        let shape = name_shape(issuer.as_raw()).unwrap_or_default();
        let buckets: Vec<&ShapeBucket> = [shape, Vec::new()]
            .iter()
            .filter_map(|key| self.by_shape.get(key))
            .collect();
        if buckets.is_empty() {
            return Vec::new();
        }
        let wanted = fold_name(issuer);
        let mut hits: Vec<usize> = buckets
            .iter()
            .filter_map(|b| b.by_folded(&self.anchors).get(&wanted))
            .flatten()
            .copied()
            .collect();
        hits.sort_unstable();
        hits.dedup();
        hits
    }
}

impl ShapeBucket {
    fn by_folded(&self, anchors: &[Anchor]) -> &HashMap<String, Vec<usize>> {
        self.folded.get_or_init(|| {
            let mut folded: HashMap<String, Vec<usize>> = HashMap::new();
            for &i in &self.members {
                if let Ok((_, name)) = X509Name::from_der(anchors[i].subject()) {
                    folded.entry(fold_name(&name)).or_default().push(i);
                }
            }
            folded
        })
    }
}

fn load_system() -> AnchorSet {
    let mut set = AnchorSet::default();
    let Some(bytes) = crate::platform::trust_bundle::read() else {
        return set;
    };
    // The usual bundle, one certificate per CERTIFICATE block, read by the lean reader; the
    // general reader below for anything else.
    let lean = crate::platform::trust_bundle::certificates(&bytes).filter(|d| !d.is_empty());
    if let Some(ders) = lean {
        if ders.into_iter().all(|der| set.add_exact(der)) {
            return set;
        }
        set = AnchorSet::default();
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::der;

    /// A Name of CN (and O) attributes, each a UTF8String or PrintableString.
    fn name(attrs: &[(u8, u8, &str)]) -> Vec<u8> {
        let rdns: Vec<u8> = attrs
            .iter()
            .flat_map(|&(oid_last, string_tag, value)| {
                let oid = der::tlv(der::TAG_OID, &[0x55, 0x04, oid_last]);
                let attr = der::tlv(
                    der::TAG_SEQUENCE,
                    &[oid, der::tlv(string_tag, value.as_bytes())].concat(),
                );
                der::tlv(der::TAG_SET, &attr)
            })
            .collect();
        der::tlv(der::TAG_SEQUENCE, &rdns)
    }

    /// Case- and space-insensitive look-ups fold only names of the same attribute types, and
    /// still find every anchor the fold matches.
    #[test]
    fn folded_lookup_needs_the_same_attribute_types() {
        // rcgen's default name is a CN; O is added after it: CN=Contoso Root, O=Contoso.
        let mut p = rcgen::CertificateParams::new(Vec::new()).unwrap();
        p.distinguished_name
            .push(rcgen::DnType::OrganizationName, "Contoso");
        p.distinguished_name
            .push(rcgen::DnType::CommonName, "Contoso Root");
        let key = rcgen::KeyPair::generate().unwrap();
        let root = p.self_signed(&key).unwrap().der().to_vec();
        let mut set = AnchorSet::default();
        assert!(set.add_exact(root.clone()));
        assert!(
            set.add_exact(root.clone()),
            "the same root again is not a second anchor"
        );
        assert_eq!(set.anchors.len(), 1);

        let lookup = |n: &[u8]| {
            let (_, n) = X509Name::from_der(n).unwrap();
            set.named(&n).count()
        };
        assert_eq!(
            lookup(&name(&[
                (0x03, 0x0c, "contoso   ROOT"),
                (0x0a, 0x13, "CONTOSO")
            ])),
            1
        );
        assert_eq!(
            lookup(&name(&[
                (0x03, 0x0c, "Contoso Root"),
                (0x0a, 0x0c, "Contoso")
            ])),
            1
        );
        assert_eq!(lookup(&name(&[(0x03, 0x0c, "Contoso Root")])), 0);
        assert_eq!(
            lookup(&name(&[
                (0x03, 0x0c, "Fabrikam Root"),
                (0x0a, 0x0c, "Contoso")
            ])),
            0
        );
        assert_eq!(
            name_shape(&name(&[(0x0a, 0x0c, "x")])).unwrap(),
            [0, 6, 3, 0x55, 4, 0x0a]
        );
    }
}
