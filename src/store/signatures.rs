//! Leaf signatures already verified (`cert::chain::VerifiedIssuers`), kept at the store's root
//! for every listing after: `signatures`, the SHA-256 keys of good signature checks, sorted.
//! Whoever can write this file could make a forged certificate look well signed, so it is used
//! only when it passes the check every store file does (a regular file that only the caller or
//! root owns and others cannot write, `checks`); else listings verify every signature again
//! and warn about it (`permission_warnings`). A missing, damaged or foreign file costs time,
//! never a wrong status.

use super::checks::{self, Kind};
use super::files::read_optional;
use super::{atomic, Store};
use crate::cert::chain::SignatureKey;
use std::collections::HashSet;
use std::path::PathBuf;

/// The file's name at the store's root.
pub(super) const SIGNATURES_FILE: &str = "signatures";
/// Version 2 keys a signature by the issuer's digest (`cert::chain::signature_key`); a file of
/// version 1 is not used, and the next listing writes version 2.
const MAGIC: &[u8] = b"excert-signatures-2\n";
/// At most this many keys (32 bytes each) are kept: 10,000 certificates take 320 KB.
pub const MAX_REMEMBERED_SIGNATURES: usize = 200_000;

impl Store {
    fn signatures_path(&self) -> PathBuf {
        self.root().join(SIGNATURES_FILE)
    }

    /// The remembered good leaf signatures; none when the file is absent, damaged, or could
    /// have been written by others.
    pub fn remembered_signatures(&self) -> HashSet<SignatureKey> {
        let path = self.signatures_path();
        if checks::problem(&path, Kind::File).is_some() {
            return HashSet::new();
        }
        let Some(bytes) = read_optional(&path).ok().flatten() else {
            return HashSet::new();
        };
        // Checked again once read: a file swapped for a foreign one meanwhile is not used.
        if checks::problem(&path, Kind::File).is_some() {
            return HashSet::new();
        }
        match bytes.strip_prefix(MAGIC) {
            Some(keys) if keys.len() % 32 == 0 && keys.len() / 32 <= MAX_REMEMBERED_SIGNATURES => {
                keys.chunks_exact(32)
                    .filter_map(|k| k.try_into().ok())
                    .collect()
            }
            _ => HashSet::new(),
        }
    }

    /// Keeps `keys` for the next listings; best effort (a reader that cannot write the store
    /// still gets its answer, the next listing only verifies again).
    pub fn remember_signatures(&self, keys: &[SignatureKey]) {
        // As a writer would: never into a root others could write (or tamper with).
        if !self.root().is_dir() || checks::require_root(self.root()).is_err() {
            return;
        }
        let mut bytes = Vec::with_capacity(MAGIC.len() + keys.len() * 32);
        bytes.extend_from_slice(MAGIC);
        for k in keys.iter().take(MAX_REMEMBERED_SIGNATURES) {
            bytes.extend_from_slice(k);
        }
        let _ = atomic::replace_file(&self.signatures_path(), &bytes, atomic::PUBLIC_MODE);
    }
}
