//! Encodings certificates and keys travel in. Bytes in, bytes out; no I/O.

pub(crate) mod der;
pub mod pem;
pub mod pkcs12;
pub mod pkcs7;
pub mod sniff;
pub mod text;

use crate::{Error, Result};

/// The largest file an import reads: 8 MiB. Certificate files are kilobytes and the biggest
/// CA bundles under 1 MB; a larger input is refused before it is decoded or copied, so a
/// crafted one cannot fill the host's memory.
pub const MAX_INPUT_BYTES: usize = 8 * 1024 * 1024;

/// The most certificates (and, in a PFX, private keys) one import takes.
pub const MAX_CERTIFICATES: usize = 1000;

/// Refuses an input of `len` bytes above `MAX_INPUT_BYTES`, naming the limit.
pub fn check_input_size(len: usize) -> Result<()> {
    if len > MAX_INPUT_BYTES {
        return Err(input_too_large(len as u64));
    }
    Ok(())
}

/// The error for an input of `len` bytes, above `MAX_INPUT_BYTES`.
pub fn input_too_large(len: u64) -> Error {
    Error::invalid(format!(
        "the file is {len} bytes, more than the {MAX_INPUT_BYTES} bytes (8 MiB) an import \
         reads: certificate, chain and PFX files are far smaller; check that it is the \
         right file, or split a bundle into several imports"
    ))
}

/// Refuses a file holding more than `MAX_CERTIFICATES` certificates or keys.
pub(crate) fn check_count(n: usize, what: &str) -> Result<()> {
    if n > MAX_CERTIFICATES {
        return Err(Error::invalid(format!(
            "the file holds more than {MAX_CERTIFICATES} {what}, the most one import takes: \
             split it into several imports (a server needs one certificate with its chain)"
        )));
    }
    Ok(())
}
