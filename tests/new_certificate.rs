//! New-ExchangeCertificate through the core, checked against the openssl CLI.

mod common;

use common::{openssl, write, TempStore};
use excert::cert::host::HostNames;
use excert::cert::services::Services;
use excert::model::{ListRequest, NewCertificateRequest, ThumbprintRequest};
use excert::{ops, Code};
use time::OffsetDateTime;

fn new_request(store: &TempStore) -> NewCertificateRequest {
    NewCertificateRequest {
        store_root: Some(store.root()),
        force: true,
        ..Default::default()
    }
}

fn issue_request(store: &TempStore) -> NewCertificateRequest {
    NewCertificateRequest {
        subject_name: Some(common::subject("C=US,O=Contoso,CN=mail.contoso.com")),
        domain_name: vec!["mail.contoso.com".into(), "autodiscover.contoso.com".into()],
        services: Some(common::services("IIS,SMTP")),
        private_key_exportable: true,
        ..new_request(store)
    }
}

#[test]
fn defaults_follow_exchange() {
    let store = TempStore::new();
    let c = ops::new_certificate(&new_request(&store))
        .unwrap()
        .certificate;
    let host = HostNames::local();
    assert_eq!(c.subject, format!("CN={}", host.name));
    assert_eq!(c.issuer, c.subject);
    let mut expected = vec![host.name.clone()];
    if !host.fqdn.eq_ignore_ascii_case(&host.name) {
        expected.push(host.fqdn.clone());
    }
    assert_eq!(c.certificate_domains, expected);
    assert_eq!(c.friendly_name, "Microsoft Exchange");
    assert_eq!(c.services.to_string(), "IMAP, POP, SMTP");
    assert_eq!(c.services.string_form(), "IP..S..");
    assert_eq!(c.public_key_size, 2048);
    assert_eq!(c.key_algorithm, "RSA");
    assert_eq!(c.signature_algorithm, "sha256RSA");
    assert!(c.has_private_key && !c.private_key_exportable && c.is_self_signed);
    assert_eq!(
        (c.status.as_str(), c.root_ca_type.as_str()),
        ("Valid", "None")
    );
    assert_eq!(
        c.enhanced_key_usage_list,
        ["Server Authentication (1.3.6.1.5.5.7.3.1)"]
    );
    assert_eq!(c.version, 3);
    let nb = c.not_before;
    let na = c.not_after;
    assert!((OffsetDateTime::now_utc() - nb).whole_seconds().abs() < 120);
    assert_eq!(
        na.date(),
        nb.date().replace_year(nb.year() + 5).unwrap_or(na.date())
    );
    assert!(
        (1824..=1827).contains(&c.days_until_expiry),
        "{}",
        c.days_until_expiry
    );
    assert_eq!(
        c.identity(),
        format!("{}\\{}", host.name.to_uppercase(), c.thumbprint)
    );
}

