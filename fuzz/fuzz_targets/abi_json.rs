//! The C ABI's JSON requests: every `excert_*` operation called the way a C caller would, with
//! the fuzz bytes as a NUL-terminated request, against a throwaway store that holds real
//! certificates, a pending request, an imported PFX and a trusted root.
//!
//! Input layout: byte 0 picks the operation and its variants, the rest (up to the first NUL, as
//! C would read it) is the request JSON. Every call must return a known code, set exactly the
//! out-pointer the contract names, and give well-formed JSON there; a panic (code 999, an abort
//! in this build) is a finding.
//!
//! Environment (set by scripts/fuzz):
//! - `EXCERT_FUZZ_ABI_DIR`: where the template store is kept between runs (so the thumbprints
//!   in the seed corpus stay valid) and where the per-process working copy lives.
//! - `EXCERT_FUZZ_ABI_FILES`: folder of openssl-made files put into the template store:
//!   `*.pfx` (password `fuzz`) and `*.cer` imported to the server, `*.der` trusted as roots.
//! - `EXCERT_FUZZ_ABI_WRITE_SEEDS`: if set, a folder to write seed requests into at start-up.
//! - `EXCERT_FUZZ_ABI_TRACE`: if set, each call's operation and code go to stderr.
#![no_main]

mod common;

use excert::cert::keys::{KeyAlgorithm, KeySpec};
use excert::cert::names::Subject;
use excert::cert::services::Services;
use excert::ffi;
use excert::model::{ImportRequest, NewCertificateRequest};
use serde_json::{json, Map, Value};
use std::ffi::{c_char, CStr};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// PFX password of the seed files, passed as the secret of import and export.
const SECRET: &[u8] = b"fuzz";
/// The server the template store fills; requests without `Server` act on this host instead.
const SERVER: &str = "FUZZ";

struct Setup {
    template: PathBuf,
    work: PathBuf,
    work_text: String,
}

static SETUP: OnceLock<Setup> = OnceLock::new();
/// The working copy differs from the template (a changing call succeeded).
static DIRTY: AtomicBool = AtomicBool::new(false);

#[derive(Clone, Copy, Debug)]
enum Op {
    List,
    Get,
    New,
    RequestNew,
    Renew,
    Enable,
    Remove,
    Import,
    Export,
    ResultName,
}

const OPS: [Op; 10] = [
    Op::List,
    Op::Get,
    Op::New,
    Op::RequestNew,
    Op::Renew,
    Op::Enable,
    Op::Remove,
    Op::Import,
    Op::Export,
    Op::ResultName,
];

impl Op {
    fn changes_store(self) -> bool {
        matches!(
            self,
            Op::New | Op::RequestNew | Op::Renew | Op::Enable | Op::Remove | Op::Import
        )
    }
}

/// Byte 0 of an input: the operation (low part) and two flags (pass the secret; pass NULL
/// out-pointers).
fn selector(op: usize, with_secret: bool, null_outs: bool) -> u8 {
    (op + OPS.len() * (usize::from(with_secret) + 2 * usize::from(null_outs))) as u8
}

