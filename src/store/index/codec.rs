//! The index's byte layout: little-endian integers, and byte strings behind a `u32` length
//! (optional ones behind a 0/1 tag).

/// A byte string behind its length.
pub(super) fn put(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// An optional byte string: a 0/1 tag, then the string when there is one.
pub(super) fn put_opt(out: &mut Vec<u8>, bytes: Option<&[u8]>) {
    out.push(bytes.is_some() as u8);
    if let Some(b) = bytes {
        put(out, b);
    }
}

/// Reads the index's fields front to back; `None` when the bytes end early or a tag is wrong.
pub(super) struct Reader<'a> {
    pub(super) rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(super) fn byte(&mut self) -> Option<u8> {
        let (b, rest) = self.rest.split_first()?;
        self.rest = rest;
        Some(*b)
    }

    pub(super) fn i64(&mut self) -> Option<i64> {
        let (n, rest) = self.rest.split_first_chunk::<8>()?;
        self.rest = rest;
        Some(i64::from_le_bytes(*n))
    }

    pub(super) fn u32(&mut self) -> Option<u32> {
        let (n, rest) = self.rest.split_first_chunk::<4>()?;
        self.rest = rest;
        Some(u32::from_le_bytes(*n))
    }

    pub(super) fn take(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()? as usize;
        if n > self.rest.len() {
            return None;
        }
        let (b, rest) = self.rest.split_at(n);
        self.rest = rest;
        Some(b)
    }

    pub(super) fn take_opt(&mut self) -> Option<Option<Vec<u8>>> {
        self.take_opt_slice().map(|b| b.map(<[u8]>::to_vec))
    }

    pub(super) fn take_opt_slice(&mut self) -> Option<Option<&'a [u8]>> {
        match self.byte()? {
            0 => Some(None),
            1 => self.take().map(Some),
            _ => None,
        }
    }
}
