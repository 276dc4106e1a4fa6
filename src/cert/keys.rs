//! Private keys: RSA from our own prime search (`primes.rs`, assembled by the `rsa` crate; ring
//! cannot generate RSA keys), ECDSA from ring; signing goes through ring except for 1024-bit RSA.

mod rsa_key;

use crate::{Code, Error, Result};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey};
use rsa_key::{rsa_public_key, SmallRsaSigner};
use zeroize::Zeroizing;

/// Key algorithms (docs/cmdlets.md, `-KeyAlgorithm`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyAlgorithm {
    Rsa,
    EcdsaP256,
    EcdsaP384,
}

impl KeyAlgorithm {
    /// Parses `RSA`, `ECDSA_P256`, `ECDSA_P384` (any case).
    pub fn parse(text: &str) -> Result<KeyAlgorithm> {
        match text.trim().to_ascii_uppercase().as_str() {
            "RSA" => Ok(KeyAlgorithm::Rsa),
            "ECDSA_P256" => Ok(KeyAlgorithm::EcdsaP256),
            "ECDSA_P384" => Ok(KeyAlgorithm::EcdsaP384),
            _ => Err(Error::invalid(format!(
                "'{text}' is not a key algorithm: use RSA, ECDSA_P256 or ECDSA_P384"
            ))),
        }
    }

    /// The name shown in `KeyAlgorithm`.
    pub fn name(self) -> &'static str {
        match self {
            KeyAlgorithm::Rsa => "RSA",
            KeyAlgorithm::EcdsaP256 => "ECDSA_P256",
            KeyAlgorithm::EcdsaP384 => "ECDSA_P384",
        }
    }
}

/// Which key to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeySpec {
    pub algorithm: KeyAlgorithm,
    /// RSA modulus size in bits; ignored for ECDSA.
    pub rsa_bits: u32,
}

impl Default for KeySpec {
    fn default() -> Self {
        KeySpec {
            algorithm: KeyAlgorithm::Rsa,
            rsa_bits: 2048,
        }
    }
}

impl KeySpec {
    /// Checks `-KeyAlgorithm` and `-KeySize` together.
    pub fn new(algorithm: Option<KeyAlgorithm>, key_size: Option<u32>) -> Result<KeySpec> {
        let algorithm = algorithm.unwrap_or(KeyAlgorithm::Rsa);
        match (algorithm, key_size) {
            (KeyAlgorithm::Rsa, None) => Ok(KeySpec::default()),
            (KeyAlgorithm::Rsa, Some(bits @ (1024 | 2048 | 3072 | 4096))) => Ok(KeySpec {
                algorithm,
                rsa_bits: bits,
            }),
            (KeyAlgorithm::Rsa, Some(bits)) => Err(Error::invalid(format!(
                "KeySize {bits} is not supported: use 1024, 2048 (the default), 3072 or 4096"
            ))),
            (_, None) => Ok(KeySpec {
                algorithm,
                rsa_bits: 0,
            }),
            (_, Some(_)) => Err(Error::invalid(format!(
                "KeySize applies to RSA keys only: {} fixes its own size; leave KeySize out",
                algorithm.name()
            ))),
        }
    }
}

/// A private key held as PKCS#8 DER, zeroed when dropped.
pub struct PrivateKey {
    pkcs8: Zeroizing<Vec<u8>>,
    algorithm: KeyAlgorithm,
    /// The signer made with a new ECDSA key, kept for signing: loading it again from the
    /// PKCS#8 would derive the public key a second time (ring checks it on every load).
    generated: Option<Box<rcgen::KeyPair>>,
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PrivateKey({})", self.algorithm.name())
    }
}

impl PrivateKey {
    /// Makes a new key.
    pub fn generate(spec: KeySpec) -> Result<PrivateKey> {
        let fail = |e: &dyn std::fmt::Display| {
            Error::new(
                Code::KeyGeneration,
                format!("could not generate the key: {e}"),
            )
        };
        let pkcs8 = match spec.algorithm {
            KeyAlgorithm::Rsa => {
                let key = super::primes::generate(spec.rsa_bits as usize).map_err(|e| fail(&e))?;
                Zeroizing::new(
                    key.to_pkcs8_der()
                        .map_err(|e| fail(&e))?
                        .as_bytes()
                        .to_vec(),
                )
            }
            KeyAlgorithm::EcdsaP256 | KeyAlgorithm::EcdsaP384 => {
                let kp =
                    rcgen::KeyPair::generate_for(ec_alg(spec.algorithm)).map_err(|e| fail(&e))?;
                let pkcs8 = Zeroizing::new(kp.serialize_der());
                return Ok(PrivateKey {
                    pkcs8,
                    algorithm: spec.algorithm,
                    generated: Some(Box::new(kp)),
                });
            }
        };
        Ok(PrivateKey {
            pkcs8,
            algorithm: spec.algorithm,
            generated: None,
        })
    }

    /// Loads a PKCS#8 key (RSA or ECDSA P-256/P-384).
    pub fn from_pkcs8(der: &[u8]) -> Result<PrivateKey> {
        let pkcs8 = Zeroizing::new(der.to_vec());
        if rsa_public_key(der).is_ok() {
            return Ok(PrivateKey {
                pkcs8,
                algorithm: KeyAlgorithm::Rsa,
                generated: None,
            });
        }
        for algorithm in [KeyAlgorithm::EcdsaP256, KeyAlgorithm::EcdsaP384] {
            let key = rustls_pki_types_pkcs8(der);
            if rcgen::KeyPair::from_pkcs8_der_and_sign_algo(&key, ec_alg(algorithm)).is_ok() {
                return Ok(PrivateKey {
                    pkcs8,
                    algorithm,
                    generated: None,
                });
            }
        }
        Err(Error::new(
            Code::MalformedData,
            "the private key is not an RSA or ECDSA P-256/P-384 key in PKCS#8 form",
        ))
    }

