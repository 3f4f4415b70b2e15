//! The gateway's self-service state on the person's entry: failed attempts
//! and lockout, the secret question, the pending e-mail code. Kept in the
//! directory so every replica shares one truth and IT can read and clear it
//! with ordinary LDAP tools.
//!
//! Updates are read-then-modify. Where two replicas could race, the modify
//! names the exact old values it removes (a delete of a value that is gone
//! fails with rc 16), so the loser re-reads and tries again instead of
//! silently overwriting.

use super::error::DirectoryError;
use super::person::{
    format_generalized_time, Person, ATTR_ANSWER_HASH, ATTR_CODE_EXPIRY, ATTR_CODE_HASH,
    ATTR_CODE_SENT, ATTR_CODE_TRIES_LEFT, ATTR_FAILURE_TIME, ATTR_LOCKED_UNTIL, ATTR_QUESTION,
    CODE_ATTRIBUTES, GATEWAY_CLASS,
};
use super::{add_value, delete_values, remove, replace, unexpected_rc, Directory};
use crate::config::LockoutSettings;
use chrono::{DateTime, Utc};
use ldap3::Mod;

/// How many times a state update is re-read and re-tried after losing a
/// race with another replica.
const RACE_ATTEMPTS: usize = 8;

/// Whether self-service is open to this person right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockState {
    Open { failures_left: u32 },
    Locked { until: DateTime<Utc> },
}

/// An identity or answer attempt, counted as a failure *before* it is
/// checked ([`Directory::begin_attempt`]): parallel guesses cannot all read
/// an open lock before any of them is recorded.
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

/// The outcome of spending one try of a pending e-mail code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeTry {
    /// A try was spent; the caller may now compare the code.
    Spent { remaining: u32 },
    /// No code is pending or its tries are used up: refuse without comparing.
    NoneLeft,
}

/// The lock state of `person` at `now`, from the state on the entry:
/// locked while `passerelleLockedUntil` is in the future; otherwise the
/// failures within the last `lock_seconds` count against `max_failures`.
pub fn lock_state(person: &Person, settings: &LockoutSettings, now: DateTime<Utc>) -> LockState {
    if let Some(until) = person.state.locked_until {
        if until > now {
            return LockState::Locked { until };
        }
    }
    let window_start = now - window(settings);
    let recent = person
        .state
        .failure_times
        .iter()
        .filter(|t| **t >= window_start)
        .count();
    let recent = u32::try_from(recent).unwrap_or(u32::MAX);
    LockState::Open {
        failures_left: settings.max_failures.saturating_sub(recent),
    }
}

fn window(settings: &LockoutSettings) -> chrono::Duration {
    chrono::Duration::seconds(i64::try_from(settings.lock_seconds).unwrap_or(i64::MAX / 1000))
}

impl Directory {
    /// [`lock_state`] as a method, for callers holding a `Directory`.
    pub fn lock_state(
        &self,
        person: &Person,
        settings: &LockoutSettings,
        now: DateTime<Utc>,
    ) -> LockState {
        lock_state(person, settings, now)
    }

