//! Regression tests for what fuzzing (scripts/fuzz, fuzz/) found in the parsers that see outside
//! bytes. Each test holds the input that showed the problem; a test marked `#[ignore = "bug: ..."]`
//! still fails and describes a bug that is not fixed yet.

use base64::Engine as _;
use excert::formats::pkcs12;
use excert::Code;

/// A PKCS#12 file made by `openssl pkcs12 -export -nomac -iter 10000000 -passout pass:fuzz`
/// (a throwaway ECDSA key and its certificate): one certificate bag in plain data, one
/// shrouded key bag (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC) at 10,000,000 iterations — the
/// most `formats::pkcs12` accepts for one key derivation.
const ONE_SLOW_BAG_PFX: [&str; 16] = [
    "MIIEXQIBAzCCBFYGCSqGSIb3DQEHAaCCBEcEggRDMIIEPzCCAvQGCSqGSIb3DQEHAaCCAuUEggLhMIIC3TCCAtkGCyqGSIb3",
    "DQEMCgEDoIICoTCCAp0GCiqGSIb3DQEJFgGgggKNBIICiTCCAoUwggIroAMCAQICFEU21cu4cAqRyqhWlIGOjVw+e8D1MAoG",
    "CCqGSM49BAMCMDkxCzAJBgNVBAYTAlVTMRAwDgYDVQQKDAdDb250b3NvMRgwFgYDVQQDDA9Db250b3NvIFJvb3QgQ0EwHhcN",
    "MjYxMTI4MDU1NDI3WhcNMjcxMTI4MDU1NDI3WjA5MQswCQYDVQQGEwJVUzEQMA4GA1UECgwHQ29udG9zbzEYMBYGA1UEAwwP",
    "b3dhLmNvbnRvc28uY29tMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEMEVLkX9YUmcXiPzPp2sYsBkHcTnxGT3Hwkvt4UG7",
    "sHU0JuJLYOjXoZHvYZvXHg/fY9JrPqX/q/2bgQsi11Ke3KOCAQ8wggELMC4GA1UdEQQnMCWCD293YS5jb250b3NvLmNvbYIS",
    "bGVnYWN5LmNvbnRvc28uY29tMAkGA1UdEwQCMAAwEwYDVR0lBAwwCgYIKwYBBQUHAwEwOAYIKwYBBQUHAQEELDAqMCgGCCsG",
    "AQUFBzAChhxodHRwOi8vY2EuY29udG9zby5jb20vY2EuY3J0MC0GA1UdHwQmMCQwIqAgoB6GHGh0dHA6Ly9jYS5jb250b3Nv",
    "LmNvbS9jYS5jcmwwEAYDVR0gBAkwBzAFBgMqAwQwHQYDVR0OBBYEFFCYBW8wGJrpa09OxYvwoLYuv5MIMB8GA1UdIwQYMBaA",
    "FHldCgXjt5uwDlYCg3ff3hakO0Q3MAoGCCqGSM49BAMCA0gAMEUCICphHPeaHru5IA16l1lxSsxXBmJKk7CDEbVKdyxmwy/0",
    "AiEAo3NalD4bDVMUtKtxAivUzxIy92x7wv1MyoruoCM00UkxJTAjBgkqhkiG9w0BCRUxFgQUeFRIIOI7n8b1kKI7xHmoq0aY",
    "O2QwggFDBgkqhkiG9w0BBwGgggE0BIIBMDCCASwwggEoBgsqhkiG9w0BDAoBAqCB8TCB7jBZBgkqhkiG9w0BBQ0wTDArBgkq",
    "hkiG9w0BBQwwHgQIsfeQBFuexoYCBACYloAwDAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEE2vb11kVotD3K0WQoTdvh4E",
    "gZDw1DokZzCch2UOxYuu8b+DB//QooEswmQQUxPvOdNZHsLKtGQCmO1ql4m0/qDjJnyy8e4+Cxm5Bfkr3Xdwv68PniEhfORS",
    "X19bJlOXzXRKCCxsDGlH1xCIS5hnSHHHhXR7p+q6vhuPZqS5uBBkZRtJkKBw+jrzm/S4j8wjshCB/Q0qcT/iHDXjP7QraYE9",
    "9qgxJTAjBgkqhkiG9w0BCRUxFgQUeFRIIOI7n8b1kKI7xHmoq0aYO2Q=",
];

fn b64(lines: &[&str]) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(lines.concat())
        .expect("valid Base64")
}

/// DER header: (tag, offset of the contents, offset of the end).
fn tlv(b: &[u8], at: usize) -> (u8, usize, usize) {
    let tag = b[at];
    let first = b[at + 1] as usize;
    if first < 0x80 {
        return (tag, at + 2, at + 2 + first);
    }
    let n = first & 0x7f;
    let len = b[at + 2..at + 2 + n]
        .iter()
        .fold(0usize, |l, &x| (l << 8) | x as usize);
    (tag, at + 2 + n, at + 2 + n + len)
}

fn der(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    if body.len() < 0x80 {
        out.push(body.len() as u8);
    } else {
        let len = body.len().to_be_bytes();
        let skip = len.iter().take_while(|&&x| x == 0).count();
        out.push(0x80 | (len.len() - skip) as u8);
        out.extend_from_slice(&len[skip..]);
    }
    out.extend_from_slice(body);
    out
}

