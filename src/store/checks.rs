//! Judging a store path others may have written (docs/security.md): what it is (a
//! real folder or a regular file, never a symlink), who owns it (the caller or root) and who
//! may write or read it. Each problem comes with the command that fixes it.

use crate::{Code, Error, Result};
use std::fs;
use std::path::Path;

/// What a store path must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// The store root or `servers/`: a folder others must not write (it may be 0755).
    SharedFolder,
    /// A folder holding keys or entries (`servers/<S>`, `certs/`, an entry, `live/`): 0700.
    KeyFolder,
    /// A file others must not write (certificates, metadata, the index, `reload`).
    File,
    /// A private key: 0600.
    Secret,
}

impl Kind {
    /// The mode bits that must be clear, and the mode that fixes them.
    fn forbidden_bits(self) -> (u32, &'static str) {
        match self {
            Kind::SharedFolder => (0o022, "go-w"),
            Kind::KeyFolder => (0o077, "700"),
            Kind::File => (0o022, "go-w"),
            Kind::Secret => (0o077, "600"),
        }
    }

    fn is_folder(self) -> bool {
        matches!(self, Kind::SharedFolder | Kind::KeyFolder)
    }
}

/// What is wrong with `path` as a `kind`, with the fix; `None` when it is right or absent.
pub(super) fn problem(path: &Path, kind: Kind) -> Option<String> {
    let meta = fs::symlink_metadata(path).ok()?;
    problem_of(path, &meta, kind)
}

/// As `problem`, for metadata already read (`lstat`, or `fstat` of an opened file).
pub(super) fn problem_of(path: &Path, meta: &fs::Metadata, kind: Kind) -> Option<String> {
    problem_of_facts(path, &Facts::of(meta), kind)
}

/// What a path's check needs of its metadata, from `std` (`lstat`, `fstat`) or from an
/// `fstatat` relative to a folder (`Facts::at`, a listing's way: no walk of the whole path).
pub(super) struct Facts {
    symlink: bool,
    dir: bool,
    file: bool,
    /// The owner; `None` where there are no user ids.
    uid: Option<u32>,
    mode: u32,
}

impl Facts {
    fn of(meta: &fs::Metadata) -> Facts {
        let ft = meta.file_type();
        Facts {
            symlink: ft.is_symlink(),
            dir: ft.is_dir(),
            file: ft.is_file(),
            uid: owner(meta),
            mode: mode(meta),
        }
    }

    /// `lstat` of `name` in the folder `dir` (never following a symlink); `None` when absent.
    #[cfg(unix)]
    pub(super) fn at<Fd: rustix::fd::AsFd>(dir: Fd, name: &str) -> Option<Facts> {
        use rustix::fs::{statat, AtFlags, FileType};
        let st = statat(dir, name, AtFlags::SYMLINK_NOFOLLOW).ok()?;
        let ft = FileType::from_raw_mode(st.st_mode);
        Some(Facts {
            symlink: ft == FileType::Symlink,
            dir: ft == FileType::Directory,
            file: ft == FileType::RegularFile,
            uid: Some(st.st_uid),
            mode: st.st_mode & 0o7777,
        })
    }
}

/// As `problem_of`, for `Facts`.
pub(super) fn problem_of_facts(path: &Path, facts: &Facts, kind: Kind) -> Option<String> {
    if let Some(why) = type_problem(path, facts, kind) {
        return Some(why);
    }
    let shown = path.display();
    if let Some(owner) = facts.uid.filter(|&o| o != 0 && Some(o) != caller_uid()) {
        return Some(format!(
            "{shown} belongs to user id {owner}, not to you or root, so that user could change it: check what it holds, then run `chown {} '{shown}'` or remove it",
            caller_uid().unwrap_or(0)
        ));
    }
    let (bits, fix) = kind.forbidden_bits();
    if facts.mode & bits != 0 {
        let who = if facts.mode & 0o022 != 0 {
            "written"
        } else {
            "read"
        };
        return Some(format!(
            "{shown} can be {who} by other users (mode {:o}): run `chmod {fix} '{shown}'`",
            facts.mode & 0o7777
        ));
    }
    None
}

