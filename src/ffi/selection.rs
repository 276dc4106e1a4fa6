//! A listing that answers only the properties asked for (`"Properties"` in the request): most
//! of a 10,000-certificate answer is `RawData`'s Base64, which a caller showing a table never
//! reads. Without `Properties` the answer is the whole object, as before.

use super::answers::CERTIFICATE_PROPERTIES;
use super::boundary::WritesJson;
use super::json_out;
use crate::model::{self, SCHEMA};
use crate::ops::Wanted;
use crate::{Error, Result};

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
    certificates: Vec<model::ExchangeCertificate>,
    keep: Selection,
    warnings: Vec<String>,
}

impl SelectedListAnswer {
    pub(super) fn new(a: model::ListAnswer, keep: Selection) -> SelectedListAnswer {
        SelectedListAnswer {
            certificates: a.certificates,
            keep,
            warnings: a.warnings,
        }
    }
}

impl WritesJson for SelectedListAnswer {
    /// `{"Schema":1,"Certificates":[...],"Warnings":[...]}`, as serde writes a `ListAnswer`.
    fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"Schema\":");
        json_out::integer(out, i64::from(SCHEMA));
        out.extend_from_slice(b",\"Certificates\":[");
        for (i, c) in self.certificates.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_selected(out, c, self.keep);
        }
        out.extend_from_slice(b"],\"Warnings\":");
        json_out::strings(out, &self.warnings);
        out.push(b'}');
    }
}

