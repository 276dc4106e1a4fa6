//! RSA keys: the check a key passes when it is loaded, and the signer for keys below ring's
//! 2048-bit floor.

use super::crypto;
use crate::Result;
use zeroize::Zeroizing;

/// The public half of the RSA key `der` (PKCS#8), once the key passed the checks the `rsa` crate
/// makes when it loads one (two primes, n = p·q, d·e ≡ 1 mod p−1 and q−1, the exponent's and
/// modulus's bounds), without the CRT values it also computes for signing: their modular inverse
/// cost more than everything else a PFX export or import does with the key.
pub(super) fn rsa_public_key(der: &[u8]) -> Result<rsa::RsaPublicKey> {
    use rsa::pkcs1;
    use rsa::pkcs8::{der::asn1::Null, PrivateKeyInfo};
    use rsa::BigUint;
    let malformed = || crypto("the RSA private key is malformed");
    let info = PrivateKeyInfo::try_from(der).map_err(crypto)?;
    info.algorithm
        .assert_algorithm_oid(pkcs1::ALGORITHM_OID)
        .map_err(crypto)?;
    if info.algorithm.parameters_any().map_err(crypto)? != Null.into() {
        return Err(malformed());
    }
    let key = pkcs1::RsaPrivateKey::try_from(info.private_key).map_err(crypto)?;
    if key.version() != pkcs1::Version::TwoPrime {
        return Err(malformed());
    }
    let int = |u: pkcs1::UintRef| BigUint::from_bytes_be(u.as_bytes());
    let secret = |u: pkcs1::UintRef| Zeroizing::new(int(u));
    let (n, e) = (int(key.modulus), int(key.public_exponent));
    let (d, p, q) = (
        secret(key.private_exponent),
        secret(key.prime1),
        secret(key.prime2),
    );
    let one = BigUint::from(1u8);
    if *p <= one || *q <= one || &*p * &*q != n {
        return Err(malformed());
    }
    // The bounds of e and n, as `rsa` checks them.
    let public = rsa::RsaPublicKey::new(n, e).map_err(crypto)?;
    let de = Zeroizing::new(&*d * rsa::traits::PublicKeyParts::e(&public));
    for prime in [&p, &q] {
        // p − 1 and the remainder are as secret as p: zeroed too.
        let less_one = Zeroizing::new(&**prime - &one);
        if *Zeroizing::new(&*de % &*less_one) != one {
            return Err(malformed());
        }
    }
    Ok(public)
}

/// Signs with the `rsa` crate (blinded) for keys below ring's 2048-bit floor.
pub(super) struct SmallRsaSigner {
    pub(super) key: rsa::RsaPrivateKey,
    pub(super) public: Vec<u8>,
}

impl rcgen::RemoteKeyPair for SmallRsaSigner {
    fn public_key(&self) -> &[u8] {
        &self.public
    }

    fn sign(&self, msg: &[u8]) -> std::result::Result<Vec<u8>, rcgen::Error> {
        use rsa::signature::{RandomizedSigner, SignatureEncoding};
        let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(self.key.clone());
        signer
            .try_sign_with_rng(&mut rand::rngs::OsRng, msg)
            .map(|s| s.to_vec())
            .map_err(|_| rcgen::Error::RemoteKeyError)
    }

    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        &rcgen::PKCS_RSA_SHA256
    }
}

#[cfg(test)]
mod tests {
    use super::super::{KeyAlgorithm, KeySpec, PrivateKey};
    use super::*;
    use rsa::pkcs8::DecodePrivateKey;

    /// Keys the `rsa` crate would refuse to load are refused; good ones give the same public key.
    #[test]
    fn rsa_keys_are_checked_without_precomputing() {
        use rsa::pkcs1::{self, der::Encode, UintRef};
        use rsa::pkcs8::PrivateKeyInfo;
        use rsa::traits::{PrivateKeyParts, PublicKeyParts};
        let key = PrivateKey::generate(KeySpec {
            algorithm: KeyAlgorithm::Rsa,
            rsa_bits: 1024,
        })
        .unwrap();
        let full = rsa::RsaPrivateKey::from_pkcs8_der(key.pkcs8()).unwrap();
        assert_eq!(rsa_public_key(key.pkcs8()).unwrap(), full.to_public_key());
        // The same key with one value changed: PKCS#1 inside PKCS#8, as the rsa crate writes it.
        let (n, e, d) = (
            full.n().to_bytes_be(),
            full.e().to_bytes_be(),
            full.d().to_bytes_be(),
        );
        let (p, q) = (
            full.primes()[0].to_bytes_be(),
            full.primes()[1].to_bytes_be(),
        );
        let one = [1u8];
        let two = [2u8];
        let wrap = |n: &[u8], d: &[u8], p: &[u8], q: &[u8]| {
            let u = |b| UintRef::new(b).unwrap();
            let pkcs1 = pkcs1::RsaPrivateKey {
                modulus: u(n),
                public_exponent: u(&e),
                private_exponent: u(d),
                prime1: u(p),
                prime2: u(q),
                exponent1: u(&one),
                exponent2: u(&one),
                coefficient: u(&one),
                other_prime_infos: None,
            }
            .to_der()
            .unwrap();
            let alg = rsa::pkcs8::AlgorithmIdentifierRef {
                oid: pkcs1::ALGORITHM_OID,
                parameters: Some(rsa::pkcs8::der::asn1::AnyRef::NULL),
            };
            PrivateKeyInfo::new(alg, &pkcs1).to_der().unwrap()
        };
        assert!(rsa_public_key(&wrap(&n, &d, &p, &q)).is_ok());
        let mut bad_d = d.clone();
        *bad_d.last_mut().unwrap() ^= 2;
        let mut bad_n = n.clone();
        *bad_n.last_mut().unwrap() ^= 2;
        for (what, der) in [
            ("d", wrap(&n, &bad_d, &p, &q)),
            ("n", wrap(&bad_n, &d, &p, &q)),
            ("p = 1", wrap(&n, &d, &one, &n)),
            ("p = 2", wrap(&n, &d, &two, &q)),
        ] {
            assert!(rsa_public_key(&der).is_err(), "{what}");
            // (rsa itself divides by zero on p = 1.)
            assert!(
                what == "p = 1" || rsa::RsaPrivateKey::from_pkcs8_der(&der).is_err(),
                "{what}"
            );
            assert!(PrivateKey::from_pkcs8(&der).is_err(), "{what}");
        }
    }
}
