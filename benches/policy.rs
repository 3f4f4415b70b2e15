//! How long the policy engine takes to judge a typical password, zxcvbn
//! included: it runs on every submitted form, so it must stay far below a
//! millisecond.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use passerelle::policy::{PasswordPolicy, PersonContext, PolicyConfig};
use secrecy::SecretString;

fn preset(toml: &str) -> PolicyConfig {
    use figment::providers::{Format, Toml};
    figment::Figment::from(Toml::string(toml))
        .extract_inner("policy")
        .expect("a valid [policy] table")
}

fn bench_policy(c: &mut Criterion) {
    let uphf = PasswordPolicy::from_config(&PolicyConfig {
        min_zxcvbn_score: Some(3),
        forbid_attribute_values: true,
        ..preset(include_str!("../config/presets/uphf.toml"))
    });
    let efp = PasswordPolicy::from_config(&PolicyConfig {
        min_zxcvbn_score: Some(3),
        ..preset(include_str!("../config/presets/efp.toml"))
    });
    passerelle::policy::warm_up();
    let ctx = PersonContext {
        login: "jdupont".into(),
        names: vec!["Jean-Pierre".into(), "Dupont".into()],
        birth_date: Some("19990315".into()),
        current_password: None,
    };
    let typical = SecretString::from("Soleil-Rouge-2024!");
    let long = SecretString::from("cheval agrafe batterie correct horizon 42");

    c.bench_function("uphf + zxcvbn, typical password", |b| {
        b.iter(|| black_box(uphf.check(black_box(&typical), &ctx)))
    });
    c.bench_function("efp + zxcvbn, typical password", |b| {
        b.iter(|| black_box(efp.check(black_box(&typical), &ctx)))
    });
    c.bench_function("efp + zxcvbn, 41-character passphrase", |b| {
        b.iter(|| black_box(efp.check(black_box(&long), &ctx)))
    });
    let longest = SecretString::from("passwordpassword".repeat(8));
    c.bench_function("efp + zxcvbn, 128 guessable characters (worst case)", |b| {
        b.iter(|| black_box(efp.check(black_box(&longest), &ctx)))
    });
    let efp_plain =
        PasswordPolicy::from_config(&preset(include_str!("../config/presets/efp.toml")));
    c.bench_function("efp without zxcvbn, typical password", |b| {
        b.iter(|| black_box(efp_plain.check(black_box(&typical), &ctx)))
    });
    let huge = SecretString::from("a".repeat(10_000));
    c.bench_function("10,000-character paste refused", |b| {
        b.iter(|| black_box(efp.check(black_box(&huge), &ctx)))
    });
}

criterion_group!(benches, bench_policy);
criterion_main!(benches);
