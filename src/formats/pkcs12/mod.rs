//! PKCS#12 (PFX) files: read every common profile, write the Modern and Legacy ones.
//!
//! Bytes in, bytes out, no I/O. Built on RustCrypto primitives; RC2 and the PKCS#12 key
//! derivation are implemented here because no packaged crate has them.
//!
//! - **Modern** (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC, SHA-256 MAC): what OpenSSL 3 writes by
//!   default and Windows Server 2019 and later read.
//! - **Legacy** (pbeWithSHAAnd3-KeyTripleDES-CBC for key and certificates, SHA-1 MAC): what
//!   Windows Server 2016 and older read; OpenSSL 3 reads it too, even without `-legacy`.
//!
//! Reading accepts PBES2 (AES-128/192/256-CBC, 3DES, DES, RC2; PBKDF2 with any SHA-1/SHA-2
//! HMAC), the PKCS#12 PBEs with 3DES, 2-key 3DES, RC2-40 and RC2-128, SHA-1 and SHA-2 MACs,
//! PBMAC1 (RFC 9579), no MAC, unencrypted contents, keyBag and pkcs8ShroudedKeyBag, nested
//! safeContentsBag, an absent or empty password in both encodings, and non-ASCII passwords.
//!
//! Where what is: `profile` (profiles, options, every iteration constant and limit), `read`
//! (the PFX structure walk), `bags` (the bags inside), `keyring` (password candidates and the
//! work budget), `mac` (PKCS#12 MAC and PBMAC1), `write`; `pbe` (the scheme type both sides
//! use) over `pkcs12_pbe` (RFC 7292 appendix C) and `pbes2` (RFC 8018), `cipher`, `rc2`,
//! `hash` (digests, PBKDF2, the PKCS#12 derivation), `password`, `asn1` (DER helpers).

mod asn1;
mod bags;
mod cipher;
mod hash;
mod keyring;
mod mac;
mod password;
mod pbe;
mod pbes2;
mod pkcs12_pbe;
mod profile;
mod rc2;
mod read;
mod write;

use std::fmt;

use zeroize::Zeroizing;

pub use profile::{Encryption, MacAlgorithm, Options, Profile, DEFAULT_ITERATIONS};
pub use read::read;
pub use write::{write, write_with};

/// What to export: a certificate, optionally its key, its chain and a friendly name.
#[derive(Clone, Copy)]
pub struct ExportItem<'a> {
    /// The leaf certificate, DER.
    pub certificate_der: &'a [u8],
    /// Its private key, PKCS#8 DER.
    pub private_key_pkcs8: Option<&'a [u8]>,
    /// Chain certificates (issuers), DER, written after the leaf.
    pub chain_der: &'a [Vec<u8>],
    /// Friendly name for the leaf and its key.
    pub friendly_name: Option<&'a str>,
}

impl fmt::Debug for ExportItem<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExportItem")
            .field("certificate_der", &self.certificate_der.len())
            .field(
                "private_key_pkcs8",
                &self.private_key_pkcs8.map(|_| "<redacted>"),
            )
            .field("chain_der", &self.chain_der.len())
            .field("friendly_name", &self.friendly_name)
            .finish()
    }
}

/// A certificate bag read from a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bag {
    /// The certificate, as stored (DER).
    pub der: Vec<u8>,
    /// The friendlyName attribute.
    pub friendly_name: Option<String>,
    /// The localKeyID attribute (pairs a certificate with its key).
    pub local_key_id: Option<Vec<u8>>,
}

/// A private key read from a file.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyBag {
    /// The key, PKCS#8 (PrivateKeyInfo) DER; zeroed on drop.
    pub pkcs8: Zeroizing<Vec<u8>>,
    /// The friendlyName attribute.
    pub friendly_name: Option<String>,
    /// The localKeyID attribute.
    pub local_key_id: Option<Vec<u8>>,
}

impl fmt::Debug for KeyBag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyBag")
            .field("pkcs8", &"<redacted>")
            .field("friendly_name", &self.friendly_name)
            .field("local_key_id", &self.local_key_id)
            .finish()
    }
}

/// What a file holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contents {
    /// Certificates, in file order.
    pub certificates: Vec<Bag>,
    /// Private keys, in file order.
    pub keys: Vec<KeyBag>,
    /// The file's protection, e.g. "PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC, MAC SHA-256" or
    /// "key PBE-SHA1-3DES, certificates PBE-SHA1-RC2-40, MAC SHA-1".
    pub profile: String,
}

/// Hex test vectors to bytes, for the tests of this module's parts.
#[cfg(test)]
pub(crate) fn test_hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[cfg(test)]
mod tests;
