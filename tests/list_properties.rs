//! `excert_certificate_list` with `"Properties"`: each certificate answers only what was asked,
//! the same values as the whole object, and the default answer is unchanged.

mod common;

use common::TempStore;
use excert::ffi::*;
use serde_json::Value;
use std::ffi::{c_char, CStr, CString};
use std::ptr;

fn list(request: Value) -> (i32, Value) {
    let req = CString::new(request.to_string()).unwrap();
    let (mut out, mut err) = (ptr::null_mut(), ptr::null_mut());
    let code = unsafe { excert_certificate_list(req.as_ptr(), &mut out, &mut err) };
    let p: *mut c_char = if code == 0 { out } else { err };
    let text = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_string();
    unsafe { excert_string_free(p) };
    (code, serde_json::from_str(&text).unwrap())
}

#[test]
fn only_the_properties_asked_for_are_answered() {
    let store = TempStore::new();
    for (server, name) in [("EX01", "mail.contoso.com"), ("EX02", "owa.contoso.com")] {
        let req = CString::new(
            serde_json::json!({"StoreRoot": store.root(), "Server": server, "DomainName": [name]})
                .to_string(),
        )
        .unwrap();
        let (mut out, mut err) = (ptr::null_mut(), ptr::null_mut());
        assert_eq!(
            unsafe { excert_certificate_new(req.as_ptr(), &mut out, &mut err) },
            0
        );
        unsafe { excert_string_free(out) };
    }
    let (code, whole) = list(serde_json::json!({"StoreRoot": store.root(), "Server": "*"}));
    assert_eq!(code, 0);
    let whole = whole["Certificates"].as_array().unwrap().clone();
    assert_eq!(whole.len(), 2);
    assert_eq!(
        whole[0].as_object().unwrap().keys().count(),
        CERTIFICATE_PROPERTIES.len(),
        "the default answer is the whole object"
    );

    let (code, some) = list(serde_json::json!({
        "StoreRoot": store.root(), "Server": "*",
        "Properties": ["notafter", "Identity", "RawData", "Identity"],
    }));
    assert_eq!(code, 0);
    let some = some["Certificates"].as_array().unwrap();
    for (a, b) in whole.iter().zip(some) {
        let keys: Vec<&String> = b.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["Identity", "NotAfter", "RawData"], "listed order");
        for k in keys {
            assert_eq!(a[k], b[k], "{k}");
        }
    }

    let (code, none) =
        list(serde_json::json!({"StoreRoot": store.root(), "Server": "EX01", "Properties": []}));
    assert_eq!(code, 0);
    assert_eq!(none["Certificates"][0], serde_json::json!({}));

    let (code, err) = list(serde_json::json!({"StoreRoot": store.root(), "Properties": ["Raw"]}));
    assert_eq!(code, 4, "{err}");
    assert!(err["Message"].as_str().unwrap().contains("'Raw'"), "{err}");
}

/// Each property asked alone is the whole object's value, for a certificate made here (whose DER
/// a listing leaves unread unless `RawData` is asked), one made elsewhere and imported (its DER
/// is always read: its chain and signature are checked) and a pending request; both when the
/// index must be made again (a listing of some properties writes it whole) and when it is used.
#[test]
fn each_property_alone_is_the_whole_objects_value_indexed_or_not() {
    use excert::model::{ImportRequest, NewCertificateRequest};
    use excert::ops;
    let store = TempStore::new();
    let new = NewCertificateRequest {
        store_root: Some(store.root()),
        domain_name: vec!["mail.contoso.com".into()],
        ..Default::default()
    };
    ops::new_certificate(&new).unwrap();
    ops::new_request(&new).unwrap();
    let (key, der) = (store.path().join("k.pem"), store.path().join("c.der"));
    common::openssl(&[
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-subj",
        "/O=Fabrikam/CN=owa.fabrikam.com",
        "-addext",
        "subjectAltName=DNS:owa.fabrikam.com,DNS:fabrikam.com",
        "-days",
        "30",
        "-keyout",
        key.to_str().unwrap(),
        "-outform",
        "DER",
        "-out",
        der.to_str().unwrap(),
    ]);
    ops::import(
        &ImportRequest {
            store_root: Some(store.root()),
            file_data: std::fs::read(&der).unwrap(),
            ..Default::default()
        },
        None,
    )
    .unwrap();
    let index = std::fs::read_dir(store.path().join("servers"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path()
        .join("index");
    let whole_answer = || {
        let (code, whole) = list(serde_json::json!({"StoreRoot": store.root()}));
        assert_eq!(code, 0, "{whole}");
        whole["Certificates"].as_array().unwrap().clone()
    };
    let whole = whole_answer();
    assert_eq!(whole.len(), 3);
    let imported = whole
        .iter()
        .find(|c| c["Subject"] == "CN=owa.fabrikam.com, O=Fabrikam");
    assert_eq!(imported.unwrap()["IsSelfSigned"], true, "{whole:?}");
    for stale in [true, false] {
        for name in CERTIFICATE_PROPERTIES {
            if stale {
                std::fs::remove_file(&index).unwrap();
            }
            let (code, some) =
                list(serde_json::json!({"StoreRoot": store.root(), "Properties": [name]}));
            assert_eq!(code, 0, "{some}");
            let some = some["Certificates"].as_array().unwrap();
            assert_eq!(some.len(), whole.len(), "{name}");
            for (a, b) in whole.iter().zip(some) {
                assert_eq!(b.as_object().unwrap().len(), 1, "{name}: {b}");
                assert_eq!(a[name], b[name], "{name} (index made again: {stale})");
            }
            assert!(index.exists(), "{name}: the index is written again");
        }
        // What a listing of some properties wrote is a whole index.
        assert_eq!(whole_answer(), whole);
    }
}
