//! The identity check that opens the recover and identifier flows: an
//! identifier of any configured kind and a birth date.
//!
//! An unknown identifier, a wrong birth date and a locked account end the
//! same way: the same page, in the same time. Every check runs one dummy
//! argon2 verification (so the CPU cost is the same), a failure on a known
//! person is counted on the entry (which may lock self-service), and every
//! failure is answered no earlier than [`FAILURE_FLOOR`] after the request
//! began, which covers the directory write an unknown identifier does not
//! cause.

use crate::directory::{Attempt, BirthDate, DirectoryError, Identifier, Person};
use crate::web::error::WebError;
use crate::web::page::{FieldError, Layout, Page};
use crate::web::AppState;
use askama::Template;
use secrecy::SecretString;
use serde::Deserialize;
use std::time::{Duration, Instant};

/// No failed identity check is answered sooner than this: longer than a
/// lookup, an argon2 verification and a failure write take together on a
/// healthy directory, so their sum cannot be told from the response time.
pub const FAILURE_FLOOR: Duration = Duration::from_millis(250);

/// The identity form. `csrf` and `nonce` default to empty so that a form
/// without them is refused as a CSRF failure, not as an unreadable form.
#[derive(Deserialize)]
pub struct IdentityForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub nonce: String,
    pub identifier: String,
    pub birth_date: String,
}

/// The typed fields, or what the person must fix (format only: nothing
/// here depends on the directory).
/// An identifier that cannot be anybody's (too long, control characters)
/// is `None`: not a format error to report, it simply finds nobody.
pub fn parse_fields(
    page: &Page,
    form: &IdentityForm,
) -> Result<(Option<Identifier>, BirthDate), Vec<FieldError>> {
    let identifier = Identifier::parse(&form.identifier);
    let birth_date = BirthDate::parse(&form.birth_date);
    let mut errors = Vec::new();
    if form.identifier.trim().is_empty() {
        errors.push(FieldError {
            field: Some("identifier"),
            message: page.t("identifier-missing"),
        });
    }
    if birth_date.is_none() {
        errors.push(FieldError {
            field: Some("birth_date"),
            message: page.t("birth-date-invalid"),
        });
    }
    match birth_date {
        Some(birth_date) if errors.is_empty() => Ok((identifier, birth_date)),
        _ => Err(errors),
    }
}

/// How an identity check ended.
pub enum IdentityOutcome {
    Proved(Box<Person>),
    /// Reason for the audit log only; the person sees the same page.
    Failed {
        reason: &'static str,
        account: Option<String>,
    },
}

/// Looks the person up and checks the birth date, counting a failure on a
/// known entry. Directory trouble is an error (503), never a "no match".
pub async fn check(
    state: &AppState,
    identifier: Option<&Identifier>,
    birth_date: &BirthDate,
) -> Result<IdentityOutcome, WebError> {
    let started = Instant::now();
    // The same argon2 work whatever happens next.
    state
        .answers
        .verify(&SecretString::from("identity-check"), None)
        .await?;
    let found = match identifier {
        Some(identifier) => state.directory.find_person(identifier).await,
        None => Ok(None),
    };
    let person = match found {
        Ok(person) => person,
        // Logged with the DNs by the directory module; for the person it is
        // simply not a match.
        Err(DirectoryError::Ambiguous) => None,
        Err(error) => return Err(error.into()),
    };
    let outcome = match person {
        None => IdentityOutcome::Failed {
            reason: "unknown_identifier",
            account: None,
        },
        // An account IT locked is never reset by self-service; it gets the
        // same page as any other failure.
        Some(person) if person.administratively_locked => IdentityOutcome::Failed {
            reason: "locked_by_it",
            account: Some(person.login.clone()),
        },
        Some(person) => {
            // Counted before the check, like every attempt (see
            // `Directory::begin_attempt`), and forgiven when right.
            match state
                .directory
                .begin_attempt(&person, &state.settings.lockout)
                .await?
            {
                Attempt::Locked { .. } => IdentityOutcome::Failed {
                    reason: "locked",
                    account: Some(person.login.clone()),
                },
                attempt if person.birth_date_matches(birth_date) => {
                    state.directory.forgive_attempt(&person, &attempt).await?;
                    IdentityOutcome::Proved(Box::new(person))
                }
                Attempt::Counted { locks_until, .. } => IdentityOutcome::Failed {
                    reason: if locks_until.is_some() {
                        "wrong_birth_date_now_locked"
                    } else {
                        "wrong_birth_date"
                    },
                    account: Some(person.login.clone()),
                },
            }
        }
    };
    if matches!(outcome, IdentityOutcome::Failed { .. }) {
        wait_for_floor(started).await;
    }
    Ok(outcome)
}

/// Sleeps until [`FAILURE_FLOOR`] has passed since `started`.
pub async fn wait_for_floor(started: Instant) {
    if let Some(rest) = FAILURE_FLOOR.checked_sub(started.elapsed()) {
        tokio::time::sleep(rest).await;
    }
}

/// The identity page of a flow (first visit, field errors, or the generic
/// failure).
#[derive(Template)]
#[template(path = "identity.html")]
pub struct IdentityTemplate {
    pub page: Layout,
    pub intro: String,
    pub lock_notice: Option<String>,
    pub action: &'static str,
    pub csrf: String,
    pub nonce: String,
    pub identifier: String,
    pub birth_date: String,
}

/// The sentence every failed identity check shows, known person or not.
pub fn failure_message(page: &Page) -> (String, String) {
    let settings = &page.settings;
    let minutes = settings.lockout.lock_seconds.div_ceil(60).max(1);
    (
        page.t("identity-failed"),
        page.t_with(
            "identity-failed-lock",
            &[
                ("max", &settings.lockout.max_failures.to_string()),
                ("minutes", &minutes.to_string()),
                ("contact", &settings.site.help_contact),
            ],
        ),
    )
}
