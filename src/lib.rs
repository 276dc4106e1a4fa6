//! excert: Exchange Server's certificate management as a Rust library with a C ABI.
//!
//! The safe core (`cert`, `formats`, `store`, `ops`) knows nothing of C or JSON; `ffi` is the
//! only place with `unsafe` and the only one that speaks JSON.
#![deny(unsafe_code)]

pub mod cert;
pub mod error;
pub mod formats;
pub mod model;
pub mod ops;
pub mod platform;
pub mod revocation;
pub mod store;

#[allow(unsafe_code)]
pub mod ffi;

pub use error::{Code, Error, Result};
