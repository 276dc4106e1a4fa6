//! Crafted inputs must not stall or fill the host (the limits of docs/security.md). Each test holds
//! a small hostile input and asserts on the limit that refuses it (code, message naming the
//! limit) or on a count, never on time.

use excert::formats::pkcs12;
use excert::formats::pkcs7::OID_DATA;
use excert::Code;
use yasna::models::ObjectIdentifier;
use yasna::{DERWriter, Tag};

const OID_PBMAC1: &[u64] = &[1, 2, 840, 113549, 1, 5, 14];
const OID_PBKDF2: &[u64] = &[1, 2, 840, 113549, 1, 5, 12];
const OID_HMAC_SHA256: &[u64] = &[1, 2, 840, 113549, 2, 9];

/// A ContentInfo of type `data` holding `content` (PKCS#7), as a PFX wraps its safes.
fn data_content_info(w: DERWriter, content: &[u8]) {
    w.write_sequence(|w| {
        w.next().write_oid(&ObjectIdentifier::from_slice(OID_DATA));
        w.next()
            .write_tagged(Tag::context(0), |w| w.write_bytes(content));
    })
}

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
            data_content_info(w.next(), &auth_safe);
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

/// A 154-byte PFX whose PBMAC1 derives 1024 bytes at 10,000,000 iterations is 32
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

mod common;

use common::{b64, thumbprint, TempStore};
use excert::ffi::{excert_certificate_import, excert_string_free};
use std::ffi::{c_char, CStr, CString};
use std::path::Path;

/// `excert_certificate_import` as a C caller uses it: the code and the answer or error JSON.
fn import_raw(request: &str, password: Option<&[u8]>) -> (i32, serde_json::Value) {
    let req = CString::new(request).unwrap();
    let (mut out, mut err) = (std::ptr::null_mut(), std::ptr::null_mut());
    let (secret, len) = password.map_or((std::ptr::null(), 0), |p| (p.as_ptr(), p.len()));
    let code = unsafe { excert_certificate_import(req.as_ptr(), secret, len, &mut out, &mut err) };
    let take = |p: *mut c_char| -> serde_json::Value {
        let text = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_string();
        unsafe { excert_string_free(p) };
        serde_json::from_str(&text).unwrap()
    };
    (code, take(if code == 0 { out } else { err }))
}

fn import(store: &TempStore, file: &[u8], password: Option<&[u8]>) -> (i32, serde_json::Value) {
    let request = serde_json::json!({
        "StoreRoot": store.root(),
        "Server": "EX01",
        "FileData": b64(file),
    });
    import_raw(&request.to_string(), password)
}

/// Every file under `dir/servers/*/certs/*/chain/`.
fn chain_files(store: &Path) -> usize {
    let certs = store.join("servers/EX01/certs");
    let Ok(entries) = std::fs::read_dir(certs) else {
        return 0;
    };
    entries
        .flatten()
        .filter_map(|e| std::fs::read_dir(e.path().join("chain")).ok())
        .map(|d| d.count())
        .sum()
}

fn self_signed(name: &str) -> rcgen::CertifiedKey {
    rcgen::generate_simple_self_signed(vec![name.to_string()]).unwrap()
}

/// A PEM bundle of unrelated certificates became N entries with N−1 chain files each
/// (200 certificates: 39,800 chain files). A chain holds only the certificate's issuers.
#[test]
fn unrelated_certificates_of_a_bundle_are_not_each_others_chain() {
    let store = TempStore::new();
    let pem: String = (0..200)
        .map(|i| self_signed(&format!("host{i}.contoso.com")).cert.pem())
        .collect();
    let (code, answer) = import(&store, pem.as_bytes(), None);
    assert_eq!(code, 0, "{answer}");
    assert_eq!(answer["Certificates"].as_array().unwrap().len(), 200);
    assert_eq!(chain_files(store.path()), 0);
}

/// The chain of a leaf is its issuers, nearest first, whatever else the bundle holds.
#[test]
fn a_leaf_keeps_its_issuers_and_nothing_else() {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
    let ca = |name: &str| {
        let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
        p.distinguished_name.push(rcgen::DnType::CommonName, name);
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p
    };
    let root_key = KeyPair::generate().unwrap();
    let root = ca("Contoso Root").self_signed(&root_key).unwrap();
    let mid_key = KeyPair::generate().unwrap();
    let mid = ca("Contoso Issuing")
        .signed_by(&mid_key, &root, &root_key)
        .unwrap();
    // A stranger with the intermediate's name, signed by another key: not an issuer.
    let fake_key = KeyPair::generate().unwrap();
    let fake = ca("Contoso Issuing").self_signed(&fake_key).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["mail.contoso.com".to_string()])
        .unwrap()
        .signed_by(&leaf_key, &mid, &mid_key)
        .unwrap();
    let other = self_signed("other.fabrikam.com");
    let pem = [&fake, &other.cert, &root, &leaf, &mid]
        .iter()
        .map(|c| c.pem())
        .collect::<String>();
    let store = TempStore::new();
    let (code, answer) = import(&store, pem.as_bytes(), None);
    assert_eq!(code, 0, "{answer}");
    let dir = store
        .path()
        .join("servers/EX01/certs")
        .join(thumbprint(leaf.der()))
        .join("chain");
    assert_eq!(
        std::fs::read(dir.join("0.der")).unwrap(),
        mid.der().to_vec()
    );
    assert_eq!(
        std::fs::read(dir.join("1.der")).unwrap(),
        root.der().to_vec()
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2);
}

