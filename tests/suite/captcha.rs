//! The built-in captcha as a person and a robot meet it: the text derived
//! from the challenge id and the key, the check, the picture, the spoken
//! version (real speech, one word per character), the routes that serve
//! them from the flow's cookie, and the form field.
//!
//! Set `PASSERELLE_CAPTCHA_SAMPLES=/some/dir` to also write a sample
//! picture and recordings there, to look at and listen to.

use askama::Template;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum_extra::extract::cookie::PrivateCookieJar;
use passerelle::captcha::web::{CaptchaField, FIELD};
use passerelle::captcha::{CaptchaKey, CaptchaMode, CaptchaSettings, Challenge};
use passerelle::config::{ResolvedSecrets, Settings};
use passerelle::i18n::Lang;
use passerelle::mail::{MailBranding, MailTransportKind, Mailer};
use passerelle::web::flow_state::{FlowName, FlowState};
use passerelle::web::page::{Layout, Page};
use passerelle::web::{router, AppState, RateLimitSettings};
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;
use tower::ServiceExt;

const CODE_KEY: &str = "test-code-key-0123456789-abcdefghijklmnop";

fn key() -> CaptchaKey {
    CaptchaKey::new(&SecretString::from(CODE_KEY))
}

fn settings(length: usize, case_sensitive: bool) -> CaptchaSettings {
    CaptchaSettings {
        mode: CaptchaMode::Always,
        case_sensitive,
        length,
    }
}

fn text(challenge: &Challenge) -> String {
    challenge.text(&key()).expose_secret().to_owned()
}

/// What a WAV file's header says, and its samples.
#[derive(Debug, PartialEq)]
struct Wav {
    format: u16,
    channels: u16,
    rate: u32,
    bits: u16,
    samples: Vec<i16>,
}

impl Wav {
    fn parse(bytes: &[u8]) -> Wav {
        assert_eq!(&bytes[0..4], b"RIFF");
        assert_eq!(
            u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize,
            bytes.len() - 8,
            "RIFF size"
        );
        assert_eq!(&bytes[8..12], b"WAVE");
        assert_eq!(&bytes[12..16], b"fmt ");
        let u16_at = |at: usize| u16::from_le_bytes([bytes[at], bytes[at + 1]]);
        let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
        assert_eq!(u32_at(16), 16);
        let (format, channels, rate, bits) = (u16_at(20), u16_at(22), u32_at(24), u16_at(34));
        assert_eq!(u32_at(28), rate * u32::from(channels) * u32::from(bits) / 8);
        assert_eq!(&bytes[36..40], b"data");
        let data_len = u32_at(40) as usize;
        assert_eq!(data_len, bytes.len() - 44);
        let samples = bytes[44..]
            .chunks_exact(2)
            .map(|pair| i16::from_le_bytes([pair[0], pair[1]]))
            .collect();
        Wav {
            format,
            channels,
            rate,
            bits,
            samples,
        }
    }

    fn seconds(&self) -> f64 {
        self.samples.len() as f64 / f64::from(self.rate)
    }

    /// Stretches of sound separated by at least 0.3 s of quiet: spoken
    /// words (a character said with its case is one stretch).
    fn words(&self) -> usize {
        let window = (self.rate / 50) as usize; // 20 ms
        let loudness: Vec<f64> = self
            .samples
            .chunks(window)
            .map(|w| (w.iter().map(|s| f64::from(*s).powi(2)).sum::<f64>() / w.len() as f64).sqrt())
            .collect();
        let peak = loudness.iter().cloned().fold(0.0, f64::max);
        let threshold = peak * 0.08;
        let mut words = 0;
        let mut quiet = usize::MAX;
        for value in loudness {
            if value > threshold {
                if quiet >= 15 {
                    words += 1;
                }
                quiet = 0;
            } else {
                quiet = quiet.saturating_add(1);
            }
        }
        words
    }
}

fn samples_dir() -> Option<std::path::PathBuf> {
    std::env::var_os("PASSERELLE_CAPTCHA_SAMPLES").map(Into::into)
}

// ------------------------------------------------------------ the text

