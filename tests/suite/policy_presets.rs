//! The presets of `config/presets/` are ordinary configuration files that
//! reproduce each seed system: each must load as a whole configuration, and
//! its rules must accept and refuse exactly what its seed says (each test
//! names the seed rule it checks).

use figment::providers::{Format, Toml};
use figment::Figment;
use passerelle::config::{figment, Settings};
use passerelle::policy::{
    describe, describe_class, explain, CharacterClass, Lang, PasswordPolicy, PersonContext,
    PolicyConfig, RuleId, Violation,
};
use secrecy::SecretString;
use std::path::PathBuf;

const PRESETS: [&str; 5] = [
    "uphf",
    "efp",
    "caf-services",
    "caf-partenaires",
    "ecolesoft",
];

fn preset_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("config/presets/{name}.toml"))
}

fn preset_policy(name: &str) -> PolicyConfig {
    Figment::from(Toml::file_exact(preset_path(name)))
        .extract_inner("policy")
        .unwrap_or_else(|e| panic!("[policy] of preset {name}: {e}"))
}

fn preset_settings(name: &str) -> Settings {
    Settings::from_figment(figment(Some(&preset_path(name))))
        .unwrap_or_else(|e| panic!("preset {name}: {e}"))
}

fn policy(name: &str) -> PasswordPolicy {
    PasswordPolicy::from_config(&preset_policy(name))
}

fn accepts(policy: &PasswordPolicy, password: &str, ctx: &PersonContext<'_>) -> bool {
    policy
        .check(&SecretString::from(password), ctx)
        .is_acceptable()
}

fn refuses_with(
    policy: &PasswordPolicy,
    password: &str,
    ctx: &PersonContext<'_>,
) -> Vec<Violation> {
    let verdict = policy.check(&SecretString::from(password), ctx);
    assert!(!verdict.is_acceptable(), "{password:?} should be refused");
    verdict.violations()
}

fn checklist(policy: &PasswordPolicy) -> Vec<String> {
    policy
        .rules()
        .iter()
        .map(|rule| describe(rule, Lang::Fr))
        .collect()
}

fn nobody() -> PersonContext<'static> {
    PersonContext::default()
}

#[test]
fn every_preset_is_a_valid_configuration_with_a_valid_policy() {
    for name in PRESETS {
        let settings = preset_settings(name);
        assert_eq!(settings.policy, preset_policy(name), "{name}");
        settings
            .policy
            .validate()
            .unwrap_or_else(|e| panic!("preset {name}: {e}"));
    }
}

#[test]
fn an_unknown_policy_key_is_refused() {
    let result: Result<PolicyConfig, _> =
        Figment::from(Toml::string("[policy]\nmin_lenght = 12\n")).extract_inner("policy");
    let error = result.expect_err("a typo must not be ignored").to_string();
    assert!(error.contains("min_lenght"), "{error}");
}

#[test]
fn uphf_refuses_a_password_containing_the_login() {
    // Seed 004: "Ne doit pas contenir votre login".
    let uphf = policy("uphf");
    let ctx = PersonContext {
        login: "jdupont".into(),
        names: vec!["Jean".into(), "Dupont".into()],
        ..PersonContext::default()
    };
    assert_eq!(
        refuses_with(&uphf, "Jdupont2024!", &ctx),
        vec![Violation::ContainsLogin]
    );
    assert_eq!(
        explain(&Violation::ContainsLogin, Lang::Fr),
        "Le mot de passe ne doit pas contenir votre login."
    );
    assert!(accepts(&uphf, "Soleil-Rouge-42", &ctx));
}

