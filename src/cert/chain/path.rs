//! Building one certificate's path to a trust anchor and judging it (`evaluate_in`).
//!
//! A listing judges thousands of leaves under the same few CAs: the intermediates it may use are
//! parsed once (`Pool`), and the path above each of them, which is the same for every leaf it
//! issued, is worked out the first time a leaf chains to it and reused for the listing's other
//! leaves. Only the leaf's own facts are judged per leaf: its parse, its dates and the signature
//! of its issuer on it (remembered in the store as before).

use std::borrow::Cow;

use x509_parser::prelude::{FromDer, X509Certificate};

use super::names::{may_have_issued, same_name};
use super::pool::Pool;
use super::verified::{check_signature, Sig, VerifiedIssuers};
use super::{RootCaType, Status, TrustAnchors};

/// Longest chain we follow; real ones have at most four or five elements.
const MAX_DEPTH: usize = 10;

/// What `evaluate_in` found.
pub struct Evaluated<'t, T> {
    pub status: Status,
    pub root_ca_type: RootCaType,
    /// The path built (DER, leaf first, the anchor last when one was reached).
    pub path: Vec<Cow<'t, [u8]>>,
    /// What `leaf_facts` said of the leaf, when the path is `Valid` and has an issuer: the
    /// paths whose revocation is checked.
    pub leaf_facts: Option<T>,
}

/// One element of the path being built.
pub(super) struct Link<'a, 'p> {
    pub(super) cert: Cow<'p, X509Certificate<'a>>,
    pub(super) der: &'a [u8],
    /// Set when this element is a trust anchor, with where it is trusted.
    pub(super) anchor: Option<RootCaType>,
    /// Its place in the pool, when it came from there.
    pub(super) pooled: Option<usize>,
}

/// Status and root type of `leaf_der`, with the path built, against the anchors at `now`.
/// Candidate issuers are `extras` (the entry's own chain) then the pool; CA signatures are
/// looked up in, and added to, `verified`. `leaf_facts` is called with the parsed leaf when the
/// path is `Valid` and has an issuer, so that a caller needs no second parse.
///
/// Precedence when several things are wrong: `Invalid` (a bad signature or an issuer that may
/// not issue), then `DateInvalid`, then `Untrusted`. A self-signed leaf that is not an anchor is
/// `Untrusted` with `RootCaType::None` (the caller reports its own self-signed ones as Valid).
pub fn evaluate_in<'t, T>(
    leaf_der: &[u8],
    extras: &[Vec<u8>],
    pool: &Pool<'t>,
    anchors: &'t TrustAnchors,
    now: time::OffsetDateTime,
    verified: &VerifiedIssuers,
    leaf_facts: impl FnOnce(&X509Certificate) -> T,
) -> Evaluated<'t, T> {
    let Ok((_, leaf)) = X509Certificate::from_der(leaf_der) else {
        return Evaluated {
            status: Status::Invalid,
            root_ca_type: RootCaType::Unknown,
            path: Vec::new(),
            leaf_facts: None,
        };
    };
    let extras = super::pool::parse_each(extras);
    // The memo holds for leaves chained through the pool alone, the leaf not among them.
    let use_memo = extras.is_empty() && !pool.contains(leaf_der);
    let mut path = vec![Link {
        anchor: anchors.anchor_type(leaf_der, &leaf),
        cert: Cow::Owned(leaf),
        der: leaf_der,
        pooled: None,
    }];
    let mut bad_signature = climb(&mut path, 0, &extras, pool, anchors, verified, use_memo);
    let above = match path.last() {
        Some(Link {
            pooled: Some(i),
            anchor: None,
            ..
        }) if use_memo => Some(pool.above(*i, anchors, verified)),
        _ => None,
    };

    let now = now.unix_timestamp();
    let in_date = |l: &Link| {
        let v = l.cert.validity();
        v.not_before.timestamp() <= now && now <= v.not_after.timestamp()
    };
    let (trusted, dates_ok, issuers_ok, length) = match above {
        Some(above) => {
            bad_signature |= above.bad_signature;
            (
                above.trusted,
                in_date(&path[0]) && above.not_before <= now && now <= above.not_after,
                above.issuers_ok,
                1 + above.ders.len(),
            )
        }
        None => (
            path.last().and_then(|l| l.anchor),
            path.iter().all(in_date),
            path.iter()
                .enumerate()
                .skip(1)
                .all(|(i, l)| may_issue(&l.cert, l.anchor.is_some(), i - 1)),
            path.len(),
        ),
    };
    let root_ca_type = match trusted {
        Some(kind) => kind,
        None if length == 1 && same_name(path[0].cert.subject(), path[0].cert.issuer()) => {
            RootCaType::None
        }
        None => RootCaType::Unknown,
    };
    let status = if bad_signature || !issuers_ok {
        Status::Invalid
    } else if !dates_ok {
        Status::DateInvalid
    } else if trusted.is_none() {
        Status::Untrusted
    } else {
        Status::Valid
    };
    let leaf_facts = (status == Status::Valid && length > 1).then(|| leaf_facts(&path[0].cert));
    let path = match above {
        Some(above) => std::iter::once(Cow::Owned(leaf_der.to_vec()))
            .chain(above.ders.iter().map(|d| Cow::Borrowed(*d)))
            .collect(),
        None => path.iter().map(|l| Cow::Owned(l.der.to_vec())).collect(),
    };
    Evaluated {
        status,
        root_ca_type,
        path,
        leaf_facts,
    }
}

