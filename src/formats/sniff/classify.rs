//! The kind of data from its first elements (DER) or its blocks (PEM): enough to route an
//! import, and a truncated file still gets its kind.

use crate::formats::der::{header, Header};
use crate::formats::pem;
use crate::formats::pkcs7;

use super::{Kind, CERT_LABELS, CSR_LABELS, PKCS12_LABELS, PKCS7_LABELS};

/// Header of the element at `data[at..]`, tolerating that its content is cut off.
fn peek(data: &[u8], at: usize) -> Option<(Header, usize)> {
    let h = header(data.get(at..)?).ok()?;
    Some((h, at + h.header_len))
}

/// Kind of DER/BER data from its first elements.
pub(super) fn der_kind(data: &[u8]) -> Kind {
    const INTEGER: u8 = 0x02;
    const OID: u8 = 0x06;
    const SEQUENCE: u8 = 0x30;
    const SET: u8 = 0x31;
    let Some((outer, inner)) = peek(data, 0) else {
        return Kind::Unknown;
    };
    if outer.tag != SEQUENCE {
        return Kind::Unknown;
    }
    if pkcs7::looks_like_pkcs7(data) {
        return Kind::Pkcs7;
    }
    let Some((first, first_content)) = peek(data, inner) else {
        return Kind::Unknown;
    };
    match first.tag {
        // PFX: version 3, then a ContentInfo (SEQUENCE whose first child is an OID).
        INTEGER => {
            let is_v3 = first.len == Some(1) && data.get(first_content) == Some(&3);
            let next = first_content + first.len.unwrap_or(usize::MAX / 2);
            match (is_v3, peek(data, next)) {
                (true, Some((ci, ci_content))) if ci.tag == SEQUENCE => {
                    match peek(data, ci_content) {
                        Some((oid, _)) if oid.tag == OID => Kind::Pkcs12,
                        _ => Kind::Unknown,
                    }
                }
                _ => Kind::Unknown,
            }
        }
        // TBSCertificate or CertificationRequestInfo.
        SEQUENCE => {
            let Some((v, v_content)) = peek(data, first_content) else {
                return Kind::Unknown;
            };
            match v.tag {
                // [0] explicit version: a v2/v3 certificate.
                0xa0 => Kind::Certificate,
                INTEGER => {
                    let next = v_content + v.len.unwrap_or(usize::MAX / 2);
                    let Some((s, s_content)) = peek(data, next) else {
                        return Kind::Unknown;
                    };
                    if s.tag != SEQUENCE {
                        return Kind::Unknown;
                    }
                    // v1 certificate: serial, then the signature AlgorithmIdentifier (starts
                    // with an OID). Request: version, then the subject Name (SEQUENCE OF SET).
                    match peek(data, s_content) {
                        Some((x, _)) if x.tag == OID => Kind::Certificate,
                        Some((x, _)) if x.tag == SET => Kind::CertificateRequest,
                        // An empty subject Name in a request.
                        _ if s.len == Some(0) => Kind::CertificateRequest,
                        _ => Kind::Unknown,
                    }
                }
                _ => Kind::Unknown,
            }
        }
        _ => Kind::Unknown,
    }
}

pub(super) fn pem_kind(blocks: &[pem::Block]) -> Kind {
    let mut certs = 0;
    let mut p7 = 0;
    let mut csr = 0;
    let mut p12 = 0;
    for b in blocks {
        match der_kind(&b.data) {
            Kind::Certificate => certs += 1,
            Kind::Pkcs7 => p7 += 1,
            Kind::CertificateRequest => csr += 1,
            Kind::Pkcs12 => p12 += 1,
            _ => {}
        }
    }
    classify(blocks.len(), certs, p7, csr, p12)
}

/// For PEM that does not parse: judge by the labels so the caller still routes it (and gets
/// the parse error from `certificates`).
pub(super) fn pem_kind_by_labels(text: &[u8]) -> Kind {
    let mut labels = Vec::new();
    let needle = b"-----BEGIN ";
    let mut pos = 0;
    while let Some(i) = text[pos..].windows(needle.len()).position(|w| w == needle) {
        let start = pos + i + needle.len();
        let end = text[start..]
            .iter()
            .position(|&b| b == b'-' || b == b'\n' || b == b'\r')
            .map_or(text.len(), |e| start + e);
        labels.push(
            String::from_utf8_lossy(&text[start..end])
                .trim()
                .to_string(),
        );
        pos = end;
    }
    let count = |set: &[&str]| labels.iter().filter(|l| set.contains(&l.as_str())).count();
    classify(
        labels.len(),
        count(&CERT_LABELS),
        count(&PKCS7_LABELS),
        count(&CSR_LABELS),
        count(&PKCS12_LABELS),
    )
}

fn classify(total: usize, certs: usize, p7: usize, csr: usize, p12: usize) -> Kind {
    match (certs, p7) {
        (1, 0) if total == 1 => Kind::Certificate,
        (0, 0) if csr > 0 => Kind::CertificateRequest,
        (0, 0) if p12 > 0 => Kind::Pkcs12,
        (0, 0) => Kind::Unknown,
        (0, _) if total == p7 => Kind::Pkcs7,
        _ => Kind::PemBundle,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_by_counts() {
        assert_eq!(classify(1, 1, 0, 0, 0), Kind::Certificate);
        assert_eq!(classify(2, 1, 0, 0, 0), Kind::PemBundle);
        assert_eq!(classify(3, 3, 0, 0, 0), Kind::PemBundle);
        assert_eq!(classify(1, 0, 1, 0, 0), Kind::Pkcs7);
        assert_eq!(classify(2, 1, 1, 0, 0), Kind::PemBundle);
        assert_eq!(classify(1, 0, 0, 1, 0), Kind::CertificateRequest);
        assert_eq!(classify(1, 0, 0, 0, 0), Kind::Unknown);
    }
}
