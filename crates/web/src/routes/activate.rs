//! Activer mon compte (UPHF): identity, choose the secret question, choose
//! the password ([`FlowName::Activate`]'s steps), through the flow's domain
//! calls (`passerelle_domain::flows::activate`). The chosen question and its answer's
//! hash (never the answer) wait in the flow's data cookie until the
//! password is written with them, in one modify.

use crate::error::WebError;
use crate::form::Form;
use crate::identity_step::identity_routes;
use crate::page::Layout;
use crate::recovery_views::{CodesForm, CodesTemplate, ValuesForm};
use crate::step::{Ctx, Visit};
use crate::views::{
    self, IdentityForm, IdentityTemplate, PasswordPageFor, PasswordPost, PasswordTemplate,
    SecretForm, SecretTemplate,
};
use crate::AppState;
use askama::Template;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use passerelle_domain::flow::{FlowName, Link, Step};
use passerelle_domain::flows::activate::{
    self, CodesOutcome, IdentityOutcome, SecretOutcome, ValuesOutcome,
};
use passerelle_domain::flows::{IdentityInput, PendingSecret};
use passerelle_domain::settings::Channel;

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
            "/activate/recovery",
            get(recovery_page).post(recovery_submit),
        )
        .route(
            "/activate/recovery/verify",
            get(codes_page).post(codes_submit),
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
        SecretOutcome::Chosen(pending) => {
            // A site that asks for no recovery value goes on to the
            // password: that step is passed as it stands.
            if activate::asks(ctx.gateway()).is_empty() {
                return ctx.keep(&pending)?.passed(
                    Step::RecoveryData,
                    None,
                    &Link::StepPage(FLOW, Step::NewPassword).path(),
                );
            }
            ctx.keep(&pending)?.passed(
                Step::ChooseSecret,
                None,
                &Link::StepPage(FLOW, Step::RecoveryData).path(),
            )
        }
        SecretOutcome::Again(problems) => {
            let template = question_template(&ctx).refill(&form, problems);
            ctx.again(&template)
        }
        SecretOutcome::NoLonger => Ok(no_longer(ctx)),
    }
}

// ---------------------------------------------------------------- recovery data

#[derive(Template)]
#[template(path = "activate_recovery.html")]
struct RecoveryTemplate {
    page: Layout,
    csrf: String,
    nonce: String,
    ask_mail: bool,
    ask_mobile: bool,
    mail: String,
    mobile: String,
    notice: Option<String>,
}

crate::redraw!(RecoveryTemplate, values: [mail, mobile], notice: notice);

fn recovery_template(ctx: &Ctx) -> RecoveryTemplate {
    let asks = activate::asks(ctx.gateway());
    RecoveryTemplate {
        page: ctx.layout("activate-recovery-title", Step::RecoveryData),
        csrf: ctx.flow.csrf.clone(),
        nonce: ctx.flow.nonce.clone(),
        ask_mail: asks.contains(&Channel::Mail),
        ask_mobile: asks.contains(&Channel::Mobile),
        mail: ctx.page.typed("mail"),
        mobile: ctx.page.typed("mobile"),
        notice: ctx.page.flash.notice.clone(),
    }
}

async fn recovery_page(visit: Visit) -> Result<Response, WebError> {
    let ctx = Ctx::show(visit, FLOW, Step::RecoveryData)?;
    ctx.kept::<PendingSecret>().ok_or(WebError::Step)?;
    if !activate::still_open(ctx.gateway(), &ctx.journey()).await? {
        return Ok(no_longer(ctx));
    }
    let template = recovery_template(&ctx);
    ctx.render(&template)
}

const PASSWORD: &str = "/activate/password";
const CODES: &str = "/activate/recovery/verify";

async fn recovery_submit(visit: Visit, Form(form): Form<ValuesForm>) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::RecoveryData, &form).await?;
    let mut pending: PendingSecret = ctx.kept().ok_or(WebError::Step)?;
    let typed = [
        (Channel::Mail, form.mail.as_str()),
        (Channel::Mobile, form.mobile.as_str()),
    ];
    match activate::request_values(ctx.gateway(), &ctx.journey(), &typed).await? {
        ValuesOutcome::Sent(awaiting) => {
            pending.awaiting = awaiting;
            pending.recovery.clear();
            // Still at this step until the codes come back.
            ctx.keep(&pending)?.passed(Step::ChooseSecret, None, CODES)
        }
        ValuesOutcome::NoneGiven => {
            pending.awaiting.clear();
            pending.recovery.clear();
            ctx.keep(&pending)?
                .passed(Step::RecoveryData, None, PASSWORD)
        }
        ValuesOutcome::Again(problems) => {
            let mut template = recovery_template(&ctx);
            template.mail = form.mail.trim().chars().take(256).collect();
            template.mobile = form.mobile.trim().chars().take(64).collect();
            template.page = views::with_problems(template.page, problems);
            ctx.again(&template)
        }
        ValuesOutcome::NotSent(_) => {
            let mut template = recovery_template(&ctx);
            template.mail = form.mail.trim().chars().take(256).collect();
            template.mobile = form.mobile.trim().chars().take(64).collect();
            template.notice = Some(ctx.page.t_with(
                "recovery-not-sent",
                &[("contact", &ctx.page.settings.site.help_contact)],
            ));
            ctx.again(&template)
        }
        ValuesOutcome::NoLonger => Ok(no_longer(ctx)),
    }
}

fn codes_template(ctx: &Ctx, pending: &PendingSecret) -> CodesTemplate {
    CodesTemplate::new(
        ctx,
        ctx.layout("recovery-verify-title", Step::RecoveryData),
        CODES,
        &pending.awaiting,
    )
}

async fn codes_page(visit: Visit) -> Result<Response, WebError> {
    let ctx = Ctx::show(visit, FLOW, Step::RecoveryData)?;
    let pending: PendingSecret = ctx.kept().ok_or(WebError::Step)?;
    if pending.awaiting.is_empty() {
        return Err(WebError::Step);
    }
    let template = codes_template(&ctx, &pending);
    ctx.render(&template)
}

async fn codes_submit(visit: Visit, Form(form): Form<CodesForm>) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::RecoveryData, &form).await?;
    let mut pending: PendingSecret = ctx.kept().ok_or(WebError::Step)?;
    let codes: Vec<_> = pending
        .awaiting
        .iter()
        .map(|value| (value.channel, form.code(value.channel)))
        .collect();
    let awaiting = pending.awaiting.clone();
    match activate::verify_values(ctx.gateway(), &ctx.journey(), &awaiting, &codes).await? {
        CodesOutcome::Verified(values) => {
            pending.recovery = values;
            pending.awaiting.clear();
            ctx.keep(&pending)?
                .passed(Step::RecoveryData, None, PASSWORD)
        }
        CodesOutcome::Again(problems) => {
            let mut template = codes_template(&ctx, &pending);
            template.page = views::with_problems(template.page, problems);
            ctx.again(&template)
        }
        CodesOutcome::Restart => {
            pending.awaiting.clear();
            let mut template = recovery_template(&ctx);
            template.notice = Some(ctx.page.t("recovery-restart"));
            ctx.keep(&pending)?
                .again_at(&template, "/activate/recovery")
        }
        CodesOutcome::Locked => {
            let message = views::one_paragraph(
                &ctx.page,
                "locked-title",
                "recovery-locked",
                ("/", "error-back-home"),
            );
            Ok(ctx.end(message))
        }
        CodesOutcome::NoLonger => Ok(no_longer(ctx)),
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
