//! Glue every target shares: the libFuzzer entry point, written by hand because
//! libfuzzer-sys is not packaged here.

/// Defines `LLVMFuzzerTestOneInput` calling `$body` with the input as a byte slice. The body
/// returns nothing: only a crash (a panic aborts, see Cargo.toml) is a finding.
#[macro_export]
macro_rules! fuzz_target {
    (|$data:ident| $body:block) => {
        /// # Safety
        /// libFuzzer passes `size` readable bytes at `data` (or NULL with size 0).
        #[no_mangle]
        pub unsafe extern "C" fn LLVMFuzzerTestOneInput(data: *const u8, size: usize) -> i32 {
            let input: &[u8] = if data.is_null() || size == 0 {
                &[]
            } else {
                std::slice::from_raw_parts(data, size)
            };
            // A closure, so that `return` in the body ends this input only.
            let run = |$data: &[u8]| $body;
            run(input);
            0
        }
    };
}

/// The input as text, as a UTF-8 caller would hand it over; invalid sequences are replaced so
/// the string parsers still see every valid prefix and suffix.
#[allow(dead_code)]
pub fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}
