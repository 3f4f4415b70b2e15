//! Runs the shared vectors of `tests/vectors/password_policy.json` through
//! the Rust engine (the page's checklist runs the same file in
//! `tests/js/checklist.test.js`), plus the input edge cases JSON cannot carry.

use passerelle::policy::{
    explain, InputError, Lang, PasswordPolicy, PersonContext, PolicyConfig, RuleStatus, Violation,
};
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Vectors {
    policies: BTreeMap<String, NamedPolicy>,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct NamedPolicy {
    config: PolicyConfig,
    client_rules: Value,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Context {
    login: String,
    names: Vec<String>,
    birth_date: Option<String>,
    current_password: Option<String>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    policy: String,
    #[serde(default)]
    context: Context,
    password: String,
    repeat: Option<usize>,
    input_error: Option<String>,
    expected: BTreeMap<String, Option<bool>>,
    classes: Option<BTreeMap<String, bool>>,
}

fn vectors() -> Vectors {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/password_policy.json"
    ))
    .expect("the vectors file is readable");
    serde_json::from_str(&text).expect("the vectors file is valid")
}

#[test]
fn every_vector_policy_sends_the_client_rules_the_checklist_is_tested_with() {
    for (name, policy) in vectors().policies {
        let built = PasswordPolicy::from_config(&policy.config);
        let sent: Value = serde_json::from_str(&built.client_rules_json()).unwrap();
        assert_eq!(sent, policy.client_rules, "client rules of policy {name}");
    }
}

#[test]
fn every_vector_gets_its_expected_verdict_from_the_rust_engine() {
    let vectors = vectors();
    let mut failures = Vec::new();
    for case in &vectors.cases {
        let policy = PasswordPolicy::from_config(&vectors.policies[&case.policy].config);
        let current = case
            .context
            .current_password
            .clone()
            .map(SecretString::from);
        let ctx = PersonContext {
            login: case.context.login.clone(),
            names: case.context.names.clone(),
            birth_date: case.context.birth_date.clone(),
            current_password: current.as_ref(),
        };
        let password = case.password.repeat(case.repeat.unwrap_or(1));
        let verdict = policy.check(&SecretString::from(password), &ctx);

        let input_error = verdict.input_error().map(|e| e.as_str().to_owned());
        if input_error != case.input_error {
            failures.push(format!(
                "{}: input error {input_error:?}, expected {:?}",
                case.name, case.input_error
            ));
            continue;
        }
        let mut got = BTreeMap::new();
        for outcome in verdict.outcomes() {
            let value = match outcome.status {
                RuleStatus::Passed => Some(true),
                RuleStatus::Failed => Some(false),
                RuleStatus::NotApplicable => None,
                RuleStatus::DecidedByDirectory => continue,
            };
            got.insert(outcome.rule.id().as_str().to_owned(), value);
        }
        if got != case.expected {
            failures.push(format!(
                "{}: got {got:?}, expected {:?}",
                case.name, case.expected
            ));
        }
        let acceptable =
            case.input_error.is_none() && case.expected.values().all(|v| *v != Some(false));
        if verdict.is_acceptable() != acceptable {
            failures.push(format!("{}: acceptable is wrong", case.name));
        }
        if let Some(classes) = &case.classes {
            let found = verdict.classes();
            let got: BTreeMap<String, bool> = [
                ("lowercase", found.lowercase > 0),
                ("uppercase", found.uppercase > 0),
                ("digit", found.digits > 0),
                ("special", found.special > 0),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
            if &got != classes {
                failures.push(format!(
                    "{}: classes {got:?}, expected {classes:?}",
                    case.name
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn efp() -> PasswordPolicy {
    PasswordPolicy::from_config(&PolicyConfig {
        min_length: Some(12),
        min_classes: Some(3),
        ..PolicyConfig::default()
    })
}

#[test]
fn invalid_utf8_bytes_are_a_clear_input_error() {
    let verdict = efp().check_bytes(b"Motdepasse\xff\xfe12!", &PersonContext::default());
    assert_eq!(verdict.input_error(), Some(InputError::InvalidUtf8));
    assert!(!verdict.is_acceptable());
    assert!(verdict.outcomes().is_empty());
    assert_eq!(
        explain(&verdict.violations()[0], Lang::Fr),
        "Le mot de passe contient des caractères illisibles (texte non UTF-8) : saisissez-le à nouveau."
    );
}

#[test]
fn a_truncated_multibyte_character_is_invalid_utf8() {
    let bytes = "Motdepasse12é".as_bytes();
    let verdict = efp().check_bytes(&bytes[..bytes.len() - 1], &PersonContext::default());
    assert_eq!(verdict.input_error(), Some(InputError::InvalidUtf8));
}

#[test]
fn valid_utf8_bytes_are_checked_like_a_string() {
    let verdict = efp().check_bytes("Élodie-2024!x".as_bytes(), &PersonContext::default());
    assert_eq!(verdict.input_error(), None);
    assert!(verdict.is_acceptable());
}

#[test]
fn ten_thousand_bytes_are_refused_before_decoding() {
    let mut bytes = vec![b'a'; 10_000];
    bytes[5_000] = 0xff;
    let verdict = efp().check_bytes(&bytes, &PersonContext::default());
    assert_eq!(
        verdict.input_error(),
        Some(InputError::TooLong { max: 128 })
    );
}

#[test]
fn a_ten_thousand_character_password_gets_a_clear_message_and_no_rule_runs() {
    let policy = PasswordPolicy::from_config(&PolicyConfig {
        min_zxcvbn_score: Some(3),
        ..PolicyConfig::default()
    });
    let verdict = policy.check(
        &SecretString::from("Ab1!".repeat(2_500)),
        &PersonContext::default(),
    );
    assert_eq!(
        verdict.input_error(),
        Some(InputError::TooLong { max: 128 })
    );
    assert_eq!(verdict.zxcvbn_score(), None);
    assert_eq!(
        verdict.violations(),
        vec![Violation::Input(InputError::TooLong { max: 128 })]
    );
    assert_eq!(
        explain(&verdict.violations()[0], Lang::Fr),
        "Le mot de passe est trop long : 128 caractères au maximum."
    );
    assert_eq!(
        explain(&verdict.violations()[0], Lang::En),
        "The password is too long: 128 characters at most."
    );
}

#[test]
fn control_characters_only_spaces_and_empty_have_their_own_messages() {
    let ctx = PersonContext::default();
    let cases = [
        ("abc\u{0}defghijkl1A", InputError::ControlCharacter),
        ("Motdepasse12!\n", InputError::ControlCharacter),
        ("   ", InputError::OnlySpaces),
        ("", InputError::Empty),
    ];
    let mut messages = Vec::new();
    for (password, error) in cases {
        let verdict = efp().check(&SecretString::from(password), &ctx);
        assert_eq!(verdict.input_error(), Some(error), "{password:?}");
        assert!(!verdict.is_acceptable());
        messages.push(explain(&Violation::Input(error), Lang::Fr));
    }
    assert!(messages[0].contains("caractère invisible"));
    assert!(messages[2].contains("uniquement d'espaces"));
    assert_eq!(messages[3], "Saisissez un mot de passe.");
}
