//! The texts a site adds to its pages, and its main colour: `[texts]` in
//! the configuration. A notice block shown on every page (the CAF seeds'
//! "service réservé aux seules personnes habilitées"), and per page kind a
//! lead under the title, a help aside ("Pourquoi changer son mot de passe
//! ?"), the main button's label (EFP's « Suivant ») and an « Annuler » link
//! (services.caf.fr). Each text is a message id of `locales/` (so it is
//! translated: the presets name the seeds' own words this way) or a literal
//! text in the site's language. Templates only place the blocks; no seed's
//! words are written in them.

use passerelle_text::i18n::{self, Lang};
use serde::Deserialize;

/// The kinds of page a site can give texts to (the keys of `[texts.*]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, Deserialize)]
pub enum PageKind {
    /// The home page and "Identifiants oubliés".
    Home,
    /// Identifier and birth date (recover, identifier, activate).
    Identity,
    /// Login and password (`/account`, the forced change `/change`).
    SignIn,
    /// The secret question, asked or chosen.
    Question,
    /// The new password.
    Password,
    /// An address or identifier and the captcha (`/code`, `/temporary`).
    Request,
    /// The e-mailed code.
    Code,
    /// "Demande enregistrée": a mail is on its way.
    Sent,
    /// The password is changed.
    Success,
}

/// What a site says on one page kind. Every text is a message id of
/// `locales/` or a literal text; `**…**` marks words shown in bold, as
/// the seeds bold them.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PageTexts {
    /// Paragraphs of the notice block on this kind, instead of
    /// `texts.notice` (an empty list shows none).
    pub notice: Option<Vec<String>>,
    /// Paragraphs under the title, before the form.
    pub lead: Vec<String>,
    /// The heading of the help aside.
    pub aside_title: Option<String>,
    /// Paragraphs of the help aside, beside the form on a wide screen and
    /// after it on a phone.
    pub aside: Vec<String>,
    /// The label of the main button, instead of the page's own (« Valider »
    /// or « Suivant »).
    pub submit: Option<String>,
    /// An « Annuler » link next to the main button, back to
    /// `site.login_url` (else the home page).
    pub cancel: bool,
}

/// `[texts]`: the notice of every page and the texts of each page kind.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct TextSettings {
    /// Paragraphs of the notice block shown on every page, above the form.
    pub notice: Vec<String>,
    /// The home page and "Identifiants oubliés".
    pub home: PageTexts,
    /// Identifier and birth date (recover, identifier, activate).
    pub identity: PageTexts,
    /// Login and password (`/account`, `/change`).
    pub sign_in: PageTexts,
    /// The secret question, asked or chosen.
    pub question: PageTexts,
    /// The new password.
    pub password: PageTexts,
    /// An address or identifier and the captcha (`/code`, `/temporary`).
    pub request: PageTexts,
    /// The e-mailed code.
    pub code: PageTexts,
    /// "Demande enregistrée": a mail is on its way.
    pub sent: PageTexts,
    /// The password is changed.
    pub success: PageTexts,
}

impl TextSettings {
    /// The texts of `kind`.
    pub fn of(&self, kind: PageKind) -> &PageTexts {
        match kind {
            PageKind::Home => &self.home,
            PageKind::Identity => &self.identity,
            PageKind::SignIn => &self.sign_in,
            PageKind::Question => &self.question,
            PageKind::Password => &self.password,
            PageKind::Request => &self.request,
            PageKind::Code => &self.code,
            PageKind::Sent => &self.sent,
            PageKind::Success => &self.success,
        }
    }

    /// The notice paragraphs of a page of `kind` (`None`: a page of no
    /// kind, such as an error page).
    pub fn notice(&self, kind: Option<PageKind>) -> &[String] {
        kind.and_then(|kind| self.of(kind).notice.as_deref())
            .unwrap_or(&self.notice)
    }

