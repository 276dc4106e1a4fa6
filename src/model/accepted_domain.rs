//! Requests and answers of the accepted-domain operations (Exchange's
//! `New-/Get-/Remove-AcceptedDomain`).

use serde::{Deserialize, Serialize};

/// `New-AcceptedDomain`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct NewAcceptedDomainRequest {
    #[serde(default)]
    pub store_root: Option<String>,
    /// A unique name, for example `Contoso`.
    pub name: String,
    /// The SMTP domain, for example `contoso.com` or `*.contoso.com`.
    pub domain_name: String,
    /// `Authoritative` (default), `InternalRelay` or `ExternalRelay`.
    #[serde(default)]
    pub domain_type: Option<String>,
}

/// `Get-AcceptedDomain` (every domain, or the one `Identity` names) and `Remove-AcceptedDomain`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AcceptedDomainIdentityRequest {
    #[serde(default)]
    pub store_root: Option<String>,
    /// The domain's Name or DomainName, any case; required to remove.
    #[serde(default)]
    pub identity: Option<String>,
}

/// An accepted domain as the cmdlets show it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct AcceptedDomainView {
    pub name: String,
    pub domain_name: String,
    pub domain_type: String,
    /// True for the organization's default domain: the first one added.
    pub default: bool,
}

/// Answer carrying one accepted domain (new, remove).
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AcceptedDomainAnswer {
    pub schema: u32,
    pub accepted_domain: AcceptedDomainView,
    pub warnings: Vec<String>,
}

/// Answer carrying the accepted domains, in the order added.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AcceptedDomainListAnswer {
    pub schema: u32,
    pub accepted_domains: Vec<AcceptedDomainView>,
    pub warnings: Vec<String>,
}
