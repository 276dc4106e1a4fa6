//! `Identity` (`SERVER\THUMBPRINT` or a bare thumbprint) in the C ABI's requests, and the
//! listing's NotFound for a thumbprint it does not have.

mod common;

use common::TempStore;
use excert::ffi::*;
use serde_json::{json, Value};
use std::ffi::{c_char, CStr, CString};
use std::ptr;

type Operation = unsafe extern "C" fn(*const c_char, *mut *mut c_char, *mut *mut c_char) -> i32;

/// Calls an export with `request` plus the store's root; the code and the answer or error JSON.
fn call(f: Operation, store: &TempStore, mut request: Value) -> (i32, Value) {
    request["StoreRoot"] = json!(store.root());
    let req = CString::new(request.to_string()).unwrap();
    let (mut out, mut err) = (ptr::null_mut(), ptr::null_mut());
    let code = unsafe { f(req.as_ptr(), &mut out, &mut err) };
    let p = if code == 0 { out } else { err };
    assert!(!p.is_null(), "code {code} without its output");
    let text = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_string();
    unsafe { excert_string_free(p) };
    (code, serde_json::from_str(&text).unwrap())
}

fn ok(f: Operation, store: &TempStore, request: Value) -> Value {
    let (code, answer) = call(f, store, request);
    assert_eq!(code, 0, "{answer}");
    answer
}

fn refused(f: Operation, store: &TempStore, request: Value, name: &str) -> String {
    let (code, error) = call(f, store, request);
    assert_ne!(code, 0, "{error}");
    assert_eq!(error["Name"], name, "{error}");
    error["Message"].as_str().unwrap().to_string()
}

