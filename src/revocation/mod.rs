//! Revocation checking: `Revoked` and `RevocationCheckFailure` from real CRLs and
//! OCSP answers, as Windows' chain engine checks them for Exchange.
//!
//! Every certificate of a trusted chain but the root is checked: OCSP first when its Authority
//! Information Access names a responder, the CRL Distribution Points as the fallback. An answer
//! counts only when its signature verifies against the issuer (or a responder the issuer
//! authorised) and it is current. Answers are cached in the store for the whole organisation
//! (`store::RevocationCache`) and re-verified whenever they are read. A certificate without any
//! distribution point or responder cannot be checked: Windows reports
//! `CERT_TRUST_REVOCATION_STATUS_UNKNOWN` for it, which Exchange shows as
//! `RevocationCheckFailure`, and so do we.
//!
//! This module does network I/O (`fetch`), so it sits beside the safe core, not inside it.

mod apply;
pub mod crl;
pub mod fetch;
mod lookup;
pub mod ocsp;
mod parallel;
mod plan;

use std::collections::HashMap;
use std::sync::OnceLock;

use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::cert::thumbprint;
use crate::store::RevocationCache;

pub use apply::{apply, Unchecked};
pub use plan::{LeafFacts, Sources};

/// How far an answer's thisUpdate may be ahead of our clock.
pub const CLOCK_SKEW: Duration = Duration::minutes(5);
/// How long an answer without nextUpdate is used (RFC 5019 §6: fetch again soon).
pub const UNDATED_LIFETIME: Duration = Duration::hours(1);
/// At most this many fetches run at once.
pub const MAX_PARALLEL: usize = 16;
/// Certificates with the same issuer and serial a check looks through for a duplicate.
const MAX_SAME_SERIAL: usize = 8;

pub use crate::model::RevocationMode as Mode;
pub use crate::model::RevocationReason;

/// A revocation entry: why and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revoked {
    pub reason: RevocationReason,
    pub date: OffsetDateTime,
}

/// A checked answer about one certificate.
#[derive(Debug, Clone)]
pub enum Answer {
    Good {
        expires: OffsetDateTime,
    },
    Revoked {
        expires: OffsetDateTime,
        revoked: Revoked,
    },
}

/// The revocation verdict for a whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every checked certificate has a current answer saying it is not revoked.
    Good,
    /// A certificate of the chain is revoked.
    Revoked {
        revoked: Revoked,
        /// `OCSP <url>` or `CRL <url>`.
        source: String,
        /// Thumbprint and subject of the revoked element (the leaf, or an intermediate).
        thumbprint: String,
        subject: String,
    },
    /// No current, valid answer for some certificate; each cause names the URL.
    Failed { causes: Vec<String> },
}

/// Control characters (from certificates, servers or the cache) made visible.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

pub(crate) fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// An issuing certificate of some chain, parsed once.
struct Issuer<'c> {
    cert: X509Certificate<'c>,
    thumbprint: String,
}

/// One (certificate, issuer) pair to check, borrowed from the chains.
struct Link<'c> {
    der: &'c [u8],
    facts: LeafFacts,
    /// The certificate parsed, on first need (OCSP, a revoked one's subject).
    parsed: OnceLock<Option<X509Certificate<'c>>>,
    /// Index in the issuers.
    issuer: usize,
    /// The answer, once one counts.
    found: Option<(Answer, String)>,
    /// Why each tried source did not count.
    causes: Vec<String>,
}

impl<'c> Link<'c> {
    fn cert(&self) -> Option<&X509Certificate<'c>> {
        let parse = || X509Certificate::from_der(self.der).ok().map(|(_, c)| c);
        self.parsed.get_or_init(parse).as_ref()
    }
}

/// A chain to check (DER, leaf first, the trusted root last), with what is known of its leaf.
pub struct ToCheck<'c> {
    pub chain: Vec<&'c [u8]>,
    /// `LeafFacts::of` the leaf, when the caller parsed it already.
    pub leaf: Option<LeafFacts>,
}

/// The links of one chain, or why it cannot be checked.
enum ChainLinks {
    Links(Vec<usize>),
    Unreadable,
}

/// Checks the revocation of certificates' chains against the cache and the network.
pub struct Checker<'a> {
    cache: &'a RevocationCache,
    mode: Mode,
    now: OffsetDateTime,
}

impl<'a> Checker<'a> {
    pub fn new(cache: &'a RevocationCache, mode: Mode, now: OffsetDateTime) -> Self {
        Checker { cache, mode, now }
    }

    /// A verdict per chain (DER, leaf first, the trusted root last). A chain of one
    /// certificate (a root, or a self-signed certificate) has nothing to check: `Good`.
    pub fn check(&self, chains: &[Vec<Vec<u8>>]) -> Vec<Verdict> {
        let chains = chains.iter().map(|c| ToCheck {
            chain: c.iter().map(Vec::as_slice).collect(),
            leaf: None,
        });
        self.check_all(chains.collect())
    }

