//! Password-based encryption schemes of PKCS#12 files: the PKCS#12 PBE family (RFC 7292
//! appendix C) and PBES2 with PBKDF2 (RFC 8018). Parsing, naming, encryption, decryption.

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockCipher, BlockDecryptMut, BlockEncryptMut, KeyInit, KeyIvInit};
use rand::RngCore;
use yasna::DERWriter;
use zeroize::Zeroizing;

use super::asn1::{self, RawAlg};
use super::hash::{bmp_password, Hash};
use super::rc2;
use crate::{Code, Error, Result};

/// Above this many iterations a file is refused rather than worked on for minutes.
pub(crate) const MAX_ITERATIONS: u64 = 10_000_000;

/// What reading one whole file may cost, all derivations and password candidates together, in
/// hash blocks: one block is one iteration producing one hash output, so a derivation costs
/// iterations × output blocks (PBKDF2 with a 1024-byte key runs its iterations 32 times over
/// with SHA-256). A hostile file could otherwise repeat capped derivations in many small bags,
/// or ask for a huge output from one. About 10 s of hashing on a slow machine; the fuzz build
/// allows far less, so that a file reaching the limit is not a timeout there.
#[cfg(not(fuzzing))]
pub(crate) const MAX_HASH_BLOCKS_PER_FILE: u64 = 4 * MAX_ITERATIONS;
#[cfg(fuzzing)]
pub(crate) const MAX_HASH_BLOCKS_PER_FILE: u64 = 200_000;

/// Hash blocks of one derivation of `len` bytes with a hash of `output_len` bytes.
pub(crate) fn derivation_cost(iterations: u32, len: usize, output_len: usize) -> u64 {
    u64::from(iterations) * len.div_ceil(output_len.max(1)) as u64
}

const OID_PBE_SHA1_RC4_128: &[u64] = &[1, 2, 840, 113549, 1, 12, 1, 1];
const OID_PBE_SHA1_RC4_40: &[u64] = &[1, 2, 840, 113549, 1, 12, 1, 2];
const OID_PBE_SHA1_3DES: &[u64] = &[1, 2, 840, 113549, 1, 12, 1, 3];
const OID_PBE_SHA1_2DES: &[u64] = &[1, 2, 840, 113549, 1, 12, 1, 4];
const OID_PBE_SHA1_RC2_128: &[u64] = &[1, 2, 840, 113549, 1, 12, 1, 5];
const OID_PBE_SHA1_RC2_40: &[u64] = &[1, 2, 840, 113549, 1, 12, 1, 6];
const OID_PBES2: &[u64] = &[1, 2, 840, 113549, 1, 5, 13];
pub(crate) const OID_PBKDF2: &[u64] = &[1, 2, 840, 113549, 1, 5, 12];
const OID_SCRYPT: &[u64] = &[1, 3, 6, 1, 4, 1, 11591, 4, 11];
const OID_AES128_CBC: &[u64] = &[2, 16, 840, 1, 101, 3, 4, 1, 2];
const OID_AES192_CBC: &[u64] = &[2, 16, 840, 1, 101, 3, 4, 1, 22];
const OID_AES256_CBC: &[u64] = &[2, 16, 840, 1, 101, 3, 4, 1, 42];
const OID_DES_EDE3_CBC: &[u64] = &[1, 2, 840, 113549, 3, 7];
const OID_DES_CBC: &[u64] = &[1, 3, 14, 3, 2, 7];
const OID_RC2_CBC: &[u64] = &[1, 2, 840, 113549, 3, 2];

/// PBES1 (PKCS#5 v1.5) schemes: named in errors, not read.
const PBES1: [(&[u64], &str); 6] = [
    (&[1, 2, 840, 113549, 1, 5, 1], "pbeWithMD2AndDES-CBC"),
    (&[1, 2, 840, 113549, 1, 5, 3], "pbeWithMD5AndDES-CBC"),
    (&[1, 2, 840, 113549, 1, 5, 4], "pbeWithMD2AndRC2-CBC"),
    (&[1, 2, 840, 113549, 1, 5, 6], "pbeWithMD5AndRC2-CBC"),
    (&[1, 2, 840, 113549, 1, 5, 10], "pbeWithSHA1AndDES-CBC"),
    (&[1, 2, 840, 113549, 1, 5, 11], "pbeWithSHA1AndRC2-CBC"),
];

