//! What a blob of bytes is, and the certificates in it, judged by content rather than file name.
//!
//! Accepted for certificates: a DER certificate (or several joined), PEM certificate(s) or
//! bundle, PKCS#7 (`.p7b`/`.p7c`) as DER, BER or PEM, and any of the binary forms as Base64 text
//! without PEM armour (what admins paste from mail or a CA's web page). Text may be UTF-8 with or
//! without BOM, or UTF-16 (what `[Text.Encoding]::Unicode.GetBytes()` hands over).

use std::borrow::Cow;

use base64::Engine as _;
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::formats::check_count;
use crate::formats::pem;
use crate::formats::pkcs7::{self, header};
use crate::formats::text::LENIENT_BASE64;
use crate::{Code, Error, Result};

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

const CERT_LABELS: [&str; 3] = ["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"];
const PKCS7_LABELS: [&str; 3] = ["PKCS7", "PKCS #7 SIGNED DATA", "CMS"];
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
            Ok(blocks) => pem_kind(&blocks),
            Err(_) => pem_kind_by_labels(data),
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

fn unknown(what: &str) -> Error {
    Error::new(Code::UnknownFormat, format!("{what}; give {ACCEPTED}"))
}

fn malformed(message: String) -> Error {
    Error::new(Code::MalformedData, message)
}

/// Drops a UTF-8 BOM and turns UTF-16 text (with or without BOM) into single bytes. Binary
/// DER never starts with these patterns (it starts with 0x30).
fn normalize(data: &[u8]) -> Cow<'_, [u8]> {
    if let Some(rest) = data.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return Cow::Borrowed(rest);
    }
    let (body, low_first) = if let Some(rest) = data.strip_prefix(&[0xff, 0xfe]) {
        (rest, true)
    } else if let Some(rest) = data.strip_prefix(&[0xfe, 0xff]) {
        (rest, false)
    } else if data.len() >= 4 && data.len().is_multiple_of(2) && data[0] != 0x30 && data[1] == 0 {
        (data, true)
    } else {
        return Cow::Borrowed(data);
    };
    if !body.len().is_multiple_of(2) {
        return Cow::Borrowed(data);
    }
    let mut out = Vec::with_capacity(body.len() / 2);
    for pair in body.chunks_exact(2) {
        let (lo, hi) = if low_first {
            (pair[0], pair[1])
        } else {
            (pair[1], pair[0])
        };
        // Only ASCII text is worth converting; anything else stays as it was.
        if hi != 0 || lo >= 0x80 {
            return Cow::Borrowed(data);
        }
        out.push(lo);
    }
    Cow::Owned(out)
}

fn trim_ws(s: &[u8]) -> &[u8] {
    let mut s = s.trim_ascii_start();
    // Binary data may end in a whitespace byte value, so only trim the end of text.
    if s.first() != Some(&0x30) {
        while let [rest @ .., last] = s {
            if last.is_ascii_whitespace() || *last == 0 {
                s = rest;
            } else {
                break;
            }
        }
    }
    s
}

/// Base64 text without armour (whitespace allowed anywhere), decoded; `None` if it is not.
fn bare_base64(text: &[u8]) -> Option<Vec<u8>> {
    let compact: Vec<u8> = text
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    // Too short to be any certificate; avoids taking a stray word for Base64.
    if compact.len() < 16
        || !compact
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=')
    {
        return None;
    }
    LENIENT_BASE64.decode(&compact).ok()
}

/// Header of the element at `data[at..]`, tolerating that its content is cut off.
fn peek(data: &[u8], at: usize) -> Option<(pkcs7::Header, usize)> {
    let h = header(data.get(at..)?).ok()?;
    Some((h, at + h.header_len))
}

