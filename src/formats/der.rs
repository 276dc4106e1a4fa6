//! A small BER/DER reader and writer: enough for container structures (PKCS#7, format
//! sniffing), with byte offsets in every message so an admin learns where a file breaks.
//!
//! Reads definite and indefinite lengths (older Java and Netscape tools write BER), nests at
//! most 64 deep, and never reads past the slice it is given.

use crate::{Code, Error, Result};

pub(crate) const TAG_INTEGER: u8 = 0x02;
pub(crate) const TAG_OID: u8 = 0x06;
pub(crate) const TAG_SEQUENCE: u8 = 0x30;
pub(crate) const TAG_SET: u8 = 0x31;
pub(crate) const TAG_CTX0: u8 = 0xa0;
pub(crate) const TAG_CTX1: u8 = 0xa1;

fn malformed(message: String) -> Error {
    Error::new(Code::MalformedData, message)
}

/// The content octets of an OBJECT IDENTIFIER given as its arcs (`&[1, 2, 840, ...]`, the
/// form the rest of the crate writes OIDs in).
pub(crate) fn oid_content(arcs: &[u64]) -> Vec<u8> {
    let mut out = Vec::with_capacity(arcs.len() * 2);
    let (first, rest) = match arcs {
        [a, b, rest @ ..] => (a * 40 + b, rest),
        [a] => (a * 40, &[][..]),
        [] => return out,
    };
    for arc in std::iter::once(first).chain(rest.iter().copied()) {
        let mut groups = [0u8; 10];
        let mut n = 0;
        let mut v = arc;
        loop {
            groups[n] = (v & 0x7f) as u8;
            n += 1;
            v >>= 7;
            if v == 0 {
                break;
            }
        }
        for i in (0..n).rev() {
            out.push(groups[i] | if i > 0 { 0x80 } else { 0 });
        }
    }
    out
}

/// DER encoding of one element with a definite length.
pub(crate) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let len = content.len();
    let mut out = Vec::with_capacity(len + 6);
    out.push(tag);
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// The identifier and length octets of one element.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Header {
    /// First identifier octet (class, constructed bit, low tag number).
    pub tag: u8,
    /// Constructed bit set.
    pub constructed: bool,
    /// Length of the identifier and length octets.
    pub header_len: usize,
    /// Content length; `None` for the indefinite form.
    pub len: Option<usize>,
}

/// Reads the header of the element at `data[0..]`; `Err(needed)` when the header itself is cut
/// off, `Err(0)` when it is invalid.
pub(crate) fn header(data: &[u8]) -> std::result::Result<Header, usize> {
    let first = *data.first().ok_or(1usize)?;
    let mut i = 1;
    if first & 0x1f == 0x1f {
        // High tag number: base-128 continuation octets.
        loop {
            let b = *data.get(i).ok_or(i + 1)?;
            i += 1;
            if b & 0x80 == 0 {
                break;
            }
            if i > 6 {
                return Err(0);
            }
        }
    }
    let l = *data.get(i).ok_or(i + 1)?;
    i += 1;
    let len = if l < 0x80 {
        Some(l as usize)
    } else if l == 0x80 {
        if first & 0x20 == 0 {
            return Err(0);
        }
        None
    } else {
        let n = (l & 0x7f) as usize;
        if n > 4 {
            return Err(0);
        }
        let bytes = data.get(i..i + n).ok_or(i + n)?;
        i += n;
        Some(bytes.iter().fold(0usize, |acc, &b| acc << 8 | b as usize))
    };
    Ok(Header {
        tag: first,
        constructed: first & 0x20 != 0,
        header_len: i,
        len,
    })
}

/// One element located in the whole input: absolute offsets.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Element {
    pub tag: u8,
    pub constructed: bool,
    /// Offset of the identifier octet.
    pub offset: usize,
    /// Offset of the first content octet.
    pub content_start: usize,
    /// Offset just past the content (before an end-of-contents marker).
    pub content_end: usize,
    /// Offset just past the element (after an end-of-contents marker).
    pub end: usize,
}

impl Element {
    /// The content octets.
    pub fn content<'a>(&self, data: &'a [u8]) -> &'a [u8] {
        &data[self.content_start..self.content_end]
    }

    /// The whole element, header included.
    pub fn raw<'a>(&self, data: &'a [u8]) -> &'a [u8] {
        &data[self.offset..self.end]
    }
}

/// Reads the element starting at `data[offset..]`, within `data[..limit]` (`limit` = data.len()
/// at top level). `what` names it in messages.
pub(crate) fn element_within(
    data: &[u8],
    offset: usize,
    limit: usize,
    what: &str,
) -> Result<Element> {
    element_depth(data, offset, limit, what, 0)
}

