//! Prove identity: an identifier of any configured kind and a birth date
//! (the step that opens `recover`, `identifier` and `activate`).
//!
//! An unknown identifier, a wrong birth date and a locked account end the
//! same way: the same outcome, in the same time. A check on a known person
//! is counted on the entry before the date is compared (so parallel guesses
//! cannot pass the lock), and every failure is answered no earlier than
//! [`FAILURE_FLOOR`] after the request began, which covers the directory
//! write an unknown identifier does not cause.
//!
//! No step here costs an argon2 run: the birth date is compared as it is
//! stored, so a failure's only costs are a look-up, at most one write and
//! the floor's sleep, alike for everyone. (Every check used to run a dummy
//! argon2 verification "for the same CPU cost"; since no outcome ran a real
//! one, it told nothing apart and only made every reset pay two argon2
//! runs, this one and the secret answer's.) A proof is visible
//! anyway (the next page differs); where a flow shows a proof and a failure
//! alike (`identifier`, an account already in use at `activate`) the flow
//! waits for the floor on the proof too ([`wait_for_floor`]).

use super::{FlowError, Gateway, Trail};
use crate::directory::{Attempt, BirthDate, DirectoryError, Identifier, Person};
use std::time::{Duration, Instant};

/// No failed check is answered sooner than this: longer than a look-up and
/// a failure write take together on a healthy directory (a few
/// milliseconds), so their sum cannot be told from the response time. It
/// also bounds the sign-in and code steps' refusals ([`super::sign_in`],
/// [`super::code`]), whose check is a bind or a keyed hash.
pub const FAILURE_FLOOR: Duration = Duration::from_millis(250);

/// How an identity check ended.
pub enum Identity {
    Proved(Box<Person>),
    /// Unknown, wrong, ambiguous or locked: one outcome for all (the reason
    /// went to the audit trail).
    Failed,
}

/// Looks the person up and checks the birth date, counting the attempt on
/// a known entry before the date is compared. `identifier` is `None` when
/// what was typed cannot be anybody's. Failures are audited under the
/// step `identity`; a proof is audited by the flow, which knows what it
/// means there. Directory trouble is an error (503), never a "no match".
pub async fn prove(
    gateway: &Gateway,
    trail: &Trail,
    identifier: Option<&Identifier>,
    birth_date: &BirthDate,
) -> Result<Identity, FlowError> {
    let started = Instant::now();
    let found = match identifier {
        Some(identifier) => gateway.directory.find_person(identifier).await,
        None => Ok(None),
    };
    let person = match found {
        Ok(person) => person,
        // Logged with the DNs by the directory module; for the person it is
        // simply not a match.
        Err(DirectoryError::Ambiguous) => None,
        Err(error) => return Err(error.into()),
    };
    let failure = |reason: &str, account: Option<&str>| trail.event("identity", reason, account);
    let outcome = match person {
        None => {
            failure("unknown_identifier", None);
            Identity::Failed
        }
        // An account IT locked is never reset by self-service; it gets the
        // same page as any other failure.
        Some(person) if gateway.directory.self_service_stopped(&person).await? => {
            failure("locked_by_it", Some(&person.login));
            Identity::Failed
        }
        Some(person) => {
            match gateway
                .directory
                .begin_attempt(&person, &gateway.settings.lockout)
                .await?
            {
                Attempt::Locked { .. } => {
                    failure("locked", Some(&person.login));
                    Identity::Failed
                }
                attempt if person.birth_date_matches(birth_date) => {
                    gateway.directory.forgive_attempt(&person, &attempt).await?;
                    Identity::Proved(Box::new(person))
                }
                Attempt::Counted { locks_until, .. } => {
                    let reason = if locks_until.is_some() {
                        "wrong_birth_date_now_locked"
                    } else {
                        "wrong_birth_date"
                    };
                    failure(reason, Some(&person.login));
                    Identity::Failed
                }
            }
        }
    };
    if matches!(outcome, Identity::Failed) {
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