#[test]
fn the_text_is_the_same_for_the_same_key_and_challenge() {
    let challenge = Challenge::new(&CaptchaSettings::default());
    // As the flow's cookie carries it.
    let cookie = serde_json::to_string(&challenge).unwrap();
    let back: Challenge = serde_json::from_str(&cookie).unwrap();
    assert_eq!(text(&challenge), text(&back));
    assert_eq!(text(&challenge).chars().count(), 6);
    assert!(
        !cookie.contains(&text(&challenge)),
        "the cookie holds the text"
    );
}

#[test]
fn the_text_differs_with_another_key_or_another_challenge() {
    let challenge = Challenge::new(&CaptchaSettings::default());
    let other_key = CaptchaKey::new(&SecretString::from(
        "another-code-key-0123456789-abcdefghij",
    ));
    assert_ne!(
        challenge.text(&other_key).expose_secret(),
        &text(&challenge)
    );
    let other = Challenge::new(&CaptchaSettings::default());
    assert_ne!(text(&other), text(&challenge));
}

#[test]
fn the_right_text_passes_in_any_case_when_the_captcha_ignores_case() {
    let key = key();
    for _ in 0..20 {
        let challenge = Challenge::new(&settings(6, false));
        let text = text(&challenge);
        assert!(challenge.clone().verify(&key, &text));
        assert!(challenge.clone().verify(&key, &text.to_lowercase()));
        assert!(challenge.clone().verify(&key, &text.to_uppercase()));
        let spaced: String = text.chars().map(|c| format!("{c} ")).collect();
        assert!(challenge.verify(&key, &format!("  {spaced}\t")));
    }
}

#[test]
fn a_case_sensitive_captcha_wants_the_exact_case() {
    let key = key();
    let mut tried = 0;
    while tried < 10 {
        let challenge = Challenge::new(&settings(6, true));
        let text = text(&challenge);
        let swapped: String = text
            .chars()
            .map(|c| {
                if c.is_uppercase() {
                    c.to_ascii_lowercase()
                } else {
                    c.to_ascii_uppercase()
                }
            })
            .collect();
        if swapped == text {
            continue; // digits only
        }
        tried += 1;
        assert!(challenge.clone().verify(&key, &text));
        assert!(!challenge.verify(&key, &swapped), "{text} vs {swapped}");
    }
}

#[test]
fn a_wrong_text_is_refused() {
    let key = key();
    let challenge = Challenge::new(&settings(6, false));
    let text = text(&challenge);
    let mut wrong_last: Vec<char> = text.chars().collect();
    wrong_last[5] = if wrong_last[5] == '7' { '8' } else { '7' };
    let wrong_last: String = wrong_last.into_iter().collect();
    for typed in ["", &text[..5], &format!("{text}7"), &wrong_last, "zzzzzz"] {
        assert!(!challenge.clone().verify(&key, typed), "{typed:?} passed");
    }
}

// ------------------------------------------------------------ the picture

#[test]
fn the_picture_is_a_png_of_200_by_70_with_ink_and_paper() {
    let challenge = Challenge::new(&CaptchaSettings::default());
    let png = challenge.png(&key());
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&png[12..16], b"IHDR");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (200, 70));
    let picture = image::load_from_memory(&png).unwrap().to_luma8();
    let dark = picture.pixels().filter(|p| p.0[0] < 100).count();
    let light = picture.pixels().filter(|p| p.0[0] > 200).count();
    let total = (width * height) as usize;
    assert!(dark > total / 20, "too little ink: {dark}/{total}");
    assert!(light > total / 2, "too little paper: {light}/{total}");
    // Same challenge, same picture: averaging many fetches gains nothing.
    assert_eq!(challenge.png(&key()), png);
    if let Some(dir) = samples_dir() {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("captcha.png"), &png).unwrap();
        std::fs::write(dir.join("captcha.txt"), text(&challenge)).unwrap();
    }
}

#[test]
fn a_longer_captcha_has_a_wider_picture() {
    let png = Challenge::new(&settings(8, false)).png(&key());
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    assert_eq!(width, 260);
}

// ------------------------------------------------------------ the audio