fuzz_target!(|data| {
    let setup = SETUP.get_or_init(init);
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let op = OPS[usize::from(first) % OPS.len()];
    let flags = usize::from(first) / OPS.len();
    let with_secret = flags & 1 == 1;
    let null_outs = flags & 2 == 2;
    let request = &rest[..rest.iter().position(|&b| b == 0).unwrap_or(rest.len())];

    if let Op::ResultName = op {
        let mut n = [0u8; 4];
        for (d, s) in n.iter_mut().zip(request) {
            *d = *s;
        }
        let name = ffi::excert_result_name(i32::from_le_bytes(n));
        assert!(!name.is_null());
        // SAFETY: a static NUL-terminated string by contract.
        let name = unsafe { CStr::from_ptr(name) }
            .to_str()
            .expect("UTF-8 name");
        assert!(!name.is_empty());
        return;
    }

    if DIRTY.swap(false, Ordering::Relaxed) {
        reset(setup);
    }
    let mut request = confine(op, request, &setup.work_text);
    request.push(0);
    let req = request.as_ptr().cast::<c_char>();
    let secret: (*const u8, usize) = if with_secret {
        (SECRET.as_ptr(), SECRET.len())
    } else {
        (std::ptr::null(), 0)
    };
    let mut out: *mut c_char = std::ptr::null_mut();
    let mut err: *mut c_char = std::ptr::null_mut();
    let (o, e): (*mut *mut c_char, *mut *mut c_char) = if null_outs {
        (std::ptr::null_mut(), std::ptr::null_mut())
    } else {
        (&mut out, &mut err)
    };
    // SAFETY: `req` is NUL-terminated; out-pointers are NULL or point at locals; the secret is
    // NULL with 0 or a static slice.
    let code = unsafe {
        match op {
            Op::List => ffi::excert_certificate_list(req, o, e),
            Op::Get => ffi::excert_certificate_get(req, o, e),
            Op::New => ffi::excert_certificate_new(req, o, e),
            Op::RequestNew => ffi::excert_request_new(req, o, e),
            Op::Renew => ffi::excert_certificate_renew(req, o, e),
            Op::Enable => ffi::excert_certificate_enable(req, o, e),
            Op::Remove => ffi::excert_certificate_remove(req, o, e),
            Op::Import => ffi::excert_certificate_import(req, secret.0, secret.1, o, e),
            Op::Export => ffi::excert_certificate_export(req, secret.0, secret.1, o, e),
            Op::ResultName => unreachable!(),
        }
    };
    if std::env::var_os("EXCERT_FUZZ_ABI_TRACE").is_some() {
        eprintln!("excert-fuzz: {op:?} -> {code}");
    }
    assert_ne!(code, 999, "{op:?} caught a panic");
    if op.changes_store() && code == 0 {
        DIRTY.store(true, Ordering::Relaxed);
    }
    if null_outs {
        return;
    }
    // SAFETY: the library set these to its own NUL-terminated strings, or left them NULL.
    let (out_text, err_text) = unsafe { (take(out), take(err)) };
    if code == 0 {
        assert!(err_text.is_none(), "{op:?}: success also set out_error");
        let text = out_text.expect("success sets out_json");
        let v: Value = serde_json::from_str(&text).expect("out_json is JSON");
        assert_eq!(v["Schema"], json!(1), "{op:?}: answer without Schema 1");
    } else {
        assert!(out_text.is_none(), "{op:?}: failure also set out_json");
        let text = err_text.expect("failure sets out_error");
        let v: Value = serde_json::from_str(&text).expect("out_error is JSON");
        assert_eq!(
            v["Code"],
            json!(code),
            "{op:?}: error JSON code differs from the return"
        );
        let name = ffi::excert_result_name(code);
        // SAFETY: a static NUL-terminated string by contract.
        let name = unsafe { CStr::from_ptr(name) }.to_str().unwrap();
        assert_ne!(name, "Unknown", "{op:?} returned undocumented code {code}");
        assert_eq!(v["Name"], json!(name));
        assert!(v["Message"].as_str().is_some_and(|m| !m.is_empty()));
    }
});

/// Copies a string the library returned and frees it.
unsafe fn take(p: *mut c_char) -> Option<String> {
    if p.is_null() {
        return None;
    }
    let s = CStr::from_ptr(p).to_string_lossy().into_owned();
    ffi::excert_string_free(p);
    Some(s)
}

