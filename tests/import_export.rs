//! Import-/Export-ExchangeCertificate: completing requests from a real openssl CA in every
//! response format, PFX files both ways, and the refusals.

mod common;
mod formats_ca;

use common::{write, TempStore};
use excert::model::{
    Encryption, ExportRequest, ImportRequest, ListRequest, NewCertificateRequest, ThumbprintRequest,
};
use excert::{ops, Code};
use formats_ca::Ca;

/// Turns an issued certificate (PEM file in the CA folder) into one CA response format.
type Response = fn(&Ca, &str) -> Vec<u8>;

fn import(
    store: &TempStore,
    data: &[u8],
    password: Option<&[u8]>,
) -> excert::Result<excert::model::ListAnswer> {
    ops::import(
        &ImportRequest {
            store_root: Some(store.root()),
            file_data: data.to_vec(),
            ..Default::default()
        },
        password,
    )
}

fn list(store: &TempStore) -> Vec<excert::model::ExchangeCertificate> {
    ops::list_certificates(&ListRequest {
        store_root: Some(store.root()),
        ..Default::default()
    })
    .unwrap()
    .certificates
}

/// A pending request on the store, written as a CSR file in the CA's folder.
fn pending(store: &TempStore, ca: &Ca, csr_name: &str) -> excert::model::ExchangeCertificate {
    let ans = ops::new_request(&NewCertificateRequest {
        store_root: Some(store.root()),
        subject_name: Some(common::subject("C=US,O=Contoso,CN=mail.contoso.com")),
        domain_name: vec!["mail.contoso.com".into(), "autodiscover.contoso.com".into()],
        friendly_name: Some("Contoso CA-issued".into()),
        private_key_exportable: true,
        ..Default::default()
    })
    .unwrap();
    std::fs::write(
        ca.path(csr_name),
        ans.pem()
            .replace("NEW CERTIFICATE REQUEST", "CERTIFICATE REQUEST"),
    )
    .unwrap();
    ans.certificate
}

#[test]
fn every_response_format_completes_its_request() {
    let ca = Ca::new();
    let responses: Vec<(&str, Response)> = vec![
        ("DER .cer", |ca: &Ca, pem: &str| ca.der(pem)),
        ("PEM chain", |ca: &Ca, pem: &str| {
            [ca.read(pem), ca.read("int.pem"), ca.read("root.pem")].concat()
        }),
        ("PKCS#7 DER", |ca: &Ca, pem: &str| {
            ca.openssl(&[
                "crl2pkcs7",
                "-nocrl",
                "-certfile",
                pem,
                "-certfile",
                "int.pem",
                "-certfile",
                "root.pem",
                "-outform",
                "DER",
            ])
        }),
        ("PKCS#7 PEM", |ca: &Ca, pem: &str| {
            ca.openssl(&[
                "crl2pkcs7",
                "-nocrl",
                "-certfile",
                pem,
                "-certfile",
                "int.pem",
            ])
        }),
    ];
    for (i, (what, make)) in responses.iter().enumerate() {
        let store = TempStore::new();
        let req = pending(&store, &ca, &format!("r{i}.csr"));
        ca.sign(&format!("r{i}.csr"), "int", &format!("r{i}.pem"), 365);
        let ans = import(&store, &make(&ca, &format!("r{i}.pem")), None)
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(ans.certificates.len(), 1, "{what}");
        let c = &ans.certificates[0];
        assert!(ans.warnings.is_empty(), "{what}: {:?}", ans.warnings);
        assert!(
            c.has_private_key && c.private_key_exportable,
            "{what}: the request's key and exportability"
        );
        assert_eq!(c.friendly_name, "Contoso CA-issued", "{what}");
        assert_eq!(
            c.certificate_domains,
            ["mail.contoso.com", "autodiscover.contoso.com"],
            "{what}"
        );
        assert_eq!(c.subject, req.subject, "{what}");
        assert!(!c.is_self_signed);
        assert_eq!(
            (c.status.as_str(), c.root_ca_type.as_str()),
            ("Untrusted", "Unknown"),
            "{what}: root not trusted yet"
        );
        let all = list(&store);
        assert_eq!(all.len(), 1, "{what}: the pending request was replaced");
        assert_eq!(all[0].thumbprint, c.thumbprint);
        // The key that signed the request is the certificate's key.
        let key_file = store
            .path()
            .join("servers")
            .join(&c.server)
            .join("certs")
            .join(&c.thumbprint)
            .join("key.p8");
        let key_pub = common::openssl(&[
            "pkey",
            "-inform",
            "DER",
            "-in",
            key_file.to_str().unwrap(),
            "-pubout",
        ]);
        let cert_pub = common::openssl(&[
            "x509",
            "-in",
            ca.path(&format!("r{i}.pem")).to_str().unwrap(),
            "-noout",
            "-pubkey",
        ]);
        assert_eq!(key_pub, cert_pub, "{what}");

        if what.contains("chain") || what.contains("PKCS#7") {
            let trusted = ops::import(
                &ImportRequest {
                    store_root: Some(store.root()),
                    file_data: ca.read("root.pem"),
                    trusted_root: true,
                    ..Default::default()
                },
                None,
            )
            .unwrap();
            assert!(trusted.warnings.is_empty());
            let now = ops::get_certificate(&ThumbprintRequest {
                store_root: Some(store.root()),
                server: None,
                thumbprint: c.thumbprint.clone(),
            })
            .unwrap()
            .certificate;
            // A trusted, complete chain (revocation is only checked then); the test CA
            // publishes no CRL, so, as Windows and Exchange, the revocation check fails.
            assert_eq!(
                (now.status.as_str(), now.root_ca_type.as_str()),
                ("RevocationCheckFailure", "Registry"),
                "{what}"
            );
        }
    }
}

