//! The syntax of an OCSP answer (RFC 6960 OCSPResponse and BasicOCSPResponse), read with every
//! list bounded; nothing here decides whether the answer counts (that is `check` in mod.rs).

use time::OffsetDateTime;
use yasna::models::GeneralizedTime;
use yasna::{ASN1Result, BERReader, Tag};

use super::{integer_der, CertId, MAX_ITEMS, OID_BASIC_RESPONSE};

/// What the syntax of an answer says, before any check.
pub(super) struct Parsed {
    pub(super) status: u8,
    pub(super) basic: Option<Basic>,
}

pub(super) struct Basic {
    pub(super) tbs: Vec<u8>,
    pub(super) responder: ResponderId,
    pub(super) singles: Vec<Single>,
    pub(super) sig_alg: Vec<u8>,
    pub(super) signature: Vec<u8>,
    pub(super) certs: Vec<Vec<u8>>,
}

pub(super) enum ResponderId {
    ByName(Vec<u8>),
    ByKey(Vec<u8>),
}

pub(super) struct Single {
    pub(super) id: CertId,
    pub(super) hash_oid: Vec<u64>,
    pub(super) state: State,
    pub(super) this_update: OffsetDateTime,
    pub(super) next_update: Option<OffsetDateTime>,
}

pub(super) enum State {
    Good,
    Revoked {
        date: OffsetDateTime,
        reason: Option<u8>,
    },
    Unknown,
}

/// Parses the syntax; `None` when the bytes are not an OCSPResponse (a panic inside yasna on
/// hostile lengths counts as malformed too).
pub(super) fn parse(bytes: &[u8]) -> Option<Parsed> {
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
