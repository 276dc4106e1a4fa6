//! The password of a PKCS#12 file in the encodings its algorithms take.

use zeroize::Zeroizing;

use super::hash::bmp_password;

/// A password in the two encodings PKCS#12 files use: BMPString for the PKCS#12 KDF and MAC,
/// raw bytes (UTF-8) for PBKDF2, as OpenSSL and .NET do.
pub(crate) struct Password {
    pub(crate) bmp: Zeroizing<Vec<u8>>,
    pub(crate) raw: Zeroizing<Vec<u8>>,
}

impl Password {
    /// The one encoding a writer uses.
    pub(crate) fn for_writing(password: &str) -> Password {
        Password {
            bmp: bmp_password(password),
            raw: Zeroizing::new(password.as_bytes().to_vec()),
        }
    }

    /// Every encoding a reader should try, most likely first. An absent or empty password is
    /// tried both as an empty BMPString with its terminator (OpenSSL) and as no bytes at all
    /// (Windows, .NET); a non-ASCII one also byte by byte, as OpenSSL 1.x encoded it.
    pub(crate) fn candidates(password: Option<&[u8]>) -> Vec<Password> {
        let raw = password.unwrap_or_default();
        let bytewise = || {
            let mut bmp = Zeroizing::new(Vec::with_capacity(raw.len() * 2 + 2));
            for &b in raw {
                bmp.extend_from_slice(&[0, b]);
            }
            bmp.extend_from_slice(&[0, 0]);
            Password {
                bmp,
                raw: Zeroizing::new(raw.to_vec()),
            }
        };
        if raw.is_empty() {
            return vec![
                Password::for_writing(""),
                Password {
                    bmp: Zeroizing::new(Vec::new()),
                    raw: Zeroizing::new(Vec::new()),
                },
            ];
        }
        match std::str::from_utf8(raw) {
            Ok(s) if s.is_ascii() => vec![Password::for_writing(s)],
            Ok(s) => vec![Password::for_writing(s), bytewise()],
            Err(_) => vec![bytewise()],
        }
    }
}
