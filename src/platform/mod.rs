//! What the core reads from the host it runs on, kept here so `cert/` and `ops/` stay pure:
//! this host's name and `/etc/hosts`, and the system's trusted-root bundle.

pub mod hosts;
pub mod trust_bundle;
