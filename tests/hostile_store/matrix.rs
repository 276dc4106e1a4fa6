//! The hostile-store matrix (docs/security.md): for every path the store reads or writes, plant a
//! symlink to a copy outside the store, a mode others can write, and (as root) another owner;
//! run every operation on a fresh store each time; the copy outside must not change (content,
//! mode, mtime) and each operation must refuse (an error naming the path) or warn (a warning
//! naming it). One test per path kind, so a failure names what broke.

use super::common::{self, TempStore};
use excert::model::*;
use excert::ops;
use std::fs;
use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const SERVER: &str = "EX01";

/// A store with two certificates on EX01: A holds IIS (live files), has a chain file and a
/// key; B holds nothing. A reload file, an accepted domain and an index are there too.
struct Fixture {
    store: TempStore,
    outside: tempfile::TempDir,
    a: String,
    b: String,
}

impl Fixture {
    fn new() -> Fixture {
        let store = TempStore::new();
        let outside = tempfile::tempdir().unwrap();
        let root = store.root();
        let new = |services: &str| {
            ops::new_certificate(&NewCertificateRequest {
                store_root: Some(root.clone()),
                server: Some(SERVER.into()),
                key_algorithm: Some(common::algorithm("ECDSA_P256")),
                services: Some(common::services(services)),
                private_key_exportable: true,
                ..Default::default()
            })
            .unwrap()
            .certificate
            .thumbprint
        };
        let a = new("IIS");
        let b = new("None");
        let server = store.path().join("servers").join(SERVER);
        let chain = server.join("certs").join(&a).join("chain");
        fs::create_dir(&chain).unwrap();
        fs::set_permissions(&chain, fs::Permissions::from_mode(0o700)).unwrap();
        fs::copy(
            server.join("certs").join(&b).join("certificate.der"),
            chain.join("0.der"),
        )
        .unwrap();
        fs::write(server.join("reload"), "IIS=true\nIMAP=true\n").unwrap();
        ops::new_accepted_domain(&NewAcceptedDomainRequest {
            store_root: Some(root.clone()),
            name: "Contoso".into(),
            domain_name: "contoso.com".into(),
            ..Default::default()
        })
        .unwrap();
        // A cached OCSP answer, as the revocation checks leave them.
        let issuer = store.path().join("revocation").join("0".repeat(40));
        fs::create_dir_all(&issuer).unwrap();
        fs::write(issuer.join("ocsp-0B.der"), b"\x30\x03\x0a\x01\x01").unwrap();
        ops::list_certificates(&ListRequest {
            store_root: Some(root),
            server: Some(SERVER.into()),
            ..Default::default()
        })
        .unwrap();
        Fixture {
            store,
            outside,
            a,
            b,
        }
    }

    fn server(&self) -> PathBuf {
        self.store.path().join("servers").join(SERVER)
    }

    fn entry(&self) -> PathBuf {
        self.server().join("certs").join(&self.a)
    }

    fn root(&self) -> Option<String> {
        Some(self.store.root())
    }
}

/// One path of the store, found in a fixture.
struct StorePath {
    name: &'static str,
    path: fn(&Fixture) -> PathBuf,
    /// Only the organization's operations (accepted domains) also read it.
    org_wide: bool,
}

