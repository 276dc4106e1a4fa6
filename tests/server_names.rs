//! A server is named as Exchange names it (docs/store.md): its name or its FQDN, any case,
//! reach one server; the FQDN is recorded and used for the names of its certificates.

mod common;

use common::TempStore;
use excert::model::{ListRequest, NewCertificateRequest, ThumbprintRequest};
use excert::ops;

fn new_on(store: &TempStore, server: &str, domain: &str) -> excert::model::CertificateAnswer {
    ops::new_certificate(&NewCertificateRequest {
        store_root: Some(store.root()),
        server: Some(server.into()),
        domain_name: vec![domain.into()],
        services: Some(common::services("None")),
        ..Default::default()
    })
    .unwrap()
}

#[test]
fn a_name_and_its_fqdn_are_one_server() {
    let store = TempStore::new();
    let made = new_on(&store, "ex02.contoso.com", "mail.contoso.com");
    assert_eq!(made.certificate.server, "EX02");
    assert_eq!(
        std::fs::read_to_string(store.path().join("servers/EX02/fqdn"))
            .unwrap()
            .trim(),
        "ex02.contoso.com"
    );
    for name in ["EX02", "ex02", "Ex02.Contoso.Com", "ex02.contoso.com."] {
        let got = ops::get_certificate(&ThumbprintRequest {
            store_root: Some(store.root()),
            server: Some(name.into()),
            thumbprint: made.certificate.thumbprint.clone(),
        })
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            got.certificate.identity(),
            made.certificate.identity(),
            "{name}"
        );
    }
    let all = ops::list_certificates(&ListRequest {
        store_root: Some(store.root()),
        server: Some("*".into()),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(all.certificates.len(), 1, "one server, not two");
}

#[test]
fn the_recorded_fqdn_names_certificates_made_by_the_short_name() {
    let store = TempStore::new();
    new_on(&store, "EX03.fabrikam.com", "a.fabrikam.com");
    let made = ops::new_certificate(&NewCertificateRequest {
        store_root: Some(store.root()),
        server: Some("ex03".into()),
        include_server_fqdn: true,
        services: Some(common::services("None")),
        ..Default::default()
    })
    .unwrap();
    assert!(
        made.certificate
            .certificate_domains
            .iter()
            .any(|d| d == "ex03.fabrikam.com"),
        "{:?}",
        made.certificate.certificate_domains
    );
}

#[test]
fn a_hostile_fqdn_file_is_not_used() {
    let store = TempStore::new();
    new_on(&store, "ex04", "a.contoso.com");
    // Another admin (or an attacker) wrote a name for some other server, or garbage.
    for bad in [
        "evil.example.com\n",
        "ex04.contoso.com\u{1b}[31m\n",
        "ex04\n",
    ] {
        std::fs::write(store.path().join("servers/EX04/fqdn"), bad).unwrap();
        let made = ops::new_certificate(&NewCertificateRequest {
            store_root: Some(store.root()),
            server: Some("EX04".into()),
            include_server_fqdn: true,
            services: Some(common::services("None")),
            ..Default::default()
        })
        .unwrap();
        assert!(
            made.certificate
                .certificate_domains
                .iter()
                .all(|d| !d.contains("example") && !d.contains('\u{1b}')),
            "{bad:?}: {:?}",
            made.certificate.certificate_domains
        );
    }
}
