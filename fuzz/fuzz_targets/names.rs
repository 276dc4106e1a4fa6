//! Names typed by an admin: `-SubjectName`, `-DomainName`, server names, thumbprints,
//! `-Services`, `-KeyAlgorithm`. A subject that parses is also built into a real certificate
//! (ECDSA, so cheap), which must read back with the same subject and names.
//!
//! Input layout: line 1 is the subject, further lines are domain names.
#![no_main]

mod common;

use excert::cert::build::{self, CertificateSpec};
use excert::cert::host::HostNames;
use excert::cert::inspect::CertificateInfo;
use excert::cert::keys::{KeyAlgorithm, KeySpec, PrivateKey};
use excert::cert::names::{self, SanRequest, Subject};
use excert::cert::services::Services;
use std::sync::OnceLock;

static KEY: OnceLock<PrivateKey> = OnceLock::new();

fuzz_target!(|data| {
    let text = common::text(data);
    let mut lines = text.split('\n');
    let subject_text = lines.next().unwrap_or("");
    let domains: Vec<String> = lines.map(str::to_string).collect();

    let _ = names::dns_name(&text);
    let _ = excert::cert::normalize_thumbprint(&text);
    let _ = Services::parse(&text).map(|s| (s.string_form(), s.names()));
    let _ = KeyAlgorithm::parse(&text);
    let _ = HostNames::for_server(Some(&text));
    for d in &domains {
        if let Ok(ascii) = names::dns_name(d) {
            // The ASCII form is itself a valid name and maps to itself.
            assert_eq!(
                names::dns_name(&ascii).as_deref().ok(),
                Some(ascii.as_str())
            );
        }
    }

    let Ok(subject) = Subject::parse(subject_text) else {
        return;
    };
    // The builder writes country codes upper-case (PrintableString "US"), as openssl does.
    let mut written = subject.clone();
    for a in written.0.iter_mut().filter(|a| a.name == "C") {
        a.value = a.value.to_ascii_uppercase();
    }
    let shown = written.display();
    let host = HostNames {
        name: "EX01".into(),
        fqdn: "ex01.contoso.com".into(),
    };
    let req = SanRequest {
        domain_names: &domains,
        include_server_fqdn: false,
        include_server_netbios_name: false,
    };
    let Ok(sans) = names::san_list(&subject, &req, &host) else {
        return;
    };
    let key = KEY.get_or_init(|| {
        PrivateKey::generate(KeySpec::new(Some(KeyAlgorithm::EcdsaP256), None).unwrap()).unwrap()
    });
    let (not_before, not_after) = build::default_validity(time::OffsetDateTime::UNIX_EPOCH);
    let spec = CertificateSpec {
        subject,
        sans: sans.clone(),
        not_before,
        not_after,
        subject_key_identifier: None,
    };
    let Ok(der) = build::self_signed(&spec, key) else {
        return;
    };
    let info = CertificateInfo::from_der(&der).expect("a certificate we built reads back");
    assert_eq!(
        info.subject, shown,
        "the built certificate's subject differs from the request"
    );
    assert_eq!(
        info.dns_names, sans,
        "the built certificate's SANs differ from the request"
    );
    let _ = build::request(&spec, key).map(|csr| {
        excert::cert::inspect::RequestInfo::from_der(&csr).expect("a request we built reads back")
    });
});
