//! A store others can write (docs/security.md): a symlink, a hard link or a loose key mode planted in
//! it must not make a writer read, zero or delete files outside the store, and a key file
//! others can read is warned about on every listing.
#![cfg(unix)]

mod common;
/// Every store path x every plant x every operation.
#[path = "hostile_store/matrix.rs"]
mod matrix;

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
    common::new_ecdsa_on_ex01(&store, "None");
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
    assert!(
        err.message.contains(&live.display().to_string()),
        "{}",
        err.message
    );
    assert!(err.message.contains("rm '"), "{}", err.message);
    assert_eq!(sentinel.snapshot(), before, "the symlink's target changed");
}

// Item 2: a planted `.tmp-*` symlink to a folder, and a `key.p8` hard link, are not zeroed.
#[test]
fn leftover_sweeps_and_removal_follow_no_link() {
    let store = TempStore::new();
    let sentinel = Sentinel::new();
    let thumb = common::new_ecdsa_on_ex01(&store, "None");
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

    common::new_ecdsa_on_ex01(&store, "None"); // takes the lock: sweeps leftovers
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
    let thumb = common::new_ecdsa_on_ex01(&store, "None");
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
    let thumb = common::new_ecdsa_on_ex01(&store, "None");
    let key = server_dir(&store).join("certs").join(&thumb).join("key.p8");
    assert!(common::list_ex01(&store)
        .warnings
        .iter()
        .all(|w| !w.contains("key.p8")));
    fs::set_permissions(&key, fs::Permissions::from_mode(0o644)).unwrap();
    for pass in 0..3 {
        let warnings = common::list_ex01(&store).warnings;
        assert!(
            warnings
                .iter()
                .any(|w| w.contains(&key.display().to_string())),
            "listing {pass} did not warn: {warnings:?}"
        );
    }
}

fn reload_file(store: &TempStore) -> PathBuf {
    server_dir(store).join("reload")
}

fn enable(store: &TempStore, thumb: &str, services: &str) -> excert::Result<Vec<String>> {
    ops::enable(&excert::model::EnableRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        thumbprint: thumb.to_string(),
        services: common::services(services),
        force: true,
        ..Default::default()
    })
    .map(|a| a.warnings)
}

// Item 4: a reload file others could have written is not run; the warning names it and the fix.
#[test]
fn a_reload_file_others_can_write_or_own_is_not_run() {
    let store = TempStore::new();
    let sentinel = Sentinel::new();
    let first = common::new_ecdsa_on_ex01(&store, "IIS");
    let second = common::new_ecdsa_on_ex01(&store, "None");
    let marker = sentinel.path().join("ran");
    let script = sentinel.path().join("reload-script");
    fs::write(&script, format!("IIS=touch '{}'\n", marker.display())).unwrap();
    let reload = reload_file(&store);
    let holders = [&first, &second];
    // (what is planted, what the warning must say)
    let cases: [(&str, &dyn Fn(), &str); 3] = [
        (
            "world-writable",
            &|| {
                fs::copy(&script, &reload).unwrap();
                fs::set_permissions(&reload, fs::Permissions::from_mode(0o666)).unwrap();
            },
            "chmod go-w",
        ),
        (
            "a symlink to a file outside",
            &|| symlink(&script, &reload).unwrap(),
            "rm '",
        ),
        (
            "owned by another user",
            &|| {
                fs::copy(&script, &reload).unwrap();
                std::os::unix::fs::chown(&reload, Some(65534), Some(65534)).unwrap();
            },
            "chown",
        ),
    ];
    for (i, (what, plant, fix)) in cases.iter().enumerate() {
        if *what == "owned by another user" && !running_as_root() {
            continue;
        }
        let _ = fs::remove_file(&reload);
        plant();
        let before = sentinel.snapshot();
        let warnings = enable(&store, holders[(i + 1) % 2], "IIS").unwrap();
        assert!(!marker.exists(), "{what}: the reload command ran");
        assert!(
            warnings.iter().any(|w| w.contains("IIS live files changed")
                && w.contains(&reload.display().to_string())
                && w.contains(fix)),
            "{what}: {warnings:?}"
        );
        assert_eq!(sentinel.snapshot(), before, "{what}: outside changed");
    }
    // The same file, owned by the caller and 0644, runs.
    let _ = fs::remove_file(&reload);
    fs::copy(&script, &reload).unwrap();
    fs::set_permissions(&reload, fs::Permissions::from_mode(0o644)).unwrap();
    let warnings = enable(&store, &first, "IIS").unwrap();
    assert!(
        warnings.iter().all(|w| !w.contains("reload")),
        "{warnings:?}"
    );
    assert!(marker.exists(), "a trusted reload file did not run");
}

