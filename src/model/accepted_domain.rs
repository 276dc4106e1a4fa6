//! What the accepted-domain operations (Exchange's `New-/Get-/Remove-AcceptedDomain`) take and
//! give.

use crate::store::accepted_domains::DomainType;

/// `New-AcceptedDomain`.
#[derive(Debug, Clone, Default)]
pub struct NewAcceptedDomainRequest {
    pub store_root: Option<String>,
    /// A unique name, for example `Contoso`.
    pub name: String,
    /// The SMTP domain, for example `contoso.com` or `*.contoso.com`.
    pub domain_name: String,
    /// Authoritative unless told otherwise, as Exchange.
    pub domain_type: DomainType,
}

/// `Get-AcceptedDomain` (every domain, or the one `identity` names) and `Remove-AcceptedDomain`.
#[derive(Debug, Clone, Default)]
pub struct AcceptedDomainIdentityRequest {
    pub store_root: Option<String>,
    /// The domain's Name or DomainName, any case; required to remove.
    pub identity: Option<String>,
}

/// An accepted domain as the cmdlets show it.
#[derive(Debug, Clone, PartialEq)]
pub struct AcceptedDomainView {
    pub name: String,
    pub domain_name: String,
    pub domain_type: DomainType,
    /// True for the organization's default domain: the first one added.
    pub default: bool,
}

/// One accepted domain (new, remove) and the warnings of the operation.
#[derive(Debug, Clone)]
pub struct AcceptedDomainAnswer {
    pub accepted_domain: AcceptedDomainView,
    pub warnings: Vec<String>,
}

/// The accepted domains, in the order added, and the warnings of the operation.
#[derive(Debug, Clone)]
pub struct AcceptedDomainListAnswer {
    pub accepted_domains: Vec<AcceptedDomainView>,
    pub warnings: Vec<String>,
}
