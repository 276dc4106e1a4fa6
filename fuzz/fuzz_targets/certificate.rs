//! X.509 certificates: what `Get-ExchangeCertificate` shows of a DER certificate, and the
//! subject text a renewal copies from it.
#![no_main]

mod common;

use excert::cert::inspect;

fuzz_target!(|data| {
    if let Ok(info) = inspect::CertificateInfo::from_der(data) {
        // A certificate that reads must also give its subject text and re-parse.
        let again = inspect::CertificateInfo::from_der(data).expect("parses twice");
        assert_eq!(info, again);
    }
    let _ = inspect::subject_name_text(data);
});
