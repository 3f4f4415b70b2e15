//! Recevoir un code par SMS (issue 21): identity, the way to the code (the
//! masked mobile, or the address), the code, the new password
//! ([`FlowName::Sms`]'s steps), through the flow's domain calls
//! (`passerelle_domain::flows::sms`). What this browser asked for (the way,
//! its mask, when) travels in the flow's data cookie ([`SentClaim`]).

use crate::error::WebError;
use crate::form::Form;
use crate::identity_step::identity_routes;
use crate::page::{Layout, Page};
use crate::step::{Ctx, Visit};
use crate::views::{self, IdentityForm, PasswordPageFor, PasswordPost, PasswordTemplate};
use crate::AppState;
use askama::Template;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use passerelle_domain::flow::{FlowName, Link, Step};
use passerelle_domain::flows::code::{CodeInput, VerifyOutcome};
use passerelle_domain::flows::sms::{self, Channels, IdentityOutcome, SendOutcome, SentClaim};
use passerelle_domain::flows::IdentityInput;
use passerelle_domain::reset_code::ResetCode;
use passerelle_domain::settings::Channel;
use passerelle_domain::sms::Limit;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

const FLOW: FlowName = FlowName::Sms;

const CHANNEL: &str = "/sms/channel";
const VERIFY: &str = "/sms/verify";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sms/done", get(done_page))
        .route("/sms", identity_routes(FLOW, identity_submit))
        .route(CHANNEL, get(channel_page).post(channel_submit))
        .route(VERIFY, get(verify_page).post(verify_submit))
        .route("/sms/resend", post(resend_submit))
        .route("/sms/password", get(password_page).post(password_submit))
}

// ---------------------------------------------------------------- identity

async fn identity_submit(
    ctx: Ctx,
    input: IdentityInput,
    form: IdentityForm,
) -> Result<Response, WebError> {
    match sms::identity(ctx.gateway(), &ctx.journey(), &input).await? {
        IdentityOutcome::Proved(proof) => ctx.passed(Step::Identity, Some(proof), CHANNEL),
        IdentityOutcome::Failed => ctx.identity_failed(&form),
    }
}

// ---------------------------------------------------------------- channel

/// One way to the code, as the page offers it.
struct Way {
    value: &'static str,
    label: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "sms_channel.html")]
struct ChannelTemplate {
    page: Layout,
    csrf: String,
    nonce: String,
    ways: Vec<Way>,
    /// Why the number on file cannot receive a code, for its owner.
    unusable: Option<String>,
    notice: Option<String>,
}

fn channel_template(ctx: &Ctx, channels: &Channels) -> ChannelTemplate {
    let page = &ctx.page;
    let chosen = page.typed("channel");
    let mut ways = Vec::new();
    if let Some(mobile) = &channels.mobile {
        ways.push(Way {
            value: Channel::Mobile.as_str(),
            label: page.t_with("sms-channel-mobile", &[("number", mobile)]),
            checked: chosen.is_empty() || chosen == Channel::Mobile.as_str(),
        });
    }
    if let Some(mail) = &channels.mail {
        ways.push(Way {
            value: Channel::Mail.as_str(),
            label: page.t_with("sms-channel-mail", &[("address", mail)]),
            checked: chosen == Channel::Mail.as_str() || channels.mobile.is_none(),
        });
    }
    ChannelTemplate {
        page: ctx.layout("sms-channel-title", Step::Channel),
        csrf: ctx.flow.csrf.clone(),
        nonce: ctx.flow.nonce.clone(),
        ways,
        unusable: channels.unusable_mobile.map(|code| {
            page.t_with(
                "sms-channel-unusable",
                &[("reason", &page.t(&format!("sms-number-{code}")))],
            )
        }),
        notice: page.flash.notice.clone(),
    }
}

/// Nothing to send a code to: the owner is told what to do.
fn no_channel_page(page: &Page) -> views::Message {
    views::one_paragraph(
        page,
        "sms-no-channel-title",
        "sms-no-channel",
        ("/", "error-back-home"),
    )
}

