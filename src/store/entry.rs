//! A stored entry (certificate or pending request) and reading it from its folder.

use super::checks::{self, Kind};
use super::files::{exposed, exposed_error, list_dir, not_regular, read_optional};
use super::metadata::Metadata;
use super::ServerStore;
use crate::cert::inspect::CertificateInfo;
use crate::cert::keys::PrivateKey;
use crate::{Code, Error, Result};
use std::fs;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

pub(super) const CERTIFICATE_FILE: &str = "certificate.der";
pub(super) const REQUEST_FILE: &str = "request.p10";
pub(super) const KEY_FILE: &str = "key.p8";
pub(super) const CHAIN_DIR: &str = "chain";
pub(super) const ENTRY_FILE: &str = "entry";

/// A stored certificate or pending request, without its private key.
#[derive(Clone, Debug)]
pub struct Entry {
    pub thumbprint: String,
    /// DER certificate; `None` for a pending request.
    pub certificate: Option<Vec<u8>>,
    /// DER PKCS#10, for pending requests.
    pub request: Option<Vec<u8>>,
    pub has_private_key: bool,
    /// Set when the key file can be read by others than its owner (Unix mode bits 077).
    pub key_file_exposed: Option<PathBuf>,
    /// Issuer certificates kept with the entry, leaf's issuer first.
    pub chain: Vec<Vec<u8>>,
    pub metadata: Metadata,
    /// What the certificate says, when the listing index had it read already.
    pub certificate_info: Option<CertificateInfo>,
}

/// What a writer adds.
pub struct NewEntry<'a> {
    /// Thumbprint of the certificate, or the entry id of a pending request.
    pub thumbprint: &'a str,
    pub certificate: Option<&'a [u8]>,
    pub request: Option<&'a [u8]>,
    pub private_key: Option<&'a PrivateKey>,
    pub chain: &'a [Vec<u8>],
    pub metadata: Metadata,
}

impl NewEntry<'_> {
    /// The entry as a reader finds it once `WriteLock::add` wrote it: the answer of the
    /// operation that made it comes from memory, not from reading back the files just written
    /// (the key file is made 0600, so it is not exposed).
    pub fn as_stored(&self) -> Entry {
        Entry {
            thumbprint: self.thumbprint.to_string(),
            certificate: self.certificate.map(<[u8]>::to_vec),
            request: self.request.map(<[u8]>::to_vec),
            has_private_key: self.private_key.is_some(),
            key_file_exposed: None,
            chain: self.chain.to_vec(),
            metadata: self.metadata.clone(),
            certificate_info: None,
        }
    }
}

impl ServerStore {
    /// One entry by (normalised) thumbprint: opens one folder, no scan.
    pub fn get(&self, thumbprint: &str) -> Result<Option<Entry>> {
        self.require_real_folders()?;
        self.read_entry(thumbprint, &self.entry_dir(thumbprint))
    }

    /// Reads an entry without a lock. A removal renames the folder away at any moment; a reader
    /// that loses that race sees the entry as gone, not as damaged. A folder that exists again
    /// (the thumbprint imported anew) is read once more.
    pub(super) fn read_entry(&self, thumbprint: &str, dir: &Path) -> Result<Option<Entry>> {
        let gone = |r: Result<Option<Entry>>| match r {
            Err(_) if !dir.exists() => Ok(None),
            other => other,
        };
        match gone(self.read_entry_once(thumbprint, dir)) {
            Err(_) => gone(self.read_entry_once(thumbprint, dir)),
            ok => ok,
        }
    }

    fn read_entry_once(&self, thumbprint: &str, dir: &Path) -> Result<Option<Entry>> {
        // A symlinked entry or chain folder could show any folder the caller can read.
        for d in [dir.to_path_buf(), dir.join(CHAIN_DIR)] {
            if fs::symlink_metadata(&d).is_ok_and(|m| !m.file_type().is_dir()) {
                return Err(not_regular(&d));
            }
        }
        let entry_path = dir.join(ENTRY_FILE);
        let Some(meta_bytes) = read_optional(&entry_path)? else {
            return Ok(None);
        };
        let metadata = Metadata::decode(
            &String::from_utf8_lossy(&meta_bytes),
            &entry_path.display().to_string(),
        )?;
        let certificate = read_optional(&dir.join(CERTIFICATE_FILE))?;
        let key_meta = fs::symlink_metadata(dir.join(KEY_FILE)).ok();
        let request = read_optional(&dir.join(REQUEST_FILE))?;
        if certificate.is_none() && request.is_none() {
            return Err(Error::new(
                Code::StoreCorrupt,
                format!(
                    "{} has neither a certificate nor a request: remove that folder",
                    dir.display()
                ),
            ));
        }
        let mut chain_names = list_dir(&dir.join(CHAIN_DIR))?;
        chain_names.sort_by_key(|n| {
            n.trim_end_matches(".der")
                .parse::<u32>()
                .unwrap_or(u32::MAX)
        });
        let chain = chain_names
            .iter()
            .map(|n| {
                let p = dir.join(CHAIN_DIR).join(n);
                read_optional(&p)?
                    .ok_or_else(|| Error::io("read", &p, std::io::ErrorKind::NotFound.into()))
            })
            .collect::<Result<_>>()?;
        Ok(Some(Entry {
            thumbprint: thumbprint.to_string(),
            certificate,
            request,
            has_private_key: key_meta.is_some(),
            key_file_exposed: key_meta
                .filter(|m| checks::problem_of(&dir.join(KEY_FILE), m, Kind::Secret).is_some())
                .map(|_| dir.join(KEY_FILE)),
            chain,
            metadata,
            certificate_info: None,
        }))
    }

    /// The key file's path when others than its owner can read it; checked on every listing
    /// (the index does not keep it: a `chmod` changes no generation).
    pub(super) fn exposed_key_file(&self, thumbprint: &str) -> Option<PathBuf> {
        let path = self.entry_dir(thumbprint).join(KEY_FILE);
        checks::problem(&path, Kind::Secret).map(|_| path)
    }

    /// The private key of an entry, if it has one. A key file others can read is refused
    /// until its permissions are fixed: it may already have leaked, and must not spread further.
    pub fn private_key(&self, thumbprint: &str) -> Result<Option<PrivateKey>> {
        let path = self.entry_dir(thumbprint).join(KEY_FILE);
        if let Some(why) = checks::problem(&path, Kind::Secret) {
            if fs::symlink_metadata(&path).is_ok_and(|m| m.is_file() && exposed(&m)) {
                return Err(exposed_error(&path));
            }
            return Err(checks::refused(format!(
                "{why}; until then the key is not used or exported"
            )));
        }
        match read_optional(&path)? {
            Some(bytes) => PrivateKey::from_pkcs8(&Zeroizing::new(bytes)).map(Some),
            None => Ok(None),
        }
    }
}
