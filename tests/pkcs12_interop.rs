//! PKCS#12 interoperability with the real `openssl` CLI (3.0): OpenSSL reads what we write,
//! and we read what OpenSSL writes, in every common profile.

use std::path::{Path, PathBuf};
use std::process::Command;

use excert::formats::pkcs12::{
    self, Contents, Encryption, ExportItem, MacAlgorithm, Options, Profile,
};
use excert::Code;
use sha1::{Digest, Sha1};

/// A CA and a leaf it signed, made by openssl in a temp folder.
struct Fixture {
    dir: tempfile::TempDir,
    leaf_der: Vec<u8>,
    key_pkcs8: Vec<u8>,
    ca_der: Vec<u8>,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // An EC CA keeps the fixture fast; the leaf is RSA as most Exchange certificates are.
        let steps: [(&str, &[&str]); 6] = [
            (
                "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key \
                 -out ca.pem -days 30",
                &["-subj", "/CN=Contoso Test CA"],
            ),
            (
                "req -new -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr",
                &["-subj", "/CN=mail.contoso.com"],
            ),
            (
                "x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out leaf.pem \
                 -days 30",
                &[],
            ),
            ("x509 -in leaf.pem -outform DER -out leaf.der", &[]),
            ("x509 -in ca.pem -outform DER -out ca.der", &[]),
            (
                "pkcs8 -topk8 -nocrypt -in leaf.key -outform DER -out leaf.p8",
                &[],
            ),
        ];
        for (words, extra) in steps {
            let words: Vec<&str> = words.split_whitespace().collect();
            openssl(d, &words).args(extra).ok();
        }
        Fixture {
            leaf_der: std::fs::read(d.join("leaf.der")).unwrap(),
            key_pkcs8: std::fs::read(d.join("leaf.p8")).unwrap(),
            ca_der: std::fs::read(d.join("ca.der")).unwrap(),
            dir,
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The leaf's public key as openssl prints it from a key file.
    fn public_key_of(&self, key_file: &str, inform: &str) -> Vec<u8> {
        openssl(
            self.dir.path(),
            &["pkey", "-in", key_file, "-inform", inform, "-pubout"],
        )
        .args(["-outform", "DER"])
        .ok()
    }

    /// `openssl pkcs12 -export` with extra arguments; returns the file's bytes.
    fn openssl_export(&self, name: &str, password: &str, extra: &[&str]) -> Vec<u8> {
        let pass = format!("pass:{password}");
        openssl(self.dir.path(), &["pkcs12", "-export", "-in", "leaf.pem"])
            .args([
                "-inkey",
                "leaf.key",
                "-certfile",
                "ca.pem",
                "-name",
                "Contoso mail",
            ])
            .args(["-passout", &pass, "-out", name])
            .args(extra)
            .ok();
        std::fs::read(self.path(name)).unwrap()
    }

    fn write_ours(&self, name: &str, bytes: &[u8]) {
        std::fs::write(self.path(name), bytes).unwrap();
    }

    fn item(&self) -> ExportItem<'_> {
        ExportItem {
            certificate_der: &self.leaf_der,
            private_key_pkcs8: Some(&self.key_pkcs8),
            chain_der: std::slice::from_ref(&self.ca_der),
            friendly_name: Some("Contoso mail"),
        }
    }

    /// Checks what we read from an OpenSSL file: leaf, chain, key, friendly name, key id.
    fn check_read(&self, c: &Contents) {
        assert_eq!(c.certificates.len(), 2, "leaf and CA");
        let leaf = c
            .certificates
            .iter()
            .find(|b| b.der == self.leaf_der)
            .expect("leaf certificate read back byte for byte");
        assert!(c.certificates.iter().any(|b| b.der == self.ca_der));
        assert_eq!(leaf.friendly_name.as_deref(), Some("Contoso mail"));
        assert_eq!(c.keys.len(), 1);
        assert_eq!(&c.keys[0].pkcs8[..], &self.key_pkcs8[..], "same PKCS#8 key");
        assert_eq!(leaf.local_key_id, c.keys[0].local_key_id);
        assert!(leaf.local_key_id.is_some());
    }
}

