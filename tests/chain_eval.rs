//! Chain status against a real CA made by openssl; each verdict is cross-checked with
//! `openssl verify` on the same files.

mod formats_ca;

use excert::cert::chain::{evaluate, RootCaType, Status, TrustAnchors};
use formats_ca::Ca;
use time::{Date, Month, OffsetDateTime, Time};
use x509_parser::prelude::{FromDer, X509Certificate};

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

fn at(year: i32, month: Month, day: u8, h: u8, m: u8, s: u8) -> OffsetDateTime {
    Date::from_calendar_date(year, month, day)
        .unwrap()
        .with_time(Time::from_hms(h, m, s).unwrap())
        .assume_utc()
}

/// `openssl verify` output (stdout and stderr) and whether it said OK.
fn verify(ca: &Ca, args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new("openssl")
        .arg("verify")
        .args(args)
        .current_dir(ca.dir.path())
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn org(ca: &Ca, names: &[&str]) -> TrustAnchors {
    TrustAnchors::empty().with_org_roots(names.iter().map(|n| ca.der(n)).collect())
}

#[test]
fn untrusted_until_the_root_is_an_org_root() {
    let ca = Ca::new();
    let leaf = ca.der("leaf.pem");
    let int = ca.der("int.pem");
    let root = ca.der("root.pem");
    let pool = vec![int.clone(), root.clone()];

    let (ok, text) = verify(
        &ca,
        &[
            "-no-CAfile",
            "-no-CApath",
            "-untrusted",
            "int.pem",
            "leaf.pem",
        ],
    );
    assert!(!ok, "{text}");
    assert_eq!(
        evaluate(&leaf, &pool, &TrustAnchors::empty(), now()),
        (Status::Untrusted, RootCaType::Unknown)
    );

    let (ok, text) = verify(
        &ca,
        &["-CAfile", "root.pem", "-untrusted", "int.pem", "leaf.pem"],
    );
    assert!(ok, "{text}");
    let anchors = org(&ca, &["root.pem"]);
    assert_eq!(
        evaluate(&leaf, &pool, &anchors, now()),
        (Status::Valid, RootCaType::Registry)
    );
    // The root need not travel with the chain once it is an anchor.
    assert_eq!(
        evaluate(&leaf, std::slice::from_ref(&int), &anchors, now()),
        (Status::Valid, RootCaType::Registry)
    );
    // Order of the pool and unrelated extras do not matter.
    ca.request("other", "other.contoso.com", &[]);
    ca.sign("other.csr", "root", "other.pem", 30);
    let shuffled = vec![ca.der("other.pem"), root, int.clone()];
    assert_eq!(
        evaluate(&leaf, &shuffled, &anchors, now()),
        (Status::Valid, RootCaType::Registry)
    );
    // Without the intermediate there is no path.
    let (ok, _) = verify(&ca, &["-CAfile", "root.pem", "leaf.pem"]);
    assert!(!ok);
    assert_eq!(
        evaluate(&leaf, &[], &anchors, now()),
        (Status::Untrusted, RootCaType::Unknown)
    );
    // Trusting the intermediate itself is enough.
    assert_eq!(
        evaluate(&leaf, &[], &org(&ca, &["int.pem"]), now()),
        (Status::Valid, RootCaType::Registry)
    );
}

#[test]
fn expired_leaf_is_date_invalid() {
    let ca = Ca::new();
    ca.request(
        "old",
        "old.contoso.com",
        &["subjectAltName=DNS:old.contoso.com"],
    );
    ca.sign_dated(
        "old.csr",
        "int",
        "old.pem",
        "20200101000000Z",
        "20210101000000Z",
    );
    let (ok, text) = verify(
        &ca,
        &["-CAfile", "root.pem", "-untrusted", "int.pem", "old.pem"],
    );
    assert!(!ok && text.contains("certificate has expired"), "{text}");
    let anchors = org(&ca, &["root.pem"]);
    let old = ca.der("old.pem");
    let int = vec![ca.der("int.pem")];
    assert_eq!(
        evaluate(&old, &int, &anchors, now()),
        (Status::DateInvalid, RootCaType::Registry)
    );
    // In 2020 the leaf was inside its window but its CA was not yet: every element counts.
    assert_eq!(
        evaluate(&old, &int, &anchors, at(2020, Month::June, 1, 0, 0, 0)),
        (Status::DateInvalid, RootCaType::Registry)
    );
}

#[test]
fn expired_intermediate_is_date_invalid() {
    let ca = Ca::new();
    ca.openssl(&[
        "req",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "oldint.key",
        "-out",
        "oldint.csr",
        "-subj",
        "/CN=Old Intermediate",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign",
    ]);
    ca.sign_dated(
        "oldint.csr",
        "root",
        "oldint.pem",
        "20200101000000Z",
        "20210101000000Z",
    );
    ca.request("late", "late.contoso.com", &[]);
    ca.sign("late.csr", "oldint", "late.pem", 30);
    let (ok, text) = verify(
        &ca,
        &[
            "-CAfile",
            "root.pem",
            "-untrusted",
            "oldint.pem",
            "late.pem",
        ],
    );
    assert!(!ok && text.contains("expired"), "{text}");
    assert_eq!(
        evaluate(
            &ca.der("late.pem"),
            &[ca.der("oldint.pem")],
            &org(&ca, &["root.pem"]),
            now()
        ),
        (Status::DateInvalid, RootCaType::Registry)
    );
}

#[test]
fn dates_on_both_sides_of_2050() {
    let ca = Ca::new();
    // A CA that lives past 2050, so only the leaf's dates decide.
    ca.openssl(&[
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "long.key",
        "-out",
        "long.pem",
        "-subj",
        "/CN=Long Root",
        "-days",
        "36500",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign",
    ]);
    ca.request("y2050", "y2050.contoso.com", &[]);
    ca.sign_dated(
        "y2050.csr",
        "long",
        "y2050.pem",
        "20491231120000Z",
        "20500101120000Z",
    );
    ca.request("after", "after.contoso.com", &[]);
    ca.sign_dated(
        "after.csr",
        "long",
        "after.pem",
        "20500601000000Z",
        "20510601000000Z",
    );

    let edge = ca.der("y2050.pem");
    let (_, cert) = X509Certificate::from_der(&edge).unwrap();
    assert!(cert.validity().not_before.is_utctime());
    assert!(cert.validity().not_after.is_generalizedtime());
    let anchors = org(&ca, &["long.pem"]);
    // RFC 5280 §4.1.2.5: notAfter is inclusive (as Windows has it); openssl takes that very
    // second as expired, so it is not asked about it.
    let cases = [
        (
            at(2049, Month::December, 31, 11, 59, 59),
            Status::DateInvalid,
            true,
        ),
        (at(2049, Month::December, 31, 12, 0, 0), Status::Valid, true),
        (
            at(2049, Month::December, 31, 23, 59, 59),
            Status::Valid,
            true,
        ),
        (at(2050, Month::January, 1, 11, 59, 59), Status::Valid, true),
        (at(2050, Month::January, 1, 12, 0, 0), Status::Valid, false),
        (
            at(2050, Month::January, 1, 12, 0, 1),
            Status::DateInvalid,
            true,
        ),
        (now(), Status::DateInvalid, true),
    ];
    for (when, want, ask_openssl) in cases {
        assert_eq!(
            evaluate(&edge, &[], &anchors, when),
            (want, RootCaType::Registry),
            "at {when}"
        );
        if !ask_openssl {
            continue;
        }
        let epoch = when.unix_timestamp().to_string();
        let (ok, text) = verify(
            &ca,
            &["-attime", &epoch, "-CAfile", "long.pem", "y2050.pem"],
        );
        assert_eq!(ok, want == Status::Valid, "openssl at {when}: {text}");
    }

    let after = ca.der("after.pem");
    let (_, cert) = X509Certificate::from_der(&after).unwrap();
    assert!(cert.validity().not_before.is_generalizedtime());
    assert_eq!(
        evaluate(&after, &[], &anchors, at(2050, Month::December, 1, 0, 0, 0)),
        (Status::Valid, RootCaType::Registry)
    );
    assert_eq!(
        evaluate(&after, &[], &anchors, at(2051, Month::June, 1, 0, 0, 1)),
        (Status::DateInvalid, RootCaType::Registry)
    );
}

#[test]
fn tampered_signatures_are_invalid() {
    let ca = Ca::new();
    let anchors = org(&ca, &["root.pem"]);
    let int = ca.der("int.pem");
    let mut leaf = ca.der("leaf.pem");
    *leaf.last_mut().unwrap() ^= 0x01;
    // Still a well-formed certificate: only the signature is wrong.
    assert!(X509Certificate::from_der(&leaf).is_ok());
    std::fs::write(ca.path("bad.der"), &leaf).unwrap();
    ca.openssl(&[
        "x509", "-inform", "DER", "-in", "bad.der", "-out", "bad.pem",
    ]);
    let (ok, text) = verify(
        &ca,
        &["-CAfile", "root.pem", "-untrusted", "int.pem", "bad.pem"],
    );
    assert!(!ok && text.contains("signature failure"), "{text}");
    assert_eq!(
        evaluate(&leaf, std::slice::from_ref(&int), &anchors, now()),
        (Status::Invalid, RootCaType::Unknown)
    );

    // A damaged intermediate breaks the chain one level up.
    let mut bad_int = int.clone();
    *bad_int.last_mut().unwrap() ^= 0x01;
    assert_eq!(
        evaluate(&ca.der("leaf.pem"), &[bad_int], &anchors, now()),
        (Status::Invalid, RootCaType::Unknown)
    );
}

#[test]
fn issuers_must_be_cas_within_path_length() {
    let ca = Ca::new();
    let anchors = org(&ca, &["root.pem"]);
    let int = ca.der("int.pem");

    // The leaf (CA:FALSE by absence) signing another certificate.
    ca.request("sub", "sub.contoso.com", &[]);
    ca.sign("sub.csr", "leaf", "sub.pem", 30);
    let (ok, text) = verify(
        &ca,
        &["-CAfile", "root.pem", "-untrusted", "chain.pem", "sub.pem"],
    );
    assert!(!ok && text.contains("invalid CA certificate"), "{text}");
    assert_eq!(
        evaluate(
            &ca.der("sub.pem"),
            &[ca.der("leaf.pem"), int.clone()],
            &anchors,
            now()
        ),
        (Status::Invalid, RootCaType::Registry)
    );

    // A CA under the pathlen:0 intermediate, issuing a leaf: one level too deep.
    ca.openssl(&[
        "req",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "deep.key",
        "-out",
        "deep.csr",
        "-subj",
        "/CN=Too Deep CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign",
    ]);
    ca.sign("deep.csr", "int", "deep.pem", 30);
    ca.request("deepleaf", "deep.contoso.com", &[]);
    ca.sign("deepleaf.csr", "deep", "deepleaf.pem", 30);
    let untrusted = [ca.read("deep.pem"), ca.read("int.pem")].concat();
    std::fs::write(ca.path("deepchain.pem"), untrusted).unwrap();
    let (ok, text) = verify(
        &ca,
        &[
            "-CAfile",
            "root.pem",
            "-untrusted",
            "deepchain.pem",
            "deepleaf.pem",
        ],
    );
    assert!(
        !ok && text.contains("path length constraint exceeded"),
        "{text}"
    );
    assert_eq!(
        evaluate(
            &ca.der("deepleaf.pem"),
            &[ca.der("deep.pem"), int],
            &anchors,
            now()
        ),
        (Status::Invalid, RootCaType::Registry)
    );
    // The deep CA's own certificate is fine: it is one level under the intermediate.
    assert_eq!(
        evaluate(&ca.der("deep.pem"), &[ca.der("int.pem")], &anchors, now()),
        (Status::Valid, RootCaType::Registry)
    );
}

#[test]
fn self_signed_leaf() {
    let ca = Ca::new();
    ca.openssl(&[
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-384",
        "-sha384",
        "-nodes",
        "-keyout",
        "self.key",
        "-out",
        "self.pem",
        "-subj",
        "/CN=self.contoso.com",
        "-days",
        "30",
        "-addext",
        "subjectAltName=DNS:self.contoso.com",
    ]);
    let me = ca.der("self.pem");
    let (ok, text) = verify(&ca, &["-no-CAfile", "-no-CApath", "self.pem"]);
    assert!(!ok && text.contains("self-signed"), "{text}");
    assert_eq!(
        evaluate(&me, &[], &TrustAnchors::empty(), now()),
        (Status::Untrusted, RootCaType::None)
    );
    assert_eq!(
        evaluate(&me, &[], &org(&ca, &["self.pem"]), now()),
        (Status::Valid, RootCaType::Registry)
    );
    let mut bad = me.clone();
    let n = bad.len();
    bad[n - 3] ^= 0x01;
    assert_eq!(
        evaluate(&bad, &[], &TrustAnchors::empty(), now()),
        (Status::Invalid, RootCaType::None)
    );

    // Expired and self-signed: the date is what the admin must fix.
    ca.openssl(&[
        "req",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "oldself.key",
        "-out",
        "oldself.csr",
        "-subj",
        "/CN=oldself.contoso.com",
    ]);
    ca.openssl(&[
        "ca",
        "-config",
        "ca.cnf",
        "-batch",
        "-notext",
        "-selfsign",
        "-keyfile",
        "oldself.key",
        "-startdate",
        "20200101000000Z",
        "-enddate",
        "20210101000000Z",
        "-in",
        "oldself.csr",
        "-out",
        "oldself.pem",
    ]);
    assert_eq!(
        evaluate(&ca.der("oldself.pem"), &[], &TrustAnchors::empty(), now()),
        (Status::DateInvalid, RootCaType::None)
    );
}
