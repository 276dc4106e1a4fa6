//! The on-disk store (DESIGN §4). The only module of the core that does I/O.
//!
//! ```text
//! <root>/trusted/<THUMBPRINT>.der            roots the organisation trusts
//! <root>/intermediates/<THUMBPRINT>.der      intermediate CAs seen in imports (chain building)
//! <root>/servers/<SERVER>/.lock              flock'ed by writers
//!                         assignments        service → thumbprints (key=value)
//!                         index              listing cache of every entry (see `index`)
//!                         generation         counter writers move around each change (see `list`)
//!                         certs/<THUMBPRINT>/certificate.der | request.p10
//!                                            key.p8 (0600)  chain/<n>.der  entry
//!                         live/<SERVICE> -> .<SERVICE>-<THUMBPRINT>/   (see `live`)
//!                         reload             service → command run after its live files change
//! ```

pub mod accepted_domains;
mod atomic;
mod index;
mod live;
mod meta;
mod server_names;

use crate::cert::inspect::CertificateInfo;
use crate::cert::keys::PrivateKey;
use crate::cert::services::Services;
use crate::{Code, Error, Result};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use zeroize::Zeroizing;

pub use atomic::{DIR_MODE, SECRET_MODE};
pub use live::{live_holder, LIVE_SERVICES};

const CERTIFICATE_FILE: &str = "certificate.der";
const REQUEST_FILE: &str = "request.p10";
const KEY_FILE: &str = "key.p8";
const CHAIN_DIR: &str = "chain";
const ENTRY_FILE: &str = "entry";
const ASSIGNMENTS_FILE: &str = "assignments";
const LOCK_FILE: &str = ".lock";
const RELOAD_FILE: &str = "reload";
const INDEX_FILE: &str = "index";
const GENERATION_FILE: &str = "generation";

/// How long a writer waits for another writer before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(30);

/// A store root.
#[derive(Clone, Debug)]
pub struct Store {
    root: PathBuf,
}

impl Store {
    /// The store at `root`, else `$EXCERT_STORE`, else the per-user data folder. Nothing is
    /// created until the first write.
    pub fn open(root: Option<&str>) -> Result<Store> {
        let root = match root.filter(|r| !r.is_empty()) {
            Some(r) => PathBuf::from(r),
            None => match std::env::var_os("EXCERT_STORE").filter(|v| !v.is_empty()) {
                Some(r) => PathBuf::from(r),
                None => default_root()?,
            },
        };
        Ok(Store { root })
    }

    /// The root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// One server's part of the store; `None` is this host.
    pub fn server(&self, name: Option<&str>) -> Result<ServerStore> {
        let name = match name.filter(|n| !n.trim().is_empty()) {
            Some(n) => n.trim().to_string(),
            None => crate::cert::host::HostNames::local().fqdn,
        };
        let servers = self.root.join("servers");
        let resolved = server_names::resolve(&servers, &name)?;
        Ok(ServerStore {
            dir: servers.join(&resolved.folder),
            name: resolved.folder,
            given_fqdn: resolved.fqdn,
        })
    }

    /// Warnings about store folders that other users can enter, with the fix.
    pub fn permission_warnings(&self) -> Vec<String> {
        [self.root.clone(), self.root.join("servers")]
            .iter()
            .filter(|d| fs::metadata(d).is_ok_and(|m| exposed(&m)))
            .map(|d| {
                format!(
                    "The store folder {} can be entered by other users: run `chmod 700 '{}'`",
                    d.display(),
                    d.display()
                )
            })
            .collect()
    }

    /// The organisation's certificates of one kind (DER).
    pub fn org_certificates(&self, kind: OrgCertificates) -> Result<Vec<Vec<u8>>> {
        let dir = self.root.join(kind.folder());
        let mut out = Vec::new();
        for name in list_dir(&dir)? {
            if name.ends_with(".der") && !name.starts_with('.') {
                let p = dir.join(&name);
                out.push(fs::read(&p).map_err(|e| Error::io("read", &p, e))?);
            }
        }
        Ok(out)
    }