    /// Refuses a value that reads as a message id but names none (a typo
    /// would otherwise show the id itself to people): `(key, expected)`.
    pub fn validate(&self) -> Result<(), (String, String)> {
        let check = |key: String, value: &str| {
            if looks_like_id(value) && !i18n::has(value) {
                Err((
                    key,
                    format!(
                        "a message id of locales/ (fr and en) or a literal text, not {value:?}"
                    ),
                ))
            } else {
                Ok(())
            }
        };
        for value in &self.notice {
            check("notice".into(), value)?;
        }
        for (name, texts) in [
            ("home", &self.home),
            ("identity", &self.identity),
            ("sign_in", &self.sign_in),
            ("question", &self.question),
            ("password", &self.password),
            ("request", &self.request),
            ("code", &self.code),
            ("sent", &self.sent),
            ("success", &self.success),
        ] {
            let lists = [
                ("notice", texts.notice.as_deref().unwrap_or_default()),
                ("lead", texts.lead.as_slice()),
                ("aside", texts.aside.as_slice()),
            ];
            for (field, values) in lists {
                for value in values {
                    check(format!("{name}.{field}"), value)?;
                }
            }
            for (field, value) in [
                ("aside_title", &texts.aside_title),
                ("submit", &texts.submit),
            ] {
                if let Some(value) = value {
                    check(format!("{name}.{field}"), value)?;
                }
            }
        }
        Ok(())
    }
}

/// `value` is written like a message id (`caf-notice-reserved`): lowercase
/// ASCII words joined by hyphens.
fn looks_like_id(value: &str) -> bool {
    value.contains('-')
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The text `value` stands for in `lang`: the message of that id, else
/// `value` itself (a literal text).
pub fn resolve(lang: Lang, value: &str) -> String {
    if looks_like_id(value) && i18n::has(value) {
        i18n::t(lang, value, None)
    } else {
        value.to_owned()
    }
}

/// `text` as HTML: escaped, with each `**…**` pair shown in bold. The
/// only markup a site's text can carry, so a text cannot inject any other.
pub fn to_html(text: &str) -> String {
    let escaped = escape(text);
    let parts: Vec<&str> = escaped.split("**").collect();
    // An unpaired `**` stays as typed.
    if parts.len() % 2 == 0 {
        return escaped;
    }
    let mut html = String::with_capacity(escaped.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 1 {
            html.push_str("<strong>");
            html.push_str(part);
            html.push_str("</strong>");
        } else {
            html.push_str(part);
        }
    }
    html
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// WCAG 2.1 relative luminance of `#rrggbb` (1.4.3, "relative luminance").
fn luminance(colour: &str) -> Option<f64> {
    let hex = colour.strip_prefix('#')?;
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| {
        let value = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).ok()?) / 255.0;
        Some(if value <= 0.039_28 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        })
    };
    Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
}

/// The WCAG contrast ratio of `#rrggbb` against white (1 to 21).
pub fn contrast_with_white(colour: &str) -> Option<f64> {
    luminance(colour).map(|l| 1.05 / (l + 0.05))
}

/// `site.main_color` is `#rrggbb` and contrasts at least 4.5:1 with white
/// (WCAG 2.1 AA for normal text: white text on it, it as text on white).
pub fn check_main_color(colour: &str) -> Result<(), String> {
    match contrast_with_white(colour) {
        None => Err(format!("a colour written #rrggbb, not {colour:?}")),
        Some(ratio) if ratio < 4.5 => Err(format!(
            "a colour that contrasts at least 4.5:1 with white (WCAG 2.1 AA); {colour} gives {ratio:.2}:1"
        )),
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bold_pairs_become_strong_and_nothing_else_is_markup() {
        assert_eq!(
            to_html("est **réservé** <b>x</b> & 'y'"),
            "est <strong>réservé</strong> &lt;b&gt;x&lt;/b&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(to_html("a ** b"), "a ** b");
    }

    #[test]
    fn the_main_colour_must_contrast_with_white() {
        assert!(check_main_color("#1d3f72").is_ok());
        assert!((contrast_with_white("#000000").unwrap() - 21.0).abs() < 1e-9);
        assert!(check_main_color("#f2a900").is_err());
        assert!(check_main_color("1d3f72").is_err());
        assert!(check_main_color("#12345").is_err());
    }

    #[test]
    fn a_literal_text_is_kept_and_an_id_is_translated() {
        assert_eq!(resolve(Lang::Fr, "Bienvenue à tous"), "Bienvenue à tous");
        assert_eq!(
            resolve(Lang::En, "button-submit"),
            i18n::t(Lang::En, "button-submit", None)
        );
    }
}
