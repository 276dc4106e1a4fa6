//! Encodings certificates and keys travel in. Bytes in, bytes out; no I/O.

pub mod pem;
pub mod pkcs12;
pub mod pkcs7;
pub mod sniff;
pub mod text;
