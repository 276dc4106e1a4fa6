//! Secrets at rest and in answers (docs/security.md), through the C ABI as callers see it.
//!
//! One store goes through every operation (new, request, completion by a CA response, PFX
//! import from another server and from openssl, enable, renew, list, get, export, remove) and
//! every refusal we can provoke with a PFX password. Then: key files are 0600 in 0700 folders;
//! no answer or error holds key material (PKCS#8, or the private numbers openssl prints for each
//! key, in hex, Base64 or inside any Base64 field) or a PEM key marker; no answer, error, warning
//! or store file holds a password.

mod common;
mod formats_ca;

use base64::Engine;
use common::{openssl, unb64, TempStore};
use excert::ffi::*;
use formats_ca::Ca;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::ffi::{c_char, CStr, CString};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::ptr;

/// The PFX password: distinctive, and not ASCII, so every encoding of it can be looked for.
const PASSWORD: &str = "excert-Pässwörd-7Qz!";
/// Wrong guesses; the second contains the real password, so echoing it would leak it.
const WRONG: [&str; 2] = ["WrongGuess-excert-31337", "excert-Pässwörd-7Qz!x"];

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

type Plain = unsafe extern "C" fn(*const c_char, *mut *mut c_char, *mut *mut c_char) -> i32;
type WithSecret = unsafe extern "C" fn(
    *const c_char,
    *const u8,
    usize,
    *mut *mut c_char,
    *mut *mut c_char,
) -> i32;

/// Calls the C ABI and keeps every string it returns.
struct Abi {
    root: String,
    /// (what was called, answer or error JSON)
    transcript: Vec<(String, String)>,
}

impl Abi {
    fn take(
        &mut self,
        what: &str,
        code: i32,
        out: *mut c_char,
        err: *mut c_char,
    ) -> Result<Value, Value> {
        let text = |p: *mut c_char| {
            (!p.is_null()).then(|| {
                let s = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_string();
                unsafe { excert_string_free(p) };
                s
            })
        };
        let (out, err) = (text(out), text(err));
        for s in out.iter().chain(err.iter()) {
            self.transcript.push((what.to_string(), s.clone()));
        }
        if code == 0 {
            Ok(serde_json::from_str(&out.expect("an answer on success")).unwrap())
        } else {
            Err(serde_json::from_str(&err.expect("an error on failure")).unwrap())
        }
    }

    fn request(&self, mut req: Value) -> CString {
        req["StoreRoot"] = json!(self.root);
        CString::new(req.to_string()).unwrap()
    }

    fn call(&mut self, what: &str, f: Plain, req: Value) -> Result<Value, Value> {
        let req = self.request(req);
        let (mut out, mut err) = (ptr::null_mut(), ptr::null_mut());
        let code = unsafe { f(req.as_ptr(), &mut out, &mut err) };
        self.take(what, code, out, err)
    }

    fn call_secret(
        &mut self,
        what: &str,
        f: WithSecret,
        req: Value,
        secret: Option<&str>,
    ) -> Result<Value, Value> {
        let req = self.request(req);
        let (mut out, mut err) = (ptr::null_mut(), ptr::null_mut());
        let (p, n) = secret.map_or((ptr::null(), 0), |s| (s.as_ptr(), s.len()));
        let code = unsafe { f(req.as_ptr(), p, n, &mut out, &mut err) };
        self.take(what, code, out, err)
    }

    fn ok(&mut self, what: &str, f: Plain, req: Value) -> Value {
        self.call(what, f, req)
            .unwrap_or_else(|e| panic!("{what} failed: {e}"))
    }

    /// A refusal with the expected error name.
    fn refused(&mut self, what: &str, f: WithSecret, req: Value, secret: Option<&str>, name: &str) {
        match self.call_secret(what, f, req, secret) {
            Err(e) => assert_eq!(e["Name"], name, "{what}: {e}"),
            Ok(a) => panic!("{what} was accepted: {a}"),
        }
    }
}

