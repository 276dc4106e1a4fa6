//! Chain building and checking: the `Status` and `RootCAType` of a certificate (DESIGN §5).
//!
//! The path is built by issuer/subject name (byte-equal, else compared case- and
//! space-insensitively), narrowed by authority/subject key identifiers when both are present,
//! and each link's signature is verified. Trust anchors are the system trust store (read once per
//! process) and the roots the organisation store trusts. Revocation is not checked.

use std::collections::HashMap;
use std::fmt;

use once_cell::sync::Lazy;
use x509_parser::error::X509Error;
use x509_parser::extensions::ParsedExtension;
use x509_parser::prelude::{FromDer, X509Certificate, X509Name};

use crate::formats::{pem, sniff};

/// Chain status as Exchange reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// A complete chain to a trust anchor; every element in its validity period.
    Valid,
    /// An element of the chain is expired or not yet valid.
    DateInvalid,
    /// No path to a trust anchor (unknown root, missing intermediate, self-signed).
    Untrusted,
    /// A signature does not verify, or an issuer may not issue certificates.
    Invalid,
    /// A certificate of the chain is revoked (set by `crate::revocation`, not by `evaluate`).
    Revoked,
    /// No current, valid revocation answer could be had (set by `crate::revocation`).
    RevocationCheckFailure,
    /// Not a certificate yet: a request waiting for its CA's answer (never a chain's result).
    PendingRequest,
}

impl Status {
    /// The name as Exchange prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Valid => "Valid",
            Status::DateInvalid => "DateInvalid",
            Status::Untrusted => "Untrusted",
            Status::Invalid => "Invalid",
            Status::Revoked => "Revoked",
            Status::RevocationCheckFailure => "RevocationCheckFailure",
            Status::PendingRequest => "PendingRequest",
        }
    }
}

/// Where the chain's root is trusted, as Exchange's `RootCAType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RootCaType {
    /// The certificate is self-signed and not itself a trust anchor.
    None,
    /// The root is in the system trust store.
    ThirdParty,
    /// The root is one the organisation store trusts.
    Registry,
    /// No trusted root was reached.
    Unknown,
}

impl RootCaType {
    /// The name as Exchange prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            RootCaType::None => "None",
            RootCaType::ThirdParty => "ThirdParty",
            RootCaType::Registry => "Registry",
            RootCaType::Unknown => "Unknown",
        }
    }
}

/// Bundle files of the common Unix layouts, first found wins (as OpenSSL's builds do).
const SYSTEM_BUNDLES: [&str; 5] = [
    "/etc/ssl/certs/ca-certificates.crt", // Debian, Ubuntu, Arch, Gentoo
    "/etc/pki/tls/certs/ca-bundle.crt",   // Fedora, RHEL
    "/etc/ssl/ca-bundle.pem",             // openSUSE
    "/etc/pki/tls/cacert.pem",            // OpenELEC
    "/etc/ssl/cert.pem",                  // macOS, Alpine, BSDs
];

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
    fn sets(&self) -> impl Iterator<Item = (&AnchorSet, RootCaType)> {
        let system = self.system.then(|| (&*SYSTEM, RootCaType::ThirdParty));
        std::iter::once((&self.org, RootCaType::Registry)).chain(system)
    }

    /// Where this exact certificate is an anchor; the system store wins when in both.
    fn anchor_type(&self, der: &[u8]) -> Option<RootCaType> {
        let mut found = None;
        for (set, kind) in self.sets() {
            if set.contains(der) {
                found = Some(kind);
            }
        }
        found
    }
}

#[derive(Clone)]
struct Anchor {
    der: Vec<u8>,
}

/// Anchors indexed by subject, so looking up an issuer does not scan or parse the whole store.
#[derive(Clone, Default)]
struct AnchorSet {
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

    fn contains(&self, der: &[u8]) -> bool {
        self.by_der.contains_key(der)
    }

