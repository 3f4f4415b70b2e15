//! Property tests (proptest) of what reads hostile or messy input: the
//! ppolicy response decoder, birth dates and identifiers, the form body
//! parser and its size limit, secret-answer normalisation and the password
//! policy engine. Cases are bounded (`PROPTEST_CASES`, 64 by default) so the
//! whole module takes seconds; each failure found became a named test at
//! the end of the module.

use crate::app::spawn_app_with;
use chrono::{Datelike, NaiveDate};
use passerelle::directory::ppolicy::{self, PpolicyError, PpolicyResponse, PpolicyWarning};
use passerelle::directory::{BirthDate, Identifier};
use passerelle::policy::{
    normalize_password_str, PasswordPolicy, PersonContext, PolicyConfig, RuleId, RuleStatus,
};
use passerelle::secret_answer::normalise;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use secrecy::{ExposeSecret, SecretString};
use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// `PROPTEST_CASES` if set, else 64: seconds, not minutes, in scripts/test.
fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(64);
    Config {
        cases,
        // Failures are kept as named tests below, not in files.
        failure_persistence: None,
        ..Config::default()
    }
}

// ---------------------------------------------------------------- ppolicy

/// BER of a non-negative or negative INTEGER/ENUMERATED content: minimal
/// two's complement, big-endian.
fn ber_integer(value: i64) -> Vec<u8> {
    let bytes = value.to_be_bytes();
    let mut start = 0;
    while start < 7 {
        let (this, next) = (bytes[start], bytes[start + 1]);
        let redundant = (this == 0x00 && next & 0x80 == 0) || (this == 0xFF && next & 0x80 != 0);
        if !redundant {
            break;
        }
        start += 1;
    }
    bytes[start..].to_vec()
}

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len < 0x100 {
        out.extend([0x81, len as u8]);
    } else {
        out.extend([0x82, (len >> 8) as u8, len as u8]);
    }
    out.extend_from_slice(content);
    out
}

/// The response control's value, built by hand from the draft's ASN.1.
fn encode(warning: Option<(bool, u64)>, error: Option<i64>) -> Vec<u8> {
    let mut body = Vec::new();
    if let Some((grace, number)) = warning {
        let inner = tlv(if grace { 0x81 } else { 0x80 }, &ber_integer(number as i64));
        body.extend(tlv(0xA0, &inner));
    }
    if let Some(code) = error {
        body.extend(tlv(0x81, &ber_integer(code)));
    }
    tlv(0x30, &body)
}

fn error_of(code: i64) -> PpolicyError {
    match code {
        0 => PpolicyError::PasswordExpired,
        1 => PpolicyError::AccountLocked,
        2 => PpolicyError::ChangeAfterReset,
        3 => PpolicyError::PasswordModNotAllowed,
        4 => PpolicyError::MustSupplyOldPassword,
        5 => PpolicyError::InsufficientPasswordQuality,
        6 => PpolicyError::PasswordTooShort,
        7 => PpolicyError::PasswordTooYoung,
        8 => PpolicyError::PasswordInHistory,
        9 => PpolicyError::PasswordTooLong,
        other => PpolicyError::Other(other),
    }
}

#[test]
fn the_ppolicy_decoder_never_panics_on_any_bytes() {
    TestRunner::new(config())
        .run(&proptest::collection::vec(any::<u8>(), 0..80), |bytes| {
            let _ = ppolicy::decode(&bytes);
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_ppolicy_decoder_never_panics_on_a_damaged_valid_control() {
    // Valid controls with one byte changed, cut or added: near misses reach
    // deeper into the decoder than random bytes.
    let damaged = (
        proptest::option::of((any::<bool>(), 0u64..=i64::MAX as u64)),
        proptest::option::of(-3i64..40),
        any::<prop::sample::Index>(),
        any::<u8>(),
        0u8..3,
    )
        .prop_map(|(warning, error, at, byte, how)| {
            let mut bytes = encode(warning, error);
            let at = at.index(bytes.len());
            match how {
                0 => bytes[at] = byte,
                1 => bytes.truncate(at),
                _ => bytes.insert(at, byte),
            }
            bytes
        });
    TestRunner::new(config())
        .run(&damaged, |bytes| {
            let _ = ppolicy::decode(&bytes);
            Ok(())
        })
        .unwrap();
}

#[test]
fn every_ppolicy_response_decodes_to_what_was_encoded() {
    let responses = (
        proptest::option::of((any::<bool>(), 0u64..=i64::MAX as u64)),
        proptest::option::of(0i64..=i64::MAX),
    );
    TestRunner::new(config())
        .run(&responses, |(warning, error)| {
            let decoded = ppolicy::decode(&encode(warning, error));
            let expected = PpolicyResponse {
                warning: warning.map(|(grace, number)| {
                    if grace {
                        PpolicyWarning::GraceAuthNsRemaining(number)
                    } else {
                        PpolicyWarning::TimeBeforeExpiration(number)
                    }
                }),
                error: error.map(error_of),
            };
            prop_assert_eq!(decoded, Ok(expected));
            Ok(())
        })
        .unwrap();
}

// ---------------------------------------------------------------- dates

fn dates() -> impl Strategy<Value = NaiveDate> {
    (1000i32..=9999, 1u32..=12, 1u32..=31)
        .prop_filter_map("a real date", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
}

/// ASCII digits and separators as their full-width forms (U+FF10...).
fn full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c),
            other => other,
        })
        .collect()
}

