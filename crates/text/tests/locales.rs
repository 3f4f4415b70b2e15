//! Every language says everything French says (issue 22): each locale of
//! [`Lang::ALL`] has every message of `locales/fr/` (and no other), with the
//! same arguments (`{ $contact }` stays `{ $contact }`: a renamed or dropped
//! argument would silently lose the help desk's address or a lockout time),
//! and no text is left identical to another language's, which is what a
//! message copied and never translated looks like. The few texts that are
//! rightly the same in two languages are listed in [`SAME_ON_PURPOSE`], each
//! with its reason.

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
use passerelle_text::Lang;
use std::collections::{BTreeMap, BTreeSet};

/// `(message, languages)`: a message whose text may be the same in these
/// languages (every pair among them), and why.
const SAME_ON_PURPOSE: &[(&str, &[&str])] = &[
    // French identity numbers, named by their French acronyms everywhere.
    (
        "detail-ine",
        &["fr", "en", "es", "de", "it", "pt", "ar", "zh-Hans", "uk"],
    ),
    (
        "detail-uid",
        &["fr", "en", "es", "de", "it", "pt", "ar", "zh-Hans", "uk"],
    ),
    // "minute(s)" is spelt the same in French and English.
    ("email-minutes", &["fr", "en"]),
    // "Confirmation" is the same word in French and English.
    ("field-confirmation", &["fr", "en"]),
    // Spanish and Portuguese spell these the same ("Cancelar", "Idioma",
    // "Mostrar", "Ocultar", "hora(s)", "minuto(s)", "dd/mm/aaaa"...).
    ("button-cancel", &["es", "pt"]),
    ("lang-switch-label", &["es", "pt"]),
    ("logo-alt", &["es", "pt"]),
    ("detail-uid-text", &["es", "pt"]),
    ("field-birth-date-hint", &["es", "pt"]),
    ("email-hours", &["es", "pt"]),
    ("email-minutes", &["es", "pt"]),
    ("policy-checklist-show", &["es", "pt"]),
    ("policy-checklist-hide", &["es", "pt"]),
    ("not-me-done-title", &["es", "pt"]),
    // "Contiene una cifra" is both Spanish and Italian.
    ("policy-class-digit", &["es", "it"]),
];

/// A message as the test compares it: its arguments and its words.
#[derive(Default)]
struct Message {
    variables: BTreeSet<String>,
    /// The whole text, arguments written `{$name}`, variants joined by `|`.
    text: String,
    /// Only what the translator wrote (no argument names).
    words: String,
}

fn walk_pattern(pattern: &Pattern<&str>, message: &mut Message) {
    for element in &pattern.elements {
        match element {
            PatternElement::TextElement { value } => {
                message.text.push_str(value);
                message.words.push_str(value);
            }
            PatternElement::Placeable { expression } => walk_expression(expression, message),
        }
    }
}

fn walk_expression(expression: &Expression<&str>, message: &mut Message) {
    match expression {
        Expression::Select { selector, variants } => {
            walk_inline(selector, message);
            for variant in variants {
                message.text.push('|');
                walk_pattern(&variant.value, message);
            }
        }
        Expression::Inline(inline) => walk_inline(inline, message),
    }
}

fn walk_inline(inline: &InlineExpression<&str>, message: &mut Message) {
    match inline {
        InlineExpression::VariableReference { id } => {
            message.variables.insert(id.name.to_owned());
            message.text.push_str(&format!("{{${}}}", id.name));
        }
        InlineExpression::StringLiteral { value } => {
            message.text.push_str(value);
            message.words.push_str(value);
        }
        InlineExpression::Placeable { expression } => walk_expression(expression, message),
        InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                walk_inline(argument, message);
            }
        }
        _ => {}
    }
}

/// Every message of one file: id (or `id.attribute`) → message.
fn messages(lang: Lang, file: &str, source: &'static str) -> BTreeMap<String, Message> {
    let resource = fluent_syntax::parser::parse(source).unwrap_or_else(|(_, errors)| {
        panic!("locales/{}/{file} does not parse: {errors:?}", lang.code())
    });
    let mut found = BTreeMap::new();
    for entry in &resource.body {
        match entry {
            Entry::Message(m) => {
                let mut message = Message::default();
                if let Some(value) = &m.value {
                    walk_pattern(value, &mut message);
                }
                let id = m.id.name.to_owned();
                assert!(
                    found.insert(id.clone(), message).is_none(),
                    "locales/{}/{file}: {id} twice",
                    lang.code()
                );
                for attribute in &m.attributes {
                    let mut message = Message::default();
                    walk_pattern(&attribute.value, &mut message);
                    found.insert(format!("{id}.{}", attribute.id.name), message);
                }
            }
            Entry::Junk { content } => {
                panic!("locales/{}/{file}: unreadable: {content}", lang.code())
            }
            _ => {}
        }
    }
    found
}