    /// Anchors whose subject is `issuer`.
    fn named<'s>(&'s self, issuer: &X509Name) -> impl Iterator<Item = &'s Anchor> + 's {
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
    let path = match std::env::var_os("SSL_CERT_FILE") {
        Some(p) if !p.is_empty() => Some(std::path::PathBuf::from(p)),
        _ => SYSTEM_BUNDLES
            .iter()
            .map(std::path::PathBuf::from)
            .find(|p| p.is_file()),
    };
    let Some(bytes) = path.and_then(|p| std::fs::read(p).ok()) else {
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

/// A name compared as RFC 5280 §7.1 suggests in practice: per attribute, case folded and inner
/// whitespace collapsed, so PrintableString and UTF8String encodings of the same name match.
pub(crate) fn fold_name(name: &X509Name) -> String {
    let mut out = String::new();
    for rdn in name.iter() {
        for attr in rdn.iter() {
            out.push_str(&attr.attr_type().to_id_string());
            out.push('=');
            match attr.as_str() {
                Ok(s) => {
                    let folded = s.split_whitespace().collect::<Vec<_>>().join(" ");
                    out.push_str(&folded.to_lowercase());
                }
                Err(_) => {
                    for b in attr.as_slice() {
                        out.push_str(&format!("{b:02x}"));
                    }
                }
            }
            out.push('+');
        }
        out.push(',');
    }
    out
}

fn same_name(a: &X509Name, b: &X509Name) -> bool {
    a.as_raw() == b.as_raw() || fold_name(a) == fold_name(b)
}

fn subject_key_id<'a>(cert: &'a X509Certificate) -> Option<&'a [u8]> {
    cert.extensions()
        .iter()
        .find_map(|e| match e.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(k) => Some(k.0),
            _ => None,
        })
}

fn authority_key_id<'a>(cert: &'a X509Certificate) -> Option<&'a [u8]> {
    cert.extensions()
        .iter()
        .find_map(|e| match e.parsed_extension() {
            ParsedExtension::AuthorityKeyIdentifier(a) => a.key_identifier.as_ref().map(|k| k.0),
            _ => None,
        })
}

/// Could `issuer` have issued `cert`, judging by names and key identifiers (no signature yet)?
pub(crate) fn may_have_issued(issuer: &X509Certificate, cert: &X509Certificate) -> bool {
    if !same_name(issuer.subject(), cert.issuer()) {
        return false;
    }
    match (authority_key_id(cert), subject_key_id(issuer)) {
        (Some(aki), Some(ski)) => aki == ski,
        _ => true,
    }
}

/// Outcome of checking one signature.
#[derive(Clone, Copy)]
enum Sig {
    Good,
    Bad,
    Unsupported,
}

/// The signatures on CA certificates already checked, kept for one listing: every leaf under the
/// same issuing CA would otherwise verify that CA's signature again, which was half of a
/// listing's time. Leaves' own signatures are not kept (each is checked once anyway).
#[derive(Default)]
pub struct VerifiedIssuers(std::sync::Mutex<HashMap<Vec<u8>, IssuerSigs>>);

/// The issuers (DER) a certificate's signature was checked against, and the outcomes.
type IssuerSigs = Vec<(Vec<u8>, Sig)>;

impl VerifiedIssuers {
    /// `check_signature` of `cert` by `issuer`, remembered by both DERs.
    fn check(
        &self,
        cert: &X509Certificate,
        cert_der: &[u8],
        issuer: &X509Certificate,
        issuer_der: &[u8],
    ) -> Sig {
        let known = self.0.lock().ok().and_then(|m| {
            m.get(cert_der)?
                .iter()
                .find(|(i, _)| i == issuer_der)
                .map(|(_, sig)| *sig)
        });
        known.unwrap_or_else(|| {
            let sig = check_signature(cert, issuer);
            if let Ok(mut m) = self.0.lock() {
                m.entry(cert_der.to_vec())
                    .or_default()
                    .push((issuer_der.to_vec(), sig));
            }
            sig
        })
    }
}

impl fmt::Debug for VerifiedIssuers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.lock().map(|m| m.len()).unwrap_or(0);
        write!(f, "VerifiedIssuers({n})")
    }
}

fn check_signature(cert: &X509Certificate, issuer: &X509Certificate) -> Sig {
    match cert.verify_signature(Some(issuer.public_key())) {
        Ok(()) => Sig::Good,
        Err(X509Error::SignatureUnsupportedAlgorithm) => Sig::Unsupported,
        Err(_) => Sig::Bad,
    }
}

/// One element of the path being built.
struct Link<'a> {
    cert: X509Certificate<'a>,
    der: &'a [u8],
    /// Set when this element is a trust anchor, with where it is trusted.
    anchor: Option<RootCaType>,
}

/// Longest chain we follow; real ones have at most four or five elements.
const MAX_DEPTH: usize = 10;

