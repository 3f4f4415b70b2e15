//! The self-service lockout, as arithmetic over the state on the entry:
//! failed identity, answer, sign-in or code attempts within the last
//! `lockout.lock_seconds` count against `lockout.max_failures`, and the
//! last allowed failure locks self-service for `lock_seconds`
//! (`passerelleLockedUntil`). An attempt is counted *before* its secret is
//! checked ([`plan_attempt`]), so that parallel guesses cannot all read an
//! open lock before any of them is recorded; a right one is then forgiven
//! ([`forgive`], [`forgive_again`]). Pure functions of the state and the
//! time: the directory only stores what they decide.

use crate::person::GatewayState;
use crate::ports::Change;
use crate::settings::LockoutSettings;
use chrono::{DateTime, Utc};

/// Whether self-service is open to this person right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockState {
    Open { failures_left: u32 },
    Locked { until: DateTime<Utc> },
}

/// An identity, answer, sign-in or code attempt, counted as a failure
/// *before* it is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Counted. `failures_left` holds if it turns out wrong; `locks_until`
    /// is the lock it set, being the last allowed attempt.
    Counted {
        at: DateTime<Utc>,
        failures_left: u32,
        locks_until: Option<DateTime<Utc>>,
    },
    /// Self-service is locked: nothing may be checked.
    Locked { until: DateTime<Utc> },
}

/// The window failures are counted in, and the lock's length.
pub fn window(settings: &LockoutSettings) -> chrono::Duration {
    chrono::Duration::seconds(i64::try_from(settings.lock_seconds).unwrap_or(i64::MAX / 1000))
}

/// The lock state at `now`: locked while `passerelleLockedUntil` is in the
/// future; otherwise the failures within the window count against
/// `max_failures`.
pub fn lock_state(
    state: &GatewayState,
    settings: &LockoutSettings,
    now: DateTime<Utc>,
) -> LockState {
    if let Some(until) = state.locked_until.filter(|until| *until > now) {
        return LockState::Locked { until };
    }
    let recent = recent_failures(state, settings, now);
    LockState::Open {
        failures_left: settings.max_failures.saturating_sub(recent),
    }
}

fn recent_failures(state: &GatewayState, settings: &LockoutSettings, now: DateTime<Utc>) -> u32 {
    let window_start = now - window(settings);
    let recent = state
        .failure_times
        .iter()
        .filter(|t| **t >= window_start)
        .count();
    u32::try_from(recent).unwrap_or(u32::MAX)
}

/// Counts an attempt at `now`, or says the account is locked: the changes
/// to store (none when locked) and what they mean. Failures older than the
/// window go in the same modify, so the attribute never grows without
/// bound; an expired lock is tidied away.
pub fn plan_attempt(
    state: &GatewayState,
    settings: &LockoutSettings,
    now: DateTime<Utc>,
) -> (Vec<Change>, Attempt) {
    // Every time planned here is written to the entry, and later found
    // there (forgiven, taken, lifted) by its value: planned as the entry
    // stores it, to the microsecond, even by a flow that keeps it in
    // memory (the API's one-request change) rather than in its cookie.
    let now = at_entry_precision(now);
    let window_start = now - window(settings);
    let locked = state.locked_until.filter(|until| *until > now);
    let spent = recent_failures(state, settings, now);
    if locked.is_some() || spent >= settings.max_failures {
        let until = locked.unwrap_or(now + window(settings));
        return (Vec::new(), Attempt::Locked { until });
    }
    let count = spent + 1;
    // A value of its own: two attempts within one microsecond (the
    // attribute's precision) would otherwise be one value, and the second
    // could never be stored.
    let mut at = now;
    while state.failure_times.contains(&at) {
        at += chrono::Duration::microseconds(1);
    }
    let mut changes = vec![Change::AddFailure(at)];
    let old: Vec<DateTime<Utc>> = state
        .failure_times
        .iter()
        .copied()
        .filter(|t| *t < window_start)
        .collect();
    if !old.is_empty() {
        changes.push(Change::RemoveFailures(old));
    }
    let locks_until = (count >= settings.max_failures).then(|| now + window(settings));
    match locks_until {
        Some(until) => changes.push(Change::LockUntil(until)),
        None if state.locked_until.is_some() => changes.push(Change::RemoveLock(None)),
        None => {}
    }
    (
        changes,
        Attempt::Counted {
            at,
            failures_left: settings.max_failures - count,
            locks_until,
        },
    )
}

/// The removals that forgive a right attempt without reading the entry
/// first: its failure and the lock it set, by value. They remove this
/// attempt and nothing else, so they need no guard; when one value is gone
/// already (IT cleared the attempts, a password was written meanwhile) the
/// directory refuses the whole removal, and [`forgive_again`] plans it
/// from a fresh reading.
pub fn forgive(attempt: &Attempt) -> Vec<Change> {
    let Attempt::Counted {
        at, locks_until, ..
    } = *attempt
    else {
        return Vec::new();
    };
    let mut changes = vec![Change::RemoveFailures(vec![at])];
    if let Some(until) = locks_until {
        changes.push(Change::RemoveLock(Some(until)));
    }
    changes
}

