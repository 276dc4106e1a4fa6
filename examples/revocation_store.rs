//! Fills a store with certificates issued by the test PKI's issuing CA (tests/revocation_pki.sh),
//! each naming the CA's CRL, for bench/revocation. Usage:
//!   revocation_store STORE PKI_DIR COUNT SERVERS
//! The leaves share one key (only the listing is measured) and are signed with the CA's own key
//! through rcgen, so making 10,000 takes seconds, not the minutes openssl processes would.

use rcgen::{
    CertificateParams, CrlDistributionPoint, DistinguishedName, DnType, KeyPair, SerialNumber,
    PKCS_ECDSA_P256_SHA256, PKCS_RSA_SHA256,
};
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        eprintln!("usage: revocation_store STORE PKI_DIR COUNT SERVERS");
        std::process::exit(2);
    }
    let (store, pki) = (&args[1], Path::new(&args[2]));
    let count: usize = args[3].parse().expect("COUNT is a number");
    let servers: usize = args[4].parse().expect("SERVERS is a number");
    let env = std::fs::read_to_string(pki.join("pki.env")).expect("pki.env");
    let port = env
        .lines()
        .find_map(|l| l.strip_prefix("HTTP_PORT="))
        .expect("HTTP_PORT");
    let crl_url = format!("http://127.0.0.1:{port}/inter.crl");

    let ca_key_pem = std::fs::read_to_string(pki.join("inter.key")).expect("inter.key");
    let ca_key = KeyPair::from_pem_and_sign_algo(&ca_key_pem, &PKCS_RSA_SHA256).expect("CA key");
    let mut ca_params = CertificateParams::default();
    ca_params.distinguished_name = DistinguishedName::new();
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "Revocation Test Issuing CA");
    let ca = ca_params.self_signed(&ca_key).expect("issuer");
    let leaf_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).expect("leaf key");

    let import = |server: String, bytes: &[u8]| {
        excert::ops::import(
            &excert::model::ImportRequest {
                store_root: Some(store.clone()),
                server: Some(server),
                file_data: bytes.to_vec(),
                ..Default::default()
            },
            None,
        )
        .expect("import");
    };
    excert::ops::import(
        &excert::model::ImportRequest {
            store_root: Some(store.clone()),
            file_data: std::fs::read(pki.join("root.der")).unwrap(),
            trusted_root: true,
            ..Default::default()
        },
        None,
    )
    .expect("trust the root");
    // The issuing CA reaches the organisation's intermediates with the first import.
    let inter = std::fs::read(pki.join("inter.pem")).unwrap();
    for i in 0..count {
        let name = format!("leaf-{i}.contoso.com");
        let mut p = CertificateParams::new(vec![name.clone()]).expect("params");
        p.distinguished_name = DistinguishedName::new();
        p.distinguished_name.push(DnType::CommonName, name);
        p.serial_number = Some(SerialNumber::from_slice(
            &(0x4000_0000u64 + i as u64).to_be_bytes(),
        ));
        p.crl_distribution_points = vec![CrlDistributionPoint {
            uris: vec![crl_url.clone()],
        }];
        p.use_authority_key_identifier_extension = false;
        let now = time::OffsetDateTime::now_utc();
        p.not_before = now - time::Duration::days(1);
        p.not_after = now + time::Duration::days(365);
        let leaf = p.signed_by(&leaf_key, &ca, &ca_key).expect("sign");
        let server = format!("EX{:02}", i % servers);
        if i == 0 {
            let mut bundle = leaf.pem().into_bytes();
            bundle.extend_from_slice(&inter);
            import(server, &bundle);
        } else {
            import(server, leaf.der());
        }
    }
}