/// Status and root type of `leaf_der` with the given intermediates (any order; extra or
/// unrelated certificates are ignored) against the anchors, at time `now`.
///
/// Precedence when several things are wrong: `Invalid` (a bad signature or an issuer that may
/// not issue), then `DateInvalid`, then `Untrusted`. A self-signed leaf that is not an anchor is
/// `Untrusted` with `RootCaType::None` (the caller reports its own self-signed ones as Valid).
pub fn evaluate(
    leaf_der: &[u8],
    intermediates: &[Vec<u8>],
    anchors: &TrustAnchors,
    now: time::OffsetDateTime,
) -> (Status, RootCaType) {
    let verified = VerifiedIssuers::default();
    let (status, root, _) = evaluate_path(leaf_der, intermediates, anchors, now, &verified);
    (status, root)
}

/// As `evaluate`, with the path that was built (DER, leaf first, the anchor last when one was
/// reached): the certificates whose revocation is checked. CA signatures are looked up in, and
/// added to, `verified`.
pub fn evaluate_path(
    leaf_der: &[u8],
    intermediates: &[Vec<u8>],
    anchors: &TrustAnchors,
    now: time::OffsetDateTime,
    verified: &VerifiedIssuers,
) -> (Status, RootCaType, Vec<Vec<u8>>) {
    let Ok((_, leaf)) = X509Certificate::from_der(leaf_der) else {
        return (Status::Invalid, RootCaType::Unknown, Vec::new());
    };
    let pool: Vec<(&[u8], X509Certificate)> = intermediates
        .iter()
        .filter_map(|d| {
            X509Certificate::from_der(d)
                .ok()
                .map(|(_, c)| (d.as_slice(), c))
        })
        .collect();
    let mut path = vec![Link {
        anchor: anchors.anchor_type(leaf_der),
        cert: leaf,
        der: leaf_der,
    }];
    let mut bad_signature = false;
    let leaf_self_issued = same_name(path[0].cert.subject(), path[0].cert.issuer());

    while path.last().is_some_and(|l| l.anchor.is_none()) && path.len() <= MAX_DEPTH {
        let last = path.last().expect("path is never empty");
        let (current, current_der) = (&last.cert, last.der);
        let self_issued = same_name(current.subject(), current.issuer());
        // A CA certificate's signature is the same for every leaf under it: remembered.
        let sign_check = |issuer: &X509Certificate, issuer_der: &[u8]| {
            if path.len() > 1 {
                verified.check(current, current_der, issuer, issuer_der)
            } else {
                check_signature(current, issuer)
            }
        };

        // Candidates: anchors first (shortest trusted path), then the given intermediates,
        // then the certificate itself when it names itself as issuer.
        let mut next: Option<Link> = None;
        let mut saw_bad = false;
        'search: for (set, kind) in anchors.sets() {
            for anchor in set.named(current.issuer()) {
                let Ok((_, a)) = X509Certificate::from_der(&anchor.der) else {
                    continue;
                };
                if !may_have_issued(&a, current) {
                    continue;
                }
                match sign_check(&a, &anchor.der) {
                    Sig::Good => {
                        next = Some(Link {
                            cert: a,
                            der: &anchor.der,
                            anchor: Some(kind),
                        });
                        break 'search;
                    }
                    Sig::Bad => saw_bad = true,
                    Sig::Unsupported => {}
                }
            }
        }
        if next.is_none() {
            for (der, c) in &pool {
                if path.iter().any(|l| l.der == *der) || !may_have_issued(c, current) {
                    continue;
                }
                match sign_check(c, der) {
                    Sig::Good => {
                        next = Some(Link {
                            cert: c.clone(),
                            der,
                            anchor: anchors.anchor_type(der),
                        });
                        break;
                    }
                    Sig::Bad => saw_bad = true,
                    Sig::Unsupported => {}
                }
            }
        }
        match next {
            Some(link) => path.push(link),
            None if self_issued => {
                // A root that is not an anchor: the chain ends here, untrusted, unless its
                // own signature is broken.
                bad_signature |= matches!(check_signature(current, current), Sig::Bad);
                break;
            }
            None => {
                bad_signature |= saw_bad;
                break;
            }
        }
    }

    let trusted = path.last().and_then(|l| l.anchor);
    let root_type = match trusted {
        Some(kind) => kind,
        None if path.len() == 1 && leaf_self_issued => RootCaType::None,
        None => RootCaType::Unknown,
    };

    let now = now.unix_timestamp();
    let dates_ok = path.iter().all(|l| {
        let v = l.cert.validity();
        v.not_before.timestamp() <= now && now <= v.not_after.timestamp()
    });
    let issuers_ok = path
        .iter()
        .enumerate()
        .skip(1)
        .all(|(i, l)| may_issue(&l.cert, l.anchor.is_some(), i - 1));

    let status = if bad_signature || !issuers_ok {
        Status::Invalid
    } else if !dates_ok {
        Status::DateInvalid
    } else if trusted.is_none() {
        Status::Untrusted
    } else {
        Status::Valid
    };
    (
        status,
        root_type,
        path.iter().map(|l| l.der.to_vec()).collect(),
    )
}

