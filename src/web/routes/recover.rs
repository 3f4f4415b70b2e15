//! Récupérer mon mot de passe (the UPHF flow): identifier + birth date, then
//! the secret question, then the new password with its rules, written in
//! one modify, then a confirmation mail.
//!
//! Steps (the number the flow cookie records once a step is passed):
//! 0 the identity form was shown; 1 identity proved; 2 answer right. Each
//! POST spends its step's nonce; the password write also checks that the
//! password did not change since the identity was proved, so an old cookie
//! replayed anywhere is refused without writing.

use super::change;
use super::identity::{self, IdentityForm, IdentityOutcome, IdentityTemplate};
use crate::directory::{Attempt, LockState, PasswordWriteError, Person};
use crate::mail::{MailKind, OutgoingMail};
use crate::policy::{self, CharacterClass, PersonContext, Rule, RuleStatus, Verdict};
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

const FLOW: FlowName = FlowName::Recover;
const TOTAL_STEPS: u32 = 3;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/recover", get(identity_page).post(identity_submit))
        .route(
            "/recover/question",
            get(question_page).post(question_submit),
        )
        .route(
            "/recover/password",
            get(password_page).post(password_submit),
        )
}

fn enabled(state: &AppState) -> Result<(), WebError> {
    if state.settings.flows.recover {
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
    FlowState::end(FLOW, jar, secure(state))
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

// ---------------------------------------------------------------- identity

fn identity_template(page: &Page, flow: &FlowState) -> IdentityTemplate {
    IdentityTemplate {
        page: page.layout("recover-title").with_step(1, TOTAL_STEPS),
        intro: page.t("recover-intro"),
        lock_notice: None,
        action: "/recover",
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
            if person.state.question.is_none() || person.state.answer_hash.is_none() {
                audit::event(
                    FLOW.as_str(),
                    "identity",
                    "no_question",
                    Some(&person.login),
                    &flow.id,
                    &client,
                );
                let jar = end(&state, jar);
                return Ok((jar, no_question_page(&page)).into_response());
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
            Ok((jar, Redirect::to("/recover/question")).into_response())
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

// ---------------------------------------------------------------- messages

#[derive(Template)]
#[template(path = "message.html")]
struct MessageTemplate {
    page: Layout,
    paragraphs: Vec<String>,
    link: Option<(String, String)>,
}

fn no_question_page(page: &Page) -> Response {
    let activation = page.settings.flows.activate && crate::web::page::is_mounted("activate");
    let mut paragraphs = vec![page.t("no-question-text")];
    let link = if activation {
        Some(("/activate".to_owned(), page.t("nav-activate")))
    } else {
        paragraphs.push(page.t_with(
            "no-question-contact",
            &[("contact", &page.settings.site.help_contact)],
        ));
        None
    };
    render(&MessageTemplate {
        page: page.layout("no-question-title"),
        paragraphs,
        link,
    })
}

fn locked_page(page: &Page, until: chrono::DateTime<chrono::Utc>) -> Response {
    let until = until
        .with_timezone(&chrono::Local)
        .format(match page.lang {
            policy::Lang::Fr => "%d/%m/%Y %H:%M",
            policy::Lang::En => "%Y-%m-%d %H:%M",
        })
        .to_string();
    render(&MessageTemplate {
        page: page.layout("locked-title"),
        paragraphs: vec![
            page.t_with("locked-text", &[("until", &until)]),
            page.t_with(
                "locked-advice",
                &[("contact", &page.settings.site.help_contact)],
            ),
        ],
        link: Some(("/".to_owned(), page.t("error-back-home"))),
    })
}

// ---------------------------------------------------------------- question

#[derive(Template)]
#[template(path = "question.html")]
struct QuestionTemplate {
    page: Layout,
    question: String,
    csrf: String,
    nonce: String,
}

fn question_template(page: &Page, flow: &FlowState, person: &Person) -> QuestionTemplate {
    QuestionTemplate {
        page: page.layout("question-title").with_step(2, TOTAL_STEPS),
        question: person.state.question.clone().unwrap_or_default(),
        csrf: flow.csrf.clone(),
        nonce: flow.nonce.clone(),
    }
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
    if let LockState::Locked { until } =
        state
            .directory
            .lock_state(&person, &state.settings.lockout, chrono::Utc::now())
    {
        return Ok((end(&state, jar), locked_page(&page, until)).into_response());
    }
    if person.state.question.is_none() {
        return Ok((end(&state, jar), no_question_page(&page)).into_response());
    }
    Ok(render(&question_template(&page, &flow, &person)))
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    nonce: String,
    answer: SecretString,
}

pub async fn question_submit(
    State(state): State<AppState>,
    page: Page,
    client: ClientInfo,
    jar: PrivateCookieJar,
    Form(form): Form<AnswerForm>,
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

    if form.answer.expose_secret().trim().is_empty() {
        let mut template = question_template(&page, &flow, &person);
        template.page = template
            .page
            .with_error(Some("answer"), page.t("answer-missing"));
        let jar = save(&state, jar, &flow)?;
        return Ok((jar, render(&template)).into_response());
    }

    // Counted before the (slow) check, so that answers sent in parallel
    // cannot all read an open lock before any of them is recorded.
    let attempt = state
        .directory
        .begin_attempt(&person, &state.settings.lockout)
        .await?;
    let (failures_left, locks_until) = match attempt {
        Attempt::Locked { until } => {
            audit::event(
                FLOW.as_str(),
                "question",
                "locked",
                account,
                &flow.id,
                &client,
            );
            return Ok((end(&state, jar), locked_page(&page, until)).into_response());
        }
        Attempt::Counted {
            failures_left,
            locks_until,
            ..
        } => (failures_left, locks_until),
    };

    let right = state
        .answers
        .verify(&form.answer, person.state.answer_hash.as_deref())
        .await?;
    if right {
        state.directory.forgive_attempt(&person, &attempt).await?;
        audit::event(
            FLOW.as_str(),
            "question",
            "answered",
            account,
            &flow.id,
            &client,
        );
        let mut flow = flow.next(2);
        flow.password_changed = person.pwd_changed_time.clone();
        let jar = save(&state, jar, &flow)?;
        return Ok((jar, Redirect::to("/recover/password")).into_response());
    }

    if let Some(until) = locks_until {
        audit::event(
            FLOW.as_str(),
            "question",
            "wrong_answer_now_locked",
            account,
            &flow.id,
            &client,
        );
        return Ok((end(&state, jar), locked_page(&page, until)).into_response());
    }
    audit::event(
        FLOW.as_str(),
        "question",
        "wrong_answer",
        account,
        &flow.id,
        &client,
    );
    let mut template = question_template(&page, &flow, &person);
    template.page = template.page.with_error(
        Some("answer"),
        page.t_with("answer-wrong", &[("left", &failures_left.to_string())]),
    );
    let jar = save(&state, jar, &flow)?;
    Ok((jar, render(&template)).into_response())
}

// ---------------------------------------------------------------- password

/// One line of the rule list, with its state after a submission.
pub struct RuleView {
    pub id: &'static str,
    pub text: String,
    /// `None` before any submission, or for a rule only the directory decides.
    pub state: Option<bool>,
    pub classes: Vec<ClassView>,
}

pub struct ClassView {
    pub id: &'static str,
    pub text: String,
    pub state: Option<bool>,
}

/// The rule list, marked with a verdict when there is one.
pub fn rule_views(
    state: &AppState,
    lang: policy::Lang,
    verdict: Option<&Verdict>,
) -> Vec<RuleView> {
    state
        .policy
        .rule_list()
        .iter()
        .map(|rule| {
            let status = verdict.and_then(|v| v.status(rule.id()));
            let classes = match rule {
                Rule::MinClasses { .. } => CharacterClass::ALL
                    .iter()
                    .map(|&class| ClassView {
                        id: class.as_str(),
                        text: policy::describe_class(class, lang),
                        state: verdict
                            .filter(|v| v.input_error().is_none())
                            .map(|v| v.classes().contains(class)),
                    })
                    .collect(),
                _ => Vec::new(),
            };
            RuleView {
                id: rule.id().as_str(),
                text: policy::describe(rule, lang),
                state: match status {
                    Some(RuleStatus::Passed) => Some(true),
                    Some(RuleStatus::Failed) => Some(false),
                    _ => None,
                },
                classes,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "password.html")]
pub struct PasswordTemplate {
    pub page: Layout,
    pub action: &'static str,
    pub csrf: String,
    pub nonce: String,
    pub rules: Vec<RuleView>,
    pub rules_json: String,
    pub texts: policy::ChecklistTexts,
    pub require_rules_checkbox: bool,
    pub rules_url: Option<String>,
    pub rules_accepted: bool,
}

pub fn person_context(person: &Person) -> PersonContext<'static> {
    PersonContext {
        login: person.login.clone(),
        names: person.name_values.clone(),
        birth_date: person.birth_date.map(|d| d.format("%Y%m%d").to_string()),
        current_password: None,
    }
}

fn password_template(
    state: &AppState,
    page: &Page,
    flow: &FlowState,
    person: &Person,
    verdict: Option<&Verdict>,
) -> PasswordTemplate {
    let layout = page.layout("password-title").with_step(3, TOTAL_STEPS);
    change::password_template(
        state,
        page,
        layout,
        "/recover/password",
        flow,
        person,
        verdict,
    )
}

pub async fn password_page(
    State(state): State<AppState>,
    page: Page,
    jar: PrivateCookieJar,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let flow = load(&state, &jar)?;
    flow.require_step(2)?;
    let person = proved_person(&state, &flow).await?;
    Ok(render(&password_template(
        &state, &page, &flow, &person, None,
    )))
}

/// The new-password form, as every flow posts it.
pub type PasswordForm = change::NewPasswordForm;

/// The translated message for a password the directory refused.
pub fn write_refusal(state: &AppState, page: &Page, error: &PasswordWriteError) -> String {
    let code = match error {
        PasswordWriteError::InsufficientQuality => Some(5),
        PasswordWriteError::TooShort => Some(6),
        PasswordWriteError::TooYoung => Some(7),
        PasswordWriteError::InHistory => Some(8),
        PasswordWriteError::TooLong => Some(9),
        _ => None,
    };
    if let Some(violation) = code.and_then(|c| state.policy.violation_for_ppolicy_error(c)) {
        return policy::explain(&violation, page.lang);
    }
    match error {
        PasswordWriteError::Locked => page.t_with(
            "pw-locked",
            &[("contact", &state.settings.site.help_contact)],
        ),
        _ => page.t("pw-refused-directory"),
    }
}

pub async fn password_submit(
    State(state): State<AppState>,
    page: Page,
    client: ClientInfo,
    jar: PrivateCookieJar,
    Form(form): Form<PasswordForm>,
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
    let person = proved_person(&state, &flow).await?;
    let account = Some(person.login.as_str());

    // The password changed since this flow proved the identity: this is an
    // old cookie played again (or another flow won); nothing is written.
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
    if let LockState::Locked { until } =
        state
            .directory
            .lock_state(&person, &state.settings.lockout, chrono::Utc::now())
    {
        audit::event(
            FLOW.as_str(),
            "password",
            "locked",
            account,
            &flow.id,
            &client,
        );
        return Ok((end(&state, jar), locked_page(&page, until)).into_response());
    }

    let verdict = state.policy.check(&form.password, &person_context(&person));
    let mut template = password_template(&state, &page, &flow, &person, Some(&verdict));
    template.rules_accepted = form.rules.is_some();
    let layout = change::password_errors(
        &state,
        &page,
        template.page,
        &form.password,
        &form.confirm,
        form.rules.is_some(),
        &verdict,
    );
    if !layout.errors.is_empty() {
        template.page = layout;
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
            send_confirmation(&state, &page, &person, &client);
            let jar = end(&state, jar);
            Ok((jar, success_page(&state, &page)).into_response())
        }
        Some(refusal) => {
            template.page = layout.with_error(Some("password"), refusal);
            let jar = save(&state, jar, &flow)?;
            Ok((jar, render(&template)).into_response())
        }
    }
}

/// Queues the "your password changed" mail to the recovery address, and to
/// the institutional one when the entry has one.
pub fn send_confirmation(state: &AppState, page: &Page, person: &Person, client: &ClientInfo) {
    let mut recipients: Vec<&str> = person
        .recovery_mails
        .iter()
        .take(1)
        .map(String::as_str)
        .collect();
    if let Some(institutional) = person.institutional_mail.as_deref() {
        if !recipients
            .iter()
            .any(|r| r.eq_ignore_ascii_case(institutional))
        {
            recipients.push(institutional);
        }
    }
    if recipients.is_empty() {
        tracing::warn!(account = %person.login, "no address to confirm a password change to");
    }
    for to in recipients {
        let kind = MailKind::PasswordChanged {
            login: person.login.clone(),
            when: chrono::Local::now().fixed_offset(),
            from_address: client.address,
            services: state.settings.site.services.clone(),
        };
        state
            .mailer
            .send(OutgoingMail::new(to, page.lang, kind).with_name(person.display_name.clone()));
    }
}

#[derive(Template)]
#[template(path = "success.html")]
struct SuccessTemplate {
    page: Layout,
    services: Vec<String>,
    finish_url: String,
}

fn success_page(state: &AppState, page: &Page) -> Response {
    render(&SuccessTemplate {
        page: page.layout("success-title"),
        services: state.settings.site.services.clone(),
        finish_url: state
            .settings
            .site
            .login_url
            .clone()
            .unwrap_or_else(|| "/".to_owned()),
    })
}
