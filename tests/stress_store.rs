//! Concurrency and crash safety of the store (issue 14 items 4 and 5), with real OS processes.
//!
//! The workers are this test binary started again in worker mode (the ignored test
//! `stress_worker`, selected by `EXCERT_STRESS_WORKER`), so they share nothing with the test but
//! the store folder. A worker logs each operation with one `write` before it starts (`begin`) and
//! one after it returned (`ok`/`fail`), so whatever the log says was committed must be in the
//! store, even after a SIGKILL. The checks read the store back through `excert::ops` and the
//! files themselves, and cross-check live files with openssl.
//!
//! Short mode (CI): 8 processes × 40 operations, 30 kills. `EXCERT_LONG=1`: 16 × 100, 200 kills.
//! `EXCERT_STRESS_SEED=n` repeats a run.

mod common;
mod formats_ca;

use common::TempStore;
use excert::model::{
    EnableRequest, Encryption, ExportRequest, ImportRequest, ListRequest, NewCertificateRequest,
    RemoveRequest, ThumbprintRequest,
};
use excert::store::{live_holder, Assignments, Store, LIVE_SERVICES};
use excert::{ops, Code};
use formats_ca::Ca;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sha1::{Digest, Sha1};
use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const WORKER_ENV: &str = "EXCERT_STRESS_WORKER";
/// The server the workers write; the PFX files come from another one.
const SERVER: &str = "EX01";
const SOURCE_SERVER: &str = "SRC01";
const PFX_PASSWORD: &[u8] = b"stress-PFX-pass";

fn long_mode() -> bool {
    std::env::var("EXCERT_LONG").is_ok_and(|v| v == "1")
}