/// The same file with its key-bag ContentInfo repeated `copies` times in the authenticated
/// safe: each copy is decrypted on its own, each with a 10,000,000-iteration derivation.
fn many_slow_bags(copies: usize) -> Vec<u8> {
    let pfx = b64(&ONE_SLOW_BAG_PFX);
    let (_, body, _) = tlv(&pfx, 0);
    let (_, _, version_end) = tlv(&pfx, body);
    let version = &pfx[body..version_end];
    // authSafe ContentInfo { data OID, [0] { OCTET STRING { AuthenticatedSafe } } }
    let (_, ci, _) = tlv(&pfx, version_end);
    let (_, _, oid_end) = tlv(&pfx, ci);
    let oid = &pfx[ci..oid_end];
    let (_, wrapped, _) = tlv(&pfx, oid_end);
    let (_, safe_at, safe_end) = tlv(&pfx, wrapped);
    let safe = &pfx[safe_at..safe_end];
    let (_, first, end) = tlv(safe, 0);
    let (_, _, second) = tlv(safe, first);
    let (certs, keys) = (&safe[first..second], &safe[second..end]);
    let mut infos = certs.to_vec();
    for _ in 0..copies {
        infos.extend_from_slice(keys);
    }
    let safe = der(0x30, &infos);
    let ci = der(0x30, &[oid, &der(0xa0, &der(0x04, &safe))].concat());
    der(0x30, &[version, &ci[..]].concat())
}

#[test]
fn the_slow_bag_fixture_is_what_it_says() {
    let pfx = many_slow_bags(0);
    // Without the key bag only the certificate is left, and reading it costs no derivation.
    let contents = pkcs12::read(&pfx, Some(b"fuzz")).expect("the certificate-only file reads");
    assert_eq!(contents.certificates.len(), 1);
    assert!(contents.keys.is_empty());
    assert!(contents.profile.contains("no MAC"), "{}", contents.profile);
    let cert = excert::cert::inspect::CertificateInfo::from_der(&contents.certificates[0].der)
        .expect("the certificate parses");
    assert_eq!(cert.subject, "CN=owa.contoso.com, O=Contoso, C=US");
    // One more iteration than allowed in a single derivation is refused at once.
    let mut over = b64(&ONE_SLOW_BAG_PFX);
    let at = over
        .windows(6)
        .position(|w| w == [0x02, 0x04, 0x00, 0x98, 0x96, 0x80])
        .expect("the INTEGER 10000000 of the key bag's PBKDF2 parameters");
    over[at + 5] = 0x81;
    let e = pkcs12::read(&over, Some(b"fuzz")).expect_err("10,000,001 iterations are refused");
    assert!(e.message.contains("10000001"), "{}", e.message);
}

/// `formats::pkcs12` caps each key derivation at 10,000,000 iterations "so that a hostile file
/// cannot stall it" (pbe.rs MAX_ITERATIONS), but not the file: every encrypted ContentInfo and
/// every shrouded key bag gets its own derivation, and the reader tries each password candidate
/// on each. This 7 KB file has 20 key bags at the cap — 200 million PBKDF2 iterations — and
/// `read` works through all of them before answering (30.6 s in a release build on the 2-core
/// machine; each further 330 bytes add 1.5 s, so a 70 KB file takes about 5 minutes); an import
/// through the C ABI or Import-ExchangeCertificate hangs as long. Before the fix this test
/// takes that long too: run it with `--release` (a debug build is far slower still). Found while writing the `pkcs12` fuzz target (the
/// fuzzer itself did not build such a file in its runs).
#[test]
fn a_file_with_many_capped_derivations_is_refused() {
    let pfx = many_slow_bags(20);
    assert!(
        pfx.len() < 8 * 1024,
        "the hostile file is small: {} bytes",
        pfx.len()
    );
    let e = match pkcs12::read(&pfx, Some(b"fuzz")) {
        Ok(c) => panic!(
            "read all {} key bags, one 10,000,000-iteration derivation each, instead of refusing a \
             file that asks for 200,000,000 iterations in total",
            c.keys.len()
        ),
        Err(e) => e,
    };
    assert!(
        matches!(e.code, Code::MalformedData | Code::UnsupportedProfile),
        "{:?}: {}",
        e.code,
        e.message
    );
    assert!(e.message.contains("iterations"), "{}", e.message);
}

/// Found by the `pkcs12` fuzz target in CI: a content with an indefinite length whose inner
/// element claims a length near `usize::MAX`. yasna 0.5 adds it to its position without an
/// overflow check, which panics where overflow checks are on (debug builds, the fuzz build).
/// The reader must answer with an error, not a panic.
#[test]
fn a_length_near_usize_max_is_damaged_data_not_a_panic() {
    let data = include_bytes!("fuzz_inputs/pkcs12-yasna-length-overflow.bin");
    for password in [Some(&b"fuzz"[..]), None] {
        let outcome = std::panic::catch_unwind(|| pkcs12::read(data, password));
        let e = outcome
            .expect("no panic")
            .expect_err("not a readable PKCS#12 file");
        assert!(
            matches!(
                e.code,
                Code::MalformedData | Code::WrongPassword | Code::UnsupportedProfile
            ),
            "{:?}: {}",
            e.code,
            e.message
        );
    }
}
