//! The tables the PowerShell module and the C header copy from the Rust source: each copy is read
//! as text and must equal the Rust one, so a change on one side fails here until the other follows.

use excert::cert::services;
use excert::ffi::{CERTIFICATE_PROPERTIES, EXCERT_ABI_VERSION};
use std::path::Path;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

const NATIVE_CS: &str = "powershell/ExchangeCertificate/Native.cs";
const ANSWERS_CS: &str = "powershell/ExchangeCertificate/Answers.cs";
const FORMAT_PS1XML: &str = "powershell/ExchangeCertificate/ExchangeCertificate.Format.ps1xml";
const MODULE_IMPORT_CS: &str = "powershell/ExchangeCertificate/Cmdlets/ModuleImport.cs";

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("'{start}' not found"))
        + start.len();
    let len = text[from..]
        .find(end)
        .unwrap_or_else(|| panic!("'{end}' not found after '{start}'"));
    &text[from..from + len]
}

/// The double-quoted strings of a C# array initialiser.
fn quoted(text: &str) -> Vec<String> {
    text.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn answers_cs_property_order_is_the_answers() {
    let cs = read(ANSWERS_CS);
    let order = quoted(between(
        &cs,
        "private static readonly string[] Order =",
        "};",
    ));
    assert_eq!(order, CERTIFICATE_PROPERTIES, "{ANSWERS_CS} Answers.Order");
}

#[test]
fn format_views_show_only_answer_properties() {
    let xml = read(FORMAT_PS1XML);
    let shown: Vec<&str> = xml
        .split("<PropertyName>")
        .skip(1)
        .map(|s| s.split("</PropertyName>").next().unwrap_or_default())
        .collect();
    assert!(!shown.is_empty(), "{FORMAT_PS1XML} has no PropertyName");
    for name in shown {
        assert!(
            CERTIFICATE_PROPERTIES.contains(&name),
            "{FORMAT_PS1XML} shows '{name}', which no answer has"
        );
    }
}

#[test]
fn native_cs_services_enum_is_the_services_table() {
    let cs = read(NATIVE_CS);
    let body = between(&cs, "public enum AllowedServices", "}");
    let members: Vec<(String, u32)> = body
        .lines()
        .filter_map(|l| {
            let (name, value) = l.trim().trim_end_matches(',').split_once('=')?;
            Some((name.trim().to_string(), value.trim().parse().ok()?))
        })
        .collect();
    let mut expected = vec![("None".to_string(), 0)];
    expected.extend(services::TABLE.iter().map(|(n, v, _)| (n.to_string(), *v)));
    assert_eq!(members, expected, "{NATIVE_CS} AllowedServices");
}

#[test]
fn module_abi_version_is_the_librarys() {
    let source = read(MODULE_IMPORT_CS);
    let line = source
        .lines()
        .find(|l| l.trim_start().starts_with("public const uint AbiVersion"))
        .expect("AbiVersion in the module");
    let version: u32 = line
        .split('=')
        .nth(1)
        .unwrap()
        .trim()
        .trim_end_matches(';')
        .parse()
        .unwrap();
    assert_eq!(version, EXCERT_ABI_VERSION, "{MODULE_IMPORT_CS}");
    let header = read("include/excert.h");
    assert!(
        header.contains(&format!("#define EXCERT_ABI_VERSION {EXCERT_ABI_VERSION}")),
        "include/excert.h"
    );
}

#[test]
fn native_cs_secret_operations_are_the_headers() {
    // In the header, an operation takes a secret when its parameters name one.
    let header = read("include/excert.h");
    let mut from_header: Vec<String> = header
        .split("int32_t excert_")
        .skip(1)
        .filter(|decl| {
            decl.split(");")
                .next()
                .is_some_and(|params| params.contains("*secret"))
        })
        .map(|decl| format!("excert_{}", decl.split('(').next().unwrap().trim()))
        // Declarations only: not the `excert_<noun>_<verb>` of the header's comments.
        .filter(|name| {
            name.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        })
        .collect();
    from_header.sort();
    assert!(
        !from_header.is_empty(),
        "no operation with a secret in the header"
    );
    let cs = read(NATIVE_CS);
    let mut from_cs = quoted(between(
        &cs,
        "private static readonly string[] SecretOperations =",
        "};",
    ));
    from_cs.sort();
    assert_eq!(from_cs, from_header, "{NATIVE_CS} SecretOperations");
}