/// A certificate made on `server`; its thumbprint.
fn make(store: &TempStore, server: &str, cn: &str) -> String {
    let request = json!({"Server": server, "SubjectName": format!("CN={cn}"),
        "KeyAlgorithm": "ECDSA_P256", "PrivateKeyExportable": true, "Services": "IIS"});
    let answer = ok(excert_certificate_new, store, request);
    answer["Certificate"]["Thumbprint"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn get_takes_server_backslash_thumbprint_in_any_case() {
    let store = TempStore::new();
    let thumb = make(&store, "EX01", "a.contoso.com");
    make(&store, "EX02", "b.contoso.com");
    for identity in [
        format!("EX01\\{thumb}"),
        format!("ex01\\{}", thumb.to_lowercase()),
    ] {
        let answer = ok(
            excert_certificate_get,
            &store,
            json!({"Identity": identity}),
        );
        assert_eq!(answer["Certificate"]["Thumbprint"], thumb.as_str());
        assert_eq!(answer["Certificate"]["Server"], "EX01");
    }
    // The identity's server is where the look-up happens, over Server.
    let request = json!({"Identity": format!("EX02\\{thumb}"), "Server": "EX01"});
    let message = refused(excert_certificate_get, &store, request, "NotFound");
    assert!(message.contains("server EX02"), "{message}");
    // A bare thumbprint with Server.
    let request = json!({"Identity": thumb, "Server": "EX01"});
    assert_eq!(
        ok(excert_certificate_get, &store, request)["Certificate"]["Identity"],
        format!("EX01\\{thumb}").as_str()
    );
}

#[test]
fn a_malformed_identity_is_refused_clearly() {
    let store = TempStore::new();
    let thumb = make(&store, "EX01", "a.contoso.com");
    let message = refused(
        excert_certificate_get,
        &store,
        json!({"Identity": "EX01\\"}),
        "InvalidArgument",
    );
    assert!(
        message.contains("The Identity 'EX01\\' names no thumbprint"),
        "{message}"
    );
    let message = refused(
        excert_certificate_get,
        &store,
        json!({"Identity": "EX01\\\u{1b}]0;x\u{7}"}),
        "InvalidArgument",
    );
    assert!(
        !message.contains('\u{1b}') && message.contains("\\x1B"),
        "{message}"
    );
    let request = json!({"Identity": format!("EX01\\{thumb}"), "Thumbprint": thumb});
    let message = refused(excert_certificate_get, &store, request, "InvalidArgument");
    assert!(
        message.contains("both an Identity and a Thumbprint"),
        "{message}"
    );
    let message = refused(
        excert_certificate_get,
        &store,
        json!({"Server": "EX01"}),
        "InvalidArgument",
    );
    assert!(message.contains("names no certificate"), "{message}");
    let message = refused(
        excert_certificate_remove,
        &store,
        json!({}),
        "InvalidArgument",
    );
    assert!(message.contains("names no certificate"), "{message}");
}

#[test]
fn listing_by_identity_or_thumbprint_answers_not_found_itself() {
    let store = TempStore::new();
    let thumb = make(&store, "EX01", "a.contoso.com");
    make(&store, "EX01", "b.contoso.com");
    let listed = ok(
        excert_certificate_list,
        &store,
        json!({"Identity": format!("EX01\\{thumb}")}),
    );
    let certificates = listed["Certificates"].as_array().unwrap();
    assert_eq!(certificates.len(), 1);
    assert_eq!(certificates[0]["Thumbprint"], thumb.as_str());

    let unknown = "AB".repeat(20);
    let request = json!({"Server": "EX01", "Thumbprint": unknown, "ExpiryWarningDays": 10});
    let message = refused(excert_certificate_list, &store, request, "NotFound");
    assert!(
        message.contains(&unknown) && message.contains("EX01"),
        "{message}"
    );
    let request = json!({"Server": "*", "Thumbprint": unknown});
    let message = refused(excert_certificate_list, &store, request, "NotFound");
    assert!(message.contains("no server has"), "{message}");
    // Narrowed by names or expiry as well, nothing found is an empty listing.
    for narrowed in [
        json!({"Server": "EX01", "Thumbprint": unknown, "DomainName": ["a.contoso.com"]}),
        json!({"Server": "EX01", "Thumbprint": unknown, "ExpiringWithinDays": 5}),
    ] {
        let answer = ok(excert_certificate_list, &store, narrowed);
        assert_eq!(answer["Certificates"], json!([]));
    }
    let bad = refused(
        excert_certificate_list,
        &store,
        json!({"Identity": "EX01\\ "}),
        "InvalidArgument",
    );
    assert!(bad.contains("names no thumbprint"), "{bad}");
}

#[test]
fn enable_export_renew_remove_take_an_identity() {
    let store = TempStore::new();
    let thumb = make(&store, "EX01", "a.contoso.com");
    let identity = format!("EX01\\{thumb}");
    let enabled = ok(
        excert_certificate_enable,
        &store,
        json!({"Identity": identity, "Services": "IMAP, POP"}),
    );
    assert_eq!(enabled["Certificate"]["Services"], "IMAP, POP, IIS");

    let req =
        CString::new(json!({"StoreRoot": store.root(), "Identity": identity}).to_string()).unwrap();
    let (mut out, mut err) = (ptr::null_mut(), ptr::null_mut());
    let code =
        unsafe { excert_certificate_export(req.as_ptr(), ptr::null(), 0, &mut out, &mut err) };
    assert_eq!(code, 0);
    let exported: Value =
        serde_json::from_str(unsafe { CStr::from_ptr(out) }.to_str().unwrap()).unwrap();
    unsafe { excert_string_free(out) };
    assert_eq!(exported["Format"], "Certificate", "{exported}");

    let renewed = ok(
        excert_certificate_renew,
        &store,
        json!({"Identity": identity, "Force": true}),
    );
    let new_thumb = renewed["Certificate"]["Thumbprint"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(new_thumb, thumb);

    ok(
        excert_certificate_remove,
        &store,
        json!({"Identity": identity, "Force": true}),
    );
    refused(
        excert_certificate_get,
        &store,
        json!({"Identity": identity}),
        "NotFound",
    );
    ok(
        excert_certificate_get,
        &store,
        json!({"Identity": format!("EX01\\{new_thumb}")}),
    );
}
