//! Round trips through the writer and the reader, and what each profile writes.

use super::*;
use crate::Code;

struct Fixture {
    cert: Vec<u8>,
    key: Vec<u8>,
    chain: Vec<Vec<u8>>,
}

fn fixture() -> Fixture {
    let leaf = rcgen::generate_simple_self_signed(vec!["mail.contoso.com".to_string()]).unwrap();
    let ca = rcgen::generate_simple_self_signed(vec!["ca.contoso.com".to_string()]).unwrap();
    Fixture {
        cert: leaf.cert.der().to_vec(),
        key: leaf.key_pair.serialize_der(),
        chain: vec![ca.cert.der().to_vec()],
    }
}

fn item<'a>(f: &'a Fixture, name: Option<&'a str>) -> ExportItem<'a> {
    ExportItem {
        certificate_der: &f.cert,
        private_key_pkcs8: Some(&f.key),
        chain_der: &f.chain,
        friendly_name: name,
    }
}

fn sha1(data: &[u8]) -> Vec<u8> {
    use sha1::Digest;
    sha1::Sha1::digest(data).to_vec()
}

fn check_contents(c: &Contents, f: &Fixture, name: Option<&str>) {
    assert_eq!(c.certificates.len(), 2);
    let leaf = &c.certificates[0];
    assert_eq!(leaf.der, f.cert);
    assert_eq!(leaf.friendly_name.as_deref(), name);
    assert_eq!(leaf.local_key_id.as_deref(), Some(&sha1(&f.cert)[..]));
    assert_eq!(c.certificates[1].der, f.chain[0]);
    assert_eq!(c.certificates[1].friendly_name, None);
    assert_eq!(c.certificates[1].local_key_id, None);
    assert_eq!(c.keys.len(), 1);
    assert_eq!(&c.keys[0].pkcs8[..], &f.key[..]);
    assert_eq!(c.keys[0].friendly_name.as_deref(), name);
    assert_eq!(c.keys[0].local_key_id, leaf.local_key_id);
}

#[test]
fn modern_round_trip() {
    let f = fixture();
    let pfx = write(
        &item(&f, Some("Contoso mail")),
        b"s3cret",
        Profile::Modern,
        2048,
    )
    .unwrap();
    let c = read(&pfx, Some(b"s3cret")).unwrap();
    check_contents(&c, &f, Some("Contoso mail"));
    assert_eq!(
        c.profile,
        "PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC, MAC SHA-256"
    );
}

#[test]
fn legacy_round_trip() {
    let f = fixture();
    let pfx = write(
        &item(&f, Some("Contoso mail")),
        b"s3cret",
        Profile::Legacy,
        2048,
    )
    .unwrap();
    let c = read(&pfx, Some(b"s3cret")).unwrap();
    check_contents(&c, &f, Some("Contoso mail"));
    assert_eq!(c.profile, "PBE-SHA1-3DES, MAC SHA-1");
}

#[test]
fn every_option_round_trips_with_its_profile_name() {
    let f = fixture();
    let cases = [
        (
            Encryption::TripleDes,
            Encryption::Rc2_40,
            MacAlgorithm::Sha1,
            "key PBE-SHA1-3DES, certificates PBE-SHA1-RC2-40, MAC SHA-1",
        ),
        (
            Encryption::Rc2_128,
            Encryption::Aes128,
            MacAlgorithm::Sha512,
            "key PBE-SHA1-RC2-128, certificates PBES2/PBKDF2-HMAC-SHA256/AES-128-CBC, \
             MAC SHA-512",
        ),
        (
            Encryption::None,
            Encryption::None,
            MacAlgorithm::Sha384,
            "unencrypted, MAC SHA-384",
        ),
        (
            Encryption::Aes256,
            Encryption::None,
            MacAlgorithm::None,
            "key PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC, certificates unencrypted, no MAC",
        ),
    ];
    for (key, certificates, mac, profile) in cases {
        let options = Options {
            key,
            certificates,
            mac,
            iterations: 7,
        };
        let pfx = write_with(&item(&f, None), b"pw", &options).unwrap();
        let c = read(&pfx, Some(b"pw")).unwrap();
        check_contents(&c, &f, None);
        assert_eq!(c.profile, profile);
    }
}

#[test]
fn without_a_key_only_certificates_and_no_local_key_id() {
    let f = fixture();
    let it = ExportItem {
        private_key_pkcs8: None,
        ..item(&f, Some("n"))
    };
    let c = read(
        &write(&it, b"pw", Profile::Modern, 10).unwrap(),
        Some(b"pw"),
    )
    .unwrap();
    assert_eq!(c.certificates.len(), 2);
    assert!(c.keys.is_empty());
    assert_eq!(c.certificates[0].local_key_id, None);
    assert_eq!(c.certificates[0].friendly_name.as_deref(), Some("n"));
    assert_eq!(
        c.profile,
        "PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC, MAC SHA-256"
    );
}

