//! Reading files of every profile and shape (the tests of `read` and `bags`).

use super::super::bags::{repair_bytewise_utf8, MAX_NESTING};
use super::super::hash::Hash;
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
