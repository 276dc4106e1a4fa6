//! Reload commands: what an admin runs after a service's live files change (`reload` file).
//!
//! Others may write the store, and a `reload` file is code run with the caller's rights, so it
//! runs only as sshd's StrictModes would allow an `authorized_keys`: a regular file (no symlink,
//! opened with `O_NOFOLLOW`) owned by the caller or root and writable by no one else, in folders
//! up to the store root that only the caller or root can write. It runs only after the
//! service's live files changed in this operation, and every failure (a refused file, a
//! non-zero exit, a timeout) is a warning with the fix; the assignment stands.

use super::checks::{self, Kind};
use super::files::same_file;
use super::{atomic, meta, ServerStore};
use crate::formats::text::escaped_control;
use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The file naming, per service, the command run after its live files change.
pub(super) const RELOAD_FILE: &str = "reload";

/// How long a reload command may run before it is killed and reported.
const RELOAD_TIMEOUT: Duration = Duration::from_secs(60);

/// A reload file is a few lines; anything longer is refused unread.
const MAX_RELOAD_FILE_BYTES: u64 = 64 * 1024;

/// How much of a failed command's output a warning quotes (its end, in characters).
const OUTPUT_SHOWN: usize = 300;

impl ServerStore {
    fn reload_path(&self) -> PathBuf {
        self.dir.join(RELOAD_FILE)
    }

    /// The reload command per service, when the `reload` file may be run; else why not, with
    /// the fix. No file: no commands.
    fn trusted_reload_commands(&self) -> Result<BTreeMap<String, String>, String> {
        let path = self.reload_path();
        if fs::symlink_metadata(&path).is_err() {
            return Ok(BTreeMap::new());
        }
        self.reload_folders_trusted()?;
        if let Some(why) = checks::problem(&path, Kind::File) {
            return Err(why);
        }
        let mut file = checks::read_options()
            .open(&path)
            .map_err(|e| format!("{} could not be opened ({e})", path.display()))?;
        let opened = file
            .metadata()
            .map_err(|e| format!("{} could not be checked ({e})", path.display()))?;
        let checked = fs::symlink_metadata(&path).map_err(|e| e.to_string())?;
        if !same_file(&checked, &opened) {
            return Err(format!(
                "{} was replaced while it was read: run the operation again",
                path.display()
            ));
        }
        if let Some(why) = checks::problem_of(&path, &opened, Kind::File) {
            return Err(why);
        }
        if opened.len() > MAX_RELOAD_FILE_BYTES {
            return Err(format!(
                "{} is {} bytes, more than a reload file needs ({MAX_RELOAD_FILE_BYTES}): check what wrote it",
                path.display(),
                opened.len()
            ));
        }
        let mut bytes = Vec::new();
        (&mut file)
            .take(MAX_RELOAD_FILE_BYTES)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("{} could not be read ({e})", path.display()))?;
        meta::decode(
            &String::from_utf8_lossy(&bytes),
            &path.display().to_string(),
        )
        .map_err(|e| e.message)
    }

    /// The server's folder and those above it, up to the store root: none may be writable by
    /// others, or they could swap the `reload` file for their own.
    fn reload_folders_trusted(&self) -> Result<(), String> {
        let servers = self.dir.parent().unwrap_or(Path::new("."));
        for dir in [&self.dir, servers] {
            if let Some(why) = checks::problem(dir, Kind::SharedFolder) {
                return Err(why);
            }
        }
        // The root may be a symlink the admin made; what it points at is judged.
        if let Some(root) = servers.parent() {
            if let Ok(m) = fs::metadata(root) {
                if let Some(why) = checks::problem_of(root, &m, Kind::SharedFolder) {
                    return Err(why);
                }
            }
        }
        Ok(())
    }

    /// Runs the reload command of each service in `changed` (whose live files this operation
    /// changed); returns a warning for each that failed or could not be run.
    pub(super) fn reload_changed(&self, changed: &[&str]) -> Vec<String> {
        if changed.is_empty() {
            return Vec::new();
        }
        let path = self.reload_path();
        let commands = match self.trusted_reload_commands() {
            Ok(c) => c,
            Err(why) => {
                return vec![format!(
                    "The {} live files changed but no reload command was run: {}; the assignment stands: fix {} and reload the daemons by hand",
                    changed.join(", "),
                    visible(&why),
                    path.display()
                )]
            }
        };
        let mut warnings = Vec::new();
        for service in changed {
            if let Some(cmd) = commands.get(*service) {
                if let Err(why) = run_reload(&self.dir, cmd, RELOAD_TIMEOUT) {
                    warnings.push(format!(
                        "The {service} live files changed but its reload command failed ({why}); the assignment stands: fix the command in {} and reload the daemon by hand",
                        path.display()
                    ));
                }
            }
        }
        warnings
    }
}

