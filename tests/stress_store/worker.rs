//! Worker mode: this test binary started again as a process that changes the store and logs
//! each operation.

use super::*;

#[derive(Clone, Copy, PartialEq, Debug)]
pub(crate) enum Mode {
    /// A fixed number of operations, then exit.
    Concurrent,
    /// Operations until killed.
    Crash,
}

/// Starts this test binary as a worker process; its output goes to `<log>.out`.
pub(crate) fn spawn_worker(
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
            "worker::stress_worker",
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

pub(crate) const READY: &str = "excert-stress-worker-ready";

/// Blocks until a crash worker has started (it prints `READY`), so that the random delay before
/// the kill falls among its operations, not in its start-up.
pub(crate) fn wait_ready(child: &mut Child, log: &Path) {
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

pub(crate) struct Worker {
    pub(crate) root: String,
    pub(crate) ca_dir: PathBuf,
    pub(crate) fixtures: PathBuf,
    pub(crate) scratch: PathBuf,
    pub(crate) pfx: Vec<String>,
    pub(crate) log: fs::File,
    pub(crate) rng: StdRng,
    pub(crate) serial: u64,
}

/// What one operation committed: `+T` created, `-T` removed, `=T` enabled.
pub(crate) type Changes = Vec<String>;

impl Worker {
    /// One log line, one `write` on an O_APPEND file: complete in the file once it returns,
    /// whatever happens to this process afterwards.
    pub(crate) fn line(&mut self, text: &str) {
        let one_line = text.replace('\n', " ");
        self.log
            .write_all(format!("{one_line}\n").as_bytes())
            .unwrap();
    }

    pub(crate) fn entries(&self) -> Vec<String> {
        entry_dirs(&self.root, SERVER)
    }

    pub(crate) fn pick(&mut self) -> Option<String> {
        let all = self.entries();
        (!all.is_empty()).then(|| all[self.rng.gen_range(0..all.len())].clone())
    }

    pub(crate) fn one(&mut self, mode: Mode) {
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

    pub(crate) fn run(
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

    pub(crate) fn create(&mut self) {
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
    pub(crate) fn request_and_complete(&mut self) {
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
        let issued = thumbprint(&leaf_der);
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

    pub(crate) fn import_pfx(&mut self) {
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

    pub(crate) fn enable(&mut self) {
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

    pub(crate) fn remove(&mut self) {
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

    pub(crate) fn list(&mut self) {
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
