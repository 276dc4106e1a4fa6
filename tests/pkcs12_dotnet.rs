//! PKCS#12 interoperability with .NET (X509Certificate2 / X509CertificateLoader in pwsh):
//! .NET loads both of our profiles with their key, and we read what .NET exports.

use std::path::Path;
use std::process::Command;

use excert::formats::pkcs12::{self, ExportItem, Profile};
use rsa::pkcs8::DecodePrivateKey;
use sha1::{Digest, Sha1};

const PWSH: &str = "/usr/local/bin/pwsh";
const UNICODE_PASSWORD: &str = "Pässwörd-日本";

/// A self-signed leaf and a second certificate standing in for its chain, made by openssl.
struct Fixture {
    dir: tempfile::TempDir,
    leaf_der: Vec<u8>,
    key_pkcs8: Vec<u8>,
    chain_der: Vec<u8>,
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn openssl(dir: &Path, args: &[&str]) {
    run(Command::new("openssl").current_dir(dir).args(args));
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // The leaf is RSA (the key .NET signs with below); the stand-in chain certificate EC,
        // which is faster to make.
        let steps: [(&str, &[&str]); 5] = [
            (
                "req -x509 -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.pem -days 30",
                &["-subj", "/CN=mail.contoso.com"],
            ),
            (
                "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key \
                 -out ca.pem -days 30",
                &["-subj", "/CN=Contoso Test CA"],
            ),
            ("x509 -in leaf.pem -outform DER -out leaf.der", &[]),
            ("x509 -in ca.pem -outform DER -out ca.der", &[]),
            (
                "pkcs8 -topk8 -nocrypt -in leaf.key -outform DER -out leaf.p8",
                &[],
            ),
        ];
        for (words, extra) in steps {
            let mut args: Vec<&str> = words.split_whitespace().collect();
            args.extend_from_slice(extra);
            openssl(d, &args);
        }
        Fixture {
            leaf_der: std::fs::read(d.join("leaf.der")).unwrap(),
            key_pkcs8: std::fs::read(d.join("leaf.p8")).unwrap(),
            chain_der: std::fs::read(d.join("ca.der")).unwrap(),
            dir,
        }
    }

    /// Runs a pwsh script with P12_DIR set to the temp folder.
    fn pwsh(&self, script: &str) -> String {
        let script = format!(
            "$ErrorActionPreference = 'Stop'\n$PSStyle.OutputRendering = 'PlainText'\n{script}"
        );
        run(Command::new(PWSH)
            .args(["-NoProfile", "-NonInteractive", "-c", &script])
            .env("P12_DIR", self.dir.path())
            .env("P12_UNICODE", UNICODE_PASSWORD))
    }

    fn thumbprint(&self) -> String {
        Sha1::digest(&self.leaf_der)
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect()
    }

    fn public_key(pkcs8: &[u8]) -> rsa::RsaPublicKey {
        rsa::RsaPrivateKey::from_pkcs8_der(pkcs8)
            .expect("an RSA PKCS#8 key")
            .to_public_key()
    }
}

#[test]
fn dotnet_loads_both_our_profiles_with_their_key() {
    let f = Fixture::new();
    let chain = [f.chain_der.clone()];
    let item = ExportItem {
        certificate_der: &f.leaf_der,
        private_key_pkcs8: Some(&f.key_pkcs8),
        chain_der: &chain,
        friendly_name: Some("Contoso mail"),
    };
    let files = [
        ("modern.pfx", Profile::Modern, "pw"),
        ("legacy.pfx", Profile::Legacy, "pw"),
        ("modern-unicode.pfx", Profile::Modern, UNICODE_PASSWORD),
        ("legacy-unicode.pfx", Profile::Legacy, UNICODE_PASSWORD),
        ("modern-empty.pfx", Profile::Modern, ""),
    ];
    for (name, profile, password) in files {
        let pfx = pkcs12::write(&item, password.as_bytes(), profile, 2048).unwrap();
        std::fs::write(f.dir.path().join(name), pfx).unwrap();
    }
    let out = f.pwsh(
        r#"
$L = [System.Security.Cryptography.X509Certificates.X509CertificateLoader]
$R = [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]
$pad = [System.Security.Cryptography.RSASignaturePadding]::Pkcs1
$files = @(('modern.pfx', 'pw'), ('legacy.pfx', 'pw'), ('modern-unicode.pfx', $env:P12_UNICODE),
           ('legacy-unicode.pfx', $env:P12_UNICODE), ('modern-empty.pfx', ''))
foreach ($f in $files) {
    $bytes = [IO.File]::ReadAllBytes((Join-Path $env:P12_DIR $f[0]))
    $c = $L::LoadPkcs12($bytes, $f[1])
    $all = $L::LoadPkcs12Collection($bytes, $f[1])
    $data = [byte[]](1..64)
    $sig = $R::GetRSAPrivateKey($c).SignData($data, 'SHA256', $pad)
    $ok = $R::GetRSAPublicKey($c).VerifyData($data, $sig, 'SHA256', $pad)
    "$($f[0])|$($c.HasPrivateKey)|$($c.Thumbprint)|$($all.Count)|$ok"
}
"#,
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), files.len(), "{out}");
    for ((name, _, _), line) in files.iter().zip(&lines) {
        assert_eq!(
            *line,
            format!("{name}|True|{}|2|True", f.thumbprint()),
            "HasPrivateKey, thumbprint, chain, key signs for the certificate"
        );
    }
}

