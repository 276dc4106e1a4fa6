//! Certificate signatures that ring does not check: RSA PKCS#1 v1.5 with MD5, SHA-1 or SHA-2 at
//! any key size, RSA-PSS, and DSA. `IsSelfSigned` needs them (old roots are MD5- and
//! DSA-signed, and .NET reads those). Public-key operations only, so there is no timing concern;
//! verifying an old algorithm says nothing about trusting it.

use num_bigint_dig::{BigUint, ModInverse};
use rsa::traits::SignatureScheme;
use rsa::{Pkcs1v15Sign, Pss, RsaPublicKey};
use sha2::digest::{Digest, DynDigest};
use x509_parser::der_parser::asn1_rs::{Any, FromDer};
use x509_parser::prelude::{SubjectPublicKeyInfo, X509Certificate};

const RSA_PSS: &str = "1.2.840.113549.1.1.10";
const MGF1: &str = "1.2.840.113549.1.1.8";

/// The hash of a signature algorithm (`*WithRSAEncryption`, `dsa-with-*`) or a hash algorithm.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Hash {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    fn of_hash_oid(oid: &str) -> Option<Hash> {
        Some(match oid {
            "1.2.840.113549.2.5" => Hash::Md5,
            "1.3.14.3.2.26" => Hash::Sha1,
            "2.16.840.1.101.3.4.2.4" => Hash::Sha224,
            "2.16.840.1.101.3.4.2.1" => Hash::Sha256,
            "2.16.840.1.101.3.4.2.2" => Hash::Sha384,
            "2.16.840.1.101.3.4.2.3" => Hash::Sha512,
            _ => return None,
        })
    }

    fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Hash::Md5 => md5::Md5::digest(data).to_vec(),
            Hash::Sha1 => sha1::Sha1::digest(data).to_vec(),
            Hash::Sha224 => sha2::Sha224::digest(data).to_vec(),
            Hash::Sha256 => sha2::Sha256::digest(data).to_vec(),
            Hash::Sha384 => sha2::Sha384::digest(data).to_vec(),
            Hash::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }

    fn pkcs1v15(self) -> Pkcs1v15Sign {
        match self {
            Hash::Md5 => Pkcs1v15Sign::new::<md5::Md5>(),
            Hash::Sha1 => Pkcs1v15Sign::new::<sha1::Sha1>(),
            Hash::Sha224 => Pkcs1v15Sign::new::<sha2::Sha224>(),
            Hash::Sha256 => Pkcs1v15Sign::new::<sha2::Sha256>(),
            Hash::Sha384 => Pkcs1v15Sign::new::<sha2::Sha384>(),
            Hash::Sha512 => Pkcs1v15Sign::new::<sha2::Sha512>(),
        }
    }

    fn pss(self, salt: usize) -> Pss {
        fn with<D: 'static + Digest + DynDigest + Send + Sync>(salt: usize) -> Pss {
            Pss::new_with_salt::<D>(salt)
        }
        match self {
            Hash::Md5 => with::<md5::Md5>(salt),
            Hash::Sha1 => with::<sha1::Sha1>(salt),
            Hash::Sha224 => with::<sha2::Sha224>(salt),
            Hash::Sha256 => with::<sha2::Sha256>(salt),
            Hash::Sha384 => with::<sha2::Sha384>(salt),
            Hash::Sha512 => with::<sha2::Sha512>(salt),
        }
    }
}

/// True when `key` verifies the certificate's signature by one of the algorithms above; false
/// for any other algorithm or any malformed input.
pub(crate) fn verify_other(cert: &X509Certificate<'_>, key: &SubjectPublicKeyInfo<'_>) -> bool {
    let algorithm = &cert.signature_algorithm;
    let tbs = cert.tbs_certificate.as_ref();
    let signature = cert.signature_value.data.as_ref();
    let result = match algorithm.algorithm.to_id_string().as_str() {
        "1.2.840.113549.1.1.4" => rsa_pkcs1(key, Hash::Md5, tbs, signature),
        "1.2.840.113549.1.1.5" => rsa_pkcs1(key, Hash::Sha1, tbs, signature),
        "1.2.840.113549.1.1.14" => rsa_pkcs1(key, Hash::Sha224, tbs, signature),
        "1.2.840.113549.1.1.11" => rsa_pkcs1(key, Hash::Sha256, tbs, signature),
        "1.2.840.113549.1.1.12" => rsa_pkcs1(key, Hash::Sha384, tbs, signature),
        "1.2.840.113549.1.1.13" => rsa_pkcs1(key, Hash::Sha512, tbs, signature),
        RSA_PSS => algorithm
            .parameters
            .as_ref()
            .and_then(|p| pss_parameters(p.data))
            .and_then(|(hash, salt)| {
                let public = rsa_key(key)?;
                Some(
                    hash.pss(salt)
                        .verify(&public, &hash.digest(tbs), signature)
                        .is_ok(),
                )
            }),
        "1.2.840.10040.4.3" => dsa(key, Hash::Sha1, tbs, signature),
        "2.16.840.1.101.3.4.3.1" => dsa(key, Hash::Sha224, tbs, signature),
        "2.16.840.1.101.3.4.3.2" => dsa(key, Hash::Sha256, tbs, signature),
        _ => None,
    };
    result.unwrap_or(false)
}

