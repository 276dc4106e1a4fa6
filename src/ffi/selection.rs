//! A listing that answers only the properties asked for (`"Properties"` in the request): most
//! of a 10,000-certificate answer is `RawData`'s Base64, which a caller showing a table never
//! reads. Without `Properties` the answer is the whole object, as before.

use super::answers::{ExchangeCertificate, CERTIFICATE_PROPERTIES};
use super::parse::b64;
use crate::model::{self, SCHEMA};
use crate::ops::rfc3339;
use crate::ops::Wanted;
use crate::{Error, Result};
use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

/// Which of `CERTIFICATE_PROPERTIES` an answer carries (bit i for the i-th).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Selection(u64);

impl Selection {
    pub(super) const ALL: Selection = Selection((1 << CERTIFICATE_PROPERTIES.len()) - 1);

    /// The properties named in a request (any case; order and repeats do not matter); every
    /// property when the request names none.
    pub(super) fn parse(names: Option<&[String]>) -> Result<Selection> {
        let Some(names) = names else {
            return Ok(Selection::ALL);
        };
        let mut bits = 0u64;
        for name in names {
            let i = CERTIFICATE_PROPERTIES
                .iter()
                .position(|p| p.eq_ignore_ascii_case(name.trim()))
                .ok_or_else(|| {
                    Error::invalid(format!(
                        "Properties: '{name}' is not a property of a certificate; use some of {}, or leave Properties out for all of them",
                        CERTIFICATE_PROPERTIES.join(", ")
                    ))
                })?;
            bits |= 1 << i;
        }
        Ok(Selection(bits))
    }

    /// What the listing must decode for these properties.
    pub(super) fn wanted(self) -> Wanted {
        let any = |names: &[&str]| names.iter().any(|n| self.has(n));
        Wanted {
            raw_data: any(&["RawData"]),
            names: any(&["CertificateDomains", "DnsNameList"]),
            details: any(&[
                "Issuer",
                "SerialNumber",
                "KeyAlgorithm",
                "SignatureAlgorithm",
                "SubjectKeyIdentifier",
                "EnhancedKeyUsageList",
            ]),
        }
    }

    fn has(self, name: &str) -> bool {
        CERTIFICATE_PROPERTIES
            .iter()
            .position(|p| *p == name)
            .is_some_and(|i| self.0 & (1 << i) != 0)
    }
}

/// The answer to a listing, each certificate with the selected properties only.
pub(super) struct SelectedListAnswer {
    rows: Rows,
    warnings: Vec<String>,
}

/// Every property of each certificate (the answer's objects), or some of them, each made from
/// the listing's own objects as it is written: nothing is made for a property nobody asked for.
enum Rows {
    Whole(Vec<ExchangeCertificate>),
    Some(Vec<model::ExchangeCertificate>, Selection),
}

impl SelectedListAnswer {
    pub(super) fn new(a: model::ListAnswer, keep: Selection) -> SelectedListAnswer {
        let rows = match keep {
            Selection::ALL => Rows::Whole(
                a.certificates
                    .into_iter()
                    .map(ExchangeCertificate::from)
                    .collect(),
            ),
            keep => Rows::Some(a.certificates, keep),
        };
        SelectedListAnswer {
            rows,
            warnings: a.warnings,
        }
    }
}

impl Serialize for SelectedListAnswer {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut out = s.serialize_struct("ListAnswer", 3)?;
        out.serialize_field("Schema", &SCHEMA)?;
        match &self.rows {
            // The whole object, exactly as every other answer writes it.
            Rows::Whole(all) => out.serialize_field("Certificates", all)?,
            Rows::Some(certificates, keep) => {
                let rows: Vec<Selected<'_>> =
                    certificates.iter().map(|c| Selected(c, *keep)).collect();
                out.serialize_field("Certificates", &rows)?
            }
        }
        out.serialize_field("Warnings", &self.warnings)?;
        out.end()
    }
}

