//! Which certificates hold which services on a server (the server's `assignments` file).

use super::meta;
use crate::cert::services::Services;
use crate::{Code, Error, Result};
use std::collections::BTreeMap;

/// Which certificates hold which services on a server.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Assignments {
    /// Service flag → thumbprints holding it.
    pub holders: BTreeMap<u32, Vec<String>>,
    /// The server's default SMTP certificate.
    pub default_smtp: Option<String>,
}

impl Assignments {
    /// The services a certificate holds.
    pub fn services_of(&self, thumbprint: &str) -> Services {
        Services(
            self.holders
                .iter()
                .filter(|(_, ts)| ts.iter().any(|t| t == thumbprint))
                .fold(0, |acc, (flag, _)| acc | flag),
        )
    }

    pub(super) fn encode(&self) -> String {
        let mut m = BTreeMap::new();
        for (flag, ts) in &self.holders {
            if !ts.is_empty() {
                m.insert(Services(*flag).to_string(), ts.join(","));
            }
        }
        if let Some(t) = &self.default_smtp {
            m.insert("DefaultSMTP".into(), t.clone());
        }
        meta::encode(&m)
    }

    pub(super) fn decode(text: &str, what: &str) -> Result<Assignments> {
        let mut a = Assignments::default();
        for (k, v) in meta::decode(text, what)? {
            if k == "DefaultSMTP" {
                a.default_smtp = Some(v);
                continue;
            }
            let flag = Services::parse(&k).map_err(|_| {
                Error::new(
                    Code::StoreCorrupt,
                    format!("{what} names an unknown service '{k}': fix or delete the line"),
                )
            })?;
            a.holders.insert(
                flag.0,
                v.split(',')
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
                    .collect(),
            );
        }
        Ok(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignments_round_trip() {
        let mut a = Assignments::default();
        a.holders.insert(8, vec!["AA".into()]);
        a.holders.insert(16, vec!["AA".into(), "BB".into()]);
        a.default_smtp = Some("BB".into());
        let back = Assignments::decode(&a.encode(), "t").unwrap();
        assert_eq!(back, a);
        assert_eq!(back.services_of("AA"), Services(24));
        assert_eq!(back.services_of("BB"), Services::SMTP);
    }
}
