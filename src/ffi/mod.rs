//! The C ABI (DESIGN §3): thin shells that check pointers, parse the JSON request, call one
//! core operation and serialise the answer. No business logic here.

mod boundary;

use crate::{model, ops, Code};
use std::ffi::{c_char, CString};

/// The version of this ABI; the PowerShell module refuses a library with another one.
pub const EXCERT_ABI_VERSION: u32 = 1;

/// The library's version (`CARGO_PKG_VERSION`), a static string: do not free it.
#[no_mangle]
pub extern "C" fn excert_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// The ABI version this library implements; compare with `EXCERT_ABI_VERSION`.
#[no_mangle]
pub extern "C" fn excert_abi_version() -> u32 {
    EXCERT_ABI_VERSION
}

/// The stable name of a result code (`"NotFound"` for 300), a static string: do not free it.
/// Unknown codes give `"Unknown"`.
#[no_mangle]
pub extern "C" fn excert_result_name(code: i32) -> *const c_char {
    static NAMES: once_cell::sync::Lazy<Vec<(i32, CString)>> = once_cell::sync::Lazy::new(|| {
        Code::ALL
            .iter()
            .map(|c| (*c as i32, CString::new(c.name()).unwrap_or_default()))
            .collect()
    });
    NAMES
        .iter()
        .find(|(n, _)| *n == code)
        .map(|(_, s)| s.as_ptr())
        .unwrap_or(c"Unknown".as_ptr())
}

/// Frees a string returned by this library, zeroing it first (answers may hold key material).
/// NULL is allowed and does nothing.
///
/// # Safety
/// `s` is NULL or a string this library returned that has not been freed yet.
#[no_mangle]
pub unsafe extern "C" fn excert_string_free(s: *mut c_char) {
    if s.is_null() {
        return;
    }
    let _ = std::panic::catch_unwind(|| {
        let mut bytes = CString::from_raw(s).into_bytes_with_nul();
        zeroize::Zeroize::zeroize(&mut bytes);
    });
}

/// Creates a self-signed certificate (`New-ExchangeCertificate`) and stores it with its key.
///
/// Request: `{"SubjectName", "DomainName":[..], "FriendlyName", "KeySize", "KeyAlgorithm",
/// "PrivateKeyExportable", "Services", "IncludeServerFQDN", "IncludeServerNetBIOSName",
/// "SubjectKeyIdentifier", "Force", "NotBefore", "NotAfter", "Server", "StoreRoot"}`, all optional.
/// Answer: `{"Schema":1, "Certificate":{...}, "Warnings":[..]}`.
///
/// # Safety
/// `request_json` is NULL or a NUL-terminated string; out-pointers are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn excert_certificate_new(
    request_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary::call(
        request_json,
        out_json,
        out_error,
        |r: model::NewCertificateRequest| ops::new_certificate(&r),
    )
}

/// Lists certificates and pending requests (`Get-ExchangeCertificate`), newest first.
///
/// Request: `{"Server" (a name or "*"), "Thumbprint", "DomainName":[..], "ExpiryWarningDays", "StoreRoot"}`,
/// all optional. Answer: `{"Schema":1, "Certificates":[...], "Warnings":[..]}`.
///
/// # Safety
/// As `excert_certificate_new`.
#[no_mangle]
pub unsafe extern "C" fn excert_certificate_list(
    request_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary::call(
        request_json,
        out_json,
        out_error,
        |r: model::ListRequest| ops::list_certificates(&r),
    )
}

/// Gets one certificate or pending request by thumbprint (`Get-ExchangeCertificate -Thumbprint`).
///
/// Request: `{"Thumbprint" (required; any case, spaces allowed), "Server", "StoreRoot"}`.
/// Answer: `{"Schema":1, "Certificate":{...}, "Warnings":[..]}`; unknown thumbprint: code 300.
///
/// # Safety
/// As `excert_certificate_new`.
#[no_mangle]
pub unsafe extern "C" fn excert_certificate_get(
    request_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary::call(
        request_json,
        out_json,
        out_error,
        |r: model::ThumbprintRequest| ops::get_certificate(&r),
    )
}
