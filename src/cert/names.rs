//! Subject names and the SAN list (docs/cmdlets.md, "New-ExchangeCertificate").

use crate::cert::host::HostNames;
use crate::{Error, Result};

/// Attribute types accepted in `-SubjectName`, with their OIDs and the short names .NET prints.
/// Aliases map to the first name (`ST` → `S`, `EMAIL` → `E`).
const ATTRIBUTES: [(&str, &[&str], &[u64]); 10] = [
    ("CN", &[], &[2, 5, 4, 3]),
    ("O", &[], &[2, 5, 4, 10]),
    ("OU", &[], &[2, 5, 4, 11]),
    ("L", &[], &[2, 5, 4, 7]),
    ("S", &["ST"], &[2, 5, 4, 8]),
    ("C", &[], &[2, 5, 4, 6]),
    (
        "E",
        &["EMAIL", "EMAILADDRESS"],
        &[1, 2, 840, 113549, 1, 9, 1],
    ),
    ("DC", &[], &[0, 9, 2342, 19200300, 100, 1, 25]),
    ("SERIALNUMBER", &[], &[2, 5, 4, 5]),
    ("STREET", &[], &[2, 5, 4, 9]),
];

/// The longest CN a certificate may carry (RFC 5280 ub-common-name).
pub const MAX_CN_LEN: usize = 64;

/// One attribute of a subject: canonical short name and value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    pub name: &'static str,
    pub value: String,
}

impl Attribute {
    /// The attribute type's OID arcs.
    pub fn oid(&self) -> &'static [u64] {
        ATTRIBUTES
            .iter()
            .find(|a| a.0 == self.name)
            .map(|a| a.2)
            .unwrap_or(&[])
    }
}

/// The short name .NET prints for an attribute OID (dotted), or the dotted OID itself.
pub fn short_name_for_oid(dotted: &str) -> String {
    ATTRIBUTES
        .iter()
        .find(|a| dotted_oid(a.2) == dotted)
        .map(|a| a.0.to_string())
        .unwrap_or_else(|| format!("OID.{dotted}"))
}