#[test]
fn openssl_agrees_with_our_properties() {
    let store = TempStore::new();
    let c = ops::new_certificate(&issue_request(&store))
        .unwrap()
        .certificate;
    let der = c.raw_data.clone();
    let path = write(store.path(), "c.der", &der);
    let text = openssl(&[
        "x509", "-inform", "DER", "-in", &path, "-noout", "-text", "-nameopt", "RFC2253",
    ]);
    assert!(
        text.contains("Subject: CN=mail.contoso.com,O=Contoso,C=US"),
        "{text}"
    );
    assert!(
        text.contains("DNS:mail.contoso.com, DNS:autodiscover.contoso.com"),
        "{text}"
    );
    assert!(text.contains("Public-Key: (2048 bit)"));
    assert!(
        text.contains(
            "X509v3 Key Usage: critical\n                Digital Signature, Key Encipherment"
        ),
        "{text}"
    );
    assert!(text.contains("TLS Web Server Authentication"));
    assert!(text.contains("CA:FALSE"));
    assert!(text.contains("Signature Algorithm: sha256WithRSAEncryption"));

    let fp = openssl(&[
        "x509",
        "-inform",
        "DER",
        "-in",
        &path,
        "-noout",
        "-fingerprint",
        "-sha1",
    ]);
    assert_eq!(
        fp.trim().rsplit('=').next().unwrap().replace(':', ""),
        c.thumbprint
    );
    let serial = openssl(&["x509", "-inform", "DER", "-in", &path, "-noout", "-serial"]);
    assert_eq!(serial.trim().trim_start_matches("serial="), c.serial_number);
    assert!(
        c.serial_number.len() <= 40
            && u8::from_str_radix(&c.serial_number[..2], 16).unwrap() < 0x80
    );
    let ski = openssl(&[
        "x509",
        "-inform",
        "DER",
        "-in",
        &path,
        "-noout",
        "-ext",
        "subjectKeyIdentifier",
    ]);
    assert_eq!(
        ski.lines().nth(1).unwrap().trim().replace(':', ""),
        c.subject_key_identifier
    );
    // openssl prints dates as "Nov 28 05:26:05 2031 GMT"; compare through its -checkend arithmetic.
    let na = c.not_after;
    let left = (na - OffsetDateTime::now_utc()).whole_seconds();
    let end = std::process::Command::new("openssl")
        .args([
            "x509",
            "-inform",
            "DER",
            "-in",
            &path,
            "-noout",
            "-checkend",
            &(left - 60).to_string(),
        ])
        .status()
        .unwrap();
    assert!(
        end.success(),
        "openssl thinks the certificate ends earlier than {}",
        c.not_after
    );
    let end = std::process::Command::new("openssl")
        .args([
            "x509",
            "-inform",
            "DER",
            "-in",
            &path,
            "-noout",
            "-checkend",
            &(left + 60).to_string(),
        ])
        .status()
        .unwrap();
    assert!(
        !end.success(),
        "openssl thinks the certificate ends later than {}",
        c.not_after
    );

    let pem = openssl(&["x509", "-inform", "DER", "-in", &path]);
    let pem_path = write(store.path(), "c.pem", pem.as_bytes());
    assert!(openssl(&["verify", "-CAfile", &pem_path, &pem_path]).contains(": OK"));

    // The stored key is the certificate's key, 0600 in a 0700 folder.
    let key = store
        .path()
        .join("servers")
        .join(&c.server)
        .join("certs")
        .join(&c.thumbprint)
        .join("key.p8");
    let pub_of_key = openssl(&[
        "pkey",
        "-inform",
        "DER",
        "-in",
        key.to_str().unwrap(),
        "-pubout",
    ]);
    let pub_of_cert = openssl(&["x509", "-in", &pem_path, "-noout", "-pubkey"]);
    assert_eq!(pub_of_key, pub_of_cert);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(
            std::fs::metadata(key.parent().unwrap())
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o700
        );
    }
    assert_eq!(c.services.to_string(), "IIS, SMTP");
    assert_eq!(c.services.string_form(), "...WS..");
    assert!(c.private_key_exportable);
}

#[test]
fn key_sizes_and_algorithms() {
    let store = TempStore::new();
    for (alg, size, bits, sig) in [
        ("RSA", Some(1024), 1024, "sha256RSA"),
        ("RSA", Some(3072), 3072, "sha256RSA"),
        ("RSA", Some(4096), 4096, "sha256RSA"),
        ("ECDSA_P256", None, 256, "sha256ECDSA"),
        ("ECDSA_P384", None, 384, "sha384ECDSA"),
    ] {
        let req = NewCertificateRequest {
            key_algorithm: Some(common::algorithm(alg)),
            key_size: size,
            services: Some(common::services("None")),
            ..new_request(&store)
        };
        let c = ops::new_certificate(&req).unwrap().certificate;
        assert_eq!(
            (
                c.public_key_size,
                c.key_algorithm.as_str(),
                c.signature_algorithm.as_str()
            ),
            (bits, alg, sig)
        );
        assert!(
            c.is_self_signed,
            "{alg} {bits}: the self-signature must verify"
        );
        let path = write(store.path(), "k.der", &c.raw_data.clone());
        let text = openssl(&["x509", "-inform", "DER", "-in", &path, "-noout", "-text"]);
        assert!(text.contains(&format!("({bits} bit)")), "{text}");
        if alg != "RSA" {
            assert!(
                text.contains("Digital Signature") && !text.contains("Key Encipherment"),
                "EC keys sign only"
            );
        }
        let pem = openssl(&["x509", "-inform", "DER", "-in", &path]);
        let pem_path = write(store.path(), "k.pem", pem.as_bytes());
        assert!(openssl(&[
            "verify",
            "-auth_level",
            "0",
            "-CAfile",
            &pem_path,
            &pem_path
        ])
        .contains(": OK"));
    }
}

