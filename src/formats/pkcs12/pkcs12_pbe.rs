//! The PKCS#12 password-based encryption schemes (RFC 7292 appendix C): key and IV both from
//! the PKCS#12 key derivation with SHA-1 over the BMPString password; 3DES, 2-key 3DES, RC2.

use yasna::DERWriter;
use zeroize::Zeroizing;

use super::asn1;
use super::cipher::Cipher;
use super::hash::Hash;
use super::password::Password;
use super::profile::{check_iterations, derivation_cost};
use crate::Result;

pub(crate) const OID_PBE_SHA1_RC4_128: &[u64] = &[1, 2, 840, 113549, 1, 12, 1, 1];
pub(crate) const OID_PBE_SHA1_RC4_40: &[u64] = &[1, 2, 840, 113549, 1, 12, 1, 2];
const OID_PBE_SHA1_3DES: &[u64] = &[1, 2, 840, 113549, 1, 12, 1, 3];
const OID_PBE_SHA1_2DES: &[u64] = &[1, 2, 840, 113549, 1, 12, 1, 4];
const OID_PBE_SHA1_RC2_128: &[u64] = &[1, 2, 840, 113549, 1, 12, 1, 5];
const OID_PBE_SHA1_RC2_40: &[u64] = &[1, 2, 840, 113549, 1, 12, 1, 6];

/// The cipher of a PKCS#12 PBE OID; `None` for any other OID (RC4 is not read).
pub(crate) fn cipher_of(oid: &[u64]) -> Option<Cipher> {
    match oid {
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
    }
}

/// Reads pkcs-12PbeParams: the salt and the iteration count.
pub(crate) fn parse_params(params: &[u8], what: &str) -> Result<(Vec<u8>, u32)> {
    let (salt, iterations) = asn1::parse(params, what, |r| {
        r.read_sequence(|r| Ok((r.next().read_bytes()?, r.next().read_u64()?)))
    })?;
    Ok((salt, check_iterations(iterations, what)?))
}

/// The short name, e.g. "PBE-SHA1-3DES".
pub(crate) fn name(cipher: Cipher) -> String {
    match cipher {
        Cipher::TripleDes => "PBE-SHA1-3DES".into(),
        Cipher::TripleDes2 => "PBE-SHA1-2DES".into(),
        Cipher::Rc2 { bits, .. } => format!("PBE-SHA1-RC2-{bits}"),
        other => format!("PBE-SHA1-{}", other.name()),
    }
}

/// Hash blocks one decryption costs: key and IV are derived apart.
pub(crate) fn cost(cipher: Cipher, iterations: u32) -> u64 {
    let sha1 = Hash::Sha1.output_len();
    derivation_cost(iterations, cipher.key_len(), sha1)
        + derivation_cost(iterations, cipher.iv_len(), sha1)
}

/// Key and IV for `cipher` (diversifiers 1 and 2 of the PKCS#12 key derivation).
pub(crate) fn key_and_iv(
    cipher: Cipher,
    pw: &Password,
    salt: &[u8],
    iterations: u32,
) -> (Zeroizing<Vec<u8>>, Zeroizing<Vec<u8>>) {
    let key = Hash::Sha1.pkcs12_kdf(&pw.bmp, salt, 1, iterations, cipher.key_len());
    let iv = Hash::Sha1.pkcs12_kdf(&pw.bmp, salt, 2, iterations, cipher.iv_len());
    (key, iv)
}

/// Writes the AlgorithmIdentifier.
pub(crate) fn write_alg(w: DERWriter, cipher: Cipher, salt: &[u8], iterations: u32) {
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
            w.next().write_u32(iterations);
        })
    });
}
