//! The DER encoding of a parsed value, rebuilt from its header and content: x509-parser hands
//! out values without their identifier and length, and .NET prints some values whole.

use x509_parser::der_parser::asn1_rs::{Any, Class, Length};

/// The DER encoding of a value (identifier, length, content), as .NET prints unknown types.
pub(crate) fn reencode(any: &Any<'_>) -> Vec<u8> {
    let class = match any.header.class() {
        Class::Universal => 0u8,
        Class::Application => 0x40,
        Class::ContextSpecific => 0x80,
        Class::Private => 0xC0,
    };
    let constructed = if any.header.constructed() { 0x20 } else { 0 };
    let tag = any.header.tag().0;
    let mut out = Vec::with_capacity(any.data.len() + 8);
    if tag < 31 {
        out.push(class | constructed | tag as u8);
    } else {
        out.push(class | constructed | 0x1F);
        let mut arcs = vec![(tag & 0x7F) as u8];
        let mut rest = tag >> 7;
        while rest > 0 {
            arcs.push(0x80 | (rest & 0x7F) as u8);
            rest >>= 7;
        }
        out.extend(arcs.iter().rev());
    }
    let len = match any.header.length() {
        Length::Definite(n) => n,
        Length::Indefinite => any.data.len(),
    };
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(any.data);
    out
}