/// A password in the two encodings PKCS#12 files use: BMPString for the PKCS#12 KDF and MAC,
/// raw bytes (UTF-8) for PBKDF2, as OpenSSL and .NET do.
pub(crate) struct Password {
    pub(crate) bmp: Zeroizing<Vec<u8>>,
    pub(crate) raw: Zeroizing<Vec<u8>>,
}

impl Password {
    /// The one encoding a writer uses.
    pub(crate) fn for_writing(password: &str) -> Password {
        Password {
            bmp: bmp_password(password),
            raw: Zeroizing::new(password.as_bytes().to_vec()),
        }
    }

    /// Every encoding a reader should try, most likely first. An absent or empty password is
    /// tried both as an empty BMPString with its terminator (OpenSSL) and as no bytes at all
    /// (Windows, .NET); a non-ASCII one also byte by byte, as OpenSSL 1.x encoded it.
    pub(crate) fn candidates(password: Option<&[u8]>) -> Vec<Password> {
        let raw = password.unwrap_or_default();
        let bytewise = || {
            let mut bmp = Zeroizing::new(Vec::with_capacity(raw.len() * 2 + 2));
            for &b in raw {
                bmp.extend_from_slice(&[0, b]);
            }
            bmp.extend_from_slice(&[0, 0]);
            Password {
                bmp,
                raw: Zeroizing::new(raw.to_vec()),
            }
        };
        if raw.is_empty() {
            return vec![
                Password::for_writing(""),
                Password {
                    bmp: Zeroizing::new(Vec::new()),
                    raw: Zeroizing::new(Vec::new()),
                },
            ];
        }
        match std::str::from_utf8(raw) {
            Ok(s) if s.is_ascii() => vec![Password::for_writing(s)],
            Ok(s) => vec![Password::for_writing(s), bytewise()],
            Err(_) => vec![bytewise()],
        }
    }
}

/// A block cipher in CBC mode with PKCS#7 padding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cipher {
    Aes128,
    Aes192,
    Aes256,
    /// Three-key triple DES.
    TripleDes,
    /// Two-key triple DES (K1 K2 K1).
    TripleDes2,
    Des,
    /// RC2 with a key of `key_len` bytes and `bits` effective bits.
    Rc2 {
        key_len: usize,
        bits: usize,
    },
}

impl Cipher {
    fn key_len(self) -> usize {
        match self {
            Cipher::Aes128 => 16,
            Cipher::Aes192 => 24,
            Cipher::Aes256 => 32,
            Cipher::TripleDes => 24,
            Cipher::TripleDes2 => 16,
            Cipher::Des => 8,
            Cipher::Rc2 { key_len, .. } => key_len,
        }
    }

    fn iv_len(self) -> usize {
        match self {
            Cipher::Aes128 | Cipher::Aes192 | Cipher::Aes256 => 16,
            _ => 8,
        }
    }

    fn name(self) -> String {
        match self {
            Cipher::Aes128 => "AES-128-CBC".into(),
            Cipher::Aes192 => "AES-192-CBC".into(),
            Cipher::Aes256 => "AES-256-CBC".into(),
            Cipher::TripleDes => "DES-EDE3-CBC".into(),
            Cipher::TripleDes2 => "DES-EDE-CBC".into(),
            Cipher::Des => "DES-CBC".into(),
            Cipher::Rc2 { bits, .. } => format!("RC2-{bits}-CBC"),
        }
    }

    fn decrypt(self, key: &[u8], iv: &[u8], data: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        match self {
            Cipher::Aes128 => cbc_decrypt::<aes::Aes128>(key, iv, data),
            Cipher::Aes192 => cbc_decrypt::<aes::Aes192>(key, iv, data),
            Cipher::Aes256 => cbc_decrypt::<aes::Aes256>(key, iv, data),
            Cipher::TripleDes => cbc_decrypt::<des::TdesEde3>(key, iv, data),
            Cipher::TripleDes2 => cbc_decrypt::<des::TdesEde2>(key, iv, data),
            Cipher::Des => cbc_decrypt::<des::Des>(key, iv, data),
            Cipher::Rc2 { bits, .. } => rc2::cbc_decrypt(&rc2::Rc2::new(key, bits)?, iv, data),
        }
    }

