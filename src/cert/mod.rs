//! Certificates: names, keys, building and reading. Bytes in, values out; no I/O.

mod any_der;
pub mod build;
pub mod chain;
pub mod dn_display;
mod dotnet_names;
pub mod host;
pub mod inspect;
pub mod issuers;
pub mod keys;
pub mod names;
mod primes;
mod public_key;
pub mod services;
mod signature;

/// Upper-case hex, as Windows prints thumbprints, serials and key identifiers.
pub fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// The thumbprint of a DER certificate: SHA-1 of the DER, upper-case hex.
pub fn thumbprint(der: &[u8]) -> String {
    use sha1::{Digest, Sha1};
    hex_upper(&Sha1::digest(der))
}

/// Normalises a thumbprint typed by a user: case-insensitive, spaces and colons ignored.
pub fn normalize_thumbprint(input: &str) -> crate::Result<String> {
    let t: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ':')
        .flat_map(char::to_uppercase)
        .collect();
    if t.len() != 40 || !t.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(crate::Error::invalid(format!(
            "'{input}' is not a thumbprint: give the 40 hexadecimal digits of the certificate's SHA-1 thumbprint, as Get-ExchangeCertificate shows it"
        )));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbprints_are_normalised() {
        let t = "a909502dd82ae41433e6f83886b00d4277a32a7b";
        assert_eq!(
            normalize_thumbprint(&format!(" {t} ")).unwrap(),
            t.to_uppercase()
        );
        assert_eq!(
            normalize_thumbprint("A9 09 50 2D D8 2A E4 14 33 E6 F8 38 86 B0 0D 42 77 A3 2A 7B")
                .unwrap(),
            t.to_uppercase()
        );
        assert!(normalize_thumbprint("A909").is_err());
        assert!(normalize_thumbprint(&"G".repeat(40)).is_err());
        // The SHA-1 of "abc" (FIPS 180 example).
        assert_eq!(
            thumbprint(b"abc"),
            "A9993E364706816ABA3E25717850C26C9CD0D89D"
        );
    }
}
