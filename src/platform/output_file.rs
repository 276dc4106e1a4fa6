//! Files the caller names for an operation's output (an export's `FileName`, a request's
//! `RequestFile`): written whole or not at all, born with their final mode, never through a
//! symbolic link.

use crate::{Code, Error, Result};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The mode of a file holding a private key (a PFX): readable by its owner only.
pub const OWNER_ONLY: u32 = 0o600;
/// The mode of a file without a secret (a certificate, a request).
pub const READABLE: u32 = 0o644;

/// A file being written: a temporary sibling of the destination that `commit` fills, flushes
/// and renames over it. Dropped uncommitted, the temporary file goes and the destination is as
/// it was. Creating one first checks everything that can be checked before the bytes exist, so
/// a caller can refuse a bad path before changing anything.
pub struct OutputFile {
    destination: PathBuf,
    folder: PathBuf,
    /// Set until the rename: what `Drop` removes.
    temporary: Option<(PathBuf, File)>,
}

impl OutputFile {
    /// Checks `destination` (not a link, not a folder, in a folder that exists) and creates the
    /// temporary file beside it with `mode` (`OWNER_ONLY` or `READABLE`) from the start.
    pub fn create(destination: &Path, mode: u32) -> Result<OutputFile> {
        let Some(name) = destination.file_name() else {
            return Err(not_written(
                destination,
                "it does not end in a file name. Give the path of the file to write",
            ));
        };
        let folder = match destination.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        match fs::metadata(&folder) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(not_written(
                    destination,
                    &format!("'{}' is not a folder. Give a path in a folder that exists", folder.display()),
                ))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(not_written(
                    destination,
                    &format!("the folder '{}' does not exist. Create it first, or give a path in a folder that exists", folder.display()),
                ))
            }
            Err(e) => return Err(not_written(destination, &format!("{e}. Give a path in a folder you can write to"))),
        }
        check_destination(destination)?;
        let temporary = folder.join(format!(
            ".{}.tmp-{}",
            name.to_string_lossy(),
            super::random_hex()
        ));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options
                .mode(mode)
                .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
        }
        #[cfg(not(unix))]
        let _ = mode;
        let file = options.open(&temporary).map_err(|e| {
            not_written(
                destination,
                &format!("{e}. Give a path in a folder you can write to"),
            )
        })?;
        Ok(OutputFile {
            destination: destination.to_path_buf(),
            folder,
            temporary: Some((temporary, file)),
        })
    }

    /// Writes `bytes`, flushes them, renames the file over the destination (replacing a file
    /// there) and flushes the folder, so after a crash the destination is the old file or the
    /// whole new one.
    pub fn commit(mut self, bytes: &[u8]) -> Result<()> {
        let Some((temporary, mut file)) = self.temporary.take() else {
            return Err(Error::new(
                Code::Internal,
                "an output file was committed twice",
            ));
        };
        let fail = |e: std::io::Error| not_written(&self.destination, &format!("{e}"));
        let written = file
            .write_all(bytes)
            .and_then(|_| file.sync_all())
            .map_err(fail)
            // Again: a link made at the destination since `create` is refused too.
            .and_then(|_| check_destination(&self.destination))
            .and_then(|_| fs::rename(&temporary, &self.destination).map_err(fail));
        drop(file);
        if let Err(e) = written {
            let _ = fs::remove_file(&temporary);
            return Err(e);
        }
        #[cfg(unix)]
        File::open(&self.folder)
            .and_then(|d| d.sync_all())
            .map_err(fail)?;
        Ok(())
    }
}

impl Drop for OutputFile {
    fn drop(&mut self) {
        if let Some((temporary, file)) = self.temporary.take() {
            drop(file);
            let _ = fs::remove_file(temporary);
        }
    }
}

/// Writes `bytes` to `destination` as `OutputFile` does, in one call.
pub fn write(destination: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    OutputFile::create(destination, mode)?.commit(bytes)
}

/// A destination is replaced only when it is a regular file or nothing: a link would make the
/// write land elsewhere (or, renamed over, vanish), and a folder or device is a mistake.
fn check_destination(destination: &Path) -> Result<()> {
    let Ok(meta) = fs::symlink_metadata(destination) else {
        return Ok(());
    };
    let kind = meta.file_type();
    let why = if kind.is_symlink() {
        "it is a symbolic link, and links are not followed (the file it points to stays as it is). Give the path of the file itself, or remove the link first"
    } else if kind.is_dir() {
        "it is a folder. Give the path of a file in it"
    } else if !kind.is_file() {
        "it is not a regular file (a device, a pipe or a socket). Give the path of a file"
    } else {
        return Ok(());
    };
    Err(not_written(destination, why))
}

fn not_written(path: &Path, why: &str) -> Error {
    Error::new(
        Code::FileNotWritten,
        format!("'{}' could not be written: {why}.", path.display()),
    )
}