    fn encrypt(self, key: &[u8], iv: &[u8], data: &[u8]) -> Vec<u8> {
        match self {
            Cipher::Aes128 => cbc_encrypt::<aes::Aes128>(key, iv, data),
            Cipher::Aes192 => cbc_encrypt::<aes::Aes192>(key, iv, data),
            Cipher::Aes256 => cbc_encrypt::<aes::Aes256>(key, iv, data),
            Cipher::TripleDes => cbc_encrypt::<des::TdesEde3>(key, iv, data),
            Cipher::TripleDes2 => cbc_encrypt::<des::TdesEde2>(key, iv, data),
            Cipher::Des => cbc_encrypt::<des::Des>(key, iv, data),
            Cipher::Rc2 { bits, .. } => {
                let c = rc2::Rc2::new(key, bits).expect("RC2 key length checked by the caller");
                let iv: [u8; rc2::BLOCK] = iv.try_into().expect("RC2 IV is 8 bytes");
                rc2::cbc_encrypt(&c, &iv, data)
            }
        }
    }
}

fn cbc_decrypt<C>(key: &[u8], iv: &[u8], data: &[u8]) -> Option<Zeroizing<Vec<u8>>>
where
    C: BlockCipher + BlockDecryptMut + KeyInit,
{
    let dec = cbc::Decryptor::<C>::new_from_slices(key, iv).ok()?;
    let mut buf = Zeroizing::new(data.to_vec());
    let len = dec.decrypt_padded_mut::<Pkcs7>(&mut buf).ok()?.len();
    buf.truncate(len);
    Some(buf)
}

fn cbc_encrypt<C>(key: &[u8], iv: &[u8], data: &[u8]) -> Vec<u8>
where
    C: BlockCipher + BlockEncryptMut + KeyInit,
{
    let enc = cbc::Encryptor::<C>::new_from_slices(key, iv).expect("key and IV sizes fixed");
    let block = C::block_size();
    let mut buf = Zeroizing::new(data.to_vec());
    buf.resize(data.len() + block, 0);
    let len = enc
        .encrypt_padded_mut::<Pkcs7>(&mut buf, data.len())
        .expect("buffer has room for the padding")
        .len();
    buf[..len].to_vec()
}

/// A password-based encryption scheme with its parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Scheme {
    /// RFC 7292 appendix C: key and IV from the PKCS#12 KDF with SHA-1.
    Pkcs12 {
        cipher: Cipher,
        salt: Vec<u8>,
        iterations: u32,
    },
    /// PBES2: key from PBKDF2, IV in the parameters.
    Pbes2 {
        prf: Hash,
        salt: Vec<u8>,
        iterations: u32,
        cipher: Cipher,
        iv: Vec<u8>,
    },
}

/// UnsupportedProfile naming the algorithm and what to do.
pub(crate) fn unsupported(what: &str) -> Error {
    Error::new(
        Code::UnsupportedProfile,
        format!(
            "the PKCS#12 file uses {what}, which excert does not read. Export it again with \
             AES-256 (PBES2) or triple DES, for example `openssl pkcs12 -export` from OpenSSL 3"
        ),
    )
}

pub(crate) fn check_iterations(n: u64, what: &str) -> Result<u32> {
    if n == 0 {
        return Err(asn1::malformed(&format!("{what} (iteration count 0)")));
    }
    if n > MAX_ITERATIONS {
        return Err(Error::new(
            Code::UnsupportedProfile,
            format!(
                "the PKCS#12 file asks for {n} key-derivation iterations in {what}; excert stops \
                 at {MAX_ITERATIONS} so that a hostile file cannot stall it. Export it again with \
                 fewer iterations"
            ),
        ));
    }
    Ok(n as u32)
}

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

