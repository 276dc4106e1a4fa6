//! Reload commands: what an admin runs after a service's live files change (`reload` file).

use super::files::read_optional;
use super::{atomic, meta, ServerStore};
use crate::Result;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

/// The file naming, per service, the command run after its live files change.
const RELOAD_FILE: &str = "reload";

/// How long a reload command may run before it is killed and reported.
const RELOAD_TIMEOUT: Duration = Duration::from_secs(60);

impl ServerStore {
    /// The reload command per service (`IIS=nginx -s reload`), from the server's `reload` file.
    pub fn reload_commands(&self) -> Result<BTreeMap<String, String>> {
        let path = self.dir.join(RELOAD_FILE);
        match read_optional(&path)? {
            Some(b) => meta::decode(&String::from_utf8_lossy(&b), &path.display().to_string()),
            None => Ok(BTreeMap::new()),
        }
    }

    /// Runs the reload command of each service in `changed`; a failed one is a warning (the
    /// assignment stands).
    pub(super) fn reload_changed(&self, changed: &[&str]) -> Result<Vec<String>> {
        let commands = self.reload_commands()?;
        let mut warnings = Vec::new();
        for service in changed {
            if let Some(cmd) = commands.get(*service) {
                if let Err(why) = run_reload(&self.dir, cmd) {
                    warnings.push(format!(
                        "The {service} live files changed but its reload command failed ({why}); the assignment stands: fix the command in {} and reload the daemon by hand",
                        self.dir.join(RELOAD_FILE).display()
                    ));
                }
            }
        }
        Ok(warnings)
    }
}

/// Runs an admin's reload command through the shell; the error carries its exit status and the
/// end of its error output. That output goes to a temporary file in `dir`, not a pipe: a daemon
/// the command starts inherits it and may keep it open, and waiting for a pipe's end would wait
/// for the daemon. Only the command itself is waited for, at most `RELOAD_TIMEOUT`.
pub(super) fn run_reload(dir: &Path, cmd: &str) -> std::result::Result<(), String> {
    let log_path = atomic::temp_name(dir, "reload");
    let log = fs::File::create(&log_path).map_err(|e| format!("`{cmd}` could not start: {e}"))?;
    let mut shell = if cfg!(windows) {
        std::process::Command::new("cmd")
    } else {
        std::process::Command::new("sh")
    };
    shell
        .arg(if cfg!(windows) { "/C" } else { "-c" })
        .arg(cmd)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(log);
    let outcome = match shell.spawn() {
        Err(e) => Err(format!("`{cmd}` could not start: {e}")),
        Ok(mut child) => {
            let start = Instant::now();
            loop {
                match child.try_wait() {
                    Ok(Some(status)) if status.success() => break Ok(()),
                    Ok(Some(status)) => break Err(format!("`{cmd}` exited with {status}")),
                    Ok(None) if start.elapsed() < RELOAD_TIMEOUT => {
                        std::thread::sleep(Duration::from_millis(10))
                    }
                    Ok(None) => {
                        let _ = child.kill();
                        let _ = child.wait();
                        break Err(format!(
                            "`{cmd}` did not finish within {} s and was stopped",
                            RELOAD_TIMEOUT.as_secs()
                        ));
                    }
                    Err(e) => break Err(format!("`{cmd}` could not be waited for: {e}")),
                }
            }
        }
    };
    let err = fs::read_to_string(&log_path).unwrap_or_default();
    let _ = fs::remove_file(&log_path);
    outcome.map_err(|why| {
        let tail: String = err
            .trim()
            .chars()
            .rev()
            .take(300)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if tail.is_empty() {
            why
        } else {
            format!("{why}: {tail}")
        }
    })
}
