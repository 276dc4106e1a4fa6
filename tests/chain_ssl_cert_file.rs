//! `SSL_CERT_FILE` names the system store, and the store is read once per process: a full chain
//! to a root in that file is ThirdParty, and changing the file afterwards changes nothing.
//! One test only: the variable is set before the first evaluation of this process.

mod formats_ca;

use excert::cert::chain::{evaluate, RootCaType, Status, TrustAnchors};
use formats_ca::Ca;
use time::OffsetDateTime;

#[test]
fn ssl_cert_file_is_the_system_store_and_read_once() {
    let ca = Ca::new();
    let bundle = ca.path("bundle.pem");
    std::fs::write(&bundle, ca.read("root.pem")).unwrap();
    std::env::set_var("SSL_CERT_FILE", &bundle);

    let leaf = ca.der("leaf.pem");
    let int = vec![ca.der("int.pem")];
    let now = OffsetDateTime::now_utc();
    let system = TrustAnchors::system();
    assert_eq!(
        evaluate(&leaf, &int, &system, now),
        (Status::Valid, RootCaType::ThirdParty)
    );
    assert_eq!(system.system_count(), 1);
    // Without the system store nothing anchors the chain.
    assert_eq!(
        evaluate(&leaf, &int, &TrustAnchors::empty(), now),
        (Status::Untrusted, RootCaType::Unknown)
    );

    // Emptied file, later evaluations: the loaded store stays.
    std::fs::write(&bundle, "").unwrap();
    for _ in 0..3 {
        assert_eq!(
            evaluate(&leaf, &int, &TrustAnchors::system(), now),
            (Status::Valid, RootCaType::ThirdParty)
        );
    }
}