async fn channel_page(visit: Visit) -> Result<Response, WebError> {
    let ctx = Ctx::show(visit, FLOW, Step::Channel)?;
    let channels = sms::channels(ctx.gateway(), &ctx.journey()).await?;
    if channels.is_empty() {
        let mut page = no_channel_page(&ctx.page);
        if let Some(code) = channels.unusable_mobile {
            page.paragraphs.insert(
                0,
                ctx.page.t_with(
                    "sms-channel-unusable",
                    &[("reason", &ctx.page.t(&format!("sms-number-{code}")))],
                ),
            );
        }
        return Ok(ctx.end(page));
    }
    let template = channel_template(&ctx, &channels);
    ctx.render(&template)
}

#[derive(Deserialize)]
struct ChannelForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    nonce: String,
    #[serde(default)]
    channel: String,
}

/// What a refused send says, and whether the person may try again here.
fn not_sent_notice(page: &Page, outcome: &SendOutcome) -> Option<String> {
    let contact = &page.settings.site.help_contact;
    Some(match outcome {
        SendOutcome::Limited(Limit::Address) => page.t("sms-limit-address"),
        SendOutcome::Limited(Limit::Ceiling) => page.t("sms-limit-ceiling"),
        SendOutcome::TooSoon { wait } => {
            page.t_with("code-resend-wait", &[("seconds", &wait.to_string())])
        }
        SendOutcome::DailyCap { until } => page.t_with(
            "sms-daily-cap",
            &[(
                "until",
                &page
                    .settings
                    .site
                    .local_time(until)
                    .format("%H:%M")
                    .to_string(),
            )],
        ),
        SendOutcome::Failed => page.t_with("sms-failed", &[("contact", contact)]),
        SendOutcome::Sent(_) | SendOutcome::NoChannel | SendOutcome::Stopped => return None,
    })
}

async fn channel_submit(visit: Visit, Form(form): Form<ChannelForm>) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::Channel, &form).await?;
    let Some(channel) = Channel::parse(&form.channel) else {
        let channels = sms::channels(ctx.gateway(), &ctx.journey()).await?;
        let mut template = channel_template(&ctx, &channels);
        template.page = template
            .page
            .with_error(Some("channel"), ctx.page.t("sms-channel-missing"));
        return ctx.again(&template);
    };
    let outcome = sms::send(ctx.gateway(), &ctx.journey(), channel).await?;
    match outcome {
        SendOutcome::Sent(claim) => ctx.keep(&claim)?.passed(Step::Channel, None, VERIFY),
        SendOutcome::NoChannel => {
            let page = no_channel_page(&ctx.page);
            Ok(ctx.end(page))
        }
        SendOutcome::Stopped => {
            let page = views::stopped_page(&ctx.page);
            Ok(ctx.end(page))
        }
        other => {
            let channels = sms::channels(ctx.gateway(), &ctx.journey()).await?;
            let mut template = channel_template(&ctx, &channels);
            template.notice = not_sent_notice(&ctx.page, &other);
            ctx.again(&template)
        }
    }
}

// ---------------------------------------------------------------- code

#[derive(Template)]
#[template(path = "sms_verify.html")]
struct VerifyTemplate {
    page: Layout,
    csrf: String,
    nonce: String,
    sent: String,
    notice: Option<String>,
    resend_hint: String,
}

fn verify_template(ctx: &Ctx, claim: Option<&SentClaim>) -> VerifyTemplate {
    let page = &ctx.page;
    let flows = &ctx.state.settings.flows;
    let (sent, wait) = match claim {
        Some(claim) if claim.channel == Channel::Mobile => (
            page.t_with("sms-sent-mobile", &[("number", &claim.masked)]),
            flows.sms_resend_seconds,
        ),
        Some(claim) => (
            page.t_with("sms-sent-mail", &[("address", &claim.masked)]),
            flows.code_resend_seconds,
        ),
        None => (page.t("sms-sent"), flows.sms_resend_seconds),
    };
    VerifyTemplate {
        page: ctx.layout("sms-verify-title", Step::Code),
        csrf: ctx.flow.csrf.clone(),
        nonce: ctx.flow.nonce.clone(),
        sent,
        notice: page.flash.notice.clone(),
        resend_hint: page.t_with("code-resend-hint", &[("seconds", &wait.to_string())]),
    }
}

