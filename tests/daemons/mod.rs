//! Harness for the real-daemon tests: installs nginx, Dovecot and Postfix from Debian's packages
//! when they are missing, renders the config templates of this folder, starts private instances
//! on loopback ports and stops them when dropped (also when a test panics).
//!
//! Templates use `@NAME@` placeholders. The part between `# >>> excert snippet` and
//! `# <<< excert snippet` is what docs/live-files.md shows, rendered with production values.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub const NGINX: &str = "/usr/sbin/nginx";
pub const DOVECOT: &str = "/usr/sbin/dovecot";
pub const DOVEADM: &str = "/usr/bin/doveadm";
pub const POSTFIX: &str = "/usr/sbin/postfix";

/// Debian packages the tests need, with a file that proves each is installed.
const PACKAGES: [(&str, &str); 4] = [
    ("nginx-light", NGINX),
    ("dovecot-imapd", "/usr/lib/dovecot/imap-login"),
    ("dovecot-pop3d", "/usr/lib/dovecot/pop3-login"),
    ("postfix", POSTFIX),
];

const BEGIN: &str = "# >>> excert snippet\n";
const END: &str = "# <<< excert snippet\n";

/// How long a daemon may take to start serving, reload or stop. Only a bound for polling:
/// the tests wait for a condition, never for a time.
const PATIENCE: Duration = Duration::from_secs(15);

/// Lets one daemon test run at a time (they share ports and compete for two cores); `None`
/// when the caller opted out with `EXCERT_SKIP_DAEMONS=1` (no root, no apt), said loudly.
pub fn claim(test: &str) -> Option<std::sync::MutexGuard<'static, ()>> {
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    if std::env::var("EXCERT_SKIP_DAEMONS").is_ok_and(|v| v == "1") {
        eprintln!("{test}: SKIPPED because EXCERT_SKIP_DAEMONS=1");
        return None;
    }
    Some(ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner()))
}

/// The text of a template in this folder.
pub fn template(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/daemons")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Replaces every `@NAME@`; panics when a placeholder stays unfilled.
pub fn render(text: &str, vars: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (name, value) in vars {
        out = out.replace(&format!("@{name}@"), value);
    }
    let left: Vec<&str> = out
        .match_indices('@')
        .filter_map(|(i, _)| {
            let rest = &out[i + 1..];
            let end = rest.find(|c: char| !(c.is_ascii_uppercase() || c == '_'))?;
            (end > 0 && rest[end..].starts_with('@')).then(|| &rest[..end])
        })
        .collect();
    assert!(left.is_empty(), "unfilled placeholders {left:?} in\n{out}");
    out
}

/// The documented part of a template: the lines between the snippet markers.
pub fn snippet(text: &str) -> &str {
    let start = text
        .find(BEGIN)
        .expect("template has a snippet start marker")
        + BEGIN.len();
    let end = start
        + text[start..]
            .find(END)
            .expect("template has a snippet end marker");
    // The end marker's line may be indented: the snippet stops at that line's start.
    let end = text[..end]
        .rfind('\n')
        .map_or(start, |i| (i + 1).max(start));
    &text[start..end]
}

/// Installs the missing packages once per test process with apt-get (non-interactive).
pub fn ensure_packages() {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    if let Err(e) = DONE.get_or_init(install_missing) {
        panic!("{e}");
    }
}

fn install_missing() -> Result<(), String> {
    let missing: Vec<&str> = PACKAGES
        .iter()
        .filter(|(_, file)| !Path::new(file).exists())
        .map(|(pkg, _)| *pkg)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let apt = |args: &[&str]| -> Result<(), String> {
        let out = Command::new("apt-get")
            // Another apt run (another test suite, unattended upgrades) may hold the lock.
            .args(["-q", "-y", "-o", "DPkg::Lock::Timeout=300"])
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("apt-get could not start ({e}): install {missing:?} by hand, or set EXCERT_SKIP_DAEMONS=1"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "apt-get {args:?} failed ({}): {}\nInstall {missing:?} as root, or set EXCERT_SKIP_DAEMONS=1 to skip the daemon tests",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    };
    // A fresh machine has no package lists yet.
    apt(&["update"])?;
    let mut install = vec!["install", "--no-install-recommends"];
    install.extend(&missing);
    apt(&install)
}

/// `preferred` when nothing listens there on 127.0.0.1, else a port the kernel picks.
pub fn free_port(preferred: u16) -> u16 {
    if TcpListener::bind(("127.0.0.1", preferred)).is_ok() {
        return preferred;
    }
    let l = TcpListener::bind(("127.0.0.1", 0)).expect("a free loopback port");
    l.local_addr().unwrap().port()
}

/// A run folder the daemons' unprivileged processes (nginx workers, dovenull, postfix) can
/// traverse; removed when dropped.
pub fn run_dir() -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("excert-daemons-")
        .tempdir()
        .unwrap();
    chmod_755(dir.path());
    dir
}

pub fn chmod_755(p: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Starts a daemon's launcher. Its output goes to `dir/start.out`, not to pipes: the daemon
/// it forks inherits them and would keep a pipe open for ever.
pub fn launch(dir: &Path, program: &str, args: &[&str]) -> Result<(), String> {
    let path = dir.join("start.out");
    let out = std::fs::File::create(&path).unwrap();
    let status = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(out.try_clone().unwrap())
        .stderr(out)
        .status()
        .map_err(|e| format!("{program} could not start: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "{program} {args:?} exited with {status}: {}",
            std::fs::read_to_string(&path).unwrap_or_default()
        ))
    }
}

/// Polls `probe` until it yields a value or PATIENCE runs out; the error is the last failure.
pub fn wait_for<T>(what: &str, mut probe: impl FnMut() -> Result<T, String>) -> T {
    let start = Instant::now();
    loop {
        match probe() {
            Ok(v) => return v,
            Err(e) if start.elapsed() > PATIENCE => {
                panic!("{what}: still not true after {} s: {e}", PATIENCE.as_secs())
            }
            // A short pause between probes keeps the poll from hogging a core.
            Err(_) => std::thread::sleep(Duration::from_millis(25)),
        }
    }
}

/// How often `needle` occurs in a log file (0 when the file does not exist yet).
pub fn count_in(log: &Path, needle: &str) -> usize {
    std::fs::read_to_string(log)
        .map(|t| t.matches(needle).count())
        .unwrap_or(0)
}

/// A running daemon: stopped with SIGTERM when dropped, waiting until its master is gone.
pub struct Daemon {
    pub name: &'static str,
    pid_file: PathBuf,
    /// Log to show when something fails.
    pub log: PathBuf,
}

impl Daemon {
    pub fn new(name: &'static str, pid_file: PathBuf, log: PathBuf) -> Daemon {
        Daemon {
            name,
            pid_file,
            log,
        }
    }

    /// The master process id, from its pid file.
    pub fn pid(&self) -> Option<u32> {
        std::fs::read_to_string(&self.pid_file)
            .ok()
            .and_then(|t| t.trim().parse().ok())
    }

    /// The end of the daemon's log, for failure messages.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let Some(pid) = self.pid() else { return };
        let _ = Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .stderr(Stdio::null())
            .status();
        let start = Instant::now();
        while alive(pid) && start.elapsed() < PATIENCE {
            std::thread::sleep(Duration::from_millis(20));
        }
        if alive(pid) {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            eprintln!("{} (pid {pid}) ignored SIGTERM and was killed", self.name);
        }
    }
}

