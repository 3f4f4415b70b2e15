//! Récupérer mon identifiant (UPHF): identity, then the login by mail
//! ([`FlowName::Identifier`]'s steps). The page never shows the login and
//! says the same thing, in the same time, whether or not somebody matched:
//! the identity check waits for its floor on every outcome here, success
//! included, and the mail leaves off the request path.

use crate::directory::Person;
use crate::flows::{identity, mailing, FlowName};
use crate::web::error::WebError;
use crate::web::identity_step::{identity_routes, Proof};
use crate::web::step::Ctx;
use crate::web::views::{self, IdentityForm};
use crate::web::AppState;
use axum::response::Response;
use axum::Router;
use std::time::Instant;

const FLOW: FlowName = FlowName::Identifier;

pub fn routes() -> Router<AppState> {
    Router::new().route("/identifier", identity_routes(FLOW, proved, sent))
}

/// The login is mailed; the page is the one every failure gets, after
/// the same floor.
async fn proved(ctx: Ctx, person: Box<Person>, started: Instant) -> Result<Proof, WebError> {
    mailing::send_login(ctx.gateway(), &ctx.trail(), &person).await;
    identity::wait_for_floor(ctx.gateway(), identity::FailureKind::Identity, started).await;
    Ok(Proof::LikeFailure(Box::new(ctx)))
}

/// What everyone is told, whoever matched.
fn sent(ctx: Ctx, _: &IdentityForm) -> Result<Response, WebError> {
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
