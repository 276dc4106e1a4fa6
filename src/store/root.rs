//! The store's root: where it is, its servers, and the certificates the organisation shares.

use super::checks::{self, Kind};
use super::files::{exposed, list_dir, read_optional};
use super::lock::{take_lock, LOCK_FILE};
use super::repair::clear_temp_files;
use super::server_names;
use super::{atomic, ServerStore};
use crate::{Code, Error, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// A store root.
#[derive(Clone, Debug)]
pub struct Store {
    root: PathBuf,
}

/// Certificates the whole organisation store shares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrgCertificates {
    /// Roots trusted as anchors (`-TrustedRoot`), in `<root>/trusted/`.
    TrustedRoots,
    /// Intermediate CA certificates seen in imports, for building chains, in `<root>/intermediates/`.
    Intermediates,
}

impl OrgCertificates {
    /// Both kinds.
    pub(super) const ALL: [OrgCertificates; 2] = [
        OrgCertificates::TrustedRoots,
        OrgCertificates::Intermediates,
    ];

    /// The kind's folder under the root.
    pub(super) fn folder(self) -> &'static str {
        match self {
            OrgCertificates::TrustedRoots => "trusted",
            OrgCertificates::Intermediates => "intermediates",
        }
    }
}

impl Store {
    /// The store at `root`, else `$EXCERT_STORE`, else the per-user data folder. Nothing is
    /// created until the first write.
    pub fn open(root: Option<&str>) -> Result<Store> {
        let root = match root.filter(|r| !r.is_empty()) {
            Some(r) => PathBuf::from(r),
            None => match std::env::var_os("EXCERT_STORE").filter(|v| !v.is_empty()) {
                Some(r) => PathBuf::from(r),
                None => default_root()?,
            },
        };
        Ok(Store { root })
    }

    /// The root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// One server's part of the store; `None` is this host.
    pub fn server(&self, name: Option<&str>) -> Result<ServerStore> {
        let name = match name.filter(|n| !n.trim().is_empty()) {
            Some(n) => n.trim().to_string(),
            None => crate::cert::host::HostNames::local().fqdn,
        };
        let servers = self.root.join("servers");
        let resolved = server_names::resolve(&servers, &name)?;
        Ok(ServerStore::new(
            servers.join(&resolved.folder),
            resolved.folder,
            resolved.fqdn,
        ))
    }

    /// Warnings about the store's shared paths, with the fix: folders other users can enter,
    /// and any path of the root, `servers/`, the organization's certificates and accepted
    /// domains that fails its check (see `checks`).
    pub fn permission_warnings(&self) -> Vec<String> {
        let mut out: Vec<String> = [self.root.clone(), self.root.join("servers")]
            .iter()
            .filter(|d| fs::metadata(d).is_ok_and(|m| exposed(&m)))
            .map(|d| {
                format!(
                    "The store folder {} can be entered by other users: run `chmod 700 '{}'`",
                    d.display(),
                    d.display()
                )
            })
            .collect();
        // The root may be a symlink the admin made: what it points at is judged.
        if let Ok(m) = fs::metadata(&self.root) {
            out.extend(checks::problem_of(&self.root, &m, Kind::SharedFolder));
        }
        out.extend(checks::problem(
            &self.root.join("servers"),
            Kind::SharedFolder,
        ));
        for name in [
            LOCK_FILE,
            super::accepted_domains::DOMAINS_FILE,
            super::signatures::SIGNATURES_FILE,
        ] {
            out.extend(checks::problem(&self.root.join(name), Kind::File));
        }
        for kind in OrgCertificates::ALL {
            judge_files_in(&self.root.join(kind.folder()), &mut out);
        }
        // The revocation cache: a folder per issuer, the CA's answers in them.
        let cache = self.root.join(super::revocation_cache::FOLDER);
        match checks::problem(&cache, Kind::SharedFolder) {
            Some(why) => out.push(why),
            None => {
                for issuer in list_dir(&cache).unwrap_or_default() {
                    judge_files_in(&cache.join(issuer), &mut out);
                }
            }
        }
        out
    }

    /// The organisation's certificates of one kind (DER).
    pub fn org_certificates(&self, kind: OrgCertificates) -> Result<Vec<Vec<u8>>> {
        let dir = self.root.join(kind.folder());
        let mut out = Vec::new();
        for name in list_dir(&dir)? {
            if name.ends_with(".der") && !name.starts_with('.') {
                let p = dir.join(&name);
                out.extend(read_optional(&p)?);
            }
        }
        Ok(out)
    }

    /// Adds a certificate for every server of the store; returns false when it was there already.
    pub fn add_org_certificate(
        &self,
        kind: OrgCertificates,
        thumbprint: &str,
        der: &[u8],
    ) -> Result<bool> {
        let dir = self.root.join(kind.folder());
        checks::require_root(&self.root)?;
        checks::require(&dir, Kind::SharedFolder)?;
        atomic::create_dir(&dir)?;
        let _lock = take_lock(
            &self.root.join(LOCK_FILE),
            "the organization's certificates",
        )?;
        clear_temp_files(&dir)?;
        let path = dir.join(format!("{thumbprint}.der"));
        if path.exists() {
            return Ok(false);
        }
        atomic::replace_file(&path, der, atomic::PUBLIC_MODE)?;
        Ok(true)
    }

    /// Every server that has a folder in the store, by name.
    pub fn servers(&self) -> Result<Vec<ServerStore>> {
        let dir = self.root.join("servers");
        let mut out = Vec::new();
        for name in list_dir(&dir)? {
            if !name.starts_with('.') {
                out.push(ServerStore::new(dir.join(&name), name, None));
            }
        }
        out.sort_by(|a, b| a.name().cmp(b.name()));
        Ok(out)
    }
}

/// Judges a shared folder and the files in it, adding what fails to `out`.
fn judge_files_in(dir: &Path, out: &mut Vec<String>) {
    match checks::problem(dir, Kind::SharedFolder) {
        Some(why) => out.push(why),
        None => {
            for name in list_dir(dir).unwrap_or_default() {
                out.extend(checks::problem(&dir.join(name), Kind::File));
            }
        }
    }
}

/// The platform's per-user data folder + `excert`.
fn default_root() -> Result<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let found = if cfg!(windows) {
        env("LOCALAPPDATA")
    } else if cfg!(target_os = "macos") {
        env("HOME").map(|h| h.join("Library/Application Support"))
    } else {
        env("XDG_DATA_HOME").or_else(|| env("HOME").map(|h| h.join(".local/share")))
    };
    found.map(|d| d.join("excert")).ok_or_else(|| {
        Error::new(Code::StoreIo, "no store folder: set EXCERT_STORE (or HOME) to the folder the certificates should live in")
    })
}
