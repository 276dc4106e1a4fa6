//! The files the C ABI writes for a caller: an export's `FileName`, a request's `RequestFile`.
//! Content checked with openssl, modes, links refused with their target untouched, missing
//! folders, files replaced, nothing left behind, no secret in an error.
#![cfg(unix)]

mod common;

use common::TempStore;
use excert::ffi::*;
use serde_json::{json, Value};
use std::ffi::{c_char, CStr, CString};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::ptr;

type Operation = unsafe extern "C" fn(*const c_char, *mut *mut c_char, *mut *mut c_char) -> i32;

const PASSWORD: &[u8] = b"Zq8!file-password-never-shown";

fn answer_of(code: i32, out: *mut c_char, err: *mut c_char) -> (i32, Value) {
    let p = if code == 0 { out } else { err };
    assert!(!p.is_null(), "code {code} without its output");
    let text = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_string();
    unsafe { excert_string_free(p) };
    (code, serde_json::from_str(&text).unwrap())
}

fn call(f: Operation, store: &TempStore, mut request: Value) -> (i32, Value) {
    request["StoreRoot"] = json!(store.root());
    let req = CString::new(request.to_string()).unwrap();
    let (mut out, mut err) = (ptr::null_mut(), ptr::null_mut());
    let code = unsafe { f(req.as_ptr(), &mut out, &mut err) };
    answer_of(code, out, err)
}

/// `excert_certificate_export`, with `PASSWORD` when `pfx`.
fn export(store: &TempStore, mut request: Value, pfx: bool) -> (i32, Value) {
    request["StoreRoot"] = json!(store.root());
    let req = CString::new(request.to_string()).unwrap();
    let (mut out, mut err) = (ptr::null_mut(), ptr::null_mut());
    let (secret, len) = if pfx {
        (PASSWORD.as_ptr(), PASSWORD.len())
    } else {
        (ptr::null(), 0)
    };
    let code = unsafe { excert_certificate_export(req.as_ptr(), secret, len, &mut out, &mut err) };
    answer_of(code, out, err)
}

fn make(store: &TempStore) -> String {
    let (code, answer) = call(
        excert_certificate_new,
        store,
        json!({"SubjectName": "CN=mail.contoso.com", "KeyAlgorithm": "ECDSA_P256",
               "PrivateKeyExportable": true, "Services": "None"}),
    );
    assert_eq!(code, 0, "{answer}");
    answer["Certificate"]["Thumbprint"].as_str().unwrap().into()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// 0644 as this process's umask lets it be (the mode of a file it creates, masked to 0644).
fn readable_mode(dir: &Path) -> u32 {
    let probe = dir.join("probe");
    std::fs::File::create(&probe).unwrap();
    let m = mode(&probe) & 0o644;
    std::fs::remove_file(probe).unwrap();
    m
}

/// The names in `dir`, sorted: a failed or finished write leaves no temporary file.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn sha1_of_certificate(pem_or_der_path: &str, der: bool) -> String {
    let inform = if der { "DER" } else { "PEM" };
    let out = common::openssl(&[
        "x509",
        "-inform",
        inform,
        "-in",
        pem_or_der_path,
        "-noout",
        "-fingerprint",
        "-sha1",
    ]);
    out.trim().rsplit('=').next().unwrap().replace(':', "")
}

