//! Getting an answer from a URL: `http://` through ureq with short timeouts and a size cap,
//! `file://` from a local file with the same cap and no symbolic link followed.

use std::time::Duration;

/// The largest CRL or OCSP answer accepted (a big public CA's CRL is a few MB).
pub const MAX_ANSWER: u64 = 16 * 1024 * 1024;
/// Time allowed to connect to a responder or distribution point.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// Time allowed for one whole exchange, connection included.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(3);

/// How a URL is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Http,
    File,
}

/// The scheme of a URL we can fetch; `None` for others (`ldap://`, `https://` ...).
pub fn scheme(url: &str) -> Option<Scheme> {
    let lower = url.get(..7).map(str::to_ascii_lowercase);
    match lower.as_deref() {
        Some("http://") => Some(Scheme::Http),
        Some("file://") => Some(Scheme::File),
        _ => None,
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .timeout_global(Some(CALL_TIMEOUT))
        .max_redirects(3)
        .http_status_as_error(false)
        .user_agent(concat!("excert/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// GET a CRL.
pub fn get(url: &str) -> Result<Vec<u8>, String> {
    match scheme(url) {
        Some(Scheme::Http) => {
            let response = agent().get(url).call().map_err(describe)?;
            body(response)
        }
        Some(Scheme::File) => read_file(url),
        None => Err("only http:// and file:// locations are fetched".into()),
    }
}

/// POST an OCSP request (RFC 6960 appendix A.1).
pub fn post_ocsp(url: &str, request: &[u8]) -> Result<Vec<u8>, String> {
    if scheme(url) != Some(Scheme::Http) {
        return Err("only http:// OCSP responders are asked".into());
    }
    let response = agent()
        .post(url)
        .header("Content-Type", "application/ocsp-request")
        .header("Accept", "application/ocsp-response")
        .send(request)
        .map_err(describe)?;
    body(response)
}

fn body(mut response: ureq::http::Response<ureq::Body>) -> Result<Vec<u8>, String> {
    let status = response.status();
    if !status.is_success() {
        return Err(format!("the server answered HTTP {}", status.as_u16()));
    }
    response
        .body_mut()
        .with_config()
        .limit(MAX_ANSWER)
        .read_to_vec()
        .map_err(describe)
}

fn describe(e: ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(_) => {
            format!("no answer within {} s (timed out)", CALL_TIMEOUT.as_secs())
        }
        ureq::Error::Io(io) => format!("cannot connect: {io}"),
        ureq::Error::BodyExceedsLimit(_) => {
            format!("the answer is larger than {} MB", MAX_ANSWER >> 20)
        }
        other => format!("HTTP failed: {other}"),
    }
}

/// `file:///path` (or `file://localhost/path`): read with the size cap, no symbolic link.
fn read_file(url: &str) -> Result<Vec<u8>, String> {
    let rest = &url[7..];
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    if !path.starts_with('/') || path.contains('%') {
        return Err("only plain local file:///path locations are read".into());
    }
    crate::store::read_capped(std::path::Path::new(path), MAX_ANSWER)
        .map_err(|e| format!("cannot read: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        assert_eq!(scheme("HTTP://x/a.crl"), Some(Scheme::Http));
        assert_eq!(scheme("file:///tmp/a.crl"), Some(Scheme::File));
        assert_eq!(scheme("ldap://x/cn=a"), None);
        assert_eq!(scheme("https://x"), None);
        assert_eq!(scheme("http"), None);
    }
}
