//! What the directory costs the gateway, against a real slapd started from
//! `config/ldap` (ppolicy with `pwdInHistory 3`, `{ARGON2}` hashing):
//! finding a person, proving a password with a bind on a connection of its
//! own, the atomic password write, and recording a failed attempt.
//!
//! `cargo bench --bench directory` (figures in target/criterion).

use criterion::{criterion_group, criterion_main, Criterion};
use passerelle::config::{LdapSettings, LockoutSettings};
use passerelle::directory::{Directory, Identifier, WriteKind};
use passerelle::slapd::{person_ldif, People, Slapd, TestPerson, SERVICE_DN, SERVICE_PASSWORD};
use secrecy::SecretString;
use std::time::Duration;

fn directory(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let slapd = Slapd::start(People::Empty).expect("slapd");
    let password = "Mesure-Initiale-2026";
    slapd
        .add_ldif(&person_ldif(
            "bench",
            &TestPerson {
                password: password.into(),
                student_number: Some("29990001".into()),
                ..TestPerson::default()
            },
        ))
        .expect("person");
    let settings = LdapSettings {
        urls: vec![slapd.url()],
        bind_dn: SERVICE_DN.into(),
        ..LdapSettings::default()
    };
    let directory =
        Directory::new(&settings, SecretString::from(SERVICE_PASSWORD)).expect("directory");
    let identifier = Identifier::parse("29990001").expect("identifier");
    let person = runtime
        .block_on(directory.find_person(&identifier))
        .expect("search")
        .expect("found");

    let lockout = LockoutSettings {
        max_failures: u32::MAX,
        lock_seconds: 1,
    };
    // The domain over this adapter: the write and the failure as the
    // gateway makes them (rules checked, entry guarded).
    let gateway = runtime
        .block_on(async { passerelle::assemble::quiet_gateway(&directory, &lockout) })
        .expect("gateway");

    let mut group = c.benchmark_group("directory");
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("find_person by student number", |b| {
        b.iter(|| {
            runtime
                .block_on(directory.find_person(&identifier))
                .expect("search")
        })
    });
    group.bench_function("verify_password (own connection + bind)", |b| {
        let typed = SecretString::from(password);
        b.iter(|| {
            runtime
                .block_on(directory.verify_password(&person, &typed))
                .expect("bind")
        })
    });
    group.sample_size(20);
    let mut round = 0u64;
    group.bench_function("write_password (atomic modify, ARGON2, history 3)", |b| {
        b.iter(|| {
            round += 1;
            let new = SecretString::from(format!("Mesure-{round}-Debit"));
            runtime
                .block_on(gateway.write_password(&person, &new, WriteKind::Chosen))
                .expect("write")
        })
    });
    group.bench_function("record_failure", |b| {
        b.iter(|| {
            runtime
                .block_on(gateway.record_failure(&person))
                .expect("failure")
        })
    });
    group.finish();
}

criterion_group!(benches, directory);
criterion_main!(benches);
