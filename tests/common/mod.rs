//! Helpers shared by the integration tests: a temporary store and the openssl CLI.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A temporary store folder, removed when dropped.
pub struct TempStore {
    pub dir: tempfile::TempDir,
}

impl TempStore {
    pub fn new() -> TempStore {
        TempStore {
            dir: tempfile::tempdir().expect("temp dir"),
        }
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

/// Base64 decode (standard alphabet).
pub fn unb64(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .expect("base64")
}

/// A two-level CA made with the openssl CLI: root → intermediate, which signs requests.
pub struct TestCa {
    pub dir: tempfile::TempDir,
}

impl TestCa {
    pub fn new() -> TestCa {
        let ca = TestCa {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        let d = ca.path("");
        let ext = write(
            ca.dir.path(),
            "ca.ext",
            b"[ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n",
        );
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            &format!("{d}root.key"),
            "-out",
            &format!("{d}root.pem"),
            "-subj",
            "/C=US/O=Contoso Test/CN=Contoso Test Root",
            "-days",
            "3650",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ]);
        openssl(&[
            "req",
            "-new",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            &format!("{d}int.key"),
            "-out",
            &format!("{d}int.csr"),
            "-subj",
            "/C=US/O=Contoso Test/CN=Contoso Test Issuing CA",
        ]);
        openssl(&[
            "x509",
            "-req",
            "-in",
            &format!("{d}int.csr"),
            "-CA",
            &format!("{d}root.pem"),
            "-CAkey",
            &format!("{d}root.key"),
            "-CAcreateserial",
            "-days",
            "3650",
            "-extfile",
            &ext,
            "-extensions",
            "ca",
            "-out",
            &format!("{d}int.pem"),
        ]);
        ca
    }

    /// Absolute path of a file in the CA folder.
    pub fn path(&self, name: &str) -> String {
        format!("{}/{name}", self.dir.path().display())
    }

    /// Signs a PEM or DER request with the intermediate, copying its extensions; returns the
    /// issued certificate as PEM.
    pub fn sign(&self, request: &[u8], days: &str) -> String {
        let inform = if request.starts_with(b"-----") {
            "PEM"
        } else {
            "DER"
        };
        let req = write(self.dir.path(), "req.in", request);
        let out = self.path("issued.pem");
        openssl(&[
            "x509",
            "-req",
            "-inform",
            inform,
            "-in",
            &req,
            "-CA",
            &self.path("int.pem"),
            "-CAkey",
            &self.path("int.key"),
            "-CAcreateserial",
            "-days",
            days,
            "-copy_extensions",
            "copy",
            "-out",
            &out,
        ]);
        std::fs::read_to_string(out).unwrap()
    }

    /// The root and intermediate as PEM text.
    pub fn root_pem(&self) -> String {
        std::fs::read_to_string(self.path("root.pem")).unwrap()
    }

    pub fn intermediate_pem(&self) -> String {
        std::fs::read_to_string(self.path("int.pem")).unwrap()
    }
}