#[test]
fn uphf_shows_the_last_three_passwords_rule_and_explains_the_directory_refusal() {
    // Seed 004: "Doit être différent des 3 derniers mots de passe que vous
    // avez choisis" (checked by the directory's pwdInHistory).
    let uphf = policy("uphf");
    assert_eq!(
        checklist(&uphf),
        vec![
            "8 caractères minimum",
            "Ne doit pas contenir votre login",
            "Doit être différent des 3 derniers mots de passe que vous avez choisis",
        ]
    );
    let refusal = uphf.violation_for_ppolicy_error(8).expect("inHistory");
    assert_eq!(refusal.rule_id(), Some(RuleId::History));
    assert_eq!(
        explain(&refusal, Lang::Fr),
        "Le mot de passe doit être différent des 3 derniers mots de passe que vous avez choisis."
    );
    assert_eq!(
        explain(&refusal, Lang::En),
        "The password must differ from the last 3 passwords you chose."
    );
}

#[test]
fn uphf_asks_for_the_rules_checkbox() {
    // Seed 004: "Je reconnais avoir pris connaissance du règlement intérieur".
    assert!(preset_settings("uphf").flows.require_rules_checkbox);
}

#[test]
fn efp_requires_twelve_characters() {
    // Seed 002: "12 caractères minimum".
    let efp = policy("efp");
    assert_eq!(
        refuses_with(&efp, "Abcdefgh1!x", &nobody()),
        vec![Violation::TooShort { min: 12 }]
    );
    assert!(accepts(&efp, "Abcdefghij1x", &nobody()));
}

#[test]
fn efp_requires_three_of_the_four_criteria() {
    // Seed 002: "Respectant 3 des 4 critères suivants".
    let efp = policy("efp");
    assert_eq!(
        refuses_with(&efp, "abcdefghijk1", &nobody()),
        vec![Violation::TooFewClasses { min: 3 }]
    );
    assert!(accepts(&efp, "abcdefghij1!", &nobody()));
    assert!(accepts(&efp, "ABCDEFGHIJ1!", &nobody()));
    assert!(accepts(&efp, "Abcdefghijk!", &nobody()));
}

#[test]
fn efp_checklist_uses_the_seeds_words() {
    // Seed 002: "× 12 caractères minimum", "× Respectant 3 des 4 critères
    // suivants :", "× Contient une minuscule" ...
    let efp = policy("efp");
    assert_eq!(
        checklist(&efp),
        vec![
            "12 caractères minimum",
            "Respectant 3 des 4 critères suivants :"
        ]
    );
    let classes: Vec<String> = CharacterClass::ALL
        .iter()
        .map(|&c| describe_class(c, Lang::Fr))
        .collect();
    assert_eq!(
        classes,
        vec![
            "Contient une minuscule",
            "Contient une majuscule",
            "Contient un chiffre",
            "Contient un caractère spécial",
        ]
    );
}

#[test]
fn efp_code_is_valid_24_hours() {
    // Seed 002: "Il expirera au bout de 24 heures."
    let settings = preset_settings("efp");
    assert!(settings.flows.code);
    assert_eq!(settings.flows.code_validity_seconds, 24 * 3600);
}

#[test]
fn caf_services_accepts_six_to_twenty_characters() {
    // Seed 001: "entre 6 et 20 caractères".
    let caf = policy("caf-services");
    assert!(accepts(&caf, "abcde1", &nobody()));
    assert!(accepts(&caf, "abcdefghijklmnopqrs1", &nobody()));
    assert_eq!(
        refuses_with(&caf, "abcd1", &nobody()),
        vec![Violation::TooShort { min: 6 }]
    );
    assert_eq!(
        refuses_with(&caf, "abcdefghijklmnopqrst1", &nobody()),
        vec![Violation::TooLong { max: 20 }]
    );
    assert_eq!(checklist(&caf)[0], "Entre 6 et 20 caractères");
}