#[test]
fn the_audio_is_speech_whose_length_follows_the_number_of_characters() {
    let key = key();
    for lang in [Lang::Fr, Lang::En] {
        let mut durations = Vec::new();
        for length in [4, 6, 10] {
            let challenge = Challenge::new(&settings(length, false));
            let wav = Wav::parse(&challenge.wav(&key, lang));
            assert_eq!(
                (wav.format, wav.channels, wav.rate, wav.bits),
                (1, 1, 8000, 16),
                "PCM, mono, 8 kHz, 16-bit"
            );
            let per_character = wav.seconds() / length as f64;
            assert!(
                (0.4..=1.5).contains(&per_character),
                "{lang:?} {length} characters: {:.2} s",
                wav.seconds()
            );
            assert_eq!(
                wav.words(),
                length,
                "{lang:?}: one spoken word per character of {}",
                text(&challenge)
            );
            durations.push(wav.seconds());
        }
        assert!(
            durations[0] < durations[1] && durations[1] < durations[2],
            "{lang:?} {durations:?}"
        );
    }
}

#[test]
fn a_case_sensitive_captcha_says_the_case_of_each_letter() {
    let key = key();
    for lang in [Lang::Fr, Lang::En] {
        // A challenge with at least three letters.
        let challenge = loop {
            let challenge = Challenge::new(&settings(6, true));
            if text(&challenge)
                .chars()
                .filter(|c| c.is_alphabetic())
                .count()
                >= 3
            {
                break challenge;
            }
        };
        let plain = Challenge::new(&settings(6, false));
        let with_case = Wav::parse(&challenge.wav(&key, lang));
        assert_eq!(
            with_case.words(),
            6,
            "{lang:?}: the case word joins its letter"
        );
        let per_character = with_case.seconds() / 6.0;
        assert!(
            (0.5..=2.5).contains(&per_character),
            "{lang:?}: {per_character:.2} s"
        );
        let _ = plain;
        if let Some(dir) = samples_dir() {
            std::fs::create_dir_all(&dir).unwrap();
            let name = format!("captcha-case-{}.wav", lang.code());
            std::fs::write(dir.join(name), challenge.wav(&key, lang)).unwrap();
            std::fs::write(
                dir.join(format!("captcha-case-{}.txt", lang.code())),
                text(&challenge),
            )
            .unwrap();
        }
    }
}

#[test]
fn the_same_challenge_always_sounds_the_same_and_two_challenges_differ() {
    let challenge = Challenge::new(&CaptchaSettings::default());
    let first = challenge.wav(&key(), Lang::Fr);
    // Fetched again: the very same recording, nothing to average.
    assert_eq!(challenge.wav(&key(), Lang::Fr), first);
    let other = Challenge::new(&CaptchaSettings::default()).wav(&key(), Lang::Fr);
    assert_ne!(other, first);
    let (first, other) = (Wav::parse(&first), Wav::parse(&other));
    assert_eq!(
        (first.format, first.channels, first.rate, first.bits),
        (other.format, other.channels, other.rate, other.bits)
    );
    assert_eq!(first.words(), other.words());
    if let Some(dir) = samples_dir() {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("captcha-fr.wav"), challenge.wav(&key(), Lang::Fr)).unwrap();
        std::fs::write(dir.join("captcha-en.wav"), challenge.wav(&key(), Lang::En)).unwrap();
        std::fs::write(dir.join("captcha-audio.txt"), text(&challenge)).unwrap();
    }
}

// ------------------------------------------------------------ the routes

fn app_state() -> AppState {
    app_state_limited(RateLimitSettings {
        per_minute: 600,
        burst: 200,
    })
}

/// [`app_state`] under the per-address limits `rate_limit`.
fn app_state_limited(rate_limit: RateLimitSettings) -> AppState {
    let mut settings = Settings::default();
    settings.ldap.urls = vec!["ldap://127.0.0.1:9".into()];
    settings.server.secure_cookies = false;
    settings.mail.transport = MailTransportKind::None;
    let mailer = Mailer::build(&settings.mail, MailBranding::from(&settings.site)).unwrap();
    let secrets = ResolvedSecrets {
        bind_password: SecretString::from("unused"),
        cookie_key: SecretString::from("test-cookie-key-0123456789-abcdefghijklmnopqrstuvwxyz"),
        answer_pepper: SecretString::from("test-answer-pepper-0123456789"),
        code_key: SecretString::from(CODE_KEY),
    };
    passerelle::web::app_state(&settings, &secrets, &mailer, rate_limit)
        .unwrap()
        .0
}

