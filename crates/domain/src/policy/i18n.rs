//! Translated texts of the policy (rule descriptions, errors, checklist
//! labels) from `locales/<lang>/policy.ftl`, compiled into the binary so the
//! engine needs no files at run time. Self-contained on purpose: the web
//! layer's general translations live elsewhere.

use super::check::{InputError, Violation};
use super::rules::{CharacterClass, Rule};
use super::Lang;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::LazyLock;
use unic_langid::LanguageIdentifier;

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let langid: LanguageIdentifier = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // Unicode isolation marks would end up inside HTML attributes and mails.
    bundle.set_use_isolating(false);
    // A syntax error keeps the messages that did parse; the unit tests below
    // fail on any error, so this only matters for a hand-edited binary.
    let source = lang.sources().policy;
    let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(r, _)| r);
    let _ = bundle.add_resource(resource);
    bundle
}

/// One bundle per language, in the order of [`Lang::ALL`].
static BUNDLES: LazyLock<Vec<FluentBundle<FluentResource>>> =
    LazyLock::new(|| Lang::ALL.iter().map(|&lang| bundle(lang)).collect());

/// Formats message `id`; the id itself if it is missing, so a gap in a
/// translation shows up as a visible key rather than an empty line.
fn text(lang: Lang, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let index = Lang::ALL.iter().position(|&l| l == lang).unwrap_or(0);
    let bundle = &BUNDLES[index];
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        return id.to_owned();
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&fluent_args), &mut errors)
        .into_owned()
}

/// Characters listed with spaces between them, so that "<>&" reads as three.
fn spaced(chars: &str) -> String {
    chars
        .chars()
        .map(String::from)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The line shown for a rule in the list next to the password field.
pub fn describe(rule: &Rule, lang: Lang) -> String {
    match rule {
        Rule::Length {
            min: Some(min),
            max: Some(max),
        } => text(
            lang,
            "policy-rule-length-range",
            &[("min", (*min).into()), ("max", (*max).into())],
        ),
        Rule::Length { min: Some(min), .. } => {
            text(lang, "policy-rule-length-min", &[("min", (*min).into())])
        }
        Rule::Length { max, .. } => text(
            lang,
            "policy-rule-length-max",
            &[("max", max.unwrap_or(super::HARD_MAX_CHARS as u32).into())],
        ),
        Rule::MinClasses { min } => {
            text(lang, "policy-rule-min-classes", &[("min", (*min).into())])
        }
        Rule::MinUppercase { min } => {
            text(lang, "policy-rule-min-uppercase", &[("min", (*min).into())])
        }
        Rule::MinLowercase { min } => {
            text(lang, "policy-rule-min-lowercase", &[("min", (*min).into())])
        }
        Rule::MinDigits { min } => text(lang, "policy-rule-min-digits", &[("min", (*min).into())]),
        Rule::MinSpecial { min } => {
            text(lang, "policy-rule-min-special", &[("min", (*min).into())])
        }
        Rule::ForbiddenCharacters { chars } => text(
            lang,
            "policy-rule-forbidden-characters",
            &[("chars", spaced(chars).into())],
        ),
        Rule::ForbidLogin => text(lang, "policy-rule-forbid-login", &[]),
        Rule::ForbidAttributeValues => text(lang, "policy-rule-forbid-attribute-values", &[]),
        Rule::DifferFromCurrent => text(lang, "policy-rule-differ-from-current", &[]),
        Rule::MinZxcvbnScore { .. } => text(lang, "policy-rule-min-zxcvbn-score", &[]),
        Rule::NotBreached => text(lang, "policy-rule-not-breached", &[]),
        Rule::History { count } => text(lang, "policy-rule-history", &[("count", (*count).into())]),
    }
}

/// The sub-item of the "N of the 4 criteria" rule for one class.
pub fn describe_class(class: CharacterClass, lang: Lang) -> String {
    let id = match class {
        CharacterClass::Lowercase => "policy-class-lowercase",
        CharacterClass::Uppercase => "policy-class-uppercase",
        CharacterClass::Digit => "policy-class-digit",
        CharacterClass::Special => "policy-class-special",
    };
    text(lang, id, &[])
}

/// The sentence telling the person why their password was refused.
pub fn explain(violation: &Violation, lang: Lang) -> String {
    let min = |id: &str, min: u32| text(lang, id, &[("min", min.into())]);
    match violation {
        Violation::Input(error) => match error {
            InputError::Empty => text(lang, "policy-input-empty", &[]),
            InputError::OnlySpaces => text(lang, "policy-input-only-spaces", &[]),
            InputError::ControlCharacter => text(lang, "policy-input-control-character", &[]),
            InputError::TooLong { max } => {
                text(lang, "policy-input-too-long", &[("max", (*max).into())])
            }
            InputError::InvalidUtf8 => text(lang, "policy-input-invalid-utf8", &[]),
        },
        Violation::TooShort { min: m } => min("policy-error-too-short", *m),
        Violation::TooLong { max } => {
            text(lang, "policy-error-too-long", &[("max", (*max).into())])
        }
        Violation::TooFewClasses { min: m } => min("policy-error-too-few-classes", u32::from(*m)),
        Violation::TooFewUppercase { min: m } => min("policy-error-too-few-uppercase", *m),
        Violation::TooFewLowercase { min: m } => min("policy-error-too-few-lowercase", *m),
        Violation::TooFewDigits { min: m } => min("policy-error-too-few-digits", *m),
        Violation::TooFewSpecial { min: m } => min("policy-error-too-few-special", *m),
        Violation::ForbiddenCharacter { chars } => text(
            lang,
            "policy-error-forbidden-character",
            &[("chars", spaced(chars).into())],
        ),
        Violation::ContainsLogin => text(lang, "policy-error-contains-login", &[]),
        Violation::ContainsName => text(lang, "policy-error-contains-name", &[]),
        Violation::SameAsCurrent => text(lang, "policy-error-same-as-current", &[]),
        Violation::TooGuessable => text(lang, "policy-error-too-guessable", &[]),
        Violation::Breached => text(lang, "policy-error-breached", &[]),
        Violation::InHistory { count } => text(
            lang,
            "policy-error-in-history",
            &[("count", count.unwrap_or(0).into())],
        ),
        Violation::TooSoon => text(lang, "policy-error-too-soon", &[]),
        Violation::RefusedByDirectory => text(lang, "policy-error-refused-by-directory", &[]),
    }
}

/// Texts the page puts in `data-*` attributes for `static/js/checklist.js`,
/// which carries French defaults and no translations of its own.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChecklistTexts {
    /// `data-status-template` of the live region: "{passed} critères sur
    /// {total} remplis", the script fills in the two numbers.
    pub status_template: String,
    /// Hidden state text of a met / unmet item, for screen readers.
    pub met: String,
    pub unmet: String,
    /// Labels of the show/hide button.
    pub show: String,
    pub hide: String,
    /// Accessible name of the show/hide button ("Afficher le mot de passe").
    pub show_label: String,
    /// Confirmation field feedback.
    pub confirm_match: String,
    pub confirm_mismatch: String,
    /// The strength meter's name, its five levels (0 to 4, joined by `|`),
    /// its live text ("Robustesse : {level}") and what it says when it
    /// cannot score (the server will).
    pub strength_label: String,
    pub strength_levels: String,
    pub strength_status: String,
    pub strength_deferred: String,
}

