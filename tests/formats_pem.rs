//! PEM written by us is what openssl writes, and openssl's PEM of every label we use reads back.

mod formats_ca;

use excert::formats::pem;
use formats_ca::Ca;

#[test]
fn certificate_pem_is_identical_to_openssl() {
    let ca = Ca::new();
    let der = ca.der("leaf.pem");
    let ours = pem::encode(pem::CERTIFICATE, &der);
    assert_eq!(ours.as_bytes(), &ca.read("leaf.pem")[..]);
    assert!(ours.lines().all(|l| l.len() <= 64));
    std::fs::write(ca.path("ours.pem"), &ours).unwrap();
    let theirs = ca.openssl(&[
        "x509",
        "-in",
        "ours.pem",
        "-noout",
        "-fingerprint",
        "-sha256",
    ]);
    let original = ca.openssl(&[
        "x509",
        "-in",
        "leaf.pem",
        "-noout",
        "-fingerprint",
        "-sha256",
    ]);
    assert_eq!(theirs, original);
}

#[test]
fn request_labels_and_private_key_round_trip() {
    let ca = Ca::new();
    let csr = ca.openssl(&["req", "-in", "leaf.csr", "-outform", "DER"]);
    // Windows' label; openssl accepts it.
    let windows = pem::encode(pem::NEW_CERTIFICATE_REQUEST, &csr);
    std::fs::write(ca.path("windows.csr"), &windows).unwrap();
    let subject = ca.openssl(&["req", "-in", "windows.csr", "-verify", "-noout", "-subject"]);
    assert_eq!(
        String::from_utf8(subject).unwrap().trim(),
        "subject=CN = mail.contoso.com"
    );
    let blocks = pem::parse(windows.as_bytes()).unwrap();
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].label, pem::NEW_CERTIFICATE_REQUEST);
    assert_eq!(*blocks[0].data, csr);

    let openssl_csr = ca.read("leaf.csr");
    let blocks = pem::parse(&openssl_csr).unwrap();
    assert_eq!(blocks[0].label, pem::CERTIFICATE_REQUEST);
    assert_eq!(
        pem::encode(pem::CERTIFICATE_REQUEST, &blocks[0].data).as_bytes(),
        &openssl_csr[..]
    );

    let key = ca.read("leaf.key");
    let blocks = pem::parse(&key).unwrap();
    assert_eq!(blocks[0].label, pem::PRIVATE_KEY);
    let key_der = ca.openssl(&[
        "pkcs8", "-topk8", "-nocrypt", "-in", "leaf.key", "-outform", "DER",
    ]);
    assert!(
        *blocks[0].data == key_der,
        "PKCS#8 DER differs from openssl's"
    );
    assert_eq!(pem::encode_many(&blocks).as_bytes(), &key[..]);
}

#[test]
fn chain_blocks_in_order_with_lines() {
    let ca = Ca::new();
    let chain = ca.read("chain.pem");
    let blocks = pem::parse(&chain).unwrap();
    let ders: Vec<Vec<u8>> = blocks.iter().map(|b| b.data.to_vec()).collect();
    assert_eq!(
        ders,
        vec![ca.der("leaf.pem"), ca.der("int.pem"), ca.der("root.pem")]
    );
    // Line numbers of the BEGIN lines, as `grep -n BEGIN` gives them.
    let text = String::from_utf8(chain.clone()).unwrap();
    let begins: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("-----BEGIN"))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(blocks.iter().map(|b| b.line).collect::<Vec<_>>(), begins);
    assert_eq!(pem::encode_many(&blocks).as_bytes(), &chain[..]);
}
