//! What a flow does with the captcha, in one place, so that no flow can
//! forget a rule: which page shows one ([`start`], [`start_page`],
//! [`after_failure`]), the check of a posted form that always replaces the
//! challenge ([`check`]), the "Nouveau code" link ([`renew`],
//! [`wants_new`]), the message of a failed check ([`failed_message`]) and
//! what the `captcha_field.html` partial needs ([`CaptchaField`]).
//!
//! The flow keeps the challenge in its cookie as `Option<Challenge>`
//! (`FlowState::captcha`): `None` means this flow shows no captcha now.
//! Every challenge made here is for the client of the request that shows
//! it ([`Issuer`]), and [`check`] passes only an answer from that client.

use super::{CaptchaKey, CaptchaSettings, Challenge, Issuer};
use passerelle_text::i18n::{self, Lang};

/// The name of the form field the person types the text into.
pub const FIELD: &str = "captcha";

/// The query parameter of the "Nouvelle image" link.
pub const NEW_QUERY: &str = "new_captcha";

/// The challenge a flow starts with: one when the captcha is shown from
/// the first page (`mode = "always"`), none otherwise.
pub fn start(settings: &CaptchaSettings, issuer: Issuer<'_>) -> Option<Challenge> {
    settings
        .shown_at_start()
        .then(|| Challenge::for_client(settings, issuer))
}

/// The challenge of a flow's first page shown by GET: as [`start`], and
/// also when the person asked for a new code (`?new_captcha=1`) while the
/// captcha was shown only after a failure. (A flow whose first page starts
/// a new flow on every GET needs nothing else for the "Nouveau code" link.)
pub fn start_page(
    settings: &CaptchaSettings,
    query: Option<&str>,
    issuer: Issuer<'_>,
) -> Option<Challenge> {
    if settings.shown_at_start() || (settings.enabled() && wants_new(query)) {
        Some(Challenge::for_client(settings, issuer))
    } else {
        None
    }
}

/// After a failed attempt of the flow (wrong identity, answer, code): from
/// now on the flow shows a captcha, unless the captcha is off
/// (`mode = "after_failure"` relies on this; with `always` there already
/// is one).
pub fn after_failure(slot: &mut Option<Challenge>, settings: &CaptchaSettings, issuer: Issuer<'_>) {
    if settings.enabled() && slot.is_none() {
        *slot = Some(Challenge::for_client(settings, issuer));
    }
}

/// "Nouvelle image": a fresh challenge in place of the shown one. Does not
/// add a captcha to a flow that shows none.
pub fn renew(slot: &mut Option<Challenge>, settings: &CaptchaSettings, issuer: Issuer<'_>) {
    if slot.is_some() {
        *slot = Some(Challenge::for_client(settings, issuer));
    }
}

/// Whether a GET asks for a new image (`?new_captcha=1`).
pub fn wants_new(query: Option<&str>) -> bool {
    query.is_some_and(|q| {
        q.split('&')
            .any(|pair| pair == NEW_QUERY || pair.starts_with(&format!("{NEW_QUERY}=")))
    })
}

/// The outcome of [`check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptchaCheck {
    /// The flow showed no captcha: nothing to check.
    NotShown,
    Passed,
    /// Wrong or missing text: show [`failed_message`] on the `captcha`
    /// field, keep the other fields as typed, do nothing else.
    Failed,
}

impl CaptchaCheck {
    /// Whether the flow may go on with the form.
    pub fn allows(self) -> bool {
        self != CaptchaCheck::Failed
    }
}

/// Checks the posted `typed` text against the flow's challenge and, passed
/// or not, replaces the challenge with a fresh one: the flow must save its
/// state afterwards, so each challenge is tried once. The right text from
/// another client than the one the challenge was shown to (a copied
/// cookie and answer) fails, as does a challenge made for no client. A
/// flow that should show a captcha (`mode = "always"`) but whose cookie
/// holds none fails the check.
///
/// Call it before any other check of the form (directory look-up, code),
/// and on failure do nothing else: a robot learns nothing about the
/// identity it tried.
pub fn check(
    slot: &mut Option<Challenge>,
    issuer: Issuer<'_>,
    settings: &CaptchaSettings,
    typed: Option<&str>,
) -> CaptchaCheck {
    match slot.take() {
        Some(challenge) => {
            let from_its_client = challenge.is_for(issuer);
            let right = challenge.verify(issuer.key, typed.unwrap_or_default());
            *slot = Some(Challenge::for_client(settings, issuer));
            if right && from_its_client {
                CaptchaCheck::Passed
            } else {
                CaptchaCheck::Failed
            }
        }
        None if settings.shown_at_start() => {
            *slot = Some(Challenge::for_client(settings, issuer));
            CaptchaCheck::Failed
        }
        None => CaptchaCheck::NotShown,
    }
}

