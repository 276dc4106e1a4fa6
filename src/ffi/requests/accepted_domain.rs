//! The JSON requests of the accepted-domain exports and their conversion to the core's types.

use crate::model;
use crate::store::accepted_domains::DomainType;
use crate::Result;
use serde::Deserialize;

/// `New-AcceptedDomain`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(in crate::ffi) struct NewAcceptedDomainRequest {
    #[serde(default)]
    pub(in crate::ffi) store_root: Option<String>,
    pub(in crate::ffi) name: String,
    pub(in crate::ffi) domain_name: String,
    /// `Authoritative` (default), `InternalRelay` or `ExternalRelay`.
    #[serde(default)]
    pub(in crate::ffi) domain_type: Option<String>,
}

impl NewAcceptedDomainRequest {
    pub(in crate::ffi) fn into_core(self) -> Result<model::NewAcceptedDomainRequest> {
        Ok(model::NewAcceptedDomainRequest {
            domain_type: match self.domain_type.as_deref() {
                Some(t) => DomainType::parse(t)?,
                None => DomainType::default(),
            },
            store_root: self.store_root,
            name: self.name,
            domain_name: self.domain_name,
        })
    }
}

/// `Get-AcceptedDomain` and `Remove-AcceptedDomain`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(in crate::ffi) struct AcceptedDomainIdentityRequest {
    #[serde(default)]
    pub(in crate::ffi) store_root: Option<String>,
    #[serde(default)]
    pub(in crate::ffi) identity: Option<String>,
}

impl AcceptedDomainIdentityRequest {
    pub(in crate::ffi) fn into_core(self) -> model::AcceptedDomainIdentityRequest {
        model::AcceptedDomainIdentityRequest {
            store_root: self.store_root,
            identity: self.identity,
        }
    }
}
