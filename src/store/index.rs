//! A server's listing cache: every entry's files in one file, so a listing reads one file
//! instead of several per entry. The index is tagged with the server's generation (see
//! `ServerStore::list`): entries only appear and vanish, each change moves the generation, so
//! an index made at the current generation holds exactly the current entries, and one made at
//! another generation is not used at all — it may predate a removal and a re-import under the
//! same name. The folders stay the truth: a record without its folder is ignored, a folder
//! without a record is read directly. Any damage makes the whole index count as absent.
//! Records also keep what the certificate says (`CertificateInfo`), so a listing does not parse
//! ten thousand certificates again.

mod codec;

use super::{Entry, Metadata, Source};
use crate::cert::inspect::CertificateInfo;
use codec::{put, put_opt, Reader};
use time::OffsetDateTime;

/// Version 6: the generation it records is the size of `generation` (earlier ones recorded
/// its text, from another count: such an index is never taken for a current one).
const MAGIC: &[u8] = b"excert-index-6\n";

/// What a listing will show of each entry, so that decoding the index copies nothing else
/// (a 10,000-certificate listing asking for a table's columns spent most of its time making
/// strings and DER copies nobody read). Whatever a listing judges or filters on is always
/// decoded: the metadata, dates, the subject (expiry warnings name it), and the DER of every
/// certificate not made here (its chain is checked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wanted {
    /// The DER of self-signed certificates made here (`RawData`); else left empty.
    pub raw_data: bool,
    /// The subject's CN and the DNS names (`CertificateDomains`, `DnsNameList`, domain filters).
    pub names: bool,
    /// The issuer, serial, algorithms, key identifier, EKUs and public key; else left empty.
    pub details: bool,
}

impl Wanted {
    /// Everything: the entries are whole, as the folders would give them.
    pub const ALL: Wanted = Wanted {
        raw_data: true,
        names: true,
        details: true,
    };
}

/// The index file's bytes: the generation it was made at, then the entries.
pub fn encode(generation: u64, entries: &[Entry]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&generation.to_le_bytes());
    for e in entries {
        put(&mut out, e.thumbprint.as_bytes());
        put_metadata(&mut out, &e.metadata);
        put_opt(&mut out, e.certificate.as_deref());
        put_opt(&mut out, e.request.as_deref());
        out.push(e.has_private_key as u8);
        out.extend_from_slice(&(e.chain.len() as u32).to_le_bytes());
        for c in &e.chain {
            put(&mut out, c);
        }
        let info = match (&e.certificate_info, &e.certificate) {
            (Some(i), _) => Some(i.clone()),
            (None, Some(der)) => CertificateInfo::from_der(der).ok(),
            (None, None) => None,
        };
        out.push(info.is_some() as u8);
        if let Some(i) = info {
            put_info(&mut out, &i);
        }
    }
    out
}

/// The entry's metadata in binary (its `entry` file is text; parsing that for 10,000 entries was
/// a fifth of a listing).
fn put_metadata(out: &mut Vec<u8>, m: &Metadata) {
    put(out, m.friendly_name.as_bytes());
    out.push(m.private_key_exportable as u8);
    out.extend_from_slice(&m.created.unix_timestamp_nanos().to_le_bytes());
    out.push(match m.source {
        Source::SelfSigned => 0,
        Source::Request => 1,
        Source::Imported => 2,
    });
}

fn take_metadata(r: &mut Reader<'_>) -> Option<Metadata> {
    let friendly_name = String::from_utf8(r.take()?.to_vec()).ok()?;
    let private_key_exportable = r.byte()? == 1;
    let (nanos, rest) = r.rest.split_first_chunk::<16>()?;
    r.rest = rest;
    let created = OffsetDateTime::from_unix_timestamp_nanos(i128::from_le_bytes(*nanos)).ok()?;
    let source = match r.byte()? {
        0 => Source::SelfSigned,
        1 => Source::Request,
        2 => Source::Imported,
        _ => return None,
    };
    Some(Metadata {
        friendly_name,
        private_key_exportable,
        created,
        source,
    })
}

