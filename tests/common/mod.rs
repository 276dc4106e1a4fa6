//! Helpers shared by the integration tests, one per job: a temporary store, the openssl CLI,
//! writing a file, Base64 both ways, thumbprints, and the core's typed values from text.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A temporary store folder, removed when dropped.
pub struct TempStore {
    pub dir: tempfile::TempDir,
}

impl TempStore {
    /// A fresh store folder, 0700 as excert makes its own (tempfile's are 0755).
    pub fn new() -> TempStore {
        let dir = tempfile::tempdir().expect("temp dir");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))
                .expect("chmod");
        }
        TempStore { dir }
    }

    pub fn root(&self) -> String {
        self.dir.path().to_string_lossy().into_owned()
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// Runs openssl with `args`, feeding nothing; panics with its stderr when it fails.
pub fn openssl(args: &[&str]) -> String {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl is installed");
    assert!(
        out.status.success(),
        "openssl {:?} failed: {}",
        args,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Writes `bytes` to `dir/name` and returns the path as a string.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p: PathBuf = dir.join(name);
    std::fs::write(&p, bytes).expect("write test file");
    p.to_string_lossy().into_owned()
}

/// Base64 encode (standard alphabet, padded), as the C ABI's requests carry bytes.
pub fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A thumbprint as the store names entries: the SHA-1 of the DER, upper-case hex.
pub fn thumbprint(der: &[u8]) -> String {
    use sha1::Digest;
    sha1::Sha1::digest(der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

/// Base64 decode (standard alphabet).
pub fn unb64(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .expect("base64")
}

/// `IIS, SMTP` as the core's service set.
#[allow(dead_code)]
pub fn services(text: &str) -> excert::cert::services::Services {
    excert::cert::services::Services::parse(text).unwrap()
}

/// `ECDSA_P256` as the core's key algorithm.
#[allow(dead_code)]
pub fn algorithm(text: &str) -> excert::cert::keys::KeyAlgorithm {
    excert::cert::keys::KeyAlgorithm::parse(text).unwrap()
}

/// `C=US,CN=mail.contoso.com` as the core's subject.
#[allow(dead_code)]
pub fn subject(text: &str) -> excert::cert::names::Subject {
    excert::cert::names::Subject::parse(text).unwrap()
}

/// An RFC 3339 date.
#[allow(dead_code)]
pub fn date(text: &str) -> time::OffsetDateTime {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).unwrap()
}

/// Hex digits as bytes.
#[allow(dead_code)]
pub fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// A new ECDSA P-256 certificate on server EX01 with these services (`None`: none); its
/// thumbprint. The quickest certificate to make, for tests about the store rather than the key.
pub fn new_ecdsa_on_ex01(store: &TempStore, services: &str) -> String {
    excert::ops::new_certificate(&excert::model::NewCertificateRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        key_algorithm: Some(algorithm("ECDSA_P256")),
        services: Some(self::services(services)),
        ..Default::default()
    })
    .unwrap()
    .certificate
    .thumbprint
}

/// Server EX01's listing: its certificates and warnings.
pub fn list_ex01(store: &TempStore) -> excert::model::ListAnswer {
    excert::ops::list_certificates(&excert::model::ListRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        ..Default::default()
    })
    .unwrap()
}
