//! `/message`: the page a POST that ended a flow (or told something) leads
//! to. The POST answers with a redirect here (Post/Redirect/Get) and the
//! message travels in an encrypted cookie read once, so the browser's
//! history holds only GET pages and Back never asks to resend a form.

use super::error::WebError;
use super::page::Page;
use super::views::{self, Message};
use super::AppState;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use axum_extra::extract::cookie::{Cookie, PrivateCookieJar, SameSite};

/// Where a POST's message is shown.
pub const PATH: &str = "/message";

/// How long the message waits for the browser, in seconds.
const LIFETIME_SECONDS: i64 = 300;

fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-passerelle-message"
    } else {
        "passerelle-message"
    }
}

/// Puts `message` in the jar for `/message`.
pub fn keep(jar: PrivateCookieJar, message: &Message, secure: bool) -> PrivateCookieJar {
    let Ok(value) = serde_json::to_string(message) else {
        return jar;
    };
    jar.add(
        Cookie::build((cookie_name(secure), value))
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Strict)
            .max_age(cookie::time::Duration::seconds(LIFETIME_SECONDS))
            .build(),
    )
}

pub fn routes() -> Router<AppState> {
    Router::new().route(PATH, get(message_page))
}

/// The message a POST left, shown once; without one, the home page.
async fn message_page(page: Page, jar: PrivateCookieJar) -> Result<Response, WebError> {
    let secure = page.settings.server.secure_cookies;
    let name = cookie_name(secure);
    let Some(message) = jar
        .get(name)
        .and_then(|cookie| serde_json::from_str::<Message>(cookie.value()).ok())
    else {
        return Ok(Redirect::to("/").into_response());
    };
    let jar = jar.remove(Cookie::build(name).path("/").build());
    Ok((jar, views::show(&page, message)).into_response())
}
