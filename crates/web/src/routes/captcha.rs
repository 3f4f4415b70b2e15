//! The captcha's picture and spoken version, for the challenge the flow's
//! cookie holds: `GET /captcha/{flow}/image.png` and
//! `GET /captcha/{flow}/audio.wav`. Both re-derive the text from the
//! challenge id and the key (see `passerelle_captcha`), so any replica can
//! answer, and both are the same bytes at every fetch of one challenge;
//! neither changes the flow. The recording of one challenge is served at
//! most [`AUDIO_FETCHES`] times by a replica; then "Nouveau code" gives a
//! new one. Never cached: a new challenge must show a new picture, and a
//! shared computer must keep none.

use crate::error::WebError;
use crate::flow_state::{FlowName, FlowState};
use crate::page::Page;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use axum_extra::extract::cookie::PrivateCookieJar;

/// How many times one challenge's recording is served (per replica): a
/// person listens once or twice (a browser may fetch it again to replay
/// it); the same bytes come back every time.
pub const AUDIO_FETCHES: u8 = 3;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/captcha/{flow}/image.png", get(image))
        .route("/captcha/{flow}/audio.wav", get(audio))
}

/// The challenge of `flow`'s cookie. An unknown flow, or one that shows no
/// captcha now, is a 404; an absent or expired flow, the usual page.
fn challenge(
    state: &AppState,
    jar: &PrivateCookieJar,
    flow: &str,
) -> Result<passerelle_captcha::Challenge, WebError> {
    let flow: FlowName = serde_json::from_value(serde_json::Value::String(flow.to_owned()))
        .map_err(|_| WebError::NotFound)?;
    let lifetime = crate::flow_state::Lifetime::of(&state.settings, flow);
    let flow_state = FlowState::load(jar, flow, state.settings.server.secure_cookies, lifetime)?;
    flow_state.captcha.ok_or(WebError::NotFound)
}

fn media(content_type: &'static str, body: Vec<u8>) -> Response {
    if body.is_empty() {
        return WebError::Unexpected(anyhow::anyhow!("empty captcha rendering")).into_response();
    }
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

pub async fn image(
    State(state): State<AppState>,
    jar: PrivateCookieJar,
    Path(flow): Path<String>,
) -> Result<Response, WebError> {
    let challenge = challenge(&state, &jar, &flow)?;
    state.metrics.captcha.served(&flow, "image");
    let key = state.captcha_key.clone();
    // A few milliseconds of arithmetic: off the async workers.
    let png = tokio::task::spawn_blocking(move || challenge.png(&key))
        .await
        .map_err(|e| WebError::Unexpected(anyhow::anyhow!("captcha picture: {e}")))?;
    Ok(media("image/png", png))
}

/// Spoken in the page's language (`?lang=`, the `lang` cookie, then the
/// browser's).
pub async fn audio(
    State(state): State<AppState>,
    page: Page,
    jar: PrivateCookieJar,
    Path(flow): Path<String>,
) -> Result<Response, WebError> {
    let challenge = challenge(&state, &jar, &flow)?;
    if !state
        .captcha_audio
        .take(&challenge.tag(&state.captcha_key), AUDIO_FETCHES)
    {
        return Err(WebError::CaptchaAudioSpent);
    }
    state.metrics.captcha.served(&flow, "audio");
    let key = state.captcha_key.clone();
    let lang = page.lang;
    // Tens of milliseconds of arithmetic: off the async workers.
    let wav = tokio::task::spawn_blocking(move || challenge.wav(&key, lang))
        .await
        .map_err(|e| WebError::Unexpected(anyhow::anyhow!("captcha recording: {e}")))?;
    Ok(media("audio/wav", wav))
}
