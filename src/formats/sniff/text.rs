//! Text as admins hand it over: UTF-16 or with a BOM, padded with white space, Base64 without
//! PEM armour.

use std::borrow::Cow;

use base64::Engine as _;

use crate::formats::text::LENIENT_BASE64;

/// Drops a UTF-8 BOM and turns UTF-16 text (with or without BOM) into single bytes. Binary
/// DER never starts with these patterns (it starts with 0x30).
pub(super) fn normalize(data: &[u8]) -> Cow<'_, [u8]> {
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

pub(super) fn trim_ws(s: &[u8]) -> &[u8] {
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
pub(super) fn bare_base64(text: &[u8]) -> Option<Vec<u8>> {
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
}
