//! An import's `FileName` through the C ABI: the file is read by the library, a regular file
//! only, never through a symbolic link, never waited on, bounded; the store is unchanged when
//! it is refused.
#![cfg(unix)]

mod common;
mod formats_ca;

use common::TempStore;
use excert::ffi::*;
use formats_ca::Ca;
use serde_json::{json, Value};
use std::ffi::{CStr, CString};
use std::ptr;

fn import(store: &TempStore, mut request: Value) -> (i32, Value) {
    request["StoreRoot"] = json!(store.root());
    let req = CString::new(request.to_string()).unwrap();
    let (mut out, mut err) = (ptr::null_mut(), ptr::null_mut());
    let code =
        unsafe { excert_certificate_import(req.as_ptr(), ptr::null(), 0, &mut out, &mut err) };
    let p = if code == 0 { out } else { err };
    let text = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_string();
    unsafe { excert_string_free(p) };
    (code, serde_json::from_str(&text).unwrap())
}

fn refused(store: &TempStore, request: Value, code: i32, name: &str) -> String {
    let (got, error) = import(store, request);
    assert_eq!(
        (got, error["Name"].as_str().unwrap()),
        (code, name),
        "{error}"
    );
    // Nothing was imported.
    assert!(!store.path().join("servers").exists(), "the store changed");
    error["Message"].as_str().unwrap().to_string()
}

#[test]
fn file_name_imports_the_file_the_library_reads() {
    let store = TempStore::new();
    let ca = Ca::new();
    let thumb = common::thumbprint(&ca.der("leaf.pem"));
    let (code, answer) = import(
        &store,
        json!({"FileName": ca.path("leaf.pem"), "Server": "EX01"}),
    );
    assert_eq!(code, 0, "{answer}");
    assert_eq!(answer["Certificates"][0]["Thumbprint"], thumb.as_str());
    assert_eq!(answer["Certificates"][0]["HasPrivateKey"], false);
}

#[test]
fn links_folders_pipes_and_missing_files_are_refused_naming_the_path() {
    let store = TempStore::new();
    let dir = tempfile::tempdir().unwrap();
    let ca = Ca::new();
    let path = ca.path("leaf.pem");
    let link = dir.path().join("link.pem");
    std::os::unix::fs::symlink(&path, &link).unwrap();
    let message = refused(&store, json!({"FileName": link}), 500, "FileNotReadable");
    assert!(
        message.contains(link.to_str().unwrap()) && message.contains("symbolic link"),
        "{message}"
    );

    let message = refused(
        &store,
        json!({"FileName": dir.path()}),
        500,
        "FileNotReadable",
    );
    assert!(message.contains("not a regular file"), "{message}");

    // A FIFO with no writer: opened without waiting, then refused.
    let fifo = dir.path().join("pipe.pem");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let message = refused(&store, json!({"FileName": fifo}), 500, "FileNotReadable");
    assert!(message.contains("not a regular file"), "{message}");

    let missing = dir.path().join("no-such.cer");
    let message = refused(&store, json!({"FileName": missing}), 500, "FileNotReadable");
    assert!(message.contains(missing.to_str().unwrap()), "{message}");

    let empty = common::write(dir.path(), "empty.cer", b"");
    let message = refused(&store, json!({"FileName": empty}), 102, "EmptyData");
    assert!(message.contains(&empty), "{message}");
}

#[test]
fn a_file_over_the_limit_is_refused_unread_and_one_source_is_required() {
    let store = TempStore::new();
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.pfx");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(100 << 20)
        .unwrap();
    let message = refused(&store, json!({"FileName": huge}), 4, "InvalidArgument");
    assert!(
        message.contains("104857600 bytes, more than the 8388608 bytes (8 MiB)"),
        "{message}"
    );
    assert!(message.contains(huge.to_str().unwrap()), "{message}");

    let ca = Ca::new();
    let path = ca.path("leaf.pem");
    let data = common::b64(&std::fs::read(&path).unwrap());
    refused(
        &store,
        json!({"FileName": path, "FileData": data}),
        4,
        "InvalidArgument",
    );
    refused(&store, json!({}), 4, "InvalidArgument");
    refused(&store, json!({"FileName": ""}), 4, "InvalidArgument");
}
