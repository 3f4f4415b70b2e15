//! Static files, compiled into the binary so that a deployed gateway is one
//! file plus its configuration. Their URLs carry the release version, so
//! they are cached for a year (see `security.rs`).

use crate::web::AppState;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

const STYLESHEET: &str = include_str!("../../../static/css/passerelle.css");
const CHECKLIST: &str = include_str!("../../../static/js/checklist.js");
const FORMS: &str = include_str!("../../../static/js/forms.js");
const LOGO: &str = include_str!("../../../static/img/logo.svg");

pub fn routes() -> Router<AppState> {
    Router::new()
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
            "/static/img/logo.svg",
            get(|| async { ([(header::CONTENT_TYPE, "image/svg+xml")], LOGO).into_response() }),
        )
}
