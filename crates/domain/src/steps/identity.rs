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
use std::time::{Duration, Instant};

/// No failed check is answered sooner than this: longer than a look-up and
/// a failure write take together on a healthy directory (a few
/// milliseconds), so their sum cannot be told from the response time. It
/// also bounds the sign-in and code steps' refusals, whose check is a bind
/// or a keyed hash.
pub const FAILURE_FLOOR: Duration = Duration::from_millis(250);

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
            Ok(()) => match super::count_attempt(gateway, &person).await? {
                Attempt::Locked { .. } => {
                    failure(Outcome::Locked, Who::Person(&person));
                    Identity::Failed
                }
                attempt if person.birth_date_matches(birth_date) => {
                    super::forgive(gateway, &person, &attempt).await?;
                    Identity::Proved(Box::new(person))
                }
                Attempt::Counted { locks_until, .. } => {
                    let outcome = if locks_until.is_some() {
                        Outcome::WrongBirthDateNowLocked
                    } else {
                        Outcome::WrongBirthDate
                    };
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

/// Sleeps until the failure floor of `kind` has passed since `started`:
/// at least [`FAILURE_FLOOR`], more while the gateway is busy
/// ([`FailureFloor`]).
pub async fn wait_for_floor(gateway: &Gateway, kind: FailureKind, started: Instant) {
    gateway.failure_floor().wait(kind, started).await;
}

/// The checks whose failures must look alike, each with its own floor:
/// their work differs (a search and a write; a bind), and a sign-in
/// should not wait for what identity checks cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// Identifier and birth date (`recover`, `activate`, `identifier`).
    Identity,
    /// Login and password (`account`, `change`).
    SignIn,
    /// An e-mailed code or its link (`code`).
    Code,
}

/// Failures kept to compute the floor from.
const FLOOR_WINDOW: usize = 64;
/// Failures older than this no longer count.
const FLOOR_MEMORY: Duration = Duration::from_secs(30);
/// The floor never exceeds this, whatever the load (a stalled directory
/// already answers "unavailable" after `ldap.timeout_seconds`).
const MAX_FAILURE_FLOOR: Duration = Duration::from_secs(5);

/// The time no failure is answered before, per gateway: [`FAILURE_FLOOR`]
/// on a healthy gateway, and under load the 90th percentile of the work
/// the recent failures took (measured on this gateway, known and unknown
/// people alike, over the last [`FLOOR_WINDOW`] failures of the last
/// [`FLOOR_MEMORY`], at most [`MAX_FAILURE_FLOOR`]).
///
/// A fixed floor only hides work shorter than itself. Saturated by 64
/// resets at once, a known person's failure (the attempt written on the
/// entry, or a bind that slapd checks and records) waited behind the
/// directory's queue and came back 0.3 to 1.3 s later than an unknown
/// person's (measured, tests/suite/sameness_under_load.rs): the floor now
/// rises with that work, so both wait for the same, longer time.
#[derive(Debug, Default)]
pub struct FailureFloor {
    /// Per [`FailureKind`], in its order.
    recent: [std::sync::Mutex<std::collections::VecDeque<(Instant, Duration)>>; 3],
}

impl FailureFloor {
    /// Records the work of the failure of `kind` that began at `started`,
    /// then waits until the floor has passed since `started`.
    pub async fn wait(&self, kind: FailureKind, started: Instant) {
        let floor = self.record(kind, started.elapsed());
        if let Some(rest) = floor.checked_sub(started.elapsed()) {
            tokio::time::sleep(rest).await;
        }
    }

    /// Adds one failure's work and returns the floor of `kind` now.
    fn record(&self, kind: FailureKind, work: Duration) -> Duration {
        let now = Instant::now();
        let Ok(mut recent) = self.recent[kind as usize].lock() else {
            return FAILURE_FLOOR;
        };
        recent.push_back((now, work));
        while recent.len() > FLOOR_WINDOW
            || recent
                .front()
                .is_some_and(|(at, _)| now.duration_since(*at) > FLOOR_MEMORY)
        {
            recent.pop_front();
        }
        let mut works: Vec<Duration> = recent.iter().map(|(_, work)| *work).collect();
        works.sort();
        let p90 = works[(works.len() * 9 / 10).min(works.len() - 1)];
        p90.clamp(FAILURE_FLOOR, MAX_FAILURE_FLOOR)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_floor_is_the_fixed_one_on_a_quiet_gateway_and_rises_with_slow_failures() {
        let floor = FailureFloor::default();
        let quick = Duration::from_millis(30);
        for _ in 0..20 {
            assert_eq!(floor.record(FailureKind::Identity, quick), FAILURE_FLOOR);
        }
        // A third of the failures now take 900 ms: the floor follows.
        let mut last = FAILURE_FLOOR;
        for round in 0..30 {
            let work = if round % 3 == 0 {
                Duration::from_millis(900)
            } else {
                quick
            };
            last = floor.record(FailureKind::Identity, work);
        }
        assert_eq!(last, Duration::from_millis(900));
        // Another kind keeps its own.
        assert_eq!(floor.record(FailureKind::SignIn, quick), FAILURE_FLOOR);
        // Never past the cap.
        assert_eq!(
            floor.record(FailureKind::Code, Duration::from_secs(60)),
            MAX_FAILURE_FLOOR
        );
    }
}
