//! Domain names for a certificate, and the SAN list New-ExchangeCertificate builds from the
//! subject, `-DomainName` and the host's names.

use super::Subject;
use crate::cert::host::HostNames;
use crate::{Error, Result};

/// Checks a DNS name for a certificate and returns its ASCII form (IDN → punycode).
/// A wildcard is allowed only as the whole leftmost label of a name with two more labels.
pub fn dns_name(input: &str) -> Result<String> {
    let name = input.trim().trim_end_matches('.');
    let bad = |why: &str| {
        Error::invalid(format!(
            "'{input}' is not a valid domain name for a certificate ({why}): use names like mail.contoso.com or *.contoso.com"
        ))
    };
    if name.is_empty() {
        return Err(bad("it is empty"));
    }
    let ascii = if name.is_ascii() {
        name.to_string()
    } else {
        idna::domain_to_ascii(name)
            .map_err(|_| bad("its international characters cannot be converted to punycode"))?
    };
    if ascii.len() > 253 {
        return Err(bad("longer than 253 characters"));
    }
    let labels: Vec<&str> = ascii.split('.').collect();
    for (i, label) in labels.iter().enumerate() {
        if *label == "*" {
            if i != 0 {
                return Err(bad("a wildcard may only be the leftmost label"));
            }
            if labels.len() < 3 {
                return Err(bad(
                    "a wildcard needs at least two labels after it, as in *.contoso.com",
                ));
            }
            continue;
        }
        if label.is_empty() {
            return Err(bad("it has an empty label"));
        }
        if label.len() > 63 {
            return Err(bad("a label is longer than 63 characters"));
        }
        if label.contains('*') {
            return Err(bad("a wildcard must be a whole label, as in *.contoso.com"));
        }
        if !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(bad("only letters, digits and '-' are allowed"));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(bad("a label may not start or end with '-'"));
        }
    }
    Ok(ascii)
}

/// What goes into the SAN list.
#[derive(Clone, Debug, Default)]
pub struct SanRequest<'a> {
    pub domain_names: &'a [String],
    pub include_server_fqdn: bool,
    pub include_server_netbios_name: bool,
}

/// Builds the SAN list: the CN first, then the domain names, then the host's names
/// when asked (or when nothing else is given); duplicates removed case-insensitively.
pub fn san_list(subject: &Subject, req: &SanRequest, host: &HostNames) -> Result<Vec<String>> {
    let mut names: Vec<String> = Vec::new();
    let mut push = |n: String| {
        if !names.iter().any(|m| m.eq_ignore_ascii_case(&n)) {
            names.push(n);
        }
    };
    if let Some(cn) = subject.common_name() {
        push(dns_name(cn).map_err(|e| {
            Error::invalid(format!(
                "{} — the CN is always added to the certificate's domains, so it must be a domain name too",
                e.message
            ))
        })?);
    }
    for d in req.domain_names {
        push(dns_name(d)?);
    }
    let nothing_asked =
        req.domain_names.is_empty() && !req.include_server_fqdn && !req.include_server_netbios_name;
    if req.include_server_netbios_name || nothing_asked {
        push(dns_name(&host.name)?);
    }
    if req.include_server_fqdn || nothing_asked {
        push(dns_name(&host.fqdn)?);
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host() -> HostNames {
        HostNames {
            name: "EX01".into(),
            fqdn: "ex01.contoso.com".into(),
        }
    }

    #[test]
    fn dns_names_are_checked_and_idn_becomes_punycode() {
        assert_eq!(dns_name("mail.contoso.com").unwrap(), "mail.contoso.com");
        assert_eq!(dns_name("*.contoso.com").unwrap(), "*.contoso.com");
        assert_eq!(dns_name("bücher.example").unwrap(), "xn--bcher-kva.example");
        for bad in [
            "mail.*.com",
            "*.com",
            "a..b",
            "-a.com",
            "a_b.com",
            "m*.contoso.com",
            "",
        ] {
            assert!(dns_name(bad).is_err(), "{bad}");
        }
        assert!(dns_name(&format!("{}.com", "a".repeat(64))).is_err());
    }

    #[test]
    fn san_list_follows_exchange() {
        let s = Subject::common_name_only("EX01");
        let none = SanRequest::default();
        assert_eq!(
            san_list(&s, &none, &host()).unwrap(),
            ["EX01", "ex01.contoso.com"]
        );

        let s = Subject::parse("C=US,O=Contoso,CN=mail.contoso.com").unwrap();
        let d = vec![
            "MAIL.contoso.com".to_string(),
            "autodiscover.contoso.com".to_string(),
        ];
        let req = SanRequest {
            domain_names: &d,
            ..Default::default()
        };
        assert_eq!(
            san_list(&s, &req, &host()).unwrap(),
            ["mail.contoso.com", "autodiscover.contoso.com"]
        );

        let req = SanRequest {
            domain_names: &d,
            include_server_fqdn: true,
            include_server_netbios_name: true,
        };
        assert_eq!(
            san_list(&s, &req, &host()).unwrap(),
            [
                "mail.contoso.com",
                "autodiscover.contoso.com",
                "EX01",
                "ex01.contoso.com"
            ]
        );
        let s = Subject::parse("CN=Contoso Mail").unwrap();
        assert!(san_list(&s, &none, &host())
            .unwrap_err()
            .message
            .contains("CN is always added"));
    }
}
