//! Activer mon compte: the first use of an account, recognised by the
//! absence of a secret question on the entry. Identity check exactly as in
//! `/recover` (same sameness, attempt counting and lockout), then the
//! person chooses a secret question and its answer, then their password;
//! both are written at the end, then a confirmation mail.
//!
//! Steps the flow cookie records: 0 the identity form was shown; 1 identity
//! proved (and no question yet); 2 question and answer chosen. Until the
//! end nothing is written: the chosen question and the argon2id hash of its
//! answer wait in a second encrypted cookie tied to the flow's id (never
//! the answer itself).
//!
//! A person who already has a question learns it only after passing the
//! identity check, exactly as `/recover` would tell them: a neutral page
//! that sends them to `/recover`. A stranger sees the generic failure.

use super::change::{self, MessageTemplate, NewPasswordForm};
use super::identity::{self, IdentityForm, IdentityOutcome, IdentityTemplate};
use super::recover;
use crate::directory::Person;
use crate::secret_answer::normalise;
use crate::web::audit;
use crate::web::client::ClientInfo;
use crate::web::error::WebError;
use crate::web::flow_state::{self, FlowName, FlowState};
use crate::web::form::Form;
use crate::web::page::{render, FieldError, Layout, Page};
use crate::web::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use axum_extra::extract::cookie::{Cookie, PrivateCookieJar, SameSite};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

const FLOW: FlowName = FlowName::Activate;
const TOTAL_STEPS: u32 = 3;

/// A question of one's own: long enough to be a question, short enough for
/// a page.
pub const QUESTION_MIN_CHARS: usize = 10;
pub const QUESTION_MAX_CHARS: usize = 200;
/// An answer, normalised, of fewer characters is too easy to guess.
pub const ANSWER_MIN_CHARS: usize = 3;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/activate", get(identity_page).post(identity_submit))
        .route(
            "/activate/question",
            get(question_page).post(question_submit),
        )
        .route(
            "/activate/password",
            get(password_page).post(password_submit),
        )
}

