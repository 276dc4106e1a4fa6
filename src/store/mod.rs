//! The on-disk store, the only module of the core that does I/O. Its layout (every folder and
//! file, their names and modes) is described once, in `docs/store.md`: change both together.
//! Each file here does one job:
//!
//! | file | job |
//! |---|---|
//! | `root`         | where the store is, its servers, the organisation's certificates |
//! | `server_names` | which server names are accepted, their folders, a server's FQDN |
//! | `server`       | one server's folder and the paths in it |
//! | `entry`        | a stored entry and reading it |
//! | `metadata`     | the `entry` file's codec |
//! | `assignments`  | the `assignments` file's codec |
//! | `meta`         | the `key=value` text format both use |
//! | `listing`      | listing entries (index cache + generation seqlock) |
//! | `index`        | the listing index's codec |
//! | `generation`   | the counter writers move around each change (the seqlock) |
//! | `lock`         | the writer lock |
//! | `writer`       | add, set assignments, remove (under the lock) |
//! | `repair`       | clearing and finishing what crashed writers left |
//! | `live`         | the per-service live files daemons read |
//! | `reload`       | running reload commands |
//! | `atomic`       | crash-safe file writes |
//! | `files`        | reading files and judging their permissions |
//! | `checks`       | what a store path must be: type, owner, mode, and the fix |
//! | `permissions`  | warnings naming each store path that fails its check |
//! | `accepted_domains` | the organisation's accepted domains |
//! | `audit`        | a server's audit trail |
//! | `revocation_cache` | the organisation's cached CRLs and OCSP answers |
//! | `signatures`   | leaf signatures already verified, remembered between listings |

pub mod accepted_domains;
mod assignments;
mod atomic;
pub mod audit;
mod checks;
mod entry;
mod files;
mod generation;
mod index;
mod listing;
mod live;
mod lock;
mod meta;
mod metadata;
mod permissions;
mod reload;
mod repair;
mod revocation_cache;
mod root;
mod server;
mod server_names;
mod signatures;
mod writer;

pub use assignments::Assignments;
pub use atomic::{DIR_MODE, SECRET_MODE};
pub use entry::{Entry, NewEntry};
pub use index::Wanted;
pub use live::{live_holder, LIVE_SERVICES};
pub use lock::WriteLock;
pub use metadata::{Metadata, Source};
pub use revocation_cache::{read_capped, RevocationCache};
pub use root::{OrgCertificates, Store};
pub use server::{not_found, ServerStore};
pub use signatures::MAX_REMEMBERED_SIGNATURES;

use lock::{take_lock, LOCK_FILE};
