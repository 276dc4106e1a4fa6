//! The per-server listing index is a cache: folders decide what exists, damage is ignored.

mod common;

use common::TempStore;
use excert::model::{ListRequest, NewCertificateRequest, RemoveRequest};
use excert::ops;

#[test]
fn listings_stay_true_whatever_the_index_says() {
    let store = TempStore::new();
    let new = || {
        ops::new_certificate(&NewCertificateRequest {
            store_root: Some(store.root()),
            server: Some("EX01".into()),
            key_algorithm: Some("ECDSA_P256".into()),
            services: Some("None".into()),
            ..Default::default()
        })
        .unwrap()
        .certificate
        .thumbprint
    };
    let list = || {
        let mut t: Vec<String> = ops::list_certificates(&ListRequest {
            store_root: Some(store.root()),
            server: Some("EX01".into()),
            ..Default::default()
        })
        .unwrap()
        .certificates
        .into_iter()
        .map(|c| c.thumbprint)
        .collect();
        t.sort();
        t
    };
    let mut made = vec![new(), new(), new()];
    made.sort();
    assert_eq!(list(), made);
    let index = store.path().join("servers/EX01/index");
    assert!(index.exists(), "the first listing writes the index");

    ops::remove(&RemoveRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        thumbprint: made[1].clone(),
        force: false,
    })
    .unwrap();
    let gone = made.remove(1);
    made.push(new());
    made.sort();
    assert_eq!(
        list(),
        made,
        "removed and added entries are seen through a stale index"
    );
    assert!(!list().contains(&gone));

    std::fs::write(&index, b"excert-index-1\n\xff\xff\xff\xff garbage").unwrap();
    assert_eq!(list(), made, "a damaged index is ignored");
    std::fs::write(&index, b"").unwrap();
    assert_eq!(list(), made);
}