    /// Records one failed identity, answer or code attempt and locks
    /// self-service when the failures within the window reach
    /// `max_failures`. Values older than the window are dropped in the same
    /// modify, so the attribute never grows without bound.
    pub async fn record_failure(
        &self,
        person: &Person,
        settings: &LockoutSettings,
    ) -> Result<LockState, DirectoryError> {
        let _entry = self.inner.locks.lock(&person.dn).await;
        self.update_state(person, "record failure", |fresh| {
            let now = Utc::now();
            let window_start = now - window(settings);
            let (recent, old): (Vec<&DateTime<Utc>>, Vec<&DateTime<Utc>>) = fresh
                .state
                .failure_times
                .iter()
                .partition(|t| **t >= window_start);
            let count = u32::try_from(recent.len() + 1).unwrap_or(u32::MAX);
            let mut mods = class_mod(fresh);
            mods.push(add_value(ATTR_FAILURE_TIME, format_generalized_time(now)));
            if !old.is_empty() {
                mods.push(delete_values(
                    ATTR_FAILURE_TIME,
                    old.into_iter().map(|t| format_generalized_time(*t)),
                ));
            }
            let outcome = if count >= settings.max_failures {
                let until = now + window(settings);
                mods.push(replace(ATTR_LOCKED_UNTIL, format_generalized_time(until)));
                LockState::Locked { until }
            } else {
                if fresh.state.locked_until.is_some() {
                    // An expired lock: tidy it away.
                    mods.push(remove(ATTR_LOCKED_UNTIL));
                }
                LockState::Open {
                    failures_left: settings.max_failures - count,
                }
            };
            Some((mods, outcome))
        })
        .await
        .map(|o| o.unwrap_or(LockState::Open { failures_left: 0 }))
    }

    /// Counts an attempt before the caller checks it, or says the account is
    /// locked. A right attempt is then forgiven with [`Self::forgive_attempt`];
    /// a wrong one stays counted. Within one gateway the entry lock orders
    /// the attempts on an entry; across replicas a lost race re-reads.
    pub async fn begin_attempt(
        &self,
        person: &Person,
        settings: &LockoutSettings,
    ) -> Result<Attempt, DirectoryError> {
        let _entry = self.inner.locks.lock(&person.dn).await;
        let refused: std::sync::Mutex<Option<DateTime<Utc>>> = std::sync::Mutex::new(None);
        let counted = self
            .update_state(person, "begin attempt", |fresh| {
                let now = Utc::now();
                let window_start = now - window(settings);
                let (recent, old): (Vec<&DateTime<Utc>>, Vec<&DateTime<Utc>>) = fresh
                    .state
                    .failure_times
                    .iter()
                    .partition(|t| **t >= window_start);
                let locked = fresh.state.locked_until.filter(|until| *until > now);
                let spent = u32::try_from(recent.len()).unwrap_or(u32::MAX);
                if locked.is_some() || spent >= settings.max_failures {
                    if let Ok(mut refused) = refused.lock() {
                        *refused = Some(locked.unwrap_or(now + window(settings)));
                    }
                    return None;
                }
                let count = spent + 1;
                let mut mods = class_mod(fresh);
                mods.push(add_value(ATTR_FAILURE_TIME, format_generalized_time(now)));
                if !old.is_empty() {
                    mods.push(delete_values(
                        ATTR_FAILURE_TIME,
                        old.into_iter().map(|t| format_generalized_time(*t)),
                    ));
                }
                let locks_until = (count >= settings.max_failures).then(|| now + window(settings));
                if let Some(until) = locks_until {
                    mods.push(replace(ATTR_LOCKED_UNTIL, format_generalized_time(until)));
                } else if fresh.state.locked_until.is_some() {
                    mods.push(remove(ATTR_LOCKED_UNTIL));
                }
                Some((
                    mods,
                    Attempt::Counted {
                        at: now,
                        failures_left: settings.max_failures - count,
                        locks_until,
                    },
                ))
            })
            .await?;
        Ok(counted.unwrap_or_else(|| Attempt::Locked {
            until: refused.into_inner().ok().flatten().unwrap_or_else(Utc::now),
        }))
    }

