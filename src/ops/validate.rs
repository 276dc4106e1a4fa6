//! Checks of request fields that several verbs share.

use super::{DEFAULT_FRIENDLY_NAME, MAX_FRIENDLY_NAME};
use crate::cert::build;
use crate::{Error, Result};
use time::OffsetDateTime;

pub(super) fn friendly_name(name: Option<&str>) -> Result<String> {
    match name {
        None => Ok(DEFAULT_FRIENDLY_NAME.to_string()),
        Some(n) if n.trim().is_empty() => Err(Error::invalid("FriendlyName is empty: give a name, or leave it out for 'Microsoft Exchange'")),
        Some(n) if n.chars().count() > MAX_FRIENDLY_NAME => Err(Error::invalid(format!(
            "FriendlyName is {} characters long; Exchange allows at most {MAX_FRIENDLY_NAME}: shorten it",
            n.chars().count()
        ))),
        Some(n) if n.chars().any(char::is_control) => Err(Error::invalid("FriendlyName holds control characters: use printable text")),
        Some(n) => Ok(n.to_string()),
    }
}

/// NotBefore (default now) and NotAfter (default NotBefore + 60 months), in order.
pub(super) fn validity(
    not_before: Option<OffsetDateTime>,
    not_after: Option<OffsetDateTime>,
) -> Result<(OffsetDateTime, OffsetDateTime)> {
    let (start, default_end) =
        build::default_validity(not_before.unwrap_or_else(OffsetDateTime::now_utc));
    let end = not_after.unwrap_or(default_end);
    if end <= start {
        return Err(Error::invalid("NotAfter must be later than NotBefore"));
    }
    Ok((start, end))
}

/// An explicit SubjectKeyIdentifier: 1 to 64 bytes.
pub(super) fn subject_key_identifier(ski: &[u8]) -> Result<Vec<u8>> {
    if ski.is_empty() || ski.len() > 64 {
        return Err(Error::invalid(format!(
            "SubjectKeyIdentifier is {} bytes long: give 1 to 64 bytes",
            ski.len()
        )));
    }
    Ok(ski.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cert::hex_upper;

    #[test]
    fn friendly_names_are_checked() {
        assert_eq!(friendly_name(None).unwrap(), "Microsoft Exchange");
        assert!(friendly_name(Some(&"x".repeat(63))).is_ok());
        assert!(friendly_name(Some(&"x".repeat(64)))
            .unwrap_err()
            .message
            .contains("at most 63"));
        assert!(friendly_name(Some("a\nb")).is_err());
    }

    #[test]
    fn key_identifiers_and_dates_are_checked() {
        assert!(subject_key_identifier(&[]).is_err());
        assert!(subject_key_identifier(&[0; 65]).is_err());
        assert_eq!(subject_key_identifier(&[1, 0xab]).unwrap(), vec![1, 0xab]);
        assert_eq!(hex_upper(&[1, 0xab]), "01AB");
        let now = OffsetDateTime::now_utc();
        assert!(validity(Some(now), Some(now - time::Duration::days(1))).is_err());
        let (start, end) = validity(Some(now), None).unwrap();
        assert!(end > start);
    }
}