/// "La vérification du texte a échoué." (the CAF wording).
pub fn failed_message(lang: Lang) -> String {
    i18n::t(lang, "captcha-failed", None)
}

/// What `templates/captcha_field.html` shows. A flow's template includes
/// it as `{% if let Some(captcha) = captcha %}{% include
/// "captcha_field.html" %}{% endif %}`, with `captcha: Option<CaptchaField>`
/// and `page: Layout` among its fields; a failed check is shown as the
/// page's error on the field `captcha` (`layout.with_error(Some("captcha"),
/// failed_message(lang))`), which the partial displays next to the input.
#[derive(Debug, Clone)]
pub struct CaptchaField {
    /// `/captcha/{flow}/image.png?c=<tag>`
    pub image_url: String,
    /// `/captcha/{flow}/audio.wav?c=<tag>`
    pub audio_url: String,
    /// The flow's page with `?new_captcha=1`.
    pub renew_url: String,
    pub length: usize,
    pub case_sensitive: bool,
    /// Width and height of the image, for the `<img>` tag.
    pub width: u32,
    pub height: u32,
}

impl CaptchaField {
    /// The field for `challenge` of the flow `flow` (its cookie name part,
    /// e.g. "code"), shown on the page at `page_path` (e.g. "/code").
    pub fn new(
        flow: &str,
        page_path: &str,
        challenge: &Challenge,
        key: &CaptchaKey,
    ) -> CaptchaField {
        let tag = challenge.tag(key);
        CaptchaField {
            image_url: format!("/captcha/{flow}/image.png?c={tag}"),
            audio_url: format!("/captcha/{flow}/audio.wav?c={tag}"),
            renew_url: format!("{page_path}?{NEW_QUERY}=1"),
            length: challenge.len(),
            case_sensitive: challenge.case_sensitive(),
            width: super::picture::width(challenge.len()),
            height: super::picture::HEIGHT,
        }
    }

