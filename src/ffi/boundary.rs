//! The panic boundary and the in/out conversions every export shares.

use crate::{Code, Error};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use zeroize::Zeroizing;

/// Runs one export: reads the request, calls `op`, writes the answer or the error. Panics are
/// caught and become code 999. Outputs are written only here, at the end.
///
/// # Safety
/// `request` is NULL or a NUL-terminated string; each out-pointer is NULL or writable.
pub unsafe fn call<Req, Ans>(
    request: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
    op: impl FnOnce(Req) -> crate::Result<Ans>,
) -> i32
where
    Req: DeserializeOwned,
    Ans: Serialize,
{
    call_as(request, out_json, out_error, op, Growth::Plain)
}

/// How an answer's buffer grows: by itself (a large one is moved by the allocator without a
/// copy), or through copies that zero what they leave (`AnswerBuffer`), for operations that
/// handle secrets.
#[derive(Clone, Copy)]
enum Growth {
    Plain,
    Zeroing,
}

unsafe fn call_as<Req, Ans>(
    request: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
    op: impl FnOnce(Req) -> crate::Result<Ans>,
    growth: Growth,
) -> i32
where
    Req: DeserializeOwned,
    Ans: Serialize,
{
    let outcome = catch_unwind(AssertUnwindSafe(|| -> crate::Result<Zeroizing<Vec<u8>>> {
        let text = read_str(request, "request_json")?;
        check_request_size(text.len())?;
        let invalid = |e: &dyn std::fmt::Display| {
            Error::new(Code::InvalidJson, format!("the request is not valid for this operation: {e}; see docs/c-api.md for its fields"))
        };
        // serde would also read a struct from an array; requests are objects only.
        if !text.trim_start().starts_with('{') {
            let value: serde_json::Value = serde_json::from_str(text).map_err(|e| invalid(&e))?;
            if !value.is_object() {
                return Err(invalid(&"it is not a JSON object"));
            }
        }
        // Straight into the request type: no JSON tree and no copy of it (FileData can be
        // megabytes). Only a request that fails is read again, to name the field at fault.
        let req: Req = serde_json::from_str(text).map_err(|e| {
            match serde_json::from_str::<serde_json::Value>(text) {
                Err(syntax) => invalid(&syntax),
                Ok(value) => invalid(&culprit::<Req>(&value).unwrap_or(e.to_string())),
            }
        })?;
        let ans = op(req)?;
        to_visible_json(&ans, growth).map_err(|e| {
            Error::new(
                Code::Internal,
                format!("the answer could not be serialised: {e}"),
            )
        })
    }));
    let result = match outcome {
        Ok(r) => r,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(Error::new(
                Code::Panic,
                format!("internal error (a panic was caught; please report it): {what}"),
            ))
        }
    };
    match result {
        Ok(mut json) => {
            // Moved, not copied: a listing's answer can be megabytes. The bytes are zeroed by
            // excert_string_free, or here when nobody wants them.
            if !out_json.is_null() {
                write_out(out_json, std::mem::take(&mut *json));
            }
            0
        }
        Err(e) => {
            write_out(out_error, error_json(&e).into_bytes());
            e.code as i32
        }
    }
}

/// As `call`, for operations that take a secret (a PFX password) beside the JSON. The copy
/// made here is zeroed when the call ends; NULL with length 0 means no secret.
///
/// # Safety
/// As `call`; `secret` is NULL or points at `secret_len` readable bytes.
pub unsafe fn call_with_secret<Req, Ans>(
    request: *const c_char,
    secret: *const u8,
    secret_len: usize,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
    op: impl FnOnce(Req, Option<&[u8]>) -> crate::Result<Ans>,
) -> i32
where
    Req: DeserializeOwned,
    Ans: Serialize,
{
    let secret = if secret.is_null() {
        if secret_len != 0 {
            let e = Error::new(Code::NullArgument, "secret is NULL but secret_len is not 0: pass the password bytes, or NULL and 0 for none");
            write_out(out_error, error_json(&e).into_bytes());
            return e.code as i32;
        }
        None
    } else {
        Some(Zeroizing::new(
            std::slice::from_raw_parts(secret, secret_len).to_vec(),
        ))
    };
    let op = |req| op(req, secret.as_deref().map(|s| s.as_slice()));
    call_as(request, out_json, out_error, op, Growth::Zeroing)
}

/// The longest request accepted: a `FileData` of `formats::MAX_INPUT_BYTES` in Base64, and 1 MiB
/// for the other fields. Checked before the JSON is parsed.
pub const MAX_REQUEST_BYTES: usize = crate::formats::MAX_INPUT_BYTES.div_ceil(3) * 4 + 1024 * 1024;

fn check_request_size(len: usize) -> crate::Result<()> {
    if len > MAX_REQUEST_BYTES {
        return Err(Error::invalid(format!(
            "the request is {len} bytes, more than the {MAX_REQUEST_BYTES} bytes accepted (a \
             FileData of at most {} bytes, 8 MiB, in Base64, and the other fields): check that \
             FileData holds the right file",
            crate::formats::MAX_INPUT_BYTES
        )));
    }
    Ok(())
}

