//! PKCS#7 / CMS SignedData as a certificate container (`.p7b`, `.p7c`): reading the certificates
//! out of one, writing a "certs-only" one.
//!
//! Reading takes DER, BER with indefinite lengths (older Java and Netscape tools) and PEM, with
//! any label (Microsoft CA web enrollment frames PKCS#7 as `CERTIFICATE`). Writing produces the
//! same shape as `openssl crl2pkcs7 -nocrl`: version 1, no digest algorithms, `data` content
//! type without content, the certificates in the order given, no CRLs, no signers.

use x509_parser::prelude::{FromDer, X509Certificate};

use crate::formats::pem;
use crate::{Code, Error, Result};

/// DER content of the OID 1.2.840.113549.1.7.2 (`signedData`).
pub const OID_SIGNED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
/// DER content of the OID 1.2.840.113549.1.7.1 (`data`).
pub const OID_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
/// DER content of the arc 1.2.840.113549.1.7 that every PKCS#7 content type is under.
const OID_PKCS7_ARC: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07];

const TAG_INTEGER: u8 = 0x02;
const TAG_OID: u8 = 0x06;
const TAG_SEQUENCE: u8 = 0x30;
const TAG_SET: u8 = 0x31;
const TAG_CTX0: u8 = 0xa0;
const TAG_CTX1: u8 = 0xa1;

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
            content.starts_with(OID_PKCS7_ARC)
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
    let content_info = tlv(TAG_SEQUENCE, &tlv(TAG_OID, OID_DATA));
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
        &[tlv(TAG_OID, OID_SIGNED_DATA), tlv(TAG_CTX0, &signed_data)].concat(),
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
    if oid_bytes != OID_SIGNED_DATA {
        if oid_bytes.starts_with(OID_PKCS7_ARC) {
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

// ---- A small BER reader: enough for container structures, with byte offsets for messages. ----

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

    #[test]
    fn other_pkcs7_types_are_unsupported() {
        let enveloped = tlv(
            TAG_SEQUENCE,
            &[
                tlv(
                    TAG_OID,
                    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03],
                ),
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
