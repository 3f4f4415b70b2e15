//! Prove identity: an identifier of any configured kind and a birth date
//! (the step that opens `recover`, `identifier` and `activate`).
//!
//! An unknown identifier, a wrong birth date, a locked account and an
//! account that may not use self-service end the same way: the same
//! outcome, in the same time. A check on a known person is counted on the
//! entry before the date is compared (so parallel guesses cannot pass the
//! lock), and every failure is answered no earlier than [`FAILURE_FLOOR`]
//! after the request began, which covers the directory write an unknown
//! identifier does not cause.
//!
//! No step here costs an argon2 run: the birth date is compared as it is
//! stored, so a failure's only costs are a look-up, at most one write and
//! the floor's sleep, alike for everyone. A proof is visible anyway (the
//! next page differs); where a flow shows a proof and a failure alike
//! (`identifier`, an account already in use at `activate`) the flow waits
//! for the floor on the proof too ([`wait_for_floor`]).

use crate::audit::{AuditStep, Outcome, Who};
use crate::gateway::{Gateway, Journey, StepError};
use crate::identity::{BirthDate, Identifier};
use crate::lockout::Attempt;
use crate::person::Person;
use crate::ports::DirectoryError;
use std::time::Instant;

pub use crate::floor::{FailureFloor, FailureKind, FAILURE_FLOOR};

/// How an identity check ended.
pub enum Identity {
    Proved(Box<Person>),
    /// Unknown, wrong, ambiguous, locked or stopped: one outcome for all
    /// (the reason went to the audit trail).
    Failed,
}

/// Looks the person up and checks the birth date, counting the attempt on
/// a known entry before the date is compared. `identifier` is `None` when
/// what was typed cannot be anybody's. Failures are audited under the
/// step `identity`; a proof is audited by the flow, which knows what it
/// means there. Directory trouble is an error (503), never a "no match".
pub async fn prove(
    gateway: &Gateway,
    journey: &Journey,
    identifier: Option<&Identifier>,
    birth_date: &BirthDate,
) -> Result<Identity, StepError> {
    let started = Instant::now();
    let found = match identifier {
        Some(identifier) => gateway.directory().find_by_identifier(identifier).await,
        None => Ok(None),
    };
    let person = match found {
        Ok(person) => person,
        // Logged with the DNs by the adapter; for the person it is simply
        // not a match.
        Err(DirectoryError::Ambiguous) => None,
        Err(error) => return Err(error.into()),
    };
    let failure =
        |outcome: Outcome, who: Who<'_>| gateway.event(journey, AuditStep::Identity, outcome, who);
    let outcome = match person {
        None => {
            failure(Outcome::UnknownIdentifier, Who::Nobody);
            Identity::Failed
        }
        Some(person) => match super::standing_now(gateway, &person).await? {
            // An account that may not use self-service (IT's lock, a
            // freeze, an end date) gets the same page as any failure.
            Err(stopped) => {
                failure(super::stopped_outcome(stopped), Who::Person(&person));
                Identity::Failed
            }
            Ok(()) => match check_birth_date(gateway, &person, birth_date).await? {
                BirthDateCheck::Right => Identity::Proved(Box::new(person)),
                BirthDateCheck::Refused(outcome) => {
                    failure(outcome, Who::Person(&person));
                    Identity::Failed
                }
            },
        },
    };
    if matches!(outcome, Identity::Failed) {
        wait_for_floor(gateway, FailureKind::Identity, started).await;
    }
    Ok(outcome)
}

/// How a birth date checked against a known person ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BirthDateCheck {
    Right,
    /// Not checked (self-service locked) or wrong: the audit outcome
    /// (`locked`, `wrong_birth_date`, `wrong_birth_date_now_locked`).
    Refused(Outcome),
}

/// Checks `birth_date` against `person`'s, the attempt counted on the
/// entry before the comparison and forgiven when right: the identity
/// step's check, also the help desk's when a caller is verified by their
/// identity.
pub async fn check_birth_date(
    gateway: &Gateway,
    person: &Person,
    birth_date: &BirthDate,
) -> Result<BirthDateCheck, DirectoryError> {
    Ok(match super::count_attempt(gateway, person).await? {
        Attempt::Locked { .. } => BirthDateCheck::Refused(Outcome::Locked),
        attempt if person.birth_date_matches(birth_date) => {
            super::forgive(gateway, person, &attempt).await?;
            BirthDateCheck::Right
        }
        Attempt::Counted { locks_until, .. } => BirthDateCheck::Refused(if locks_until.is_some() {
            Outcome::WrongBirthDateNowLocked
        } else {
            Outcome::WrongBirthDate
        }),
    })
}

/// Sleeps until the failure floor of `kind` has passed since `started`
/// ([`Gateway::wait_for_floor`]).
pub async fn wait_for_floor(gateway: &Gateway, kind: FailureKind, started: Instant) {
    gateway.wait_for_floor(kind, started).await;
}
