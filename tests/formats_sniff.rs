//! Sniffing real CA responses made by the openssl CLI: every form a CA or an admin hands over
//! must give the same certificates, cross-checked against openssl's own DER conversion.

mod formats_ca;

use base64::Engine as _;
use excert::formats::sniff::{self, Kind};
use excert::Code;
use formats_ca::{printed_certs, Ca};
use x509_parser::prelude::{FromDer, X509Certificate};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// leaf, intermediate, root as DER, converted by openssl.
fn expected(ca: &Ca) -> Vec<Vec<u8>> {
    vec![ca.der("leaf.pem"), ca.der("int.pem"), ca.der("root.pem")]
}

fn assert_parse_all(certs: &[Vec<u8>]) {
    for c in certs {
        let (rest, _) = X509Certificate::from_der(c).expect("every returned certificate parses");
        assert!(rest.is_empty());
    }
}

fn subjects(certs: &[Vec<u8>]) -> Vec<String> {
    certs
        .iter()
        .map(|c| {
            X509Certificate::from_der(c)
                .unwrap()
                .1
                .subject()
                .to_string()
        })
        .collect()
}

#[test]
fn der_certificate() {
    let ca = Ca::new();
    ca.openssl(&[
        "x509", "-in", "leaf.pem", "-outform", "DER", "-out", "leaf.cer",
    ]);
    let cer = ca.read("leaf.cer");
    assert_eq!(sniff::kind(&cer), Kind::Certificate);
    let certs = sniff::certificates(&cer).unwrap();
    assert_eq!(certs, vec![ca.der("leaf.pem")]);
    assert_parse_all(&certs);
    assert_eq!(subjects(&certs), vec!["CN=mail.contoso.com"]);
}

#[test]
fn pem_certificate_and_chain() {
    let ca = Ca::new();
    let leaf = ca.read("leaf.pem");
    assert_eq!(sniff::kind(&leaf), Kind::Certificate);
    assert_eq!(
        sniff::certificates(&leaf).unwrap(),
        vec![ca.der("leaf.pem")]
    );

    let chain = ca.read("chain.pem");
    assert_eq!(sniff::kind(&chain), Kind::PemBundle);
    let certs = sniff::certificates(&chain).unwrap();
    assert_eq!(certs, expected(&ca));
    assert_parse_all(&certs);
    assert_eq!(
        subjects(&certs),
        vec![
            "CN=mail.contoso.com",
            "O=Excert Test, CN=Excert Test Intermediate",
            "O=Excert Test, CN=Excert Test Root"
        ]
    );
}

#[test]
fn pem_with_crlf_text_around_and_a_key() {
    let ca = Ca::new();
    // `openssl x509 -text` prints the decoded text before the PEM block.
    let mut text = ca.openssl(&["x509", "-in", "leaf.pem", "-text"]);
    text.extend_from_slice(&ca.read("leaf.key"));
    text.extend_from_slice(b"\nregards, the CA team\n");
    text.extend_from_slice(&ca.read("int.pem"));
    let crlf = String::from_utf8(text).unwrap().replace('\n', "\r\n");
    assert_eq!(sniff::kind(crlf.as_bytes()), Kind::PemBundle);
    assert_eq!(
        sniff::certificates(crlf.as_bytes()).unwrap(),
        vec![ca.der("leaf.pem"), ca.der("int.pem")]
    );

    // A key with its one certificate is still a bundle (not a lone certificate).
    let key_and_cert = [ca.read("leaf.key"), ca.read("leaf.pem")].concat();
    assert_eq!(sniff::kind(&key_and_cert), Kind::PemBundle);
    assert_eq!(
        sniff::certificates(&key_and_cert).unwrap(),
        vec![ca.der("leaf.pem")]
    );
}