impl Scheme {
    /// Interprets an AlgorithmIdentifier found in the file; `what` names its place for errors.
    pub(crate) fn parse(alg: &RawAlg, what: &str) -> Result<Scheme> {
        let oid = alg.oid.as_slice();
        let pkcs12_cipher = match oid {
            OID_PBE_SHA1_3DES => Some(Cipher::TripleDes),
            OID_PBE_SHA1_2DES => Some(Cipher::TripleDes2),
            OID_PBE_SHA1_RC2_128 => Some(Cipher::Rc2 {
                key_len: 16,
                bits: 128,
            }),
            OID_PBE_SHA1_RC2_40 => Some(Cipher::Rc2 {
                key_len: 5,
                bits: 40,
            }),
            _ => None,
        };
        if let Some(cipher) = pkcs12_cipher {
            let params = alg.params.as_deref().unwrap_or_default();
            let (salt, iterations) = asn1::parse(params, what, |r| {
                r.read_sequence(|r| Ok((r.next().read_bytes()?, r.next().read_u64()?)))
            })?;
            let iterations = check_iterations(iterations, what)?;
            return Ok(Scheme::Pkcs12 {
                cipher,
                salt,
                iterations,
            });
        }
        if oid == OID_PBES2 {
            return Scheme::parse_pbes2(alg.params.as_deref().unwrap_or_default(), what);
        }
        Err(unsupported(&named_oid(oid)))
    }

