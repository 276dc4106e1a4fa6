//! The system trust store: a real root from the distribution's bundle is a ThirdParty anchor.
//! (No leaf signed by a public root can be made here, so the anchor lookup is what is checked.)
//! Runs in its own process: the store is loaded once per process.

mod formats_ca;

use excert::cert::chain::{evaluate, RootCaType, Status, TrustAnchors};
use time::OffsetDateTime;

const BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";
const ROOT: &str = "/etc/ssl/certs/ISRG_Root_X1.pem";

#[test]
fn a_system_root_is_third_party() {
    // The default location, not an override from the environment (the only test here, so no
    // other thread reads the variable).
    std::env::remove_var("SSL_CERT_FILE");
    assert!(
        std::path::Path::new(ROOT).is_file(),
        "install the ca-certificates package ({ROOT} is missing)"
    );
    let dir = tempfile::tempdir().unwrap();
    let root = formats_ca::openssl(dir.path(), &["x509", "-in", ROOT, "-outform", "DER"]);
    let now = OffsetDateTime::now_utc();

    let system = TrustAnchors::system();
    assert_eq!(
        evaluate(&root, &[], &system, now),
        (Status::Valid, RootCaType::ThirdParty)
    );
    // Also trusted by the organisation: the system store wins, as on Windows.
    let both = TrustAnchors::system().with_org_roots(vec![root.clone()]);
    assert_eq!(
        evaluate(&root, &[], &both, now),
        (Status::Valid, RootCaType::ThirdParty)
    );
    // The same certificate without any anchors is just a self-signed one.
    assert_eq!(
        evaluate(&root, &[], &TrustAnchors::empty(), now),
        (Status::Untrusted, RootCaType::None)
    );

    // Every certificate of the bundle was loaded: openssl counts the same number.
    let out = formats_ca::openssl(dir.path(), &["storeutl", "-noout", "-certs", BUNDLE]);
    let total: usize = String::from_utf8(out)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("Total found: "))
        .expect("openssl storeutl prints a total")
        .trim()
        .parse()
        .unwrap();
    assert!(total > 50);
    assert_eq!(system.system_count(), total);
    assert_eq!(TrustAnchors::empty().system_count(), 0);
}