#[test]
fn pkcs7_der_and_pem_from_openssl() {
    let ca = Ca::new();
    ca.openssl(&[
        "crl2pkcs7",
        "-nocrl",
        "-certfile",
        "chain.pem",
        "-outform",
        "DER",
        "-out",
        "chain.p7b",
    ]);
    ca.openssl(&[
        "crl2pkcs7",
        "-nocrl",
        "-certfile",
        "chain.pem",
        "-out",
        "chain.p7c",
    ]);
    // The order openssl itself reads out of the file.
    let printed = ca.openssl(&[
        "pkcs7",
        "-inform",
        "DER",
        "-in",
        "chain.p7b",
        "-print_certs",
    ]);
    let openssl_order = printed_certs(&ca, &printed);
    assert_eq!(openssl_order.len(), 3);

    let der = ca.read("chain.p7b");
    assert_eq!(sniff::kind(&der), Kind::Pkcs7);
    let certs = sniff::certificates(&der).unwrap();
    assert_eq!(certs, openssl_order);
    assert_eq!(certs, expected(&ca));
    assert_parse_all(&certs);

    let pem = ca.read("chain.p7c");
    assert!(pem.starts_with(b"-----BEGIN PKCS7-----"));
    assert_eq!(sniff::kind(&pem), Kind::Pkcs7);
    assert_eq!(sniff::certificates(&pem).unwrap(), expected(&ca));
    assert_eq!(
        excert::formats::pkcs7::read_certificates(&pem).unwrap(),
        expected(&ca)
    );
}

#[test]
fn pkcs7_framed_as_certificate_like_microsoft_ca() {
    // Microsoft CA web enrollment's "Base 64 encoded" chain is PKCS#7 under a CERTIFICATE label.
    let ca = Ca::new();
    ca.openssl(&[
        "crl2pkcs7",
        "-nocrl",
        "-certfile",
        "chain.pem",
        "-outform",
        "DER",
        "-out",
        "chain.p7b",
    ]);
    let body = B64.encode(ca.read("chain.p7b"));
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    let text = format!(
        "-----BEGIN CERTIFICATE-----\r\n{}\r\n-----END CERTIFICATE-----\r\n",
        lines.join("\r\n")
    );
    assert_eq!(sniff::kind(text.as_bytes()), Kind::Pkcs7);
    assert_eq!(sniff::certificates(text.as_bytes()).unwrap(), expected(&ca));
}

#[test]
fn signed_ber_pkcs7_with_indefinite_lengths() {
    // `openssl cms -sign -stream` writes BER with indefinite lengths and a real signer.
    let ca = Ca::new();
    std::fs::write(ca.path("msg.txt"), "hello").unwrap();
    ca.openssl(&[
        "cms",
        "-sign",
        "-in",
        "msg.txt",
        "-signer",
        "leaf.pem",
        "-inkey",
        "leaf.key",
        "-certfile",
        "int.pem",
        "-outform",
        "DER",
        "-stream",
        "-nodetach",
        "-out",
        "signed.p7",
    ]);
    let data = ca.read("signed.p7");
    assert_eq!(&data[..2], &[0x30, 0x80], "openssl wrote indefinite length");
    let printed = ca.openssl(&[
        "pkcs7",
        "-inform",
        "DER",
        "-in",
        "signed.p7",
        "-print_certs",
    ]);
    let want = printed_certs(&ca, &printed);
    assert_eq!(want.len(), 2);
    assert_eq!(sniff::kind(&data), Kind::Pkcs7);
    assert_eq!(sniff::certificates(&data).unwrap(), want);
}

#[test]
fn bare_base64_and_utf16_text() {
    let ca = Ca::new();
    let leaf = ca.der("leaf.pem");
    // `openssl base64` wraps at 64 columns; what an admin pastes from a mail.
    std::fs::write(ca.path("leaf.der"), &leaf).unwrap();
    let wrapped = ca.openssl(&["base64", "-in", "leaf.der"]);
    assert_eq!(sniff::kind(&wrapped), Kind::Certificate);
    assert_eq!(sniff::certificates(&wrapped).unwrap(), vec![leaf.clone()]);

    ca.openssl(&[
        "crl2pkcs7",
        "-nocrl",
        "-certfile",
        "chain.pem",
        "-outform",
        "DER",
        "-out",
        "chain.p7b",
    ]);
    let one_line = B64.encode(ca.read("chain.p7b"));
    assert_eq!(sniff::kind(one_line.as_bytes()), Kind::Pkcs7);
    assert_eq!(
        sniff::certificates(one_line.as_bytes()).unwrap(),
        expected(&ca)
    );

    // [Text.Encoding]::Unicode.GetBytes($pem): UTF-16LE, no BOM; and with a BOM.
    let pem = String::from_utf8(ca.read("chain.pem")).unwrap();
    let utf16: Vec<u8> = pem.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    assert_eq!(sniff::kind(&utf16), Kind::PemBundle);
    assert_eq!(sniff::certificates(&utf16).unwrap(), expected(&ca));
    let with_bom = [&[0xff, 0xfe][..], &utf16].concat();
    assert_eq!(sniff::certificates(&with_bom).unwrap(), expected(&ca));
}

