//! Translations of every text the web pages and mails show, in French (the
//! default, worded as the seeds word it) and the other languages of
//! [`Lang::ALL`]. The texts live in Fluent files (`locales/<code>/*.ftl`)
//! compiled into the binary, so a deployed
//! gateway cannot lose them; a missing message shows its id and is logged,
//! never a panic. The language of a request is negotiated in [`negotiate`]:
//! an explicit `?lang=` choice, then the `lang` cookie the switch link sets,
//! then `Accept-Language`, then the site's default.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::{LazyLock, OnceLock};
use unic_langid::LanguageIdentifier;

/// The one language type of the gateway, shared with the policy texts.
pub use crate::Lang;

const FR_HELPDESK: &str = include_str!("../../../locales/fr/helpdesk.ftl");
const EN_HELPDESK: &str = include_str!("../../../locales/en/helpdesk.ftl");
const FR_API: &str = include_str!("../../../locales/fr/api.ftl");
const EN_API: &str = include_str!("../../../locales/en/api.ftl");

/// One bundle per language, in the order of [`Lang::ALL`], each parsed the
/// first time a text of its language is asked for: a replica whose visitors
/// read French and English never holds the seven other languages (about
/// 0.4 MiB each once parsed).
static CATALOGUE: LazyLock<Vec<OnceLock<FluentBundle<FluentResource>>>> =
    LazyLock::new(|| Lang::ALL.iter().map(|_| OnceLock::new()).collect());

/// The bundle of `lang`: its pages' texts, and the help desk's and the
/// API's in French or English.
fn catalogue_of(lang: Lang) -> FluentBundle<FluentResource> {
    let sources = lang.sources();
    let mut texts: Vec<&str> = sources.ui.iter().map(|(_, text)| *text).collect();
    // The help desk is for IT's agents and speaks French and
    // English only (docs/helpdesk.md): in the other languages its
    // pages are in English.
    texts.push(match lang {
        Lang::Fr => FR_HELPDESK,
        _ => EN_HELPDESK,
    });
    // So are the JSON API's problems, read by integrators
    // (docs/api.md).
    texts.push(match lang {
        Lang::Fr => FR_API,
        _ => EN_API,
    });
    bundle(lang.code(), &texts)
}

fn bundle(code: &str, sources: &[&str]) -> FluentBundle<FluentResource> {
    let langid: LanguageIdentifier = code.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // Unicode isolation marks around arguments would end up in mails and
    // in copied text; the arguments are logins, numbers, addresses and
    // dates, which read in the right order inside Arabic text without them.
    bundle.set_use_isolating(false);
    for source in sources {
        add_source(&mut bundle, code, source);
    }
    bundle
}

fn add_source(bundle: &mut FluentBundle<FluentResource>, code: &str, source: &str) {
    let resource = match FluentResource::try_new(source.to_owned()) {
        Ok(resource) => resource,
        Err((resource, errors)) => {
            tracing::error!(lang = code, ?errors, "syntax errors in the translations");
            resource
        }
    };
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(
            lang = code,
            ?errors,
            "duplicate messages in the translations"
        );
    }
}

fn bundle_for(lang: Lang) -> &'static FluentBundle<FluentResource> {
    let index = Lang::ALL.iter().position(|&l| l == lang).unwrap_or(0);
    CATALOGUE[index].get_or_init(|| catalogue_of(Lang::ALL[index]))
}

/// The text `id` in `lang`, with `args` filled in.
pub fn t(lang: Lang, id: &str, args: Option<&FluentArgs<'_>>) -> String {
    let bundle = bundle_for(lang);
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        tracing::warn!(lang = lang.code(), id, "missing translation");
        return id.to_owned();
    };
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    if !errors.is_empty() {
        tracing::warn!(
            lang = lang.code(),
            id,
            ?errors,
            "translation formatting errors"
        );
    }
    text.into_owned()
}

/// The text `id` with arguments given as name/value pairs. A value that
/// is an integer as Rust writes one (`3`, `-1`, `120`) is passed as a
/// number, so plural selectors work; anything else stays the text it is,
/// so that a code, a login or a phone number keeps its leading zeros
/// (`043061` is not `43061`).
pub fn t_with(lang: Lang, id: &str, args: &[(&str, &str)]) -> String {
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        if is_plain_integer(value) {
            fluent_args.set(*name, FluentValue::try_number(value));
        } else {
            fluent_args.set(*name, FluentValue::from(*value));
        }
    }
    t(lang, id, Some(&fluent_args))
}

/// `value` is an integer written as `i64`'s `to_string` writes it.
fn is_plain_integer(value: &str) -> bool {
    value
        .parse::<i64>()
        .is_ok_and(|number| number.to_string() == value)
}

/// The text `id` with text arguments kept as typed (a login `007` stays
/// `007`) and number arguments given as numbers (for plural selectors).
pub fn t_args(lang: Lang, id: &str, texts: &[(&str, &str)], numbers: &[(&str, u64)]) -> String {
    let mut fluent_args = FluentArgs::new();
    for (name, value) in texts {
        fluent_args.set(*name, FluentValue::from(*value));
    }
    for (name, value) in numbers {
        fluent_args.set(*name, FluentValue::from(*value));
    }
    t(lang, id, Some(&fluent_args))
}

