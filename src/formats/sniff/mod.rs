//! What a blob of bytes is, and the certificates in it, judged by content rather than file name.
//!
//! Accepted for certificates: a DER certificate (or several joined), PEM certificate(s) or
//! bundle, PKCS#7 (`.p7b`/`.p7c`) as DER, BER or PEM, and any of the binary forms as Base64 text
//! without PEM armour (what admins paste from mail or a CA's web page). Text may be UTF-8 with or
//! without BOM, or UTF-16 (what `[Text.Encoding]::Unicode.GetBytes()` hands over).

mod classify;
mod extract;
mod text;

use std::borrow::Cow;

use crate::formats::check_count;
use crate::formats::pem;
use crate::{Code, Error, Result};

use classify::der_kind;
use extract::{from_der, from_pem};
use text::{bare_base64, normalize, trim_ws};

/// What the data is, for routing an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One X.509 certificate: DER, one PEM block, or bare Base64 of the DER.
    Certificate,
    /// PEM text with more than one certificate, or certificates together with other blocks
    /// (a key, a chain as PKCS#7).
    PemBundle,
    /// PKCS#7 SignedData (`.p7b`/`.p7c`), DER, BER or PEM.
    Pkcs7,
    /// PKCS#12 (`.pfx`/`.p12`), binary or Base64; read by `formats::pkcs12`, not here.
    Pkcs12,
    /// A PKCS#10 certificate request, DER or PEM.
    CertificateRequest,
    /// None of the above.
    Unknown,
}

/// What the accepted formats are, for messages.
const ACCEPTED: &str = "a certificate (.cer/.crt/.der/.pem, DER or PEM), a PEM bundle, a PKCS#7 \
                        chain (.p7b/.p7c, DER or PEM), a PKCS#12 file (.pfx/.p12), or any of \
                        them as Base64 text";

const CERT_LABELS: [&str; 3] = [pem::CERTIFICATE, "X509 CERTIFICATE", "TRUSTED CERTIFICATE"];
const PKCS7_LABELS: [&str; 3] = [pem::PKCS7, "PKCS #7 SIGNED DATA", "CMS"];
const CSR_LABELS: [&str; 2] = [pem::NEW_CERTIFICATE_REQUEST, pem::CERTIFICATE_REQUEST];
const PKCS12_LABELS: [&str; 2] = ["PKCS12", "PFX"];

/// What kind of data this is. Judged from the first elements only, so a truncated file still
/// gets its kind (and `certificates` then says where it breaks).
pub fn kind(data: &[u8]) -> Kind {
    let data = normalize(data);
    let data = trim_ws(&data);
    if data.is_empty() {
        return Kind::Unknown;
    }
    if data[0] == 0x30 {
        return der_kind(data);
    }
    if pem::is_pem(data) {
        return match pem::parse(data) {
            Ok(blocks) => classify::pem_kind(&blocks),
            Err(_) => classify::pem_kind_by_labels(data),
        };
    }
    match bare_base64(data) {
        Some(bin) if bin.first() == Some(&0x30) => der_kind(&bin),
        _ => Kind::Unknown,
    }
}

/// The binary form of the data: Base64 text without armour decoded, anything else unchanged.
/// Lets the importer hand a pasted Base64 `.pfx` to the PKCS#12 reader.
pub fn binary(data: &[u8]) -> Cow<'_, [u8]> {
    let text = normalize(data);
    let trimmed = trim_ws(&text);
    if trimmed.first() != Some(&0x30) && !pem::is_pem(trimmed) {
        if let Some(bin) = bare_base64(trimmed) {
            return Cow::Owned(bin);
        }
    }
    Cow::Borrowed(data)
}

/// The DER certificates in the data, in the order they appear, exact duplicates dropped. Each
/// one parses as X.509. Errors: `EmptyData` (nothing given, or a container without
/// certificates), `MalformedData` (truncated or damaged: names what was recognised and where
/// it broke), `UnknownFormat` (not a certificate container; lists what is accepted).
pub fn certificates(data: &[u8]) -> Result<Vec<Vec<u8>>> {
    let text = normalize(data);
    let data = trim_ws(&text);
    if data.iter().all(|&b| b == 0) {
        return Err(Error::new(
            Code::EmptyData,
            "no certificate data was given (the input is empty); pass the file's bytes, for \
             example -FileData ([IO.File]::ReadAllBytes('C:\\cert.cer'))",
        ));
    }
    let certs = if data[0] == 0x30 {
        from_der(data, "the DER data")?
    } else if pem::is_pem(data) {
        from_pem(data)?
    } else if let Some(bin) = bare_base64(data) {
        if bin.first() != Some(&0x30) {
            return Err(unknown(
                "the text is Base64 but does not decode to a certificate",
            ));
        }
        from_der(&bin, "the Base64-decoded data")?
    } else {
        return Err(unknown("the data is neither DER, PEM nor Base64"));
    };
    check_count(certs.len(), "certificates")?;
    let mut seen = std::collections::HashSet::with_capacity(certs.len());
    let unique = certs
        .into_iter()
        .filter(|c| seen.insert(c.clone()))
        .collect();
    Ok(unique)
}

pub(super) fn unknown(what: &str) -> Error {
    Error::new(Code::UnknownFormat, format!("{what}; give {ACCEPTED}"))
}

pub(super) fn malformed(message: String) -> Error {
    Error::new(Code::MalformedData, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_inputs() {
        for input in [&b""[..], b"  \r\n", b"\xef\xbb\xbf", b"\0\0\0"] {
            assert_eq!(
                certificates(input).unwrap_err().code,
                Code::EmptyData,
                "{input:?}"
            );
            assert_eq!(kind(input), Kind::Unknown);
        }
    }

    #[test]
    fn pkcs8_key_is_not_a_certificate() {
        // SEQUENCE { INTEGER 0, SEQUENCE { OID }, OCTET STRING }
        let key = [
            0x30, 0x0b, 0x02, 0x01, 0x00, 0x30, 0x03, 0x06, 0x01, 0x2a, 0x04, 0x01, 0x00,
        ];
        assert_eq!(kind(&key), Kind::Unknown);
        assert_eq!(certificates(&key).unwrap_err().code, Code::UnknownFormat);
    }
}