/// Kind of DER/BER data from its first elements.
fn der_kind(data: &[u8]) -> Kind {
    const INTEGER: u8 = 0x02;
    const OID: u8 = 0x06;
    const SEQUENCE: u8 = 0x30;
    const SET: u8 = 0x31;
    let Some((outer, inner)) = peek(data, 0) else {
        return Kind::Unknown;
    };
    if outer.tag != SEQUENCE {
        return Kind::Unknown;
    }
    if pkcs7::looks_like_pkcs7(data) {
        return Kind::Pkcs7;
    }
    let Some((first, first_content)) = peek(data, inner) else {
        return Kind::Unknown;
    };
    match first.tag {
        // PFX: version 3, then a ContentInfo (SEQUENCE whose first child is an OID).
        INTEGER => {
            let is_v3 = first.len == Some(1) && data.get(first_content) == Some(&3);
            let next = first_content + first.len.unwrap_or(usize::MAX / 2);
            match (is_v3, peek(data, next)) {
                (true, Some((ci, ci_content))) if ci.tag == SEQUENCE => {
                    match peek(data, ci_content) {
                        Some((oid, _)) if oid.tag == OID => Kind::Pkcs12,
                        _ => Kind::Unknown,
                    }
                }
                _ => Kind::Unknown,
            }
        }
        // TBSCertificate or CertificationRequestInfo.
        SEQUENCE => {
            let Some((v, v_content)) = peek(data, first_content) else {
                return Kind::Unknown;
            };
            match v.tag {
                // [0] explicit version: a v2/v3 certificate.
                0xa0 => Kind::Certificate,
                INTEGER => {
                    let next = v_content + v.len.unwrap_or(usize::MAX / 2);
                    let Some((s, s_content)) = peek(data, next) else {
                        return Kind::Unknown;
                    };
                    if s.tag != SEQUENCE {
                        return Kind::Unknown;
                    }
                    // v1 certificate: serial, then the signature AlgorithmIdentifier (starts
                    // with an OID). Request: version, then the subject Name (SEQUENCE OF SET).
                    match peek(data, s_content) {
                        Some((x, _)) if x.tag == OID => Kind::Certificate,
                        Some((x, _)) if x.tag == SET => Kind::CertificateRequest,
                        // An empty subject Name in a request.
                        _ if s.len == Some(0) => Kind::CertificateRequest,
                        _ => Kind::Unknown,
                    }
                }
                _ => Kind::Unknown,
            }
        }
        _ => Kind::Unknown,
    }
}

fn pem_kind(blocks: &[pem::Block]) -> Kind {
    let mut certs = 0;
    let mut p7 = 0;
    let mut csr = 0;
    let mut p12 = 0;
    for b in blocks {
        match der_kind(&b.data) {
            Kind::Certificate => certs += 1,
            Kind::Pkcs7 => p7 += 1,
            Kind::CertificateRequest => csr += 1,
            Kind::Pkcs12 => p12 += 1,
            _ => {}
        }
    }
    classify(blocks.len(), certs, p7, csr, p12)
}

/// For PEM that does not parse: judge by the labels so the caller still routes it (and gets
/// the parse error from `certificates`).
fn pem_kind_by_labels(text: &[u8]) -> Kind {
    let mut labels = Vec::new();
    let needle = b"-----BEGIN ";
    let mut pos = 0;
    while let Some(i) = text[pos..].windows(needle.len()).position(|w| w == needle) {
        let start = pos + i + needle.len();
        let end = text[start..]
            .iter()
            .position(|&b| b == b'-' || b == b'\n' || b == b'\r')
            .map_or(text.len(), |e| start + e);
        labels.push(
            String::from_utf8_lossy(&text[start..end])
                .trim()
                .to_string(),
        );
        pos = end;
    }
    let count = |set: &[&str]| labels.iter().filter(|l| set.contains(&l.as_str())).count();
    classify(
        labels.len(),
        count(&CERT_LABELS),
        count(&PKCS7_LABELS),
        count(&CSR_LABELS),
        count(&PKCS12_LABELS),
    )
}

fn classify(total: usize, certs: usize, p7: usize, csr: usize, p12: usize) -> Kind {
    match (certs, p7) {
        (1, 0) if total == 1 => Kind::Certificate,
        (0, 0) if csr > 0 => Kind::CertificateRequest,
        (0, 0) if p12 > 0 => Kind::Pkcs12,
        (0, 0) => Kind::Unknown,
        (0, _) if total == p7 => Kind::Pkcs7,
        _ => Kind::PemBundle,
    }
}

/// Certificates from DER/BER: PKCS#7, or one or more certificates one after the other.
fn from_der(data: &[u8], source: &str) -> Result<Vec<Vec<u8>>> {
    match der_kind(data) {
        Kind::Pkcs7 => pkcs7::read_der(data),
        Kind::Certificate => {
            let mut certs = Vec::new();
            let mut pos = 0;
            while pos < data.len() {
                let what = if certs.is_empty() {
                    format!("the certificate in {source}")
                } else {
                    format!("certificate {} in {source}", certs.len() + 1)
                };
                if data[pos] != 0x30 {
                    if data[pos..]
                        .iter()
                        .all(|&b| b == 0 || b.is_ascii_whitespace())
                    {
                        break;
                    }
                    return Err(malformed(format!(
                        "{} unexpected bytes follow the certificate data at byte {pos} of \
                         {source}; the file is damaged or two different files were joined",
                        data.len() - pos
                    )));
                }
                let el = pkcs7::element(data, pos, &what)?;
                check_count(certs.len() + 1, "certificates")?;
                certs.push(parse_certificate(el.raw(data), &what, pos)?);
                pos = el.end;
            }
            Ok(certs)
        }
        Kind::CertificateRequest => Err(Error::new(
            Code::UnknownFormat,
            format!(
                "{source} is a certificate request (PKCS#10), not a certificate; submit it to \
                 your certificate authority and import the certificate it issues"
            ),
        )),
        Kind::Pkcs12 => Err(Error::new(
            Code::UnknownFormat,
            format!(
                "{source} is PKCS#12 (.pfx/.p12), which holds a private key; import it as \
                 PKCS#12 with its password"
            ),
        )),
        _ => {
            // A damaged outer element is worth saying so rather than "unknown".
            pkcs7::element(data, 0, &format!("the DER structure in {source}"))?;
            Err(unknown(&format!(
                "{source} is a DER structure but neither a certificate nor PKCS#7"
            )))
        }
    }
}

