//! What the core operations take and give: plain Rust values (a service set, a `Status`, dates,
//! bytes). No serde here: the C ABI's JSON requests and answers live in `ffi` and convert to and
//! from these. Each request has `Default`, so a caller names only what it sets:
//!
//! ```
//! # use excert::model::NewCertificateRequest;
//! # use excert::cert::services::Services;
//! let req = NewCertificateRequest {
//!     domain_name: vec!["mail.contoso.com".into()],
//!     services: Some(Services::IIS | Services::SMTP),
//!     ..Default::default()
//! };
//! # let _ = req;
//! ```

mod accepted_domain;
mod answers;
mod certificate;
mod requests;
pub use accepted_domain::*;
pub use answers::*;
pub use certificate::*;
pub use requests::*;

/// Schema number carried by every JSON answer; raised when an answer changes incompatibly.
pub const SCHEMA: u32 = 1;
