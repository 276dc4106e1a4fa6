//! PEM (RFC 7468 "textual encoding"): reading any number of blocks out of text, writing blocks
//! with 64-character lines.
//!
//! Reading is lenient the way admins' files need it: CRLF or CR line ends, text before, between
//! and after blocks (`openssl x509 -text` output, mail quoting), indented lines, RFC 1421 header
//! lines, missing Base64 padding, and blocks whose line breaks were flattened to spaces.
//! What is inside a block is not checked here: a `CERTIFICATE` block may hold PKCS#7 (Microsoft
//! CA web enrollment writes that), so callers look at the bytes, not only at the label.

use base64::Engine as _;
use zeroize::Zeroizing;

mod read;
pub use read::{is_pem, parse};

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

/// One PEM block: its label and the bytes its Base64 body decodes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The label between `BEGIN ` and the dashes, e.g. `CERTIFICATE`.
    pub label: String,
    /// RFC 1421 header lines (`Proc-Type: 4,ENCRYPTED`), in order; usually empty.
    pub headers: Vec<(String, String)>,
    /// The decoded body; zeroed on drop (a block may be a private key).
    pub data: Zeroizing<Vec<u8>>,
    /// 1-based line of the `BEGIN` boundary in the input, for messages.
    pub line: usize,
}

impl Block {
    /// A block with a label and data, no headers.
    pub fn new(label: impl Into<String>, data: impl Into<Vec<u8>>) -> Block {
        Block {
            label: label.into(),
            headers: Vec::new(),
            data: Zeroizing::new(data.into()),
            line: 0,
        }
    }
}

/// One block as PEM text: `BEGIN` line, Base64 in 64-character lines, `END` line, LF line ends.
/// Written straight into the result, 48 bytes (one line) at a time, so no other copy of the
/// data's Base64 is left behind: for a private key, zero the result (or use `encode_secret`).
pub fn encode(label: &str, data: &[u8]) -> String {
    let lines = data.len().div_ceil(48);
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4 + lines + 2 * label.len() + 40);
    out.push_str("-----BEGIN ");
    out.push_str(label);
    out.push_str("-----\n");
    for chunk in data.chunks(48) {
        base64::engine::general_purpose::STANDARD.encode_string(chunk, &mut out);
        out.push('\n');
    }
    out.push_str("-----END ");
    out.push_str(label);
    out.push_str("-----\n");
    out
}

/// `encode` for key material: the text is zeroed when dropped.
pub fn encode_secret(label: &str, data: &[u8]) -> Zeroizing<String> {
    Zeroizing::new(encode(label, data))
}

/// Several blocks as one PEM text, in order (a certificate chain, a key and its certificate).
pub fn encode_many(blocks: &[Block]) -> String {
    blocks.iter().map(|b| encode(&b.label, &b.data)).collect()
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
    fn encode_writes_the_same_text_as_one_base64_pass() {
        for len in [0, 1, 47, 48, 49, 95, 96, 97, 1000] {
            let data: Vec<u8> = (0..len).map(|i| (i * 7) as u8).collect();
            let b64 = base64::engine::general_purpose::STANDARD.encode(&data);
            let mut expected = String::from("-----BEGIN X-----\n");
            for chunk in b64.as_bytes().chunks(64) {
                expected.push_str(std::str::from_utf8(chunk).unwrap());
                expected.push('\n');
            }
            expected.push_str("-----END X-----\n");
            assert_eq!(encode("X", &data), expected, "{len} bytes");
            assert_eq!(*encode_secret("X", &data), expected);
        }
    }
}
