//! The per-server listing index is a cache: folders decide what exists, damage is ignored.

mod common;

use common::TempStore;
use excert::model::{ExportRequest, ImportRequest, NewCertificateRequest, RemoveRequest};
use excert::ops;

/// The thumbprints EX01's listing gives, sorted.
fn listed_on_ex01(store: &TempStore) -> Vec<String> {
    let mut t: Vec<String> = common::list_ex01(store)
        .certificates
        .into_iter()
        .map(|c| c.thumbprint)
        .collect();
    t.sort();
    t
}

#[test]
fn listings_stay_true_whatever_the_index_says() {
    let store = TempStore::new();
    let new = || common::new_ecdsa_on_ex01(&store, "None");
    let list = || listed_on_ex01(&store);
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

    // The same certificate removed and imported again with its key: the index must not keep
    // the old record (HasPrivateKey False) for the new folder of the same name.
    let lone = ops::new_certificate(&NewCertificateRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        key_algorithm: Some(common::algorithm("ECDSA_P256")),
        services: Some(common::services("None")),
        private_key_exportable: true,
        ..Default::default()
    })
    .unwrap()
    .certificate;
    let pfx = ops::export(
        &ExportRequest {
            store_root: Some(store.root()),
            server: Some("EX01".into()),
            thumbprint: lone.thumbprint.clone(),
            ..Default::default()
        },
        Some(b"pw"),
    )
    .unwrap();
    let cer = ops::export(
        &ExportRequest {
            store_root: Some(store.root()),
            server: Some("EX01".into()),
            thumbprint: lone.thumbprint.clone(),
            ..Default::default()
        },
        None,
    )
    .unwrap();
    let remove = || {
        ops::remove(&RemoveRequest {
            store_root: Some(store.root()),
            server: Some("EX01".into()),
            thumbprint: lone.thumbprint.clone(),
            force: false,
        })
        .unwrap()
    };
    let import = |data: &[u8], pw: Option<&[u8]>| {
        ops::import(
            &ImportRequest {
                store_root: Some(store.root()),
                server: Some("EX01".into()),
                file_data: data.to_vec(),
                ..Default::default()
            },
            pw,
        )
        .unwrap()
    };
    let has_key = || {
        common::list_ex01(&store)
            .certificates
            .into_iter()
            .find(|c| c.thumbprint == lone.thumbprint)
            .map(|c| c.has_private_key)
    };
    remove();
    import(&cer.file_data, None);
    assert_eq!(has_key(), Some(false));
    remove();
    import(&pfx.file_data, Some(b"pw"));
    assert_eq!(has_key(), Some(true));
    made.push(lone.thumbprint.clone());
    made.sort();

    std::fs::write(&index, b"excert-index-2\n\xff\xff\xff\xff garbage").unwrap();
    assert_eq!(list(), made, "a damaged index is ignored");
    std::fs::write(&index, b"").unwrap();
    assert_eq!(list(), made);
}

// The generation is the size of a file that holds no data, grown in place by the writer; what
// is not the store's own file there (a hard link to another file, a FIFO) is never opened for
// writing or changed: it is replaced by a new file instead.
#[cfg(unix)]
#[test]
fn the_generation_grows_in_place_and_changes_no_other_file() {
    use std::os::unix::fs::MetadataExt;
    let store = TempStore::new();
    let new = || common::new_ecdsa_on_ex01(&store, "None");
    let generation = store.path().join("servers/EX01/changes");
    new();
    let first = std::fs::symlink_metadata(&generation).unwrap();
    assert_eq!(first.len(), 2, "one change: odd before, even after");
    new();
    let second = std::fs::symlink_metadata(&generation).unwrap();
    assert_eq!(second.len(), 4);
    assert_eq!(second.ino(), first.ino(), "grown in place, not replaced");
    assert!(std::fs::read(&generation).unwrap().iter().all(|&b| b == 0));

    // A hard link to a file outside the store: that file keeps its bytes.
    let outside = store.path().join("outside.txt");
    std::fs::write(&outside, b"keep me").unwrap();
    std::fs::remove_file(&generation).unwrap();
    std::fs::hard_link(&outside, &generation).unwrap();
    new();
    assert_eq!(std::fs::read(&outside).unwrap(), b"keep me");
    let replaced = std::fs::symlink_metadata(&generation).unwrap();
    assert_ne!(replaced.ino(), std::fs::metadata(&outside).unwrap().ino());
    assert!(replaced.len() > 7 && replaced.len().is_multiple_of(2));

    // A FIFO: a writer that opened it would hang; it is replaced.
    std::fs::remove_file(&generation).unwrap();
    let fifo = std::process::Command::new("mkfifo")
        .arg(&generation)
        .status()
        .unwrap();
    assert!(fifo.success());
    new();
    assert!(std::fs::symlink_metadata(&generation)
        .unwrap()
        .file_type()
        .is_file());
}

// Earlier versions kept the generation as text in `generation`, replaced by rename. It is never
// read (a text of odd length, "5", would read as a change in progress: every listing would wait
// and skip the index until the next change); the first writer removes it, and only its name.
#[cfg(unix)]
#[test]
fn an_earlier_versions_generation_is_not_read_and_the_first_writer_removes_it() {
    let store = TempStore::new();
    let new = || common::new_ecdsa_on_ex01(&store, "None");
    let list = || listed_on_ex01(&store);
    let server = store.path().join("servers/EX01");
    let first = new();
    // The store as an earlier version leaves it: its counter in text, odd, and no `changes`.
    std::fs::remove_file(server.join("changes")).unwrap();
    std::fs::write(server.join("generation"), b"5").unwrap();
    assert_eq!(list(), vec![first.clone()]);
    assert_eq!(
        std::fs::read(server.join("generation")).unwrap(),
        b"5",
        "a reader changes nothing"
    );

    // A symlink there is removed as a name: its target keeps its bytes.
    let outside = store.path().join("outside.txt");
    std::fs::write(&outside, b"keep me").unwrap();
    std::fs::remove_file(server.join("generation")).unwrap();
    std::os::unix::fs::symlink(&outside, server.join("generation")).unwrap();
    let second = new();
    assert!(std::fs::symlink_metadata(server.join("generation")).is_err());
    assert_eq!(std::fs::read(&outside).unwrap(), b"keep me");
    assert_eq!(
        std::fs::symlink_metadata(server.join("changes"))
            .unwrap()
            .len(),
        2
    );
    let mut both = vec![first, second];
    both.sort();
    assert_eq!(list(), both);
}
