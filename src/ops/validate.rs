//! Checks of request fields that several verbs share.

use super::{DEFAULT_FRIENDLY_NAME, MAX_FRIENDLY_NAME};
use crate::cert::build;
use crate::{Error, Result};
use time::format_description::well_known::Rfc3339;
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

pub(super) fn validity(
    not_before: Option<&str>,
    not_after: Option<&str>,
) -> Result<(OffsetDateTime, OffsetDateTime)> {
    let parse = |name: &str, s: &str| {
        OffsetDateTime::parse(s, &Rfc3339).map_err(|_| {
            Error::invalid(format!(
                "{name} '{s}' is not an RFC 3339 date such as 2027-01-31T00:00:00Z"
            ))
        })
    };
    let start = match not_before {
        Some(s) => parse("NotBefore", s)?,
        None => OffsetDateTime::now_utc(),
    };
    let (start, default_end) = build::default_validity(start);
    let end = match not_after {
        Some(s) => parse("NotAfter", s)?,
        None => default_end,
    };
    if end <= start {
        return Err(Error::invalid("NotAfter must be later than NotBefore"));
    }
    Ok((start, end))
}

pub(super) fn parse_hex(text: &str) -> Result<Vec<u8>> {
    let clean: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ':')
        .collect();
    if clean.is_empty()
        || !clean.len().is_multiple_of(2)
        || clean.len() > 128
        || !clean.chars().all(|c| c.is_ascii_hexdigit())
    {
        return Err(Error::invalid(format!(
            "SubjectKeyIdentifier '{text}' is not an even number of hexadecimal digits (at most 64 bytes)"
        )));
    }
    Ok((0..clean.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&clean[i..i + 2], 16).unwrap_or(0))
        .collect())
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
    fn hex_is_checked() {
        assert_eq!(parse_hex("0a:FF 10").unwrap(), vec![10, 255, 16]);
        assert!(parse_hex("abc").is_err());
        assert!(parse_hex("zz").is_err());
        assert_eq!(hex_upper(&[1, 0xab]), "01AB");
    }
}
