//! PKCS#10 certificate requests, as a pending entry is read back from the store and as an
//! import is refused when handed a request.
#![no_main]

mod common;

use excert::cert::inspect;

fuzz_target!(|data| {
    let _ = inspect::RequestInfo::from_der(data);
});
