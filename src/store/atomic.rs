//! Crash-safe file replacement: temp file in the same folder, fsync, rename, fsync the folder.

use crate::{Error, Result};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// File mode for secrets (private keys).
pub const SECRET_MODE: u32 = 0o600;
/// File mode for everything else.
pub const PUBLIC_MODE: u32 = 0o644;
/// Folder mode of the store.
pub const DIR_MODE: u32 = 0o700;

/// Prefix of temporary names; a writer holding the lock removes leftovers with it.
pub const TEMP_PREFIX: &str = ".tmp-";

/// The tags of temporary names, one per kind of thing written: only names made of these are
/// swept (`.tmp-<tag>-<32 hex>`, or `.tmp-<tag>-<pid>-<n>` from earlier versions).
pub const TEMP_TAGS: [&str; 7] = [
    "file",
    "generation",
    "entry",
    "removed",
    "live",
    "link",
    "reload",
];

/// A name for a temporary sibling in `dir` that no one can predict: `.tmp-<tag>-` and 128
/// random bits from the operating system, so no one can plant a file or link there first.
pub fn temp_name(dir: &Path, tag: &str) -> PathBuf {
    debug_assert!(TEMP_TAGS.contains(&tag));
    let suffix = crate::platform::random_hex();
    dir.join(format!("{TEMP_PREFIX}{tag}-{suffix}"))
}

/// True for the temporary names the store makes (and made before names were random).
pub fn is_temp_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix(TEMP_PREFIX) else {
        return false;
    };
    TEMP_TAGS.iter().any(|tag| {
        rest.strip_prefix(tag)
            .and_then(|r| r.strip_prefix('-'))
            .is_some_and(|suffix| {
                let random = suffix.len() == 32 && suffix.bytes().all(|b| b.is_ascii_hexdigit());
                let old = suffix.split_once('-').is_some_and(|(pid, n)| {
                    [pid, n]
                        .iter()
                        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                });
                random || old
            })
    })
}

/// Writes a new file with `mode`, flushed to disk. It is created, never opened: an existing
/// file or a symlink at `path` makes it fail (`O_CREAT|O_EXCL`, `O_NOFOLLOW`), and it is 0600
/// until its content is written.
pub fn write_new(path: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    let mut f = create_new(path)?;
    f.write_all(bytes)
        .map_err(|e| Error::io("write", path, e))?;
    set_mode(&f, path, mode)?;
    f.sync_all().map_err(|e| Error::io("flush", path, e))
}

/// Files and folders written but not flushed yet, flushed together by `flush` before the one
/// rename that publishes them. The fsyncs run at once, each on its own thread: a journaling
/// file system commits them in one go, so an entry of several files waits for about one
/// flush instead of one per file (docs/performance.md has the figures).
#[derive(Default)]
pub struct Unflushed {
    items: Vec<(File, PathBuf)>,
}

/// At most this many files are open and flushed at once (an import may keep a long chain).
const FLUSHED_AT_ONCE: usize = 16;

impl Unflushed {
    /// Writes a new file as `write_new` does, except for the flush.
    pub fn write_new(&mut self, path: &Path, bytes: &[u8], mode: u32) -> Result<()> {
        let mut f = create_new(path)?;
        f.write_all(bytes)
            .map_err(|e| Error::io("write", path, e))?;
        set_mode(&f, path, mode)?;
        self.push(f, path)
    }

    /// Adds a folder whose entries (the names created in it) must reach the disk.
    pub fn add_dir(&mut self, dir: &Path) -> Result<()> {
        #[cfg(unix)]
        {
            let d = File::open(dir).map_err(|e| Error::io("flush folder", dir, e))?;
            self.push(d, dir)?;
        }
        #[cfg(not(unix))]
        let _ = dir;
        Ok(())
    }

    fn push(&mut self, f: File, path: &Path) -> Result<()> {
        self.items.push((f, path.to_path_buf()));
        if self.items.len() >= FLUSHED_AT_ONCE {
            flush_together(std::mem::take(&mut self.items))?;
        }
        Ok(())
    }

