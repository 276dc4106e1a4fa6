//! A certificate's public key: its algorithm (`KeyAlgorithm`) and its size in bits
//! (`PublicKeySize`), the size as .NET reports it: the modulus for RSA (RSA-PSS keys too), the
//! prime `p` for DSA, the field's degree for EC (named or explicit curves), and the public key's
//! length for EdDSA and X25519/X448 (which .NET cannot load: 256 and 456 bits as the keys' octets,
//! as RFC 8032 sizes them).

use crate::cert::any_der::reencode;
use x509_parser::prelude::SubjectPublicKeyInfo;

const RSA: &str = "1.2.840.113549.1.1.1";
const RSA_PSS: &str = "1.2.840.113549.1.1.10";
const DSA: &str = "1.2.840.10040.4.1";
const EC: &str = "1.2.840.10045.2.1";
const ED25519: &str = "1.3.101.112";
const ED448: &str = "1.3.101.113";
const X25519: &str = "1.3.101.110";
const X448: &str = "1.3.101.111";

/// Named curves and their field degree in bits (SEC 2, RFC 5639, X9.62).
const CURVES: &[(&str, u32)] = &[
    ("1.2.840.10045.3.1.1", 192),
    ("1.2.840.10045.3.1.7", 256),
    ("1.3.132.0.33", 224),
    ("1.3.132.0.34", 384),
    ("1.3.132.0.35", 521),
    ("1.3.132.0.10", 256),
    ("1.3.132.0.31", 192),
    ("1.3.132.0.32", 224),
    ("1.3.132.0.1", 163),
    ("1.3.132.0.15", 163),
    ("1.3.132.0.26", 233),
    ("1.3.132.0.27", 233),
    ("1.3.132.0.16", 283),
    ("1.3.132.0.17", 283),
    ("1.3.132.0.36", 409),
    ("1.3.132.0.37", 409),
    ("1.3.132.0.38", 571),
    ("1.3.132.0.39", 571),
    ("1.3.36.3.3.2.8.1.1.1", 160),
    ("1.3.36.3.3.2.8.1.1.2", 160),
    ("1.3.36.3.3.2.8.1.1.3", 192),
    ("1.3.36.3.3.2.8.1.1.4", 192),
    ("1.3.36.3.3.2.8.1.1.5", 224),
    ("1.3.36.3.3.2.8.1.1.6", 224),
    ("1.3.36.3.3.2.8.1.1.7", 256),
    ("1.3.36.3.3.2.8.1.1.8", 256),
    ("1.3.36.3.3.2.8.1.1.9", 320),
    ("1.3.36.3.3.2.8.1.1.10", 320),
    ("1.3.36.3.3.2.8.1.1.11", 384),
    ("1.3.36.3.3.2.8.1.1.12", 384),
    ("1.3.36.3.3.2.8.1.1.13", 512),
    ("1.3.36.3.3.2.8.1.1.14", 512),
];

/// `KeyAlgorithm` and `PublicKeySize` of a key; size 0 when the key cannot be sized.
pub(crate) fn key_properties(spki: &SubjectPublicKeyInfo<'_>) -> (String, u32) {
    let algorithm = spki.algorithm.algorithm.to_id_string();
    let params = spki.algorithm.parameters.as_ref();
    match algorithm.as_str() {
        RSA | RSA_PSS => (
            "RSA".to_string(),
            rsa_modulus_bits(&spki.subject_public_key.data).unwrap_or(0),
        ),
        DSA => {
            let bits = params
                .and_then(|p| first_integer_bits(&reencode(p)))
                .unwrap_or(0);
            ("DSA".to_string(), bits)
        }
        // A named curve is an OID; asn1-rs's as_oid() would also "read" a SEQUENCE's content.
        EC => match params
            .filter(|p| p.header.tag().0 == 6)
            .and_then(|p| p.as_oid().ok())
            .map(|o| o.to_id_string())
        {
            Some(curve) => {
                let bits = CURVES
                    .iter()
                    .find(|(oid, _)| *oid == curve)
                    .map_or(0, |(_, bits)| *bits);
                let name = match curve.as_str() {
                    "1.2.840.10045.3.1.7" => "ECDSA_P256".to_string(),
                    "1.3.132.0.34" => "ECDSA_P384".to_string(),
                    "1.3.132.0.35" => "ECDSA_P521".to_string(),
                    other => format!("EC({other})"),
                };
                (name, bits)
            }
            // Explicit curve parameters (SpecifiedECDomain).
            None => (
                "EC(explicit)".to_string(),
                params
                    .and_then(|p| explicit_curve_bits(&reencode(p)))
                    .unwrap_or(0),
            ),
        },
        ED25519 => (
            "Ed25519".to_string(),
            8 * spki.subject_public_key.data.len() as u32,
        ),
        ED448 => (
            "Ed448".to_string(),
            8 * spki.subject_public_key.data.len() as u32,
        ),
        // Key-agreement keys (RFC 8410), sized like EdDSA keys by their length.
        X25519 | X448 => (
            if algorithm == X25519 {
                "X25519"
            } else {
                "X448"
            }
            .to_string(),
            8 * spki.subject_public_key.data.len() as u32,
        ),
        other => (other.to_string(), 0),
    }
}

/// Bits of an unsigned big-endian integer (leading zero bytes ignored).
fn bits(bytes: &[u8]) -> u32 {
    let first = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    let m = &bytes[first..];
    match m.first() {
        None => 0,
        Some(top) => m.len() as u32 * 8 - top.leading_zeros(),
    }
}

/// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
fn rsa_modulus_bits(der: &[u8]) -> Option<u32> {
    first_integer_bits(der)
}

/// The first INTEGER of a SEQUENCE (RSA's modulus, DSA's p).
fn first_integer_bits(der: &[u8]) -> Option<u32> {
    yasna::parse_ber(der, |r| {
        r.read_sequence(|r| {
            let (n, _) = r.next().read_bigint_bytes()?;
            while r.read_optional(|r| r.read_der())?.is_some() {}
            Ok(bits(&n))
        })
    })
    .ok()
}

/// SpecifiedECDomain ::= SEQUENCE { version, fieldID SEQUENCE { fieldType OID, parameters }, ... }:
/// a prime field's p, or a characteristic-two field's degree m.
fn explicit_curve_bits(der: &[u8]) -> Option<u32> {
    yasna::parse_ber(der, |r| {
        r.read_sequence(|r| {
            r.next().read_u64()?;
            let size = r.next().read_sequence(|r| {
                let prime_field =
                    yasna::models::ObjectIdentifier::from_slice(&[1, 2, 840, 10045, 1, 1]);
                if r.next().read_oid()? == prime_field {
                    let (p, _) = r.next().read_bigint_bytes()?;
                    Ok(bits(&p))
                } else {
                    r.next().read_sequence(|r| {
                        let m = r.next().read_u64()?;
                        while r.read_optional(|r| r.read_der())?.is_some() {}
                        Ok(m as u32)
                    })
                }
            })?;
            while r.read_optional(|r| r.read_der())?.is_some() {}
            Ok(size)
        })
    })
    .ok()
}

#[cfg(test)]
mod tests {
    use super::bits;

    #[test]
    fn bit_lengths_ignore_leading_zeros() {
        assert_eq!(bits(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(bits(&[0x01]), 1);
        assert_eq!(bits(&[0x00]), 0);
        assert_eq!(bits(&[]), 0);
    }
}
