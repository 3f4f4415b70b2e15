//! The gateway's self-service state on the person's entry: failed attempts
//! and lockout, the secret question, the pending e-mail code, a held
//! temporary password and the per-person mail cooldown. Kept in the
//! directory so every replica shares one truth and IT can read and clear it
//! with ordinary LDAP tools.
//!
//! Every update is read-then-modify, and the modify is applied only if the
//! entry is still the one that was read: it carries the assertion control
//! (RFC 4528) on the `entryCSN` read with the entry, which slapd changes on
//! every modify. Two replicas that read the same failure count cannot both
//! add to it: the second modify fails with rc 122 and that replica re-reads
//! and plans again. A per-process entry lock spares the directory most of
//! these retries; the assertion is what makes it hold across replicas.

use super::error::DirectoryError;
use super::person::EntryPerson;
use super::person::{
    format_generalized_time, Person, ATTR_ANSWER_HASH, ATTR_CODE_EXPIRY, ATTR_CODE_HASH,
    ATTR_CODE_SENT, ATTR_CODE_TRIES_LEFT, ATTR_FAILURE_TIME, ATTR_LOCKED_UNTIL, ATTR_MAIL_SENT,
    ATTR_PENDING_TEMP_EXPIRY, ATTR_PENDING_TEMP_HASH, ATTR_QUESTION, CODE_ATTRIBUTES,
    GATEWAY_CLASS,
};
use super::person::{
    ATTR_DISOWNED_CHANGE, ATTR_EXPIRY_NOTICE, ATTR_FROZEN_REASON, ATTR_FROZEN_TIME,
};
use super::{add_value, delete_values, remove, replace, unexpected_rc, Directory};
use crate::config::LockoutSettings;
use chrono::{DateTime, Utc};
use ldap3::Mod;

/// How many times a state update is re-read and re-tried after losing a
/// race with another replica. Each round has a winner, so with a handful of
/// replicas contending for one entry this is never reached in practice.
const RACE_ATTEMPTS: u64 = 12;

/// rc 122 assertionFailed (RFC 4528): the entry changed since it was read.
const ASSERTION_FAILED: u32 = 122;

/// How far in the future a stored mail time may lie and still count: a
/// replica whose clock is a little ahead. Beyond this the value is ignored,
/// so that a clock far ahead or a value typed by hand cannot block a person
/// for ever (the rule of the e-mail flows' cooldown, `in_cooldown`).
const CLOCK_SKEW_SECONDS: i64 = 5;

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

/// The outcome of claiming the right to mail a person
/// ([`Directory::claim_mail`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailClaim {
    /// This replica may send now; the time is recorded on the entry.
    Granted,
    /// A mail went out less than the cooldown ago: send nothing.
    TooSoon { next_at: DateTime<Utc> },
}

/// The outcome of the owner's « Ce n'était pas moi »
/// ([`Directory::freeze_self_service`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freeze {
    /// Self-service is now frozen, recorded with the reason.
    Frozen,
    /// This change was already disowned (the link is spent).
    AlreadyDone,
    /// The password changed again since: this change is no longer the
    /// current one, and nothing was written.
    Superseded,
}

