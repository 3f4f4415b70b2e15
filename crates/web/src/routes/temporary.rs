//! Mot de passe provisoire (CAF, Ecolesoft): an address or identifier +
//! captcha, then always the same page ([`FlowName::Temporary`]'s step).
//! The temporary password is issued off the request path by the domain
//! (`passerelle_domain::flows::temporary`).

use crate::error::WebError;
use crate::form::Form;
use crate::shared_steps::as_request;
use crate::step::{Ctx, Visit};
use crate::views::{self, MailRequestForm};
use crate::AppState;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use passerelle_domain::flow::FlowName;
use passerelle_domain::flows::temporary;

const FLOW: FlowName = FlowName::Temporary;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/temporary",
        get(|visit: Visit| async move { Ctx::mail_request_page(visit, FLOW) }).post(request_submit),
    )
}

async fn request_submit(
    visit: Visit,
    Form(form): Form<MailRequestForm>,
) -> Result<Response, WebError> {
    let (ctx, read) = Ctx::read_mail_request(visit, FLOW, &form).await?;
    temporary::request(ctx.gateway(), &ctx.journey(), as_request(&read)).await?;
    if let Err(again) = read {
        return ctx.again(&again);
    }
    let page = &ctx.page;
    let validity = views::validity_text(page, page.settings.flows.temporary_validity_seconds);
    // An address typed is the one written to; an identifier (Ecolesoft's
    // family number) is mailed at the address on file. Either way the page
    // depends only on what was typed, never on whether anyone matched.
    let sent = if form.identifier.contains('@') {
        "temporary-sent"
    } else {
        "temporary-sent-on-file"
    };
    let sent = views::Message {
        status: Some(page.t(sent)),
        link: page
            .settings
            .flows
            .account
            .then(|| ("/change".to_owned(), page.t("temporary-sent-change"))),
        home: true,
        kind: Some(crate::site_texts::PageKind::Sent),
        ..views::message(
            page,
            "temporary-sent-title",
            vec![page.t_with("temporary-sent-advice", &[("validity", &validity)])],
            None,
        )
    };
    Ok(ctx.end(sent))
}
