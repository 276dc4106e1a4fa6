//! Leaf signatures verified once are remembered in the store (`signatures`), so a warm listing
//! of CA-issued certificates verifies no signature again; the record is keyed on both
//! certificates' SHA-256 and used only when nobody else could have written it.
#![cfg(unix)]

mod common;

use common::TempStore;
use excert::cert::chain::{signature_key, Status};
use excert::model::{ImportRequest, ListRequest};
use excert::ops;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use std::fs;
use std::os::unix::fs::PermissionsExt;

fn import(store: &TempStore, der: &[u8], trusted_root: bool) {
    ops::import(
        &ImportRequest {
            store_root: Some(store.root()),
            file_data: der.to_vec(),
            trusted_root,
            ..Default::default()
        },
        None,
    )
    .unwrap();
}

/// Status of each listed certificate by its serial number, and the warnings.
fn list(store: &TempStore) -> (Vec<(String, Status)>, Vec<String>) {
    let a = ops::list_certificates(&ListRequest {
        store_root: Some(store.root()),
        ..Default::default()
    })
    .unwrap();
    let mut statuses: Vec<_> = a
        .certificates
        .into_iter()
        .map(|c| (c.serial_number, c.status))
        .collect();
    statuses.sort_by(|a, b| a.0.cmp(&b.0));
    (statuses, a.warnings)
}

/// What a leaf with a good signature under a trusted root shows: these test certificates name
/// no CRL or OCSP responder, so their (otherwise valid) chain cannot be checked for revocation.
const WELL_SIGNED: Status = Status::RevocationCheckFailure;

fn remembered(store: &TempStore) -> Vec<u8> {
    fs::read(store.path().join("signatures")).unwrap_or_default()
}

#[test]
fn good_signatures_are_remembered_and_a_record_others_could_write_is_not_used() {
    let store = TempStore::new();
    let root_key = KeyPair::generate().unwrap();
    let mut p = CertificateParams::new(Vec::new()).unwrap();
    p.distinguished_name
        .push(DnType::CommonName, "Contoso Root");
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let root = p.self_signed(&root_key).unwrap();
    let leaf = |serial: u8| {
        let mut p = CertificateParams::new(vec!["mail.contoso.com".to_string()]).unwrap();
        p.serial_number = Some(vec![serial].into());
        p.signed_by(&KeyPair::generate().unwrap(), &root, &root_key)
            .unwrap()
            .der()
            .to_vec()
    };
    import(&store, root.der(), true);
    let good = leaf(1);
    import(&store, &good, false);
    // Same certificate, one bit of its signature flipped: still DER, no longer signed.
    let mut forged = leaf(2);
    *forged.last_mut().unwrap() ^= 1;
    import(&store, &forged, false);

    let (statuses, _) = list(&store);
    assert_eq!(
        statuses,
        [("01".into(), WELL_SIGNED), ("02".into(), Status::Invalid)]
    );
    let first = remembered(&store);
    let good_key = signature_key(&good, root.der());
    assert_eq!(&first[first.len() - 32..], good_key.as_slice(), "one key");
    assert_eq!(
        list(&store).0,
        statuses,
        "the warm listing answers the same"
    );
    assert_eq!(
        remembered(&store),
        first,
        "nothing new learned, nothing written"
    );

    // The record is believed when only the caller could have written it: a forged entry for
    // the forged leaf makes it pass (which is why the file is judged like every store file) ...
    let path = store.path().join("signatures");
    let mut bytes = first.clone();
    bytes.extend_from_slice(&signature_key(&forged, root.der()));
    fs::write(&path, &bytes).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(list(&store).0[1], ("02".into(), WELL_SIGNED));
    // ... and is not used, with a warning, once others could have written it.
    fs::set_permissions(&path, fs::Permissions::from_mode(0o666)).unwrap();
    let (statuses, warnings) = list(&store);
    assert_eq!(statuses[1], ("02".into(), Status::Invalid));
    assert!(
        warnings
            .iter()
            .any(|w| w.contains(&path.display().to_string()) && w.contains("chmod go-w")),
        "{warnings:?}"
    );
    // A damaged record is not used either; the next listing writes a good one again.
    fs::write(&path, b"excert-signatures-2\nshort").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(list(&store).0[1], ("02".into(), Status::Invalid));
    assert_eq!(remembered(&store), first);
}
