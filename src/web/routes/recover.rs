//! Récupérer mon mot de passe (UPHF Sésame): identity, question, new
//! password ([`FlowName::Recover`]'s steps). Each handler reads its form,
//! calls its domain step and shows the outcome; the confirmation mail
//! leaves with the write.

use crate::flows::Who;
use crate::flows::{new_password, question, FlowName, Step};
use crate::web::error::WebError;
use crate::web::form::Form;
use crate::web::page::{Layout, Page};
use crate::web::step::{Chosen, Ctx, IdentityStep, Visit};
use crate::web::views::{
    self, IdentityForm, IdentityPage, IdentityTemplate, NewPasswordForm, PasswordPageFor,
    PasswordTemplate,
};
use crate::web::AppState;
use askama::Template;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

const FLOW: FlowName = FlowName::Recover;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/recover/done", get(done_page))
        .route("/recover", get(identity_page).post(identity_submit))
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

const IDENTITY: IdentityPage = IdentityPage {
    title: "recover-title",
    intro: "recover-intro",
    action: "/recover",
};

async fn identity_page(visit: Visit) -> Result<Response, WebError> {
    Ctx::first_page(visit, FLOW, |ctx| IdentityTemplate::of(ctx, &IDENTITY))
}

async fn identity_submit(
    visit: Visit,
    Form(form): Form<IdentityForm>,
) -> Result<Response, WebError> {
    match Ctx::identity(visit, FLOW, &form, &IDENTITY).await? {
        IdentityStep::Again(page) => Ok(page),
        IdentityStep::Failed(ctx) => ctx.identity_failed(&IDENTITY, &form),
        IdentityStep::Proved(ctx, person) => {
            let ctx = *ctx;
            let trail = ctx.trail();
            if !has_question(&person) {
                trail.event("identity", "no_question", Who::Person(&person));
                let page = no_question_page(&ctx.page);
                return Ok(ctx.end(page));
            }
            trail.event("identity", "proved", Who::Person(&person));
            ctx.passed(Step::Identity, Some(&person), "/recover/question")
        }
    }
}

fn has_question(person: &crate::directory::Person) -> bool {
    person.state.question.is_some() && person.state.answer_hash.is_some()
}

fn no_question_page(page: &Page) -> views::Message {
    let activation = page.settings.flows.activate && crate::web::page::is_mounted("activate");
    let mut paragraphs = vec![page.t("no-question-text")];
    let link = if activation {
        Some(("/activate", page.t("nav-activate")))
    } else {
        paragraphs.push(page.t_with(
            "no-question-contact",
            &[("contact", &page.settings.site.help_contact)],
        ));
        None
    };
    views::message(page, "no-question-title", paragraphs, link)
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

async fn password_submit(
    visit: Visit,
    Form(form): Form<NewPasswordForm>,
) -> Result<Response, WebError> {
    let mut ctx = Ctx::accept(visit, FLOW, Step::NewPassword, &form).await?;
    let person = ctx.person().await?;
    let trail = ctx.trail();
    if !new_password::still_as_proved(&trail, &person, ctx.flow.password_changed.as_deref()) {
        return Err(WebError::Step);
    }
    if let Some(until) = new_password::locked(ctx.gateway(), &trail, &person) {
        let page = views::locked_page(&ctx.page, until);
        return Ok(ctx.end(page));
    }
    match ctx
        .choose_password(&person, &form, password_template, Vec::new())
        .await?
    {
        Chosen::Written => ctx.done(Step::NewPassword),
        Chosen::Again(template) => ctx.again(template.as_ref()),
    }
}
crate::step_form!(AnswerForm);
crate::redraw!(QuestionTemplate);

async fn done_page(visit: Visit) -> Result<Response, WebError> {
    Ctx::done_page(visit, FLOW, |ctx| {
        views::success_page(&ctx.state, &ctx.page, "success-title", ctx.flow.replica_lag)
    })
    .await
}
