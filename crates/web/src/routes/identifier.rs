//! Récupérer mon identifiant (UPHF): identity, then the login by mail
//! ([`FlowName::Identifier`]'s steps). The page never shows the login and
//! says the same thing, in the same time, whether or not somebody matched
//! (`passerelle_domain::flows::identifier`).

use crate::error::WebError;
use crate::identity_step::identity_routes;
use crate::step::Ctx;
use crate::views::{self, IdentityForm};
use crate::AppState;
use axum::response::Response;
use axum::Router;
use passerelle_domain::flow::FlowName;
use passerelle_domain::flows::{identifier, IdentityInput};

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
