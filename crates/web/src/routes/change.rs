//! Changer mon mot de passe (`/change`, CAF and Ecolesoft's forced change
//! after a temporary password, also a plain change): sign in, then the new
//! password ([`FlowName::Change`]'s steps), through the flow's domain calls
//! (`passerelle_domain::flows::change`). The current password is typed again with the
//! new one, unless the sign-in spent a temporary password (the domain's
//! `PasswordPage::asks_current`).

use crate::error::WebError;
use crate::form::Form;
use crate::step::{Ctx, Visit};
use crate::views::{
    self, LoginForm, LoginTemplate, PasswordPageFor, PasswordPost, PasswordTemplate,
};
use crate::AppState;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use passerelle_domain::flow::{FlowName, Link, Step};
use passerelle_domain::flows::change::{self, SignInOutcome};

const FLOW: FlowName = FlowName::Change;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/change/done", get(done_page))
        .route("/change", get(login_page).post(login_submit))
        .route("/change/password", get(password_page).post(password_submit))
}

fn expired_page(ctx: Ctx) -> Response {
    let message = views::elsewhere(
        &ctx.page,
        ("change-expired-title", "change-expired-text"),
        FlowName::Temporary,
        ("/temporary", "change-expired-link"),
        "change-expired-contact",
    );
    ctx.end(message)
}

// ---------------------------------------------------------------- sign-in

fn login_template(ctx: &Ctx) -> LoginTemplate {
    LoginTemplate::new(
        ctx,
        ctx.layout("change-title", Step::SignIn),
        ctx.page.t("change-intro"),
        "/change",
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
    match change::sign_in(ctx.gateway(), &ctx.journey(), login, &form.password).await? {
        SignInOutcome::Proved(proof) => ctx.passed(
            Step::SignIn,
            Some(proof),
            &Link::StepPage(FLOW, Step::NewPassword).path(),
        ),
        SignInOutcome::TemporaryExpired => Ok(expired_page(ctx)),
        SignInOutcome::Refused => {
            let template = template.failed(&ctx.page);
            ctx.again(&template)
        }
    }
}

// ---------------------------------------------------------------- password

fn password_template(ctx: &Ctx, whose: PasswordPageFor<'_>) -> PasswordTemplate {
    PasswordTemplate::of(ctx, "change-password-title", "/change/password", whose)
}

async fn password_page(visit: Visit) -> Result<Response, WebError> {
    Ctx::show_password_page(visit, FLOW, password_template).await
}

async fn password_submit(visit: Visit, Form(form): PasswordPost) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::NewPassword, &form).await?;
    let outcome =
        change::submit_password(ctx.gateway(), &ctx.journey(), &form.new_password()).await?;
    ctx.password_answer(outcome, &form, password_template)
}

async fn done_page(visit: Visit) -> Result<Response, WebError> {
    Ctx::done_page(visit, FLOW, |ctx| views::success_page(ctx, "success-title")).await
}
