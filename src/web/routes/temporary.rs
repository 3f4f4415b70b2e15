//! Mot de passe provisoire (the CAF and Ecolesoft flows): an e-mail address
//! or an identifier (the family number for Ecolesoft: any configured
//! identifier attribute) + captcha, then always the same page. Off the
//! request path, for a person who matched: a random temporary password is
//! written through the one atomic write with `pwdReset: TRUE` and its
//! expiry on the entry, and mailed with a link to `/change`, where the
//! person logs in with it and must choose their own.
//!
//! While a temporary password is pending, Wi-Fi accepts nothing: the write
//! removes `sambaNTPassword` (see [`WriteKind::Temporary`]), so a password
//! that travelled by mail never becomes a Wi-Fi password that outlives the
//! forced change. A new request replaces the temporary password, but not
//! within `flows.code_resend_seconds` of the previous one, so a flood of
//! requests cannot fill a mailbox (per address: the usual POST limit).

use super::code::{captcha_settings, mail_target, seconds, validity_text};
use super::recover::person_context;
use crate::captcha::{self, web::CaptchaField};
use crate::directory::WriteKind;
use crate::mail::{MailKind, OutgoingMail};
use crate::policy;
use crate::temporary_password;
use crate::web::audit;
use crate::web::client::ClientInfo;
use crate::web::error::WebError;
use crate::web::flow_state::{self, FlowName, FlowState};
use crate::web::form::Form;
use crate::web::page::{render, Layout, Page};
use crate::web::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use axum_extra::extract::cookie::PrivateCookieJar;
use chrono::Utc;
use serde::Deserialize;
use std::time::Duration;

const FLOW: FlowName = FlowName::Temporary;

pub fn routes() -> Router<AppState> {
    Router::new().route("/temporary", get(request_page).post(request_submit))
}

fn enabled(state: &AppState) -> Result<(), WebError> {
    if state.settings.flows.temporary {
        Ok(())
    } else {
        Err(WebError::NotFound)
    }
}

fn secure(state: &AppState) -> bool {
    state.settings.server.secure_cookies
}

fn inactivity(state: &AppState) -> u64 {
    state.settings.server.inactivity_seconds
}

/// The request's work, off the request path: find the person, check the
/// account's limits, write a fresh temporary password and mail it. Every
/// outcome leaves one audit line; none reaches the person.
async fn issue_temporary(
    state: AppState,
    typed: String,
    lang: policy::Lang,
    client: ClientInfo,
    flow_id: String,
) {
    let event = |outcome: &str, account: Option<&str>| {
        audit::event(
            FLOW.as_str(),
            "send_temporary",
            outcome,
            account,
            &flow_id,
            &client,
        );
    };
    let now = Utc::now();
    let (person, to) = match mail_target(&state, &typed, now).await {
        Ok(target) => target,
        Err((reason, account)) => return event(reason, account.as_deref()),
    };
    let account = Some(person.login.as_str());
    let flows = &state.settings.flows;
    let password = temporary_password::generate_for(
        &state.policy,
        &state.settings.policy,
        flows.temporary_length,
        &person_context(&person),
    );
    let expires = now + seconds(flows.temporary_validity_seconds);
    if let Err(error) = state
        .directory
        .write_password(&person, &password, WriteKind::Temporary { expires })
        .await
    {
        tracing::warn!(%error, "writing a temporary password failed");
        return event("write_refused", account);
    }
    let change_url = format!(
        "{}/change",
        state.settings.server.public_url.trim_end_matches('/')
    );
    state.mailer.send(
        OutgoingMail::new(
            to,
            lang,
            MailKind::TemporaryPassword {
                login: person.login.clone(),
                password,
                valid_for: Duration::from_secs(flows.temporary_validity_seconds),
                change_url,
            },
        )
        .with_name(person.display_name.clone()),
    );
    event("temporary_password_mailed", account);
}

#[derive(Template)]
#[template(path = "temporary_request.html")]
struct RequestTemplate {
    page: Layout,
    csrf: String,
    nonce: String,
    identifier: String,
    captcha: Option<CaptchaField>,
}

fn request_template(state: &AppState, page: &Page, flow: &FlowState) -> RequestTemplate {
    RequestTemplate {
        page: page.layout("temporary-title"),
        csrf: flow.csrf.clone(),
        nonce: flow.nonce.clone(),
        identifier: String::new(),
        captcha: CaptchaField::for_slot(
            FLOW.as_str(),
            "/temporary",
            &flow.captcha,
            &state.captcha_key,
        ),
    }
}

pub async fn request_page(
    State(state): State<AppState>,
    page: Page,
    jar: PrivateCookieJar,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let mut flow = FlowState::start(FLOW);
    flow.captcha = captcha::web::start(&captcha_settings(&state));
    let jar = flow.save(jar, secure(&state), inactivity(&state))?;
    Ok((jar, render(&request_template(&state, &page, &flow))).into_response())
}

#[derive(Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    nonce: String,
    identifier: String,
    #[serde(default)]
    captcha: String,
}

#[derive(Template)]
#[template(path = "temporary_sent.html")]
struct SentTemplate {
    page: Layout,
    sent: String,
    advice: String,
    change_link: bool,
}

pub async fn request_submit(
    State(state): State<AppState>,
    page: Page,
    client: ClientInfo,
    jar: PrivateCookieJar,
    Form(form): Form<RequestForm>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let mut flow = flow_state::accept_step(
        &state,
        &jar,
        FLOW,
        0,
        "request",
        &form.csrf,
        &form.nonce,
        &client,
    )?;
    let typed: String = form.identifier.trim().chars().take(256).collect();

    // The captcha first: a robot that fails it learns nothing else.
    let captcha_check = captcha::web::check(
        &mut flow.captcha,
        &state.captcha_key,
        &captcha_settings(&state),
        Some(&form.captcha),
    );
    let mut errors = Vec::new();
    if !captcha_check.allows() {
        errors.push((Some("captcha"), captcha::web::failed_message(page.lang)));
    } else if typed.is_empty() {
        errors.push((Some("identifier"), page.t("temporary-identifier-missing")));
    }
    if !errors.is_empty() {
        audit::event(
            FLOW.as_str(),
            "request",
            "form_refused",
            None,
            &flow.id,
            &client,
        );
        let mut template = request_template(&state, &page, &flow);
        for (field, message) in errors {
            template.page = template.page.with_error(field, message);
        }
        template.identifier = typed;
        let jar = flow.save(jar, secure(&state), inactivity(&state))?;
        return Ok((jar, render(&template)).into_response());
    }

    audit::event(
        FLOW.as_str(),
        "request",
        "submitted",
        None,
        &flow.id,
        &client,
    );
    tokio::spawn(issue_temporary(
        state.clone(),
        typed,
        page.lang,
        client.clone(),
        flow.id.clone(),
    ));
    let jar = FlowState::end(FLOW, jar, secure(&state));
    let template = SentTemplate {
        page: page.layout("temporary-sent-title"),
        sent: page.t("temporary-sent"),
        advice: page.t_with(
            "temporary-sent-advice",
            &[(
                "validity",
                &validity_text(&page, state.settings.flows.temporary_validity_seconds),
            )],
        ),
        change_link: state.settings.flows.account,
    };
    Ok((jar, render(&template)).into_response())
}
