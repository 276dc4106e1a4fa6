//! Live files (docs/live-files.md; their layout in docs/store.md): per service, the current
//! certificate as PEM files at a fixed path, so nginx (IIS), Postfix (SMTP) and Dovecot
//! (IMAP/POP) can point at them.
//!
//! `live/<SERVICE>` is a symlink to a folder `live/.<SERVICE>-<THUMBPRINT>` holding
//! `cert.pem`, `chain.pem`, `fullchain.pem`, `privkey.pem` (0600) and `combined.pem`
//! (key + full chain, 0600). Swapping the symlink changes all files at once: a daemon that
//! opens them after the swap sees only the new certificate, never a mix.

use super::atomic::{self, PUBLIC_MODE, SECRET_MODE};
use super::checks::{self, Kind};
use super::files::{is_real_dir, list_dir};
use super::{Assignments, ServerStore};
use crate::cert::services::Services;
use crate::formats::pem;
use crate::{Code, Error, Result};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// Services that get live files, with their folder names.
pub const LIVE_SERVICES: [(Services, &str); 6] = [
    (Services::IIS, "IIS"),
    (Services::SMTP, "SMTP"),
    (Services::IMAP, "IMAP"),
    (Services::POP, "POP"),
    (Services::UM, "UM"),
    (Services::UM_CALL_ROUTER, "UMCallRouter"),
];

/// The live files that hold the private key (shredded when their folder goes).
pub(super) const LIVE_SECRET_FILES: [&str; 2] = ["privkey.pem", "combined.pem"];
/// The public files of a live folder (the others hold the key).
pub(super) const LIVE_PUBLIC_FILES: [&str; 3] = ["cert.pem", "chain.pem", "fullchain.pem"];

