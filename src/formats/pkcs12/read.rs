//! Reading PKCS#12 files.

use yasna::Tag;
use zeroize::Zeroizing;

use super::asn1::{self, RawAlg};
use super::hash::Hash;
use super::pbe::{self, Password, Pbkdf2, Scheme};
use super::{Bag, Contents, KeyBag};
use crate::{Code, Error, Result};

/// RFC 9579 PBMAC1.
const OID_PBMAC1: &[u64] = &[1, 2, 840, 113549, 1, 5, 14];

/// Nesting allowed for safeContentsBag inside safeContentsBag.
const MAX_NESTING: u32 = 4;

/// Reads a PKCS#12 file. `password` is UTF-8; `None` and an empty password both try the two
/// encodings of the empty password. Errors: EmptyData, MalformedData, WrongPassword (MAC
/// mismatch or undecryptable contents), UnsupportedProfile (naming the algorithm found).
pub fn read(data: &[u8], password: Option<&[u8]>) -> Result<Contents> {
    if data.is_empty() {
        return Err(Error::new(
            Code::EmptyData,
            "no PKCS#12 data was given: pass the bytes of a .pfx or .p12 file",
        ));
    }
    let pfx = parse_pfx(data)?;
    let given = password.is_some_and(|p| !p.is_empty());
    let mut keyring = Keyring {
        candidates: Password::candidates(password),
        mac_verified: false,
        given,
        spent: 0,
    };
    let mac = match &pfx.mac {
        None => "no MAC".to_string(),
        Some(mac) => keyring.verify_mac(mac, &pfx.auth_safe)?,
    };
    let infos = asn1::parse(&pfx.auth_safe, "the authenticated safe", |r| {
        r.collect_sequence_of(read_content_info)
    })?;
    let mut out = Collected::default();
    for (oid, content) in infos {
        match oid.as_slice() {
            asn1::OID_DATA => {
                let safe =
                    Zeroizing::new(asn1::parse(&content, "a data content", |r| r.read_bytes())?);
                read_safe_contents(&safe, None, &mut keyring, &mut out, 0)?;
            }
            asn1::OID_ENCRYPTED_DATA => {
                let (alg, ct) = asn1::parse(&content, "an encrypted content", |r| {
                    r.read_sequence(|r| {
                        let _version = r.next().read_u64()?;
                        let eci = r.next().read_sequence(|r| {
                            let _type = r.next().read_oid()?;
                            let alg = asn1::read_alg(r.next())?;
                            let ct = r.read_optional(|r| {
                                r.read_tagged_implicit(Tag::context(0), |r| r.read_bytes())
                            })?;
                            Ok((alg, ct))
                        })?;
                        // unprotectedAttrs [1] and anything later: ignored.
                        while r.read_optional(|r| r.read_der())?.is_some() {}
                        Ok(eci)
                    })
                })?;
                let scheme = Scheme::parse(&alg, "the certificates' encryption parameters")?;
                let safe = keyring.decrypt(&scheme, &ct.unwrap_or_default(), "certificates")?;
                read_safe_contents(&safe, Some(&scheme.name()), &mut keyring, &mut out, 0)?;
            }
            asn1::OID_ENVELOPED_DATA => {
                return Err(pbe::unsupported(
                    "public-key privacy mode (an envelopedData content, encrypted to a \
                     certificate instead of a password)",
                ))
            }
            other => {
                return Err(pbe::unsupported(&format!(
                    "a content of unknown type (OID {})",
                    asn1::oid_string(other)
                )))
            }
        }
    }
    Ok(Contents {
        profile: out.profile(&mac),
        certificates: out.certificates,
        keys: out.keys,
    })
}

struct Pfx {
    /// Holds plain keys when the file has unencrypted key bags: zeroed on drop.
    auth_safe: Zeroizing<Vec<u8>>,
    mac: Option<MacData>,
}

struct MacData {
    alg: RawAlg,
    digest: Vec<u8>,
    salt: Vec<u8>,
    iterations: u64,
}