/// Whether `id` exists in every language (used by tests and templates).
/// Asked of French alone, the reference language: the locale completeness
/// test (`tests/locales.rs`) holds every other language to French's keys,
/// and asking French alone parses no other language at start-up.
pub fn has(id: &str) -> bool {
    bundle_for(Lang::Fr).has_message(id)
}

/// Parses an `Accept-Language` header and returns the supported language
/// with the highest weight (`q`), the first listed on a tie.
pub fn from_accept_language(header: &str) -> Option<Lang> {
    let mut best: Option<(Lang, f32)> = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or_default().trim();
        let weight = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if weight <= 0.0 {
            continue;
        }
        if let Some(lang) = Lang::from_tag(tag) {
            if best.is_none_or(|(_, w)| weight > w) {
                best = Some((lang, weight));
            }
        }
    }
    best.map(|(lang, _)| lang)
}

/// The language of a request: explicit choice (`?lang=`), then the `lang`
/// cookie, then `Accept-Language`, then the site default.
pub fn negotiate(
    query_choice: Option<&str>,
    cookie: Option<&str>,
    accept_language: Option<&str>,
    default: &str,
) -> Lang {
    query_choice
        .and_then(Lang::from_tag)
        .or_else(|| cookie.and_then(Lang::from_tag))
        .or_else(|| accept_language.and_then(from_accept_language))
        .or_else(|| Lang::from_tag(default))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn digits_with_a_leading_zero_stay_text_and_counts_stay_numbers() {
        assert!(is_plain_integer("3") && is_plain_integer("-1") && is_plain_integer("0"));
        for text in [
            "043061",
            "0612345678",
            "+33612345678",
            "1.5",
            " 3",
            "",
            "E0012",
        ] {
            assert!(!is_plain_integer(text), "{text}");
        }
        let text = t_with(
            Lang::Fr,
            "sms-text-code",
            &[("site", "Sésame"), ("code", "043061"), ("minutes", "15")],
        );
        assert!(text.contains("043061"), "{text}");
    }

    #[test]
    fn every_message_used_by_a_template_exists() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../templates");
        let mut missing = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "html") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for call in ["t(\"", "t1(\"", "t2(\""] {
                for piece in text.split(call).skip(1) {
                    let id = piece.split('"').next().unwrap();
                    if !has(id) {
                        missing.push(format!("{}: {id}", path.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "{missing:?}");
    }

    #[test]
    fn french_follows_the_seed_wording() {
        assert_eq!(t(Lang::Fr, "field-identifier", None), "Numéro personnel");
        assert_eq!(t(Lang::Fr, "field-birth-date", None), "Date de naissance");
        assert_eq!(t(Lang::Fr, "button-submit", None), "Valider");
        assert_eq!(
            t_with(Lang::Fr, "step-indicator", &[("step", "2"), ("total", "3")]),
            "Étape 2 sur 3"
        );
    }

    #[test]
    fn plurals_follow_the_number() {
        assert!(t_with(Lang::En, "answer-wrong", &[("left", "1")]).contains("1 attempt left"));
        assert!(t_with(Lang::En, "answer-wrong", &[("left", "3")]).contains("3 attempts left"));
    }

    #[test]
    fn a_missing_message_shows_its_id() {
        assert_eq!(t(Lang::En, "no-such-message", None), "no-such-message");
    }

    #[test]
    fn accept_language_picks_the_heaviest_supported_language() {
        assert_eq!(from_accept_language("en-GB,en;q=0.9"), Some(Lang::En));
        assert_eq!(
            from_accept_language("ru, en;q=0.5, fr;q=0.8"),
            Some(Lang::Fr)
        );
        assert_eq!(from_accept_language("ru"), None);
        assert_eq!(from_accept_language("fr;q=0, en;q=0.1"), Some(Lang::En));
        // Regions and scripts fall back to the language the texts exist in.
        assert_eq!(from_accept_language("pt-BR,pt;q=0.9"), Some(Lang::Pt));
        assert_eq!(from_accept_language("zh-CN,zh;q=0.9"), Some(Lang::ZhHans));
        assert_eq!(from_accept_language("de-CH, fr;q=0.5"), Some(Lang::De));
        assert_eq!(from_accept_language("ar-DZ,fr;q=0.7"), Some(Lang::Ar));
        assert_eq!(from_accept_language("uk, ru;q=0.8"), Some(Lang::Uk));
        // Traditional Chinese is not offered Simplified: the next choice.
        assert_eq!(from_accept_language("zh-TW, en;q=0.8"), Some(Lang::En));
    }

    #[test]
    fn an_explicit_choice_wins_over_cookie_and_browser() {
        assert_eq!(
            negotiate(Some("en"), Some("fr"), Some("fr"), "fr"),
            Lang::En
        );
        assert_eq!(negotiate(None, Some("en"), Some("fr"), "fr"), Lang::En);
        assert_eq!(negotiate(None, None, Some("en-US"), "fr"), Lang::En);
        assert_eq!(negotiate(None, None, None, "en"), Lang::En);
        assert_eq!(negotiate(Some("xx"), None, None, "fr"), Lang::Fr);
    }
}
