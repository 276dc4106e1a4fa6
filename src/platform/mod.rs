//! What the core reads from the host it runs on, kept here so `cert/` and `ops/` stay pure:
//! this host's name and `/etc/hosts`, the system's trusted-root bundle, and the files a caller
//! names for an import's input or an export's output.

pub mod hosts;
pub mod input_file;
pub mod output_file;
pub mod trust_bundle;

/// 128 random bits from the operating system, in hex: a temporary file's name that no one can
/// plant first (the store's and the caller's files alike).
pub fn random_hex() -> String {
    use rand::RngCore;
    let mut bits = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bits);
    bits.iter().map(|b| format!("{b:02x}")).collect()
}
