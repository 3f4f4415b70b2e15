//! The ordered rule list built from the configuration, and its JSON form for
//! the page's checklist.

use super::violation::Violation;
use super::{PersonContext, PolicyConfig, HARD_MAX_CHARS};
use serde::Serialize;

/// Stable identifier of a rule: the `data-rule` attribute of its checklist
/// item, the key of the shared test vectors, the `id` of its JSON form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleId {
    Length,
    MinClasses,
    MinUppercase,
    MinLowercase,
    MinDigits,
    MinSpecial,
    ForbiddenCharacters,
    ForbidLogin,
    ForbidAttributeValues,
    DifferFromCurrent,
    MinZxcvbnScore,
    NotBreached,
    History,
}

impl RuleId {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::Length => "length",
            RuleId::MinClasses => "min_classes",
            RuleId::MinUppercase => "min_uppercase",
            RuleId::MinLowercase => "min_lowercase",
            RuleId::MinDigits => "min_digits",
            RuleId::MinSpecial => "min_special",
            RuleId::ForbiddenCharacters => "forbidden_characters",
            RuleId::ForbidLogin => "forbid_login",
            RuleId::ForbidAttributeValues => "forbid_attribute_values",
            RuleId::DifferFromCurrent => "differ_from_current",
            RuleId::MinZxcvbnScore => "min_zxcvbn_score",
            RuleId::NotBreached => "not_breached",
            RuleId::History => "history",
        }
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One of the 4 classes counted by "N of the 4 criteria".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CharacterClass {
    Lowercase,
    Uppercase,
    Digit,
    Special,
}

impl CharacterClass {
    /// In the order the EFP seed lists them.
    pub const ALL: [CharacterClass; 4] = [
        CharacterClass::Lowercase,
        CharacterClass::Uppercase,
        CharacterClass::Digit,
        CharacterClass::Special,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CharacterClass::Lowercase => "lowercase",
            CharacterClass::Uppercase => "uppercase",
            CharacterClass::Digit => "digit",
            CharacterClass::Special => "special",
        }
    }
}

/// A rule with its parameters, as configured (after clamping).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "id", rename_all = "snake_case")]
pub enum Rule {
    /// Length in characters; one rule so that "between 6 and 20 characters"
    /// is one line of the checklist, as in the seeds.
    Length {
        #[serde(skip_serializing_if = "Option::is_none")]
        min: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        max: Option<u32>,
    },
    /// At least `min` of the 4 classes; the checklist lists the 4 under it.
    MinClasses {
        min: u8,
    },
    MinUppercase {
        min: u32,
    },
    MinLowercase {
        min: u32,
    },
    MinDigits {
        min: u32,
    },
    MinSpecial {
        min: u32,
    },
    ForbiddenCharacters {
        chars: String,
    },
    ForbidLogin,
    ForbidAttributeValues,
    DifferFromCurrent,
    MinZxcvbnScore {
        min: u8,
    },
    /// Not in the site's list of breached passwords
    /// (`policy.breached_hashes_file`, [`super::breached`]).
    NotBreached,
    History {
        count: u32,
    },
}

impl Rule {
    pub fn id(&self) -> RuleId {
        match self {
            Rule::Length { .. } => RuleId::Length,
            Rule::MinClasses { .. } => RuleId::MinClasses,
            Rule::MinUppercase { .. } => RuleId::MinUppercase,
            Rule::MinLowercase { .. } => RuleId::MinLowercase,
            Rule::MinDigits { .. } => RuleId::MinDigits,
            Rule::MinSpecial { .. } => RuleId::MinSpecial,
            Rule::ForbiddenCharacters { .. } => RuleId::ForbiddenCharacters,
            Rule::ForbidLogin => RuleId::ForbidLogin,
            Rule::ForbidAttributeValues => RuleId::ForbidAttributeValues,
            Rule::DifferFromCurrent => RuleId::DifferFromCurrent,
            Rule::MinZxcvbnScore { .. } => RuleId::MinZxcvbnScore,
            Rule::NotBreached => RuleId::NotBreached,
            Rule::History { .. } => RuleId::History,
        }
    }