#[test]
fn requests_and_pkcs12_are_recognised_not_returned() {
    let ca = Ca::new();
    let csr_pem = ca.read("leaf.csr");
    let csr_der = ca.openssl(&["req", "-in", "leaf.csr", "-outform", "DER"]);
    assert_eq!(sniff::kind(&csr_pem), Kind::CertificateRequest);
    assert_eq!(sniff::kind(&csr_der), Kind::CertificateRequest);
    let e = sniff::certificates(&csr_der).unwrap_err();
    assert_eq!(e.code, Code::UnknownFormat);
    assert!(e.message.contains("certificate request"), "{e}");
    // Windows' label for the same thing.
    let windows = String::from_utf8(csr_pem)
        .unwrap()
        .replace("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST");
    assert_eq!(sniff::kind(windows.as_bytes()), Kind::CertificateRequest);

    ca.openssl(&[
        "pkcs12",
        "-export",
        "-in",
        "leaf.pem",
        "-inkey",
        "leaf.key",
        "-certfile",
        "int.pem",
        "-passout",
        "pass:Secret1",
        "-out",
        "leaf.pfx",
    ]);
    let pfx = ca.read("leaf.pfx");
    assert_eq!(sniff::kind(&pfx), Kind::Pkcs12);
    let e = sniff::certificates(&pfx).unwrap_err();
    assert_eq!(e.code, Code::UnknownFormat);
    assert!(e.message.contains("PKCS#12"), "{e}");
    // Export-ExchangeCertificate hands out Base64; the importer gets the binary back.
    let text = B64.encode(&pfx);
    assert_eq!(sniff::kind(text.as_bytes()), Kind::Pkcs12);
    assert_eq!(&*sniff::binary(text.as_bytes()), &pfx[..]);
    assert_eq!(&*sniff::binary(&pfx), &pfx[..]);
}

#[test]
fn several_der_certificates_joined() {
    let ca = Ca::new();
    let joined = [ca.der("leaf.pem"), ca.der("int.pem")].concat();
    assert_eq!(
        sniff::certificates(&joined).unwrap(),
        vec![ca.der("leaf.pem"), ca.der("int.pem")]
    );
    // Exact duplicates are dropped, order kept.
    let twice = [ca.read("leaf.pem"), ca.read("int.pem"), ca.read("leaf.pem")].concat();
    assert_eq!(
        sniff::certificates(&twice).unwrap(),
        vec![ca.der("leaf.pem"), ca.der("int.pem")]
    );
}

