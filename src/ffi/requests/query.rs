//! The JSON requests that read certificates: the listing, and one certificate.

use crate::ffi::parse;
use crate::model;
use crate::ops;
use crate::Result;
use serde::Deserialize;

/// `Get-ExchangeCertificate`: all filters optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(in crate::ffi) struct ListRequest {
    #[serde(default)]
    pub(in crate::ffi) store_root: Option<String>,
    /// A server name, or `*` for every server in the store.
    #[serde(default)]
    pub(in crate::ffi) server: Option<String>,
    #[serde(default)]
    pub(in crate::ffi) thumbprint: Option<String>,
    /// `SERVER\THUMBPRINT` or a bare thumbprint, instead of `Thumbprint` (and `Server`).
    #[serde(default)]
    pub(in crate::ffi) identity: Option<String>,
    /// Matches subject CN or a SAN; `*` and `?` wildcards honoured, case-insensitive.
    #[serde(default)]
    pub(in crate::ffi) domain_name: Vec<String>,
    /// Days before NotAfter that count as "expiring soon"; default 30.
    #[serde(default)]
    pub(in crate::ffi) expiry_warning_days: Option<u32>,
    /// Only certificates whose NotAfter is within this many days (or past).
    #[serde(default)]
    pub(in crate::ffi) expiring_within_days: Option<u32>,
    /// Fetch CRLs and OCSP answers again even when the cached ones are current.
    #[serde(default)]
    pub(in crate::ffi) refresh_revocation: bool,
    /// Use cached revocation answers only; fetch nothing.
    #[serde(default)]
    pub(in crate::ffi) offline_revocation: bool,
    /// The certificate properties to answer (names of `CERTIFICATE_PROPERTIES`); all when absent.
    #[serde(default)]
    pub(in crate::ffi) properties: Option<Vec<String>>,
}

impl ListRequest {
    pub(in crate::ffi) fn into_core(self) -> Result<model::ListRequest> {
        let (server, thumbprint) =
            ops::resolve_identity(self.identity.as_deref(), self.server, self.thumbprint)?;
        Ok(model::ListRequest {
            store_root: self.store_root,
            server,
            thumbprint,
            domain_name: self.domain_name,
            expiry_warning_days: self.expiry_warning_days,
            expiring_within_days: self.expiring_within_days,
            revocation: parse::revocation(self.refresh_revocation, self.offline_revocation)?,
        })
    }
}

/// `Get-ExchangeCertificate -Thumbprint`: one certificate.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(in crate::ffi) struct GetRequest {
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
    /// As in `ListRequest`.
    #[serde(default)]
    pub(in crate::ffi) refresh_revocation: bool,
    /// As in `ListRequest`.
    #[serde(default)]
    pub(in crate::ffi) offline_revocation: bool,
}

impl GetRequest {
    pub(in crate::ffi) fn into_core(
        self,
    ) -> Result<(model::ThumbprintRequest, model::RevocationMode)> {
        let (server, thumbprint) =
            ops::resolve_required_identity(self.identity.as_deref(), self.server, self.thumbprint)?;
        let revocation = parse::revocation(self.refresh_revocation, self.offline_revocation)?;
        let request = model::ThumbprintRequest {
            store_root: self.store_root,
            server,
            thumbprint,
        };
        Ok((request, revocation))
    }
}