#[test]
fn invalid_input_is_refused_and_nothing_is_stored() {
    let store = TempStore::new();
    let cases: Vec<(NewCertificateRequest, &str)> = vec![
        (
            NewCertificateRequest {
                friendly_name: Some("x".repeat(64)),
                ..new_request(&store)
            },
            "at most 63",
        ),
        (
            NewCertificateRequest {
                key_size: Some(1000),
                ..new_request(&store)
            },
            "KeySize 1000",
        ),
        (
            NewCertificateRequest {
                domain_name: vec!["mail.*.com".into()],
                ..new_request(&store)
            },
            "leftmost",
        ),
        (
            NewCertificateRequest {
                server: Some("../x".into()),
                ..new_request(&store)
            },
            "not a server name",
        ),
    ];
    for (req, needle) in cases {
        let e = ops::new_certificate(&req).unwrap_err();
        assert!(e.message.contains(needle), "expected '{needle}' in: {e}");
        assert!(
            matches!(e.code, Code::InvalidArgument | Code::ServiceRefused),
            "{e:?}"
        );
    }
    // Text the C ABI reads into typed values is refused there, before the core is called.
    for (field, value, needle) in [
        ("SubjectName", "C=USA,CN=a.contoso.com", "country"),
        ("Services", "IIS,HTTP", "'HTTP'"),
        ("SubjectKeyIdentifier", "xyz", "hexadecimal"),
        ("NotBefore", "yesterday", "RFC 3339"),
    ] {
        let json = serde_json::json!({ "StoreRoot": store.root(), field: value }).to_string();
        let (code, error) = refused_by_abi(&json);
        assert_eq!(code, Code::InvalidArgument as i32, "{error}");
        assert!(error.contains(needle), "expected '{needle}' in: {error}");
    }
    let all = ops::list_certificates(&ListRequest {
        store_root: Some(store.root()),
        server: Some("*".into()),
        ..Default::default()
    })
    .unwrap();
    assert!(all.certificates.is_empty());
}

/// Calls `excert_certificate_new` with a request it must refuse: its code and error JSON.
fn refused_by_abi(json: &str) -> (i32, String) {
    let req = std::ffi::CString::new(json).unwrap();
    let mut out = std::ptr::null_mut();
    let mut err = std::ptr::null_mut();
    // SAFETY: a NUL-terminated request and two writable out-pointers.
    let code = unsafe { excert::ffi::excert_certificate_new(req.as_ptr(), &mut out, &mut err) };
    assert!(
        out.is_null() && !err.is_null(),
        "a refusal sets only the error"
    );
    // SAFETY: the library wrote a NUL-terminated string there, freed once below.
    let text = unsafe { std::ffi::CStr::from_ptr(err) }
        .to_string_lossy()
        .into_owned();
    unsafe { excert::ffi::excert_string_free(err) };
    (code, text)
}

#[test]
fn explicit_ski_idn_and_fqdn_switches() {
    let store = TempStore::new();
    let req = NewCertificateRequest {
        server: Some("EX02".into()),
        subject_name: Some(common::subject("CN=bücher.contoso.com")),
        domain_name: vec!["*.contoso.com".into(), "BÜCHER.contoso.com".into()],
        include_server_fqdn: true,
        include_server_netbios_name: true,
        subject_key_identifier: Some(vec![1, 2, 3, 4]),
        ..new_request(&store)
    };
    let c = ops::new_certificate(&req).unwrap().certificate;
    assert_eq!(
        c.certificate_domains,
        ["xn--bcher-kva.contoso.com", "*.contoso.com", "EX02"]
    );
    assert_eq!(c.subject_key_identifier, "01020304");
    assert_eq!(c.server, "EX02");
}

#[test]
fn get_and_list_find_what_new_stored() {
    let store = TempStore::new();
    let root = Some(store.root());
    let a = ops::new_certificate(&issue_request(&store))
        .unwrap()
        .certificate;
    let b = ops::new_certificate(&NewCertificateRequest {
        services: Some(common::services("IMAP")),
        ..new_request(&store)
    })
    .unwrap()
    .certificate;
    let other = ops::new_certificate(&NewCertificateRequest {
        server: Some("ex09".into()),
        ..new_request(&store)
    })
    .unwrap()
    .certificate;

    let spaced = a
        .thumbprint
        .to_lowercase()
        .as_bytes()
        .chunks(2)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(" ");
    let got = ops::get_certificate(&ThumbprintRequest {
        store_root: root.clone(),
        server: None,
        thumbprint: spaced,
    })
    .unwrap()
    .certificate;
    assert_eq!(got, a);

    let e = ops::get_certificate(&ThumbprintRequest {
        store_root: root.clone(),
        server: None,
        thumbprint: other.thumbprint.clone(),
    })
    .unwrap_err();
    assert_eq!(e.code, Code::NotFound, "servers are separate");

    let mine = ops::list_certificates(&ListRequest {
        store_root: root.clone(),
        ..Default::default()
    })
    .unwrap()
    .certificates;
    assert_eq!(
        mine.iter()
            .map(|c| c.thumbprint.as_str())
            .collect::<Vec<_>>()
            .len(),
        2
    );
    assert!(mine[0].not_before >= mine[1].not_before, "newest first");
    assert!(mine.iter().any(|c| c.thumbprint == b.thumbprint));

    let filtered = ops::list_certificates(&ListRequest {
        store_root: root.clone(),
        domain_name: vec!["AUTODISCOVER.*".into()],
        ..Default::default()
    })
    .unwrap()
    .certificates;
    assert_eq!(filtered.len(), 1);
    assert_eq!(filtered[0].thumbprint, a.thumbprint);

    let everywhere = ops::list_certificates(&ListRequest {
        store_root: root.clone(),
        server: Some("*".into()),
        ..Default::default()
    })
    .unwrap()
    .certificates;
    assert_eq!(everywhere.len(), 3);
    assert!(everywhere
        .iter()
        .any(|c| c.identity() == format!("EX09\\{}", other.thumbprint)));

    // IIS moved to nothing else; IMAP moved from a to b (single holder), SMTP stays with a.
    let a_now = ops::get_certificate(&ThumbprintRequest {
        store_root: root,
        server: None,
        thumbprint: a.thumbprint.clone(),
    })
    .unwrap()
    .certificate;
    assert_eq!(a_now.services.to_string(), "IIS, SMTP");
    assert_eq!(b.services.to_string(), "IMAP");
}

