//! Changer mon mot de passe (`/change`): the forced change after a
//! temporary password (CAF, Ecolesoft), also usable for a plain change.
//! Identifier + current password, proved by a bind as the person (the
//! answer "must change after reset" is the expected proof of a temporary
//! password); then, as on the CAF page, "Mot de passe actuel / Nouveau mot
//! de passe / Confirmation mot de passe". The current password is typed
//! again there and proved again by a new bind at submit, so the cookie
//! never holds it and a stolen cookie alone cannot change anything. The
//! write is the same atomic modify as every other write; the directory
//! removes `pwdReset` by itself.
//!
//! A temporary password past its expiry (`passerelleTempPasswordExpiry`)
//! is refused at the gateway, only once it was proved right (so a stranger
//! learns nothing), with a link to ask for a new one; nothing is written.
//!
//! This module also holds what the password steps of `/change`, `/account`
//! and `/activate` share: the form check, the write and its audit, the
//! success page.

use super::account::{self, LoginForm, LoginOutcome, LoginTemplate};
use super::recover::{self, PasswordTemplate};
use crate::directory::{BindProof, PasswordWriteError, Person, WriteKind};
use crate::policy::{self, Verdict};
use crate::web::audit;
use crate::web::client::ClientInfo;
use crate::web::error::WebError;
use crate::web::flow_state::{self, FlowName, FlowState};
use crate::web::form::Form;
use crate::web::page::{render, Layout, Page};
use crate::web::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use axum_extra::extract::cookie::PrivateCookieJar;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

const FLOW: FlowName = FlowName::Change;
const TOTAL_STEPS: u32 = 2;
/// The step the cookie records once the current password was proved.
const PROVED: u8 = 1;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/change", get(login_page).post(login_submit))
        .route("/change/password", get(password_page).post(password_submit))
}