/// One import takes at most 1000 certificates; more are refused before any is parsed.
#[test]
fn more_certificates_than_one_import_takes_are_refused() {
    let one = self_signed("many.contoso.com").cert.pem();
    let store = TempStore::new();
    let (code, error) = import(&store, one.repeat(1001).as_bytes(), None);
    assert_eq!(code, Code::InvalidArgument as i32, "{error}");
    let message = error["Message"].as_str().unwrap();
    assert!(message.contains("more than 1000 certificates"), "{message}");
    assert!(!store.path().join("servers/EX01/certs").exists());
}

/// A PFX with no MAC and no encryption holding `keys` key bags and `certs` certificate bags.
fn plain_pfx(keys: &[Vec<u8>], certs: &[Vec<u8>]) -> Vec<u8> {
    const KEY_BAG: &[u64] = &[1, 2, 840, 113549, 1, 12, 10, 1, 1];
    const CERT_BAG: &[u64] = &[1, 2, 840, 113549, 1, 12, 10, 1, 3];
    const X509: &[u64] = &[1, 2, 840, 113549, 1, 9, 22, 1];
    let safe = yasna::construct_der(|w| {
        w.write_sequence_of(|w| {
            for k in keys {
                w.next().write_sequence(|w| {
                    w.next().write_oid(&ObjectIdentifier::from_slice(KEY_BAG));
                    w.next().write_tagged(Tag::context(0), |w| w.write_der(k));
                });
            }
            for c in certs {
                w.next().write_sequence(|w| {
                    w.next().write_oid(&ObjectIdentifier::from_slice(CERT_BAG));
                    w.next().write_tagged(Tag::context(0), |w| {
                        w.write_sequence(|w| {
                            w.next().write_oid(&ObjectIdentifier::from_slice(X509));
                            w.next().write_tagged(Tag::context(0), |w| w.write_bytes(c));
                        })
                    });
                });
            }
        })
    });
    let auth_safe = yasna::construct_der(|w| {
        w.write_sequence_of(|w| {
            data_content_info(w.next(), &safe);
        })
    });
    yasna::construct_der(|w| {
        w.write_sequence(|w| {
            w.next().write_u32(3);
            data_content_info(w.next(), &auth_safe);
        })
    })
}

/// A PFX of K keys and C certificates was K × C full certificate parses (K = C = 2000:
/// 15 s, no password needed). Each is parsed once now, and a file with more keys or
/// certificates than one import takes is refused while it is read.
#[test]
fn a_pfx_of_many_keys_and_certificates() {
    let pairs: Vec<rcgen::CertifiedKey> = (0..40)
        .map(|i| self_signed(&format!("k{i}.contoso.com")))
        .collect();
    // 39 keys without their certificates, then the one whose certificate is last of 40.
    let keys: Vec<Vec<u8>> = pairs[1..]
        .iter()
        .chain(&pairs[..1])
        .map(|p| p.key_pair.serialize_der())
        .collect();
    let unrelated: Vec<Vec<u8>> = (0..39)
        .map(|i| {
            self_signed(&format!("c{i}.fabrikam.com"))
                .cert
                .der()
                .to_vec()
        })
        .chain([pairs[0].cert.der().to_vec()])
        .collect();
    let wanted = pkcs12::read(&plain_pfx(&keys[39..], &unrelated), None).unwrap();
    assert_eq!(wanted.certificates.len(), 40);
    let store = TempStore::new();
    let (code, answer) = import(&store, &plain_pfx(&keys, &unrelated), None);
    assert_eq!(code, 0, "{answer}");
    let cert = &answer["Certificates"][0];
    assert_eq!(cert["HasPrivateKey"], true, "{answer}");
    assert!(
        cert["Subject"].as_str().unwrap().contains("rcgen"),
        "{cert}"
    );
    // The 39 unrelated certificates are not its chain.
    assert_eq!(chain_files(store.path()), 0);

    let key = pairs[0].key_pair.serialize_der();
    let cert = pairs[0].cert.der().to_vec();
    let e = pkcs12::read(
        &plain_pfx(&vec![key.clone(); 1001], std::slice::from_ref(&cert)),
        None,
    )
    .unwrap_err();
    assert_eq!(e.code, Code::InvalidArgument);
    assert!(
        e.message.contains("more than 1000 private keys"),
        "{}",
        e.message
    );
    let e = pkcs12::read(&plain_pfx(&[key], &vec![cert; 1001]), None).unwrap_err();
    assert!(
        e.message.contains("more than 1000 certificates"),
        "{}",
        e.message
    );
}

