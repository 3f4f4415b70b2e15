//! Récupérer mon mot de passe (UPHF Sésame): identity, question, new
//! password ([`FlowName::Recover`]'s steps). Each handler reads its form,
//! makes the flow's one domain call (`passerelle_domain::flows::recover`) and shows
//! the outcome.

use crate::error::WebError;
use crate::form::Form;
use crate::identity_step::identity_routes;
use crate::page::{Layout, Page};
use crate::step::{Ctx, Visit};
use crate::views::{self, IdentityForm, PasswordPageFor, PasswordPost, PasswordTemplate};
use crate::AppState;
use askama::Template;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use passerelle_domain::flow::{FlowName, Link, Step};
use passerelle_domain::flows::recover::{self, AnswerOutcome, IdentityOutcome, QuestionPage};
use passerelle_domain::flows::IdentityInput;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

const FLOW: FlowName = FlowName::Recover;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/recover/done", get(done_page))
        .route("/recover", identity_routes(FLOW, identity_submit))
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
async fn identity_submit(
    ctx: Ctx,
    input: IdentityInput,
    form: IdentityForm,
) -> Result<Response, WebError> {
    match recover::identity(ctx.gateway(), &ctx.journey(), &input).await? {
        IdentityOutcome::Proved(proof) => ctx.passed(
            Step::Identity,
            Some(proof),
            &Link::StepPage(FLOW, Step::Question).path(),
        ),
        IdentityOutcome::NoQuestion => {
            let page = no_question_page(&ctx.page);
            Ok(ctx.end(page))
        }
        IdentityOutcome::Failed => ctx.identity_failed(&form),
    }
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

fn question_template(ctx: &Ctx, question: String) -> QuestionTemplate {
    QuestionTemplate {
        page: ctx.layout("question-title", Step::Question),
        question,
        csrf: ctx.flow.csrf.clone(),
        nonce: ctx.flow.nonce.clone(),
    }
}

async fn question_page(visit: Visit) -> Result<Response, WebError> {
    let ctx = Ctx::show(visit, FLOW, Step::Question)?;
    match recover::question_page(ctx.gateway(), &ctx.journey()).await? {
        QuestionPage::Ask { question } => {
            let template = question_template(&ctx, question);
            ctx.render(&template)
        }
        QuestionPage::Locked { until } => {
            let page = views::locked_page(&ctx.page, until);
            Ok(ctx.end(page))
        }
        QuestionPage::NoQuestion => {
            let page = no_question_page(&ctx.page);
            Ok(ctx.end(page))
        }
    }
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
    if form.answer.expose_secret().trim().is_empty() {
        let mut template = question_template(&ctx, String::new());
        template.page = template
            .page
            .with_error(Some("answer"), ctx.page.t("answer-missing"));
        return ctx.again(&template);
    }
    match recover::answer(ctx.gateway(), &ctx.journey(), &form.answer).await? {
        AnswerOutcome::Right(proof) => ctx.passed(
            Step::Question,
            Some(proof),
            &Link::StepPage(FLOW, Step::NewPassword).path(),
        ),
        AnswerOutcome::Locked { until } => {
            let page = views::locked_page(&ctx.page, until);
            Ok(ctx.end(page))
        }
        AnswerOutcome::Stopped => {
            let page = views::stopped_page(&ctx.page);
            Ok(ctx.end(page))
        }
        AnswerOutcome::Wrong { left } => {
            let mut template = question_template(&ctx, String::new());
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
    let ctx = Ctx::accept(visit, FLOW, Step::NewPassword, &form).await?;
    let outcome =
        recover::submit_password(ctx.gateway(), &ctx.journey(), &form.new_password()).await?;
    ctx.password_answer(outcome, &form, password_template)
}
crate::step_form!(AnswerForm);
crate::redraw!(QuestionTemplate);

async fn done_page(visit: Visit) -> Result<Response, WebError> {
    Ctx::done_page(visit, FLOW, |ctx| views::success_page(ctx, "success-title")).await
}
