//! The listing's answer written by hand, byte for byte as the serde path of `boundary` writes
//! it (compact JSON, every control character made visible as `\xHH`), straight into the answer's
//! buffer. A listing of 10,000 certificates writes 50,000 to 320,000 values: through serde each
//! cost a formatter call per fragment, a write per piece and, for most, a string made first and
//! dropped after. Here a value is one bulk scan and one copy; a date, a Base64 or a number is
//! made in place. The tests compare every property with the serde path.

use crate::cert::services::{Services, TABLE};
use base64::Engine as _;
use std::collections::BTreeMap;

/// A string value, quoted and escaped.
pub(super) fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    string_body(out, s);
    out.push(b'"');
}

/// Text as it goes between the quotes: `"` and `\` escaped, C0 controls, DEL and C1 controls
/// made visible (`\x1B`, its backslash doubled), as `boundary::Visible` writes them for every
/// field but the multi-line PEM ones (none of which a listing has).
pub(super) fn string_body(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    // One pass without an early exit, so it runs over many bytes at once; nearly every value
    // (thumbprints, dates, names, Base64) is printable ASCII and goes out in one copy.
    let special = bytes.iter().fold(false, |any, &b| {
        any | !(0x20..0x7f).contains(&b) | (b == b'"') | (b == b'\\')
    });
    if !special {
        out.extend_from_slice(bytes);
        return;
    }
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let code = c as u32;
        let escape: &[u8] = match c {
            '"' => b"\\\"",
            '\\' => b"\\\\",
            _ if code < 0x20 || (0x7f..=0x9f).contains(&code) => &[],
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        start = i + c.len_utf8();
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            let code = code as usize;
            out.extend_from_slice(b"\\\\x");
            out.extend_from_slice(&[HEX[code >> 4], HEX[code & 15]]);
        } else {
            out.extend_from_slice(escape);
        }
    }
    out.extend_from_slice(&bytes[start..]);
}

pub(super) fn optional_string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

pub(super) fn strings(out: &mut Vec<u8>, list: &[String]) {
    out.push(b'[');
    for (i, s) in list.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(out, s);
    }
    out.push(b']');
}

/// An object of strings, in the map's (sorted) order.
pub(super) fn string_map(out: &mut Vec<u8>, map: &BTreeMap<String, String>) {
    out.push(b'{');
    for (i, (k, v)) in map.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(out, k);
        out.push(b':');
        string(out, v);
    }
    out.push(b'}');
}

pub(super) fn boolean(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

pub(super) fn integer(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    let mut n = n.unsigned_abs();
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// Bytes as a Base64 string, encoded in place: Base64 never needs escaping.
pub(super) fn base64(out: &mut Vec<u8>, bytes: &[u8]) {
    let engine = &base64::engine::general_purpose::STANDARD;
    out.push(b'"');
    let at = out.len();
    out.resize(at + bytes.len().div_ceil(3) * 4, 0);
    let written = engine
        .encode_slice(bytes, &mut out[at..])
        .expect("the room made for it is Base64's exact length");
    out.truncate(at + written);
    out.push(b'"');
}

/// A date as `ops::rfc3339` writes it.
pub(super) fn date(out: &mut Vec<u8>, t: time::OffsetDateTime) {
    match crate::ops::rfc3339_whole_seconds(t) {
        Some(text) => {
            out.push(b'"');
            out.extend_from_slice(&text);
            out.push(b'"');
        }
        None => string(out, &crate::ops::rfc3339(t)),
    }
}

/// Services as `Services`' `Display` writes them (`IMAP, POP, SMTP`, or `None`).
pub(super) fn services(out: &mut Vec<u8>, services: Services) {
    out.push(b'"');
    let mut first = true;
    for (name, flag, _) in TABLE {
        if services.0 & flag != 0 {
            if !first {
                out.extend_from_slice(b", ");
            }
            string_body(out, name);
            first = false;
        }
    }
    if first {
        out.extend_from_slice(b"None");
    }
    out.push(b'"');
}

/// Services as `Services::string_form` writes them (`IP..S..`).
pub(super) fn services_string_form(out: &mut Vec<u8>, services: Services) {
    out.push(b'"');
    for (_, flag, letter) in TABLE {
        out.push(if services.0 & flag != 0 {
            letter as u8
        } else {
            b'.'
        });
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the serde path of the boundary writes for a value.
    fn serde<T: serde::Serialize>(value: &T) -> String {
        super::super::boundary::visible_json_for_tests(value)
    }

    fn ours(write: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut out = Vec::new();
        write(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn every_character_is_escaped_as_the_serde_path_escapes_it() {
        // Every ASCII and Latin-1 character, the ends of the BMP, and one beyond it, alone and
        // between printable text.
        let mut chars: Vec<char> = (0u32..0x180).filter_map(char::from_u32).collect();
        chars.extend(['\u{2028}', '\u{FEFF}', '\u{FFFD}', '\u{1F512}']);
        for c in chars {
            for s in [c.to_string(), format!("a{c}b{c}"), format!("{c}{c}\\\"")] {
                assert_eq!(ours(|o| string(o, &s)), serde(&s), "{:?}", s);
            }
        }
    }

    #[test]
    fn numbers_dates_lists_maps_and_base64_are_written_as_serde_writes_them() {
        for n in [0i64, 7, -7, 10, 2048, i64::MAX, i64::MIN, -1_000_000] {
            assert_eq!(ours(|o| integer(o, n)), serde(&n));
        }
        for b in [true, false] {
            assert_eq!(ours(|o| boolean(o, b)), serde(&b));
        }
        let list = vec!["a".to_string(), "\u{1b}[2J".into(), String::new()];
        assert_eq!(ours(|o| strings(o, &list)), serde(&list));
        assert_eq!(ours(|o| strings(o, &[])), serde(&Vec::<String>::new()));
        let map: BTreeMap<String, String> = [("S\"MTP", "/x\u{7f}"), ("IIS", "a\\b")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(ours(|o| string_map(o, &map)), serde(&map));
        assert_eq!(ours(|o| string_map(o, &BTreeMap::new())), "{}");
        assert_eq!(ours(|o| optional_string(o, None)), "null");
        for len in 0..10 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 200) as u8).collect();
            let text = super::super::parse::b64(&bytes);
            assert_eq!(ours(|o| base64(o, &bytes)), serde(&text));
        }
        let day = time::OffsetDateTime::from_unix_timestamp(1_764_585_221).unwrap();
        for t in [
            day,
            day + time::Duration::milliseconds(500),
            time::OffsetDateTime::UNIX_EPOCH,
            day.to_offset(time::UtcOffset::from_hms(5, 0, 0).unwrap()),
        ] {
            assert_eq!(ours(|o| date(o, t)), serde(&crate::ops::rfc3339(t)));
        }
        for bits in 0..128 {
            let s = Services(bits);
            assert_eq!(ours(|o| services(o, s)), serde(&s.to_string()));
            assert_eq!(
                ours(|o| services_string_form(o, s)),
                serde(&s.string_form())
            );
        }
    }
}