/// Runs an admin's reload command through the shell; the error carries its exit status and the
/// end of its output (bounded, control characters made visible). That output goes to an
/// unlinked file in `dir`, not a pipe: a daemon the command starts inherits it and may keep it
/// open, and waiting for a pipe's end would wait for the daemon. Only the command itself is
/// waited for, at most `timeout`.
fn run_reload(dir: &Path, cmd: &str, timeout: Duration) -> Result<(), String> {
    let shown_cmd = visible(cmd);
    let start_failed = |e: &dyn std::fmt::Display| format!("`{shown_cmd}` could not start: {e}");
    let mut log = atomic::anonymous_file(dir, "reload").map_err(|e| start_failed(&e))?;
    let (out, err) = match (log.try_clone(), log.try_clone()) {
        (Ok(o), Ok(e)) => (o, e),
        (Err(e), _) | (_, Err(e)) => return Err(start_failed(&e)),
    };
    let mut shell = if cfg!(windows) {
        std::process::Command::new("cmd")
    } else {
        std::process::Command::new("sh")
    };
    shell
        .arg(if cfg!(windows) { "/C" } else { "-c" })
        .arg(cmd)
        .stdin(std::process::Stdio::null())
        .stdout(out)
        .stderr(err);
    let outcome = match shell.spawn() {
        Err(e) => Err(start_failed(&e)),
        Ok(mut child) => {
            let start = Instant::now();
            loop {
                match child.try_wait() {
                    Ok(Some(status)) if status.success() => break Ok(()),
                    Ok(Some(status)) => break Err(format!("`{shown_cmd}` exited with {status}")),
                    Ok(None) if start.elapsed() < timeout => {
                        std::thread::sleep(Duration::from_millis(10))
                    }
                    Ok(None) => {
                        let _ = child.kill();
                        let _ = child.wait();
                        break Err(format!(
                            "`{shown_cmd}` did not finish within {} s and was stopped",
                            timeout.as_secs()
                        ));
                    }
                    Err(e) => break Err(format!("`{shown_cmd}` could not be waited for: {e}")),
                }
            }
        }
    };
    outcome.map_err(|why| match output_tail(&mut log) {
        tail if tail.is_empty() => why,
        tail => format!("{why}: {tail}"),
    })
}

/// The end of a command's output: at most the last 4 KiB read, the last `OUTPUT_SHOWN`
/// characters kept, control characters made visible.
fn output_tail(log: &mut fs::File) -> String {
    let len = log.seek(SeekFrom::End(0)).unwrap_or(0);
    let mut bytes = Vec::new();
    let _ = log
        .seek(SeekFrom::Start(len.saturating_sub(4096)))
        .and_then(|_| log.take(4096).read_to_end(&mut bytes));
    let text = String::from_utf8_lossy(&bytes);
    let trimmed = text.trim();
    let skip = trimmed.chars().count().saturating_sub(OUTPUT_SHOWN);
    visible(&trimmed.chars().skip(skip).collect::<String>())
}

/// `text` with control characters shown as `\xNN` (a line feed too: a warning is one line).
fn visible(text: &str) -> String {
    text.chars()
        .map(|c| escaped_control(c).unwrap_or_else(|| c.to_string()))
        .collect()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_command_past_its_time_is_stopped_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        let why =
            run_reload(dir.path(), "echo started; sleep 30", Duration::from_secs(1)).unwrap_err();
        assert!(why.contains("did not finish within 1 s"), "{why}");
        assert!(why.ends_with(": started"), "{why}");
    }

    #[test]
    fn output_is_bounded_escaped_and_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let why = run_reload(
            dir.path(),
            "head -c 100000 /dev/zero | tr '\\0' a; printf '\\033[2J\\nfake log line'; exit 4",
            RELOAD_TIMEOUT,
        )
        .unwrap_err();
        assert!(why.contains("exit status: 4"), "{why}");
        assert!(why.ends_with("\\x1B[2J\\x0Afake log line"), "{why}");
        assert!(!why.contains('\u{1b}') && !why.contains('\n'), "{why}");
        assert!(why.len() < 700, "{} bytes", why.len());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
