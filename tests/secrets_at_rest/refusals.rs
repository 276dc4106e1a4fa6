//! The refusals around a password: wrong, missing, not needed, and exports that cannot be.

use super::*;

impl Run {
    /// Refusals and warnings around the password, each with its error name or warning.
    pub(crate) fn refusals(&mut self, made: &Made) {
        let Made {
            rsa,
            pending_rsa,
            theirs,
            renewed,
            ..
        } = made;
        let pfx = theirs.clone();
        let abi = &mut self.abi;
        for wrong in WRONG {
            abi.refused(
                "import, wrong password",
                excert_certificate_import,
                json!({"Server": "EX03", "FileData": b64(&pfx)}),
                Some(wrong),
                "WrongPassword",
            );
        }
        abi.refused(
            "import, no password",
            excert_certificate_import,
            json!({"Server": "EX03", "FileData": b64(&pfx)}),
            None,
            "WrongPassword",
        );
        abi.refused(
            "import again",
            excert_certificate_import,
            json!({"Server": "EX02", "FileData": b64(&pfx)}),
            Some(PASSWORD),
            "AlreadyExists",
        );
        let mut cut = pfx.clone();
        cut.truncate(pfx.len() / 2);
        match abi.call_secret(
            "import truncated PFX",
            excert_certificate_import,
            json!({"Server": "EX03", "FileData": b64(&cut)}),
            Some(PASSWORD),
        ) {
            Err(e) => assert_eq!(e["Name"], "MalformedData", "{e}"),
            Ok(a) => panic!("a truncated PFX was imported: {a}"),
        }
        let mut flipped = pfx.clone();
        let at = flipped.len() - 40;
        flipped[at] ^= 0x55;
        // 40 bytes from the end of openssl's PFX is the MAC's digest OID (1.3.14.3.2.26, SHA-1):
        // flipped, it names an algorithm no one reads.
        abi.refused(
            "import corrupted PFX",
            excert_certificate_import,
            json!({"Server": "EX03", "FileData": b64(&flipped)}),
            Some(PASSWORD),
            "UnsupportedProfile",
        );
        let cert_only = self.ca.der("leaf.pem");
        let warned = abi
            .call_secret(
                "import certificate with password",
                excert_certificate_import,
                json!({"Server": "EX03", "FileData": b64(&cert_only)}),
                Some(PASSWORD),
            )
            .unwrap();
        // A certificate without its key gets the keyless warning too; the password one is last.
        let warnings = warned["Warnings"].as_array().unwrap();
        assert_eq!(
            warnings.last().unwrap(),
            "A password was given but the data is not a PFX file; it was not needed",
            "{warned}"
        );
        assert!(
            warnings[0]
                .as_str()
                .unwrap()
                .contains("imported without a private key"),
            "{warned}"
        );
        abi.refused(
            "export not exportable",
            excert_certificate_export,
            json!({"Server": "EX01", "Thumbprint": renewed}),
            Some(PASSWORD),
            "NotExportable",
        );
        let keyless = abi
            .call_secret(
                "import CA certificate",
                excert_certificate_import,
                json!({"Server": "EX03", "FileData": b64(&self.ca.der("int.pem"))}),
                None,
            )
            .unwrap();
        let keyless = keyless["Certificates"][0]["Thumbprint"]
            .as_str()
            .unwrap()
            .to_string();
        abi.refused(
            "export without key",
            excert_certificate_export,
            json!({"Server": "EX03", "Thumbprint": keyless}),
            Some(PASSWORD),
            "NoPrivateKey",
        );
        abi.refused(
            "export, unknown profile",
            excert_certificate_export,
            json!({"Server": "EX01", "Thumbprint": rsa, "Encryption": "Bogus"}),
            Some(PASSWORD),
            "InvalidArgument",
        );
        abi.refused(
            "export, unknown certificate",
            excert_certificate_export,
            json!({"Server": "EX01", "Thumbprint": "00".repeat(20)}),
            Some(PASSWORD),
            "NotFound",
        );
        let pending_export = abi
            .call_secret(
                "export request with password",
                excert_certificate_export,
                json!({"Server": "EX01", "Thumbprint": pending_rsa}),
                Some(PASSWORD),
            )
            .unwrap();
        assert_eq!(
            pending_export["Warnings"],
            json!([
                "A pending request exports as its PKCS#10, which holds no key: the password \
                    was not used"
            ]),
            "{pending_export}"
        );
        let e = abi
            .call(
                "enable pending",
                excert_certificate_enable,
                json!({"Server": "EX01", "Thumbprint": pending_rsa, "Services": "IIS"}),
            )
            .unwrap_err();
        assert_eq!(e["Name"], "PendingRequest", "{e}");
    }
}
