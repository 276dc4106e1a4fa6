//! Revocation verdicts applied to the certificates of an answer: their Status, the revocation
//! details, and a warning per certificate whose revocation could not be checked.

use time::OffsetDateTime;

use super::{escape, rfc3339, Checker, Mode, Verdict};
use crate::cert::chain::Status;
use crate::model::{ExchangeCertificate, Revocation};
use crate::store::RevocationCache;

/// Checks every certificate that comes with a trusted path (DER, leaf first; empty: nothing to
/// check), all at once so that shared CRLs are read once and fetches run in parallel; returns
/// the warnings.
pub fn apply(
    certs: &mut [(ExchangeCertificate, Vec<Vec<u8>>)],
    cache: &RevocationCache,
    mode: Mode,
) -> Vec<String> {
    let which: Vec<usize> = (0..certs.len())
        .filter(|&i| !certs[i].1.is_empty())
        .collect();
    if which.is_empty() {
        return Vec::new();
    }
    let chains: Vec<Vec<Vec<u8>>> = which
        .iter()
        .map(|&i| std::mem::take(&mut certs[i].1))
        .collect();
    let verdicts = Checker::new(cache, mode, OffsetDateTime::now_utc()).check(&chains);
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