    /// Whether the page's checklist evaluates this rule. The current
    /// password never goes to the page, zxcvbn's dictionaries and the
    /// breached list are too big for it, and history is only known to the
    /// directory.
    pub fn evaluated_by_client(&self) -> bool {
        !matches!(
            self,
            Rule::DifferFromCurrent
                | Rule::MinZxcvbnScore { .. }
                | Rule::NotBreached
                | Rule::History { .. }
        )
    }
}

/// The site's rules, ready to describe and to check passwords against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordPolicy {
    rules: Vec<Rule>,
    /// The open breached-password list, when [`Rule::NotBreached`] is one
    /// of the rules ([`PasswordPolicy::load`]).
    pub(super) breached: Option<std::sync::Arc<super::BreachedHashes>>,
}

/// The document `static/js/checklist.js` reads from
/// `<script type="application/json" id="password-rules">`.
#[derive(Serialize)]
struct ClientDocument<'a> {
    max_chars: usize,
    rules: Vec<ClientRule<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    person: Option<ClientPerson<'a>>,
}

#[derive(Serialize)]
struct ClientRule<'a> {
    #[serde(flatten)]
    rule: &'a Rule,
    client: bool,
}

#[derive(Serialize)]
struct ClientPerson<'a> {
    login: &'a str,
    names: &'a [String],
    /// The words the strength meter's zxcvbn counts as known
    /// ([`super::zxcvbn_inputs`]), the same the server counts.
    strength_inputs: Vec<String>,
}

/// A count of 0 is "no rule" (TOML cannot say null).
fn positive(n: Option<u32>) -> Option<u32> {
    n.filter(|&n| n > 0)
}

impl PasswordPolicy {
    /// Builds the rules. Values out of range are clamped (max length to
    /// [`HARD_MAX_CHARS`], classes and score to 4); [`PolicyConfig::validate`]
    /// is where they are reported.
    pub fn from_config(config: &PolicyConfig) -> PasswordPolicy {
        let cap = HARD_MAX_CHARS as u32;
        let mut rules = Vec::new();
        let min = positive(config.min_length).map(|m| m.min(cap));
        let max = positive(config.max_length).map(|m| m.min(cap));
        if min.is_some() || max.is_some() {
            rules.push(Rule::Length { min, max });
        }
        if let Some(n) = config.min_classes.filter(|&n| n > 0) {
            rules.push(Rule::MinClasses { min: n.min(4) });
        }
        if let Some(min) = positive(config.min_uppercase) {
            rules.push(Rule::MinUppercase { min });
        }
        if let Some(min) = positive(config.min_lowercase) {
            rules.push(Rule::MinLowercase { min });
        }
        if let Some(min) = positive(config.min_digits) {
            rules.push(Rule::MinDigits { min });
        }
        if let Some(min) = positive(config.min_special) {
            rules.push(Rule::MinSpecial { min });
        }
        if !config.forbidden_characters.is_empty() {
            let mut chars = String::new();
            for c in config.forbidden_characters.chars() {
                if !chars.contains(c) {
                    chars.push(c);
                }
            }
            rules.push(Rule::ForbiddenCharacters { chars });
        }
        if config.forbid_login {
            rules.push(Rule::ForbidLogin);
        }
        if config.forbid_attribute_values {
            rules.push(Rule::ForbidAttributeValues);
        }
        if config.differ_from_current {
            rules.push(Rule::DifferFromCurrent);
        }
        if let Some(n) = config.min_zxcvbn_score.filter(|&n| n > 0) {
            rules.push(Rule::MinZxcvbnScore { min: n.min(4) });
        }
        if let Some(count) = positive(config.history) {
            rules.push(Rule::History { count });
        }
        PasswordPolicy {
            rules,
            breached: None,
        }
    }

    /// [`from_config`](Self::from_config), with the breached-password list
    /// of `policy.breached_hashes_file` opened when one is configured: what
    /// the gateway serves with. Errors: the file cannot be read or is not
    /// such a list ([`super::BreachedListError`], naming the file).
    pub fn load(config: &PolicyConfig) -> Result<PasswordPolicy, super::BreachedListError> {
        let policy = PasswordPolicy::from_config(config);
        match &config.breached_hashes_file {
            Some(path) => Ok(policy
                .with_breached_hashes(std::sync::Arc::new(super::BreachedHashes::open(path)?))),
            None => Ok(policy),
        }
    }