fn put_info(out: &mut Vec<u8>, i: &CertificateInfo) {
    for s in [
        &i.subject,
        &i.issuer,
        &i.serial_number,
        &i.key_algorithm,
        &i.signature_algorithm,
        &i.subject_key_identifier,
    ] {
        put(out, s.as_bytes());
    }
    put_opt(out, i.common_name.as_deref().map(str::as_bytes));
    for t in [i.not_before, i.not_after] {
        out.extend_from_slice(&t.unix_timestamp().to_le_bytes());
    }
    for list in [&i.dns_names, &i.enhanced_key_usage] {
        out.extend_from_slice(&(list.len() as u32).to_le_bytes());
        for s in list.iter() {
            put(out, s.as_bytes());
        }
    }
    out.extend_from_slice(&i.public_key_size.to_le_bytes());
    out.extend_from_slice(&i.version.to_le_bytes());
    out.push(i.self_issued as u8);
    put(out, &i.public_key_info);
}

fn take_info(r: &mut Reader<'_>, wanted: Wanted) -> Option<CertificateInfo> {
    // A string not wanted is stepped over (its length still checked), never copied.
    let mut text = |keep: bool| match keep {
        true => r.take().and_then(|b| String::from_utf8(b.to_vec()).ok()),
        false => r.take().map(|_| String::new()),
    };
    let (subject, issuer, serial_number, key_algorithm, signature_algorithm) = (
        text(true)?,
        text(wanted.details)?,
        text(wanted.details)?,
        text(wanted.details)?,
        text(wanted.details)?,
    );
    let subject_key_identifier = text(wanted.details)?;
    let common_name = match r.take_opt_slice()? {
        Some(b) if wanted.names => Some(String::from_utf8(b.to_vec()).ok()?),
        Some(_) | None => None,
    };
    let mut date = || {
        r.i64()
            .and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok())
    };
    let (not_before, not_after) = (date()?, date()?);
    let mut list = |keep: bool| -> Option<Vec<String>> {
        let n = r.u32()?;
        if !keep {
            return (0..n)
                .try_for_each(|_| r.take().map(drop))
                .map(|_| Vec::new());
        }
        (0..n)
            .map(|_| r.take().and_then(|b| String::from_utf8(b.to_vec()).ok()))
            .collect()
    };
    let (dns_names, enhanced_key_usage) = (list(wanted.names)?, list(wanted.details)?);
    Some(CertificateInfo {
        subject,
        issuer,
        not_before,
        not_after,
        dns_names,
        common_name,
        serial_number,
        public_key_size: r.u32()?,
        key_algorithm,
        signature_algorithm,
        subject_key_identifier,
        enhanced_key_usage,
        version: r.u32()?,
        self_issued: r.byte()? == 1,
        public_key_info: r.take().map(|b| {
            if wanted.details {
                b.to_vec()
            } else {
                Vec::new()
            }
        })?,
    })
}

/// The generation and the entries of an index, sorted by thumbprint (as a listing walks the
/// folders); `None` when the bytes are not a whole index.
#[cfg(test)]
pub fn decode(bytes: &[u8]) -> Option<(u64, Vec<Entry>)> {
    decode_wanted(bytes, Wanted::ALL)
}

