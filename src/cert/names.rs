//! Subject names (docs/cmdlets.md, "New-ExchangeCertificate"); the domain names and the SAN
//! list in `names/san.rs`.

use crate::{Error, Result};

mod san;
pub use san::{dns_name, san_list, SanRequest};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
