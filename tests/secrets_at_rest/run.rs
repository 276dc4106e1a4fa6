//! A store taken through every operation the C ABI has, keeping every key it held.

use super::*;

/// The thumbprint of a certificate answer.
pub(crate) fn thumb(a: &Value) -> String {
    a["Certificate"]["Thumbprint"].as_str().unwrap().to_string()
}

/// What `everything` made along the way, by what each is for.
pub(crate) struct Made {
    pub(crate) rsa: String,
    /// Completed from a CA response.
    pub(crate) owa: String,
    pub(crate) pending_rsa: String,
    /// A PFX openssl wrote, and the thumbprint of its leaf once imported on EX02.
    pub(crate) theirs: Vec<u8>,
    pub(crate) leaf: String,
    /// Renewed from `p256` with a key that is not exportable.
    pub(crate) renewed: String,
}

/// A store taken through every operation; returns the ABI transcript and the keys it held.
pub(crate) struct Run {
    pub(crate) store: TempStore,
    pub(crate) scratch: tempfile::TempDir,
    pub(crate) ca: Ca,
    pub(crate) abi: Abi,
    /// Every key the store held at some point, with a name.
    pub(crate) keys: Vec<(String, Vec<u8>)>,
    /// Thumbprints of certificates removed along the way.
    pub(crate) removed_keys: Vec<Vec<u8>>,
}

impl Run {
    pub(crate) fn new() -> Run {
        let store = TempStore::new();
        let abi = Abi {
            root: store.root(),
            transcript: Vec::new(),
        };
        Run {
            store,
            scratch: tempfile::tempdir().unwrap(),
            ca: Ca::new(),
            abi,
            keys: Vec::new(),
            removed_keys: Vec::new(),
        }
    }

    /// Records every key file now in the store.
    pub(crate) fn note_keys(&mut self) {
        for (path, der) in key_files(self.store.path()) {
            if !self.keys.iter().any(|(_, k)| *k == der) {
                let name = path
                    .strip_prefix(self.store.path())
                    .unwrap()
                    .display()
                    .to_string();
                self.keys.push((name, der));
            }
        }
    }

    pub(crate) fn key_of(&self, server: &str, thumb: &str) -> Vec<u8> {
        fs::read(
            self.store
                .path()
                .join("servers")
                .join(server)
                .join("certs")
                .join(thumb)
                .join("key.p8"),
        )
        .unwrap()
    }

    /// Every operation, then every refusal around a password, then removals.
    pub(crate) fn everything(&mut self) {
        let (rsa, p256, p384) = self.new_certificates();
        let (owa, pending_rsa) = self.requests();
        let (theirs, leaf) = self.pfx_files(&rsa);
        let renewed = self.read_renew_export([&rsa, &p256, &p384, &owa, &pending_rsa]);
        let made = Made {
            rsa,
            owa,
            pending_rsa,
            theirs,
            leaf,
            renewed,
        };
        self.refusals(&made);
        self.removals(&made);
    }

    /// Self-signed RSA, P-256 and P-384 certificates; returns their thumbprints.
    pub(crate) fn new_certificates(&mut self) -> (String, String, String) {
        let abi = &mut self.abi;
        let rsa = abi.ok(
            "new RSA",
            excert_certificate_new,
            json!({"Server": "EX01", "SubjectName": "O=Contoso,CN=mail.contoso.com",
                   "DomainName": ["mail.contoso.com", "autodiscover.contoso.com"],
                   "PrivateKeyExportable": true, "Services": "IIS, SMTP", "Force": true}),
        );
        let rsa = thumb(&rsa);
        let p256 = abi.ok(
            "new P-256",
            excert_certificate_new,
            json!({"Server": "EX01", "SubjectName": "CN=imap.contoso.com", "KeyAlgorithm": "ECDSA_P256",
                   "Services": "IMAP, POP", "Force": true}),
        );
        let p256 = thumb(&p256);
        let p384 = abi.ok(
            "new P-384",
            excert_certificate_new,
            json!({"Server": "EX01", "SubjectName": "CN=spare.contoso.com", "KeyAlgorithm": "ECDSA_P384",
                   "PrivateKeyExportable": true, "Services": "None"}),
        );
        let p384 = thumb(&p384);
        self.note_keys();
        (rsa, p256, p384)
    }

