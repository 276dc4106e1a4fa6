//! What the core reads from the host it runs on, kept here so `cert/` and `ops/` stay pure:
//! this host's name and `/etc/hosts`, the system's trusted-root bundle, and the files a caller
//! names for an import's input or an export's output.

pub mod hosts;
pub mod input_file;
pub mod output_file;
pub mod trust_bundle;
