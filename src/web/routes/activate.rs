//! Activer mon compte (UPHF): identity, choose the secret question, choose
//! the password ([`FlowName::Activate`]'s steps). Only an account never
//! activated qualifies: no secret question yet, and the entry matches
//! `flows.activation_filter` (by default: no password was ever set). Any
//! other account gets the same page as any identity failure, so birth
//! dates never open an account in use; the audit says why.
//!
//! Nothing is written until the end: the chosen question and the argon2id
//! hash of its answer (never the answer) wait in the flow's data cookie.
//! The password is written first, the question second: the question is
//! what marks the account as activated, so should that second write fail,
//! the person can run the activation again; never the reverse.

use crate::directory::Person;
use crate::flows::Who;
use crate::flows::{identity, secret, FlowName, Step};
use crate::web::error::WebError;
use crate::web::form::Form;
use crate::web::identity_step::{identity_routes, Proof};
use crate::web::shared_steps::Chosen;
use crate::web::step::{Ctx, Visit};
use crate::web::views::{
    self, IdentityForm, IdentityTemplate, PasswordPageFor, PasswordPost, PasswordTemplate,
    SecretForm, SecretTemplate,
};
use crate::web::AppState;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::{Deserialize, Serialize};
use std::time::Instant;

const FLOW: FlowName = FlowName::Activate;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/activate/done", get(done_page))
        .route("/activate", identity_routes(FLOW, proved, failed))
        .route(
            "/activate/question",
            get(question_page).post(question_submit),
        )
        .route(
            "/activate/password",
            get(password_page).post(password_submit),
        )
}

/// Whether the account may be activated: never activated by the site's
/// criterion, and no secret question yet.
async fn may_activate(ctx: &Ctx, person: &Person) -> Result<bool, WebError> {
    if person.state.question.is_some() || person.state.answer_hash.is_some() {
        return Ok(false);
    }
    let filter = &ctx.state.settings.flows.activation_filter;
    Ok(ctx
        .state
        .directory
        .entry_matches(&person.dn, filter)
        .await?)
}

// ---------------------------------------------------------------- identity

/// A proof leads to the choice of a question, if the account may be
/// activated; an account in use gets the failure, in the same time.
async fn proved(ctx: Ctx, person: Box<Person>, started: Instant) -> Result<Proof, WebError> {
    let trail = ctx.trail();
    if may_activate(&ctx, &person).await? {
        trail.event("identity", "proved", Who::Person(&person));
        return ctx
            .passed(Step::Identity, Some(&person), "/activate/question")
            .map(Proof::Answer);
    }
    trail.event("identity", "already_active", Who::Person(&person));
    identity::wait_for_floor(ctx.gateway(), identity::FailureKind::Identity, started).await;
    Ok(Proof::LikeFailure(Box::new(ctx)))
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

/// The question and answer hash chosen, until the final write.
#[derive(Serialize, Deserialize)]
struct PendingSecret {
    question: String,
    answer_hash: String,
}

fn question_template(ctx: &Ctx) -> SecretTemplate {
    SecretTemplate::new(
        ctx,
        ctx.layout("activate-question-title", Step::ChooseSecret),
        "/activate/question",
    )
}

/// The person proved, if the account still may be activated; else the
/// flow ends on the generic failure (someone activated it meanwhile).
async fn activatable(ctx: &Ctx) -> Result<Option<Person>, WebError> {
    let person = ctx.person().await?;
    Ok(may_activate(ctx, &person).await?.then_some(person))
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
    if activatable(&ctx).await?.is_none() {
        return Ok(no_longer(ctx));
    }
    let template = question_template(&ctx);
    ctx.render(&template)
}

async fn question_submit(visit: Visit, Form(form): Form<SecretForm>) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::ChooseSecret, &form).await?;
    let Some(person) = activatable(&ctx).await? else {
        return Ok(no_longer(ctx));
    };
    let trail = ctx.trail();
    match secret::choose(ctx.gateway(), ctx.page.lang, &person, &form.choice()) {
        Err(problems) => {
            trail.event("question", "form_refused", Who::Person(&person));
            let template = question_template(&ctx).refill(&form, problems);
            ctx.again(&template)
        }
        Ok((question, answer)) => {
            let answer_hash = ctx.state.answers.hash(&answer).await?;
            trail.event("question", "chosen", Who::Person(&person));
            ctx.keep(&PendingSecret {
                question,
                answer_hash,
            })?
            .passed(Step::ChooseSecret, None, "/activate/password")
        }
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
    let (mut ctx, person) = Ctx::password_post(visit, FLOW, &form).await?;
    let pending: PendingSecret = ctx.kept().ok_or(WebError::Step)?;
    let trail = ctx.trail();
    if !may_activate(&ctx, &person).await? {
        trail.event("password", "already_active", Who::Person(&person));
        return Ok(no_longer(ctx));
    }
    if let Chosen::Again(template) = ctx
        .choose_password(&person, &form, password_template, Vec::new())
        .await?
    {
        return ctx.again(template.as_ref());
    }
    if let Err(error) = ctx
        .state
        .directory
        .set_secret(&person, &pending.question, &pending.answer_hash)
        .await
    {
        tracing::error!(%error, "activation: password written, secret question not");
        trail.event("question", "not_saved", Who::Person(&person));
        let page = views::one_paragraph(
            &ctx.page,
            "error-title",
            "activate-secret-not-saved",
            ("/activate", "activate-title"),
        );
        return Ok(ctx.end(page));
    }
    trail.event("question", "activated", Who::Person(&person));
    ctx.done(Step::NewPassword)
}

async fn done_page(visit: Visit) -> Result<Response, WebError> {
    Ctx::done_page(visit, FLOW, |ctx| {
        views::success_page(
            &ctx.state,
            &ctx.page,
            "activate-success-title",
            ctx.flow.replica_lag,
        )
    })
    .await
}
