//! Certificates: names, keys, building, reading.

pub mod chain;
