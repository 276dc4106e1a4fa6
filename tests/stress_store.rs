//! Concurrency and crash safety of the store (docs/store.md), with real OS processes.
//!
//! The workers are this test binary started again in worker mode (the ignored test
//! `worker::stress_worker`, selected by `EXCERT_STRESS_WORKER`), so they share nothing with the
//! test but the store folder. A worker logs each operation with one `write` before it starts (`begin`) and
//! one after it returned (`ok`/`fail`), so whatever the log says was committed must be in the
//! store, even after a SIGKILL. The checks read the store back through `excert::ops` and the
//! files themselves, and cross-check live files with openssl.
//!
//! Short mode (CI): 8 processes × 40 operations, 30 kills. `EXCERT_LONG=1`: 16 × 100, 200 kills.
//! `EXCERT_STRESS_SEED=n` repeats a run.

mod common;
mod formats_ca;

#[path = "stress_store/checks.rs"]
mod checks;
#[path = "stress_store/crash.rs"]
mod crash;
#[path = "stress_store/fixtures.rs"]
mod fixtures;
#[path = "stress_store/oplog.rs"]
mod oplog;
#[path = "stress_store/races.rs"]
mod races;
#[path = "stress_store/worker.rs"]
mod worker;

use checks::*;
use fixtures::*;
use oplog::*;
use worker::*;

use common::{thumbprint, TempStore};
use excert::model::{
    EnableRequest, Encryption, ExportRequest, ImportRequest, ListRequest, NewCertificateRequest,
    RemoveRequest, ThumbprintRequest,
};
use excert::store::{live_holder, Assignments, Store, LIVE_SERVICES};
use excert::{ops, Code};
use formats_ca::Ca;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, OpenOptions};
use std::io::Write;
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

// Concurrency: processes changing one store at once.

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
