//! Password-based encryption schemes of PKCS#12 files, as one type the reader and the writer
//! use: the PKCS#12 PBE family (`pkcs12_pbe`) or PBES2 (`pbes2`). Parsing, naming, cost,
//! encryption, decryption; the algorithms themselves are in those two files and `cipher`.

use rand::RngCore;
use yasna::DERWriter;
use zeroize::Zeroizing;

use super::asn1::{self, RawAlg};
use super::cipher::Cipher;
use super::hash::Hash;
use super::password::Password;
use super::profile::derivation_cost;
use super::{pbes2, pkcs12_pbe};
use crate::{Code, Error, Result};

const OID_SCRYPT: &[u64] = &[1, 3, 6, 1, 4, 1, 11591, 4, 11];

/// PBES1 (PKCS#5 v1.5) schemes: named in errors, not read.
const PBES1: [(&[u64], &str); 6] = [
    (&[1, 2, 840, 113549, 1, 5, 1], "pbeWithMD2AndDES-CBC"),
    (&[1, 2, 840, 113549, 1, 5, 3], "pbeWithMD5AndDES-CBC"),
    (&[1, 2, 840, 113549, 1, 5, 4], "pbeWithMD2AndRC2-CBC"),
    (&[1, 2, 840, 113549, 1, 5, 6], "pbeWithMD5AndRC2-CBC"),
    (&[1, 2, 840, 113549, 1, 5, 10], "pbeWithSHA1AndDES-CBC"),
    (&[1, 2, 840, 113549, 1, 5, 11], "pbeWithSHA1AndRC2-CBC"),
];

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

impl Scheme {
    /// Interprets an AlgorithmIdentifier found in the file; `what` names its place for errors.
    pub(crate) fn parse(alg: &RawAlg, what: &str) -> Result<Scheme> {
        let oid = alg.oid.as_slice();
        let params = alg.params.as_deref().unwrap_or_default();
        if let Some(cipher) = pkcs12_pbe::cipher_of(oid) {
            let (salt, iterations) = pkcs12_pbe::parse_params(params, what)?;
            return Ok(Scheme::Pkcs12 {
                cipher,
                salt,
                iterations,
            });
        }
        if oid == pbes2::OID_PBES2 {
            return pbes2::parse(params, what);
        }
        Err(unsupported(&named_oid(oid)))
    }

    /// Short name, e.g. "PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC" or "PBE-SHA1-3DES".
    pub(crate) fn name(&self) -> String {
        match self {
            Scheme::Pkcs12 { cipher, .. } => pkcs12_pbe::name(*cipher),
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
            } => pkcs12_pbe::cost(*cipher, *iterations),
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
            } => pkcs12_pbe::key_and_iv(*cipher, pw, salt, *iterations),
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
            } => pkcs12_pbe::write_alg(w, *cipher, salt, *iterations),
            Scheme::Pbes2 {
                prf,
                salt,
                iterations,
                cipher,
                iv,
            } => pbes2::write_alg(w, *prf, salt, *iterations, *cipher, iv),
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

/// A name for an algorithm OID in messages: the well-known name and the OID.
pub(crate) fn named_oid(oid: &[u64]) -> String {
    let name = match oid {
        pkcs12_pbe::OID_PBE_SHA1_RC4_128 => Some("pbeWithSHAAnd128BitRC4"),
        pkcs12_pbe::OID_PBE_SHA1_RC4_40 => Some("pbeWithSHAAnd40BitRC4"),
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
            oid: pkcs12_pbe::OID_PBE_SHA1_RC4_128.to_vec(),
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
}
