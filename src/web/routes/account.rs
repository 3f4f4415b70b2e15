//! Gérer mon compte: a person signs in with their login and current
//! password, then changes their password or their secret question.
//!
//! The password is proved by a bind as the person on a connection of its
//! own ([`Directory::verify_password`](crate::directory::Directory)), never
//! through the pool, so failed attempts are counted by ppolicy itself
//! (`pwdFailureTime`, then `pwdAccountLockedTime`), exactly as on every other
//! service of the directory. An unknown login and a wrong password give the
//! same page no earlier than [`identity::FAILURE_FLOOR`]; a locked account
//! is said to be locked, nothing more. [`prove_login`] is shared with the
//! `/change` flow.
//!
//! The account session lives in the flow cookie (step 1 = signed in; the
//! inactivity timeout applies) and never holds the password. Every page of
//! the session reads the entry again and ends the session if the password
//! changed since the sign-in (changed elsewhere, or an old cookie replayed).

use super::activate::{self, SecretForm, SecretTemplate};
use super::change::{self, MessageTemplate, NewPasswordForm};
use super::identity;
use super::recover::{self, PasswordTemplate};
use crate::directory::{BindProof, DirectoryError, Person};
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
use std::time::Instant;

const FLOW: FlowName = FlowName::Account;
/// The step the cookie records once the password was proved.
const SIGNED_IN: u8 = 1;

