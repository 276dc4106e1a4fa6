//! The organization's accepted domains (Exchange's `New-/Get-/Remove-AcceptedDomain`), kept
//! once for every server in `<store>/accepted-domains`: one domain per line,
//! `Name<TAB>DomainName<TAB>DomainType`, in the order added (the first is the default).
//! Other admins write this file: it is read bounded, never through a symlink, and checked.

use super::{atomic, take_lock, LOCK_FILE};
use crate::cert::names;
use crate::{Code, Error, Result};
use std::fs;
use std::io::Read;
use std::path::Path;

pub(super) const DOMAINS_FILE: &str = "accepted-domains";
/// Far beyond any organization (Exchange allows a few thousand domains): a larger file is refused.
const MAX_FILE_BYTES: u64 = 4 << 20;
/// Exchange's limit for an accepted domain's Name.
const MAX_NAME_CHARS: usize = 64;

/// How mail for an accepted domain is handled (Exchange's AcceptedDomainType).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DomainType {
    /// Recipients are in this organization (Exchange's default).
    #[default]
    Authoritative,
    /// Relayed to a server of the same company.
    InternalRelay,
    /// Relayed to a server outside the company.
    ExternalRelay,
}

impl DomainType {
    const ALL: [(DomainType, &'static str); 3] = [
        (DomainType::Authoritative, "Authoritative"),
        (DomainType::InternalRelay, "InternalRelay"),
        (DomainType::ExternalRelay, "ExternalRelay"),
    ];

    /// The name Exchange prints.
    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(t, _)| *t == self)
            .map(|(_, n)| *n)
            .unwrap_or("Authoritative")
    }

    /// Parses a name, any case.
    pub fn parse(text: &str) -> Result<DomainType> {
        Self::ALL
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(text.trim()))
            .map(|(t, _)| *t)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "'{}' is not an accepted domain type: use Authoritative, InternalRelay or ExternalRelay",
                    text.escape_debug()
                ))
            })
    }
}

/// One accepted domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcceptedDomain {
    /// Unique name, for example `Contoso`.
    pub name: String,
    /// The SMTP domain as given (ASCII; IDN names as punycode), for example `contoso.com` or
    /// `*.contoso.com`.
    pub domain_name: String,
    pub domain_type: DomainType,
}

impl AcceptedDomain {
    /// Checks a new domain's values: a printable name of at most 64 characters, a domain name
    /// a certificate could carry.
    pub fn new(name: &str, domain_name: &str, domain_type: DomainType) -> Result<AcceptedDomain> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            return Err(Error::invalid(format!(
                "an accepted domain's Name must have 1 to {MAX_NAME_CHARS} characters: give a short name such as Contoso"
            )));
        }
        if name.chars().any(char::is_control) {
            return Err(Error::invalid(format!(
                "the accepted domain name '{}' has control characters: use letters, digits, spaces and punctuation",
                name.escape_debug()
            )));
        }
        let domain_name = names::dns_name(domain_name).map_err(|e| {
            Error::invalid(format!(
                "{} (the DomainName of an accepted domain)",
                e.message
            ))
        })?;
        Ok(AcceptedDomain {
            name: name.to_string(),
            domain_name,
            domain_type,
        })
    }

    /// Whether `identity` names this domain: its Name or its DomainName, any case.
    pub fn is(&self, identity: &str) -> bool {
        let identity = identity.trim();
        self.name.eq_ignore_ascii_case(identity)
            || self
                .domain_name
                .eq_ignore_ascii_case(identity.trim_end_matches('.'))
    }
}

/// The accepted domains of the store at `root`, in the order added.
pub fn list(root: &Path) -> Result<Vec<AcceptedDomain>> {
    let path = root.join(DOMAINS_FILE);
    match read_bounded(&path)? {
        Some(text) => decode(&text, &path),
        None => Ok(Vec::new()),
    }
}

/// Adds a domain under the organization lock; a Name or DomainName already there is
/// `AlreadyExists`.
pub fn add(root: &Path, domain: &AcceptedDomain) -> Result<()> {
    change(root, |domains| {
        if let Some(there) = domains
            .iter()
            .find(|d| d.is(&domain.name) || d.is(&domain.domain_name))
        {
            return Err(Error::new(
                Code::AlreadyExists,
                format!(
                    "the accepted domain {} ({}) is already there: pick another Name, or remove it first with Remove-AcceptedDomain '{}'",
                    there.name, there.domain_name, there.name
                ),
            ));
        }
        domains.push(domain.clone());
        Ok(())
    })
}

/// Removes the domain `identity` names (Name or DomainName) under the organization lock and
/// returns it; `NotFound` when none does.
pub fn remove(root: &Path, identity: &str) -> Result<AcceptedDomain> {
    let mut removed = None;
    change(root, |domains| {
        let at = domains
            .iter()
            .position(|d| d.is(identity))
            .ok_or_else(|| not_found(identity))?;
        removed = Some(domains.remove(at));
        Ok(())
    })?;
    removed.ok_or_else(|| not_found(identity))
}

/// The error for an accepted domain that is not there.
pub fn not_found(identity: &str) -> Error {
    Error::new(
        Code::NotFound,
        format!(
            "there is no accepted domain '{}': list them with Get-AcceptedDomain",
            identity.escape_debug()
        ),
    )
}

