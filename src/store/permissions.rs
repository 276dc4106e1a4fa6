//! Warnings about store paths others could have written (docs/security.md): what a listing or an
//! operation reads is judged (`checks`), and each path that fails is named with its fix.
//! Reading goes on where it safely can, so an admin is not locked out of their certificates;
//! writers refuse such paths (`lock`) and keys in them are not used (`entry`).

use super::checks::{self, Facts, Kind};
use super::entry::{Entry, CERTIFICATE_FILE, CHAIN_DIR, ENTRY_FILE, KEY_FILE, REQUEST_FILE};
use super::files::list_dir;
use super::generation::GENERATION_FILE;
use super::index::Wanted;
use super::listing::INDEX_FILE;
use super::live::{is_live_folder_name, LIVE_SECRET_FILES, LIVE_SERVICES};
use super::lock::LOCK_FILE;
use super::reload::RELOAD_FILE;
use super::server::ASSIGNMENTS_FILE;
use super::server_names::FQDN_FILE;
use super::ServerStore;
use crate::Result;
#[cfg(unix)]
use rustix::fd::OwnedFd;
use std::fs;
use std::path::{Path, PathBuf};

use super::live::LIVE_PUBLIC_FILES;

impl ServerStore {
    /// What is wrong with the server's folders and files, each with its fix: the server's own
    /// files, its live files, and its entries (all of them, or only `only`).
    pub fn path_warnings(&self, only: Option<&str>) -> Vec<String> {
        let mut found = Findings::default();
        if !self.judge_server(&mut found) {
            return found.0;
        }
        let names = match only {
            Some(t) => vec![t.to_string()],
            None => list_dir(&self.certs_dir()).unwrap_or_default(),
        };
        // Relative to `certs/` (one short name per call), as a listing judges: a writer judges
        // every entry of the server before it changes anything.
        #[cfg(unix)]
        let certs = {
            use rustix::fs::{openat, Mode, OFlags, CWD};
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
            openat(CWD, self.certs_dir(), flags, Mode::empty()).ok()
        };
        for name in names.iter().filter(|n| !n.starts_with('.')) {
            #[cfg(unix)]
            if let Some(certs) = &certs {
                found.whole_entry_at(certs, name, || self.entry_dir(name));
                continue;
            }
            found.entry(&self.entry_dir(name));
        }
        found.0
    }

    /// Every entry (as `list`) and what is wrong with the paths the listing read, each with its
    /// fix: the server's own files and live files as `path_warnings`, and of each entry the
    /// folder and the files its answer comes from (the chain only when it has one). Entries are
    /// judged by `fstatat` relative to `certs/`, one call per path, so 10,000 entries do not
    /// cost 10,000 walks of the whole path each.
    /// Entries the index had carry only what `wanted` asks for.
    pub fn list_judged(&self, wanted: Wanted) -> Result<(Vec<Entry>, Vec<String>)> {
        let mut found = Findings::default();
        let server_ok = self.judge_server(&mut found);
        let mut entries = self.list_snapshot_checked(wanted)?;
        #[cfg(unix)]
        let certs = server_ok
            .then(|| {
                use rustix::fs::{openat, Mode, OFlags, CWD};
                let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
                openat(CWD, self.certs_dir(), flags, Mode::empty()).ok()
            })
            .flatten();
        for e in &mut entries {
            #[cfg(unix)]
            if let Some(certs) = &certs {
                let exposed = found.entry_at(certs, || self.entry_dir(&e.thumbprint), e);
                e.key_file_exposed = exposed;
                continue;
            }
            if server_ok {
                found.entry(&self.entry_dir(&e.thumbprint));
            }
            if e.has_private_key {
                e.key_file_exposed = self.exposed_key_file(&e.thumbprint);
            }
        }
        Ok((entries, found.0))
    }

    /// Judges the server's folder, its own files, `certs/` and `live/`; false (and nothing
    /// under it judged) when the server's folder itself fails.
    fn judge_server(&self, found: &mut Findings) -> bool {
        if !found.judge(&self.dir, Kind::KeyFolder) {
            return false;
        }
        for name in [
            ASSIGNMENTS_FILE,
            INDEX_FILE,
            GENERATION_FILE,
            FQDN_FILE,
            RELOAD_FILE,
            LOCK_FILE,
        ] {
            found.judge(&self.dir.join(name), Kind::File);
        }
        found.judge(&self.certs_dir(), Kind::KeyFolder);
        found.live(&self.live_dir());
        true
    }
}

/// Warnings, one per path.
#[derive(Default)]
struct Findings(Vec<String>);

impl Findings {
    /// Records what is wrong with `path`; true when it is a real folder or file to look into.
    fn judge(&mut self, path: &Path, kind: Kind) -> bool {
        // One lstat per path: a listing judges every entry's files, so a second stat for
        // "does it exist" was half the cost of listing a large store.
        let Ok(meta) = fs::symlink_metadata(path) else {
            return false;
        };
        match checks::problem_of(path, &meta, kind) {
            Some(why) => {
                self.0.push(match kind {
                    Kind::Secret => format!("{why}; until then the key is not used or exported"),
                    _ => why,
                });
                false
            }
            None => true,
        }
    }