#[test]
fn empty_garbage_and_truncated_inputs() {
    let ca = Ca::new();
    for empty in [&b""[..], b"\r\n  \t", b"\xef\xbb\xbf"] {
        let e = sniff::certificates(empty).unwrap_err();
        assert_eq!(e.code, Code::EmptyData, "{empty:?}");
        assert_eq!(e.code as i32, 102);
    }

    for garbage in [
        &b"this is not a certificate, just a note\n"[..],
        b"\x00\x01\x02\x03garbage\xff\xfe",
        b"%PDF-1.7\n",
    ] {
        assert_eq!(sniff::kind(garbage), Kind::Unknown);
        let e = sniff::certificates(garbage).unwrap_err();
        assert_eq!(e.code, Code::UnknownFormat, "{garbage:?}: {e}");
        assert_eq!(e.code as i32, 101);
        assert!(
            e.message.contains("PKCS#7") && e.message.contains("PEM"),
            "{e}"
        );
    }

    ca.openssl(&[
        "crl2pkcs7",
        "-nocrl",
        "-certfile",
        "chain.pem",
        "-outform",
        "DER",
        "-out",
        "chain.p7b",
    ]);
    let p7 = ca.read("chain.p7b");
    // openssl agrees the cut file is broken.
    std::fs::write(ca.path("cut.p7b"), &p7[..p7.len() / 2]).unwrap();
    let status = std::process::Command::new("openssl")
        .args(["pkcs7", "-inform", "DER", "-in", "cut.p7b", "-print_certs"])
        .current_dir(ca.dir.path())
        .output()
        .unwrap()
        .status;
    assert!(!status.success());
    for cut in [p7.len() / 2, p7.len() - 1, 40, 3] {
        let data = &p7[..cut];
        // Three bytes do not show the content type yet; the rest do.
        let want = if cut > 15 { Kind::Pkcs7 } else { Kind::Unknown };
        assert_eq!(sniff::kind(data), want, "cut at {cut}");
        let e = sniff::certificates(data).unwrap_err();
        assert_eq!(e.code, Code::MalformedData, "cut at {cut}: {e}");
        assert_eq!(e.code as i32, 100);
        assert!(e.message.contains("truncated"), "cut at {cut}: {e}");
    }
    // The outer length intact, an inner certificate damaged: names which one.
    let mut damaged = p7.clone();
    let second = find(&damaged, &ca.der("int.pem")).unwrap();
    damaged[second + 6] ^= 0xff;
    let e = sniff::certificates(&damaged).unwrap_err();
    assert_eq!(e.code, Code::MalformedData, "{e}");
    assert!(e.message.contains("PKCS#7"), "{e}");

    let leaf = ca.der("leaf.pem");
    let e = sniff::certificates(&leaf[..leaf.len() - 10]).unwrap_err();
    assert_eq!(e.code, Code::MalformedData);
    assert!(
        e.message.contains("certificate") && e.message.contains("truncated"),
        "{e}"
    );

    // PEM cut before its END line, and PEM whose Base64 lost a chunk in the middle.
    let pem = String::from_utf8(ca.read("chain.pem")).unwrap();
    let e = sniff::certificates(&pem.as_bytes()[..pem.len() - 200]).unwrap_err();
    assert_eq!(e.code, Code::MalformedData);
    assert!(e.message.contains("no END line"), "{e}");
    let lines: Vec<&str> = pem.lines().collect();
    let holed = [&lines[..5], &lines[8..]].concat().join("\n");
    let e = sniff::certificates(holed.as_bytes()).unwrap_err();
    assert_eq!(e.code, Code::MalformedData, "{e}");
    assert!(e.message.contains("PEM block 1"), "{e}");
}

#[test]
fn pkcs7_without_certificates_and_unknown_pem() {
    let ca = Ca::new();
    // A CRL-only PKCS#7: well-formed, but nothing to import.
    ca.openssl(&[
        "ca", "-config", "ca.cnf", "-gencrl", "-cert", "int.pem", "-keyfile", "int.key",
        "-crldays", "1", "-out", "int.crl",
    ]);
    ca.openssl(&[
        "crl2pkcs7",
        "-in",
        "int.crl",
        "-outform",
        "DER",
        "-out",
        "crl.p7b",
    ]);
    let e = sniff::certificates(&ca.read("crl.p7b")).unwrap_err();
    assert_eq!(e.code, Code::EmptyData, "{e}");
    assert!(e.message.contains("no certificates"), "{e}");

    let e = sniff::certificates(&ca.read("leaf.key")).unwrap_err();
    assert_eq!(e.code, Code::UnknownFormat);
    assert!(e.message.contains("PRIVATE KEY"), "{e}");
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn openssl_trusted_certificate_form() {
    // `-trustout` appends trust settings after the certificate inside the block.
    let ca = Ca::new();
    let trusted = ca.openssl(&[
        "x509",
        "-in",
        "root.pem",
        "-trustout",
        "-addtrust",
        "serverAuth",
    ]);
    assert!(trusted.starts_with(b"-----BEGIN TRUSTED CERTIFICATE-----"));
    assert_eq!(sniff::kind(&trusted), Kind::Certificate);
    assert_eq!(
        sniff::certificates(&trusted).unwrap(),
        vec![ca.der("root.pem")]
    );
}
