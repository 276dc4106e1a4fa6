//! Signature checks of a chain's links, and the ones already made: per listing for CA
//! certificates, and remembered in the store for leaves (`Remembered`).

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use x509_parser::error::X509Error;
use x509_parser::prelude::X509Certificate;

/// Outcome of checking one signature.
#[derive(Clone, Copy)]
pub(super) enum Sig {
    Good,
    Bad,
    Unsupported,
}

/// The signatures already checked. CA certificates' are kept for one listing: every leaf under
/// the same issuing CA would otherwise verify that CA's signature again. Leaves' good ones can be
/// remembered across listings (`remembering`): the store keeps them (`Store::
/// remembered_signatures`) so that a warm listing of 10,000 CA-issued certificates verifies no
/// RSA signature at all. What is kept cannot change: "the certificate with this SHA-256 is signed
/// by the key of the certificate with that SHA-256". Dates, trust and revocation are judged anew
/// every time, and a certificate or issuer that changes no longer matches its old record.
#[derive(Default)]
pub struct VerifiedIssuers {
    cas: Mutex<HashMap<Vec<u8>, IssuerSigs>>,
    /// Leaf signatures remembered from earlier listings; `None` when not remembering.
    remembered: Option<HashSet<SignatureKey>>,
    /// Leaf signatures found good in this listing (remembered or newly checked).
    good: Mutex<HashSet<SignatureKey>>,
    /// True when a leaf signature was checked rather than remembered.
    learned: AtomicBool,
}

/// What identifies one signature check: SHA-256 over the certificate's DER and the SHA-256 of
/// its issuer's.
pub type SignatureKey = [u8; 32];

/// The key of "`cert_der` is signed by the key of `issuer_der`".
pub fn signature_key(cert_der: &[u8], issuer_der: &[u8]) -> SignatureKey {
    signature_key_under(cert_der, &issuer_digest(issuer_der))
}

/// SHA-256 of an issuer's DER: hashed once per listing for all the leaves under it
/// (`Pool`), so that each leaf costs the hashing of its own DER only.
pub(super) fn issuer_digest(issuer_der: &[u8]) -> [u8; 32] {
    Sha256::digest(issuer_der).into()
}

/// `signature_key` with the issuer's digest already made.
fn signature_key_under(cert_der: &[u8], issuer_digest: &[u8; 32]) -> SignatureKey {
    let mut h = Sha256::new();
    // The length first: no other certificate and digest hash the same bytes.
    h.update((cert_der.len() as u64).to_le_bytes());
    h.update(cert_der);
    h.update(issuer_digest);
    h.finalize().into()
}

/// The issuers (DER) a certificate's signature was checked against, and the outcomes.
type IssuerSigs = Vec<(Vec<u8>, Sig)>;

impl VerifiedIssuers {
    /// Checks that remember leaf signatures, starting from those of earlier listings.
    pub fn remembering(remembered: HashSet<SignatureKey>) -> Self {
        VerifiedIssuers {
            remembered: Some(remembered),
            ..Default::default()
        }
    }

    /// `check_signature` of a CA certificate `cert` by `issuer`, kept by both DERs.
    pub(super) fn check(
        &self,
        cert: &X509Certificate,
        cert_der: &[u8],
        issuer: &X509Certificate,
        issuer_der: &[u8],
    ) -> Sig {
        let known = self.cas.lock().ok().and_then(|m| {
            m.get(cert_der)?
                .iter()
                .find(|(i, _)| i == issuer_der)
                .map(|(_, sig)| *sig)
        });
        known.unwrap_or_else(|| {
            let sig = check_signature(cert, issuer);
            if let Ok(mut m) = self.cas.lock() {
                m.entry(cert_der.to_vec())
                    .or_default()
                    .push((issuer_der.to_vec(), sig));
            }
            sig
        })
    }

    /// `check_signature` of a leaf by `issuer`: a good one remembered earlier is not checked
    /// again. Only good signatures are remembered (a bad one is checked every time).
    /// `digest` is `issuer_digest(issuer_der)` when the caller has it.
    pub(super) fn check_leaf(
        &self,
        cert: &X509Certificate,
        cert_der: &[u8],
        issuer: &X509Certificate,
        issuer_der: &[u8],
        digest: Option<&[u8; 32]>,
    ) -> Sig {
        let Some(remembered) = &self.remembered else {
            return check_signature(cert, issuer);
        };
        let key = match digest {
            Some(d) => signature_key_under(cert_der, d),
            None => signature_key(cert_der, issuer_der),
        };
        let sig = if remembered.contains(&key) {
            Sig::Good
        } else {
            let sig = check_signature(cert, issuer);
            if matches!(sig, Sig::Good) {
                self.learned.store(true, Ordering::Relaxed);
            }
            sig
        };
        if matches!(sig, Sig::Good) {
            if let Ok(mut good) = self.good.lock() {
                good.insert(key);
            }
        }
        sig
    }

    /// What to remember for the next listing, when this one learned something: the good leaf
    /// signatures of this listing and, up to `limit` in all, those remembered before (other
    /// servers' certificates, for a listing of one server).
    pub fn to_remember(&self, limit: usize) -> Option<Vec<SignatureKey>> {
        if !self.learned.load(Ordering::Relaxed) {
            return None;
        }
        let good = self.good.lock().ok()?;
        let mut out: Vec<SignatureKey> = good.iter().copied().collect();
        let before = self
            .remembered
            .iter()
            .flatten()
            .filter(|k| !good.contains(*k));
        out.extend(before.take(limit.saturating_sub(out.len())).copied());
        out.truncate(limit);
        out.sort_unstable();
        Some(out)
    }
}

impl fmt::Debug for VerifiedIssuers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.cas.lock().map(|m| m.len()).unwrap_or(0);
        write!(f, "VerifiedIssuers({n})")
    }
}

pub(super) fn check_signature(cert: &X509Certificate, issuer: &X509Certificate) -> Sig {
    match cert.verify_signature(Some(issuer.public_key())) {
        Ok(()) => Sig::Good,
        Err(X509Error::SignatureUnsupportedAlgorithm) => Sig::Unsupported,
        Err(_) => Sig::Bad,
    }
}
