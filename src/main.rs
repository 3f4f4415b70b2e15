//! The `passerelle` binary: everything lives in the library; this only hands
//! the command line over to it.

fn main() -> std::process::ExitCode {
    large_blocks_mapped_alone();
    passerelle::cli::main()
}

/// Blocks of 1 MiB and more (the secret answers' argon2 work areas, 19 MiB
/// each) are mapped on their own by glibc and given back to the system when
/// freed. By default glibc raises that threshold to the size of the first
/// such block freed, after which 19 MiB areas come from its heaps and stay
/// there: the gateway would keep the memory of a burst of resets for good
/// (BENCHMARKS.md, issue 25). Fixing the threshold turns that adjustment
/// off (mallopt(3), `M_MMAP_THRESHOLD`).
fn large_blocks_mapped_alone() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes the allocator's parameters; called
    // first thing in main, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}
