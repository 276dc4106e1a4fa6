//! The audit trail of a server: who changed what, and when. One line per change in
//! `servers/<SERVER>/audit`, appended with a single write so writers on several hosts do not
//! interleave within a line. Fields are escaped: no control character reaches a reader.

use super::atomic::create_dir;
use super::checks::{self, Kind};
use super::Store;
use crate::{Code, Error, Result};
use std::fs;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The audit file in a server's folder.
pub const AUDIT_FILE: &str = "audit";
/// Longest field kept, in characters (the rest is cut).
const MAX_FIELD: usize = 256;
/// A history reads at most this many bytes from the end of the file.
const MAX_READ: u64 = 1 << 20;
/// Past this size the file is moved to `audit.1` (replacing the older one) and restarted.
const ROTATE_AT: u64 = 8 << 20;
/// Events a history returns at most, newest first.
pub const MAX_EVENTS: usize = 200;

/// The actions the admin center and the C ABI record, one name per kind of change.
pub mod action {
    pub const NEW_SELF_SIGNED: &str = "New self-signed certificate";
    pub const NEW_REQUEST: &str = "New certificate request";
    pub const IMPORT: &str = "Import";
    pub const ASSIGN_SERVICES: &str = "Assign services";
    pub const RENEW_SELF_SIGNED: &str = "Renew (self-signed)";
    pub const RENEW_REQUEST: &str = "Renew (new request)";
    pub const DELETE: &str = "Delete";
    pub const EXPORT_PFX: &str = "Export PFX";
}

/// One recorded change.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Event {
    /// RFC 3339 UTC.
    pub time: String,
    /// The account that made the change.
    pub admin: String,
    /// What was done, for example `Delete`.
    pub action: String,
    pub thumbprint: String,
    /// Services assigned, profile used ...; never a secret.
    pub detail: String,
}

fn escape(field: &str) -> String {
    let mut out = String::new();
    for c in field.chars().take(MAX_FIELD) {
        match c {
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// As `checks::require`, for metadata already read.
fn require_of(path: &Path, meta: &fs::Metadata, kind: Kind) -> Result<()> {
    match checks::problem_of(path, meta, kind) {
        Some(why) => Err(checks::refused(why)),
        None => Ok(()),
    }
}

/// Opens the audit file to append, creating it 0600, as the store opens its files: no symlink
/// followed (`O_NOFOLLOW`), and only a regular file that others cannot write is used.
fn open_append(path: &Path) -> Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, super::SECRET_MODE);
    let file = checks::no_follow(&mut options)
        .open(path)
        .map_err(|e| Error::io("open the audit trail", path, e))?;
    let opened = file
        .metadata()
        .map_err(|e| Error::io("open the audit trail", path, e))?;
    match checks::problem_of(path, &opened, Kind::File) {
        Some(why) => Err(checks::refused(why)),
        None => Ok(file),
    }
}

/// Opens the audit file to read, `None` when there is none: no symlink followed, a regular
/// file only.
fn open_read(path: &Path) -> Result<Option<fs::File>> {
    checks::require_type(path, Kind::File)?;
    let file = match checks::read_options().open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("read the audit trail", path, e)),
    };
    let opened = file
        .metadata()
        .map_err(|e| Error::io("read the audit trail", path, e))?;
    if !opened.file_type().is_file() {
        return Err(Error::new(
            Code::StoreCorrupt,
            format!(
                "{} is not a regular file: check who made it, then remove it",
                path.display()
            ),
        ));
    }
    Ok(Some(file))
}

/// Appends an event (stamped now) to a server's audit trail.
pub fn record(
    root: Option<&str>,
    server: Option<&str>,
    admin: &str,
    action: &str,
    thumbprint: &str,
    detail: &str,
) -> Result<()> {
    record_all(
        root,
        server,
        admin,
        &[Change {
            action,
            thumbprint,
            detail,
        }],
    )
}

/// What one change was: the action, the certificate it touched and a detail (never a secret).
#[derive(Debug, Clone, Copy)]
pub struct Change<'a> {
    pub action: &'a str,
    pub thumbprint: &'a str,
    pub detail: &'a str,
}

