//! Reading a certificate's properties with x509-parser (the property names of docs/cmdlets.md).

use crate::cert::dn_display::display_x509_name;
use crate::cert::dotnet_names::SIGNATURE_NAMES;
pub(crate) use crate::cert::public_key::key_properties;
use crate::cert::{hex_upper, names};
use crate::{Code, Error, Result};
use ::time::OffsetDateTime;
use x509_parser::prelude::*;

/// Every property the cmdlets show that comes from the certificate itself.
#[derive(Clone, Debug, PartialEq)]
pub struct CertificateInfo {
    /// As .NET prints it: `CN=mail.contoso.com, O=Contoso, C=US`.
    pub subject: String,
    pub issuer: String,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    /// DNS names of the SAN extension, in order.
    pub dns_names: Vec<String>,
    /// The CN, when there is one.
    pub common_name: Option<String>,
    pub serial_number: String,
    pub public_key_size: u32,
    pub key_algorithm: String,
    pub signature_algorithm: String,
    pub subject_key_identifier: String,
    pub enhanced_key_usage: Vec<String>,
    pub version: u32,
    /// Subject equals issuer (whether the certificate's own key verifies its signature is
    /// `self_signature_valid`, kept apart because verifying costs more than all the rest).
    pub self_issued: bool,
    /// DER SubjectPublicKeyInfo, to match keys and requests.
    pub public_key_info: Vec<u8>,
}

/// Parses a DER certificate, rejecting trailing bytes.
pub fn parse(der: &[u8]) -> Result<X509Certificate<'_>> {
    match X509Certificate::from_der(der) {
        Ok(([], cert)) => Ok(cert),
        Ok(_) => Err(Error::new(Code::MalformedData, "the certificate has extra bytes after its end: the file is damaged or holds more than one object")),
        Err(e) => Err(Error::new(Code::MalformedData, format!("the certificate cannot be read ({e}): the data is damaged or is not a DER X.509 certificate"))),
    }
}

