//! New-ExchangeCertificate -GenerateRequest and renewal, checked with the openssl CLI.

mod common;

use common::{openssl, write, TempStore};
use excert::model::{ListRequest, NewCertificateRequest, RenewRequest, ThumbprintRequest};
use excert::ops::{self, Renewed};
use excert::Code;

fn request(store: &TempStore) -> NewCertificateRequest {
    NewCertificateRequest {
        store_root: Some(store.root()),
        subject_name: Some(common::subject(
            "C=US,S=WA,L=Redmond,O=Contoso,OU=IT,CN=mail.contoso.com",
        )),
        domain_name: vec![
            "mail.contoso.com".into(),
            "autodiscover.contoso.com".into(),
            "bücher.contoso.com".into(),
        ],
        friendly_name: Some("Contoso 2027".into()),
        private_key_exportable: true,
        ..Default::default()
    }
}

#[test]
fn request_passes_openssl_and_is_pending() {
    let store = TempStore::new();
    let ans = ops::new_request(&request(&store)).unwrap();
    assert!(
        ans.pem()
            .starts_with("-----BEGIN NEW CERTIFICATE REQUEST-----\n"),
        "{}",
        ans.pem()
    );
    assert!(ans
        .pem()
        .trim_end()
        .ends_with("-----END NEW CERTIFICATE REQUEST-----"));
    // openssl wants the usual label; the body is the same PKCS#10.
    let der = ans.certificate.certificate_request.clone().unwrap();
    let path = write(store.path(), "r.der", &der);
    let text = openssl(&[
        "req", "-inform", "DER", "-in", &path, "-verify", "-noout", "-text", "-nameopt", "RFC2253",
    ]);
    assert!(
        text.contains("Subject: CN=mail.contoso.com,OU=IT,O=Contoso,L=Redmond,ST=WA,C=US"),
        "{text}"
    );
    assert!(
        text.contains(
            "DNS:mail.contoso.com, DNS:autodiscover.contoso.com, DNS:xn--bcher-kva.contoso.com"
        ),
        "{text}"
    );
    assert!(
        text.contains("Digital Signature, Key Encipherment"),
        "{text}"
    );
    assert!(text.contains("CA:FALSE"));
    assert!(text.contains("Subject Key Identifier"));
    assert!(text.contains("sha256WithRSAEncryption"));

    let c = &ans.certificate;
    assert_eq!(c.status.as_str(), "PendingRequest");
    assert_eq!(c.root_ca_type.as_str(), "Unknown");
    assert!(!c.is_self_signed && c.has_private_key && c.private_key_exportable);
    assert_eq!(
        c.subject,
        "CN=mail.contoso.com, OU=IT, O=Contoso, L=Redmond, S=WA, C=US"
    );
    assert_eq!(c.friendly_name, "Contoso 2027");
    assert_eq!(c.public_key_size, 2048);
    assert!(c.raw_data.is_empty());
    let got = ops::get_certificate(&ThumbprintRequest {
        store_root: Some(store.root()),
        server: None,
        thumbprint: c.thumbprint.to_lowercase(),
    })
    .unwrap();
    assert_eq!(&got.certificate, c);
    let list = ops::list_certificates(&ListRequest {
        store_root: Some(store.root()),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(list.certificates.len(), 1);
    assert!(
        list.warnings.is_empty(),
        "a pending request does not warn about expiry"
    );
}

#[test]
fn request_options_and_refusals() {
    let store = TempStore::new();
    let ec = ops::new_request(&NewCertificateRequest {
        key_algorithm: Some(common::algorithm("ECDSA_P384")),
        ..request(&store)
    })
    .unwrap();
    assert_eq!(
        (
            ec.certificate.key_algorithm.as_str(),
            ec.certificate.public_key_size
        ),
        ("ECDSA_P384", 384)
    );
    let path = write(
        store.path(),
        "ec.der",
        &ec.certificate.certificate_request.clone().unwrap(),
    );
    let text = openssl(&[
        "req", "-inform", "DER", "-in", &path, "-verify", "-noout", "-text",
    ]);
    assert!(
        text.contains("ecdsa-with-SHA384") && !text.contains("Key Encipherment"),
        "{text}"
    );

    let e = ops::new_request(&NewCertificateRequest {
        services: Some(common::services("IIS")),
        ..request(&store)
    })
    .unwrap_err();
    assert!(e.message.contains("Enable-ExchangeCertificate"), "{e}");
    let long_cn = format!("CN={}.contoso.com", "a".repeat(60));
    let e = excert::cert::names::Subject::parse(&long_cn).unwrap_err();
    assert!(e.message.contains("at most 64"), "{e}");
    let e = ops::new_request(&NewCertificateRequest {
        domain_name: vec!["not a name".into()],
        ..request(&store)
    })
    .unwrap_err();
    assert_eq!(e.code, Code::InvalidArgument);
}

#[test]
fn renewal_keeps_names_and_services_with_a_new_key() {
    let store = TempStore::new();
    let old = ops::new_certificate(&NewCertificateRequest {
        store_root: Some(store.root()),
        subject_name: Some(common::subject(
            "C=US,O=\"Contoso, Ltd\",CN=mail.contoso.com",
        )),
        domain_name: vec!["mail.contoso.com".into(), "owa.contoso.com".into()],
        friendly_name: Some("Mail".into()),
        key_size: Some(3072),
        services: Some(common::services("IIS,SMTP,IMAP")),
        force: true,
        ..Default::default()
    })
    .unwrap()
    .certificate;
    let renew = RenewRequest {
        store_root: Some(store.root()),
        thumbprint: old.thumbprint.clone(),
        force: true,
        ..Default::default()
    };
    let Renewed::Certificate(new) = ops::renew(&renew).unwrap() else {
        panic!("expected a certificate")
    };
    let new = new.certificate;
    assert_ne!(new.thumbprint, old.thumbprint);
    assert_eq!(new.subject, old.subject);
    assert_eq!(new.subject, "CN=mail.contoso.com, O=\"Contoso, Ltd\", C=US");
    assert_eq!(new.certificate_domains, old.certificate_domains);
    assert_eq!(
        (new.friendly_name.as_str(), new.public_key_size),
        ("Mail", 3072)
    );
    assert_eq!(new.services.to_string(), "IMAP, IIS, SMTP");
    let old_key = openssl(&[
        "x509",
        "-inform",
        "DER",
        "-in",
        &write(store.path(), "o.der", &old.raw_data.clone()),
        "-noout",
        "-pubkey",
    ]);
    let new_key = openssl(&[
        "x509",
        "-inform",
        "DER",
        "-in",
        &write(store.path(), "n.der", &new.raw_data.clone()),
        "-noout",
        "-pubkey",
    ]);
    assert_ne!(old_key, new_key, "a renewal makes a new key");
    // Single-holder services moved; SMTP is shared.
    let old_now = ops::get_certificate(&ThumbprintRequest {
        store_root: Some(store.root()),
        server: None,
        thumbprint: old.thumbprint.clone(),
    })
    .unwrap();
    assert_eq!(old_now.certificate.services.to_string(), "SMTP");

    let Renewed::Request(r) = ops::renew(&RenewRequest {
        generate_request: true,
        ..renew
    })
    .unwrap() else {
        panic!("expected a request")
    };
    assert_eq!(r.certificate.status.as_str(), "PendingRequest");
    assert_eq!(r.certificate.subject, old.subject);
    assert_eq!(r.certificate.certificate_domains, old.certificate_domains);
    let e = ops::renew(&RenewRequest {
        store_root: Some(store.root()),
        thumbprint: r.certificate.thumbprint.clone(),
        ..Default::default()
    })
    .err()
    .unwrap();
    assert_eq!(e.code, Code::PendingRequest);
}
