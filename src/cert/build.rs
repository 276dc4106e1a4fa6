//! Building certificates and requests with rcgen (docs/cmdlets.md, "New-ExchangeCertificate").

use crate::cert::keys::{KeyAlgorithm, PrivateKey};
use crate::cert::names::Subject;
use crate::{Code, Error, Result};
use time::OffsetDateTime;

/// What a new certificate or request says about its subject.
#[derive(Clone, Debug)]
pub struct CertificateSpec {
    pub subject: Subject,
    /// DNS names for the SAN extension, already checked (`names::san_list`).
    pub sans: Vec<String>,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    /// Explicit SKI; default SHA-1 of the public key bits (RFC 5280 method 1, as Windows and openssl).
    pub subject_key_identifier: Option<Vec<u8>>,
}

/// Exchange's validity: 60 months from `start`, seconds truncated.
pub fn default_validity(start: OffsetDateTime) -> (OffsetDateTime, OffsetDateTime) {
    let start = start.replace_nanosecond(0).unwrap_or(start);
    let date = start.date();
    let end_date = date
        .replace_year(date.year() + 5)
        .or_else(|_| {
            date.replace_day(28)
                .and_then(|d| d.replace_year(date.year() + 5))
        })
        .unwrap_or(date);
    (start, start.replace_date(end_date))
}

/// A self-signed certificate (DER) for `key`.
pub fn self_signed(spec: &CertificateSpec, key: &PrivateKey) -> Result<Vec<u8>> {
    let params = params(spec, key)?;
    let cert = params
        .self_signed(&*key.key_pair()?)
        .map_err(|e| gen_error("certificate", e))?;
    Ok(cert.der().to_vec())
}

/// A PKCS#10 request (DER) for `key`, with the same subject, SANs, key usage, EKU and basic
/// constraints a self-signed certificate would get.
pub fn request(spec: &CertificateSpec, key: &PrivateKey) -> Result<Vec<u8>> {
    let mut params = params(spec, key)?;
    // rcgen writes neither basic constraints nor the SKI into a request, and refuses a serial:
    // add the two as extensions so the CA sees what a self-signed certificate would carry.
    let ski = match &params.key_identifier_method {
        rcgen::KeyIdMethod::PreSpecified(id) => id.clone(),
        _ => Vec::new(),
    };
    params.serial_number = None;
    params.is_ca = rcgen::IsCa::NoCa;
    // BasicConstraints ::= SEQUENCE {} — cA defaults to FALSE and DER omits defaults.
    let mut basic = rcgen::CustomExtension::from_oid_content(&[2, 5, 29, 19], vec![0x30, 0x00]);
    basic.set_criticality(true);
    let ski_der = yasna::construct_der(|w| w.write_bytes(&ski));
    params.custom_extensions = vec![
        basic,
        rcgen::CustomExtension::from_oid_content(&[2, 5, 29, 14], ski_der),
    ];
    let csr = params
        .serialize_request(&*key.key_pair()?)
        .map_err(|e| gen_error("request", e))?;
    Ok(csr.der().to_vec())
}

fn gen_error(what: &str, e: rcgen::Error) -> Error {
    Error::new(Code::Crypto, format!("could not sign the {what}: {e}"))
}

fn params(spec: &CertificateSpec, key: &PrivateKey) -> Result<rcgen::CertificateParams> {
    use rcgen::{
        DnType, DnValue, ExtendedKeyUsagePurpose, IsCa, KeyIdMethod, KeyUsagePurpose, SanType,
    };

    if spec.not_after <= spec.not_before {
        return Err(Error::invalid("NotAfter must be later than NotBefore"));
    }
    let mut params = rcgen::CertificateParams::default();
    let mut dn = rcgen::DistinguishedName::new();
    for attr in &spec.subject.0 {
        let ty = match attr.name {
            "CN" => DnType::CommonName,
            "O" => DnType::OrganizationName,
            "OU" => DnType::OrganizationalUnitName,
            "L" => DnType::LocalityName,
            "S" => DnType::StateOrProvinceName,
            "C" => DnType::CountryName,
            _ => DnType::CustomDnType(attr.oid().to_vec()),
        };
        let invalid = |_| {
            Error::invalid(format!(
                "{}={} has characters that attribute cannot hold",
                attr.name, attr.value
            ))
        };
        let value = match attr.name {
            "C" => DnValue::PrintableString(
                attr.value
                    .to_ascii_uppercase()
                    .as_str()
                    .try_into()
                    .map_err(invalid)?,
            ),
            "E" | "DC" => DnValue::Ia5String(attr.value.as_str().try_into().map_err(invalid)?),
            _ => DnValue::Utf8String(attr.value.clone()),
        };
        dn.push(ty, value);
    }
    params.distinguished_name = dn;
    params.subject_alt_names = spec
        .sans
        .iter()
        .map(|n| n.as_str().try_into().map(SanType::DnsName))
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| Error::invalid(format!("a domain name cannot be encoded: {e}")))?;
    params.not_before = spec.not_before;
    params.not_after = spec.not_after;
    params.serial_number = Some(random_serial().into());
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = match key.algorithm() {
        KeyAlgorithm::Rsa => vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ],
        _ => vec![KeyUsagePurpose::DigitalSignature],
    };
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let ski = match &spec.subject_key_identifier {
        Some(ski) => ski.clone(),
        None => sha1_key_id(&key.public_key_info()?)?,
    };
    params.key_identifier_method = KeyIdMethod::PreSpecified(ski);
    Ok(params)
}

/// SHA-1 over the subjectPublicKey bits of a SubjectPublicKeyInfo.
pub fn sha1_key_id(spki_der: &[u8]) -> Result<Vec<u8>> {
    use sha1::{Digest, Sha1};
    use x509_parser::prelude::FromDer;
    let (_, spki) = x509_parser::x509::SubjectPublicKeyInfo::from_der(spki_der)
        .map_err(|e| Error::new(Code::Internal, format!("public key info unreadable: {e}")))?;
    Ok(Sha1::digest(&spki.subject_public_key.data).to_vec())
}

/// A positive serial of 16 random octets, first octet non-zero (no sign or padding octet needed).
fn random_serial() -> Vec<u8> {
    use rand::RngCore;
    let mut serial = vec![0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut serial);
    serial[0] = (serial[0] & 0x7F).max(1);
    serial
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn validity_is_sixty_months() {
        let (a, b) = default_validity(datetime!(2026-11-28 05:20:13.5 UTC));
        assert_eq!(a, datetime!(2026-11-28 05:20:13 UTC));
        assert_eq!(b, datetime!(2031-11-28 05:20:13 UTC));
        let (_, b) = default_validity(datetime!(2028-02-29 00:00 UTC));
        assert_eq!(b, datetime!(2033-02-28 00:00 UTC));
    }

    #[test]
    fn serials_are_positive_and_short() {
        for _ in 0..200 {
            let s = random_serial();
            assert_eq!(s.len(), 16);
            assert!(s[0] >= 1 && s[0] <= 0x7F);
        }
    }
}
