//! A real CA made with the openssl CLI in a temporary folder, shared by the formats and chain
//! tests: root (RSA) → intermediate (ECDSA P-256, pathlen 0) → leaf (RSA, SANs copied from the
//! request with `openssl x509 -req -copy_extensions copy`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use tempfile::TempDir;

/// Runs openssl in `dir`, panicking with its stderr when it fails.
pub fn openssl(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the openssl CLI must be installed for these tests");
    assert!(
        out.status.success(),
        "openssl {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The CA and its files.
pub struct Ca {
    pub dir: TempDir,
    /// Serial and database files are shared by every signing; tests run in parallel.
    lock: Mutex<()>,
}

const CA_CNF: &str = "\
[ ca ]
default_ca = CA_default
[ CA_default ]
database = index.txt
new_certs_dir = newcerts
serial = serial
default_md = sha256
policy = policy_any
copy_extensions = copy
unique_subject = no
[ policy_any ]
commonName = supplied
";

impl Ca {
    /// Makes root, intermediate and leaf, plus `chain.pem` (leaf, intermediate, root).
    pub fn new() -> Ca {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        openssl(
            d,
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "root.key",
                "-out",
                "root.pem",
                "-subj",
                "/O=Excert Test/CN=Excert Test Root",
                "-days",
                "3650",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ],
        );
        openssl(
            d,
            &[
                "req",
                "-new",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                "int.key",
                "-out",
                "int.csr",
                "-subj",
                "/O=Excert Test/CN=Excert Test Intermediate",
                "-addext",
                "basicConstraints=critical,CA:TRUE,pathlen:0",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ],
        );
        openssl(
            d,
            &[
                "x509",
                "-req",
                "-in",
                "int.csr",
                "-CA",
                "root.pem",
                "-CAkey",
                "root.key",
                "-set_serial",
                "2",
                "-copy_extensions",
                "copy",
                "-days",
                "1825",
                "-out",
                "int.pem",
            ],
        );
        openssl(
            d,
            &[
                "req",
                "-new",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "leaf.key",
                "-out",
                "leaf.csr",
                "-subj",
                "/CN=mail.contoso.com",
                "-addext",
                "subjectAltName=DNS:mail.contoso.com,DNS:autodiscover.contoso.com",
            ],
        );
        let ca = Ca {
            dir,
            lock: Mutex::new(()),
        };
        ca.sign("leaf.csr", "int", "leaf.pem", 365);
        let chain = [ca.read("leaf.pem"), ca.read("int.pem"), ca.read("root.pem")].concat();
        std::fs::write(ca.path("chain.pem"), chain).unwrap();
        std::fs::create_dir_all(ca.path("newcerts")).unwrap();
        std::fs::write(ca.path("index.txt"), "").unwrap();
        std::fs::write(ca.path("serial"), "1000\n").unwrap();
        std::fs::write(ca.path("ca.cnf"), CA_CNF).unwrap();
        ca
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path(name)).unwrap()
    }

    /// Runs openssl in the CA's folder.
    pub fn openssl(&self, args: &[&str]) -> Vec<u8> {
        openssl(self.dir.path(), args)
    }

    /// The leaf with its key and the intermediate as openssl's `pkcs12 -export` writes them
    /// (`extra` adds flags such as `-legacy`), protected by `password`.
    pub fn leaf_pfx(&self, password: &str, extra: &[&str]) -> Vec<u8> {
        let pass = format!("pass:{password}");
        let mut args = vec!["pkcs12", "-export"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&[
            "-inkey",
            "leaf.key",
            "-in",
            "leaf.pem",
            "-certfile",
            "int.pem",
            "-passout",
            &pass,
        ]);
        self.openssl(&args)
    }

    /// DER of a PEM certificate file, converted by openssl (not by the code under test).
    pub fn der(&self, pem_file: &str) -> Vec<u8> {
        self.openssl(&["x509", "-in", pem_file, "-outform", "DER"])
    }

    /// Signs `csr` with CA `issuer` (`root` or `int`) via `x509 -req -copy_extensions copy`.
    pub fn sign(&self, csr: &str, issuer: &str, out: &str, days: u32) {
        let ca_pem = format!("{issuer}.pem");
        let ca_key = format!("{issuer}.key");
        let days = days.to_string();
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        self.openssl(&[
            "x509",
            "-req",
            "-in",
            csr,
            "-CA",
            &ca_pem,
            "-CAkey",
            &ca_key,
            "-CAcreateserial",
            "-copy_extensions",
            "copy",
            "-days",
            &days,
            "-out",
            out,
        ]);
    }

    /// Signs `csr` with CA `issuer` for an exact window (`YYYYMMDDHHMMSSZ`) via `openssl ca`,
    /// which openssl 3.0's `x509 -req` cannot do.
    pub fn sign_dated(&self, csr: &str, issuer: &str, out: &str, start: &str, end: &str) {
        let ca_pem = format!("{issuer}.pem");
        let ca_key = format!("{issuer}.key");
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        self.openssl(&[
            "ca",
            "-config",
            "ca.cnf",
            "-batch",
            "-notext",
            "-cert",
            &ca_pem,
            "-keyfile",
            &ca_key,
            "-startdate",
            start,
            "-enddate",
            end,
            "-in",
            csr,
            "-out",
            out,
        ]);
    }

    /// A new RSA key and request for `cn` with extra `-addext` values.
    pub fn request(&self, name: &str, cn: &str, addext: &[&str]) {
        let key = format!("{name}.key");
        let csr = format!("{name}.csr");
        let subj = format!("/CN={cn}");
        let mut args = vec![
            "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", &key, "-out", &csr, "-subj",
            &subj,
        ];
        for e in addext {
            args.push("-addext");
            args.push(e);
        }
        self.openssl(&args);
    }
}

/// Every PEM certificate `openssl <cmd> -print_certs` prints, as DER via openssl, in order.
pub fn printed_certs(ca: &Ca, printed: &[u8]) -> Vec<Vec<u8>> {
    let text = String::from_utf8(printed.to_vec()).unwrap();
    let mut out = Vec::new();
    let mut rest = text.as_str();
    let begin = "-----BEGIN CERTIFICATE-----";
    let end = "-----END CERTIFICATE-----";
    static FILES: AtomicUsize = AtomicUsize::new(0);
    while let Some(b) = rest.find(begin) {
        let e = rest[b..].find(end).unwrap() + b + end.len();
        let file = format!("printed-{}.pem", FILES.fetch_add(1, Ordering::Relaxed));
        std::fs::write(ca.path(&file), &rest[b..e]).unwrap();
        out.push(ca.der(&file));
        rest = &rest[e..];
    }
    out
}
