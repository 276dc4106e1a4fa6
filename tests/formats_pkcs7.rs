//! Our PKCS#7 writer against openssl: the same bytes `openssl crl2pkcs7 -nocrl` writes, and
//! read back by `openssl pkcs7 -print_certs` in the order given.

mod formats_ca;

use excert::formats::{pem, pkcs7};
use excert::Code;
use formats_ca::{printed_certs, Ca};

#[test]
fn certs_only_matches_openssl_byte_for_byte() {
    let ca = Ca::new();
    let certs = vec![ca.der("leaf.pem"), ca.der("int.pem"), ca.der("root.pem")];
    ca.openssl(&[
        "crl2pkcs7",
        "-nocrl",
        "-certfile",
        "chain.pem",
        "-outform",
        "DER",
        "-out",
        "ref.p7b",
    ]);
    let ours = pkcs7::certs_only(&certs).unwrap();
    assert_eq!(ours, ca.read("ref.p7b"));
}

#[test]
fn openssl_reads_our_der_and_pem_in_order() {
    let ca = Ca::new();
    // Root first: the order must survive (DER's SET OF sorting would change it).
    let certs = vec![ca.der("root.pem"), ca.der("leaf.pem"), ca.der("int.pem")];
    std::fs::write(ca.path("ours.p7b"), pkcs7::certs_only(&certs).unwrap()).unwrap();
    let printed = ca.openssl(&["pkcs7", "-inform", "DER", "-in", "ours.p7b", "-print_certs"]);
    assert_eq!(printed_certs(&ca, &printed), certs);

    let pem_text = pkcs7::certs_only_pem(&certs).unwrap();
    assert!(pem_text.starts_with("-----BEGIN PKCS7-----\n"));
    std::fs::write(ca.path("ours.p7c"), &pem_text).unwrap();
    let printed = ca.openssl(&["pkcs7", "-in", "ours.p7c", "-print_certs"]);
    assert_eq!(printed_certs(&ca, &printed), certs);

    // And our reader gets the same list back from both.
    assert_eq!(
        pkcs7::read_certificates(&ca.read("ours.p7b")).unwrap(),
        certs
    );
    assert_eq!(
        pkcs7::read_certificates(pem_text.as_bytes()).unwrap(),
        certs
    );
}

#[test]
fn writer_refuses_what_is_not_a_certificate() {
    let ca = Ca::new();
    let csr = ca.openssl(&["req", "-in", "leaf.csr", "-outform", "DER"]);
    let e = pkcs7::certs_only(&[ca.der("leaf.pem"), csr]).unwrap_err();
    assert_eq!(e.code, Code::InvalidArgument);
    assert!(e.message.contains("certificate 2"), "{e}");
}

#[test]
fn reader_refuses_non_pkcs7_pem() {
    let ca = Ca::new();
    let e = pkcs7::read_certificates(&ca.read("leaf.pem")).unwrap_err();
    assert_eq!(e.code, Code::UnknownFormat);
    let e = pkcs7::read_certificates(&ca.der("leaf.pem")).unwrap_err();
    assert_eq!(e.code, Code::MalformedData, "{e}");
    assert_eq!(
        pkcs7::read_certificates(b"").unwrap_err().code,
        Code::EmptyData
    );
    // A PEM block of our own making is what openssl writes too.
    let ours = pem::encode(
        pem::PKCS7,
        &pkcs7::certs_only(&[ca.der("leaf.pem")]).unwrap(),
    );
    let theirs = ca.openssl(&["crl2pkcs7", "-nocrl", "-certfile", "leaf.pem"]);
    assert_eq!(ours.as_bytes(), &theirs[..]);
}
