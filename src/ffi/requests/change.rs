//! The JSON requests that change a certificate's place: services, and removal.

use crate::model;
use crate::ops;
use crate::Result;
use serde::Deserialize;

/// `Enable-ExchangeCertificate`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(in crate::ffi) struct EnableRequest {
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
    /// Comma-separated services to add (`IIS, SMTP`).
    pub(in crate::ffi) services: String,
    /// Replace the default SMTP certificate without asking.
    #[serde(default)]
    pub(in crate::ffi) force: bool,
    /// Keep the default SMTP certificate and add this one for SMTP beside it (the answer No).
    #[serde(default, rename = "KeepDefaultSMTP")]
    pub(in crate::ffi) keep_default_smtp: bool,
    /// Accepted for Exchange scripts; no effect off Windows (said in a warning).
    #[serde(default)]
    pub(in crate::ffi) do_not_require_ssl: bool,
    /// Accepted for Exchange scripts; no effect off Windows (said in a warning).
    #[serde(default)]
    pub(in crate::ffi) network_service_allowed: bool,
}

impl EnableRequest {
    pub(in crate::ffi) fn into_core(self) -> Result<model::EnableRequest> {
        let (server, thumbprint) =
            ops::resolve_required_identity(self.identity.as_deref(), self.server, self.thumbprint)?;
        Ok(model::EnableRequest {
            services: crate::cert::services::Services::parse(&self.services)?,
            store_root: self.store_root,
            server,
            thumbprint,
            force: self.force,
            keep_default_smtp: self.keep_default_smtp,
            do_not_require_ssl: self.do_not_require_ssl,
            network_service_allowed: self.network_service_allowed,
        })
    }
}

/// `Remove-ExchangeCertificate`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(in crate::ffi) struct RemoveRequest {
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
    /// Remove even a certificate in use (its services are left without a holder).
    #[serde(default)]
    pub(in crate::ffi) force: bool,
}

impl RemoveRequest {
    pub(in crate::ffi) fn into_core(self) -> Result<model::RemoveRequest> {
        let (server, thumbprint) =
            ops::resolve_required_identity(self.identity.as_deref(), self.server, self.thumbprint)?;
        Ok(model::RemoveRequest {
            store_root: self.store_root,
            server,
            thumbprint,
            force: self.force,
        })
    }
}