/// Names the field that made a request fail to deserialise: serde's own message does not.
fn culprit<Req: DeserializeOwned>(value: &serde_json::Value) -> Option<String> {
    let object = value.as_object()?;
    object.iter().find_map(|(k, v)| {
        let alone = serde_json::Value::Object([(k.clone(), v.clone())].into_iter().collect());
        match serde_json::from_value::<Req>(alone) {
            Err(e) if !e.to_string().starts_with("missing field") => {
                Some(format!("field '{k}': {e}"))
            }
            _ => None,
        }
    })
}

/// The error JSON docs/c-api.md describes.
pub fn error_json(e: &Error) -> String {
    let value = serde_json::json!({
        "Code": e.code as i32,
        "Name": e.code.name(),
        "Category": e.code.category(),
        "Message": e.message,
    });
    to_visible_json(&value, Growth::Plain)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes.to_vec()).ok())
        .unwrap_or_else(|| value.to_string())
}

/// Answer fields whose text is ours and multi-line by design (PEM): they keep their line feeds.
const MULTILINE_FIELDS: [&str; 2] = ["Text", "Request"];

/// Serialises an answer or error with every control character from outside made visible
/// (`\x1B` for ESC, see `formats::text::escaped_control`), in every string: names and
/// subjects from imported files, friendly names from the store, warnings and messages that
/// quote them. One place for every operation, so the cmdlets (which read these answers) and C
/// callers never print a terminal escape or a fake log line. Only the PEM text fields keep `\n`.
fn to_visible_json<T: Serialize>(
    value: &T,
    growth: Growth,
) -> serde_json::Result<Zeroizing<Vec<u8>>> {
    let mut out = AnswerBuffer {
        bytes: Zeroizing::default(),
        growth,
    };
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Visible::default());
    value.serialize(&mut ser)?;
    Ok(out.bytes)
}

/// The answer's bytes. With `Growth::Zeroing` it zeroes what it outgrows: a `Vec` growing by
/// itself can free a smaller allocation with its bytes still in it, and an export's answer
/// carries a PFX.
struct AnswerBuffer {
    bytes: Zeroizing<Vec<u8>>,
    growth: Growth,
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

/// serde_json's compact formatter, but control characters are written as visible text.
#[derive(Default)]
struct Visible {
    in_key: bool,
    key: String,
    keep_line_feeds: bool,
}

impl serde_json::ser::Formatter for Visible {
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.in_key = true;
        self.key.clear();
        if first {
            Ok(())
        } else {
            w.write_all(b",")
        }
    }

    fn end_object_key<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.in_key = false;
        self.keep_line_feeds = MULTILINE_FIELDS.contains(&self.key.as_str());
        Ok(())
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b":")
    }

    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        if self.in_key {
            self.key.push_str(fragment);
        }
        // serde_json escapes C0 controls itself (below); DEL and C1 arrive here raw. Most
        // text (Base64, thumbprints) has neither: one byte scan, then one write.
        if !fragment.bytes().any(|b| b >= 0x7f) {
            return w.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if let Some(visible) = crate::formats::text::escaped_control(c) {
                w.write_all(&fragment.as_bytes()[start..i])?;
                write_escaped_backslash(w, &visible)?;
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }

    fn write_char_escape<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        escape: serde_json::ser::CharEscape,
    ) -> std::io::Result<()> {
        use serde_json::ser::CharEscape;
        let control = match escape {
            CharEscape::Quote => return w.write_all(b"\\\""),
            CharEscape::ReverseSolidus => return w.write_all(b"\\\\"),
            CharEscape::Solidus => return w.write_all(b"\\/"),
            CharEscape::LineFeed if self.keep_line_feeds && !self.in_key => {
                return w.write_all(b"\\n")
            }
            CharEscape::Backspace => 0x08,
            CharEscape::FormFeed => 0x0c,
            CharEscape::LineFeed => 0x0a,
            CharEscape::CarriageReturn => 0x0d,
            CharEscape::Tab => 0x09,
            CharEscape::AsciiControl(b) => b,
        };
        if self.in_key {
            self.key.push(char::from(control));
        }
        write_escaped_backslash(w, &format!("\\x{control:02X}"))
    }
}

/// Writes visible text that starts with a backslash, as JSON (the backslash doubled).
fn write_escaped_backslash<W: ?Sized + std::io::Write>(
    w: &mut W,
    visible: &str,
) -> std::io::Result<()> {
    w.write_all(visible.replace('\\', "\\\\").as_bytes())
}

unsafe fn read_str<'a>(ptr: *const c_char, name: &str) -> crate::Result<&'a str> {
    if ptr.is_null() {
        return Err(Error::new(
            Code::NullArgument,
            format!("{name} is NULL: pass a JSON object, for example \"{{}}\""),
        ));
    }
    CStr::from_ptr(ptr)
        .to_str()
        .map_err(|e| Error::new(Code::InvalidUtf8, format!("{name} is not valid UTF-8 (invalid byte at offset {}): encode the request as UTF-8", e.valid_up_to())))
}

unsafe fn write_out(out: *mut *mut c_char, text: Vec<u8>) {
    if out.is_null() {
        return;
    }
    // serde_json escapes NUL, so the text never holds one.
    if let Ok(c) = CString::new(text) {
        *out = c.into_raw();
    }
}

#[cfg(test)]
mod tests {
    use super::{AnswerBuffer, Growth};
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