    /// The PKCS#8 DER (secret: zero any copy).
    pub fn pkcs8(&self) -> &[u8] {
        &self.pkcs8
    }

    /// The key's algorithm.
    pub fn algorithm(&self) -> KeyAlgorithm {
        self.algorithm
    }

    /// The DER SubjectPublicKeyInfo of the key, for matching certificates to keys.
    pub fn public_key_info(&self) -> Result<Vec<u8>> {
        match self.algorithm {
            KeyAlgorithm::Rsa => Ok(rsa_public_key(&self.pkcs8)?
                .to_public_key_der()
                .map_err(crypto)?
                .into_vec()),
            _ => Ok(self.key_pair()?.public_key_der()),
        }
    }

    fn rsa(&self) -> Result<rsa::RsaPrivateKey> {
        rsa::RsaPrivateKey::from_pkcs8_der(&self.pkcs8).map_err(crypto)
    }

    /// The key as an rcgen signer (SHA-256 RSA, or ECDSA with the curve's hash): the one made
    /// with the key when there is one, else loaded from the PKCS#8.
    pub(crate) fn key_pair(&self) -> Result<Signer<'_>> {
        match &self.generated {
            Some(kp) => Ok(Signer::Kept(kp)),
            None => self.load_key_pair().map(|kp| Signer::Loaded(Box::new(kp))),
        }
    }

    fn load_key_pair(&self) -> Result<rcgen::KeyPair> {
        let key = rustls_pki_types_pkcs8(&self.pkcs8);
        match self.algorithm {
            KeyAlgorithm::Rsa => {
                let rsa_key = self.rsa()?;
                if rsa::traits::PublicKeyParts::size(&rsa_key) * 8 < 2048 {
                    let public =
                        rsa::pkcs1::EncodeRsaPublicKey::to_pkcs1_der(&rsa_key.to_public_key())
                            .map_err(crypto)?;
                    return rcgen::KeyPair::from_remote(Box::new(SmallRsaSigner {
                        key: rsa_key,
                        public: public.into_vec(),
                    }))
                    .map_err(crypto);
                }
                rcgen::KeyPair::from_pkcs8_der_and_sign_algo(&key, &rcgen::PKCS_RSA_SHA256)
                    .map_err(crypto)
            }
            alg => rcgen::KeyPair::from_pkcs8_der_and_sign_algo(&key, ec_alg(alg)).map_err(crypto),
        }
    }
}

/// An rcgen signer, borrowed from the key or loaded for the occasion.
pub(crate) enum Signer<'a> {
    Kept(&'a rcgen::KeyPair),
    Loaded(Box<rcgen::KeyPair>),
}

impl std::ops::Deref for Signer<'_> {
    type Target = rcgen::KeyPair;

    fn deref(&self) -> &rcgen::KeyPair {
        match self {
            Signer::Kept(kp) => kp,
            Signer::Loaded(kp) => kp,
        }
    }
}

fn rustls_pki_types_pkcs8(der: &[u8]) -> pki_types::PrivatePkcs8KeyDer<'_> {
    pki_types::PrivatePkcs8KeyDer::from(der)
}

fn ec_alg(alg: KeyAlgorithm) -> &'static rcgen::SignatureAlgorithm {
    match alg {
        KeyAlgorithm::EcdsaP384 => &rcgen::PKCS_ECDSA_P384_SHA384,
        _ => &rcgen::PKCS_ECDSA_P256_SHA256,
    }
}

fn crypto(e: impl std::fmt::Display) -> Error {
    Error::new(Code::Crypto, format!("key operation failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_spec_checks_size_and_algorithm() {
        assert_eq!(KeySpec::new(None, None).unwrap(), KeySpec::default());
        assert_eq!(
            KeySpec::new(Some(KeyAlgorithm::parse("rsa").unwrap()), Some(4096))
                .unwrap()
                .rsa_bits,
            4096
        );
        assert!(KeySpec::new(None, Some(1000))
            .unwrap_err()
            .message
            .contains("1024, 2048"));
        assert!(KeySpec::new(Some(KeyAlgorithm::EcdsaP256), Some(2048)).is_err());
        assert!(KeyAlgorithm::parse("DSA").is_err());
    }

    #[test]
    fn generated_keys_load_back() {
        for spec in [
            KeySpec {
                algorithm: KeyAlgorithm::EcdsaP256,
                rsa_bits: 0,
            },
            KeySpec {
                algorithm: KeyAlgorithm::EcdsaP384,
                rsa_bits: 0,
            },
            KeySpec {
                algorithm: KeyAlgorithm::Rsa,
                rsa_bits: 1024,
            },
        ] {
            let k = PrivateKey::generate(spec).unwrap();
            let back = PrivateKey::from_pkcs8(k.pkcs8()).unwrap();
            assert_eq!(back.algorithm(), spec.algorithm);
            assert_eq!(
                back.public_key_info().unwrap(),
                k.public_key_info().unwrap()
            );
        }
        assert!(PrivateKey::from_pkcs8(b"not a key").is_err());
    }
}