fn seed() -> u64 {
    std::env::var("EXCERT_STRESS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::rngs::OsRng.gen())
}

fn sha1_upper(bytes: &[u8]) -> String {
    Sha1::digest(bytes)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Fixtures: PFX files exported from another server, and a CA (openssl) for request responses.

struct Fixtures {
    dir: tempfile::TempDir,
    ca: Ca,
    /// Thumbprints of the PFX files in `dir/pfx/<THUMB>.pfx`.
    pfx: Vec<String>,
}

impl Fixtures {
    /// PFX files exported from `SOURCE_SERVER` of `store` (Modern and Legacy) plus one made by
    /// openssl from the CA's leaf and chain.
    fn new(store: &TempStore, count: usize) -> Fixtures {
        let dir = tempfile::tempdir().unwrap();
        let ca = Ca::new();
        fs::create_dir(dir.path().join("pfx")).unwrap();
        let mut pfx = Vec::new();
        for i in 0..count {
            let made = ops::new_certificate(&NewCertificateRequest {
                store_root: Some(store.root()),
                server: Some(SOURCE_SERVER.into()),
                subject_name: Some(common::subject(&format!(
                    "O=Contoso,CN=shared{i}.contoso.com"
                ))),
                domain_name: vec![format!("shared{i}.contoso.com")],
                key_algorithm: Some(common::algorithm("ECDSA_P256")),
                private_key_exportable: true,
                services: Some(common::services("None")),
                ..Default::default()
            })
            .unwrap();
            let t = made.certificate.thumbprint;
            let exported = ops::export(
                &ExportRequest {
                    store_root: Some(store.root()),
                    server: Some(SOURCE_SERVER.into()),
                    thumbprint: t.clone(),
                    encryption: if i % 2 == 0 {
                        Encryption::Modern
                    } else {
                        Encryption::Legacy
                    },
                    ..Default::default()
                },
                Some(PFX_PASSWORD),
            )
            .unwrap();
            assert_eq!(exported.format.as_str(), "Pkcs12");
            fs::write(
                dir.path().join("pfx").join(format!("{t}.pfx")),
                &*exported.file_data,
            )
            .unwrap();
            pfx.push(t);
        }
        // A PFX as another product writes it: openssl, RSA leaf with its CA chain.
        let pass = format!("pass:{}", String::from_utf8_lossy(PFX_PASSWORD));
        let file = ca.openssl(&[
            "pkcs12",
            "-export",
            "-inkey",
            "leaf.key",
            "-in",
            "leaf.pem",
            "-certfile",
            "int.pem",
            "-passout",
            &pass,
        ]);
        let t = sha1_upper(&ca.der("leaf.pem"));
        fs::write(dir.path().join("pfx").join(format!("{t}.pfx")), file).unwrap();
        pfx.push(t);
        Fixtures { dir, ca, pfx }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

// ---------------------------------------------------------------------------------------------
// Worker mode.

#[derive(Clone, Copy, PartialEq, Debug)]
enum Mode {
    /// A fixed number of operations, then exit.
    Concurrent,
    /// Operations until killed.
    Crash,
}

/// Starts this test binary as a worker process; its output goes to `<log>.out`.
fn spawn_worker(
    mode: Mode,
    root: &str,
    fx: &Fixtures,
    log: &Path,
    seed: u64,
    operations: u64,
) -> Child {
    let config = serde_json::json!({
        "Mode": format!("{mode:?}"),
        "Root": root,
        "Log": log,
        "Seed": seed,
        "Operations": operations,
        "Fixtures": fx.path(),
        "CaDir": fx.ca.dir.path(),
    });
    let out = fs::File::create(log.with_extension("out")).unwrap();
    // A crash worker's stdout is a pipe that says when it is ready (see `wait_ready`).
    let stdout = match mode {
        Mode::Crash => Stdio::piped(),
        Mode::Concurrent => Stdio::from(out.try_clone().unwrap()),
    };
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "stress_worker",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(WORKER_ENV, config.to_string())
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(out)
        .spawn()
        .expect("start a worker process")
}

const READY: &str = "excert-stress-worker-ready";

/// Blocks until a crash worker has started (it prints `READY`), so that the random delay before
/// the kill falls among its operations, not in its start-up.
fn wait_ready(child: &mut Child, log: &Path) {
    use std::io::BufRead;
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let ready = lines.any(|l| l.is_ok_and(|l| l.contains(READY)));
    assert!(
        ready,
        "the worker ended before it was ready:\n{}",
        fs::read_to_string(log.with_extension("out")).unwrap_or_default()
    );
    // Its stdout is not read any more; it prints nothing else until killed.
}

/// The worker process's entry point. Without `EXCERT_STRESS_WORKER` there is nothing to do: the
/// stress tests start it with the variable set.
#[test]
#[ignore = "worker process of the stress tests: they start it themselves"]
fn stress_worker() {
    let Ok(config) = std::env::var(WORKER_ENV) else {
        eprintln!("stress_worker runs only when started by the stress tests");
        return;
    };
    let cfg: serde_json::Value = serde_json::from_str(&config).unwrap();
    let s = |k: &str| cfg[k].as_str().unwrap().to_string();
    let mode = if s("Mode") == "Crash" {
        Mode::Crash
    } else {
        Mode::Concurrent
    };
    let fixtures = PathBuf::from(s("Fixtures"));
    let mut pfx: Vec<String> = fs::read_dir(fixtures.join("pfx"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().replace(".pfx", ""))
        .collect();
    pfx.sort();
    let log_path = PathBuf::from(s("Log"));
    let mut w = Worker {
        root: s("Root"),
        ca_dir: PathBuf::from(s("CaDir")),
        fixtures,
        scratch: log_path.with_extension("scratch"),
        pfx,
        log: OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .unwrap(),
        rng: StdRng::seed_from_u64(cfg["Seed"].as_u64().unwrap()),
        serial: 0,
    };
    fs::create_dir_all(&w.scratch).unwrap();
    w.line(&format!("start {}", std::process::id()));
    println!("{READY}");
    std::io::stdout().flush().unwrap();
    let operations = cfg["Operations"].as_u64().unwrap();
    let mut done = 0;
    while operations == 0 || done < operations {
        w.one(mode);
        done += 1;
    }
    w.line("exit");
}

struct Worker {
    root: String,
    ca_dir: PathBuf,
    fixtures: PathBuf,
    scratch: PathBuf,
    pfx: Vec<String>,
    log: fs::File,
    rng: StdRng,
    serial: u64,
}

/// What one operation committed: `+T` created, `-T` removed, `=T` enabled.
type Changes = Vec<String>;

impl Worker {
    /// One log line, one `write` on an O_APPEND file: complete in the file once it returns,
    /// whatever happens to this process afterwards.
    fn line(&mut self, text: &str) {
        let one_line = text.replace('\n', " ");
        self.log
            .write_all(format!("{one_line}\n").as_bytes())
            .unwrap();
    }

    fn entries(&self) -> Vec<String> {
        entry_dirs(&self.root, SERVER)
    }

    fn pick(&mut self) -> Option<String> {
        let all = self.entries();
        (!all.is_empty()).then(|| all[self.rng.gen_range(0..all.len())].clone())
    }

    fn one(&mut self, mode: Mode) {
        let few = self.entries().len() < 4;
        // Weights: create, request (+ CA completion), import PFX, enable, remove, list.
        let weights: [u32; 6] = match mode {
            Mode::Concurrent => [25, 10, 15, 20, 25, 5],
            Mode::Crash => [30, 10, 10, 25, 25, 0],
        };
        let mut roll = self.rng.gen_range(0..weights.iter().sum::<u32>());
        let mut kind = 0;
        while roll >= weights[kind] {
            roll -= weights[kind];
            kind += 1;
        }
        if few && (kind == 3 || kind == 4) {
            kind = 0;
        }
        match kind {
            0 => self.create(),
            1 => self.request_and_complete(),
            2 => self.import_pfx(),
            3 => self.enable(),
            4 => self.remove(),
            _ => self.list(),
        }
    }

    fn run(
        &mut self,
        kind: &str,
        targets: &str,
        op: impl FnOnce(&mut Self) -> excert::Result<Changes>,
    ) -> Option<Changes> {
        self.line(&format!("begin {kind} {targets}"));
        match op(self) {
            Ok(changes) => {
                self.line(&format!("ok {kind} {}", changes.join(" ")));
                Some(changes)
            }
            Err(e) => {
                self.line(&format!("fail {kind} {} {}", e.code.name(), e.message));
                None
            }
        }
    }

    fn create(&mut self) {
        let services = ["None", "IIS", "SMTP", "IIS, SMTP", "IMAP, POP"][self.rng.gen_range(0..5)];
        self.serial += 1;
        let cn = format!("w{}-{}.contoso.com", std::process::id(), self.serial);
        let exportable = self.rng.gen_bool(0.5);
        let root = self.root.clone();
        self.run("create", "-", |_| {
            let a = ops::new_certificate(&NewCertificateRequest {
                store_root: Some(root),
                server: Some(SERVER.into()),
                subject_name: Some(common::subject(&format!("O=Contoso,CN={cn}"))),
                key_algorithm: Some(common::algorithm("ECDSA_P256")),
                private_key_exportable: exportable,
                services: Some(common::services(services)),
                force: true,
                ..Default::default()
            })?;
            Ok(vec![format!("+{}", a.certificate.thumbprint)])
        });
    }

    /// A pending request, signed by the CA (openssl), completed by importing the response.
    fn request_and_complete(&mut self) {
        self.serial += 1;
        let cn = format!("r{}-{}.contoso.com", std::process::id(), self.serial);
        let root = self.root.clone();
        let mut csr = String::new();
        let Some(made) = self.run("request", "-", |_| {
            let a = ops::new_request(&NewCertificateRequest {
                store_root: Some(root.clone()),
                server: Some(SERVER.into()),
                subject_name: Some(common::subject(&format!("CN={cn}"))),
                domain_name: vec![cn.clone()],
                key_algorithm: Some(common::algorithm("ECDSA_P256")),
                ..Default::default()
            })?;
            csr = a.pem();
            Ok(vec![format!("+{}", a.certificate.thumbprint)])
        }) else {
            return;
        };
        let pending = made[0][1..].to_string();
        let name = format!("{}", self.serial);
        let csr_path = self.scratch.join(format!("{name}.csr"));
        let leaf_path = self.scratch.join(format!("{name}.pem"));
        fs::write(
            &csr_path,
            csr.replace("NEW CERTIFICATE REQUEST", "CERTIFICATE REQUEST"),
        )
        .unwrap();
        let serial = format!("0x{:x}", self.rng.gen::<u64>() | 1);
        formats_ca::openssl(
            &self.ca_dir,
            &[
                "x509",
                "-req",
                "-in",
                csr_path.to_str().unwrap(),
                "-CA",
                "int.pem",
                "-CAkey",
                "int.key",
                "-set_serial",
                &serial,
                "-copy_extensions",
                "copy",
                "-days",
                "365",
                "-out",
                leaf_path.to_str().unwrap(),
            ],
        );
        let leaf_pem = fs::read(&leaf_path).unwrap();
        let leaf_der = pem::parse(&leaf_pem).unwrap().contents().to_vec();
        let issued = sha1_upper(&leaf_der);
        let bundle = [
            leaf_pem,
            fs::read(self.ca_dir.join("int.pem")).unwrap(),
            fs::read(self.ca_dir.join("root.pem")).unwrap(),
        ]
        .concat();
        self.run("complete", &format!("{pending},{issued}"), |_| {
            let a = ops::import(
                &ImportRequest {
                    store_root: Some(root),
                    server: Some(SERVER.into()),
                    file_data: bundle.to_vec(),
                    ..Default::default()
                },
                None,
            )?;
            let c = &a.certificates[0];
            let mut changes = vec![format!("+{}", c.thumbprint)];
            // With the key, the pending request was completed (and removed); without it,
            // someone removed the request first and the certificate came in alone.
            if c.has_private_key {
                changes.push(format!("-{pending}"));
            }
            Ok(changes)
        });
    }

    fn import_pfx(&mut self) {
        let t = self.pfx[self.rng.gen_range(0..self.pfx.len())].clone();
        let data = fs::read(self.fixtures.join("pfx").join(format!("{t}.pfx"))).unwrap();
        let root = self.root.clone();
        let exportable = self.rng.gen_bool(0.5);
        self.run("import-pfx", &t, |_| {
            let a = ops::import(
                &ImportRequest {
                    store_root: Some(root),
                    server: Some(SERVER.into()),
                    file_data: data.to_vec(),
                    private_key_exportable: Some(exportable),
                    ..Default::default()
                },
                Some(PFX_PASSWORD),
            )?;
            Ok(a.certificates
                .iter()
                .map(|c| format!("+{}", c.thumbprint))
                .collect())
        });
    }

    fn enable(&mut self) {
        let Some(t) = self.pick() else { return };
        let services = [
            "IIS",
            "SMTP",
            "IIS, SMTP",
            "IMAP, POP",
            "IIS, IMAP, POP, SMTP",
        ][self.rng.gen_range(0..5)];
        let root = self.root.clone();
        self.run("enable", &t, |_| {
            let a = ops::enable(&EnableRequest {
                store_root: Some(root),
                server: Some(SERVER.into()),
                thumbprint: t.clone(),
                services: common::services(services),
                force: true,
                ..Default::default()
            })?;
            Ok(vec![format!("={}", a.certificate.thumbprint)])
        });
    }

    fn remove(&mut self) {
        let Some(t) = self.pick() else { return };
        let root = self.root.clone();
        self.run("remove", &t, |_| {
            ops::remove(&RemoveRequest {
                store_root: Some(root),
                server: Some(SERVER.into()),
                thumbprint: t.clone(),
                force: true,
            })?;
            Ok(vec![format!("-{t}")])
        });
    }

    fn list(&mut self) {
        let root = self.root.clone();
        self.run("list", "-", |_| {
            ops::list_certificates(&ListRequest {
                store_root: Some(root),
                server: Some(SERVER.into()),
                ..Default::default()
            })?;
            Ok(Vec::new())
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Logs.

/// One operation as a worker logged it.
#[derive(Debug, Clone)]
struct Op {
    kind: String,
    /// Thumbprints named before it started (`-` for none).
    targets: Vec<String>,
    /// `None` while in flight (the worker died before it returned).
    result: Option<std::result::Result<Changes, (String, String)>>,
}

impl Op {
    fn created(&self) -> impl Iterator<Item = &str> {
        self.changes('+')
    }

    fn removed(&self) -> impl Iterator<Item = &str> {
        self.changes('-')
    }

    fn changes(&self, sign: char) -> impl Iterator<Item = &str> {
        match &self.result {
            Some(Ok(c)) => c.as_slice(),
            _ => &[],
        }
        .iter()
        .filter_map(move |c| c.strip_prefix(sign))
    }
}

/// The operations of a log, in order; a line cut short by a kill is ignored (it never counted).
fn read_log(path: &Path) -> (Vec<Op>, bool) {
    let text = fs::read_to_string(path).unwrap_or_default();
    let complete = match text.rfind('\n') {
        Some(i) => &text[..=i],
        None => "",
    };
    let mut ops: Vec<Op> = Vec::new();
    let mut exited = false;
    for line in complete.lines() {
        let mut words = line.splitn(3, ' ');
        let (tag, kind, rest) = (
            words.next().unwrap_or(""),
            words.next().unwrap_or("").to_string(),
            words.next().unwrap_or(""),
        );
        match tag {
            "start" => {}
            "exit" => exited = true,
            "begin" => ops.push(Op {
                kind,
                targets: rest
                    .split(',')
                    .filter(|t| *t != "-" && !t.is_empty())
                    .map(str::to_string)
                    .collect(),
                result: None,
            }),
            "ok" | "fail" => {
                let op = ops.last_mut().expect("a result follows its begin");
                assert_eq!(
                    op.kind,
                    kind,
                    "log {}: result of another operation",
                    path.display()
                );
                assert!(op.result.is_none(), "log {}: two results", path.display());
                op.result = Some(if tag == "ok" {
                    Ok(rest
                        .split(' ')
                        .filter(|w| !w.is_empty())
                        .map(str::to_string)
                        .collect())
                } else {
                    let (code, message) = rest.split_once(' ').unwrap_or((rest, ""));
                    Err((code.to_string(), message.to_string()))
                });
            }
            other => panic!("log {}: unknown line tag {other:?}", path.display()),
        }
    }
    (ops, exited)
}

/// Every log line that names `t`, with its worker, for failure messages.
fn history(logs: &[PathBuf], t: &str) -> String {
    let mut out = String::new();
    for log in logs {
        let name = log.file_stem().unwrap().to_string_lossy();
        let text = fs::read_to_string(log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            // A result line may not name the thumbprint its `begin` named.
            let begun = i > 0 && lines[i - 1].starts_with("begin") && lines[i - 1].contains(t);
            if line.contains(t) || begun {
                out.push_str(&format!("  {name}: {line}\n"));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Reading the store back.

fn entry_dirs(root: &str, server: &str) -> Vec<String> {
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
fn temp_names(dir: &Path) -> Vec<PathBuf> {
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
fn next_writer(root: &str) {
    let store = Store::open(Some(root)).unwrap();
    let server = store.server(Some(SERVER)).unwrap();
    drop(server.lock().expect("the next writer gets the lock"));
}

/// What is in the store for `SERVER`, every entry read back and checked.
struct Snapshot {
    /// Thumbprint → `true` for a certificate, `false` for a pending request.
    entries: BTreeMap<String, bool>,
    assignments: Assignments,
    /// Services whose live link does not show the holder of the assignments.
    live_stale: Vec<String>,
    /// Live folders no link points at (cleaned by the next change of assignments).
    live_orphans: usize,
    /// Entries the listing shows otherwise than their files say (see `snapshot`).
    index_stale: Vec<String>,
}

fn snapshot(root: &str) -> Snapshot {
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
            assert_eq!(&sha1_upper(&got.raw_data.clone()), t, "RawData of {t}");
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
fn store_assignments(root: &str) -> Assignments {
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
fn live_state(root: &str, assignments: &Assignments) -> (Vec<String>, usize) {
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
fn agrees_with_files(
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
fn live_thumbprint(folder: &Path) -> String {
    let pem = fs::read(folder.join("cert.pem")).unwrap();
    sha1_upper(pem::parse(pem).unwrap().contents())
}

/// Live files against the assignments, by openssl: the certificate's fingerprint is the
/// holder's thumbprint and the private key is that certificate's key.
fn check_live_with_openssl(root: &str, a: &Assignments) -> usize {
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

// ---------------------------------------------------------------------------------------------
// Item 4: concurrency.

/// How a worker's failure is judged.
#[derive(Debug, PartialEq)]
enum Failure {
    /// A conflict with another process that the operation rightly refused.
    Expected,
    /// A known bug, pinned by an ignored test (named) or described in the report.
    KnownBug(&'static str),
    Unexpected,
}

fn classify(kind: &str, code: &str, message: &str, targets: &[String]) -> Failure {
    // What the operation itself stored, where known in advance: the certificate of a
    // completion or a PFX import.
    let own = match kind {
        "complete" | "import-pfx" => targets.last().map(String::as_str),
        _ => None,
    };
    match (kind, code) {
        ("import-pfx", "AlreadyExists")
        | ("enable", "NotFound" | "PendingRequest" | "NoPrivateKey")
        | ("remove", "NotFound") => Failure::Expected,
        // new_certificate, new_request and import read their answer back after releasing the
        // lock: a removal by another process in between turns a committed operation into
        // NotFound naming the new thumbprint (the message names it; see the report).
        ("create" | "request" | "import-pfx" | "complete", "NotFound")
            if message.contains("has no certificate or request with thumbprint")
                && own.is_none_or(|t| message.contains(t)) =>
        {
            Failure::KnownBug("answer read after the lock was released: NotFound")
        }
        _ => Failure::Unexpected,
    }
}

#[test]
fn eight_processes_change_one_store_and_it_stays_consistent() {
    let (processes, per_process) = if long_mode() { (16, 100) } else { (8, 40) };
    let seed = seed();
    println!("concurrency: seed {seed} (EXCERT_STRESS_SEED={seed} repeats the choices)");
    let store = TempStore::new();
    let fx = Fixtures::new(&store, 8);
    let root = store.root();

    let start = Instant::now();
    let logs: Vec<PathBuf> = (0..processes)
        .map(|i| fx.path().join(format!("worker-{i}.log")))
        .collect();
    let children: Vec<Child> = logs
        .iter()
        .enumerate()
        .map(|(i, log)| {
            spawn_worker(
                Mode::Concurrent,
                &root,
                &fx,
                log,
                seed + i as u64,
                per_process,
            )
        })
        .collect();
    for (mut child, log) in children.into_iter().zip(&logs) {
        let status = child.wait().unwrap();
        assert!(
            status.success(),
            "worker {} failed ({status}):\n{}",
            log.display(),
            fs::read_to_string(log.with_extension("out")).unwrap_or_default()
        );
    }
    let elapsed = start.elapsed();

    let mut by_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut unexpected = Vec::new();
    let mut net: BTreeMap<String, i64> = BTreeMap::new();
    let mut known_bugs: BTreeMap<&str, usize> = BTreeMap::new();
    // Failed operations that may have stored a certificate all the same: (kind, thumbprint).
    let mut suspects: Vec<(String, String)> = Vec::new();
    let mut total = 0;
    for log in &logs {
        let (ops, exited) = read_log(log);
        assert!(exited, "worker {} did not finish its log", log.display());
        for op in &ops {
            total += 1;
            let counts = by_kind.entry(op.kind.clone()).or_default();
            match op.result.as_ref().expect("no operation in flight at exit") {
                Ok(_) => counts.0 += 1,
                Err((code, message)) => {
                    counts.1 += 1;
                    match classify(&op.kind, code, message, &op.targets) {
                        Failure::Expected => {}
                        Failure::KnownBug(what) => *known_bugs.entry(what).or_default() += 1,
                        Failure::Unexpected => {
                            unexpected.push(format!("{} {code}: {message}", op.kind))
                        }
                    }
                    // The bugs fail with NotFound after the commit; other refusals wrote nothing.
                    let made = match op.kind.as_str() {
                        "complete" => op.targets.get(1).cloned(),
                        "import-pfx" => op.targets.first().cloned(),
                        _ => None,
                    };
                    let named = message
                        .split(|c: char| !c.is_ascii_hexdigit())
                        .filter(|w| w.len() == 40)
                        .map(str::to_string);
                    let creates = matches!(
                        op.kind.as_str(),
                        "create" | "request" | "complete" | "import-pfx"
                    );
                    if code == "NotFound" && creates {
                        for t in made.into_iter().chain(named) {
                            suspects.push((op.kind.clone(), t));
                        }
                    }
                }
            }
            for t in op.created() {
                *net.entry(t.to_string()).or_default() += 1;
            }
            for t in op.removed() {
                *net.entry(t.to_string()).or_default() -= 1;
            }
        }
    }

    // A failed operation committed after all when its thumbprint was removed more often than
    // it was reported created, or is in the store without a reported creation.
    let snap = snapshot(&root);
    let mut committed_on_failure: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (kind, t) in &suspects {
        let n = net.get(t).copied().unwrap_or(0);
        if n == -1 || (n == 0 && snap.entries.contains_key(t)) {
            net.insert(t.clone(), n + 1);
            committed_on_failure
                .entry(kind.clone())
                .or_default()
                .push(t.clone());
        }
    }

    // Every create of a thumbprint fails while it exists and every removal while it does not,
    // so the successful ones alternate: present ⇔ one more creation than removals.
    let mut reported_present = 0;
    for (t, n) in &net {
        assert!(
            (0..=1).contains(n),
            "{t}: {n} more creations than removals were reported:\n{}",
            history(&logs, t)
        );
        if *n == 1 {
            reported_present += 1;
            assert!(
                snap.entries.contains_key(t),
                "{t} was reported created and not removed, but is gone:\n{}",
                history(&logs, t)
            );
        } else {
            assert!(
                !snap.entries.contains_key(t),
                "{t} was reported removed, but is in the store:\n{}",
                history(&logs, t)
            );
        }
    }
    let phantoms: Vec<&String> = snap
        .entries
        .keys()
        .filter(|t| net.get(*t) != Some(&1))
        .collect();

    next_writer(&root);
    let leftovers = temp_names(store.path());
    let live_checked = check_live_with_openssl(&root, &snap.assignments);

    println!(
        "concurrency: {processes} processes, {total} operations in {:.1} s ({} PFX files shared); ok/failed by kind: {by_kind:?}",
        elapsed.as_secs_f64(),
        fx.pfx.len()
    );
    println!(
        "concurrency: {} entries at the end ({} reported present), {} thumbprints seen, {live_checked} live services checked with openssl, {} orphan live folders",
        snap.entries.len(),
        reported_present,
        net.len(),
        snap.live_orphans
    );
    // Known bugs: the answer read after the lock was released (see `classify`) and the stale
    // index record (`a_listing_never_shows_an_entry_as_it_was_before_...`).
    println!(
        "concurrency: failed operations that committed all the same (bug): {:?}; other known-bug failures: {known_bugs:?}; stale index records listed (bug): {:?}",
        committed_on_failure
            .iter()
            .map(|(k, ts)| (k.as_str(), ts.len()))
            .collect::<BTreeMap<_, _>>(),
        snap.index_stale
    );
    assert!(total >= 300, "hundreds of operations: {total}");
    assert!(
        unexpected.is_empty(),
        "unexpected failures ({}):\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    assert!(
        phantoms.is_empty(),
        "entries nobody reported creating: {phantoms:?}"
    );
    assert!(
        snap.live_stale.is_empty(),
        "live files differ from the assignments: {:?}",
        snap.live_stale
    );
    assert!(
        leftovers.is_empty(),
        "temporary files left after the next writer: {leftovers:?}"
    );
    assert_eq!(snap.live_orphans, 0, "live folders no link points at");
}

// ---------------------------------------------------------------------------------------------
// Item 5: crash safety.

#[test]
fn writers_killed_at_random_moments_lose_nothing_committed() {
    let runs = if long_mode() { 200 } else { 30 };
    let seed = seed();
    println!("crash: seed {seed} (EXCERT_STRESS_SEED={seed} repeats the delays and choices)");
    let mut rng = StdRng::seed_from_u64(seed);
    let store = TempStore::new();
    let fx = Fixtures::new(&store, 4);
    let root = store.root();
    let start = Instant::now();

    let mut present: BTreeSet<String> = BTreeSet::new();
    let (mut mid_op, mut committed_ops, mut entries_checked, mut cleaned) = (0, 0, 0, 0);
    let (mut in_flight_landed, mut in_flight_lost, mut stale_live) = (0, 0, 0);
    let mut kinds_cut: BTreeMap<String, usize> = BTreeMap::new();
    let mut half_completed = 0;
    let mut index_stale = 0;
    for run in 0..runs {
        let log = fx.path().join(format!("crash-{run}.log"));
        let mut child = spawn_worker(Mode::Crash, &root, &fx, &log, seed ^ (run as u64 + 1), 0);
        wait_ready(&mut child, &log);
        // The random moment: the worker writes without pause from now on.
        std::thread::sleep(Duration::from_millis(rng.gen_range(0..600)));
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert_eq!(
            status.signal(),
            Some(9),
            "run {run}: the worker ended by itself ({status}):\n{}",
            fs::read_to_string(log.with_extension("out")).unwrap_or_default()
        );

        let (ops, _) = read_log(&log);
        let mut expected = present.clone();
        for op in ops.iter().filter(|o| o.result.is_some()) {
            committed_ops += matches!(op.result, Some(Ok(_))) as usize;
            if let Some(Err((code, message))) = &op.result {
                assert_eq!(
                    classify(&op.kind, code, message, &op.targets),
                    Failure::Expected,
                    "run {run}: {} failed with {code}: {message}",
                    op.kind
                );
            }
            for t in op.created() {
                assert!(
                    expected.insert(t.to_string()),
                    "run {run}: {t} created twice"
                );
            }
            for t in op.removed() {
                assert!(expected.remove(t), "run {run}: {t} removed but not present");
            }
        }
        let cut = ops.last().filter(|o| o.result.is_none());
        if let Some(op) = cut {
            mid_op += 1;
            *kinds_cut.entry(op.kind.clone()).or_default() += 1;
        }

        let temps_before = temp_names(store.path()).len();
        let snap = snapshot(&root);
        entries_checked += snap.entries.len();
        index_stale += snap.index_stale.len();
        stale_live += !snap.live_stale.is_empty() as usize;
        let actual: BTreeSet<String> = snap.entries.keys().cloned().collect();
        // What the cut operation may or may not have done.
        let uncertain: BTreeSet<&String> =
            cut.map(|o| o.targets.iter().collect()).unwrap_or_default();
        let may_add_unknown = cut.is_some_and(|o| o.kind == "create" || o.kind == "request");
        for t in &expected {
            assert!(
                actual.contains(t) || uncertain.contains(t),
                "run {run}: {t} was reported committed but is gone"
            );
        }
        let unknown: Vec<&String> = actual
            .iter()
            .filter(|t| !expected.contains(*t) && !uncertain.contains(t))
            .collect();
        assert!(
            unknown.is_empty() || (may_add_unknown && unknown.len() == 1),
            "run {run}: entries nobody reported: {unknown:?} (cut operation: {cut:?})"
        );
        if let Some(op) = cut.filter(|o| o.kind != "enable") {
            if actual != expected {
                in_flight_landed += 1;
            } else {
                in_flight_lost += 1;
            }
            // Import adds the certificate, then removes the request it completes: a kill in
            // between leaves both (with the same key). Counted; the request can be removed.
            if op.kind == "complete" && op.targets.iter().all(|t| actual.contains(t)) {
                half_completed += 1;
            }
        }
        // Every operation of the crash worker stores a key with its entry.
        let certs = Path::new(&root).join("servers").join(SERVER).join("certs");
        for t in &actual {
            assert!(
                certs.join(t).join("key.p8").is_file(),
                "run {run}: {t} has no key"
            );
        }
        present = actual;

        next_writer(&root);
        let left = temp_names(store.path());
        cleaned += temps_before - left.len();
        assert!(
            left.is_empty(),
            "run {run}: leftovers the next writer did not clear: {left:?}"
        );
        // The next writer also finishes live links a kill left behind the assignments.
        let repaired = live_state(&root, &store_assignments(&root));
        assert!(
            repaired.0.is_empty(),
            "run {run}: live files still behind the assignments after the next writer: {:?}",
            repaired.0
        );
    }

    // One more change of assignments, run to the end, on the store the kills left behind.
    enable_any(&root, "IIS");
    let snap = snapshot(&root);
    assert!(
        snap.live_stale.is_empty(),
        "live files differ from the assignments at the end: {:?}",
        snap.live_stale
    );
    assert_eq!(snap.live_orphans, 0, "orphan live folders after the repair");
    let live_checked = check_live_with_openssl(&root, &snap.assignments);

    println!(
        "crash: {runs} runs, {} kills mid-operation {kinds_cut:?}, {committed_ops} committed operations, {entries_checked} entries checked, {cleaned} leftovers cleaned by the next writer, cut operations that changed entries {in_flight_landed} / did not {in_flight_lost}, {half_completed} completions cut between adding the certificate and removing the request, {stale_live} kills left live files behind the assignments, {index_stale} stale index records listed (bug), {live_checked} live services checked at the end, {:.1} s",
        mid_op,
        start.elapsed().as_secs_f64()
    );
    assert!(
        committed_ops >= runs / 2,
        "the workers got work done between kills: {committed_ops}"
    );
}

// ---------------------------------------------------------------------------------------------
// Readers need no lock: a reader racing a writer sees an entry whole or not at all.

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
    let issued = sha1_upper(&ca.der("race.pem"));
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
    // An import that matches requests before it holds the lock has read the key once the access
    // time moves; one that waits for the lock first does not read it in this half second.
    let deadline = Instant::now() + Duration::from_millis(500);
    while read_at() == untouched && Instant::now() < deadline {
        std::thread::yield_now();
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
fn kill_until(store: &TempStore, fx: &Fixtures, runs: usize, found: impl Fn(&str) -> bool) -> bool {
    let seed = seed();
    println!("kill_until: seed {seed}");
    let mut rng = StdRng::seed_from_u64(seed);
    for run in 0..runs {
        let log = fx.path().join(format!("hunt-{run}.log"));
        let mut child = spawn_worker(
            Mode::Crash,
            &store.root(),
            fx,
            &log,
            seed ^ (run as u64 + 1),
            0,
        );
        wait_ready(&mut child, &log);
        std::thread::sleep(Duration::from_millis(rng.gen_range(0..400)));
        child.kill().unwrap();
        assert_eq!(
            child.wait().unwrap().signal(),
            Some(9),
            "the worker ended by itself"
        );
        if found(&store.root()) {
            println!("kill_until: found after {} kills", run + 1);
            return true;
        }
    }
    false
}

fn live_temps(root: &str) -> Vec<PathBuf> {
    temp_names(&Path::new(root).join("servers").join(SERVER).join("live"))
}

/// Enables `services` on some certificate of the store with a key, if there is one.
fn enable_any(root: &str, services: &str) {
    let certs = Path::new(root).join("servers").join(SERVER).join("certs");
    let Some(t) = entry_dirs(root, SERVER).into_iter().find(|t| {
        certs.join(t).join("certificate.der").is_file() && certs.join(t).join("key.p8").is_file()
    }) else {
        return;
    };
    ops::enable(&EnableRequest {
        store_root: Some(root.into()),
        server: Some(SERVER.into()),
        thumbprint: t,
        services: common::services(services),
        force: true,
        ..Default::default()
    })
    .unwrap();
}

/// A writer killed while it builds a live folder leaves `live/.tmp-live-*` with the private key
/// in it; the next writer to take the lock clears it (it used to stay for good).
#[test]
fn a_writer_killed_while_building_live_files_leaves_no_key_behind() {
    let store = TempStore::new();
    let fx = Fixtures::new(&store, 2);
    // Hunted until the leftover holds a key: the worst case, a secret nobody will delete.
    let found = kill_until(&store, &fx, 400, |root| {
        live_temps(root)
            .iter()
            .any(|p| p.join("privkey.pem").is_file())
    });
    assert!(found, "no kill landed after a live key file was written");
    let root = store.root();
    let keys: Vec<PathBuf> = live_temps(&root)
        .iter()
        .map(|p| p.join("privkey.pem"))
        .filter(|p| p.is_file())
        .collect();
    println!("left by the kill: {:?} (keys: {keys:?})", live_temps(&root));
    next_writer(&root);
    assert!(
        live_temps(&root).is_empty(),
        "the next writer left {:?}",
        live_temps(&root)
    );
}

/// A writer killed between writing the assignments and switching the live links leaves live
/// files that show the old holder; the next writer repairs them even if it changes no
/// assignment (they used to wait for the next change of assignments). Such kills are rare now
/// (tens of kills to find one), so this hunt runs on request; the crash test checks the repair
/// after every kill.
#[test]
#[ignore = "long: hunts for a kill between the assignments and the live links; run with --ignored"]
fn live_files_left_behind_by_a_kill_are_repaired_by_the_next_writer() {
    let store = TempStore::new();
    let fx = Fixtures::new(&store, 2);
    let found = kill_until(&store, &fx, 300, |root| {
        !snapshot(root).live_stale.is_empty()
    });
    assert!(
        found,
        "no kill landed between the assignments and the live links"
    );
    let root = store.root();
    println!("stale after the kill: {:?}", snapshot(&root).live_stale);
    // The next writer makes a certificate without services: it changes no assignment.
    ops::new_certificate(&NewCertificateRequest {
        store_root: Some(root.clone()),
        server: Some(SERVER.into()),
        key_algorithm: Some(common::algorithm("ECDSA_P256")),
        services: Some(common::services("None")),
        ..Default::default()
    })
    .unwrap();
    let after = snapshot(&root);
    assert!(
        after.live_stale.is_empty(),
        "live files still differ from the assignments after the next writer: {:?}",
        after.live_stale
    );
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
