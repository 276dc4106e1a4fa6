//! Chain building and checking: the `Status` and `RootCAType` of a certificate (docs/cmdlets.md).
//!
//! The path is built by issuer/subject name (byte-equal, else compared case- and
//! space-insensitively), narrowed by authority/subject key identifiers when both are present,
//! and each link's signature is verified. Trust anchors are the system trust store (read once per
//! process) and the roots the organisation store trusts (`anchors`); signatures checked once are
//! remembered (`verified`). Revocation is not checked here (`crate::revocation`).

mod anchors;
mod names;
mod path;
mod pool;
mod verified;

use std::borrow::Cow;

pub use anchors::TrustAnchors;
pub(crate) use names::{fold_name, may_have_issued};
pub use path::{evaluate_in, Evaluated};
pub use pool::Pool;
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

/// Status and root type of `leaf_der` with the given intermediates (any order; extra or
/// unrelated certificates are ignored) against the anchors, at time `now` (`evaluate_in`).
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
    let pool = Pool::new(intermediates);
    let found = evaluate_in(leaf_der, &[], &pool, anchors, now, verified, |_| ());
    let path = found.path.into_iter().map(Cow::into_owned).collect();
    (found.status, found.root_ca_type, path)
}

#[cfg(test)]
mod tests {
    use super::*;

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