    fn parse_pbes2(params: &[u8], what: &str) -> Result<Scheme> {
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

    /// Short name, e.g. "PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC" or "PBE-SHA1-3DES".
    pub(crate) fn name(&self) -> String {
        match self {
            Scheme::Pkcs12 { cipher, .. } => match cipher {
                Cipher::TripleDes => "PBE-SHA1-3DES".into(),
                Cipher::TripleDes2 => "PBE-SHA1-2DES".into(),
                Cipher::Rc2 { bits, .. } => format!("PBE-SHA1-RC2-{bits}"),
                other => format!("PBE-SHA1-{}", other.name()),
            },
            Scheme::Pbes2 { prf, cipher, .. } => format!(
                "PBES2/PBKDF2-HMAC-{}/{}",
                prf.name().replace('-', ""),
                cipher.name()
            ),
        }
    }

    /// Hash blocks one decryption attempt costs (see `MAX_HASH_BLOCKS_PER_FILE`): the PKCS#12
    /// PBEs derive key and IV apart, PBKDF2 as many blocks as the key needs.
    pub(crate) fn cost(&self) -> u64 {
        match self {
            Scheme::Pkcs12 {
                cipher, iterations, ..
            } => {
                let sha1 = Hash::Sha1.output_len();
                derivation_cost(*iterations, cipher.key_len(), sha1)
                    + derivation_cost(*iterations, cipher.iv_len(), sha1)
            }
            Scheme::Pbes2 {
                prf,
                iterations,
                cipher,
                ..
            } => derivation_cost(*iterations, cipher.key_len(), prf.output_len()),
        }
    }

    fn key_and_iv(&self, pw: &Password) -> (Zeroizing<Vec<u8>>, Zeroizing<Vec<u8>>) {
        match self {
            Scheme::Pkcs12 {
                cipher,
                salt,
                iterations,
            } => {
                let key = Hash::Sha1.pkcs12_kdf(&pw.bmp, salt, 1, *iterations, cipher.key_len());
                let iv = Hash::Sha1.pkcs12_kdf(&pw.bmp, salt, 2, *iterations, cipher.iv_len());
                (key, iv)
            }
            Scheme::Pbes2 {
                prf,
                salt,
                iterations,
                cipher,
                iv,
            } => {
                let mut key = Zeroizing::new(vec![0u8; cipher.key_len()]);
                prf.pbkdf2(&pw.raw, salt, *iterations, &mut key);
                (key, Zeroizing::new(iv.clone()))
            }
        }
    }

    fn cipher(&self) -> Cipher {
        match self {
            Scheme::Pkcs12 { cipher, .. } | Scheme::Pbes2 { cipher, .. } => *cipher,
        }
    }

    /// Decrypts; `None` when the padding is wrong, which means a wrong password (or damage).
    pub(crate) fn decrypt(&self, pw: &Password, data: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        let (key, iv) = self.key_and_iv(pw);
        self.cipher().decrypt(&key, &iv, data)
    }

    /// Encrypts with the parameters held (salt, IV).
    pub(crate) fn encrypt(&self, pw: &Password, data: &[u8]) -> Vec<u8> {
        let (key, iv) = self.key_and_iv(pw);
        self.cipher().encrypt(&key, &iv, data)
    }

    /// A fresh scheme of the kind `kind`, with random salt and IV.
    pub(crate) fn fresh(kind: SchemeKind, iterations: u32) -> Scheme {
        let mut rng = rand::rngs::OsRng;
        let mut salt = vec![0u8; SALT_LEN];
        rng.fill_bytes(&mut salt);
        let pkcs12 = |cipher| Scheme::Pkcs12 {
            cipher,
            salt: salt.clone(),
            iterations,
        };
        let mut pbes2 = |prf, cipher: Cipher| {
            let mut iv = vec![0u8; cipher.iv_len()];
            rng.fill_bytes(&mut iv);
            Scheme::Pbes2 {
                prf,
                salt: salt.clone(),
                iterations,
                cipher,
                iv,
            }
        };
        match kind {
            SchemeKind::Aes256 => pbes2(Hash::Sha256, Cipher::Aes256),
            SchemeKind::Aes128 => pbes2(Hash::Sha256, Cipher::Aes128),
            SchemeKind::TripleDes => pkcs12(Cipher::TripleDes),
            SchemeKind::Rc2_40 => pkcs12(Cipher::Rc2 {
                key_len: 5,
                bits: 40,
            }),
            SchemeKind::Rc2_128 => pkcs12(Cipher::Rc2 {
                key_len: 16,
                bits: 128,
            }),
        }
    }

    /// Writes the AlgorithmIdentifier.
    pub(crate) fn write_alg(&self, w: DERWriter) {
        match self {
            Scheme::Pkcs12 {
                cipher,
                salt,
                iterations,
            } => {
                let oid = match cipher {
                    Cipher::TripleDes => OID_PBE_SHA1_3DES,
                    Cipher::TripleDes2 => OID_PBE_SHA1_2DES,
                    Cipher::Rc2 { bits: 40, .. } => OID_PBE_SHA1_RC2_40,
                    Cipher::Rc2 { bits: 128, .. } => OID_PBE_SHA1_RC2_128,
                    other => unreachable!("no PKCS#12 PBE OID for {other:?}"),
                };
                asn1::write_alg(w, oid, |w| {
                    w.write_sequence(|w| {
                        w.next().write_bytes(salt);
                        w.next().write_u32(*iterations);
                    })
                });
            }
            Scheme::Pbes2 {
                prf,
                salt,
                iterations,
                cipher,
                iv,
            } => asn1::write_alg(w, OID_PBES2, |w| {
                w.write_sequence(|w| {
                    asn1::write_alg(w.next(), OID_PBKDF2, |w| {
                        w.write_sequence(|w| {
                            w.next().write_bytes(salt);
                            w.next().write_u32(*iterations);
                            // keyLength left out: fixed by the cipher. The PRF is written with
                            // NULL parameters, as OpenSSL and Windows do.
                            if *prf != Hash::Sha1 {
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
            }),
        }
    }
}

/// Salt length for everything written (NIST SP 800-132 asks for at least 128 bits).
const SALT_LEN: usize = 16;

/// The schemes excert writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SchemeKind {
    Aes256,
    Aes128,
    TripleDes,
    Rc2_40,
    Rc2_128,
}

fn read_iv(params: &[u8], what: &str) -> Result<Vec<u8>> {
    asn1::parse(params, what, |r| r.read_bytes())
}

/// A name for an algorithm OID in messages: the well-known name and the OID.
pub(crate) fn named_oid(oid: &[u64]) -> String {
    let name = match oid {
        OID_PBE_SHA1_RC4_128 => Some("pbeWithSHAAnd128BitRC4"),
        OID_PBE_SHA1_RC4_40 => Some("pbeWithSHAAnd40BitRC4"),
        OID_SCRYPT => Some("scrypt"),
        [1, 2, 840, 113549, 2, 5] => Some("MD5"),
        [1, 2, 840, 113549, 2, 2] => Some("MD2"),
        _ => PBES1.iter().find(|(o, _)| *o == oid).map(|(_, n)| *n),
    };
    match name {
        Some(n) => format!("{n} ({})", asn1::oid_string(oid)),
        None => format!("an unknown algorithm (OID {})", asn1::oid_string(oid)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(kind: SchemeKind) {
        let scheme = Scheme::fresh(kind, 3);
        let der = yasna::construct_der(|w| scheme.write_alg(w));
        let alg = asn1::parse(&der, "alg", asn1::read_alg).unwrap();
        let parsed = Scheme::parse(&alg, "alg").unwrap();
        assert_eq!(parsed, scheme);
        let pw = Password::for_writing("pässword");
        let data = b"0123456789abcdef0123456789";
        let ct = scheme.encrypt(&pw, data);
        assert_ne!(&ct[..data.len()], &data[..]);
        assert_eq!(&parsed.decrypt(&pw, &ct).unwrap()[..], &data[..]);
    }

    #[test]
    fn every_written_scheme_round_trips() {
        for kind in [
            SchemeKind::Aes256,
            SchemeKind::Aes128,
            SchemeKind::TripleDes,
            SchemeKind::Rc2_40,
            SchemeKind::Rc2_128,
        ] {
            round_trip(kind);
        }
        assert_eq!(
            Scheme::fresh(SchemeKind::Aes256, 1).name(),
            "PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC"
        );
        assert_eq!(
            Scheme::fresh(SchemeKind::Rc2_40, 1).name(),
            "PBE-SHA1-RC2-40"
        );
        assert_eq!(
            Scheme::fresh(SchemeKind::TripleDes, 1).name(),
            "PBE-SHA1-3DES"
        );
    }

    #[test]
    fn pbes2_uses_raw_bytes_and_pkcs12_uses_bmp() {
        // Same raw bytes, different BMP encoding: PBES2 must still decrypt, PKCS#12 PBE not.
        let a = Password::for_writing("é");
        let b = Password::candidates(Some("é".as_bytes())).pop().unwrap();
        assert_eq!(&a.raw[..], &b.raw[..]);
        assert_ne!(&a.bmp[..], &b.bmp[..]);
        let data = b"a SEQUENCE would go here";
        let aes = Scheme::fresh(SchemeKind::Aes256, 2);
        assert!(aes.decrypt(&b, &aes.encrypt(&a, data)).is_some());
        let tdes = Scheme::fresh(SchemeKind::TripleDes, 2);
        let ct = tdes.encrypt(&a, data);
        assert_ne!(
            tdes.decrypt(&b, &ct).as_deref().map(|v| &v[..]),
            Some(&data[..])
        );
    }

    #[test]
    fn candidates_cover_empty_and_non_ascii() {
        let empty = Password::candidates(None);
        assert_eq!(empty.len(), 2);
        assert_eq!(&empty[0].bmp[..], &[0, 0]);
        assert!(empty[1].bmp.is_empty());
        assert_eq!(Password::candidates(Some(b"")).len(), 2);
        assert_eq!(Password::candidates(Some(b"abc")).len(), 1);
        let two = Password::candidates(Some("ü".as_bytes()));
        assert_eq!(&two[0].bmp[..], &[0x00, 0xfc, 0, 0]);
        assert_eq!(&two[1].bmp[..], &[0x00, 0xc3, 0x00, 0xbc, 0, 0]);
        let invalid = Password::candidates(Some(&[0xff, 0x41]));
        assert_eq!(invalid.len(), 1);
        assert_eq!(&invalid[0].bmp[..], &[0x00, 0xff, 0x00, 0x41, 0, 0]);
    }

    #[test]
    fn unknown_and_weak_algorithms_are_named() {
        let rc4 = RawAlg {
            oid: OID_PBE_SHA1_RC4_128.to_vec(),
            params: None,
        };
        let err = Scheme::parse(&rc4, "the key").unwrap_err();
        assert_eq!(err.code, Code::UnsupportedProfile);
        assert!(err
            .message
            .contains("pbeWithSHAAnd128BitRC4 (1.2.840.113549.1.12.1.1)"));
        let odd = RawAlg {
            oid: vec![1, 2, 3, 4],
            params: None,
        };
        let err = Scheme::parse(&odd, "the key").unwrap_err();
        assert!(err.message.contains("OID 1.2.3.4"), "{}", err.message);
    }

    #[test]
    fn iteration_limits() {
        assert!(check_iterations(0, "x").unwrap_err().code == Code::MalformedData);
        assert_eq!(check_iterations(2048, "x").unwrap(), 2048);
        let err = check_iterations(MAX_ITERATIONS + 1, "x").unwrap_err();
        assert_eq!(err.code, Code::UnsupportedProfile);
    }
}