struct Run(Command);

impl Run {
    fn args<I: IntoIterator<Item = S>, S: AsRef<std::ffi::OsStr>>(mut self, a: I) -> Run {
        self.0.args(a);
        self
    }

    /// Runs and insists on success; returns stdout.
    fn ok(mut self) -> Vec<u8> {
        let out = self.0.output().expect("the openssl CLI must be installed");
        assert!(
            out.status.success(),
            "openssl failed: {:?}\n{}",
            self.0,
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    /// Runs; returns (success, stdout + stderr).
    fn result(mut self) -> (bool, String) {
        let out = self.0.output().expect("the openssl CLI must be installed");
        let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&out.stderr));
        (out.status.success(), text)
    }
}

fn openssl(dir: &Path, args: &[&str]) -> Run {
    let mut c = Command::new("openssl");
    c.current_dir(dir).args(args);
    Run(c)
}

fn hex_spaced(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02X} ")).collect::<String>()
}

/// OpenSSL decrypts our file; the certificates, the key and the attributes match.
fn openssl_reads_ours(profile: Profile, legacy_flag: bool, password: &str) -> String {
    let f = Fixture::new();
    let pfx = pkcs12::write(&f.item(), password.as_bytes(), profile, 2048).unwrap();
    f.write_ours("ours.pfx", &pfx);
    let pass = format!("pass:{password}");
    let mut args = vec!["pkcs12", "-in", "ours.pfx", "-passin", &pass, "-nodes"];
    if legacy_flag {
        args.push("-legacy");
    }
    let all = openssl(f.dir.path(), &args).args(["-out", "all.pem"]).ok();
    assert!(all.is_empty());
    let text = std::fs::read_to_string(f.path("all.pem")).unwrap();
    let blocks = pem::parse_many(&text).unwrap();
    let certs: Vec<&[u8]> = blocks
        .iter()
        .filter(|b| b.tag() == "CERTIFICATE")
        .map(|b| b.contents())
        .collect();
    assert_eq!(
        certs,
        vec![&f.leaf_der[..], &f.ca_der[..]],
        "leaf then chain"
    );
    assert_eq!(
        f.public_key_of("all.pem", "PEM"),
        f.public_key_of("leaf.key", "PEM"),
        "openssl finds the same key"
    );
    assert!(text.contains("friendlyName: Contoso mail"), "{text}");
    let key_id = format!("localKeyID: {}", hex_spaced(&Sha1::digest(&f.leaf_der)));
    assert_eq!(
        text.matches(key_id.trim_end()).count(),
        2,
        "leaf and key share the id"
    );
    let mut info = vec![
        "pkcs12", "-in", "ours.pfx", "-passin", &pass, "-info", "-noout",
    ];
    if legacy_flag {
        info.push("-legacy");
    }
    let (ok, text) = openssl(f.dir.path(), &info).result();
    assert!(ok, "{text}");
    text
}

#[test]
fn openssl_reads_our_modern_file() {
    let info = openssl_reads_ours(Profile::Modern, false, "s3cret");
    assert!(info.contains("MAC: sha256, Iteration 2048"), "{info}");
    assert_eq!(
        info.matches("PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256")
            .count(),
        2,
        "certificates and key: {info}"
    );
}

#[test]
fn openssl_reads_our_legacy_file_with_and_without_legacy_provider() {
    let info = openssl_reads_ours(Profile::Legacy, true, "s3cret");
    assert!(info.contains("MAC: sha1, Iteration 2048"), "{info}");
    assert!(info.contains("PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048"));
    assert!(info.contains("Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048"));
    // Triple DES needs no legacy provider, unlike RC2: Legacy files open everywhere.
    openssl_reads_ours(Profile::Legacy, false, "s3cret");
}

#[test]
fn openssl_reads_our_files_with_unicode_and_empty_passwords() {
    openssl_reads_ours(Profile::Modern, false, "Pässwörd-日本");
    openssl_reads_ours(Profile::Legacy, false, "Pässwörd-日本");
    openssl_reads_ours(Profile::Modern, false, "");
}

