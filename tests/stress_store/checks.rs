//! Reading the store back: its entries, assignments and live files, checked against each other
//! and against openssl.

use super::*;

pub(crate) fn entry_dirs(root: &str, server: &str) -> Vec<String> {
    let dir = Path::new(root).join("servers").join(server).join("certs");
    let mut out: Vec<String> = match fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect(),
        Err(_) => Vec::new(),
    };
    out.sort();
    out
}

/// Every name under `dir` (not following links) that starts with `.tmp-`.
pub(crate) fn temp_names(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = fs::read_dir(dir) else {
        return out;
    };
    for e in rd.filter_map(|e| e.ok()) {
        let p = e.path();
        if e.file_name().to_string_lossy().starts_with(".tmp-") {
            out.push(p.clone());
        }
        if e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
            out.extend(temp_names(&p));
        }
    }
    out
}

/// Takes the server's writer lock once (as the next writer would) and lets it go.
pub(crate) fn next_writer(root: &str) {
    let store = Store::open(Some(root)).unwrap();
    let server = store.server(Some(SERVER)).unwrap();
    drop(server.lock().expect("the next writer gets the lock"));
}

/// What is in the store for `SERVER`, every entry read back and checked.
pub(crate) struct Snapshot {
    /// Thumbprint → `true` for a certificate, `false` for a pending request.
    pub(crate) entries: BTreeMap<String, bool>,
    pub(crate) assignments: Assignments,
    /// Services whose live link does not show the holder of the assignments.
    pub(crate) live_stale: Vec<String>,
    /// Live folders no link points at (cleaned by the next change of assignments).
    pub(crate) live_orphans: usize,
    /// Entries the listing shows otherwise than their files say (see `snapshot`).
    pub(crate) index_stale: Vec<String>,
}

pub(crate) fn snapshot(root: &str) -> Snapshot {
    let dirs = entry_dirs(root, SERVER);
    let certs = Path::new(root).join("servers").join(SERVER).join("certs");
    let mut entries = BTreeMap::new();
    for t in &dirs {
        let d = certs.join(t);
        assert!(
            d.join("entry").is_file(),
            "half-written entry visible: {} has no entry file (contents {:?})",
            d.display(),
            fs::read_dir(&d).map(|r| r
                .filter_map(|e| e.ok())
                .map(|e| e.file_name())
                .collect::<Vec<_>>())
        );
        let got = ops::get_certificate(&ThumbprintRequest {
            store_root: Some(root.into()),
            server: Some(SERVER.into()),
            thumbprint: t.clone(),
        })
        .unwrap_or_else(|e| panic!("{t} does not read back: {e:?}"))
        .certificate;
        assert_eq!(&got.thumbprint, t);
        let is_cert = got.status.as_str() != "PendingRequest";
        if is_cert {
            assert_eq!(&thumbprint(&got.raw_data.clone()), t, "RawData of {t}");
            assert!(d.join("certificate.der").is_file());
        } else {
            let csr = got.certificate_request.clone().expect("request data");
            assert_eq!(fs::read(d.join("request.p10")).unwrap(), csr);
            assert!(
                d.join("key.p8").is_file(),
                "pending request {t} lost its key"
            );
        }
        agrees_with_files(&got, &d).unwrap_or_else(|e| panic!("get {e}"));
        entries.insert(t.clone(), is_cert);
    }
    let listed = ops::list_certificates(&ListRequest {
        store_root: Some(root.into()),
        server: Some(SERVER.into()),
        ..Default::default()
    })
    .expect("the store lists");
    // The listing may come from the server's index (a cache): it must agree with the folders.
    // Known bug (`a_listing_never_shows_an_entry_as_it_was_before_it_was_removed_and_imported_again`):
    // a stale index record can come back; counted, not fatal.
    let index_stale: Vec<String> = listed
        .certificates
        .iter()
        .filter_map(|c| agrees_with_files(c, &certs.join(&c.thumbprint)).err())
        .collect();
    let listed: BTreeSet<String> = listed
        .certificates
        .into_iter()
        .map(|c| c.thumbprint)
        .collect();
    assert_eq!(
        listed,
        dirs.iter().cloned().collect(),
        "listing = entry folders"
    );

    let store = Store::open(Some(root)).unwrap();
    let server = store.server(Some(SERVER)).unwrap();
    let assignments = server.assignments().expect("assignments parse");
    let named = assignments
        .holders
        .values()
        .flatten()
        .chain(assignments.default_smtp.iter());
    for t in named {
        assert_eq!(
            entries.get(t),
            Some(&true),
            "the assignments name {t}, which is not a certificate in the store: {assignments:?}"
        );
        assert!(
            certs.join(t).join("key.p8").is_file(),
            "assigned {t} has no key"
        );
    }

    let (live_stale, live_orphans) = live_state(root, &assignments);
    Snapshot {
        entries,
        assignments,
        live_stale,
        live_orphans,
        index_stale,
    }
}