#[test]
fn second_default_smtp_needs_force() {
    let store = TempStore::new();
    ops::new_certificate(&new_request(&store)).unwrap();
    let req = NewCertificateRequest {
        force: false,
        ..new_request(&store)
    };
    let e = ops::new_certificate(&req).unwrap_err();
    assert_eq!(e.code, Code::ConfirmationRequired);
    let n = ops::list_certificates(&ListRequest {
        store_root: Some(store.root()),
        ..Default::default()
    })
    .unwrap()
    .certificates
    .len();
    assert_eq!(n, 1, "a refusal stores nothing");
    // KeepDefaultSMTP (the answer No): made, assigned SMTP, the first stays the default.
    let kept = ops::new_certificate(&NewCertificateRequest {
        keep_default_smtp: true,
        ..req.clone()
    })
    .unwrap();
    assert!(kept.certificate.services.contains(Services::SMTP));
    assert!(
        !kept.certificate.live_files.contains_key("SMTP"),
        "not the default SMTP certificate"
    );
    // Force replaces it without a warning, as Exchange's -Force hides them.
    let ok = ops::new_certificate(&NewCertificateRequest { force: true, ..req }).unwrap();
    assert!(ok.warnings.is_empty(), "{:?}", ok.warnings);
    assert!(
        ok.certificate.live_files.contains_key("SMTP"),
        "the new default"
    );
}

#[test]
fn federation_certificate_as_the_procedure_makes_it() {
    // "Renew the federation certificate": -DomainName Federation -Services Federation
    // -SubjectKeyIdentifier <GUID as 32 hex digits> -PrivateKeyExportable $true.
    let store = TempStore::new();
    let ski = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    let made = ops::new_certificate(&NewCertificateRequest {
        domain_name: vec!["Federation".into()],
        services: Some(common::services("Federation")),
        subject_key_identifier: Some(common::hex(ski)),
        private_key_exportable: true,
        force: false,
        ..new_request(&store)
    })
    .unwrap();
    assert_eq!(made.certificate.services.to_string(), "Federation");
    assert_eq!(made.certificate.subject_key_identifier, ski.to_uppercase());
    assert!(made
        .certificate
        .certificate_domains
        .iter()
        .any(|d| d == "Federation"));
}

#[test]
fn expiring_and_expired_certificates_warn() {
    let store = TempStore::new();
    let now = OffsetDateTime::now_utc();
    let soon = NewCertificateRequest {
        services: Some(common::services("None")),
        not_before: Some(now - time::Duration::days(10)),
        not_after: Some(now + time::Duration::days(10)),
        ..new_request(&store)
    };
    let c = ops::new_certificate(&soon).unwrap().certificate;
    assert!(c.expiry_warning && c.status.as_str() == "Valid");
    let past = NewCertificateRequest {
        not_before: Some(now - time::Duration::days(100)),
        not_after: Some(now - time::Duration::days(2)),
        ..soon
    };
    let e = ops::new_certificate(&past).unwrap().certificate;
    assert_eq!(e.status.as_str(), "DateInvalid");
    assert!(e.days_until_expiry <= -2);
    let list = ops::list_certificates(&ListRequest {
        store_root: Some(store.root()),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(list.warnings.len(), 2);
    assert!(list
        .warnings
        .iter()
        .any(|w| w.contains(&c.thumbprint) && w.contains("expires in")));
    assert!(list
        .warnings
        .iter()
        .any(|w| w.contains(&e.thumbprint) && w.contains("expired")));
}