    /// As `judge`, for `name` in the folder `dir`: `Some(true)` when right, `Some(false)` when
    /// wrong (and recorded), `None` when absent. `path` makes the path warnings show (only made
    /// for a path that fails).
    #[cfg(unix)]
    fn judge_at(
        &mut self,
        dir: &OwnedFd,
        name: &str,
        path: impl FnOnce() -> PathBuf,
        kind: Kind,
    ) -> Option<bool> {
        let facts = Facts::at(dir, name)?;
        if checks::problem_of_facts(Path::new(""), &facts, kind).is_none() {
            return Some(true);
        }
        if let Some(why) = checks::problem_of_facts(&path(), &facts, kind) {
            self.0.push(match kind {
                Kind::Secret => format!("{why}; until then the key is not used or exported"),
                _ => why,
            });
        }
        Some(false)
    }

    /// Judges a listed entry's folder and the files its answer was made from, relative to
    /// `certs`; the key file's path when it fails its check.
    #[cfg(unix)]
    fn entry_at(
        &mut self,
        certs: &OwnedFd,
        dir: impl Fn() -> PathBuf,
        e: &Entry,
    ) -> Option<PathBuf> {
        let name = e.thumbprint.as_str();
        if self.judge_at(certs, name, &dir, Kind::KeyFolder) != Some(true) {
            return None;
        }
        let mut relative = String::with_capacity(name.len() + 20);
        let mut judge = |found: &mut Self, file: &str, kind| {
            relative.clear();
            relative.push_str(name);
            relative.push('/');
            relative.push_str(file);
            found.judge_at(certs, &relative, || dir().join(file), kind)
        };
        judge(self, ENTRY_FILE, Kind::File);
        if e.certificate.is_some() {
            judge(self, CERTIFICATE_FILE, Kind::File);
        }
        if e.request.is_some() {
            judge(self, REQUEST_FILE, Kind::File);
        }
        let exposed = (e.has_private_key && judge(self, KEY_FILE, Kind::Secret) == Some(false))
            .then(|| dir().join(KEY_FILE));
        if !e.chain.is_empty() && judge(self, CHAIN_DIR, Kind::KeyFolder) == Some(true) {
            let chain = dir().join(CHAIN_DIR);
            for file in list_dir(&chain).unwrap_or_default() {
                self.judge(&chain.join(file), Kind::File);
            }
        }
        exposed
    }

    /// As `entry`, relative to `certs`: every file an entry may hold, present or not.
    #[cfg(unix)]
    fn whole_entry_at(&mut self, certs: &OwnedFd, name: &str, dir: impl Fn() -> PathBuf) {
        if self.judge_at(certs, name, &dir, Kind::KeyFolder) != Some(true) {
            return;
        }
        let mut relative = String::with_capacity(name.len() + 20);
        let mut judge = |found: &mut Self, file: &str, kind| {
            relative.clear();
            relative.push_str(name);
            relative.push('/');
            relative.push_str(file);
            found.judge_at(certs, &relative, || dir().join(file), kind)
        };
        for file in [CERTIFICATE_FILE, REQUEST_FILE, ENTRY_FILE] {
            judge(self, file, Kind::File);
        }
        judge(self, KEY_FILE, Kind::Secret);
        if judge(self, CHAIN_DIR, Kind::KeyFolder) == Some(true) {
            let chain = dir().join(CHAIN_DIR);
            for file in list_dir(&chain).unwrap_or_default() {
                self.judge(&chain.join(file), Kind::File);
            }
        }
    }

    fn entry(&mut self, dir: &Path) {
        if !self.judge(dir, Kind::KeyFolder) {
            return;
        }
        for name in [CERTIFICATE_FILE, REQUEST_FILE, ENTRY_FILE] {
            self.judge(&dir.join(name), Kind::File);
        }
        self.judge(&dir.join(KEY_FILE), Kind::Secret);
        let chain = dir.join(CHAIN_DIR);
        if self.judge(&chain, Kind::KeyFolder) {
            for name in list_dir(&chain).unwrap_or_default() {
                self.judge(&chain.join(name), Kind::File);
            }
        }
    }

    /// `live/<SERVICE>` must be a link to a `.<SERVICE>-<THUMBPRINT>` folder beside it; those
    /// folders hold the files daemons read.
    fn live(&mut self, live: &Path) {
        if !self.judge(live, Kind::KeyFolder) {
            return;
        }
        for (_, service) in LIVE_SERVICES {
            let link = live.join(service);
            let Ok(meta) = fs::symlink_metadata(&link) else {
                continue;
            };
            let target: Option<PathBuf> = fs::read_link(&link).ok();
            let ours = meta.file_type().is_symlink()
                && target.as_deref().and_then(Path::to_str).is_some_and(|t| {
                    is_live_folder_name(t) && t[1..].starts_with(&format!("{service}-"))
                });
            if !ours {
                self.0.push(format!(
                    "{} is not the link the store makes (to .{service}-<THUMBPRINT> beside it): check who made it, remove it (`rm -r '{}'`) and enable the certificate for {service} again",
                    link.display(),
                    link.display()
                ));
            }
        }
        for name in list_dir(live).unwrap_or_default() {
            let dir = live.join(&name);
            if is_live_folder_name(&name) && self.judge(&dir, Kind::KeyFolder) {
                for file in LIVE_PUBLIC_FILES {
                    self.judge(&dir.join(file), Kind::File);
                }
                for file in LIVE_SECRET_FILES {
                    self.judge(&dir.join(file), Kind::Secret);
                }
            }
        }
    }
}
