//! Enable-/Remove-ExchangeCertificate rules and the live files, checked with openssl.

mod common;

use common::{openssl, TempStore};
use excert::model::{EnableRequest, NewCertificateRequest, RemoveRequest, ThumbprintRequest};
use excert::{ops, Code};
use std::path::Path;

fn make(store: &TempStore, cn: &str, services: &str) -> String {
    ops::new_certificate(&NewCertificateRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        subject_name: Some(common::subject(&format!("CN={cn}"))),
        key_algorithm: Some(common::algorithm("ECDSA_P256")),
        services: Some(common::services(services)),
        force: true,
        ..Default::default()
    })
    .unwrap()
    .certificate
    .thumbprint
}

fn enable(
    store: &TempStore,
    thumb: &str,
    services: &str,
    force: bool,
) -> excert::Result<excert::model::CertificateAnswer> {
    ops::enable(&EnableRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        thumbprint: thumb.to_lowercase(),
        services: common::services(services),
        force,
        ..Default::default()
    })
}

fn services_of(store: &TempStore, thumb: &str) -> String {
    ops::get_certificate(&ThumbprintRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        thumbprint: thumb.into(),
    })
    .unwrap()
    .certificate
    .services
    .to_string()
}

fn remove(
    store: &TempStore,
    thumb: &str,
    force: bool,
) -> excert::Result<excert::model::RemoveAnswer> {
    ops::remove(&RemoveRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        thumbprint: thumb.into(),
        force,
    })
}

fn live(store: &TempStore, service: &str) -> std::path::PathBuf {
    store.path().join("servers/EX01/live").join(service)
}

/// The thumbprint of the certificate in a live folder, as openssl reads it.
fn live_thumbprint(dir: &Path) -> String {
    let fp = openssl(&[
        "x509",
        "-in",
        dir.join("cert.pem").to_str().unwrap(),
        "-noout",
        "-fingerprint",
        "-sha1",
    ]);
    fp.trim().rsplit('=').next().unwrap().replace(':', "")
}

#[test]
fn services_are_additive_and_single_holders_move() {
    let store = TempStore::new();
    let a = make(&store, "a.contoso.com", "IIS,IMAP");
    let b = make(&store, "b.contoso.com", "None");
    let ans = enable(&store, &b, "POP", false).unwrap();
    assert_eq!(ans.certificate.services.to_string(), "POP");
    enable(&store, &b, "IIS", false).unwrap();
    assert_eq!(services_of(&store, &b), "POP, IIS", "additive");
    assert_eq!(services_of(&store, &a), "IMAP", "IIS moved away from a");
    assert_eq!(live_thumbprint(&live(&store, "IIS")), b);
    assert_eq!(live_thumbprint(&live(&store, "IMAP")), a);
}

#[test]
fn default_smtp_changes_only_with_force() {
    let store = TempStore::new();
    let a = make(&store, "a.contoso.com", "SMTP");
    let b = make(&store, "b.contoso.com", "None");
    let e = enable(&store, &b, "SMTP", false).unwrap_err();
    assert_eq!(e.code, Code::ConfirmationRequired);
    assert_eq!(services_of(&store, &b), "None", "nothing changed");
    assert_eq!(live_thumbprint(&live(&store, "SMTP")), a);
    // The answer No (KeepDefaultSMTP): b gets SMTP beside a, a stays the default.
    let kept = ops::enable(&EnableRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        thumbprint: b.clone(),
        services: common::services("SMTP, IIS"),
        keep_default_smtp: true,
        ..Default::default()
    })
    .unwrap();
    assert_eq!(kept.certificate.services.to_string(), "IIS, SMTP");
    assert_eq!(
        live_thumbprint(&live(&store, "SMTP")),
        a,
        "a is still the default"
    );
    // Force replaces it, and (as Exchange's -Force) hides the warning.
    let ok = enable(&store, &b, "SMTP", true).unwrap();
    assert!(
        !ok.warnings.iter().any(|w| w.contains("default SMTP")),
        "{:?}",
        ok.warnings
    );
    assert_eq!(services_of(&store, &a), "SMTP", "SMTP keeps both holders");
    assert_eq!(
        live_thumbprint(&live(&store, "SMTP")),
        b,
        "live files follow the default"
    );
}

