//! What the breached-password rule costs per lookup: a binary search by
//! positioned reads in a sorted list of NT hashes (`policy::breached`).
//! The list is generated: 1,000,000 lines of `HEX32:COUNT` in CRLF, as the
//! downloaded file has them (the real list has ~900 million lines, which
//! adds 10 probes to the ~20 made here). The file is fresh, so it sits in
//! the page cache, as a list searched all day does.
//!
//! `PASSERELLE_BREACHED_FILE=/path/pwned-passwords-ntlm-ordered-by-hash.txt`
//! measures a real download instead.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
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

criterion_group!(benches, bench_breached);
criterion_main!(benches);
