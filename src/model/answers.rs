//! What the core operations answer: certificates, requests, exports, with their warnings.

use super::ExchangeCertificate;
use zeroize::Zeroizing;

/// One certificate and the remarks for the caller to show as warnings.
#[derive(Debug)]
pub struct CertificateAnswer {
    pub certificate: ExchangeCertificate,
    pub warnings: Vec<String>,
}

/// A new request for a CA.
#[derive(Debug)]
pub struct RequestAnswer {
    /// The pending entry, as Get-ExchangeCertificate shows it.
    pub certificate: ExchangeCertificate,
    /// The PKCS#10 as DER.
    pub request: Vec<u8>,
    pub warnings: Vec<String>,
}

impl RequestAnswer {
    /// The request as `New-ExchangeCertificate -GenerateRequest` prints it, framed by
    /// `-----BEGIN NEW CERTIFICATE REQUEST-----` for the CA.
    pub fn pem(&self) -> String {
        crate::formats::pem::encode(crate::formats::pem::NEW_CERTIFICATE_REQUEST, &self.request)
    }
}

/// A renewal's outcome: a certificate, or a request.
#[derive(Debug)]
pub enum Renewed {
    Certificate(CertificateAnswer),
    Request(RequestAnswer),
}

/// A listing or an import.
#[derive(Debug)]
pub struct ListAnswer {
    pub certificates: Vec<ExchangeCertificate>,
    pub warnings: Vec<String>,
}

/// A removal.
#[derive(Debug)]
pub struct RemoveAnswer {
    pub server: String,
    pub thumbprint: String,
    pub warnings: Vec<String>,
}

impl RemoveAnswer {
    /// `SERVER\THUMBPRINT` of what was removed.
    pub fn identity(&self) -> String {
        format!("{}\\{}", self.server, self.thumbprint)
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Pkcs12,
    Certificate,
    CertificateRequest,
}

impl ExportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Pkcs12 => "Pkcs12",
            ExportFormat::Certificate => "Certificate",
            ExportFormat::CertificateRequest => "CertificateRequest",
        }
    }
}

/// An export: the file's bytes (zeroed when dropped: a PFX holds the key).
#[derive(Debug)]
pub struct ExportAnswer {
    pub format: ExportFormat,
    pub file_data: Zeroizing<Vec<u8>>,
    pub warnings: Vec<String>,
}

impl ExportAnswer {
    /// What `Export-ExchangeCertificate` prints without `-BinaryEncoded`: PEM for a certificate
    /// or request, plain Base64 for a PFX.
    pub fn text(&self) -> Zeroizing<String> {
        use crate::formats::pem;
        Zeroizing::new(match self.format {
            ExportFormat::Pkcs12 => {
                use base64::Engine;
                base64::engine::general_purpose::STANDARD.encode(&*self.file_data)
            }
            ExportFormat::Certificate => pem::encode(pem::CERTIFICATE, &self.file_data),
            ExportFormat::CertificateRequest => {
                pem::encode(pem::NEW_CERTIFICATE_REQUEST, &self.file_data)
            }
        })
    }
}