async fn verify_page(visit: Visit) -> Result<Response, WebError> {
    let ctx = Ctx::show(visit, FLOW, Step::Code)?;
    let claim = ctx.kept::<SentClaim>();
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
}

async fn verify_submit(visit: Visit, Form(form): Form<CodeForm>) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::Code, &form).await?;
    let claim = ctx.kept::<SentClaim>();
    let input = match ResetCode::parse(form.code.expose_secret()) {
        Some(code) => CodeInput::Code(code),
        None => CodeInput::Malformed,
    };
    match sms::verify(ctx.gateway(), &ctx.journey(), input).await? {
        VerifyOutcome::Proved(proof) => ctx.passed(
            Step::Code,
            Some(proof),
            &Link::StepPage(FLOW, Step::NewPassword).path(),
        ),
        VerifyOutcome::NotChecked => {
            let mut template = verify_template(&ctx, claim.as_ref());
            template.page = template
                .page
                .with_error(Some("code"), ctx.page.t("code-malformed"));
            ctx.again(&template)
        }
        VerifyOutcome::Refused => {
            let flows = &ctx.state.settings.flows;
            let mut template = verify_template(&ctx, claim.as_ref());
            template.page = template
                .page
                .with_error(Some("code"), ctx.page.t("code-refused"));
            template.notice = Some(ctx.page.t_with(
                "sms-refused-advice",
                &[
                    ("tries", &flows.code_tries.max(1).to_string()),
                    ("max", &ctx.state.settings.lockout.max_failures.to_string()),
                ],
            ));
            ctx.again(&template)
        }
    }
}

#[derive(Deserialize)]
struct ResendForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    nonce: String,
}

async fn resend_submit(visit: Visit, Form(form): Form<ResendForm>) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::Code, &form).await?;
    let claim = ctx.kept::<SentClaim>().ok_or(WebError::Step)?;
    let outcome = sms::resend(ctx.gateway(), &ctx.journey(), &claim).await?;
    let mut template = verify_template(&ctx, Some(&claim));
    match outcome {
        SendOutcome::Sent(claim) => {
            template.notice = Some(ctx.page.t("code-resent"));
            ctx.keep(&claim)?.again_at(&template, VERIFY)
        }
        SendOutcome::Stopped => {
            let page = views::stopped_page(&ctx.page);
            Ok(ctx.end(page))
        }
        SendOutcome::NoChannel => {
            let page = no_channel_page(&ctx.page);
            Ok(ctx.end(page))
        }
        other => {
            template.notice = not_sent_notice(&ctx.page, &other);
            ctx.again_at(&template, VERIFY)
        }
    }
}

// ---------------------------------------------------------------- password

fn password_template(ctx: &Ctx, whose: PasswordPageFor<'_>) -> PasswordTemplate {
    PasswordTemplate::of(ctx, "sms-password-title", "/sms/password", whose)
}

async fn password_page(visit: Visit) -> Result<Response, WebError> {
    Ctx::show_password_page(visit, FLOW, password_template).await
}

async fn password_submit(visit: Visit, Form(form): PasswordPost) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::NewPassword, &form).await?;
    let outcome = sms::submit_password(ctx.gateway(), &ctx.journey(), &form.new_password()).await?;
    ctx.password_answer(outcome, &form, password_template)
}

async fn done_page(visit: Visit) -> Result<Response, WebError> {
    Ctx::done_page(visit, FLOW, |ctx| views::success_page(ctx, "success-title")).await
}

crate::step_form!(ChannelForm, CodeForm, ResendForm);
crate::redraw!(ChannelTemplate, notice: notice);
crate::redraw!(VerifyTemplate, notice: notice);
