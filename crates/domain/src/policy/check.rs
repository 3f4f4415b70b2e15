//! Evaluating a candidate password: input errors first (they stop
//! everything), then every rule, each passed, failed or not applicable.

use super::rules::{CharacterClass, PasswordPolicy, Rule, RuleId};
use super::text::{self, Counts};
pub use super::violation::{InputError, Violation};
use super::{PersonContext, HARD_MAX_CHARS};
use secrecy::{ExposeSecret, SecretString};

/// How one rule fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleStatus {
    Passed,
    Failed,
    /// The data the rule needs is missing (no login known yet, no current
    /// password outside the change flow): it cannot refuse anything.
    NotApplicable,
    /// Only the directory can tell (history): shown, never checked here.
    DecidedByDirectory,
}

/// A rule and its status, with the violation when it failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleOutcome {
    pub rule: Rule,
    pub status: RuleStatus,
    pub violation: Option<Violation>,
}

/// Which of the 4 classes a password contains, and how many of each.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CharacterClasses {
    pub lowercase: u32,
    pub uppercase: u32,
    pub digits: u32,
    pub special: u32,
}

impl CharacterClasses {
    pub fn contains(&self, class: CharacterClass) -> bool {
        0 < match class {
            CharacterClass::Lowercase => self.lowercase,
            CharacterClass::Uppercase => self.uppercase,
            CharacterClass::Digit => self.digits,
            CharacterClass::Special => self.special,
        }
    }

    /// How many of the 4 classes are present.
    pub fn present(&self) -> u8 {
        CharacterClass::ALL
            .iter()
            .filter(|&&class| self.contains(class))
            .count() as u8
    }
}

impl From<Counts> for CharacterClasses {
    fn from(c: Counts) -> Self {
        Self {
            lowercase: c.lowercase,
            uppercase: c.uppercase,
            digits: c.digits,
            special: c.special,
        }
    }
}

/// The engine's answer for one candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    input_error: Option<InputError>,
    outcomes: Vec<RuleOutcome>,
    classes: CharacterClasses,
    zxcvbn_score: Option<u8>,
}

impl Verdict {
    fn rejected(error: InputError) -> Verdict {
        Verdict {
            input_error: Some(error),
            outcomes: Vec::new(),
            classes: CharacterClasses::default(),
            zxcvbn_score: None,
        }
    }

    /// True when the password may be sent to the directory.
    pub fn is_acceptable(&self) -> bool {
        self.input_error.is_none() && self.outcomes.iter().all(|o| o.status != RuleStatus::Failed)
    }

    /// The input error that stopped the evaluation, if any.
    pub fn input_error(&self) -> Option<InputError> {
        self.input_error
    }

    /// Every configured rule with its status (empty after an input error).
    pub fn outcomes(&self) -> &[RuleOutcome] {
        &self.outcomes
    }

    /// The status of one rule, `None` if it is not configured or the
    /// evaluation stopped on an input error.
    pub fn status(&self, id: RuleId) -> Option<RuleStatus> {
        self.outcomes
            .iter()
            .find(|o| o.rule.id() == id)
            .map(|o| o.status)
    }

    /// What to tell the person, in rule order; the input error alone if
    /// there is one.
    pub fn violations(&self) -> Vec<Violation> {
        match self.input_error {
            Some(error) => vec![Violation::Input(error)],
            None => self
                .outcomes
                .iter()
                .filter_map(|o| o.violation.clone())
                .collect(),
        }
    }

    /// The classes found in the password (for the "3 of 4" sub-items).
    pub fn classes(&self) -> CharacterClasses {
        self.classes
    }

    /// The zxcvbn score, when the policy asked for one.
    pub fn zxcvbn_score(&self) -> Option<u8> {
        self.zxcvbn_score
    }
}

/// The most characters looked at before NFC: room for every character of
/// a [`HARD_MAX_CHARS`] password to come decomposed with marks, and still a
/// bound on the work a huge paste can cause.
const BEFORE_NFC_MAX_CHARS: usize = HARD_MAX_CHARS * 4;