fn dotted_oid(arcs: &[u64]) -> String {
    arcs.iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// A parsed subject, in the order written (which is the order encoded: `C=US,O=Contoso,CN=x`
/// puts C first in the DER, as openssl's `-subj /C=US/O=Contoso/CN=x` does).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject(pub Vec<Attribute>);

impl Subject {
    /// Parses `C=US,O=Contoso,CN=mail.contoso.com`. Separators `,` or `;`; values may be quoted
    /// (`O="Contoso, Ltd"`) or escape a character with `\`.
    pub fn parse(text: &str) -> Result<Subject> {
        let mut attrs = Vec::new();
        for part in split_unquoted(text)? {
            let (key, value) = part.split_once('=').ok_or_else(|| {
                Error::invalid(format!(
                    "'{part}' in the subject name has no '=': write the subject as TYPE=value pairs, for example 'C=US,O=Contoso,CN=mail.contoso.com'"
                ))
            })?;
            let key = key.trim();
            let name = ATTRIBUTES
                .iter()
                .find(|(n, aliases, _)| n.eq_ignore_ascii_case(key) || aliases.iter().any(|a| a.eq_ignore_ascii_case(key)))
                .map(|a| a.0)
                .ok_or_else(|| {
                    Error::invalid(format!(
                        "'{key}' is not a subject attribute this library writes: use CN, O, OU, L, S, C, E, DC, SERIALNUMBER or STREET"
                    ))
                })?;
            let value = unquote(value.trim());
            if value.is_empty() {
                return Err(Error::invalid(format!(
                    "the subject attribute {name} is empty: give it a value or leave it out"
                )));
            }
            if attrs.iter().any(|a: &Attribute| a.name == name) {
                return Err(Error::invalid(format!(
                    "the subject name has {name} twice: this library writes each attribute once; join the values or drop one"
                )));
            }
            match name {
                "C" if value.len() != 2 || !value.chars().all(|c| c.is_ascii_alphabetic()) => {
                    return Err(Error::invalid(format!("C={value} is not a country code: use the two-letter ISO 3166 code, for example C=US")));
                }
                "CN" if value.chars().count() > MAX_CN_LEN => {
                    return Err(Error::invalid(format!(
                        "the CN is {} characters long; certificates allow at most {MAX_CN_LEN}: shorten it and put long names in -DomainName",
                        value.chars().count()
                    )));
                }
                _ => {}
            }
            attrs.push(Attribute { name, value });
        }
        if attrs.is_empty() {
            return Err(Error::invalid("the subject name is empty: give at least CN=<name>, for example CN=mail.contoso.com"));
        }
        Ok(Subject(attrs))
    }

    /// `CN=<name>`.
    pub fn common_name_only(name: &str) -> Subject {
        Subject(vec![Attribute {
            name: "CN",
            value: name.to_string(),
        }])
    }

    /// The CN value, if any.
    pub fn common_name(&self) -> Option<&str> {
        self.0
            .iter()
            .find(|a| a.name == "CN")
            .map(|a| a.value.as_str())
    }

    /// As .NET's `X509Certificate2.Subject` prints it: last encoded first, `, ` between.
    pub fn display(&self) -> String {
        display_name(
            self.0
                .iter()
                .map(|a| (a.name.to_string(), a.value.clone()))
                .collect(),
        )
    }
}

/// Formats (short name, value) pairs in encoded order the way .NET does: reversed, `, ` joined,
/// values with special characters in double quotes.
pub fn display_name(encoded_order: Vec<(String, String)>) -> String {
    encoded_order
        .into_iter()
        .rev()
        .map(|(k, v)| format!("{k}={}", crate::cert::dn_display::quote_value(&v)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn split_unquoted(text: &str) -> Result<Vec<String>> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                cur.push(c);
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            ',' | ';' if !quoted => {
                if !cur.trim().is_empty() {
                    parts.push(std::mem::take(&mut cur));
                }
                cur.clear();
            }
            _ => cur.push(c),
        }
    }
    if quoted {
        return Err(Error::invalid(
            "the subject name has an unclosed '\"': close the quoted value",
        ));
    }
    if !cur.trim().is_empty() {
        parts.push(cur);
    }
    Ok(parts.into_iter().map(|p| p.trim().to_string()).collect())
}

fn unquote(v: &str) -> String {
    let inner = if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') {
        v[1..v.len() - 1].replace("\"\"", "\"")
    } else {
        v.to_string()
    };
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

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
    fn subject_parses_and_displays_like_dotnet() {
        let s = Subject::parse("C=US,O=Contoso,CN=mail.contoso.com").unwrap();
        assert_eq!(s.0.len(), 3);
        assert_eq!(s.display(), "CN=mail.contoso.com, O=Contoso, C=US");
        let s = Subject::parse(r#"cn=a.contoso.com; o="Contoso, Ltd"; st=WA"#).unwrap();
        assert_eq!(s.display(), r#"S=WA, O="Contoso, Ltd", CN=a.contoso.com"#);
        let s = Subject::parse(r"CN=x.contoso.com,O=A\,B").unwrap();
        assert_eq!(s.0[1].value, "A,B");
    }

    #[test]
    fn subject_errors_name_the_problem() {
        for (bad, needle) in [
            ("", "empty"),
            ("CN", "no '='"),
            ("XX=1", "'XX'"),
            ("C=USA", "country"),
            ("CN=a,CN=b", "twice"),
            ("O=\"x", "unclosed"),
            ("CN=", "empty"),
        ] {
            let e = Subject::parse(bad).unwrap_err();
            assert!(e.message.contains(needle), "{bad}: {e}");
        }
        let long = format!("CN={}", "a".repeat(65));
        assert!(Subject::parse(&long)
            .unwrap_err()
            .message
            .contains("at most 64"));
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
