//! PEM text: blocks, labels, headers, Base64.
#![no_main]

mod common;

use excert::formats::pem;

fuzz_target!(|data| {
    let _ = pem::is_pem(data);
    if let Ok(blocks) = pem::parse(data) {
        // What parsed must encode and parse back to the same blocks.
        let text = pem::encode_many(&blocks);
        let again = pem::parse(text.as_bytes()).expect("encoded PEM parses back");
        assert_eq!(blocks.len(), again.len());
        for (a, b) in blocks.iter().zip(again.iter()) {
            assert_eq!(a.label, b.label);
            assert_eq!(a.data, b.data);
        }
    }
});
