//! C exports for the organization's accepted domains (`New-/Get-/Remove-AcceptedDomain`).

use super::requests as rq;
use super::{answers, boundary};
use crate::ops;
use std::ffi::c_char;

/// Adds an accepted domain to the organization (`New-AcceptedDomain`).
///
/// Request: `{"Name" (required), "DomainName" (required), "DomainType" ("Authoritative" default,
/// "InternalRelay", "ExternalRelay"), "StoreRoot"}`.
/// Answer: `{"Schema":1, "AcceptedDomain":{"Name","DomainName","DomainType","Default"}, "Warnings":[]}`;
/// a Name or DomainName already there: code 301.
///
/// # Safety
/// `request_json` is NULL or a NUL-terminated string; out-pointers are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn excert_accepted_domain_new(
    request_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary::call(
        request_json,
        out_json,
        out_error,
        |r: rq::NewAcceptedDomainRequest| {
            ops::new_accepted_domain(&r.into_core()?).map(answers::AcceptedDomainAnswer::from)
        },
    )
}

/// Lists the organization's accepted domains in the order added (`Get-AcceptedDomain`).
///
/// Request: `{"Identity" (a Name or DomainName: only that one), "StoreRoot"}`, all optional.
/// Answer: `{"Schema":1, "AcceptedDomains":[...], "Warnings":[]}`; an unknown Identity: code 300.
///
/// # Safety
/// As `excert_accepted_domain_new`.
#[no_mangle]
pub unsafe extern "C" fn excert_accepted_domain_list(
    request_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary::call(
        request_json,
        out_json,
        out_error,
        |r: rq::AcceptedDomainIdentityRequest| {
            ops::list_accepted_domains(&r.into_core()).map(answers::AcceptedDomainListAnswer::from)
        },
    )
}

/// Removes an accepted domain (`Remove-AcceptedDomain`).
///
/// Request: `{"Identity" (required: a Name or DomainName), "StoreRoot"}`.
/// Answer: `{"Schema":1, "AcceptedDomain":{...the removed one}, "Warnings":[]}`; unknown: code 300.
///
/// # Safety
/// As `excert_accepted_domain_new`.
#[no_mangle]
pub unsafe extern "C" fn excert_accepted_domain_remove(
    request_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary::call(
        request_json,
        out_json,
        out_error,
        |r: rq::AcceptedDomainIdentityRequest| {
            ops::remove_accepted_domain(&r.into_core()).map(answers::AcceptedDomainAnswer::from)
        },
    )
}