    /// Adds a certificate for every server of the store; returns false when it was there already.
    pub fn add_org_certificate(
        &self,
        kind: OrgCertificates,
        thumbprint: &str,
        der: &[u8],
    ) -> Result<bool> {
        let dir = self.root.join(kind.folder());
        atomic::create_dir(&dir)?;
        let _lock = take_lock(
            &self.root.join(LOCK_FILE),
            "the organization's certificates",
        )?;
        clear_temp_files(&dir)?;
        let path = dir.join(format!("{thumbprint}.der"));
        if path.exists() {
            return Ok(false);
        }
        atomic::replace_file(&path, der, atomic::PUBLIC_MODE)?;
        Ok(true)
    }

    /// Every server that has a folder in the store, by name.
    pub fn servers(&self) -> Result<Vec<ServerStore>> {
        let dir = self.root.join("servers");
        let mut out = Vec::new();
        for name in list_dir(&dir)? {
            if !name.starts_with('.') {
                out.push(ServerStore {
                    dir: dir.join(&name),
                    name,
                    given_fqdn: None,
                });
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }
}

/// The platform's per-user data folder + `excert`.
fn default_root() -> Result<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let found = if cfg!(windows) {
        env("LOCALAPPDATA")
    } else if cfg!(target_os = "macos") {
        env("HOME").map(|h| h.join("Library/Application Support"))
    } else {
        env("XDG_DATA_HOME").or_else(|| env("HOME").map(|h| h.join(".local/share")))
    };
    found.map(|d| d.join("excert")).ok_or_else(|| {
        Error::new(Code::StoreIo, "no store folder: set EXCERT_STORE (or HOME) to the folder the certificates should live in")
    })
}

/// Server names become folder names: letters, digits, `-`, `_`, `.`; upper-cased so that
/// `ex01` and `EX01` are one server, as in Exchange.
fn server_folder_name(name: &str) -> Result<String> {
    let ok = name.len() <= 253
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !ok {
        return Err(Error::invalid(format!(
            "'{name}' is not a server name: use the server's NetBIOS name or FQDN (letters, digits, '-', '_' and '.')"
        )));
    }
    Ok(name.to_ascii_uppercase())
}

fn list_dir(dir: &Path) -> Result<Vec<String>> {
    match fs::read_dir(dir) {
        Ok(rd) => Ok(rd
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().into_string().ok())
            .collect()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(Error::io("list", dir, e)),
    }
}

/// True when group or others may access the file or folder.
fn exposed(meta: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o077 != 0
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        false
    }
}

fn exposed_error(path: &Path) -> Error {
    Error::new(
        Code::StorePermissions,
        format!("{} can be read by other users: run `chmod 600 '{}'` (and consider the key compromised if others had access)", path.display(), path.display()),
    )
}

fn read_optional(path: &Path) -> Result<Option<Vec<u8>>> {
    match fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io("read", path, e)),
    }
}

/// Certificates the whole organisation store shares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrgCertificates {
    /// Roots trusted as anchors (`-TrustedRoot`), in `<root>/trusted/`.
    TrustedRoots,
    /// Intermediate CA certificates seen in imports, for building chains, in `<root>/intermediates/`.
    Intermediates,
}

impl OrgCertificates {
    fn folder(self) -> &'static str {
        match self {
            OrgCertificates::TrustedRoots => "trusted",
            OrgCertificates::Intermediates => "intermediates",
        }
    }
}

/// How an entry came to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Made here, self-signed.
    SelfSigned,
    /// A request made here (pending, or completed by an import).
    Request,
    /// Imported from a file.
    Imported,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::SelfSigned => "SelfSigned",
            Source::Request => "Request",
            Source::Imported => "Imported",
        }
    }

    fn parse(s: &str) -> Source {
        match s {
            "SelfSigned" => Source::SelfSigned,
            "Request" => Source::Request,
            _ => Source::Imported,
        }
    }
}

