//! Réinitialiser par code (EFP Connect): address + captcha, the 6-digit
//! code received by mail (or the mail's link), the new password
//! ([`FlowName::Code`]'s steps), through the flow's domain calls
//! (`passerelle_domain::flows::code`). The address typed travels in the flow's data
//! cookie ([`CodeClaim`]), so the flow cookie has the same shape for
//! everyone.

use crate::error::WebError;
use crate::form::Form;
use crate::page::{render, Layout, Page};
use crate::shared_steps::as_request;
use crate::step::{Ctx, Visit};
use crate::views::{
    self, MailRequestForm, MailRequestTemplate, PasswordPageFor, PasswordPost, PasswordTemplate,
};
use crate::AppState;
use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use passerelle_captcha::{self as captcha, web::CaptchaField};
use passerelle_domain::flow::{FlowName, Link, Step};
use passerelle_domain::flows::code::{
    self, CodeClaim, CodeInput, LinkOutcome, RequestOutcome, ResendOutcome, VerifyOutcome,
};
use passerelle_domain::reset_code::ResetCode;
use passerelle_domain::settings::Channel;
use passerelle_domain::sms::Limit;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

const FLOW: FlowName = FlowName::Code;

/// The code step's page, where "Renvoyer le code" leads back.
const VERIFY: &str = "/code/verify";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/code/done", get(done_page))
        .route(
            "/code",
            get(|visit: Visit| async move { Ctx::mail_request_page(visit, FLOW) })
                .post(request_submit),
        )
        .route("/code/verify", get(verify_page).post(verify_submit))
        .route("/code/resend", post(resend_submit))
        .route("/code/link/{token}", get(link_page))
        .route("/code/link", post(link_submit))
        .route("/code/password", get(password_page).post(password_submit))
}

// ------------------------------------------------------------------ address

async fn request_submit(
    visit: Visit,
    Form(form): Form<MailRequestForm>,
) -> Result<Response, WebError> {
    let (mut ctx, read) = Ctx::read_mail_request(visit, FLOW, &form).await?;
    let channel = Channel::parse(&form.channel).unwrap_or_default();
    let outcome =
        code::request_by(ctx.gateway(), &ctx.journey(), as_request(&read), channel).await?;
    let claim = match (read, outcome) {
        (Ok(_), RequestOutcome::Issued(claim)) => claim,
        (Err(again), _) => return ctx.again(&again),
        (Ok(_), RequestOutcome::SmsLimited(limit)) => {
            // The same page for everyone: nothing was looked up.
            let mut again = MailRequestTemplate::of(&ctx)?;
            again.identifier = form.identifier.trim().chars().take(256).collect();
            again.channel = channel.as_str().to_owned();
            again.page = again
                .page
                .with_error(Some("channel"), ctx.page.t(sms_limit_text(limit)));
            return ctx.again(&again);
        }
        (Ok(_), RequestOutcome::NotRequested) => return Err(WebError::Step),
    };
    // EFP asks for the captcha at the first step only; a wrong code brings
    // it back.
    ctx.flow.captcha = None;
    ctx.keep(&claim)?.passed(Step::MailRequest, None, VERIFY)
}

// ------------------------------------------------------------------ code

#[derive(Template)]
#[template(path = "code_verify.html")]
struct VerifyTemplate {
    page: Layout,
    csrf: String,
    nonce: String,
    sent: String,
    notice: Option<String>,
    resend_hint: String,
    captcha: Option<CaptchaField>,
}

/// What a refusal of the SMS limits says: the same for everyone.
fn sms_limit_text(limit: Limit) -> &'static str {
    match limit {
        Limit::Address => "sms-limit-address",
        Limit::Ceiling => "sms-limit-ceiling",
    }
}

fn verify_template(ctx: &Ctx, claim: Option<&CodeClaim>) -> VerifyTemplate {
    let page = &ctx.page;
    let flows = &ctx.state.settings.flows;
    let by_sms = claim.is_some_and(|c| c.channel == Channel::Mobile);
    let wait = if by_sms {
        flows.sms_resend_seconds
    } else {
        flows.code_resend_seconds
    };
    VerifyTemplate {
        page: ctx.layout("code-verify-title", Step::Code),
        csrf: ctx.flow.csrf.clone(),
        nonce: ctx.flow.nonce.clone(),
        sent: match claim {
            Some(claim) if by_sms => page.t_with("code-sent-sms", &[("address", &claim.typed)]),
            Some(claim) => page.t_with("code-sent", &[("address", &claim.typed)]),
            None => page.t("code-sent-link"),
        },
        notice: ctx.page.flash.notice.clone(),
        resend_hint: page.t_with("code-resend-hint", &[("seconds", &wait.to_string())]),
        captcha: ctx.captcha_field(VERIFY),
    }
}

