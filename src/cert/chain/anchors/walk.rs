//! Finding a certificate's subject, and the shape of a Name, by walking the DER: indexing the
//! system store this way parses no root whole (docs/performance.md).

use std::ops::Range;

use x509_parser::prelude::{FromDer, X509Certificate};

use crate::formats::der;

/// The element at `at` in `der`: (tag, content range, end), definite lengths only.
fn element(der: &[u8], at: usize) -> Option<(u8, Range<usize>, usize)> {
    let h = der::header(der.get(at..)?).ok()?;
    let start = at + h.header_len;
    let end = start.checked_add(h.len?)?;
    (end <= der.len()).then_some((h.tag, start..end, end))
}

/// Where the subject Name of the certificate `der` is, by walking Certificate → TBSCertificate
/// → [0] version, serial, signature, issuer, validity, subject. `exact`: nothing may follow the
/// certificate. None when it is not shaped so; then the certificate is parsed whole, and
/// skipped if that fails too.
pub(super) fn subject_range(der: &[u8], exact: bool) -> Option<Range<usize>> {
    if let Some(walked) = walk_to_subject(der, exact) {
        return Some(walked);
    }
    let (rest, cert) = X509Certificate::from_der(der).ok()?;
    if exact && !rest.is_empty() {
        return None;
    }
    let raw = cert.subject().as_raw();
    let start = raw.as_ptr() as usize - der.as_ptr() as usize;
    Some(start..start + raw.len())
}

fn walk_to_subject(der: &[u8], exact: bool) -> Option<Range<usize>> {
    let (tag, cert, end) = element(der, 0)?;
    if tag != der::TAG_SEQUENCE || (exact && end != der.len()) {
        return None;
    }
    let (tag, tbs, _) = element(der, cert.start)?;
    if tag != der::TAG_SEQUENCE {
        return None;
    }
    let mut at = tbs.start;
    let mut next = |want: u8, optional: bool| -> Option<Range<usize>> {
        let (tag, _, end) = element(der, at)?;
        if tag != want {
            return optional.then_some(at..at);
        }
        let found = at..end;
        at = end;
        (end <= tbs.end).then_some(found)
    };
    next(der::TAG_CTX0, true)?; // version
    next(der::TAG_INTEGER, false)?; // serialNumber
    next(der::TAG_SEQUENCE, false)?; // signature
    next(der::TAG_SEQUENCE, false)?; // issuer
    next(der::TAG_SEQUENCE, false)?; // validity
    next(der::TAG_SEQUENCE, false) // subject
}

/// The attribute types of a Name, in order, RDN by RDN: each RDN starts with a 0 byte and each
/// type is its OID element (tag 6, so never 0). None when the Name is not walkable.
pub(super) fn name_shape(name: &[u8]) -> Option<Vec<u8>> {
    let (tag, rdns, _) = element(name, 0)?;
    if tag != der::TAG_SEQUENCE {
        return None;
    }
    let mut shape = Vec::with_capacity(32);
    let mut at = rdns.start;
    while at < rdns.end {
        let (tag, rdn, end) = element(name, at)?;
        if tag != der::TAG_SET || end > rdns.end {
            return None;
        }
        shape.push(0);
        let mut a = rdn.start;
        while a < rdn.end {
            let (tag, attr, end) = element(name, a)?;
            let (oid_tag, _, oid_end) = element(name, attr.start)?;
            if tag != der::TAG_SEQUENCE || oid_tag != der::TAG_OID || end > rdn.end {
                return None;
            }
            shape.extend_from_slice(&name[attr.start..oid_end]);
            a = end;
        }
        at = end;
    }
    Some(shape)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::pem;

    /// The walk finds the same bytes x509-parser calls the subject, for every root of the
    /// system bundle and for certificates rcgen makes (version, no version, long names).
    #[test]
    fn walked_subject_is_the_parsed_subject() {
        let mut ders: Vec<Vec<u8>> = crate::platform::trust_bundle::read()
            .and_then(|b| pem::parse(&b).ok())
            .unwrap_or_default()
            .into_iter()
            .map(|b| b.data.to_vec())
            .collect();
        for cn in ["Root", &"Long Name ".repeat(40)] {
            let mut p = rcgen::CertificateParams::new(vec!["a.contoso.com".into()]).unwrap();
            p.distinguished_name.push(rcgen::DnType::CommonName, cn);
            let key = rcgen::KeyPair::generate().unwrap();
            ders.push(p.self_signed(&key).unwrap().der().to_vec());
        }
        for der in &ders {
            let (_, cert) = X509Certificate::from_der(der).unwrap();
            let walked = walk_to_subject(der, true).expect("a certificate walks");
            assert_eq!(&der[walked], cert.subject().as_raw());
        }
        let mut trailing = ders[0].clone();
        trailing.push(0);
        assert!(walk_to_subject(&trailing, true).is_none());
        assert!(walk_to_subject(&trailing, false).is_some());
        assert!(walk_to_subject(b"0\x03\x02\x01\x01", false).is_none());
    }
}