const PATHS: &[StorePath] = &[
    StorePath {
        name: "root",
        path: |f| f.store.path().to_path_buf(),
        org_wide: true,
    },
    StorePath {
        name: "servers",
        path: |f| f.store.path().join("servers"),
        org_wide: true,
    },
    StorePath {
        name: "server",
        path: |f| f.server(),
        org_wide: false,
    },
    StorePath {
        name: "certs",
        path: |f| f.server().join("certs"),
        org_wide: false,
    },
    StorePath {
        name: "entry",
        path: |f| f.entry(),
        org_wide: false,
    },
    StorePath {
        name: "certificate",
        path: |f| f.entry().join("certificate.der"),
        org_wide: false,
    },
    StorePath {
        name: "key",
        path: |f| f.entry().join("key.p8"),
        org_wide: false,
    },
    StorePath {
        name: "metadata",
        path: |f| f.entry().join("entry"),
        org_wide: false,
    },
    StorePath {
        name: "chain",
        path: |f| f.entry().join("chain"),
        org_wide: false,
    },
    StorePath {
        name: "chain_file",
        path: |f| f.entry().join("chain/0.der"),
        org_wide: false,
    },
    StorePath {
        name: "index",
        path: |f| f.server().join("index"),
        org_wide: false,
    },
    StorePath {
        name: "changes",
        path: |f| f.server().join("changes"),
        org_wide: false,
    },
    StorePath {
        name: "assignments",
        path: |f| f.server().join("assignments"),
        org_wide: false,
    },
    StorePath {
        name: "lock",
        path: |f| f.server().join(".lock"),
        org_wide: false,
    },
    StorePath {
        name: "reload",
        path: |f| f.server().join("reload"),
        org_wide: false,
    },
    StorePath {
        name: "live",
        path: |f| f.server().join("live"),
        org_wide: false,
    },
    StorePath {
        name: "live_link",
        path: |f| f.server().join("live/IIS"),
        org_wide: false,
    },
    StorePath {
        name: "live_folder",
        path: |f| f.server().join("live").join(format!(".IIS-{}", f.a)),
        org_wide: false,
    },
    StorePath {
        name: "live_file",
        path: |f| {
            f.server()
                .join("live")
                .join(format!(".IIS-{}/cert.pem", f.a))
        },
        org_wide: false,
    },
    StorePath {
        name: "live_key",
        path: |f| {
            f.server()
                .join("live")
                .join(format!(".IIS-{}/privkey.pem", f.a))
        },
        org_wide: false,
    },
    StorePath {
        name: "accepted_domains",
        path: |f| f.store.path().join("accepted-domains"),
        org_wide: true,
    },
    StorePath {
        name: "revocation",
        path: |f| f.store.path().join("revocation"),
        org_wide: true,
    },
    StorePath {
        name: "revocation_file",
        path: |f| {
            f.store
                .path()
                .join("revocation")
                .join("0".repeat(40))
                .join("ocsp-0B.der")
        },
        org_wide: true,
    },
    StorePath {
        name: "root_lock",
        path: |f| f.store.path().join(".lock"),
        org_wide: true,
    },
];

/// What is planted at a path.
#[derive(Clone, Copy, Debug)]
enum Plant {
    /// The path replaced by a symlink to a copy of it outside the store.
    Symlink,
    /// Group- and world-writable.
    WrongMode,
    /// Owned by nobody (only when the tests run as root).
    WrongOwner,
}

/// Plants `plant` at `path`; false when it does not apply there.
fn plant(f: &Fixture, path: &Path, plant: Plant) -> bool {
    let meta = fs::symlink_metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let is_link = meta.file_type().is_symlink();
    match plant {
        Plant::Symlink => {
            if path == f.store.path() {
                return false; // the root may be a symlink the admin made
            }
            let copy = f.outside.path().join("copy");
            if is_link {
                // live/IIS is a link already: point it at a copy of its folder outside.
                copy_tree(&fs::canonicalize(path).unwrap(), &copy);
                fs::remove_file(path).unwrap();
            } else {
                copy_tree(path, &copy);
                if meta.is_dir() {
                    fs::remove_dir_all(path).unwrap();
                } else {
                    fs::remove_file(path).unwrap();
                }
            }
            symlink(&copy, path).unwrap();
        }
        Plant::WrongMode => {
            if is_link {
                return false;
            }
            let mode = if meta.is_dir() { 0o777 } else { 0o666 };
            fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
        }
        Plant::WrongOwner => {
            if is_link || !running_as_root() {
                return false;
            }
            std::os::unix::fs::lchown(path, Some(65534), Some(65534)).unwrap();
        }
    }
    true
}

