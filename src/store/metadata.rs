//! What the store keeps about an entry besides its DER files (the entry's `entry` file).

use super::meta;
use crate::Result;
use std::collections::BTreeMap;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// How an entry came to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Made here, self-signed.
    SelfSigned,
    /// A request made here (pending, or completed by an import).
    Request,
    /// Imported from a file.
    Imported,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::SelfSigned => "SelfSigned",
            Source::Request => "Request",
            Source::Imported => "Imported",
        }
    }

    fn parse(s: &str) -> Source {
        match s {
            "SelfSigned" => Source::SelfSigned,
            "Request" => Source::Request,
            _ => Source::Imported,
        }
    }
}

/// What the store keeps about an entry besides its DER files.
#[derive(Clone, Debug, PartialEq)]
pub struct Metadata {
    pub friendly_name: String,
    pub private_key_exportable: bool,
    pub created: OffsetDateTime,
    pub source: Source,
}

impl Metadata {
    pub(super) fn encode(&self) -> String {
        let mut m = BTreeMap::new();
        m.insert("FriendlyName".into(), self.friendly_name.clone());
        m.insert(
            "PrivateKeyExportable".into(),
            self.private_key_exportable.to_string(),
        );
        m.insert(
            "Created".into(),
            self.created.format(&Rfc3339).unwrap_or_default(),
        );
        m.insert("Source".into(), self.source.as_str().into());
        meta::encode(&m)
    }

    pub(super) fn decode(text: &str, what: &str) -> Result<Metadata> {
        let m = meta::decode(text, what)?;
        let get = |k: &str| m.get(k).cloned().unwrap_or_default();
        Ok(Metadata {
            friendly_name: get("FriendlyName"),
            private_key_exportable: get("PrivateKeyExportable") == "true",
            created: OffsetDateTime::parse(&get("Created"), &Rfc3339)
                .unwrap_or(OffsetDateTime::UNIX_EPOCH),
            source: Source::parse(&get("Source")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_round_trips() {
        let m = Metadata {
            friendly_name: "a=b\nc".into(),
            private_key_exportable: true,
            created: OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap(),
            source: Source::Request,
        };
        assert_eq!(Metadata::decode(&m.encode(), "t").unwrap(), m);
    }
}
