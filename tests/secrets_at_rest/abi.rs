//! Calls the C ABI and keeps every string it returns.

use super::*;

pub(crate) type Plain =
    unsafe extern "C" fn(*const c_char, *mut *mut c_char, *mut *mut c_char) -> i32;
pub(crate) type WithSecret = unsafe extern "C" fn(
    *const c_char,
    *const u8,
    usize,
    *mut *mut c_char,
    *mut *mut c_char,
) -> i32;

/// Calls the C ABI and keeps every string it returns.
pub(crate) struct Abi {
    pub(crate) root: String,
    /// (what was called, answer or error JSON)
    pub(crate) transcript: Vec<(String, String)>,
}

impl Abi {
    pub(crate) fn take(
        &mut self,
        what: &str,
        code: i32,
        out: *mut c_char,
        err: *mut c_char,
    ) -> Result<Value, Value> {
        let text = |p: *mut c_char| {
            (!p.is_null()).then(|| {
                let s = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_string();
                unsafe { excert_string_free(p) };
                s
            })
        };
        let (out, err) = (text(out), text(err));
        for s in out.iter().chain(err.iter()) {
            self.transcript.push((what.to_string(), s.clone()));
        }
        if code == 0 {
            Ok(serde_json::from_str(&out.expect("an answer on success")).unwrap())
        } else {
            Err(serde_json::from_str(&err.expect("an error on failure")).unwrap())
        }
    }

    pub(crate) fn request(&self, mut req: Value) -> CString {
        req["StoreRoot"] = json!(self.root);
        CString::new(req.to_string()).unwrap()
    }

    pub(crate) fn call(&mut self, what: &str, f: Plain, req: Value) -> Result<Value, Value> {
        let req = self.request(req);
        let (mut out, mut err) = (ptr::null_mut(), ptr::null_mut());
        let code = unsafe { f(req.as_ptr(), &mut out, &mut err) };
        self.take(what, code, out, err)
    }

    pub(crate) fn call_secret(
        &mut self,
        what: &str,
        f: WithSecret,
        req: Value,
        secret: Option<&str>,
    ) -> Result<Value, Value> {
        let req = self.request(req);
        let (mut out, mut err) = (ptr::null_mut(), ptr::null_mut());
        let (p, n) = secret.map_or((ptr::null(), 0), |s| (s.as_ptr(), s.len()));
        let code = unsafe { f(req.as_ptr(), p, n, &mut out, &mut err) };
        self.take(what, code, out, err)
    }

    pub(crate) fn ok(&mut self, what: &str, f: Plain, req: Value) -> Value {
        self.call(what, f, req)
            .unwrap_or_else(|e| panic!("{what} failed: {e}"))
    }

    /// A refusal with the expected error name.
    pub(crate) fn refused(
        &mut self,
        what: &str,
        f: WithSecret,
        req: Value,
        secret: Option<&str>,
        name: &str,
    ) {
        match self.call_secret(what, f, req, secret) {
            Err(e) => assert_eq!(e["Name"], name, "{what}: {e}"),
            Ok(a) => panic!("{what} was accepted: {a}"),
        }
    }
}
