//! Changes made through the C ABI — and so by the cmdlets — go into the server's audit trail, as
//! the admin center's do, under the account of the calling process. Recording comes after the
//! change: a trail that cannot be written adds a warning to the answer and undoes nothing.

use crate::store::audit;
pub use crate::store::audit::Change;

/// Appends one event; a failure becomes a warning of the answer.
pub fn record(
    store_root: Option<&str>,
    server: Option<&str>,
    action: &str,
    thumbprint: &str,
    detail: &str,
    warnings: &mut Vec<String>,
) {
    let change = Change {
        action,
        thumbprint,
        detail,
    };
    record_all(store_root, server, &[change], warnings);
}

/// Appends several events in one write; a failure becomes a warning of the answer.
pub fn record_all(
    store_root: Option<&str>,
    server: Option<&str>,
    changes: &[Change],
    warnings: &mut Vec<String>,
) {
    if let Err(e) = audit::record_all(store_root, server, &account(), changes) {
        warnings.push(format!(
            "The change was made, but it could not be recorded in the audit trail: {e}"
        ));
    }
}

/// The calling process's account name, as the password database has it (`uid N` when it has
/// none, as in a container with a bare uid). The admin center names its admin the same way, so
/// one account reads the same in every line of a trail.
pub fn account() -> String {
    // SAFETY: geteuid cannot fail; getpwuid_r writes only into `entry` and `buffer`, whose sizes
    // it is given, and the name it points at lives in `buffer`, read before `buffer` is dropped.
    unsafe {
        let uid = libc::geteuid();
        let mut entry: libc::passwd = std::mem::zeroed();
        let mut buffer = vec![0 as libc::c_char; 4096];
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwuid_r(
            uid,
            &mut entry,
            buffer.as_mut_ptr(),
            buffer.len(),
            &mut found,
        );
        if rc == 0 && !found.is_null() && !entry.pw_name.is_null() {
            let name = std::ffi::CStr::from_ptr(entry.pw_name).to_string_lossy();
            if !name.is_empty() {
                return name.into_owned();
            }
        }
        format!("uid {uid}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_account_is_the_password_database_name_of_this_uid() {
        let expected = std::process::Command::new("id")
            .arg("-un")
            .output()
            .unwrap();
        let expected = String::from_utf8(expected.stdout).unwrap();
        assert_eq!(super::account(), expected.trim());
    }
}