/// What the store keeps about an entry besides its DER files.
#[derive(Clone, Debug, PartialEq)]
pub struct Metadata {
    pub friendly_name: String,
    pub private_key_exportable: bool,
    pub created: OffsetDateTime,
    pub source: Source,
}

impl Metadata {
    fn encode(&self) -> String {
        let mut m = BTreeMap::new();
        m.insert("FriendlyName".into(), self.friendly_name.clone());
        m.insert(
            "PrivateKeyExportable".into(),
            self.private_key_exportable.to_string(),
        );
        m.insert(
            "Created".into(),
            self.created.format(&Rfc3339).unwrap_or_default(),
        );
        m.insert("Source".into(), self.source.as_str().into());
        meta::encode(&m)
    }

    fn decode(text: &str, what: &str) -> Result<Metadata> {
        let m = meta::decode(text, what)?;
        let get = |k: &str| m.get(k).cloned().unwrap_or_default();
        Ok(Metadata {
            friendly_name: get("FriendlyName"),
            private_key_exportable: get("PrivateKeyExportable") == "true",
            created: OffsetDateTime::parse(&get("Created"), &Rfc3339)
                .unwrap_or(OffsetDateTime::UNIX_EPOCH),
            source: Source::parse(&get("Source")),
        })
    }
}

/// A stored certificate or pending request, without its private key.
#[derive(Clone, Debug)]
pub struct Entry {
    pub thumbprint: String,
    /// DER certificate; `None` for a pending request.
    pub certificate: Option<Vec<u8>>,
    /// DER PKCS#10, for pending requests.
    pub request: Option<Vec<u8>>,
    pub has_private_key: bool,
    /// Set when the key file can be read by others than its owner (Unix mode bits 077).
    pub key_file_exposed: Option<PathBuf>,
    /// Issuer certificates kept with the entry, leaf's issuer first.
    pub chain: Vec<Vec<u8>>,
    pub metadata: Metadata,
    /// What the certificate says, when the listing index had it read already.
    pub certificate_info: Option<CertificateInfo>,
}

/// What a writer adds.
pub struct NewEntry<'a> {
    /// Thumbprint of the certificate, or the entry id of a pending request.
    pub thumbprint: &'a str,
    pub certificate: Option<&'a [u8]>,
    pub request: Option<&'a [u8]>,
    pub private_key: Option<&'a PrivateKey>,
    pub chain: &'a [Vec<u8>],
    pub metadata: Metadata,
}

/// Which certificates hold which services on a server.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Assignments {
    /// Service flag → thumbprints holding it.
    pub holders: BTreeMap<u32, Vec<String>>,
    /// The server's default SMTP certificate.
    pub default_smtp: Option<String>,
}

impl Assignments {
    /// The services a certificate holds.
    pub fn services_of(&self, thumbprint: &str) -> Services {
        Services(
            self.holders
                .iter()
                .filter(|(_, ts)| ts.iter().any(|t| t == thumbprint))
                .fold(0, |acc, (flag, _)| acc | flag),
        )
    }

    fn encode(&self) -> String {
        let mut m = BTreeMap::new();
        for (flag, ts) in &self.holders {
            if !ts.is_empty() {
                m.insert(Services(*flag).to_string(), ts.join(","));
            }
        }
        if let Some(t) = &self.default_smtp {
            m.insert("DefaultSMTP".into(), t.clone());
        }
        meta::encode(&m)
    }

    fn decode(text: &str, what: &str) -> Result<Assignments> {
        let mut a = Assignments::default();
        for (k, v) in meta::decode(text, what)? {
            if k == "DefaultSMTP" {
                a.default_smtp = Some(v);
                continue;
            }
            let flag = Services::parse(&k).map_err(|_| {
                Error::new(
                    Code::StoreCorrupt,
                    format!("{what} names an unknown service '{k}': fix or delete the line"),
                )
            })?;
            a.holders.insert(
                flag.0,
                v.split(',')
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
                    .collect(),
            );
        }
        Ok(a)
    }
}