    /// A request completed by a CA response (and enabled), and one left pending; returns
    /// their thumbprints.
    pub(crate) fn requests(&mut self) -> (String, String) {
        let abi = &mut self.abi;
        let req = abi.ok(
            "request",
            excert_request_new,
            json!({"Server": "EX01", "SubjectName": "CN=owa.contoso.com", "DomainName": ["owa.contoso.com"],
                   "KeyAlgorithm": "ECDSA_P256", "PrivateKeyExportable": true}),
        );
        let pending_rsa = abi.ok(
            "request RSA",
            excert_request_new,
            json!({"Server": "EX01", "SubjectName": "CN=later.contoso.com"}),
        );
        let pending_rsa = thumb(&pending_rsa);
        self.note_keys();
        let csr = req["Request"].as_str().unwrap();
        fs::write(
            self.ca.path("owa.csr"),
            csr.replace("NEW CERTIFICATE REQUEST", "CERTIFICATE REQUEST"),
        )
        .unwrap();
        self.ca.sign("owa.csr", "int", "owa.pem", 365);
        let response = [
            self.ca.read("owa.pem"),
            self.ca.read("int.pem"),
            self.ca.read("root.pem"),
        ]
        .concat();
        let abi = &mut self.abi;
        let done = abi
            .call_secret(
                "import CA response",
                excert_certificate_import,
                json!({"Server": "EX01", "FileData": b64(&response)}),
                None,
            )
            .unwrap();
        let owa = done["Certificates"][0]["Thumbprint"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(done["Certificates"][0]["HasPrivateKey"], true);
        abi.ok(
            "enable completed",
            excert_certificate_enable,
            json!({"Server": "EX01", "Thumbprint": owa, "Services": "IIS", "Force": true}),
        );
        (owa, pending_rsa)
    }

    /// PFX files: ours (Modern and Legacy) onto another server, and one openssl wrote; returns
    /// openssl's PFX and its leaf's thumbprint.
    pub(crate) fn pfx_files(&mut self, rsa: &str) -> (Vec<u8>, String) {
        let abi = &mut self.abi;
        for profile in ["Modern", "Legacy"] {
            let pfx = abi
                .call_secret(
                    "export PFX",
                    excert_certificate_export,
                    json!({"Server": "EX01", "Thumbprint": rsa, "Encryption": profile}),
                    Some(PASSWORD),
                )
                .unwrap();
            assert_eq!(pfx["Format"], "Pkcs12");
            if profile == "Legacy" {
                let got = abi
                    .call_secret(
                        "import PFX",
                        excert_certificate_import,
                        json!({"Server": "EX02", "FileData": pfx["FileData"], "PrivateKeyExportable": true}),
                        Some(PASSWORD),
                    )
                    .unwrap();
                assert_eq!(got["Certificates"][0]["Thumbprint"], rsa);
            } else {
                // The PFX holds the key (encrypted): openssl opens it with the password.
                let scratch = self.scratch.path();
                let file = common::write(
                    scratch,
                    "export.pfx",
                    &unb64(pfx["FileData"].as_str().unwrap()),
                );
                let stored = self
                    .store
                    .path()
                    .join("servers/EX01/certs")
                    .join(rsa)
                    .join("key.p8");
                let pass = format!("pass:{PASSWORD}");
                let key_pem = openssl(&[
                    "pkcs12", "-in", &file, "-passin", &pass, "-nocerts", "-nodes",
                ]);
                let key_file = common::write(scratch, "export.key.pem", key_pem.as_bytes());
                // Both through openssl, which writes one canonical encoding.
                let exported = openssl(&["pkey", "-in", &key_file, "-text", "-noout"]);
                let kept = openssl(&[
                    "pkey",
                    "-inform",
                    "DER",
                    "-in",
                    stored.to_str().unwrap(),
                    "-text",
                    "-noout",
                ]);
                fs::remove_file(&key_file).unwrap();
                assert!(
                    exported == kept,
                    "the exported PFX does not hold the stored key"
                );
            }
        }
        let theirs = self.ca.leaf_pfx(PASSWORD, &["-legacy"]);
        let abi = &mut self.abi;
        let got = abi
            .call_secret(
                "import openssl PFX",
                excert_certificate_import,
                json!({"Server": "EX02", "FileData": b64(&theirs)}),
                Some(PASSWORD),
            )
            .unwrap();
        let leaf = got["Certificates"][0]["Thumbprint"]
            .as_str()
            .unwrap()
            .to_string();
        abi.ok(
            "enable on EX02",
            excert_certificate_enable,
            json!({"Server": "EX02", "Thumbprint": rsa, "Services": "SMTP, IMAP", "Force": true}),
        );
        self.note_keys();
        (theirs, leaf)
    }

    /// Reading, renewing, exporting without a key; returns the renewed P-256 certificate.
    pub(crate) fn read_renew_export(
        &mut self,
        [rsa, p256, p384, owa, pending_rsa]: [&String; 5],
    ) -> String {
        let abi = &mut self.abi;
        abi.ok(
            "list EX01",
            excert_certificate_list,
            json!({"Server": "EX01"}),
        );
        abi.ok(
            "list all",
            excert_certificate_list,
            json!({"Server": "*", "ExpiryWarningDays": 4000}),
        );
        for t in [&rsa, &p256, &p384, &owa, &pending_rsa] {
            abi.ok(
                "get",
                excert_certificate_get,
                json!({"Server": "EX01", "Thumbprint": t}),
            );
        }
        let renewed = abi.ok(
            "renew",
            excert_certificate_renew,
            json!({"Server": "EX01", "Thumbprint": p256, "Force": true}),
        );
        let renewed = thumb(&renewed);
        abi.ok(
            "renew as request",
            excert_certificate_renew,
            json!({"Server": "EX01", "Thumbprint": p384, "GenerateRequest": true}),
        );
        for (t, what) in [
            (&p384, "export certificate"),
            (&pending_rsa, "export request"),
        ] {
            abi.call_secret(
                what,
                excert_certificate_export,
                json!({"Server": "EX01", "Thumbprint": t}),
                None,
            )
            .unwrap();
        }
        self.note_keys();
        renewed
    }

    /// Removals: the keys must go from the store, live folders included.
    pub(crate) fn removals(&mut self, made: &Made) {
        self.note_keys();
        for (server, t) in [
            ("EX01", &made.rsa),
            ("EX01", &made.owa),
            ("EX02", &made.leaf),
        ] {
            let key = self.key_of(server, t);
            self.abi.ok(
                "remove",
                excert_certificate_remove,
                json!({"Server": server, "Thumbprint": t, "Force": true}),
            );
            self.removed_keys.push(key);
        }
    }
}
