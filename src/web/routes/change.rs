//! Changer mon mot de passe (`/change`, CAF and Ecolesoft's forced change
//! after a temporary password, also a plain change): sign in, then the new
//! password ([`FlowName::Change`]'s steps). As on the CAF page the current
//! password is typed again with the new one ("Mot de passe actuel /
//! Nouveau mot de passe / Confirmation") and proved again by a new bind,
//! so the cookie never holds it and a stolen cookie alone cannot change
//! anything. A temporary password past its expiry is refused, only once
//! it was proved right (so a stranger learns nothing), with a link to ask
//! for a new one; nothing is written.

use crate::directory::{BindProof, Person};
use crate::flows::Who;
use crate::flows::{sign_in, FlowName, Step};
use crate::web::error::WebError;
use crate::web::form::Form;
use crate::web::shared_steps::{Chosen, SignInStep};
use crate::web::step::{Ctx, Visit};
use crate::web::views::{
    self, LoginForm, LoginTemplate, PasswordPageFor, PasswordPost, PasswordTemplate,
};
use crate::web::AppState;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use secrecy::ExposeSecret;

const FLOW: FlowName = FlowName::Change;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/change/done", get(done_page))
        .route("/change", get(login_page).post(login_submit))
        .route("/change/password", get(password_page).post(password_submit))
}

/// Whether the person's current password is a temporary one past its
/// expiry.
fn temporary_expired(person: &Person) -> bool {
    person
        .state
        .temp_password_expiry
        .is_some_and(|expiry| expiry <= chrono::Utc::now())
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
    let (mut ctx, person, proof, held_temporary) =
        match Ctx::sign_in(visit, FLOW, &form, login_template).await? {
            SignInStep::Again(page) => return Ok(page),
            SignInStep::Proved {
                ctx,
                person,
                proof,
                held_temporary,
            } => (*ctx, person, proof, held_temporary),
        };
    let trail = ctx.trail();
    let account = Who::Person(&person);
    if temporary_expired(&person) {
        trail.event("login", "temporary_password_expired", account);
        return Ok(expired_page(ctx));
    }
    let outcome = match proof {
        BindProof::MustChange => "temporary_password_proved",
        BindProof::Expired => "expired_password_proved",
        _ => "password_proved",
    };
    trail.event("login", outcome, account);
    ctx.flow.by_temporary = held_temporary;
    ctx.passed(Step::SignIn, Some(&person), "/change/password")
}

// ---------------------------------------------------------------- password

fn password_template(ctx: &Ctx, whose: PasswordPageFor<'_>) -> PasswordTemplate {
    let template = PasswordTemplate::of(ctx, "change-password-title", "/change/password", whose);
    if ctx.flow.by_temporary {
        template
    } else {
        template.asking_current()
    }
}

async fn password_page(visit: Visit) -> Result<Response, WebError> {
    Ctx::show_password_page(visit, FLOW, password_template).await
}

async fn password_submit(visit: Visit, Form(form): PasswordPost) -> Result<Response, WebError> {
    let (mut ctx, person) = Ctx::password_post(visit, FLOW, &form).await?;
    let trail = ctx.trail();
    // The current password, proved again by a new bind (not after a held
    // temporary password: that proof was spent at the sign-in, and the
    // cookie that carries it expires with the flow).
    let current = form
        .current
        .as_ref()
        .filter(|c| !c.expose_secret().is_empty());
    let mut proved = None;
    let current_problem = match current {
        _ if ctx.flow.by_temporary => None,
        None => Some(ctx.page.t("change-current-missing")),
        Some(current) => {
            match sign_in::prove_again(ctx.gateway(), &trail, &person, current).await? {
                sign_in::Reproof::Right(attempt) => {
                    proved = Some(attempt);
                    None
                }
                sign_in::Reproof::Wrong => Some(ctx.page.t("change-current-wrong")),
                sign_in::Reproof::Locked => {
                    let page = views::one_paragraph(
                        &ctx.page,
                        "change-title",
                        "account-locked",
                        ("/", "error-back-home"),
                    );
                    return Ok(ctx.end(page));
                }
            }
        }
    };
    if !ctx.flow.by_temporary && temporary_expired(&person) {
        trail.event(
            "password",
            "temporary_password_expired",
            Who::Person(&person),
        );
        if let Some(attempt) = proved {
            attempt.forgive(ctx.gateway(), &person).await?;
        }
        return Ok(expired_page(ctx));
    }
    let problems = current_problem
        .into_iter()
        .map(|p| ("current", p))
        .collect();
    let chosen = ctx
        .choose_password(&person, &form, password_template, problems)
        .await;
    // The write cleared the proof's counted attempt; nothing else does.
    if let Some(attempt) = proved {
        if !matches!(chosen, Ok(Chosen::Written)) {
            attempt.forgive(ctx.gateway(), &person).await?;
        }
    }
    ctx.after_choosing(chosen?)
}

async fn done_page(visit: Visit) -> Result<Response, WebError> {
    Ctx::done_page(visit, FLOW, |ctx| {
        views::success_page(&ctx.state, &ctx.page, "success-title", ctx.flow.replica_lag)
    })
    .await
}