/// One server's certificates.
#[derive(Clone, Debug)]
pub struct ServerStore {
    name: String,
    dir: PathBuf,
    /// The FQDN the caller named the server by, recorded on the next write.
    given_fqdn: Option<String>,
}

impl ServerStore {
    /// The server's name as stored (upper case).
    pub fn name(&self) -> &str {
        &self.name
    }

    fn certs_dir(&self) -> PathBuf {
        self.dir.join("certs")
    }

    fn entry_dir(&self, thumbprint: &str) -> PathBuf {
        self.certs_dir().join(thumbprint)
    }

    /// One entry by (normalised) thumbprint: opens one folder, no scan.
    pub fn get(&self, thumbprint: &str) -> Result<Option<Entry>> {
        self.read_entry(thumbprint, &self.entry_dir(thumbprint))
    }

    /// Reads an entry without a lock. A removal renames the folder away at any moment; a reader
    /// that loses that race sees the entry as gone, not as damaged. A folder that exists again
    /// (the thumbprint imported anew) is read once more.
    fn read_entry(&self, thumbprint: &str, dir: &Path) -> Result<Option<Entry>> {
        match self.read_entry_once(thumbprint, dir) {
            Err(_) if !dir.exists() => Ok(None),
            Err(_) => self.read_entry_once(thumbprint, dir),
            ok => ok,
        }
    }

    fn read_entry_once(&self, thumbprint: &str, dir: &Path) -> Result<Option<Entry>> {
        let entry_path = dir.join(ENTRY_FILE);
        let Some(meta_bytes) = read_optional(&entry_path)? else {
            return Ok(None);
        };
        let metadata = Metadata::decode(
            &String::from_utf8_lossy(&meta_bytes),
            &entry_path.display().to_string(),
        )?;
        let certificate = read_optional(&dir.join(CERTIFICATE_FILE))?;
        let key_meta = fs::metadata(dir.join(KEY_FILE)).ok();
        let request = read_optional(&dir.join(REQUEST_FILE))?;
        if certificate.is_none() && request.is_none() {
            return Err(Error::new(
                Code::StoreCorrupt,
                format!(
                    "{} has neither a certificate nor a request: remove that folder",
                    dir.display()
                ),
            ));
        }
        let mut chain_names = list_dir(&dir.join(CHAIN_DIR))?;
        chain_names.sort_by_key(|n| {
            n.trim_end_matches(".der")
                .parse::<u32>()
                .unwrap_or(u32::MAX)
        });
        let chain = chain_names
            .iter()
            .map(|n| {
                let p = dir.join(CHAIN_DIR).join(n);
                fs::read(&p).map_err(|e| Error::io("read", &p, e))
            })
            .collect::<Result<_>>()?;
        Ok(Some(Entry {
            thumbprint: thumbprint.to_string(),
            certificate,
            request,
            has_private_key: key_meta.is_some(),
            key_file_exposed: key_meta.filter(exposed).map(|_| dir.join(KEY_FILE)),
            chain,
            metadata,
            certificate_info: None,
        }))
    }

    /// Every entry of the server. Entries come from the server's index where it has them
    /// (one file read instead of several per entry) and from their folders where it does not;
    /// the folders decide what exists. A listing is a snapshot: it is redone when an entry was
    /// added or removed while it ran (the server's generation moved, as in a seqlock); under
    /// constant writing it reads every folder. A stale index is rewritten for the next reader.
    /// Key-file permissions are not checked here but where a key is read (`get`, `private_key`).
    pub fn list(&self) -> Result<Vec<Entry>> {
        for _ in 0..3 {
            let generation = self.generation();
            if generation % 2 == 1 {
                std::thread::sleep(Duration::from_millis(5));
                continue;
            }
            let (entries, stale) = self.list_once(Some(generation))?;
            if self.generation() != generation {
                continue;
            }
            // Best effort: a reader that cannot write still gets its answer. Written after a
            // change, it carries a past generation and nobody uses it.
            if stale {
                let _ = atomic::replace_file(
                    &self.dir.join(INDEX_FILE),
                    &index::encode(generation, &entries),
                    atomic::PUBLIC_MODE,
                );
            }
            return Ok(entries);
        }
        Ok(self.list_once(None)?.0)
    }