    /// The attempt [`Self::begin_attempt`] counted was right: it is not a
    /// failure, and the lock it set (as the last allowed attempt) is lifted.
    pub async fn forgive_attempt(
        &self,
        person: &Person,
        attempt: &Attempt,
    ) -> Result<(), DirectoryError> {
        let Attempt::Counted {
            at, locks_until, ..
        } = *attempt
        else {
            return Ok(());
        };
        let _entry = self.inner.locks.lock(&person.dn).await;
        self.update_state(person, "forgive attempt", |fresh| {
            // Compared as stored: the directory keeps microseconds.
            let stored = |t: DateTime<Utc>| format_generalized_time(t);
            let mut mods = Vec::new();
            if fresh
                .state
                .failure_times
                .iter()
                .any(|t| stored(*t) == stored(at))
            {
                mods.push(delete_values(ATTR_FAILURE_TIME, [stored(at)]));
            }
            if locks_until.is_some()
                && fresh.state.locked_until.map(stored) == locks_until.map(stored)
            {
                mods.push(remove(ATTR_LOCKED_UNTIL));
            }
            (!mods.is_empty()).then_some((mods, ()))
        })
        .await
        .map(|_| ())
    }

    /// Forgets failed attempts and lifts the self-service lock (after a
    /// success, or when IT says so).
    pub async fn clear_failures(&self, person: &Person) -> Result<(), DirectoryError> {
        let _entry = self.inner.locks.lock(&person.dn).await;
        self.update_state(person, "clear failures", |fresh| {
            let mut mods = Vec::new();
            if !fresh.state.failure_times.is_empty() {
                mods.push(remove(ATTR_FAILURE_TIME));
            }
            if fresh.state.locked_until.is_some() {
                mods.push(remove(ATTR_LOCKED_UNTIL));
            }
            (!mods.is_empty()).then_some((mods, ()))
        })
        .await
        .map(|_| ())
    }

    /// Stores the secret question and the PHC string of its answer's hash.
    pub async fn set_secret(
        &self,
        person: &Person,
        question: &str,
        answer_hash: &str,
    ) -> Result<(), DirectoryError> {
        let _entry = self.inner.locks.lock(&person.dn).await;
        self.update_state(person, "set secret", |fresh| {
            let mut mods = class_mod(fresh);
            mods.push(replace(ATTR_QUESTION, question));
            mods.push(replace(ATTR_ANSWER_HASH, answer_hash));
            Some((mods, ()))
        })
        .await
        .map(|_| ())
    }

    /// Stores a pending e-mail code (its keyed hash), replacing any other.
    pub async fn set_code(
        &self,
        person: &Person,
        code_hash: &str,
        expiry: DateTime<Utc>,
        tries: u32,
        sent_at: DateTime<Utc>,
    ) -> Result<(), DirectoryError> {
        let _entry = self.inner.locks.lock(&person.dn).await;
        self.update_state(person, "set code", |fresh| {
            let mut mods = class_mod(fresh);
            mods.push(replace(ATTR_CODE_HASH, code_hash));
            mods.push(replace(ATTR_CODE_EXPIRY, format_generalized_time(expiry)));
            mods.push(replace(ATTR_CODE_TRIES_LEFT, tries.to_string()));
            mods.push(replace(ATTR_CODE_SENT, format_generalized_time(sent_at)));
            Some((mods, ()))
        })
        .await
        .map(|_| ())
    }

    /// Spends one try of the pending code before it is compared. The modify
    /// deletes the exact value it read and adds the decremented one, so two
    /// gateways spending at once cannot both use the same try: the second
    /// delete finds the value gone, and that gateway re-reads.
    pub async fn spend_code_try(&self, person: &Person) -> Result<CodeTry, DirectoryError> {
        let _entry = self.inner.locks.lock(&person.dn).await;
        self.update_state(person, "spend code try", |fresh| {
            let left = fresh.state.code_tries_left.filter(|n| *n > 0)?;
            fresh.state.code_hash.as_ref()?;
            let mods = vec![
                delete_values(ATTR_CODE_TRIES_LEFT, [left.to_string()]),
                add_value(ATTR_CODE_TRIES_LEFT, (left - 1).to_string()),
            ];
            Some((
                mods,
                CodeTry::Spent {
                    remaining: left - 1,
                },
            ))
        })
        .await
        .map(|o| o.unwrap_or(CodeTry::NoneLeft))
    }