/// What remains to forgive of `attempt` on the entry as it is now (`state`).
pub fn forgive_again(state: &GatewayState, attempt: &Attempt) -> Vec<Change> {
    let Attempt::Counted {
        at, locks_until, ..
    } = *attempt
    else {
        return Vec::new();
    };
    let mut changes = Vec::new();
    if state.failure_times.contains(&at) {
        changes.push(Change::RemoveFailures(vec![at]));
    }
    if locks_until.is_some() && state.locked_until == locks_until {
        changes.push(Change::RemoveLock(locks_until));
    }
    changes
}

/// Whether an attempt a sign-in left on the entry (counted at `at`) still
/// stands for one evaluation: its value is on the entry and within the
/// window (one older no longer counts, so it cannot pay for a guess now).
pub fn left_attempt_holds(
    state: &GatewayState,
    settings: &LockoutSettings,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    at >= now - window(settings) && state.failure_times.contains(&at)
}

/// Whether a right sign-in's counted attempt may stay on the entry for the
/// flow's write to clear: it is the window's only failure and set no lock.
/// Otherwise it is forgiven at once, so that sign-ins never add up to a
/// lock: a person who signs in and leaves keeps at most one counted attempt
/// until the window ends.
pub fn may_leave(attempt: &Attempt, settings: &LockoutSettings) -> bool {
    matches!(
        attempt,
        Attempt::Counted {
            failures_left,
            locks_until: None,
            ..
        } if failures_left.saturating_add(1) == settings.max_failures
    )
}

