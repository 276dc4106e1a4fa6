//! The organization's accepted domains (Exchange's `New-/Get-/Remove-AcceptedDomain`), and the
//! certificate names they give `New-ExchangeCertificate -IncludeAcceptedDomains` and
//! `-IncludeAutoDiscover`.

use crate::model::{
    AcceptedDomainAnswer, AcceptedDomainIdentityRequest, AcceptedDomainListAnswer,
    AcceptedDomainView, NewAcceptedDomainRequest,
};
use crate::store::accepted_domains::{self, AcceptedDomain};
use crate::store::Store;
use crate::{Error, Result};

/// `New-AcceptedDomain`: adds a domain (Authoritative unless told otherwise).
pub fn new_accepted_domain(req: &NewAcceptedDomainRequest) -> Result<AcceptedDomainAnswer> {
    let store = Store::open(req.store_root.as_deref())?;
    let domain = AcceptedDomain::new(&req.name, &req.domain_name, req.domain_type)?;
    // Judged before the change rewrites the file.
    let warnings = store.permission_warnings();
    accepted_domains::add(store.root(), &domain)?;
    let all = accepted_domains::list(store.root())?;
    Ok(AcceptedDomainAnswer {
        accepted_domain: view(&domain, &all),
        warnings,
    })
}

/// `Get-AcceptedDomain`: every domain in the order added, or the one `Identity` names
/// (`NotFound` when none does).
pub fn list_accepted_domains(
    req: &AcceptedDomainIdentityRequest,
) -> Result<AcceptedDomainListAnswer> {
    let store = Store::open(req.store_root.as_deref())?;
    let all = accepted_domains::list(store.root())?;
    let chosen: Vec<&AcceptedDomain> =
        match req.identity.as_deref().filter(|i| !i.trim().is_empty()) {
            Some(identity) => {
                let found: Vec<_> = all.iter().filter(|d| d.is(identity)).collect();
                if found.is_empty() {
                    return Err(accepted_domains::not_found(identity));
                }
                found
            }
            None => all.iter().collect(),
        };
    Ok(AcceptedDomainListAnswer {
        accepted_domains: chosen.into_iter().map(|d| view(d, &all)).collect(),
        warnings: store.permission_warnings(),
    })
}

/// `Remove-AcceptedDomain`: removes the domain `Identity` names. Certificates that carry it
/// keep it; the next domain becomes the default when the default one goes.
pub fn remove_accepted_domain(req: &AcceptedDomainIdentityRequest) -> Result<AcceptedDomainAnswer> {
    let store = Store::open(req.store_root.as_deref())?;
    let identity = req
        .identity
        .as_deref()
        .filter(|i| !i.trim().is_empty())
        .ok_or_else(|| {
            Error::invalid("Identity is required: give the accepted domain's Name or DomainName")
        })?;
    // Judged before the change rewrites the file.
    let warnings = store.permission_warnings();
    let was_default = accepted_domains::list(store.root())?
        .first()
        .is_some_and(|d| d.is(identity));
    let removed = accepted_domains::remove(store.root(), identity)?;
    let mut shown = view(&removed, &[]);
    shown.default = was_default;
    Ok(AcceptedDomainAnswer {
        accepted_domain: shown,
        warnings,
    })
}

/// The names `-IncludeAcceptedDomains` and `-IncludeAutoDiscover` add: each accepted domain,
/// and `autodiscover.<domain>` for each (for `*.contoso.com`, `autodiscover.contoso.com`).
pub fn certificate_names(
    store: &Store,
    include_accepted_domains: bool,
    include_autodiscover: bool,
) -> Result<Vec<String>> {
    if !include_accepted_domains && !include_autodiscover {
        return Ok(Vec::new());
    }
    let mut names = Vec::new();
    for d in accepted_domains::list(store.root())? {
        if include_accepted_domains {
            names.push(d.domain_name.clone());
        }
        if include_autodiscover {
            let base = d.domain_name.strip_prefix("*.").unwrap_or(&d.domain_name);
            names.push(format!("autodiscover.{base}"));
        }
    }
    Ok(names)
}

fn view(d: &AcceptedDomain, all: &[AcceptedDomain]) -> AcceptedDomainView {
    AcceptedDomainView {
        name: d.name.clone(),
        domain_name: d.domain_name.clone(),
        domain_type: d.domain_type,
        default: all.first().is_some_and(|first| first == d),
    }
}
