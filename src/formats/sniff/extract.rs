//! The certificates out of DER/BER or PEM data, with messages that say what was recognised and
//! where it broke.

use x509_parser::prelude::{FromDer, X509Certificate};

use crate::formats::check_count;
use crate::formats::der::element;
use crate::formats::pem;
use crate::formats::pkcs7;
use crate::{Code, Error, Result};

use super::classify::der_kind;
use super::{malformed, unknown, Kind, CERT_LABELS, PKCS7_LABELS};

/// Certificates from DER/BER: PKCS#7, or one or more certificates one after the other.
pub(super) fn from_der(data: &[u8], source: &str) -> Result<Vec<Vec<u8>>> {
    match der_kind(data) {
        Kind::Pkcs7 => pkcs7::read_der(data),
        Kind::Certificate => {
            let mut certs = Vec::new();
            let mut pos = 0;
            while pos < data.len() {
                let what = if certs.is_empty() {
                    format!("the certificate in {source}")
                } else {
                    format!("certificate {} in {source}", certs.len() + 1)
                };
                if data[pos] != 0x30 {
                    if data[pos..]
                        .iter()
                        .all(|&b| b == 0 || b.is_ascii_whitespace())
                    {
                        break;
                    }
                    return Err(malformed(format!(
                        "{} unexpected bytes follow the certificate data at byte {pos} of \
                         {source}; the file is damaged or two different files were joined",
                        data.len() - pos
                    )));
                }
                let el = element(data, pos, &what)?;
                check_count(certs.len() + 1, "certificates")?;
                certs.push(parse_certificate(el.raw(data), &what, pos)?);
                pos = el.end;
            }
            Ok(certs)
        }
        Kind::CertificateRequest => Err(Error::new(
            Code::UnknownFormat,
            format!(
                "{source} is a certificate request (PKCS#10), not a certificate; submit it to \
                 your certificate authority and import the certificate it issues"
            ),
        )),
        Kind::Pkcs12 => Err(Error::new(
            Code::UnknownFormat,
            format!(
                "{source} is PKCS#12 (.pfx/.p12), which holds a private key; import it as \
                 PKCS#12 with its password"
            ),
        )),
        _ => {
            // A damaged outer element is worth saying so rather than "unknown".
            element(data, 0, &format!("the DER structure in {source}"))?;
            Err(unknown(&format!(
                "{source} is a DER structure but neither a certificate nor PKCS#7"
            )))
        }
    }
}

fn parse_certificate(der: &[u8], what: &str, at: usize) -> Result<Vec<u8>> {
    match X509Certificate::from_der(der) {
        Ok(([], _)) => Ok(der.to_vec()),
        Ok(_) => Err(malformed(format!(
            "{what} (at byte {at}) has extra bytes inside its outer element; the file is damaged"
        ))),
        Err(e) => Err(malformed(format!(
            "{what} (at byte {at}) is damaged and cannot be read ({e}); get the certificate \
             again from its issuer"
        ))),
    }
}

pub(super) fn from_pem(text: &[u8]) -> Result<Vec<Vec<u8>>> {
    let blocks = pem::parse(text)?;
    let mut certs = Vec::new();
    let mut csr = false;
    for (i, b) in blocks.iter().enumerate() {
        check_count(certs.len(), "certificates")?;
        let what = format!("PEM block {} (\"{}\", line {})", i + 1, b.label, b.line);
        let label = b.label.as_str();
        match der_kind(&b.data) {
            Kind::Certificate if label == "TRUSTED CERTIFICATE" => {
                // OpenSSL's trusted form: the certificate, then its trust settings.
                let el = element(&b.data, 0, &format!("the certificate in {what}"))?;
                certs.push(parse_certificate(el.raw(&b.data), &what, 0)?);
            }
            Kind::Certificate => certs.extend(from_der(&b.data, &what)?),
            Kind::Pkcs7 => certs.extend(
                pkcs7::read_der(&b.data)
                    .map_err(|e| Error::new(e.code, format!("{what}: {}", e.message)))?,
            ),
            Kind::CertificateRequest => csr = true,
            _ if CERT_LABELS.contains(&label) || PKCS7_LABELS.contains(&label) => {
                // A certificate label over bytes that are not one: say where, and why.
                element(&b.data, 0, &format!("the data of {what}"))?;
                return Err(malformed(format!(
                    "{what} does not hold a certificate or PKCS#7 data; the block is damaged"
                )));
            }
            _ => {}
        }
    }
    if certs.is_empty() {
        if csr {
            return Err(Error::new(
                Code::UnknownFormat,
                "the PEM text holds a certificate request (PKCS#10), not a certificate; submit \
                 it to your certificate authority and import the certificate it issues",
            ));
        }
        let labels: Vec<&str> = blocks.iter().map(|b| b.label.as_str()).collect();
        return Err(unknown(&format!(
            "the PEM text holds no certificate (its blocks: {})",
            labels.join(", ")
        )));
    }
    Ok(certs)
}