pub(crate) fn element(data: &[u8], offset: usize, what: &str) -> Result<Element> {
    element_within(data, offset, data.len(), what)
}

fn element_depth(
    data: &[u8],
    offset: usize,
    limit: usize,
    what: &str,
    depth: usize,
) -> Result<Element> {
    if depth > 64 {
        return Err(malformed(format!(
            "{what} at byte {offset} nests too deeply; the data is damaged"
        )));
    }
    let h = header(&data[offset..limit]).map_err(|needed| {
        if needed == 0 {
            malformed(format!(
                "{what} at byte {offset} has an invalid tag or length; the data is damaged"
            ))
        } else {
            truncated(what, offset, offset + needed, limit)
        }
    })?;
    let content_start = offset + h.header_len;
    match h.len {
        Some(len) => {
            let end = content_start.checked_add(len).ok_or_else(|| {
                malformed(format!("{what} at byte {offset} has an absurd length"))
            })?;
            if end > limit {
                return Err(truncated(what, offset, end, limit));
            }
            Ok(Element {
                tag: h.tag,
                constructed: h.constructed,
                offset,
                content_start,
                content_end: end,
                end,
            })
        }
        None => {
            // Indefinite length: children up to the end-of-contents octets 00 00.
            let mut pos = content_start;
            loop {
                if pos + 2 > limit {
                    return Err(truncated(what, offset, pos + 2, limit));
                }
                if data[pos] == 0 && data[pos + 1] == 0 {
                    return Ok(Element {
                        tag: h.tag,
                        constructed: true,
                        offset,
                        content_start,
                        content_end: pos,
                        end: pos + 2,
                    });
                }
                pos = element_depth(data, pos, limit, what, depth + 1)?.end;
            }
        }
    }
}

fn truncated(what: &str, offset: usize, needed: usize, have: usize) -> Error {
    malformed(format!(
        "{what} at byte {offset} is truncated: it needs {needed} bytes but the data ends at byte \
         {have}; the file was cut off, copy or download it again"
    ))
}

/// Iterates over the children of a constructed element.
pub(crate) struct Children<'a> {
    data: &'a [u8],
    pos: usize,
    end: usize,
}

impl<'a> Children<'a> {
    pub fn new(data: &'a [u8], parent: &Element) -> Children<'a> {
        Children {
            data,
            pos: parent.content_start,
            end: parent.content_end,
        }
    }

    /// The next child, `None` at the end of the parent.
    pub fn next(&mut self) -> Result<Option<Element>> {
        if self.pos >= self.end {
            return Ok(None);
        }
        let el = element_within(self.data, self.pos, self.end, "an element")?;
        self.pos = el.end;
        Ok(Some(el))
    }

    /// The next child, or `MalformedData` naming what was expected.
    pub fn next_required(&mut self, what: &str) -> Result<Element> {
        if self.pos >= self.end {
            return Err(malformed(format!(
                "{what} is missing (expected at byte {}); the data is damaged",
                self.pos
            )));
        }
        let el = element_within(self.data, self.pos, self.end, what)?;
        self.pos = el.end;
        Ok(el)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oid_content_matches_der() {
        // 1.2.840.113549.1.7.2, as openssl writes it.
        assert_eq!(
            oid_content(&[1, 2, 840, 113549, 1, 7, 2]),
            [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]
        );
        // 2.5.29.17 (subjectAltName).
        assert_eq!(oid_content(&[2, 5, 29, 17]), [0x55, 0x1d, 0x11]);
    }

    #[test]
    fn tlv_lengths() {
        assert_eq!(tlv(0x04, &[9; 3]), vec![0x04, 3, 9, 9, 9]);
        let long = tlv(0x04, &[0; 200]);
        assert_eq!(&long[..3], &[0x04, 0x81, 200]);
        let longer = tlv(0x04, &[0; 300]);
        assert_eq!(&longer[..4], &[0x04, 0x82, 0x01, 0x2c]);
    }

    #[test]
    fn indefinite_length_is_read() {
        // SEQUENCE (indefinite) { INTEGER 5 } EOC
        let data = [0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00];
        let el = element(&data, 0, "test").unwrap();
        assert_eq!((el.content_start, el.content_end, el.end), (2, 5, 7));
        let mut kids = Children::new(&data, &el);
        let int = kids.next().unwrap().unwrap();
        assert_eq!(int.content(&data), &[5]);
        assert!(kids.next().unwrap().is_none());
    }

    #[test]
    fn truncation_names_offsets() {
        let e = element(&[0x30, 0x82, 0x01, 0x00, 0x02], 0, "the thing").unwrap_err();
        assert_eq!(e.code, Code::MalformedData);
        assert!(
            e.message.contains("the thing at byte 0 is truncated"),
            "{e}"
        );
        assert!(e.message.contains("needs 260 bytes"), "{e}");
    }
}
