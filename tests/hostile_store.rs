//! A store others can write (issue 23): a symlink, a hard link or a loose key mode planted in
//! it must not make a writer read, zero or delete files outside the store, and a key file
//! others can read is warned about on every listing.
#![cfg(unix)]

mod common;

use common::TempStore;
use excert::model::{ListRequest, NewCertificateRequest};
use excert::ops;
use std::fs;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};

/// A folder outside the store holding files a hostile store would make us touch.
struct Sentinel {
    dir: tempfile::TempDir,
}

impl Sentinel {
    fn new() -> Sentinel {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("secret.txt"),
            b"SENTINEL-SECRET outside the store",
        )
        .unwrap();
        fs::write(dir.path().join("key.p8"), b"SENTINEL-KEY outside the store").unwrap();
        fs::create_dir(dir.path().join(".IIS-0000")).unwrap();
        fs::write(dir.path().join(".IIS-0000/privkey.pem"), b"SENTINEL-LIVE").unwrap();
        Sentinel { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Every file under the folder with its bytes, for a before/after comparison.
    fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
            let mut names: Vec<_> = fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            names.sort();
            for p in names {
                if p.is_dir() {
                    out.push((p.clone(), Vec::new()));
                    walk(&p, out);
                } else {
                    out.push((p.clone(), fs::read(&p).unwrap()));
                }
            }
        }
        let mut out = Vec::new();
        walk(self.path(), &mut out);
        out
    }
}

fn new_cert(store: &TempStore, services: &str) -> String {
    ops::new_certificate(&NewCertificateRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        key_algorithm: Some(common::algorithm("ECDSA_P256")),
        services: Some(common::services(services)),
        ..Default::default()
    })
    .unwrap()
    .certificate
    .thumbprint
}

fn list_warnings(store: &TempStore) -> Vec<String> {
    ops::list_certificates(&ListRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        ..Default::default()
    })
    .unwrap()
    .warnings
}

fn server_dir(store: &TempStore) -> PathBuf {
    store.path().join("servers/EX01")
}

/// Every file under `dir` as text (lossy), concatenated.
fn all_text(dir: &Path) -> String {
    let mut out = String::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let m = fs::symlink_metadata(&p).unwrap();
        if m.is_dir() {
            out.push_str(&all_text(&p));
        } else if m.is_file() {
            out.push_str(&String::from_utf8_lossy(&fs::read(&p).unwrap()));
        }
    }
    out
}

// Item 1: `live` replaced by a symlink to a folder.
#[test]
fn a_symlinked_live_folder_is_refused_and_its_target_untouched() {
    let store = TempStore::new();
    let sentinel = Sentinel::new();
    new_cert(&store, "None");
    let live = server_dir(&store).join("live");
    let _ = fs::remove_dir_all(&live);
    symlink(sentinel.path(), &live).unwrap();
    let before = sentinel.snapshot();

    let err = ops::new_certificate(&NewCertificateRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        key_algorithm: Some(common::algorithm("ECDSA_P256")),
        services: Some(common::services("IIS")),
        ..Default::default()
    })
    .unwrap_err();
    assert!(err.message.contains("not a real folder"), "{}", err.message);
    assert!(err.message.contains("rm '"), "{}", err.message);
    assert_eq!(sentinel.snapshot(), before, "the symlink's target changed");
}

// Item 2: a planted `.tmp-*` symlink to a folder, and a `key.p8` hard link, are not zeroed.
#[test]
fn leftover_sweeps_and_removal_follow_no_link() {
    let store = TempStore::new();
    let sentinel = Sentinel::new();
    let thumb = new_cert(&store, "None");
    let server = server_dir(&store);
    symlink(sentinel.path(), server.join(".tmp-entry-1-1")).unwrap();
    symlink(sentinel.path(), server.join("certs/.tmp-removed-1-2")).unwrap();
    // The entry's key replaced by a hard link to a file outside (same file system).
    let outside_key = sentinel.path().join("key.p8");
    let entry_key = server.join("certs").join(&thumb).join("key.p8");
    if fs::hard_link(
        &outside_key,
        server.join("certs").join(&thumb).join("key.link"),
    )
    .is_ok()
    {
        fs::remove_file(&entry_key).unwrap();
        fs::rename(
            server.join("certs").join(&thumb).join("key.link"),
            &entry_key,
        )
        .unwrap();
    }
    let before = sentinel.snapshot();

    new_cert(&store, "None"); // takes the lock: sweeps leftovers
    ops::remove(&excert::model::RemoveRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        thumbprint: thumb.clone(),
        ..Default::default()
    })
    .unwrap();

    assert_eq!(
        sentinel.snapshot(),
        before,
        "a file outside the store changed"
    );
    assert!(!server.join(".tmp-entry-1-1").exists());
    assert!(!server.join("certs").join(&thumb).exists());
}

// Item 3: a `chain/0.der` symlink is not read into the index or the live files.
#[test]
fn a_symlinked_chain_file_is_not_read() {
    let store = TempStore::new();
    let sentinel = Sentinel::new();
    let thumb = new_cert(&store, "None");
    let chain = server_dir(&store).join("certs").join(&thumb).join("chain");
    fs::create_dir_all(&chain).unwrap();
    symlink(sentinel.path().join("secret.txt"), chain.join("0.der")).unwrap();

    let listed = ops::list_certificates(&ListRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        ..Default::default()
    });
    let err = listed.expect_err("a listing through a planted symlink must fail");
    assert!(
        err.message.contains("not a regular file"),
        "{}",
        err.message
    );
    assert!(
        !all_text(&server_dir(&store)).contains("SENTINEL-SECRET"),
        "the outside file was copied into the store"
    );
}

// Item 11: a key others can read is warned about on every listing, not only the first.
#[test]
fn an_exposed_key_is_warned_about_on_every_listing() {
    let store = TempStore::new();
    let thumb = new_cert(&store, "None");
    let key = server_dir(&store).join("certs").join(&thumb).join("key.p8");
    assert!(list_warnings(&store).iter().all(|w| !w.contains("key.p8")));
    fs::set_permissions(&key, fs::Permissions::from_mode(0o644)).unwrap();
    for pass in 0..3 {
        let warnings = list_warnings(&store);
        assert!(
            warnings
                .iter()
                .any(|w| w.contains(&key.display().to_string())),
            "listing {pass} did not warn: {warnings:?}"
        );
    }
}