#[test]
fn openssl_needs_legacy_for_our_rc2_certificates() {
    let f = Fixture::new();
    let options = Options {
        certificates: Encryption::Rc2_40,
        ..Options::profile(Profile::Legacy, 2048)
    };
    f.write_ours(
        "rc2.pfx",
        &pkcs12::write_with(&f.item(), b"pw", &options).unwrap(),
    );
    let args = [
        "pkcs12", "-in", "rc2.pfx", "-passin", "pass:pw", "-nodes", "-nokeys",
    ];
    let (ok, text) = openssl(f.dir.path(), &args).args(["-legacy"]).result();
    assert!(ok, "{text}");
    let certs = pem::parse_many(&text).unwrap();
    assert_eq!(certs[0].contents(), &f.leaf_der[..]);
    let (ok, text) = openssl(f.dir.path(), &args).result();
    assert!(
        !ok && text.contains("RC2"),
        "OpenSSL 3 refuses RC2 by default: {text}"
    );
}

#[test]
fn openssl_reads_our_unencrypted_file_without_mac() {
    let f = Fixture::new();
    let options = Options {
        key: Encryption::None,
        certificates: Encryption::None,
        mac: MacAlgorithm::None,
        iterations: 1,
    };
    f.write_ours(
        "plain.pfx",
        &pkcs12::write_with(&f.item(), b"", &options).unwrap(),
    );
    let (ok, text) = openssl(f.dir.path(), &["pkcs12", "-in", "plain.pfx", "-info"])
        .args(["-passin", "pass:", "-nodes"])
        .result();
    assert!(ok, "{text}");
    assert!(
        text.contains("Key bag") && text.contains("MAC is absent"),
        "{text}"
    );
}

/// (openssl pkcs12 -export extra arguments, password, our profile description)
const OPENSSL_FILES: [(&[&str], &str, &str); 9] = [
    (
        &[],
        "pw",
        "PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC, MAC SHA-256",
    ),
    (
        &["-legacy"],
        "pw",
        "key PBE-SHA1-3DES, certificates PBE-SHA1-RC2-40, MAC SHA-1",
    ),
    (
        &["-descert"],
        "pw",
        "key PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC, certificates PBE-SHA1-3DES, MAC SHA-256",
    ),
    (
        &["-nomac"],
        "pw",
        "key PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC, certificates unencrypted, no MAC",
    ),
    (
        &["-macalg", "sha1"],
        "pw",
        "PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC, MAC SHA-1",
    ),
    (
        &["-keypbe", "AES-128-CBC", "-certpbe", "AES-128-CBC"],
        "pw",
        "PBES2/PBKDF2-HMAC-SHA256/AES-128-CBC, MAC SHA-256",
    ),
    (
        &[],
        "Pässwörd-日本",
        "PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC, MAC SHA-256",
    ),
    (&[], "", "PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC, MAC SHA-256"),
    (
        &["-keypbe", "NONE", "-certpbe", "NONE"],
        "pw",
        "unencrypted, MAC SHA-256",
    ),
];

#[test]
fn we_read_every_openssl_profile() {
    let f = Fixture::new();
    for (i, (extra, password, profile)) in OPENSSL_FILES.iter().enumerate() {
        let name = format!("openssl{i}.pfx");
        let pfx = f.openssl_export(&name, password, extra);
        let c = pkcs12::read(&pfx, Some(password.as_bytes()))
            .unwrap_or_else(|e| panic!("{extra:?}: {e}"));
        f.check_read(&c);
        assert_eq!(&c.profile, profile, "{extra:?}");
        if password.is_empty() {
            f.check_read(&pkcs12::read(&pfx, None).unwrap());
        }
    }
}

