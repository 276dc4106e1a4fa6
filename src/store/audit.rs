//! The audit trail of a server: who changed what, and when. One line per change in
//! `servers/<SERVER>/audit`, appended with a single write so writers on several hosts do not
//! interleave within a line. Fields are escaped: no control character reaches a reader.

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

fn refuse_link(path: &Path) -> Result<()> {
    match fs::symlink_metadata(path) {
        Ok(m) if !m.file_type().is_file() => Err(Error::new(
            Code::StoreCorrupt,
            format!(
                "{} is not a plain file (a link?): remove it; the audit trail starts again",
                path.display()
            ),
        )),
        _ => Ok(()),
    }
}

/// Appends an event (stamped now) to a server's audit trail.
pub fn record(
    root: Option<&str>,
    server: &str,
    admin: &str,
    action: &str,
    thumbprint: &str,
    detail: &str,
) -> Result<()> {
    let store = Store::open(root)?;
    let server = store.server(Some(server))?;
    if !server.dir.is_dir() {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, super::DIR_MODE);
        builder
            .create(&server.dir)
            .map_err(|e| Error::io("create", &server.dir, e))?;
    }
    let path = server.dir.join(AUDIT_FILE);
    refuse_link(&path)?;
    if fs::metadata(&path).is_ok_and(|m| m.len() > ROTATE_AT) {
        let _ = fs::rename(&path, server.dir.join(format!("{AUDIT_FILE}.1")));
    }
    let time = OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .map_err(|_| Error::new(Code::Internal, "the time cannot be formatted"))?;
    let line = [time.as_str(), admin, action, thumbprint, detail]
        .iter()
        .map(|f| escape(f))
        .collect::<Vec<_>>()
        .join("\t")
        + "\n";
    let mut options = fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, super::SECRET_MODE);
    let mut file = options
        .open(&path)
        .map_err(|e| Error::io("open the audit trail", &path, e))?;
    file.write_all(line.as_bytes())
        .map_err(|e| Error::io("append to the audit trail", &path, e))
}

/// The recorded changes of a server (of one certificate when `thumbprint` is given), newest
/// first, at most [`MAX_EVENTS`].
pub fn history(root: Option<&str>, server: &str, thumbprint: Option<&str>) -> Result<Vec<Event>> {
    let store = Store::open(root)?;
    let server = store.server(Some(server))?;
    let path = server.dir.join(AUDIT_FILE);
    refuse_link(&path)?;
    let mut file = match fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("read the audit trail", &path, e)),
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
        record(root, "EX01", "alice", "Delete", "AB", "").unwrap();
        record(root, "EX01", "bob\u{1b}[31m", "Import", "CD", "a\tb").unwrap();
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
}