fn copy_tree(from: &Path, to: &Path) {
    let meta = fs::symlink_metadata(from).unwrap();
    if meta.is_dir() {
        fs::create_dir(to).unwrap();
        for e in fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            copy_tree(&e.path(), &to.join(e.file_name()));
        }
    } else if meta.file_type().is_symlink() {
        symlink(fs::read_link(from).unwrap(), to).unwrap();
    } else {
        fs::copy(from, to).unwrap();
    }
    fs::set_permissions(to, fs::Permissions::from_mode(meta.mode() & 0o7777)).ok();
}

fn running_as_root() -> bool {
    fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// Everything under the folder outside the store: path, content, mode, mtime.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>, u32, i64, i64)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mut names: Vec<_> = fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        for p in names {
            let m = fs::symlink_metadata(&p).unwrap();
            let content = if m.is_file() {
                fs::read(&p).unwrap()
            } else {
                Vec::new()
            };
            if m.is_dir() {
                stack.push(p.clone());
            }
            out.push((p, content, m.mode(), m.mtime(), m.mtime_nsec()));
        }
    }
    out
}

/// One operation: its warnings, or its error message.
type Operation = fn(&Fixture) -> Result<Vec<String>, String>;

fn import_data() -> &'static [u8] {
    static DATA: OnceLock<Vec<u8>> = OnceLock::new();
    DATA.get_or_init(|| {
        let elsewhere = TempStore::new();
        let thumb = ops::new_certificate(&NewCertificateRequest {
            store_root: Some(elsewhere.root()),
            server: Some("EX09".into()),
            key_algorithm: Some(common::algorithm("ECDSA_P256")),
            ..Default::default()
        })
        .unwrap()
        .certificate
        .thumbprint;
        fs::read(
            elsewhere
                .path()
                .join("servers/EX09/certs")
                .join(thumb)
                .join("certificate.der"),
        )
        .unwrap()
    })
}

fn operations() -> Vec<(&'static str, Operation, bool)> {
    // (name, operation, whether it is one of the organization's: accepted domains)
    vec![
        (
            "list",
            |f| {
                ops::list_certificates(&ListRequest {
                    store_root: f.root(),
                    server: Some(SERVER.into()),
                    ..Default::default()
                })
                .map(|a| a.warnings)
                .map_err(|e| e.message)
            },
            false,
        ),
        (
            "get",
            |f| {
                ops::get_certificate(&ThumbprintRequest {
                    store_root: f.root(),
                    server: Some(SERVER.into()),
                    thumbprint: f.a.clone(),
                })
                .map(|a| a.warnings)
                .map_err(|e| e.message)
            },
            false,
        ),
        (
            "new",
            |f| {
                ops::new_certificate(&NewCertificateRequest {
                    store_root: f.root(),
                    server: Some(SERVER.into()),
                    key_algorithm: Some(common::algorithm("ECDSA_P256")),
                    services: Some(common::services("None")),
                    ..Default::default()
                })
                .map(|a| a.warnings)
                .map_err(|e| e.message)
            },
            false,
        ),
        (
            "import",
            |f| {
                ops::import(
                    &ImportRequest {
                        store_root: f.root(),
                        server: Some(SERVER.into()),
                        file_data: import_data().to_vec(),
                        ..Default::default()
                    },
                    None,
                )
                .map(|a| a.warnings)
                .map_err(|e| e.message)
            },
            false,
        ),
        (
            "export",
            |f| {
                ops::export(
                    &ExportRequest {
                        store_root: f.root(),
                        server: Some(SERVER.into()),
                        thumbprint: f.a.clone(),
                        ..Default::default()
                    },
                    Some(b"pass".as_slice()),
                )
                .map(|a| a.warnings)
                .map_err(|e| e.message)
            },
            false,
        ),
        (
            "enable",
            |f| {
                ops::enable(&EnableRequest {
                    store_root: f.root(),
                    server: Some(SERVER.into()),
                    thumbprint: f.a.clone(),
                    services: common::services("IMAP"),
                    force: true,
                    ..Default::default()
                })
                .map(|a| a.warnings)
                .map_err(|e| e.message)
            },
            false,
        ),
        (
            "enable_other",
            |f| {
                ops::enable(&EnableRequest {
                    store_root: f.root(),
                    server: Some(SERVER.into()),
                    thumbprint: f.b.clone(),
                    services: common::services("IIS"),
                    force: true,
                    ..Default::default()
                })
                .map(|a| a.warnings)
                .map_err(|e| e.message)
            },
            false,
        ),
        (
            "remove",
            |f| {
                ops::remove(&RemoveRequest {
                    store_root: f.root(),
                    server: Some(SERVER.into()),
                    thumbprint: f.a.clone(),
                    force: true,
                })
                .map(|a| a.warnings)
                .map_err(|e| e.message)
            },
            false,
        ),
        (
            "accepted_domains_list",
            |f| {
                ops::list_accepted_domains(&AcceptedDomainIdentityRequest {
                    store_root: f.root(),
                    ..Default::default()
                })
                .map(|a| a.warnings)
                .map_err(|e| e.message)
            },
            true,
        ),
        (
            "accepted_domains_add",
            |f| {
                ops::new_accepted_domain(&NewAcceptedDomainRequest {
                    store_root: f.root(),
                    name: "Fabrikam".into(),
                    domain_name: "fabrikam.com".into(),
                    ..Default::default()
                })
                .map(|a| a.warnings)
                .map_err(|e| e.message)
            },
            true,
        ),
    ]
}

