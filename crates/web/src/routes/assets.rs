//! Static files, compiled into the binary so that a deployed gateway is one
//! file plus its configuration. Their URLs carry the release version, so
//! they are cached for a year (see `security.rs`).

use crate::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

const STYLESHEET: &str = include_str!("../../../../static/css/passerelle.css");
const CHECKLIST: &str = include_str!("../../../../static/js/checklist.js");
const FORMS: &str = include_str!("../../../../static/js/forms.js");
const STRENGTH: &str = include_str!("../../../../static/js/strength.js");
/// zxcvbn 4.4.2 as the strength meter runs it (see its header); loaded by
/// the meter only when a password is typed.
const ZXCVBN: &str = include_str!("../../../../static/js/vendor/zxcvbn.js");
const LOGO: &str = include_str!("../../../../static/img/logo.svg");

/// The site's main colour (`site.main_color`) as the stylesheet's
/// `--brand`, with a darker shade for hovered buttons. Not under
/// `/static/`: a site may change its colour without a new release, so it
/// is not cached for a year. 404 when the site keeps Passerelle's colours.
async fn site_stylesheet(State(state): State<AppState>) -> axum::response::Response {
    let Some(colour) = state.settings.site.main_color.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    // Validated as #rrggbb when the configuration loaded.
    let darker: String = colour
        .trim_start_matches('#')
        .as_bytes()
        .chunks(2)
        .filter_map(|pair| std::str::from_utf8(pair).ok())
        .filter_map(|hex| u8::from_str_radix(hex, 16).ok())
        .map(|value| format!("{:02x}", u16::from(value) * 3 / 4))
        .collect();
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        format!(":root {{ --brand: {colour}; --brand-dark: #{darker}; }}\n"),
    )
        .into_response()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/site.css", get(site_stylesheet))
        .route(
            "/static/css/passerelle.css",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
                    STYLESHEET,
                )
                    .into_response()
            }),
        )
        .route(
            "/static/js/checklist.js",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                    CHECKLIST,
                )
                    .into_response()
            }),
        )
        .route(
            "/static/js/forms.js",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                    FORMS,
                )
                    .into_response()
            }),
        )
        .route(
            "/static/js/strength.js",
            get(|| async { javascript(STRENGTH) }),
        )
        .route(
            "/static/js/vendor/zxcvbn.js",
            get(|| async { javascript(ZXCVBN) }),
        )
        .route(
            "/static/img/logo.svg",
            get(|| async { ([(header::CONTENT_TYPE, "image/svg+xml")], LOGO).into_response() }),
        )
}

fn javascript(body: &'static str) -> axum::response::Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        body,
    )
        .into_response()
}