    /// The server's generation: writers make it odd before they add or remove an entry and
    /// even again after, so a reader can tell whether its pass saw one state of the folders.
    fn generation(&self) -> u64 {
        fs::read_to_string(self.dir.join(GENERATION_FILE))
            .ok()
            .and_then(|t| t.trim().parse().ok())
            .unwrap_or(0)
    }

    /// One pass over the entry folders, using the index only if it was made at `generation`;
    /// true when the index lacked something.
    fn list_once(&self, generation: Option<u64>) -> Result<(Vec<Entry>, bool)> {
        let mut cached = match generation {
            Some(g) => read_optional(&self.dir.join(INDEX_FILE))?
                .and_then(|b| index::decode(&b))
                .filter(|(made_at, _)| *made_at == g)
                .map(|(_, entries)| entries)
                .unwrap_or_default(),
            None => Default::default(),
        };
        let mut names: Vec<String> = list_dir(&self.certs_dir())?
            .into_iter()
            .filter(|n| !n.starts_with('.'))
            .collect();
        names.sort();
        let mut stale = cached.len() != names.len();
        let mut out = Vec::with_capacity(names.len());
        for name in names {
            match cached.remove(&name) {
                Some(e) => out.push(e),
                None => {
                    stale = true;
                    out.extend(self.read_entry(&name, &self.entry_dir(&name))?);
                }
            }
        }
        Ok((out, stale))
    }

    /// The private key of an entry, if it has one. A key file others can read is refused
    /// until its permissions are fixed: it may already have leaked, and must not spread further.
    pub fn private_key(&self, thumbprint: &str) -> Result<Option<PrivateKey>> {
        let path = self.entry_dir(thumbprint).join(KEY_FILE);
        if fs::metadata(&path).is_ok_and(|m| exposed(&m)) {
            return Err(exposed_error(&path));
        }
        match read_optional(&path)? {
            Some(bytes) => PrivateKey::from_pkcs8(&Zeroizing::new(bytes)).map(Some),
            None => Ok(None),
        }
    }

    /// The current service assignments.
    pub fn assignments(&self) -> Result<Assignments> {
        let path = self.dir.join(ASSIGNMENTS_FILE);
        match read_optional(&path)? {
            Some(b) => {
                Assignments::decode(&String::from_utf8_lossy(&b), &path.display().to_string())
            }
            None => Ok(Assignments::default()),
        }
    }

    /// The reload command per service (`IIS=nginx -s reload`), from the server's `reload` file.
    pub fn reload_commands(&self) -> Result<BTreeMap<String, String>> {
        let path = self.dir.join(RELOAD_FILE);
        match read_optional(&path)? {
            Some(b) => meta::decode(&String::from_utf8_lossy(&b), &path.display().to_string()),
            None => Ok(BTreeMap::new()),
        }
    }

    /// The writer lock, for a change to an entry that must exist: an unknown thumbprint (or
    /// server) is `NotFound` before anything is created, and the entry is checked again under
    /// the lock.
    pub fn lock_existing(&self, thumbprint: &str) -> Result<WriteLock<'_>> {
        if !self.entry_dir(thumbprint).exists() {
            return Err(not_found(&self.name, thumbprint));
        }
        let lock = self.lock()?;
        if !self.entry_dir(thumbprint).exists() {
            return Err(not_found(&self.name, thumbprint));
        }
        Ok(lock)
    }

    /// Takes the server's writer lock (waiting up to 30 s for another writer), creating the
    /// server's folders on first use and clearing what crashed writers left behind.
    pub fn lock(&self) -> Result<WriteLock<'_>> {
        atomic::create_dir(&self.certs_dir())?;
        let file = take_lock(&self.dir.join(LOCK_FILE), &format!("server {}", self.name))?;
        self.record_fqdn()?;
        let lock = WriteLock {
            server: self,
            _file: file,
        };
        lock.clear_leftovers()?;
        lock.repair_live();
        Ok(lock)
    }
}

