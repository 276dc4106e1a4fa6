//! Secrets at rest and in answers (docs/security.md), through the C ABI as callers see it.
//!
//! One store goes through every operation (new, request, completion by a CA response, PFX
//! import from another server and from openssl, enable, renew, list, get, export, remove) and
//! every refusal we can provoke with a PFX password. Then: key files are 0600 in 0700 folders;
//! no answer or error holds key material (PKCS#8, or the private numbers openssl prints for each
//! key, in hex, Base64 or inside any Base64 field) or a PEM key marker; no answer, error, warning
//! or store file holds a password.

mod common;
mod formats_ca;

#[path = "secrets_at_rest/abi.rs"]
mod abi;
#[path = "secrets_at_rest/refusals.rs"]
mod refusals;
#[path = "secrets_at_rest/run.rs"]
mod run;
#[path = "secrets_at_rest/scan.rs"]
mod scan;

use abi::*;
use run::*;
use scan::*;

use common::{b64, openssl, unb64, TempStore};
use excert::ffi::*;
use formats_ca::Ca;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::ffi::{c_char, CStr, CString};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::ptr;

/// The PFX password: distinctive, and not ASCII, so every encoding of it can be looked for.
const PASSWORD: &str = "excert-Pässwörd-7Qz!";
/// Wrong guesses; the second contains the real password, so echoing it would leak it.
const WRONG: [&str; 2] = ["WrongGuess-excert-31337", "excert-Pässwörd-7Qz!x"];

#[test]
fn key_files_are_0600_in_0700_folders_and_removed_keys_are_gone() {
    let mut run = Run::new();
    run.everything();
    let root = run.store.path();
    let mut checked_keys = 0;
    let mut folders = 0;
    for p in walk(root) {
        let meta = fs::symlink_metadata(&p).unwrap();
        let mode = meta.permissions().mode() & 0o777;
        let name = p.file_name().unwrap().to_string_lossy();
        if meta.is_dir() {
            assert_eq!(mode, 0o700, "folder {} is {mode:o}", p.display());
            folders += 1;
        } else if ["key.p8", "privkey.pem", "combined.pem"].contains(&name.as_ref()) {
            assert!(meta.is_file());
            assert_eq!(mode, 0o600, "key file {} is {mode:o}", p.display());
            checked_keys += 1;
        }
    }
    // Entries with keys on EX01, EX02 and the live files of the services in use.
    let live_keys = walk(root)
        .iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "privkey.pem"))
        .count();
    assert!(
        live_keys >= 3,
        "live key files of IMAP/POP/SMTP: {live_keys}"
    );
    assert!(checked_keys >= 10, "key files checked: {checked_keys}");
    // The removed certificates' keys are nowhere in the store any more, not even as PEM
    // (the RSA key is gone from EX01 but rightly stays with its PFX import on EX02).
    let kept: Vec<Vec<u8>> = key_files(root).into_iter().map(|(_, k)| k).collect();
    run.removed_keys.retain(|k| !kept.contains(k));
    assert_eq!(
        run.removed_keys.len(),
        2,
        "the keys of owa and the openssl PFX"
    );
    for p in walk(root).iter().filter(|p| p.is_file()) {
        let bytes = fs::read(p).unwrap();
        for key in &run.removed_keys {
            assert!(
                !contains(&bytes, key),
                "{} still holds a removed key",
                p.display()
            );
            // The second line of the PEM body: bytes 48..96, all inside the key's secret part.
            let pem_line = b64(&key[48..96]);
            assert!(
                !contains(&bytes, pem_line.as_bytes()),
                "{} still holds a removed key as PEM",
                p.display()
            );
        }
    }
    println!(
        "secrets: {checked_keys} key files 0600 in {folders} folders 0700; {} keys removed and gone",
        run.removed_keys.len()
    );
}

