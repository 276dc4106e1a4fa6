//! Generates include/excert.h from src/ffi with cbindgen (config in cbindgen.toml). The header
//! is committed; CI fails when it differs from what this writes.

use std::path::PathBuf;

fn main() {
    let dir =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=src/error.rs");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=include/excert.h");
    let config =
        cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("cbindgen.toml is readable");
    let header = dir.join("include").join("excert.h");
    match cbindgen::Builder::new()
        .with_config(config)
        // Only the ABI's own files: the core's public items are not part of the C API.
        .with_src(dir.join("src/ffi/mod.rs"))
        .with_src(dir.join("src/error.rs"))
        .generate()
    {
        // write_to_file leaves the file alone when unchanged, so builds do not loop.
        Ok(bindings) => {
            bindings.write_to_file(&header);
        }
        Err(e) => println!("cargo:warning=include/excert.h was not regenerated: {e}"),
    }
}
