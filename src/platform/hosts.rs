//! This host's name and its hosts file.

/// The host name as the kernel has it (may be short or dotted).
pub fn host_name() -> String {
    gethostname::gethostname().to_string_lossy().into_owned()
}

/// The text of `/etc/hosts`, or None when it cannot be read.
pub fn hosts_file() -> Option<String> {
    std::fs::read_to_string("/etc/hosts").ok()
}
