//! Changes made through the C ABI (and so by the cmdlets) are recorded in the server's audit
//! trail, under the calling account, with the actions the admin center records.

mod common;

use common::TempStore;
use excert::ffi::*;
use excert::store::audit::{self, action};
use serde_json::{json, Value};
use std::ffi::{c_char, CStr, CString};
use std::ptr;

type Plain = unsafe extern "C" fn(*const c_char, *mut *mut c_char, *mut *mut c_char) -> i32;
type WithSecret = unsafe extern "C" fn(
    *const c_char,
    *const u8,
    usize,
    *mut *mut c_char,
    *mut *mut c_char,
) -> i32;

fn take(p: *mut c_char) -> Value {
    assert!(!p.is_null());
    let text = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_string();
    unsafe { excert_string_free(p) };
    serde_json::from_str(&text).unwrap()
}

fn ok(f: Plain, req: Value) -> Value {
    let req = CString::new(req.to_string()).unwrap();
    let (mut out, mut err) = (ptr::null_mut(), ptr::null_mut());
    let code = unsafe { f(req.as_ptr(), &mut out, &mut err) };
    assert_eq!(code, 0, "{}", take(err));
    take(out)
}

fn ok_secret(f: WithSecret, req: Value, secret: &str) -> Value {
    let req = CString::new(req.to_string()).unwrap();
    let (mut out, mut err) = (ptr::null_mut(), ptr::null_mut());
    let code = unsafe {
        f(
            req.as_ptr(),
            secret.as_ptr(),
            secret.len(),
            &mut out,
            &mut err,
        )
    };
    assert_eq!(code, 0, "{}", take(err));
    take(out)
}

fn account() -> String {
    let out = std::process::Command::new("id")
        .arg("-un")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn thumbprint(answer: &Value) -> String {
    answer["Certificate"]["Thumbprint"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn every_change_through_the_c_abi_is_recorded_newest_first() {
    let store = TempStore::new();
    let root = store.root();
    let at = |extra: Value| {
        let mut req = json!({"StoreRoot": root, "Server": "EX01"});
        req.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        req
    };
    let made = ok(
        excert_certificate_new,
        at(
            json!({"DomainName": ["mail.contoso.com"], "Services": "IIS", "PrivateKeyExportable": true}),
        ),
    );
    let cert = thumbprint(&made);
    let asked = ok(
        excert_request_new,
        at(json!({"DomainName": ["owa.contoso.com"]})),
    );
    let pending = thumbprint(&asked);
    ok(
        excert_certificate_enable,
        at(json!({"Thumbprint": cert, "Services": "IMAP,POP"})),
    );
    let pfx = ok_secret(
        excert_certificate_export,
        at(json!({"Thumbprint": cert.to_lowercase()})),
        "pw-1",
    );
    assert_eq!(pfx["Format"], "Pkcs12");
    ok_secret(
        excert_certificate_export,
        at(json!({"Thumbprint": pending})),
        "",
    );
    ok(
        excert_certificate_remove,
        at(json!({"Thumbprint": pending})),
    );

    let events = audit::history(Some(&root), "EX01", None).unwrap();
    let seen: Vec<(&str, &str, &str)> = events
        .iter()
        .map(|e| (e.action.as_str(), e.thumbprint.as_str(), e.detail.as_str()))
        .collect();
    assert_eq!(
        seen,
        vec![
            (action::DELETE, pending.as_str(), ""),
            (action::EXPORT_PFX, cert.as_str(), "Modern"),
            (action::ASSIGN_SERVICES, cert.as_str(), "IMAP, POP"),
            (action::NEW_REQUEST, pending.as_str(), ""),
            (action::NEW_SELF_SIGNED, cert.as_str(), "IIS"),
        ],
        "exporting a pending request is not a change and is not recorded"
    );
    let me = account();
    assert!(events.iter().all(|e| e.admin == me), "{events:?}");

    // The PFX imported on another server is recorded there, with what the import made of it.
    let file_data = pfx["FileData"].as_str().unwrap();
    let imported = ok_secret(
        excert_certificate_import,
        json!({"StoreRoot": root, "Server": "EX02", "FileData": file_data}),
        "pw-1",
    );
    assert_eq!(imported["Certificates"][0]["Thumbprint"], cert.as_str());
    let there = audit::history(Some(&root), "EX02", None).unwrap();
    assert_eq!(there.len(), 1, "{there:?}");
    assert_eq!(
        (
            there[0].action.as_str(),
            there[0].thumbprint.as_str(),
            there[0].admin.as_str()
        ),
        (action::IMPORT, cert.as_str(), me.as_str())
    );
    assert_eq!(
        there[0].detail,
        imported["Certificates"][0]["Status"].as_str().unwrap()
    );
    for secret in ["pw-1", "PRIVATE KEY"] {
        let text = std::fs::read_to_string(store.path().join("servers/EX01/audit")).unwrap();
        assert!(!text.contains(secret));
    }
}

#[test]
fn a_trail_that_cannot_be_written_is_a_warning_and_the_change_stays() {
    let store = TempStore::new();
    let root = store.root();
    let first = ok(
        excert_certificate_new,
        json!({"StoreRoot": root, "Server": "EX01", "DomainName": ["a.contoso.com"], "Services": "IIS"}),
    );
    assert!(first["Warnings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|w| !w.as_str().unwrap().contains("audit")));
    // Another writer left a folder where the trail file belongs.
    let trail = store.path().join("servers/EX01/audit");
    std::fs::remove_file(&trail).unwrap();
    std::fs::create_dir(&trail).unwrap();
    let second = ok(
        excert_certificate_new,
        json!({"StoreRoot": root, "Server": "EX01", "DomainName": ["b.contoso.com"], "Services": "IIS"}),
    );
    let warnings: Vec<&str> = second["Warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert!(
        warnings.iter().any(|w| w
            .starts_with("The change was made, but it could not be recorded in the audit trail")),
        "{warnings:?}"
    );
    let listed = ok(
        excert_certificate_list,
        json!({"StoreRoot": root, "Server": "EX01"}),
    );
    let thumbs: Vec<&str> = listed["Certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["Thumbprint"].as_str().unwrap())
        .collect();
    assert!(thumbs.contains(&thumbprint(&second).as_str()), "{thumbs:?}");
}
