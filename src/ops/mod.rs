//! Operations: one function per cmdlet verb, over the store, each in its own file. They take
//! and give the typed values of `model`; the FFI layer turns JSON into those and back.

mod accepted_domain;
mod assign;
mod describe;
mod enable;
mod export;
mod get;
mod identity;
mod import;
mod list;
mod new;
mod remove;
mod renew;
mod request;
mod validate;

pub use crate::model::Renewed;
pub use crate::store::Wanted;
pub use accepted_domain::{
    certificate_names as accepted_domain_names, list_accepted_domains, new_accepted_domain,
    remove_accepted_domain,
};
pub use assign::{assign, release};
pub use describe::{describe, rfc3339, rfc3339_whole_seconds, Trust};
pub use enable::enable;
pub use export::export;
pub use get::{get_certificate, get_certificate_with, list_or_not_found};
pub use identity::{
    resolve as resolve_identity, resolve_required as resolve_required_identity, Identity,
};
pub use import::import;
pub use list::list_certificates;
pub use new::new_certificate;
pub use remove::remove;
pub use renew::renew;
pub use request::new_request;

use crate::cert::normalize_thumbprint;
use crate::store::{Entry, ServerStore, Store};
use crate::Result;

/// Exchange's default friendly name.
pub const DEFAULT_FRIENDLY_NAME: &str = "Microsoft Exchange";
/// The longest friendly name Exchange accepts.
pub const MAX_FRIENDLY_NAME: usize = 63;
/// Days before expiry that raise a warning, as Exchange's EAC.
pub const DEFAULT_EXPIRY_WARNING_DAYS: u32 = 30;

/// The store, the server and the entry a request names by thumbprint; `NotFound` if absent.
fn find(
    store_root: Option<&str>,
    server: Option<&str>,
    thumbprint: &str,
) -> Result<(Store, ServerStore, Entry)> {
    let store = Store::open(store_root)?;
    let server = store.server(server)?;
    let thumb = normalize_thumbprint(thumbprint)?;
    let entry = server
        .get(&thumb)?
        .ok_or_else(|| crate::store::not_found(server.name(), &thumb))?;
    Ok((store, server, entry))
}
