//! Password rules: the one policy engine behind the server's verdict, the
//! page's live checklist and the translated messages.
//!
//! A site states its rules in the `[policy]` table of its configuration
//! ([`PolicyConfig`]); [`PasswordPolicy::from_config`] turns them into an
//! ordered list of [`Rule`]s. The same list is shown next to the password
//! field ([`describe`]), sent to the page as JSON for `static/js/checklist.js`
//! ([`PasswordPolicy::client_rules_json`]) and evaluated on the server
//! ([`PasswordPolicy::check`]), whose [`Violation`]s are explained with
//! [`explain`]. The directory's ppolicy stays the final authority (history,
//! quality): its refusals map back to the same rules through
//! [`PasswordPolicy::violation_for_ppolicy_error`].
//!
//! Character semantics, shared with the checklist and pinned by
//! `tests/vectors/password_policy.json`:
//! - length is counted in Unicode code points (an emoji outside the BMP is
//!   one character; a flag or a family emoji made of several code points is
//!   several);
//! - lowercase / uppercase are the Unicode `Lowercase` / `Uppercase`
//!   properties ("é" is lowercase, "É" uppercase), digit is the general
//!   category `Nd` (any script's decimal digit), special is anything that is
//!   neither alphabetic, numeric, white space, a control character nor a
//!   combining mark (so punctuation, symbols and emoji are special; a space
//!   is not);
//! - the login and name comparisons fold case and accents (lowercase, NFD,
//!   combining marks removed), so "Élodie" is found in "elodie2024".
//!
//! Every password the gateway handles (new, current, temporary) is put in
//! Unicode NFC form ([`normalize_password`]) before it is checked, written,
//! NT-hashed or bound with, so that a password typed with a decomposed "é"
//! (e + U+0301, as some keyboards and systems send it) and later with a
//! composed one (U+00E9) is the same password for LDAP and for Wi-Fi. The
//! policy check applies it itself, as do `Directory::write_password`,
//! `Directory::verify_password` and `nt_hash`: a candidate is evaluated as
//! it will be written, and a decomposed "é" is one character here and in
//! the directory.
//!
//! Whatever the site configures, a password is never longer than
//! [`HARD_MAX_CHARS`] characters: beyond that it is an input error, not a
//! rule, so a 10,000-character paste never reaches zxcvbn or the directory.

pub mod breached;
mod check;
mod i18n;
mod rules;
mod text;
mod violation;

pub use breached::{BreachedHashes, BreachedListError};
pub use check::{
    strength_score, warm_up, zxcvbn_inputs, CharacterClasses, InputError, RuleOutcome, RuleStatus,
    Verdict, Violation, ZXCVBN_FIRST_CHARS, ZXCVBN_MAX_CHARS,
};
pub use i18n::{checklist_texts, describe, describe_class, explain, ChecklistTexts};
pub use rules::{CharacterClass, PasswordPolicy, Rule, RuleId};

use secrecy::SecretString;
use serde::{Deserialize, Serialize};

pub use passerelle_text::{normalize_password, normalize_password_str};

/// The longest password the gateway accepts, in characters, whatever the
/// site configures: enough for any passphrase, short enough that nothing
/// downstream (zxcvbn, argon2 in slapd, the NT hash) is ever fed a huge input.
pub const HARD_MAX_CHARS: usize = 128;