fn parse_pfx(data: &[u8]) -> Result<Pfx> {
    let (version, content_type, content, mac) = asn1::parse(data, "the PFX structure", |r| {
        r.read_sequence(|r| {
            let version = r.next().read_u64()?;
            let (content_type, content) = read_content_info(r.next())?;
            let mac = r.read_optional(|r| {
                r.read_sequence(|r| {
                    let (alg, digest) = r.next().read_sequence(|r| {
                        Ok((asn1::read_alg(r.next())?, r.next().read_bytes()?))
                    })?;
                    let salt = r.next().read_bytes()?;
                    let iterations = r.read_optional(|r| r.read_u64())?.unwrap_or(1);
                    Ok(MacData {
                        alg,
                        digest,
                        salt,
                        iterations,
                    })
                })
            })?;
            Ok((version, content_type, content, mac))
        })
    })?;
    if version != 3 {
        return Err(pbe::unsupported(&format!(
            "PKCS#12 version {version} (only version 3 is standard)"
        )));
    }
    match content_type.as_slice() {
        asn1::OID_DATA => {}
        asn1::OID_SIGNED_DATA => {
            return Err(pbe::unsupported(
                "public-key integrity mode (a signedData content instead of a password MAC)",
            ))
        }
        other => {
            return Err(asn1::malformed(&format!(
                "the PFX content (type {} instead of data)",
                asn1::oid_string(other)
            )))
        }
    }
    let auth_safe = Zeroizing::new(asn1::parse(&content, "the PFX content", |r| {
        r.read_bytes()
    })?);
    Ok(Pfx { auth_safe, mac })
}

/// ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY OPTIONAL }
/// The content is zeroed on drop: a data content may hold a plain key.
fn read_content_info(r: yasna::BERReader) -> yasna::ASN1Result<(Vec<u64>, Zeroizing<Vec<u8>>)> {
    r.read_sequence(|r| {
        let oid = r.next().read_oid()?.into_components();
        let content = r.read_optional(|r| r.read_tagged(Tag::context(0), |r| r.read_der()))?;
        Ok((oid, Zeroizing::new(content.unwrap_or_default())))
    })
}

/// The password encodings still in the running, the one that worked first.
struct Keyring {
    candidates: Vec<Password>,
    mac_verified: bool,
    given: bool,
    /// Hash blocks spent so far on this file (see `pbe::MAX_HASH_BLOCKS_PER_FILE`).
    spent: u64,
}

impl Keyring {
    /// Checks the MAC with each candidate; keeps the one that matches in front. Returns the
    /// MAC's description for the profile string.
    fn verify_mac(&mut self, mac: &MacData, data: &[u8]) -> Result<String> {
        if mac.alg.oid == OID_PBMAC1 {
            return self.verify_pbmac1(mac, data);
        }
        let hash = Hash::from_digest_oid(&mac.alg.oid).ok_or_else(|| {
            pbe::unsupported(&format!(
                "a MAC with the digest {}",
                pbe::named_oid(&mac.alg.oid)
            ))
        })?;
        let iterations = pbe::check_iterations(mac.iterations, "the MAC")?;
        if mac.digest.len() != hash.output_len() {
            return Err(asn1::malformed(
                "the MAC (its length does not fit its digest)",
            ));
        }
        let len = hash.output_len();
        self.spend(pbe::derivation_cost(iterations, len, len) * self.candidates.len() as u64)?;
        let found = self.candidates.iter().position(|pw| {
            let key = hash.pkcs12_kdf(&pw.bmp, &mac.salt, 3, iterations, hash.output_len());
            hash.hmac_verify(&key, data, &mac.digest)
        });
        self.accept(found)?;
        Ok(format!("MAC {}", hash.name()))
    }