fn parse_certificate(der: &[u8], what: &str, at: usize) -> Result<Vec<u8>> {
    match X509Certificate::from_der(der) {
        Ok(([], _)) => Ok(der.to_vec()),
        Ok(_) => Err(malformed(format!(
            "{what} (at byte {at}) has extra bytes inside its outer element; the file is damaged"
        ))),
        Err(e) => Err(malformed(format!(
            "{what} (at byte {at}) is damaged and cannot be read ({e}); get the certificate \
             again from its issuer"
        ))),
    }
}

fn from_pem(text: &[u8]) -> Result<Vec<Vec<u8>>> {
    let blocks = pem::parse(text)?;
    let mut certs = Vec::new();
    let mut csr = false;
    for (i, b) in blocks.iter().enumerate() {
        check_count(certs.len(), "certificates")?;
        let what = format!("PEM block {} (\"{}\", line {})", i + 1, b.label, b.line);
        let label = b.label.as_str();
        match der_kind(&b.data) {
            Kind::Certificate if label == "TRUSTED CERTIFICATE" => {
                // OpenSSL's trusted form: the certificate, then its trust settings.
                let el = pkcs7::element(&b.data, 0, &format!("the certificate in {what}"))?;
                certs.push(parse_certificate(el.raw(&b.data), &what, 0)?);
            }
            Kind::Certificate => certs.extend(from_der(&b.data, &what)?),
            Kind::Pkcs7 => certs.extend(
                pkcs7::read_der(&b.data)
                    .map_err(|e| Error::new(e.code, format!("{what}: {}", e.message)))?,
            ),
            Kind::CertificateRequest => csr = true,
            _ if CERT_LABELS.contains(&label) || PKCS7_LABELS.contains(&label) => {
                // A certificate label over bytes that are not one: say where, and why.
                pkcs7::element(&b.data, 0, &format!("the data of {what}"))?;
                return Err(malformed(format!(
                    "{what} does not hold a certificate or PKCS#7 data; the block is damaged"
                )));
            }
            _ => {}
        }
    }
    if certs.is_empty() {
        if csr {
            return Err(Error::new(
                Code::UnknownFormat,
                "the PEM text holds a certificate request (PKCS#10), not a certificate; submit \
                 it to your certificate authority and import the certificate it issues",
            ));
        }
        let labels: Vec<&str> = blocks.iter().map(|b| b.label.as_str()).collect();
        return Err(unknown(&format!(
            "the PEM text holds no certificate (its blocks: {})",
            labels.join(", ")
        )));
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_text_is_normalized() {
        let text = "-----BEGIN X-----";
        let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(&*normalize(&le), text.as_bytes());
        let mut be = vec![0xfe, 0xff];
        be.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(&*normalize(&be), text.as_bytes());
        let mut bom8 = vec![0xef, 0xbb, 0xbf];
        bom8.extend_from_slice(text.as_bytes());
        assert_eq!(&*normalize(&bom8), text.as_bytes());
        // DER stays untouched.
        assert_eq!(
            &*normalize(&[0x30, 0x00, 0x01, 0x00]),
            &[0x30, 0x00, 0x01, 0x00]
        );
    }

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
    fn classification_by_counts() {
        assert_eq!(classify(1, 1, 0, 0, 0), Kind::Certificate);
        assert_eq!(classify(2, 1, 0, 0, 0), Kind::PemBundle);
        assert_eq!(classify(3, 3, 0, 0, 0), Kind::PemBundle);
        assert_eq!(classify(1, 0, 1, 0, 0), Kind::Pkcs7);
        assert_eq!(classify(2, 1, 1, 0, 0), Kind::PemBundle);
        assert_eq!(classify(1, 0, 0, 1, 0), Kind::CertificateRequest);
        assert_eq!(classify(1, 0, 0, 0, 0), Kind::Unknown);
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