/// May this certificate issue certificates, with `below` intermediates under it in the path?
/// Anchors without basic constraints (old v1 roots) are accepted: their trust is out of band.
fn may_issue(cert: &X509Certificate, is_anchor: bool, below: usize) -> bool {
    let constraints = match cert.basic_constraints() {
        Ok(c) => c,
        Err(_) => return false,
    };
    match constraints {
        Some(bc) => {
            if !bc.value.ca {
                return false;
            }
            if let Some(max) = bc.value.path_len_constraint {
                if below > max as usize {
                    return false;
                }
            }
        }
        None if is_anchor => {}
        None => return false,
    }
    match cert.key_usage() {
        Ok(Some(ku)) => ku.value.key_cert_sign(),
        Ok(None) => true,
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use x509_parser::prelude::FromDer;

    #[test]
    fn names_fold_case_and_space() {
        // CN=Test  Root as PrintableString vs cn=test root as UTF8String.
        let a = [
            0x30, 0x16, 0x31, 0x14, 0x30, 0x12, 0x06, 0x03, 0x55, 0x04, 0x03, 0x13, 0x0b, b'T',
            b'e', b's', b't', b' ', b' ', b'R', b'o', b'o', b't', b'!',
        ];
        let b = [
            0x30, 0x15, 0x31, 0x13, 0x30, 0x11, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x0a, b't',
            b'e', b's', b't', b' ', b'r', b'o', b'o', b't', b'!',
        ];
        let (_, na) = X509Name::from_der(&a).unwrap();
        let (_, nb) = X509Name::from_der(&b).unwrap();
        assert!(same_name(&na, &nb));
        assert_eq!(fold_name(&na), "2.5.4.3=test root!+,");
    }

    /// A CA certificate's signature is remembered per issuer: the same intermediate under a
    /// look-alike root (same name, another key) is checked again, and fails.
    #[test]
    fn remembered_ca_signatures_are_per_issuer() {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
        let ca = |cn: &str| {
            let mut p = CertificateParams::new(Vec::new()).unwrap();
            p.distinguished_name.push(DnType::CommonName, cn);
            p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            p
        };
        let root_key = KeyPair::generate().unwrap();
        let root = ca("Root").self_signed(&root_key).unwrap();
        let rogue = ca("Root")
            .self_signed(&KeyPair::generate().unwrap())
            .unwrap();
        let inter_key = KeyPair::generate().unwrap();
        let inter = ca("Issuing")
            .signed_by(&inter_key, &root, &root_key)
            .unwrap();
        let leaf = |name: &str| {
            CertificateParams::new(vec![name.to_string()])
                .unwrap()
                .signed_by(&KeyPair::generate().unwrap(), &inter, &inter_key)
                .unwrap()
                .der()
                .to_vec()
        };
        let pool = vec![inter.der().to_vec()];
        let trusted = TrustAnchors::empty().with_org_roots(vec![root.der().to_vec()]);
        let look_alike = TrustAnchors::empty().with_org_roots(vec![rogue.der().to_vec()]);
        let now = time::OffsetDateTime::now_utc();
        let verified = VerifiedIssuers::default();
        for name in ["a.contoso.com", "b.contoso.com"] {
            let (status, _, path) = evaluate_path(&leaf(name), &pool, &trusted, now, &verified);
            assert_eq!((status, path.len()), (Status::Valid, 3), "{name}");
        }
        assert_eq!(format!("{verified:?}"), "VerifiedIssuers(1)");
        let (status, _, _) =
            evaluate_path(&leaf("c.contoso.com"), &pool, &look_alike, now, &verified);
        assert_eq!(status, Status::Invalid);
    }

    #[test]
    fn garbage_leaf_is_invalid() {
        assert_eq!(
            evaluate(
                b"nope",
                &[],
                &TrustAnchors::empty(),
                time::OffsetDateTime::now_utc()
            ),
            (Status::Invalid, RootCaType::Unknown)
        );
    }
}
