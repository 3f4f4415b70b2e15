//! What the breached-password rule costs per lookup: a binary search by
//! positioned reads in a sorted list of NT hashes (`policy::breached`).
//! The list is generated: 1,000,000 lines of `HEX32:COUNT` in CRLF, as the
//! downloaded file has them (the real list has ~900 million lines, which
//! adds 10 probes to the ~20 made here). The file is fresh, so it sits in
//! the page cache, as a list searched all day does.
//!
//! `PASSERELLE_BREACHED_FILE=/path/pwned-passwords-ntlm-ordered-by-hash.txt`
//! measures a real download instead.
//!
//! Then the whole-file check every open makes (`BreachedHashes::open`: each
//! line read, each hash at or above the one before): on a generated sorted
//! list of `PASSERELLE_BREACHED_CHECK_MB` megabytes (1024 by default under
//! `cargo bench`, 8 and one run when `cargo test` runs the bench to see it
//! work; 0 skips it) in a temporary directory, or on `PASSERELLE_BREACHED_FILE`,
//! timed three times and printed in MB/s and seconds. The file was just
//! written, so it is read from the page cache: the speed of the check
//! itself. From a cold disk the disk's own speed bounds it.

use criterion::{black_box, criterion_group, Criterion};
use passerelle::policy::BreachedHashes;
use rand::{Rng, SeedableRng};
use std::io::Write;

const LINES: usize = 1_000_000;

fn generated_list() -> tempfile::NamedTempFile {
    let mut rng = rand::rngs::StdRng::seed_from_u64(13);
    let mut hashes: Vec<u128> = (0..LINES).map(|_| rng.gen()).collect();
    hashes.sort_unstable();
    let mut file = tempfile::NamedTempFile::new().expect("temporary file");
    let mut out = std::io::BufWriter::new(file.as_file_mut());
    for (i, hash) in hashes.iter().enumerate() {
        // Counts of 1 to 7 digits, so lines differ in length.
        let count = 10u64.pow((i % 7) as u32) + i as u64 % 9;
        write!(out, "{hash:032X}:{count}\r\n").expect("write");
    }
    out.flush().expect("flush");
    drop(out);
    file
}

fn bench_breached(c: &mut Criterion) {
    let generated;
    let path = match std::env::var_os("PASSERELLE_BREACHED_FILE") {
        Some(path) => std::path::PathBuf::from(path),
        None => {
            generated = generated_list();
            generated.path().to_owned()
        }
    };
    let list = BreachedHashes::open(&path).expect("a sorted list");
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let absent: Vec<String> = (0..1024)
        .map(|_| format!("{:032X}", rng.gen::<u128>()))
        .collect();
    let mut i = 0;
    c.bench_function("breached list, 1M lines: hash lookup (absent)", |b| {
        b.iter(|| {
            i = (i + 1) % absent.len();
            black_box(
                list.contains_nt_hash(black_box(&absent[i]))
                    .expect("lookup"),
            )
        })
    });
    let password = secrecy::SecretString::from("Passerelle-Neuve-2025!");
    c.bench_function(
        "breached list, 1M lines: password lookup (NT hash included)",
        |b| b.iter(|| black_box(list.contains(black_box(&password)).expect("lookup"))),
    );
}

/// A sorted list of about `megabytes` MB written straight to `path`,
/// without holding it in memory: each hash a random step above the last.
fn write_sorted_list(path: &std::path::Path, megabytes: u64) {
    let lines = megabytes * 1_000_000 / 44;
    let step = u128::MAX / u128::from(lines.max(1));
    let mut rng = rand::rngs::StdRng::seed_from_u64(29);
    let file = std::fs::File::create(path).expect("list file");
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    let mut hash = 0u128;
    for i in 0..lines {
        hash += rng.gen_range(1..step);
        let count = 10u64.pow((i % 7) as u32) + i % 9;
        write!(out, "{hash:032X}:{count}\r\n").expect("write");
    }
    out.flush().expect("flush");
}

fn whole_file_check() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this
    // binary without it, to see that it works, not to measure: 8 MB once.
    let measuring = std::env::args().any(|arg| arg == "--bench");
    let megabytes: u64 = std::env::var("PASSERELLE_BREACHED_CHECK_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if measuring { 1024 } else { 8 });
    let dir;
    let path = match std::env::var_os("PASSERELLE_BREACHED_FILE") {
        Some(path) => std::path::PathBuf::from(path),
        None if megabytes == 0 => return,
        None => {
            dir = tempfile::tempdir().expect("temporary directory");
            let path = dir.path().join("pwned-passwords-ntlm-ordered-by-hash.txt");
            let started = std::time::Instant::now();
            write_sorted_list(&path, megabytes);
            println!(
                "breached list, whole-file check: generated {} in {:.1} s",
                path.display(),
                started.elapsed().as_secs_f64()
            );
            path
        }
    };
    for run in 1..=if measuring { 3 } else { 1 } {
        let started = std::time::Instant::now();
        let list = BreachedHashes::open(&path).expect("a sorted list");
        let seconds = started.elapsed().as_secs_f64();
        let summary = list.summary();
        let mb = summary.bytes as f64 / 1e6;
        println!(
            "breached list, whole-file check, run {run}: {:.0} MB, {} hashes, {seconds:.2} s, {:.0} MB/s",
            mb,
            summary.hashes,
            mb / seconds
        );
    }
}

criterion_group!(benches, bench_breached);

fn main() {
    benches();
    whole_file_check();
    Criterion::default().configure_from_args().final_summary();
}