    /// RFC 9579: the MAC key comes from PBKDF2 over the UTF-8 password; MacData's own salt and
    /// iterations are ignored.
    fn verify_pbmac1(&mut self, mac: &MacData, data: &[u8]) -> Result<String> {
        let what = "the PBMAC1 parameters";
        let (kdf, scheme) =
            asn1::parse(mac.alg.params.as_deref().unwrap_or_default(), what, |r| {
                r.read_sequence(|r| Ok((asn1::read_alg(r.next())?, asn1::read_alg(r.next())?)))
            })?;
        if kdf.oid != pbe::OID_PBKDF2 {
            return Err(pbe::unsupported(&format!(
                "PBMAC1 with the key derivation {}",
                pbe::named_oid(&kdf.oid)
            )));
        }
        let params = Pbkdf2::parse(kdf.params.as_deref().unwrap_or_default(), what)?;
        let hmac = Hash::from_hmac_oid(&scheme.oid).ok_or_else(|| {
            pbe::unsupported(&format!(
                "PBMAC1 with the MAC {}",
                pbe::named_oid(&scheme.oid)
            ))
        })?;
        // RFC 9579 §4: keyLength is required; without it the file is invalid.
        let key_len = match params.key_len {
            Some(n) if (1..=1024).contains(&n) => n as usize,
            _ => {
                return Err(asn1::malformed(
                    "the PBMAC1 parameters (missing key length)",
                ))
            }
        };
        if mac.digest.len() != hmac.output_len() {
            return Err(asn1::malformed(
                "the MAC (its length does not fit its digest)",
            ));
        }
        let cost = pbe::derivation_cost(params.iterations, key_len, params.prf.output_len());
        self.spend(cost * self.candidates.len() as u64)?;
        let found = self.candidates.iter().position(|pw| {
            let mut key = Zeroizing::new(vec![0u8; key_len]);
            params
                .prf
                .pbkdf2(&pw.raw, &params.salt, params.iterations, &mut key);
            hmac.hmac_verify(&key, data, &mac.digest)
        });
        self.accept(found)?;
        Ok(format!(
            "MAC PBMAC1/PBKDF2-HMAC-{}/HMAC-{}",
            params.prf.name().replace('-', ""),
            hmac.name().replace('-', "")
        ))
    }

    fn accept(&mut self, found: Option<usize>) -> Result<()> {
        match found {
            Some(i) => {
                let pw = self.candidates.remove(i);
                self.candidates.insert(0, pw);
                self.mac_verified = true;
                Ok(())
            }
            None => Err(Error::new(
                Code::WrongPassword,
                if self.given {
                    "the password is wrong: it does not pass the file's integrity check (MAC). \
                     Give the password the file was exported with; if it is right, the file is \
                     damaged"
                } else {
                    "the file is protected by a password: give the password it was exported with"
                },
            )),
        }
    }

    /// Counts a derivation (in hash blocks) against the file's budget before it is done;
    /// refuses the file once the budget would be exceeded.
    fn spend(&mut self, blocks: u64) -> Result<()> {
        self.spent = self.spent.saturating_add(blocks);
        if self.spent > pbe::MAX_HASH_BLOCKS_PER_FILE {
            return Err(Error::new(
                Code::UnsupportedProfile,
                format!(
                    "the PKCS#12 file asks for {} hash blocks of key derivation (iterations times \
                     the blocks each derivation outputs, for every bag and password encoding), \
                     more than the limit of {}; excert stops there so that a hostile file cannot \
                     stall it. Export it again with fewer iterations",
                    self.spent,
                    pbe::MAX_HASH_BLOCKS_PER_FILE
                ),
            ));
        }
        Ok(())
    }

    /// Decrypts with the first candidate that yields a well-formed SEQUENCE.
    fn decrypt(&mut self, scheme: &Scheme, data: &[u8], what: &str) -> Result<Zeroizing<Vec<u8>>> {
        for i in 0..self.candidates.len() {
            self.spend(scheme.cost())?;
            if let Some(plain) = scheme.decrypt(&self.candidates[i], data) {
                if asn1::is_sequence(&plain) {
                    let pw = self.candidates.remove(i);
                    self.candidates.insert(0, pw);
                    return Ok(plain);
                }
            }
        }
        let message = if self.mac_verified {
            format!(
                "the password passes the file's integrity check but does not decrypt its {what}; \
                 the file was written with a separate encryption password or is damaged"
            )
        } else if self.given {
            format!("the password is wrong: it does not decrypt the file's {what}")
        } else {
            format!("the file's {what} are encrypted: give the password it was exported with")
        };
        Err(Error::new(Code::WrongPassword, message))
    }
}

/// Bags gathered so far, and the protection seen for each kind.
#[derive(Default)]
struct Collected {
    certificates: Vec<Bag>,
    keys: Vec<KeyBag>,
    cert_schemes: Vec<String>,
    key_schemes: Vec<String>,
}

const UNENCRYPTED: &str = "unencrypted";