/// Stops at the first reason the candidate is not a password at all.
fn input_error(candidate: &str) -> Option<InputError> {
    if candidate.is_empty() {
        return Some(InputError::Empty);
    }
    // nth() stops after the cap: a huge paste costs no more than the cap.
    if candidate.chars().nth(HARD_MAX_CHARS).is_some() {
        return Some(InputError::TooLong {
            max: HARD_MAX_CHARS,
        });
    }
    if candidate.chars().any(char::is_control) {
        return Some(InputError::ControlCharacter);
    }
    if candidate.chars().all(char::is_whitespace) {
        return Some(InputError::OnlySpaces);
    }
    None
}

/// The words zxcvbn should treat as known to an attacker: the person's own
/// (their login, names and the tokens of their names, their birth date as
/// stored and as typed the French way). The page's strength meter is given
/// this very list, so that it scores with the same words.
pub fn zxcvbn_inputs(ctx: &PersonContext<'_>) -> Vec<String> {
    let mut inputs = Vec::new();
    if !ctx.login.is_empty() {
        inputs.push(ctx.login.clone());
    }
    inputs.extend(ctx.names.iter().cloned());
    inputs.extend(text::name_tokens(&ctx.names));
    if let Some(date) = ctx.birth_date.as_deref().filter(|d| !d.is_empty()) {
        inputs.push(date.to_owned());
        // A SCHAC YYYYMMDD date is typed the French way in passwords.
        if date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()) {
            let (year, month, day) = (&date[..4], &date[4..6], &date[6..]);
            inputs.push(format!("{day}{month}{year}"));
            inputs.push(format!("{day}{month}{}", &year[2..]));
            inputs.push(year.to_owned());
        }
    }
    inputs
}

/// zxcvbn's cost grows with the square of the length (0.2 ms at 16
/// characters, 10 ms at 100), so it is bounded: a password whose first
/// [`ZXCVBN_FIRST_CHARS`] characters already reach the score needs no more
/// (appending characters never makes a password easier to guess); otherwise
/// at most [`ZXCVBN_MAX_CHARS`] are scored, and a password whose first 64
/// characters are guessable is refused as guessable.
pub const ZXCVBN_FIRST_CHARS: usize = 32;
/// See [`ZXCVBN_FIRST_CHARS`].
pub const ZXCVBN_MAX_CHARS: usize = 64;

fn guessability_score(candidate: &str, min: u8, ctx: &PersonContext<'_>) -> u8 {
    strength_score(candidate, min, &zxcvbn_inputs(ctx))
}

/// zxcvbn's score (0 to 4) of `candidate` (already in NFC) with the words
/// `inputs` ([`zxcvbn_inputs`]) counted, bounded as the rule
/// `min_zxcvbn_score` bounds it: its first [`ZXCVBN_FIRST_CHARS`]
/// characters, and when they score below `min` and there are more, its
/// first [`ZXCVBN_MAX_CHARS`]. The page's strength meter
/// (static/js/strength.js) computes the same with the same zxcvbn, and the
/// shared vectors (tests/vectors/strength.json) hold both to it. Source:
/// zxcvbn (Wheeler, "zxcvbn: Low-Budget Password Strength Estimation",
/// USENIX Security 2016), the `zxcvbn` crate 3.1.1.
pub fn strength_score(candidate: &str, min: u8, inputs: &[String]) -> u8 {
    let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let score = |chars: usize| {
        let end = candidate
            .char_indices()
            .nth(chars)
            .map_or(candidate.len(), |(i, _)| i);
        u8::from(zxcvbn::zxcvbn(&candidate[..end], &inputs).score())
    };
    let first = score(ZXCVBN_FIRST_CHARS);
    if first >= min || candidate.chars().nth(ZXCVBN_FIRST_CHARS).is_none() {
        first
    } else {
        score(ZXCVBN_MAX_CHARS)
    }
}

/// Builds zxcvbn's dictionaries, which it otherwise does on the first
/// password it sees (about a millisecond): call it once at start-up so that
/// nobody's form waits for it.
pub fn warm_up() {
    let _ = zxcvbn::zxcvbn("warm-up", &[]);
}

fn at_least(count: u32, min: u32, violation: Violation) -> (RuleStatus, Option<Violation>) {
    if count >= min {
        (RuleStatus::Passed, None)
    } else {
        (RuleStatus::Failed, Some(violation))
    }
}

fn refused_if(refused: bool, violation: Violation) -> (RuleStatus, Option<Violation>) {
    if refused {
        (RuleStatus::Failed, Some(violation))
    } else {
        (RuleStatus::Passed, None)
    }
}

