//! The C ABI called as a C program would, with hostile input (docs/c-api.md).

mod common;

use common::TempStore;
use excert::ffi::*;
use std::ffi::{c_char, CStr, CString};
use std::ptr;

/// Calls an export; returns the code and both outputs as Rust strings (freed).
fn call(
    f: unsafe extern "C" fn(*const c_char, *mut *mut c_char, *mut *mut c_char) -> i32,
    req: *const c_char,
) -> (i32, Option<String>, Option<String>) {
    let mut out = ptr::null_mut();
    let mut err = ptr::null_mut();
    let code = unsafe { f(req, &mut out, &mut err) };
    let take = |p: *mut c_char| {
        (!p.is_null()).then(|| {
            let s = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_string();
            unsafe { excert_string_free(p) };
            s
        })
    };
    (code, take(out), take(err))
}

fn error_of(text: &str) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    for k in ["Code", "Name", "Category", "Message"] {
        assert!(v.get(k).is_some(), "error JSON lacks {k}: {text}");
    }
    v
}

#[test]
fn statics() {
    let v = unsafe { CStr::from_ptr(excert_version()) }
        .to_str()
        .unwrap();
    assert_eq!(v, env!("CARGO_PKG_VERSION"));
    assert_eq!(excert_abi_version(), EXCERT_ABI_VERSION);
    let name = |c| {
        unsafe { CStr::from_ptr(excert_result_name(c)) }
            .to_str()
            .unwrap()
    };
    assert_eq!(name(0), "Ok");
    assert_eq!(name(300), "NotFound");
    assert_eq!(name(999), "Panic");
    assert_eq!(name(-5), "Unknown");
    unsafe { excert_string_free(ptr::null_mut()) };
}

#[test]
fn hostile_requests_get_clear_codes_and_only_an_error() {
    let store = TempStore::new();
    let cases: Vec<(Vec<u8>, i32, &str)> = vec![
        (b"\xff\xfe{}".to_vec(), 2, "UTF-8"),
        (b"{".to_vec(), 3, "not valid"),
        (b"[]".to_vec(), 3, "not valid"),
        (b"{\"Bogus\":1}".to_vec(), 3, "Bogus"),
        (b"{\"KeySize\":\"big\"}".to_vec(), 3, "KeySize"),
        (
            format!("{{\"StoreRoot\":{:?},\"KeySize\":1000}}", store.root()).into_bytes(),
            4,
            "KeySize 1000",
        ),
        (
            format!(
                "{{\"StoreRoot\":{:?},\"SubjectName\":\"{}\"}}",
                store.root(),
                "A".repeat(1 << 20)
            )
            .into_bytes(),
            4,
            "no '='",
        ),
    ];
    for (bytes, code, needle) in cases {
        let c = CString::new(bytes).unwrap();
        let (got, out, err) = call(excert_certificate_new, c.as_ptr());
        assert_eq!(got, code, "{needle}");
        assert!(out.is_none(), "no answer on failure");
        let e = error_of(&err.unwrap());
        assert_eq!(e["Code"], code);
        assert!(e["Message"].as_str().unwrap().contains(needle), "{e}");
    }
    let (code, out, err) = call(excert_certificate_list, ptr::null());
    assert_eq!((code, out.is_none()), (1, true));
    assert_eq!(error_of(&err.unwrap())["Name"], "NullArgument");
}

#[test]
fn null_out_pointers_are_allowed() {
    let store = TempStore::new();
    let req = CString::new(format!(
        "{{\"StoreRoot\":{:?},\"Services\":\"None\"}}",
        store.root()
    ))
    .unwrap();
    assert_eq!(
        unsafe { excert_certificate_new(req.as_ptr(), ptr::null_mut(), ptr::null_mut()) },
        0
    );
    let bad = CString::new("{").unwrap();
    assert_eq!(
        unsafe { excert_certificate_new(bad.as_ptr(), ptr::null_mut(), ptr::null_mut()) },
        3
    );
    let (code, out, _) = call(
        excert_certificate_list,
        CString::new(format!("{{\"StoreRoot\":{:?}}}", store.root()))
            .unwrap()
            .as_ptr(),
    );
    assert_eq!(code, 0);
    let list: serde_json::Value = serde_json::from_str(&out.unwrap()).unwrap();
    assert_eq!(list["Schema"], 1);
    assert_eq!(list["Certificates"].as_array().unwrap().len(), 1);
}

#[test]
fn outputs_are_untouched_on_the_other_path() {
    let store = TempStore::new();
    let sentinel = std::ptr::dangling_mut::<c_char>();
    let mut out = sentinel;
    let mut err = ptr::null_mut();
    let req = CString::new(format!(
        "{{\"StoreRoot\":{:?},\"Thumbprint\":\"{}\"}}",
        store.root(),
        "AB".repeat(20)
    ))
    .unwrap();
    let code = unsafe { excert_certificate_get(req.as_ptr(), &mut out, &mut err) };
    assert_eq!(code, 300);
    assert_eq!(out, sentinel, "out_json is not written on failure");
    let e = error_of(unsafe { CStr::from_ptr(err) }.to_str().unwrap());
    assert_eq!(e["Name"], "NotFound");
    assert_eq!(e["Category"], "ObjectNotFound");
    unsafe { excert_string_free(err) };
}

#[test]
fn calls_from_many_threads_at_once() {
    let store = TempStore::new();
    let root = store.root();
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let root = root.clone();
            std::thread::spawn(move || {
                let req = CString::new(format!("{{\"StoreRoot\":{root:?},\"Server\":\"EX{}\",\"KeyAlgorithm\":\"ECDSA_P256\",\"Services\":\"IIS\"}}", i % 2)).unwrap();
                let (code, out, err) = call(excert_certificate_new, req.as_ptr());
                assert_eq!(code, 0, "{err:?}");
                out.unwrap()
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let req = CString::new(format!("{{\"StoreRoot\":{root:?},\"Server\":\"*\"}}")).unwrap();
    let (_, out, _) = call(excert_certificate_list, req.as_ptr());
    let list: serde_json::Value = serde_json::from_str(&out.unwrap()).unwrap();
    let certs = list["Certificates"].as_array().unwrap();
    assert_eq!(certs.len(), 8);
    // IIS has one holder per server: exactly one certificate on each server holds it.
    for server in ["EX0", "EX1"] {
        let holders = certs
            .iter()
            .filter(|c| c["Server"] == server && c["Services"] == "IIS")
            .count();
        assert_eq!(holders, 1, "{server}");
    }
}
