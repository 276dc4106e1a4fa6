//! Where a chain's answers come from: the store's cache first (or last, when refreshing), then
//! the network (OCSP responders, then CRLs, each round in parallel).

use super::parallel::parallel;
use super::{crl, escape, fetch, ocsp, Answer, Checker, Issuer, LeafFacts, Link};

/// What the CRL read from `url` (the cache's or the network's) says of a certificate: its answer
/// when the CRL covers this kind of certificate, else why it cannot (named by `from` and the URL).
fn judge_by_crl(
    crl: Option<&Result<crl::VerifiedCrl, String>>,
    facts: &LeafFacts,
    url: &str,
    from: &str,
) -> Option<Result<(Answer, String), String>> {
    Some(match crl? {
        Ok(crl) if crl.covers_kind(facts.is_ca) => Ok((
            crl::answer(crl, &facts.serial),
            format!("CRL {}", escape(url)),
        )),
        Ok(_) => Err(format!(
            "{from} {}: it does not cover this kind of certificate",
            escape(url)
        )),
        Err(why) => Err(format!("{from} {}: {why}", escape(url))),
    })
}

impl Checker<'_> {
    /// Current cached answers: an OCSP answer about the certificate, else a CRL of its issuer.
    pub(super) fn use_cache(&self, links: &mut [Link], issuers: &[Issuer], crls: &mut crl::Memo) {
        for link in links.iter_mut().filter(|l| l.found.is_none()) {
            let issuer = &issuers[link.issuer];
            if let Some(url) = link.facts.sources.ocsp.first() {
                let serial = crate::cert::hex_upper(&link.facts.serial);
                if let Some(bytes) = self.cache.ocsp(&issuer.thumbprint, &serial) {
                    let checked = match link.cert() {
                        Some(cert) => ocsp::check(&bytes, cert, &issuer.cert, self.now),
                        None => Err("the certificate cannot be read".into()),
                    };
                    match checked {
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
            for url in &link.facts.sources.crl {
                let crl = crls
                    .cached
                    .entry((link.issuer, url.clone()))
                    .or_insert_with(|| {
                        self.cache
                            .crl(&issuer.thumbprint, url)
                            .map(|bytes| crl::check(&bytes, &issuer.cert, self.now))
                    });
                match judge_by_crl(crl.as_ref(), &link.facts, url, "cached CRL from") {
                    Some(Ok(found)) => {
                        link.found = Some(found);
                        break;
                    }
                    Some(Err(cause)) => link.causes.push(cause),
                    None => {}
                }
            }
        }
    }

    /// Fetches what is still missing: OCSP answers first, then CRLs, each round in parallel.
    pub(super) fn use_network(&self, links: &mut [Link], issuers: &[Issuer], crls: &mut crl::Memo) {
        for link in links.iter_mut() {
            for note in &link.facts.sources.skipped {
                if !link.causes.contains(note) {
                    link.causes.push(note.clone());
                }
            }
            if link.facts.sources.is_empty() {
                link.causes.push(
                    "the certificate names no usable CRL distribution point and no OCSP responder, so its revocation cannot be checked (Windows: revocation status unknown)".into(),
                );
            }
        }
        // Round 1: OCSP, one request per certificate.
        let wanted: Vec<usize> = (0..links.len())
            .filter(|&i| links[i].found.is_none() && !links[i].facts.sources.ocsp.is_empty())
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
            for url in &link.facts.sources.crl {
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
            for url in &link.facts.sources.crl {
                let crl = crls.fetched.get(&(link.issuer, url.clone()));
                match judge_by_crl(crl, &link.facts, url, "CRL") {
                    Some(Ok(found)) => {
                        link.found = Some(found);
                        break;
                    }
                    Some(Err(cause)) => link.causes.push(cause),
                    None => {}
                }
            }
        }
    }

    /// Asks each OCSP responder of the certificate in turn; the first answer that counts wins
    /// and is cached.
    fn ask_ocsp(&self, link: &Link, issuer: &Issuer) -> (Option<(Answer, String)>, Vec<String>) {
        let mut causes = Vec::new();
        let Some(cert) = link.cert() else {
            return (None, vec!["the certificate cannot be read".into()]);
        };
        let id = ocsp::CertId::new(cert, &issuer.cert);
        let request = ocsp::request(&id);
        for url in &link.facts.sources.ocsp {
            let outcome = fetch::post_ocsp(url, &request).and_then(|bytes| {
                ocsp::check(&bytes, cert, &issuer.cert, self.now).map(|a| (a, bytes))
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