/// Keeps a request inside the throwaway store and away from slow RSA key generation, changing
/// as little as possible: only a `StoreRoot` the request names (where serde would read it), and
/// a key the request would make as RSA becomes ECDSA P-256. Anything else goes through as it is,
/// invalid UTF-8 and broken JSON included.
fn confine(op: Op, request: &[u8], work: &str) -> Vec<u8> {
    let Ok(Value::Object(mut map)) = serde_json::from_slice::<Value>(request) else {
        return request.to_vec();
    };
    let mut changed = false;
    if map.contains_key("StoreRoot") {
        map.insert("StoreRoot".into(), Value::String(work.into()));
        changed = true;
    }
    if matches!(op, Op::New | Op::RequestNew) && makes_rsa_key(&map) {
        map.insert("KeyAlgorithm".into(), Value::String("ECDSA_P256".into()));
        map.remove("KeySize");
        changed = true;
    }
    if changed {
        serde_json::to_vec(&Value::Object(map)).expect("a JSON value serialises")
    } else {
        request.to_vec()
    }
}

fn makes_rsa_key(map: &Map<String, Value>) -> bool {
    let algorithm = match map.get("KeyAlgorithm") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => match KeyAlgorithm::parse(s) {
            Ok(a) => Some(a),
            Err(_) => return false,
        },
        Some(_) => return false,
    };
    let size = match map.get("KeySize") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(n) => Some(n),
            None => return false,
        },
    };
    KeySpec::new(algorithm, size).is_ok_and(|s| s.algorithm == KeyAlgorithm::Rsa)
}

fn init() -> Setup {
    let base = std::env::var_os("EXCERT_FUZZ_ABI_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("excert-fuzz-abi"));
    fs::create_dir_all(&base).expect("EXCERT_FUZZ_ABI_DIR can be created");
    let template = base.join("template");
    if !template.join("ready").exists() {
        build_template(&base, &template);
    }
    let work = base.join(format!("work-{}", std::process::id()));
    let work_text = work.to_str().expect("a UTF-8 work path").to_string();
    // Requests without StoreRoot use $EXCERT_STORE: point it at the working copy too, so that
    // nothing outside it is touched. Set before any library call reads it.
    std::env::set_var("EXCERT_STORE", &work);
    let setup = Setup {
        template,
        work,
        work_text,
    };
    reset(&setup);
    if let Some(dir) = std::env::var_os("EXCERT_FUZZ_ABI_WRITE_SEEDS") {
        write_seeds(&setup.template, Path::new(&dir));
    }
    setup
}

fn reset(setup: &Setup) {
    if setup.work.exists() {
        fs::remove_dir_all(&setup.work).expect("the work store can be removed");
    }
    copy_tree(&setup.template, &setup.work);
}

/// Copies a store folder, keeping modes (the store checks them) and symlinks (live files).
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create dir");
    fs::set_permissions(to, fs::metadata(from).expect("stat").permissions()).expect("chmod");
    for entry in fs::read_dir(from).expect("read template") {
        let entry = entry.expect("dir entry");
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type().expect("file type");
        if kind.is_symlink() {
            std::os::unix::fs::symlink(fs::read_link(&src).expect("readlink"), &dst)
                .expect("symlink");
        } else if kind.is_dir() {
            copy_tree(&src, &dst);
        } else {
            copy_file(&src, &dst);
        }
    }
}

/// `fs::copy`, again when a signal interrupts it: libFuzzer's `-timeout` alarm has no
/// SA_RESTART, and std's copy (copy_file_range) gives EINTR back instead of retrying.
fn copy_file(src: &Path, dst: &Path) {
    loop {
        match fs::copy(src, dst) {
            Ok(_) => return,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => panic!("copy {}: {e}", src.display()),
        }
    }
}