#[test]
fn birth_date_parsing_never_panics_and_only_gives_real_dates() {
    TestRunner::new(config())
        .run(&any::<String>(), |typed| {
            if let Some(date) = BirthDate::parse(&typed) {
                prop_assert!((1000..=9999).contains(&date.date().year()));
            }
            Ok(())
        })
        .unwrap();
    TestRunner::new(config())
        .run(&"[0-9 ./-]{0,14}", |typed| {
            let _ = BirthDate::parse(&typed);
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_date_typed_in_any_accepted_form_is_that_date() {
    let typed = (
        dates(),
        0usize..6,
        any::<bool>(),
        any::<bool>(),
        "[ \u{3000}]{0,2}",
    );
    TestRunner::new(config())
        .run(&typed, |(date, form, padded, wide, space)| {
            let (d, m, y) = (date.day(), date.month(), date.year());
            let text = match (form, padded) {
                (0, true) => format!("{d:02}/{m:02}/{y}"),
                (0, false) => format!("{d}/{m}/{y}"),
                (1, _) => format!("{d:02}.{m:02}.{y}"),
                (2, _) => format!("{d:02}-{m:02}-{y}"),
                (3, true) => format!("{y}-{m:02}-{d:02}"),
                (3, false) => format!("{y}-{m}-{d}"),
                (4, _) => format!("{d}.{m}.{y}"),
                _ => format!("{d:02}/{m}/{y}"),
            };
            let text = if wide { full_width(&text) } else { text };
            let text = format!("{space}{text}{space}");
            prop_assert_eq!(
                BirthDate::parse(&text).map(|b| b.date()),
                Some(date),
                "{}",
                text
            );
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_two_digit_year_is_never_guessed() {
    TestRunner::new(config())
        .run(&(1u32..=28, 1u32..=12, 0u32..=99), |(d, m, y)| {
            prop_assert_eq!(BirthDate::parse(&format!("{d:02}/{m:02}/{y:02}")), None);
            Ok(())
        })
        .unwrap();
}

// ---------------------------------------------------------------- identifiers

#[test]
fn an_identifier_is_trimmed_nfkc_bounded_and_free_of_control_characters() {
    TestRunner::new(config())
        .run(&any::<String>(), |typed| {
            if let Some(identifier) = Identifier::parse(&typed) {
                let value = identifier.as_str();
                let chars = value.chars().count();
                prop_assert!((1..=256).contains(&chars));
                prop_assert!(!value.chars().any(char::is_control));
                prop_assert_eq!(value, value.trim());
                prop_assert_eq!(value.nfkc().collect::<String>(), value);
                // Parsing what was kept keeps it: the normalisation is done.
                prop_assert_eq!(Identifier::parse(value), Some(identifier.clone()));
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn an_identifier_typed_full_width_or_padded_is_the_one_printed() {
    TestRunner::new(config())
        .run(
            &("[A-Za-z0-9]{1,20}", "[ \u{3000}\u{a0}]{0,3}"),
            |(printed, space)| {
                let typed = format!("{space}{}{space}", full_width(&printed));
                prop_assert_eq!(
                    Identifier::parse(&typed).map(|i| i.as_str().to_owned()),
                    Some(printed)
                );
                Ok(())
            },
        )
        .unwrap();
}

// ---------------------------------------------------------------- forms

#[test]
fn the_form_parser_never_panics_on_any_bytes() {
    TestRunner::new(config())
        .run(&proptest::collection::vec(any::<u8>(), 0..200), |body| {
            let _ = passerelle::web::form::parse(&body);
            Ok(())
        })
        .unwrap();
}

#[test]
fn any_fields_a_browser_encodes_come_back_as_sent() {
    let fields = proptest::collection::vec((any::<String>(), any::<String>()), 0..6);
    TestRunner::new(config())
        .run(&fields, |fields| {
            let body = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&fields)
                .finish();
            let parsed = passerelle::web::form::parse(body.as_bytes()).map_err(|e| {
                TestCaseError::fail(format!("refused a browser's body {body:?}: {e:?}"))
            })?;
            prop_assert_eq!(parsed, fields);
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_body_that_does_not_decode_to_utf8_is_refused() {
    // A lone continuation byte or an invalid lead byte, escaped or raw,
    // anywhere in a value.
    let bodies = ("[a-z]{0,5}", 0x80u8..=0xFF, "[a-z]{0,5}", any::<bool>())
        .prop_filter(
            "not a lead byte that could start a sequence",
            |(_, b, _, _)| *b < 0xC2 || *b > 0xF4,
        )
        .prop_map(|(before, byte, after, escaped)| {
            let mut body = format!("field={before}").into_bytes();
            if escaped {
                body.extend(format!("%{byte:02X}").bytes());
            } else {
                body.push(byte);
            }
            body.extend(after.bytes());
            body
        });
    TestRunner::new(config())
        .run(&bodies, |body| {
            prop_assert!(passerelle::web::form::parse(&body).is_err());
            Ok(())
        })
        .unwrap();
}

#[tokio::test]
async fn a_form_over_the_size_limit_is_refused_and_one_under_it_is_read() {
    const LIMIT: usize = 2_048;
    let app = spawn_app_with(|settings| settings.server.max_form_bytes = LIMIT).await;
    let page = app.recover_start().await;
    let (csrf, nonce) = (page.csrf(), page.nonce());
    // Sizes around the limit, the two at its edge always among them.
    let mut sizes = vec![LIMIT, LIMIT + 1];
    let mut rng = rand::thread_rng();
    sizes.extend(
        (0..config().cases.min(14))
            .map(|_| rand::Rng::gen_range(&mut rng, LIMIT - 200..LIMIT + 200)),
    );
    for size in sizes {
        let head = format!("csrf={csrf}&nonce={nonce}&identifier=x&birth_date=01%2F01%2F2000&pad=");
        let Some(pad) = size.checked_sub(head.len()) else {
            continue;
        };
        let body = format!("{head}{}", "a".repeat(pad)).into_bytes();
        let answer = app.post_raw("/recover", body).await;
        if size > LIMIT {
            assert_eq!(answer.status, 413, "{size} bytes over a limit of {LIMIT}");
        } else {
            assert_ne!(answer.status, 413, "{size} bytes under a limit of {LIMIT}");
            assert_ne!(
                answer.status.as_u16() / 100,
                5,
                "{size} bytes: {}",
                answer.body
            );
        }
    }
}

// ---------------------------------------------------------------- answers

/// Words as a French speaker types them, in any case.
const LETTERS: &str = "[a-zA-ZàâäçéèêëîïôöùûüÿÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ]{1,8}";

/// A pair of unaccented and accented forms of the same letter.
fn strip_accents(text: &str) -> String {
    text.nfd()
        .filter(|c| c.general_category() != GeneralCategory::NonspacingMark)
        .collect()
}

#[test]
fn answer_normalisation_is_idempotent() {
    TestRunner::new(config())
        .run(&any::<String>(), |answer| {
            let once = normalise(&answer);
            prop_assert_eq!(normalise(&once), once.clone());
            Ok(())
        })
        .unwrap();
}

#[test]
fn answers_differing_in_case_accents_punctuation_or_spacing_are_the_same() {
    let answers = (
        proptest::collection::vec(LETTERS, 1..5),
        proptest::collection::vec("[-'’ .,;:!?/«»()–—]{1,3}", 4),
    );
    TestRunner::new(config())
        .run(&answers, |(words, separators)| {
            let plain = words.join(" ");
            let shouted = words
                .iter()
                .enumerate()
                .map(|(i, w)| format!("{w}{}", separators[i % separators.len()]))
                .collect::<String>()
                .to_uppercase();
            let bare = strip_accents(&plain).to_lowercase();
            prop_assert_eq!(normalise(&shouted), normalise(&plain));
            prop_assert_eq!(normalise(&bare), normalise(&plain));
            prop_assert_eq!(normalise(&format!("  {plain}\t")), normalise(&plain));
            Ok(())
        })
        .unwrap();
}

/// Case folding, not lower case (normalisation version 3): German's ß
/// and Greek's final sigma as well (found by this suite: "STRASSE" and
/// "straße" were two answers).
#[test]
fn answers_in_capitals_are_the_same_beyond_french() {
    TestRunner::new(config())
        .run(&"[a-zA-Zßäöüα-ωςÀ-ÖØ-öø-ÿ ]{1,16}", |answer| {
            prop_assert_eq!(normalise(&answer.to_uppercase()), normalise(&answer));
            Ok(())
        })
        .unwrap();
}

#[test]
fn answers_with_different_letters_stay_different() {
    TestRunner::new(config())
        .run(&("[a-z]{1,8}", "[a-z]{1,8}"), |(a, b)| {
            if a != b {
                prop_assert_ne!(normalise(&a), normalise(&b));
            }
            Ok(())
        })
        .unwrap();
}

// ---------------------------------------------------------------- policy

fn strict_policy() -> PolicyConfig {
    PolicyConfig {
        min_length: Some(8),
        max_length: Some(24),
        min_lowercase: Some(1),
        min_uppercase: Some(1),
        min_digits: Some(1),
        min_special: Some(1),
        forbidden_characters: "€<".into(),
        forbid_login: true,
        differ_from_current: true,
        ..PolicyConfig::default()
    }
}

/// Candidates mixing every class, accents in both forms, and the login.
fn candidates() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9!#€<é É\u{301}]{0,30}",
        "[a-zA-Z0-9]{0,6}jdupont[a-zA-Z0-9!]{0,6}",
        // Long passphrases with accents: NFD doubles their length.
        "[A-Z][a-z0-9é!]{60,127}",
        any::<String>(),
    ]
}

#[test]
fn a_password_the_policy_accepts_satisfies_every_rule() {
    let policy = PasswordPolicy::from_config(&strict_policy());
    let current = SecretString::from("Ancien-Mot-2024");
    let ctx = PersonContext {
        login: "jdupont".into(),
        current_password: Some(&current),
        ..PersonContext::default()
    };
    TestRunner::new(config())
        .run(&candidates(), |typed| {
            let verdict = policy.check(&SecretString::from(typed.clone()), &ctx);
            if !verdict.is_acceptable() {
                return Ok(());
            }
            // What is written is the NFC form: the rules hold for it,
            // counted here independently of the engine.
            let written = normalize_password_str(&typed);
            let written = written.expose_secret();
            let chars = written.chars().count();
            prop_assert!((8..=24).contains(&chars), "{} characters", chars);
            prop_assert!(written.chars().any(char::is_lowercase));
            prop_assert!(written.chars().any(char::is_uppercase));
            prop_assert!(written
                .chars()
                .any(|c| c.general_category() == GeneralCategory::DecimalNumber));
            prop_assert!(written
                .chars()
                .any(|c| !(c.is_alphanumeric() || c.is_whitespace() || c.is_control())));
            prop_assert!(!written.contains(['€', '<']));
            prop_assert!(!written.to_lowercase().contains("jdupont"));
            prop_assert_ne!(written, "Ancien-Mot-2024");
            prop_assert_eq!(verdict.status(RuleId::Length), Some(RuleStatus::Passed));
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_policy_judges_a_password_the_same_in_any_unicode_form() {
    let policy = PasswordPolicy::from_config(&strict_policy());
    let ctx = PersonContext {
        login: "jdupont".into(),
        ..PersonContext::default()
    };
    TestRunner::new(config())
        .run(&candidates(), |typed| {
            let check = |text: String| policy.check(&SecretString::from(text), &ctx);
            let composed = check(typed.nfc().collect());
            let decomposed = check(typed.nfd().collect());
            prop_assert_eq!(composed.is_acceptable(), decomposed.is_acceptable());
            prop_assert_eq!(composed.violations(), decomposed.violations());
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_policy_never_panics_on_any_bytes() {
    let policy = PasswordPolicy::from_config(&strict_policy());
    let ctx = PersonContext::default();
    TestRunner::new(config())
        .run(&proptest::collection::vec(any::<u8>(), 0..600), |bytes| {
            let _ = policy.check_bytes(&bytes, &ctx);
            Ok(())
        })
        .unwrap();
}

// ---------------------------------------------------------------- found

/// Found by `the_policy_judges_a_password_the_same_in_any_unicode_form`: the
/// length bound was applied before NFC, so a passphrase of 100 characters
/// with accents typed decomposed (two characters each) was "over 128".
#[test]
fn a_long_passphrase_typed_decomposed_is_judged_as_composed() {
    let policy = PasswordPolicy::from_config(&PolicyConfig {
        max_length: Some(128),
        ..PolicyConfig::default()
    });
    let composed = format!("Phrase-{}", "été-".repeat(23));
    assert!(composed.chars().count() <= 128);
    let decomposed: String = composed.nfd().collect();
    assert!(decomposed.chars().count() > 128);
    let ctx = PersonContext::default();
    let verdict = policy.check(&SecretString::from(decomposed), &ctx);
    assert!(verdict.is_acceptable(), "{:?}", verdict.violations());
    assert_eq!(
        verdict,
        policy.check(&SecretString::from(composed), &ctx),
        "the same verdict in both forms"
    );
}
