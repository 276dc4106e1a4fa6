//! The bags of a SafeContents: certificates, plain and encrypted keys, nested contents; their
//! friendly names and local key IDs, and the protection seen for each kind.

use yasna::Tag;
use zeroize::Zeroizing;

use super::asn1;
use super::keyring::Keyring;
use super::pbe::Scheme;
use super::{Bag, KeyBag};
use crate::Result;

/// Nesting allowed for safeContentsBag inside safeContentsBag.
pub(super) const MAX_NESTING: u32 = 4;

/// Bags gathered so far, and the protection seen for each kind.
#[derive(Default)]
pub(super) struct Collected {
    pub(super) certificates: Vec<Bag>,
    pub(super) keys: Vec<KeyBag>,
    cert_schemes: Vec<String>,
    key_schemes: Vec<String>,
}

const UNENCRYPTED: &str = "unencrypted";

impl Collected {
    pub(super) fn profile(&self, mac: &str) -> String {
        let join = |v: &[String]| v.join(" + ");
        let mut all: Vec<&String> = self.key_schemes.iter().chain(&self.cert_schemes).collect();
        all.sort();
        all.dedup();
        let mut parts = Vec::new();
        if all.len() == 1 {
            parts.push(all[0].clone());
        } else {
            if !self.key_schemes.is_empty() {
                parts.push(format!("key {}", join(&self.key_schemes)));
            }
            if !self.cert_schemes.is_empty() {
                parts.push(format!("certificates {}", join(&self.cert_schemes)));
            }
        }
        parts.push(mac.to_string());
        parts.join(", ")
    }
}

fn note(list: &mut Vec<String>, name: &str) {
    if !list.iter().any(|n| n == name) {
        list.push(name.to_string());
    }
}

struct RawBag {
    oid: Vec<u64>,
    value: Zeroizing<Vec<u8>>,
    attributes: Vec<(Vec<u64>, Vec<Vec<u8>>)>,
}

impl RawBag {
    fn attribute(&self, oid: &[u64]) -> Option<&[u8]> {
        self.attributes
            .iter()
            .find(|(o, _)| o == oid)
            .and_then(|(_, values)| values.first())
            .map(Vec::as_slice)
    }

    /// friendlyName is a BMPString; a UTF8String is accepted too. Anything else is ignored.
    fn friendly_name(&self) -> Option<String> {
        let raw = self.attribute(asn1::OID_FRIENDLY_NAME)?;
        asn1::ber(raw, |r| r.read_bmp_string())
            .map(repair_bytewise_utf8)
            .or_else(|_| asn1::ber(raw, |r| r.read_utf8string()))
            .ok()
    }

    fn local_key_id(&self) -> Option<Vec<u8>> {
        let raw = self.attribute(asn1::OID_LOCAL_KEY_ID)?;
        asn1::ber(raw, |r| r.read_bytes()).ok()
    }
}

/// `openssl pkcs12 -name` stores UTF-8 bytes one per BMPString character; such a name is
/// decoded back as UTF-8. A name with characters above U+00FF, or not valid UTF-8, is kept.
pub(super) fn repair_bytewise_utf8(name: String) -> String {
    if name.is_ascii() || name.chars().any(|c| c as u32 > 0xff) {
        return name;
    }
    let bytes: Vec<u8> = name.chars().map(|c| c as u8).collect();
    String::from_utf8(bytes).unwrap_or(name)
}

/// SafeBag ::= SEQUENCE { bagId OID, bagValue [0] EXPLICIT ANY, bagAttributes SET OF
/// SEQUENCE { attrId OID, attrValues SET OF ANY } OPTIONAL }
fn read_bag(r: yasna::BERReader) -> yasna::ASN1Result<RawBag> {
    r.read_sequence(|r| {
        let oid = r.next().read_oid()?.into_components();
        let value = Zeroizing::new(r.next().read_tagged(Tag::context(0), |r| r.read_der())?);
        let attributes = r
            .read_optional(|r| {
                r.collect_set_of(|r| {
                    r.read_sequence(|r| {
                        let id = r.next().read_oid()?.into_components();
                        let values = r.next().collect_set_of(|r| r.read_der())?;
                        Ok((id, values))
                    })
                })
            })?
            .unwrap_or_default();
        Ok(RawBag {
            oid,
            value,
            attributes,
        })
    })
}

/// Reads the bags of one SafeContents. `encryption` names the content's encryption (None for
/// a plain data content).
pub(super) fn read_safe_contents(
    data: &[u8],
    encryption: Option<&str>,
    keyring: &mut Keyring,
    out: &mut Collected,
    depth: u32,
) -> Result<()> {
    let bags = asn1::parse(data, "a SafeContents", |r| r.collect_sequence_of(read_bag))?;
    let content_scheme = encryption.unwrap_or(UNENCRYPTED);
    for bag in bags {
        match bag.oid.as_slice() {
            asn1::OID_CERT_BAG => {
                let (kind, der) = asn1::parse(&bag.value, "a certificate bag", |r| {
                    r.read_sequence(|r| {
                        let kind = r.next().read_oid()?.into_components();
                        let der = r.next().read_tagged(Tag::context(0), |r| r.read_der())?;
                        Ok((kind, der))
                    })
                })?;
                // SDSI certificates and other kinds are skipped.
                if kind == asn1::OID_X509_CERTIFICATE {
                    let der = asn1::parse(&der, "a certificate", |r| r.read_bytes())?;
                    note(&mut out.cert_schemes, content_scheme);
                    crate::formats::check_count(out.certificates.len() + 1, "certificates")?;
                    out.certificates.push(Bag {
                        der,
                        friendly_name: bag.friendly_name(),
                        local_key_id: bag.local_key_id(),
                    });
                }
            }
            asn1::OID_KEY_BAG => {
                if !asn1::is_sequence(&bag.value) {
                    return Err(asn1::malformed("a private key bag"));
                }
                note(&mut out.key_schemes, content_scheme);
                crate::formats::check_count(out.keys.len() + 1, "private keys")?;
                out.keys.push(KeyBag {
                    pkcs8: bag.value.clone(),
                    friendly_name: bag.friendly_name(),
                    local_key_id: bag.local_key_id(),
                });
            }
            asn1::OID_SHROUDED_KEY_BAG => {
                let (alg, ct) = asn1::parse(&bag.value, "an encrypted private key", |r| {
                    r.read_sequence(|r| Ok((asn1::read_alg(r.next())?, r.next().read_bytes()?)))
                })?;
                let scheme = Scheme::parse(&alg, "the private key's encryption parameters")?;
                crate::formats::check_count(out.keys.len() + 1, "private keys")?;
                let pkcs8 = keyring.decrypt(&scheme, &ct, "private key")?;
                note(&mut out.key_schemes, &scheme.name());
                out.keys.push(KeyBag {
                    pkcs8,
                    friendly_name: bag.friendly_name(),
                    local_key_id: bag.local_key_id(),
                });
            }
            asn1::OID_SAFE_CONTENTS_BAG => {
                if depth >= MAX_NESTING {
                    return Err(asn1::malformed("nested SafeContents (nested too deeply)"));
                }
                read_safe_contents(&bag.value, encryption, keyring, out, depth + 1)?;
            }
            // CRL and secret bags, and unknown ones: not ours to handle.
            _ => {}
        }
    }
    Ok(())
}
