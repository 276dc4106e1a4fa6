//! Reading PKCS#12 files: the PFX structure walk (version, MAC, the authenticated safe's
//! contents, decrypted as needed); the bags inside are read by `bags`.

use yasna::Tag;
use zeroize::Zeroizing;

use super::asn1::{self, RawAlg};
use super::bags::{read_safe_contents, Collected};
use super::keyring::Keyring;
use super::password::Password;
use super::pbe::{self, Scheme};
use super::Contents;
use crate::{Code, Error, Result};

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
    let mut keyring = Keyring::new(Password::candidates(password), given);
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

pub(super) struct Pfx {
    /// Holds plain keys when the file has unencrypted key bags: zeroed on drop.
    auth_safe: Zeroizing<Vec<u8>>,
    mac: Option<MacData>,
}

pub(super) struct MacData {
    pub(super) alg: RawAlg,
    pub(super) digest: Vec<u8>,
    pub(super) salt: Vec<u8>,
    pub(super) iterations: u64,
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
pub(super) fn read_content_info(
    r: yasna::BERReader,
) -> yasna::ASN1Result<(Vec<u64>, Zeroizing<Vec<u8>>)> {
    r.read_sequence(|r| {
        let oid = r.next().read_oid()?.into_components();
        let content = r.read_optional(|r| r.read_tagged(Tag::context(0), |r| r.read_der()))?;
        Ok((oid, Zeroizing::new(content.unwrap_or_default())))
    })
}

#[cfg(test)]
#[path = "read_tests.rs"]
mod tests;
