//! PEM (RFC 7468 "textual encoding"): reading any number of blocks out of text, writing blocks
//! with 64-character lines.
//!
//! Reading is lenient the way admins' files need it: CRLF or CR line ends, text before, between
//! and after blocks (`openssl x509 -text` output, mail quoting), indented lines, RFC 1421 header
//! lines, missing Base64 padding, and blocks whose line breaks were flattened to spaces.
//! What is inside a block is not checked here: a `CERTIFICATE` block may hold PKCS#7 (Microsoft
//! CA web enrollment writes that), so callers look at the bytes, not only at the label.

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;

use crate::{Code, Error, Result};

/// Label of an X.509 certificate.
pub const CERTIFICATE: &str = "CERTIFICATE";
/// Label of a PKCS#10 request as Windows and Exchange write it.
pub const NEW_CERTIFICATE_REQUEST: &str = "NEW CERTIFICATE REQUEST";
/// Label of a PKCS#10 request as OpenSSL writes it.
pub const CERTIFICATE_REQUEST: &str = "CERTIFICATE REQUEST";
/// Label of an unencrypted PKCS#8 private key.
pub const PRIVATE_KEY: &str = "PRIVATE KEY";
/// Label of a PKCS#7 / CMS structure as OpenSSL writes it.
pub const PKCS7: &str = "PKCS7";

/// Base64 decoder that takes input with or without `=` padding (both occur in the wild).
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// One PEM block: its label and the bytes its Base64 body decodes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The label between `BEGIN ` and the dashes, e.g. `CERTIFICATE`.
    pub label: String,
    /// RFC 1421 header lines (`Proc-Type: 4,ENCRYPTED`), in order; usually empty.
    pub headers: Vec<(String, String)>,
    /// The decoded body.
    pub data: Vec<u8>,
    /// 1-based line of the `BEGIN` boundary in the input, for messages.
    pub line: usize,
}

impl Block {
    /// A block with a label and data, no headers.
    pub fn new(label: impl Into<String>, data: impl Into<Vec<u8>>) -> Block {
        Block {
            label: label.into(),
            headers: Vec::new(),
            data: data.into(),
            line: 0,
        }
    }
}

const BEGIN: &[u8] = b"-----BEGIN ";
const END: &[u8] = b"-----END ";
const DASHES: &[u8] = b"-----";

/// True when the data holds at least one PEM `BEGIN` boundary.
pub fn is_pem(data: &[u8]) -> bool {
    find(data, BEGIN, 0).is_some()
}

/// Every PEM block in `text`, in order. Text outside blocks is ignored; no block at all gives an
/// empty list. A block that is cut off, has a mismatched `END` label or a body that is not Base64
/// gives `MalformedData` naming the block and the line.
pub fn parse(text: &[u8]) -> Result<Vec<Block>> {
    let mut blocks = Vec::new();
    let mut pos = 0;
    while let Some(begin) = find(text, BEGIN, pos) {
        let line = line_of(text, begin);
        let label_start = begin + BEGIN.len();
        let label_end = find_label_end(text, label_start).ok_or_else(|| {
            malformed(format!(
                "the PEM BEGIN line on line {line} is not closed with \"-----\"; the text is cut \
                 off or damaged, copy the whole block again"
            ))
        })?;
        let label = label_text(&text[label_start..label_end], line)?;
        let body_start = label_end + DASHES.len();
        let end = find(text, END, body_start).ok_or_else(|| {
            malformed(format!(
                "the PEM block \"{label}\" starting on line {line} has no END line; the data is \
                 truncated, copy the whole block including \"-----END {label}-----\""
            ))
        })?;
        let end_label_start = end + END.len();
        let end_label_end = find_label_end(text, end_label_start).ok_or_else(|| {
            malformed(format!(
                "the END line of PEM block \"{label}\" (line {}) is not closed with \"-----\"",
                line_of(text, end)
            ))
        })?;
        let end_label = String::from_utf8_lossy(&text[end_label_start..end_label_end]);
        if end_label.trim() != label {
            return Err(malformed(format!(
                "the PEM block \"{label}\" starting on line {line} ends with \"END {}\" on line \
                 {}; two blocks are mixed up, check the file",
                end_label.trim(),
                line_of(text, end)
            )));
        }
        let (headers, data) = body(&text[body_start..end], &label, line)?;
        blocks.push(Block {
            label,
            headers,
            data,
            line,
        });
        pos = end_label_end + DASHES.len();
    }
    Ok(blocks)
}