#[test]
fn an_export_writes_the_text_or_the_bytes_with_the_modes_of_their_content() {
    let store = TempStore::new();
    let thumb = make(&store);
    let dir = tempfile::tempdir().unwrap();

    let pem = dir.path().join("mail.cer");
    let (code, answer) = export(&store, json!({"Thumbprint": thumb, "FileName": pem}), false);
    assert_eq!(code, 0, "{answer}");
    assert_eq!(
        std::fs::read_to_string(&pem).unwrap(),
        answer["Text"].as_str().unwrap()
    );
    assert_eq!(sha1_of_certificate(pem.to_str().unwrap(), false), thumb);
    assert_eq!(mode(&pem), readable_mode(dir.path()));

    let der = dir.path().join("mail.der");
    let (code, answer) = export(
        &store,
        json!({"Thumbprint": thumb, "FileName": der, "BinaryEncoded": true}),
        false,
    );
    assert_eq!(code, 0, "{answer}");
    assert_eq!(
        std::fs::read(&der).unwrap(),
        common::unb64(answer["FileData"].as_str().unwrap())
    );
    assert_eq!(sha1_of_certificate(der.to_str().unwrap(), true), thumb);

    // A PFX over an existing world-readable file: replaced, and born 0600.
    let pfx = dir.path().join("mail.pfx");
    std::fs::write(&pfx, b"old").unwrap();
    std::fs::set_permissions(&pfx, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (code, answer) = export(
        &store,
        json!({"Thumbprint": thumb, "FileName": pfx, "BinaryEncoded": true}),
        true,
    );
    assert_eq!(code, 0, "{answer}");
    assert_eq!(answer["Format"], "Pkcs12");
    assert_eq!(mode(&pfx), 0o600);
    assert_eq!(
        std::fs::read(&pfx).unwrap(),
        common::unb64(answer["FileData"].as_str().unwrap())
    );
    let pass = format!("pass:{}", std::str::from_utf8(PASSWORD).unwrap());
    let chain = common::openssl(&[
        "pkcs12",
        "-in",
        pfx.to_str().unwrap(),
        "-passin",
        &pass,
        "-nokeys",
        "-clcerts",
    ]);
    let leaf = common::write(dir.path(), "leaf.pem", chain.as_bytes());
    assert_eq!(sha1_of_certificate(&leaf, false), thumb);
    std::fs::remove_file(leaf).unwrap();

    // The Base64 text of a PFX holds the key too: 0600 as well.
    let text = dir.path().join("mail.pfx.txt");
    let (code, answer) = export(&store, json!({"Thumbprint": thumb, "FileName": text}), true);
    assert_eq!(code, 0, "{answer}");
    assert_eq!(
        std::fs::read_to_string(&text).unwrap(),
        answer["Text"].as_str().unwrap()
    );
    assert_eq!(mode(&text), 0o600);
    assert_eq!(
        names(dir.path()),
        ["mail.cer", "mail.der", "mail.pfx", "mail.pfx.txt"]
    );
}

#[test]
fn a_link_at_the_destination_is_refused_and_its_target_kept() {
    let store = TempStore::new();
    let thumb = make(&store);
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("precious.txt");
    std::fs::write(&target, b"keep me").unwrap();
    let link = dir.path().join("mail.pfx");
    std::os::unix::fs::symlink(&target, &link).unwrap();

    let (code, error) = export(
        &store,
        json!({"Thumbprint": thumb, "FileName": link, "BinaryEncoded": true}),
        true,
    );
    assert_eq!(code, 501, "{error}");
    assert_eq!(error["Name"], "FileNotWritten");
    let message = error["Message"].as_str().unwrap();
    assert!(message.contains(link.to_str().unwrap()), "{message}");
    assert!(message.contains("symbolic link"), "{message}");
    assert!(message.contains("remove the link"), "{message}");
    assert!(
        !message.contains(std::str::from_utf8(PASSWORD).unwrap()),
        "{message}"
    );
    assert_eq!(std::fs::read(&target).unwrap(), b"keep me");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(names(dir.path()), ["mail.pfx", "precious.txt"]);
}

#[test]
fn a_missing_folder_or_a_folder_as_the_file_is_refused_naming_it() {
    let store = TempStore::new();
    let thumb = make(&store);
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-folder").join("mail.cer");
    let (code, error) = export(
        &store,
        json!({"Thumbprint": thumb, "FileName": missing}),
        false,
    );
    assert_eq!(code, 501, "{error}");
    let message = error["Message"].as_str().unwrap();
    assert!(message.contains(missing.to_str().unwrap()), "{message}");
    assert!(message.contains("does not exist"), "{message}");

    let (code, error) = export(
        &store,
        json!({"Thumbprint": thumb, "FileName": dir.path()}),
        false,
    );
    assert_eq!(code, 501, "{error}");
    assert!(
        error["Message"].as_str().unwrap().contains("folder"),
        "{error}"
    );

    let (code, error) = export(
        &store,
        json!({"Thumbprint": thumb, "BinaryEncoded": true}),
        false,
    );
    assert_eq!(error["Name"], "InvalidArgument", "{error}");
    assert_eq!(code, 4);
    assert!(names(dir.path()).is_empty());
}

#[test]
fn a_request_is_written_to_request_file_as_pem_or_der() {
    let store = TempStore::new();
    let dir = tempfile::tempdir().unwrap();
    let pem = dir.path().join("mail.req");
    let (code, answer) = call(
        excert_request_new,
        &store,
        json!({"SubjectName": "CN=mail.contoso.com", "KeyAlgorithm": "ECDSA_P256", "RequestFile": pem}),
    );
    assert_eq!(code, 0, "{answer}");
    assert_eq!(
        std::fs::read_to_string(&pem).unwrap(),
        answer["Request"].as_str().unwrap()
    );
    let verified = std::process::Command::new("openssl")
        .args([
            "req",
            "-in",
            pem.to_str().unwrap(),
            "-noout",
            "-verify",
            "-subject",
        ])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&verified.stdout).to_string()
        + &String::from_utf8_lossy(&verified.stderr);
    assert!(said.contains("verify OK"), "{said}");
    assert!(said.contains("mail.contoso.com"), "{said}");
    assert_eq!(mode(&pem), readable_mode(dir.path()));

    // A renewal request, as DER.
    let thumb = make(&store);
    let der = dir.path().join("renew.der");
    let (code, answer) = call(
        excert_certificate_renew,
        &store,
        json!({"Thumbprint": thumb, "GenerateRequest": true, "RequestFile": der, "BinaryEncoded": true}),
    );
    assert_eq!(code, 0, "{answer}");
    let written = std::fs::read(&der).unwrap();
    let request = answer["Certificate"]["CertificateRequest"]
        .as_str()
        .unwrap();
    assert_eq!(written, common::unb64(request));
    common::openssl(&[
        "req",
        "-inform",
        "DER",
        "-in",
        der.to_str().unwrap(),
        "-noout",
        "-verify",
    ]);
    assert_eq!(names(dir.path()), ["mail.req", "renew.der"]);
}

