//! This host's names, used for default subjects and SANs.

/// A server's NetBIOS-style short name and its fully qualified domain name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostNames {
    /// Short name, e.g. `EX01`.
    pub name: String,
    /// FQDN, e.g. `ex01.contoso.com`; equal to `name` when no domain is known.
    pub fqdn: String,
}

impl HostNames {
    /// Names of a server: this host's when `server` is this host (or none is given), else the
    /// given name (an FQDN given as server name splits into both).
    pub fn for_server(server: Option<&str>) -> HostNames {
        let local = HostNames::local();
        match server {
            None => local,
            Some(s)
                if s.eq_ignore_ascii_case(&local.name) || s.eq_ignore_ascii_case(&local.fqdn) =>
            {
                local
            }
            Some(s) => HostNames::from_name(s),
        }
    }

    /// This host's names: the host name, and the FQDN when the host name or `/etc/hosts` has one.
    pub fn local() -> HostNames {
        let raw = crate::platform::hosts::host_name();
        let mut names = HostNames::from_name(&raw);
        if names.fqdn == names.name {
            if let Some(fqdn) = fqdn_from_hosts(&names.name) {
                names.fqdn = fqdn;
            }
        }
        names
    }

    fn from_name(raw: &str) -> HostNames {
        let raw = raw.trim().trim_end_matches('.');
        let name = raw.split('.').next().unwrap_or(raw).to_string();
        HostNames {
            name,
            fqdn: raw.to_string(),
        }
    }
}

/// The first dotted alias of `name` in /etc/hosts (how resolvers answer `hostname -f` offline).
fn fqdn_from_hosts(name: &str) -> Option<String> {
    let hosts = crate::platform::hosts::hosts_file()?;
    hosts
        .lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .filter_map(|l| {
            let fields: Vec<&str> = l.split_whitespace().skip(1).collect();
            let has_name = fields.iter().any(|f| {
                f.eq_ignore_ascii_case(name)
                    || f.split('.')
                        .next()
                        .is_some_and(|s| s.eq_ignore_ascii_case(name))
            });
            has_name.then(|| {
                fields
                    .iter()
                    .find(|f| {
                        f.contains('.')
                            && f.split('.')
                                .next()
                                .is_some_and(|s| s.eq_ignore_ascii_case(name))
                    })
                    .map(|f| f.to_string())
            })?
        })
        .next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_servers_split_their_fqdn() {
        let h = HostNames::for_server(Some("ex02.contoso.com"));
        assert_eq!(h.name, "ex02");
        assert_eq!(h.fqdn, "ex02.contoso.com");
        let h = HostNames::for_server(Some("EX03"));
        assert_eq!((h.name.as_str(), h.fqdn.as_str()), ("EX03", "EX03"));
    }
}
