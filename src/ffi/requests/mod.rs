//! The JSON requests of the C ABI, field for field as `include/excert.h` documents them, and
//! their conversion to the core's typed requests. Private to `ffi`: the core never sees them.

use super::parse;
use crate::model;
use crate::ops;
use crate::Result;
use serde::Deserialize;

mod accepted_domain;
pub(super) use accepted_domain::*;

/// `New-ExchangeCertificate` (Certificate parameter set).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(super) struct NewCertificateRequest {
    #[serde(default)]
    pub(super) store_root: Option<String>,
    #[serde(default)]
    pub(super) server: Option<String>,
    /// X.500 name, for example `C=US,O=Contoso,CN=mail.contoso.com`; default `CN=<server>`.
    #[serde(default)]
    pub(super) subject_name: Option<String>,
    #[serde(default)]
    pub(super) domain_name: Vec<String>,
    #[serde(default)]
    pub(super) friendly_name: Option<String>,
    /// RSA key size in bits (1024, 2048, 3072, 4096); default 2048.
    #[serde(default)]
    pub(super) key_size: Option<u32>,
    /// `RSA` (default), `ECDSA_P256` or `ECDSA_P384`.
    #[serde(default)]
    pub(super) key_algorithm: Option<String>,
    #[serde(default)]
    pub(super) private_key_exportable: bool,
    /// Comma-separated service names (`IIS, SMTP`); default `IMAP, POP, SMTP`.
    #[serde(default)]
    pub(super) services: Option<String>,
    #[serde(default, rename = "IncludeServerFQDN")]
    pub(super) include_server_fqdn: bool,
    #[serde(default, rename = "IncludeServerNetBIOSName")]
    pub(super) include_server_netbios_name: bool,
    /// Hex string; default derived from the public key.
    #[serde(default)]
    pub(super) subject_key_identifier: Option<String>,
    /// Add every accepted domain of the organization to the names (`-IncludeAcceptedDomains`).
    #[serde(default)]
    pub(super) include_accepted_domains: bool,
    /// Add `autodiscover.<domain>` for every accepted domain (`-IncludeAutoDiscover`).
    #[serde(default, rename = "IncludeAutoDiscover")]
    pub(super) include_autodiscover: bool,
    /// Replace the default SMTP certificate without asking (and without a warning).
    #[serde(default)]
    pub(super) force: bool,
    /// Keep the default SMTP certificate and add this one for SMTP beside it (the answer No).
    #[serde(default, rename = "KeepDefaultSMTP")]
    pub(super) keep_default_smtp: bool,
    /// RFC 3339; default now. Beyond Exchange, for tests and back-dated certificates.
    #[serde(default)]
    pub(super) not_before: Option<String>,
    /// RFC 3339; default NotBefore + 60 months.
    #[serde(default)]
    pub(super) not_after: Option<String>,
}

