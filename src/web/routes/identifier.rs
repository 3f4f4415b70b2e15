//! Récupérer mon identifiant (UPHF): identity, then the login by mail
//! ([`FlowName::Identifier`]'s steps). The page never shows the login and
//! says the same thing, in the same time, whether or not somebody matched
//! (`crate::flows::identifier`).

use crate::flows::{identifier, IdentityInput};
use crate::web::error::WebError;
use crate::web::identity_step::identity_routes;
use crate::web::step::Ctx;
use crate::web::views::{self, IdentityForm};
use crate::web::AppState;
use axum::response::Response;
use axum::Router;
use passerelle_domain::flow::FlowName;

const FLOW: FlowName = FlowName::Identifier;

pub fn routes() -> Router<AppState> {
    Router::new().route("/identifier", identity_routes(FLOW, identity_submit))
}

/// What everyone is told, whoever matched.
async fn identity_submit(
    ctx: Ctx,
    input: IdentityInput,
    _: IdentityForm,
) -> Result<Response, WebError> {
    identifier::identity(ctx.gateway(), &ctx.journey(), &input).await?;
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
