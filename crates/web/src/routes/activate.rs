//! Activer mon compte (UPHF): identity, choose the secret question, choose
//! the password ([`FlowName::Activate`]'s steps), through the flow's domain
//! calls (`passerelle_domain::flows::activate`). The chosen question and its answer's
//! hash (never the answer) wait in the flow's data cookie until the
//! password is written with them, in one modify.

use crate::error::WebError;
use crate::form::Form;
use crate::identity_step::identity_routes;
use crate::step::{Ctx, Visit};
use crate::views::{
    self, IdentityForm, IdentityTemplate, PasswordPageFor, PasswordPost, PasswordTemplate,
    SecretForm, SecretTemplate,
};
use crate::AppState;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use passerelle_domain::flow::{FlowName, Link, Step};
use passerelle_domain::flows::activate::{self, IdentityOutcome, SecretOutcome};
use passerelle_domain::flows::{IdentityInput, PendingSecret};

const FLOW: FlowName = FlowName::Activate;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/activate/done", get(done_page))
        .route("/activate", identity_routes(FLOW, identity_submit))
        .route(
            "/activate/question",
            get(question_page).post(question_submit),
        )
        .route(
            "/activate/password",
            get(password_page).post(password_submit),
        )
}

// ---------------------------------------------------------------- identity

async fn identity_submit(
    ctx: Ctx,
    input: IdentityInput,
    form: IdentityForm,
) -> Result<Response, WebError> {
    match activate::identity(ctx.gateway(), &ctx.journey(), &input).await? {
        IdentityOutcome::Proved(proof) => ctx.passed(
            Step::Identity,
            Some(proof),
            &Link::StepPage(FLOW, Step::ChooseSecret).path(),
        ),
        IdentityOutcome::Failed => failed(ctx, &form),
    }
}

/// Every failure points to "Gérer mon compte", where a person whose
/// account is in use chooses a question (so it says nothing of which).
fn failed(ctx: Ctx, form: &IdentityForm) -> Result<Response, WebError> {
    let mut template = IdentityTemplate::of(&ctx).refill(form).failed(&ctx.page);
    template.lock_notice = Some(format!(
        "{} {}",
        template.lock_notice.unwrap_or_default(),
        ctx.page.t("activate-in-use-hint")
    ));
    ctx.again(&template)
}

// ---------------------------------------------------------------- question

fn question_template(ctx: &Ctx) -> SecretTemplate {
    SecretTemplate::new(
        ctx,
        ctx.layout("activate-question-title", Step::ChooseSecret),
        "/activate/question",
    )
}

fn no_longer(ctx: Ctx) -> Response {
    let message = views::one_paragraph(
        &ctx.page,
        "activate-already-title",
        "activate-already-text",
        ("/recover", "activate-already-link"),
    );
    ctx.end(message)
}

async fn question_page(visit: Visit) -> Result<Response, WebError> {
    let ctx = Ctx::show(visit, FLOW, Step::ChooseSecret)?;
    if !activate::still_open(ctx.gateway(), &ctx.journey()).await? {
        return Ok(no_longer(ctx));
    }
    let template = question_template(&ctx);
    ctx.render(&template)
}

async fn question_submit(visit: Visit, Form(form): Form<SecretForm>) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::ChooseSecret, &form).await?;
    match activate::choose_secret(ctx.gateway(), &ctx.journey(), &form.choice()).await? {
        SecretOutcome::Chosen(pending) => ctx.keep(&pending)?.passed(
            Step::ChooseSecret,
            None,
            &Link::StepPage(FLOW, Step::NewPassword).path(),
        ),
        SecretOutcome::Again(problems) => {
            let template = question_template(&ctx).refill(&form, problems);
            ctx.again(&template)
        }
        SecretOutcome::NoLonger => Ok(no_longer(ctx)),
    }
}

// ---------------------------------------------------------------- password

fn password_template(ctx: &Ctx, whose: PasswordPageFor<'_>) -> PasswordTemplate {
    PasswordTemplate::of(ctx, "activate-password-title", "/activate/password", whose)
}

async fn password_page(visit: Visit) -> Result<Response, WebError> {
    let ctx = Ctx::show(visit, FLOW, Step::NewPassword)?;
    ctx.kept::<PendingSecret>().ok_or(WebError::Step)?;
    ctx.password_page(password_template).await
}

async fn password_submit(visit: Visit, Form(form): PasswordPost) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::NewPassword, &form).await?;
    let pending: PendingSecret = ctx.kept().ok_or(WebError::Step)?;
    let outcome = activate::submit_password(
        ctx.gateway(),
        &ctx.journey(),
        &pending,
        &form.new_password(),
    )
    .await?;
    ctx.password_answer(outcome, &form, password_template)
}

async fn done_page(visit: Visit) -> Result<Response, WebError> {
    Ctx::done_page(visit, FLOW, |ctx| {
        views::success_page(ctx, "activate-success-title")
    })
    .await
}