#[test]
fn we_read_files_dotnet_exports() {
    let f = Fixture::new();
    f.pwsh(
        r#"
$c = [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPemFile(
    (Join-Path $env:P12_DIR 'leaf.pem'), (Join-Path $env:P12_DIR 'leaf.key'))
$P = [System.Security.Cryptography.X509Certificates.Pkcs12ExportPbeParameters]
function Save($name, [byte[]]$bytes) { [IO.File]::WriteAllBytes((Join-Path $env:P12_DIR $name), $bytes) }
Save 'export.pfx' $c.Export('Pkcs12', 'pw')
Save 'aes.pfx' $c.ExportPkcs12($P::Pbes2Aes256Sha256, 'pw')
Save 'tdes.pfx' $c.ExportPkcs12($P::Pkcs12TripleDesSha1, 'pw')
Save 'pbe.pfx' $c.ExportPkcs12([System.Security.Cryptography.PbeParameters]::new('Aes128Cbc', 'SHA384', 3000), 'pw')
Save 'unicode.pfx' $c.ExportPkcs12($P::Pbes2Aes256Sha256, $env:P12_UNICODE)
Save 'unicode-3des.pfx' $c.ExportPkcs12($P::Pkcs12TripleDesSha1, $env:P12_UNICODE)
Save 'null.pfx' $c.Export('Pkcs12')
Save 'empty.pfx' $c.Export('Pkcs12', '')
"#,
    );
    let cases: [(&str, Option<&str>, &str); 8] = [
        ("export.pfx", Some("pw"), "PBE-SHA1-3DES, MAC SHA-1"),
        (
            "aes.pfx",
            Some("pw"),
            "PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC, MAC SHA-256",
        ),
        ("tdes.pfx", Some("pw"), "PBE-SHA1-3DES, MAC SHA-1"),
        (
            "pbe.pfx",
            Some("pw"),
            "PBES2/PBKDF2-HMAC-SHA384/AES-128-CBC, MAC SHA-384",
        ),
        (
            "unicode.pfx",
            Some(UNICODE_PASSWORD),
            "PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC, MAC SHA-256",
        ),
        (
            "unicode-3des.pfx",
            Some(UNICODE_PASSWORD),
            "PBE-SHA1-3DES, MAC SHA-1",
        ),
        ("null.pfx", None, "PBE-SHA1-3DES, MAC SHA-1"),
        ("empty.pfx", Some(""), "PBE-SHA1-3DES, MAC SHA-1"),
    ];
    let want_key = Fixture::public_key(&f.key_pkcs8);
    for (name, password, profile) in cases {
        let pfx = std::fs::read(f.dir.path().join(name)).unwrap();
        for pw in [password, password.filter(|p| !p.is_empty())] {
            let c =
                pkcs12::read(&pfx, pw.map(str::as_bytes)).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(c.profile, profile, "{name}");
            assert_eq!(c.certificates.len(), 1, "{name}");
            assert_eq!(c.certificates[0].der, f.leaf_der, "{name}");
            assert_eq!(c.keys.len(), 1, "{name}");
            assert_eq!(Fixture::public_key(&c.keys[0].pkcs8), want_key, "{name}");
            assert!(c.certificates[0].local_key_id.is_some());
            assert_eq!(
                c.certificates[0].local_key_id, c.keys[0].local_key_id,
                "{name}"
            );
        }
        if password.is_some_and(|p| !p.is_empty()) {
            let err = pkcs12::read(&pfx, Some(b"not-the-password")).unwrap_err();
            assert_eq!(err.code, excert::Code::WrongPassword, "{name}");
        }
    }
}
