//! Finding secrets: key files in the store, the private numbers of each key, and every
//! encoding of a key or password an answer could carry.

use super::*;
use base64::Engine as _;

/// Every private key file in the store (PKCS#8 DER), by path.
pub(crate) fn key_files(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    walk(root)
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "key.p8"))
        .map(|p| {
            let der = fs::read(&p).unwrap();
            (p, der)
        })
        .collect()
}

/// Every path under `dir`, links not followed.
pub(crate) fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap().map(|e| e.unwrap()) {
        let p = e.path();
        out.push(p.clone());
        if e.file_type().unwrap().is_dir() {
            out.extend(walk(&p));
        }
    }
    out
}

pub(crate) fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// The secret numbers of a key as openssl prints them (`pkey -text`): the EC private value, or
/// the RSA private exponent, primes, CRT exponents and coefficient. Leading zero bytes dropped.
pub(crate) fn private_numbers(pkcs8: &[u8], scratch: &Path) -> Vec<Vec<u8>> {
    let file = common::write(scratch, "key-under-test.der", pkcs8);
    let text = openssl(&["pkey", "-inform", "DER", "-in", &file, "-text", "-noout"]);
    let labels = [
        "priv",
        "privateExponent",
        "prime1",
        "prime2",
        "exponent1",
        "exponent2",
        "coefficient",
    ];
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(label) = line.trim_end().strip_suffix(':') else {
            continue;
        };
        if !labels.contains(&label) {
            continue;
        }
        let hex: String = lines[i + 1..]
            .iter()
            .take_while(|l| l.starts_with(' '))
            .flat_map(|l| l.chars())
            .filter(|c| c.is_ascii_hexdigit())
            .collect();
        let mut bytes = unhex(&hex);
        while bytes.first() == Some(&0) {
            bytes.remove(0);
        }
        out.push(bytes);
    }
    assert!(
        out.len() == 1 || out.len() == 6,
        "openssl printed {} private numbers:\n{text}",
        out.len()
    );
    out
}

/// What must never show up: the PKCS#8 bytes and the private numbers of every key.
pub(crate) struct Secrets {
    pub(crate) fragments: Vec<(String, Vec<u8>)>,
}

impl Secrets {
    pub(crate) fn new(keys: &[(String, Vec<u8>)], scratch: &Path) -> Secrets {
        let mut fragments = Vec::new();
        for (name, der) in keys {
            fragments.push((format!("PKCS#8 of {name}"), der.clone()));
            for (i, n) in private_numbers(der, scratch).into_iter().enumerate() {
                fragments.push((format!("private number {i} of {name}"), n));
            }
        }
        Secrets { fragments }
    }

    /// What of the secrets `text` (an answer or error JSON) reveals.
    pub(crate) fn leaks(&self, text: &str) -> Vec<String> {
        let mut found = Vec::new();
        if text.contains("PRIVATE KEY") {
            found.push("a PEM private key marker".to_string());
        }
        let mut blobs = Vec::new();
        if let Ok(v) = serde_json::from_str::<Value>(text) {
            decoded_strings(&v, &mut blobs);
        }
        for (what, bytes) in &self.fragments {
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            let in_text = text.contains(&hex)
                || text.to_ascii_lowercase().contains(&hex)
                || base64_forms(bytes)
                    .iter()
                    .any(|f| text.contains(f.as_str()));
            let in_blob = blobs.iter().any(|b| contains(b, bytes));
            if in_text || in_blob {
                found.push(what.clone());
            }
        }
        found
    }
}

/// Base64 of `bytes` as it reads inside a longer Base64 text, at each of the three alignments
/// (the ends, which depend on the neighbouring bytes, are cut off).
pub(crate) fn base64_forms(bytes: &[u8]) -> Vec<String> {
    (0..3)
        .filter_map(|skip| {
            let rest = bytes.get(skip..)?;
            let whole = rest.len() / 3 * 3;
            let text = b64(&rest[..whole]);
            (text.len() >= 16).then_some(text)
        })
        .collect()
}

pub(crate) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Every string value of the JSON that is Base64 (PEM armour and line breaks allowed), decoded.
pub(crate) fn decoded_strings(v: &Value, out: &mut Vec<Vec<u8>>) {
    match v {
        Value::String(s) => {
            let body: String = s
                .lines()
                .filter(|l| !l.starts_with("-----"))
                .flat_map(|l| l.chars())
                .filter(|c| !c.is_whitespace())
                .collect();
            if body.len() >= 16 {
                if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(&body) {
                    out.push(bytes);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| decoded_strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| decoded_strings(x, out)),
        _ => {}
    }
}

/// Every way a password could be written into a message, a JSON field or a file.
pub(crate) fn password_forms(password: &str) -> (Vec<String>, Vec<Vec<u8>>) {
    let utf8 = password.as_bytes().to_vec();
    let utf16be: Vec<u8> = password.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let utf16le: Vec<u8> = password.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let mut text = vec![
        password.to_string(),
        utf8.iter().map(|b| format!("{b:02x}")).collect(),
        utf8.iter().map(|b| format!("{b:02X}")).collect(),
    ];
    for bytes in [&utf8, &utf16be, &utf16le] {
        text.extend(base64_forms(bytes));
    }
    (text, vec![utf8, utf16be, utf16le])
}