/// The outcome of using a temporary password held on the entry
/// ([`Directory::take_pending_temporary`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PendingTemporary {
    /// It matched and is now removed: it proved who the person is, once.
    Taken,
    /// One is held but this is not it; it stays.
    Wrong,
    /// None is held, or it has expired (and is now removed).
    NoneHeld,
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
    /// a wrong one stays counted. However many replicas count at once, no
    /// more than `max_failures` attempts within `lock_seconds` are ever
    /// `Counted` (see the module's note on the assertion control).
    ///
    /// Errors: [`DirectoryError`] when the directory fails, or when other
    /// replicas kept changing the entry through every re-read.
    pub async fn begin_attempt(
        &self,
        person: &Person,
        settings: &LockoutSettings,
    ) -> Result<Attempt, DirectoryError> {
        let _entry = self.inner.locks.lock(&person.dn).await;
        // Callers pass a person read in this very request: the count starts
        // from that reading (a stale one fails the assertion and is read
        // again), which saves a search on every secret checked.
        self.update_state_from(person, true, "begin attempt", |fresh| {
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
                let until = locked.unwrap_or(now + window(settings));
                return Some((Vec::new(), Attempt::Locked { until }));
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
        .await
        .map(|o| {
            // The plan always answers; "nothing" cannot happen.
            o.unwrap_or_else(|| Attempt::Locked { until: Utc::now() })
        })
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
        // Most often the counted value is still there, and so is the lock
        // it set: both are deleted by value, without reading the entry
        // first (value deletes need no guard: they remove this attempt and
        // nothing else). When one is gone already (IT cleared the
        // attempts, a password was written meanwhile, the lock was
        // replaced), the whole modify fails with rc 16 and changes nothing;
        // the entry is then read, and what remains of the attempt deleted.
        let stored = |t: DateTime<Utc>| format_generalized_time(t);
        let mut mods = vec![delete_values(ATTR_FAILURE_TIME, [stored(at)])];
        if let Some(until) = locks_until {
            mods.push(delete_values(ATTR_LOCKED_UNTIL, [stored(until)]));
        }
        let result = self.modify(&person.dn, mods, false).await?;
        match result.rc {
            0 => return Ok(()),
            16 => {}
            rc => return Err(unexpected_rc("forgive attempt", &result, rc)),
        }
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

    /// Claims the right to mail `person` now: granted to exactly one of any
    /// number of replicas asking at once, then refused until `cooldown` has
    /// passed since `now` (the time recorded in `passerelleMailSentTime`).
    /// A recorded time more than a few seconds in the future (a replica's
    /// clock far ahead, a value typed by hand) is ignored rather than
    /// allowed to block the person for ever. Claim before sending, for
    /// every mail a visitor can trigger (code, temporary password,
    /// identifier); a claim whose mail then is not sent is not given back.
    ///
    /// Errors: [`DirectoryError`] when the directory fails or other
    /// replicas kept changing the entry through every re-read.
    pub async fn claim_mail(
        &self,
        person: &Person,
        cooldown: std::time::Duration,
        now: DateTime<Utc>,
    ) -> Result<MailClaim, DirectoryError> {
        let cooldown = chrono::Duration::from_std(cooldown).unwrap_or(chrono::Duration::MAX);
        let skew = chrono::Duration::seconds(CLOCK_SKEW_SECONDS);
        let _entry = self.inner.locks.lock(&person.dn).await;
        self.update_state(person, "claim mail", |fresh| {
            if let Some(sent) = fresh.state.mail_sent {
                let next_at = sent
                    .checked_add_signed(cooldown)
                    .unwrap_or(DateTime::<Utc>::MAX_UTC);
                if now < next_at && sent <= now + skew {
                    return Some((Vec::new(), MailClaim::TooSoon { next_at }));
                }
            }
            let mut mods = class_mod(fresh);
            mods.push(replace(ATTR_MAIL_SENT, format_generalized_time(now)));
            Some((mods, MailClaim::Granted))
        })
        .await
        .map(|o| o.unwrap_or(MailClaim::Granted))
    }

    /// « Ce n'était pas moi »: freezes self-service for `person` because
    /// its owner disowned the password change `change` (its
    /// `pwdChangedTime` and `passerelleChangeId`),
    /// recording when (`passerelleFrozenTime`), why (`reason`, one line) and
    /// which change (`passerelleDisownedChange`, which also spends the
    /// link). Only if that change is still the entry's current one; once
    /// per change, whatever the number of replicas or clicks. Only IT lifts
    /// it (docs/not-me.md); a new password does not.
    ///
    /// Errors: [`DirectoryError`] when the directory fails.
    pub async fn freeze_self_service(
        &self,
        person: &Person,
        change: (&str, &str),
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Freeze, DirectoryError> {
        let (changed_time, change_id) = change;
        let _entry = self.inner.locks.lock(&person.dn).await;
        self.update_state(person, "freeze self-service", |fresh| {
            if fresh.pwd_changed_time.as_deref() != Some(changed_time)
                || fresh.state.change_id.as_deref() != Some(change_id)
            {
                return Some((Vec::new(), Freeze::Superseded));
            }
            if fresh.state.disowned_change.as_deref() == Some(change_id) {
                return Some((Vec::new(), Freeze::AlreadyDone));
            }
            let mut mods = class_mod(fresh);
            mods.push(replace(ATTR_FROZEN_TIME, format_generalized_time(now)));
            mods.push(replace(ATTR_FROZEN_REASON, reason));
            mods.push(replace(ATTR_DISOWNED_CHANGE, change_id));
            Some((mods, Freeze::Frozen))
        })
        .await
        .map(|o| o.unwrap_or(Freeze::Superseded))
    }

    /// Records that the expiry notice `notice` (`<pwdChangedTime> <days>`)
    /// was mailed to `person`, unless the entry already records it: `true`
    /// when this call recorded it (so exactly one of several runs mails).
    ///
    /// Errors: [`DirectoryError`] when the directory fails.
    pub async fn claim_expiry_notice(
        &self,
        person: &Person,
        notice: &str,
    ) -> Result<bool, DirectoryError> {
        let _entry = self.inner.locks.lock(&person.dn).await;
        self.update_state(person, "claim expiry notice", |fresh| {
            if fresh.state.expiry_notice.as_deref() == Some(notice) {
                return Some((Vec::new(), false));
            }
            let mut mods = class_mod(fresh);
            mods.push(replace(ATTR_EXPIRY_NOTICE, notice));
            Some((mods, true))
        })
        .await
        .map(|o| o.unwrap_or(false))
    }

    /// Holds a temporary password on the entry as its keyed hash
    /// (`CodeKey::hash_temporary`, hex) until `expires`, replacing any other
    /// held one. The current password, the NT hash and `pwdReset` are left
    /// alone: a stranger asking for a temporary password locks nobody out.
    /// It is used once with [`Self::take_pending_temporary`] and made
    /// obsolete by any password write.
    ///
    /// Errors: [`DirectoryError`] when the directory fails.
    pub async fn set_pending_temporary(
        &self,
        person: &Person,
        hash: &str,
        expires: DateTime<Utc>,
    ) -> Result<(), DirectoryError> {
        let _entry = self.inner.locks.lock(&person.dn).await;
        self.update_state(person, "set pending temporary", |fresh| {
            let mut mods = class_mod(fresh);
            mods.push(replace(ATTR_PENDING_TEMP_HASH, hash));
            mods.push(replace(
                ATTR_PENDING_TEMP_EXPIRY,
                format_generalized_time(expires),
            ));
            Some((mods, ()))
        })
        .await
        .map(|_| ())
    }

    /// Uses the temporary password held on the entry, once: `matches` is
    /// given the stored hash and says whether the typed password is the one
    /// (`CodeKey::matches_temporary`). A match before its expiry removes it
    /// in a modify that only one of several replicas can win, so two
    /// sign-ins racing with the same mailed password cannot both be
    /// `Taken`. An expired one is removed and proves nothing. Count the
    /// attempt first ([`Self::begin_attempt`]): a `Wrong` stays counted.
    ///
    /// Errors: [`DirectoryError`] when the directory fails.
    pub async fn take_pending_temporary(
        &self,
        person: &Person,
        now: DateTime<Utc>,
        matches: impl Fn(&str) -> bool,
    ) -> Result<PendingTemporary, DirectoryError> {
        let _entry = self.inner.locks.lock(&person.dn).await;
        self.update_state(person, "take pending temporary", |fresh| {
            let held = fresh.state.pending_temp_hash.as_deref();
            let expiry = fresh.state.pending_temp_expiry;
            let outcome = match (held, expiry) {
                (None, None) => return None,
                (Some(hash), Some(expiry)) if expiry > now => {
                    if !matches(hash) {
                        return Some((Vec::new(), PendingTemporary::Wrong));
                    }
                    PendingTemporary::Taken
                }
                // Expired, or half of it missing (IT's hand): tidy away.
                _ => PendingTemporary::NoneHeld,
            };
            Some((pending_temporary_removal(fresh), outcome))
        })
        .await
        .map(|o| o.unwrap_or(PendingTemporary::NoneHeld))
    }

    /// Removes a held temporary password that expired at or before `now`
    /// (the sweep calls this for every entry it finds); `true` if one was
    /// removed.
    pub(super) async fn drop_expired_pending_temporary(
        &self,
        person: &Person,
        now: DateTime<Utc>,
    ) -> Result<bool, DirectoryError> {
        let _entry = self.inner.locks.lock(&person.dn).await;
        self.update_state(person, "drop expired pending temporary", |fresh| {
            let expired = fresh.state.pending_temp_expiry.is_some_and(|e| e <= now);
            expired.then(|| (pending_temporary_removal(fresh), true))
        })
        .await
        .map(|o| o.unwrap_or(false))
    }

    /// Re-reads the entry, asks `plan` for the modify and its outcome (or
    /// `None`: nothing to do; no modification: the outcome without a write)
    /// and sends it, applied only if the entry is unchanged since the read
    /// (assertion on `entryCSN`). A modify that lost a race with another
    /// replica (rc 122 entry changed, rc 16 value gone, rc 20 value already
    /// there) is planned again from a fresh read, after a short random pause
    /// so that the same replicas do not collide again in step.
    async fn update_state<T>(
        &self,
        person: &Person,
        what: &str,
        plan: impl Fn(&Person) -> Option<(Vec<Mod<String>>, T)>,
    ) -> Result<Option<T>, DirectoryError> {
        self.update_state_from(person, false, what, plan).await
    }

    /// [`Self::update_state`], starting from `person` as given when
    /// `as_read` and it carries its version: a reading that is no longer
    /// current fails the assertion, and the next round reads the entry.
    async fn update_state_from<T>(
        &self,
        person: &Person,
        as_read: bool,
        what: &str,
        plan: impl Fn(&Person) -> Option<(Vec<Mod<String>>, T)>,
    ) -> Result<Option<T>, DirectoryError> {
        for round in 1..=RACE_ATTEMPTS {
            let given = round == 1 && as_read && person.version.is_some();
            let (fresh, csn) = match &person.version {
                Some(version) if given => (person.clone(), Some(version.clone())),
                _ => self
                    .read_versioned(&person.dn)
                    .await?
                    .ok_or_else(|| DirectoryError::Unexpected(anyhow::anyhow!("entry vanished")))?,
            };
            let Some((mods, outcome)) = plan(&fresh) else {
                return Ok(None);
            };
            if mods.is_empty() {
                return Ok(Some(outcome));
            }
            if csn.is_none() {
                // Only a server without lastmod keeps no CSN: updates then
                // rely on exact-value deletes alone, as before.
                tracing::warn!(what, "the entry has no entryCSN: state update not guarded");
            }
            let result = self
                .modify_if_unchanged(&fresh.dn, mods, csn.as_deref())
                .await?;
            match result.rc {
                0 => return Ok(Some(outcome)),
                // The given reading was out of date: read it now.
                ASSERTION_FAILED if given => {}
                ASSERTION_FAILED | 16 | 20 => {
                    tracing::debug!(what, rc = result.rc, "state update raced; re-reading");
                    let pause = rand::Rng::gen_range(&mut rand::thread_rng(), 1..10) * round;
                    tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
                }
                rc => return Err(unexpected_rc(what, &result, rc)),
            }
        }
        Err(anyhow::anyhow!("{what}: still racing after {RACE_ATTEMPTS} attempts").into())
    }
}

/// Removes the held temporary password (hash and expiry, as present).
fn pending_temporary_removal(fresh: &Person) -> Vec<Mod<String>> {
    let mut mods = Vec::new();
    if fresh.state.pending_temp_hash.is_some() {
        mods.push(remove(ATTR_PENDING_TEMP_HASH));
    }
    if fresh.state.pending_temp_expiry.is_some() {
        mods.push(remove(ATTR_PENDING_TEMP_EXPIRY));
    }
    mods
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
            version: None,
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