/// Every private key file in the store (PKCS#8 DER), by path.
fn key_files(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    walk(root)
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "key.p8"))
        .map(|p| {
            let der = fs::read(&p).unwrap();
            (p, der)
        })
        .collect()
}

/// Every path under `dir`, links not followed.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap().map(|e| e.unwrap()) {
        let p = e.path();
        out.push(p.clone());
        if e.file_type().unwrap().is_dir() {
            out.extend(walk(&p));
        }
    }
    out
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// The secret numbers of a key as openssl prints them (`pkey -text`): the EC private value, or
/// the RSA private exponent, primes, CRT exponents and coefficient. Leading zero bytes dropped.
fn private_numbers(pkcs8: &[u8], scratch: &Path) -> Vec<Vec<u8>> {
    let file = common::write(scratch, "key-under-test.der", pkcs8);
    let text = openssl(&["pkey", "-inform", "DER", "-in", &file, "-text", "-noout"]);
    let labels = [
        "priv",
        "privateExponent",
        "prime1",
        "prime2",
        "exponent1",
        "exponent2",
        "coefficient",
    ];
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(label) = line.trim_end().strip_suffix(':') else {
            continue;
        };
        if !labels.contains(&label) {
            continue;
        }
        let hex: String = lines[i + 1..]
            .iter()
            .take_while(|l| l.starts_with(' '))
            .flat_map(|l| l.chars())
            .filter(|c| c.is_ascii_hexdigit())
            .collect();
        let mut bytes = unhex(&hex);
        while bytes.first() == Some(&0) {
            bytes.remove(0);
        }
        out.push(bytes);
    }
    assert!(
        out.len() == 1 || out.len() == 6,
        "openssl printed {} private numbers:\n{text}",
        out.len()
    );
    out
}

/// What must never show up: the PKCS#8 bytes and the private numbers of every key.
struct Secrets {
    fragments: Vec<(String, Vec<u8>)>,
}

impl Secrets {
    fn new(keys: &[(String, Vec<u8>)], scratch: &Path) -> Secrets {
        let mut fragments = Vec::new();
        for (name, der) in keys {
            fragments.push((format!("PKCS#8 of {name}"), der.clone()));
            for (i, n) in private_numbers(der, scratch).into_iter().enumerate() {
                fragments.push((format!("private number {i} of {name}"), n));
            }
        }
        Secrets { fragments }
    }

    /// What of the secrets `text` (an answer or error JSON) reveals.
    fn leaks(&self, text: &str) -> Vec<String> {
        let mut found = Vec::new();
        if text.contains("PRIVATE KEY") {
            found.push("a PEM private key marker".to_string());
        }
        let mut blobs = Vec::new();
        if let Ok(v) = serde_json::from_str::<Value>(text) {
            decoded_strings(&v, &mut blobs);
        }
        for (what, bytes) in &self.fragments {
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            let in_text = text.contains(&hex)
                || text.to_ascii_lowercase().contains(&hex)
                || base64_forms(bytes)
                    .iter()
                    .any(|f| text.contains(f.as_str()));
            let in_blob = blobs.iter().any(|b| contains(b, bytes));
            if in_text || in_blob {
                found.push(what.clone());
            }
        }
        found
    }
}

