//! The JSON requests of the C ABI, field for field as `include/excert.h` documents them, and
//! their conversion to the core's typed requests, one file per family of operations. Private to
//! `ffi`: the core never sees them. One struct per request: serde cannot combine the shared
//! fields (`flatten`) with `deny_unknown_fields`.

mod accepted_domain;
mod change;
mod new;
mod query;
mod transfer;
pub(super) use accepted_domain::*;
pub(super) use change::*;
pub(super) use new::*;
pub(super) use query::*;
pub(super) use transfer::*;