/// As `decode`, each entry with only what a listing will show (`Wanted`): such entries are for
/// that answer only, never written back.
pub fn decode_wanted(bytes: &[u8], wanted: Wanted) -> Option<(u64, Vec<Entry>)> {
    let mut r = Reader {
        rest: bytes.strip_prefix(MAGIC)?,
    };
    let (generation, rest) = r.rest.split_first_chunk::<8>()?;
    r.rest = rest;
    // A record is rarely under half a kilobyte (a DER and what it says): sized once, not
    // grown (and its entries moved) a dozen times.
    let mut out = Vec::with_capacity(r.rest.len() / 512 + 1);
    while !r.rest.is_empty() {
        let thumbprint = String::from_utf8(r.take()?.to_vec()).ok()?;
        let metadata = take_metadata(&mut r)?;
        let certificate = r.take_opt_slice()?;
        let request = r.take_opt()?;
        let has_private_key = r.byte()? == 1;
        let chain = (0..r.u32()?)
            .map(|_| r.take().map(<[u8]>::to_vec))
            .collect::<Option<Vec<_>>>()?;
        let certificate_info = match r.byte()? {
            0 => None,
            1 => Some(take_info(&mut r, wanted)?),
            _ => return None,
        };
        // Made here: its status comes from the dates alone, and the DER is only shown.
        let shown_only = metadata.source == Source::SelfSigned && certificate_info.is_some();
        let certificate = match certificate {
            Some(_) if shown_only && !wanted.raw_data => Some(Vec::new()),
            other => other.map(<[u8]>::to_vec),
        };
        out.push(Entry {
            thumbprint,
            certificate,
            request,
            has_private_key,
            key_file_exposed: None,
            chain,
            metadata,
            certificate_info,
        });
    }
    // Written in folder order; one written otherwise still works.
    if !out.is_sorted_by(|a, b| a.thumbprint <= b.thumbprint) {
        out.sort_by(|a, b| a.thumbprint.cmp(&b.thumbprint));
    }
    Some((u64::from_le_bytes(*generation), out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(t: &str) -> Entry {
        Entry {
            thumbprint: t.into(),
            certificate: Some(vec![1, 2, 3]),
            request: None,
            has_private_key: true,
            key_file_exposed: None,
            chain: vec![vec![9; 5], vec![]],
            metadata: Metadata {
                friendly_name: "a=b\nc".into(),
                private_key_exportable: true,
                created: time::OffsetDateTime::UNIX_EPOCH,
                source: Source::Imported,
            },
            certificate_info: None,
        }
    }

    #[test]
    fn round_trips_and_rejects_damage() {
        let bytes = encode(7, &[entry("AA"), entry("BB")]);
        let (generation, back) = decode(&bytes).unwrap();
        assert_eq!((generation, back.len()), (7, 2));
        let a = &back[0];
        assert_eq!(a.thumbprint, "AA");
        assert_eq!(
            (
                a.certificate.as_deref(),
                a.chain.len(),
                a.metadata.friendly_name.as_str()
            ),
            (Some(&[1u8, 2, 3][..]), 2, "a=b\nc")
        );
        for cut in 1..bytes.len() - MAGIC.len() {
            let truncated = &bytes[..bytes.len() - cut];
            assert!(
                decode(truncated).is_none_or(|(_, m)| m.len() < 2),
                "cut {cut}"
            );
        }
        assert!(decode(b"something else").is_none());
    }

    #[test]
    fn keeps_what_the_certificate_says() {
        use crate::cert::build::{self, CertificateSpec};
        use crate::cert::keys::{KeyAlgorithm, KeySpec, PrivateKey};
        use crate::cert::names::Subject;
        let key = PrivateKey::generate(KeySpec {
            algorithm: KeyAlgorithm::EcdsaP256,
            rsa_bits: 0,
        })
        .unwrap();
        let (not_before, not_after) = build::default_validity(OffsetDateTime::now_utc());
        let spec = CertificateSpec {
            subject: Subject::parse("C=US,O=Contoso,CN=mail.contoso.com").unwrap(),
            sans: vec!["mail.contoso.com".into(), "owa.contoso.com".into()],
            not_before,
            not_after,
            subject_key_identifier: None,
        };
        let der = build::self_signed(&spec, &key).unwrap();
        let mut e = entry("CC");
        e.certificate = Some(der.clone());
        let bytes = encode(1, &[e]);
        let (_, back) = decode(&bytes).unwrap();
        let whole = CertificateInfo::from_der(&der).unwrap();
        assert_eq!(back[0].certificate_info.as_ref(), Some(&whole));

        // Only what a listing shows: the rest is left empty, the DER kept for one made
        // elsewhere (its chain is checked) and left out for one made here.
        let shown = Wanted {
            raw_data: false,
            names: true,
            details: false,
        };
        let (_, some) = decode_wanted(&bytes, shown).unwrap();
        let info = some[0].certificate_info.clone().unwrap();
        assert_eq!(
            (&info.subject, &info.dns_names, &info.common_name),
            (&whole.subject, &whole.dns_names, &whole.common_name)
        );
        assert_eq!(
            (info.not_before, info.not_after),
            (whole.not_before, whole.not_after)
        );
        assert!(info.issuer.is_empty() && info.serial_number.is_empty());
        assert!(info.enhanced_key_usage.is_empty() && info.public_key_info.is_empty());
        assert_eq!(some[0].certificate.as_deref(), Some(&der[..]));
        let mut ours = entry("DD");
        ours.certificate = Some(der.clone());
        ours.metadata.source = Source::SelfSigned;
        let nameless = Wanted {
            names: false,
            ..shown
        };
        let (_, mine) = decode_wanted(&encode(1, &[ours]), nameless).unwrap();
        assert_eq!(mine[0].certificate.as_deref(), Some(&[][..]));
        let info = mine[0].certificate_info.as_ref().unwrap();
        assert!(info.dns_names.is_empty() && info.common_name.is_none());
        assert_eq!(info.subject, whole.subject);
    }
}
