//! The system's bundle of trusted roots.

/// Bundle files of the common Unix layouts, first found wins (as OpenSSL's builds do).
const SYSTEM_BUNDLES: [&str; 5] = [
    "/etc/ssl/certs/ca-certificates.crt", // Debian, Ubuntu, Arch, Gentoo
    "/etc/pki/tls/certs/ca-bundle.crt",   // Fedora, RHEL
    "/etc/ssl/ca-bundle.pem",             // openSUSE
    "/etc/pki/tls/cacert.pem",            // OpenELEC
    "/etc/ssl/cert.pem",                  // macOS, Alpine, BSDs
];

/// The bundle's bytes: `SSL_CERT_FILE` when set, else the first system bundle found; None when
/// there is none or it cannot be read (then nothing is trusted but the organization's roots).
pub fn read() -> Option<Vec<u8>> {
    let path = match std::env::var_os("SSL_CERT_FILE") {
        Some(p) if !p.is_empty() => std::path::PathBuf::from(p),
        _ => SYSTEM_BUNDLES
            .iter()
            .map(std::path::PathBuf::from)
            .find(|p| p.is_file())?,
    };
    std::fs::read(path).ok()
}
