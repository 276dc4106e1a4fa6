//! Reading the store's files and folders, and judging their permissions.

use crate::{Code, Error, Result};
use std::fs;
use std::path::Path;

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

/// A file's bytes, or `None` when it does not exist.
pub(super) fn read_optional(path: &Path) -> Result<Option<Vec<u8>>> {
    match fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io("read", path, e)),
    }
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
