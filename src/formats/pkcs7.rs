//! PKCS#7 / CMS SignedData as a certificate container (`.p7b`, `.p7c`): reading the certificates
//! out of one, writing a "certs-only" one.
//!
//! Reading takes DER, BER with indefinite lengths (older Java and Netscape tools) and PEM, with
//! any label (Microsoft CA web enrollment frames PKCS#7 as `CERTIFICATE`). Writing produces the
//! same shape as `openssl crl2pkcs7 -nocrl`: version 1, no digest algorithms, `data` content
//! type without content, the certificates in the order given, no CRLs, no signers.

use x509_parser::prelude::{FromDer, X509Certificate};

use crate::formats::der::{
    element, header, oid_content, tlv, Children, Element, TAG_CTX0, TAG_CTX1, TAG_INTEGER, TAG_OID,
    TAG_SEQUENCE, TAG_SET,
};
use crate::formats::pem;
use crate::{Code, Error, Result};

/// The arc 1.2.840.113549.1.7 that every PKCS#7 content type is under.
const OID_PKCS7_ARC: &[u64] = &[1, 2, 840, 113549, 1, 7];
/// OID 1.2.840.113549.1.7.1 (`data`).
pub const OID_DATA: &[u64] = &[1, 2, 840, 113549, 1, 7, 1];
/// OID 1.2.840.113549.1.7.2 (`signedData`).
pub const OID_SIGNED_DATA: &[u64] = &[1, 2, 840, 113549, 1, 7, 2];
/// OID 1.2.840.113549.1.7.3 (`envelopedData`).
pub const OID_ENVELOPED_DATA: &[u64] = &[1, 2, 840, 113549, 1, 7, 3];
/// OID 1.2.840.113549.1.7.6 (`encryptedData`).
pub const OID_ENCRYPTED_DATA: &[u64] = &[1, 2, 840, 113549, 1, 7, 6];

/// True when `data` starts like a PKCS#7 ContentInfo (SEQUENCE, then an OID under
/// 1.2.840.113549.1.7). Looks at the first bytes only, so truncated files still count.
pub fn looks_like_pkcs7(data: &[u8]) -> bool {
    let Ok(head) = header(data) else {
        return false;
    };
    if head.tag != TAG_SEQUENCE || !head.constructed {
        return false;
    }
    let inner = &data[head.header_len.min(data.len())..];
    match header(inner) {
        Ok(oid) if oid.tag == TAG_OID => {
            let start = oid.header_len;
            let content = &inner[start.min(inner.len())..];
            content.starts_with(&oid_content(OID_PKCS7_ARC))
        }
        _ => false,
    }
}

/// The certificates (DER, in file order) of a PKCS#7 SignedData given as DER/BER or PEM text.
/// Every certificate returned parses as X.509. Errors: `EmptyData` for no input or a SignedData
/// without certificates, `MalformedData` for truncated or damaged data (naming the element and
/// byte offset), `UnsupportedProfile` for PKCS#7 content other than SignedData, `UnknownFormat`
/// when the data is not PKCS#7 at all.
pub fn read_certificates(data: &[u8]) -> Result<Vec<Vec<u8>>> {
    if data.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::new(
            Code::EmptyData,
            "the PKCS#7 data is empty; give the contents of the .p7b/.p7c file",
        ));
    }
    if pem::is_pem(data) {
        let blocks = pem::parse(data)?;
        let mut found = false;
        let mut certs = Vec::new();
        for block in &blocks {
            if looks_like_pkcs7(&block.data) {
                found = true;
                certs.extend(read_der(&block.data)?);
            }
        }
        if !found {
            return Err(Error::new(
                Code::UnknownFormat,
                format!(
                    "the PEM text holds no PKCS#7 block (found: {}); give a .p7b/.p7c file or \
                     PEM framed as \"-----BEGIN PKCS7-----\"",
                    labels(&blocks)
                ),
            ));
        }
        return Ok(certs);
    }
    read_der(data)
}