/// `time` as a failure time is stored on the entry: to the microsecond
/// (`crate::generalized_time`).
pub fn at_entry_precision(time: DateTime<Utc>) -> DateTime<Utc> {
    chrono::DurationRound::duration_trunc(time, chrono::Duration::microseconds(1)).unwrap_or(time)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_attempt_is_counted_at_the_value_the_entry_stores() {
        let now = DateTime::parse_from_rfc3339("2025-03-14T09:26:53.123456789Z")
            .unwrap()
            .with_timezone(&Utc);
        let (changes, attempt) = plan_attempt(&GatewayState::default(), &settings(), now);
        let stored = DateTime::parse_from_rfc3339("2025-03-14T09:26:53.123456Z")
            .unwrap()
            .with_timezone(&Utc);
        assert!(matches!(attempt, Attempt::Counted { at, .. } if at == stored));
        assert!(matches!(changes.first(), Some(Change::AddFailure(at)) if *at == stored));
    }

    fn settings() -> LockoutSettings {
        LockoutSettings {
            max_failures: 3,
            lock_seconds: 60,
        }
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    fn with_failures(times: &[i64]) -> GatewayState {
        GatewayState {
            failure_times: times.iter().map(|s| at(*s)).collect(),
            ..GatewayState::default()
        }
    }

    #[test]
    fn only_failures_within_the_window_count() {
        let state = with_failures(&[-120, -30]);
        assert_eq!(
            lock_state(&state, &settings(), at(0)),
            LockState::Open { failures_left: 2 }
        );
    }

    #[test]
    fn a_failure_exactly_one_window_old_still_counts_and_one_second_older_does_not() {
        let state = with_failures(&[-60]);
        assert_eq!(
            lock_state(&state, &settings(), at(0)),
            LockState::Open { failures_left: 2 }
        );
        assert_eq!(
            lock_state(&state, &settings(), at(1)),
            LockState::Open { failures_left: 3 }
        );
    }

    #[test]
    fn a_lock_holds_until_its_time_then_lifts() {
        let state = GatewayState {
            locked_until: Some(at(10)),
            failure_times: vec![at(0); 3],
            ..GatewayState::default()
        };
        assert_eq!(
            lock_state(&state, &settings(), at(0)),
            LockState::Locked { until: at(10) }
        );
        // At its very second the lock is over.
        assert!(matches!(
            lock_state(&state, &settings(), at(10)),
            LockState::Open { .. }
        ));
        assert_eq!(
            lock_state(&state, &settings(), at(61)),
            LockState::Open { failures_left: 3 }
        );
    }

    #[test]
    fn an_attempt_is_counted_before_it_is_checked() {
        let (changes, attempt) = plan_attempt(&GatewayState::default(), &settings(), at(0));
        assert_eq!(changes, vec![Change::AddFailure(at(0))]);
        assert_eq!(
            attempt,
            Attempt::Counted {
                at: at(0),
                failures_left: 2,
                locks_until: None
            }
        );
    }

    #[test]
    fn the_last_allowed_attempt_sets_the_lock_with_its_count() {
        let (changes, attempt) = plan_attempt(&with_failures(&[-10, -5]), &settings(), at(0));
        assert!(changes.contains(&Change::LockUntil(at(60))));
        assert_eq!(
            attempt,
            Attempt::Counted {
                at: at(0),
                failures_left: 0,
                locks_until: Some(at(60))
            }
        );
    }

    #[test]
    fn no_attempt_is_counted_once_the_window_s_failures_are_spent() {
        let (changes, attempt) = plan_attempt(&with_failures(&[-10, -5, -1]), &settings(), at(0));
        assert!(changes.is_empty());
        assert_eq!(attempt, Attempt::Locked { until: at(60) });
    }

    #[test]
    fn a_running_lock_refuses_whatever_the_failures() {
        let state = GatewayState {
            locked_until: Some(at(30)),
            ..GatewayState::default()
        };
        let (changes, attempt) = plan_attempt(&state, &settings(), at(0));
        assert!(changes.is_empty());
        assert_eq!(attempt, Attempt::Locked { until: at(30) });
    }

    #[test]
    fn failures_older_than_the_window_are_dropped_with_the_next_attempt() {
        let (changes, _) = plan_attempt(&with_failures(&[-500, -61, -2]), &settings(), at(0));
        assert_eq!(
            changes,
            vec![
                Change::AddFailure(at(0)),
                Change::RemoveFailures(vec![at(-500), at(-61)])
            ]
        );
    }

    #[test]
    fn an_expired_lock_is_tidied_away_by_the_next_attempt() {
        let state = GatewayState {
            locked_until: Some(at(-1)),
            ..GatewayState::default()
        };
        let (changes, attempt) = plan_attempt(&state, &settings(), at(0));
        assert!(changes.contains(&Change::RemoveLock(None)));
        assert!(matches!(attempt, Attempt::Counted { .. }));
    }

    #[test]
    fn forgiving_removes_exactly_the_attempt_and_the_lock_it_set() {
        let attempt = Attempt::Counted {
            at: at(0),
            failures_left: 0,
            locks_until: Some(at(60)),
        };
        assert_eq!(
            forgive(&attempt),
            vec![
                Change::RemoveFailures(vec![at(0)]),
                Change::RemoveLock(Some(at(60)))
            ]
        );
        assert!(forgive(&Attempt::Locked { until: at(60) }).is_empty());
    }

    #[test]
    fn two_attempts_in_the_same_microsecond_are_two_values() {
        let state = with_failures(&[0]);
        let (changes, attempt) = plan_attempt(&state, &settings(), at(0));
        let later = at(0) + chrono::Duration::microseconds(1);
        assert_eq!(changes, vec![Change::AddFailure(later)]);
        assert!(matches!(attempt, Attempt::Counted { at, .. } if at == later));
    }

    #[test]
    fn only_the_window_s_one_attempt_without_a_lock_may_stay_on_the_entry() {
        let alone = plan_attempt(&GatewayState::default(), &settings(), at(0)).1;
        assert!(may_leave(&alone, &settings()));
        let second = plan_attempt(&with_failures(&[-10]), &settings(), at(0)).1;
        assert!(!may_leave(&second, &settings()));
        let last = plan_attempt(&with_failures(&[-10, -5]), &settings(), at(0)).1;
        assert!(!may_leave(&last, &settings()));
        let only_one_allowed = LockoutSettings {
            max_failures: 1,
            lock_seconds: 60,
        };
        let locking = plan_attempt(&GatewayState::default(), &only_one_allowed, at(0)).1;
        assert!(!may_leave(&locking, &only_one_allowed));
    }

    #[test]
    fn a_left_attempt_holds_while_on_the_entry_and_within_the_window() {
        let state = with_failures(&[0]);
        assert!(left_attempt_holds(&state, &settings(), at(0), at(60)));
        assert!(!left_attempt_holds(&state, &settings(), at(0), at(61)));
        assert!(!left_attempt_holds(
            &with_failures(&[1]),
            &settings(),
            at(0),
            at(1)
        ));
    }

    #[test]
    fn forgiving_again_leaves_alone_what_is_gone_or_replaced() {
        let attempt = Attempt::Counted {
            at: at(0),
            failures_left: 0,
            locks_until: Some(at(60)),
        };
        // IT cleared the failures and another failure set a later lock.
        let state = GatewayState {
            locked_until: Some(at(90)),
            failure_times: vec![at(30)],
            ..GatewayState::default()
        };
        assert!(forgive_again(&state, &attempt).is_empty());
        let state = GatewayState {
            locked_until: Some(at(60)),
            failure_times: vec![at(0), at(30)],
            ..GatewayState::default()
        };
        assert_eq!(forgive_again(&state, &attempt), forgive(&attempt));
    }
}
