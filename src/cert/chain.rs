//! Chain building and checking: the `Status` and `RootCAType` of a certificate (docs/cmdlets.md).
//!
//! The path is built by issuer/subject name (byte-equal, else compared case- and
//! space-insensitively), narrowed by authority/subject key identifiers when both are present,
//! and each link's signature is verified. Trust anchors are the system trust store (read once per
//! process) and the roots the organisation store trusts (`anchors`); signatures checked once are
//! remembered (`verified`). Revocation is not checked here (`crate::revocation`).

mod anchors;
mod verified;

use x509_parser::extensions::ParsedExtension;
use x509_parser::prelude::{FromDer, X509Certificate, X509Name};

pub use anchors::TrustAnchors;
use verified::{check_signature, Sig};
pub use verified::{signature_key, SignatureKey, VerifiedIssuers};

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

/// A name compared as RFC 5280 §7.1 suggests in practice: per attribute, case folded and inner
/// whitespace collapsed, so PrintableString and UTF8String encodings of the same name match.
pub(crate) fn fold_name(name: &X509Name) -> String {
    // A listing folds the same few issuer names for every certificate: each thread keeps the
    // names it folded (a few hundred at most; the raw DER name is the key).
    thread_local! {
        static FOLDED: std::cell::RefCell<std::collections::HashMap<Vec<u8>, String>> =
            Default::default();
    }
    FOLDED.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(folded) = cache.get(name.as_raw()) {
            return folded.clone();
        }
        if cache.len() >= 512 {
            cache.clear();
        }
        let folded = fold_name_now(name);
        cache.insert(name.as_raw().to_vec(), folded.clone());
        folded
    })
}

fn fold_name_now(name: &X509Name) -> String {
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
        anchor: anchors.anchor_type(leaf_der, &leaf),
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
                verified.check_leaf(current, current_der, issuer, issuer_der)
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
                            anchor: anchors.anchor_type(der, c),
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
