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