/// True while `pid` runs (a zombie waiting for its parent counts as gone).
fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state letter follows the parenthesised command name.
        Ok(stat) => stat
            .rsplit_once(") ")
            .is_some_and(|(_, rest)| !rest.starts_with('Z') && !rest.starts_with('X')),
        Err(_) => false,
    }
}

/// What a TLS client saw: the chain as served (DER, leaf first) and its SHA-1 thumbprints.
#[derive(Debug)]
pub struct Served {
    pub chain: Vec<Vec<u8>>,
    pub thumbprints: Vec<String>,
}

/// Connects with `openssl s_client` (optionally after STARTTLS `proto`), verifying the chain
/// against `ca_file` and the host name `name`; fails unless verification succeeds.
pub fn served(
    port: u16,
    starttls: Option<&str>,
    ca_file: &Path,
    name: &str,
) -> Result<Served, String> {
    let connect = format!("127.0.0.1:{port}");
    let mut args = vec![
        "10",
        "openssl",
        "s_client",
        "-connect",
        &connect,
        "-servername",
        name,
        "-verify_hostname",
        name,
        "-CAfile",
        ca_file.to_str().unwrap(),
        "-verify_return_error",
        "-showcerts",
    ];
    if let Some(p) = starttls {
        args.extend(["-starttls", p]);
    }
    // `timeout` bounds a server that accepts but never answers; EOF on stdin ends the session.
    let out = Command::new("timeout")
        .args(&args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("openssl s_client could not start: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() || !text.contains("Verify return code: 0 (ok)") {
        return Err(format!(
            "s_client to {connect} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stderr),
            text.lines()
                .filter(|l| l.contains("erif"))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    let chain: Vec<Vec<u8>> = pem::parse_many(text.as_bytes())
        .map_err(|e| format!("s_client printed bad PEM: {e}"))?
        .into_iter()
        .filter(|p| p.tag() == "CERTIFICATE")
        .map(|p| p.into_contents())
        .collect();
    let thumbprints = chain.iter().map(|d| sha1_hex(d)).collect();
    Ok(Served { chain, thumbprints })
}

/// Upper-case hex SHA-1, the thumbprint form.
pub fn sha1_hex(der: &[u8]) -> String {
    use sha1::Digest;
    sha1::Sha1::digest(der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

/// Waits until the daemon on `port` serves a chain whose leaf is `thumb` and which verifies
/// against `ca_file` only.
pub fn wait_served(
    d: &Daemon,
    port: u16,
    starttls: Option<&str>,
    ca_file: &Path,
    name: &str,
    thumb: &str,
) -> Served {
    wait_for(&format!("{} on port {port} serves {thumb}", d.name), || {
        let s = served(port, starttls, ca_file, name)
            .map_err(|e| format!("{e}\n{} log:\n{}", d.name, d.log_tail()))?;
        if s.thumbprints.first().map(String::as_str) == Some(thumb) {
            Ok(s)
        } else {
            Err(format!("served {:?}", s.thumbprints))
        }
    })
}

/// nginx from `nginx.conf`, run folder `dir`, HTTPS on `port`.
pub fn start_nginx(dir: &Path, live: &Path, port: u16) -> Daemon {
    let conf = dir.join("nginx.conf");
    let text = render(
        &template("nginx.conf"),
        &[
            ("RUN", dir.to_str().unwrap()),
            ("LIVE", live.to_str().unwrap()),
            ("HTTPS", &format!("127.0.0.1:{port}")),
        ],
    );
    std::fs::write(&conf, text).unwrap();
    let d = Daemon::new("nginx", dir.join("nginx.pid"), dir.join("error.log"));
    let prefix = format!("{}/", dir.display());
    if let Err(e) = launch(dir, NGINX, &["-c", conf.to_str().unwrap(), "-p", &prefix]) {
        panic!("nginx did not start: {e}\n{}", d.log_tail());
    }
    d
}

/// The arguments that point nginx at the test instance (for the reload command).
pub fn nginx_instance(dir: &Path) -> String {
    format!(
        "{NGINX} -c {}/nginx.conf -p {}/",
        dir.display(),
        dir.display()
    )
}

/// Dovecot from `dovecot.conf`, run folder `dir`, IMAPS and POP3S on the given ports.
pub fn start_dovecot(dir: &Path, live: &Path, imaps: u16, pop3s: u16) -> Daemon {
    let conf = dir.join("dovecot.conf");
    let text = render(
        &template("dovecot.conf"),
        &[
            ("RUN", dir.to_str().unwrap()),
            ("LIVE", live.to_str().unwrap()),
            ("IMAPS_PORT", &imaps.to_string()),
            ("POP3S_PORT", &pop3s.to_string()),
        ],
    );
    std::fs::write(&conf, text).unwrap();
    for sub in ["base", "state"] {
        std::fs::create_dir(dir.join(sub)).unwrap();
        chmod_755(&dir.join(sub));
    }
    let d = Daemon::new(
        "dovecot",
        dir.join("base/master.pid"),
        dir.join("dovecot.log"),
    );
    if let Err(e) = launch(dir, DOVECOT, &["-c", conf.to_str().unwrap()]) {
        panic!("dovecot did not start: {e}\n{}", d.log_tail());
    }
    d
}

pub fn dovecot_instance(dir: &Path) -> String {
    format!("{DOVEADM} -c {}/dovecot.conf", dir.display())
}

/// Postfix from `postfix-main.cf` and `postfix-master.cf` as a private instance
/// (`postfix -c <dir>/conf`), smtpd on `port`.
pub fn start_postfix(dir: &Path, live: &Path, port: u16) -> Daemon {
    let conf = dir.join("conf");
    std::fs::create_dir(&conf).unwrap();
    let smtp = format!("127.0.0.1:{port}");
    let vars = [
        ("RUN", dir.to_str().unwrap()),
        ("LIVE", live.to_str().unwrap()),
        ("SMTP", smtp.as_str()),
    ];
    for (file, name) in [
        ("postfix-main.cf", "main.cf"),
        ("postfix-master.cf", "master.cf"),
    ] {
        std::fs::write(conf.join(name), render(&template(file), &vars)).unwrap();
    }
    // postfix-script creates the queue's subfolders, and data_directory owned by postfix
    // (which must therefore not exist yet).
    std::fs::create_dir(dir.join("queue")).unwrap();
    chmod_755(&dir.join("queue"));
    let d = Daemon::new(
        "postfix",
        dir.join("queue/pid/master.pid"),
        dir.join("maillog"),
    );
    if let Err(e) = launch(dir, POSTFIX, &["-c", conf.to_str().unwrap(), "start"]) {
        // postfix prints its reasons only to a terminal (or syslog, absent here): `script`
        // gives `postfix check` one so the failure message says why.
        let why = Command::new("script")
            .args([
                "-qec",
                &format!("{POSTFIX} -c {} check", conf.display()),
                "/dev/null",
            ])
            .stdin(Stdio::null())
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        panic!(
            "postfix did not start: {e}\npostfix check: {why}\n{}",
            d.log_tail()
        );
    }
    d
}

pub fn postfix_instance(dir: &Path) -> String {
    format!("{POSTFIX} -c {}/conf", dir.display())
}