    /// The breached-password list these rules search, if any.
    pub fn breached_list(&self) -> Option<&super::BreachedHashes> {
        self.breached.as_deref()
    }

    /// These rules plus "not in this list of breached passwords", listed
    /// just before history.
    pub fn with_breached_hashes(
        mut self,
        list: std::sync::Arc<super::BreachedHashes>,
    ) -> PasswordPolicy {
        self.rules.retain(|r| *r != Rule::NotBreached);
        let at = self
            .rules
            .iter()
            .position(|r| matches!(r, Rule::History { .. }))
            .unwrap_or(self.rules.len());
        self.rules.insert(at, Rule::NotBreached);
        self.breached = Some(list);
        self
    }

    /// The rules for one person: the site's rules combined with the
    /// directory's policy for that person (`directory`, from
    /// the directory adapter), so that the rules
    /// listed, ticked live and checked are the ones the write will meet.
    ///
    /// - Minimum length: the larger of the site's and `pwdMinLength`.
    /// - Maximum length: the smaller of the site's and `pwdMaxLength` (where
    ///   the directory sets one). A site maximum below the directory's
    ///   minimum could never be met: the directory wins and the site maximum
    ///   is dropped (`passerelle check` reports the conflict).
    /// - History: `pwdInHistory`, the only history that is enforced (the
    ///   gateway cannot read old hashes); none when it is 0.
    ///
    /// Lengths count only when the directory checks quality
    /// (`pwdCheckQuality` 1 or 2); the other site rules are kept as they are.
    pub fn effective(&self, directory: &crate::ppolicy::DirectoryPolicy) -> PasswordPolicy {
        let cap = HARD_MAX_CHARS as u32;
        let (site_min, site_max) = match self.rule(RuleId::Length) {
            Some(Rule::Length { min, max }) => (*min, *max),
            _ => (None, None),
        };
        let directory_min = directory.enforced_min_length().map(|m| m.min(cap));
        let directory_max = directory.enforced_max_length().map(|m| m.min(cap));
        let min = site_min.max(directory_min);
        let mut max = match (site_max, directory_max) {
            (Some(site), Some(dir)) => Some(site.min(dir)),
            (one, other) => one.or(other),
        };
        if let (Some(lowest), Some(highest)) = (min, max) {
            if lowest > highest && site_max == max && directory_min == min {
                max = directory_max;
            }
        }
        let mut rules: Vec<Rule> = self
            .rules
            .iter()
            .filter(|r| !matches!(r, Rule::Length { .. } | Rule::History { .. }))
            .cloned()
            .collect();
        if min.is_some() || max.is_some() {
            // First, where the site's own length rule is listed.
            rules.insert(0, Rule::Length { min, max });
        }
        if directory.in_history > 0 {
            rules.push(Rule::History {
                count: directory.in_history,
            });
        }
        PasswordPolicy {
            rules,
            breached: self.breached.clone(),
        }
    }

    /// The rules in the order the page lists them.
    pub fn rules(&self) -> Vec<Rule> {
        self.rules.clone()
    }

    /// Borrowed view of the rules.
    pub fn rule_list(&self) -> &[Rule] {
        &self.rules
    }

