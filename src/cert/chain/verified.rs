//! Signature checks of a chain's links, and the ones already made: per listing for CA
//! certificates, and remembered in the store for leaves (`Remembered`).

use std::collections::HashMap;
use std::fmt;

use x509_parser::error::X509Error;
use x509_parser::prelude::X509Certificate;

/// Outcome of checking one signature.
#[derive(Clone, Copy)]
pub(super) enum Sig {
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
    pub(super) fn check(
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

pub(super) fn check_signature(cert: &X509Certificate, issuer: &X509Certificate) -> Sig {
    match cert.verify_signature(Some(issuer.public_key())) {
        Ok(()) => Sig::Good,
        Err(X509Error::SignatureUnsupportedAlgorithm) => Sig::Unsupported,
        Err(_) => Sig::Bad,
    }
}
