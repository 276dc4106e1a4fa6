//! One version everywhere: Cargo.toml's version is the one source, and every copy a release
//! carries (the module manifest, the library's excert_version(), CHANGELOG.md) agrees with it;
//! the ABI version has one value in the library, the header and the changelog (the module's copy
//! is checked by tests/drift.rs).
//! The packages take their versions from Cargo.toml (scripts/install, scripts/package-deb);
//! scripts/package-tests checks what they wrote (pkg-config, the .deb, the installed module).

use excert::ffi::{excert_abi_version, excert_version, EXCERT_ABI_VERSION};
use std::ffi::CStr;
use std::path::Path;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The value of `Key = 'value'` (a .psd1 line).
fn assigned<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines().find_map(|line| {
        let (left, right) = line.split_once('=')?;
        (left.trim() == key).then(|| right.trim().trim_matches('\''))
    })
}

#[test]
fn module_manifest_has_the_crate_version() {
    let manifest = read("powershell/ExchangeCertificate/ExchangeCertificate.psd1");
    assert_eq!(assigned(&manifest, "ModuleVersion"), Some(VERSION));
}

#[test]
fn library_reports_the_crate_version() {
    let reported = unsafe { CStr::from_ptr(excert_version()) }
        .to_str()
        .unwrap();
    assert_eq!(reported, VERSION);
}

#[test]
fn changelog_has_a_section_for_this_release_naming_its_abi() {
    let changelog = read("CHANGELOG.md");
    let heading = format!("## [{VERSION}]");
    let start = changelog.find(&heading).unwrap_or_else(|| {
        panic!("CHANGELOG.md has no '{heading}' section: add this release's changes")
    });
    let section = &changelog[start + heading.len()..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    assert!(
        section.contains(&format!("ABI version {EXCERT_ABI_VERSION} (`libexcert.so.{EXCERT_ABI_VERSION}`)")),
        "the {VERSION} section of CHANGELOG.md must name ABI version {EXCERT_ABI_VERSION} and its soname"
    );
}

#[test]
fn abi_version_agrees_in_library_and_header() {
    assert_eq!(excert_abi_version(), EXCERT_ABI_VERSION);
    let header = read("include/excert.h");
    assert!(
        header.contains(&format!("#define EXCERT_ABI_VERSION {EXCERT_ABI_VERSION}")),
        "include/excert.h does not define EXCERT_ABI_VERSION {EXCERT_ABI_VERSION}: rebuild and commit it"
    );
}
