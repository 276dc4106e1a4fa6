//! Crash-safe file replacement: temp file in the same folder, fsync, rename, fsync the folder.

use crate::{Error, Result};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// File mode for secrets (private keys).
pub const SECRET_MODE: u32 = 0o600;
/// File mode for everything else.
pub const PUBLIC_MODE: u32 = 0o644;
/// Folder mode of the store.
pub const DIR_MODE: u32 = 0o700;

/// Prefix of temporary names; a writer holding the lock removes leftovers with it.
pub const TEMP_PREFIX: &str = ".tmp-";

/// A name for a temporary sibling of `path`, unique in this process and across processes.
pub fn temp_name(dir: &Path, tag: &str) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    dir.join(format!("{TEMP_PREFIX}{tag}-{}-{n}", std::process::id()))
}

/// Writes a new file with `mode`, flushed to disk.
pub fn write_new(path: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, mode);
    #[cfg(not(unix))]
    let _ = mode;
    let mut f = opts.open(path).map_err(|e| Error::io("create", path, e))?;
    f.write_all(bytes)
        .map_err(|e| Error::io("write", path, e))?;
    f.sync_all().map_err(|e| Error::io("flush", path, e))
}

/// Replaces `path` atomically with `bytes`: readers see the old or the new file, never a mix.
pub fn replace_file(path: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = temp_name(dir, "file");
    write_new(&tmp, bytes, mode)?;
    if let Err(e) = fs::rename(&tmp, path) {
        let _ = fs::remove_file(&tmp);
        return Err(Error::io("replace", path, e));
    }
    sync_dir(dir)
}

/// Flushes a folder's entries (the renames in it) to disk.
pub fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| Error::io("flush folder", dir, e))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Creates a folder (and parents) with the store's folder mode.
pub fn create_dir(path: &Path) -> Result<()> {
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, DIR_MODE);
    b.create(path)
        .map_err(|e| Error::io("create folder", path, e))
}

/// Overwrites a file with zeros before removing it, so a deleted key leaves no readable blocks
/// behind on simple file systems. Only a regular file with one link, in a real folder, is
/// overwritten: a symlink or a hard link planted in the store would make us zero another file.
/// Whatever it is, the name itself is removed (it is inside the store).
pub fn shred(path: &Path) {
    let parent_real = path
        .parent()
        .and_then(|p| fs::symlink_metadata(p).ok())
        .is_some_and(|m| m.file_type().is_dir());
    if !parent_real {
        return;
    }
    if let Ok(checked) = fs::symlink_metadata(path) {
        if checked.file_type().is_file() && single_link(&checked) {
            if let Ok(mut f) = OpenOptions::new().write(true).open(path) {
                let same = f
                    .metadata()
                    .is_ok_and(|m| super::files::same_file(&checked, &m));
                if same {
                    let _ = f.write_all(&vec![0u8; checked.len() as usize]);
                    let _ = f.sync_all();
                }
            }
        }
    }
    let _ = fs::remove_file(path);
}

/// True when no other name points at the file's data.
fn single_link(meta: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        std::os::unix::fs::MetadataExt::nlink(meta) == 1
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        true
    }
}