fn running_as_root() -> bool {
    fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false)
}

// Item 4: a server folder others can write: nothing is written, nothing runs.
#[test]
fn a_server_folder_others_can_write_refuses_writes_and_runs_nothing() {
    let store = TempStore::new();
    let sentinel = Sentinel::new();
    common::new_ecdsa_on_ex01(&store, "None");
    let marker = sentinel.path().join("ran");
    fs::write(
        reload_file(&store),
        format!("IIS=touch '{}'\n", marker.display()),
    )
    .unwrap();
    fs::set_permissions(server_dir(&store), fs::Permissions::from_mode(0o777)).unwrap();
    let err = ops::new_certificate(&NewCertificateRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        key_algorithm: Some(common::algorithm("ECDSA_P256")),
        services: Some(common::services("IIS")),
        ..Default::default()
    })
    .unwrap_err();
    let shown = server_dir(&store).display().to_string();
    assert!(
        err.message.contains(&format!("chmod 700 '{shown}'")),
        "{}",
        err.message
    );
    assert!(!marker.exists(), "the reload command ran");
}

// Item 4: reload commands run only in operations that change that service's live files; the
// lock's crash repair switches the links but reports instead of running them.
#[test]
fn reload_commands_run_only_where_services_change() {
    let store = TempStore::new();
    let thumb = common::new_ecdsa_on_ex01(&store, "IIS");
    let log = store.path().join("reloads.log");
    fs::write(
        reload_file(&store),
        format!(
            "IIS=echo IIS >> '{0}'\nSMTP=echo SMTP >> '{0}'\n",
            log.display()
        ),
    )
    .unwrap();
    let ran = || fs::read_to_string(&log).unwrap_or_default();
    // Operations that touch no service run nothing.
    common::new_ecdsa_on_ex01(&store, "None");
    common::list_ex01(&store);
    assert_eq!(ran(), "");
    // A writer killed before it switched the IIS link: the next writer's repair switches it,
    // runs nothing, and says so; an operation that changes services reloads it.
    fs::remove_file(server_dir(&store).join("live/IIS")).unwrap();
    let answer = ops::new_certificate(&NewCertificateRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        key_algorithm: Some(common::algorithm("ECDSA_P256")),
        services: Some(common::services("None")),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(ran(), "", "the repair at lock time ran a reload command");
    assert!(
        answer
            .warnings
            .iter()
            .any(|w| w.contains("IIS live files") && w.contains("reload the daemons by hand")),
        "{:?}",
        answer.warnings
    );
    assert!(server_dir(&store).join("live/IIS/cert.pem").exists());
    fs::remove_file(server_dir(&store).join("live/IIS")).unwrap();
    enable(&store, &thumb, "SMTP").unwrap();
    assert_eq!(ran(), "SMTP\nIIS\n");
}

// Item 5: temporary names cannot be predicted. A reload command (run mid-operation, after the
// lock's sweep) plants dangling symlinks at every name the old scheme would use; the removal
// that follows writes its temporary files without creating anything outside the store.
#[test]
fn temporary_names_cannot_be_predicted() {
    let store = TempStore::new();
    let sentinel = Sentinel::new();
    let thumb = common::new_ecdsa_on_ex01(&store, "IIS");
    let server = server_dir(&store);
    let mut plant = String::new();
    for dir in [server.clone(), server.join("certs"), server.join("live")] {
        for tag in [
            "generation",
            "file",
            "entry",
            "removed",
            "live",
            "link",
            "reload",
        ] {
            plant.push_str(&format!(
                "seq 0 3000 | sed 's|^|{}/.tmp-{tag}-{}-|' | xargs ln -s -t '{}'\n",
                sentinel.path().display(),
                std::process::id(),
                dir.display()
            ));
        }
    }
    let script = store.path().join("plant.sh");
    fs::write(&script, plant).unwrap();
    fs::write(
        reload_file(&store),
        format!("IIS=sh '{}'\n", script.display()),
    )
    .unwrap();
    let before = sentinel.snapshot();
    let answer = ops::remove(&excert::model::RemoveRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        thumbprint: thumb,
        force: true,
    })
    .unwrap();
    assert!(
        answer.warnings.iter().all(|w| !w.contains("reload")),
        "{:?}",
        answer.warnings
    );
    assert!(
        fs::read_dir(server.join("live")).unwrap().count() > 3000,
        "the links were planted"
    );
    assert_eq!(
        sentinel.snapshot(),
        before,
        "a file appeared outside the store"
    );
    // The next writer sweeps the planted names (as names).
    common::new_ecdsa_on_ex01(&store, "None");
    assert!(fs::read_dir(server.join("live")).unwrap().count() < 10);
    assert_eq!(sentinel.snapshot(), before);
}