fn rsa_key(key: &SubjectPublicKeyInfo<'_>) -> Option<RsaPublicKey> {
    use rsa::pkcs1::DecodeRsaPublicKey;
    // RSA and RSA-PSS keys hold the same RSAPublicKey; read it whatever the key's algorithm OID.
    RsaPublicKey::from_pkcs1_der(&key.subject_public_key.data).ok()
}

fn rsa_pkcs1(key: &SubjectPublicKeyInfo<'_>, hash: Hash, tbs: &[u8], sig: &[u8]) -> Option<bool> {
    let public = rsa_key(key)?;
    Some(
        hash.pkcs1v15()
            .verify(&public, &hash.digest(tbs), sig)
            .is_ok(),
    )
}

/// RSASSA-PSS-params (RFC 4055): the hash (default SHA-1) and salt length (default 20). A mask
/// function other than MGF1 with that same hash is not supported: None.
fn pss_parameters(params: &[u8]) -> Option<(Hash, usize)> {
    let (mut hash, mut mgf_hash, mut salt) = (Hash::Sha1, Hash::Sha1, 20usize);
    let mut rest = params;
    while !rest.is_empty() {
        let (after, field) = Any::from_der(rest).ok()?;
        rest = after;
        let (_, inner) = Any::from_der(field.data).ok()?;
        match field.header.tag().0 {
            0 => hash = hash_of_algorithm(inner.data)?,
            1 => {
                let (after_oid, mgf) = Any::from_der(inner.data).ok()?;
                if oid_text(&mgf)? != MGF1 {
                    return None;
                }
                let (_, mgf_params) = Any::from_der(after_oid).ok()?;
                mgf_hash = hash_of_algorithm(mgf_params.data)?;
            }
            2 => salt = usize::try_from(inner.as_u32().ok()?).ok()?,
            _ => {}
        }
    }
    (hash == mgf_hash).then_some((hash, salt))
}

/// The hash named by an AlgorithmIdentifier's content (OID, optional NULL).
fn hash_of_algorithm(content: &[u8]) -> Option<Hash> {
    let (_, oid) = Any::from_der(content).ok()?;
    Hash::of_hash_oid(&oid_text(&oid)?)
}

fn oid_text(any: &Any<'_>) -> Option<String> {
    any.clone().oid().ok().map(|o| o.to_id_string())
}

/// DSA (FIPS 186-4 §4.7): p, q, g from the key's parameters, y from the key, (r, s) from the
/// signature; the hash cut to q's length.
fn dsa(key: &SubjectPublicKeyInfo<'_>, hash: Hash, tbs: &[u8], sig: &[u8]) -> Option<bool> {
    let params = key.algorithm.parameters.as_ref()?;
    let pqg = integers(params.data, 3)?;
    let (p, q, g) = (&pqg[0], &pqg[1], &pqg[2]);
    let (_, y) = Any::from_der(&key.subject_public_key.data).ok()?;
    let y = BigUint::from_bytes_be(y.data);
    let (_, rs) = Any::from_der(sig).ok()?;
    let rs = integers(rs.data, 2)?;
    let (r, s) = (&rs[0], &rs[1]);
    // Bounded: a planted key with a huge p would make modpow run for minutes.
    if p.bits() > 16384 || q.bits() > 512 {
        return None;
    }
    let zero = BigUint::from(0u8);
    if *r == zero || *s == zero || r >= q || s >= q || q.bits() == 0 {
        return Some(false);
    }
    let digest = hash.digest(tbs);
    let mut z = BigUint::from_bytes_be(&digest);
    let (n, out) = (q.bits(), digest.len() * 8);
    if out > n {
        z >>= out - n;
    }
    let w = s.clone().mod_inverse(q)?.to_biguint()?;
    let u1 = (&z * &w) % q;
    let u2 = (r * &w) % q;
    let v = ((g.modpow(&u1, p) * y.modpow(&u2, p)) % p) % q;
    Some(v == *r)
}

/// `count` INTEGERs, the whole content of a SEQUENCE; each taken as unsigned.
fn integers(content: &[u8], count: usize) -> Option<Vec<BigUint>> {
    let mut out = Vec::with_capacity(count);
    let mut rest = content;
    while !rest.is_empty() {
        let (after, int) = Any::from_der(rest).ok()?;
        if int.header.tag().0 != 2 || out.len() == count {
            return None;
        }
        out.push(BigUint::from_bytes_be(int.data));
        rest = after;
    }
    (out.len() == count).then_some(out)
}
