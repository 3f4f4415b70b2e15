//! Récupérer mon identifiant: identifier + birth date, then the login is
//! mailed to the recovery address. The page never shows the login and says
//! the same thing, in the same time, whether or not somebody matched: the
//! identity check waits for its floor on every outcome here, success
//! included, and the mail leaves off the request path.

use super::identity::{self, IdentityForm, IdentityOutcome, IdentityTemplate};
use crate::mail::{MailKind, OutgoingMail};
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
use std::time::Instant;

const FLOW: FlowName = FlowName::Identifier;

pub fn routes() -> Router<AppState> {
    Router::new().route("/identifier", get(identity_page).post(identity_submit))
}

fn enabled(state: &AppState) -> Result<(), WebError> {
    if state.settings.flows.identifier {
        Ok(())
    } else {
        Err(WebError::NotFound)
    }
}

fn identity_template(page: &Page, flow: &FlowState) -> IdentityTemplate {
    IdentityTemplate {
        page: page.layout("identifier-title"),
        intro: page.t("identifier-intro"),
        lock_notice: None,
        action: "/identifier",
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
    let secure = state.settings.server.secure_cookies;
    let jar = flow.save(jar, secure, state.settings.server.inactivity_seconds)?;
    Ok((jar, render(&identity_template(&page, &flow))).into_response())
}

#[derive(Template)]
#[template(path = "message.html")]
struct SentTemplate {
    page: Layout,
    paragraphs: Vec<String>,
    link: Option<(String, String)>,
}

pub async fn identity_submit(
    State(state): State<AppState>,
    page: Page,
    client: ClientInfo,
    jar: PrivateCookieJar,
    Form(form): Form<IdentityForm>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let started = Instant::now();
    let secure = state.settings.server.secure_cookies;
    let inactivity = state.settings.server.inactivity_seconds;
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
            let jar = flow.save(jar, secure, inactivity)?;
            return Ok((jar, render(&template)).into_response());
        }
    };

    match identity::check(&state, identifier.as_ref(), &birth_date).await? {
        IdentityOutcome::Proved(person) => {
            match person.recovery_mails.first() {
                Some(to) => {
                    state.mailer.send(
                        OutgoingMail::new(
                            to.clone(),
                            page.lang,
                            MailKind::IdentifierReminder {
                                login: person.login.clone(),
                            },
                        )
                        .with_name(person.display_name.clone()),
                    );
                    audit::event(
                        FLOW.as_str(),
                        "identity",
                        "login_mailed",
                        Some(&person.login),
                        &flow.id,
                        &client,
                    );
                }
                None => {
                    audit::event(
                        FLOW.as_str(),
                        "identity",
                        "no_recovery_address",
                        Some(&person.login),
                        &flow.id,
                        &client,
                    );
                }
            }
            identity::wait_for_floor(started).await;
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
        }
    }

    let jar = FlowState::end(FLOW, jar, secure);
    let page_html = render(&SentTemplate {
        page: page.layout("identifier-sent-title"),
        paragraphs: vec![
            page.t("identifier-sent"),
            page.t_with(
                "identifier-sent-advice",
                &[("contact", &state.settings.site.help_contact)],
            ),
        ],
        link: Some(("/".to_owned(), page.t("error-back-home"))),
    });
    Ok((jar, page_html).into_response())
}
