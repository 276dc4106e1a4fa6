//! Crash safety: writers killed at random moments lose nothing committed, and what they leave
//! is repaired by the next writer.

use super::*;
use std::os::unix::process::ExitStatusExt;

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

pub(crate) fn kill_until(
    store: &TempStore,
    fx: &Fixtures,
    runs: usize,
    found: impl Fn(&str) -> bool,
) -> bool {
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

pub(crate) fn live_temps(root: &str) -> Vec<PathBuf> {
    temp_names(&Path::new(root).join("servers").join(SERVER).join("live"))
}

/// Enables `services` on some certificate of the store with a key, if there is one.
pub(crate) fn enable_any(root: &str, services: &str) {
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