/// An input over the limit is refused at once, by the C ABI before the JSON is
/// parsed and by the import before the Base64 is decoded, with the limit in the message.
#[test]
fn inputs_over_the_size_limit_are_refused_naming_it() {
    assert_eq!(excert::formats::MAX_INPUT_BYTES, 8 * 1024 * 1024);
    let store = TempStore::new();
    // Just over 8 MiB once decoded, in a request the C ABI still accepts.
    let file = vec![b'A'; (8 * 1024 * 1024 + 3) / 3 * 4 + 4];
    let request = format!(
        "{{\"StoreRoot\":{},\"FileData\":\"{}\"}}",
        serde_json::Value::String(store.root()),
        std::str::from_utf8(&file).unwrap()
    );
    let (code, error) = import_raw(&request, None);
    assert_eq!(code, Code::InvalidArgument as i32, "{error}");
    let message = error["Message"].as_str().unwrap();
    assert!(message.contains("8388608 bytes (8 MiB)"), "{message}");
    // A request far over the C ABI's own limit (100 MB) is refused before it is parsed: even
    // a broken JSON text gets the size error, not a syntax error.
    let huge = format!("{{\"FileData\":\"{}", "A".repeat(100 * 1000 * 1000));
    let (code, error) = import_raw(&huge, None);
    assert_eq!(code, Code::InvalidArgument as i32);
    let message = error["Message"].as_str().unwrap();
    assert!(
        message.contains("100000013 bytes, more than the 12233388 bytes"),
        "{message}"
    );
}

/// The PowerShell module checks the same limit before it makes Base64 of `-FileData`, in
/// Import-ExchangeCertificate's C# (its copy of the number must not drift from the library's).
#[test]
fn the_module_checks_the_same_input_limit() {
    let source =
        std::fs::read_to_string("powershell/ExchangeCertificate/ImportCommand.cs").unwrap();
    let line = format!(
        "const int MaxInputBytes = {};",
        excert::formats::MAX_INPUT_BYTES
    );
    assert!(source.contains(&line), "ImportCommand.cs lacks `{line}`");
}

/// New with a NotAfter in the past assigned an expired certificate to services, which
/// Enable refuses; New refuses it the same way (Expired), and writes nothing.
#[test]
fn new_refuses_to_assign_services_to_an_expired_certificate() {
    let store = TempStore::new();
    let request = |services: &str| {
        let json = serde_json::json!({
            "StoreRoot": store.root(), "Server": "EX01", "KeyAlgorithm": "ECDSA_P256",
            "Services": services, "Force": true,
            "NotBefore": "2020-01-01T00:00:00Z", "NotAfter": "2021-01-01T00:00:00Z",
        });
        let req = CString::new(json.to_string()).unwrap();
        let (mut out, mut err) = (std::ptr::null_mut(), std::ptr::null_mut());
        let code = unsafe { excert::ffi::excert_certificate_new(req.as_ptr(), &mut out, &mut err) };
        let p = if code == 0 { out } else { err };
        let text = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_string();
        unsafe { excert_string_free(p) };
        (code, text)
    };
    let (code, error) = request("IIS, SMTP");
    assert_eq!(code, Code::Expired as i32, "{error}");
    assert!(error.contains("2021-01-01T00:00:00Z"), "{error}");
    assert!(
        !store.path().join("servers/EX01/certs").exists() || {
            std::fs::read_dir(store.path().join("servers/EX01/certs"))
                .unwrap()
                .count()
                == 0
        }
    );
    // Without services it is made (for tests of expiry, as before).
    let (code, answer) = request("None");
    assert_eq!(code, 0, "{answer}");
    assert!(answer.contains("\"Status\":\"DateInvalid\""), "{answer}");
}

/// Control characters from an imported file (here a PFX friendlyName with a terminal
/// escape and a line feed, and a C1 control) reach no answer raw: they read `\x1B`, `\x0A`,
/// `\x9B`. The PEM text of an export keeps its line feeds.
#[test]
fn control_characters_from_a_file_are_shown_escaped() {
    let pair = self_signed("mail.contoso.com");
    let key = pair.key_pair.serialize_der();
    let name = "\u{1b}[31mowned\nWARNING fake log line\u{9b}";
    let pfx = pkcs12::write(
        &pkcs12::ExportItem {
            certificate_der: pair.cert.der(),
            private_key_pkcs8: Some(&key),
            chain_der: &[],
            friendly_name: Some(name),
        },
        b"pw",
        pkcs12::Profile::Modern,
        10,
    )
    .unwrap();
    let store = TempStore::new();
    let (code, answer) = import(&store, &pfx, Some(b"pw"));
    assert_eq!(code, 0, "{answer}");
    assert_eq!(
        answer["Certificates"][0]["FriendlyName"],
        "\\x1B[31mowned\\x0AWARNING fake log line\\x9B"
    );
    let text = answer.to_string();
    assert!(!text.contains('\u{1b}') && !text.contains('\u{9b}'));
}