/// Opens (creating) a lock file and takes its flock, waiting up to `LOCK_WAIT` for another
/// process; `what` names the locked thing in the error.
fn take_lock(path: &Path, what: &str) -> Result<fs::File> {
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| Error::io("open the lock file", path, e))?;
    let start = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(fs::TryLockError::WouldBlock) if start.elapsed() < LOCK_WAIT => std::thread::sleep(Duration::from_millis(20)),
            Err(fs::TryLockError::WouldBlock) => {
                return Err(Error::new(
                    Code::StoreLocked,
                    format!("another process has held the lock of {what} for {} s: wait for it to finish, or end it if it hangs", LOCK_WAIT.as_secs()),
                ))
            }
            Err(fs::TryLockError::Error(e)) => return Err(Error::io("lock", path, e)),
        }
    }
}

/// Removes `.tmp-*` files in a folder: call only while holding the lock its writers take.
fn clear_temp_files(dir: &Path) -> Result<()> {
    for name in list_dir(dir)? {
        if name.starts_with(atomic::TEMP_PREFIX) {
            let _ = fs::remove_file(dir.join(name));
        }
    }
    Ok(())
}

/// Proof that this process is the server's only writer; released on drop.
pub struct WriteLock<'a> {
    server: &'a ServerStore,
    _file: fs::File,
}