/// The forced change is part of the temporary-password flow, and a plain
/// change is part of account management: either enables it.
fn enabled(state: &AppState) -> Result<(), WebError> {
    let flows = &state.settings.flows;
    if flows.temporary || flows.account {
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

fn save(
    state: &AppState,
    jar: PrivateCookieJar,
    flow: &FlowState,
) -> Result<PrivateCookieJar, WebError> {
    flow.save(jar, secure(state), inactivity(state))
}

fn end(state: &AppState, jar: PrivateCookieJar) -> PrivateCookieJar {
    FlowState::end(FLOW, jar, secure(state))
}

// ---------------------------------------------------------------- shared

/// A page of paragraphs and an optional link (`message.html`).
#[derive(Template)]
#[template(path = "message.html")]
pub struct MessageTemplate {
    pub page: Layout,
    pub paragraphs: Vec<String>,
    pub link: Option<(String, String)>,
}

/// The new-password form every flow posts (new password, confirmation,
/// rules checkbox).
#[derive(Deserialize)]
pub struct NewPasswordForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub nonce: String,
    pub password: SecretString,
    pub confirm: SecretString,
    #[serde(default)]
    pub rules: Option<String>,
}

/// The password page (`password.html`, the one of `/recover`) for a flow.
pub fn password_template(
    state: &AppState,
    page: &Page,
    layout: Layout,
    action: &'static str,
    flow: &FlowState,
    person: &Person,
    verdict: Option<&Verdict>,
) -> PasswordTemplate {
    PasswordTemplate {
        page: layout,
        action,
        csrf: flow.csrf.clone(),
        nonce: flow.nonce.clone(),
        rules: recover::rule_views(state, page.lang, verdict),
        rules_json: state
            .policy
            .client_rules_json_for(&recover::person_context(person)),
        texts: policy::checklist_texts(page.lang),
        require_rules_checkbox: state.settings.flows.require_rules_checkbox,
        rules_url: state.settings.site.rules_url.clone(),
        rules_accepted: false,
    }
}

/// The errors of a new password: missing, against the rules (each
/// violation explained), confirmation different, rules not accepted.
pub fn password_errors(
    state: &AppState,
    page: &Page,
    mut layout: Layout,
    password: &SecretString,
    confirm: &SecretString,
    rules_accepted: bool,
    verdict: &Verdict,
) -> Layout {
    if password.expose_secret().is_empty() {
        layout = layout.with_error(Some("password"), page.t("password-missing"));
    } else if !verdict.is_acceptable() {
        for violation in verdict.violations() {
            layout = layout.with_error(Some("password"), policy::explain(&violation, page.lang));
        }
    }
    if password.expose_secret() != confirm.expose_secret() {
        layout = layout.with_error(Some("confirm"), page.t("confirmation-mismatch"));
    }
    if state.settings.flows.require_rules_checkbox && !rules_accepted {
        layout = layout.with_error(Some("rules"), page.t("rules-checkbox-missing"));
    }
    layout
}

/// [`password_errors`] of a [`NewPasswordForm`].
pub fn form_errors(
    state: &AppState,
    page: &Page,
    layout: Layout,
    form: &NewPasswordForm,
    verdict: &Verdict,
) -> Layout {
    password_errors(
        state,
        page,
        layout,
        &form.password,
        &form.confirm,
        form.rules.is_some(),
        verdict,
    )
}

/// Writes the person's chosen password (one atomic modify: userPassword,
/// the Wi-Fi NT hash, the shadow and samba dates, reset state cleared) and
/// audits it. `Ok(None)` when written, `Ok(Some(message))` with the
/// translated reason when the directory's policy refused it.
pub async fn write(
    state: &AppState,
    page: &Page,
    flow_name: FlowName,
    flow: &FlowState,
    person: &Person,
    password: &SecretString,
    client: &ClientInfo,
) -> Result<Option<String>, WebError> {
    let account = Some(person.login.as_str());
    let event = |outcome: &str| {
        audit::event(
            flow_name.as_str(),
            "password",
            outcome,
            account,
            &flow.id,
            client,
        )
    };
    match state
        .directory
        .write_password(person, password, WriteKind::Chosen)
        .await
    {
        Ok(()) => {
            event("changed");
            Ok(None)
        }
        Err(PasswordWriteError::Directory(error)) => {
            event("directory_error");
            Err(error.into())
        }
        Err(error) => {
            tracing::info!(%error, "password refused by the directory");
            event("refused_by_directory");
            Ok(Some(recover::write_refusal(state, page, &error)))
        }
    }
}

#[derive(Template)]
#[template(path = "success.html")]
struct SuccessTemplate {
    page: Layout,
    services: Vec<String>,
    finish_url: String,
}

/// The success page (services that use the new password, "Terminer" to
/// the configured login page), titled by `title_id`.
pub fn success_page(state: &AppState, page: &Page, title_id: &str) -> Response {
    render(&SuccessTemplate {
        page: page.layout(title_id),
        services: state.settings.site.services.clone(),
        finish_url: state
            .settings
            .site
            .login_url
            .clone()
            .unwrap_or_else(|| "/".to_owned()),
    })
}

/// Whether the person's current password is a temporary one past its
/// expiry.
fn temporary_expired(person: &Person) -> bool {
    person
        .state
        .temp_password_expiry
        .is_some_and(|expiry| expiry <= chrono::Utc::now())
}

fn expired_page(state: &AppState, page: &Page) -> Response {
    let temporary = state.settings.flows.temporary && crate::web::page::is_mounted("temporary");
    let mut paragraphs = vec![page.t("change-expired-text")];
    let link = if temporary {
        Some(("/temporary".to_owned(), page.t("change-expired-link")))
    } else {
        paragraphs.push(page.t_with(
            "change-expired-contact",
            &[("contact", &state.settings.site.help_contact)],
        ));
        None
    };
    render(&MessageTemplate {
        page: page.layout("change-expired-title"),
        paragraphs,
        link,
    })
}

fn locked_message(state: &AppState, page: &Page) -> String {
    page.t_with(
        "account-locked",
        &[("contact", &state.settings.site.help_contact)],
    )
}

// ---------------------------------------------------------------- sign-in

fn login_template(page: &Page, flow: &FlowState) -> LoginTemplate {
    LoginTemplate {
        page: page.layout("change-title").with_step(1, TOTAL_STEPS),
        intro: page.t("change-intro"),
        notice: None,
        action: "/change",
        csrf: flow.csrf.clone(),
        nonce: flow.nonce.clone(),
        login: String::new(),
    }
}

pub async fn login_page(
    State(state): State<AppState>,
    page: Page,
    jar: PrivateCookieJar,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let flow = FlowState::start(FLOW);
    let jar = save(&state, jar, &flow)?;
    Ok((jar, render(&login_template(&page, &flow))).into_response())
}

pub async fn login_submit(
    State(state): State<AppState>,
    page: Page,
    client: ClientInfo,
    jar: PrivateCookieJar,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let flow = flow_state::accept_step(
        &state,
        &jar,
        FLOW,
        0,
        "login",
        &form.csrf,
        &form.nonce,
        &client,
    )?;

    let mut template = login_template(&page, &flow).refill(&form);
    if template.check_filled(&page, &form) {
        let jar = save(&state, jar, &flow)?;
        return Ok((jar, render(&template)).into_response());
    }

    match account::prove_login(&state, form.login.trim(), &form.password).await? {
        LoginOutcome::Proved { person, proof } => {
            let account = Some(person.login.as_str());
            if temporary_expired(&person) {
                audit::event(
                    FLOW.as_str(),
                    "login",
                    "temporary_password_expired",
                    account,
                    &flow.id,
                    &client,
                );
                return Ok((end(&state, jar), expired_page(&state, &page)).into_response());
            }
            let outcome = match proof {
                BindProof::MustChange => "temporary_password_proved",
                BindProof::Expired => "expired_password_proved",
                _ => "password_proved",
            };
            audit::event(FLOW.as_str(), "login", outcome, account, &flow.id, &client);
            let mut flow = flow.next(PROVED);
            flow.dn = Some(person.dn.clone());
            flow.password_changed = person.pwd_changed_time.clone();
            let jar = save(&state, jar, &flow)?;
            Ok((jar, Redirect::to("/change/password")).into_response())
        }
        LoginOutcome::Refused { reason, account } => {
            audit::event(
                FLOW.as_str(),
                "login",
                reason,
                account.as_deref(),
                &flow.id,
                &client,
            );
            template.page = template
                .page
                .with_error(Some("login"), page.t("account-login-failed"));
            let jar = save(&state, jar, &flow)?;
            Ok((jar, render(&template)).into_response())
        }
    }
}

// ---------------------------------------------------------------- password

/// `password.html` with the "Mot de passe actuel" field.
#[derive(Template)]
#[template(path = "change_password.html")]
struct ChangeTemplate {
    page: Layout,
    action: &'static str,
    csrf: String,
    nonce: String,
    rules: Vec<recover::RuleView>,
    rules_json: String,
    texts: policy::ChecklistTexts,
    require_rules_checkbox: bool,
    rules_url: Option<String>,
    rules_accepted: bool,
}

fn change_template(
    state: &AppState,
    page: &Page,
    flow: &FlowState,
    person: &Person,
    verdict: Option<&Verdict>,
) -> ChangeTemplate {
    let base = password_template(
        state,
        page,
        page.layout("change-password-title")
            .with_step(2, TOTAL_STEPS),
        "/change/password",
        flow,
        person,
        verdict,
    );
    ChangeTemplate {
        page: base.page,
        action: base.action,
        csrf: base.csrf,
        nonce: base.nonce,
        rules: base.rules,
        rules_json: base.rules_json,
        texts: base.texts,
        require_rules_checkbox: base.require_rules_checkbox,
        rules_url: base.rules_url,
        rules_accepted: base.rules_accepted,
    }
}

/// The person whose password this flow proved, read afresh.
async fn proved_person(state: &AppState, flow: &FlowState) -> Result<Person, WebError> {
    flow.require_step(PROVED)?;
    let dn = flow.dn.as_deref().ok_or(WebError::Step)?;
    state
        .directory
        .read_person(dn)
        .await?
        .ok_or(WebError::Expired)
}

pub async fn password_page(
    State(state): State<AppState>,
    page: Page,
    jar: PrivateCookieJar,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let flow = FlowState::load(&jar, FLOW, secure(&state), inactivity(&state))?;
    let person = proved_person(&state, &flow).await?;
    Ok(render(&change_template(
        &state, &page, &flow, &person, None,
    )))
}

#[derive(Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    nonce: String,
    current: SecretString,
    password: SecretString,
    confirm: SecretString,
    #[serde(default)]
    rules: Option<String>,
}

