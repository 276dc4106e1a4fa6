//! Many servers in one store, expiry filters across them, and key-file permissions.

mod common;

use common::TempStore;
use excert::model::{ExportRequest, ListRequest, NewCertificateRequest, ThumbprintRequest};
use excert::{ops, Code};
use time::{Duration, OffsetDateTime};

fn make(store: &TempStore, server: &str, days_left: i64) -> String {
    let now = OffsetDateTime::now_utc();
    ops::new_certificate(&NewCertificateRequest {
        store_root: Some(store.root()),
        server: Some(server.into()),
        key_algorithm: Some(common::algorithm("ECDSA_P256")),
        services: Some(common::services("None")),
        private_key_exportable: true,
        not_before: Some(now - Duration::days(400)),
        not_after: Some(now + Duration::days(days_left)),
        ..Default::default()
    })
    .unwrap()
    .certificate
    .thumbprint
}

#[test]
fn expiring_certificates_are_found_across_all_servers() {
    let store = TempStore::new();
    let soon = make(&store, "EX01", 20);
    let later = make(&store, "EX02", 45);
    let _far = make(&store, "EX03", 400);
    let gone = make(&store, "EX03", -3);
    let list = |within: Option<u32>| {
        ops::list_certificates(&ListRequest {
            store_root: Some(store.root()),
            server: Some("*".into()),
            expiring_within_days: within,
            ..Default::default()
        })
        .unwrap()
    };
    let all = list(None);
    assert_eq!(all.certificates.len(), 4);
    assert_eq!(
        all.warnings.len(),
        2,
        "30 days by default: {:?}",
        all.warnings
    );
    assert!(all.warnings.iter().any(|w| w.contains(&soon)
        && w.contains("EX01")
        && (w.contains("expires in 19 days") || w.contains("expires in 20 days"))));
    assert!(all
        .warnings
        .iter()
        .any(|w| w.contains(&gone) && w.contains("expired 3 days ago") && w.contains("EX03")));
    let mut within: Vec<String> = list(Some(60))
        .certificates
        .into_iter()
        .map(|c| c.identity())
        .collect();
    within.sort();
    let mut expected = vec![
        format!("EX01\\{soon}"),
        format!("EX02\\{later}"),
        format!("EX03\\{gone}"),
    ];
    expected.sort();
    assert_eq!(within, expected);
    let custom = ops::list_certificates(&ListRequest {
        store_root: Some(store.root()),
        server: Some("*".into()),
        expiry_warning_days: Some(50),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(
        custom.warnings.len(),
        3,
        "a larger threshold warns about more"
    );
}

#[cfg(unix)]
#[test]
fn exposed_key_files_are_reported_and_not_used() {
    use std::os::unix::fs::PermissionsExt;
    let store = TempStore::new();
    let t = make(&store, "EX01", 100);
    let key = store
        .path()
        .join("servers/EX01/certs")
        .join(&t)
        .join("key.p8");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let got = ops::get_certificate(&ThumbprintRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        thumbprint: t.clone(),
    })
    .unwrap();
    assert!(
        got.warnings
            .iter()
            .any(|w| w.contains("chmod 600") && w.contains("key.p8")),
        "{:?}",
        got.warnings
    );
    let e = ops::export(
        &ExportRequest {
            store_root: Some(store.root()),
            server: Some("EX01".into()),
            thumbprint: t.clone(),
            ..Default::default()
        },
        Some(b"pw"),
    )
    .unwrap_err();
    assert_eq!(e.code, Code::StorePermissions);
    assert!(e.message.contains("chmod 600"));
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert!(ops::export(
        &ExportRequest {
            store_root: Some(store.root()),
            server: Some("EX01".into()),
            thumbprint: t,
            ..Default::default()
        },
        Some(b"pw")
    )
    .is_ok());

    std::fs::set_permissions(store.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let list = ops::list_certificates(&ListRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        ..Default::default()
    })
    .unwrap();
    assert!(
        list.warnings.iter().any(|w| w.contains("chmod 700")),
        "{:?}",
        list.warnings
    );
}
