//! A server's listing cache: every entry's files in one file, so a listing reads one file
//! instead of several per entry. The index is tagged with the server's generation (see
//! `ServerStore::list`): entries only appear and vanish, each change moves the generation, so
//! an index made at the current generation holds exactly the current entries, and one made at
//! another generation is not used at all — it may predate a removal and a re-import under the
//! same name. The folders stay the truth: a record without its folder is ignored, a folder
//! without a record is read directly. Any damage makes the whole index count as absent.

use super::{Entry, Metadata};
use std::collections::HashMap;

const MAGIC: &[u8] = b"excert-index-3\n";

/// The index file's bytes: the generation it was made at, then the entries.
pub fn encode(generation: u64, entries: &[Entry]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&generation.to_le_bytes());
    for e in entries {
        put(&mut out, e.thumbprint.as_bytes());
        put(&mut out, e.metadata.encode().as_bytes());
        put_opt(&mut out, e.certificate.as_deref());
        put_opt(&mut out, e.request.as_deref());
        out.push(e.has_private_key as u8);
        out.extend_from_slice(&(e.chain.len() as u32).to_le_bytes());
        for c in &e.chain {
            put(&mut out, c);
        }
    }
    out
}

/// The generation and the entries of an index, by thumbprint; `None` when the bytes are not a
/// whole index.
pub fn decode(bytes: &[u8]) -> Option<(u64, HashMap<String, Entry>)> {
    let mut r = Reader {
        rest: bytes.strip_prefix(MAGIC)?,
    };
    let (generation, rest) = r.rest.split_first_chunk::<8>()?;
    r.rest = rest;
    let mut out = HashMap::new();
    while !r.rest.is_empty() {
        let thumbprint = String::from_utf8(r.take()?.to_vec()).ok()?;
        let metadata = Metadata::decode(std::str::from_utf8(r.take()?).ok()?, "the index").ok()?;
        let certificate = r.take_opt()?;
        let request = r.take_opt()?;
        let has_private_key = r.byte()? == 1;
        let chain = (0..r.u32()?)
            .map(|_| r.take().map(<[u8]>::to_vec))
            .collect::<Option<Vec<_>>>()?;
        out.insert(
            thumbprint.clone(),
            Entry {
                thumbprint,
                certificate,
                request,
                has_private_key,
                key_file_exposed: None,
                chain,
                metadata,
            },
        );
    }
    Some((u64::from_le_bytes(*generation), out))
}

fn put(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

fn put_opt(out: &mut Vec<u8>, bytes: Option<&[u8]>) {
    out.push(bytes.is_some() as u8);
    if let Some(b) = bytes {
        put(out, b);
    }
}

struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (b, rest) = self.rest.split_first()?;
        self.rest = rest;
        Some(*b)
    }

    fn u32(&mut self) -> Option<u32> {
        let (n, rest) = self.rest.split_first_chunk::<4>()?;
        self.rest = rest;
        Some(u32::from_le_bytes(*n))
    }

    fn take(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()? as usize;
        if n > self.rest.len() {
            return None;
        }
        let (b, rest) = self.rest.split_at(n);
        self.rest = rest;
        Some(b)
    }

    fn take_opt(&mut self) -> Option<Option<Vec<u8>>> {
        match self.byte()? {
            0 => Some(None),
            1 => self.take().map(|b| Some(b.to_vec())),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Source;

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
        }
    }

    #[test]
    fn round_trips_and_rejects_damage() {
        let bytes = encode(7, &[entry("AA"), entry("BB")]);
        let (generation, back) = decode(&bytes).unwrap();
        assert_eq!((generation, back.len()), (7, 2));
        let a = &back["AA"];
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
}