    /// The rule with this id, if the site configured it.
    pub fn rule(&self, id: RuleId) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id() == id)
    }

    /// The rules as JSON for the checklist, without anything about the person
    /// (the login and name rules then stay unmarked in the page). Safe to put
    /// inside a `<script>` element: `<`, `>` and `&` are escaped.
    pub fn client_rules_json(&self) -> String {
        self.client_json(None)
    }

    /// The rules as JSON, with the person's login and names so that the
    /// checklist can also mark the login and name rules, and the words the
    /// strength meter counts as theirs (birth date included). Only for a
    /// page shown to the person after they proved who they are.
    pub fn client_rules_json_for(&self, person: &PersonContext<'_>) -> String {
        self.client_json(Some(ClientPerson {
            login: &person.login,
            names: &person.names,
            strength_inputs: super::zxcvbn_inputs(person),
        }))
    }

    fn client_json(&self, person: Option<ClientPerson<'_>>) -> String {
        let document = ClientDocument {
            max_chars: HARD_MAX_CHARS,
            rules: self
                .rules
                .iter()
                .map(|rule| ClientRule {
                    rule,
                    client: rule.evaluated_by_client(),
                })
                .collect(),
            person,
        };
        // Serialising plain strings and numbers cannot fail; an empty rule
        // list is the harmless fallback (the server still decides).
        let json = serde_json::to_string(&document)
            .unwrap_or_else(|_| format!("{{\"max_chars\":{HARD_MAX_CHARS},\"rules\":[]}}"));
        // These characters only ever occur inside JSON strings, where the
        // \u escapes mean the same; escaped, a name such as "</script>"
        // cannot end the element.
        json.replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026")
    }

    /// The rule a refusal decoded by the directory adapter belongs
    /// to; see [`violation_for_ppolicy_error`](Self::violation_for_ppolicy_error).
    pub fn violation_for_directory_error(
        &self,
        error: crate::ppolicy::PpolicyError,
    ) -> Option<Violation> {
        use crate::ppolicy::PpolicyError as Refusal;
        let code = match error {
            Refusal::InsufficientPasswordQuality => 5,
            Refusal::PasswordTooShort => 6,
            Refusal::PasswordTooYoung => 7,
            Refusal::PasswordInHistory => 8,
            Refusal::PasswordTooLong => 9,
            _ => return None,
        };
        self.violation_for_ppolicy_error(code)
    }

    /// Maps an error of the directory's ppolicy response control to the rule
    /// the person should read about: 5 insufficientQuality, 6 tooShort,
    /// 7 tooYoung, 8 inHistory, 9 tooLong. Errors that are not about the new
    /// password (expired, locked, ...) give `None`: the flow handles them.
    pub fn violation_for_ppolicy_error(&self, code: u32) -> Option<Violation> {
        let length = match self.rule(RuleId::Length) {
            Some(Rule::Length { min, max }) => (*min, *max),
            _ => (None, None),
        };
        match code {
            5 => Some(Violation::RefusedByDirectory),
            6 => Some(
                length
                    .0
                    .map_or(Violation::RefusedByDirectory, |min| Violation::TooShort {
                        min,
                    }),
            ),
            7 => Some(Violation::TooSoon),
            8 => Some(Violation::InHistory {
                count: match self.rule(RuleId::History) {
                    Some(Rule::History { count }) => Some(*count),
                    _ => None,
                },
            }),
            9 => Some(
                length
                    .1
                    .map_or(Violation::RefusedByDirectory, |max| Violation::TooLong {
                        max,
                    }),
            ),
            _ => None,
        }
    }
}
impl Violation {
    /// The rule this violation belongs to; `None` for input errors and for
    /// directory refusals no configured rule explains.
    pub fn rule_id(&self) -> Option<RuleId> {
        Some(match self {
            Violation::TooShort { .. } | Violation::TooLong { .. } => RuleId::Length,
            Violation::TooFewClasses { .. } => RuleId::MinClasses,
            Violation::TooFewUppercase { .. } => RuleId::MinUppercase,
            Violation::TooFewLowercase { .. } => RuleId::MinLowercase,
            Violation::TooFewDigits { .. } => RuleId::MinDigits,
            Violation::TooFewSpecial { .. } => RuleId::MinSpecial,
            Violation::ForbiddenCharacter { .. } => RuleId::ForbiddenCharacters,
            Violation::ContainsLogin => RuleId::ForbidLogin,
            Violation::ContainsName => RuleId::ForbidAttributeValues,
            Violation::SameAsCurrent => RuleId::DifferFromCurrent,
            Violation::TooGuessable => RuleId::MinZxcvbnScore,
            Violation::Breached => RuleId::NotBreached,
            Violation::InHistory { .. } => RuleId::History,
            Violation::Input(_) | Violation::TooSoon | Violation::RefusedByDirectory => {
                return None
            }
        })
    }
}
