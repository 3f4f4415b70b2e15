//! Link-time settings of the `passerelle` binary.
//!
//! Packed relative relocations (DT_RELR, `-z pack-relative-relocs`): the
//! binary is position-independent, and its 1.4 MB of relative relocations
//! (`.rela.dyn`, 61,000 entries of 24 bytes) were read in full by the
//! dynamic loader at every start, 1.4 MiB of the idle gateway's RSS
//! (issue 25). Packed, they take a few kilobytes. Only where the C library
//! the binary will run on loads them (glibc 2.36, Debian 12, on) and the
//! binary is built for the machine building it: a binary linked this way
//! refuses to start on an older glibc, so anywhere else it is linked as
//! before.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if packed_relocations_load_here() {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

/// Built for this machine, a GNU/Linux one whose glibc is 2.36 or later.
fn packed_relocations_load_here() -> bool {
    let target = std::env::var("TARGET").unwrap_or_default();
    let host = std::env::var("HOST").unwrap_or_default();
    if target != host || !target.ends_with("-linux-gnu") {
        return false;
    }
    let Ok(output) = std::process::Command::new("getconf")
        .arg("GNU_LIBC_VERSION")
        .output()
    else {
        return false;
    };
    // "glibc 2.36"
    let text = String::from_utf8_lossy(&output.stdout);
    let Some(version) = text.trim().strip_prefix("glibc ") else {
        return false;
    };
    let mut parts = version.split('.').map(|part| part.parse::<u32>().ok());
    match (parts.next().flatten(), parts.next().flatten()) {
        (Some(major), Some(minor)) => (major, minor) >= (2, 36),
        _ => false,
    }
}
