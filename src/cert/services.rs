//! Exchange's service flags (`AllowedServices`) and their string forms.

use crate::{Error, Result};

/// A set of Exchange services, as the flags Exchange stores.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Services(pub u32);

/// Name, flag value and letter in `ServicesStringForm`, in flag order. The PowerShell module's
/// `AllowedServices` enum is checked against it (tests/drift.rs).
pub const TABLE: [(&str, u32, char); 7] = [
    ("IMAP", 1, 'I'),
    ("POP", 2, 'P'),
    ("UM", 4, 'U'),
    ("IIS", 8, 'W'),
    ("SMTP", 16, 'S'),
    ("Federation", 32, 'F'),
    ("UMCallRouter", 64, 'C'),
];

impl Services {
    /// No service.
    pub const NONE: Services = Services(0);
    pub const IMAP: Services = Services(1);
    pub const POP: Services = Services(2);
    pub const UM: Services = Services(4);
    pub const IIS: Services = Services(8);
    pub const SMTP: Services = Services(16);
    pub const FEDERATION: Services = Services(32);
    pub const UM_CALL_ROUTER: Services = Services(64);
    /// Exchange's default for new certificates.
    pub const DEFAULT: Services = Services(1 | 2 | 16);

    /// Parses `IIS, SMTP` (or `IIS,SMTP`, any case, or a number); `None` or empty is no service.
    pub fn parse(text: &str) -> Result<Services> {
        if let Ok(n) = text.trim().parse::<u32>() {
            if n & !127 != 0 {
                return Err(Error::invalid(format!(
                    "{n} is not a valid Services value: the flags add up to at most 127"
                )));
            }
            return Ok(Services(n));
        }
        let mut bits = 0;
        for word in text.split([',', ' ']).filter(|w| !w.is_empty()) {
            if word.eq_ignore_ascii_case("None") {
                continue;
            }
            let (_, flag, _) = TABLE
                .iter()
                .find(|(name, _, _)| name.eq_ignore_ascii_case(word))
                .ok_or_else(|| {
                    Error::invalid(format!(
                        "'{word}' is not an Exchange service: use None, IMAP, POP, UM, IIS, SMTP, Federation or UMCallRouter"
                    ))
                })?;
            bits |= flag;
        }
        Ok(Services(bits))
    }

    /// True when every flag of `other` is set here.
    pub fn contains(self, other: Services) -> bool {
        self.0 & other.0 == other.0 && other.0 != 0
    }

    /// The seven letters `IPUWSFC`, `.` where unset.
    pub fn string_form(self) -> String {
        TABLE
            .iter()
            .map(|(_, flag, letter)| if self.0 & flag != 0 { *letter } else { '.' })
            .collect()
    }

    /// The names of the set flags, in flag order.
    pub fn names(self) -> Vec<&'static str> {
        TABLE
            .iter()
            .filter(|(_, flag, _)| self.0 & flag != 0)
            .map(|(name, _, _)| *name)
            .collect()
    }
}

impl std::ops::BitOr for Services {
    type Output = Services;
    fn bitor(self, other: Services) -> Services {
        Services(self.0 | other.0)
    }
}

impl std::fmt::Display for Services {
    /// As .NET prints a [Flags] enum: `IMAP, POP, SMTP`, or `None`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0 == 0 {
            return f.write_str("None");
        }
        f.write_str(&self.names().join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_like_exchange() {
        let s = Services::parse("IIS,smtp").unwrap();
        assert_eq!(s, Services(24));
        assert_eq!(s.to_string(), "IIS, SMTP");
        assert_eq!(s.string_form(), "...WS..");
        assert_eq!(
            Services::parse("IMAP, POP, IIS, SMTP")
                .unwrap()
                .string_form(),
            "IP.WS.."
        );
        assert_eq!(Services::DEFAULT.to_string(), "IMAP, POP, SMTP");
        assert_eq!(Services::parse("None").unwrap().to_string(), "None");
        assert_eq!(Services::parse("").unwrap(), Services::NONE);
        assert_eq!(Services::parse("127").unwrap().string_form(), "IPUWSFC");
        assert!(Services::parse("128").is_err());
        let e = Services::parse("IIS, HTTP").unwrap_err();
        assert!(e.message.contains("'HTTP'"), "{e}");
    }
}
