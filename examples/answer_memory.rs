//! The secret answers' argon2 work areas, given back once idle: two bursts
//! of answers hashed two at a time, each followed by a wait past
//! `AREAS_KEPT_IDLE`, printing the process's RSS after each. With glibc's
//! mmap threshold fixed as `src/main.rs` fixes it (the default), both idle
//! readings are back near the start; `NO_MALLOPT=1` shows glibc's default,
//! where the second burst's areas stay resident after they are freed.
//!
//!     cargo run --release --example answer_memory

use passerelle_domain::secret_answer::{AnswerHasher, AREAS_KEPT_IDLE};
use secrecy::SecretString;
use std::time::Duration;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmRSS:"))
                .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn main() -> anyhow::Result<()> {
    if std::env::var_os("NO_MALLOPT").is_none() {
        // As the gateway's main does.
        // SAFETY: before any other thread; only the allocator's parameters.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let hasher = AnswerHasher::new(&SecretString::from("a pepper"), 2)?;
        println!("start: {} KiB", rss_kib());
        for burst in 1..=2 {
            for _ in 0..20 {
                let (a, b) = (hasher.clone(), hasher.clone());
                let one = tokio::spawn(async move { a.hash(&SecretString::from("médor")).await });
                let two = tokio::spawn(async move { b.hash(&SecretString::from("rex")).await });
                one.await??;
                two.await??;
            }
            println!(
                "burst {burst}: {} KiB, {} areas kept",
                rss_kib(),
                hasher.areas_kept()
            );
            tokio::time::sleep(AREAS_KEPT_IDLE + Duration::from_secs(2)).await;
            println!(
                "idle after burst {burst}: {} KiB, {} areas kept",
                rss_kib(),
                hasher.areas_kept()
            );
        }
        Ok(())
    })
}