#[test]
fn caf_services_requires_a_lowercase_letter_and_a_digit() {
    // Seed 001: "au moins une lettre minuscule", "au moins un chiffre".
    let caf = policy("caf-services");
    assert_eq!(
        refuses_with(&caf, "ABCDEF12", &nobody()),
        vec![Violation::TooFewLowercase { min: 1 }]
    );
    assert_eq!(
        refuses_with(&caf, "abcdefgh", &nobody()),
        vec![Violation::TooFewDigits { min: 1 }]
    );
    // No uppercase or special character is asked for.
    assert!(accepts(&caf, "motdepasse1", &nobody()));
}

#[test]
fn caf_partenaires_requires_all_four_kinds_in_eight_to_twenty_characters() {
    // Seed 000: "8 à 20 caractères", "Lettre majuscule, lettre minuscule,
    // chiffre, caractère spécial".
    let caf = policy("caf-partenaires");
    assert!(accepts(&caf, "Abcdef1!", &nobody()));
    assert!(accepts(&caf, "Abcdefghijklmnopqr1!", &nobody()));
    let cases = [
        ("abcdef1!", Violation::TooFewUppercase { min: 1 }),
        ("ABCDEF1!", Violation::TooFewLowercase { min: 1 }),
        ("Abcdefg!", Violation::TooFewDigits { min: 1 }),
        ("Abcdefg1", Violation::TooFewSpecial { min: 1 }),
        ("Abcde1!", Violation::TooShort { min: 8 }),
        ("Abcdefghijklmnopqr1!x", Violation::TooLong { max: 20 }),
    ];
    for (password, violation) in cases {
        assert_eq!(refuses_with(&caf, password, &nobody()), vec![violation]);
    }
}

#[test]
fn caf_partenaires_locks_after_five_failures_and_ends_idle_flows_after_thirty_minutes() {
    // Seed 000: "suite à 5 tentatives de connexion infructueuse", "Durée
    // maximale d'inactivité 30 min", "mot de passe provisoire 24 h".
    let settings = preset_settings("caf-partenaires");
    assert_eq!(settings.lockout.max_failures, 5);
    assert_eq!(settings.server.inactivity_seconds, 30 * 60);
    assert!(settings.flows.temporary);
    assert_eq!(settings.flows.temporary_validity_seconds, 24 * 3600);
}

#[test]
fn ecolesoft_refuses_its_own_mailed_temporary_password_shape() {
    // Seed 003: "8 caractères minimum, Au moins 1 majuscule, Au moins 1
    // minuscule, Au moins 1 caractère numérique"; the mailed temporary
    // password (lowercase hex) has no uppercase letter.
    let ecolesoft = policy("ecolesoft");
    assert_eq!(
        refuses_with(&ecolesoft, "43f4a577e94946b0ac06bea6f16b6a7e", &nobody()),
        vec![Violation::TooFewUppercase { min: 1 }]
    );
    assert!(accepts(&ecolesoft, "Motdepasse1", &nobody()));
    assert_eq!(
        refuses_with(&ecolesoft, "Mdpass1", &nobody()),
        vec![Violation::TooShort { min: 8 }]
    );
    assert_eq!(
        refuses_with(&ecolesoft, "MOTDEPASSE1", &nobody()),
        vec![Violation::TooFewLowercase { min: 1 }]
    );
    assert_eq!(
        refuses_with(&ecolesoft, "Motdepasse", &nobody()),
        vec![Violation::TooFewDigits { min: 1 }]
    );
    assert_eq!(
        checklist(&ecolesoft),
        vec![
            "8 caractères minimum",
            "Au moins 1 majuscule",
            "Au moins 1 minuscule",
            "Au moins 1 chiffre",
        ]
    );
}

#[test]
fn every_rule_of_every_preset_has_a_text_in_every_language() {
    for name in PRESETS {
        for rule in policy(name).rules() {
            for &lang in Lang::ALL {
                let text = describe(&rule, lang);
                assert!(
                    !text.is_empty() && !text.starts_with("policy-"),
                    "{name} {rule:?} {lang:?}: {text}"
                );
            }
        }
    }
}