/// One block as PEM text: `BEGIN` line, Base64 in 64-character lines, `END` line, LF line ends.
pub fn encode(label: &str, data: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(data);
    let mut out = String::with_capacity(b64.len() + b64.len() / 64 + 2 * label.len() + 40);
    out.push_str("-----BEGIN ");
    out.push_str(label);
    out.push_str("-----\n");
    // Base64 output is ASCII, so byte chunks are char boundaries.
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str("-----END ");
    out.push_str(label);
    out.push_str("-----\n");
    out
}

/// Several blocks as one PEM text, in order (a certificate chain, a key and its certificate).
pub fn encode_many(blocks: &[Block]) -> String {
    blocks.iter().map(|b| encode(&b.label, &b.data)).collect()
}

fn malformed(message: String) -> Error {
    Error::new(Code::MalformedData, message)
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// End of a boundary label: the next `-----` on the same line.
fn find_label_end(text: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i < text.len() {
        match text[i] {
            b'\n' | b'\r' => return None,
            b'-' if text[i..].starts_with(DASHES) => return Some(i),
            _ => i += 1,
        }
    }
    None
}

fn label_text(raw: &[u8], line: usize) -> Result<String> {
    let label = std::str::from_utf8(raw)
        .ok()
        .filter(|l| l.bytes().all(|b| (0x20..0x7f).contains(&b)))
        .ok_or_else(|| {
            malformed(format!(
                "the PEM BEGIN line on line {line} has a label that is not plain ASCII"
            ))
        })?;
    Ok(label.trim().to_string())
}

/// 1-based line number of a byte offset; a lone CR counts as a line end too.
fn line_of(text: &[u8], offset: usize) -> usize {
    let mut line = 1;
    let mut prev = 0u8;
    for &b in &text[..offset] {
        if b == b'\n' && prev != b'\r' || b == b'\r' {
            line += 1;
        }
        prev = b;
    }
    line
}

type Headers = Vec<(String, String)>;

/// Splits a block body into RFC 1421 headers and decoded Base64.
fn body(raw: &[u8], label: &str, line: usize) -> Result<(Headers, Vec<u8>)> {
    let mut headers: Headers = Vec::new();
    let mut b64 = Vec::with_capacity(raw.len());
    let mut in_headers = true;
    for l in raw.split(|&b| b == b'\n' || b == b'\r') {
        let l = trim(l);
        if l.is_empty() {
            continue;
        }
        if in_headers {
            if let Some(colon) = l.iter().position(|&b| b == b':') {
                let key = String::from_utf8_lossy(trim(&l[..colon])).into_owned();
                let value = String::from_utf8_lossy(trim(&l[colon + 1..])).into_owned();
                headers.push((key, value));
                continue;
            }
            in_headers = false;
        }
        // Flattened pastes put spaces (or tabs) where line breaks were.
        b64.extend(l.iter().copied().filter(|b| !b.is_ascii_whitespace()));
    }
    if b64.is_empty() {
        return Err(malformed(format!(
            "the PEM block \"{label}\" starting on line {line} is empty"
        )));
    }
    if let Some(bad) = b64
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'='))
    {
        return Err(malformed(format!(
            "the PEM block \"{label}\" starting on line {line} holds the character {:?}, which is \
             not Base64 (at Base64 position {bad}); the text was altered, copy it again",
            b64[bad] as char
        )));
    }
    let data = LENIENT.decode(&b64).map_err(|e| {
        malformed(format!(
            "the Base64 body of PEM block \"{label}\" starting on line {line} does not decode \
             ({e}); the text is truncated or altered, copy it again"
        ))
    })?;
    Ok((headers, data))
}

