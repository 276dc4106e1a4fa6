//! What decides how a file is written (profiles, algorithms, iterations) and the iteration
//! limits of reading: every PKCS#12 iteration constant and the profile names live here.

use super::asn1;
use crate::{Code, Error, Result};

/// Iterations written by default, as OpenSSL 3 (Windows uses 2000).
pub const DEFAULT_ITERATIONS: u32 = 2048;

/// The two profiles excert writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Profile {
    /// PBES2 + PBKDF2-HMAC-SHA256 + AES-256-CBC, SHA-256 MAC (OpenSSL 3, Windows Server 2019+).
    #[default]
    Modern,
    /// pbeWithSHAAnd3-KeyTripleDES-CBC for key and certificates, SHA-1 MAC (Windows Server
    /// 2016 and older, OpenSSL 1.x).
    Legacy,
}

impl Profile {
    /// The name used in requests and help: "Modern" or "Legacy".
    pub fn name(self) -> &'static str {
        match self {
            Profile::Modern => "Modern",
            Profile::Legacy => "Legacy",
        }
    }
}

impl std::str::FromStr for Profile {
    type Err = crate::Error;

    /// Parses "Modern" or "Legacy", ignoring case.
    fn from_str(s: &str) -> crate::Result<Profile> {
        match s.to_ascii_lowercase().as_str() {
            "modern" => Ok(Profile::Modern),
            "legacy" => Ok(Profile::Legacy),
            _ => Err(crate::Error::invalid(format!(
                "unknown PKCS#12 encryption profile {s:?}: use Modern (Windows Server 2019 and \
                 later, OpenSSL 3) or Legacy (Windows Server 2016 and older)"
            ))),
        }
    }
}

/// How one part of the file (the key, or the certificates) is encrypted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encryption {
    /// Not encrypted (the key then travels as a plain keyBag).
    None,
    /// PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC.
    Aes256,
    /// PBES2, PBKDF2-HMAC-SHA256, AES-128-CBC.
    Aes128,
    /// pbeWithSHAAnd3-KeyTripleDES-CBC.
    TripleDes,
    /// pbeWithSHAAnd40BitRC2-CBC (what Windows before 2016 and OpenSSL `-legacy` use for
    /// certificates; OpenSSL 3 needs `-legacy` to read it).
    Rc2_40,
    /// pbeWithSHAAnd128BitRC2-CBC.
    Rc2_128,
}

/// The integrity check (MAC) of the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MacAlgorithm {
    /// No MAC.
    None,
    /// HMAC-SHA1 with the PKCS#12 key derivation.
    Sha1,
    /// HMAC-SHA256 with the PKCS#12 key derivation.
    Sha256,
    /// HMAC-SHA384 with the PKCS#12 key derivation.
    Sha384,
    /// HMAC-SHA512 with the PKCS#12 key derivation.
    Sha512,
}

/// Everything that decides how a file is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Encryption of the private key.
    pub key: Encryption,
    /// Encryption of the certificates.
    pub certificates: Encryption,
    /// The MAC.
    pub mac: MacAlgorithm,
    /// Iterations of key derivation and MAC (at least 1).
    pub iterations: u32,
}

impl Options {
    /// The options of a profile.
    pub fn profile(profile: Profile, iterations: u32) -> Options {
        match profile {
            Profile::Modern => Options {
                key: Encryption::Aes256,
                certificates: Encryption::Aes256,
                mac: MacAlgorithm::Sha256,
                iterations,
            },
            Profile::Legacy => Options {
                key: Encryption::TripleDes,
                certificates: Encryption::TripleDes,
                mac: MacAlgorithm::Sha1,
                iterations,
            },
        }
    }
}

impl Default for Options {
    fn default() -> Options {
        Options::profile(Profile::Modern, DEFAULT_ITERATIONS)
    }
}

impl Profile {
    /// A profile as requests name it: "Modern" or "Legacy" in any case, blank for Modern.
    pub fn parse(text: &str) -> Result<Profile> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(Profile::Modern);
        }
        text.parse()
    }
}

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

/// The iteration count of a file's algorithm, checked: 0 is malformed, above
/// `MAX_ITERATIONS` refused.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iteration_limits() {
        assert!(check_iterations(0, "x").unwrap_err().code == Code::MalformedData);
        assert_eq!(check_iterations(2048, "x").unwrap(), 2048);
        let err = check_iterations(MAX_ITERATIONS + 1, "x").unwrap_err();
        assert_eq!(err.code, Code::UnsupportedProfile);
    }
}
