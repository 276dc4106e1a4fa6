//! The assignment rules (docs/cmdlets.md) in one place: which services a certificate may take, and
//! what its removal leaves behind.

use crate::cert::services::Services;
use crate::store::Assignments;
use crate::{Code, Error, Result};

/// The services one certificate holds at a time; SMTP and Federation have many holders.
const SINGLE_HOLDER: [Services; 5] = [
    Services::IMAP,
    Services::POP,
    Services::UM,
    Services::IIS,
    Services::UM_CALL_ROUTER,
];

/// How `assign` treats the two questions Exchange's cmdlets settle before assigning.
#[derive(Clone, Copy, Debug, Default)]
pub struct AssignRules {
    /// Another certificate is the default SMTP certificate: replace it without asking (and
    /// without a warning, as Exchange's `-Force` hides them).
    pub force: bool,
    /// Another certificate is the default SMTP certificate: keep it, and add this one as a
    /// further SMTP certificate (the answer No to Exchange's question).
    pub keep_default_smtp: bool,
    /// Federation may be assigned: `New-ExchangeCertificate -Services Federation` makes the
    /// federation certificate; `Enable-ExchangeCertificate` refuses it, as Exchange does.
    pub allow_federation: bool,
}

/// Applies `services` for `thumb` to the server's assignments (Enable): IIS, IMAP,
/// POP, UM and UMCallRouter have one holder; SMTP many, with one default that changes only
/// with `rules.force` (or is kept with `rules.keep_default_smtp`); Federation many, only when
/// `rules.allow_federation`. Without either rule, replacing the default SMTP certificate is
/// `ConfirmationRequired` and changes nothing. Returns warnings.
pub fn assign(
    a: &mut Assignments,
    thumb: &str,
    services: Services,
    rules: AssignRules,
) -> Result<Vec<String>> {
    if services.contains(Services::FEDERATION) && !rules.allow_federation {
        return Err(Error::new(
            Code::ServiceRefused,
            "the Federation service is managed by Exchange's federation trust (Set-FederationTrust), not by assigning it to a certificate: leave Federation out (New-ExchangeCertificate -Services Federation makes a federation certificate)",
        ));
    }
    let warnings = Vec::new();
    if services.contains(Services::SMTP) {
        match a.default_smtp.as_deref() {
            Some(current) if current != thumb && rules.force => {
                a.default_smtp = Some(thumb.to_string());
            }
            Some(current) if current != thumb && !rules.keep_default_smtp => {
                return Err(Error::new(Code::ConfirmationRequired, format!(
                    "this would replace the default SMTP certificate {current}: confirm, or repeat with -Force (KeepDefaultSMTP keeps it and adds this one for SMTP)"
                )));
            }
            Some(_) => {}
            None => a.default_smtp = Some(thumb.to_string()),
        }
    }
    for flag in SINGLE_HOLDER
        .iter()
        .chain([&Services::SMTP, &Services::FEDERATION])
        .copied()
    {
        if !services.contains(flag) {
            continue;
        }
        let holders = a.holders.entry(flag.0).or_default();
        if flag == Services::SMTP || flag == Services::FEDERATION {
            if !holders.iter().any(|t| t == thumb) {
                holders.push(thumb.to_string());
            }
        } else {
            *holders = vec![thumb.to_string()];
        }
    }
    Ok(warnings)
}