#[test]
fn openssl_file_with_a_unicode_friendly_name() {
    let f = Fixture::new();
    let pass = "pass:pw";
    openssl(
        f.dir.path(),
        &["pkcs12", "-export", "-in", "leaf.pem", "-inkey", "leaf.key"],
    )
    .args([
        "-name",
        "Zertifikat für Köln",
        "-passout",
        pass,
        "-out",
        "n.pfx",
    ])
    .ok();
    let c = pkcs12::read(&std::fs::read(f.path("n.pfx")).unwrap(), Some(b"pw")).unwrap();
    assert_eq!(
        c.certificates[0].friendly_name.as_deref(),
        Some("Zertifikat für Köln")
    );
}

#[test]
fn openssl_file_errors_have_the_right_codes() {
    let f = Fixture::new();
    for extra in [&[][..], &["-legacy"][..], &["-nomac"][..]] {
        let pfx = f.openssl_export("e.pfx", "Tr0ub4dor-X", extra);
        let err = pkcs12::read(&pfx, Some(b"c0rrect-H0rse")).unwrap_err();
        assert_eq!(err.code, Code::WrongPassword, "{extra:?}: {}", err.message);
        assert!(!err.message.contains("Tr0ub4dor") && !err.message.contains("c0rrect"));
        assert_eq!(
            pkcs12::read(&pfx, None).unwrap_err().code,
            Code::WrongPassword
        );
        let err = pkcs12::read(&pfx[..pfx.len() - 20], Some(b"Tr0ub4dor-X")).unwrap_err();
        assert_eq!(err.code, Code::MalformedData, "{extra:?}");
    }
    let random = openssl(f.dir.path(), &["rand", "3000"]).ok();
    assert_eq!(
        pkcs12::read(&random, Some(b"pw")).unwrap_err().code,
        Code::MalformedData
    );
    assert_eq!(
        pkcs12::read(&[], Some(b"pw")).unwrap_err().code,
        Code::EmptyData
    );
}

#[test]
fn our_legacy_file_round_trips_through_openssl() {
    // OpenSSL re-exports what it read from our Legacy file; we read its output back.
    let f = Fixture::new();
    f.write_ours(
        "ours.pfx",
        &pkcs12::write(&f.item(), b"pw", Profile::Legacy, 2048).unwrap(),
    );
    openssl(
        f.dir.path(),
        &["pkcs12", "-in", "ours.pfx", "-passin", "pass:pw", "-nodes"],
    )
    .args(["-out", "back.pem"])
    .ok();
    openssl(
        f.dir.path(),
        &[
            "pkcs12", "-export", "-in", "back.pem", "-passout", "pass:pw",
        ],
    )
    .args(["-out", "again.pfx", "-name", "Contoso mail"])
    .ok();
    let c = pkcs12::read(&std::fs::read(f.path("again.pfx")).unwrap(), Some(b"pw")).unwrap();
    f.check_read(&c);
}

#[test]
fn openssl_file_with_microsoft_and_key_usage_attributes() {
    // -CSP and -LMK add Microsoft bag attributes, -keyex a Key Usage attribute inside the
    // PKCS#8: unknown attributes are skipped and the key still parses.
    let f = Fixture::new();
    let pfx = f.openssl_export(
        "ms.pfx",
        "pw",
        &[
            "-CSP",
            "Microsoft Enhanced RSA and AES Cryptographic Provider",
            "-LMK",
            "-keyex",
        ],
    );
    let c = pkcs12::read(&pfx, Some(b"pw")).unwrap();
    assert_eq!(c.certificates[0].der, f.leaf_der);
    assert_eq!(
        c.certificates[0].friendly_name.as_deref(),
        Some("Contoso mail")
    );
    assert_eq!(c.keys[0].friendly_name.as_deref(), Some("Contoso mail"));
    assert_eq!(c.keys[0].local_key_id, c.certificates[0].local_key_id);
    assert_ne!(
        &c.keys[0].pkcs8[..],
        &f.key_pkcs8[..],
        "the PKCS#8 now has attributes"
    );
    f.write_ours("ms.p8", &c.keys[0].pkcs8);
    assert_eq!(
        f.public_key_of("ms.p8", "DER"),
        f.public_key_of("leaf.key", "PEM"),
        "same key"
    );
}