/// Fills a template store through the library itself: self-signed certificates (one assigned,
/// one expired, one on this host), a pending request, the openssl-made PFX files and roots.
/// Keys are ECDSA so renewals stay fast.
fn build_template(base: &Path, template: &Path) {
    let tmp = base.join(format!("template.tmp-{}", std::process::id()));
    if tmp.exists() {
        fs::remove_dir_all(&tmp).unwrap();
    }
    fs::create_dir_all(&tmp).unwrap();
    // As the store makes its own folders: private to the user.
    fs::set_permissions(&tmp, fs::Permissions::from_mode(0o700)).unwrap();
    let root = Some(tmp.to_str().unwrap().to_string());
    let new = |server: Option<&str>, services: &str, dates: Option<(&str, &str)>| {
        let req = NewCertificateRequest {
            store_root: root.clone(),
            server: server.map(str::to_string),
            subject_name: Some(Subject::parse("C=US,O=Contoso,CN=mail.contoso.com").unwrap()),
            domain_name: vec!["autodiscover.contoso.com".into(), "*.contoso.com".into()],
            friendly_name: Some("fuzz template".into()),
            key_algorithm: Some(KeyAlgorithm::EcdsaP256),
            private_key_exportable: true,
            services: Some(Services::parse(services).unwrap()),
            force: true,
            not_before: dates.map(|d| OffsetDateTime::parse(d.0, &Rfc3339).unwrap()),
            not_after: dates.map(|d| OffsetDateTime::parse(d.1, &Rfc3339).unwrap()),
            ..Default::default()
        };
        excert::ops::new_certificate(&req)
            .expect("template certificate")
            .certificate
            .thumbprint
    };
    let mut thumbs = vec![
        new(Some(SERVER), "IIS, SMTP, IMAP, POP", None),
        new(
            Some(SERVER),
            "None",
            Some(("2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z")),
        ),
        new(None, "SMTP", None),
    ];
    let pending = excert::ops::new_request(&NewCertificateRequest {
        store_root: root.clone(),
        server: Some(SERVER.into()),
        subject_name: Some(Subject::common_name_only("pending.contoso.com")),
        key_algorithm: Some(KeyAlgorithm::EcdsaP384),
        ..Default::default()
    })
    .expect("template request");
    thumbs.push(pending.certificate.thumbprint);
    if let Some(dir) = std::env::var_os("EXCERT_FUZZ_ABI_FILES") {
        let mut files: Vec<PathBuf> = fs::read_dir(&dir)
            .expect("EXCERT_FUZZ_ABI_FILES is a folder")
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let ext = f.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !matches!(ext, "pfx" | "cer" | "der") {
                continue;
            }
            let data = fs::read(&f).unwrap();
            let req = ImportRequest {
                store_root: root.clone(),
                server: Some(SERVER.into()),
                file_data: data,
                file_name: None,
                private_key_exportable: Some(true),
                friendly_name: None,
                trusted_root: ext == "der",
            };
            match excert::ops::import(&req, (ext == "pfx").then_some(SECRET)) {
                Ok(answer) => thumbs.extend(answer.certificates.into_iter().map(|c| c.thumbprint)),
                Err(e) => panic!(
                    "the template could not import {}: {}",
                    f.display(),
                    e.message
                ),
            }
        }
    }
    fs::write(tmp.join("thumbprints"), thumbs.join("\n")).unwrap();
    fs::write(tmp.join("ready"), b"").unwrap();
    if template.exists() {
        fs::remove_dir_all(template).unwrap();
    }
    fs::rename(&tmp, template).expect("template in place");
}