fn enabled(state: &AppState) -> Result<(), WebError> {
    if state.settings.flows.activate {
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

fn load(state: &AppState, jar: &PrivateCookieJar) -> Result<FlowState, WebError> {
    FlowState::load(jar, FLOW, secure(state), inactivity(state))
}

fn save(
    state: &AppState,
    jar: PrivateCookieJar,
    flow: &FlowState,
) -> Result<PrivateCookieJar, WebError> {
    flow.save(jar, secure(state), inactivity(state))
}

fn end(state: &AppState, jar: PrivateCookieJar) -> PrivateCookieJar {
    let jar = FlowState::end(FLOW, jar, secure(state));
    jar.remove(
        Cookie::build(pending_cookie_name(secure(state)))
            .path("/")
            .build(),
    )
}

fn has_secret(person: &Person) -> bool {
    person.state.question.is_some() && person.state.answer_hash.is_some()
}

/// The person whose identity the cookie says was proved, read afresh.
async fn proved_person(state: &AppState, flow: &FlowState) -> Result<Person, WebError> {
    let dn = flow.dn.as_deref().ok_or(WebError::Step)?;
    state
        .directory
        .read_person(dn)
        .await?
        .ok_or(WebError::Expired)
}

fn already_active_page(page: &Page) -> Response {
    render(&MessageTemplate {
        page: page.layout("activate-already-title"),
        paragraphs: vec![page.t("activate-already-text")],
        link: Some(("/recover".to_owned(), page.t("activate-already-link"))),
    })
}

// ---------------------------------------------------------------- pending secret

/// The question and answer hash chosen at step 2, until the final write.
#[derive(Serialize, Deserialize)]
struct PendingSecret {
    /// The flow it belongs to: a pending secret of another flow is ignored.
    flow_id: String,
    question: String,
    answer_hash: String,
}

fn pending_cookie_name(secure: bool) -> String {
    let prefix = if secure { "__Host-" } else { "" };
    format!("{prefix}passerelle-activate-secret")
}

fn save_pending(
    state: &AppState,
    jar: PrivateCookieJar,
    pending: &PendingSecret,
) -> Result<PrivateCookieJar, WebError> {
    let value = serde_json::to_string(pending)
        .map_err(|e| WebError::Unexpected(anyhow::anyhow!("pending secret: {e}")))?;
    let cookie = Cookie::build((pending_cookie_name(secure(state)), value))
        .path("/")
        .http_only(true)
        .secure(secure(state))
        .same_site(SameSite::Strict)
        .max_age(cookie::time::Duration::seconds(
            i64::try_from(inactivity(state)).unwrap_or(i64::MAX),
        ))
        .build();
    Ok(jar.add(cookie))
}

fn load_pending(
    state: &AppState,
    jar: &PrivateCookieJar,
    flow: &FlowState,
) -> Option<PendingSecret> {
    let cookie = jar.get(&pending_cookie_name(secure(state)))?;
    serde_json::from_str::<PendingSecret>(cookie.value())
        .ok()
        .filter(|p| p.flow_id == flow.id)
}

// ---------------------------------------------------------------- identity

fn identity_template(page: &Page, flow: &FlowState) -> IdentityTemplate {
    IdentityTemplate {
        page: page.layout("activate-title").with_step(1, TOTAL_STEPS),
        intro: page.t("activate-intro"),
        lock_notice: None,
        action: "/activate",
        csrf: flow.csrf.clone(),
        nonce: flow.nonce.clone(),
        identifier: String::new(),
        birth_date: String::new(),
    }
}

pub async fn identity_page(
    State(state): State<AppState>,
    page: Page,
    jar: PrivateCookieJar,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let flow = FlowState::start(FLOW);
    let jar = save(&state, jar, &flow)?;
    Ok((jar, render(&identity_template(&page, &flow))).into_response())
}

pub async fn identity_submit(
    State(state): State<AppState>,
    page: Page,
    client: ClientInfo,
    jar: PrivateCookieJar,
    Form(form): Form<IdentityForm>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let flow = flow_state::accept_step(
        &state,
        &jar,
        FLOW,
        0,
        "identity",
        &form.csrf,
        &form.nonce,
        &client,
    )?;

    let (identifier, birth_date) = match identity::parse_fields(&page, &form) {
        Ok(fields) => fields,
        Err(errors) => {
            let mut template = identity_template(&page, &flow);
            template.page.errors = errors;
            template.identifier = form.identifier.chars().take(256).collect();
            template.birth_date = form.birth_date.chars().take(32).collect();
            let jar = save(&state, jar, &flow)?;
            return Ok((jar, render(&template)).into_response());
        }
    };

    match identity::check(&state, identifier.as_ref(), &birth_date).await? {
        IdentityOutcome::Proved(person) => {
            if has_secret(&person) {
                audit::event(
                    FLOW.as_str(),
                    "identity",
                    "already_active",
                    Some(&person.login),
                    &flow.id,
                    &client,
                );
                return Ok((end(&state, jar), already_active_page(&page)).into_response());
            }
            audit::event(
                FLOW.as_str(),
                "identity",
                "proved",
                Some(&person.login),
                &flow.id,
                &client,
            );
            let mut flow = flow.next(1);
            flow.dn = Some(person.dn.clone());
            flow.password_changed = person.pwd_changed_time.clone();
            let jar = save(&state, jar, &flow)?;
            Ok((jar, Redirect::to("/activate/question")).into_response())
        }
        IdentityOutcome::Failed { reason, account } => {
            audit::event(
                FLOW.as_str(),
                "identity",
                reason,
                account.as_deref(),
                &flow.id,
                &client,
            );
            let (message, notice) = identity::failure_message(&page);
            let mut template = identity_template(&page, &flow);
            template.page = template.page.with_error(Some("identifier"), message);
            template.lock_notice = Some(notice);
            let jar = save(&state, jar, &flow)?;
            Ok((jar, render(&template)).into_response())
        }
    }
}

// ---------------------------------------------------------------- question

/// The question form of `/activate` and `/account`. The chosen question is
/// posted as the index of a configured one, or `own` with its text, so a
/// configured question cannot be altered on the way.
#[derive(Deserialize)]
pub struct SecretForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub nonce: String,
    #[serde(default)]
    pub question: String,
    #[serde(default)]
    pub own_question: String,
    pub answer: SecretString,
    pub answer_confirm: SecretString,
}

pub struct QuestionChoice {
    pub value: String,
    pub text: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "activate_question.html")]
pub struct SecretTemplate {
    pub page: Layout,
    pub action: &'static str,
    pub csrf: String,
    pub nonce: String,
    pub choices: Vec<QuestionChoice>,
    pub own_checked: bool,
    pub own_question: String,
    pub question_min: usize,
    pub question_max: usize,
    pub answer_min: usize,
}

impl SecretTemplate {
    /// The template again after a refused POST: the choice and the own
    /// question as typed (never the answer).
    pub fn refill(mut self, form: &SecretForm) -> Self {
        for choice in &mut self.choices {
            choice.checked = choice.value == form.question;
        }
        self.own_checked = form.question == "own";
        self.own_question = form.own_question.chars().take(QUESTION_MAX_CHARS).collect();
        self
    }
}