impl WriteLock<'_> {
    /// Removes temporary files and folders of writers that died: under the lock no live writer has any.
    fn clear_leftovers(&self) -> Result<()> {
        // The organization's folders too, when no one is writing there (their lock is free).
        if let Some(root) = self.server.dir.parent().and_then(Path::parent) {
            let org_lock = fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(root.join(LOCK_FILE));
            // The file stays open (and locked) until the sweep is done.
            if let Ok(held) = org_lock.as_ref().map(|f| f.try_lock().is_ok()) {
                if held {
                    for kind in [
                        OrgCertificates::TrustedRoots,
                        OrgCertificates::Intermediates,
                    ] {
                        clear_temp_files(&root.join(kind.folder()))?;
                    }
                }
            }
        }
        // A writer killed inside `changing` left the generation odd: make it even again.
        if self.server.generation() % 2 == 1 {
            self.bump_generation()?;
        }
        for dir in [
            self.server.dir.clone(),
            self.server.certs_dir(),
            self.server.dir.join("live"),
        ] {
            for name in list_dir(&dir)? {
                if name.starts_with(atomic::TEMP_PREFIX) {
                    let p = dir.join(&name);
                    if p.is_dir() {
                        for secret in [KEY_FILE, "privkey.pem", "combined.pem"] {
                            atomic::shred(&p.join(secret));
                        }
                        let _ = fs::remove_dir_all(&p);
                    } else {
                        let _ = fs::remove_file(&p);
                    }
                }
            }
        }
        Ok(())
    }

    /// Moves the generation on by one. Not flushed to disk: it only tells concurrent readers
    /// that the folders changed, and after a crash the index records are still checked
    /// against the folders.
    fn bump_generation(&self) -> Result<()> {
        let path = self.server.dir.join(GENERATION_FILE);
        let tmp = atomic::temp_name(&self.server.dir, "generation");
        let next = self.server.generation() + 1;
        fs::write(&tmp, next.to_string()).map_err(|e| Error::io("write", &tmp, e))?;
        fs::rename(&tmp, &path).map_err(|e| Error::io("replace", &path, e))
    }

    /// Runs `change` with the generation odd around it (the writer side of the seqlock).
    fn changing<T>(&self, change: impl FnOnce() -> Result<T>) -> Result<T> {
        self.bump_generation()?;
        let out = change();
        self.bump_generation()?;
        out
    }

    /// Finishes what a writer killed between writing the assignments and switching the live
    /// links left undone, and runs the reload commands of what it switched. Best effort: a
    /// failure here (say, an exposed key) is reported by the operation that changes that service.
    fn repair_live(&self) {
        let Ok(a) = self.server.assignments() else {
            return;
        };
        let Ok(staged) = self.server.stage_live(&a) else {
            return;
        };
        if let Ok(changed) = self.server.switch_live(staged) {
            let commands = self.server.reload_commands().unwrap_or_default();
            for service in changed {
                if let Some(cmd) = commands.get(service) {
                    let _ = run_reload(&self.server.dir, cmd);
                }
            }
        }
    }

    /// Adds an entry atomically: it is built under a temporary name and renamed into place.
    pub fn add(&self, new: &NewEntry) -> Result<()> {
        let dest = self.server.entry_dir(new.thumbprint);
        if dest.exists() {
            return Err(Error::new(Code::AlreadyExists, format!(
                "server {} already has a certificate with thumbprint {}: use it, or remove it first with Remove-ExchangeCertificate",
                self.server.name, new.thumbprint
            )));
        }
        let tmp = atomic::temp_name(&self.server.certs_dir(), "entry");
        atomic::create_dir(&tmp)?;
        let written = (|| {
            if let Some(c) = new.certificate {
                atomic::write_new(&tmp.join(CERTIFICATE_FILE), c, atomic::PUBLIC_MODE)?;
            }
            if let Some(r) = new.request {
                atomic::write_new(&tmp.join(REQUEST_FILE), r, atomic::PUBLIC_MODE)?;
            }
            if let Some(k) = new.private_key {
                atomic::write_new(&tmp.join(KEY_FILE), k.pkcs8(), SECRET_MODE)?;
            }
            if !new.chain.is_empty() {
                atomic::create_dir(&tmp.join(CHAIN_DIR))?;
                for (i, c) in new.chain.iter().enumerate() {
                    atomic::write_new(
                        &tmp.join(CHAIN_DIR).join(format!("{i}.der")),
                        c,
                        atomic::PUBLIC_MODE,
                    )?;
                }
                atomic::sync_dir(&tmp.join(CHAIN_DIR))?;
            }
            // The entry file is written last: a folder without it is never a valid entry.
            atomic::write_new(
                &tmp.join(ENTRY_FILE),
                new.metadata.encode().as_bytes(),
                atomic::PUBLIC_MODE,
            )?;
            atomic::sync_dir(&tmp)?;
            self.changing(|| {
                fs::rename(&tmp, &dest).map_err(|e| Error::io("move into place", &dest, e))
            })?;
            atomic::sync_dir(&self.server.certs_dir())
        })();
        if written.is_err() {
            self.clear_leftovers()?;
        }
        written
    }

    /// Replaces the server's service assignments atomically, then brings the live files in
    /// line and runs the reload command of each service whose files changed. Returns warnings
    /// (failed reloads: the assignment stands).
    pub fn set_assignments(&self, a: &Assignments) -> Result<Vec<String>> {
        let staged = self.server.stage_live(a)?;
        atomic::replace_file(
            &self.server.dir.join(ASSIGNMENTS_FILE),
            a.encode().as_bytes(),
            atomic::PUBLIC_MODE,
        )?;
        let changed = self.server.switch_live(staged)?;
        let commands = self.server.reload_commands()?;
        let mut warnings = Vec::new();
        for service in changed {
            if let Some(cmd) = commands.get(service) {
                if let Err(why) = run_reload(&self.server.dir, cmd) {
                    warnings.push(format!(
                        "The {service} live files changed but its reload command failed ({why}); the assignment stands: fix the command in {} and reload the daemon by hand",
                        self.server.dir.join(RELOAD_FILE).display()
                    ));
                }
            }
        }
        Ok(warnings)
    }

    /// Removes an entry: it vanishes at once (renamed away), then its key is overwritten and deleted.
    pub fn remove(&self, thumbprint: &str) -> Result<()> {
        let dir = self.server.entry_dir(thumbprint);
        if !dir.exists() {
            return Err(not_found(&self.server.name, thumbprint));
        }
        let doomed = atomic::temp_name(&self.server.certs_dir(), "removed");
        self.changing(|| fs::rename(&dir, &doomed).map_err(|e| Error::io("remove", &dir, e)))?;
        atomic::sync_dir(&self.server.certs_dir())?;
        atomic::shred(&doomed.join(KEY_FILE));
        fs::remove_dir_all(&doomed).map_err(|e| Error::io("delete", &doomed, e))
    }
}