pub async fn password_submit(
    State(state): State<AppState>,
    page: Page,
    client: ClientInfo,
    jar: PrivateCookieJar,
    Form(form): Form<ChangeForm>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let flow = flow_state::accept_step(
        &state,
        &jar,
        FLOW,
        PROVED,
        "password",
        &form.csrf,
        &form.nonce,
        &client,
    )?;
    let person = proved_person(&state, &flow).await?;
    let account = Some(person.login.as_str());

    // The password changed since it was proved: an old cookie played again
    // (or another flow won); nothing is written.
    if person.pwd_changed_time != flow.password_changed {
        audit::event(
            FLOW.as_str(),
            "password",
            "replayed",
            account,
            &flow.id,
            &client,
        );
        return Err(WebError::Step);
    }

    let context = policy::PersonContext {
        current_password: Some(&form.current),
        ..recover::person_context(&person)
    };
    let verdict = state.policy.check(&form.password, &context);
    let mut template = change_template(&state, &page, &flow, &person, Some(&verdict));
    template.rules_accepted = form.rules.is_some();

    // The current password, proved again by a new bind.
    if form.current.expose_secret().is_empty() {
        template.page = template
            .page
            .with_error(Some("current"), page.t("change-current-missing"));
    } else {
        match state
            .directory
            .verify_password(&person, &form.current)
            .await?
        {
            BindProof::Valid | BindProof::MustChange | BindProof::Expired => {}
            BindProof::Invalid => {
                audit::event(
                    FLOW.as_str(),
                    "password",
                    "wrong_current_password",
                    account,
                    &flow.id,
                    &client,
                );
                template.page = template
                    .page
                    .with_error(Some("current"), page.t("change-current-wrong"));
            }
            BindProof::Locked => {
                audit::event(
                    FLOW.as_str(),
                    "password",
                    "locked",
                    account,
                    &flow.id,
                    &client,
                );
                let message = MessageTemplate {
                    page: page.layout("change-title"),
                    paragraphs: vec![locked_message(&state, &page)],
                    link: Some(("/".to_owned(), page.t("error-back-home"))),
                };
                return Ok((end(&state, jar), render(&message)).into_response());
            }
        }
    }
    if temporary_expired(&person) {
        audit::event(
            FLOW.as_str(),
            "password",
            "temporary_password_expired",
            account,
            &flow.id,
            &client,
        );
        return Ok((end(&state, jar), expired_page(&state, &page)).into_response());
    }
    template.page = password_errors(
        &state,
        &page,
        template.page,
        &form.password,
        &form.confirm,
        form.rules.is_some(),
        &verdict,
    );
    if !template.page.errors.is_empty() {
        audit::event(
            FLOW.as_str(),
            "password",
            "form_refused",
            account,
            &flow.id,
            &client,
        );
        let jar = save(&state, jar, &flow)?;
        return Ok((jar, render(&template)).into_response());
    }

    match write(&state, &page, FLOW, &flow, &person, &form.password, &client).await? {
        None => {
            recover::send_confirmation(&state, &page, &person, &client);
            Ok((
                end(&state, jar),
                success_page(&state, &page, "success-title"),
            )
                .into_response())
        }
        Some(refusal) => {
            template.page = template.page.with_error(Some("password"), refusal);
            let jar = save(&state, jar, &flow)?;
            Ok((jar, render(&template)).into_response())
        }
    }
}