impl NewCertificateRequest {
    pub(super) fn into_core(self) -> Result<model::NewCertificateRequest> {
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

/// `Get-ExchangeCertificate`: all filters optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(super) struct ListRequest {
    #[serde(default)]
    pub(super) store_root: Option<String>,
    /// A server name, or `*` for every server in the store.
    #[serde(default)]
    pub(super) server: Option<String>,
    #[serde(default)]
    pub(super) thumbprint: Option<String>,
    /// `SERVER\THUMBPRINT` or a bare thumbprint, instead of `Thumbprint` (and `Server`).
    #[serde(default)]
    pub(super) identity: Option<String>,
    /// Matches subject CN or a SAN; `*` and `?` wildcards honoured, case-insensitive.
    #[serde(default)]
    pub(super) domain_name: Vec<String>,
    /// Days before NotAfter that count as "expiring soon"; default 30.
    #[serde(default)]
    pub(super) expiry_warning_days: Option<u32>,
    /// Only certificates whose NotAfter is within this many days (or past).
    #[serde(default)]
    pub(super) expiring_within_days: Option<u32>,
    /// Fetch CRLs and OCSP answers again even when the cached ones are current.
    #[serde(default)]
    pub(super) refresh_revocation: bool,
    /// Use cached revocation answers only; fetch nothing.
    #[serde(default)]
    pub(super) offline_revocation: bool,
    /// The certificate properties to answer (names of `CERTIFICATE_PROPERTIES`); all when absent.
    #[serde(default)]
    pub(super) properties: Option<Vec<String>>,
}

impl ListRequest {
    pub(super) fn into_core(self) -> Result<model::ListRequest> {
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
pub(super) struct GetRequest {
    #[serde(default)]
    pub(super) store_root: Option<String>,
    #[serde(default)]
    pub(super) server: Option<String>,
    /// Required unless `Identity` names the certificate.
    #[serde(default)]
    pub(super) thumbprint: Option<String>,
    /// `SERVER\THUMBPRINT` or a bare thumbprint, instead of `Thumbprint` (and `Server`).
    #[serde(default)]
    pub(super) identity: Option<String>,
    /// As in `ListRequest`.
    #[serde(default)]
    pub(super) refresh_revocation: bool,
    /// As in `ListRequest`.
    #[serde(default)]
    pub(super) offline_revocation: bool,
}

impl GetRequest {
    pub(super) fn into_core(self) -> Result<(model::ThumbprintRequest, model::RevocationMode)> {
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

/// Renewal (`Get-ExchangeCertificate T | New-ExchangeCertificate`): a new key and certificate
/// (or request) with the old one's subject, names, friendly name, key type and services.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(super) struct RenewRequest {
    #[serde(default)]
    pub(super) store_root: Option<String>,
    #[serde(default)]
    pub(super) server: Option<String>,
    /// Required unless `Identity` names the certificate.
    #[serde(default)]
    pub(super) thumbprint: Option<String>,
    /// `SERVER\THUMBPRINT` or a bare thumbprint, instead of `Thumbprint` (and `Server`).
    #[serde(default)]
    pub(super) identity: Option<String>,
    /// Make a renewal request for a CA instead of a self-signed certificate.
    #[serde(default)]
    pub(super) generate_request: bool,
    #[serde(default)]
    pub(super) force: bool,
    /// Overrides the old friendly name.
    #[serde(default)]
    pub(super) friendly_name: Option<String>,
    /// Overrides the old exportability (default: as the old certificate).
    #[serde(default)]
    pub(super) private_key_exportable: Option<bool>,
    /// Overrides the old services (default: as the old certificate).
    #[serde(default)]
    pub(super) services: Option<String>,
    /// Overrides the old key size (RSA).
    #[serde(default)]
    pub(super) key_size: Option<u32>,
    /// Overrides the old key algorithm.
    #[serde(default)]
    pub(super) key_algorithm: Option<String>,
    /// A subject key identifier for the new certificate (hex).
    #[serde(default)]
    pub(super) subject_key_identifier: Option<String>,
    /// Overrides the old subject.
    #[serde(default)]
    pub(super) subject_name: Option<String>,
    /// Overrides the old domain names.
    #[serde(default)]
    pub(super) domain_name: Option<Vec<String>>,
    #[serde(default, rename = "IncludeServerFQDN")]
    pub(super) include_server_fqdn: bool,
    #[serde(default, rename = "IncludeServerNetBIOSName")]
    pub(super) include_server_netbios_name: bool,
    #[serde(default)]
    pub(super) include_accepted_domains: bool,
    #[serde(default, rename = "IncludeAutoDiscover")]
    pub(super) include_autodiscover: bool,
    /// Keep the default SMTP certificate and add the new one for SMTP beside it.
    #[serde(default, rename = "KeepDefaultSMTP")]
    pub(super) keep_default_smtp: bool,
}

impl RenewRequest {
    pub(super) fn into_core(self) -> Result<model::RenewRequest> {
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
        })
    }
}

/// `Enable-ExchangeCertificate`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(super) struct EnableRequest {
    #[serde(default)]
    pub(super) store_root: Option<String>,
    #[serde(default)]
    pub(super) server: Option<String>,
    /// Required unless `Identity` names the certificate.
    #[serde(default)]
    pub(super) thumbprint: Option<String>,
    /// `SERVER\THUMBPRINT` or a bare thumbprint, instead of `Thumbprint` (and `Server`).
    #[serde(default)]
    pub(super) identity: Option<String>,
    /// Comma-separated services to add (`IIS, SMTP`).
    pub(super) services: String,
    /// Replace the default SMTP certificate without asking.
    #[serde(default)]
    pub(super) force: bool,
    /// Keep the default SMTP certificate and add this one for SMTP beside it (the answer No).
    #[serde(default, rename = "KeepDefaultSMTP")]
    pub(super) keep_default_smtp: bool,
    /// Accepted for Exchange scripts; no effect off Windows (said in a warning).
    #[serde(default)]
    pub(super) do_not_require_ssl: bool,
    /// Accepted for Exchange scripts; no effect off Windows (said in a warning).
    #[serde(default)]
    pub(super) network_service_allowed: bool,
}

impl EnableRequest {
    pub(super) fn into_core(self) -> Result<model::EnableRequest> {
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
pub(super) struct RemoveRequest {
    #[serde(default)]
    pub(super) store_root: Option<String>,
    #[serde(default)]
    pub(super) server: Option<String>,
    /// Required unless `Identity` names the certificate.
    #[serde(default)]
    pub(super) thumbprint: Option<String>,
    /// `SERVER\THUMBPRINT` or a bare thumbprint, instead of `Thumbprint` (and `Server`).
    #[serde(default)]
    pub(super) identity: Option<String>,
    /// Remove even a certificate in use (its services are left without a holder).
    #[serde(default)]
    pub(super) force: bool,
}

impl RemoveRequest {
    pub(super) fn into_core(self) -> Result<model::RemoveRequest> {
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

/// `Import-ExchangeCertificate`. The PFX password travels beside the JSON, never in it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(super) struct ImportRequest {
    #[serde(default)]
    pub(super) store_root: Option<String>,
    #[serde(default)]
    pub(super) server: Option<String>,
    /// Base64 of the file's bytes (DER, PEM, PKCS#7 or PKCS#12).
    pub(super) file_data: String,
    /// Default False, as Exchange; a completed request keeps the request's setting.
    #[serde(default)]
    pub(super) private_key_exportable: Option<bool>,
    #[serde(default)]
    pub(super) friendly_name: Option<String>,
    /// Beyond Exchange: trust the (root) certificate(s) for the whole organisation store instead
    /// of importing them to a server.
    #[serde(default)]
    pub(super) trusted_root: bool,
}

impl ImportRequest {
    pub(super) fn into_core(self) -> Result<model::ImportRequest> {
        Ok(model::ImportRequest {
            file_data: parse::file_data(&self.file_data)?,
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
pub(super) struct ExportRequest {
    #[serde(default)]
    pub(super) store_root: Option<String>,
    #[serde(default)]
    pub(super) server: Option<String>,
    /// Required unless `Identity` names the certificate.
    #[serde(default)]
    pub(super) thumbprint: Option<String>,
    /// `SERVER\THUMBPRINT` or a bare thumbprint, instead of `Thumbprint` (and `Server`).
    #[serde(default)]
    pub(super) identity: Option<String>,
    /// `Modern` (default) or `Legacy`.
    #[serde(default)]
    pub(super) encryption: Option<String>,
    /// Export even an expired certificate.
    #[serde(default)]
    pub(super) force: bool,
}

impl ExportRequest {
    pub(super) fn into_core(self) -> Result<model::ExportRequest> {
        let (server, thumbprint) =
            ops::resolve_required_identity(self.identity.as_deref(), self.server, self.thumbprint)?;
        Ok(model::ExportRequest {
            encryption: parse::encryption(self.encryption.as_deref())?,
            store_root: self.store_root,
            server,
            thumbprint,
            force: self.force,
        })
    }
}