/// The assignments as stored.
pub(crate) fn store_assignments(root: &str) -> Assignments {
    let store = Store::open(Some(root)).unwrap();
    store
        .server(Some(SERVER))
        .unwrap()
        .assignments()
        .expect("assignments parse")
}

/// Live links against the assignments: the services whose link does not show the holder, and
/// the number of live folders no link points at. Every link must lead to a complete folder of
/// the certificate its name says.
pub(crate) fn live_state(root: &str, assignments: &Assignments) -> (Vec<String>, usize) {
    let live = Path::new(root).join("servers").join(SERVER).join("live");
    let mut live_stale = Vec::new();
    let mut pointed = BTreeSet::new();
    for (service, name) in LIVE_SERVICES {
        let link = live.join(name);
        let target = fs::read_link(&link).ok();
        if let Some(target) = &target {
            let folder = live.join(target);
            for f in [
                "cert.pem",
                "chain.pem",
                "fullchain.pem",
                "privkey.pem",
                "combined.pem",
            ] {
                assert!(
                    folder.join(f).is_file(),
                    "live/{name} -> {} lacks {f}",
                    target.display()
                );
            }
            let shown = live_thumbprint(&folder);
            assert_eq!(
                target.to_string_lossy(),
                format!(".{name}-{shown}"),
                "live/{name}'s folder holds another certificate"
            );
            pointed.insert(target.to_string_lossy().into_owned());
        }
        let expected = live_holder(assignments, service).map(|t| format!(".{name}-{t}"));
        if expected != target.map(|t| t.to_string_lossy().into_owned()) {
            live_stale.push(name.to_string());
        }
    }
    let live_orphans = fs::read_dir(&live)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with('.') && !n.starts_with(".tmp-") && !pointed.contains(n))
                .count()
        })
        .unwrap_or(0);
    (live_stale, live_orphans)
}

/// What an answer says of an entry against the entry's own files: key present, exportability
/// and friendly name as the `entry` file has them.
pub(crate) fn agrees_with_files(
    c: &excert::model::ExchangeCertificate,
    dir: &Path,
) -> std::result::Result<(), String> {
    let entry = fs::read_to_string(dir.join("entry")).unwrap();
    let field = |k: &str| {
        entry
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{k}=")))
            .unwrap_or_default()
            .to_string()
    };
    let has_key = dir.join("key.p8").is_file();
    let files = (
        has_key,
        has_key && field("PrivateKeyExportable") == "true",
        field("FriendlyName"),
    );
    let shown = (
        c.has_private_key,
        c.private_key_exportable,
        c.friendly_name.clone(),
    );
    if shown != files {
        return Err(format!(
            "{}: (HasPrivateKey, PrivateKeyExportable, FriendlyName) shown {shown:?}, stored {files:?}",
            c.thumbprint
        ));
    }
    if c.status.as_str() != "PendingRequest" {
        let der = fs::read(dir.join("certificate.der")).unwrap();
        if c.raw_data.clone() != der {
            return Err(format!(
                "{}: RawData differs from certificate.der",
                c.thumbprint
            ));
        }
    }
    Ok(())
}

/// The SHA-1 thumbprint of a live folder's cert.pem.
pub(crate) fn live_thumbprint(folder: &Path) -> String {
    let pem = fs::read(folder.join("cert.pem")).unwrap();
    thumbprint(pem::parse(pem).unwrap().contents())
}

/// Live files against the assignments, by openssl: the certificate's fingerprint is the
/// holder's thumbprint and the private key is that certificate's key.
pub(crate) fn check_live_with_openssl(root: &str, a: &Assignments) -> usize {
    let live = Path::new(root).join("servers").join(SERVER).join("live");
    let mut checked = 0;
    for (service, name) in LIVE_SERVICES {
        let link = live.join(name);
        match live_holder(a, service) {
            Some(t) => {
                let cert = link.join("cert.pem");
                let cert = cert.to_str().unwrap();
                let fp = common::openssl(&["x509", "-in", cert, "-noout", "-fingerprint", "-sha1"]);
                let fp = fp.trim().rsplit('=').next().unwrap().replace(':', "");
                assert_eq!(
                    fp, t,
                    "live/{name}/cert.pem is not the holder in the assignments"
                );
                let from_cert = common::openssl(&["x509", "-in", cert, "-noout", "-pubkey"]);
                let key = link.join("privkey.pem");
                let from_key = common::openssl(&["pkey", "-in", key.to_str().unwrap(), "-pubout"]);
                assert_eq!(
                    from_cert, from_key,
                    "live/{name}/privkey.pem is not the certificate's key"
                );
                checked += 1;
            }
            None => assert!(
                fs::symlink_metadata(&link).is_err(),
                "live/{name} exists but no certificate holds {name}"
            ),
        }
    }
    checked
}
