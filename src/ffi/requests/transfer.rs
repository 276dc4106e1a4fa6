//! The JSON requests that move certificates in and out: import and export, with the files
//! they read and write.

use crate::ffi::parse;
use crate::model;
use crate::ops;
use crate::{Error, Result};
use serde::Deserialize;

/// `Import-ExchangeCertificate`. The PFX password travels beside the JSON, never in it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(in crate::ffi) struct ImportRequest {
    #[serde(default)]
    pub(in crate::ffi) store_root: Option<String>,
    #[serde(default)]
    pub(in crate::ffi) server: Option<String>,
    /// Base64 of the file's bytes (DER, PEM, PKCS#7 or PKCS#12); or `FileName`.
    #[serde(default)]
    pub(in crate::ffi) file_data: Option<String>,
    /// The file to read instead of `FileData`: a regular file, no symbolic link, at most 8 MiB.
    #[serde(default)]
    pub(in crate::ffi) file_name: Option<String>,
    /// Default False, as Exchange; a completed request keeps the request's setting.
    #[serde(default)]
    pub(in crate::ffi) private_key_exportable: Option<bool>,
    #[serde(default)]
    pub(in crate::ffi) friendly_name: Option<String>,
    /// Beyond Exchange: trust the (root) certificate(s) for the whole organisation store instead
    /// of importing them to a server.
    #[serde(default)]
    pub(in crate::ffi) trusted_root: bool,
}

impl ImportRequest {
    pub(in crate::ffi) fn into_core(self) -> Result<model::ImportRequest> {
        let (file_data, file_name) = match (self.file_data, self.file_name) {
            (Some(data), None) => (parse::file_data(&data)?, None),
            (None, Some(name)) if name.is_empty() => return Err(Error::invalid(
                "FileName is empty: give the path of the certificate, chain or PFX file to import",
            )),
            (None, Some(name)) => (Vec::new(), Some(name.into())),
            (Some(_), Some(_)) => return Err(Error::invalid(
                "FileData and FileName were both given: give one, the bytes or the file to read",
            )),
            (None, None) => {
                return Err(Error::invalid(
                    "FileData or FileName is required: give the file's bytes (Base64) or its path",
                ))
            }
        };
        Ok(model::ImportRequest {
            file_data,
            file_name,
            store_root: self.store_root,
            server: self.server,
            private_key_exportable: self.private_key_exportable,
            friendly_name: self.friendly_name,
            trusted_root: self.trusted_root,
        })
    }
}

/// `Export-ExchangeCertificate`. The PFX password travels beside the JSON, never in it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(in crate::ffi) struct ExportRequest {
    #[serde(default)]
    pub(in crate::ffi) store_root: Option<String>,
    #[serde(default)]
    pub(in crate::ffi) server: Option<String>,
    /// Required unless `Identity` names the certificate.
    #[serde(default)]
    pub(in crate::ffi) thumbprint: Option<String>,
    /// `SERVER\THUMBPRINT` or a bare thumbprint, instead of `Thumbprint` (and `Server`).
    #[serde(default)]
    pub(in crate::ffi) identity: Option<String>,
    /// `Modern` (default) or `Legacy`.
    #[serde(default)]
    pub(in crate::ffi) encryption: Option<String>,
    /// Export even an expired certificate.
    #[serde(default)]
    pub(in crate::ffi) force: bool,
    /// Also write the export to this file, replacing a file there (0600 for a PFX).
    #[serde(default)]
    pub(in crate::ffi) file_name: Option<String>,
    /// With `FileName`: write the bytes (`FileData`) instead of `Text`.
    #[serde(default)]
    pub(in crate::ffi) binary_encoded: bool,
}

impl ExportRequest {
    pub(in crate::ffi) fn into_core(self) -> Result<model::ExportRequest> {
        let (server, thumbprint) =
            ops::resolve_required_identity(self.identity.as_deref(), self.server, self.thumbprint)?;
        Ok(model::ExportRequest {
            encryption: parse::encryption(self.encryption.as_deref())?,
            store_root: self.store_root,
            server,
            thumbprint,
            force: self.force,
            file_name: parse::file_target("FileName", self.file_name, self.binary_encoded)?,
        })
    }
}
