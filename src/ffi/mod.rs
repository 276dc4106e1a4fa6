//! The C ABI (docs/c-api.md): thin shells that check pointers, parse the JSON request, call one
//! core operation and serialise the answer. No business logic here.

mod accepted_domain;
mod answer_buffer;
mod answers;
mod audit;
mod boundary;
mod json_out;
mod parse;
mod requests;
mod selection;

pub use accepted_domain::*;
pub use answers::CERTIFICATE_PROPERTIES;
pub use audit::account;

use crate::model::ExportFormat;
use crate::store::audit::action;
use crate::{ops, Code};
use requests as rq;
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

/// Frees a string returned by this library (an answer or an error). One that can hold a secret
/// (the answers and errors of the calls that take a password: import and export, whose answer
/// can be a PFX with its key) is zeroed first, its whole allocation. NULL is allowed and does
/// nothing.
///
/// # Safety
/// `s` is NULL or a string this library returned that has not been freed yet.
#[no_mangle]
pub unsafe extern "C" fn excert_string_free(s: *mut c_char) {
    if s.is_null() {
        return;
    }
    let _ = std::panic::catch_unwind(|| answer_buffer::release(s));
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
        |r: rq::NewCertificateRequest| {
            let req = r.into_core()?;
            let mut a = ops::new_certificate(&req)?;
            let c = &a.certificate;
            let services = c.services.to_string();
            audit::record(
                req.store_root.as_deref(),
                Some(&c.server),
                action::NEW_SELF_SIGNED,
                &c.thumbprint,
                &services,
                &mut a.warnings,
            );
            Ok(answers::CertificateAnswer::from(a))
        },
    )
}

/// Lists certificates and pending requests (`Get-ExchangeCertificate`), newest first.
///
/// Request: `{"Server" (a name or "*"), "Thumbprint", "Identity", "DomainName":[..],
/// "ExpiryWarningDays", "ExpiringWithinDays", "StoreRoot", "RefreshRevocation",
/// "OfflineRevocation", "Properties":[..]}`, all optional. Answer: `{"Schema":1,
/// "Certificates":[...], "Warnings":[..]}`. `Identity` is `SERVER\THUMBPRINT` (the server by
/// name or FQDN) or a bare thumbprint, instead of `Thumbprint` and `Server`; a malformed one
/// gives EXCERT_RESULT_INVALID_ARGUMENT. Narrowed to a thumbprint alone (no `DomainName`, no
/// `ExpiringWithinDays`), a listing that finds nothing answers code 300 (NotFound), as
/// `excert_certificate_get`. `Properties` names the certificate
/// properties wanted (any of those `excert_certificate_get` answers, any case, for example
/// `["Identity","Status","NotAfter"]`): each certificate then carries only those, in the usual
/// order, and what is not asked for (the Base64 of `RawData`) is not made; without it every
/// property is answered. An unknown name is code 4 (InvalidArgument) naming it. Revocation is checked for CA-issued certificates
/// (CRL and OCSP, cached in the store; `RefreshRevocation` fetches again, `OfflineRevocation`
/// fetches nothing): a revoked one has `"Status":"Revoked"` with `RevocationReason`,
/// `RevocationDate` and `RevocationSource`; one that cannot be checked has
/// `"Status":"RevocationCheckFailure"` and a warning naming the URL and the cause.
///
/// # Safety
/// As `excert_certificate_new`.
#[no_mangle]
pub unsafe extern "C" fn excert_certificate_list(
    request_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary::call_written(request_json, out_json, out_error, |r: rq::ListRequest| {
        let keep = selection::Selection::parse(r.properties.as_deref())?;
        let answer = ops::list_or_not_found(&r.into_core()?, keep.wanted());
        answer.map(|a| selection::SelectedListAnswer::new(a, keep))
    })
}

/// Gets one certificate or pending request by thumbprint (`Get-ExchangeCertificate -Thumbprint`).
///
/// Request: `{"Thumbprint" (any case, spaces allowed) or "Identity" (`SERVER\THUMBPRINT` or a
/// bare thumbprint; one of the two required), "Server", "StoreRoot", "RefreshRevocation",
/// "OfflineRevocation"}` (revocation as in `excert_certificate_list`).
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
    boundary::call(request_json, out_json, out_error, |r: rq::GetRequest| {
        let (request, revocation) = r.into_core()?;
        ops::get_certificate_with(&request, revocation).map(answers::CertificateAnswer::from)
    })
}