#[test]
fn unknown_keys_bad_data_and_duplicates() {
    let ca = Ca::new();
    let store = TempStore::new();
    // A response for a key this store never made: imported without key, with a warning.
    ca.request(
        "stranger",
        "stranger.contoso.com",
        &["subjectAltName=DNS:stranger.contoso.com"],
    );
    ca.sign("stranger.csr", "int", "stranger.pem", 30);
    let ans = import(&store, &ca.read("stranger.pem"), None).unwrap();
    assert!(!ans.certificates[0].has_private_key);
    assert!(
        ans.warnings[0].contains("matches no pending request"),
        "{:?}",
        ans.warnings
    );
    assert_eq!(
        import(&store, &ca.read("stranger.pem"), None)
            .unwrap_err()
            .code,
        Code::AlreadyExists
    );

    let p7 = ca.openssl(&[
        "crl2pkcs7",
        "-nocrl",
        "-certfile",
        "stranger.pem",
        "-outform",
        "DER",
    ]);
    let before = list(&store);
    for (what, data, code) in [
        ("empty", Vec::new(), Code::EmptyData),
        (
            "garbage",
            b"this is not a certificate at all".to_vec(),
            Code::UnknownFormat,
        ),
        (
            "truncated PKCS#7",
            p7[..p7.len() / 2].to_vec(),
            Code::MalformedData,
        ),
        (
            "random DER-looking",
            [0x30u8, 0x82, 0x01, 0x00, 1, 2, 3].to_vec(),
            Code::MalformedData,
        ),
    ] {
        let e = import(&store, &data, None).unwrap_err();
        assert_eq!(e.code, code, "{what}: {e}");
    }
    assert_eq!(list(&store), before, "failed imports change nothing");
    let csr = std::fs::read(ca.path("stranger.csr")).unwrap();
    assert!(import(&store, &csr, None)
        .unwrap_err()
        .message
        .contains("certificate request"));
}

#[test]
fn expired_and_post_2050_certificates() {
    let ca = Ca::new();
    let store = TempStore::new();
    pending(&store, &ca, "old.csr");
    ca.sign_dated(
        "old.csr",
        "int",
        "old.pem",
        "20200101000000Z",
        "20210101000000Z",
    );
    let old = &import(&store, &ca.read("old.pem"), None)
        .unwrap()
        .certificates[0];
    assert_eq!(old.status.as_str(), "DateInvalid");
    assert!(old.has_private_key);
    assert_eq!(old.not_after, common::date("2021-01-01T00:00:00Z"));

    pending(&store, &ca, "far.csr");
    ca.sign_dated(
        "far.csr",
        "int",
        "far.pem",
        "20491231000000Z",
        "20600101000000Z",
    );
    let far = &import(&store, &ca.read("far.pem"), None)
        .unwrap()
        .certificates[0];
    assert_eq!(
        (far.not_before, far.not_after),
        (
            common::date("2049-12-31T00:00:00Z"),
            common::date("2060-01-01T00:00:00Z")
        )
    );
    assert_eq!(far.status.as_str(), "DateInvalid", "not valid yet");
}

