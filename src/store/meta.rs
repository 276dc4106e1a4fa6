//! The small `key=value` text files the store keeps beside each entry and per server.
//! Plain text on purpose: admins and daemons can read them without a JSON parser.

use crate::{Code, Error, Result};
use std::collections::BTreeMap;

/// Encodes pairs as `key=value` lines; `\`, CR and LF in values are escaped.
pub fn encode(pairs: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    for (k, v) in pairs {
        out.push_str(k);
        out.push('=');
        for c in v.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                c => out.push(c),
            }
        }
        out.push('\n');
    }
    out
}

/// Decodes what `encode` wrote; `what` names the file in errors.
pub fn decode(text: &str, what: &str) -> Result<BTreeMap<String, String>> {
    let mut pairs = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let (k, v) = line.split_once('=').ok_or_else(|| {
            Error::new(Code::StoreCorrupt, format!("{what} has a line without '=': the store entry is damaged; remove it and import the certificate again"))
        })?;
        let mut value = String::new();
        let mut chars = v.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => value.push('\n'),
                    Some('r') => value.push('\r'),
                    Some(o) => value.push(o),
                    None => {}
                }
            } else {
                value.push(c);
            }
        }
        pairs.insert(k.to_string(), value);
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_awkward_values() {
        let mut m = BTreeMap::new();
        m.insert("FriendlyName".to_string(), "a=b\\c\nd\re ü".to_string());
        m.insert("Exportable".to_string(), "true".to_string());
        let text = encode(&m);
        assert_eq!(text.lines().count(), 2);
        assert_eq!(decode(&text, "t").unwrap(), m);
        assert_eq!(decode("broken", "t").unwrap_err().code, Code::StoreCorrupt);
    }
}
