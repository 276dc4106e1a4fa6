//! Crash repair: what a writer killed mid-change left behind is cleared or finished by the
//! next writer, under the lock.

use super::entry::KEY_FILE;
use super::files::list_dir;
use super::live::{live_holder, LIVE_SECRET_FILES, LIVE_SERVICES};
use super::lock::{open_lock_file, WriteLock, LOCK_FILE};
use super::{atomic, OrgCertificates};
use crate::Result;
use std::fs;
use std::path::Path;

/// Removes the store's temporary files in a folder (names only: a symlink is not followed):
/// call only while holding the lock its writers take.
pub(super) fn clear_temp_files(dir: &Path) -> Result<()> {
    for name in list_dir(dir)? {
        if atomic::is_temp_name(&name) {
            let _ = fs::remove_file(dir.join(name));
        }
    }
    Ok(())
}

impl WriteLock<'_> {
    /// Removes temporary files and folders of writers that died: under the lock no live writer has any.
    pub(super) fn clear_leftovers(&self) -> Result<()> {
        // The organization's folders too, when no one is writing there (their lock is free).
        if let Some(root) = self.server.dir.parent().and_then(Path::parent) {
            let org_lock = open_lock_file(&root.join(LOCK_FILE));
            // The file stays open (and locked) until the sweep is done.
            if let Ok(held) = org_lock.as_ref().map(|f| f.try_lock().is_ok()) {
                if held {
                    for kind in OrgCertificates::ALL {
                        clear_temp_files(&root.join(kind.folder()))?;
                    }
                }
            }
        }
        // A writer killed inside `changing` left the generation odd: make it even again.
        if self.generation.get() % 2 == 1 {
            self.bump_generation()?;
        }
        for dir in [
            self.server.dir.clone(),
            self.server.certs_dir(),
            self.server.live_dir(),
        ] {
            for name in list_dir(&dir)? {
                if atomic::is_temp_name(&name) {
                    let p = dir.join(&name);
                    // A planted symlink is removed as a name, never followed.
                    if fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_dir()) {
                        for secret in std::iter::once(KEY_FILE).chain(LIVE_SECRET_FILES) {
                            atomic::shred(&p.join(secret));
                        }
                        let _ = fs::remove_dir_all(&p);
                    } else {
                        let _ = fs::remove_file(&p);
                    }
                }
            }
        }
        Ok(())
    }

    /// Finishes what a writer killed between writing the assignments and switching the live
    /// links left undone. Its reload commands are not run here (this operation may not touch
    /// services): the services are remembered, reloaded by `set_assignments` if this operation
    /// changes services, else reported by `repair_warnings`. Best effort: a failure here (say,
    /// an exposed key) is reported by the operation that changes that service.
    pub(super) fn repair_live(&self) {
        let Ok(a) = self.server.assignments() else {
            return;
        };
        // No live folder and no service to give files: nothing a crash could have left here.
        let no_holder = LIVE_SERVICES
            .iter()
            .all(|(s, _)| live_holder(&a, *s).is_none());
        if no_holder && fs::symlink_metadata(self.server.live_dir()).is_err() {
            return;
        }
        let Ok(staged) = self.server.stage_live(&a) else {
            return;
        };
        if let Ok(changed) = self.server.switch_live(staged) {
            self.repaired.borrow_mut().extend(changed);
        }
    }

    /// A warning for each service whose live files the lock's repair changed and whose reload
    /// command no one ran (call at the end of an operation; `set_assignments` runs them).
    pub fn repair_warnings(&self) -> Vec<String> {
        let repaired = self.repaired.take();
        if repaired.is_empty() {
            return Vec::new();
        }
        let live = self.server.live_dir();
        vec![format!(
            "The {} live files of server {} ({}) were brought in line with the assignments after an interrupted change; this operation changes no service, so no reload command was run: reload the daemons by hand",
            repaired.join(", "),
            self.server.name,
            repaired
                .iter()
                .map(|s| live.join(s).display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )]
    }
}
