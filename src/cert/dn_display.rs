//! Distinguished names as .NET's `X500DistinguishedName.Name` prints them, which is what Exchange
//! shows as `Subject` and `Issuer`. The rules were read off .NET itself (tests/corpus and the
//! cases below): relative names last to first, joined by `, `; the attributes of a multi-valued
//! relative name in encoded order, joined by ` + `; an empty relative name as an empty string;
//! attribute types by .NET's names (`dotnet_names.rs`); values decoded for the string types .NET
//! decodes and otherwise shown as `#` and hex; and a name with a string value .NET refuses to
//! decode (bad UTF-8, a character PrintableString forbids ...) shown as the empty string.

use crate::cert::any_der::reencode;
use crate::cert::dotnet_names::ATTRIBUTE_NAMES;
use crate::cert::hex_upper;
use std::borrow::Cow;
use x509_parser::der_parser::asn1_rs::{Any, Class, FromDer, Oid};
use x509_parser::x509::X509Name;

/// The name .NET prints for an attribute type (dotted OID): `CN`, `PostalCode`, `OID.1.2.3` ...
pub fn attribute_name(dotted: &str) -> String {
    ATTRIBUTE_NAMES
        .iter()
        .find(|(oid, _)| *oid == dotted)
        .map(|(_, name)| name.to_string())
        .unwrap_or_else(|| format!("OID.{dotted}"))
}

/// `Subject`/`Issuer` text of an X.509 name, as .NET prints it. `within` is the DER the name
/// was parsed from (a certificate's TBS, a request's info): x509-parser stops at an empty
/// relative name and keeps only the part before it, where .NET goes on, so the whole name is
/// read again from where it starts in that buffer.
pub fn display_x509_name(name: &X509Name<'_>, within: &[u8]) -> String {
    display_name_der(whole_name(name.as_raw(), within))
}

/// The complete TLV that begins where `part` begins, when `part` lies inside `within`.
fn whole_name<'a>(part: &'a [u8], within: &'a [u8]) -> &'a [u8] {
    let start = (part.as_ptr() as usize).wrapping_sub(within.as_ptr() as usize);
    if start >= within.len() {
        return part;
    }
    let rest = &within[start..];
    match Any::from_der(rest) {
        Ok((after, _)) => &rest[..rest.len() - after.len()],
        Err(_) => part,
    }
}

/// The same from the name's DER. Read here rather than through x509-parser, which stops at an
/// empty relative name where .NET goes on.
pub fn display_name_der(der: &[u8]) -> String {
    read_name(der).unwrap_or_default()
}

fn read_name(der: &[u8]) -> Option<String> {
    let (_, sequence) = Any::from_der(der).ok()?;
    let mut rdns = Vec::new();
    let mut rest = sequence.data;
    while !rest.is_empty() {
        let (after, set) = Any::from_der(rest).ok()?;
        rest = after;
        let mut parts = Vec::new();
        let mut inner = set.data;
        while !inner.is_empty() {
            let (after, atv) = Any::from_der(inner).ok()?;
            inner = after;
            let (value_der, oid) = Any::from_der(atv.data).ok()?;
            let (_, value) = Any::from_der(value_der).ok()?;
            let oid = Oid::new(Cow::Borrowed(oid.data)).to_id_string();
            parts.push(format!(
                "{}={}",
                attribute_name(&oid),
                attribute_value(&value)?
            ));
        }
        rdns.push(parts.join(" + "));
    }
    rdns.reverse();
    Some(rdns.join(", "))
}

