//! `IsSelfSigned` for certificates openssl signs with every algorithm .NET reads: the name is its
//! own issuer and its own key verifies the signature, whatever that algorithm (MD5, SHA-1 and
//! PSS RSA, DSA, ECDSA, Ed25519); a certificate that names itself as issuer but was signed by
//! another key is not self-signed.

mod common;

use common::openssl;
use excert::cert::inspect::self_signature_valid;

/// A self-signed certificate made by openssl: a new key of `keyopts`, signed with `sign`.
fn make(dir: &std::path::Path, name: &str, keyopts: &[&str], sign: &[&str]) -> Vec<u8> {
    let key = dir.join(format!("{name}.key"));
    let cert = dir.join(format!("{name}.der"));
    let mut args = vec!["genpkey", "-out", key.to_str().unwrap()];
    args.extend_from_slice(keyopts);
    openssl(&args);
    let mut args = vec![
        "req",
        "-x509",
        "-new",
        "-key",
        key.to_str().unwrap(),
        "-subj",
        "/CN=self",
        "-days",
        "30",
        "-outform",
        "DER",
        "-out",
        cert.to_str().unwrap(),
    ];
    args.extend_from_slice(sign);
    openssl(&args);
    std::fs::read(&cert).unwrap()
}

#[test]
fn every_algorithm_dotnet_reads_verifies_its_own_signature() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let rsa1024 = ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"];
    let rsa2048 = ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"];
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("md5 RSA 1024", make(d, "md5", &rsa1024, &["-md5"])),
        ("sha1 RSA 1024", make(d, "sha1", &rsa1024, &["-sha1"])),
        ("sha224 RSA 2048", make(d, "sha224", &rsa2048, &["-sha224"])),
        ("sha256 RSA 1024", make(d, "sha256", &rsa1024, &["-sha256"])),
        ("sha512 RSA 2048", make(d, "sha512", &rsa2048, &["-sha512"])),
        (
            "PSS sha256, salt 32",
            make(
                d,
                "pss",
                &rsa2048,
                &[
                    "-sha256",
                    "-sigopt",
                    "rsa_padding_mode:pss",
                    "-sigopt",
                    "rsa_pss_saltlen:32",
                ],
            ),
        ),
        (
            "PSS sha384, salt 48, RSA-PSS key",
            make(
                d,
                "pss-key",
                &["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048"],
                &["-sha384", "-sigopt", "rsa_pss_saltlen:48"],
            ),
        ),
        (
            "DSA 2048 sha256",
            make(d, "dsa", &["-paramfile", &dsa_params(d)], &["-sha256"]),
        ),
        (
            "ECDSA P-256",
            make(
                d,
                "p256",
                &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
                &["-sha256"],
            ),
        ),
        (
            "ECDSA P-384",
            make(
                d,
                "p384",
                &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
                &["-sha384"],
            ),
        ),
        (
            "Ed25519",
            make(d, "ed25519", &["-algorithm", "ED25519"], &[]),
        ),
    ];
    for (what, der) in &cases {
        assert!(
            self_signature_valid(der),
            "{what}: its own key must verify its signature"
        );
    }
}

fn dsa_params(dir: &std::path::Path) -> String {
    let path = dir.join("dsa.params");
    openssl(&[
        "genpkey",
        "-genparam",
        "-algorithm",
        "DSA",
        "-pkeyopt",
        "dsa_paramgen_bits:2048",
        "-out",
        path.to_str().unwrap(),
    ]);
    path.to_str().unwrap().to_string()
}

#[test]
fn a_certificate_naming_itself_but_signed_by_another_key_is_not_self_signed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let p = |n: &str| d.join(n).to_str().unwrap().to_string();
    for (name, keyopts, digest) in [
        (
            "md5",
            vec!["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"],
            "-md5",
        ),
        ("dsa", vec!["-paramfile", &dsa_params(d)], "-sha256"),
    ] {
        let (signer, subject) = (
            p(&format!("{name}-signer.key")),
            p(&format!("{name}-subject.key")),
        );
        for key in [&signer, &subject] {
            let mut args = vec!["genpkey", "-out", key.as_str()];
            args.extend_from_slice(&keyopts);
            openssl(&args);
        }
        let csr = p(&format!("{name}.csr"));
        let cert = p(&format!("{name}.der"));
        openssl(&[
            "req", "-new", "-key", &subject, "-subj", "/CN=self", "-out", &csr,
        ]);
        // Issuer name = subject name (CN=self), but signed by the other key: a "CA" of the
        // same name made from the signer key issues the subject key's request.
        let ca = p(&format!("{name}-ca.pem"));
        openssl(&[
            "req", "-x509", "-new", "-key", &signer, "-subj", "/CN=self", "-days", "30", digest,
            "-out", &ca,
        ]);
        openssl(&[
            "x509", "-req", "-in", &csr, "-CA", &ca, "-CAkey", &signer, "-days", "30", digest,
            "-outform", "DER", "-out", &cert,
        ]);
        let der = std::fs::read(&cert).unwrap();
        assert!(!self_signature_valid(&der), "{name}: another key signed it");
    }
}
