//! Crafted inputs must not stall or fill the host (issue 23 items 6–10, 12, 14). Each test holds
//! a small hostile input and asserts on the limit that refuses it (code, message naming the
//! limit) or on a count, never on time.

use excert::formats::pkcs12;
use excert::Code;
use yasna::models::ObjectIdentifier;
use yasna::{DERWriter, Tag};

const OID_DATA: &[u64] = &[1, 2, 840, 113549, 1, 7, 1];
const OID_PBMAC1: &[u64] = &[1, 2, 840, 113549, 1, 5, 14];
const OID_PBKDF2: &[u64] = &[1, 2, 840, 113549, 1, 5, 12];
const OID_HMAC_SHA256: &[u64] = &[1, 2, 840, 113549, 2, 9];

fn alg(w: DERWriter, oid: &[u64], params: impl FnOnce(DERWriter)) {
    w.write_sequence(|w| {
        w.next().write_oid(&ObjectIdentifier::from_slice(oid));
        params(w.next());
    })
}

/// A PFX with an empty authenticated safe and a PBMAC1 MAC (RFC 9579) whose PBKDF2 asks for
/// `key_length` bytes at `iterations`.
fn pbmac1_pfx(key_length: u32, iterations: u32) -> Vec<u8> {
    let auth_safe = yasna::construct_der(|w| w.write_sequence_of(|_| {}));
    yasna::construct_der(|w| {
        w.write_sequence(|w| {
            w.next().write_u32(3);
            w.next().write_sequence(|w| {
                w.next().write_oid(&ObjectIdentifier::from_slice(OID_DATA));
                w.next()
                    .write_tagged(Tag::context(0), |w| w.write_bytes(&auth_safe));
            });
            w.next().write_sequence(|w| {
                w.next().write_sequence(|w| {
                    alg(w.next(), OID_PBMAC1, |w| {
                        w.write_sequence(|w| {
                            alg(w.next(), OID_PBKDF2, |w| {
                                w.write_sequence(|w| {
                                    w.next().write_bytes(&[7; 8]);
                                    w.next().write_u32(iterations);
                                    w.next().write_u32(key_length);
                                    alg(w.next(), OID_HMAC_SHA256, |w| w.write_null());
                                })
                            });
                            alg(w.next(), OID_HMAC_SHA256, |w| w.write_null());
                        })
                    });
                    w.next().write_bytes(&[0; 32]);
                });
                w.next().write_bytes(b"NOT USED");
                w.next().write_u32(1);
            });
        })
    })
}

/// Item 6: a 154-byte PFX whose PBMAC1 derives 1024 bytes at 10,000,000 iterations is 32
/// SHA-256 blocks per iteration: 320,000,000 hash blocks, refused before any is computed
/// (it took 141 s when the budget counted iterations only).
#[test]
fn pbmac1_with_a_huge_key_length_is_counted_in_hash_blocks_and_refused() {
    let pfx = pbmac1_pfx(1024, 10_000_000);
    assert!(pfx.len() < 200, "a small file: {} bytes", pfx.len());
    let e = pkcs12::read(&pfx, Some(b"pw")).expect_err("refused");
    assert_eq!(e.code, Code::UnsupportedProfile, "{}", e.message);
    assert!(
        e.message.contains("asks for 320000000 hash blocks")
            && e.message.contains("limit of 40000000"),
        "{}",
        e.message
    );
    // The same iterations with a 32-byte key are one block each: within the budget, so the
    // file is read (and its all-zero MAC is wrong).
    let fits = pbmac1_pfx(32, 1000);
    assert_eq!(
        pkcs12::read(&fits, Some(b"pw")).unwrap_err().code,
        Code::WrongPassword
    );
}
