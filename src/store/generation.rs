//! The server's generation: the counter writers move around each change (the writer side of
//! the seqlock `listing` reads). Its value is the size of the file `changes`, which holds no
//! data: a writer grows the file in place (`ftruncate`), which readers see at once and whole,
//! and which writes no data block. Replacing a file that holds data by rename made ext4 (its
//! `auto_da_alloc`) start writing that data back inside `rename(2)`, twice per change
//! (docs/performance.md, `bench/bump_floor.c`).

use super::checks::{self, Kind};
use super::files::{open_regular, same_file};
use super::lock::WriteLock;
use super::{atomic, ServerStore};
use crate::{Error, Result};
use std::fs::{self, File};
use std::path::{Path, PathBuf};

/// The counter's file in a server's folder.
pub(super) const GENERATION_FILE: &str = "changes";

/// Earlier versions' counter: its value in text, replaced by rename. Never read (a text of odd
/// length would read as a change in progress, and make every listing wait and skip the index
/// until the next change); the first writer that makes `changes` removes it (only the name: a
/// symlink there is not followed).
const LEGACY_GENERATION_FILE: &str = "generation";

impl ServerStore {
    pub(super) fn generation_path(&self) -> PathBuf {
        self.dir.join(GENERATION_FILE)
    }

    /// The server's generation: writers make it odd before they add or remove an entry and
    /// even again after, so a reader can tell whether its pass saw one state of the folders.
    /// 0 when there is none, or when something other than a regular file is there.
    pub(super) fn generation(&self) -> u64 {
        // The size from the open file (on NFS an open fetches the file's current attributes,
        // a plain `lstat` may answer from the client's cache), never through a symlink.
        open_regular(&self.generation_path())
            .ok()
            .flatten()
            .map_or(0, |(_, meta)| meta.len())
    }
}

impl WriteLock<'_> {
    /// Moves the generation on by one. Not flushed to disk: it only tells concurrent readers
    /// that the folders changed, and after a crash the index records are still checked
    /// against the folders. The value read when the lock was taken is moved on, not the file
    /// read again: no one else writes it under the lock.
    pub(super) fn bump_generation(&self) -> Result<()> {
        let next = self.generation.get() + 1;
        let path = self.server.generation_path();
        if !grow_in_place(&path, next) {
            replace(&path, next)?;
            let _ = fs::remove_file(self.server.dir.join(LEGACY_GENERATION_FILE));
        }
        self.generation.set(next);
        Ok(())
    }
}

/// Grows the file at `path` to `size` in place, if it is the store's own: a regular file
/// (no symlink followed, nothing else opened), owned by the caller or root and writable by no
/// one else, with no other name (a hard link planted there would make us change another
/// file), and smaller than `size`. False when it is not, or the change failed: the caller
/// then replaces it.
fn grow_in_place(path: &Path, size: u64) -> bool {
    let Ok(checked) = fs::symlink_metadata(path) else {
        return false;
    };
    if !checked.file_type().is_file() {
        return false;
    }
    let mut opts = fs::OpenOptions::new();
    opts.write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut opts,
        (rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK).bits() as i32,
    );
    let Ok(file) = opts.open(path) else {
        return false;
    };
    let Ok(opened) = file.metadata() else {
        return false;
    };
    let ours = same_file(&checked, &opened)
        && atomic::single_link(&opened)
        && checks::problem_of(path, &opened, Kind::File).is_none()
        && opened.len() < size;
    ours && file.set_len(size).is_ok()
}

/// Replaces whatever is at `path` with a new file of `size` bytes and no data, by rename
/// (what is there is never opened or changed: only its name is taken).
fn replace(path: &Path, size: u64) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = atomic::temp_name(dir, "generation");
    let made = atomic::create_new(&tmp).and_then(|f| sized(f, &tmp, size));
    let moved =
        made.and_then(|_| fs::rename(&tmp, path).map_err(|e| Error::io("replace", path, e)));
    if moved.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    moved
}

/// Gives a new file its size and the store's public mode.
fn sized(f: File, path: &Path, size: u64) -> Result<()> {
    f.set_len(size).map_err(|e| Error::io("write", path, e))?;
    atomic::set_mode(&f, path, atomic::PUBLIC_MODE)
}