/// The `Cookie` header of a browser in the middle of `flow`, whose cookie
/// holds `captcha`.
fn flow_cookie(state: &AppState, flow: FlowName, captcha: Option<Challenge>) -> String {
    let mut flow_state = FlowState::start(flow);
    flow_state.captcha = captcha;
    let jar = PrivateCookieJar::new(state.cookie_key.clone());
    let jar = flow_state.save(jar, false, 1800).unwrap();
    let response = axum::response::IntoResponse::into_response(jar);
    let set_cookie = response.headers()[header::SET_COOKIE].to_str().unwrap();
    set_cookie.split(';').next().unwrap().to_owned()
}

async fn get(state: &AppState, path: &str, cookie: Option<&str>) -> axum::response::Response {
    let mut request = Request::get(path).header("accept-language", "en");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    router(state.clone())
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap()
}

async fn body(response: axum::response::Response) -> Vec<u8> {
    axum::body::to_bytes(response.into_body(), 10 << 20)
        .await
        .unwrap()
        .to_vec()
}

fn header_of(response: &axum::response::Response, name: header::HeaderName) -> &str {
    response.headers()[name].to_str().unwrap()
}

#[tokio::test]
async fn the_routes_serve_the_picture_and_the_audio_of_the_flow_challenge_uncached() {
    let state = app_state();
    let challenge = Challenge::new(&CaptchaSettings::default());
    let cookie = flow_cookie(&state, FlowName::Code, Some(challenge.clone()));

    let response = get(&state, "/captcha/code/image.png?c=x", Some(&cookie)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header_of(&response, header::CONTENT_TYPE), "image/png");
    assert_eq!(header_of(&response, header::CACHE_CONTROL), "no-store");
    assert_eq!(body(response).await, challenge.png(&key()));

    let response = get(&state, "/captcha/code/audio.wav", Some(&cookie)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header_of(&response, header::CONTENT_TYPE), "audio/wav");
    assert_eq!(header_of(&response, header::CACHE_CONTROL), "no-store");
    let wav = Wav::parse(&body(response).await);
    assert_eq!(wav.words(), 6);
}

