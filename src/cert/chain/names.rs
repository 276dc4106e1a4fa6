//! Names and key identifiers: could one certificate have issued another (before any signature
//! is checked)?

use x509_parser::extensions::ParsedExtension;
use x509_parser::prelude::{X509Certificate, X509Name};

/// A name compared as RFC 5280 §7.1 suggests in practice: per attribute, case folded and inner
/// whitespace collapsed, so PrintableString and UTF8String encodings of the same name match.
pub(crate) fn fold_name(name: &X509Name) -> String {
    // A listing folds the same few issuer names for every certificate: each thread keeps the
    // names it folded (a few hundred at most; the raw DER name is the key).
    thread_local! {
        static FOLDED: std::cell::RefCell<std::collections::HashMap<Vec<u8>, String>> =
            Default::default();
    }
    FOLDED.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(folded) = cache.get(name.as_raw()) {
            return folded.clone();
        }
        if cache.len() >= 512 {
            cache.clear();
        }
        let folded = fold_name_now(name);
        cache.insert(name.as_raw().to_vec(), folded.clone());
        folded
    })
}

fn fold_name_now(name: &X509Name) -> String {
    let mut out = String::new();
    for rdn in name.iter() {
        for attr in rdn.iter() {
            out.push_str(&attr.attr_type().to_id_string());
            out.push('=');
            match attr.as_str() {
                Ok(s) => {
                    let folded = s.split_whitespace().collect::<Vec<_>>().join(" ");
                    out.push_str(&folded.to_lowercase());
                }
                Err(_) => {
                    for b in attr.as_slice() {
                        out.push_str(&format!("{b:02x}"));
                    }
                }
            }
            out.push('+');
        }
        out.push(',');
    }
    out
}

pub(super) fn same_name(a: &X509Name, b: &X509Name) -> bool {
    a.as_raw() == b.as_raw() || fold_name(a) == fold_name(b)
}

fn subject_key_id<'a>(cert: &'a X509Certificate) -> Option<&'a [u8]> {
    cert.extensions()
        .iter()
        .find_map(|e| match e.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(k) => Some(k.0),
            _ => None,
        })
}

fn authority_key_id<'a>(cert: &'a X509Certificate) -> Option<&'a [u8]> {
    cert.extensions()
        .iter()
        .find_map(|e| match e.parsed_extension() {
            ParsedExtension::AuthorityKeyIdentifier(a) => a.key_identifier.as_ref().map(|k| k.0),
            _ => None,
        })
}

/// Could `issuer` have issued `cert`, judging by names and key identifiers (no signature yet)?
pub(crate) fn may_have_issued(issuer: &X509Certificate, cert: &X509Certificate) -> bool {
    if !same_name(issuer.subject(), cert.issuer()) {
        return false;
    }
    match (authority_key_id(cert), subject_key_id(issuer)) {
        (Some(aki), Some(ski)) => aki == ski,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use x509_parser::prelude::FromDer;

    #[test]
    fn names_fold_case_and_space() {
        // CN=Test  Root as PrintableString vs cn=test root as UTF8String.
        let a = [
            0x30, 0x16, 0x31, 0x14, 0x30, 0x12, 0x06, 0x03, 0x55, 0x04, 0x03, 0x13, 0x0b, b'T',
            b'e', b's', b't', b' ', b' ', b'R', b'o', b'o', b't', b'!',
        ];
        let b = [
            0x30, 0x15, 0x31, 0x13, 0x30, 0x11, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x0a, b't',
            b'e', b's', b't', b' ', b'r', b'o', b'o', b't', b'!',
        ];
        let (_, na) = X509Name::from_der(&a).unwrap();
        let (_, nb) = X509Name::from_der(&b).unwrap();
        assert!(same_name(&na, &nb));
        assert_eq!(fold_name(&na), "2.5.4.3=test root!+,");
    }
}