/// True when `text` names `path` itself, not only a path under it (the root's path begins
/// every other).
fn names(text: &str, path: &str) -> bool {
    text.match_indices(path)
        .any(|(at, _)| !text[at + path.len()..].starts_with('/'))
}

/// Runs every operation against every plant at one path kind; panics with all that failed.
fn each_plant_at(name: &str) {
    let kind = PATHS.iter().find(|p| p.name == name).unwrap();
    let mut failures = Vec::new();
    for p in [Plant::Symlink, Plant::WrongMode, Plant::WrongOwner] {
        for (op_name, op, org) in operations() {
            if org && !kind.org_wide {
                continue;
            }
            let f = Fixture::new();
            let path = (kind.path)(&f);
            if !plant(&f, &path, p) {
                break;
            }
            let before = snapshot(f.outside.path());
            let outcome = op(&f);
            let shown = path.display().to_string();
            let named = match &outcome {
                Ok(warnings) => warnings.iter().any(|w| names(w, &shown)),
                Err(message) => names(message, &shown),
            };
            if !named {
                failures.push(format!(
                    "{p:?} / {op_name}: neither refused nor warned about {shown}: {outcome:?}"
                ));
            }
            if snapshot(f.outside.path()) != before {
                failures.push(format!(
                    "{p:?} / {op_name}: the copy outside the store changed"
                ));
            }
            // Whatever happened, the store is usable again once the path is put right.
            let _ = fs::set_permissions(f.store.path(), fs::Permissions::from_mode(0o700));
        }
    }
    assert!(failures.is_empty(), "{name}:\n{}", failures.join("\n"));
}

macro_rules! path_kind_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                each_plant_at(stringify!($name));
            }
        )*
    };
}

path_kind_tests!(
    root,
    servers,
    server,
    certs,
    entry,
    certificate,
    key,
    metadata,
    chain,
    chain_file,
    index,
    changes,
    assignments,
    lock,
    reload,
    live,
    live_link,
    live_folder,
    live_file,
    live_key,
    accepted_domains,
    revocation,
    revocation_file,
    root_lock,
);
