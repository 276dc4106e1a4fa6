//! The writer lock: one writer per server (and one for the organisation's folders) at a time.

use super::{not_found, ServerStore};
use crate::{Code, Error, Result};
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

/// The lock file writers flock, per server and at the root.
pub(super) const LOCK_FILE: &str = ".lock";

/// How long a writer waits for another writer before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(30);

/// Proof that this process is the server's only writer; released on drop.
pub struct WriteLock<'a> {
    pub(super) server: &'a ServerStore,
    _file: fs::File,
}

impl ServerStore {
    /// The writer lock, for a change to an entry that must exist: an unknown thumbprint (or
    /// server) is `NotFound` before anything is created, and the entry is checked again under
    /// the lock.
    pub fn lock_existing(&self, thumbprint: &str) -> Result<WriteLock<'_>> {
        if !self.entry_dir(thumbprint).exists() {
            return Err(not_found(&self.name, thumbprint));
        }
        let lock = self.lock()?;
        if !self.entry_dir(thumbprint).exists() {
            return Err(not_found(&self.name, thumbprint));
        }
        Ok(lock)
    }

    /// Takes the server's writer lock (waiting up to 30 s for another writer), creating the
    /// server's folders on first use and clearing what crashed writers left behind.
    pub fn lock(&self) -> Result<WriteLock<'_>> {
        super::atomic::create_dir(&self.certs_dir())?;
        let file = take_lock(&self.dir.join(LOCK_FILE), &format!("server {}", self.name))?;
        self.record_fqdn()?;
        let lock = WriteLock {
            server: self,
            _file: file,
        };
        lock.clear_leftovers()?;
        lock.repair_live();
        Ok(lock)
    }
}

/// Opens (creating) a lock file without truncating it.
pub(super) fn open_lock_file(path: &Path) -> std::io::Result<fs::File> {
    fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
}

/// Opens (creating) a lock file and takes its flock, waiting up to `LOCK_WAIT` for another
/// process; `what` names the locked thing in the error.
pub(super) fn take_lock(path: &Path, what: &str) -> Result<fs::File> {
    let file = open_lock_file(path).map_err(|e| Error::io("open the lock file", path, e))?;
    let start = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(fs::TryLockError::WouldBlock) if start.elapsed() < LOCK_WAIT => std::thread::sleep(Duration::from_millis(20)),
            Err(fs::TryLockError::WouldBlock) => {
                return Err(Error::new(
                    Code::StoreLocked,
                    format!("another process has held the lock of {what} for {} s: wait for it to finish, or end it if it hangs", LOCK_WAIT.as_secs()),
                ))
            }
            Err(fs::TryLockError::Error(e)) => return Err(Error::io("lock", path, e)),
        }
    }
}