#[test]
fn no_answer_or_error_holds_key_material() {
    let mut run = Run::new();
    run.everything();
    // The key openssl made for the PFX it wrote, too.
    let leaf_key = std::process::Command::new("openssl")
        .args(["pkey", "-in", "leaf.key", "-outform", "DER"])
        .current_dir(run.ca.dir.path())
        .output()
        .unwrap()
        .stdout;
    run.keys.push(("the openssl PFX's key".into(), leaf_key));
    let scratch = tempfile::tempdir().unwrap();
    let secrets = Secrets::new(&run.keys, scratch.path());

    // The scanner finds a key wherever it hides: a self-check, so that a clean result means something.
    let (name, der) = &run.keys[0];
    let hidden = json!({"RawData": b64(&[&[7u8][..], der, &[9u8]].concat()), "Text": "x"});
    assert!(
        secrets
            .leaks(&hidden.to_string())
            .contains(&format!("PKCS#8 of {name}")),
        "the scanner misses {name} inside Base64"
    );
    let numbers = private_numbers(der, scratch.path());
    let as_hex: String = numbers[0].iter().map(|b| format!("{b:02X}")).collect();
    assert_eq!(
        secrets.leaks(&format!("{{\"Message\":\"{as_hex}\"}}")),
        [format!("private number 0 of {name}")],
        "the scanner misses a private number of {name} in upper-case hex"
    );
    assert_eq!(
        secrets.leaks("{\"Text\":\"-----BEGIN PRIVATE KEY-----\"}"),
        ["a PEM private key marker"]
    );

    let mut leaks = Vec::new();
    let mut kinds = BTreeSet::new();
    for (what, text) in &run.abi.transcript {
        kinds.insert(what.clone());
        for l in secrets.leaks(text) {
            leaks.push(format!("{what}: {l}"));
        }
    }
    println!(
        "secrets: {} answers and errors of {} kinds of call scanned for {} fragments of {} keys",
        run.abi.transcript.len(),
        kinds.len(),
        secrets.fragments.len(),
        run.keys.len()
    );
    assert!(run.keys.len() >= 8, "keys seen: {}", run.keys.len());
    assert!(
        leaks.is_empty(),
        "key material in answers:\n{}",
        leaks.join("\n")
    );
}

#[test]
fn no_password_in_any_answer_error_warning_or_store_file() {
    let mut run = Run::new();
    run.everything();
    let mut messages = 0;
    let mut errors = 0;
    for password in std::iter::once(PASSWORD).chain(WRONG) {
        let (texts, raw) = password_forms(password);
        for (what, text) in &run.abi.transcript {
            let v: Value = serde_json::from_str(text).unwrap();
            if password == PASSWORD {
                errors += v.get("Code").is_some() as usize;
                messages += v.get("Message").is_some() as usize
                    + v.get("Warnings")
                        .and_then(Value::as_array)
                        .map_or(0, Vec::len);
            }
            for form in &texts {
                assert!(
                    !text.contains(form.as_str()),
                    "{what} shows the password {password:?} as {form:?}: {text}"
                );
            }
            let mut blobs = Vec::new();
            decoded_strings(&v, &mut blobs);
            for b in &blobs {
                for r in &raw {
                    assert!(
                        !contains(b, r),
                        "{what} holds the password {password:?} in a Base64 field"
                    );
                }
            }
        }
        for p in walk(run.store.path()).iter().filter(|p| p.is_file()) {
            let bytes = fs::read(p).unwrap();
            for r in &raw {
                assert!(
                    !contains(&bytes, r),
                    "{} holds the password {password:?}",
                    p.display()
                );
            }
        }
    }
    assert!(errors >= 10, "errors provoked: {errors}");
    println!(
        "secrets: {} answers and errors ({errors} errors, {messages} messages and warnings) and every store file free of {} passwords",
        run.abi.transcript.len(),
        1 + WRONG.len()
    );
}

