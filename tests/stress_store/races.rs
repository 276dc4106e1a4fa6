//! Races: readers need no lock (a reader racing a writer sees an entry whole or not at all),
//! and the races the runs above found, pinned down one by one.

use super::*;

#[test]
fn readers_racing_removals_see_entries_whole_or_not_at_all() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    let store = TempStore::new();
    let root = store.root();
    let current: Arc<Mutex<Option<String>>> = Arc::default();
    let done = Arc::new(AtomicBool::new(false));
    let rounds = if long_mode() { 1000 } else { 150 };
    let readers: Vec<_> = (0..2)
        .map(|r| {
            let (root, current, done) = (root.clone(), current.clone(), done.clone());
            std::thread::spawn(move || {
                let mut seen: BTreeMap<String, usize> = BTreeMap::new();
                while !done.load(Ordering::Relaxed) {
                    let Some(t) = current.lock().unwrap().clone() else {
                        std::thread::yield_now();
                        continue;
                    };
                    let outcome = if r == 0 {
                        ops::get_certificate(&ThumbprintRequest {
                            store_root: Some(root.clone()),
                            server: Some(SERVER.into()),
                            thumbprint: t.clone(),
                        })
                        .map(|a| assert_eq!(a.certificate.thumbprint, t))
                    } else {
                        ops::list_certificates(&ListRequest {
                            store_root: Some(root.clone()),
                            server: Some(SERVER.into()),
                            ..Default::default()
                        })
                        .map(|_| ())
                    };
                    let key = match outcome {
                        Ok(()) => "whole".to_string(),
                        Err(e) if e.code == Code::NotFound => "absent".to_string(),
                        Err(e) => {
                            eprintln!("reader {r}: {}: {}", e.code.name(), e.message);
                            e.code.name().to_string()
                        }
                    };
                    *seen.entry(key).or_default() += 1;
                }
                seen
            })
        })
        .collect();
    for i in 0..rounds {
        let t = ops::new_certificate(&NewCertificateRequest {
            store_root: Some(root.clone()),
            server: Some(SERVER.into()),
            subject_name: Some(common::subject(&format!("CN=race{i}.contoso.com"))),
            key_algorithm: Some(common::algorithm("ECDSA_P256")),
            services: Some(common::services("None")),
            ..Default::default()
        })
        .unwrap()
        .certificate
        .thumbprint;
        *current.lock().unwrap() = Some(t.clone());
        ops::remove(&RemoveRequest {
            store_root: Some(root.clone()),
            server: Some(SERVER.into()),
            thumbprint: t,
            force: true,
        })
        .unwrap();
    }
    done.store(true, Ordering::Relaxed);
    let seen: Vec<BTreeMap<String, usize>> =
        readers.into_iter().map(|r| r.join().unwrap()).collect();
    println!(
        "readers: {rounds} create+remove rounds; get outcomes {:?}; list outcomes {:?}",
        seen[0], seen[1]
    );
    for (who, s) in ["get", "list"].iter().zip(&seen) {
        let bad: Vec<&String> = s
            .keys()
            .filter(|k| *k != "whole" && *k != "absent")
            .collect();
        assert!(bad.is_empty(), "{who} saw a half-removed entry: {bad:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Races found by the runs above, pinned down one by one.

/// An import that completes a pending request while another writer removes that request: it
/// must store the certificate and say so, or fail and store nothing. (It used to find the
/// request and read its key before taking the writer lock, then store the certificate and fail
/// with NotFound when it removed the request.) The lock is held here while the request is
/// removed; an import that reads the key before it holds the lock is caught doing so by the
/// key file's access time.
#[test]
fn an_import_racing_the_removal_of_its_request_stores_nothing_or_says_so() {
    let store = TempStore::new();
    let ca = Ca::new();
    let root = store.root();
    let made = ops::new_request(&NewCertificateRequest {
        store_root: Some(root.clone()),
        server: Some(SERVER.into()),
        subject_name: Some(common::subject("CN=race.contoso.com")),
        domain_name: vec!["race.contoso.com".into()],
        key_algorithm: Some(common::algorithm("ECDSA_P256")),
        ..Default::default()
    })
    .unwrap();
    let pending = made.certificate.thumbprint.clone();
    fs::write(
        ca.path("race.csr"),
        made.pem()
            .replace("NEW CERTIFICATE REQUEST", "CERTIFICATE REQUEST"),
    )
    .unwrap();
    ca.sign("race.csr", "int", "race.pem", 365);
    let issued = thumbprint(&ca.der("race.pem"));
    let bundle = [ca.read("race.pem"), ca.read("int.pem"), ca.read("root.pem")].concat();
    let key_file = Path::new(&root)
        .join("servers")
        .join(SERVER)
        .join("certs")
        .join(&pending)
        .join("key.p8");
    let read_at = || fs::metadata(&key_file).unwrap().accessed().unwrap();
    let untouched = read_at();

    let s = Store::open(Some(&root)).unwrap();
    let server = s.server(Some(SERVER)).unwrap();
    let lock = server.lock().unwrap();
    let importer = {
        let root = root.clone();
        std::thread::spawn(move || {
            ops::import(
                &ImportRequest {
                    store_root: Some(root),
                    server: Some(SERVER.into()),
                    file_data: bundle.to_vec(),
                    ..Default::default()
                },
                None,
            )
        })
    };
    // Wait until the import has either read the key (its access time moves: it matched the
    // request before holding the lock) or opened the server's lock file to take the lock (a
    // second descriptor of it in this process, beside the one held here).
    let lock_file =
        fs::canonicalize(Path::new(&root).join("servers").join(SERVER).join(".lock")).unwrap();
    let opened = || descriptors_of(&lock_file);
    let started = Instant::now();
    while read_at() == untouched && opened() == Some(1) {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the import neither read the key nor opened the writer lock in 120 s"
        );
        std::thread::yield_now();
    }
    if opened().is_none() {
        // No /proc/self/fd (not Linux): give an early reader half a second to show itself.
        let deadline = Instant::now() + Duration::from_millis(500);
        while read_at() == untouched && Instant::now() < deadline {
            std::thread::yield_now();
        }
    }
    lock.remove(&pending).unwrap();
    drop(lock);
    let result = importer.join().unwrap();
    let stored = server.get(&issued).unwrap().is_some();
    match result {
        Ok(a) => assert!(stored && a.certificates[0].thumbprint == issued),
        Err(e) => assert!(
            !stored,
            "the import failed ({}: {}) but stored {issued} all the same",
            e.code.name(),
            e.message
        ),
    }
}

/// Starts crash workers on `store` and kills each at a random moment, until `found(root)`
/// holds right after a kill; false when `runs` kills did not get there.
/// How many open descriptors of this process point at `file`; `None` without /proc/self/fd.
fn descriptors_of(file: &Path) -> Option<usize> {
    let fds = fs::read_dir("/proc/self/fd").ok()?;
    Some(
        fds.filter_map(|fd| fs::read_link(fd.ok()?.path()).ok())
            .filter(|target| target == file)
            .count(),
    )
}

/// The listing index is a cache that readers write. A listing that starts without an index reads
/// every folder; if an entry it has read is removed before it writes the index, and then imported
/// again (ext4 gives the new folder the freed inode), the stale record must not come back. Here
/// the listing is slow (many entries, no index) and the entry read first is removed at once.
#[test]
fn a_listing_never_shows_an_entry_as_it_was_before_it_was_removed_and_imported_again() {
    let store = TempStore::new();
    let root = store.root();
    let others = if long_mode() { 400 } else { 200 };
    let mut made: Vec<String> = (0..others + 1)
        .map(|i| {
            ops::new_certificate(&NewCertificateRequest {
                store_root: Some(root.clone()),
                server: Some(SERVER.into()),
                subject_name: Some(common::subject(&format!("CN=many{i}.contoso.com"))),
                key_algorithm: Some(common::algorithm("ECDSA_P256")),
                services: Some(common::services("None")),
                private_key_exportable: true,
                ..Default::default()
            })
            .unwrap()
            .certificate
            .thumbprint
        })
        .collect();
    made.sort();
    // The listing reads folders in name order: X comes first.
    let x = made.remove(0);
    let pfx = ops::export(
        &ExportRequest {
            store_root: Some(root.clone()),
            server: Some(SERVER.into()),
            thumbprint: x.clone(),
            ..Default::default()
        },
        Some(PFX_PASSWORD),
    )
    .unwrap()
    .file_data;
    let der = ops::get_certificate(&ThumbprintRequest {
        store_root: Some(root.clone()),
        server: Some(SERVER.into()),
        thumbprint: x.clone(),
    })
    .unwrap()
    .certificate
    .raw_data;
    let remove = |t: &str| {
        ops::remove(&RemoveRequest {
            store_root: Some(root.clone()),
            server: Some(SERVER.into()),
            thumbprint: t.into(),
            force: true,
        })
        .unwrap();
    };
    let list = |root: &str| {
        ops::list_certificates(&ListRequest {
            store_root: Some(root.into()),
            server: Some(SERVER.into()),
            ..Default::default()
        })
        .map(|a| a.certificates)
    };
    let rounds = 80;
    let mut stale = Vec::new();
    for i in 1..=rounds {
        // A removal deletes the index: the next listing reads every folder.
        remove(&made.pop().unwrap());
        let reader = {
            let root = root.clone();
            std::thread::spawn(move || list(&root).map(|c| c.len()))
        };
        remove(&x);
        let _ = reader.join().unwrap();
        // Back with its key (a PFX) in odd rounds, as the certificate alone in even ones.
        let with_key = i % 2 == 1;
        ops::import(
            &ImportRequest {
                store_root: Some(root.clone()),
                server: Some(SERVER.into()),
                file_data: if with_key { pfx.to_vec() } else { der.clone() },
                friendly_name: Some(format!("gen-{i}")),
                private_key_exportable: Some(true),
                ..Default::default()
            },
            with_key.then_some(PFX_PASSWORD),
        )
        .unwrap();
        let shown = list(&root)
            .unwrap()
            .into_iter()
            .find(|c| c.thumbprint == x)
            .map(|c| (c.friendly_name, c.has_private_key));
        if shown != Some((format!("gen-{i}"), with_key)) {
            stale.push(format!(
                "round {i}: shown (FriendlyName, HasPrivateKey) {shown:?}, stored (gen-{i}, {with_key})"
            ));
        }
    }
    println!(
        "index: {rounds} rounds over {others} entries, {} stale",
        stale.len()
    );
    assert!(
        stale.is_empty(),
        "listings showing the entry as it was before: {stale:?}"
    );
}