/// `(file, id)` → message, for every file of `lang`.
fn catalogue(lang: Lang) -> BTreeMap<(&'static str, String), Message> {
    let sources = lang.sources();
    let files = sources
        .ui
        .iter()
        .copied()
        .chain([("policy.ftl", sources.policy)]);
    let mut all = BTreeMap::new();
    for (file, source) in files {
        for (id, message) in messages(lang, file, source) {
            all.insert((file, id), message);
        }
    }
    all
}

#[test]
fn every_language_has_every_french_message_with_the_same_arguments() {
    let french = catalogue(Lang::Fr);
    assert!(french.len() > 300, "{} French messages", french.len());
    let mut problems = Vec::new();
    for &lang in &Lang::ALL[1..] {
        let other = catalogue(lang);
        for ((file, id), message) in &french {
            match other.get(&(*file, id.clone())) {
                None => problems.push(format!("{}/{file}: {id} is missing", lang.code())),
                Some(theirs) if theirs.variables != message.variables => problems.push(format!(
                    "{}/{file}: {id} has the arguments {:?}, French has {:?}",
                    lang.code(),
                    theirs.variables,
                    message.variables
                )),
                Some(theirs) if theirs.text.trim().is_empty() => {
                    problems.push(format!("{}/{file}: {id} is empty", lang.code()))
                }
                Some(_) => {}
            }
        }
        for (file, id) in other.keys() {
            if !french.contains_key(&(*file, id.clone())) {
                problems.push(format!(
                    "{}/{file}: {id} is not a French message",
                    lang.code()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn same_on_purpose(id: &str, a: Lang, b: Lang) -> bool {
    SAME_ON_PURPOSE.iter().any(|(allowed, langs)| {
        *allowed == id && langs.contains(&a.code()) && langs.contains(&b.code())
    })
}

#[test]
fn no_text_is_left_in_another_language() {
    let catalogues: Vec<(Lang, BTreeMap<_, _>)> = Lang::ALL
        .iter()
        .map(|&lang| (lang, catalogue(lang)))
        .collect();
    let mut problems = Vec::new();
    for (i, (a, first)) in catalogues.iter().enumerate() {
        for (b, second) in &catalogues[i + 1..] {
            for (key, message) in first {
                let Some(theirs) = second.get(key) else {
                    continue;
                };
                // Only words can be left untranslated: "{ $label } :" or
                // "{ $percent } %" are the same everywhere they are written
                // that way.
                let has_words = message.words.chars().any(char::is_alphabetic);
                if has_words
                    && message.text.trim() == theirs.text.trim()
                    && !same_on_purpose(&key.1, *a, *b)
                {
                    problems.push(format!(
                        "{} is the same in {} and {}: {:?}",
                        key.1,
                        a.code(),
                        b.code(),
                        message.text.trim()
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_allowed_sameness_list_names_real_messages() {
    let french = catalogue(Lang::Fr);
    for (id, langs) in SAME_ON_PURPOSE {
        assert!(
            french.keys().any(|(_, known)| known == id),
            "{id} is no message"
        );
        for code in *langs {
            assert!(
                Lang::ALL.iter().any(|l| l.code() == *code),
                "{code} is no language"
            );
        }
    }
}

#[test]
fn every_language_reads_its_plurals_with_its_own_categories() {
    // Ukrainian and Arabic have more plural forms than French: a message
    // that selects on a number must still give a text for each of them
    // (the catch-all `*[other]` does), and every translated message must
    // format without errors for 0, 1, 2, 3, 5, 11 and 21.
    use passerelle_text::i18n::t_args;
    let french = catalogue(Lang::Fr);
    for &lang in Lang::ALL {
        for ((file, id), message) in &french {
            if *file == "policy.ftl" || id.contains('.') {
                continue;
            }
            for n in [0u64, 1, 2, 3, 5, 11, 21] {
                let numbers: Vec<(&str, u64)> =
                    message.variables.iter().map(|v| (v.as_str(), n)).collect();
                let text = t_args(lang, id, &[], &numbers);
                assert!(
                    !text.is_empty() && text != *id,
                    "{}: {id} with {n}",
                    lang.code()
                );
            }
        }
    }
}
