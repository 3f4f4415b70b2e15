//! Récupérer mon identifiant (UPHF): identity, then the login by mail
//! ([`FlowName::Identifier`]'s steps). The page never shows the login and
//! says the same thing, in the same time, whether or not somebody matched:
//! the identity check waits for its floor on every outcome here, success
//! included, and the mail leaves off the request path.

use crate::flows::{identity, mailing, FlowName, Step};
use crate::web::client::ClientInfo;
use crate::web::error::WebError;
use crate::web::form::Form;
use crate::web::page::Page;
use crate::web::step::Ctx;
use crate::web::views::{self, IdentityForm, IdentityTemplate};
use crate::web::AppState;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use axum_extra::extract::cookie::PrivateCookieJar;
use std::time::Instant;

const FLOW: FlowName = FlowName::Identifier;

pub fn routes() -> Router<AppState> {
    Router::new().route("/identifier", get(identity_page).post(identity_submit))
}

fn identity_template(ctx: &Ctx) -> IdentityTemplate {
    IdentityTemplate::new(
        ctx.page.layout("identifier-title"),
        ctx.page.t("identifier-intro"),
        "/identifier",
        &ctx.flow,
    )
}

async fn identity_page(
    State(state): State<AppState>,
    page: Page,
    jar: PrivateCookieJar,
) -> Result<Response, WebError> {
    let ctx = Ctx::start(state, page, jar, FLOW)?;
    let template = identity_template(&ctx);
    ctx.render(&template)
}

async fn identity_submit(
    State(state): State<AppState>,
    page: Page,
    client: ClientInfo,
    jar: PrivateCookieJar,
    Form(form): Form<IdentityForm>,
) -> Result<Response, WebError> {
    let started = Instant::now();
    let ctx = Ctx::accept(
        state,
        page,
        client,
        jar,
        FLOW,
        Step::Identity,
        &form.csrf,
        &form.nonce,
    )?;
    let (identifier, birth_date) = match views::identity_fields(&ctx.page, &form) {
        Ok(fields) => fields,
        Err(errors) => {
            let mut template = identity_template(&ctx).refill(&form);
            template.page.errors = errors;
            return ctx.render(&template);
        }
    };
    let trail = ctx.trail();
    if let identity::Identity::Proved(person) =
        identity::prove(ctx.gateway(), &trail, identifier.as_ref(), &birth_date).await?
    {
        mailing::send_login(ctx.gateway(), &trail, &person).await;
        identity::wait_for_floor(started).await;
    }
    let page = &ctx.page;
    let sent = views::message(
        page,
        "identifier-sent-title",
        vec![
            page.t("identifier-sent"),
            page.t_with(
                "identifier-sent-advice",
                &[("contact", &page.settings.site.help_contact)],
            ),
        ],
        Some(("/", page.t("error-back-home"))),
    );
    Ok(ctx.end(sent))
}
