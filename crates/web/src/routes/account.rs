//! Gérer mon compte (UPHF): sign in, then change the password or the
//! secret question ([`FlowName::Account`]'s steps), through the flow's
//! domain calls (`passerelle_domain::flows::account`). The session lives in the flow
//! cookie (signed in = the sign-in step passed; the inactivity timeout
//! applies) and never holds the password; every page asks the domain
//! whether it still holds.

use crate::error::WebError;
use crate::form::Form;
use crate::page::Layout;
use crate::step::{Ctx, Visit};
use crate::views::{
    self, LoginForm, LoginTemplate, PasswordPageFor, PasswordPost, PasswordTemplate, SecretForm,
    SecretTemplate,
};
use crate::AppState;
use askama::Template;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use passerelle_domain::flow::{FlowName, Link, Step};
use passerelle_domain::flows::account::{self, QuestionOutcome, Session, SignInOutcome};

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
    let (ctx, template) = match Ctx::read_sign_in(visit, FLOW, &form, login_template).await? {
        Ok(read) => read,
        Err(page) => return Ok(page),
    };
    let login = form.login.trim();
    match account::sign_in(ctx.gateway(), &ctx.journey(), login, &form.password).await? {
        SignInOutcome::SignedIn(proof) => {
            ctx.passed(Step::SignIn, Some(proof), &Link::AccountMenu.path())
        }
        SignInOutcome::TemporaryOnly => {
            // A temporary password opens only the forced change.
            let page = views::message(
                &ctx.page,
                "account-title",
                vec![ctx.page.t("account-temporary")],
                Some(("/change", ctx.page.t("account-temporary-link"))),
            );
            Ok(ctx.end(page))
        }
        SignInOutcome::Refused => {
            let template = template.failed(&ctx.page);
            ctx.again(&template)
        }
    }
}

// ---------------------------------------------------------------- session

/// A session page: signed in, and the session still holding on the entry
/// as it is now (else the flow is over, as expired).
async fn session(visit: Visit, step: Step) -> Result<(Ctx, String), WebError> {
    let ctx = Ctx::show(visit, FLOW, step)?;
    match account::session(ctx.gateway(), &ctx.journey()).await? {
        Session::Open { login } => Ok((ctx, login)),
        Session::Ended => Err(WebError::Expired),
    }
}

#[derive(Template)]
#[template(path = "account_menu.html")]
struct MenuTemplate {
    page: Layout,
    login: String,
}

async fn menu_page(visit: Visit) -> Result<Response, WebError> {
    let (mut ctx, login) = session(visit, Step::NewPassword).await?;
    let menu = MenuTemplate {
        page: ctx.page.layout("account-menu-title"),
        login,
    };
    // Any page view counts as activity for the inactivity timeout.
    ctx.flow = ctx.flow.again();
    ctx.render(&menu)
}

async fn logout(visit: Visit) -> Result<Response, WebError> {
    // Signed in or not (an expired session), the page says signed out.
    let session = crate::flow_state::FlowState::load(
        &visit.jar,
        FLOW,
        visit.state.settings.server.secure_cookies,
        crate::flow_state::Lifetime::of(&visit.state.settings, FLOW),
    );
    let mut ctx = Ctx::start(visit, FLOW)?;
    if let Ok(session) = session {
        ctx.flow = session;
        // Signed out whatever the directory says; a failure is logged.
        if let Err(error) = account::sign_out(ctx.gateway(), &ctx.journey()).await {
            tracing::warn!(%error, "forgiving the sign-in's attempt at sign-out failed");
        }
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
    let outcome =
        account::submit_password(ctx.gateway(), &ctx.journey(), &form.new_password()).await?;
    ctx.password_answer(outcome, &form, password_template)
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
    match account::choose_secret(ctx.gateway(), &ctx.journey(), &form.choice()).await? {
        QuestionOutcome::Changed => {
            let done = views::one_paragraph(
                &ctx.page,
                "account-question-done-title",
                "account-question-done",
                ("/account/menu", "account-back"),
            );
            ctx.tell(done)
        }
        QuestionOutcome::Again(problems) => {
            let template = question_template(&ctx).refill(&form, problems);
            ctx.again(&template)
        }
        QuestionOutcome::Ended => Err(WebError::Expired),
    }
}

async fn done_page(visit: Visit) -> Result<Response, WebError> {
    Ctx::done_page(visit, FLOW, |ctx| views::success_page(ctx, "success-title")).await
}
