//! Revocation verdicts applied to the certificates of an answer: their Status, the revocation
//! details, and a warning per certificate whose revocation could not be checked.

use std::borrow::Cow;

use time::OffsetDateTime;

use super::{escape, rfc3339, Checker, LeafFacts, Mode, ToCheck, Verdict};
use crate::cert::chain::Status;
use crate::model::{ExchangeCertificate, Revocation};
use crate::store::RevocationCache;

/// A certificate's trusted path whose revocation is still to be checked (DER, leaf first; empty:
/// nothing to check), with what is known of its leaf already.
#[derive(Default)]
pub struct Unchecked<'t> {
    pub path: Vec<Cow<'t, [u8]>>,
    pub leaf: Option<LeafFacts>,
}

/// Checks every certificate that comes with a trusted path, all at once so that shared CRLs
/// are read once and fetches run in parallel; returns the warnings.
pub fn apply(
    certs: &mut [(ExchangeCertificate, Unchecked<'_>)],
    cache: &RevocationCache,
    mode: Mode,
) -> Vec<String> {
    let which: Vec<usize> = (0..certs.len())
        .filter(|&i| !certs[i].1.path.is_empty())
        .collect();
    if which.is_empty() {
        return Vec::new();
    }
    let mut leaves: Vec<_> = which.iter().map(|&i| certs[i].1.leaf.take()).collect();
    let chains: Vec<ToCheck> = which
        .iter()
        .zip(&mut leaves)
        .map(|(&i, leaf)| ToCheck {
            chain: certs[i].1.path.iter().map(|d| d.as_ref()).collect(),
            leaf: leaf.take(),
        })
        .collect();
    let verdicts = Checker::new(cache, mode, OffsetDateTime::now_utc()).check_all(chains);
    let mut warnings = Vec::new();
    for (i, verdict) in which.into_iter().zip(verdicts) {
        let c = &mut certs[i].0;
        match verdict {
            Verdict::Good => {}
            Verdict::Revoked {
                revoked,
                source,
                thumbprint,
                subject,
            } => {
                c.status = Status::Revoked;
                c.revocation = Some(Revocation {
                    reason: revoked.reason,
                    date: revoked.date,
                    source: if thumbprint == c.thumbprint {
                        source.clone()
                    } else {
                        format!("{source} (issuer {thumbprint}, {})", escape(&subject))
                    },
                });
                let whose = if thumbprint == c.thumbprint {
                    String::new()
                } else {
                    format!(
                        " because the CA certificate {thumbprint} ({}) in its chain is revoked",
                        escape(&subject)
                    )
                };
                warnings.push(format!(
                    "The certificate {} on server {} ({}) is revoked{whose}: {} since {}, according to {source}. Replace it: request a new certificate (New-ExchangeCertificate -GenerateRequest) and stop using this one",
                    c.thumbprint,
                    c.server,
                    escape(&c.subject),
                    revoked.reason.as_str(),
                    rfc3339(revoked.date),
                ));
            }
            Verdict::Failed { causes } => {
                c.status = Status::RevocationCheckFailure;
                warnings.push(format!(
                    "The revocation status of the certificate {} on server {} ({}) could not be checked: {}. Check that this host can reach the CA's CRL and OCSP locations (proxy, firewall), then run Get-ExchangeCertificate -RefreshRevocation",
                    c.thumbprint,
                    c.server,
                    escape(&c.subject),
                    causes.join(" | ")
                ));
            }
        }
    }
    warnings
}