    /// Removes the pending code (used, expired or superseded).
    pub async fn clear_code(&self, person: &Person) -> Result<(), DirectoryError> {
        let _entry = self.inner.locks.lock(&person.dn).await;
        self.update_state(person, "clear code", |fresh| {
            let mods: Vec<_> = CODE_ATTRIBUTES
                .iter()
                .filter(|a| fresh.present_state_attributes().contains(a))
                .map(|a| remove(a))
                .collect();
            (!mods.is_empty()).then_some((mods, ()))
        })
        .await
        .map(|_| ())
    }

    /// Re-reads the entry, asks `plan` for the modify (or `None`: nothing to
    /// do) and sends it; a modify that lost a race with another replica
    /// (rc 16 value gone, rc 20 value already there) is planned again from a
    /// fresh read.
    async fn update_state<T>(
        &self,
        person: &Person,
        what: &str,
        plan: impl Fn(&Person) -> Option<(Vec<Mod<String>>, T)>,
    ) -> Result<Option<T>, DirectoryError> {
        for _ in 0..RACE_ATTEMPTS {
            let fresh = self
                .read_person(&person.dn)
                .await?
                .ok_or_else(|| DirectoryError::Unexpected(anyhow::anyhow!("entry vanished")))?;
            let Some((mods, outcome)) = plan(&fresh) else {
                return Ok(None);
            };
            let result = self.modify(&fresh.dn, mods, false).await?;
            match result.rc {
                0 => return Ok(Some(outcome)),
                16 | 20 => {
                    tracing::debug!(what, rc = result.rc, "state update raced; re-reading");
                }
                rc => return Err(unexpected_rc(what, &result, rc)),
            }
        }
        Err(anyhow::anyhow!("{what}: still racing after {RACE_ATTEMPTS} attempts").into())
    }
}

/// Adds the gateway's auxiliary class when the entry lacks it.
fn class_mod(fresh: &Person) -> Vec<Mod<String>> {
    if fresh.has_gateway_class {
        Vec::new()
    } else {
        vec![add_value("objectClass", GATEWAY_CLASS)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::person::GatewayState;

    fn person_with(state: GatewayState) -> Person {
        Person {
            dn: "uid=t".into(),
            login: "t".into(),
            given_name: None,
            sn: None,
            display_name: "t".into(),
            recovery_mails: vec![],
            institutional_mail: None,
            birth_date: None,
            is_samba: false,
            is_shadow: false,
            has_gateway_class: true,
            name_values: vec![],
            state,
            ppolicy_locked: false,
            administratively_locked: false,
            ppolicy: Default::default(),
            password_must_change: false,
            pwd_changed_time: None,
        }
    }

    #[test]
    fn only_failures_within_the_window_count() {
        let settings = LockoutSettings {
            max_failures: 3,
            lock_seconds: 60,
        };
        let now = Utc::now();
        let person = person_with(GatewayState {
            failure_times: vec![
                now - chrono::Duration::seconds(120),
                now - chrono::Duration::seconds(30),
            ],
            ..GatewayState::default()
        });
        assert_eq!(
            lock_state(&person, &settings, now),
            LockState::Open { failures_left: 2 }
        );
    }

    #[test]
    fn a_lock_holds_until_its_time_then_lifts() {
        let settings = LockoutSettings {
            max_failures: 3,
            lock_seconds: 60,
        };
        let now = Utc::now();
        let until = now + chrono::Duration::seconds(10);
        let person = person_with(GatewayState {
            locked_until: Some(until),
            failure_times: vec![now; 3],
            ..GatewayState::default()
        });
        assert_eq!(
            lock_state(&person, &settings, now),
            LockState::Locked { until }
        );
        assert_eq!(
            lock_state(&person, &settings, now + chrono::Duration::seconds(61)),
            LockState::Open { failures_left: 3 }
        );
    }
}