fn trim(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if first.is_ascii_whitespace() {
            s = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = s {
        if last.is_ascii_whitespace() {
            s = rest;
        } else {
            break;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_with_64_char_lines() {
        let data: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        let text = encode(CERTIFICATE, &data);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "-----BEGIN CERTIFICATE-----");
        assert_eq!(*lines.last().unwrap(), "-----END CERTIFICATE-----");
        // 1000 bytes -> 1336 Base64 chars -> 20 full lines and one of 56.
        assert_eq!(lines.len(), 2 + 21);
        assert!(lines[1..21].iter().all(|l| l.len() == 64));
        assert_eq!(lines[21].len(), 1336 - 20 * 64);
        let blocks = parse(text.as_bytes()).unwrap();
        assert_eq!(
            blocks,
            vec![Block {
                line: 1,
                ..Block::new(CERTIFICATE, data)
            }]
        );
    }

    #[test]
    fn crlf_leading_text_headers_and_several_blocks() {
        let text = "subject=CN = x\r\nissuer=CN = y\r\n  -----BEGIN PKCS7-----\r\n  AAEC\r\n  Aw==\r\n  -----END PKCS7-----\r\n\r\nnoise\r\n-----BEGIN RSA PRIVATE KEY-----\r\nProc-Type: 4,ENCRYPTED\r\nDEK-Info: AES-128-CBC,00\r\n\r\nBAUG\r\n-----END RSA PRIVATE KEY-----";
        let blocks = parse(text.as_bytes()).unwrap();
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].label, PKCS7);
        assert_eq!(blocks[0].data, vec![0, 1, 2, 3]);
        assert_eq!(blocks[0].line, 3);
        assert_eq!(blocks[1].label, "RSA PRIVATE KEY");
        assert_eq!(
            blocks[1].headers,
            vec![
                ("Proc-Type".to_string(), "4,ENCRYPTED".to_string()),
                ("DEK-Info".to_string(), "AES-128-CBC,00".to_string())
            ]
        );
        assert_eq!(blocks[1].data, vec![4, 5, 6]);
        assert_eq!(blocks[1].line, 9);
    }

    #[test]
    fn flattened_block_and_missing_padding() {
        let text = b"-----BEGIN CERTIFICATE----- AAEC Aw -----END CERTIFICATE-----";
        let blocks = parse(text).unwrap();
        assert_eq!(blocks[0].data, vec![0, 1, 2, 3]);
    }

    #[test]
    fn no_blocks_is_empty() {
        assert!(parse(b"just text\n").unwrap().is_empty());
        assert!(!is_pem(b"MIIB"));
    }

    #[test]
    fn broken_blocks_name_the_problem() {
        let e = parse(b"x\n-----BEGIN CERTIFICATE-----\nAAEC\n").unwrap_err();
        assert_eq!(e.code, Code::MalformedData);
        assert!(
            e.message.contains("line 2") && e.message.contains("no END"),
            "{e}"
        );

        let e = parse(b"-----BEGIN CERTIFICATE-----\nAAEC\n-----END PKCS7-----\n").unwrap_err();
        assert!(e.message.contains("END PKCS7"), "{e}");

        let e = parse(b"-----BEGIN CERTIFICATE-----\nAA*C\n-----END CERTIFICATE-----").unwrap_err();
        assert!(e.message.contains("'*'"), "{e}");

        let e = parse(b"-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----").unwrap_err();
        assert!(e.message.contains("does not decode"), "{e}");

        let e = parse(b"-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----").unwrap_err();
        assert!(e.message.contains("empty"), "{e}");

        let e = parse(b"-----BEGIN CERTIFICATE\nAAEC").unwrap_err();
        assert!(e.message.contains("not closed"), "{e}");
    }

    #[test]
    fn lone_cr_line_numbers() {
        assert_eq!(line_of(b"a\rb\r\nc\nd", 7), 4);
    }
}