/// Appends several events (stamped now) to a server's audit trail in one write, as an import
/// of many certificates makes them.
pub fn record_all(
    root: Option<&str>,
    server: Option<&str>,
    admin: &str,
    changes: &[Change],
) -> Result<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let store = Store::open(root)?;
    let server = store.server(server)?;
    // The folders a writer writes in, checked as the store's writers check them.
    checks::require_root(store.root())?;
    if let Some(servers) = server.dir.parent() {
        checks::require(servers, Kind::SharedFolder)?;
    }
    // Each path's metadata is read once, judged, then used.
    match fs::symlink_metadata(&server.dir) {
        Ok(m) => require_of(&server.dir, &m, Kind::KeyFolder)?,
        Err(_) => {
            create_dir(&server.dir)?;
            checks::require(&server.dir, Kind::KeyFolder)?;
        }
    }
    let path = server.dir.join(AUDIT_FILE);
    let existing = fs::symlink_metadata(&path).ok();
    if let Some(m) = &existing {
        require_of(&path, m, Kind::File)?;
    }
    if existing.is_some_and(|m| m.file_type().is_file() && m.len() > ROTATE_AT) {
        // rename moves the name, never a link's target; a planted audit.1 is simply replaced.
        let _ = fs::rename(&path, server.dir.join(format!("{AUDIT_FILE}.1")));
    }
    let time = OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .map_err(|_| Error::new(Code::Internal, "the time cannot be formatted"))?;
    let mut line = String::new();
    for c in changes {
        let fields = [time.as_str(), admin, c.action, c.thumbprint, c.detail];
        line += &fields.map(escape).join("\t");
        line.push('\n');
    }
    let mut file = open_append(&path)?;
    file.write_all(line.as_bytes())
        .map_err(|e| Error::io("append to the audit trail", &path, e))
}

/// The recorded changes of a server (of one certificate when `thumbprint` is given), newest
/// first, at most [`MAX_EVENTS`].
pub fn history(root: Option<&str>, server: &str, thumbprint: Option<&str>) -> Result<Vec<Event>> {
    let store = Store::open(root)?;
    let server = store.server(Some(server))?;
    checks::require_type(&server.dir, Kind::KeyFolder)?;
    let path = server.dir.join(AUDIT_FILE);
    let Some(mut file) = open_read(&path)? else {
        return Ok(Vec::new());
    };
    let len = file
        .metadata()
        .map_err(|e| Error::io("read the audit trail", &path, e))?
        .len();
    let start = len.saturating_sub(MAX_READ);
    file.seek(SeekFrom::Start(start))
        .map_err(|e| Error::io("read the audit trail", &path, e))?;
    let mut bytes = Vec::new();
    file.take(MAX_READ)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("read the audit trail", &path, e))?;
    let text = String::from_utf8_lossy(&bytes);
    let mut lines: Vec<&str> = text.lines().collect();
    if start > 0 && !lines.is_empty() {
        lines.remove(0); // cut in the middle
    }
    let wanted = thumbprint.map(|t| t.trim().to_ascii_uppercase());
    Ok(lines
        .iter()
        .rev()
        .filter_map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            (f.len() == 5).then(|| Event {
                time: f[0].into(),
                admin: f[1].into(),
                action: f[2].into(),
                thumbprint: f[3].into(),
                detail: f[4].into(),
            })
        })
        .filter(|e| {
            wanted
                .as_ref()
                .is_none_or(|w| e.thumbprint.eq_ignore_ascii_case(w))
        })
        .take(MAX_EVENTS)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_come_back_newest_first_and_escaped() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_str();
        record(root, Some("EX01"), "alice", "Delete", "AB", "").unwrap();
        record(root, Some("EX01"), "bob\u{1b}[31m", "Import", "CD", "a\tb").unwrap();
        let all = history(root, "EX01", None).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].admin, "bob\\u{1b}[31m");
        assert_eq!(all[0].detail, "a\\u{9}b");
        assert_eq!(all[1].action, "Delete");
        let one = history(root, "ex01", Some("ab")).unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].admin, "alice");
        assert!(history(root, "EX02", None).unwrap().is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_link_is_neither_followed_nor_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("victim");
        let root = dir.path().to_str();
        record(root, Some("EX01"), "alice", "Delete", "AB", "").unwrap();
        let store = Store::open(root).unwrap();
        let audit = store.server(Some("EX01")).unwrap().dir.join(AUDIT_FILE);
        fs::remove_file(&audit).unwrap();
        // A link to a file that does not exist yet: following it would create the file outside.
        std::os::unix::fs::symlink(&target, &audit).unwrap();
        let e = record(root, Some("EX01"), "mallory", "Delete", "CD", "").unwrap_err();
        assert_eq!(e.code, Code::StorePermissions, "{}", e.message);
        assert!(e.message.contains("symbolic link"), "{}", e.message);
        assert!(!target.exists());
        fs::write(&target, "2027-01-01T00:00:00Z\tx\tDelete\tEF\t\n").unwrap();
        assert_eq!(
            history(root, "EX01", None).unwrap_err().code,
            Code::StoreCorrupt
        );
        assert_eq!(fs::read_to_string(&target).unwrap().lines().count(), 1);
    }
}