/// The rules a site configures in its `[policy]` table. Every rule is
/// optional; a count of 0 turns its rule off (TOML has no null). A site that
/// writes nothing gets only a minimum of 8 characters, so that "a" is never
/// accepted.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PolicyConfig {
    /// Fewest characters (code points). Default 8.
    pub min_length: Option<u32>,
    /// Most characters; never above 128, which applies anyway.
    pub max_length: Option<u32>,
    /// Fewest lowercase letters ("é" counts).
    pub min_lowercase: Option<u32>,
    /// Fewest uppercase letters ("É" counts).
    pub min_uppercase: Option<u32>,
    /// Fewest decimal digits (any script).
    pub min_digits: Option<u32>,
    /// Fewest special characters (punctuation, symbols, emoji; not spaces).
    pub min_special: Option<u32>,
    /// How many of the 4 classes (lowercase, uppercase, digit, special) must
    /// be present, as in "3 of the 4 criteria". 1 to 4.
    pub min_classes: Option<u8>,
    /// Characters the password must not contain (e.g. ones a legacy
    /// application cannot type), compared exactly.
    pub forbidden_characters: String,
    /// The password must not contain the person's login (case and accents
    /// folded).
    pub forbid_login: bool,
    /// The password must not contain any token of 3 or more characters of
    /// the person's name attributes (`ldap.name_attributes`, e.g. givenName
    /// and sn), case and accents folded.
    pub forbid_attribute_values: bool,
    /// In the change flow, the new password must differ from the current one.
    pub differ_from_current: bool,
    /// Lowest zxcvbn score (0-4) accepted, computed with the person's login,
    /// names and birth date as known words. Checked on the server only, on
    /// at most the first 64 characters (zxcvbn's cost grows with the square
    /// of the length). 3 is a sound choice for a university.
    pub min_zxcvbn_score: Option<u8>,
    /// Must differ from the last N passwords. Enforced by the directory
    /// (`pwdInHistory` of the ppolicy entry, which should say the same N);
    /// listed so the person sees it, and its refusal is explained by it.
    pub history: Option<u32>,
    /// The list of NT hashes of breached passwords, as Have I Been Pwned
    /// offers it for download ("NTLM, ordered by hash": `HEX32:COUNT`
    /// lines sorted by hash). A password whose NT hash is in it is refused
    /// ([`breached`]). Searched on disk, never loaded whole nor sent
    /// anywhere; opened at start-up, which fails if the file is not such a
    /// list. Checked on the server only: the page lists the rule and shows
    /// its result after the form is sent.
    pub breached_hashes_file: Option<std::path::PathBuf>,
}

impl Default for PolicyConfig {
    fn default() -> Self {
        Self {
            min_length: Some(8),
            max_length: None,
            min_lowercase: None,
            min_uppercase: None,
            min_digits: None,
            min_special: None,
            min_classes: None,
            forbidden_characters: String::new(),
            forbid_login: false,
            forbid_attribute_values: false,
            differ_from_current: false,
            min_zxcvbn_score: None,
            history: None,
            breached_hashes_file: None,
        }
    }
}

/// A configuration that cannot be what the site meant. The engine still
/// works with such a configuration (it clamps), but start-up should refuse it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyConfigError {
    #[error("policy.min_length ({min}) is greater than policy.max_length ({max})")]
    MinAboveMax { min: u32, max: u32 },
    #[error("policy.{key} ({value}) is above the hard limit of {HARD_MAX_CHARS} characters")]
    AboveHardLimit { key: &'static str, value: u32 },
    #[error("policy.min_classes ({0}) must be between 1 and 4")]
    ClassesOutOfRange(u8),
    #[error("policy.min_zxcvbn_score ({0}) must be between 0 and 4")]
    ScoreOutOfRange(u8),
    #[error(
        "the per-class minimums add up to {required} characters, more than the maximum length {max}"
    )]
    Unsatisfiable { required: u32, max: u32 },
}

impl PolicyConfig {
    /// Checks that the rules can be met together; call it at start-up so a
    /// typo is an error message, not a gateway that refuses every password.
    pub fn validate(&self) -> Result<(), PolicyConfigError> {
        let max = self.max_length.filter(|&m| m > 0);
        let limit = HARD_MAX_CHARS as u32;
        for (key, value) in [("min_length", self.min_length), ("max_length", max)] {
            if let Some(value) = value.filter(|&v| v > limit) {
                return Err(PolicyConfigError::AboveHardLimit { key, value });
            }
        }
        if let (Some(min), Some(max)) = (self.min_length, max) {
            if min > max {
                return Err(PolicyConfigError::MinAboveMax { min, max });
            }
        }
        if let Some(n) = self.min_classes.filter(|&n| n > 4) {
            return Err(PolicyConfigError::ClassesOutOfRange(n));
        }
        if let Some(n) = self.min_zxcvbn_score.filter(|&n| n > 4) {
            return Err(PolicyConfigError::ScoreOutOfRange(n));
        }
        let required = [
            self.min_lowercase,
            self.min_uppercase,
            self.min_digits,
            self.min_special,
        ]
        .iter()
        .map(|n| n.unwrap_or(0))
        .fold(0u32, u32::saturating_add);
        let ceiling = max.unwrap_or(limit);
        if required > ceiling {
            return Err(PolicyConfigError::Unsatisfiable {
                required,
                max: ceiling,
            });
        }
        Ok(())
    }
}

