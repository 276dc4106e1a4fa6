//! PKCS#12 (.pfx/.p12) files, with the password the seeds were made with and with none.
#![no_main]

mod common;

use excert::formats::pkcs12;

/// The password scripts/fuzz gives the seed PFX files, so mutations get past the MAC.
const PASSWORD: &[u8] = b"fuzz";

fuzz_target!(|data| {
    let _ = pkcs12::read(data, Some(PASSWORD));
    let _ = pkcs12::read(data, None);
});
