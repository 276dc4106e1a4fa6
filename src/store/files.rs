//! Reading the store's files and folders, and judging their permissions.

use crate::{Code, Error, Result};
use std::fs;
use std::io::Read;
use std::path::Path;

/// The largest store file read (the index of a server with many thousand entries is the
/// largest the store writes); a bigger one was not written by the store.
const MAX_STORE_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// The names in a folder (not `.` and `..`); a missing folder is empty.
pub(super) fn list_dir(dir: &Path) -> Result<Vec<String>> {
    match fs::read_dir(dir) {
        Ok(rd) => Ok(rd
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().into_string().ok())
            .collect()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(Error::io("list", dir, e)),
    }
}

/// The regular file at `path`, opened for reading with its metadata, or `None` when it does
/// not exist. Others may write the store: a symlink (which could point at any file the caller
/// can read) or anything but a regular file is refused, and the file opened must be the one
/// checked (no swap in between).
pub(super) fn open_regular(path: &Path) -> Result<Option<(fs::File, fs::Metadata)>> {
    // Writers replace small files by rename: a file swapped between the check and the open is
    // checked again, a few times, before it counts as planted.
    for _ in 0..3 {
        let checked = match fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io("read", path, e)),
        };
        if !checked.file_type().is_file() {
            return Err(not_regular(path));
        }
        let file = match super::checks::read_options().open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io("read", path, e)),
        };
        let opened = file.metadata().map_err(|e| Error::io("read", path, e))?;
        if same_file(&checked, &opened) {
            return Ok(Some((file, opened)));
        }
    }
    Err(not_regular(path))
}

/// A regular file's bytes, or `None` when it does not exist; opened as `open_regular` opens it.
pub(super) fn read_optional(path: &Path) -> Result<Option<Vec<u8>>> {
    let Some((mut file, opened)) = open_regular(path)? else {
        return Ok(None);
    };
    if opened.len() > MAX_STORE_FILE_BYTES {
        return Err(Error::new(
            Code::StoreCorrupt,
            format!(
                "{} is {} bytes, more than the store ever writes there ({MAX_STORE_FILE_BYTES}): check what wrote it, then remove it",
                path.display(),
                opened.len()
            ),
        ));
    }
    // Sized by the fstat above (growing by doubling copied a 300 KB index 13 times).
    let mut bytes = Vec::with_capacity(opened.len() as usize);
    (&mut file)
        .take(MAX_STORE_FILE_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("read", path, e))?;
    Ok(Some(bytes))
}

/// True when `path` is a real folder (not a symlink to one); `false` when it does not exist.
pub(super) fn is_real_dir(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_dir())
}

/// True when both metadata describe the same file (same device and inode).
pub(super) fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        a.dev() == b.dev() && a.ino() == b.ino()
    }
    #[cfg(not(unix))]
    {
        a.len() == b.len() && a.file_type() == b.file_type()
    }
}

/// The error for a store path that is a symlink or not a regular file.
pub(super) fn not_regular(path: &Path) -> Error {
    Error::new(
        Code::StoreCorrupt,
        format!(
            "{} is not a regular file (a symlink or something else was put there, perhaps by another user): check who made it, then run `rm -r '{}'` and write the entry again",
            path.display(),
            path.display()
        ),
    )
}

/// True when group or others may access the file or folder.
pub(super) fn exposed(meta: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o077 != 0
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        false
    }
}

/// The error for a key file others can read.
pub(super) fn exposed_error(path: &Path) -> Error {
    Error::new(
        Code::StorePermissions,
        format!("{} can be read by other users: run `chmod 600 '{}'` (and consider the key compromised if others had access)", path.display(), path.display()),
    )
}
