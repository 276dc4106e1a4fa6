//! The intermediate CAs a listing's chains may be built from (`Pool`), parsed once per listing,
//! and the path above each of them, worked out the first time a leaf chains to it and then the
//! same for every other leaf it issued (docs/performance.md).

use std::borrow::Cow;
use std::sync::OnceLock;

use x509_parser::prelude::{FromDer, X509Certificate};

use super::path::{climb, may_issue, Link};
use super::verified::{issuer_digest, VerifiedIssuers};
use super::{RootCaType, TrustAnchors};

/// The intermediate CAs a listing's chains may be built from, parsed once for the whole listing,
/// with the path above each one once a leaf has chained to it.
pub struct Pool<'t> {
    pub(super) certs: Vec<(&'t [u8], X509Certificate<'t>)>,
    pub(super) above: Vec<OnceLock<Above<'t>>>,
    /// Each one's `issuer_digest`, made when a leaf is first checked against it.
    digests: Vec<OnceLock<[u8; 32]>>,
}

/// The path above a pool certificate as every leaf it issued sees it (the certificate itself
/// first): what `evaluate_in` would find for each of them again.
pub(super) struct Above<'t> {
    pub(super) ders: Vec<&'t [u8]>,
    /// Where the last one is trusted, when it is an anchor.
    pub(super) trusted: Option<RootCaType>,
    pub(super) bad_signature: bool,
    /// Every certificate may issue, with the certificates under it (the leaf included).
    pub(super) issuers_ok: bool,
    /// The latest notBefore and the earliest notAfter among them (Unix time).
    pub(super) not_before: i64,
    pub(super) not_after: i64,
}

/// Each DER that parses, beside its parse (the pool's intermediates, a leaf's own chain files).
pub(super) fn parse_each(ders: &[Vec<u8>]) -> Vec<(&[u8], X509Certificate<'_>)> {
    ders.iter()
        .filter_map(|d| {
            X509Certificate::from_der(d)
                .ok()
                .map(|(_, c)| (d.as_slice(), c))
        })
        .collect()
}

impl<'t> Pool<'t> {
    /// The certificates of `intermediates` that parse.
    pub fn new(intermediates: &'t [Vec<u8>]) -> Self {
        let certs = parse_each(intermediates);
        let above = certs.iter().map(|_| OnceLock::new()).collect();
        let digests = certs.iter().map(|_| OnceLock::new()).collect();
        Pool {
            certs,
            above,
            digests,
        }
    }

    pub(super) fn digest(&self, i: usize) -> &[u8; 32] {
        self.digests[i].get_or_init(|| issuer_digest(self.certs[i].0))
    }

    pub(super) fn contains(&self, der: &[u8]) -> bool {
        self.certs.iter().any(|(d, _)| *d == der)
    }

    /// The path above pool certificate `i`, worked out on first use.
    pub(super) fn above(
        &self,
        i: usize,
        anchors: &'t TrustAnchors,
        verified: &VerifiedIssuers,
    ) -> &Above<'t> {
        self.above[i].get_or_init(|| {
            let (der, cert) = &self.certs[i];
            let mut path = vec![Link {
                cert: Cow::Borrowed(cert),
                der,
                anchor: anchors.anchor_type(der, cert),
                pooled: Some(i),
            }];
            // As seen from a leaf under it: one certificate below, never excluded (a leaf
            // that is itself in the pool is judged without this memo).
            let bad_signature = climb(&mut path, 1, &[], self, anchors, verified, false);
            let validity = path.iter().map(|l| l.cert.validity());
            Above {
                trusted: path.last().and_then(|l| l.anchor),
                bad_signature,
                issuers_ok: path
                    .iter()
                    .enumerate()
                    .all(|(below, l)| may_issue(&l.cert, l.anchor.is_some(), below)),
                not_before: validity
                    .clone()
                    .map(|v| v.not_before.timestamp())
                    .max()
                    .unwrap_or(i64::MIN),
                not_after: validity
                    .map(|v| v.not_after.timestamp())
                    .min()
                    .unwrap_or(i64::MAX),
                ders: path.iter().map(|l| l.der).collect(),
            }
        })
    }
}
