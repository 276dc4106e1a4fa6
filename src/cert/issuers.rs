//! Which of the certificates one import brings are end entities, and which of them issued each
//! one: an entry's chain holds its issuers only, never the unrelated certificates of a bundle.
//!
//! Each certificate is parsed once and looked up by its (folded) subject name, so a bundle of N
//! certificates costs about N look-ups, not N × N comparisons; the signatures tried per link are
//! bounded, and each pair is verified at most once.

use std::collections::{HashMap, HashSet};

use x509_parser::prelude::X509Certificate;

use super::chain::{fold_name, may_have_issued};
use super::inspect;

/// Issuers tried per link: real chains have one, or a few cross-signed or renewed CAs of the
/// same name. More same-named candidates are ignored rather than each verified.
const MAX_CANDIDATES: usize = 4;

/// Longest chain followed (as chain evaluation).
const MAX_DEPTH: usize = 10;

/// The certificates of one import, parsed once.
pub struct Bundle<'a> {
    certs: Vec<Option<X509Certificate<'a>>>,
    by_subject: HashMap<String, Vec<usize>>,
    /// Signature checks done so far: (certificate, issuer) → verified.
    verified: HashMap<(usize, usize), bool>,
}

impl<'a> Bundle<'a> {
    /// Parses each DER certificate once; one that does not parse takes part in nothing.
    pub fn new(ders: &'a [Vec<u8>]) -> Bundle<'a> {
        let certs: Vec<Option<X509Certificate<'a>>> =
            ders.iter().map(|d| inspect::parse(d).ok()).collect();
        let mut by_subject: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, c) in certs.iter().enumerate() {
            if let Some(c) = c {
                by_subject
                    .entry(fold_name(c.subject()))
                    .or_default()
                    .push(i);
            }
        }
        Bundle {
            certs,
            by_subject,
            verified: HashMap::new(),
        }
    }

    /// Indexes of the certificates that issued none of the others (the leaves of a chain
    /// file); a file with only CA certificates gives its first one. When a certificate does
    /// not parse, every index (the caller reports the broken one).
    pub fn end_entities(&self) -> Vec<usize> {
        if self.certs.iter().any(Option::is_none) {
            return (0..self.certs.len()).collect();
        }
        let issuers_named: HashSet<&[u8]> = self
            .certs
            .iter()
            .flatten()
            .filter(|c| c.subject().as_raw() != c.issuer().as_raw())
            .map(|c| c.issuer().as_raw())
            .collect();
        let leaves: Vec<usize> = self
            .certs
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                c.as_ref()
                    .is_some_and(|c| !issuers_named.contains(c.subject().as_raw()))
            })
            .map(|(i, _)| i)
            .collect();
        if leaves.is_empty() {
            vec![0]
        } else {
            leaves
        }
    }

    /// The issuers of certificate `leaf` among the others, nearest first: each one's subject is
    /// the previous one's issuer and its key verifies the previous one's signature. Stops at a
    /// self-issued certificate, a missing issuer or `MAX_DEPTH`.
    pub fn issuers_of(&mut self, leaf: usize) -> Vec<usize> {
        let mut path = vec![leaf];
        let mut current = leaf;
        while path.len() <= MAX_DEPTH {
            let Some(cert) = self.certs.get(current).and_then(Option::as_ref) else {
                break;
            };
            if cert.subject().as_raw() == cert.issuer().as_raw() {
                break;
            }
            let candidates: Vec<usize> = self
                .by_subject
                .get(&fold_name(cert.issuer()))
                .map(|v| {
                    v.iter()
                        .copied()
                        .filter(|j| !path.contains(j))
                        .take(MAX_CANDIDATES)
                        .collect()
                })
                .unwrap_or_default();
            let Some(next) = candidates.into_iter().find(|&j| self.signed(current, j)) else {
                break;
            };
            path.push(next);
            current = next;
        }
        path.remove(0);
        path
    }

    /// Whether `issuer` issued `cert` (names, key identifiers, signature), checked once.
    fn signed(&mut self, cert: usize, issuer: usize) -> bool {
        if let Some(&known) = self.verified.get(&(cert, issuer)) {
            return known;
        }
        let ok = match (&self.certs[cert], &self.certs[issuer]) {
            (Some(c), Some(i)) => {
                may_have_issued(i, c) && inspect::verify_signed_by(c, i.public_key())
            }
            _ => false,
        };
        self.verified.insert((cert, issuer), ok);
        ok
    }
}
