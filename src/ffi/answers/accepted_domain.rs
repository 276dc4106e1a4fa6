//! The accepted domains in the JSON answers.

use crate::model;
use crate::model::SCHEMA;
use serde::Serialize;

/// An accepted domain as the cmdlets show it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(in crate::ffi) struct AcceptedDomainView {
    name: String,
    domain_name: String,
    domain_type: &'static str,
    default: bool,
}

impl From<model::AcceptedDomainView> for AcceptedDomainView {
    fn from(d: model::AcceptedDomainView) -> Self {
        AcceptedDomainView {
            name: d.name,
            domain_name: d.domain_name,
            domain_type: d.domain_type.as_str(),
            default: d.default,
        }
    }
}

/// Answer carrying one accepted domain (new, remove).
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(in crate::ffi) struct AcceptedDomainAnswer {
    schema: u32,
    accepted_domain: AcceptedDomainView,
    warnings: Vec<String>,
}

impl From<model::AcceptedDomainAnswer> for AcceptedDomainAnswer {
    fn from(a: model::AcceptedDomainAnswer) -> Self {
        AcceptedDomainAnswer {
            schema: SCHEMA,
            accepted_domain: a.accepted_domain.into(),
            warnings: a.warnings,
        }
    }
}

/// Answer carrying the accepted domains, in the order added.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(in crate::ffi) struct AcceptedDomainListAnswer {
    schema: u32,
    accepted_domains: Vec<AcceptedDomainView>,
    warnings: Vec<String>,
}

impl From<model::AcceptedDomainListAnswer> for AcceptedDomainListAnswer {
    fn from(a: model::AcceptedDomainListAnswer) -> Self {
        AcceptedDomainListAnswer {
            schema: SCHEMA,
            accepted_domains: a
                .accepted_domains
                .into_iter()
                .map(AcceptedDomainView::from)
                .collect(),
            warnings: a.warnings,
        }
    }
}
