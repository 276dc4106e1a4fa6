//! `Identity` as Exchange writes it: `SERVER\THUMBPRINT`, or a bare thumbprint. The server part
//! is a name or an FQDN, resolved as `Server` is; the thumbprint is checked where it is used.

use crate::formats::text::escaped_control;
use crate::{Error, Result};

/// A certificate named by identity: the server when the identity names one, and the thumbprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub server: Option<String>,
    pub thumbprint: String,
}

impl Identity {
    /// Splits at the last backslash (`EX01\AB12…`); without one the whole text is the
    /// thumbprint. An empty server part (`\AB12…`) names no server.
    pub fn parse(text: &str) -> Result<Identity> {
        let (server, thumbprint) = match text.rsplit_once('\\') {
            Some((server, thumbprint)) => ((!server.is_empty()).then_some(server), thumbprint),
            None => (None, text),
        };
        if thumbprint.trim().is_empty() {
            return Err(Error::invalid(format!(
                "The Identity '{}' names no thumbprint; give it as 'Server\\Thumbprint'.",
                shown(text)
            )));
        }
        Ok(Identity {
            server: server.map(str::to_string),
            thumbprint: thumbprint.to_string(),
        })
    }
}

/// The server and thumbprint a request names: its `Identity`, or its `Server` and `Thumbprint`.
/// An identity's server wins over `Server` (as `-Identity` with `-Server` always did); an
/// identity beside a thumbprint is refused, since the two could disagree.
pub fn resolve(
    identity: Option<&str>,
    server: Option<String>,
    thumbprint: Option<String>,
) -> Result<(Option<String>, Option<String>)> {
    let Some(identity) = identity else {
        return Ok((server, thumbprint));
    };
    if thumbprint.is_some() {
        return Err(Error::invalid(
            "the request has both an Identity and a Thumbprint: give one of them (Identity \
             'Server\\Thumbprint', or Thumbprint with Server)",
        ));
    }
    let parsed = Identity::parse(identity)?;
    Ok((parsed.server.or(server), Some(parsed.thumbprint)))
}

/// As `resolve`, for the operations that need a certificate: one of the two must be given.
pub fn resolve_required(
    identity: Option<&str>,
    server: Option<String>,
    thumbprint: Option<String>,
) -> Result<(Option<String>, String)> {
    match resolve(identity, server, thumbprint)? {
        (server, Some(thumbprint)) => Ok((server, thumbprint)),
        (_, None) => Err(Error::invalid(
            "the request names no certificate: give its Thumbprint (with Server), or its Identity \
             'Server\\Thumbprint'",
        )),
    }
}

/// The identity as an error shows it: control characters escaped, at most 200 characters.
fn shown(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == 200 {
            out.push('…');
            break;
        }
        match escaped_control(c) {
            Some(escaped) => out.push_str(&escaped),
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Code;

    #[test]
    fn splits_server_and_thumbprint() {
        let id = Identity::parse("EX01\\AB12").unwrap();
        assert_eq!(id.server.as_deref(), Some("EX01"));
        assert_eq!(id.thumbprint, "AB12");
        let fqdn = Identity::parse("ex01.contoso.com\\ab 12").unwrap();
        assert_eq!(fqdn.server.as_deref(), Some("ex01.contoso.com"));
        assert_eq!(fqdn.thumbprint, "ab 12");
    }

    #[test]
    fn a_bare_thumbprint_or_an_empty_server_names_no_server() {
        assert_eq!(Identity::parse("AB12").unwrap().server, None);
        let id = Identity::parse("\\AB12").unwrap();
        assert_eq!((id.server, id.thumbprint.as_str()), (None, "AB12"));
    }

    #[test]
    fn the_last_backslash_splits() {
        let id = Identity::parse("A\\B\\CD").unwrap();
        assert_eq!(
            (id.server.as_deref(), id.thumbprint.as_str()),
            (Some("A\\B"), "CD")
        );
    }

    #[test]
    fn no_thumbprint_is_refused_with_the_identity_escaped() {
        for text in ["EX01\\", "EX01\\  ", "", " "] {
            let e = Identity::parse(text).unwrap_err();
            assert_eq!(e.code, Code::InvalidArgument, "{text:?}");
            assert!(e.message.contains("names no thumbprint"), "{}", e.message);
        }
        let e = Identity::parse("EX\u{1b}[31m\\").unwrap_err();
        assert!(e.message.contains("EX\\x1B[31m\\'"), "{}", e.message);
        assert!(!e.message.contains('\u{1b}'));
    }

    #[test]
    fn resolve_takes_the_identity_server_over_server() {
        let (server, thumb) = resolve(Some("EX02\\AB"), Some("EX01".into()), None).unwrap();
        assert_eq!(
            (server.as_deref(), thumb.as_deref()),
            (Some("EX02"), Some("AB"))
        );
        let (server, thumb) = resolve(Some("AB"), Some("EX01".into()), None).unwrap();
        assert_eq!(
            (server.as_deref(), thumb.as_deref()),
            (Some("EX01"), Some("AB"))
        );
        let (server, thumb) = resolve(None, Some("EX01".into()), Some("CD".into())).unwrap();
        assert_eq!(
            (server.as_deref(), thumb.as_deref()),
            (Some("EX01"), Some("CD"))
        );
    }

    #[test]
    fn resolve_refuses_identity_and_thumbprint_together() {
        let e = resolve(Some("EX01\\AB"), None, Some("AB".into())).unwrap_err();
        assert_eq!(e.code, Code::InvalidArgument);
        assert!(e.message.contains("both an Identity and a Thumbprint"));
    }

    #[test]
    fn resolve_required_needs_one_of_them() {
        let e = resolve_required(None, Some("EX01".into()), None).unwrap_err();
        assert_eq!(e.code, Code::InvalidArgument);
        assert!(e.message.contains("names no certificate"), "{}", e.message);
        assert_eq!(
            resolve_required(Some("EX01\\AB"), None, None).unwrap(),
            (Some("EX01".to_string()), "AB".to_string())
        );
    }
}
