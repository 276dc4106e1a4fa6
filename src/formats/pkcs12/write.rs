//! Writing PKCS#12 files (DER).

use rand::RngCore;
use sha1::{Digest, Sha1};
use yasna::{DERWriter, Tag};
use zeroize::Zeroizing;

use super::asn1;
use super::hash::Hash;
use super::password::Password;
use super::pbe::{Scheme, SchemeKind};
use super::profile::MAX_ITERATIONS;
use super::{Encryption, ExportItem, MacAlgorithm, Options, Profile};
use crate::{Code, Error, Result};

/// MAC salt length (OpenSSL uses 8, Windows 20; any length is read everywhere).
const MAC_SALT_LEN: usize = 16;

/// Writes `item` as a PKCS#12 file of `profile`. `password` is UTF-8 (may be empty).
pub fn write(
    item: &ExportItem,
    password: &[u8],
    profile: Profile,
    iterations: u32,
) -> Result<Vec<u8>> {
    write_with(item, password, &Options::profile(profile, iterations))
}

/// Writes `item` as a PKCS#12 file with explicit options: the leaf certificate first, then the
/// chain, in one content; the key in a second. The leaf and its key carry localKeyID (SHA-1 of
/// the certificate, as OpenSSL) and the friendly name.
pub fn write_with(item: &ExportItem, password: &[u8], options: &Options) -> Result<Vec<u8>> {
    if options.iterations == 0 || u64::from(options.iterations) > MAX_ITERATIONS {
        return Err(Error::invalid(format!(
            "PKCS#12 iterations must be between 1 and {MAX_ITERATIONS}; {} was given \
             ({} is the usual value)",
            options.iterations,
            super::DEFAULT_ITERATIONS
        )));
    }
    let password = std::str::from_utf8(password).map_err(|_| {
        Error::new(
            Code::InvalidUtf8,
            "the PFX password is not valid UTF-8: pass it as UTF-8 bytes",
        )
    })?;
    let pw = Password::for_writing(password);
    const CERT: &str = "its DER bytes (not PEM text)";
    check_der(item.certificate_der, "the certificate", CERT)?;
    for cert in item.chain_der {
        check_der(cert, "a chain certificate", CERT)?;
    }
    if let Some(key) = item.private_key_pkcs8 {
        check_der(
            key,
            "the private key",
            "its PKCS#8 (PrivateKeyInfo) DER bytes",
        )?;
    }
    let friendly_name = item.friendly_name.filter(|n| !n.is_empty());
    let local_key_id = item
        .private_key_pkcs8
        .map(|_| Sha1::digest(item.certificate_der).to_vec());

    let write_attrs = |w: &mut yasna::DERWriterSeq| {
        if friendly_name.is_none() && local_key_id.is_none() {
            return;
        }
        w.next().write_set_of(|s| {
            if let Some(name) = friendly_name {
                s.next().write_sequence(|w| {
                    asn1::write_oid(w.next(), asn1::OID_FRIENDLY_NAME);
                    w.next().write_set_of(|s| s.next().write_bmp_string(name));
                });
            }
            if let Some(id) = &local_key_id {
                s.next().write_sequence(|w| {
                    asn1::write_oid(w.next(), asn1::OID_LOCAL_KEY_ID);
                    w.next().write_set_of(|s| s.next().write_bytes(id));
                });
            }
        });
    };

    let cert_bag = |w: DERWriter, der: &[u8], leaf: bool| {
        w.write_sequence(|w| {
            asn1::write_oid(w.next(), asn1::OID_CERT_BAG);
            w.next().write_tagged(Tag::context(0), |w| {
                w.write_sequence(|w| {
                    asn1::write_oid(w.next(), asn1::OID_X509_CERTIFICATE);
                    w.next()
                        .write_tagged(Tag::context(0), |w| w.write_bytes(der));
                })
            });
            if leaf {
                write_attrs(w);
            }
        })
    };
    let cert_safe = Zeroizing::new(yasna::construct_der(|w| {
        w.write_sequence_of(|w| {
            cert_bag(w.next(), item.certificate_der, true);
            for der in item.chain_der {
                cert_bag(w.next(), der, false);
            }
        })
    }));
    // Zeroizing throughout: with Encryption::None these buffers hold the plain key.
    let mut contents = vec![content_info(&cert_safe, options.certificates, options, &pw)];

    if let Some(key) = item.private_key_pkcs8 {
        let key_safe = Zeroizing::new(yasna::construct_der(|w| {
            w.write_sequence_of(|w| {
                w.next().write_sequence(|w| match kind(options.key) {
                    None => {
                        asn1::write_oid(w.next(), asn1::OID_KEY_BAG);
                        w.next().write_tagged(Tag::context(0), |w| w.write_der(key));
                        write_attrs(w);
                    }
                    Some(kind) => {
                        let scheme = Scheme::fresh(kind, options.iterations);
                        let ct = scheme.encrypt(&pw, key);
                        asn1::write_oid(w.next(), asn1::OID_SHROUDED_KEY_BAG);
                        w.next().write_tagged(Tag::context(0), |w| {
                            w.write_sequence(|w| {
                                scheme.write_alg(w.next());
                                w.next().write_bytes(&ct);
                            })
                        });
                        write_attrs(w);
                    }
                })
            })
        }));
        // The key is already shrouded (or deliberately plain): its content is data.
        contents.push(content_info(&key_safe, Encryption::None, options, &pw));
    }

    let auth_safe = Zeroizing::new(yasna::construct_der(|w| {
        w.write_sequence_of(|w| {
            for c in &contents {
                w.next().write_der(c);
            }
        })
    }));

    let mac = mac_hash(options.mac).map(|hash| {
        let mut salt = vec![0u8; MAC_SALT_LEN];
        rand::rngs::OsRng.fill_bytes(&mut salt);
        let key = hash.pkcs12_kdf(&pw.bmp, &salt, 3, options.iterations, hash.output_len());
        (hash, hash.hmac(&key, &auth_safe), salt)
    });

    Ok(yasna::construct_der(|w| {
        w.write_sequence(|w| {
            w.next().write_u32(3);
            w.next().write_sequence(|w| {
                asn1::write_oid(w.next(), asn1::OID_DATA);
                w.next()
                    .write_tagged(Tag::context(0), |w| w.write_bytes(&auth_safe));
            });
            if let Some((hash, digest, salt)) = &mac {
                w.next().write_sequence(|w| {
                    w.next().write_sequence(|w| {
                        asn1::write_alg(w.next(), hash.digest_oid(), |w| w.write_null());
                        w.next().write_bytes(digest);
                    });
                    w.next().write_bytes(salt);
                    w.next().write_u32(options.iterations);
                });
            }
        })
    }))
}

