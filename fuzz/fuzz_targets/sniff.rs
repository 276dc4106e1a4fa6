//! The importer's format sniffing: what kind the data is, its binary form, its certificates.
#![no_main]

mod common;

use excert::formats::sniff;

fuzz_target!(|data| {
    let kind = sniff::kind(data);
    let bin = sniff::binary(data);
    let _ = sniff::kind(&bin);
    if let Ok(certs) = sniff::certificates(data) {
        assert!(
            !certs.is_empty(),
            "certificates() returned Ok with no certificate"
        );
        // Its contract: each one parses as X.509.
        for der in &certs {
            excert::cert::inspect::parse(der).expect("a sniffed certificate parses");
        }
        // The importer routes by kind first: data with certificates in it must not be sent to
        // the PKCS#12 reader or refused as a request.
        assert!(
            !matches!(kind, sniff::Kind::Pkcs12 | sniff::Kind::CertificateRequest),
            "certificates() found {} but kind() says {kind:?}",
            certs.len()
        );
    }
});