/// Lets go of `thumb` in the server's assignments before it is removed (Remove): the
/// default SMTP certificate, or the only holder of a service, is refused unless `force`; with
/// it, the services are left without a certificate and SMTP's default moves to another holder.
/// Returns warnings saying what changed.
pub fn release(a: &mut Assignments, thumb: &str, server: &str, force: bool) -> Result<Vec<String>> {
    let held = sole_holder_of(a, thumb);
    let is_default_smtp = a.default_smtp.as_deref() == Some(thumb);
    if !force && (is_default_smtp || held != Services::NONE) {
        let why = if is_default_smtp {
            "it is the default SMTP certificate".to_string()
        } else {
            format!("it is the only certificate for {held}")
        };
        return Err(Error::new(
            Code::InUse,
            format!("{thumb} is in use: {why}. Enable another certificate for those services first (Enable-ExchangeCertificate), or repeat with -Force to leave them without a certificate"),
        ));
    }
    let mut warnings = Vec::new();
    for ts in a.holders.values_mut() {
        ts.retain(|t| t != thumb);
    }
    a.holders.retain(|_, ts| !ts.is_empty());
    if is_default_smtp {
        a.default_smtp = a
            .holders
            .get(&Services::SMTP.0)
            .and_then(|h| h.first())
            .cloned();
        match &a.default_smtp {
            Some(t) => warnings.push(format!("The default SMTP certificate is now {t}.")),
            None => warnings.push("The server has no SMTP certificate any more.".to_string()),
        }
    }
    if held != Services::NONE {
        warnings.push(format!(
            "{held} now have no certificate on server {server}."
        ));
    }
    Ok(warnings)
}

/// The services `thumb` is the only holder of.
fn sole_holder_of(a: &Assignments, thumb: &str) -> Services {
    Services(
        a.holders
            .iter()
            .filter(|(_, ts)| ts.len() == 1 && ts[0] == thumb)
            .fold(0, |bits, (flag, _)| bits | flag),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const ASK: AssignRules = AssignRules {
        force: false,
        keep_default_smtp: false,
        allow_federation: false,
    };
    const FORCE: AssignRules = AssignRules { force: true, ..ASK };

    #[test]
    fn single_holder_services_move_and_smtp_default_needs_force() {
        let mut a = Assignments::default();
        assign(&mut a, "A", Services::parse("IIS,SMTP").unwrap(), ASK).unwrap();
        assert_eq!(a.default_smtp.as_deref(), Some("A"));
        let e = assign(&mut a, "B", Services::parse("IIS,SMTP").unwrap(), ASK).unwrap_err();
        assert_eq!(e.code, Code::ConfirmationRequired);
        assert_eq!(
            a.services_of("A"),
            Services(24),
            "a refusal changes nothing"
        );
        assign(&mut a, "B", Services::IIS, ASK).unwrap();
        assert_eq!(a.services_of("A"), Services::SMTP);
        assert_eq!(a.services_of("B"), Services::IIS);
        let w = assign(&mut a, "B", Services::SMTP, FORCE).unwrap();
        assert!(w.is_empty(), "-Force hides the warning: {w:?}");
        assert_eq!(a.services_of("A"), Services::SMTP, "SMTP has many holders");
        assert_eq!(a.default_smtp.as_deref(), Some("B"));
        assert_eq!(
            assign(&mut a, "C", Services::FEDERATION, FORCE)
                .unwrap_err()
                .code,
            Code::ServiceRefused
        );
    }

    #[test]
    fn no_keeps_the_default_smtp_certificate_and_still_assigns() {
        let mut a = Assignments::default();
        assign(&mut a, "A", Services::SMTP, ASK).unwrap();
        let keep = AssignRules {
            keep_default_smtp: true,
            ..ASK
        };
        assign(&mut a, "B", Services::parse("IIS,SMTP").unwrap(), keep).unwrap();
        assert_eq!(a.default_smtp.as_deref(), Some("A"), "the default stays");
        assert_eq!(
            a.services_of("B"),
            Services(24),
            "B still gets IIS and SMTP"
        );
        assert_eq!(a.services_of("A"), Services::SMTP);
    }

    #[test]
    fn federation_only_where_allowed_and_with_many_holders() {
        let mut a = Assignments::default();
        let federation = AssignRules {
            allow_federation: true,
            ..ASK
        };
        assign(&mut a, "A", Services::FEDERATION, federation).unwrap();
        assign(&mut a, "B", Services::FEDERATION, federation).unwrap();
        assert_eq!(a.services_of("A"), Services::FEDERATION);
        assert_eq!(a.services_of("B"), Services::FEDERATION);
    }
}