pub fn routes() -> Router<AppState> {
    Router::new()
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

fn enabled(state: &AppState) -> Result<(), WebError> {
    if state.settings.flows.account {
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

// ---------------------------------------------------------------- sign-in

/// The sign-in form of `/account` and `/change`. `csrf` and `nonce`
/// default to empty so that a form without them is refused as a CSRF
/// failure, not as an unreadable form.
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub nonce: String,
    pub login: String,
    pub password: SecretString,
}

/// How a sign-in ended.
pub enum LoginOutcome {
    /// The password is right: `Valid`, `MustChange` (a temporary password)
    /// or `Expired` (right, but past its age; it still proves who it is).
    Proved {
        person: Box<Person>,
        proof: BindProof,
    },
    /// Unknown login, wrong password or an account ppolicy locked: one
    /// page for all; the reason is for the audit log.
    Refused {
        reason: &'static str,
        account: Option<String>,
    },
}

/// Finds the person a login names: any configured identifier, or, when it
/// is an address and no identifier matched, a recovery address (the CAF
/// agents sign in with their e-mail). An ambiguous value finds nobody.
pub async fn find_by_login(state: &AppState, typed: &str) -> Result<Option<Person>, WebError> {
    let not_ambiguous = |found: Result<Option<Person>, DirectoryError>| match found {
        Ok(person) => Ok(person),
        Err(DirectoryError::Ambiguous) => Ok(None),
        Err(error) => Err(WebError::from(error)),
    };
    let person = not_ambiguous(state.directory.find_person_by_input(typed).await)?;
    if person.is_some() || !typed.contains('@') {
        return Ok(person);
    }
    not_ambiguous(state.directory.find_by_mail(typed).await)
}

/// Proves `password` for the person `login` names, with a bind as them.
/// Every failure is answered no earlier than the identity check's floor,
/// which covers the bind an unknown login does not cause.
pub async fn prove_login(
    state: &AppState,
    login: &str,
    password: &SecretString,
) -> Result<LoginOutcome, WebError> {
    let started = Instant::now();
    let outcome = match find_by_login(state, login).await? {
        None => LoginOutcome::Refused {
            reason: "unknown_login",
            account: None,
        },
        Some(person) => match state.directory.verify_password(&person, password).await? {
            proof @ (BindProof::Valid | BindProof::MustChange | BindProof::Expired) => {
                LoginOutcome::Proved {
                    person: Box::new(person),
                    proof,
                }
            }
            BindProof::Invalid => LoginOutcome::Refused {
                reason: "wrong_password",
                account: Some(person.login),
            },
            // Told apart from a wrong password, a lock would say the login
            // exists (anyone can lock a real account with a few tries).
            BindProof::Locked => LoginOutcome::Refused {
                reason: "locked",
                account: Some(person.login),
            },
        },
    };
    if !matches!(outcome, LoginOutcome::Proved { .. }) {
        identity::wait_for_floor(started).await;
    }
    Ok(outcome)
}

/// The sign-in page of `/account` and `/change`.
#[derive(Template)]
#[template(path = "account_login.html")]
pub struct LoginTemplate {
    pub page: Layout,
    pub intro: String,
    pub notice: Option<String>,
    pub action: &'static str,
    pub csrf: String,
    pub nonce: String,
    pub login: String,
}

impl LoginTemplate {
    /// The template again after a POST, with what the person typed as login
    /// (never the password) and the errors of the form's fields, if any.
    pub fn refill(mut self, form: &LoginForm) -> Self {
        self.login = form.login.chars().take(256).collect();
        self
    }

    /// Adds the field errors of an empty login or password; true if any.
    pub fn check_filled(&mut self, page: &Page, form: &LoginForm) -> bool {
        let mut errors = Vec::new();
        if form.login.trim().is_empty() {
            errors.push((Some("login"), page.t("account-login-missing")));
        }
        if form.password.expose_secret().is_empty() {
            errors.push((Some("password"), page.t("account-password-missing")));
        }
        let missing = !errors.is_empty();
        for (field, message) in errors {
            self.page
                .errors
                .push(crate::web::page::FieldError { field, message });
        }
        missing
    }
}

fn login_template(page: &Page, flow: &FlowState) -> LoginTemplate {
    LoginTemplate {
        page: page.layout("account-title"),
        intro: page.t("account-intro"),
        notice: None,
        action: "/account",
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

    match prove_login(&state, form.login.trim(), &form.password).await? {
        LoginOutcome::Proved { person, proof } => {
            if proof == BindProof::MustChange {
                // A temporary password opens only the forced change.
                audit::event(
                    FLOW.as_str(),
                    "login",
                    "temporary_password",
                    Some(&person.login),
                    &flow.id,
                    &client,
                );
                let jar = end(&state, jar);
                let message = MessageTemplate {
                    page: page.layout("account-title"),
                    paragraphs: vec![page.t("account-temporary")],
                    link: Some(("/change".to_owned(), page.t("account-temporary-link"))),
                };
                return Ok((jar, render(&message)).into_response());
            }
            audit::event(
                FLOW.as_str(),
                "login",
                "signed_in",
                Some(&person.login),
                &flow.id,
                &client,
            );
            let mut flow = flow.next(SIGNED_IN);
            flow.dn = Some(person.dn.clone());
            flow.password_changed = person.pwd_changed_time.clone();
            let jar = save(&state, jar, &flow)?;
            Ok((jar, Redirect::to("/account/menu")).into_response())
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

// ---------------------------------------------------------------- session

/// The signed-in person, read afresh. The session ends (as expired) when
/// the entry is gone or its password changed since the sign-in.
async fn signed_in_person(state: &AppState, flow: &FlowState) -> Result<Person, WebError> {
    flow.require_step(SIGNED_IN)?;
    let dn = flow.dn.as_deref().ok_or(WebError::Expired)?;
    let person = state
        .directory
        .read_person(dn)
        .await?
        .ok_or(WebError::Expired)?;
    if person.pwd_changed_time != flow.password_changed {
        return Err(WebError::Expired);
    }
    Ok(person)
}

/// Loads the session of a POST, checks and spends the form's tokens, and
/// reads the person; refusals are audited.
async fn accept_post(
    state: &AppState,
    jar: &PrivateCookieJar,
    step: &str,
    csrf: &str,
    nonce: &str,
    client: &ClientInfo,
) -> Result<(FlowState, Person), WebError> {
    let flow = flow_state::accept_step(state, jar, FLOW, SIGNED_IN, step, csrf, nonce, client)?;
    let person = signed_in_person(state, &flow)
        .await
        .inspect_err(|e| audit::refusal(FLOW.as_str(), step, Some(&flow), e, client))?;
    Ok((flow, person))
}

#[derive(Template)]
#[template(path = "account_menu.html")]
struct MenuTemplate {
    page: Layout,
    login: String,
}

pub async fn menu_page(
    State(state): State<AppState>,
    page: Page,
    jar: PrivateCookieJar,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let flow = FlowState::load(&jar, FLOW, secure(&state), inactivity(&state))?;
    let person = signed_in_person(&state, &flow).await?;
    // Any page view counts as activity for the inactivity timeout.
    let flow = FlowState {
        last_activity: chrono::Utc::now().timestamp(),
        ..flow
    };
    let jar = save(&state, jar, &flow)?;
    let menu = MenuTemplate {
        page: page.layout("account-menu-title"),
        login: person.login,
    };
    Ok((jar, render(&menu)).into_response())
}

pub async fn logout(
    State(state): State<AppState>,
    page: Page,
    client: ClientInfo,
    jar: PrivateCookieJar,
) -> Result<Response, WebError> {
    enabled(&state)?;
    if let Ok(flow) = FlowState::load(&jar, FLOW, secure(&state), inactivity(&state)) {
        audit::event(
            FLOW.as_str(),
            "logout",
            "signed_out",
            flow.dn.as_deref(),
            &flow.id,
            &client,
        );
    }
    let message = MessageTemplate {
        page: page.layout("account-logged-out-title"),
        paragraphs: vec![page.t("account-logged-out")],
        link: Some(("/".to_owned(), page.t("error-back-home"))),
    };
    Ok((end(&state, jar), render(&message)).into_response())
}

// ---------------------------------------------------------------- password

fn password_template(
    state: &AppState,
    page: &Page,
    flow: &FlowState,
    person: &Person,
) -> PasswordTemplate {
    change::password_template(
        state,
        page,
        page.layout("account-password-title"),
        "/account/password",
        flow,
        person,
        None,
    )
}

pub async fn password_page(
    State(state): State<AppState>,
    page: Page,
    jar: PrivateCookieJar,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let flow = FlowState::load(&jar, FLOW, secure(&state), inactivity(&state))?;
    let person = signed_in_person(&state, &flow).await?;
    Ok(render(&password_template(&state, &page, &flow, &person)))
}

pub async fn password_submit(
    State(state): State<AppState>,
    page: Page,
    client: ClientInfo,
    jar: PrivateCookieJar,
    Form(form): Form<NewPasswordForm>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let (flow, person) =
        accept_post(&state, &jar, "password", &form.csrf, &form.nonce, &client).await?;
    let account = Some(person.login.as_str());

    // The session holds no password, so "different from the current one"
    // is left to the directory, whose history check covers the current
    // password too (refused as "in history", explained).
    let context = recover::person_context(&person);
    let verdict = state.policy.check(&form.password, &context);
    let mut template = change::password_template(
        &state,
        &page,
        page.layout("account-password-title"),
        "/account/password",
        &flow,
        &person,
        Some(&verdict),
    );
    template.rules_accepted = form.rules.is_some();
    template.page = change::form_errors(&state, &page, template.page, &form, &verdict);
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

    match change::write(&state, &page, FLOW, &flow, &person, &form.password, &client).await? {
        None => {
            recover::send_confirmation(&state, &page, &person, &client);
            let jar = end(&state, jar);
            Ok((jar, change::success_page(&state, &page, "success-title")).into_response())
        }
        Some(refusal) => {
            template.page = template.page.with_error(Some("password"), refusal);
            let jar = save(&state, jar, &flow)?;
            Ok((jar, render(&template)).into_response())
        }
    }
}

// ---------------------------------------------------------------- question

fn question_template(page: &Page, state: &AppState, flow: &FlowState) -> SecretTemplate {
    activate::secret_template(
        page.layout("account-question-title"),
        state,
        "/account/question",
        flow,
    )
}

pub async fn question_page(
    State(state): State<AppState>,
    page: Page,
    jar: PrivateCookieJar,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let flow = FlowState::load(&jar, FLOW, secure(&state), inactivity(&state))?;
    signed_in_person(&state, &flow).await?;
    Ok(render(&question_template(&page, &state, &flow)))
}

pub async fn question_submit(
    State(state): State<AppState>,
    page: Page,
    client: ClientInfo,
    jar: PrivateCookieJar,
    Form(form): Form<SecretForm>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let (flow, person) =
        accept_post(&state, &jar, "question", &form.csrf, &form.nonce, &client).await?;
    let account = Some(person.login.as_str());

    let (question, answer) = match activate::parse_secret(&page, &state, &person, &form) {
        Ok(secret) => secret,
        Err(errors) => {
            let mut template = question_template(&page, &state, &flow).refill(&form);
            template.page.errors = errors;
            audit::event(
                FLOW.as_str(),
                "question",
                "form_refused",
                account,
                &flow.id,
                &client,
            );
            let jar = save(&state, jar, &flow)?;
            return Ok((jar, render(&template)).into_response());
        }
    };
    let hash = state.answers.hash(&answer).await?;
    state
        .directory
        .set_secret(&person, &question, &hash)
        .await?;
    audit::event(
        FLOW.as_str(),
        "question",
        "question_changed",
        account,
        &flow.id,
        &client,
    );
    let jar = save(&state, jar, &flow)?;
    let done = MessageTemplate {
        page: page.layout("account-question-done-title"),
        paragraphs: vec![page.t("account-question-done")],
        link: Some(("/account/menu".to_owned(), page.t("account-back"))),
    };
    Ok((jar, render(&done)).into_response())
}