    /// Flushes everything added; returns when all of it is on disk, or the first failure.
    pub fn flush(self) -> Result<()> {
        flush_together(self.items)
    }
}

/// fsyncs the files at once (one on this thread, the others each on a thread of their own);
/// the first failure is returned after all ended.
fn flush_together(items: Vec<(File, PathBuf)>) -> Result<()> {
    let sync = |(f, path): &(File, PathBuf)| f.sync_all().map_err(|e| Error::io("flush", path, e));
    let Some((first, rest)) = items.split_first() else {
        return Ok(());
    };
    std::thread::scope(|scope| {
        let mut result = Ok(());
        let mut others = Vec::with_capacity(rest.len());
        for item in rest {
            // No thread to be had (a process limit): that file is flushed here instead.
            match std::thread::Builder::new().spawn_scoped(scope, move || sync(item)) {
                Ok(handle) => others.push(handle),
                Err(_) => result = result.and(sync(item)),
            }
        }
        result = result.and(sync(first));
        for handle in others {
            let done = handle.join().unwrap_or_else(|_| {
                Err(Error::new(
                    crate::Code::StoreIo,
                    "a thread flushing the store's files panicked",
                ))
            });
            result = result.and(done);
        }
        result
    })
}

/// Creates `path` 0600 for writing; fails when anything (a file, a symlink) is there.
pub(super) fn create_new(path: &Path) -> Result<File> {
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, SECRET_MODE);
    super::checks::no_follow(&mut opts)
        .open(path)
        .map_err(|e| Error::io("create", path, e))
}

/// Gives an open file its final mode (through the descriptor, so no path is followed).
pub(super) fn set_mode(f: &File, path: &Path, mode: u32) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if mode != SECRET_MODE {
            f.set_permissions(fs::Permissions::from_mode(mode))
                .map_err(|e| Error::io("set the mode of", path, e))?;
        }
    }
    #[cfg(not(unix))]
    let _ = (f, path, mode);
    Ok(())
}

/// An open, already unlinked file in `dir`, for output nobody else should find by name.
pub fn anonymous_file(dir: &Path, tag: &str) -> Result<File> {
    let path = temp_name(dir, tag);
    let mut opts = OpenOptions::new();
    opts.read(true).write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, SECRET_MODE);
    let f = super::checks::no_follow(&mut opts)
        .open(&path)
        .map_err(|e| Error::io("create", &path, e))?;
    let _ = fs::remove_file(&path);
    Ok(f)
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

/// Creates a folder (and parents) with the store's folder mode. Each folder it makes is
/// flushed into its parent (those fsyncs at once): an entry later written into a new server's
/// folder must not vanish with that folder after a power cut. Nothing is flushed when the
/// folder was there already, the usual case. True when it made any folder.
pub fn create_dir(path: &Path) -> Result<bool> {
    let mut missing = Vec::new();
    let mut at = path;
    while fs::symlink_metadata(at).is_err() {
        missing.push(at);
        match at.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => at = parent,
            _ => break,
        }
    }
    let made = !missing.is_empty();
    let mut unflushed = Unflushed::default();
    for dir in missing.into_iter().rev() {
        // Another writer may have made it in the meantime: flushed here all the same, since
        // this writer's answer must not depend on that one's flush.
        if let Err(e) = create_new_dir(dir) {
            if !fs::metadata(dir).is_ok_and(|m| m.is_dir()) {
                return Err(e);
            }
        }
        let parent = dir.parent().filter(|p| !p.as_os_str().is_empty());
        unflushed.add_dir(parent.unwrap_or(Path::new(".")))?;
    }
    unflushed.flush()?;
    Ok(made)
}

/// Creates a new folder (not its parents) with the store's folder mode; fails when anything
/// is there already, so a planted folder or symlink is never written into.
pub fn create_new_dir(path: &Path) -> Result<()> {
    let mut b = fs::DirBuilder::new();
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
            let mut opts = OpenOptions::new();
            if let Ok(mut f) = super::checks::no_follow(opts.write(true)).open(path) {
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
pub(super) fn single_link(meta: &fs::Metadata) -> bool {
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
