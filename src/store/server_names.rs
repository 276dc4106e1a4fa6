//! Exchange names a server by its name or its FQDN, in any case: `EX02`, `ex02` and
//! `ex02.contoso.com` are one server. All reach the folder `servers/EX02`, and the FQDN a
//! writer names it by is recorded there, in `fqdn`, for the names of its certificates.

use super::accepted_domains::read_bounded;
use super::{atomic, ServerStore};
use crate::{Error, Result};
use std::path::Path;

pub(super) const FQDN_FILE: &str = "fqdn";

/// Server names become folder names: letters, digits, `-`, `_`, `.`; upper-cased so that
/// `ex01` and `EX01` are one server, as in Exchange.
pub(super) fn server_folder_name(name: &str) -> Result<String> {
    let ok = name.len() <= 253
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !ok {
        return Err(Error::invalid(format!(
            "'{name}' is not a server name: use the server's NetBIOS name or FQDN (letters, digits, '-', '_' and '.')"
        )));
    }
    Ok(name.to_ascii_uppercase())
}

/// A server as a caller named it: its folder (upper-case short name) and its FQDN when the
/// name was one.
#[derive(Debug)]
pub(super) struct ServerName {
    pub folder: String,
    pub fqdn: Option<String>,
}

/// Resolves a server name or FQDN. An IP address stays whole; a folder made under a full
/// FQDN before names were resolved (`servers/EX02.CONTOSO.COM`) is still found when no
/// `servers/EX02` exists.
pub(super) fn resolve(servers_dir: &Path, given: &str) -> Result<ServerName> {
    let whole = server_folder_name(given)?;
    let trimmed = given.trim_end_matches('.');
    let is_ip = trimmed
        .split('.')
        .all(|l| l.chars().all(|c| c.is_ascii_digit()));
    let Some((short, _)) = trimmed.split_once('.').filter(|_| !is_ip) else {
        return Ok(ServerName {
            folder: whole,
            fqdn: None,
        });
    };
    let short = short.to_ascii_uppercase();
    let folder = if !servers_dir.join(&short).exists() && servers_dir.join(&whole).exists() {
        whole
    } else {
        short
    };
    Ok(ServerName {
        folder,
        fqdn: Some(trimmed.to_ascii_lowercase()),
    })
}

impl ServerStore {
    /// The server's FQDN: as this caller named it, else as recorded by an earlier writer.
    pub fn fqdn(&self) -> Option<String> {
        self.given_fqdn.clone().or_else(|| self.recorded_fqdn())
    }

    fn recorded_fqdn(&self) -> Option<String> {
        // Written by other admins: taken only when it is a plausible name for this server.
        let text = read_bounded(&self.dir.join(FQDN_FILE)).ok()??;
        let fqdn = text.trim().to_ascii_lowercase();
        let short_matches = fqdn
            .split('.')
            .next()
            .is_some_and(|s| s.eq_ignore_ascii_case(&self.name));
        (short_matches && fqdn.contains('.') && server_folder_name(&fqdn).is_ok()).then_some(fqdn)
    }

    /// Records the FQDN this caller named the server by, when it is new (under the writer lock).
    pub(super) fn record_fqdn(&self) -> Result<()> {
        match &self.given_fqdn {
            Some(fqdn) if self.recorded_fqdn().as_ref() != Some(fqdn) => atomic::replace_file(
                &self.dir.join(FQDN_FILE),
                format!("{fqdn}\n").as_bytes(),
                atomic::PUBLIC_MODE,
            ),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_and_its_fqdn_are_one_server() {
        let dir = tempfile::tempdir().unwrap();
        for given in ["EX02", "ex02", "ex02.contoso.com", "EX02.Contoso.COM."] {
            assert_eq!(
                resolve(dir.path(), given).unwrap().folder,
                "EX02",
                "{given}"
            );
        }
        assert_eq!(
            resolve(dir.path(), "Ex02.Contoso.com")
                .unwrap()
                .fqdn
                .as_deref(),
            Some("ex02.contoso.com")
        );
        assert_eq!(resolve(dir.path(), "10.0.0.2").unwrap().folder, "10.0.0.2");
        for bad in ["../etc", "a/b", ".hidden", "a b", ".."] {
            assert_eq!(
                resolve(dir.path(), bad).unwrap_err().code,
                crate::Code::InvalidArgument,
                "{bad}"
            );
        }
    }

    #[test]
    fn a_folder_made_under_the_fqdn_is_still_found() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("EX03.CONTOSO.COM")).unwrap();
        assert_eq!(
            resolve(dir.path(), "ex03.contoso.com").unwrap().folder,
            "EX03.CONTOSO.COM"
        );
        std::fs::create_dir(dir.path().join("EX03")).unwrap();
        assert_eq!(
            resolve(dir.path(), "ex03.contoso.com").unwrap().folder,
            "EX03"
        );
    }
}
