//! The JSON requests that make a certificate or a request: new, and renewal.

use crate::ffi::parse;
use crate::model;
use crate::ops;
use crate::Result;
use serde::Deserialize;

/// `New-ExchangeCertificate` (Certificate parameter set).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(in crate::ffi) struct NewCertificateRequest {
    #[serde(default)]
    pub(in crate::ffi) store_root: Option<String>,
    #[serde(default)]
    pub(in crate::ffi) server: Option<String>,
    /// X.500 name, for example `C=US,O=Contoso,CN=mail.contoso.com`; default `CN=<server>`.
    #[serde(default)]
    pub(in crate::ffi) subject_name: Option<String>,
    #[serde(default)]
    pub(in crate::ffi) domain_name: Vec<String>,
    #[serde(default)]
    pub(in crate::ffi) friendly_name: Option<String>,
    /// RSA key size in bits (1024, 2048, 3072, 4096); default 2048.
    #[serde(default)]
    pub(in crate::ffi) key_size: Option<u32>,
    /// `RSA` (default), `ECDSA_P256` or `ECDSA_P384`.
    #[serde(default)]
    pub(in crate::ffi) key_algorithm: Option<String>,
    #[serde(default)]
    pub(in crate::ffi) private_key_exportable: bool,
    /// Comma-separated service names (`IIS, SMTP`); default `IMAP, POP, SMTP`.
    #[serde(default)]
    pub(in crate::ffi) services: Option<String>,
    #[serde(default, rename = "IncludeServerFQDN")]
    pub(in crate::ffi) include_server_fqdn: bool,
    #[serde(default, rename = "IncludeServerNetBIOSName")]
    pub(in crate::ffi) include_server_netbios_name: bool,
    /// Hex string; default derived from the public key.
    #[serde(default)]
    pub(in crate::ffi) subject_key_identifier: Option<String>,
    /// Add every accepted domain of the organization to the names (`-IncludeAcceptedDomains`).
    #[serde(default)]
    pub(in crate::ffi) include_accepted_domains: bool,
    /// Add `autodiscover.<domain>` for every accepted domain (`-IncludeAutoDiscover`).
    #[serde(default, rename = "IncludeAutoDiscover")]
    pub(in crate::ffi) include_autodiscover: bool,
    /// Replace the default SMTP certificate without asking (and without a warning).
    #[serde(default)]
    pub(in crate::ffi) force: bool,
    /// Keep the default SMTP certificate and add this one for SMTP beside it (the answer No).
    #[serde(default, rename = "KeepDefaultSMTP")]
    pub(in crate::ffi) keep_default_smtp: bool,
    /// RFC 3339; default now. Beyond Exchange, for tests and back-dated certificates.
    #[serde(default)]
    pub(in crate::ffi) not_before: Option<String>,
    /// RFC 3339; default NotBefore + 60 months.
    #[serde(default)]
    pub(in crate::ffi) not_after: Option<String>,
    /// `excert_request_new` only: also write the request to this file, replacing a file there.
    #[serde(default)]
    pub(in crate::ffi) request_file: Option<String>,
    /// With `RequestFile`: write the DER instead of the PEM text.
    #[serde(default)]
    pub(in crate::ffi) binary_encoded: bool,
}

impl NewCertificateRequest {
    pub(in crate::ffi) fn into_core(self) -> Result<model::NewCertificateRequest> {
        Ok(model::NewCertificateRequest {
            subject_name: parse::subject(self.subject_name.as_deref())?,
            key_algorithm: parse::key_algorithm(self.key_algorithm.as_deref())?,
            services: parse::services(self.services.as_deref())?,
            subject_key_identifier: self
                .subject_key_identifier
                .as_deref()
                .map(parse::hex)
                .transpose()?,
            not_before: parse::date("NotBefore", self.not_before.as_deref())?,
            not_after: parse::date("NotAfter", self.not_after.as_deref())?,
            request_file: parse::file_target(
                "RequestFile",
                self.request_file,
                self.binary_encoded,
            )?,
            store_root: self.store_root,
            server: self.server,
            domain_name: self.domain_name,
            friendly_name: self.friendly_name,
            key_size: self.key_size,
            private_key_exportable: self.private_key_exportable,
            include_server_fqdn: self.include_server_fqdn,
            include_server_netbios_name: self.include_server_netbios_name,
            include_accepted_domains: self.include_accepted_domains,
            include_autodiscover: self.include_autodiscover,
            force: self.force,
            keep_default_smtp: self.keep_default_smtp,
        })
    }
}

