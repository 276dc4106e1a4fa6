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
use yasna::models::{GeneralizedTime, ObjectIdentifier};
use yasna::{ASN1Result, BERReader, Tag};

use super::{Answer, Revoked, CLOCK_SKEW, UNDATED_LIFETIME};

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

/// What the syntax of an answer says, before any check.
struct Parsed {
    status: u8,
    basic: Option<Basic>,
}

struct Basic {
    tbs: Vec<u8>,
    responder: ResponderId,
    singles: Vec<Single>,
    sig_alg: Vec<u8>,
    signature: Vec<u8>,
    certs: Vec<Vec<u8>>,
}

enum ResponderId {
    ByName(Vec<u8>),
    ByKey(Vec<u8>),
}

struct Single {
    id: CertId,
    hash_oid: Vec<u64>,
    state: State,
    this_update: OffsetDateTime,
    next_update: Option<OffsetDateTime>,
}

enum State {
    Good,
    Revoked {
        date: OffsetDateTime,
        reason: Option<u8>,
    },
    Unknown,
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

/// Parses the syntax; `None` when the bytes are not an OCSPResponse (a panic inside yasna on
/// hostile lengths counts as malformed too).
fn parse(bytes: &[u8]) -> Option<Parsed> {
    std::panic::catch_unwind(|| yasna::parse_der(bytes, read_response).ok())
        .ok()
        .flatten()
}

fn read_response(r: BERReader) -> ASN1Result<Parsed> {
    r.read_sequence(|r| {
        let status = r.next().read_enum()?;
        let bytes = r.read_optional(|r| {
            r.read_tagged(Tag::context(0), |r| {
                r.read_sequence(|r| {
                    let oid = r.next().read_oid()?;
                    let inner = r.next().read_bytes()?;
                    Ok((oid, inner))
                })
            })
        })?;
        let basic = match bytes {
            Some((oid, inner)) if oid.components().as_slice() == OID_BASIC_RESPONSE => {
                Some(yasna::parse_der(&inner, read_basic)?)
            }
            Some(_) => return Err(yasna::ASN1Error::new(yasna::ASN1ErrorKind::Invalid)),
            None => None,
        };
        Ok(Parsed {
            status: u8::try_from(status).unwrap_or(u8::MAX),
            basic,
        })
    })
}

fn read_basic(r: BERReader) -> ASN1Result<Basic> {
    r.read_sequence(|r| {
        let tbs = r.next().read_der()?;
        let (responder, singles) = yasna::parse_der(&tbs, read_tbs)?;
        let sig_alg = r.next().read_der()?;
        let (signature, bits) = r.next().read_bitvec_bytes()?;
        if bits != signature.len() * 8 {
            return Err(yasna::ASN1Error::new(yasna::ASN1ErrorKind::Invalid));
        }
        let certs = r
            .read_optional(|r| {
                r.read_tagged(Tag::context(0), |r| {
                    r.read_sequence(|r| {
                        let mut out = Vec::new();
                        while let Some(c) = r.read_optional(|r| r.read_der())? {
                            if out.len() < MAX_ITEMS {
                                out.push(c);
                            }
                        }
                        Ok(out)
                    })
                })
            })?
            .unwrap_or_default();
        Ok(Basic {
            tbs,
            responder,
            singles,
            sig_alg,
            signature,
            certs,
        })
    })
}

fn read_tbs(r: BERReader) -> ASN1Result<(ResponderId, Vec<Single>)> {
    r.read_sequence(|r| {
        let version = r.read_optional(|r| r.read_tagged(Tag::context(0), |r| r.read_u8()))?;
        if version.is_some_and(|v| v != 0) {
            return Err(yasna::ASN1Error::new(yasna::ASN1ErrorKind::Invalid));
        }
        let responder = r.next().read_tagged_der()?;
        let responder = match responder.tag() {
            t if t == Tag::context(1) => ResponderId::ByName(responder.value().to_vec()),
            t if t == Tag::context(2) => {
                ResponderId::ByKey(yasna::parse_der(responder.value(), |r| r.read_bytes())?)
            }
            _ => return Err(yasna::ASN1Error::new(yasna::ASN1ErrorKind::Invalid)),
        };
        let _produced_at = r.next().read_generalized_time()?;
        let singles = r.next().read_sequence(|r| {
            let mut out = Vec::new();
            while let Some(s) = r.read_optional(read_single)? {
                if out.len() < MAX_ITEMS {
                    out.push(s);
                }
            }
            Ok(out)
        })?;
        // responseExtensions [1] (a nonce, when asked for) are not needed.
        r.read_optional(|r| r.read_der())?;
        Ok((responder, singles))
    })
}

fn read_single(r: BERReader) -> ASN1Result<Single> {
    r.read_sequence(|r| {
        let (hash_oid, id) = r.next().read_sequence(|r| {
            let oid = r.next().read_sequence(|r| {
                let oid = r.next().read_oid()?;
                r.read_optional(|r| r.read_null())?;
                Ok(oid)
            })?;
            let issuer_name_hash = r.next().read_bytes()?;
            let issuer_key_hash = r.next().read_bytes()?;
            let serial = integer_content(&r.next().read_der()?)?;
            Ok((
                oid.components().to_vec(),
                CertId {
                    issuer_name_hash,
                    issuer_key_hash,
                    serial,
                },
            ))
        })?;
        let state = r.next().read_tagged_der()?;
        let state = match state.tag() {
            t if t == Tag::context(0) => State::Good,
            t if t == Tag::context(1) => {
                // RevokedInfo, implicitly tagged: re-read its content as a SEQUENCE.
                let mut seq = vec![0x30];
                seq.extend_from_slice(&length_octets(state.value().len()));
                seq.extend_from_slice(state.value());
                yasna::parse_der(&seq, |r| {
                    r.read_sequence(|r| {
                        let date = time_of(&r.next().read_generalized_time()?)?;
                        let reason =
                            r.read_optional(|r| r.read_tagged(Tag::context(0), |r| r.read_enum()))?;
                        Ok(State::Revoked {
                            date,
                            reason: reason.and_then(|v| u8::try_from(v).ok()),
                        })
                    })
                })?
            }
            t if t == Tag::context(2) => State::Unknown,
            _ => return Err(yasna::ASN1Error::new(yasna::ASN1ErrorKind::Invalid)),
        };
        let this_update = time_of(&r.next().read_generalized_time()?)?;
        let next_update = r
            .read_optional(|r| r.read_tagged(Tag::context(0), |r| r.read_generalized_time()))?
            .map(|t| time_of(&t))
            .transpose()?;
        r.read_optional(|r| r.read_der())?;
        Ok(Single {
            id,
            hash_oid,
            state,
            this_update,
            next_update,
        })
    })
}

/// The content octets of a DER INTEGER element.
fn integer_content(der: &[u8]) -> ASN1Result<Vec<u8>> {
    yasna::parse_der(der, |r| {
        r.read_bigint_bytes().map(|_| ())?;
        Ok(())
    })?;
    let header = if der.get(1).is_some_and(|l| l & 0x80 != 0) {
        2 + (der[1] & 0x7f) as usize
    } else {
        2
    };
    der.get(header..)
        .map(<[u8]>::to_vec)
        .ok_or_else(|| yasna::ASN1Error::new(yasna::ASN1ErrorKind::Invalid))
}

fn length_octets(n: usize) -> Vec<u8> {
    let mut v = integer_der(&vec![0; n]);
    v.truncate(v.len() - n);
    v.remove(0);
    v
}

fn time_of(t: &GeneralizedTime) -> ASN1Result<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(t.datetime().unix_timestamp())
        .map_err(|_| yasna::ASN1Error::new(yasna::ASN1ErrorKind::Invalid))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_keep_their_octets() {
        assert_eq!(integer_der(&[0x00, 0x80]), vec![2, 2, 0, 0x80]);
        assert_eq!(integer_content(&[2, 2, 0, 0x80]).unwrap(), vec![0, 0x80]);
        let long = vec![1u8; 200];
        assert_eq!(integer_content(&integer_der(&long)).unwrap(), long);
        assert_eq!(length_octets(5), vec![5]);
        assert_eq!(length_octets(300), vec![0x82, 1, 44]);
    }

    #[test]
    fn garbage_is_not_an_answer() {
        for bytes in [
            &b""[..],
            b"garbage",
            &[0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0],
        ] {
            assert!(parse(bytes).is_none());
        }
        // A well-formed refusal: OCSPResponse { responseStatus tryLater }.
        let p = parse(&[0x30, 0x03, 0x0a, 0x01, 0x03]).unwrap();
        assert_eq!(p.status, 3);
        assert!(p.basic.is_none());
    }
}