    /// The field, if the flow shows a captcha now.
    pub fn for_slot(
        flow: &str,
        page_path: &str,
        slot: &Option<Challenge>,
        key: &CaptchaKey,
    ) -> Option<CaptchaField> {
        slot.as_ref()
            .map(|challenge| CaptchaField::new(flow, page_path, challenge, key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CaptchaMode;
    use secrecy::{ExposeSecret, SecretString};

    fn key() -> CaptchaKey {
        CaptchaKey::new(&SecretString::from("k"))
    }

    const CLIENT: &str = "192.0.2.7/32";

    fn issuer(key: &CaptchaKey) -> Issuer<'_> {
        Issuer {
            key,
            client: CLIENT,
        }
    }

    fn settings(mode: CaptchaMode) -> CaptchaSettings {
        CaptchaSettings {
            mode,
            ..CaptchaSettings::default()
        }
    }

    #[test]
    fn a_challenge_is_replaced_after_each_attempt_right_or_wrong() {
        let key = key();
        let settings = settings(CaptchaMode::Always);
        let mut slot = start(&settings, issuer(&key));
        let first = slot.clone().unwrap();
        let text = first.text(&key);
        assert_eq!(
            check(
                &mut slot,
                issuer(&key),
                &settings,
                Some(text.expose_secret())
            ),
            CaptchaCheck::Passed
        );
        assert_ne!(slot.as_ref(), Some(&first));
        assert!(slot.as_ref().unwrap().is_for(issuer(&key)));
        // The old text no longer passes.
        assert_eq!(
            check(
                &mut slot,
                issuer(&key),
                &settings,
                Some(text.expose_secret())
            ),
            CaptchaCheck::Failed
        );
        assert!(slot.is_some());
    }

    #[test]
    fn the_right_text_from_another_client_fails_and_the_next_challenge_is_its_own() {
        let key = key();
        let settings = settings(CaptchaMode::Always);
        let shown = start(&settings, issuer(&key));
        let text = shown.as_ref().unwrap().text(&key);
        // A copy of the cookie and the answer, posted from elsewhere.
        let mut copy = shown.clone();
        let elsewhere = Issuer {
            key: &key,
            client: "2001:db8:1:2::/64",
        };
        assert_eq!(
            check(&mut copy, elsewhere, &settings, Some(text.expose_secret())),
            CaptchaCheck::Failed
        );
        assert!(copy.as_ref().unwrap().is_for(elsewhere));
        // The one it was shown to still passes with it.
        let mut slot = shown;
        assert_eq!(
            check(
                &mut slot,
                issuer(&key),
                &settings,
                Some(text.expose_secret())
            ),
            CaptchaCheck::Passed
        );
        // A challenge made for no client passes nobody.
        let unbound = Challenge::new(&settings);
        let text = unbound.text(&key);
        assert_eq!(
            check(
                &mut Some(unbound),
                issuer(&key),
                &settings,
                Some(text.expose_secret())
            ),
            CaptchaCheck::Failed
        );
    }

    #[test]
    fn a_cookie_without_a_challenge_fails_when_the_captcha_is_always_shown() {
        let key = key();
        let mut slot = None;
        assert_eq!(
            check(
                &mut slot,
                issuer(&key),
                &settings(CaptchaMode::Always),
                Some("x")
            ),
            CaptchaCheck::Failed
        );
        let mut slot = None;
        assert_eq!(
            check(
                &mut slot,
                issuer(&key),
                &settings(CaptchaMode::AfterFailure),
                None
            ),
            CaptchaCheck::NotShown
        );
    }

    #[test]
    fn after_failure_mode_shows_the_captcha_only_after_a_failed_attempt() {
        let key = key();
        let settings = settings(CaptchaMode::AfterFailure);
        let mut slot = start(&settings, issuer(&key));
        assert!(slot.is_none());
        renew(&mut slot, &settings, issuer(&key));
        assert!(slot.is_none());
        after_failure(&mut slot, &settings, issuer(&key));
        assert!(slot.as_ref().is_some_and(|c| c.is_for(issuer(&key))));
        let mut never = None;
        after_failure(
            &mut never,
            &self::settings(CaptchaMode::Never),
            issuer(&key),
        );
        assert!(never.is_none());
    }

    #[test]
    fn a_new_code_asked_for_keeps_the_captcha_of_after_failure_mode() {
        let key = key();
        let after = settings(CaptchaMode::AfterFailure);
        assert!(start_page(&after, None, issuer(&key)).is_none());
        assert!(start_page(&after, Some("new_captcha=1"), issuer(&key)).is_some());
        assert!(start_page(&settings(CaptchaMode::Always), None, issuer(&key)).is_some());
        assert!(start_page(
            &settings(CaptchaMode::Never),
            Some("new_captcha=1"),
            issuer(&key)
        )
        .is_none());
    }

    #[test]
    fn the_new_image_link_is_recognised() {
        assert!(wants_new(Some("new_captcha=1")));
        assert!(wants_new(Some("lang=fr&new_captcha=1")));
        assert!(!wants_new(Some("lang=fr")));
        assert!(!wants_new(None));
    }

    #[test]
    fn the_field_links_to_the_flow_routes_without_the_text() {
        let key = key();
        let challenge = Challenge::new(&CaptchaSettings::default());
        let field = CaptchaField::new("code", "/code", &challenge, &key);
        assert!(field.image_url.starts_with("/captcha/code/image.png?c="));
        assert!(field.audio_url.starts_with("/captcha/code/audio.wav?c="));
        assert_eq!(field.renew_url, "/code?new_captcha=1");
        let text = challenge.text(&key);
        assert!(!field.image_url.contains(text.expose_secret()));
        assert_eq!((field.width, field.height), (200, 70));
    }
}
