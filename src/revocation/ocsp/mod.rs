//! OCSP (RFC 6960): the request for one certificate, and the checked reading of an answer.
//!
//! The request carries one CertID with SHA-1 hashes and no nonce, as `openssl ocsp` and
//! Windows send it, so that answers can be cached and shared. An answer counts only when it is
//! signed by the issuer itself or by a responder certificate the issuer signed for OCSP signing,
//! names this CertID, and is current.

use sha1::{Digest, Sha1};
use time::OffsetDateTime;
use x509_parser::extensions::ParsedExtension;
use x509_parser::prelude::{FromDer, X509Certificate};
use yasna::models::ObjectIdentifier;

mod answer;

use super::{Answer, Revoked, CLOCK_SKEW, UNDATED_LIFETIME};
use answer::{parse, Basic, ResponderId, State};

const OID_SHA1: &[u64] = &[1, 3, 14, 3, 2, 26];
const OID_BASIC_RESPONSE: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 48, 1, 1];
const OID_KP_OCSP_SIGNING: &str = "1.3.6.1.5.5.7.3.9";
/// The most SingleResponses or responder certificates read from one answer.
const MAX_ITEMS: usize = 64;

/// The CertID of a certificate: what a request asks about and an answer must name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertId {
    pub issuer_name_hash: Vec<u8>,
    pub issuer_key_hash: Vec<u8>,
    /// The serial's INTEGER content octets, as in the certificate.
    pub serial: Vec<u8>,
}

impl CertId {
    /// SHA-1 of the issuer's DER name and of its public key's bits, and the serial.
    pub fn new(cert: &X509Certificate, issuer: &X509Certificate) -> CertId {
        CertId {
            issuer_name_hash: Sha1::digest(issuer.subject().as_raw()).to_vec(),
            issuer_key_hash: Sha1::digest(&issuer.public_key().subject_public_key.data).to_vec(),
            serial: cert.raw_serial().to_vec(),
        }
    }

    /// Upper-case hex of the serial, for file names and messages.
    pub fn serial_hex(&self) -> String {
        crate::cert::hex_upper(&self.serial)
    }
}

/// The DER `OCSPRequest` for one certificate.
pub fn request(id: &CertId) -> Vec<u8> {
    yasna::construct_der(|w| {
        w.write_sequence(|w| {
            // tbsRequest
            w.next().write_sequence(|w| {
                // requestList
                w.next().write_sequence(|w| {
                    // Request { reqCert }
                    w.next().write_sequence(|w| {
                        w.next().write_sequence(|w| {
                            w.next().write_sequence(|w| {
                                w.next().write_oid(&ObjectIdentifier::from_slice(OID_SHA1));
                                w.next().write_null();
                            });
                            w.next().write_bytes(&id.issuer_name_hash);
                            w.next().write_bytes(&id.issuer_key_hash);
                            w.next().write_der(&integer_der(&id.serial));
                        })
                    })
                })
            })
        })
    })
}

/// An INTEGER element from content octets taken verbatim from a certificate.
fn integer_der(content: &[u8]) -> Vec<u8> {
    let mut out = vec![0x02];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let len = n.to_be_bytes();
        let skip = len.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (len.len() - skip) as u8);
        out.extend_from_slice(&len[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// Reads and checks an OCSP answer about `cert` (issued by `issuer`) at `now`.
///
/// `Ok` holds the verified, current answer; `Err` says why it does not count.
pub fn check(
    bytes: &[u8],
    cert: &X509Certificate,
    issuer: &X509Certificate,
    now: OffsetDateTime,
) -> Result<Answer, String> {
    let parsed = parse(bytes).ok_or("the answer is not an OCSP response (malformed DER)")?;
    if parsed.status != 0 {
        return Err(format!(
            "the responder refused: {}",
            match parsed.status {
                1 => "malformedRequest",
                2 => "internalError",
                3 => "tryLater",
                5 => "sigRequired",
                6 => "unauthorized",
                _ => "unknown status",
            }
        ));
    }
    let basic = parsed.basic.ok_or("the answer holds no response")?;
    verify_signer(&basic, issuer, now)?;
    let want = CertId::new(cert, issuer);
    let single = basic
        .singles
        .iter()
        .find(|s| s.hash_oid == OID_SHA1 && s.id == want)
        .ok_or("the answer is not about this certificate")?;
    if single.this_update > now + CLOCK_SKEW {
        return Err("the answer's thisUpdate is in the future".into());
    }
    let expires = single
        .next_update
        .unwrap_or(single.this_update + UNDATED_LIFETIME);
    if expires < now {
        return Err(format!(
            "the answer expired (nextUpdate {})",
            super::rfc3339(expires)
        ));
    }
    match single.state {
        State::Good => Ok(Answer::Good { expires }),
        State::Revoked { date, reason } => Ok(Answer::Revoked {
            expires,
            revoked: Revoked {
                reason: super::RevocationReason::from_code(reason),
                date,
            },
        }),
        State::Unknown => Err("the responder does not know this certificate".into()),
    }
}

/// The answer is signed by the issuer, or by a certificate the issuer made for OCSP signing.
fn verify_signer(
    basic: &Basic,
    issuer: &X509Certificate,
    now: OffsetDateTime,
) -> Result<(), String> {
    if names(&basic.responder, issuer) {
        return verify(basic, issuer)
            .map_err(|_| "the answer's signature does not verify with the issuer's key".into());
    }
    for der in &basic.certs {
        let Ok((_, responder)) = X509Certificate::from_der(der) else {
            continue;
        };
        if !names(&basic.responder, &responder) {
            continue;
        }
        if responder.issuer().as_raw() != issuer.subject().as_raw()
            || responder
                .verify_signature(Some(issuer.public_key()))
                .is_err()
        {
            return Err("the responder's certificate was not issued by the issuer".into());
        }
        if !has_ocsp_signing(&responder) {
            return Err("the responder's certificate is not authorised for OCSP signing".into());
        }
        let v = responder.validity();
        let t = now.unix_timestamp();
        if t < v.not_before.timestamp() || t > v.not_after.timestamp() {
            return Err("the responder's certificate is out of its validity period".into());
        }
        return verify(basic, &responder)
            .map_err(|_| "the answer's signature does not verify with the responder's key".into());
    }
    Err("the answer is signed by neither the issuer nor a responder it authorised".into())
}

fn names(id: &ResponderId, cert: &X509Certificate) -> bool {
    match id {
        ResponderId::ByName(n) => n.as_slice() == cert.subject().as_raw(),
        ResponderId::ByKey(k) => {
            k.as_slice() == Sha1::digest(&cert.public_key().subject_public_key.data).as_slice()
        }
    }
}

fn has_ocsp_signing(cert: &X509Certificate) -> bool {
    cert.extensions()
        .iter()
        .any(|e| match e.parsed_extension() {
            ParsedExtension::ExtendedKeyUsage(eku) => {
                eku.ocsp_signing
                    || eku
                        .other
                        .iter()
                        .any(|o| o.to_id_string() == OID_KP_OCSP_SIGNING)
            }
            _ => false,
        })
}

fn verify(basic: &Basic, signer: &X509Certificate) -> Result<(), ()> {
    use x509_parser::x509::AlgorithmIdentifier;
    let (_, alg) = AlgorithmIdentifier::from_der(&basic.sig_alg).map_err(|_| ())?;
    let bits = x509_parser::der_parser::asn1_rs::BitString::new(0, &basic.signature);
    x509_parser::verify::verify_signature(signer.public_key(), &alg, &bits, &basic.tbs)
        .map_err(|_| ())
}