fn b64(data: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// Seed requests for every operation, naming the template's thumbprints and carrying the
/// openssl-made files as FileData.
fn write_seeds(template: &Path, out: &Path) {
    fs::create_dir_all(out).unwrap();
    let thumbs: Vec<String> = fs::read_to_string(template.join("thumbprints"))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let files: Vec<String> = std::env::var_os("EXCERT_FUZZ_ABI_FILES")
        .map(|d| {
            let mut v: Vec<PathBuf> = fs::read_dir(d)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            v.sort();
            v.into_iter().map(|p| b64(&fs::read(p).unwrap())).collect()
        })
        .unwrap_or_default();
    let mut seeds: Vec<(usize, bool, Value)> = vec![
        (0, false, json!({})),
        (0, false, json!({"Server": "*"})),
        (
            0,
            false,
            json!({"Server": SERVER, "DomainName": ["*.contoso.com", "mail.*"], "ExpiryWarningDays": 4000}),
        ),
        (
            0,
            false,
            json!({"StoreRoot": "", "Server": SERVER, "Thumbprint": thumbs[0].to_lowercase()}),
        ),
        (
            2,
            false,
            json!({"SubjectName": "C=US,O=Contoso,CN=mail.contoso.com", "DomainName": ["a.contoso.com"], "KeyAlgorithm": "ECDSA_P256", "Services": "IIS, SMTP", "Force": true, "Server": SERVER}),
        ),
        (
            2,
            false,
            json!({"SubjectName": "CN=x.contoso.com;OU=\"a, b\"", "KeyAlgorithm": "ECDSA_P384", "NotBefore": "2024-02-29T12:00:00Z", "NotAfter": "2029-02-28T12:00:00+01:00", "SubjectKeyIdentifier": "0A0B0C", "FriendlyName": "f", "IncludeServerFQDN": true, "IncludeServerNetBIOSName": true, "PrivateKeyExportable": true}),
        ),
        (
            2,
            false,
            json!({"Services": "SMTP", "KeyAlgorithm": "ECDSA_P256", "Server": SERVER}),
        ),
        (
            3,
            false,
            json!({"SubjectName": "CN=req.contoso.com", "DomainName": ["b.contoso.com"], "KeyAlgorithm": "ECDSA_P256", "Server": SERVER}),
        ),
        (3, false, json!({"KeySize": 2048})),
    ];
    for (i, t) in thumbs.iter().enumerate() {
        let server = if i == 2 { Value::Null } else { json!(SERVER) };
        seeds.extend([
            (1, false, json!({"Thumbprint": t, "Server": server})),
            (4, false, json!({"Thumbprint": t, "Server": server, "Force": true})),
            (4, false, json!({"Thumbprint": t, "Server": server, "GenerateRequest": true, "FriendlyName": "r", "PrivateKeyExportable": false})),
            (5, false, json!({"Thumbprint": t, "Server": server, "Services": "IIS,SMTP,POP,IMAP", "Force": true})),
            (5, false, json!({"Thumbprint": t, "Server": server, "Services": "UM", "DoNotRequireSsl": true, "NetworkServiceAllowed": true})),
            (6, false, json!({"Thumbprint": t, "Server": server})),
            (6, false, json!({"Thumbprint": t, "Server": server, "Force": true})),
            (8, true, json!({"Thumbprint": t, "Server": server})),
            (8, true, json!({"Thumbprint": t, "Server": server, "Encryption": "Legacy", "Force": true})),
            (8, false, json!({"Thumbprint": t, "Server": server})),
        ]);
    }
    for f in &files {
        seeds.extend([
            (7, true, json!({"FileData": f, "Server": SERVER, "PrivateKeyExportable": true, "FriendlyName": "i"})),
            (7, false, json!({"FileData": f, "TrustedRoot": true})),
            (7, true, json!({"FileData": f, "Server": "OTHER"})),
        ]);
    }
    for (n, (op, secret, v)) in seeds.iter().enumerate() {
        let mut bytes = vec![selector(*op, *secret, false)];
        bytes.extend(serde_json::to_vec(v).unwrap());
        fs::write(out.join(format!("seed-{n:03}.json")), &bytes).unwrap();
    }
    // Malformed shapes the boundary must refuse: not an object, wrong types, unknown fields.
    let raw: [&[u8]; 6] = [
        b"[]",
        b"null",
        b"{\"Thumbprint\":7}",
        b"{\"Bogus\":1}",
        b"{",
        b"\xff\xfe{}",
    ];
    for (n, r) in raw.iter().enumerate() {
        let mut bytes = vec![selector(n % 9, false, n % 2 == 1)];
        bytes.extend_from_slice(r);
        fs::write(out.join(format!("raw-{n}.json")), bytes).unwrap();
    }
}
