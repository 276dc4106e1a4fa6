//! Fixtures: PFX files exported from another server, and a CA (openssl) for request responses.

use super::*;

pub(crate) struct Fixtures {
    pub(crate) dir: tempfile::TempDir,
    pub(crate) ca: Ca,
    /// Thumbprints of the PFX files in `dir/pfx/<THUMB>.pfx`.
    pub(crate) pfx: Vec<String>,
}

impl Fixtures {
    /// PFX files exported from `SOURCE_SERVER` of `store` (Modern and Legacy) plus one made by
    /// openssl from the CA's leaf and chain.
    pub(crate) fn new(store: &TempStore, count: usize) -> Fixtures {
        let dir = tempfile::tempdir().unwrap();
        let ca = Ca::new();
        fs::create_dir(dir.path().join("pfx")).unwrap();
        let mut pfx = Vec::new();
        for i in 0..count {
            let made = ops::new_certificate(&NewCertificateRequest {
                store_root: Some(store.root()),
                server: Some(SOURCE_SERVER.into()),
                subject_name: Some(common::subject(&format!(
                    "O=Contoso,CN=shared{i}.contoso.com"
                ))),
                domain_name: vec![format!("shared{i}.contoso.com")],
                key_algorithm: Some(common::algorithm("ECDSA_P256")),
                private_key_exportable: true,
                services: Some(common::services("None")),
                ..Default::default()
            })
            .unwrap();
            let t = made.certificate.thumbprint;
            let exported = ops::export(
                &ExportRequest {
                    store_root: Some(store.root()),
                    server: Some(SOURCE_SERVER.into()),
                    thumbprint: t.clone(),
                    encryption: if i % 2 == 0 {
                        Encryption::Modern
                    } else {
                        Encryption::Legacy
                    },
                    ..Default::default()
                },
                Some(PFX_PASSWORD),
            )
            .unwrap();
            assert_eq!(exported.format.as_str(), "Pkcs12");
            fs::write(
                dir.path().join("pfx").join(format!("{t}.pfx")),
                &*exported.file_data,
            )
            .unwrap();
            pfx.push(t);
        }
        // A PFX as another product writes it: openssl, RSA leaf with its CA chain.
        let file = ca.leaf_pfx(&String::from_utf8_lossy(PFX_PASSWORD), &[]);
        let t = thumbprint(&ca.der("leaf.pem"));
        fs::write(dir.path().join("pfx").join(format!("{t}.pfx")), file).unwrap();
        pfx.push(t);
        Fixtures { dir, ca, pfx }
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }
}