impl PolicyConfig {
    /// The same combination as [`PasswordPolicy::effective`], as a
    /// configuration: for what is built from the numbers rather than from
    /// the rules, such as the length of a generated temporary password
    /// (the temporary-password generator).
    pub fn effective(&self, directory: &crate::ppolicy::DirectoryPolicy) -> PolicyConfig {
        let rules = PasswordPolicy::from_config(self).effective(directory);
        let (min, max) = match rules.rule(RuleId::Length) {
            Some(Rule::Length { min, max }) => (*min, *max),
            _ => (None, None),
        };
        PolicyConfig {
            // 0 and not None: None would mean "the default 8".
            min_length: Some(min.unwrap_or(0)),
            max_length: max,
            history: Some(directory.in_history),
            ..self.clone()
        }
    }
}

/// What the engine knows about the person choosing the password, for the
/// rules that compare the password with their own data.
#[derive(Debug, Clone, Default)]
pub struct PersonContext<'a> {
    /// Their login (`ldap.login_attribute`); empty when not known yet.
    pub login: String,
    /// Values of the name attributes (`ldap.name_attributes`), as stored.
    pub names: Vec<String>,
    /// Birth date as stored (e.g. SCHAC `YYYYMMDD`), a zxcvbn input only.
    pub birth_date: Option<String>,
    /// The current password, in the change flow only.
    pub current_password: Option<&'a SecretString>,
}

impl PersonContext<'static> {
    /// What `person`'s data says a password must not contain: their login,
    /// the values of their name attributes, their birth date.
    pub fn of(person: &crate::person::Person) -> PersonContext<'static> {
        PersonContext {
            login: person.login.clone(),
            names: person.name_values.clone(),
            birth_date: person.birth_date.map(|d| d.format("%Y%m%d").to_string()),
            current_password: None,
        }
    }
}

