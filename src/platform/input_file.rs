//! Files the caller names for an operation's input (an import's `FileName`): a regular file,
//! never reached through a symbolic link, read only up to a limit.

use crate::{Code, Error, Result};
use std::fs::{self, OpenOptions};
use std::io::Read;
use std::path::Path;

/// The bytes of the regular file at `path`, refused when it is a link, a folder, a device or
/// pipe (never waited on), or longer than `limit` bytes (then `too_large(length)` is the error,
/// and the file is not read).
pub fn read(path: &Path, limit: usize, too_large: impl FnOnce(u64) -> Error) -> Result<Vec<u8>> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use rustix::fs::OFlags;
        std::os::unix::fs::OpenOptionsExt::custom_flags(
            &mut options,
            (OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as i32,
        );
    }
    let mut file = options.open(path).map_err(|e| {
        let link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        if link {
            not_read(path, "it is a symbolic link, and links are not followed. Give the path of the file it points to")
        } else {
            not_read(path, &format!("{e}. Check the path, or pass the bytes with -FileData"))
        }
    })?;
    let meta = file
        .metadata()
        .map_err(|e| not_read(path, &e.to_string()))?;
    if !meta.is_file() {
        return Err(not_read(
            path,
            "it is not a regular file (a folder, a device or a pipe). Give the path of a certificate or PFX file",
        ));
    }
    if meta.len() > limit as u64 {
        return Err(too_large(meta.len()));
    }
    // A file growing while it is read stops at the limit plus one byte, and is refused.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    (&mut file)
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| not_read(path, &e.to_string()))?;
    if bytes.len() > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

fn not_read(path: &Path, why: &str) -> Error {
    Error::new(
        Code::FileNotReadable,
        format!("'{}' could not be read: {why}.", path.display()),
    )
}
