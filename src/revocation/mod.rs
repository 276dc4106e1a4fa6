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
pub mod ocsp;
mod parallel;
mod plan;

use std::collections::HashMap;

use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::cert::thumbprint;
use crate::store::RevocationCache;

pub use apply::apply;
use parallel::parallel;
pub use plan::Sources;

/// How far an answer's thisUpdate may be ahead of our clock.
pub const CLOCK_SKEW: Duration = Duration::minutes(5);
/// How long an answer without nextUpdate is used (RFC 5019 §6: fetch again soon).
pub const UNDATED_LIFETIME: Duration = Duration::hours(1);
/// At most this many fetches run at once.
pub const MAX_PARALLEL: usize = 16;

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
    text.chars()
        .flat_map(|c| {
            if c.is_control() {
                format!("\\u{{{:x}}}", c as u32).chars().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

pub(crate) fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// An issuing certificate of some chain, parsed once.
struct Issuer<'c> {
    cert: X509Certificate<'c>,
    thumbprint: String,
}

/// One (certificate, issuer) pair to check, parsed once, borrowed from the chains.
struct Link<'c> {
    der: &'c [u8],
    cert: X509Certificate<'c>,
    /// Index in the issuers.
    issuer: usize,
    sources: Sources,
    /// The answer, once one counts.
    found: Option<(Answer, String)>,
    /// Why each tried source did not count.
    causes: Vec<String>,
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
        let mut links: Vec<Link> = Vec::new();
        let mut issuers: Vec<Issuer> = Vec::new();
        let mut link_index: HashMap<(&[u8], &[u8]), usize> = HashMap::new();
        let mut issuer_index: HashMap<&[u8], usize> = HashMap::new();
        let mut per_chain = Vec::with_capacity(chains.len());
        'chains: for chain in chains {
            let mut ids = Vec::new();
            for pair in chain.windows(2) {
                let (der, issuer_der) = (pair[0].as_slice(), pair[1].as_slice());
                if let Some(&id) = link_index.get(&(der, issuer_der)) {
                    ids.push(id);
                    continue;
                }
                let issuer = match issuer_index.get(issuer_der) {
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
                let Ok((_, cert)) = X509Certificate::from_der(der) else {
                    per_chain.push(ChainLinks::Unreadable);
                    continue 'chains;
                };
                links.push(Link {
                    der,
                    sources: Sources::of(&cert),
                    cert,
                    issuer,
                    found: None,
                    causes: Vec::new(),
                });
                link_index.insert((der, issuer_der), links.len() - 1);
                ids.push(links.len() - 1);
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
                        subject: link.cert.subject().to_string(),
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
                            escape(&link.cert.subject().to_string()),
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

    /// Current cached answers: an OCSP answer about the certificate, else a CRL of its issuer.
    fn use_cache(&self, links: &mut [Link], issuers: &[Issuer], crls: &mut crl::Memo) {
        for link in links.iter_mut().filter(|l| l.found.is_none()) {
            let issuer = &issuers[link.issuer];
            if let Some(url) = link.sources.ocsp.first() {
                let serial = crate::cert::hex_upper(link.cert.raw_serial());
                if let Some(bytes) = self.cache.ocsp(&issuer.thumbprint, &serial) {
                    match ocsp::check(&bytes, &link.cert, &issuer.cert, self.now) {
                        Ok(answer) => {
                            link.found = Some((answer, format!("OCSP {}", escape(url))));
                            continue;
                        }
                        Err(why) => link
                            .causes
                            .push(format!("cached OCSP answer from {}: {why}", escape(url))),
                    }
                }
            }
            for url in &link.sources.crl {
                let crl = crls
                    .cached
                    .entry((link.issuer, url.clone()))
                    .or_insert_with(|| {
                        self.cache
                            .crl(&issuer.thumbprint, url)
                            .map(|bytes| crl::check(&bytes, &issuer.cert, self.now))
                    });
                match crl {
                    Some(Ok(crl)) if crl.covers(&link.cert) => {
                        link.found =
                            Some((crl::answer(crl, &link.cert), format!("CRL {}", escape(url))));
                        break;
                    }
                    Some(Ok(_)) => link.causes.push(format!(
                        "cached CRL from {}: it does not cover this kind of certificate",
                        escape(url)
                    )),
                    Some(Err(why)) => link
                        .causes
                        .push(format!("cached CRL from {}: {why}", escape(url))),
                    None => {}
                }
            }
        }
    }

    /// Fetches what is still missing: OCSP answers first, then CRLs, each round in parallel.
    fn use_network(&self, links: &mut [Link], issuers: &[Issuer], crls: &mut crl::Memo) {
        for link in links.iter_mut() {
            for note in &link.sources.skipped {
                if !link.causes.contains(note) {
                    link.causes.push(note.clone());
                }
            }
            if link.sources.is_empty() {
                link.causes.push(
                    "the certificate names no usable CRL distribution point and no OCSP responder, so its revocation cannot be checked (Windows: revocation status unknown)".into(),
                );
            }
        }
        // Round 1: OCSP, one request per certificate.
        let wanted: Vec<usize> = (0..links.len())
            .filter(|&i| links[i].found.is_none() && !links[i].sources.ocsp.is_empty())
            .collect();
        let results = parallel(&wanted, |&i| {
            self.ask_ocsp(&links[i], &issuers[links[i].issuer])
        });
        for (i, (found, mut causes)) in wanted.into_iter().zip(results) {
            links[i].causes.append(&mut causes);
            if found.is_some() {
                links[i].found = found;
            }
        }
        // Round 2: CRLs, one download per issuer and URL, for what OCSP did not settle.
        let mut jobs: Vec<(usize, String)> = Vec::new();
        for link in links.iter().filter(|l| l.found.is_none()) {
            for url in &link.sources.crl {
                let key = (link.issuer, url.clone());
                if !crls.fetched.contains_key(&key) && !jobs.contains(&key) {
                    jobs.push(key);
                }
            }
        }
        let results = parallel(&jobs, |(i, url)| self.fetch_crl(&issuers[*i], url));
        for (key, result) in jobs.into_iter().zip(results) {
            crls.fetched.insert(key, result);
        }
        for link in links.iter_mut().filter(|l| l.found.is_none()) {
            for url in &link.sources.crl {
                match crls.fetched.get(&(link.issuer, url.clone())) {
                    Some(Ok(crl)) if crl.covers(&link.cert) => {
                        link.found =
                            Some((crl::answer(crl, &link.cert), format!("CRL {}", escape(url))));
                        break;
                    }
                    Some(Ok(_)) => link.causes.push(format!(
                        "CRL {}: it does not cover this kind of certificate",
                        escape(url)
                    )),
                    Some(Err(why)) => link.causes.push(format!("CRL {}: {why}", escape(url))),
                    None => {}
                }
            }
        }
    }

    /// Asks each OCSP responder of the certificate in turn; the first answer that counts wins
    /// and is cached.
    fn ask_ocsp(&self, link: &Link, issuer: &Issuer) -> (Option<(Answer, String)>, Vec<String>) {
        let mut causes = Vec::new();
        let id = ocsp::CertId::new(&link.cert, &issuer.cert);
        let request = ocsp::request(&id);
        for url in &link.sources.ocsp {
            let outcome = fetch::post_ocsp(url, &request).and_then(|bytes| {
                ocsp::check(&bytes, &link.cert, &issuer.cert, self.now).map(|a| (a, bytes))
            });
            match outcome {
                Ok((answer, bytes)) => {
                    if let Err(e) =
                        self.cache
                            .put_ocsp(&issuer.thumbprint, &id.serial_hex(), &bytes)
                    {
                        causes.push(format!("the answer could not be cached: {}", e.message));
                    }
                    return (Some((answer, format!("OCSP {}", escape(url)))), causes);
                }
                Err(why) => causes.push(format!("OCSP {}: {}", escape(url), escape(&why))),
            }
        }
        (None, causes)
    }

    fn fetch_crl(&self, issuer: &Issuer, url: &str) -> Result<crl::VerifiedCrl, String> {
        let bytes = fetch::get(url).map_err(|e| escape(&e))?;
        let crl = crl::check(&bytes, &issuer.cert, self.now)?;
        // A failure to cache costs the next listing a download, nothing more.
        let _ = self.cache.put_crl(&issuer.thumbprint, url, &bytes);
        Ok(crl)
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