pub use passerelle_text::Lang;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_policy_asks_for_eight_characters_and_nothing_else() {
        let policy = PasswordPolicy::from_config(&PolicyConfig::default());
        assert_eq!(
            policy.rules(),
            vec![Rule::Length {
                min: Some(8),
                max: None
            }]
        );
    }

    #[test]
    fn zero_turns_a_count_rule_off() {
        let policy = PasswordPolicy::from_config(&PolicyConfig {
            min_length: Some(0),
            min_digits: Some(0),
            min_classes: Some(0),
            history: Some(0),
            ..PolicyConfig::default()
        });
        assert!(policy.rules().is_empty());
    }

    #[test]
    fn impossible_configurations_are_reported() {
        let bad = |config: PolicyConfig| config.validate().unwrap_err();
        assert_eq!(
            bad(PolicyConfig {
                min_length: Some(20),
                max_length: Some(10),
                ..PolicyConfig::default()
            }),
            PolicyConfigError::MinAboveMax { min: 20, max: 10 }
        );
        assert_eq!(
            bad(PolicyConfig {
                max_length: Some(500),
                ..PolicyConfig::default()
            }),
            PolicyConfigError::AboveHardLimit {
                key: "max_length",
                value: 500
            }
        );
        assert_eq!(
            bad(PolicyConfig {
                min_classes: Some(5),
                ..PolicyConfig::default()
            }),
            PolicyConfigError::ClassesOutOfRange(5)
        );
        assert_eq!(
            bad(PolicyConfig {
                min_zxcvbn_score: Some(7),
                ..PolicyConfig::default()
            }),
            PolicyConfigError::ScoreOutOfRange(7)
        );
        assert_eq!(
            bad(PolicyConfig {
                max_length: Some(10),
                min_length: Some(6),
                min_digits: Some(6),
                min_special: Some(6),
                ..PolicyConfig::default()
            }),
            PolicyConfigError::Unsatisfiable {
                required: 12,
                max: 10
            }
        );
        assert_eq!(PolicyConfig::default().validate(), Ok(()));
    }

    #[test]
    fn a_name_cannot_close_the_script_element_of_the_client_rules() {
        let policy = PasswordPolicy::from_config(&PolicyConfig {
            forbid_attribute_values: true,
            forbidden_characters: "<&>".into(),
            ..PolicyConfig::default()
        });
        let person = PersonContext {
            login: "x".into(),
            names: vec!["</script><script>alert(1)</script>".into()],
            ..PersonContext::default()
        };
        let json = policy.client_rules_json_for(&person);
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            parsed["person"]["names"][0],
            "</script><script>alert(1)</script>"
        );
        assert_eq!(parsed["rules"][1]["chars"], "<&>");
    }

    #[test]
    fn client_rules_without_a_person_carry_no_personal_data() {
        let policy = PasswordPolicy::from_config(&PolicyConfig {
            forbid_login: true,
            ..PolicyConfig::default()
        });
        let parsed: serde_json::Value = serde_json::from_str(&policy.client_rules_json()).unwrap();
        assert!(parsed.get("person").is_none());
        assert_eq!(parsed["max_chars"], 128);
    }

    #[test]
    fn directory_refusals_map_to_the_rules_people_read() {
        let policy = PasswordPolicy::from_config(&PolicyConfig {
            min_length: Some(8),
            max_length: Some(20),
            history: Some(3),
            ..PolicyConfig::default()
        });
        assert_eq!(
            policy.violation_for_ppolicy_error(5),
            Some(Violation::RefusedByDirectory)
        );
        assert_eq!(
            policy.violation_for_ppolicy_error(6),
            Some(Violation::TooShort { min: 8 })
        );
        assert_eq!(
            policy.violation_for_ppolicy_error(7),
            Some(Violation::TooSoon)
        );
        assert_eq!(
            policy.violation_for_ppolicy_error(8),
            Some(Violation::InHistory { count: Some(3) })
        );
        assert_eq!(
            policy.violation_for_ppolicy_error(9),
            Some(Violation::TooLong { max: 20 })
        );
        for not_about_the_password in [0, 1, 2, 3, 4, 10] {
            assert_eq!(
                policy.violation_for_ppolicy_error(not_about_the_password),
                None
            );
        }
        use crate::ppolicy::PpolicyError;
        assert_eq!(
            policy.violation_for_directory_error(PpolicyError::PasswordInHistory),
            Some(Violation::InHistory { count: Some(3) })
        );
        assert_eq!(
            policy.violation_for_directory_error(PpolicyError::AccountLocked),
            None
        );
        let bare = PasswordPolicy::from_config(&PolicyConfig {
            min_length: Some(0),
            ..PolicyConfig::default()
        });
        assert_eq!(
            bare.violation_for_ppolicy_error(6),
            Some(Violation::RefusedByDirectory)
        );
        assert_eq!(
            explain(&bare.violation_for_ppolicy_error(8).unwrap(), Lang::Fr),
            "Vous avez déjà utilisé ce mot de passe récemment : choisissez-en un autre."
        );
    }

    #[test]
    fn the_directory_s_numbers_combine_with_the_site_s() {
        use crate::ppolicy::{DirectoryPolicy, QualityCheck};
        let site = PasswordPolicy::from_config(&PolicyConfig {
            min_length: Some(8),
            max_length: Some(20),
            min_digits: Some(1),
            history: Some(5),
            ..PolicyConfig::default()
        });
        let directory = DirectoryPolicy {
            min_length: 12,
            max_length: 16,
            in_history: 3,
            check_quality: QualityCheck::IfPossible,
            ..DirectoryPolicy::default()
        };
        assert_eq!(
            site.effective(&directory).rules(),
            vec![
                Rule::Length {
                    min: Some(12),
                    max: Some(16)
                },
                Rule::MinDigits { min: 1 },
                Rule::History { count: 3 },
            ]
        );
        // Lengths the directory does not check do not count; a history of 0
        // is not enforced, so it is not shown.
        let unchecked = DirectoryPolicy {
            check_quality: QualityCheck::Off,
            in_history: 0,
            ..directory.clone()
        };
        assert_eq!(
            site.effective(&unchecked).rules(),
            vec![
                Rule::Length {
                    min: Some(8),
                    max: Some(20)
                },
                Rule::MinDigits { min: 1 },
            ]
        );
        // A site maximum below the directory's minimum: the directory wins.
        let long = DirectoryPolicy {
            min_length: 24,
            max_length: 0,
            ..directory
        };
        let effective = site.effective(&long);
        assert_eq!(
            effective.rule(RuleId::Length),
            Some(&Rule::Length {
                min: Some(24),
                max: None
            })
        );
        assert_eq!(
            effective.violation_for_ppolicy_error(6),
            Some(Violation::TooShort { min: 24 })
        );
        // No rule at all on either side stays no rule.
        let bare = PasswordPolicy::from_config(&PolicyConfig {
            min_length: Some(0),
            ..PolicyConfig::default()
        });
        assert!(bare
            .effective(&DirectoryPolicy::unenforced())
            .rules()
            .is_empty());
    }

    #[test]
    fn every_violation_is_explained_in_both_languages() {
        let violations = [
            Violation::Input(InputError::Empty),
            Violation::Input(InputError::OnlySpaces),
            Violation::Input(InputError::ControlCharacter),
            Violation::Input(InputError::TooLong { max: 128 }),
            Violation::Input(InputError::InvalidUtf8),
            Violation::TooShort { min: 12 },
            Violation::TooLong { max: 20 },
            Violation::TooFewClasses { min: 3 },
            Violation::TooFewClasses { min: 4 },
            Violation::TooFewUppercase { min: 1 },
            Violation::TooFewLowercase { min: 2 },
            Violation::TooFewDigits { min: 1 },
            Violation::TooFewSpecial { min: 2 },
            Violation::ForbiddenCharacter { chars: "<>".into() },
            Violation::ContainsLogin,
            Violation::ContainsName,
            Violation::SameAsCurrent,
            Violation::TooGuessable,
            Violation::InHistory { count: Some(1) },
            Violation::InHistory { count: None },
            Violation::TooSoon,
            Violation::RefusedByDirectory,
        ];
        for violation in &violations {
            let fr = explain(violation, Lang::Fr);
            let en = explain(violation, Lang::En);
            assert!(!fr.starts_with("policy-") && !en.starts_with("policy-"));
            assert_ne!(fr, en, "{violation:?}");
        }
        assert_eq!(
            explain(&Violation::TooFewDigits { min: 1 }, Lang::Fr),
            "Le mot de passe doit contenir au moins un chiffre."
        );
        assert_eq!(
            explain(&Violation::TooFewLowercase { min: 2 }, Lang::En),
            "The password must contain at least 2 lowercase letters."
        );
        assert_eq!(
            explain(
                &Violation::ForbiddenCharacter { chars: "<>".into() },
                Lang::Fr
            ),
            "Le mot de passe ne doit contenir aucun de ces caractères : < >"
        );
    }

    #[test]
    fn the_person_s_birth_date_makes_a_password_guessable() {
        let policy = PasswordPolicy::from_config(&PolicyConfig {
            min_zxcvbn_score: Some(3),
            ..PolicyConfig::default()
        });
        let with_date = PersonContext {
            birth_date: Some("19990315".into()),
            ..PersonContext::default()
        };
        let verdict = policy.check(&SecretString::from("15031999jd"), &with_date);
        assert_eq!(verdict.violations(), vec![Violation::TooGuessable]);
        assert!(verdict.zxcvbn_score().is_some_and(|s| s < 3));
    }

    #[test]
    fn language_tags_are_read_with_or_without_a_region() {
        assert_eq!(Lang::from_tag("fr-FR"), Some(Lang::Fr));
        assert_eq!(Lang::from_tag("en_GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("EN"), Some(Lang::En));
        assert_eq!(Lang::from_tag("de-CH"), Some(Lang::De));
        assert_eq!(Lang::from_tag("ru"), None);
        assert_eq!(Lang::default(), Lang::Fr);
    }
}