/// One certificate, its selected properties in `CERTIFICATE_PROPERTIES` order, each written as
/// the whole object (`answers::ExchangeCertificate`) serialises it (the tests compare the two).
/// Each value is worked out only when its property is selected, straight into the answer.
fn write_selected(out: &mut Vec<u8>, c: &model::ExchangeCertificate, keep: Selection) {
    use json_out::*;
    out.push(b'{');
    let mut first = true;
    // In `CERTIFICATE_PROPERTIES` order: the i-th field is bit i (checked by the tests).
    let mut bit = 1u64;
    macro_rules! fields {
        ($($name:literal => |$o:ident| $write:expr),* $(,)?) => {
            $(if keep.0 & bit != 0 {
                if !first {
                    out.push(b',');
                }
                first = false;
                out.extend_from_slice(concat!("\"", $name, "\":").as_bytes());
                let $o = &mut *out;
                $write;
            }
            bit <<= 1;)*
        };
    }
    let revocation = c.revocation.as_ref();
    fields!(
        "Identity" => |o| {
            // `SERVER\THUMBPRINT`, its backslash escaped.
            o.push(b'"');
            string_body(o, &c.server);
            o.extend_from_slice(b"\\\\");
            string_body(o, &c.thumbprint);
            o.push(b'"');
        },
        "Server" => |o| string(o, &c.server),
        "Thumbprint" => |o| string(o, &c.thumbprint),
        "Services" => |o| services(o, c.services),
        "ServicesStringForm" => |o| services_string_form(o, c.services),
        "Subject" => |o| string(o, &c.subject),
        "Issuer" => |o| string(o, &c.issuer),
        "NotBefore" => |o| date(o, c.not_before),
        "NotAfter" => |o| date(o, c.not_after),
        "Status" => |o| string(o, c.status.as_str()),
        "RootCAType" => |o| string(o, c.root_ca_type.as_str()),
        "CertificateDomains" => |o| strings(o, &c.certificate_domains),
        "DnsNameList" => |o| strings(o, &c.dns_name_list),
        "FriendlyName" => |o| string(o, &c.friendly_name),
        "HasPrivateKey" => |o| boolean(o, c.has_private_key),
        "PrivateKeyExportable" => |o| boolean(o, c.private_key_exportable),
        "IsSelfSigned" => |o| boolean(o, c.is_self_signed),
        "SerialNumber" => |o| string(o, &c.serial_number),
        "PublicKeySize" => |o| integer(o, i64::from(c.public_key_size)),
        "KeyAlgorithm" => |o| string(o, &c.key_algorithm),
        "SignatureAlgorithm" => |o| string(o, &c.signature_algorithm),
        "SubjectKeyIdentifier" => |o| string(o, &c.subject_key_identifier),
        "EnhancedKeyUsageList" => |o| strings(o, &c.enhanced_key_usage_list),
        "Version" => |o| integer(o, i64::from(c.version)),
        "RawData" => |o| base64(o, &c.raw_data),
        "CertificateRequest" => |o| match c.certificate_request.as_deref() {
            Some(der) => base64(o, der),
            None => o.extend_from_slice(b"null"),
        },
        "DaysUntilExpiry" => |o| integer(o, c.days_until_expiry),
        "ExpiryWarning" => |o| boolean(o, c.expiry_warning),
        "LiveFiles" => |o| string_map(o, &c.live_files),
        "RevocationReason" => |o| optional_string(o, revocation.map(|r| r.reason.as_str())),
        "RevocationDate" => |o| match revocation {
            Some(r) => date(o, r.date),
            None => o.extend_from_slice(b"null"),
        },
        "RevocationSource" => |o| optional_string(o, revocation.map(|r| r.source.as_str())),
    );
    debug_assert_eq!(bit, 1 << CERTIFICATE_PROPERTIES.len());
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::answers::{tests::sample_model, ExchangeCertificate};
    use super::super::boundary::visible_json_for_tests;

    fn written(c: &model::ExchangeCertificate, keep: Selection) -> String {
        let mut out = Vec::new();
        write_selected(&mut out, c, keep);
        String::from_utf8(out).unwrap()
    }

    /// The sample, and one with control characters, quotes, backslashes and non-ASCII text in
    /// every string, a pending request's fields, live files and a date with a fraction.
    fn samples() -> Vec<model::ExchangeCertificate> {
        let mut hostile = sample_model();
        let odd = "a\"b\\c\u{1b}[2J\u{7f}\u{85}\u{9f}\u{a0}é\n\r\t\u{0}\u{1F512}/";
        for s in [
            &mut hostile.server,
            &mut hostile.thumbprint,
            &mut hostile.subject,
            &mut hostile.issuer,
            &mut hostile.friendly_name,
            &mut hostile.serial_number,
            &mut hostile.key_algorithm,
            &mut hostile.signature_algorithm,
            &mut hostile.subject_key_identifier,
        ] {
            s.push_str(odd);
        }
        hostile.certificate_domains = vec![odd.into(), "mail.contoso.com".into()];
        hostile.dns_name_list = vec![String::new(), odd.into()];
        hostile.enhanced_key_usage_list = vec!["Server Authentication (1.3.6.1.5.5.7.3.1)".into()];
        hostile.live_files = [("SMTP", odd), (odd, "/x")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        hostile.raw_data = (0..=255).collect();
        hostile.certificate_request = Some(vec![0, 1, 2, 3, 4]);
        hostile.services = crate::cert::services::Services(0);
        hostile.days_until_expiry = -12;
        hostile.not_after += time::Duration::milliseconds(250);
        hostile.revocation.as_mut().unwrap().source.push_str(odd);
        let mut pending = hostile.clone();
        pending.revocation = None;
        pending.raw_data.clear();
        vec![sample_model(), hostile, pending]
    }

    #[test]
    fn every_property_selected_is_the_whole_object_as_serde_writes_it() {
        for c in samples() {
            let whole = visible_json_for_tests(&ExchangeCertificate::from(c.clone()));
            assert_eq!(written(&c, Selection::ALL), whole);
            // Each property alone is the whole object's value.
            let whole: serde_json::Value = serde_json::from_str(&whole).unwrap();
            for (i, name) in CERTIFICATE_PROPERTIES.iter().enumerate() {
                let alone: serde_json::Value =
                    serde_json::from_str(&written(&c, Selection(1 << i))).unwrap();
                assert_eq!(alone, serde_json::json!({ *name: whole[name] }), "{name}");
            }
        }
        let c = sample_model();
        let some = Selection::parse(Some(&["RevocationSource".into(), "Identity".into()])).unwrap();
        assert_eq!(
            written(&c, some),
            r#"{"Identity":"EX01\\AB","RevocationSource":"CRL http://127.0.0.1/ca.crl"}"#
        );
        assert_eq!(written(&c, Selection(0)), "{}");
    }

    #[test]
    fn the_listing_answer_is_written_as_serde_writes_it() {
        #[derive(serde::Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct ListAnswer {
            schema: u32,
            certificates: Vec<ExchangeCertificate>,
            warnings: Vec<String>,
        }
        for warnings in [vec![], vec!["one".to_string(), "t\u{1b}wo\"".into()]] {
            for n in [0, 1, 3] {
                let certificates: Vec<_> = samples().into_iter().cycle().take(n).collect();
                let expected = visible_json_for_tests(&ListAnswer {
                    schema: SCHEMA,
                    certificates: certificates.iter().cloned().map(Into::into).collect(),
                    warnings: warnings.clone(),
                });
                let answer = SelectedListAnswer::new(
                    model::ListAnswer {
                        certificates,
                        warnings: warnings.clone(),
                    },
                    Selection::ALL,
                );
                let mut out = Vec::new();
                answer.write_json(&mut out);
                assert_eq!(String::from_utf8(out).unwrap(), expected);
            }
        }
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
