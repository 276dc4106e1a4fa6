//! CRLs and OCSP answers as a responder or the shared cache would hand them over. The input is
//! `[u16 BE length][issuer DER][u16 BE length][certificate DER][answer]`, so that seeds made
//! by a real CA carry valid signatures and the fuzzer reaches the checks behind them.
#![no_main]

mod common;

use excert::revocation::{crl, ocsp};
use x509_parser::prelude::{FromDer, X509Certificate};

fn split(data: &[u8]) -> Option<(&[u8], &[u8])> {
    let n = u16::from_be_bytes([*data.first()?, *data.get(1)?]) as usize;
    let rest = data.get(2..)?;
    Some((rest.get(..n)?, rest.get(n..)?))
}

fuzz_target!(|data| {
    let Some((issuer, rest)) = split(data) else {
        return;
    };
    let Some((cert, answer)) = split(rest) else {
        return;
    };
    let (Ok((_, issuer)), Ok((_, cert))) = (
        X509Certificate::from_der(issuer),
        X509Certificate::from_der(cert),
    ) else {
        return;
    };
    let now = time::OffsetDateTime::now_utc();
    if let Ok(list) = crl::check(answer, &issuer, now) {
        let _ = list.lookup(cert.raw_serial());
        let _ = list.covers(&cert);
    }
    let _ = ocsp::check(answer, &cert, &issuer, now);
    let _ = ocsp::request(&ocsp::CertId::new(&cert, &issuer));
});