/// A ContentInfo holding `safe` (a SafeContents), encrypted as `encryption` asks.
fn content_info(
    safe: &[u8],
    encryption: Encryption,
    options: &Options,
    pw: &Password,
) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(match kind(encryption) {
        None => yasna::construct_der(|w| {
            w.write_sequence(|w| {
                asn1::write_oid(w.next(), asn1::OID_DATA);
                w.next()
                    .write_tagged(Tag::context(0), |w| w.write_bytes(safe));
            })
        }),
        Some(kind) => {
            let scheme = Scheme::fresh(kind, options.iterations);
            let ct = scheme.encrypt(pw, safe);
            yasna::construct_der(|w| {
                w.write_sequence(|w| {
                    asn1::write_oid(w.next(), asn1::OID_ENCRYPTED_DATA);
                    w.next().write_tagged(Tag::context(0), |w| {
                        w.write_sequence(|w| {
                            w.next().write_u32(0);
                            w.next().write_sequence(|w| {
                                asn1::write_oid(w.next(), asn1::OID_DATA);
                                scheme.write_alg(w.next());
                                w.next()
                                    .write_tagged_implicit(Tag::context(0), |w| w.write_bytes(&ct));
                            });
                        })
                    });
                })
            })
        }
    })
}

fn kind(encryption: Encryption) -> Option<SchemeKind> {
    match encryption {
        Encryption::None => None,
        Encryption::Aes256 => Some(SchemeKind::Aes256),
        Encryption::Aes128 => Some(SchemeKind::Aes128),
        Encryption::TripleDes => Some(SchemeKind::TripleDes),
        Encryption::Rc2_40 => Some(SchemeKind::Rc2_40),
        Encryption::Rc2_128 => Some(SchemeKind::Rc2_128),
    }
}

fn mac_hash(mac: MacAlgorithm) -> Option<Hash> {
    match mac {
        MacAlgorithm::None => None,
        MacAlgorithm::Sha1 => Some(Hash::Sha1),
        MacAlgorithm::Sha256 => Some(Hash::Sha256),
        MacAlgorithm::Sha384 => Some(Hash::Sha384),
        MacAlgorithm::Sha512 => Some(Hash::Sha512),
    }
}

/// One DER SEQUENCE and nothing else (a certificate, a PrivateKeyInfo).
fn check_der(der: &[u8], what: &str, hint: &str) -> Result<()> {
    if der.is_empty() {
        return Err(Error::new(
            Code::EmptyData,
            format!("{what} is empty: pass {hint}"),
        ));
    }
    if der[0] != 0x30 || super::asn1::guarded(|| yasna::parse_der(der, |r| r.read_der())).is_err() {
        return Err(Error::invalid(format!("{what} is not DER: pass {hint}")));
    }
    Ok(())
}