/// Creates a certificate request for a CA (`New-ExchangeCertificate -GenerateRequest`) and keeps
/// it, with its key, as a pending entry until an import completes it.
///
/// Request: as `excert_certificate_new` without `Services`, `NotBefore`, `NotAfter`, plus
/// `"RequestFile"`, `"BinaryEncoded"`: the request also written to that file (docs/c-api.md),
/// a path that cannot be written refused before anything is made.
/// Answer: `{"Schema":1, "Certificate":{... "Status":"PendingRequest" ...},
/// "Request":"-----BEGIN NEW CERTIFICATE REQUEST-----...", "Warnings":[..]}`.
///
/// # Safety
/// As `excert_certificate_new`.
#[no_mangle]
pub unsafe extern "C" fn excert_request_new(
    request_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary::call(
        request_json,
        out_json,
        out_error,
        |r: rq::NewCertificateRequest| {
            let req = r.into_core()?;
            let mut a = ops::new_request(&req)?;
            let c = &a.certificate;
            audit::record(
                req.store_root.as_deref(),
                Some(&c.server),
                action::NEW_REQUEST,
                &c.thumbprint,
                "",
                &mut a.warnings,
            );
            Ok(answers::RequestAnswer::from(a))
        },
    )
}

/// Renews a certificate: a new key, with the old subject, domains, friendly name, key type and
/// services (`Get-ExchangeCertificate T | New-ExchangeCertificate`).
///
/// Request: `{"Thumbprint" or "Identity" (one required, as in `excert_certificate_get`),
/// "GenerateRequest", "Force", "FriendlyName", "PrivateKeyExportable", "Server", "StoreRoot",
/// "RequestFile", "BinaryEncoded" (with GenerateRequest, as in `excert_request_new`)}`.
/// Answer: as `excert_certificate_new`, or as `excert_request_new` with `GenerateRequest`.
///
/// # Safety
/// As `excert_certificate_new`.
#[no_mangle]
pub unsafe extern "C" fn excert_certificate_renew(
    request_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary::call(request_json, out_json, out_error, |r: rq::RenewRequest| {
        let req = r.into_core()?;
        let mut renewed = ops::renew(&req)?;
        let root = req.store_root.as_deref();
        match &mut renewed {
            ops::Renewed::Certificate(a) => {
                let c = &a.certificate;
                let services = c.services.to_string();
                audit::record(
                    root,
                    Some(&c.server),
                    action::RENEW_SELF_SIGNED,
                    &c.thumbprint,
                    &services,
                    &mut a.warnings,
                );
            }
            ops::Renewed::Request(a) => {
                let c = &a.certificate;
                audit::record(
                    root,
                    Some(&c.server),
                    action::RENEW_REQUEST,
                    &c.thumbprint,
                    "",
                    &mut a.warnings,
                );
            }
        }
        Ok(answers::Renewed::from(renewed))
    })
}

/// Assigns services to a certificate (`Enable-ExchangeCertificate`); services are additive.
///
/// Request: `{"Thumbprint" or "Identity" (one required, as in `excert_certificate_get`),
/// "Services" (required), "Force", "DoNotRequireSsl", "NetworkServiceAllowed", "Server",
/// "StoreRoot"}`. Replacing the default SMTP certificate
/// without `Force` gives EXCERT_RESULT_CONFIRMATION_REQUIRED. Answer: as `excert_certificate_get`.
///
/// # Safety
/// As `excert_certificate_new`.
#[no_mangle]
pub unsafe extern "C" fn excert_certificate_enable(
    request_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary::call(request_json, out_json, out_error, |r: rq::EnableRequest| {
        let req = r.into_core()?;
        let mut a = ops::enable(&req)?;
        let c = &a.certificate;
        let services = req.services.to_string();
        audit::record(
            req.store_root.as_deref(),
            Some(&c.server),
            action::ASSIGN_SERVICES,
            &c.thumbprint,
            &services,
            &mut a.warnings,
        );
        Ok(answers::CertificateAnswer::from(a))
    })
}

