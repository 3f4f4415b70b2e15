//! Gérer mon compte (UPHF): sign in, then change the password or the
//! secret question ([`FlowName::Account`]'s steps). The session lives in
//! the flow cookie (signed in = the sign-in step passed; the inactivity
//! timeout applies) and never holds the password. Every page reads the
//! entry again and ends the session if the password changed since the
//! sign-in (changed elsewhere, or an old cookie replayed).

use crate::directory::{BindProof, Person};
use crate::flows::Who;
use crate::flows::{secret, FlowName, Step};
use crate::web::error::WebError;
use crate::web::form::Form;
use crate::web::page::Layout;
use crate::web::shared_steps::SignInStep;
use crate::web::step::{Ctx, Visit};
use crate::web::views::{
    self, LoginForm, LoginTemplate, PasswordPageFor, PasswordPost, PasswordTemplate, SecretForm,
    SecretTemplate,
};
use crate::web::AppState;
use askama::Template;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

const FLOW: FlowName = FlowName::Account;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account/done", get(done_page))
        .route("/account", get(login_page).post(login_submit))
        .route("/account/menu", get(menu_page))
        .route(
            "/account/password",
            get(password_page).post(password_submit),
        )
        .route(
            "/account/question",
            get(question_page).post(question_submit),
        )
        .route("/account/logout", get(logout))
}

// ---------------------------------------------------------------- sign-in

fn login_template(ctx: &Ctx) -> LoginTemplate {
    LoginTemplate::new(
        ctx,
        ctx.page.layout("account-title"),
        ctx.page.t("account-intro"),
        "/account",
    )
}

async fn login_page(visit: Visit) -> Result<Response, WebError> {
    Ctx::first_page(visit, FLOW, login_template)
}

async fn login_submit(visit: Visit, Form(form): Form<LoginForm>) -> Result<Response, WebError> {
    let (ctx, person, proof) = match Ctx::sign_in(visit, FLOW, &form, login_template).await? {
        SignInStep::Again(page) => return Ok(page),
        SignInStep::Proved {
            ctx, person, proof, ..
        } => (*ctx, person, proof),
    };
    let trail = ctx.trail();
    if proof == BindProof::MustChange {
        // A temporary password opens only the forced change.
        trail.event("login", "temporary_password", Who::Person(&person));
        let page = views::message(
            &ctx.page,
            "account-title",
            vec![ctx.page.t("account-temporary")],
            Some(("/change", ctx.page.t("account-temporary-link"))),
        );
        return Ok(ctx.end(page));
    }
    trail.event("login", "signed_in", Who::Person(&person));
    ctx.passed(Step::SignIn, Some(&person), "/account/menu")
}

// ---------------------------------------------------------------- session

/// The signed-in person, read afresh. The session ends (as expired) when
/// the entry is gone or its password changed since the sign-in.
async fn signed_in(ctx: &Ctx) -> Result<Person, WebError> {
    let person = ctx.person().await.map_err(|_| WebError::Expired)?;
    if person.pwd_changed_time != ctx.flow.password_changed {
        return Err(WebError::Expired);
    }
    Ok(person)
}

/// A session page: signed in, and the person read afresh.
async fn session(visit: Visit, step: Step) -> Result<(Ctx, Person), WebError> {
    let ctx = Ctx::show(visit, FLOW, step)?;
    let person = signed_in(&ctx).await?;
    Ok((ctx, person))
}

#[derive(Template)]
#[template(path = "account_menu.html")]
struct MenuTemplate {
    page: Layout,
    login: String,
}

async fn menu_page(visit: Visit) -> Result<Response, WebError> {
    let (ctx, person) = session(visit, Step::NewPassword).await?;
    let menu = MenuTemplate {
        page: ctx.page.layout("account-menu-title"),
        login: person.login,
    };
    // Any page view counts as activity for the inactivity timeout.
    let mut ctx = ctx;
    ctx.flow = ctx.flow.again();
    ctx.render(&menu)
}

async fn logout(visit: Visit) -> Result<Response, WebError> {
    // Signed in or not (an expired session), the page says signed out.
    let server = &visit.state.settings.server;
    let session = crate::web::flow_state::FlowState::load(
        &visit.jar,
        FLOW,
        server.secure_cookies,
        server.inactivity_seconds,
    );
    let mut ctx = Ctx::start(visit, FLOW)?;
    if let Ok(session) = session {
        ctx.flow = session;
        ctx.trail().event(
            "logout",
            "signed_out",
            ctx.flow.dn.as_deref().map_or(Who::Nobody, Who::Dn),
        );
    }
    let page = views::message(
        &ctx.page,
        "account-logged-out-title",
        vec![ctx.page.t("account-logged-out")],
        Some(("/", ctx.page.t("error-back-home"))),
    );
    Ok(ctx.end(page))
}

// ---------------------------------------------------------------- password

fn password_template(ctx: &Ctx, whose: PasswordPageFor<'_>) -> PasswordTemplate {
    PasswordTemplate::new(
        &ctx.state,
        &ctx.page,
        ctx.page.layout("account-password-title"),
        "/account/password",
        whose,
    )
}

async fn password_page(visit: Visit) -> Result<Response, WebError> {
    let (ctx, _) = session(visit, Step::NewPassword).await?;
    ctx.password_page(password_template).await
}

async fn password_submit(visit: Visit, Form(form): PasswordPost) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::NewPassword, &form).await?;
    let person = signed_in(&ctx).await?;
    // The session holds no password, so "different from the current one"
    // is left to the directory, whose history check covers the current
    // password too (refused as "in history", explained).
    ctx.finish_password(&person, &form, password_template, Vec::new())
        .await
}

// ---------------------------------------------------------------- question

fn question_template(ctx: &Ctx) -> SecretTemplate {
    SecretTemplate::new(
        ctx,
        ctx.page.layout("account-question-title"),
        "/account/question",
    )
}

async fn question_page(visit: Visit) -> Result<Response, WebError> {
    let (ctx, _) = session(visit, Step::ChooseSecret).await?;
    let template = question_template(&ctx);
    ctx.render(&template)
}

async fn question_submit(visit: Visit, Form(form): Form<SecretForm>) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::ChooseSecret, &form).await?;
    let person = signed_in(&ctx).await?;
    let trail = ctx.trail();
    let (question, answer) =
        match secret::choose(ctx.gateway(), ctx.page.lang, &person, &form.choice()) {
            Ok(chosen) => chosen,
            Err(problems) => {
                trail.event("question", "form_refused", Who::Person(&person));
                let template = question_template(&ctx).refill(&form, problems);
                return ctx.again(&template);
            }
        };
    let hash = ctx.state.answers.hash(&answer).await?;
    ctx.state
        .directory
        .set_secret(&person, &question, &hash)
        .await?;
    trail.event("question", "question_changed", Who::Person(&person));
    let done = views::one_paragraph(
        &ctx.page,
        "account-question-done-title",
        "account-question-done",
        ("/account/menu", "account-back"),
    );
    ctx.tell(done)
}

async fn done_page(visit: Visit) -> Result<Response, WebError> {
    Ctx::done_page(visit, FLOW, |ctx| {
        views::success_page(&ctx.state, &ctx.page, "success-title", ctx.flow.replica_lag)
    })
    .await
}
