//! The writer lock: one writer per server (and one for the organisation's folders) at a time.

use super::checks::{self, Kind};
use super::{not_found, ServerStore};
use crate::{Code, Error, Result};
use std::cell::{Cell, RefCell};
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
    /// Services whose live files the crash repair switched, not yet reloaded.
    pub(super) repaired: RefCell<Vec<&'static str>>,
    /// The server's generation, read once when the lock was taken: under the lock only this
    /// writer changes it, so the seqlock's bumps need not read it back.
    pub(super) generation: Cell<u64>,
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
        checks::require(&self.entry_dir(thumbprint), Kind::KeyFolder)?;
        Ok(lock)
    }

    /// Takes the server's writer lock (waiting up to 30 s for another writer), creating the
    /// server's folders on first use and clearing what crashed writers left behind.
    pub fn lock(&self) -> Result<WriteLock<'_>> {
        // Checked before folders are made in them, and again after any was made.
        self.require_private_folders()?;
        if super::atomic::create_dir(&self.certs_dir())? {
            self.require_private_folders()?;
        }
        let file = take_lock(&self.dir.join(LOCK_FILE), &format!("server {}", self.name))?;
        self.record_fqdn()?;
        let lock = WriteLock {
            server: self,
            _file: file,
            repaired: RefCell::new(Vec::new()),
            generation: Cell::new(self.generation()),
        };
        lock.clear_leftovers()?;
        lock.repair_live();
        Ok(lock)
    }
}

impl ServerStore {
    /// The folders a writer writes in: real folders owned by the caller or root, which others
    /// cannot write (the root and `servers/`) or enter (the server's own); an error with the
    /// fix otherwise. Missing ones are made later.
    fn require_private_folders(&self) -> Result<()> {
        let servers = self.dir.parent().unwrap_or(Path::new("."));
        if let Some(root) = servers.parent() {
            checks::require_root(root)?;
        }
        checks::require(servers, Kind::SharedFolder)?;
        for dir in [self.dir.clone(), self.certs_dir(), self.live_dir()] {
            checks::require(&dir, Kind::KeyFolder)?;
        }
        Ok(())
    }
}

/// Opens (creating) a lock file without truncating it and without following a symlink; only
/// a regular file is locked.
pub(super) fn open_lock_file(path: &Path) -> std::io::Result<fs::File> {
    let mut opts = fs::OpenOptions::new();
    opts.create(true).truncate(false).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let file = checks::no_follow(&mut opts).open(path)?;
    if !file.metadata()?.file_type().is_file() {
        return Err(std::io::Error::other(
            "not a regular file: remove it, the next writer makes a new one",
        ));
    }
    Ok(file)
}

/// Opens (creating) a lock file and takes its flock, waiting up to `LOCK_WAIT` for another
/// process; `what` names the locked thing in the error.
pub(super) fn take_lock(path: &Path, what: &str) -> Result<fs::File> {
    // Who may write the lock file matters not (it holds nothing); a symlink does.
    checks::require_type(path, Kind::File)?;
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
