//! PKCS#7 SignedData certificate chains (.p7b/.p7c), DER and BER.
#![no_main]

mod common;

use excert::formats::pkcs7;

fuzz_target!(|data| {
    let _ = pkcs7::looks_like_pkcs7(data);
    if let Ok(certs) = pkcs7::read_certificates(data) {
        // Whatever was read must write back and read the same.
        if let Ok(out) = pkcs7::certs_only(&certs) {
            let again = pkcs7::read_certificates(&out).expect("a written PKCS#7 reads back");
            assert_eq!(certs, again);
        }
    }
});