/// One certificate, its selected properties in `CERTIFICATE_PROPERTIES` order, each written
/// as `ExchangeCertificate::from` makes it (the tests compare the two).
struct Selected<'a>(&'a model::ExchangeCertificate, Selection);

impl Serialize for Selected<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let (c, keep) = (self.0, self.1);
        let mut m = s.serialize_map(None)?;
        // In `CERTIFICATE_PROPERTIES` order: the i-th field is bit i (checked by the tests).
        // Each value is only worked out when its property is selected.
        let mut bit = 1u64;
        macro_rules! fields {
            ($($name:literal => $value:expr),* $(,)?) => {
                $(if keep.0 & bit != 0 {
                    m.serialize_entry($name, &$value)?;
                }
                bit <<= 1;)*
            };
        }
        let revocation = c.revocation.as_ref();
        fields!(
            "Identity" => c.identity(),
            "Server" => c.server,
            "Thumbprint" => c.thumbprint,
            "Services" => c.services.to_string(),
            "ServicesStringForm" => c.services.string_form(),
            "Subject" => c.subject,
            "Issuer" => c.issuer,
            "NotBefore" => rfc3339(c.not_before),
            "NotAfter" => rfc3339(c.not_after),
            "Status" => c.status.as_str(),
            "RootCAType" => c.root_ca_type.as_str(),
            "CertificateDomains" => c.certificate_domains,
            "DnsNameList" => c.dns_name_list,
            "FriendlyName" => c.friendly_name,
            "HasPrivateKey" => c.has_private_key,
            "PrivateKeyExportable" => c.private_key_exportable,
            "IsSelfSigned" => c.is_self_signed,
            "SerialNumber" => c.serial_number,
            "PublicKeySize" => c.public_key_size,
            "KeyAlgorithm" => c.key_algorithm,
            "SignatureAlgorithm" => c.signature_algorithm,
            "SubjectKeyIdentifier" => c.subject_key_identifier,
            "EnhancedKeyUsageList" => c.enhanced_key_usage_list,
            "Version" => c.version,
            "RawData" => b64(&c.raw_data),
            "CertificateRequest" => c.certificate_request.as_deref().map(b64),
            "DaysUntilExpiry" => c.days_until_expiry,
            "ExpiryWarning" => c.expiry_warning,
            "LiveFiles" => c.live_files,
            "RevocationReason" => revocation.map(|r| r.reason.as_str()),
            "RevocationDate" => revocation.map(|r| rfc3339(r.date)),
            "RevocationSource" => revocation.map(|r| r.source.as_str()),
        );
        debug_assert_eq!(bit, 1 << CERTIFICATE_PROPERTIES.len());
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_property_selected_is_the_whole_object() {
        let c = super::super::answers::tests::sample_model();
        let whole = serde_json::to_string(&ExchangeCertificate::from(c.clone())).unwrap();
        assert_eq!(
            serde_json::to_string(&Selected(&c, Selection::ALL)).unwrap(),
            whole
        );
        let some = Selection::parse(Some(&["RevocationSource".into(), "Identity".into()])).unwrap();
        assert_eq!(
            serde_json::to_string(&Selected(&c, some)).unwrap(),
            r#"{"Identity":"EX01\\AB","RevocationSource":"CRL http://127.0.0.1/ca.crl"}"#
        );
    }

    #[test]
    fn names_are_checked_and_any_case() {
        assert_eq!(Selection::parse(None).unwrap(), Selection::ALL);
        let s = Selection::parse(Some(&["thumbprint".into(), " Status ".into()])).unwrap();
        assert!(s.has("Thumbprint") && s.has("Status") && !s.has("RawData"));
        let e = Selection::parse(Some(&["Thumb".into()])).unwrap_err();
        assert!(e.message.contains("'Thumb'") && e.message.contains("RawData"));
    }
}
