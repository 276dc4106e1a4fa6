//! CRLs (RFC 5280 §5): read through x509-parser, counted only when signed by the issuer, about
//! its certificates (not a delta or partial list we cannot judge), and current.

use std::collections::HashMap;

use time::OffsetDateTime;
use x509_parser::extensions::ParsedExtension;
use x509_parser::prelude::{CertificateRevocationList, FromDer, X509Certificate};

use super::{Answer, Revoked, CLOCK_SKEW, UNDATED_LIFETIME};

const OID_DELTA_CRL_INDICATOR: &str = "2.5.29.27";

/// A CRL that passed every check: its revoked serials and until when it may be used.
#[derive(Debug, Clone)]
pub struct VerifiedCrl {
    /// Revoked serials (INTEGER content octets) with what the CRL says about them.
    revoked: HashMap<Vec<u8>, Revoked>,
    /// nextUpdate (or thisUpdate plus a short lifetime when the CRL gives none).
    pub expires: OffsetDateTime,
    /// True when the CRL covers only end-entity or only CA certificates.
    only_user: bool,
    only_ca: bool,
}

impl VerifiedCrl {
    /// What the CRL says about a serial: `None` when the certificate is not on it.
    pub fn lookup(&self, serial: &[u8]) -> Option<&Revoked> {
        self.revoked.get(serial)
    }

    /// Does this CRL speak for `cert` (an IssuingDistributionPoint may narrow its scope)?
    pub fn covers(&self, cert: &X509Certificate) -> bool {
        self.covers_kind(is_ca(cert))
    }

    /// As `covers`, for a CA certificate or not.
    pub fn covers_kind(&self, is_ca: bool) -> bool {
        !(self.only_user && is_ca || self.only_ca && !is_ca)
    }
}

/// Is `cert` a CA certificate (basic constraints say so)?
pub fn is_ca(cert: &X509Certificate) -> bool {
    cert.basic_constraints()
        .ok()
        .flatten()
        .is_some_and(|b| b.value.ca)
}

/// Reads and checks a CRL (DER, or PEM `X509 CRL`) issued by `issuer`, at `now`.
pub fn check(
    bytes: &[u8],
    issuer: &X509Certificate,
    now: OffsetDateTime,
) -> Result<VerifiedCrl, String> {
    let pem;
    let der = if bytes.starts_with(b"-----BEGIN") {
        pem = crate::formats::pem::parse(bytes)
            .ok()
            .and_then(|blocks| blocks.into_iter().find(|b| b.label == "X509 CRL"))
            .ok_or("the answer is PEM but holds no X509 CRL block")?;
        pem.data.as_slice()
    } else {
        bytes
    };
    let (rest, crl) = CertificateRevocationList::from_der(der)
        .map_err(|_| "the answer is not a CRL (malformed DER)".to_string())?;
    if !rest.is_empty() {
        return Err("the answer has bytes after the CRL".into());
    }
    if crl.issuer().as_raw() != issuer.subject().as_raw() {
        return Err(format!(
            "the CRL is issued by '{}', not by the certificate's issuer '{}'",
            super::escape(&crl.issuer().to_string()),
            super::escape(&issuer.subject().to_string())
        ));
    }
    crl.verify_signature(issuer.public_key())
        .map_err(|_| "the CRL's signature does not verify with the issuer's key".to_string())?;
    let this_update = time_of(crl.last_update().timestamp())?;
    if this_update > now + CLOCK_SKEW {
        return Err("the CRL's thisUpdate is in the future".into());
    }
    let expires = match crl.next_update() {
        Some(t) => time_of(t.timestamp())?,
        None => this_update + UNDATED_LIFETIME,
    };
    if expires < now {
        return Err(format!(
            "the CRL expired (nextUpdate {})",
            super::rfc3339(expires)
        ));
    }
    let (mut only_user, mut only_ca) = (false, false);
    for ext in crl.extensions() {
        match ext.parsed_extension() {
            ParsedExtension::IssuingDistributionPoint(idp) => {
                if idp.only_some_reasons.is_some()
                    || idp.indirect_crl
                    || idp.only_contains_attribute_certs
                {
                    return Err(
                        "the CRL is partial or indirect (IssuingDistributionPoint), which is not supported".into(),
                    );
                }
                only_user = idp.only_contains_user_certs;
                only_ca = idp.only_contains_ca_certs;
            }
            _ if ext.oid.to_id_string() == OID_DELTA_CRL_INDICATOR => {
                return Err("the answer is a delta CRL, which is not supported".into())
            }
            _ if ext.critical => {
                return Err(format!(
                    "the CRL has a critical extension {} that is not understood",
                    ext.oid.to_id_string()
                ))
            }
            _ => {}
        }
    }
    let mut revoked = HashMap::new();
    for entry in crl.iter_revoked_certificates() {
        let reason = entry.reason_code().map(|(_, code)| code.0);
        revoked.insert(
            entry.raw_serial().to_vec(),
            Revoked {
                reason: super::RevocationReason::from_code(reason),
                date: time_of(entry.revocation_date.timestamp())?,
            },
        );
    }
    Ok(VerifiedCrl {
        revoked,
        expires,
        only_user,
        only_ca,
    })
}

fn time_of(unix: i64) -> Result<OffsetDateTime, String> {
    OffsetDateTime::from_unix_timestamp(unix)
        .map_err(|_| "a date in the CRL is out of range".into())
}

/// CRLs read during one check, so each is parsed and verified once however many certificates
/// it speaks for.
#[derive(Default)]
pub(super) struct Memo {
    pub(super) cached: HashMap<(usize, String), Option<Result<VerifiedCrl, String>>>,
    pub(super) fetched: HashMap<(usize, String), Result<VerifiedCrl, String>>,
}

/// What `crl` says of the certificate with this serial (INTEGER content octets).
pub(super) fn answer(crl: &VerifiedCrl, serial: &[u8]) -> Answer {
    match crl.lookup(serial) {
        Some(r) => Answer::Revoked {
            expires: crl.expires,
            revoked: r.clone(),
        },
        None => Answer::Good {
            expires: crl.expires,
        },
    }
}