#[test]
fn pfx_round_trip_between_servers_and_with_openssl() {
    let store = TempStore::new();
    let made = ops::new_certificate(&NewCertificateRequest {
        store_root: Some(store.root()),
        server: Some("EX01".into()),
        subject_name: Some(common::subject("CN=mail.contoso.com")),
        friendly_name: Some("Moving day".into()),
        private_key_exportable: true,
        services: Some(common::services("None")),
        ..Default::default()
    })
    .unwrap()
    .certificate;
    let export = |encryption: &str, pw: Option<&[u8]>| {
        ops::export(
            &ExportRequest {
                store_root: Some(store.root()),
                server: Some("EX01".into()),
                thumbprint: made.thumbprint.clone(),
                encryption: match encryption {
                    "Legacy" => Encryption::Legacy,
                    _ => Encryption::Modern,
                },
                force: false,
                file_name: None,
            },
            pw,
        )
    };
    for (profile, legacy) in [("Modern", false), ("Legacy", true)] {
        let pw = "Pässword 1".as_bytes();
        let ans = export(profile, Some(pw)).unwrap();
        assert_eq!(ans.format.as_str(), "Pkcs12");
        let pfx = ans.file_data.to_vec();
        let path = write(store.path(), "x.pfx", &pfx);
        let mut args = vec![
            "pkcs12",
            "-in",
            path.as_str(),
            "-passin",
            "pass:Pässword 1",
            "-nodes",
        ];
        if legacy {
            args.push("-legacy");
        }
        let pem = common::openssl(&args);
        assert!(
            pem.contains("friendlyName: Moving day") && pem.contains("BEGIN PRIVATE KEY"),
            "{profile}: {pem}"
        );

        let server = format!("EX-{profile}");
        let moved = ops::import(
            &ImportRequest {
                store_root: Some(store.root()),
                server: Some(server.clone()),
                file_data: pfx.to_vec(),
                ..Default::default()
            },
            Some(pw),
        )
        .unwrap();
        let m = &moved.certificates[0];
        assert_eq!(
            (m.thumbprint.as_str(), m.friendly_name.as_str()),
            (made.thumbprint.as_str(), "Moving day"),
            "{profile}"
        );
        assert!(
            m.has_private_key && !m.private_key_exportable,
            "{profile}: imports are not exportable by default, as Exchange"
        );
        let key_of = |srv: &str| {
            std::fs::read(
                store
                    .path()
                    .join("servers")
                    .join(srv)
                    .join("certs")
                    .join(&made.thumbprint)
                    .join("key.p8"),
            )
            .unwrap()
        };
        assert_eq!(
            key_of(&server.to_uppercase()),
            key_of("EX01"),
            "{profile}: the same key"
        );

        let e = ops::import(
            &ImportRequest {
                store_root: Some(store.root()),
                server: Some("EX-WRONG".into()),
                file_data: pfx.to_vec(),
                ..Default::default()
            },
            Some(b"wrong"),
        )
        .unwrap_err();
        assert_eq!(e.code, Code::WrongPassword);
        assert!(
            !e.message.contains("wrong") || !e.message.contains("Pässword"),
            "{e}"
        );
        assert!(!store
            .path()
            .join("servers/EX-WRONG/certs")
            .read_dir()
            .map(|mut d| d.next().is_some())
            .unwrap_or(false));
    }
    // Without a password: the certificate alone, PEM-framed.
    let plain = export("Modern", None).unwrap();
    assert_eq!(plain.format.as_str(), "Certificate");
    assert!(plain.text().starts_with("-----BEGIN CERTIFICATE-----"));
    assert_eq!(plain.file_data.to_vec(), made.raw_data.clone());
}

#[test]
fn export_refusals_explain_themselves() {
    let store = TempStore::new();
    let base = NewCertificateRequest {
        store_root: Some(store.root()),
        services: Some(common::services("None")),
        key_algorithm: Some(common::algorithm("ECDSA_P256")),
        ..Default::default()
    };
    let locked = ops::new_certificate(&base).unwrap().certificate;
    let export = |t: &str, pw: Option<&[u8]>, force: bool| {
        ops::export(
            &ExportRequest {
                store_root: Some(store.root()),
                thumbprint: t.into(),
                force,
                ..Default::default()
            },
            pw,
        )
    };
    let e = export(&locked.thumbprint, Some(b"pw"), false).unwrap_err();
    assert_eq!(e.code, Code::NotExportable);
    assert!(e.message.contains("-PrivateKeyExportable $true"));
    let expired = ops::new_certificate(&NewCertificateRequest {
        not_before: Some(common::date("2020-01-01T00:00:00Z")),
        not_after: Some(common::date("2021-01-01T00:00:00Z")),
        private_key_exportable: true,
        ..base.clone()
    })
    .unwrap()
    .certificate;
    assert_eq!(
        export(&expired.thumbprint, Some(b"pw"), false)
            .unwrap_err()
            .code,
        Code::Expired
    );
    assert_eq!(
        export(&expired.thumbprint, Some(b"pw"), true)
            .unwrap()
            .format
            .as_str(),
        "Pkcs12"
    );
    let req = ops::new_request(&NewCertificateRequest {
        store_root: Some(store.root()),
        ..Default::default()
    })
    .unwrap()
    .certificate;
    let csr = export(&req.thumbprint, Some(b"pw"), false).unwrap();
    assert_eq!(csr.format.as_str(), "CertificateRequest");
    assert!(csr
        .text()
        .starts_with("-----BEGIN NEW CERTIFICATE REQUEST-----"));
    assert_eq!(csr.warnings.len(), 1);
}

