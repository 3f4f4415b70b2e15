//! Mot de passe provisoire (CAF, Ecolesoft): an address or identifier +
//! captcha, then always the same page ([`FlowName::Temporary`]'s step).
//! Off the request path, for a person who matched, the temporary password
//! is issued and mailed with a link to `/change` ([`mailing::issue_temporary`]).

use crate::captcha::web::CaptchaField;
use crate::flows::Who;
use crate::flows::{mailing, FlowName, Step};
use crate::web::error::WebError;
use crate::web::form::Form;
use crate::web::page::Layout;
use crate::web::step::{Ctx, Visit};
use crate::web::views::{self, MailRequestForm};
use crate::web::AppState;
use askama::Template;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

const FLOW: FlowName = FlowName::Temporary;

pub fn routes() -> Router<AppState> {
    Router::new().route("/temporary", get(request_page).post(request_submit))
}

#[derive(Template)]
#[template(path = "temporary_request.html")]
struct RequestTemplate {
    page: Layout,
    csrf: String,
    nonce: String,
    identifier: String,
    captcha: Option<CaptchaField>,
}

fn request_template(ctx: &Ctx) -> RequestTemplate {
    RequestTemplate {
        page: ctx.layout("temporary-title", Step::MailRequest),
        csrf: ctx.flow.csrf.clone(),
        nonce: ctx.flow.nonce.clone(),
        identifier: ctx.page.typed("identifier"),
        captcha: ctx.captcha_field("/temporary"),
    }
}

async fn request_page(visit: Visit) -> Result<Response, WebError> {
    Ctx::mail_request_page(visit, FLOW, request_template)
}

async fn request_submit(
    visit: Visit,
    Form(form): Form<MailRequestForm>,
) -> Result<Response, WebError> {
    let mut ctx = Ctx::accept(visit, FLOW, Step::MailRequest, &form).await?;
    let trail = ctx.trail();
    let typed = match ctx.mail_request(
        &form.identifier,
        &form.captcha,
        "temporary-identifier-missing",
    ) {
        Ok(typed) => typed,
        Err(problems) => {
            trail.event("request", "form_refused", Who::Nobody);
            let mut template = request_template(&ctx);
            template.page = views::with_problems(template.page, problems);
            template.identifier = form.identifier.trim().chars().take(256).collect();
            return ctx.again(&template);
        }
    };
    trail.event("request", "submitted", Who::Nobody);
    tokio::spawn(mailing::issue_temporary(
        ctx.gateway().clone(),
        trail,
        typed,
    ));
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

crate::redraw!(RequestTemplate, values: [identifier]);