impl Collected {
    fn profile(&self, mac: &str) -> String {
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
fn repair_bytewise_utf8(name: String) -> String {
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
fn read_safe_contents(
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

#[cfg(test)]
mod tests {
    use super::super::{write_with, Encryption, ExportItem, MacAlgorithm, Options};
    use super::*;
    use yasna::DERWriter;

    const CERT1: &[u8] = &[0x30, 0x03, 0x02, 0x01, 0x01];
    const CERT2: &[u8] = &[0x30, 0x03, 0x02, 0x01, 0x02];
    const KEY: &[u8] = &[0x30, 0x06, 0x02, 0x01, 0x00, 0x04, 0x01, 0x2a];
    const OID_MS_CSP_NAME: &[u64] = &[1, 3, 6, 1, 4, 1, 311, 17, 1];

    type Attr<'a> = (&'a [u64], Vec<Vec<u8>>);

    fn der(f: impl FnOnce(DERWriter)) -> Vec<u8> {
        yasna::construct_der(f)
    }

    fn bag(oid: &[u64], value: &[u8], attrs: &[Attr]) -> Vec<u8> {
        der(|w| {
            w.write_sequence(|w| {
                asn1::write_oid(w.next(), oid);
                w.next()
                    .write_tagged(Tag::context(0), |w| w.write_der(value));
                if !attrs.is_empty() {
                    w.next().write_set_of(|s| {
                        for (id, values) in attrs {
                            s.next().write_sequence(|w| {
                                asn1::write_oid(w.next(), id);
                                w.next().write_set_of(|s| {
                                    for v in values {
                                        s.next().write_der(v);
                                    }
                                });
                            });
                        }
                    });
                }
            })
        })
    }

    fn cert_bag(kind: &[u64], value: &[u8], attrs: &[Attr]) -> Vec<u8> {
        let inner = der(|w| {
            w.write_sequence(|w| {
                asn1::write_oid(w.next(), kind);
                w.next()
                    .write_tagged(Tag::context(0), |w| w.write_bytes(value));
            })
        });
        bag(asn1::OID_CERT_BAG, &inner, attrs)
    }

    fn sequence_of(items: &[Vec<u8>]) -> Vec<u8> {
        der(|w| {
            w.write_sequence_of(|w| {
                for i in items {
                    w.next().write_der(i);
                }
            })
        })
    }

    fn content_info(oid: &[u64], content: &[u8]) -> Vec<u8> {
        der(|w| {
            w.write_sequence(|w| {
                asn1::write_oid(w.next(), oid);
                w.next()
                    .write_tagged(Tag::context(0), |w| w.write_der(content));
            })
        })
    }

    fn data(safe_contents: &[u8]) -> Vec<u8> {
        content_info(asn1::OID_DATA, &der(|w| w.write_bytes(safe_contents)))
    }

    /// A PFX without MAC around `contents` (ContentInfos), with version and content type.
    fn pfx(version: u32, auth_type: &[u64], contents: &[Vec<u8>], mac: Option<Vec<u8>>) -> Vec<u8> {
        let auth_safe = sequence_of(contents);
        der(|w| {
            w.write_sequence(|w| {
                w.next().write_u32(version);
                w.next().write_der(&content_info(
                    auth_type,
                    &der(|w| w.write_bytes(&auth_safe)),
                ));
                if let Some(m) = &mac {
                    w.next().write_der(m);
                }
            })
        })
    }

    fn mac_data(digest_oid: &[u64], digest: &[u8], iterations: u32) -> Vec<u8> {
        der(|w| {
            w.write_sequence(|w| {
                w.next().write_sequence(|w| {
                    asn1::write_alg(w.next(), digest_oid, |w| w.write_null());
                    w.next().write_bytes(digest);
                });
                w.next().write_bytes(&[1; 8]);
                w.next().write_u32(iterations);
            })
        })
    }

    #[test]
    fn unusual_bags_and_unknown_attributes() {
        let bmp = |s: &str| der(|w| w.write_bmp_string(s));
        let id = der(|w| w.write_bytes(&[1, 0, 0, 0]));
        let safe = sequence_of(&[
            cert_bag(
                asn1::OID_X509_CERTIFICATE,
                CERT1,
                &[
                    (
                        OID_MS_CSP_NAME,
                        vec![bmp("Microsoft Software Key Storage Provider")],
                    ),
                    (
                        asn1::OID_FRIENDLY_NAME,
                        vec![der(|w| w.write_utf8_string("utf8 name"))],
                    ),
                    (asn1::OID_LOCAL_KEY_ID, vec![id.clone()]),
                ],
            ),
            // An SDSI certificate, a CRL bag and a secret bag: skipped.
            cert_bag(&[1, 2, 840, 113549, 1, 9, 22, 2], b"sdsi", &[]),
            bag(&[1, 2, 840, 113549, 1, 12, 10, 1, 4], CERT2, &[]),
            bag(&[1, 2, 840, 113549, 1, 12, 10, 1, 5], CERT2, &[]),
            bag(
                asn1::OID_SAFE_CONTENTS_BAG,
                &sequence_of(&[cert_bag(asn1::OID_X509_CERTIFICATE, CERT2, &[])]),
                &[],
            ),
            bag(
                asn1::OID_KEY_BAG,
                KEY,
                &[
                    (asn1::OID_LOCAL_KEY_ID, vec![id]),
                    (&[1, 3, 6, 1, 4, 1, 311, 17, 2], vec![]),
                ],
            ),
        ]);
        let c = read(&pfx(3, asn1::OID_DATA, &[data(&safe)], None), None).unwrap();
        assert_eq!(c.certificates.len(), 2);
        assert_eq!(c.certificates[0].der, CERT1);
        assert_eq!(
            c.certificates[0].friendly_name.as_deref(),
            Some("utf8 name")
        );
        assert_eq!(
            c.certificates[0].local_key_id.as_deref(),
            Some(&[1, 0, 0, 0][..])
        );
        assert_eq!(c.certificates[1].der, CERT2);
        assert_eq!(c.certificates[1].friendly_name, None);
        assert_eq!(c.keys.len(), 1);
        assert_eq!(&c.keys[0].pkcs8[..], KEY);
        assert_eq!(c.keys[0].local_key_id.as_deref(), Some(&[1, 0, 0, 0][..]));
        assert_eq!(c.profile, "unencrypted, no MAC");
    }

    fn refused(data: &[u8]) -> Error {
        read(data, Some(b"pw")).unwrap_err()
    }

    #[test]
    fn structures_we_do_not_read_are_named() {
        let safe = sequence_of(&[cert_bag(asn1::OID_X509_CERTIFICATE, CERT1, &[])]);
        let ok = [data(&safe)];
        let e = refused(&pfx(2, asn1::OID_DATA, &ok, None));
        assert_eq!(e.code, Code::UnsupportedProfile);
        assert!(e.message.contains("version 2"), "{}", e.message);
        let e = refused(&pfx(3, asn1::OID_SIGNED_DATA, &ok, None));
        assert_eq!(e.code, Code::UnsupportedProfile);
        assert!(e.message.contains("signedData"), "{}", e.message);
        let enveloped = content_info(asn1::OID_ENVELOPED_DATA, &sequence_of(&[]));
        let e = refused(&pfx(3, asn1::OID_DATA, &[enveloped], None));
        assert_eq!(e.code, Code::UnsupportedProfile);
        assert!(e.message.contains("envelopedData"), "{}", e.message);
        let odd = content_info(&[1, 2, 3, 4, 5], &sequence_of(&[]));
        let e = refused(&pfx(3, asn1::OID_DATA, &[odd], None));
        assert!(e.message.contains("1.2.3.4.5"), "{}", e.message);
        let md5 = mac_data(&[1, 2, 840, 113549, 2, 5], &[0; 16], 1);
        let e = refused(&pfx(3, asn1::OID_DATA, &ok, Some(md5)));
        assert_eq!(e.code, Code::UnsupportedProfile);
        assert!(
            e.message.contains("MD5 (1.2.840.113549.2.5)"),
            "{}",
            e.message
        );
        let zero = mac_data(Hash::Sha1.digest_oid(), &[0; 20], 0);
        assert_eq!(
            refused(&pfx(3, asn1::OID_DATA, &ok, Some(zero))).code,
            Code::MalformedData
        );
        let short = mac_data(Hash::Sha256.digest_oid(), &[0; 20], 1);
        assert_eq!(
            refused(&pfx(3, asn1::OID_DATA, &ok, Some(short))).code,
            Code::MalformedData
        );
        let wrong = mac_data(Hash::Sha256.digest_oid(), &[0; 32], 1);
        assert_eq!(
            refused(&pfx(3, asn1::OID_DATA, &ok, Some(wrong))).code,
            Code::WrongPassword
        );

        let mut nested = safe.clone();
        for _ in 0..=MAX_NESTING {
            nested = sequence_of(&[bag(asn1::OID_SAFE_CONTENTS_BAG, &nested, &[])]);
        }
        let e = refused(&pfx(3, asn1::OID_DATA, &[data(&nested)], None));
        assert_eq!(e.code, Code::MalformedData);
        assert!(e.message.contains("nested"), "{}", e.message);
    }

    /// Re-encodes DER as BER the way old Windows exports look: every constructed element with
    /// indefinite length, OCTET STRINGs (and [0] IMPLICIT ones) split into chunks. Recurses into
    /// OCTET STRING contents `levels` deep.
    fn to_ber(der: &[u8], levels: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < der.len() {
            let tag = der[i];
            let (len, header) = match der[i + 1] {
                n if n < 0x80 => (n as usize, 2),
                0x81 => (der[i + 2] as usize, 3),
                0x82 => (((der[i + 2] as usize) << 8) | der[i + 3] as usize, 4),
                other => panic!("length form {other:#x} not needed here"),
            };
            let body = &der[i + header..i + header + len];
            if tag & 0x20 != 0 {
                out.extend_from_slice(&[tag, 0x80]);
                out.extend(to_ber(body, levels));
                out.extend_from_slice(&[0, 0]);
            } else if (tag == 0x04 || tag == 0x80) && len > 8 {
                let inner = if levels > 0 && body[0] == 0x30 {
                    to_ber(body, levels - 1)
                } else {
                    body.to_vec()
                };
                out.extend_from_slice(&[tag | 0x20, 0x80]);
                for chunk in inner.chunks(100) {
                    out.extend_from_slice(&[0x04, 0x81, chunk.len() as u8]);
                    out.extend_from_slice(chunk);
                }
                out.extend_from_slice(&[0, 0]);
            } else {
                out.extend_from_slice(&der[i..i + header + len]);
            }
            i += header + len;
        }
        out
    }

    #[test]
    fn ber_encodings_read_like_der() {
        let leaf = rcgen::generate_simple_self_signed(vec!["ber.example".to_string()]).unwrap();
        let (cert, key) = (leaf.cert.der().to_vec(), leaf.key_pair.serialize_der());
        let with_key = ExportItem {
            certificate_der: &cert,
            private_key_pkcs8: Some(&key),
            chain_der: &[],
            friendly_name: Some("ber"),
        };
        let check = |pfx: &[u8], expect_key: bool| {
            assert_eq!(&pfx[..2], &[0x30, 0x80], "BER, indefinite length");
            let c = read(pfx, Some(b"pw")).unwrap();
            assert_eq!(c.certificates[0].der, cert);
            assert_eq!(c.certificates[0].friendly_name.as_deref(), Some("ber"));
            if expect_key {
                assert_eq!(&c.keys[0].pkcs8[..], &key[..]);
            }
        };
        // The outer layers only: the MAC covers the concatenated chunks.
        let modern = write_with(&with_key, b"pw", &Options::default()).unwrap();
        check(&to_ber(&modern, 0), true);
        // Into the authenticated safe: encryptedContent becomes a constructed [0].
        let options = Options {
            mac: MacAlgorithm::None,
            ..Options::default()
        };
        let pfx = write_with(&with_key, b"pw", &options).unwrap();
        check(&to_ber(&pfx, 1), true);
        // Down to the bags, without a key (a key bag would be re-encoded too).
        let options = Options {
            key: Encryption::None,
            certificates: Encryption::None,
            mac: MacAlgorithm::None,
            iterations: 1,
        };
        let no_key = ExportItem {
            private_key_pkcs8: None,
            ..with_key
        };
        let pfx = write_with(&no_key, b"pw", &options).unwrap();
        check(&to_ber(&pfx, 2), false);
    }

    #[test]
    fn bytewise_utf8_names_are_repaired_and_others_kept() {
        assert_eq!(repair_bytewise_utf8("fÃ¼r KÃ¶ln".into()), "für Köln");
        assert_eq!(repair_bytewise_utf8("für Köln".into()), "für Köln");
        assert_eq!(repair_bytewise_utf8("plain".into()), "plain");
        assert_eq!(repair_bytewise_utf8("日本".into()), "日本");
    }
}