/// Extends `path` (with `below` certificates under its first) towards an anchor: anchors first
/// (shortest trusted path), then `extras`, then the pool, then the last certificate itself when
/// it names itself as issuer. With `stop_at_pool`, stops at the first pool certificate reached,
/// whose path above is the pool's memo. True when a signature on the path is bad.
pub(super) fn climb<'t: 'a, 'a, 'p>(
    path: &mut Vec<Link<'a, 'p>>,
    below: usize,
    extras: &'p [(&'a [u8], X509Certificate<'a>)],
    pool: &'p Pool<'t>,
    anchors: &'t TrustAnchors,
    verified: &VerifiedIssuers,
    stop_at_pool: bool,
) -> bool {
    let mut bad_signature = false;
    while path.last().is_some_and(|l| l.anchor.is_none()) && path.len() + below <= MAX_DEPTH {
        let last = path.last().expect("path is never empty");
        let (current, current_der) = (&*last.cert, last.der);
        let is_leaf = path.len() + below == 1;
        // A CA certificate's signature is the same for every leaf under it: remembered.
        let sign_check = |issuer: &X509Certificate, issuer_der: &[u8], pooled: Option<usize>| {
            if is_leaf {
                let digest = pooled.map(|i| pool.digest(i));
                verified.check_leaf(current, current_der, issuer, issuer_der, digest)
            } else {
                verified.check(current, current_der, issuer, issuer_der)
            }
        };

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
                match sign_check(&a, &anchor.der, None) {
                    Sig::Good => {
                        next = Some(Link {
                            cert: Cow::Owned(a),
                            der: &anchor.der,
                            anchor: Some(kind),
                            pooled: None,
                        });
                        break 'search;
                    }
                    Sig::Bad => saw_bad = true,
                    Sig::Unsupported => {}
                }
            }
        }
        if next.is_none() {
            let extras = extras.iter().map(|(d, c)| (*d, c, None));
            let pooled = pool.certs.iter().enumerate();
            let candidates = extras.chain(pooled.map(|(i, (d, c))| (*d, c, Some(i))));
            for (der, c, pooled) in candidates {
                if path.iter().any(|l| l.der == der) || !may_have_issued(c, current) {
                    continue;
                }
                match sign_check(c, der, pooled) {
                    Sig::Good => {
                        next = Some(Link {
                            cert: Cow::Borrowed(c),
                            der,
                            anchor: anchors.anchor_type(der, c),
                            pooled,
                        });
                        break;
                    }
                    Sig::Bad => saw_bad = true,
                    Sig::Unsupported => {}
                }
            }
        }
        match next {
            Some(link) => {
                let stop = stop_at_pool && link.pooled.is_some() && link.anchor.is_none();
                path.push(link);
                if stop {
                    break;
                }
            }
            None if same_name(current.subject(), current.issuer()) => {
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
    bad_signature
}

/// May this certificate issue certificates, with `below` intermediates under it in the path?
/// Anchors without basic constraints (old v1 roots) are accepted: their trust is out of band.
pub(super) fn may_issue(cert: &X509Certificate, is_anchor: bool, below: usize) -> bool {
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
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};

    /// The path above an intermediate is worked out once per pool, but dates are judged at each
    /// call's time, each leaf's own signature is checked, and a leaf that brings its own chain
    /// gets the same answer without the memo.
    #[test]
    fn the_memo_keeps_only_what_does_not_change() {
        let now = time::OffsetDateTime::now_utc();
        let ca = |cn: &str| {
            let mut p = CertificateParams::new(Vec::new()).unwrap();
            p.distinguished_name.push(DnType::CommonName, cn);
            p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            p
        };
        let root_key = KeyPair::generate().unwrap();
        let root = ca("Root").self_signed(&root_key).unwrap();
        let inter_key = KeyPair::generate().unwrap();
        let mut inter = ca("Issuing");
        inter.not_before = now - time::Duration::days(1);
        inter.not_after = now + time::Duration::days(30);
        let inter = inter.signed_by(&inter_key, &root, &root_key).unwrap();
        let leaf = |name: &str| {
            CertificateParams::new(vec![name.to_string()])
                .unwrap()
                .signed_by(&KeyPair::generate().unwrap(), &inter, &inter_key)
                .unwrap()
                .der()
                .to_vec()
        };
        let intermediates = vec![inter.der().to_vec()];
        let pool = Pool::new(&intermediates);
        let anchors = TrustAnchors::empty().with_org_roots(vec![root.der().to_vec()]);
        let verified = VerifiedIssuers::default();
        let judge = |der: &[u8], extras: &[Vec<u8>], at| {
            let found = evaluate_in(der, extras, &pool, &anchors, at, &verified, |c| {
                c.raw_serial().to_vec()
            });
            (found.status, found.path.len(), found.leaf_facts.is_some())
        };
        let (a, b) = (leaf("a.contoso.com"), leaf("b.contoso.com"));
        assert_eq!(judge(&a, &[], now), (Status::Valid, 3, true));
        let later = now + time::Duration::days(60);
        assert_eq!(judge(&b, &[], later), (Status::DateInvalid, 3, false));
        assert_eq!(judge(&b, &[], now), (Status::Valid, 3, true));
        let mut forged = leaf("c.contoso.com");
        *forged.last_mut().unwrap() ^= 1;
        assert_eq!(judge(&forged, &[], now).0, Status::Invalid);
        assert_eq!(judge(&a, &intermediates, now), (Status::Valid, 3, true));
        assert_eq!(judge(&a, &intermediates, later).0, Status::DateInvalid);
        assert!(pool.above[0].get().is_some(), "the path above was kept");
    }
}