/// Loosened permissions are reported, with the fix, and an exposed key is not
/// used until they are fixed.
#[test]
fn loosened_permissions_are_reported_with_the_fix_and_exposed_keys_refused() {
    let mut run = Run::new();
    let root = run.store.path().to_path_buf();
    let thumb = |a: &Value| a["Certificate"]["Thumbprint"].as_str().unwrap().to_string();
    let spare = run.abi.ok(
        "new",
        excert_certificate_new,
        json!({"Server": "EX01", "KeyAlgorithm": "ECDSA_P256", "Services": "None", "PrivateKeyExportable": true}),
    );
    let spare = thumb(&spare);
    let key = root.join("servers/EX01/certs").join(&spare).join("key.p8");
    let shown = key.display().to_string();
    let chmod = |p: &Path, mode| fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
    chmod(&key, 0o644);

    let warned = |v: &Value, what: &str, fix: &str| {
        let w = v["Warnings"].to_string();
        assert!(
            w.contains(what) && w.contains(fix),
            "no warning naming {what} with `{fix}`: {w}"
        );
    };
    let listed = run
        .abi
        .ok("list", excert_certificate_list, json!({"Server": "EX01"}));
    warned(&listed, &shown, "chmod 600");
    let got = run.abi.ok(
        "get",
        excert_certificate_get,
        json!({"Server": "EX01", "Thumbprint": spare}),
    );
    warned(&got, &shown, "chmod 600");
    // The exposed key is not exported until the mode is fixed.
    let e = run
        .abi
        .call_secret(
            "export",
            excert_certificate_export,
            json!({"Server": "EX01", "Thumbprint": spare}),
            Some(PASSWORD),
        )
        .unwrap_err();
    assert_eq!(e["Name"], "StorePermissions", "{e}");
    let m = e["Message"].as_str().unwrap();
    assert!(m.contains(&shown) && m.contains("chmod 600"), "{m}");
    chmod(&key, 0o600);
    let listed = run
        .abi
        .ok("list", excert_certificate_list, json!({"Server": "EX01"}));
    assert!(
        !listed["Warnings"].to_string().contains("chmod"),
        "{}",
        listed["Warnings"]
    );

    // Folders others can enter.
    for dir in [root.clone(), root.join("servers")] {
        chmod(&dir, 0o755);
        let listed = run
            .abi
            .ok("list", excert_certificate_list, json!({"Server": "EX01"}));
        warned(&listed, &dir.display().to_string(), "chmod 700");
        chmod(&dir, 0o700);
    }
}

/// Enable with a key file others can read: refused (the live files would copy the key), but the
/// assignments must stay as they were.
#[test]
fn a_refused_enable_leaves_the_assignments_as_they_were() {
    let mut run = Run::new();
    let root = run.store.path().to_path_buf();
    let thumb = |a: &Value| a["Certificate"]["Thumbprint"].as_str().unwrap().to_string();
    let held = run.abi.ok(
        "new",
        excert_certificate_new,
        json!({"Server": "EX01", "KeyAlgorithm": "ECDSA_P256", "Services": "IIS"}),
    );
    let held = thumb(&held);
    let spare = run.abi.ok(
        "new",
        excert_certificate_new,
        json!({"Server": "EX01", "KeyAlgorithm": "ECDSA_P256", "Services": "None"}),
    );
    let spare = thumb(&spare);
    let key = root.join("servers/EX01/certs").join(&spare).join("key.p8");
    let chmod = |p: &Path, mode| fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
    chmod(&key, 0o644);
    // Enabling needs the key for the live files: refused, and nothing changes.
    let live_before = fs::read_link(root.join("servers/EX01/live/IIS")).unwrap();
    let e = run
        .abi
        .call(
            "enable exposed",
            excert_certificate_enable,
            json!({"Server": "EX01", "Thumbprint": spare, "Services": "IIS", "Force": true}),
        )
        .unwrap_err();
    assert_eq!(e["Name"], "StorePermissions", "{e}");
    chmod(&key, 0o600);
    let services = |run: &mut Run, t: &str| {
        run.abi.ok(
            "get",
            excert_certificate_get,
            json!({"Server": "EX01", "Thumbprint": t}),
        )["Certificate"]["Services"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        (services(&mut run, &held), services(&mut run, &spare)),
        ("IIS".to_string(), "None".to_string()),
        "a refused Enable changed the assignments"
    );
    assert_eq!(
        fs::read_link(root.join("servers/EX01/live/IIS")).unwrap(),
        live_before
    );
}
