//! Revocation checking against a real PKI on 127.0.0.1 (tests/revocation_pki.sh): openssl's CA
//! database and CRLs served by nginx, `openssl ocsp` answering, a server that never answers.
//! Each case goes through the core and through the C ABI.

mod common;

use common::TempStore;
use excert::model::{ExchangeCertificate, ImportRequest, ListAnswer, ListRequest};
use excert::ops;
use excert::revocation::{Checker, Mode, Verdict};
use std::collections::HashMap;
use std::ffi::{CStr, CString};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The PKI and its servers; stopped when dropped, also when a test panics.
struct Pki {
    dir: tempfile::TempDir,
    env: HashMap<String, String>,
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/revocation_pki.sh")
}

impl Pki {
    fn start() -> Pki {
        let dir = tempfile::Builder::new()
            .prefix("excert-pki-")
            .tempdir()
            .unwrap();
        let out = Command::new(script())
            .args(["start", dir.path().to_str().unwrap()])
            .output()
            .unwrap();
        let pki = Pki {
            env: std::fs::read_to_string(dir.path().join("pki.env"))
                .unwrap_or_default()
                .lines()
                .filter_map(|l| l.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            dir,
        };
        assert!(
            out.status.success(),
            "the test PKI did not start: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        pki
    }

    fn stop(&self) {
        let status = Command::new(script())
            .args(["stop", self.dir.path().to_str().unwrap()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn der(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path(&format!("{name}.der"))).unwrap()
    }

    fn thumb(&self, name: &str) -> String {
        excert::cert::thumbprint(&self.der(name))
    }

    fn url(&self, port: &str, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.env[port])
    }

    /// Revokes a certificate in an issuing CA's database and publishes a new CRL (as a CA
    /// does between two listings).
    fn revoke(&self, db: &str, name: &str, reason: &str) {
        let d = self.dir.path();
        let ca = |args: &[&str]| {
            let out = Command::new("openssl")
                .current_dir(d)
                .arg("ca")
                .args(["-config", &format!("db-{db}/ca.cnf")])
                .args([
                    "-cert",
                    &format!("{db}.pem"),
                    "-keyfile",
                    &format!("{db}.key"),
                ])
                .args(args)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        ca(&["-revoke", &format!("{name}.pem"), "-crl_reason", reason]);
        ca(&["-gencrl", "-out", &format!("{db}.crl.pem")]);
        common::openssl(&[
            "crl",
            "-in",
            d.join(format!("{db}.crl.pem")).to_str().unwrap(),
            "-outform",
            "DER",
            "-out",
            d.join(format!("www/{db}.crl")).to_str().unwrap(),
        ]);
    }

    /// The revocation date openssl's CA database holds for a certificate, as RFC 3339.
    fn revocation_date(&self, db: &str, name: &str) -> String {
        let serial = common::openssl(&[
            "x509",
            "-noout",
            "-serial",
            "-in",
            self.path(&format!("{name}.pem")).to_str().unwrap(),
        ]);
        let serial = serial.trim().trim_start_matches("serial=");
        let index = std::fs::read_to_string(self.path(&format!("db-{db}/index.txt"))).unwrap();
        let line = index
            .lines()
            .find(|l| l.split('\t').nth(3) == Some(serial))
            .unwrap();
        let date = line.split('\t').nth(2).unwrap(); // YYMMDDHHMMSSZ,reason
        let d = &date[..12];
        format!(
            "20{}-{}-{}T{}:{}:{}Z",
            &d[0..2],
            &d[2..4],
            &d[4..6],
            &d[6..8],
            &d[8..10],
            &d[10..12]
        )
    }
}

impl Drop for Pki {
    fn drop(&mut self) {
        let _ = Command::new(script())
            .args(["stop", self.dir.path().to_str().unwrap()])
            .status();
    }
}

const LEAVES: [(&str, &str); 15] = [
    ("crl-good", "inter"),
    ("crl-revoked", "inter"),
    ("ocsp-good", "inter"),
    ("ocsp-revoked", "inter"),
    ("ocsp-only-revoked", "inter"),
    ("ocsp-fallback", "inter"),
    ("other-key", "inter"),
    ("expired-crl", "inter"),
    ("garbage", "inter"),
    ("slow", "inter"),
    ("dead", "inter"),
    ("no-cdp", "inter"),
    ("ldap-only", "inter"),
    ("file-crl", "inter"),
    ("under-revoked-ca", "inter2"),
];

/// The root trusted by the organisation, and every leaf imported with its issuing CA.
fn import_all(store: &TempStore, pki: &Pki) {
    ops::import(
        &ImportRequest {
            store_root: Some(store.root()),
            file_data: pki.der("root"),
            trusted_root: true,
            ..Default::default()
        },
        None,
    )
    .unwrap();
    for (leaf, issuer) in LEAVES {
        let mut bundle = std::fs::read(pki.path(&format!("{leaf}.pem"))).unwrap();
        bundle.extend(std::fs::read(pki.path(&format!("{issuer}.pem"))).unwrap());
        ops::import(
            &ImportRequest {
                store_root: Some(store.root()),
                server: Some("EX01".into()),
                file_data: bundle,
                ..Default::default()
            },
            None,
        )
        .unwrap_or_else(|e| panic!("import {leaf}: {e}"));
    }
}

fn list(store: &TempStore, revocation: Mode) -> ListAnswer {
    ops::list_certificates(&ListRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        revocation,
        ..Default::default()
    })
    .unwrap()
}

/// The revocation details as the C ABI writes them: reason, RFC 3339 date, source.
fn details(c: &ExchangeCertificate) -> Option<(&'static str, String, String)> {
    c.revocation.as_ref().map(|r| {
        (
            r.reason.as_str(),
            excert::ops::rfc3339(r.date),
            r.source.clone(),
        )
    })
}

/// The listing through the C ABI, as JSON.
fn list_ffi(store: &TempStore, extra: &str) -> serde_json::Value {
    let req = CString::new(format!(
        r#"{{"StoreRoot":{},"Server":"EX01"{extra}}}"#,
        serde_json::to_string(&store.root()).unwrap()
    ))
    .unwrap();
    let mut out = std::ptr::null_mut();
    let mut err = std::ptr::null_mut();
    let code = unsafe { excert::ffi::excert_certificate_list(req.as_ptr(), &mut out, &mut err) };
    let written = if code == 0 { out } else { err };
    let text = unsafe { CStr::from_ptr(written) }
        .to_str()
        .unwrap()
        .to_string();
    unsafe { excert::ffi::excert_string_free(written) };
    assert_eq!(code, 0, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// A listing the C ABI refuses: its code and error text.
fn list_ffi_refused(store: &TempStore, extra: &str) -> (i32, String) {
    let req = CString::new(format!(
        r#"{{"StoreRoot":{}{extra}}}"#,
        serde_json::to_string(&store.root()).unwrap()
    ))
    .unwrap();
    let mut out = std::ptr::null_mut();
    let mut err = std::ptr::null_mut();
    let code = unsafe { excert::ffi::excert_certificate_list(req.as_ptr(), &mut out, &mut err) };
    assert!(out.is_null() && !err.is_null(), "code {code}");
    let text = unsafe { CStr::from_ptr(err) }.to_str().unwrap().to_string();
    unsafe { excert::ffi::excert_string_free(err) };
    (code, text)
}

fn status_of(answer: &ListAnswer, thumb: &str) -> String {
    answer
        .certificates
        .iter()
        .find(|c| c.thumbprint == thumb)
        .map(|c| c.status.as_str().to_string())
        .unwrap_or_else(|| panic!("{thumb} not listed"))
}

/// The warning about one certificate (exactly one).
fn warning_of<'a>(warnings: &'a [String], thumb: &str) -> &'a str {
    let found: Vec<&String> = warnings.iter().filter(|w| w.contains(thumb)).collect();
    assert_eq!(found.len(), 1, "warnings about {thumb}: {warnings:#?}");
    found[0]
}

#[test]
fn revocation_from_real_crls_and_ocsp() {
    let pki = Pki::start();
    let store = TempStore::new();
    import_all(&store, &pki);

    let answer = list(&store, Mode::Online);
    let by = |name: &str| {
        answer
            .certificates
            .iter()
            .find(|c| c.thumbprint == pki.thumb(name))
            .unwrap_or_else(|| panic!("{name} not listed"))
            .clone()
    };

    // Good answers, each way: CRL over HTTP, OCSP, OCSP unreachable then CRL, CRL from a file.
    for name in ["crl-good", "ocsp-good", "ocsp-fallback", "file-crl"] {
        let c = by(name);
        assert_eq!(c.status.as_str(), "Valid", "{name}: {:#?}", answer.warnings);
        assert_eq!(c.revocation, None);
    }

    // Revoked by CRL, with openssl's reason and date.
    let c = by("crl-revoked");
    assert_eq!(c.status.as_str(), "Revoked");
    assert_eq!(
        details(&c),
        Some((
            "KeyCompromise",
            pki.revocation_date("inter", "crl-revoked"),
            format!("CRL {}", pki.url("HTTP_PORT", "/inter.crl"))
        ))
    );
    // Revoked by OCSP (asked first, although the CRL says so too).
    for (name, reason) in [
        ("ocsp-revoked", "Superseded"),
        ("ocsp-only-revoked", "CessationOfOperation"),
    ] {
        let c = by(name);
        assert_eq!(c.status.as_str(), "Revoked", "{name}");
        assert_eq!(
            details(&c),
            Some((
                reason,
                pki.revocation_date("inter", name),
                format!("OCSP {}", pki.url("OCSP_PORT", ""))
            ))
        );
    }
    // A revoked intermediate makes its leaves revoked.
    let c = by("under-revoked-ca");
    assert_eq!(c.status.as_str(), "Revoked");
    let (reason, _, source) = details(&c).unwrap();
    assert_eq!(reason, "CACompromise");
    assert!(source.contains(&pki.thumb("inter2")), "{source}");
    assert!(source.starts_with(&format!("CRL {}", pki.url("HTTP_PORT", "/root.crl"))));

    // Each failure names the URL and the cause.
    let failures = [
        (
            "other-key",
            pki.url("HTTP_PORT", "/other-key.crl"),
            "signature does not verify",
        ),
        (
            "expired-crl",
            pki.url("HTTP_PORT", "/expired.crl"),
            "expired",
        ),
        ("garbage", pki.url("HTTP_PORT", "/garbage.crl"), "malformed"),
        ("slow", pki.url("SLOW_PORT", "/slow.crl"), "timed out"),
        ("dead", pki.url("DEAD_PORT", "/inter.crl"), "cannot connect"),
        (
            "no-cdp",
            String::new(),
            "no usable CRL distribution point and no OCSP responder",
        ),
        ("ldap-only", "ldap://127.0.0.1/inter-cdp".into(), "skipped"),
    ];
    for (name, url, cause) in &failures {
        assert_eq!(by(name).status.as_str(), "RevocationCheckFailure", "{name}");
        let w = warning_of(&answer.warnings, &pki.thumb(name));
        assert!(w.contains(url.as_str()) && w.contains(cause), "{name}: {w}");
    }
    // The timed-out server held one listing for one timeout, not one per certificate.
    assert!(
        answer
            .warnings
            .iter()
            .filter(|w| w.contains("timed out"))
            .count()
            == 1
    );

    // The C ABI gives the same statuses and details, from the warm cache.
    let json = list_ffi(&store, "");
    for c in json["Certificates"].as_array().unwrap() {
        let thumb = c["Thumbprint"].as_str().unwrap();
        assert_eq!(c["Status"].as_str().unwrap(), status_of(&answer, thumb));
    }
    let revoked = json["Certificates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["Thumbprint"] == pki.thumb("crl-revoked").as_str())
        .unwrap();
    assert_eq!(revoked["RevocationReason"], "KeyCompromise");
    assert_eq!(
        revoked["RevocationDate"],
        pki.revocation_date("inter", "crl-revoked").as_str()
    );
    assert!(revoked["RevocationSource"]
        .as_str()
        .unwrap()
        .starts_with("CRL http://127.0.0.1:"));
    let warnings = json["Warnings"].as_array().unwrap();
    assert!(warnings.iter().any(|w| w
        .as_str()
        .unwrap()
        .contains(&pki.url("SLOW_PORT", "/slow.crl"))));

    // Cached answers honour nextUpdate: a revocation published since is not seen until a
    // refresh (as Windows' cache), then it is, by CRL and by OCSP.
    pki.revoke("inter", "crl-good", "affiliationChanged");
    pki.revoke("inter", "ocsp-good", "keyCompromise");
    let again = list(&store, Mode::Online);
    assert_eq!(status_of(&again, &pki.thumb("crl-good")), "Valid");
    assert_eq!(status_of(&again, &pki.thumb("ocsp-good")), "Valid");
    let json = list_ffi(&store, r#","RefreshRevocation":true"#);
    let find = |name: &str| {
        json["Certificates"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["Thumbprint"] == pki.thumb(name).as_str())
            .unwrap()
            .clone()
    };
    assert_eq!(find("crl-good")["Status"], "Revoked");
    assert_eq!(find("crl-good")["RevocationReason"], "AffiliationChanged");
    assert_eq!(find("ocsp-good")["Status"], "Revoked");
    assert!(find("ocsp-good")["RevocationSource"]
        .as_str()
        .unwrap()
        .starts_with("OCSP "));

    // Both together make no sense: refused, naming both.
    let (code, text) = list_ffi_refused(
        &store,
        r#","RefreshRevocation":true,"OfflineRevocation":true"#,
    );
    assert_ne!(code, 0);
    assert!(
        text.contains("RefreshRevocation and OfflineRevocation"),
        "{text}"
    );

    // Offline: cached answers only; nothing cached gives a failure, never a wait.
    let offline = list(&store, Mode::Offline);
    assert_eq!(status_of(&offline, &pki.thumb("crl-good")), "Revoked");
    assert_eq!(status_of(&offline, &pki.thumb("file-crl")), "Valid");
    assert_eq!(
        status_of(&offline, &pki.thumb("slow")),
        "RevocationCheckFailure"
    );
    assert!(warning_of(&offline.warnings, &pki.thumb("slow")).contains("offline"));

    // The servers stop: the cache, still current, answers; once stale (later than the CRLs'
    // nextUpdate, 7 days, and the OCSP answers', 1 day), the check fails naming the URL.
    pki.stop();
    let stopped = list(&store, Mode::Online);
    assert_eq!(status_of(&stopped, &pki.thumb("crl-revoked")), "Revoked");
    assert_eq!(
        status_of(&stopped, &pki.thumb("ocsp-only-revoked")),
        "Revoked"
    );
    let cache = excert::store::Store::open(Some(&store.root()))
        .unwrap()
        .revocation_cache();
    let chain = vec![pki.der("crl-revoked"), pki.der("inter"), pki.der("root")];
    let later = time::OffsetDateTime::now_utc() + time::Duration::days(8);
    for mode in [Mode::Online, Mode::Offline] {
        let verdicts = Checker::new(&cache, mode, later).check(std::slice::from_ref(&chain));
        let Verdict::Failed { causes } = &verdicts[0] else {
            panic!("{mode:?}: {verdicts:?}")
        };
        let text = causes.join(" ");
        assert!(text.contains("expired"), "{text}");
        if mode == Mode::Online {
            assert!(
                text.contains(&pki.url("HTTP_PORT", "/inter.crl"))
                    && text.contains("cannot connect"),
                "{text}"
            );
        }
    }

    // The cache is written by others: a damaged or planted file is re-verified and refused.
    let issuer_dir = store.path().join("revocation").join(pki.thumb("inter"));
    for entry in std::fs::read_dir(&issuer_dir).unwrap() {
        std::fs::write(entry.unwrap().path(), b"\x30\x03\x0a\x01\x00").unwrap();
    }
    let damaged = list(&store, Mode::Offline);
    assert_eq!(
        status_of(&damaged, &pki.thumb("crl-revoked")),
        "RevocationCheckFailure"
    );
    assert!(warning_of(&damaged.warnings, &pki.thumb("crl-revoked")).contains("cached CRL"));
}
