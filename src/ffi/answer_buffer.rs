//! An answer's bytes from the first one written to `excert_string_free`: grown plainly or, for
//! the calls that handle secrets, through copies that zero what they leave; handed out behind a
//! header that tells the free function how to give the allocation back and whether to zero it.

use std::ffi::c_char;
use zeroize::Zeroizing;

/// How an answer's buffer grows: by itself (a large one is moved by the allocator without a
/// copy), or through copies that zero what they leave (`AnswerBuffer`), for operations that
/// handle secrets.
#[derive(Clone, Copy)]
pub(super) enum Growth {
    Plain,
    Zeroing,
}

/// The answer's bytes, after `HEADER` bytes kept for `write_out`. With `Growth::Zeroing` it
/// zeroes what it outgrows: a `Vec` growing by itself can free a smaller allocation with its
/// bytes still in it, and an export's answer carries a PFX.
pub(super) struct AnswerBuffer {
    pub(super) bytes: Zeroizing<Vec<u8>>,
    growth: Growth,
}

impl AnswerBuffer {
    pub(super) fn new(growth: Growth) -> AnswerBuffer {
        let mut bytes = Zeroizing::new(Vec::with_capacity(4096));
        bytes.resize(HEADER, 0);
        AnswerBuffer { bytes, growth }
    }
}

/// Text (an error's JSON) as an answer to hand out.
pub(super) fn text_answer(text: &str, growth: Growth) -> AnswerBuffer {
    let mut out = AnswerBuffer::new(growth);
    out.bytes.extend_from_slice(text.as_bytes());
    out
}

impl std::io::Write for AnswerBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let needed = self.bytes.len() + buf.len();
        if matches!(self.growth, Growth::Zeroing) && needed > self.bytes.capacity() {
            let capacity = needed.max(2 * self.bytes.capacity()).max(4096);
            let mut bigger = Vec::with_capacity(capacity);
            bigger.extend_from_slice(&self.bytes);
            // The old buffer is zeroed (its spare capacity too) as it drops here.
            self.bytes = Zeroizing::new(bigger);
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What precedes every string this library hands out: its allocation's capacity and length, and
/// whether it can hold a secret (1) or not (0), so that `excert_string_free` can give the
/// allocation back exactly and zero only what needs it (zeroing a 16 MB listing took 12 to 32 ms).
pub(super) const HEADER: usize = 3 * std::mem::size_of::<usize>();

/// Hands out an answer as a NUL-terminated string that `release` frees. The text never holds a
/// NUL: both JSON writers escape every control character.
pub(super) unsafe fn write_out(out: *mut *mut c_char, mut answer: AnswerBuffer) {
    if out.is_null() {
        return; // `answer` is zeroed as it drops.
    }
    let secret = matches!(answer.growth, Growth::Zeroing);
    // Through the buffer's own growth: a secret answer is never left behind by a reallocation.
    let _ = std::io::Write::write_all(&mut answer, &[0]);
    let mut bytes = std::mem::ManuallyDrop::new(std::mem::take(&mut *answer.bytes));
    let start = bytes.as_mut_ptr();
    let header = [bytes.capacity(), bytes.len(), usize::from(secret)];
    std::ptr::write_unaligned(start.cast::<[usize; 3]>(), header);
    *out = start.add(HEADER).cast::<c_char>();
}

/// A string `write_out` handed out, taken back.
pub(super) struct Returned {
    pub(super) bytes: Vec<u8>,
    pub(super) secret: bool,
}

impl Returned {
    /// # Safety
    /// `s` was handed out by `write_out` and is not freed yet.
    pub(super) unsafe fn from_raw(s: *mut c_char) -> Returned {
        let start = s.cast::<u8>().sub(HEADER);
        let [capacity, length, secret] = std::ptr::read_unaligned(start.cast::<[usize; 3]>());
        Returned {
            bytes: Vec::from_raw_parts(start, length, capacity),
            secret: secret != 0,
        }
    }

    /// Zeroes the whole allocation of a string that can hold a secret.
    pub(super) fn wipe(&mut self) {
        if self.secret {
            zeroize::Zeroize::zeroize(&mut self.bytes);
        }
    }
}

/// Frees a string this library handed out, zeroing it first when it can hold a secret.
///
/// # Safety
/// `s` was handed out by this library (`write_out`) and is not freed yet.
pub unsafe fn release(s: *mut c_char) {
    Returned::from_raw(s).wipe();
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn zeroizing_writer_keeps_every_byte_as_it_grows() {
        let mut w = AnswerBuffer {
            bytes: Default::default(),
            growth: Growth::Zeroing,
        };
        let mut plain = Vec::new();
        for i in 0..3000u32 {
            let chunk: Vec<u8> = (0..(i % 97)).map(|b| (b ^ i) as u8).collect();
            w.write_all(&chunk).unwrap();
            plain.extend_from_slice(&chunk);
        }
        assert!(w.bytes.capacity() >= plain.len());
        assert_eq!(&w.bytes[..], &plain[..]);
    }
}