impl PasswordPolicy {
    /// Evaluates a candidate against every rule, in its NFC form
    /// ([`super::normalize_password`]): the form it will be written in.
    pub fn check(&self, candidate: &SecretString, ctx: &PersonContext<'_>) -> Verdict {
        self.check_str(candidate.expose_secret(), ctx)
    }

    /// Same as [`check`](Self::check) for the raw bytes of a form field, so
    /// that invalid UTF-8 becomes [`InputError::InvalidUtf8`] and an
    /// oversized field is refused before it is even decoded.
    pub fn check_bytes(&self, candidate: &[u8], ctx: &PersonContext<'_>) -> Verdict {
        // A character is at most 4 bytes in UTF-8.
        if candidate.len() > BEFORE_NFC_MAX_CHARS * 4 {
            return Verdict::rejected(InputError::TooLong {
                max: HARD_MAX_CHARS,
            });
        }
        match std::str::from_utf8(candidate) {
            Ok(candidate) => self.check_str(candidate, ctx),
            Err(_) => Verdict::rejected(InputError::InvalidUtf8),
        }
    }

    fn check_str(&self, typed: &str, ctx: &PersonContext<'_>) -> Verdict {
        // Bounded before NFC, which is then cheap, but loosely: the limits
        // are those of the NFC form (what is written), and a decomposed
        // accent is two characters that NFC makes one, so a 100-character
        // passphrase typed decomposed is not "over 128" (found by the
        // property tests).
        if typed.chars().nth(BEFORE_NFC_MAX_CHARS).is_some() {
            return Verdict::rejected(InputError::TooLong {
                max: HARD_MAX_CHARS,
            });
        }
        let candidate = super::normalize_password_str(typed);
        let candidate: &str = candidate.expose_secret();
        if let Some(error) = input_error(candidate) {
            return Verdict::rejected(error);
        }
        let counts = text::count(candidate);
        let classes = CharacterClasses::from(counts);
        let mut folded: Option<String> = None;
        let mut zxcvbn_score = None;
        let mut outcomes = Vec::with_capacity(self.rule_list().len());
        for rule in self.rule_list() {
            let (status, violation) = match rule {
                Rule::Length { min, max } => {
                    let chars = u32::try_from(counts.chars).unwrap_or(u32::MAX);
                    match (min, max) {
                        (Some(min), _) if chars < *min => {
                            (RuleStatus::Failed, Some(Violation::TooShort { min: *min }))
                        }
                        (_, Some(max)) if chars > *max => {
                            (RuleStatus::Failed, Some(Violation::TooLong { max: *max }))
                        }
                        _ => (RuleStatus::Passed, None),
                    }
                }
                Rule::MinClasses { min } => at_least(
                    u32::from(classes.present()),
                    u32::from(*min),
                    Violation::TooFewClasses { min: *min },
                ),
                Rule::MinUppercase { min } => at_least(
                    counts.uppercase,
                    *min,
                    Violation::TooFewUppercase { min: *min },
                ),
                Rule::MinLowercase { min } => at_least(
                    counts.lowercase,
                    *min,
                    Violation::TooFewLowercase { min: *min },
                ),
                Rule::MinDigits { min } => {
                    at_least(counts.digits, *min, Violation::TooFewDigits { min: *min })
                }
                Rule::MinSpecial { min } => {
                    at_least(counts.special, *min, Violation::TooFewSpecial { min: *min })
                }
                Rule::ForbiddenCharacters { chars } => refused_if(
                    candidate.chars().any(|c| chars.contains(c)),
                    Violation::ForbiddenCharacter {
                        chars: chars.clone(),
                    },
                ),
                Rule::ForbidLogin => {
                    let login = text::fold(&ctx.login);
                    if login.is_empty() {
                        (RuleStatus::NotApplicable, None)
                    } else {
                        let folded = folded.get_or_insert_with(|| text::fold(candidate));
                        refused_if(folded.contains(&login), Violation::ContainsLogin)
                    }
                }
                Rule::ForbidAttributeValues => {
                    let tokens = text::name_tokens(&ctx.names);
                    if tokens.is_empty() {
                        (RuleStatus::NotApplicable, None)
                    } else {
                        let folded = folded.get_or_insert_with(|| text::fold(candidate));
                        refused_if(
                            tokens.iter().any(|t| folded.contains(t.as_str())),
                            Violation::ContainsName,
                        )
                    }
                }
                Rule::DifferFromCurrent => match ctx.current_password {
                    None => (RuleStatus::NotApplicable, None),
                    Some(current) => refused_if(
                        super::normalize_password(current).expose_secret() == candidate,
                        Violation::SameAsCurrent,
                    ),
                },
                Rule::MinZxcvbnScore { min } => {
                    let score = guessability_score(candidate, *min, ctx);
                    zxcvbn_score = Some(score);
                    refused_if(score < *min, Violation::TooGuessable)
                }
                Rule::NotBreached => match self.breached_status(candidate) {
                    Some(found) => refused_if(found, Violation::Breached),
                    None => (RuleStatus::NotApplicable, None),
                },
                Rule::History { .. } => (RuleStatus::DecidedByDirectory, None),
            };
            outcomes.push(RuleOutcome {
                rule: rule.clone(),
                status,
                violation,
            });
        }
        Verdict {
            input_error: None,
            outcomes,
            classes,
            zxcvbn_score,
        }
    }
}