/// Base64 of `bytes` as it reads inside a longer Base64 text, at each of the three alignments
/// (the ends, which depend on the neighbouring bytes, are cut off).
fn base64_forms(bytes: &[u8]) -> Vec<String> {
    (0..3)
        .filter_map(|skip| {
            let rest = bytes.get(skip..)?;
            let whole = rest.len() / 3 * 3;
            let text = b64(&rest[..whole]);
            (text.len() >= 16).then_some(text)
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Every string value of the JSON that is Base64 (PEM armour and line breaks allowed), decoded.
fn decoded_strings(v: &Value, out: &mut Vec<Vec<u8>>) {
    match v {
        Value::String(s) => {
            let body: String = s
                .lines()
                .filter(|l| !l.starts_with("-----"))
                .flat_map(|l| l.chars())
                .filter(|c| !c.is_whitespace())
                .collect();
            if body.len() >= 16 {
                if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(&body) {
                    out.push(bytes);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| decoded_strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| decoded_strings(x, out)),
        _ => {}
    }
}

/// Every way a password could be written into a message, a JSON field or a file.
fn password_forms(password: &str) -> (Vec<String>, Vec<Vec<u8>>) {
    let utf8 = password.as_bytes().to_vec();
    let utf16be: Vec<u8> = password.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let utf16le: Vec<u8> = password.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let mut text = vec![
        password.to_string(),
        utf8.iter().map(|b| format!("{b:02x}")).collect(),
        utf8.iter().map(|b| format!("{b:02X}")).collect(),
    ];
    for bytes in [&utf8, &utf16be, &utf16le] {
        text.extend(base64_forms(bytes));
    }
    (text, vec![utf8, utf16be, utf16le])
}

/// A store taken through every operation; returns the ABI transcript and the keys it held.
struct Run {
    store: TempStore,
    scratch: tempfile::TempDir,
    ca: Ca,
    abi: Abi,
    /// Every key the store held at some point, with a name.
    keys: Vec<(String, Vec<u8>)>,
    /// Thumbprints of certificates removed along the way.
    removed_keys: Vec<Vec<u8>>,
}

impl Run {
    fn new() -> Run {
        let store = TempStore::new();
        let abi = Abi {
            root: store.root(),
            transcript: Vec::new(),
        };
        Run {
            store,
            scratch: tempfile::tempdir().unwrap(),
            ca: Ca::new(),
            abi,
            keys: Vec::new(),
            removed_keys: Vec::new(),
        }
    }

    /// Records every key file now in the store.
    fn note_keys(&mut self) {
        for (path, der) in key_files(self.store.path()) {
            if !self.keys.iter().any(|(_, k)| *k == der) {
                let name = path
                    .strip_prefix(self.store.path())
                    .unwrap()
                    .display()
                    .to_string();
                self.keys.push((name, der));
            }
        }
    }

    fn key_of(&self, server: &str, thumb: &str) -> Vec<u8> {
        fs::read(
            self.store
                .path()
                .join("servers")
                .join(server)
                .join("certs")
                .join(thumb)
                .join("key.p8"),
        )
        .unwrap()
    }

    fn everything(&mut self) {
        let abi = &mut self.abi;
        let thumb = |a: &Value| a["Certificate"]["Thumbprint"].as_str().unwrap().to_string();
        let rsa = abi.ok(
            "new RSA",
            excert_certificate_new,
            json!({"Server": "EX01", "SubjectName": "O=Contoso,CN=mail.contoso.com",
                   "DomainName": ["mail.contoso.com", "autodiscover.contoso.com"],
                   "PrivateKeyExportable": true, "Services": "IIS, SMTP", "Force": true}),
        );
        let rsa = thumb(&rsa);
        let p256 = abi.ok(
            "new P-256",
            excert_certificate_new,
            json!({"Server": "EX01", "SubjectName": "CN=imap.contoso.com", "KeyAlgorithm": "ECDSA_P256",
                   "Services": "IMAP, POP", "Force": true}),
        );
        let p256 = thumb(&p256);
        let p384 = abi.ok(
            "new P-384",
            excert_certificate_new,
            json!({"Server": "EX01", "SubjectName": "CN=spare.contoso.com", "KeyAlgorithm": "ECDSA_P384",
                   "PrivateKeyExportable": true, "Services": "None"}),
        );
        let p384 = thumb(&p384);
        self.note_keys();

        // A request completed by a CA response, and one left pending.
        let abi = &mut self.abi;
        let req = abi.ok(
            "request",
            excert_request_new,
            json!({"Server": "EX01", "SubjectName": "CN=owa.contoso.com", "DomainName": ["owa.contoso.com"],
                   "KeyAlgorithm": "ECDSA_P256", "PrivateKeyExportable": true}),
        );
        let pending_rsa = abi.ok(
            "request RSA",
            excert_request_new,
            json!({"Server": "EX01", "SubjectName": "CN=later.contoso.com"}),
        );
        let pending_rsa = thumb(&pending_rsa);
        self.note_keys();
        let csr = req["Request"].as_str().unwrap();
        fs::write(
            self.ca.path("owa.csr"),
            csr.replace("NEW CERTIFICATE REQUEST", "CERTIFICATE REQUEST"),
        )
        .unwrap();
        self.ca.sign("owa.csr", "int", "owa.pem", 365);
        let response = [
            self.ca.read("owa.pem"),
            self.ca.read("int.pem"),
            self.ca.read("root.pem"),
        ]
        .concat();
        let abi = &mut self.abi;
        let done = abi
            .call_secret(
                "import CA response",
                excert_certificate_import,
                json!({"Server": "EX01", "FileData": b64(&response)}),
                None,
            )
            .unwrap();
        let owa = done["Certificates"][0]["Thumbprint"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(done["Certificates"][0]["HasPrivateKey"], true);
        abi.ok(
            "enable completed",
            excert_certificate_enable,
            json!({"Server": "EX01", "Thumbprint": owa, "Services": "IIS", "Force": true}),
        );

        // PFX files: ours (Modern and Legacy) onto another server, and one openssl wrote.
        for profile in ["Modern", "Legacy"] {
            let pfx = abi
                .call_secret(
                    "export PFX",
                    excert_certificate_export,
                    json!({"Server": "EX01", "Thumbprint": rsa, "Encryption": profile}),
                    Some(PASSWORD),
                )
                .unwrap();
            assert_eq!(pfx["Format"], "Pkcs12");
            if profile == "Legacy" {
                let got = abi
                    .call_secret(
                        "import PFX",
                        excert_certificate_import,
                        json!({"Server": "EX02", "FileData": pfx["FileData"], "PrivateKeyExportable": true}),
                        Some(PASSWORD),
                    )
                    .unwrap();
                assert_eq!(got["Certificates"][0]["Thumbprint"], rsa.as_str());
            } else {
                // The PFX holds the key (encrypted): openssl opens it with the password.
                let scratch = self.scratch.path();
                let file = common::write(
                    scratch,
                    "export.pfx",
                    &unb64(pfx["FileData"].as_str().unwrap()),
                );
                let stored = self
                    .store
                    .path()
                    .join("servers/EX01/certs")
                    .join(&rsa)
                    .join("key.p8");
                let pass = format!("pass:{PASSWORD}");
                let key_pem = openssl(&[
                    "pkcs12", "-in", &file, "-passin", &pass, "-nocerts", "-nodes",
                ]);
                let key_file = common::write(scratch, "export.key.pem", key_pem.as_bytes());
                // Both through openssl, which writes one canonical encoding.
                let exported = openssl(&["pkey", "-in", &key_file, "-text", "-noout"]);
                let kept = openssl(&[
                    "pkey",
                    "-inform",
                    "DER",
                    "-in",
                    stored.to_str().unwrap(),
                    "-text",
                    "-noout",
                ]);
                fs::remove_file(&key_file).unwrap();
                assert!(
                    exported == kept,
                    "the exported PFX does not hold the stored key"
                );
            }
        }
        let pass = format!("pass:{PASSWORD}");
        let theirs = self.ca.openssl(&[
            "pkcs12",
            "-export",
            "-legacy",
            "-inkey",
            "leaf.key",
            "-in",
            "leaf.pem",
            "-certfile",
            "int.pem",
            "-passout",
            &pass,
        ]);
        let abi = &mut self.abi;
        let got = abi
            .call_secret(
                "import openssl PFX",
                excert_certificate_import,
                json!({"Server": "EX02", "FileData": b64(&theirs)}),
                Some(PASSWORD),
            )
            .unwrap();
        let leaf = got["Certificates"][0]["Thumbprint"]
            .as_str()
            .unwrap()
            .to_string();
        abi.ok(
            "enable on EX02",
            excert_certificate_enable,
            json!({"Server": "EX02", "Thumbprint": rsa, "Services": "SMTP, IMAP", "Force": true}),
        );
        self.note_keys();

        // Reading, renewing, exporting without a key.
        let abi = &mut self.abi;
        abi.ok(
            "list EX01",
            excert_certificate_list,
            json!({"Server": "EX01"}),
        );
        abi.ok(
            "list all",
            excert_certificate_list,
            json!({"Server": "*", "ExpiryWarningDays": 4000}),
        );
        for t in [&rsa, &p256, &p384, &owa, &pending_rsa] {
            abi.ok(
                "get",
                excert_certificate_get,
                json!({"Server": "EX01", "Thumbprint": t}),
            );
        }
        let renewed = abi.ok(
            "renew",
            excert_certificate_renew,
            json!({"Server": "EX01", "Thumbprint": p256, "Force": true}),
        );
        let renewed = thumb(&renewed);
        abi.ok(
            "renew as request",
            excert_certificate_renew,
            json!({"Server": "EX01", "Thumbprint": p384, "GenerateRequest": true}),
        );
        for (t, what) in [
            (&p384, "export certificate"),
            (&pending_rsa, "export request"),
        ] {
            abi.call_secret(
                what,
                excert_certificate_export,
                json!({"Server": "EX01", "Thumbprint": t}),
                None,
            )
            .unwrap();
        }
        self.note_keys();

        // Refusals and warnings around the password.
        let pfx = theirs.clone();
        let abi = &mut self.abi;
        for wrong in WRONG {
            abi.refused(
                "import, wrong password",
                excert_certificate_import,
                json!({"Server": "EX03", "FileData": b64(&pfx)}),
                Some(wrong),
                "WrongPassword",
            );
        }
        abi.refused(
            "import, no password",
            excert_certificate_import,
            json!({"Server": "EX03", "FileData": b64(&pfx)}),
            None,
            "WrongPassword",
        );
        abi.refused(
            "import again",
            excert_certificate_import,
            json!({"Server": "EX02", "FileData": b64(&pfx)}),
            Some(PASSWORD),
            "AlreadyExists",
        );
        let mut cut = pfx.clone();
        cut.truncate(pfx.len() / 2);
        match abi.call_secret(
            "import truncated PFX",
            excert_certificate_import,
            json!({"Server": "EX03", "FileData": b64(&cut)}),
            Some(PASSWORD),
        ) {
            Err(e) => assert_ne!(e["Code"], 0),
            Ok(a) => panic!("a truncated PFX was imported: {a}"),
        }
        let mut flipped = pfx.clone();
        let at = flipped.len() - 40;
        flipped[at] ^= 0x55;
        assert!(abi
            .call_secret(
                "import corrupted PFX",
                excert_certificate_import,
                json!({"Server": "EX03", "FileData": b64(&flipped)}),
                Some(PASSWORD),
            )
            .is_err());
        let cert_only = self.ca.der("leaf.pem");
        let warned = abi
            .call_secret(
                "import certificate with password",
                excert_certificate_import,
                json!({"Server": "EX03", "FileData": b64(&cert_only)}),
                Some(PASSWORD),
            )
            .unwrap();
        assert!(
            !warned["Warnings"].as_array().unwrap().is_empty(),
            "{warned}"
        );
        abi.refused(
            "export not exportable",
            excert_certificate_export,
            json!({"Server": "EX01", "Thumbprint": renewed}),
            Some(PASSWORD),
            "NotExportable",
        );
        let keyless = abi
            .call_secret(
                "import CA certificate",
                excert_certificate_import,
                json!({"Server": "EX03", "FileData": b64(&self.ca.der("int.pem"))}),
                None,
            )
            .unwrap();
        let keyless = keyless["Certificates"][0]["Thumbprint"]
            .as_str()
            .unwrap()
            .to_string();
        abi.refused(
            "export without key",
            excert_certificate_export,
            json!({"Server": "EX03", "Thumbprint": keyless}),
            Some(PASSWORD),
            "NoPrivateKey",
        );
        abi.refused(
            "export, unknown profile",
            excert_certificate_export,
            json!({"Server": "EX01", "Thumbprint": rsa, "Encryption": "Bogus"}),
            Some(PASSWORD),
            "InvalidArgument",
        );
        abi.refused(
            "export, unknown certificate",
            excert_certificate_export,
            json!({"Server": "EX01", "Thumbprint": "00".repeat(20)}),
            Some(PASSWORD),
            "NotFound",
        );
        let pending_export = abi
            .call_secret(
                "export request with password",
                excert_certificate_export,
                json!({"Server": "EX01", "Thumbprint": pending_rsa}),
                Some(PASSWORD),
            )
            .unwrap();
        assert!(!pending_export["Warnings"].as_array().unwrap().is_empty());
        let e = abi
            .call(
                "enable pending",
                excert_certificate_enable,
                json!({"Server": "EX01", "Thumbprint": pending_rsa, "Services": "IIS"}),
            )
            .unwrap_err();
        assert_eq!(e["Name"], "PendingRequest", "{e}");

        // Removals: the keys must go from the store, live folders included.
        self.note_keys();
        for (server, t) in [("EX01", &rsa), ("EX01", &owa), ("EX02", &leaf)] {
            let key = self.key_of(server, t);
            self.abi.ok(
                "remove",
                excert_certificate_remove,
                json!({"Server": server, "Thumbprint": t, "Force": true}),
            );
            self.removed_keys.push(key);
        }
    }
}

#[test]
fn key_files_are_0600_in_0700_folders_and_removed_keys_are_gone() {
    let mut run = Run::new();
    run.everything();
    let root = run.store.path();
    let mut checked_keys = 0;
    let mut folders = 0;
    for p in walk(root) {
        let meta = fs::symlink_metadata(&p).unwrap();
        let mode = meta.permissions().mode() & 0o777;
        let name = p.file_name().unwrap().to_string_lossy();
        if meta.is_dir() {
            assert_eq!(mode, 0o700, "folder {} is {mode:o}", p.display());
            folders += 1;
        } else if ["key.p8", "privkey.pem", "combined.pem"].contains(&name.as_ref()) {
            assert!(meta.is_file());
            assert_eq!(mode, 0o600, "key file {} is {mode:o}", p.display());
            checked_keys += 1;
        }
    }
    // Entries with keys on EX01, EX02 and the live files of the services in use.
    let live_keys = walk(root)
        .iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "privkey.pem"))
        .count();
    assert!(
        live_keys >= 3,
        "live key files of IMAP/POP/SMTP: {live_keys}"
    );
    assert!(checked_keys >= 10, "key files checked: {checked_keys}");
    // The removed certificates' keys are nowhere in the store any more, not even as PEM
    // (the RSA key is gone from EX01 but rightly stays with its PFX import on EX02).
    let kept: Vec<Vec<u8>> = key_files(root).into_iter().map(|(_, k)| k).collect();
    run.removed_keys.retain(|k| !kept.contains(k));
    assert_eq!(
        run.removed_keys.len(),
        2,
        "the keys of owa and the openssl PFX"
    );
    for p in walk(root).iter().filter(|p| p.is_file()) {
        let bytes = fs::read(p).unwrap();
        for key in &run.removed_keys {
            assert!(
                !contains(&bytes, key),
                "{} still holds a removed key",
                p.display()
            );
            // The second line of the PEM body: bytes 48..96, all inside the key's secret part.
            let pem_line = b64(&key[48..96]);
            assert!(
                !contains(&bytes, pem_line.as_bytes()),
                "{} still holds a removed key as PEM",
                p.display()
            );
        }
    }
    println!(
        "secrets: {checked_keys} key files 0600 in {folders} folders 0700; {} keys removed and gone",
        run.removed_keys.len()
    );
}

#[test]
fn no_answer_or_error_holds_key_material() {
    let mut run = Run::new();
    run.everything();
    // The key openssl made for the PFX it wrote, too.
    let leaf_key = std::process::Command::new("openssl")
        .args(["pkey", "-in", "leaf.key", "-outform", "DER"])
        .current_dir(run.ca.dir.path())
        .output()
        .unwrap()
        .stdout;
    run.keys.push(("the openssl PFX's key".into(), leaf_key));
    let scratch = tempfile::tempdir().unwrap();
    let secrets = Secrets::new(&run.keys, scratch.path());

    // The scanner finds a key wherever it hides: a self-check, so that a clean result means something.
    let (name, der) = &run.keys[0];
    let hidden = json!({"RawData": b64(&[&[7u8][..], der, &[9u8]].concat()), "Text": "x"});
    assert!(
        !secrets.leaks(&hidden.to_string()).is_empty(),
        "the scanner misses {name} inside Base64"
    );
    let numbers = private_numbers(der, scratch.path());
    let as_hex: String = numbers[0].iter().map(|b| format!("{b:02X}")).collect();
    assert!(!secrets
        .leaks(&format!("{{\"Message\":\"{as_hex}\"}}"))
        .is_empty());
    assert!(!secrets
        .leaks("{\"Text\":\"-----BEGIN PRIVATE KEY-----\"}")
        .is_empty());

    let mut leaks = Vec::new();
    let mut kinds = BTreeSet::new();
    for (what, text) in &run.abi.transcript {
        kinds.insert(what.clone());
        for l in secrets.leaks(text) {
            leaks.push(format!("{what}: {l}"));
        }
    }
    println!(
        "secrets: {} answers and errors of {} kinds of call scanned for {} fragments of {} keys",
        run.abi.transcript.len(),
        kinds.len(),
        secrets.fragments.len(),
        run.keys.len()
    );
    assert!(run.keys.len() >= 8, "keys seen: {}", run.keys.len());
    assert!(
        leaks.is_empty(),
        "key material in answers:\n{}",
        leaks.join("\n")
    );
}

#[test]
fn no_password_in_any_answer_error_warning_or_store_file() {
    let mut run = Run::new();
    run.everything();
    let mut messages = 0;
    let mut errors = 0;
    for password in std::iter::once(PASSWORD).chain(WRONG) {
        let (texts, raw) = password_forms(password);
        for (what, text) in &run.abi.transcript {
            let v: Value = serde_json::from_str(text).unwrap();
            if password == PASSWORD {
                errors += v.get("Code").is_some() as usize;
                messages += v.get("Message").is_some() as usize
                    + v.get("Warnings")
                        .and_then(Value::as_array)
                        .map_or(0, Vec::len);
            }
            for form in &texts {
                assert!(
                    !text.contains(form.as_str()),
                    "{what} shows the password {password:?} as {form:?}: {text}"
                );
            }
            let mut blobs = Vec::new();
            decoded_strings(&v, &mut blobs);
            for b in &blobs {
                for r in &raw {
                    assert!(
                        !contains(b, r),
                        "{what} holds the password {password:?} in a Base64 field"
                    );
                }
            }
        }
        for p in walk(run.store.path()).iter().filter(|p| p.is_file()) {
            let bytes = fs::read(p).unwrap();
            for r in &raw {
                assert!(
                    !contains(&bytes, r),
                    "{} holds the password {password:?}",
                    p.display()
                );
            }
        }
    }
    assert!(errors >= 10, "errors provoked: {errors}");
    println!(
        "secrets: {} answers and errors ({errors} errors, {messages} messages and warnings) and every store file free of {} passwords",
        run.abi.transcript.len(),
        1 + WRONG.len()
    );
}

/// Loosened permissions are reported, with the fix, and an exposed key is not
/// used until they are fixed.
#[test]
fn loosened_permissions_are_reported_with_the_fix_and_exposed_keys_refused() {
    let mut run = Run::new();
    let root = run.store.path().to_path_buf();
    let thumb = |a: &Value| a["Certificate"]["Thumbprint"].as_str().unwrap().to_string();
    let spare = run.abi.ok(
        "new",
        excert_certificate_new,
        json!({"Server": "EX01", "KeyAlgorithm": "ECDSA_P256", "Services": "None", "PrivateKeyExportable": true}),
    );
    let spare = thumb(&spare);
    let key = root.join("servers/EX01/certs").join(&spare).join("key.p8");
    let shown = key.display().to_string();
    let chmod = |p: &Path, mode| fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
    chmod(&key, 0o644);

    let warned = |v: &Value, what: &str, fix: &str| {
        let w = v["Warnings"].to_string();
        assert!(
            w.contains(what) && w.contains(fix),
            "no warning naming {what} with `{fix}`: {w}"
        );
    };
    let listed = run
        .abi
        .ok("list", excert_certificate_list, json!({"Server": "EX01"}));
    warned(&listed, &shown, "chmod 600");
    let got = run.abi.ok(
        "get",
        excert_certificate_get,
        json!({"Server": "EX01", "Thumbprint": spare}),
    );
    warned(&got, &shown, "chmod 600");
    // The exposed key is not exported until the mode is fixed.
    let e = run
        .abi
        .call_secret(
            "export",
            excert_certificate_export,
            json!({"Server": "EX01", "Thumbprint": spare}),
            Some(PASSWORD),
        )
        .unwrap_err();
    assert_eq!(e["Name"], "StorePermissions", "{e}");
    let m = e["Message"].as_str().unwrap();
    assert!(m.contains(&shown) && m.contains("chmod 600"), "{m}");
    chmod(&key, 0o600);
    let listed = run
        .abi
        .ok("list", excert_certificate_list, json!({"Server": "EX01"}));
    assert!(
        !listed["Warnings"].to_string().contains("chmod"),
        "{}",
        listed["Warnings"]
    );

    // Folders others can enter.
    for dir in [root.clone(), root.join("servers")] {
        chmod(&dir, 0o755);
        let listed = run
            .abi
            .ok("list", excert_certificate_list, json!({"Server": "EX01"}));
        warned(&listed, &dir.display().to_string(), "chmod 700");
        chmod(&dir, 0o700);
    }
}

/// Enable with a key file others can read: refused (the live files would copy the key), but the
/// assignments must stay as they were.
#[test]
fn a_refused_enable_leaves_the_assignments_as_they_were() {
    let mut run = Run::new();
    let root = run.store.path().to_path_buf();
    let thumb = |a: &Value| a["Certificate"]["Thumbprint"].as_str().unwrap().to_string();
    let held = run.abi.ok(
        "new",
        excert_certificate_new,
        json!({"Server": "EX01", "KeyAlgorithm": "ECDSA_P256", "Services": "IIS"}),
    );
    let held = thumb(&held);
    let spare = run.abi.ok(
        "new",
        excert_certificate_new,
        json!({"Server": "EX01", "KeyAlgorithm": "ECDSA_P256", "Services": "None"}),
    );
    let spare = thumb(&spare);
    let key = root.join("servers/EX01/certs").join(&spare).join("key.p8");
    let chmod = |p: &Path, mode| fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
    chmod(&key, 0o644);
    // Enabling needs the key for the live files: refused, and nothing changes.
    let live_before = fs::read_link(root.join("servers/EX01/live/IIS")).unwrap();
    let e = run
        .abi
        .call(
            "enable exposed",
            excert_certificate_enable,
            json!({"Server": "EX01", "Thumbprint": spare, "Services": "IIS", "Force": true}),
        )
        .unwrap_err();
    assert_eq!(e["Name"], "StorePermissions", "{e}");
    chmod(&key, 0o600);
    let services = |run: &mut Run, t: &str| {
        run.abi.ok(
            "get",
            excert_certificate_get,
            json!({"Server": "EX01", "Thumbprint": t}),
        )["Certificate"]["Services"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        (services(&mut run, &held), services(&mut run, &spare)),
        ("IIS".to_string(), "None".to_string()),
        "a refused Enable changed the assignments"
    );
    assert_eq!(
        fs::read_link(root.join("servers/EX01/live/IIS")).unwrap(),
        live_before
    );
}