/// The question page of a flow.
pub fn secret_template(
    layout: Layout,
    state: &AppState,
    action: &'static str,
    flow: &FlowState,
) -> SecretTemplate {
    SecretTemplate {
        page: layout,
        action,
        csrf: flow.csrf.clone(),
        nonce: flow.nonce.clone(),
        choices: state
            .settings
            .flows
            .questions
            .iter()
            .enumerate()
            .map(|(i, text)| QuestionChoice {
                value: i.to_string(),
                text: text.clone(),
                checked: false,
            })
            .collect(),
        own_checked: false,
        own_question: String::new(),
        question_min: QUESTION_MIN_CHARS,
        question_max: QUESTION_MAX_CHARS,
        answer_min: ANSWER_MIN_CHARS,
    }
}

/// The question and answer of a [`SecretForm`], or what the person must
/// fix. The answer must be confirmed, long enough once normalised, and
/// neither the person's login nor their birth date (the first things a
/// stranger would try).
pub fn parse_secret(
    page: &Page,
    state: &AppState,
    person: &Person,
    form: &SecretForm,
) -> Result<(String, SecretString), Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut error = |field: &'static str, message: String| {
        errors.push(FieldError {
            field: Some(field),
            message,
        })
    };
    let questions = &state.settings.flows.questions;
    let question = if form.question == "own" {
        let own: String = form
            .own_question
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let length = own.chars().count();
        if !(QUESTION_MIN_CHARS..=QUESTION_MAX_CHARS).contains(&length)
            || own.chars().any(char::is_control)
        {
            error(
                "own_question",
                page.t_with(
                    "activate-question-length",
                    &[
                        ("min", &QUESTION_MIN_CHARS.to_string()),
                        ("max", &QUESTION_MAX_CHARS.to_string()),
                    ],
                ),
            );
        }
        Some(own)
    } else {
        let chosen = form
            .question
            .parse::<usize>()
            .ok()
            .and_then(|i| questions.get(i))
            .cloned();
        if chosen.is_none() {
            error("question", page.t("activate-question-missing"));
        }
        chosen
    };

    let answer = normalise(form.answer.expose_secret());
    if answer.chars().count() < ANSWER_MIN_CHARS {
        error(
            "answer",
            page.t_with(
                "activate-answer-too-short",
                &[("min", &ANSWER_MIN_CHARS.to_string())],
            ),
        );
    } else if !person.login.is_empty() && answer == normalise(&person.login) {
        error("answer", page.t("activate-answer-is-login"));
    } else if is_birth_date(&answer, person) {
        error("answer", page.t("activate-answer-is-birth-date"));
    }
    if answer != normalise(form.answer_confirm.expose_secret()) {
        error("answer_confirm", page.t("activate-answer-mismatch"));
    }
    match question {
        Some(question) if errors.is_empty() => Ok((question, form.answer.clone())),
        _ => Err(errors),
    }
}

/// Whether a normalised answer is the person's birth date written in one
/// of the usual ways (15/09/2001, 2001-09-15, 15092001, 20010915, 150901).
fn is_birth_date(answer: &str, person: &Person) -> bool {
    let Some(date) = person.birth_date else {
        return false;
    };
    if !answer
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '/' | '-' | '.' | ' '))
    {
        return false;
    }
    let digits: String = answer.chars().filter(char::is_ascii_digit).collect();
    ["%d%m%Y", "%Y%m%d", "%d%m%y", "%m%d%Y"]
        .iter()
        .any(|format| date.format(format).to_string() == digits)
}

pub async fn question_page(
    State(state): State<AppState>,
    page: Page,
    jar: PrivateCookieJar,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let flow = load(&state, &jar)?;
    flow.require_step(1)?;
    let person = proved_person(&state, &flow).await?;
    if has_secret(&person) {
        return Ok((end(&state, jar), already_active_page(&page)).into_response());
    }
    let layout = page
        .layout("activate-question-title")
        .with_step(2, TOTAL_STEPS);
    Ok(render(&secret_template(
        layout,
        &state,
        "/activate/question",
        &flow,
    )))
}