#[test]
fn wrong_password_is_refused_without_echoing_it() {
    let f = fixture();
    for profile in [Profile::Modern, Profile::Legacy] {
        let pfx = write(&item(&f, None), b"right-one", profile, 100).unwrap();
        let err = read(&pfx, Some(b"wrong-one")).unwrap_err();
        assert_eq!(err.code, Code::WrongPassword);
        assert!(!err.message.contains("wrong-one") && !err.message.contains("right-one"));
        assert_eq!(read(&pfx, None).unwrap_err().code, Code::WrongPassword);
    }
    // Without a MAC the padding check has to catch it.
    let options = Options {
        mac: MacAlgorithm::None,
        ..Options::profile(Profile::Legacy, 100)
    };
    let pfx = write_with(&item(&f, None), b"right-one", &options).unwrap();
    assert_eq!(
        read(&pfx, Some(b"wrong-one")).unwrap_err().code,
        Code::WrongPassword
    );
    assert!(read(&pfx, Some(b"right-one")).is_ok());
}

#[test]
fn non_ascii_and_empty_passwords() {
    let f = fixture();
    for profile in [Profile::Modern, Profile::Legacy] {
        let pw = "Pässwörd-日本-😀".as_bytes();
        let pfx = write(&item(&f, Some("Zertifikat für Köln")), pw, profile, 50).unwrap();
        let c = read(&pfx, Some(pw)).unwrap();
        check_contents(&c, &f, Some("Zertifikat für Köln"));
        assert_eq!(
            read(&pfx, Some("Passwörd".as_bytes())).unwrap_err().code,
            Code::WrongPassword
        );

        let pfx = write(&item(&f, None), b"", profile, 50).unwrap();
        check_contents(&read(&pfx, Some(b"")).unwrap(), &f, None);
        check_contents(&read(&pfx, None).unwrap(), &f, None);
    }
}

#[test]
fn empty_truncated_and_random_data() {
    assert_eq!(read(&[], Some(b"pw")).unwrap_err().code, Code::EmptyData);
    let f = fixture();
    let pfx = write(&item(&f, None), b"pw", Profile::Modern, 10).unwrap();
    for cut in [1, 10, pfx.len() / 2, pfx.len() - 1] {
        let err = read(&pfx[..cut], Some(b"pw")).unwrap_err();
        assert_eq!(err.code, Code::MalformedData, "cut at {cut}");
    }
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let random: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    assert_eq!(
        read(&random, Some(b"pw")).unwrap_err().code,
        Code::MalformedData
    );
    // A certificate is DER but not PKCS#12.
    assert_eq!(read(&f.cert, None).unwrap_err().code, Code::MalformedData);
}

#[test]
fn tampering_fails_the_mac() {
    let f = fixture();
    let mut pfx = write(&item(&f, None), b"pw", Profile::Modern, 10).unwrap();
    let middle = pfx.len() / 2;
    pfx[middle] ^= 1;
    assert_eq!(
        read(&pfx, Some(b"pw")).unwrap_err().code,
        Code::WrongPassword
    );
}

#[test]
fn write_rejects_bad_input() {
    let f = fixture();
    let err = write(&item(&f, None), b"pw", Profile::Modern, 0).unwrap_err();
    assert_eq!(err.code, Code::InvalidArgument);
    let err = write(&item(&f, None), &[0xff, 0xfe], Profile::Modern, 1).unwrap_err();
    assert_eq!(err.code, Code::InvalidUtf8);
    let pem = b"-----BEGIN CERTIFICATE-----".to_vec();
    let bad = ExportItem {
        certificate_der: &pem,
        ..item(&f, None)
    };
    assert_eq!(
        write(&bad, b"pw", Profile::Modern, 1).unwrap_err().code,
        Code::InvalidArgument
    );
    let empty = ExportItem {
        certificate_der: &[],
        ..item(&f, None)
    };
    assert_eq!(
        write(&empty, b"pw", Profile::Modern, 1).unwrap_err().code,
        Code::EmptyData
    );
    let key = [0x30, 0x03, 0x02, 0x01];
    let bad_key = ExportItem {
        private_key_pkcs8: Some(&key),
        ..item(&f, None)
    };
    assert_eq!(
        write(&bad_key, b"pw", Profile::Modern, 1).unwrap_err().code,
        Code::InvalidArgument
    );
}

#[test]
fn written_files_are_der() {
    let f = fixture();
    for profile in [Profile::Modern, Profile::Legacy] {
        let pfx = write(&item(&f, Some("x")), b"pw", profile, 10).unwrap();
        yasna::parse_der(&pfx, |r| r.read_der()).expect("outer DER");
        assert_eq!(&pfx[..2], &[0x30, 0x82]);
    }
}

#[test]
fn profile_names_parse() {
    assert_eq!("modern".parse::<Profile>().unwrap(), Profile::Modern);
    assert_eq!("Legacy".parse::<Profile>().unwrap(), Profile::Legacy);
    assert_eq!(
        "rc2".parse::<Profile>().unwrap_err().code,
        Code::InvalidArgument
    );
    assert_eq!(Profile::default().name(), "Modern");
}

#[test]
fn debug_output_hides_keys() {
    let f = fixture();
    let pfx = write(&item(&f, None), b"pw", Profile::Modern, 10).unwrap();
    let c = read(&pfx, Some(b"pw")).unwrap();
    let shown = format!("{c:?} {:?}", item(&f, None));
    assert!(shown.contains("<redacted>"));
    let key_hex: String = f.key[..12].iter().map(|b| format!("{b}, ")).collect();
    assert!(!shown.contains(&key_hex));
}