fn change(root: &Path, edit: impl FnOnce(&mut Vec<AcceptedDomain>) -> Result<()>) -> Result<()> {
    super::checks::require_root(root)?;
    atomic::create_dir(root)?;
    let _lock = take_lock(&root.join(LOCK_FILE), "the organization's accepted domains")?;
    let mut domains = list(root)?;
    edit(&mut domains)?;
    atomic::replace_file(
        &root.join(DOMAINS_FILE),
        encode(&domains).as_bytes(),
        atomic::PUBLIC_MODE,
    )
}

fn encode(domains: &[AcceptedDomain]) -> String {
    domains
        .iter()
        .map(|d| {
            format!(
                "{}\t{}\t{}\n",
                d.name,
                d.domain_name,
                d.domain_type.as_str()
            )
        })
        .collect()
}

fn decode(text: &str, path: &Path) -> Result<Vec<AcceptedDomain>> {
    let damaged = |n: usize, why: String| {
        Error::new(
            Code::StoreCorrupt,
            format!(
                "{} line {n} {why}: fix or delete that line (each is Name, DomainName and DomainType separated by tabs)",
                path.display()
            ),
        )
    };
    let mut out: Vec<AcceptedDomain> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [name, domain_name, domain_type] = fields[..] else {
            return Err(damaged(i + 1, "does not have three fields".into()));
        };
        let domain = DomainType::parse(domain_type)
            .and_then(|t| AcceptedDomain::new(name, domain_name, t))
            .map_err(|e| damaged(i + 1, format!("is not valid ({})", e.message)))?;
        if out
            .iter()
            .any(|d| d.is(&domain.name) || d.is(&domain.domain_name))
        {
            return Err(damaged(i + 1, format!("repeats {}", domain.name)));
        }
        out.push(domain);
    }
    Ok(out)
}

/// Reads a small text file without following a symlink and without reading more than
/// `MAX_FILE_BYTES`; `None` when it does not exist.
pub(super) fn read_bounded(path: &Path) -> Result<Option<String>> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("read", path, e)),
        Ok(m) if !m.file_type().is_file() => {
            return Err(Error::new(
                Code::StoreCorrupt,
                format!(
                    "{} is not a regular file (a symlink or a folder): remove it, then add the accepted domains again",
                    path.display()
                ),
            ))
        }
        Ok(m) if m.len() > MAX_FILE_BYTES => {
            return Err(Error::new(
                Code::StoreCorrupt,
                format!(
                    "{} is {} bytes, more than accepted domains ever need ({MAX_FILE_BYTES}): check what wrote it",
                    path.display(),
                    m.len()
                ),
            ))
        }
        Ok(_) => {}
    }
    let mut bytes = Vec::new();
    super::checks::read_options()
        .open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| Error::io("read", path, e))?;
    String::from_utf8(bytes).map(Some).map_err(|_| {
        Error::new(
            Code::StoreCorrupt,
            format!("{} is not UTF-8 text: fix or delete it", path.display()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    #[test]
    fn add_list_remove_in_order() {
        let dir = root();
        let contoso =
            AcceptedDomain::new("Contoso", "Contoso.com", DomainType::Authoritative).unwrap();
        let fabrikam =
            AcceptedDomain::new("Fabrikam", "fabrikam.com", DomainType::InternalRelay).unwrap();
        add(dir.path(), &contoso).unwrap();
        add(dir.path(), &fabrikam).unwrap();
        assert_eq!(
            list(dir.path()).unwrap(),
            vec![contoso.clone(), fabrikam.clone()]
        );
        // The same Name or DomainName, any case, is refused and changes nothing.
        for (n, d) in [("contoso", "x.com"), ("Other", "CONTOSO.COM")] {
            let again = AcceptedDomain::new(n, d, DomainType::Authoritative).unwrap();
            assert_eq!(
                add(dir.path(), &again).unwrap_err().code,
                Code::AlreadyExists
            );
        }
        assert_eq!(remove(dir.path(), "contoso.COM").unwrap(), contoso);
        assert_eq!(list(dir.path()).unwrap(), vec![fabrikam]);
        assert_eq!(
            remove(dir.path(), "Contoso").unwrap_err().code,
            Code::NotFound
        );
    }

    #[test]
    fn bad_values_are_refused() {
        for (name, domain) in [
            ("", "a.com"),
            ("a\nb", "a.com"),
            ("A", "a b.com"),
            ("A", "x.*.com"),
        ] {
            assert_eq!(
                AcceptedDomain::new(name, domain, DomainType::Authoritative)
                    .unwrap_err()
                    .code,
                Code::InvalidArgument,
                "{name:?} {domain:?}"
            );
        }
        assert_eq!(
            DomainType::parse("internalrelay").unwrap(),
            DomainType::InternalRelay
        );
        assert_eq!(
            DomainType::parse("Relay").unwrap_err().code,
            Code::InvalidArgument
        );
    }

    #[test]
    fn a_damaged_or_hostile_file_is_refused() {
        let dir = root();
        let path = dir.path().join(DOMAINS_FILE);
        for bad in [
            "Contoso\tcontoso.com\n",
            "A\ta.com\tNope\n",
            "A\ta.com\tAuthoritative\nA\tb.com\tAuthoritative\n",
        ] {
            fs::write(&path, bad).unwrap();
            assert_eq!(
                list(dir.path()).unwrap_err().code,
                Code::StoreCorrupt,
                "{bad:?}"
            );
        }
        fs::remove_file(&path).unwrap();
        #[cfg(unix)]
        {
            let target = dir.path().join("elsewhere");
            fs::write(&target, "A\ta.com\tAuthoritative\n").unwrap();
            std::os::unix::fs::symlink(&target, &path).unwrap();
            assert_eq!(list(dir.path()).unwrap_err().code, Code::StoreCorrupt);
        }
    }
}