#[test]
fn lone_certificates_find_their_path_through_known_intermediates() {
    let ca = Ca::new();
    let store = TempStore::new();
    pending(&store, &ca, "lone.csr");
    ca.sign("lone.csr", "int", "lone.pem", 90);
    let lone = import(&store, &ca.der("lone.pem"), None)
        .unwrap()
        .certificates
        .remove(0);
    let trust = |pem: Vec<u8>| {
        ops::import(
            &ImportRequest {
                store_root: Some(store.root()),
                file_data: pem.to_vec(),
                trusted_root: true,
                ..Default::default()
            },
            None,
        )
        .unwrap()
    };
    // A bundle of root and intermediate: the root becomes an anchor, the intermediate only helps.
    let ans = trust([ca.read("root.pem"), ca.read("int.pem")].concat());
    assert_eq!(ans.warnings.len(), 1, "{:?}", ans.warnings);
    assert!(ans.warnings[0].contains("intermediate CA, not a root"));
    assert!(
        store
            .path()
            .join("intermediates")
            .read_dir()
            .unwrap()
            .count()
            == 1
    );
    let now = ops::get_certificate(&ThumbprintRequest {
        store_root: Some(store.root()),
        server: None,
        thumbprint: lone.thumbprint.clone(),
    })
    .unwrap()
    .certificate;
    // Trusted and complete; no CRL published by the test CA (see above).
    assert_eq!(
        (now.status.as_str(), now.root_ca_type.as_str()),
        ("RevocationCheckFailure", "Registry")
    );

    // Only an intermediate trusted: it is not an anchor, so nothing chains to trust.
    let other = TempStore::new();
    ops::import(
        &ImportRequest {
            store_root: Some(other.root()),
            file_data: ca.read("int.pem"),
            trusted_root: true,
            ..Default::default()
        },
        None,
    )
    .unwrap();
    assert!(!other.path().join("trusted").exists());
}

#[test]
fn failures_on_unknown_servers_leave_no_trace() {
    let store = TempStore::new();
    let before: Vec<_> = std::fs::read_dir(store.path()).unwrap().collect();
    assert!(before.is_empty());
    let pfx = {
        let made = ops::new_certificate(&NewCertificateRequest {
            store_root: Some(store.root()),
            server: Some("SOURCE".into()),
            private_key_exportable: true,
            key_algorithm: Some(common::algorithm("ECDSA_P256")),
            services: Some(common::services("None")),
            ..Default::default()
        })
        .unwrap()
        .certificate;
        ops::export(
            &ExportRequest {
                store_root: Some(store.root()),
                server: Some("SOURCE".into()),
                thumbprint: made.thumbprint,
                ..Default::default()
            },
            Some(b"right"),
        )
        .unwrap()
        .file_data
        .to_vec()
    };
    let e = ops::import(
        &ImportRequest {
            store_root: Some(store.root()),
            server: Some("NEWSRV".into()),
            file_data: pfx,
            ..Default::default()
        },
        Some(b"wrong"),
    )
    .unwrap_err();
    assert_eq!(e.code, Code::WrongPassword);
    assert!(
        !store.path().join("servers/NEWSRV").exists(),
        "a failed import creates no server"
    );
    let e = ops::enable(&excert::model::EnableRequest {
        store_root: Some(store.root()),
        server: Some("GHOST".into()),
        thumbprint: "AB".repeat(20),
        services: common::services("IIS"),
        ..Default::default()
    })
    .unwrap_err();
    assert_eq!(e.code, Code::NotFound);
    let e = ops::remove(&excert::model::RemoveRequest {
        store_root: Some(store.root()),
        server: Some("GHOST".into()),
        thumbprint: "AB".repeat(20),
        force: true,
    })
    .unwrap_err();
    assert_eq!(e.code, Code::NotFound);
    assert!(!store.path().join("servers/GHOST").exists());
}
