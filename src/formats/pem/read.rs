//! Reading PEM blocks out of text, leniently (see `pem`), in one pass over it.

use super::Block;
use crate::formats::text::LENIENT_BASE64;
use crate::{Code, Error, Result};
use base64::Engine as _;
use zeroize::Zeroizing;

const BEGIN: &[u8] = b"-----BEGIN ";
const END: &[u8] = b"-----END ";
const DASHES: &[u8] = b"-----";

/// True when the data holds at least one PEM `BEGIN` boundary.
pub fn is_pem(data: &[u8]) -> bool {
    find(data, BEGIN, 0).is_some()
}

/// Every PEM block in `text`, in order. Text outside blocks is ignored; no block at all gives an
/// empty list. A block that is cut off, has a mismatched `END` label or a body that is not Base64
/// gives `MalformedData` naming the block and the line. Linear in the length of the text: each
/// byte is looked at a bounded number of times (line numbers are counted on the way, not from
/// the start for every block).
pub fn parse(text: &[u8]) -> Result<Vec<Block>> {
    parse_counting(text, &mut Lines::default())
}

fn parse_counting(text: &[u8], lines: &mut Lines) -> Result<Vec<Block>> {
    let mut blocks = Vec::new();
    let mut pos = 0;
    while let Some(begin) = find(text, BEGIN, pos) {
        let line = lines.at(text, begin);
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
                lines.at(text, end)
            ))
        })?;
        let end_label = String::from_utf8_lossy(&text[end_label_start..end_label_end]);
        if end_label.trim() != label {
            return Err(malformed(format!(
                "the PEM block \"{label}\" starting on line {line} ends with \"END {}\" on line \
                 {}; two blocks are mixed up, check the file",
                end_label.trim(),
                lines.at(text, end)
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

fn malformed(message: String) -> Error {
    Error::new(Code::MalformedData, message)
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    // memmem, not a window compared at every byte: a system trust bundle is 200 KiB of PEM.
    hay.get(from..)
        .and_then(|rest| memchr::memmem::find(rest, needle))
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

/// Counts lines up to a byte offset, walking on from where it was asked last, so that all the
/// line numbers of one text cost one pass over it. Offsets must not go backwards.
#[derive(Default)]
struct Lines {
    offset: usize,
    line: usize,
    prev: u8,
    /// Bytes looked at so far (the tests check that it stays within the text's length).
    walked: usize,
}

impl Lines {
    /// 1-based line number of `offset`; a lone CR counts as a line end too.
    fn at(&mut self, text: &[u8], offset: usize) -> usize {
        debug_assert!(offset >= self.offset, "line offsets go forward only");
        let from = self.offset.min(offset);
        // Only the line ends are looked at (memchr), not every byte on the way.
        for i in memchr::memchr2_iter(b'\n', b'\r', &text[from..offset]) {
            let prev = if i == 0 {
                self.prev
            } else {
                text[from + i - 1]
            };
            if text[from + i] == b'\r' || prev != b'\r' {
                self.line += 1;
            }
        }
        if offset > from {
            self.prev = text[offset - 1];
        }
        self.walked += offset - from;
        self.offset = offset;
        self.line + 1
    }
}

type Headers = Vec<(String, String)>;

/// Splits a block body into RFC 1421 headers and decoded Base64.
fn body(raw: &[u8], label: &str, line: usize) -> Result<(Headers, Zeroizing<Vec<u8>>)> {
    let mut headers: Headers = Vec::new();
    // The Base64 of a private key is the key: zeroed on drop as the decoded bytes are.
    let mut b64 = Zeroizing::new(Vec::with_capacity(raw.len()));
    let mut in_headers = true;
    let mut start = 0;
    let ends = memchr::memchr2_iter(b'\n', b'\r', raw).chain(std::iter::once(raw.len()));
    for end in ends {
        let l = &raw[start..end];
        start = end + 1;
        let l = l.trim_ascii();
        if l.is_empty() {
            continue;
        }
        if in_headers {
            if let Some(colon) = l.iter().position(|&b| b == b':') {
                let key = String::from_utf8_lossy(l[..colon].trim_ascii()).into_owned();
                let value = String::from_utf8_lossy(l[colon + 1..].trim_ascii()).into_owned();
                headers.push((key, value));
                continue;
            }
            in_headers = false;
        }
        // Flattened pastes put spaces (or tabs) where line breaks were.
        if l.iter().any(u8::is_ascii_whitespace) {
            b64.extend(l.iter().copied().filter(|b| !b.is_ascii_whitespace()));
        } else {
            b64.extend_from_slice(l);
        }
    }
    if b64.is_empty() {
        return Err(malformed(format!(
            "the PEM block \"{label}\" starting on line {line} is empty"
        )));
    }
    // Decoded first: a body that decodes holds only Base64 characters, so the character
    // check below (for its clearer message) runs only on a body that does not.
    if let Ok(data) = LENIENT_BASE64.decode(&*b64) {
        return Ok((headers, Zeroizing::new(data)));
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
    let data = LENIENT_BASE64
        .decode(&*b64)
        .map(Zeroizing::new)
        .map_err(|e| {
            malformed(format!(
                "the Base64 body of PEM block \"{label}\" starting on line {line} does not decode \
             ({e}); the text is truncated or altered, copy it again"
            ))
        })?;
    Ok((headers, data))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::pem::{encode, CERTIFICATE, PKCS7};
    #[test]
    fn crlf_leading_text_headers_and_several_blocks() {
        let text = "subject=CN = x\r\nissuer=CN = y\r\n  -----BEGIN PKCS7-----\r\n  AAEC\r\n  Aw==\r\n  -----END PKCS7-----\r\n\r\nnoise\r\n-----BEGIN RSA PRIVATE KEY-----\r\nProc-Type: 4,ENCRYPTED\r\nDEK-Info: AES-128-CBC,00\r\n\r\nBAUG\r\n-----END RSA PRIVATE KEY-----";
        let blocks = parse(text.as_bytes()).unwrap();
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].label, PKCS7);
        assert_eq!(*blocks[0].data, vec![0, 1, 2, 3]);
        assert_eq!(blocks[0].line, 3);
        assert_eq!(blocks[1].label, "RSA PRIVATE KEY");
        assert_eq!(
            blocks[1].headers,
            vec![
                ("Proc-Type".to_string(), "4,ENCRYPTED".to_string()),
                ("DEK-Info".to_string(), "AES-128-CBC,00".to_string())
            ]
        );
        assert_eq!(*blocks[1].data, vec![4, 5, 6]);
        assert_eq!(blocks[1].line, 9);
    }

    #[test]
    fn flattened_block_and_missing_padding() {
        let text = b"-----BEGIN CERTIFICATE----- AAEC Aw -----END CERTIFICATE-----";
        let blocks = parse(text).unwrap();
        assert_eq!(*blocks[0].data, vec![0, 1, 2, 3]);
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
        let mut lines = Lines::default();
        assert_eq!(lines.at(b"a\rb\r\nc\nd", 4), 3);
        assert_eq!(lines.at(b"a\rb\r\nc\nd", 7), 4);
    }

    /// Line numbers were once counted from the start of the text for every block,
    /// so 40,000 blocks (1.5 MB) took 33 s. Now every byte is walked once for all of them.
    #[test]
    fn line_numbers_cost_one_pass_over_the_text() {
        let one = encode(CERTIFICATE, &[0x30, 0x03, 0x02, 0x01, 0x01]);
        let text = one.repeat(40_000);
        let mut lines = Lines::default();
        let blocks = parse_counting(text.as_bytes(), &mut lines).unwrap();
        assert_eq!(blocks.len(), 40_000);
        assert_eq!(blocks[39_999].line, 39_999 * 3 + 1);
        assert!(
            lines.walked <= text.len(),
            "walked {} bytes of a {}-byte text",
            lines.walked,
            text.len()
        );
    }
}