#[test]
fn a_request_file_that_cannot_be_written_makes_nothing() {
    let store = TempStore::new();
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing").join("x.req");
    let (code, error) = call(
        excert_request_new,
        &store,
        json!({"SubjectName": "CN=lost.contoso.com", "KeyAlgorithm": "ECDSA_P256", "RequestFile": missing}),
    );
    assert_eq!(code, 501, "{error}");
    assert!(
        error["Message"]
            .as_str()
            .unwrap()
            .contains(missing.to_str().unwrap()),
        "{error}"
    );
    let (code, listed) = call(excert_certificate_list, &store, json!({"Server": "*"}));
    assert_eq!(code, 0, "{listed}");
    assert_eq!(
        listed["Certificates"],
        json!([]),
        "nothing was made: {listed}"
    );

    // RequestFile goes with a request only.
    let file = dir.path().join("self-signed.req");
    let (_, error) = call(
        excert_certificate_new,
        &store,
        json!({"SubjectName": "CN=x.contoso.com", "KeyAlgorithm": "ECDSA_P256", "RequestFile": file}),
    );
    assert_eq!(error["Name"], "InvalidArgument", "{error}");
    let thumb = make(&store);
    let (_, error) = call(
        excert_certificate_renew,
        &store,
        json!({"Thumbprint": thumb, "RequestFile": file}),
    );
    assert_eq!(error["Name"], "InvalidArgument", "{error}");
    assert!(names(dir.path()).is_empty());
}