/// A certs-only PKCS#7 SignedData (DER) holding `certs` in the order given, the way
/// `openssl crl2pkcs7 -nocrl` writes it. Each input must be one DER X.509 certificate.
pub fn certs_only(certs: &[Vec<u8>]) -> Result<Vec<u8>> {
    if certs.is_empty() {
        return Err(Error::invalid(
            "no certificates to put into the PKCS#7 file; give at least one certificate",
        ));
    }
    for (i, der) in certs.iter().enumerate() {
        match X509Certificate::from_der(der) {
            Ok(([], _)) => {}
            Ok(_) => {
                return Err(Error::invalid(format!(
                    "certificate {} for the PKCS#7 file has extra bytes after its end; give \
                     exactly one DER certificate per entry",
                    i + 1
                )))
            }
            Err(e) => {
                return Err(Error::invalid(format!(
                    "certificate {} for the PKCS#7 file is not a DER X.509 certificate ({e})",
                    i + 1
                )))
            }
        }
    }
    let version = tlv(TAG_INTEGER, &[1]);
    let digest_algorithms = tlv(TAG_SET, &[]);
    let content_info = tlv(TAG_SEQUENCE, &tlv(TAG_OID, &oid_content(OID_DATA)));
    // [0] IMPLICIT: OpenSSL and Windows keep the given order (chain order) rather than the
    // sorted order DER prescribes for SET OF; readers expect the leaf first.
    let certificates = tlv(TAG_CTX0, &certs.concat());
    let signer_infos = tlv(TAG_SET, &[]);
    let signed_data = tlv(
        TAG_SEQUENCE,
        &[
            version,
            digest_algorithms,
            content_info,
            certificates,
            signer_infos,
        ]
        .concat(),
    );
    Ok(tlv(
        TAG_SEQUENCE,
        &[
            tlv(TAG_OID, &oid_content(OID_SIGNED_DATA)),
            tlv(TAG_CTX0, &signed_data),
        ]
        .concat(),
    ))
}

/// [`certs_only`] as PEM text labelled `PKCS7`.
pub fn certs_only_pem(certs: &[Vec<u8>]) -> Result<String> {
    Ok(pem::encode(pem::PKCS7, &certs_only(certs)?))
}

