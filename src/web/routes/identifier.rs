//! Récupérer mon identifiant (UPHF): identity, then the login by mail
//! ([`FlowName::Identifier`]'s steps). The page never shows the login and
//! says the same thing, in the same time, whether or not somebody matched:
//! the identity check waits for its floor on every outcome here, success
//! included, and the mail leaves off the request path.

use crate::flows::{identity, mailing, FlowName};
use crate::web::error::WebError;
use crate::web::form::Form;
use crate::web::step::{Ctx, IdentityStep, Visit};
use crate::web::views::{self, IdentityForm, IdentityPage, IdentityTemplate};
use crate::web::AppState;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use std::time::Instant;

const FLOW: FlowName = FlowName::Identifier;

pub fn routes() -> Router<AppState> {
    Router::new().route("/identifier", get(identity_page).post(identity_submit))
}

const IDENTITY: IdentityPage = IdentityPage {
    title: "identifier-title",
    intro: "identifier-intro",
    action: "/identifier",
};

async fn identity_page(visit: Visit) -> Result<Response, WebError> {
    Ctx::first_page(visit, FLOW, |ctx| IdentityTemplate::of(ctx, &IDENTITY))
}

async fn identity_submit(
    visit: Visit,
    Form(form): Form<IdentityForm>,
) -> Result<Response, WebError> {
    let started = Instant::now();
    let ctx = match Ctx::identity(visit, FLOW, &form, &IDENTITY).await? {
        IdentityStep::Again(page) => return Ok(page),
        IdentityStep::Failed(ctx) => *ctx,
        IdentityStep::Proved(ctx, person) => {
            let ctx = *ctx;
            mailing::send_login(ctx.gateway(), &ctx.trail(), &person).await;
            identity::wait_for_floor(ctx.gateway(), identity::FailureKind::Identity, started).await;
            ctx
        }
    };
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