/// `Ok` when `path` is absent or of the right type for a `kind` (a real folder, a regular
/// file: never a symlink), whoever owns it; else a `StoreCorrupt` error with the fix. For
/// paths read: what is read through is checked, who may write it is warned about.
pub(super) fn require_type(path: &Path, kind: Kind) -> Result<()> {
    match fs::symlink_metadata(path) {
        Ok(meta) => match type_problem(path, &Facts::of(&meta), kind) {
            Some(why) => Err(Error::new(Code::StoreCorrupt, why)),
            None => Ok(()),
        },
        Err(_) => Ok(()),
    }
}

fn type_problem(path: &Path, facts: &Facts, kind: Kind) -> Option<String> {
    let shown = path.display();
    if facts.symlink {
        return Some(format!(
            "{shown} is a symbolic link (perhaps planted by another user); the store follows none: check where it points and who made it, then run `rm '{shown}'`"
        ));
    }
    if kind.is_folder() && !facts.dir {
        return Some(format!(
            "{shown} is not a folder: check who made it, then remove it (`rm '{shown}'`)"
        ));
    }
    if !kind.is_folder() && !facts.file {
        return Some(format!(
            "{shown} is not a regular file: check who made it, then remove it (`rm -r '{shown}'`)"
        ));
    }
    None
}

/// `Ok` when `path` is right as a `kind` (or absent), else a `StorePermissions` error naming
/// the path and the fix. For paths a writer is about to use.
pub(super) fn require(path: &Path, kind: Kind) -> Result<()> {
    match problem(path, kind) {
        None => Ok(()),
        Some(why) => Err(refused(why)),
    }
}

/// `Ok` when the store root (which may be a symlink the admin made: what it points at is
/// judged) is a folder others cannot write, owned by the caller or root; `Ok` when absent.
pub(super) fn require_root(root: &Path) -> Result<()> {
    match fs::metadata(root) {
        Ok(m) => match problem_of(root, &m, Kind::SharedFolder) {
            None => Ok(()),
            Some(why) => Err(refused(why)),
        },
        Err(_) => Ok(()),
    }
}

/// The error for a store path that failed its check.
pub(super) fn refused(why: String) -> Error {
    Error::new(
        Code::StorePermissions,
        format!("{why}; nothing was changed"),
    )
}

/// The owner of `meta` (`None` where there are no user ids).
fn owner(meta: &fs::Metadata) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(meta.uid())
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// The caller's effective user id (`None` where there are none).
pub(super) fn caller_uid() -> Option<u32> {
    #[cfg(unix)]
    {
        Some(rustix::process::geteuid().as_raw())
    }
    #[cfg(not(unix))]
    {
        None
    }
}

fn mode(meta: &fs::Metadata) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode()
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        0
    }
}

/// Options that open an existing file for reading without following a symlink at its last
/// component (`O_NOFOLLOW`) and without blocking on a FIFO planted in its place.
pub(super) fn read_options() -> fs::OpenOptions {
    let mut opts = fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use rustix::fs::OFlags;
        std::os::unix::fs::OpenOptionsExt::custom_flags(
            &mut opts,
            (OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as i32,
        );
    }
    opts
}

/// Adds `O_NOFOLLOW` to `opts`: an open for writing never goes through a symlink.
pub(super) fn no_follow(opts: &mut fs::OpenOptions) -> &mut fs::OpenOptions {
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        opts,
        rustix::fs::OFlags::NOFOLLOW.bits() as i32,
    );
    opts
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn each_problem_names_its_fix() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("f");
        fs::write(&f, b"x").unwrap();
        fs::set_permissions(&f, fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(problem(&f, Kind::Secret), None);
        fs::set_permissions(&f, fs::Permissions::from_mode(0o644)).unwrap();
        assert!(problem(&f, Kind::Secret).unwrap().contains("chmod 600"));
        assert_eq!(problem(&f, Kind::File), None);
        fs::set_permissions(&f, fs::Permissions::from_mode(0o666)).unwrap();
        assert!(problem(&f, Kind::File).unwrap().contains("chmod go-w"));
        let link = dir.path().join("l");
        std::os::unix::fs::symlink(&f, &link).unwrap();
        assert!(problem(&link, Kind::File).unwrap().contains("rm '"));
        assert!(problem(dir.path(), Kind::File)
            .unwrap()
            .contains("not a regular file"));
        assert!(problem(&f, Kind::KeyFolder)
            .unwrap()
            .contains("not a folder"));
        assert_eq!(problem(&dir.path().join("absent"), Kind::File), None);
    }
}
