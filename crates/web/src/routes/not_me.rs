//! « Ce n'était pas moi » ([`FlowName::NotMe`]): the link of a "password
//! changed" mail. The GET changes nothing (mail scanners open links): it
//! shows what the change was and one button; the POST (CSRF and one-time
//! nonce, as every form) freezes self-service, alerts the help desk and
//! says what happens next (`passerelle_domain::flows::not_me`).

use crate::error::WebError;
use crate::form::Form;
use crate::page::{Layout, Page};
use crate::step::{Ctx, Visit};
use crate::views;
use crate::AppState;
use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use passerelle_domain::flow::{FlowName, Step};
use passerelle_domain::flows::not_me::{self, DisownOutcome, LinkPage, Unusable};
use serde::Deserialize;

const FLOW: FlowName = FlowName::NotMe;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/not-me/{token}", get(link_page))
        .route("/not-me", post(link_submit))
}

#[derive(Template)]
#[template(path = "not_me.html")]
struct NotMeTemplate {
    page: Layout,
    csrf: String,
    nonce: String,
    token: String,
    intro: String,
    explain: String,
}

/// Why the link cannot be used, as a page.
fn refused_page(page: &Page, why: Unusable) -> views::Message {
    let text = match why {
        Unusable::Superseded => "not-me-superseded",
        Unusable::AlreadyUsed => "not-me-used",
        Unusable::Invalid => "not-me-invalid",
    };
    views::message(
        page,
        "not-me-invalid-title",
        vec![
            page.t(text),
            page.t_with(
                "not-me-contact",
                &[("contact", &page.settings.site.help_contact)],
            ),
        ],
        Some(("/", page.t("error-back-home"))),
    )
}

/// "le 12/03/2025 à 14:05", as the site reads it.
fn when(page: &Page, at: &DateTime<Utc>) -> String {
    page.settings
        .site
        .local_time(at)
        .format(page.lang.date_time_format())
        .to_string()
}

async fn link_page(visit: Visit, Path(token): Path<String>) -> Result<Response, WebError> {
    let ctx = Ctx::start(visit, FLOW)?;
    let (login, at, address, action) = match not_me::open(ctx.gateway(), &token).await? {
        LinkPage::Usable {
            login,
            at,
            address,
            action,
        } => (login, at, address, action),
        LinkPage::Unusable(why) => {
            let page = refused_page(&ctx.page, why);
            return Ok(ctx.end(page));
        }
    };
    let page = &ctx.page;
    let template = NotMeTemplate {
        page: page.layout("not-me-title"),
        csrf: ctx.flow.csrf.clone(),
        nonce: ctx.flow.nonce.clone(),
        intro: match action {
            // The link of a help-desk action that changed no password.
            Some(action) => page.t_with(
                "not-me-intro-helpdesk",
                &[
                    ("login", &login),
                    ("when", &when(page, &at)),
                    (
                        "what",
                        &page.t(&format!(
                            "helpdesk-did-{}",
                            action.as_str().replace('_', "-")
                        )),
                    ),
                ],
            ),
            None => page.t_with(
                "not-me-intro",
                &[
                    ("login", &login),
                    ("when", &when(page, &at)),
                    ("address", &address),
                ],
            ),
        },
        explain: page.t_with(
            "not-me-explain",
            &[("contact", &page.settings.site.help_contact)],
        ),
        token,
    };
    ctx.render(&template)
}

#[derive(Deserialize)]
struct NotMeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    nonce: String,
    token: String,
}

crate::step_form!(NotMeForm);

async fn link_submit(visit: Visit, Form(form): Form<NotMeForm>) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::Disown, &form).await?;
    let page = &ctx.page;
    let done = match not_me::disown(ctx.gateway(), &ctx.journey(), &form.token).await? {
        DisownOutcome::Frozen => views::message(
            page,
            "not-me-done-title",
            vec![
                page.t("not-me-done"),
                page.t_with(
                    "not-me-next",
                    &[("contact", &page.settings.site.help_contact)],
                ),
            ],
            Some(("/", page.t("error-back-home"))),
        ),
        DisownOutcome::Unusable(why) => refused_page(page, why),
    };
    Ok(ctx.end(done))
}