/// Deletes a certificate or pending request and its key (`Remove-ExchangeCertificate`).
///
/// Request: `{"Thumbprint" or "Identity" (one required, as in `excert_certificate_get`), "Force",
/// "Server", "StoreRoot"}`. A certificate in use
/// gives EXCERT_RESULT_IN_USE unless `Force`. Answer: `{"Schema":1, "Identity", "Warnings":[..]}`.
///
/// # Safety
/// As `excert_certificate_new`.
#[no_mangle]
pub unsafe extern "C" fn excert_certificate_remove(
    request_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary::call(request_json, out_json, out_error, |r: rq::RemoveRequest| {
        let req = r.into_core()?;
        let mut a = ops::remove(&req)?;
        audit::record(
            req.store_root.as_deref(),
            Some(&a.server),
            action::DELETE,
            &a.thumbprint,
            "",
            &mut a.warnings,
        );
        Ok(answers::RemoveAnswer::from(a))
    })
}

/// Imports certificates (`Import-ExchangeCertificate -FileData`): DER or PEM certificates, PEM
/// bundles, PKCS#7 and PKCS#12, sniffed from the content. A certificate whose key matches a
/// pending request completes it; a PFX brings its key.
///
/// Request: `{"FileData" (Base64) or "FileName" (a regular file the library reads; see
/// docs/c-api.md), "PrivateKeyExportable", "FriendlyName", "TrustedRoot", "Server", "StoreRoot"}`. `secret`/`secret_len`: the PFX password as UTF-8
/// bytes (NULL, 0 for none); it never goes in the JSON. The library zeroes its copy; zero yours.
/// Answer: `{"Schema":1, "Certificates":[...], "Warnings":[..]}`. The store is unchanged on any error.
///
/// # Safety
/// As `excert_certificate_new`; `secret` is NULL or points at `secret_len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn excert_certificate_import(
    request_json: *const c_char,
    secret: *const u8,
    secret_len: usize,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary::call_with_secret(
        request_json,
        secret,
        secret_len,
        out_json,
        out_error,
        |r: rq::ImportRequest, pw| {
            let req = r.into_core()?;
            let mut a = ops::import(&req, pw)?;
            let changes: Vec<audit::Change> = (a.certificates.iter())
                .map(|c| audit::Change {
                    action: action::IMPORT,
                    thumbprint: &c.thumbprint,
                    detail: c.status.as_str(),
                })
                .collect();
            let server = a.certificates.first().map(|c| c.server.clone());
            audit::record_all(
                req.store_root.as_deref(),
                server.as_deref(),
                &changes,
                &mut a.warnings,
            );
            Ok(answers::ListAnswer::from(a))
        },
    )
}

/// Exports a certificate (`Export-ExchangeCertificate`): with a password, a PFX with the key
/// (only when PrivateKeyExportable); without, the certificate alone; a pending request as PKCS#10.
///
/// Request: `{"Thumbprint" or "Identity" (one required, as in `excert_certificate_get`),
/// "Encryption" ("Modern" default, or "Legacy"), "Force", "Server", "StoreRoot", "FileName",
/// "BinaryEncoded"}`: with `FileName`, `Text` (the bytes with `BinaryEncoded`) is also written
/// there, 0600 for a PFX, never through a symbolic link (docs/c-api.md).
/// `secret`/`secret_len`: the password (NULL, 0 for none).
/// Answer: `{"Schema":1, "Format", "FileData" (Base64), "Text", "Warnings":[..]}` — the answer
/// holds the key material of a PFX: free it with excert_string_free, which zeroes it.
///
/// # Safety
/// As `excert_certificate_import`.
#[no_mangle]
pub unsafe extern "C" fn excert_certificate_export(
    request_json: *const c_char,
    secret: *const u8,
    secret_len: usize,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary::call_with_secret(
        request_json,
        secret,
        secret_len,
        out_json,
        out_error,
        |r: rq::ExportRequest, pw| {
            let req = r.into_core()?;
            let mut a = ops::export(&req, pw)?;
            if a.format == ExportFormat::Pkcs12 {
                let thumbprint = crate::cert::normalize_thumbprint(&req.thumbprint)?;
                audit::record(
                    req.store_root.as_deref(),
                    req.server.as_deref(),
                    action::EXPORT_PFX,
                    &thumbprint,
                    req.encryption.name(),
                    &mut a.warnings,
                );
            }
            Ok(answers::ExportAnswer::from(a))
        },
    )
}
