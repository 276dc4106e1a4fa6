//! The panic boundary and the in/out conversions every export shares.

use super::answer_buffer::{text_answer, write_out, AnswerBuffer, Growth, HEADER};
use crate::{Code, Error};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::ffi::{c_char, CStr};
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
    let op = |req| op(req).and_then(|ans| serialise(&ans, Growth::Plain));
    call_as(request, out_json, out_error, op, Growth::Plain)
}

/// An answer that writes its own JSON (`json_out`), byte for byte as the serde path would: the
/// listing, whose 10,000 certificates made serde's per-value work a third of the call.
pub(super) trait WritesJson {
    fn write_json(&self, out: &mut Vec<u8>);
}

/// As `call`, for an answer that writes its own JSON.
///
/// # Safety
/// As `call`.
pub(super) unsafe fn call_written<Req, Ans>(
    request: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
    op: impl FnOnce(Req) -> crate::Result<Ans>,
) -> i32
where
    Req: DeserializeOwned,
    Ans: WritesJson,
{
    let op = |req| {
        let ans = op(req)?;
        let mut out = AnswerBuffer::new(Growth::Plain);
        ans.write_json(&mut out.bytes);
        Ok(out)
    };
    call_as(request, out_json, out_error, op, Growth::Plain)
}

fn serialise<Ans: Serialize>(ans: &Ans, growth: Growth) -> crate::Result<AnswerBuffer> {
    to_visible_json(ans, growth).map_err(|e| {
        Error::new(
            Code::Internal,
            format!("the answer could not be serialised: {e}"),
        )
    })
}

unsafe fn call_as<Req>(
    request: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
    op: impl FnOnce(Req) -> crate::Result<AnswerBuffer>,
    growth: Growth,
) -> i32
where
    Req: DeserializeOwned,
{
    let outcome = catch_unwind(AssertUnwindSafe(|| -> crate::Result<AnswerBuffer> {
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
        op(req)
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
        Ok(json) => {
            // Moved, not copied: a listing's answer can be megabytes. A secret one is zeroed by
            // excert_string_free, or here when nobody wants it.
            write_out(out_json, json);
            0
        }
        Err(e) => {
            write_out(out_error, text_answer(&error_json(&e), growth));
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
            write_out(out_error, text_answer(&error_json(&e), Growth::Zeroing));
            return e.code as i32;
        }
        None
    } else {
        Some(Zeroizing::new(
            std::slice::from_raw_parts(secret, secret_len).to_vec(),
        ))
    };
    let op = |req| {
        let ans = op(req, secret.as_deref().map(|s| s.as_slice()))?;
        serialise(&ans, Growth::Zeroing)
    };
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
        .and_then(|out| String::from_utf8(out.bytes[HEADER..].to_vec()).ok())
        .unwrap_or_else(|| value.to_string())
}

/// Answer fields whose text is ours and multi-line by design (PEM): they keep their line feeds.
const MULTILINE_FIELDS: [&str; 2] = ["Text", "Request"];

/// Serialises an answer or error with every control character from outside made visible
/// (`\x1B` for ESC, see `formats::text::escaped_control`), in every string: names and
/// subjects from imported files, friendly names from the store, warnings and messages that
/// quote them. One place for every operation, so the cmdlets (which read these answers) and C
/// callers never print a terminal escape or a fake log line. Only the PEM text fields keep `\n`.
fn to_visible_json<T: Serialize>(value: &T, growth: Growth) -> serde_json::Result<AnswerBuffer> {
    let mut out = AnswerBuffer::new(growth);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Visible::default());
    value.serialize(&mut ser)?;
    Ok(out)
}

/// The serde path's text for a value, for the tests of `json_out`.
#[cfg(test)]
pub(super) fn visible_json_for_tests<T: Serialize>(value: &T) -> String {
    let out = to_visible_json(value, Growth::Plain).unwrap();
    String::from_utf8(out.bytes[HEADER..].to_vec()).unwrap()
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

#[cfg(test)]
mod tests {
    use super::super::answer_buffer::Returned;
    use super::*;

    /// Calls the boundary as an export does (with a secret) or as a listing does (without), with
    /// an answer or an error, and takes the string handed out back.
    fn handed_out(with_secret: bool, fail: bool) -> Returned {
        let (mut out, mut err) = (std::ptr::null_mut(), std::ptr::null_mut());
        let answer = |_: serde_json::Value| {
            if fail {
                Err(Error::invalid("refused: KEY-MATERIAL"))
            } else {
                Ok("KEY-MATERIAL")
            }
        };
        let code = unsafe {
            if with_secret {
                call_with_secret(
                    c"{}".as_ptr(),
                    b"pw".as_ptr(),
                    2,
                    &mut out,
                    &mut err,
                    |r, _| answer(r),
                )
            } else {
                call(c"{}".as_ptr(), &mut out, &mut err, answer)
            }
        };
        assert_eq!(code != 0, fail);
        let s = if fail { err } else { out };
        let text = unsafe { CStr::from_ptr(s) }.to_str().unwrap();
        assert!(text.contains("KEY-MATERIAL"), "{text}");
        unsafe { Returned::from_raw(s) }
    }

    #[test]
    fn strings_that_can_hold_a_secret_are_zeroed_when_freed_and_no_other() {
        for fail in [false, true] {
            let mut secret = handed_out(true, fail);
            assert!(secret.secret);
            let (start, capacity) = (secret.bytes.as_ptr(), secret.bytes.capacity());
            secret.wipe();
            // Still allocated (`secret` is not dropped yet): every byte of it is zero.
            let all = unsafe { std::slice::from_raw_parts(start, capacity) };
            assert!(
                all.iter().all(|&b| b == 0),
                "answer or error (fail: {fail})"
            );

            let mut plain = handed_out(false, fail);
            assert!(!plain.secret);
            plain.wipe();
            assert!(plain.bytes.ends_with(b"\0"[..0].iter().as_slice()));
            let text = String::from_utf8_lossy(&plain.bytes[HEADER..]);
            assert!(text.contains("KEY-MATERIAL"), "not zeroed: {text}");
        }
    }
}