async fn verify_page(visit: Visit, uri: axum::http::Uri) -> Result<Response, WebError> {
    let mut ctx = Ctx::show(visit, FLOW, Step::Code)?;
    let claim = ctx.kept::<CodeClaim>();
    if captcha::web::wants_new(uri.query()) {
        let settings = ctx.state.settings.captcha.clone();
        let client = ctx.client.network.to_string();
        let issuer = captcha::Issuer {
            key: &ctx.state.captcha_key,
            client: &client,
        };
        captcha::web::renew(&mut ctx.flow.captcha, &settings, issuer);
    }
    let template = verify_template(&ctx, claim.as_ref());
    ctx.render(&template)
}

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    nonce: String,
    code: SecretString,
    #[serde(default)]
    captcha: String,
}

async fn verify_submit(visit: Visit, Form(form): Form<CodeForm>) -> Result<Response, WebError> {
    let mut ctx = Ctx::accept(visit, FLOW, Step::Code, &form).await?;
    let claim = ctx.kept::<CodeClaim>();
    let settings = ctx.state.settings.captcha.clone();
    let client = ctx.client.network.to_string();
    // A captcha is shown here only after a wrong code; when it is, it is
    // checked before the code, and a failure spends nothing. Every field's
    // problem is shown at once.
    let mut problems = Vec::new();
    let mut captcha_failed = false;
    if ctx.flow.captcha.is_some() {
        let issuer = captcha::Issuer {
            key: &ctx.state.captcha_key,
            client: &client,
        };
        let check = captcha::web::check(
            &mut ctx.flow.captcha,
            issuer,
            &settings,
            Some(&form.captcha),
        );
        ctx.count_captcha(check);
        if !check.allows() {
            captcha_failed = true;
            problems.push(("captcha", captcha::web::failed_message(ctx.page.lang)));
        }
    }
    let code = ResetCode::parse(form.code.expose_secret());
    if code.is_none() {
        problems.push(("code", ctx.page.t("code-malformed")));
    }
    let input = match code {
        _ if captcha_failed => CodeInput::CaptchaFailed,
        Some(code) if problems.is_empty() => CodeInput::Code(code),
        _ => CodeInput::Malformed,
    };
    match code::verify(ctx.gateway(), &ctx.journey(), claim.as_ref(), input).await? {
        VerifyOutcome::Proved(proof) => ctx.passed(
            Step::Code,
            Some(proof),
            &Link::StepPage(FLOW, Step::NewPassword).path(),
        ),
        VerifyOutcome::NotChecked => {
            let mut template = verify_template(&ctx, claim.as_ref());
            template.page = views::with_problems(template.page, problems);
            ctx.again(&template)
        }
        VerifyOutcome::Refused => {
            // From now on this flow asks for the captcha with each code
            // (unless the captcha is off), which slows down guessing.
            let issuer = captcha::Issuer {
                key: &ctx.state.captcha_key,
                client: &client,
            };
            captcha::web::after_failure(&mut ctx.flow.captcha, &settings, issuer);
            let mut template = verify_template(&ctx, claim.as_ref());
            let (message, advice) = refusal_message(&ctx);
            template.page = template.page.with_error(Some("code"), message);
            template.notice = Some(advice);
            ctx.again(&template)
        }
    }
}

fn refusal_message(ctx: &Ctx) -> (String, String) {
    let flows = &ctx.state.settings.flows;
    let page = &ctx.page;
    (
        page.t("code-refused"),
        page.t_with(
            "code-refused-advice",
            &[
                (
                    "validity",
                    &views::validity_text(page, flows.code_validity_seconds),
                ),
                ("tries", &flows.code_tries.max(1).to_string()),
                ("max", &ctx.state.settings.lockout.max_failures.to_string()),
            ],
        ),
    )
}

#[derive(Deserialize)]
struct ResendForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    nonce: String,
}