pub async fn question_submit(
    State(state): State<AppState>,
    page: Page,
    client: ClientInfo,
    jar: PrivateCookieJar,
    Form(form): Form<SecretForm>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let flow = flow_state::accept_step(
        &state,
        &jar,
        FLOW,
        1,
        "question",
        &form.csrf,
        &form.nonce,
        &client,
    )?;
    let person = proved_person(&state, &flow).await?;
    let account = Some(person.login.as_str());
    if has_secret(&person) {
        return Ok((end(&state, jar), already_active_page(&page)).into_response());
    }

    let (question, answer) = match parse_secret(&page, &state, &person, &form) {
        Ok(secret) => secret,
        Err(errors) => {
            let layout = page
                .layout("activate-question-title")
                .with_step(2, TOTAL_STEPS);
            let mut template =
                secret_template(layout, &state, "/activate/question", &flow).refill(&form);
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
    let answer_hash = state.answers.hash(&answer).await?;
    audit::event(
        FLOW.as_str(),
        "question",
        "chosen",
        account,
        &flow.id,
        &client,
    );
    let flow = flow.next(2);
    let jar = save(&state, jar, &flow)?;
    let jar = save_pending(
        &state,
        jar,
        &PendingSecret {
            flow_id: flow.id.clone(),
            question,
            answer_hash,
        },
    )?;
    Ok((jar, Redirect::to("/activate/password")).into_response())
}

// ---------------------------------------------------------------- password

fn password_layout(page: &Page) -> Layout {
    page.layout("activate-password-title")
        .with_step(3, TOTAL_STEPS)
}

pub async fn password_page(
    State(state): State<AppState>,
    page: Page,
    jar: PrivateCookieJar,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let flow = load(&state, &jar)?;
    flow.require_step(2)?;
    load_pending(&state, &jar, &flow).ok_or(WebError::Step)?;
    let person = proved_person(&state, &flow).await?;
    Ok(render(&change::password_template(
        &state,
        &page,
        password_layout(&page),
        "/activate/password",
        &flow,
        &person,
        None,
    )))
}

pub async fn password_submit(
    State(state): State<AppState>,
    page: Page,
    client: ClientInfo,
    jar: PrivateCookieJar,
    Form(form): Form<NewPasswordForm>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let flow = flow_state::accept_step(
        &state,
        &jar,
        FLOW,
        2,
        "password",
        &form.csrf,
        &form.nonce,
        &client,
    )?;
    let pending = load_pending(&state, &jar, &flow).ok_or(WebError::Step)?;
    let person = proved_person(&state, &flow).await?;
    let account = Some(person.login.as_str());

    // The password changed since the identity was proved (an old cookie
    // played again), or someone activated the account meanwhile: nothing
    // is written.
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
    if has_secret(&person) {
        audit::event(
            FLOW.as_str(),
            "password",
            "already_active",
            account,
            &flow.id,
            &client,
        );
        return Ok((end(&state, jar), already_active_page(&page)).into_response());
    }

    let verdict = state
        .policy
        .check(&form.password, &recover::person_context(&person));
    let mut template = change::password_template(
        &state,
        &page,
        password_layout(&page),
        "/activate/password",
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

    // The password first, the question second. The usual failure is the
    // directory refusing the password (history, quality): then nothing at
    // all is written and the person simply chooses another. The question
    // is what marks the account as activated, so it is written only once
    // the password is in place: should that second write fail, the account
    // keeps its new password but still reads as "not activated", and the
    // person can run the activation again; never the reverse, an account
    // marked activated with a password its owner never chose.
    if let Some(refusal) =
        change::write(&state, &page, FLOW, &flow, &person, &form.password, &client).await?
    {
        template.page = template.page.with_error(Some("password"), refusal);
        let jar = save(&state, jar, &flow)?;
        return Ok((jar, render(&template)).into_response());
    }
    let jar = end(&state, jar);
    recover::send_confirmation(&state, &page, &person, &client);
    if let Err(error) = state
        .directory
        .set_secret(&person, &pending.question, &pending.answer_hash)
        .await
    {
        tracing::error!(%error, "activation: password written, secret question not");
        audit::event(
            FLOW.as_str(),
            "question",
            "not_saved",
            account,
            &flow.id,
            &client,
        );
        let message = MessageTemplate {
            page: page.layout("error-title"),
            paragraphs: vec![page.t_with(
                "activate-secret-not-saved",
                &[("contact", &state.settings.site.help_contact)],
            )],
            link: Some(("/activate".to_owned(), page.t("activate-title"))),
        };
        return Ok((jar, render(&message)).into_response());
    }
    audit::event(
        FLOW.as_str(),
        "question",
        "activated",
        account,
        &flow.id,
        &client,
    );
    Ok((
        jar,
        change::success_page(&state, &page, "activate-success-title"),
    )
        .into_response())
}