#[cfg(test)]
mod strength_vectors {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    /// tests/vectors/strength.json, which the page's meter runs too
    /// (tests/js/strength.test.js): the score the server computes.
    #[test]
    fn the_server_scores_the_shared_strength_vectors_as_the_meter_does() {
        let vectors: serde_json::Value =
            serde_json::from_str(include_str!("../../../../tests/vectors/strength.json"))
                .expect("the vectors parse");
        let person = &vectors["person"];
        let names: Vec<String> = person["names"]
            .as_array()
            .expect("names")
            .iter()
            .filter_map(|name| name.as_str().map(str::to_owned))
            .collect();
        let ctx = PersonContext {
            login: person["login"].as_str().expect("login").to_owned(),
            names,
            birth_date: person["birth_date"].as_str().map(str::to_owned),
            current_password: None,
        };
        let inputs = zxcvbn_inputs(&ctx);
        let listed: Vec<String> = vectors["inputs"]
            .as_array()
            .expect("inputs")
            .iter()
            .filter_map(|input| input.as_str().map(str::to_owned))
            .collect();
        assert_eq!(inputs, listed, "the page is given the server's words");
        let cases = vectors["cases"].as_array().expect("cases");
        assert!(cases.len() > 1_000);
        let mut wrong = Vec::new();
        for case in cases {
            let password: String = case["password"].as_str().expect("password").nfc().collect();
            let min = u8::try_from(case["min"].as_u64().expect("min")).expect("a score");
            let expected = case["score"].as_u64().expect("score");
            let score = strength_score(&password, min, &inputs);
            if u64::from(score) != expected {
                wrong.push((password, min, score, expected));
            }
        }
        assert!(wrong.is_empty(), "{} differ: {wrong:?}", wrong.len());
    }

    /// The rule itself scores as the meter: a policy with
    /// `min_zxcvbn_score` refuses exactly the vectors below its minimum.
    #[test]
    fn the_rule_refuses_exactly_what_scores_below_its_minimum() {
        let vectors: serde_json::Value =
            serde_json::from_str(include_str!("../../../../tests/vectors/strength.json"))
                .expect("the vectors parse");
        let ctx = PersonContext {
            login: "jdupont".into(),
            names: vec!["Jean".into(), "Dupont".into()],
            birth_date: Some("20010915".into()),
            current_password: None,
        };
        for case in vectors["cases"].as_array().expect("cases").iter().take(400) {
            let min = u8::try_from(case["min"].as_u64().expect("min")).expect("a score");
            let config = crate::policy::PolicyConfig {
                min_zxcvbn_score: Some(min),
                ..crate::policy::PolicyConfig::default()
            };
            let policy = PasswordPolicy::from_config(&config);
            let password = SecretString::from(case["password"].as_str().expect("pw").to_owned());
            let verdict = policy.check(&password, &ctx);
            let passes = verdict.status(RuleId::MinZxcvbnScore) == Some(RuleStatus::Passed);
            assert_eq!(
                passes,
                case["score"].as_u64().expect("score") >= u64::from(min),
                "{:?}",
                case["password"]
            );
        }
    }
}