/// "Renvoyer le code": the page says the same whether or not a new code
/// actually leaves.
async fn resend_submit(visit: Visit, Form(form): Form<ResendForm>) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::Code, &form).await?;
    let claim = ctx.kept::<CodeClaim>();
    let mut template = verify_template(&ctx, claim.as_ref());
    match code::resend(ctx.gateway(), &ctx.journey(), claim.as_ref()).await? {
        ResendOutcome::SmsLimited(limit) => {
            template.notice = Some(ctx.page.t(sms_limit_text(limit)));
            ctx.again_at(&template, VERIFY)
        }
        ResendOutcome::Restart => {
            // Opened from the mail's link: this browser never typed an address.
            template.notice = Some(ctx.page.t("code-resend-restart"));
            ctx.again_at(&template, VERIFY)
        }
        ResendOutcome::TooSoon { wait } => {
            template.notice = Some(
                ctx.page
                    .t_with("code-resend-wait", &[("seconds", &wait.to_string())]),
            );
            ctx.again_at(&template, VERIFY)
        }
        ResendOutcome::Resent(claim) => {
            template.notice = Some(ctx.page.t("code-resent"));
            ctx.keep(&claim)?.again_at(&template, VERIFY)
        }
    }
}

// ------------------------------------------------------------------ link

#[derive(Template)]
#[template(path = "code_link.html")]
struct LinkTemplate {
    page: Layout,
    csrf: String,
    nonce: String,
    token: String,
}

fn link_invalid_page(page: &Page) -> views::Message {
    views::message(
        page,
        "code-link-invalid-title",
        vec![page.t("code-link-invalid")],
        Some(("/code", page.t("code-link-restart"))),
    )
}

/// The mail's link. Mail scanners open links before people do, so this
/// page changes nothing (no try spent, no code cleared): it only starts a
/// flow at the code step and shows a button whose POST checks the code.
async fn link_page(visit: Visit, Path(token): Path<String>) -> Result<Response, WebError> {
    let mut ctx = Ctx::start(visit, FLOW)?;
    if !code::link_is_valid(ctx.gateway(), &token) {
        return Ok(views::show(&ctx.page, link_invalid_page(&ctx.page)));
    }
    ctx.flow = ctx.flow.next(Step::MailRequest);
    let template = LinkTemplate {
        page: ctx.layout("code-link-title", Step::Code),
        csrf: ctx.flow.csrf.clone(),
        nonce: ctx.flow.nonce.clone(),
        token,
    };
    ctx.render(&template)
}

#[derive(Deserialize)]
struct LinkForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    nonce: String,
    token: String,
}

async fn link_submit(visit: Visit, Form(form): Form<LinkForm>) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::Code, &form).await?;
    match code::verify_link(ctx.gateway(), &ctx.journey(), &form.token).await? {
        LinkOutcome::Proved(proof) => ctx.passed(
            Step::Code,
            Some(proof),
            &Link::StepPage(FLOW, Step::NewPassword).path(),
        ),
        LinkOutcome::Invalid => {
            let page = link_invalid_page(&ctx.page);
            Ok(ctx.end(page))
        }
    }
}

// ------------------------------------------------------------------ password

fn password_template(ctx: &Ctx, whose: PasswordPageFor<'_>) -> PasswordTemplate {
    PasswordTemplate::of(ctx, "code-password-title", "/code/password", whose)
}

async fn password_page(visit: Visit) -> Result<Response, WebError> {
    Ctx::show_password_page(visit, FLOW, password_template).await
}

#[derive(Template)]
#[template(path = "code_success.html")]
struct SuccessTemplate {
    page: Layout,
    finish_url: String,
    replica_lag: bool,
    wifi_confirmed: bool,
}

async fn password_submit(visit: Visit, Form(form): PasswordPost) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::NewPassword, &form).await?;
    let outcome =
        code::submit_password(ctx.gateway(), &ctx.journey(), &form.new_password()).await?;
    ctx.password_answer(outcome, &form, password_template)
}
crate::step_form!(CodeForm, ResendForm, LinkForm);
crate::redraw!(VerifyTemplate, notice: notice);

async fn done_page(visit: Visit) -> Result<Response, WebError> {
    Ctx::done_page(visit, FLOW, |ctx| {
        render(&SuccessTemplate {
            page: ctx
                .page
                .layout("code-success-title")
                .with_kind(crate::site_texts::PageKind::Success),
            finish_url: views::finish_url(&ctx.state),
            replica_lag: ctx.flow.replica_lag,
            wifi_confirmed: ctx.flow.wifi_confirmed,
        })
    })
    .await
}
