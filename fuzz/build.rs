//! Links every target to libFuzzer's static library, which supplies `main` and calls
//! `LLVMFuzzerTestOneInput`. Its folder: `$LIBFUZZER_DIR`, else Debian's LLVM 14 location.

fn main() {
    println!("cargo:rerun-if-env-changed=LIBFUZZER_DIR");
    let dir = std::env::var("LIBFUZZER_DIR").unwrap_or_else(|_| "/usr/lib/llvm-14/lib".into());
    let lib = std::path::Path::new(&dir).join("libFuzzer.a");
    if !lib.exists() {
        panic!(
            "{} is missing: install Debian's libfuzzer-14-dev (scripts/fuzz does), or set \
             LIBFUZZER_DIR to the folder holding libFuzzer.a",
            lib.display()
        );
    }
    println!("cargo:rustc-link-search=native={dir}");
    println!("cargo:rustc-link-lib=static=Fuzzer");
    // libFuzzer is C++.
    println!("cargo:rustc-link-lib=dylib=stdc++");
}