#[tokio::test]
async fn a_challenge_recording_is_served_the_same_three_times_then_a_new_code_is_needed() {
    let state = app_state();
    let challenge = Challenge::new(&CaptchaSettings::default());
    let cookie = flow_cookie(&state, FlowName::Code, Some(challenge.clone()));
    let mut served = Vec::new();
    for _ in 0..3 {
        let response = get(&state, "/captcha/code/audio.wav", Some(&cookie)).await;
        assert_eq!(response.status(), StatusCode::OK);
        served.push(body(response).await);
    }
    assert!(
        served.iter().all(|wav| *wav == served[0]),
        "three fetches, one recording"
    );
    assert_eq!(served[0], challenge.wav(&key(), Lang::En));

    // The fourth: refused, with the page that says to ask for a new code.
    let response = get(&state, "/captcha/code/audio.wav", Some(&cookie)).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let page = String::from_utf8(body(response).await).unwrap();
    assert!(page.contains("New code"), "{page}");
    // In the other language too: the bound is the challenge's.
    let request = Request::get("/captcha/code/audio.wav")
        .header("accept-language", "fr")
        .header(header::COOKIE, &cookie);
    let response = router(state.clone())
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);

    // A new code (another challenge) has its own three; the picture has
    // no bound (it is the same picture at every fetch).
    let renewed = flow_cookie(
        &state,
        FlowName::Code,
        Some(Challenge::new(&CaptchaSettings::default())),
    );
    let response = get(&state, "/captcha/code/audio.wav", Some(&renewed)).await;
    assert_eq!(response.status(), StatusCode::OK);
    for _ in 0..5 {
        let response = get(&state, "/captcha/code/image.png", Some(&cookie)).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn pictures_and_recordings_are_rendered_for_an_address_only_so_many_times() {
    // The defaults: 20 submissions a minute, 10 in a burst.
    let state = app_state_limited(RateLimitSettings::default());
    let challenge = Challenge::new(&CaptchaSettings::default());
    let cookie = flow_cookie(&state, FlowName::Code, Some(challenge));
    // Three times the submissions' burst (10 by default), then 429: each
    // picture is rendered anew, CPU a script could ask for without end.
    let mut statuses = Vec::new();
    for _ in 0..40 {
        statuses.push(
            get(&state, "/captcha/code/image.png", Some(&cookie))
                .await
                .status(),
        );
    }
    let served = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    assert!((30..40).contains(&served), "{served} of 40 served");
    assert_eq!(statuses.last(), Some(&StatusCode::TOO_MANY_REQUESTS));
}

#[tokio::test]
async fn no_picture_without_a_flow_or_for_a_flow_that_shows_no_captcha() {
    let state = app_state();
    let challenge = Challenge::new(&CaptchaSettings::default());
    // No cookie: the flow has expired.
    let response = get(&state, "/captcha/code/image.png", None).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    // Another flow's cookie.
    let cookie = flow_cookie(&state, FlowName::Temporary, Some(challenge));
    let response = get(&state, "/captcha/code/image.png", Some(&cookie)).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    // A flow without captcha, an unknown flow.
    let cookie = flow_cookie(&state, FlowName::Code, None);
    let response = get(&state, "/captcha/code/audio.wav", Some(&cookie)).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = get(&state, "/captcha/nosuchflow/image.png", Some(&cookie)).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // A forged cookie does not decrypt.
    let response = get(
        &state,
        "/captcha/code/image.png",
        Some("passerelle-code=forged"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

// ------------------------------------------------------------ the field

#[derive(Template)]
#[template(
    source = "<form>{% if let Some(captcha) = captcha %}{% include \"captcha_field.html\" %}{% endif %}</form>",
    ext = "html"
)]
struct FieldPage {
    page: Layout,
    captcha: Option<CaptchaField>,
}

fn layout(lang: Lang) -> Layout {
    Page {
        lang,
        settings: Arc::new(passerelle::web::WebSettings::default()),
        path: "/code".into(),
        flash: Default::default(),
    }
    .layout("home-title")
}

#[test]
fn the_field_offers_the_picture_the_audio_a_new_code_and_an_accessible_input() {
    let challenge = Challenge::new(&CaptchaSettings::default());
    let field = CaptchaField::new("code", "/code", &challenge, &key());
    let html = FieldPage {
        page: layout(Lang::Fr),
        captcha: Some(field.clone()),
    }
    .render()
    .unwrap();
    for expected in [
        &format!("src=\"{}\"", field.image_url) as &str,
        "alt=\"Code de sécurité de 6 caractères",
        "<audio class=\"captcha-audio\" controls",
        "Écouter le code",
        "href=\"/code?new_captcha=1\"",
        "Nouveau code",
        "<label for=\"captcha\">Recopiez le code de sécurité (composé de chiffres et de lettres)</label>",
        &format!("name=\"{FIELD}\""),
        "autocomplete=\"off\"",
        "autocapitalize=\"off\"",
        "spellcheck=\"false\"",
        "aria-describedby=\"captcha-help captcha-case\"",
    ] {
        assert!(html.contains(expected), "{expected} missing in:\n{html}");
    }
    assert!(!html.contains(&text(&challenge)));
}

#[test]
fn a_failed_check_says_so_next_to_the_field() {
    let challenge = Challenge::new(&CaptchaSettings::default());
    let message = passerelle::captcha::web::failed_message(Lang::Fr);
    assert_eq!(message, "La vérification du texte a échoué.");
    let html = FieldPage {
        page: layout(Lang::Fr).with_error(Some("captcha"), message),
        captcha: Some(CaptchaField::new("code", "/code", &challenge, &key())),
    }
    .render()
    .unwrap();
    assert!(html.contains("id=\"captcha-error\">La vérification du texte a échoué.</p>"));
    assert!(html.contains("aria-describedby=\"captcha-help captcha-case captcha-error\""));
    let english = passerelle::captcha::web::failed_message(Lang::En);
    assert_eq!(english, "The text check failed.");
}

#[test]
fn a_flow_that_shows_no_captcha_renders_no_field() {
    let html = FieldPage {
        page: layout(Lang::En),
        captcha: None,
    }
    .render()
    .unwrap();
    assert_eq!(html, "<form></form>");
}
