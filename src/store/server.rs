//! One server's part of the store: its folder and the paths in it.

use super::assignments::Assignments;
use super::checks::{self, Kind};
use super::files::read_optional;
use crate::{Code, Error, Result};
use std::path::PathBuf;

/// The file naming which certificates hold which services.
pub(super) const ASSIGNMENTS_FILE: &str = "assignments";

/// One server's certificates.
#[derive(Clone, Debug)]
pub struct ServerStore {
    pub(super) name: String,
    pub(super) dir: PathBuf,
    /// The FQDN the caller named the server by, recorded on the next write.
    pub(super) given_fqdn: Option<String>,
}

impl ServerStore {
    pub(super) fn new(dir: PathBuf, name: String, given_fqdn: Option<String>) -> ServerStore {
        ServerStore {
            name,
            dir,
            given_fqdn,
        }
    }

    /// The server's name as stored (upper case).
    pub fn name(&self) -> &str {
        &self.name
    }

    pub(super) fn certs_dir(&self) -> PathBuf {
        self.dir.join("certs")
    }

    pub(super) fn entry_dir(&self, thumbprint: &str) -> PathBuf {
        self.certs_dir().join(thumbprint)
    }

    pub(super) fn assignments_path(&self) -> PathBuf {
        self.dir.join(ASSIGNMENTS_FILE)
    }

    /// Readers go through no symlinked folder: `servers/`, the server's and `certs/` must be
    /// real folders (or absent). Who may write them is warned about (`path_warnings`).
    pub(super) fn require_real_folders(&self) -> Result<()> {
        let servers = self.dir.parent().unwrap_or(std::path::Path::new("."));
        for dir in [servers.to_path_buf(), self.dir.clone(), self.certs_dir()] {
            checks::require_type(&dir, Kind::KeyFolder)?;
        }
        Ok(())
    }

    /// The current service assignments.
    pub fn assignments(&self) -> Result<Assignments> {
        let path = self.assignments_path();
        match read_optional(&path)? {
            Some(b) => {
                Assignments::decode(&String::from_utf8_lossy(&b), &path.display().to_string())
            }
            None => Ok(Assignments::default()),
        }
    }
}

/// The error for a thumbprint the server does not have.
pub fn not_found(server: &str, thumbprint: &str) -> Error {
    Error::new(Code::NotFound, format!(
        "server {server} has no certificate or request with thumbprint {thumbprint}: list them with Get-ExchangeCertificate -Server {server}"
    ))
}
