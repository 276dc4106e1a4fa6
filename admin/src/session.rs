//! Sign-in and sessions: a one-time token (printed in the sign-in URL) is exchanged for a
//! session cookie; each session has its own CSRF token; sessions end after an idle time.

use rand::RngCore;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed sign-ins after which the token is burned (a new one needs a restart).
pub const MAX_SIGN_IN_FAILURES: u32 = 5;
/// Live sessions at most; the oldest idle one makes room.
const MAX_SESSIONS: usize = 64;

/// A random value of 32 bytes, as 64 hex characters.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Equality whose time does not depend on where the inputs differ.
pub fn same(a: &str, b: &str) -> bool {
    // Comparing digests keeps the time independent of the lengths too.
    let (x, y) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    x.iter()
        .zip(y.iter())
        .fold(0u8, |acc, (p, q)| acc | (p ^ q))
        == 0
}

/// Why a sign-in was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum SignInRefusal {
    /// Wrong or missing token.
    BadToken,
    /// The token was used already, or burned after too many failures.
    NoTokenLeft,
}

struct Session {
    csrf: String,
    last_seen: Instant,
}

/// Everything about who is signed in. Sessions are keyed by the SHA-256 of their cookie, so
/// the map holds no usable secret.
pub struct Auth {
    token: Mutex<Option<String>>,
    failures: Mutex<u32>,
    sessions: Mutex<HashMap<String, Session>>,
    idle: Duration,
    /// The account that started the admin center: every change is recorded under it.
    pub admin: String,
}

/// A signed-in session, as a request handler sees it.
#[derive(Clone, Debug)]
pub struct Signed {
    pub csrf: String,
}

fn key(cookie: &str) -> String {
    Sha256::digest(cookie.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Auth {
    pub fn new(token: String, idle: Duration, admin: String) -> Auth {
        Auth {
            token: Mutex::new(Some(token)),
            failures: Mutex::new(0),
            sessions: Mutex::new(HashMap::new()),
            idle,
            admin,
        }
    }

    /// Exchanges the one-time token for a new session cookie value.
    pub fn sign_in(&self, offered: Option<&str>) -> Result<String, SignInRefusal> {
        let mut token = self.token.lock().unwrap_or_else(|e| e.into_inner());
        let Some(expected) = token.as_deref() else {
            return Err(SignInRefusal::NoTokenLeft);
        };
        if !offered.is_some_and(|o| same(o, expected)) {
            let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
            *failures += 1;
            if *failures >= MAX_SIGN_IN_FAILURES {
                *token = None;
                eprintln!("excert-admin: {MAX_SIGN_IN_FAILURES} failed sign-ins: the sign-in token is void; restart excert-admin for a new sign-in URL");
            }
            return Err(SignInRefusal::BadToken);
        }
        *token = None;
        let cookie = random_token();
        let mut sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        sessions.retain(|_, s| now.duration_since(s.last_seen) < self.idle);
        if sessions.len() >= MAX_SESSIONS {
            if let Some(oldest) = sessions
                .iter()
                .min_by_key(|(_, s)| s.last_seen)
                .map(|(k, _)| k.clone())
            {
                sessions.remove(&oldest);
            }
        }
        sessions.insert(
            key(&cookie),
            Session {
                csrf: random_token(),
                last_seen: now,
            },
        );
        Ok(cookie)
    }

    /// The session of a cookie, if it is live; touching it restarts its idle time.
    pub fn session(&self, cookie: &str) -> Option<Signed> {
        let mut sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        let k = key(cookie);
        let now = Instant::now();
        let s = sessions.get_mut(&k)?;
        if now.duration_since(s.last_seen) >= self.idle {
            sessions.remove(&k);
            return None;
        }
        s.last_seen = now;
        Some(Signed {
            csrf: s.csrf.clone(),
        })
    }

    /// Ends a session.
    pub fn sign_out(&self, cookie: &str) {
        let mut sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        sessions.remove(&key(cookie));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth() -> Auth {
        Auth::new("t0k".into(), Duration::from_secs(60), "admin".into())
    }

    #[test]
    fn the_token_works_once() {
        let a = auth();
        let cookie = a.sign_in(Some("t0k")).unwrap();
        assert!(a.session(&cookie).is_some());
        assert_eq!(a.sign_in(Some("t0k")), Err(SignInRefusal::NoTokenLeft));
        a.sign_out(&cookie);
        assert!(a.session(&cookie).is_none());
    }

    #[test]
    fn wrong_tokens_burn_it() {
        let a = auth();
        for _ in 0..MAX_SIGN_IN_FAILURES {
            assert_eq!(a.sign_in(Some("nope")), Err(SignInRefusal::BadToken));
        }
        assert_eq!(a.sign_in(Some("t0k")), Err(SignInRefusal::NoTokenLeft));
    }

    #[test]
    fn idle_sessions_end() {
        let a = Auth::new("t".into(), Duration::ZERO, "admin".into());
        let cookie = a.sign_in(Some("t")).unwrap();
        assert!(a.session(&cookie).is_none());
    }

    #[test]
    fn same_compares_values() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
    }
}
