//! Text of the JSON requests to the core's typed values, with the errors a C or PowerShell
//! caller needs: each names the field and the fix.

use crate::cert::keys::KeyAlgorithm;
use crate::cert::names::Subject;
use crate::cert::services::Services;
use crate::model::{Encryption, FileTarget, RevocationMode};
use crate::{Error, Result};
use base64::Engine;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// An RFC 3339 date named `field` in the errors.
pub(crate) fn date(field: &str, text: Option<&str>) -> Result<Option<OffsetDateTime>> {
    text.map(|s| {
        OffsetDateTime::parse(s, &Rfc3339).map_err(|_| {
            Error::invalid(format!(
                "{field} '{s}' is not an RFC 3339 date such as 2027-01-31T00:00:00Z"
            ))
        })
    })
    .transpose()
}

/// `SubjectKeyIdentifier`: hex digits, `:` and spaces allowed between them.
pub(crate) fn hex(text: &str) -> Result<Vec<u8>> {
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

/// `SubjectName`; blank means the default (`CN=<server>`).
pub(crate) fn subject(text: Option<&str>) -> Result<Option<Subject>> {
    text.filter(|s| !s.trim().is_empty())
        .map(Subject::parse)
        .transpose()
}

pub(crate) fn services(text: Option<&str>) -> Result<Option<Services>> {
    text.map(Services::parse).transpose()
}

pub(crate) fn key_algorithm(text: Option<&str>) -> Result<Option<KeyAlgorithm>> {
    text.map(KeyAlgorithm::parse).transpose()
}

/// `Encryption`: `Modern` (default) or `Legacy`, any case.
pub(crate) fn encryption(text: Option<&str>) -> Result<Encryption> {
    text.map_or(Ok(Encryption::Modern), Encryption::parse)
}

/// `FileData`: the file's bytes as Base64 (the core refuses empty data).
pub(crate) fn file_data(text: &str) -> Result<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|_| Error::invalid("FileData is not Base64: pass the file's bytes (the C API takes them Base64-encoded)"))
}

/// An output file (`FileName`, `RequestFile`) and `BinaryEncoded`, which says how it is written
/// and so goes with it only.
pub(crate) fn file_target(
    field: &str,
    path: Option<String>,
    binary_encoded: bool,
) -> Result<Option<FileTarget>> {
    match path {
        None if binary_encoded => Err(Error::invalid(format!(
            "BinaryEncoded says how {field} is written (the bytes, not the text): give {field} too, or leave BinaryEncoded out"
        ))),
        None => Ok(None),
        Some(p) if p.is_empty() => Err(Error::invalid(format!(
            "{field} is empty: give the path of the file to write, or leave {field} out"
        ))),
        Some(p) => Ok(Some(FileTarget {
            path: p.into(),
            binary_encoded,
        })),
    }
}

pub(crate) fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// `RefreshRevocation` and `OfflineRevocation` (at most one of them).
pub(crate) fn revocation(refresh: bool, offline: bool) -> Result<RevocationMode> {
    match (refresh, offline) {
        (true, true) => Err(Error::invalid(
            "RefreshRevocation and OfflineRevocation cannot be given together: a refresh needs the network; give one of them",
        )),
        (true, false) => Ok(RevocationMode::Refresh),
        (false, true) => Ok(RevocationMode::Offline),
        (false, false) => Ok(RevocationMode::Online),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_checked() {
        assert_eq!(hex("0a:FF 10").unwrap(), vec![10, 255, 16]);
        assert!(hex("abc").is_err());
        assert!(hex("zz").is_err());
    }

    #[test]
    fn encryption_names_any_case() {
        assert_eq!(encryption(Some(" legacy ")).unwrap(), Encryption::Legacy);
        assert_eq!(encryption(None).unwrap(), Encryption::Modern);
        assert!(encryption(Some("AES"))
            .unwrap_err()
            .message
            .contains("Modern"));
    }
}