#[test]
fn refusals_say_why() {
    let store = TempStore::new();
    let a = make(&store, "a.contoso.com", "None");
    assert_eq!(
        enable(&store, &a, "Federation", true).unwrap_err().code,
        Code::ServiceRefused
    );
    // An unknown service is refused where the text is read (the C ABI, the cmdlet).
    assert_eq!(
        excert::cert::services::Services::parse("HTTP")
            .unwrap_err()
            .code,
        Code::InvalidArgument
    );
    let expired = ops::new_certificate(&NewCertificateRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        key_algorithm: Some(common::algorithm("ECDSA_P256")),
        services: Some(common::services("None")),
        not_before: Some(common::date("2020-01-01T00:00:00Z")),
        not_after: Some(common::date("2021-01-01T00:00:00Z")),
        ..Default::default()
    })
    .unwrap()
    .certificate
    .thumbprint;
    let e = enable(&store, &expired, "IIS", true).unwrap_err();
    assert_eq!(e.code, Code::Expired);
    assert!(e.message.contains("New-ExchangeCertificate"), "{e}");
    let pending = ops::new_request(&NewCertificateRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        ..Default::default()
    })
    .unwrap()
    .certificate
    .thumbprint;
    assert_eq!(
        enable(&store, &pending, "IIS", true).unwrap_err().code,
        Code::PendingRequest
    );
    let wild = ops::new_certificate(&NewCertificateRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        subject_name: Some(common::subject("CN=*.contoso.com")),
        services: Some(common::services("None")),
        ..Default::default()
    })
    .unwrap()
    .certificate
    .thumbprint;
    let w = enable(&store, &wild, "IMAP", false).unwrap();
    assert!(w.warnings.iter().any(|w| w.contains("wildcard")));
}

#[test]
fn live_files_match_and_keys_are_private() {
    let store = TempStore::new();
    let a = make(&store, "mail.contoso.com", "IIS");
    let dir = live(&store, "IIS");
    let key_pub = openssl(&[
        "pkey",
        "-in",
        dir.join("privkey.pem").to_str().unwrap(),
        "-pubout",
    ]);
    let cert_pub = openssl(&[
        "x509",
        "-in",
        dir.join("cert.pem").to_str().unwrap(),
        "-noout",
        "-pubkey",
    ]);
    assert_eq!(key_pub, cert_pub);
    let combined = std::fs::read_to_string(dir.join("combined.pem")).unwrap();
    assert!(
        combined.starts_with("-----BEGIN PRIVATE KEY-----")
            && combined.contains("BEGIN CERTIFICATE")
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("fullchain.pem")).unwrap(),
        std::fs::read_to_string(dir.join("cert.pem")).unwrap()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for f in ["privkey.pem", "combined.pem"] {
            assert_eq!(
                std::fs::metadata(dir.join(f)).unwrap().permissions().mode() & 0o777,
                0o600,
                "{f}"
            );
        }
    }
    let got = ops::get_certificate(&ThumbprintRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        thumbprint: a.clone(),
    })
    .unwrap();
    assert_eq!(
        got.certificate.live_files.get("IIS").map(String::as_str),
        Some(dir.to_str().unwrap())
    );
}

#[test]
fn removal_refuses_what_is_in_use_unless_forced() {
    let store = TempStore::new();
    let a = make(&store, "a.contoso.com", "IIS,SMTP");
    let b = make(&store, "b.contoso.com", "None");
    let e = remove(&store, &a, false).unwrap_err();
    assert_eq!(e.code, Code::InUse);
    assert!(
        e.message.contains("default SMTP") && e.message.contains("Enable-ExchangeCertificate"),
        "{e}"
    );
    remove(&store, &b, false).unwrap();
    assert_eq!(remove(&store, &b, false).unwrap_err().code, Code::NotFound);
    let key_dir = store.path().join("servers/EX01/certs").join(&a);
    assert!(key_dir.join("key.p8").exists());
    let gone = remove(&store, &a, true).unwrap();
    assert!(
        gone.warnings
            .iter()
            .any(|w| w.contains("no SMTP certificate")),
        "{:?}",
        gone.warnings
    );
    assert!(!key_dir.exists(), "the entry and its key are deleted");
    assert!(
        !live(&store, "IIS").exists() && !live(&store, "SMTP").exists(),
        "no live files point at a deleted certificate"
    );
    let leftovers: Vec<_> = std::fs::read_dir(store.path().join("servers/EX01/live"))
        .unwrap()
        .collect();
    assert!(
        leftovers.is_empty(),
        "old live folders are cleared: {leftovers:?}"
    );
    let pending = ops::new_request(&NewCertificateRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        ..Default::default()
    })
    .unwrap()
    .certificate
    .thumbprint;
    remove(&store, &pending, false).unwrap();
}

#[test]
fn reload_commands_run_and_failures_keep_the_assignment() {
    let store = TempStore::new();
    let a = make(&store, "a.contoso.com", "None");
    let marker = store.path().join("reloaded");
    std::fs::write(
        store.path().join("servers/EX01/reload"),
        format!(
            "IIS=echo reloaded > {}\nIMAP=echo boom >&2; exit 3\n",
            marker.display()
        ),
    )
    .unwrap();
    let ok = enable(&store, &a, "IIS", false).unwrap();
    assert!(ok.warnings.is_empty(), "{:?}", ok.warnings);
    assert_eq!(std::fs::read_to_string(&marker).unwrap().trim(), "reloaded");
    let failed = enable(&store, &a, "IMAP", false).unwrap();
    assert!(
        failed
            .warnings
            .iter()
            .any(|w| w.contains("IMAP") && w.contains("boom") && w.contains("assignment stands")),
        "{:?}",
        failed.warnings
    );
    assert_eq!(services_of(&store, &a), "IMAP, IIS");
}