/// A value in double quotes (inner quotes doubled) when it holds a character that has a meaning
/// in a name, starts or ends with a space, or is empty; as is otherwise.
pub fn quote_value(v: &str) -> String {
    let special = v.is_empty()
        || v.starts_with(' ')
        || v.ends_with(' ')
        || v.contains([',', '+', '=', '"', '<', '>', '#', ';', '\n']);
    if special {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

/// The text of one attribute value as it appears in the name (a decoded string quoted when it
/// needs to be, anything else as `#` and hex), or None when .NET would refuse the whole name.
fn attribute_value(any: &Any<'_>) -> Option<String> {
    if let Some(text) = decoded_string(any) {
        return text.map(|t| quote_value(&t));
    }
    let whole = any.header.tag().0 != 4 || any.header.class() != Class::Universal;
    Some(format!(
        "#{}",
        hex_upper(&if whole {
            reencode(any)
        } else {
            any.data.to_vec()
        })
    ))
}

/// A string type's text: `Some(Some(text))`, `Some(None)` when it does not decode (so .NET
/// refuses the name), `None` when the value is not a string type .NET decodes.
fn decoded_string(any: &Any<'_>) -> Option<Option<String>> {
    let data = any.data;
    if any.header.class() != Class::Universal || any.header.constructed() {
        return None;
    }
    Some(match any.header.tag().0 {
        // UTF8String
        12 => std::str::from_utf8(data).ok().map(str::to_string),
        // NumericString
        18 => ascii_in(data, |b| b.is_ascii_digit() || b == b' '),
        // PrintableString
        19 => ascii_in(data, |b| {
            b.is_ascii_alphanumeric() || b" '()+,-./:=?".contains(&b)
        }),
        // TeletexString: UTF-8 when it is, else Latin-1, as .NET decodes it.
        20 => Some(match std::str::from_utf8(data) {
            Ok(s) => s.to_string(),
            Err(_) => data.iter().map(|&b| char::from(b)).collect(),
        }),
        // IA5String
        22 => ascii_in(data, |b| b.is_ascii()),
        // BMPString: UCS-2, so no surrogates.
        30 => {
            if !data.len().is_multiple_of(2) {
                return Some(None);
            }
            data.chunks(2)
                .map(|c| char::from_u32(u32::from(u16::from_be_bytes([c[0], c[1]]))))
                .collect()
        }
        // UniversalString: .NET on Linux shows it as hex, but refuses the name when a code
        // point is beyond Unicode (read off .NET 10).
        28 if data
            .chunks_exact(4)
            .any(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]) > 0x10FFFF) =>
        {
            None
        }
        // OCTET STRING (.NET shows its content) and every other type (its whole encoding).
        _ => return None,
    })
}

fn ascii_in(data: &[u8], allowed: impl Fn(u8) -> bool) -> Option<String> {
    data.iter()
        .all(|&b| allowed(b))
        .then(|| data.iter().map(|&b| char::from(b)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use x509_parser::prelude::FromDer;

    fn show(hex: &str) -> String {
        let der: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
        let (_, name) = X509Name::from_der(&der).unwrap();
        display_x509_name(&name, &der)
    }

    // Each DER name and the text .NET 10 printed for it (X500DistinguishedName.Name).
    #[test]
    fn names_print_as_dotnet_prints_them() {
        let cases = [
            // multi
            ("302f310b300906035504061302555331143008060355040a0c01413008060355040b0c0142310a300806035504030c0163", "CN=c, O=A + OU=B, C=US"),
            // multi2
            ("302f310b300906035504061302555331143008060355040b0c01423008060355040a0c0141310a300806035504030c0163", "CN=c, OU=B + O=A, C=US"),
            // emptyrdn
            ("301b310b30090603550406130255533100310a300806035504030c0163", "CN=c, , C=US"),
            // emptyfirst
            ("301b3100310b3009060355040613025553310a300806035504030c0163", "CN=c, C=US, "),
            // utf8bad
            ("300d310b300906035504030c02ff41", ""),
            // printbad
            ("300d310b3009060355040313024042", ""),
            // plusq
            ("30183116300a060355040a0c03412b783008060355040b0c0142", "O=\"A+x\" + OU=B"),
            // t61latin
            ("300e310c300a0603550403140361e962", "CN=aéb"),
            // bmpodd
            ("300e310c300a06035504031e03006100", ""),
            // utf8empty
            ("300b3109300706035504030c00", "CN=\"\""),
            // octet
            ("300d310b3009060355040304026162", "CN=#6162"),
            // print*
            ("300d310b300906035504031302612a", ""),
            // ia5del
            ("300d310b300906035504031602617f", "CN=a\u{7f}"),
            // bmppair
            ("300f310d300b06035504031e04d83dde00", ""),
            // num_sp
            ("300e310c300a06035504031203312032", "CN=1 2"),
            // vis
            ("300d310b300906035504031a026162", "CN=#1A026162"),
            // universal: hex, even when it decodes
            ("30133111300f06035504031c080000006100000062", "CN=#1C080000006100000062"),
        ];
        for (hex, dotnet) in cases {
            assert_eq!(show(hex), dotnet, "name {hex}");
        }
    }

    #[test]
    fn attribute_types_use_dotnet_names() {
        assert_eq!(attribute_name("2.5.4.17"), "PostalCode");
        assert_eq!(attribute_name("2.5.4.97"), "organizationIdentifier");
        assert_eq!(attribute_name("1.2.3.4"), "OID.1.2.3.4");
    }
}
