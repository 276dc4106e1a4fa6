//! Generates include/excert.h from src/ffi with cbindgen (config in cbindgen.toml). The header
//! is committed; CI fails when it differs from what this writes. On Linux it also gives the
//! shared library its soname, `libexcert.so.<EXCERT_ABI_VERSION>` (docs/versioning.md).

use std::path::{Path, PathBuf};

fn main() {
    let dir =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=src/error.rs");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=include/excert.h");
    set_soname(&dir);
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

/// The ABI version, read from its one definition in src/ffi/mod.rs (also the header's
/// `EXCERT_ABI_VERSION`), so the soname cannot drift from it.
fn abi_version(dir: &Path) -> u32 {
    let ffi =
        std::fs::read_to_string(dir.join("src/ffi/mod.rs")).expect("src/ffi/mod.rs is readable");
    ffi.lines()
        .find_map(|line| {
            line.trim()
                .strip_prefix("pub const EXCERT_ABI_VERSION: u32 = ")
        })
        .and_then(|rest| rest.trim_end_matches(';').trim().parse().ok())
        .expect("src/ffi/mod.rs defines `pub const EXCERT_ABI_VERSION: u32 = N;`")
}

/// Linux: the soname makes programs linked with -lexcert ask for `libexcert.so.N`, so a library
/// of another ABI is never picked up by mistake. The link `libexcert.so.N -> libexcert.so` beside
/// the build output keeps programs linked against the build tree (tests, bench) running.
fn set_soname(dir: &Path) {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("linux") {
        return;
    }
    let soname = format!("libexcert.so.{}", abi_version(dir));
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{soname}");
    // OUT_DIR is <target>/<profile>/build/excert-<hash>/out; the library lands in <target>/<profile>.
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    if let Some(profile_dir) = out.ancestors().nth(3) {
        let link = profile_dir.join(&soname);
        if std::fs::read_link(&link).ok().as_deref() != Some(Path::new("libexcert.so")) {
            let _ = std::fs::remove_file(&link);
            if let Err(e) = symlink("libexcert.so", &link) {
                println!("cargo:warning=could not link {}: {e}", link.display());
            }
        }
    }
}

#[cfg(unix)]
fn symlink(target: &str, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

/// A Linux target built on another host (cross-compiling): no link, the soname still applies.
#[cfg(not(unix))]
fn symlink(_target: &str, _link: &Path) -> std::io::Result<()> {
    Ok(())
}