fn labels(blocks: &[pem::Block]) -> String {
    if blocks.is_empty() {
        return "no PEM blocks".to_string();
    }
    blocks
        .iter()
        .map(|b| b.label.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn read_der(data: &[u8]) -> Result<Vec<Vec<u8>>> {
    let outer = element(data, 0, "the PKCS#7 data (ContentInfo)")?;
    expect_tag(&outer, TAG_SEQUENCE, "PKCS#7 ContentInfo")?;
    let mut items = Children::new(data, &outer);
    let oid = items.next_required("the content type OID of the PKCS#7 ContentInfo")?;
    expect_tag(&oid, TAG_OID, "the content type of the PKCS#7 ContentInfo")?;
    let oid_bytes = oid.content(data);
    if oid_bytes != oid_content(OID_SIGNED_DATA) {
        if oid_bytes.starts_with(&oid_content(OID_PKCS7_ARC)) {
            return Err(Error::new(
                Code::UnsupportedProfile,
                format!(
                    "the PKCS#7 data is of type {} and carries no certificate list; give a \
                     certificate chain file (.p7b/.p7c, PKCS#7 signedData)",
                    pkcs7_type_name(oid_bytes)
                ),
            ));
        }
        return Err(Error::new(
            Code::UnknownFormat,
            "the data is a DER SEQUENCE but not PKCS#7 (its first element is not a PKCS#7 \
             content type)",
        ));
    }
    let explicit = items.next_required("the SignedData content of the PKCS#7 file")?;
    expect_tag(&explicit, TAG_CTX0, "the SignedData wrapper ([0])")?;
    let signed = Children::new(data, &explicit).next_required("the PKCS#7 SignedData")?;
    expect_tag(&signed, TAG_SEQUENCE, "the PKCS#7 SignedData")?;
    let mut fields = Children::new(data, &signed);
    let version = fields.next_required("the SignedData version")?;
    expect_tag(&version, TAG_INTEGER, "the SignedData version")?;
    let digests = fields.next_required("the SignedData digest algorithms")?;
    expect_tag(&digests, TAG_SET, "the SignedData digest algorithms")?;
    let encap = fields.next_required("the SignedData content info")?;
    expect_tag(&encap, TAG_SEQUENCE, "the SignedData content info")?;

    let mut certs = Vec::new();
    while let Some(field) = fields.next()? {
        match field.tag {
            TAG_CTX0 => {
                if !field.constructed {
                    return Err(malformed(format!(
                        "the PKCS#7 certificate list at byte {} is not a constructed element",
                        field.offset
                    )));
                }
                let mut list = Children::new(data, &field);
                let mut index = 0;
                while let Some(choice) = list.next()? {
                    index += 1;
                    // Other CertificateChoices (attribute certificates, [0]..[3]) hold no X.509
                    // certificate; they are skipped.
                    if choice.tag != TAG_SEQUENCE {
                        continue;
                    }
                    let der = choice.raw(data);
                    match X509Certificate::from_der(der) {
                        Ok(_) => certs.push(der.to_vec()),
                        Err(e) => {
                            return Err(malformed(format!(
                                "certificate {index} in the PKCS#7 file (at byte {}) is damaged: \
                                 {e}; get the file again from the CA",
                                choice.offset
                            )))
                        }
                    }
                }
            }
            // CRLs, then signer infos: nothing we need.
            TAG_CTX1 | TAG_SET => {}
            other => {
                return Err(malformed(format!(
                    "unexpected element (tag 0x{other:02x}) at byte {} in the PKCS#7 SignedData",
                    field.offset
                )))
            }
        }
    }
    if outer.end < data.len()
        && !data[outer.end..]
            .iter()
            .all(|&b| b == 0 || b.is_ascii_whitespace())
    {
        return Err(malformed(format!(
            "{} unexpected bytes follow the PKCS#7 data at byte {}; the file is damaged or two \
             files were joined",
            data.len() - outer.end,
            outer.end
        )));
    }
    if certs.is_empty() {
        return Err(Error::new(
            Code::EmptyData,
            "the PKCS#7 file holds no certificates; export it again with the certificates \
             included (for example `openssl crl2pkcs7 -nocrl -certfile chain.pem`)",
        ));
    }
    Ok(certs)
}

fn pkcs7_type_name(oid: &[u8]) -> &'static str {
    match oid.last() {
        Some(1) => "data",
        Some(3) => "envelopedData",
        Some(4) => "signedAndEnvelopedData",
        Some(5) => "digestedData",
        Some(6) => "encryptedData",
        _ => "unknown",
    }
}

fn malformed(message: String) -> Error {
    Error::new(Code::MalformedData, message)
}

fn expect_tag(el: &Element, tag: u8, what: &str) -> Result<()> {
    if el.tag != tag {
        return Err(malformed(format!(
            "{what} at byte {} has tag 0x{:02x}, expected 0x{tag:02x}; the PKCS#7 file is damaged",
            el.offset, el.tag
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_pkcs7_types_are_unsupported() {
        let enveloped = tlv(
            TAG_SEQUENCE,
            &[
                tlv(TAG_OID, &oid_content(OID_ENVELOPED_DATA)),
                tlv(TAG_CTX0, &tlv(TAG_SEQUENCE, &[])),
            ]
            .concat(),
        );
        assert!(looks_like_pkcs7(&enveloped));
        let e = read_certificates(&enveloped).unwrap_err();
        assert_eq!(e.code, Code::UnsupportedProfile);
        assert!(e.message.contains("envelopedData"), "{e}");
    }

    #[test]
    fn empty_list_refused_on_write() {
        assert_eq!(certs_only(&[]).unwrap_err().code, Code::InvalidArgument);
        assert_eq!(
            certs_only(&[vec![0x30, 0x00]]).unwrap_err().code,
            Code::InvalidArgument
        );
    }
}