/// How long a reload command may run before it is killed and reported.
const RELOAD_TIMEOUT: Duration = Duration::from_secs(60);

/// Runs an admin's reload command through the shell; the error carries its exit status and the
/// end of its error output. That output goes to a temporary file in `dir`, not a pipe: a daemon
/// the command starts inherits it and may keep it open, and waiting for a pipe's end would wait
/// for the daemon. Only the command itself is waited for, at most `RELOAD_TIMEOUT`.
fn run_reload(dir: &Path, cmd: &str) -> std::result::Result<(), String> {
    let log_path = atomic::temp_name(dir, "reload");
    let log = fs::File::create(&log_path).map_err(|e| format!("`{cmd}` could not start: {e}"))?;
    let mut shell = if cfg!(windows) {
        std::process::Command::new("cmd")
    } else {
        std::process::Command::new("sh")
    };
    shell
        .arg(if cfg!(windows) { "/C" } else { "-c" })
        .arg(cmd)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(log);
    let outcome = match shell.spawn() {
        Err(e) => Err(format!("`{cmd}` could not start: {e}")),
        Ok(mut child) => {
            let start = Instant::now();
            loop {
                match child.try_wait() {
                    Ok(Some(status)) if status.success() => break Ok(()),
                    Ok(Some(status)) => break Err(format!("`{cmd}` exited with {status}")),
                    Ok(None) if start.elapsed() < RELOAD_TIMEOUT => {
                        std::thread::sleep(Duration::from_millis(10))
                    }
                    Ok(None) => {
                        let _ = child.kill();
                        let _ = child.wait();
                        break Err(format!(
                            "`{cmd}` did not finish within {} s and was stopped",
                            RELOAD_TIMEOUT.as_secs()
                        ));
                    }
                    Err(e) => break Err(format!("`{cmd}` could not be waited for: {e}")),
                }
            }
        }
    };
    let err = fs::read_to_string(&log_path).unwrap_or_default();
    let _ = fs::remove_file(&log_path);
    outcome.map_err(|why| {
        let tail: String = err
            .trim()
            .chars()
            .rev()
            .take(300)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if tail.is_empty() {
            why
        } else {
            format!("{why}: {tail}")
        }
    })
}

/// The error for a thumbprint the server does not have.
pub fn not_found(server: &str, thumbprint: &str) -> Error {
    Error::new(Code::NotFound, format!(
        "server {server} has no certificate or request with thumbprint {thumbprint}: list them with Get-ExchangeCertificate -Server {server}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_names_are_checked_and_upper_cased() {
        let s = Store {
            root: PathBuf::from("/x"),
        };
        assert_eq!(s.server(Some("ex01.contoso.com")).unwrap().name(), "EX01");
        for bad in ["../etc", "a/b", ".hidden", "a b"] {
            assert_eq!(
                s.server(Some(bad)).unwrap_err().code,
                Code::InvalidArgument,
                "{bad}"
            );
        }
    }

    #[test]
    fn assignments_round_trip() {
        let mut a = Assignments::default();
        a.holders.insert(8, vec!["AA".into()]);
        a.holders.insert(16, vec!["AA".into(), "BB".into()]);
        a.default_smtp = Some("BB".into());
        let back = Assignments::decode(&a.encode(), "t").unwrap();
        assert_eq!(back, a);
        assert_eq!(back.services_of("AA"), Services(24));
        assert_eq!(back.services_of("BB"), Services::SMTP);
    }
}
