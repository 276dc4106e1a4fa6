//! The writer's changes, made under the lock: add an entry, set the assignments, remove an entry.

use super::entry::{NewEntry, CERTIFICATE_FILE, CHAIN_DIR, ENTRY_FILE, KEY_FILE, REQUEST_FILE};
use super::lock::WriteLock;
use super::{atomic, not_found, Assignments, SECRET_MODE};
use crate::{Code, Error, Result};
use std::fs;

impl WriteLock<'_> {
    /// Runs `change` with the generation odd around it (the writer side of the seqlock).
    fn changing<T>(&self, change: impl FnOnce() -> Result<T>) -> Result<T> {
        self.bump_generation()?;
        let out = change();
        self.bump_generation()?;
        out
    }

    /// Adds an entry atomically: it is built under a temporary name and renamed into place.
    pub fn add(&self, new: &NewEntry) -> Result<()> {
        let dest = self.server.entry_dir(new.thumbprint);
        if dest.exists() {
            return Err(Error::new(Code::AlreadyExists, format!(
                "server {} already has a certificate with thumbprint {}: use it, or remove it first with Remove-ExchangeCertificate",
                self.server.name, new.thumbprint
            )));
        }
        let tmp = atomic::temp_name(&self.server.certs_dir(), "entry");
        atomic::create_new_dir(&tmp)?;
        let written = (|| {
            // Everything is written first and flushed together, then published by one rename.
            let mut unflushed = atomic::Unflushed::default();
            if let Some(c) = new.certificate {
                unflushed.write_new(&tmp.join(CERTIFICATE_FILE), c, atomic::PUBLIC_MODE)?;
            }
            if let Some(r) = new.request {
                unflushed.write_new(&tmp.join(REQUEST_FILE), r, atomic::PUBLIC_MODE)?;
            }
            if let Some(k) = new.private_key {
                unflushed.write_new(&tmp.join(KEY_FILE), k.pkcs8(), SECRET_MODE)?;
            }
            if !new.chain.is_empty() {
                atomic::create_new_dir(&tmp.join(CHAIN_DIR))?;
                for (i, c) in new.chain.iter().enumerate() {
                    unflushed.write_new(
                        &tmp.join(CHAIN_DIR).join(format!("{i}.der")),
                        c,
                        atomic::PUBLIC_MODE,
                    )?;
                }
                unflushed.add_dir(&tmp.join(CHAIN_DIR))?;
            }
            // The entry file is written last: a folder without it is never a valid entry.
            unflushed.write_new(
                &tmp.join(ENTRY_FILE),
                new.metadata.encode().as_bytes(),
                atomic::PUBLIC_MODE,
            )?;
            unflushed.add_dir(&tmp)?;
            // All of it is on disk before the rename can be: a crash never publishes less.
            unflushed.flush()?;
            self.changing(|| {
                fs::rename(&tmp, &dest).map_err(|e| Error::io("move into place", &dest, e))
            })?;
            atomic::sync_dir(&self.server.certs_dir())
        })();
        if written.is_err() {
            self.clear_leftovers()?;
        }
        written
    }

    /// Replaces the server's service assignments atomically, then brings the live files in
    /// line and runs the reload command of each service whose files changed. Returns warnings
    /// (failed reloads: the assignment stands).
    pub fn set_assignments(&self, a: &Assignments) -> Result<Vec<String>> {
        let staged = self.server.stage_live(a)?;
        atomic::replace_file(
            &self.server.assignments_path(),
            a.encode().as_bytes(),
            atomic::PUBLIC_MODE,
        )?;
        let mut changed = self.server.switch_live(staged)?;
        // Services the lock's crash repair switched are reloaded now too.
        for service in self.repaired.take() {
            if !changed.contains(&service) {
                changed.push(service);
            }
        }
        Ok(self.server.reload_changed(&changed))
    }

    /// Removes an entry: it vanishes at once (renamed away), then its key is overwritten and deleted.
    pub fn remove(&self, thumbprint: &str) -> Result<()> {
        let dir = self.server.entry_dir(thumbprint);
        if !dir.exists() {
            return Err(not_found(&self.server.name, thumbprint));
        }
        let doomed = atomic::temp_name(&self.server.certs_dir(), "removed");
        self.changing(|| fs::rename(&dir, &doomed).map_err(|e| Error::io("remove", &dir, e)))?;
        atomic::sync_dir(&self.server.certs_dir())?;
        atomic::shred(&doomed.join(KEY_FILE));
        fs::remove_dir_all(&doomed).map_err(|e| Error::io("delete", &doomed, e))
    }
}
