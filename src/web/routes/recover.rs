//! Récupérer mon mot de passe (UPHF Sésame): identity, question, new
//! password ([`FlowName::Recover`]'s steps). Each handler reads its form,
//! calls its domain step and shows the outcome; the confirmation mail
//! leaves with the write.

use crate::directory::Person;
use crate::flows::Who;
use crate::flows::{new_password, question, FlowName, Step};
use crate::web::error::WebError;
use crate::web::form::Form;
use crate::web::identity_step::{identity_routes, Proof};
use crate::web::page::{Layout, Page};
use crate::web::step::{Ctx, Visit};
use crate::web::views::{self, PasswordPageFor, PasswordPost, PasswordTemplate};
use crate::web::AppState;
use askama::Template;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::time::Instant;

const FLOW: FlowName = FlowName::Recover;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/recover/done", get(done_page))
        .route(
            "/recover",
            identity_routes(FLOW, proved, Ctx::identity_failed),
        )
        .route(
            "/recover/question",
            get(question_page).post(question_submit),
        )
        .route(
            "/recover/password",
            get(password_page).post(password_submit),
        )
}

// ---------------------------------------------------------------- identity

/// A proof leads to the question; a person without one is told how to
/// get one.
async fn proved(ctx: Ctx, person: Box<Person>, _: Instant) -> Result<Proof, WebError> {
    let trail = ctx.trail();
    if !has_question(&person) {
        trail.event("identity", "no_question", Who::Person(&person));
        let page = no_question_page(&ctx.page);
        return Ok(Proof::Answer(ctx.end(page)));
    }
    trail.event("identity", "proved", Who::Person(&person));
    ctx.passed(Step::Identity, Some(&person), "/recover/question")
        .map(Proof::Answer)
}

fn has_question(person: &crate::directory::Person) -> bool {
    person.state.question.is_some() && person.state.answer_hash.is_some()
}

fn no_question_page(page: &Page) -> views::Message {
    views::elsewhere(
        page,
        ("no-question-title", "no-question-text"),
        FlowName::Activate,
        ("/activate", "nav-activate"),
        "no-question-contact",
    )
}

// ---------------------------------------------------------------- question

#[derive(Template)]
#[template(path = "question.html")]
struct QuestionTemplate {
    page: Layout,
    question: String,
    csrf: String,
    nonce: String,
}

fn question_template(ctx: &Ctx, person: &crate::directory::Person) -> QuestionTemplate {
    QuestionTemplate {
        page: ctx.layout("question-title", Step::Question),
        question: person.state.question.clone().unwrap_or_default(),
        csrf: ctx.flow.csrf.clone(),
        nonce: ctx.flow.nonce.clone(),
    }
}

async fn question_page(visit: Visit) -> Result<Response, WebError> {
    let ctx = Ctx::show(visit, FLOW, Step::Question)?;
    let person = ctx.person().await?;
    if let crate::directory::LockState::Locked { until } =
        ctx.state
            .directory
            .lock_state(&person, &ctx.state.settings.lockout, chrono::Utc::now())
    {
        let page = views::locked_page(&ctx.page, until);
        return Ok(ctx.end(page));
    }
    if person.state.question.is_none() {
        let page = no_question_page(&ctx.page);
        return Ok(ctx.end(page));
    }
    let template = question_template(&ctx, &person);
    ctx.render(&template)
}

#[derive(Deserialize)]
struct AnswerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    nonce: String,
    answer: SecretString,
}

async fn question_submit(visit: Visit, Form(form): Form<AnswerForm>) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::Question, &form).await?;
    let person = ctx.person().await?;
    if form.answer.expose_secret().trim().is_empty() {
        let mut template = question_template(&ctx, &person);
        template.page = template
            .page
            .with_error(Some("answer"), ctx.page.t("answer-missing"));
        return ctx.again(&template);
    }
    match question::answer(ctx.gateway(), &ctx.trail(), &person, &form.answer).await? {
        question::Answer::Right => ctx.passed(Step::Question, Some(&person), "/recover/password"),
        question::Answer::Locked { until } => {
            let page = views::locked_page(&ctx.page, until);
            Ok(ctx.end(page))
        }
        question::Answer::Wrong { left } => {
            let mut template = question_template(&ctx, &person);
            template.page = template.page.with_error(
                Some("answer"),
                ctx.page
                    .t_with("answer-wrong", &[("left", &left.to_string())]),
            );
            ctx.again(&template)
        }
    }
}

// ---------------------------------------------------------------- password

fn password_template(ctx: &Ctx, whose: PasswordPageFor<'_>) -> PasswordTemplate {
    PasswordTemplate::of(ctx, "password-title", "/recover/password", whose)
}

async fn password_page(visit: Visit) -> Result<Response, WebError> {
    Ctx::show_password_page(visit, FLOW, password_template).await
}

async fn password_submit(visit: Visit, Form(form): PasswordPost) -> Result<Response, WebError> {
    let (ctx, person) = Ctx::password_post(visit, FLOW, &form).await?;
    let trail = ctx.trail();
    if let Some(until) = new_password::locked(ctx.gateway(), &trail, &person) {
        let page = views::locked_page(&ctx.page, until);
        return Ok(ctx.end(page));
    }
    ctx.finish_password(&person, &form, password_template, Vec::new())
        .await
}
crate::step_form!(AnswerForm);
crate::redraw!(QuestionTemplate);

async fn done_page(visit: Visit) -> Result<Response, WebError> {
    Ctx::done_page(visit, FLOW, |ctx| {
        views::success_page(&ctx.state, &ctx.page, "success-title", ctx.flow.replica_lag)
    })
    .await
}
