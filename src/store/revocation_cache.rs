//! The organisation's revocation cache: CRLs and OCSP answers, by issuer, shared by every admin
//! host and server that uses the store.
//!
//! ```text
//! <root>/revocation/<ISSUER-THUMBPRINT>/crl-<SHA-256 of the URL, 32 hex>.crl
//!                                       ocsp-<SERIAL>.der
//! ```
//!
//! The files are what the CA sent, unchanged: others write them too, so a reader trusts nothing
//! in them — it re-verifies each signature and date (`crate::revocation`), reads at most a fixed
//! size, and follows no symbolic link. Writers replace a file atomically; no lock is needed
//! because any verified answer is as good as another.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::checks::{self, Kind};
use super::files::{is_real_dir, same_file};
use super::{atomic, Store};
use crate::{Error, Result};

pub(super) const FOLDER: &str = "revocation";
/// The largest CRL read from the cache (as the largest fetched).
pub const MAX_CRL: u64 = 16 * 1024 * 1024;
/// The largest OCSP answer read from the cache.
pub const MAX_OCSP: u64 = 1024 * 1024;

/// The revocation cache of one store.
#[derive(Clone, Debug)]
pub struct RevocationCache {
    dir: PathBuf,
}

impl Store {
    /// The store's revocation cache (nothing is created until the first write).
    pub fn revocation_cache(&self) -> RevocationCache {
        RevocationCache {
            dir: self.root().join(FOLDER),
        }
    }
}

impl RevocationCache {
    /// The cached CRL an issuer publishes at `url`, if any.
    pub fn crl(&self, issuer_thumbprint: &str, url: &str) -> Option<Vec<u8>> {
        self.read(issuer_thumbprint, &crl_name(url), MAX_CRL)
    }

    /// The cached OCSP answer about the issuer's certificate with this serial (hex), if any.
    pub fn ocsp(&self, issuer_thumbprint: &str, serial_hex: &str) -> Option<Vec<u8>> {
        self.read(issuer_thumbprint, &ocsp_name(serial_hex)?, MAX_OCSP)
    }

    /// Keeps a verified CRL for everyone.
    pub fn put_crl(&self, issuer_thumbprint: &str, url: &str, bytes: &[u8]) -> Result<()> {
        self.write(issuer_thumbprint, &crl_name(url), bytes)
    }

    /// Keeps a verified OCSP answer for everyone.
    pub fn put_ocsp(&self, issuer_thumbprint: &str, serial_hex: &str, bytes: &[u8]) -> Result<()> {
        let name = ocsp_name(serial_hex)
            .ok_or_else(|| Error::invalid("a certificate serial is not hexadecimal"))?;
        self.write(issuer_thumbprint, &name, bytes)
    }

    fn issuer_dir(&self, issuer_thumbprint: &str) -> Option<PathBuf> {
        let ok = issuer_thumbprint.len() == 40
            && issuer_thumbprint
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b));
        ok.then(|| self.dir.join(issuer_thumbprint))
    }

    fn read(&self, issuer_thumbprint: &str, name: &str, limit: u64) -> Option<Vec<u8>> {
        let dir = self.issuer_dir(issuer_thumbprint)?;
        if !is_real_dir(&self.dir) || !is_real_dir(&dir) {
            return None;
        }
        read_capped(&dir.join(name), limit).ok()
    }

    fn write(&self, issuer_thumbprint: &str, name: &str, bytes: &[u8]) -> Result<()> {
        let dir = self
            .issuer_dir(issuer_thumbprint)
            .ok_or_else(|| Error::invalid("an issuer thumbprint is not 40 hex digits"))?;
        for d in [&self.dir, &dir] {
            if std::fs::symlink_metadata(d).is_err() {
                atomic::create_dir(d)?;
            }
            // A real folder, owned by the caller or root, that others cannot write.
            checks::require(d, Kind::SharedFolder)?;
        }
        atomic::replace_file(&dir.join(name), bytes, atomic::PUBLIC_MODE)
    }
}

fn crl_name(url: &str) -> String {
    let hash = Sha256::digest(url.as_bytes());
    format!("crl-{}.crl", &crate::cert::hex_upper(&hash)[..32])
}

fn ocsp_name(serial_hex: &str) -> Option<String> {
    let ok = !serial_hex.is_empty()
        && serial_hex.len() <= 80
        && serial_hex.bytes().all(|b| b.is_ascii_hexdigit());
    ok.then(|| format!("ocsp-{serial_hex}.der"))
}

/// Reads a regular file of at most `limit` bytes as the store reads its own files: no symbolic
/// link (`O_NOFOLLOW`), no FIFO waited on (`O_NONBLOCK`), and the file opened is the one checked.
pub fn read_capped(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let checked = std::fs::symlink_metadata(path)?;
    if !checked.file_type().is_file() {
        return Err(std::io::Error::other(
            "not a regular file (a symbolic link or a folder)",
        ));
    }
    let file = checks::read_options().open(path)?;
    let opened = file.metadata()?;
    if !same_file(&checked, &opened) {
        return Err(std::io::Error::other("replaced while it was opened"));
    }
    if opened.len() > limit {
        return Err(std::io::Error::other(format!("larger than {limit} bytes")));
    }
    let mut out = Vec::new();
    file.take(limit + 1).read_to_end(&mut out)?;
    if out.len() as u64 > limit {
        return Err(std::io::Error::other(format!("larger than {limit} bytes")));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_and_links_refused() {
        assert_eq!(ocsp_name("0A1B").as_deref(), Some("ocsp-0A1B.der"));
        assert!(ocsp_name("../x").is_none());
        assert!(crl_name("http://x/../../etc").starts_with("crl-"));
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(Some(tmp.path().to_str().unwrap())).unwrap();
        let cache = store.revocation_cache();
        let issuer = "A".repeat(40);
        assert!(cache.put_crl("../../etc", "http://x", b"x").is_err());
        cache.put_crl(&issuer, "http://x/a.crl", b"crl").unwrap();
        assert_eq!(cache.crl(&issuer, "http://x/a.crl").unwrap(), b"crl");
        cache.put_ocsp(&issuer, "0A", b"ocsp").unwrap();
        assert_eq!(cache.ocsp(&issuer, "0A").unwrap(), b"ocsp");
        // A link planted in place of an answer is not read.
        let target = tmp.path().join("elsewhere");
        std::fs::write(&target, b"planted").unwrap();
        let planted = tmp
            .path()
            .join("revocation")
            .join(&issuer)
            .join("ocsp-0B.der");
        std::os::unix::fs::symlink(&target, &planted).unwrap();
        assert!(cache.ocsp(&issuer, "0B").is_none());
        assert!(read_capped(&target, 3).is_err(), "over the limit");
        // A cache folder others could write (and so swap) is not written into.
        use std::os::unix::fs::PermissionsExt;
        let folder = tmp.path().join("revocation").join(&issuer);
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o777)).unwrap();
        let e = cache.put_ocsp(&issuer, "0C", b"ocsp").unwrap_err();
        assert!(e.message.contains("chmod go-w"), "{}", e.message);
        assert!(cache.ocsp(&issuer, "0C").is_none());
    }
}