pub fn checklist_texts(lang: Lang) -> ChecklistTexts {
    ChecklistTexts {
        status_template: text(
            lang,
            "policy-checklist-status",
            &[("passed", "{passed}".into()), ("total", "{total}".into())],
        ),
        met: text(lang, "policy-checklist-met", &[]),
        unmet: text(lang, "policy-checklist-unmet", &[]),
        show: text(lang, "policy-checklist-show", &[]),
        hide: text(lang, "policy-checklist-hide", &[]),
        show_label: text(lang, "policy-checklist-show-label", &[]),
        confirm_match: text(lang, "policy-checklist-confirm-match", &[]),
        confirm_mismatch: text(lang, "policy-checklist-confirm-mismatch", &[]),
        strength_label: text(lang, "policy-strength-label", &[]),
        strength_levels: text(lang, "policy-strength-levels", &[]),
        strength_status: text(
            lang,
            "policy-strength-status",
            &[("level", "{level}".into())],
        ),
        strength_deferred: text(lang, "policy-strength-deferred", &[]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_bundle::FluentResource;

    #[test]
    fn every_translation_file_parses_without_errors() {
        // That every language has every message, with the same arguments,
        // is passerelle-text's completeness test (tests/locales.rs).
        for &lang in Lang::ALL {
            let source = lang.sources().policy;
            assert!(
                FluentResource::try_new(source.to_owned()).is_ok(),
                "{}",
                lang.code()
            );
        }
    }

    #[test]
    fn the_strength_levels_are_five_in_every_language() {
        for &lang in Lang::ALL {
            let levels = checklist_texts(lang).strength_levels;
            assert_eq!(levels.split('|').count(), 5, "{}: {levels}", lang.code());
        }
    }

    #[test]
    fn french_wording_follows_the_seeds() {
        let fr = Lang::Fr;
        assert_eq!(
            describe(
                &Rule::Length {
                    min: Some(12),
                    max: None
                },
                fr
            ),
            "12 caractères minimum"
        );
        assert_eq!(
            describe(
                &Rule::Length {
                    min: Some(6),
                    max: Some(20)
                },
                fr
            ),
            "Entre 6 et 20 caractères"
        );
        assert_eq!(
            describe(&Rule::MinClasses { min: 3 }, fr),
            "Respectant 3 des 4 critères suivants :"
        );
        assert_eq!(
            describe(&Rule::MinUppercase { min: 1 }, fr),
            "Au moins 1 majuscule"
        );
        assert_eq!(
            describe(&Rule::ForbidLogin, fr),
            "Ne doit pas contenir votre login"
        );
        assert_eq!(
            describe(&Rule::History { count: 3 }, fr),
            "Doit être différent des 3 derniers mots de passe que vous avez choisis"
        );
        assert_eq!(
            describe_class(CharacterClass::Lowercase, fr),
            "Contient une minuscule"
        );
        assert_eq!(
            describe_class(CharacterClass::Uppercase, fr),
            "Contient une majuscule"
        );
        assert_eq!(
            describe_class(CharacterClass::Digit, fr),
            "Contient un chiffre"
        );
        assert_eq!(
            describe_class(CharacterClass::Special, fr),
            "Contient un caractère spécial"
        );
    }

    #[test]
    fn checklist_status_template_keeps_its_placeholders() {
        assert_eq!(
            checklist_texts(Lang::Fr).status_template,
            "{passed} critères sur {total} remplis"
        );
        assert_eq!(
            checklist_texts(Lang::En).status_template,
            "{passed} of {total} criteria met"
        );
    }
}