/// Renewal (`Get-ExchangeCertificate T | New-ExchangeCertificate`): a new key and certificate
/// (or request) with the old one's subject, names, friendly name, key type and services.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(in crate::ffi) struct RenewRequest {
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
    /// Make a renewal request for a CA instead of a self-signed certificate.
    #[serde(default)]
    pub(in crate::ffi) generate_request: bool,
    #[serde(default)]
    pub(in crate::ffi) force: bool,
    /// Overrides the old friendly name.
    #[serde(default)]
    pub(in crate::ffi) friendly_name: Option<String>,
    /// Overrides the old exportability (default: as the old certificate).
    #[serde(default)]
    pub(in crate::ffi) private_key_exportable: Option<bool>,
    /// Overrides the old services (default: as the old certificate).
    #[serde(default)]
    pub(in crate::ffi) services: Option<String>,
    /// Overrides the old key size (RSA).
    #[serde(default)]
    pub(in crate::ffi) key_size: Option<u32>,
    /// Overrides the old key algorithm.
    #[serde(default)]
    pub(in crate::ffi) key_algorithm: Option<String>,
    /// A subject key identifier for the new certificate (hex).
    #[serde(default)]
    pub(in crate::ffi) subject_key_identifier: Option<String>,
    /// Overrides the old subject.
    #[serde(default)]
    pub(in crate::ffi) subject_name: Option<String>,
    /// Overrides the old domain names.
    #[serde(default)]
    pub(in crate::ffi) domain_name: Option<Vec<String>>,
    #[serde(default, rename = "IncludeServerFQDN")]
    pub(in crate::ffi) include_server_fqdn: bool,
    #[serde(default, rename = "IncludeServerNetBIOSName")]
    pub(in crate::ffi) include_server_netbios_name: bool,
    #[serde(default)]
    pub(in crate::ffi) include_accepted_domains: bool,
    #[serde(default, rename = "IncludeAutoDiscover")]
    pub(in crate::ffi) include_autodiscover: bool,
    /// Keep the default SMTP certificate and add the new one for SMTP beside it.
    #[serde(default, rename = "KeepDefaultSMTP")]
    pub(in crate::ffi) keep_default_smtp: bool,
    /// With `GenerateRequest`: also write the request to this file, replacing a file there.
    #[serde(default)]
    pub(in crate::ffi) request_file: Option<String>,
    /// With `RequestFile`: write the DER instead of the PEM text.
    #[serde(default)]
    pub(in crate::ffi) binary_encoded: bool,
}

impl RenewRequest {
    pub(in crate::ffi) fn into_core(self) -> Result<model::RenewRequest> {
        let (server, thumbprint) =
            ops::resolve_required_identity(self.identity.as_deref(), self.server, self.thumbprint)?;
        Ok(model::RenewRequest {
            store_root: self.store_root,
            server,
            thumbprint,
            generate_request: self.generate_request,
            force: self.force,
            friendly_name: self.friendly_name,
            private_key_exportable: self.private_key_exportable,
            services: parse::services(self.services.as_deref())?,
            key_size: self.key_size,
            key_algorithm: parse::key_algorithm(self.key_algorithm.as_deref())?,
            subject_key_identifier: self
                .subject_key_identifier
                .as_deref()
                .map(parse::hex)
                .transpose()?,
            subject_name: parse::subject(self.subject_name.as_deref())?,
            domain_name: self.domain_name,
            include_server_fqdn: self.include_server_fqdn,
            include_server_netbios_name: self.include_server_netbios_name,
            include_accepted_domains: self.include_accepted_domains,
            include_autodiscover: self.include_autodiscover,
            keep_default_smtp: self.keep_default_smtp,
            request_file: parse::file_target(
                "RequestFile",
                self.request_file,
                self.binary_encoded,
            )?,
        })
    }
}
