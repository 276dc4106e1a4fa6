//! The JSON answers of the C ABI, field for field and in the order `include/excert.h` documents
//! them, made from the core's typed answers. Private to `ffi`: the core never sees them. The
//! certificate itself is in `answers/certificate.rs`, the accepted domains in
//! `answers/accepted_domain.rs`.

use super::parse::b64;
use crate::model;
use crate::model::SCHEMA;
use serde::Serialize;
use zeroize::Zeroize;

mod accepted_domain;
mod certificate;
pub(super) use accepted_domain::*;
pub use certificate::CERTIFICATE_PROPERTIES;
pub(super) use certificate::*;

/// Answer carrying one certificate.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct CertificateAnswer {
    pub(super) schema: u32,
    pub(super) certificate: ExchangeCertificate,
    /// Non-fatal remarks for the caller to show as warnings.
    pub(super) warnings: Vec<String>,
}

/// Answer to `New-ExchangeCertificate -GenerateRequest`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct RequestAnswer {
    pub(super) schema: u32,
    /// The pending entry, as Get-ExchangeCertificate shows it.
    pub(super) certificate: ExchangeCertificate,
    /// The PKCS#10 as Base64 framed by `-----BEGIN NEW CERTIFICATE REQUEST-----`.
    pub(super) request: String,
    pub(super) warnings: Vec<String>,
}

/// Answer to a removal.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct RemoveAnswer {
    pub(super) schema: u32,
    /// `SERVER\THUMBPRINT` of what was removed.
    pub(super) identity: String,
    pub(super) warnings: Vec<String>,
}

/// Answer to an export.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ExportAnswer {
    pub(super) schema: u32,
    /// `Pkcs12`, `Certificate` or `CertificateRequest`.
    pub(super) format: String,
    /// Base64 of the file's bytes.
    pub(super) file_data: String,
    /// What `Export-ExchangeCertificate` prints without `-BinaryEncoded`: PEM-framed Base64 for
    /// a certificate or request, plain Base64 for a PFX.
    pub(super) text: String,
    pub(super) warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ListAnswer {
    pub(super) schema: u32,
    pub(super) certificates: Vec<ExchangeCertificate>,
    pub(super) warnings: Vec<String>,
}

impl From<model::CertificateAnswer> for CertificateAnswer {
    fn from(a: model::CertificateAnswer) -> Self {
        CertificateAnswer {
            schema: SCHEMA,
            certificate: a.certificate.into(),
            warnings: a.warnings,
        }
    }
}

impl From<model::RequestAnswer> for RequestAnswer {
    fn from(a: model::RequestAnswer) -> Self {
        let request = a.pem();
        RequestAnswer {
            schema: SCHEMA,
            certificate: a.certificate.into(),
            request,
            warnings: a.warnings,
        }
    }
}

/// A renewal answers as a new certificate, or as a new request.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(super) enum Renewed {
    Certificate(CertificateAnswer),
    Request(RequestAnswer),
}

impl From<model::Renewed> for Renewed {
    fn from(r: model::Renewed) -> Self {
        match r {
            model::Renewed::Certificate(a) => Renewed::Certificate(a.into()),
            model::Renewed::Request(a) => Renewed::Request(a.into()),
        }
    }
}

impl From<model::RemoveAnswer> for RemoveAnswer {
    fn from(a: model::RemoveAnswer) -> Self {
        RemoveAnswer {
            schema: SCHEMA,
            identity: a.identity(),
            warnings: a.warnings,
        }
    }
}

impl From<model::ExportAnswer> for ExportAnswer {
    fn from(a: model::ExportAnswer) -> Self {
        let text = a.text().to_string();
        ExportAnswer {
            schema: SCHEMA,
            format: a.format.as_str().to_string(),
            file_data: b64(&a.file_data),
            text,
            warnings: a.warnings,
        }
    }
}

/// The Base64 of a PFX is the key, encrypted by a password that may be weak: zeroed.
impl Drop for ExportAnswer {
    fn drop(&mut self) {
        self.file_data.zeroize();
        self.text.zeroize();
    }
}

impl From<model::ListAnswer> for ListAnswer {
    fn from(a: model::ListAnswer) -> Self {
        ListAnswer {
            schema: SCHEMA,
            certificates: a.certificates.into_iter().map(Into::into).collect(),
            warnings: a.warnings,
        }
    }
}