    /// As `check`. The CA certificates a listing's chains share come as the same slices: they
    /// are found by address before being compared (and hashed) whole.
    pub fn check_all(&self, chains: Vec<ToCheck<'_>>) -> Vec<Verdict> {
        let mut links: Vec<Link> = Vec::new();
        let mut issuers: Vec<Issuer> = Vec::new();
        let mut link_at: HashMap<(usize, usize, usize), usize> = HashMap::new();
        let mut by_serial: HashMap<(usize, Vec<u8>), Vec<usize>> = HashMap::new();
        let mut issuer_at: HashMap<(usize, usize), usize> = HashMap::new();
        let mut issuer_index: HashMap<&[u8], usize> = HashMap::new();
        let at = |d: &[u8]| (d.as_ptr() as usize, d.len());
        let mut per_chain = Vec::with_capacity(chains.len());
        'chains: for ToCheck { chain, mut leaf } in chains {
            let mut ids = Vec::new();
            for (depth, pair) in chain.windows(2).enumerate() {
                let (der, issuer_der) = (pair[0], pair[1]);
                let issuer = match issuer_at.get(&at(issuer_der)) {
                    Some(&i) => i,
                    None => {
                        let i = match issuer_index.get(issuer_der) {
                            Some(&i) => i,
                            None => {
                                let Ok((_, cert)) = X509Certificate::from_der(issuer_der) else {
                                    per_chain.push(ChainLinks::Unreadable);
                                    continue 'chains;
                                };
                                issuers.push(Issuer {
                                    cert,
                                    thumbprint: thumbprint(issuer_der),
                                });
                                issuer_index.insert(issuer_der, issuers.len() - 1);
                                issuers.len() - 1
                            }
                        };
                        issuer_at.insert(at(issuer_der), i);
                        i
                    }
                };
                let (ptr, len) = at(der);
                if let Some(&id) = link_at.get(&(ptr, len, issuer)) {
                    ids.push(id);
                    continue;
                }
                let parsed = OnceLock::new();
                let facts = match leaf.take().filter(|_| depth == 0) {
                    Some(facts) => facts,
                    None => {
                        let Ok((_, cert)) = X509Certificate::from_der(der) else {
                            per_chain.push(ChainLinks::Unreadable);
                            continue 'chains;
                        };
                        let facts = LeafFacts::of(&cert);
                        let _ = parsed.set(Some(cert));
                        facts
                    }
                };
                // The same certificate under the same issuer (on several servers) is checked
                // once: found by its serial, then compared whole. A serial shared by more
                // certificates than any CA would issue costs duplicates, never a slow search.
                let same = by_serial.entry((issuer, facts.serial.clone())).or_default();
                let id = match same.iter().find(|&&i| links[i].der == der) {
                    Some(&id) => id,
                    None => {
                        links.push(Link {
                            der,
                            facts,
                            parsed,
                            issuer,
                            found: None,
                            causes: Vec::new(),
                        });
                        if same.len() < MAX_SAME_SERIAL {
                            same.push(links.len() - 1);
                        }
                        links.len() - 1
                    }
                };
                // Leaves come each in their own copy; CA certificates are shared by address.
                if depth > 0 {
                    link_at.insert((ptr, len, issuer), id);
                }
                ids.push(id);
            }
            per_chain.push(ChainLinks::Links(ids));
        }

        let mut crls = crl::Memo::default();
        match self.mode {
            Mode::Online => {
                self.use_cache(&mut links, &issuers, &mut crls);
                self.use_network(&mut links, &issuers, &mut crls);
            }
            Mode::Refresh => {
                self.use_network(&mut links, &issuers, &mut crls);
                self.use_cache(&mut links, &issuers, &mut crls);
            }
            Mode::Offline => self.use_cache(&mut links, &issuers, &mut crls),
        }

        per_chain
            .iter()
            .map(|chain| match chain {
                ChainLinks::Links(ids) => self.verdict(ids.iter().map(|&i| &links[i])),
                ChainLinks::Unreadable => Verdict::Failed {
                    causes: vec!["a certificate of the chain cannot be read".into()],
                },
            })
            .collect()
    }

    fn verdict<'l, 'c: 'l>(&self, links: impl Iterator<Item = &'l Link<'c>>) -> Verdict {
        let mut causes = Vec::new();
        for (depth, link) in links.enumerate() {
            match &link.found {
                Some((Answer::Revoked { revoked, .. }, source)) => {
                    return Verdict::Revoked {
                        revoked: revoked.clone(),
                        source: source.clone(),
                        thumbprint: thumbprint(link.der),
                        subject: link
                            .cert()
                            .map(|c| c.subject().to_string())
                            .unwrap_or_default(),
                    };
                }
                Some((Answer::Good { .. }, _)) => {}
                None => {
                    let mut why = link.causes.clone();
                    if why.is_empty() {
                        why.push(if self.mode == Mode::Offline {
                            "no cached answer, and revocation is checked offline".to_string()
                        } else {
                            "no answer".to_string()
                        });
                    }
                    if depth == 0 {
                        causes.push(why.join("; "));
                    } else {
                        causes.push(format!(
                            "for the CA certificate {} ({}) in its chain: {}",
                            thumbprint(link.der),
                            escape(
                                &link
                                    .cert()
                                    .map(|c| c.subject().to_string())
                                    .unwrap_or_default()
                            ),
                            why.join("; ")
                        ));
                    }
                }
            }
        }
        if causes.is_empty() {
            Verdict::Good
        } else {
            Verdict::Failed { causes }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_and_escaping() {
        assert_eq!(
            RevocationReason::from_code(Some(1)),
            RevocationReason::KeyCompromise
        );
        assert_eq!(
            RevocationReason::from_code(None),
            RevocationReason::Unspecified
        );
        assert_eq!(
            RevocationReason::from_code(Some(7)),
            RevocationReason::Unspecified
        );
        assert_eq!(escape("a\nb\u{1b}"), "a\\u{a}b\\u{1b}");
    }
}