/// Live folders written but not yet linked, per service (`None`: the service lost its holder).
pub(super) struct Staged(Vec<(&'static str, Option<String>)>);

/// The certificate a service's live files show: its single holder, or for SMTP the default.
pub fn live_holder(a: &Assignments, service: Services) -> Option<&str> {
    if service == Services::SMTP {
        return a.default_smtp.as_deref();
    }
    a.holders
        .get(&service.0)
        .and_then(|h| h.first())
        .map(String::as_str)
}

impl ServerStore {
    pub(super) fn live_dir(&self) -> PathBuf {
        self.dir.join("live")
    }

    /// The live folder of each service the certificate provides live files for.
    pub fn live_files_of(&self, a: &Assignments, thumbprint: &str) -> BTreeMap<String, String> {
        LIVE_SERVICES
            .iter()
            .filter(|(s, _)| live_holder(a, *s) == Some(thumbprint))
            .map(|(_, name)| {
                (
                    name.to_string(),
                    self.live_dir().join(name).display().to_string(),
                )
            })
            .collect()
    }

    /// First half of bringing the live files in line with the assignments: writes the folders
    /// of the services whose holder changes, under their final names but not yet linked, so
    /// anything that can fail (an unreadable key, a full disk) fails before the assignments are
    /// written. Idempotent: after a crash the next call redoes what was left half-done.
    pub(super) fn stage_live(&self, a: &Assignments) -> Result<Staged> {
        let live = self.live_dir();
        // No folder and no service to give files: nothing to do, and no folder made (a lock's
        // repair on a server without services).
        let no_holder = LIVE_SERVICES
            .iter()
            .all(|(s, _)| live_holder(a, *s).is_none());
        if no_holder && fs::symlink_metadata(&live).is_err() {
            return Ok(Staged(Vec::new()));
        }
        atomic::create_dir(&live)?;
        // A `live` symlinked elsewhere would make us write keys into, and delete folders of,
        // its target; one others can write lets them swap the links daemons follow.
        if !is_real_dir(&live) {
            return Err(Error::new(
                Code::StorePermissions,
                format!(
                    "{} is not a real folder (a symlink was put there, perhaps by another user): check who made it, run `rm '{}'`, then assign the services again",
                    live.display(),
                    live.display()
                ),
            ));
        }
        checks::require(&live, Kind::KeyFolder)?;
        let mut staged = Vec::new();
        for (service, name) in LIVE_SERVICES {
            let current = fs::read_link(live.join(name)).ok();
            match live_holder(a, service) {
                Some(thumb) => {
                    let target = format!(".{name}-{thumb}");
                    if current.as_deref() == Some(Path::new(&target))
                        && is_real_dir(&live.join(&target))
                        && fs::symlink_metadata(live.join(&target).join("combined.pem"))
                            .is_ok_and(|m| m.file_type().is_file())
                    {
                        continue;
                    }
                    self.write_live_folder(&live.join(&target), thumb)?;
                    staged.push((name, Some(target)));
                }
                None if current.is_some() || live.join(name).exists() => staged.push((name, None)),
                None => {}
            }
        }
        Ok(Staged(staged))
    }

    /// Second half: switches each staged service's link (one atomic rename each), removes the
    /// folders no link points at, and returns the services whose files changed.
    pub(super) fn switch_live(&self, staged: Staged) -> Result<Vec<&'static str>> {
        let live = self.live_dir();
        let mut changed = Vec::new();
        // Nothing renamed or removed here: nothing to flush (a lock's repair usually finds so).
        let mut touched = !staged.0.is_empty();
        for (name, target) in staged.0 {
            let link = live.join(name);
            match target {
                Some(t) => point(&live, &link, &t)?,
                None => {
                    let _ = fs::remove_file(&link);
                }
            }
            changed.push(name);
        }
        // Folders no link points at any more (the old certificates) go, keys shredded.
        let in_use: Vec<PathBuf> = LIVE_SERVICES
            .iter()
            .filter_map(|(_, n)| fs::read_link(live.join(n)).ok())
            .collect();
        for name in list_dir(&live)? {
            if is_live_folder_name(&name) && !in_use.iter().any(|p| p == Path::new(&name)) {
                let dir = live.join(&name);
                touched = true;
                if !is_real_dir(&dir) {
                    let _ = fs::remove_file(&dir);
                    continue;
                }
                for secret in LIVE_SECRET_FILES {
                    atomic::shred(&dir.join(secret));
                }
                let _ = fs::remove_dir_all(dir);
            }
        }
        if touched {
            atomic::sync_dir(&live)?;
        }
        Ok(changed)
    }

    fn write_live_folder(&self, dest: &Path, thumb: &str) -> Result<()> {
        let entry = self
            .get(thumb)?
            .ok_or_else(|| super::not_found(&self.name, thumb))?;
        let cert = entry.certificate.as_deref().ok_or_else(|| {
            Error::new(
                Code::PendingRequest,
                format!("{thumb} is a pending request and cannot serve a service"),
            )
        })?;
        let key = self.private_key(thumb)?.ok_or_else(|| {
            Error::new(
                Code::NoPrivateKey,
                format!("{thumb} has no private key and cannot serve a service"),
            )
        })?;
        let pem_of = pem::encode;
        let cert_pem = pem_of(pem::CERTIFICATE, cert);
        // Roots are not sent to clients; intermediates are.
        let chain_pem: String = entry
            .chain
            .iter()
            .filter(|c| {
                !crate::cert::inspect::CertificateInfo::from_der(c)
                    .map(|i| i.self_issued)
                    .unwrap_or(false)
            })
            .map(|c| pem_of(pem::CERTIFICATE, c))
            .collect();
        let key_pem = Zeroizing::new(pem_of(pem::PRIVATE_KEY, key.pkcs8()));
        let full = format!("{cert_pem}{chain_pem}");
        let combined = Zeroizing::new(format!("{}{full}", key_pem.as_str()));

        let tmp = atomic::temp_name(&self.live_dir(), "live");
        atomic::create_new_dir(&tmp)?;
        let mut unflushed = atomic::Unflushed::default();
        unflushed.write_new(&tmp.join("cert.pem"), cert_pem.as_bytes(), PUBLIC_MODE)?;
        unflushed.write_new(&tmp.join("chain.pem"), chain_pem.as_bytes(), PUBLIC_MODE)?;
        unflushed.write_new(&tmp.join("fullchain.pem"), full.as_bytes(), PUBLIC_MODE)?;
        unflushed.write_new(&tmp.join("privkey.pem"), key_pem.as_bytes(), SECRET_MODE)?;
        unflushed.write_new(&tmp.join("combined.pem"), combined.as_bytes(), SECRET_MODE)?;
        unflushed.add_dir(&tmp)?;
        unflushed.flush()?;
        // A folder left by a writer that crashed after writing it; only a real one is
        // emptied (its keys shredded), anything else there is removed as a name.
        if is_real_dir(dest) {
            for secret in LIVE_SECRET_FILES {
                atomic::shred(&dest.join(secret));
            }
            let _ = fs::remove_dir_all(dest);
        } else {
            let _ = fs::remove_file(dest);
        }
        fs::rename(&tmp, dest).map_err(|e| Error::io("move live files into place", dest, e))
    }
}

/// True for the names the store gives live folders, `.<SERVICE>-<THUMBPRINT>`: nothing else
/// in `live` is deleted.
pub(super) fn is_live_folder_name(name: &str) -> bool {
    LIVE_SERVICES.iter().any(|(_, service)| {
        name.strip_prefix('.')
            .and_then(|n| n.strip_prefix(service))
            .and_then(|n| n.strip_prefix('-'))
            .is_some_and(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_alphanumeric()))
    })
}

/// Points `link` at `target` (relative) atomically: a new link under a temporary name, renamed over.
fn point(live: &Path, link: &Path, target: &str) -> Result<()> {
    let tmp = atomic::temp_name(live, "link");
    #[cfg(unix)]
    std::os::unix::fs::symlink(target, &tmp).map_err(|e| Error::io("create link", &tmp, e))?;
    #[cfg(not(unix))]
    return Err(Error::new(
        Code::StoreIo,
        format!(
            "live files need symbolic links, which this platform does not offer ({})",
            tmp.display()
        ),
    ));
    #[cfg(unix)]
    fs::rename(&tmp, link).map_err(|e| Error::io("switch link", link, e))
}
