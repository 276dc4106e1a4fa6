//! PBES2 (RFC 8018): the key from PBKDF2 over the raw (UTF-8) password, a block cipher whose
//! IV travels in the parameters. PBKDF2's parameters are read here for PBMAC1 too.

use yasna::DERWriter;

use super::asn1;
use super::cipher::Cipher;
use super::hash::Hash;
use super::pbe::{named_oid, unsupported, Scheme};
use super::profile::check_iterations;
use crate::Result;

pub(crate) const OID_PBES2: &[u64] = &[1, 2, 840, 113549, 1, 5, 13];
pub(crate) const OID_PBKDF2: &[u64] = &[1, 2, 840, 113549, 1, 5, 12];
const OID_AES128_CBC: &[u64] = &[2, 16, 840, 1, 101, 3, 4, 1, 2];
const OID_AES192_CBC: &[u64] = &[2, 16, 840, 1, 101, 3, 4, 1, 22];
const OID_AES256_CBC: &[u64] = &[2, 16, 840, 1, 101, 3, 4, 1, 42];
const OID_DES_EDE3_CBC: &[u64] = &[1, 2, 840, 113549, 3, 7];
const OID_DES_CBC: &[u64] = &[1, 3, 14, 3, 2, 7];
const OID_RC2_CBC: &[u64] = &[1, 2, 840, 113549, 3, 2];

/// PBKDF2-params (RFC 8018 A.2).
pub(crate) struct Pbkdf2 {
    pub(crate) salt: Vec<u8>,
    pub(crate) iterations: u32,
    pub(crate) key_len: Option<u64>,
    pub(crate) prf: Hash,
}

impl Pbkdf2 {
    pub(crate) fn parse(params: &[u8], what: &str) -> Result<Pbkdf2> {
        // salt is CHOICE { specified OCTET STRING, otherSource AlgorithmIdentifier }.
        let (salt, iterations, key_len, prf) = asn1::parse(params, what, |r| {
            r.read_sequence(|r| {
                let salt = if r.next().lookahead_tag()? == yasna::tags::TAG_SEQUENCE {
                    r.next().read_der()?;
                    None
                } else {
                    Some(r.next().read_bytes()?)
                };
                let iterations = r.next().read_u64()?;
                let key_len = r.read_optional(|r| r.read_u64())?;
                let prf = r.read_optional(asn1::read_alg)?;
                Ok((salt, iterations, key_len, prf))
            })
        })?;
        let salt =
            salt.ok_or_else(|| unsupported("a PBKDF2 salt from another source (otherSource)"))?;
        let iterations = check_iterations(iterations, what)?;
        let prf = match prf {
            None => Hash::Sha1,
            Some(p) => Hash::from_hmac_oid(&p.oid).ok_or_else(|| {
                unsupported(&format!("PBKDF2 with the PRF {}", named_oid(&p.oid)))
            })?,
        };
        Ok(Pbkdf2 {
            salt,
            iterations,
            key_len,
            prf,
        })
    }
}

/// Reads PBES2-params (RFC 8018 A.4): the key derivation and the cipher with its IV.
pub(crate) fn parse(params: &[u8], what: &str) -> Result<Scheme> {
    let (kdf, enc) = asn1::parse(params, what, |r| {
        r.read_sequence(|r| Ok((asn1::read_alg(r.next())?, asn1::read_alg(r.next())?)))
    })?;
    if kdf.oid != OID_PBKDF2 {
        return Err(unsupported(&format!(
            "PBES2 with the key derivation {}",
            named_oid(&kdf.oid)
        )));
    }
    let Pbkdf2 {
        salt,
        iterations,
        key_len,
        prf,
    } = Pbkdf2::parse(kdf.params.as_deref().unwrap_or_default(), what)?;
    let enc_params = enc.params.as_deref().unwrap_or_default();
    let (cipher, iv) = match enc.oid.as_slice() {
        OID_AES128_CBC => (Cipher::Aes128, read_iv(enc_params, what)?),
        OID_AES192_CBC => (Cipher::Aes192, read_iv(enc_params, what)?),
        OID_AES256_CBC => (Cipher::Aes256, read_iv(enc_params, what)?),
        OID_DES_EDE3_CBC => (Cipher::TripleDes, read_iv(enc_params, what)?),
        OID_DES_CBC => (Cipher::Des, read_iv(enc_params, what)?),
        OID_RC2_CBC => {
            // RC2-CBC-Parameter ::= SEQUENCE { rc2ParameterVersion INTEGER OPTIONAL, iv }
            let (version, iv) = asn1::parse(enc_params, what, |r| {
                r.read_sequence(|r| {
                    let v = r.read_optional(|r| r.read_u64())?;
                    Ok((v, r.next().read_bytes()?))
                })
            })?;
            let bits = match version {
                None => 32,
                Some(160) => 40,
                Some(120) => 64,
                Some(58) => 128,
                Some(v) if (256..=1024).contains(&v) => v as usize,
                Some(v) => {
                    return Err(unsupported(&format!("RC2 with parameter version {v}")));
                }
            };
            let key_len = key_len.unwrap_or(16) as usize;
            if !(1..=128).contains(&key_len) {
                return Err(asn1::malformed(&format!("{what} (RC2 key length)")));
            }
            (Cipher::Rc2 { key_len, bits }, iv)
        }
        other => {
            return Err(unsupported(&format!(
                "PBES2 with the cipher {}",
                named_oid(other)
            )))
        }
    };
    if let Some(n) = key_len {
        if n as usize != cipher.key_len() {
            return Err(asn1::malformed(&format!(
                "{what} (key length {n} does not fit {})",
                cipher.name()
            )));
        }
    }
    if iv.len() != cipher.iv_len() {
        return Err(asn1::malformed(&format!("{what} (IV length)")));
    }
    Ok(Scheme::Pbes2 {
        prf,
        salt,
        iterations,
        cipher,
        iv,
    })
}

/// Writes the PBES2 AlgorithmIdentifier: PBKDF2 with `prf` and `cipher` with `iv`.
pub(crate) fn write_alg(
    w: DERWriter,
    prf: Hash,
    salt: &[u8],
    iterations: u32,
    cipher: Cipher,
    iv: &[u8],
) {
    asn1::write_alg(w, OID_PBES2, |w| {
        w.write_sequence(|w| {
            asn1::write_alg(w.next(), OID_PBKDF2, |w| {
                w.write_sequence(|w| {
                    w.next().write_bytes(salt);
                    w.next().write_u32(iterations);
                    // keyLength left out: fixed by the cipher. The PRF is written with
                    // NULL parameters, as OpenSSL and Windows do.
                    if prf != Hash::Sha1 {
                        asn1::write_alg(w.next(), prf.hmac_oid(), |w| w.write_null());
                    }
                })
            });
            let oid = match cipher {
                Cipher::Aes128 => OID_AES128_CBC,
                Cipher::Aes192 => OID_AES192_CBC,
                Cipher::Aes256 => OID_AES256_CBC,
                Cipher::TripleDes => OID_DES_EDE3_CBC,
                other => unreachable!("PBES2 writing of {other:?} not offered"),
            };
            asn1::write_alg(w.next(), oid, |w| w.write_bytes(iv));
        })
    })
}

fn read_iv(params: &[u8], what: &str) -> Result<Vec<u8>> {
    asn1::parse(params, what, |r| r.read_bytes())
}
