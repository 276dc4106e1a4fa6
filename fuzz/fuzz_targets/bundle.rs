//! The certificates one import takes and the chains built from them (docs/security.md): at most
//! `formats::MAX_CERTIFICATES`, and each chain holds only certificates that issued the one
//! below them, without repeats.
#![no_main]

mod common;

use excert::cert::issuers::Bundle;
use excert::formats::{sniff, MAX_CERTIFICATES};

fuzz_target!(|data| {
    let Ok(certs) = sniff::certificates(data) else {
        return;
    };
    assert!(
        certs.len() <= MAX_CERTIFICATES,
        "{} certificates taken",
        certs.len()
    );
    let mut bundle = Bundle::new(&certs);
    for leaf in bundle.end_entities() {
        let chain = bundle.issuers_of(leaf);
        assert!(!chain.contains(&leaf), "a certificate in its own chain");
        let mut seen = chain.clone();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), chain.len(), "a certificate twice in one chain");
    }
});