impl CertificateInfo {
    /// Reads every property of a DER certificate.
    pub fn from_der(der: &[u8]) -> Result<CertificateInfo> {
        let cert = parse(der)?;
        let bad = |what: &str, e: X509Error| {
            Error::new(
                Code::MalformedData,
                format!("the certificate's {what} cannot be read: {e}"),
            )
        };
        let dns_names = match cert
            .subject_alternative_name()
            .map_err(|e| bad("subject alternative names", e))?
        {
            Some(ext) => ext
                .value
                .general_names
                .iter()
                .filter_map(|g| match g {
                    GeneralName::DNSName(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect(),
            None => Vec::new(),
        };
        let eku = match cert
            .extended_key_usage()
            .map_err(|e| bad("enhanced key usage", e))?
        {
            Some(ext) => eku_names(ext.value),
            None => Vec::new(),
        };
        let ski = cert
            .iter_extensions()
            .find_map(|e| match e.parsed_extension() {
                ParsedExtension::SubjectKeyIdentifier(id) => Some(hex_upper(id.0)),
                _ => None,
            })
            .unwrap_or_default();
        let (key_algorithm, public_key_size) = key_properties(cert.public_key());
        let common_name = cert
            .subject()
            .iter_common_name()
            .next()
            .and_then(|a| a.as_str().ok())
            .map(str::to_string);
        let self_issued = cert.subject().as_raw() == cert.issuer().as_raw();
        let tbs = cert.tbs_certificate.as_ref();
        let subject = display_x509_name(cert.subject(), tbs);
        Ok(CertificateInfo {
            issuer: if self_issued {
                subject.clone()
            } else {
                display_x509_name(cert.issuer(), tbs)
            },
            subject,
            not_before: cert.validity().not_before.to_datetime(),
            not_after: cert.validity().not_after.to_datetime(),
            dns_names,
            common_name,
            serial_number: hex_upper(cert.raw_serial()),
            public_key_size,
            key_algorithm,
            // The TBS's copy, as .NET reads it (the outer one may differ in a malformed certificate).
            signature_algorithm: signature_name(
                &cert.tbs_certificate.signature.algorithm.to_id_string(),
            ),
            subject_key_identifier: ski,
            enhanced_key_usage: eku,
            version: cert.version().0 + 1,
            self_issued,
            public_key_info: cert.public_key().raw.to_vec(),
        })
    }
}

/// True when a DER certificate's own key verifies its signature.
pub fn self_signature_valid(der: &[u8]) -> bool {
    parse(der).is_ok_and(|c| verify_signed_by(&c, c.public_key()))
}

/// True when `issuer_key` verifies the certificate's signature: ring for what it takes, else
/// `signature.rs` (MD5 and SHA-1 RSA, RSA below 2048 bits, RSA-PSS, DSA).
pub fn verify_signed_by(cert: &X509Certificate<'_>, issuer_key: &SubjectPublicKeyInfo<'_>) -> bool {
    cert.verify_signature(Some(issuer_key)).is_ok()
        || crate::cert::signature::verify_other(cert, issuer_key)
}

/// The signature algorithm as .NET names it (`sha256RSA`, `sha1DSA`, `ED25519` ...), else the OID.
fn signature_name(oid: &str) -> String {
    SIGNATURE_NAMES
        .iter()
        .find(|(o, _)| *o == oid)
        .map_or(oid, |(_, name)| name)
        .to_string()
}

fn eku_names(eku: &ExtendedKeyUsage<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let mut add = |set: bool, name: &str, oid: &str| {
        if set {
            out.push(format!("{name} ({oid})"));
        }
    };
    add(
        eku.server_auth,
        "Server Authentication",
        "1.3.6.1.5.5.7.3.1",
    );
    add(
        eku.client_auth,
        "Client Authentication",
        "1.3.6.1.5.5.7.3.2",
    );
    add(eku.code_signing, "Code Signing", "1.3.6.1.5.5.7.3.3");
    add(eku.email_protection, "Secure Email", "1.3.6.1.5.5.7.3.4");
    add(eku.time_stamping, "Time Stamping", "1.3.6.1.5.5.7.3.8");
    add(eku.ocsp_signing, "OCSP Signing", "1.3.6.1.5.5.7.3.9");
    add(eku.any, "Any Purpose", "2.5.29.37.0");
    for oid in &eku.other {
        out.push(format!("{0} ({0})", oid.to_id_string()));
    }
    out
}

/// What a pending request shows: from its PKCS#10.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestInfo {
    pub subject: String,
    /// The first CN of the subject.
    pub common_name: Option<String>,
    pub dns_names: Vec<String>,
    pub public_key_size: u32,
    pub key_algorithm: String,
    pub signature_algorithm: String,
    pub public_key_info: Vec<u8>,
}

impl RequestInfo {
    /// Reads a DER PKCS#10 request and checks its self-signature.
    pub fn from_der(der: &[u8]) -> Result<RequestInfo> {
        let bad = |why: String| {
            Error::new(Code::MalformedData, format!("the certificate request cannot be read ({why}): the data is damaged or is not a PKCS#10 request"))
        };
        let csr = match X509CertificationRequest::from_der(der) {
            Ok(([], csr)) => csr,
            Ok(_) => return Err(bad("extra bytes after its end".into())),
            Err(e) => return Err(bad(e.to_string())),
        };
        if csr.verify_signature().is_err() {
            return Err(bad("its signature does not verify".into()));
        }
        let info = &csr.certification_request_info;
        let dns_names = csr
            .requested_extensions()
            .into_iter()
            .flatten()
            .filter_map(|e| match e {
                ParsedExtension::SubjectAlternativeName(san) => {
                    Some(san.general_names.iter().filter_map(|g| match g {
                        GeneralName::DNSName(n) => Some(n.to_string()),
                        _ => None,
                    }))
                }
                _ => None,
            })
            .flatten()
            .collect();
        let (key_algorithm, public_key_size) = key_properties(&info.subject_pki);
        let common_name = info
            .subject
            .iter_common_name()
            .next()
            .and_then(|a| a.as_str().ok())
            .map(str::to_string);
        Ok(RequestInfo {
            subject: display_x509_name(&info.subject, info.raw),
            common_name,
            dns_names,
            public_key_size,
            key_algorithm,
            signature_algorithm: signature_name(&csr.signature_algorithm.algorithm.to_id_string()),
            public_key_info: info.subject_pki.raw.to_vec(),
        })
    }
}

/// The subject of a DER certificate as `-SubjectName` text (encoded order, values quoted), so a
/// renewal asks for exactly the same name.
pub fn subject_name_text(der: &[u8]) -> Result<String> {
    let cert = parse(der)?;
    let parts: Vec<String> = cert
        .subject()
        .iter_attributes()
        .map(|a| {
            let name = names::short_name_for_oid(&a.attr_type().to_id_string());
            let value = a.as_str().map(str::to_string).unwrap_or_default();
            format!("{name}=\"{}\"", value.replace('"', "\"\""))
        })
        .collect();
    Ok(parts.join(","))
}
