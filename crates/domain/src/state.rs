//! The self-service state of one person, as operations of the gateway: an
//! attempt counted before its secret is checked and forgiven after, a
//! failure recorded, the lock lifted, a question, a code or a temporary
//! password stored, a mail claimed under the cooldown. Each decides from
//! the entry as it is ([`crate::lockout`], [`crate::cooldown`])
//! and writes through the directory's compare-and-swap
//! ([`Gateway::update`]), so that replicas share one truth. The steps use
//! them; so do tools and the help desk.

use crate::cooldown::{plan_claim, MailClaim};
use crate::gateway::{Gateway, Writer};
use crate::lockout::{self, Attempt, LockState};
use crate::person::Person;
use crate::ports::{Applied, Change, DirectoryError, PasswordWrite, PasswordWriteError};
use crate::writing::WRITE_ROUNDS;
use chrono::{DateTime, Utc};

/// The outcome of spending one try of a pending e-mailed code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeTry {
    /// A try was spent; the caller may now compare the code with `hash`
    /// and `expiry`, the pending code's as they stood when the try was
    /// spent (a newer code stored meanwhile is not this one).
    Spent {
        remaining: u32,
        hash: String,
        expiry: Option<DateTime<Utc>>,
    },
    /// No code is pending or its tries are used up: refuse without comparing.
    NoneLeft,
}

/// How a code tried by [`Gateway::try_code`] ended, once stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeTried {
    /// The window's failures are spent: refused before any comparison.
    Locked,
    /// No code pending, or its tries used up: the attempt was counted.
    NoneLeft,
    /// The code was right and is now removed (single use); `live` when it
    /// had not expired.
    Right { live: bool },
    /// The code was wrong: the attempt counted and a try spent;
    /// `now_locked` when this failure used the window's last attempt.
    Wrong { now_locked: bool },
}

/// The outcome of [`Gateway::claim_mail_and_store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimAndStore {
    /// Claimed and stored: the mail may leave.
    Stored,
    /// A mail went out less than the cooldown ago: nothing stored.
    TooSoon,
    /// The account may not use self-service (and why): nothing stored.
    Stopped(crate::standing::Stopped),
}

/// The outcome of [`Gateway::claim_sms_and_store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmsClaimed {
    /// Claimed and stored: the SMS may leave.
    Stored,
    /// One went out less than `flows.sms_resend_seconds` ago.
    TooSoon { next_at: DateTime<Utc> },
    /// `flows.sms_daily_max` went out within the last 24 hours.
    DailyCap { next_at: DateTime<Utc> },
    /// The account may not use self-service (and why): nothing stored.
    Stopped(crate::standing::Stopped),
}

/// The outcome of using a temporary password held on the entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeldTemporary {
    /// It matched and is now removed: it proved who the person is, once.
    Taken,
    /// One is held but this is not it; it stays.
    Wrong,
    /// None is held, or it has expired (and is now removed).
    NoneHeld,
}

impl Gateway {
    /// Writes `password` outright, as an administrator's tool would: no
    /// flow's proof to respect, but never on an account only IT may reopen
    /// (the write would lift its lock), re-read and retried when the entry
    /// changed meanwhile, with what a new password makes obsolete and a
    /// random change id.
    ///
    /// Errors: the directory's refusal or failure.
    pub async fn write_password(
        &self,
        person: &Person,
        password: &secrecy::SecretString,
        kind: crate::ports::WriteKind,
    ) -> Result<(), crate::ports::PasswordWriteError> {
        use crate::writing::{made_obsolete, random_change_id, temporary_change_id};
        let password = passerelle_text::normalize_password(password);
        let write = crate::ports::PasswordWrite {
            password: &password,
            kind,
            change_id: match kind {
                crate::ports::WriteKind::Temporary { .. } => temporary_change_id(self.now()),
                _ => random_change_id(),
            },
            also: made_obsolete(kind),
            old_password: None,
        };
        // Never on an account only IT may reopen: ppolicy would lift the
        // lock with the write.
        let guard = |fresh: &Person, policy: &crate::ppolicy::DirectoryPolicy| {
            if fresh.ppolicy.lock.stops_self_service(policy) {
                Err(PasswordWriteError::Locked)
            } else {
                Ok(true)
            }
        };
        write_unconditionally(self, person, &write, guard, Writer::Gateway)
            .await
            .map(|_| ())
    }

    /// The lock state of `person` (as read) now.
    pub fn lock_state(&self, person: &Person) -> LockState {
        lockout::lock_state(&person.state, &self.settings().lockout, self.now())
    }

    /// Counts an attempt on the entry before its secret is checked
    /// ([`lockout::plan_attempt`]), starting from `person` as read in this
    /// request. However many replicas count at once, no more than
    /// `lockout.max_failures` attempts within the window are ever
    /// `Counted`.
    ///
    /// Errors: the directory's, or other replicas changing the entry
    /// through every re-read.
    pub async fn count_attempt(&self, person: &Person) -> Result<Attempt, DirectoryError> {
        let settings = &self.settings().lockout;
        let now = self.now();
        let counted = self
            .update(person, true, |fresh| {
                Some(lockout::plan_attempt(&fresh.state, settings, now))
            })
            .await?;
        // The plan always answers; "nothing" cannot happen.
        Ok(counted.unwrap_or(Attempt::Locked { until: now }))
    }

    /// The attempt [`Gateway::count_attempt`] counted was right: it is not
    /// a failure, and the lock it set (as the last allowed attempt) is
    /// lifted. Most often both are still there and are removed by value
    /// without reading the entry first; when one is gone already, what
    /// remains is planned from a fresh reading.
    pub async fn forgive_attempt(
        &self,
        person: &Person,
        attempt: &Attempt,
    ) -> Result<(), DirectoryError> {
        let changes = lockout::forgive(attempt);
        if changes.is_empty() {
            return Ok(());
        }
        {
            let _entry = self.hold(&person.dn).await;
            if self.directory().apply_unguarded(person, &changes).await? == Applied::Yes {
                return Ok(());
            }
        }
        self.update(person, false, |fresh| {
            let changes = lockout::forgive_again(&fresh.state, attempt);
            (!changes.is_empty()).then_some((changes, ()))
        })
        .await
        .map(|_| ())
    }

    /// Records one failed attempt now (counted like [`Gateway::count_attempt`],
    /// and left counted): the lock state after it.
    pub async fn record_failure(&self, person: &Person) -> Result<LockState, DirectoryError> {
        let settings = &self.settings().lockout;
        let now = self.now();
        let recorded = self
            .update(person, false, |fresh| {
                let (changes, attempt) = lockout::plan_attempt(&fresh.state, settings, now);
                let state = match attempt {
                    Attempt::Locked { until } => LockState::Locked { until },
                    Attempt::Counted {
                        locks_until: Some(until),
                        ..
                    } => LockState::Locked { until },
                    Attempt::Counted { failures_left, .. } => LockState::Open { failures_left },
                };
                Some((changes, state))
            })
            .await?;
        Ok(recorded.unwrap_or(LockState::Open { failures_left: 0 }))
    }

    /// Forgives a sign-in's attempt left on the entry `dn` (its
    /// `passerelleFailureTime` value `at`), by value; nothing when it is
    /// gone already (a write or a question change took it).
    ///
    /// Errors: the directory's.
    pub async fn forgive_left_attempt(
        &self,
        dn: &str,
        at: DateTime<Utc>,
    ) -> Result<(), DirectoryError> {
        let Some(person) = self.directory().read(dn).await? else {
            return Ok(());
        };
        if !person.state.failure_times.contains(&at) {
            return Ok(());
        }
        let attempt = Attempt::Counted {
            at,
            failures_left: 0,
            locks_until: None,
        };
        self.forgive_attempt(&person, &attempt).await
    }

    /// Takes a sign-in's attempt left on the entry ([`crate::gateway::Proof::attempt`])
    /// as the count of a second proof that turned out wrong: the value is
    /// replaced by a failure of its own (the count is unchanged: that
    /// attempt was counted before the check), so that no other copy of the
    /// flow can evaluate a guess under it. Starts from `person` as read in
    /// this request; `false` when the attempt is no longer on the entry (or
    /// no longer within the window): the caller counts a new one before it
    /// says anything of its guess.
    ///
    /// Errors: the directory's, or other replicas changing the entry
    /// through every re-read.
    pub async fn take_left_attempt(
        &self,
        person: &Person,
        at: DateTime<Utc>,
    ) -> Result<bool, DirectoryError> {
        let settings = &self.settings().lockout;
        let now = self.now();
        let taken = self
            .update(person, true, |fresh| {
                if !lockout::left_attempt_holds(&fresh.state, settings, at, now) {
                    return Some((Vec::new(), false));
                }
                // Another value than the attempt's, and than any other
                // failure's: a later time, by at least a microsecond (the
                // attribute's precision).
                let mut failed =
                    lockout::at_entry_precision(now).max(at + chrono::Duration::microseconds(1));
                while fresh.state.failure_times.contains(&failed) {
                    failed += chrono::Duration::microseconds(1);
                }
                Some((
                    vec![Change::RemoveFailures(vec![at]), Change::AddFailure(failed)],
                    true,
                ))
            })
            .await?;
        Ok(taken.unwrap_or(false))
    }

    /// Forgets the failed attempts and lifts the self-service lock (IT, the
    /// help desk).
    pub async fn clear_failures(&self, person: &Person) -> Result<(), DirectoryError> {
        self.update(person, false, |fresh| {
            let held = !fresh.state.failure_times.is_empty() || fresh.state.locked_until.is_some();
            held.then(|| (vec![Change::ClearFailures, Change::RemoveLock(None)], ()))
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
        self.update(person, false, |_| {
            Some((
                vec![Change::SetSecret {
                    question: question.to_owned(),
                    answer_hash: answer_hash.to_owned(),
                }],
                (),
            ))
        })
        .await
        .map(|_| ())
    }

    /// Stores `new_hash` for the answer `old_hash` stood for (a right answer
    /// hashed under an older normalisation), only while the entry still
    /// holds `question` with `old_hash`: a question its owner replaced
    /// meanwhile is never put back. Whether it was stored.
    ///
    /// Errors: the directory's.
    pub async fn rehash_secret(
        &self,
        person: &Person,
        question: &str,
        old_hash: &str,
        new_hash: &str,
    ) -> Result<bool, DirectoryError> {
        self.update(person, true, |fresh| {
            let same = fresh.state.question.as_deref() == Some(question)
                && fresh.state.answer_hash.as_deref() == Some(old_hash);
            same.then(|| {
                (
                    vec![Change::SetSecret {
                        question: question.to_owned(),
                        answer_hash: new_hash.to_owned(),
                    }],
                    (),
                )
            })
        })
        .await
        .map(|stored| stored.is_some())
    }

    /// Stores a pending e-mailed code (its keyed hash), replacing any other.
    pub async fn set_code(
        &self,
        person: &Person,
        hash: &str,
        expiry: DateTime<Utc>,
        tries: u32,
        sent_at: DateTime<Utc>,
    ) -> Result<(), DirectoryError> {
        self.update(person, false, |_| {
            Some((
                vec![Change::SetCode {
                    hash: hash.to_owned(),
                    expiry,
                    tries,
                    sent_at,
                }],
                (),
            ))
        })
        .await
        .map(|_| ())
    }

    /// Spends one try of the pending code, before it is compared: however
    /// many replicas spend at once, each try is spent once.
    pub async fn spend_code_try(&self, person: &Person) -> Result<CodeTry, DirectoryError> {
        let spent = self
            .update(person, false, |fresh| {
                let left = fresh.state.code_tries_left.filter(|n| *n > 0)?;
                let hash = fresh.state.code_hash.clone()?;
                Some((
                    vec![Change::SpendCodeTry { left }],
                    CodeTry::Spent {
                        remaining: left - 1,
                        hash,
                        expiry: fresh.state.code_expiry,
                    },
                ))
            })
            .await?;
        Ok(spent.unwrap_or(CodeTry::NoneLeft))
    }

    /// Tries a code against the pending one in ONE modify, guarded by the
    /// entry's version like every state write (the code step, issue 25:
    /// one modify where there were two, then three). The comparison
    /// (`right`, given the stored keyed hash) is made on the entry as read,
    /// but its answer is given only once this modify stored what it means:
    /// a wrong code, or none pending, counts the attempt towards the lockout
    /// and spends a try; a right one (while tries are left) removes the code
    /// for good, single use, and counts nothing, since it is no guess. Any
    /// number of requests trying codes at once, on any replica, are thus
    /// answered one entry version at a time, each wrong one counted before
    /// its answer. A window whose failures are spent refuses even a right
    /// code, before anything is compared. Starts from `person` as read in
    /// this request.
    ///
    /// Errors: the directory's, or other replicas changing the entry
    /// through every re-read.
    pub async fn try_code(
        &self,
        person: &Person,
        right: impl Fn(&str) -> bool,
    ) -> Result<CodeTried, DirectoryError> {
        let settings = &self.settings().lockout;
        let now = self.now();
        let tried = self
            .update(person, true, |fresh| {
                let (mut changes, attempt) = lockout::plan_attempt(&fresh.state, settings, now);
                if let Attempt::Locked { .. } = attempt {
                    return Some((changes, CodeTried::Locked));
                }
                let state = &fresh.state;
                let (Some(left), Some(hash)) =
                    (state.code_tries_left.filter(|n| *n > 0), &state.code_hash)
                else {
                    return Some((changes, CodeTried::NoneLeft));
                };
                if right(hash) {
                    let live = state.code_expiry.is_some_and(|expiry| expiry > now);
                    return Some((vec![Change::ClearCode], CodeTried::Right { live }));
                }
                changes.push(Change::SpendCodeTry { left });
                let now_locked = matches!(
                    attempt,
                    Attempt::Counted {
                        locks_until: Some(_),
                        ..
                    }
                );
                Some((changes, CodeTried::Wrong { now_locked }))
            })
            .await?;
        Ok(tried.unwrap_or(CodeTried::Locked))
    }

    /// Claims the right to mail `person` (the per-person cooldown,
    /// [`plan_claim`]) and stores `changes` (a code, a held temporary
    /// password) in the same modify, only while the account may use
    /// self-service (under `policy`, on the entry as it is at the moment of
    /// storing). Starts from `person` as read in this request.
    ///
    /// Errors: the directory's, or other replicas changing the entry
    /// through every re-read.
    pub async fn claim_mail_and_store(
        &self,
        person: &Person,
        policy: &crate::ppolicy::DirectoryPolicy,
        cooldown: std::time::Duration,
        changes: Vec<Change>,
    ) -> Result<ClaimAndStore, DirectoryError> {
        let now = self.now();
        let stored = self
            .update(person, true, |fresh| {
                if let Err(stopped) = crate::standing::standing(fresh, policy, now) {
                    return Some((Vec::new(), ClaimAndStore::Stopped(stopped)));
                }
                Some(match plan_claim(&fresh.state, cooldown, now) {
                    (mut claim, MailClaim::Granted) => {
                        claim.extend(changes.iter().cloned());
                        (claim, ClaimAndStore::Stored)
                    }
                    (_, MailClaim::TooSoon { .. }) => (Vec::new(), ClaimAndStore::TooSoon),
                })
            })
            .await?;
        // The plan always answers.
        stored.ok_or_else(|| DirectoryError::Unexpected(anyhow::anyhow!("no claim planned")))
    }

    /// Claims the right to send `person` an SMS (the per-person cooldown
    /// and daily cap, [`crate::cooldown::plan_sms_claim`], under
    /// `flows.sms_resend_seconds` and `flows.sms_daily_max`) and stores
    /// `changes` (a code) in the same modify, only while the account may
    /// use self-service (under `policy`, on the entry as it is at the
    /// moment of storing). Starts from `person` as read in this request.
    /// However many replicas ask at once, the limits hold.
    ///
    /// Errors: the directory's, or other replicas changing the entry
    /// through every re-read.
    pub async fn claim_sms_and_store(
        &self,
        person: &Person,
        policy: &crate::ppolicy::DirectoryPolicy,
        changes: Vec<Change>,
    ) -> Result<SmsClaimed, DirectoryError> {
        use crate::cooldown::{plan_sms_claim, SmsClaim};
        let now = self.now();
        let flows = &self.settings().flows;
        let cooldown = std::time::Duration::from_secs(flows.sms_resend_seconds);
        let stored = self
            .update(person, true, |fresh| {
                if let Err(stopped) = crate::standing::standing(fresh, policy, now) {
                    return Some((Vec::new(), SmsClaimed::Stopped(stopped)));
                }
                Some(
                    match plan_sms_claim(&fresh.state, cooldown, flows.sms_daily_max, now) {
                        (mut claim, SmsClaim::Granted) => {
                            claim.extend(changes.iter().cloned());
                            (claim, SmsClaimed::Stored)
                        }
                        (_, SmsClaim::TooSoon { next_at }) => {
                            (Vec::new(), SmsClaimed::TooSoon { next_at })
                        }
                        (_, SmsClaim::DailyCap { next_at }) => {
                            (Vec::new(), SmsClaimed::DailyCap { next_at })
                        }
                    },
                )
            })
            .await?;
        // The plan always answers.
        stored.ok_or_else(|| DirectoryError::Unexpected(anyhow::anyhow!("no claim planned")))
    }

    /// Removes the pending code (used, expired or superseded).
    pub async fn clear_code(&self, person: &Person) -> Result<(), DirectoryError> {
        self.update(person, false, |fresh| {
            let state = &fresh.state;
            let pending = state.code_hash.is_some()
                || state.code_expiry.is_some()
                || state.code_tries_left.is_some()
                || state.code_sent.is_some();
            pending.then(|| (vec![Change::ClearCode], ()))
        })
        .await
        .map(|_| ())
    }

    /// Claims the right to mail `person` at `now` under a cooldown of
    /// `cooldown` ([`plan_claim`]): granted to exactly one of any number of
    /// replicas asking at once.
    pub async fn claim_mail(
        &self,
        person: &Person,
        cooldown: std::time::Duration,
        now: DateTime<Utc>,
    ) -> Result<MailClaim, DirectoryError> {
        let claimed = self
            .update(person, false, |fresh| {
                Some(plan_claim(&fresh.state, cooldown, now))
            })
            .await?;
        Ok(claimed.unwrap_or(MailClaim::Granted))
    }

    /// Applies `changes` only while the person may use self-service, on the
    /// entry as it is at the moment of writing ([`crate::standing`], under
    /// `policy`, their directory policy): `Err` with why when it may not,
    /// and nothing was written.
    pub async fn store_if_open(
        &self,
        person: &Person,
        policy: &crate::ppolicy::DirectoryPolicy,
        changes: Vec<Change>,
    ) -> Result<Result<(), crate::standing::Stopped>, DirectoryError> {
        self.store_if_open_as(person, policy, changes, Writer::Gateway)
            .await
    }

    /// [`Gateway::store_if_open`], written by `writer`.
    pub(crate) async fn store_if_open_as(
        &self,
        person: &Person,
        policy: &crate::ppolicy::DirectoryPolicy,
        changes: Vec<Change>,
        writer: Writer<'_>,
    ) -> Result<Result<(), crate::standing::Stopped>, DirectoryError> {
        let now = self.now();
        let stored = self
            .update_as(person, false, writer, |fresh| {
                Some(match crate::standing::standing(fresh, policy, now) {
                    Ok(()) => (changes.clone(), Ok(())),
                    Err(stopped) => (Vec::new(), Err(stopped)),
                })
            })
            .await?;
        Ok(stored.unwrap_or(Ok(())))
    }

    /// Holds a temporary password on the entry as its keyed hash until
    /// `expiry`, replacing any other held one; the current password, the NT
    /// hash and `pwdReset` are left alone.
    pub async fn hold_temporary(
        &self,
        person: &Person,
        hash: &str,
        expiry: DateTime<Utc>,
    ) -> Result<(), DirectoryError> {
        self.update(person, false, |_| {
            Some((
                vec![Change::HoldTemporary {
                    hash: hash.to_owned(),
                    expiry,
                }],
                (),
            ))
        })
        .await
        .map(|_| ())
    }

    /// Uses the temporary password held on the entry, once: `matches` says
    /// whether the typed one is it. A match before its expiry removes it in
    /// a modify that only one of several replicas can win; an expired one
    /// is removed and proves nothing. Count the attempt first
    /// ([`Gateway::count_attempt`]): a `Wrong` stays counted.
    pub async fn take_held_temporary(
        &self,
        person: &Person,
        now: DateTime<Utc>,
        matches: impl Fn(&str) -> bool,
    ) -> Result<HeldTemporary, DirectoryError> {
        let taken = self
            .update(person, false, |fresh| {
                let hash = fresh.state.pending_temp_hash.as_deref();
                let expiry = fresh.state.pending_temp_expiry;
                let outcome = match (hash, expiry) {
                    (None, None) => return None,
                    (Some(hash), Some(expiry)) if expiry > now => {
                        if !matches(hash) {
                            return Some((Vec::new(), HeldTemporary::Wrong));
                        }
                        HeldTemporary::Taken
                    }
                    // Expired, or half of it missing (IT's hand): tidy away.
                    _ => HeldTemporary::NoneHeld,
                };
                Some((vec![Change::DropHeldTemporary], outcome))
            })
            .await?;
        Ok(taken.unwrap_or(HeldTemporary::NoneHeld))
    }
}

/// A write that follows no proof (the gateway's own: a temporary password
/// written into `userPassword`, an expired one retired; an administrator's
/// tool): on the entry as read now, only if `guard` lets it (on that very
/// reading, with the person's directory policy: `Ok(true)` write,
/// `Ok(false)` nothing to do, `Err` refused), re-read and checked again
/// when the entry changed meanwhile, and sent once more when its answer was
/// lost and it was not applied. `Ok(true)` when written. `writer` says
/// whose rights the write runs with (the help desk's agent, through
/// proxied authorization, when the site asks for it).
pub(crate) async fn write_unconditionally(
    gateway: &Gateway,
    person: &Person,
    write: &PasswordWrite<'_>,
    guard: impl Fn(&Person, &crate::ppolicy::DirectoryPolicy) -> Result<bool, PasswordWriteError>,
    writer: Writer<'_>,
) -> Result<bool, PasswordWriteError> {
    let _entry = gateway.hold(&person.dn).await;
    let mut resent = false;
    for round in 1..=WRITE_ROUNDS {
        let fresh = gateway
            .directory()
            .read(&person.dn)
            .await?
            .ok_or_else(|| DirectoryError::Unexpected(anyhow::anyhow!("entry vanished")))?;
        let directory_policy = gateway.directory().policy(&fresh).await?;
        if !guard(&fresh, &directory_policy)? {
            return Ok(false);
        }
        let written = match writer {
            Writer::Gateway => gateway
                .directory()
                .write_password(&fresh, write)
                .await
                .map(drop),
            Writer::Agent(agent) => {
                gateway
                    .directory()
                    .write_password_as(agent, &fresh, write)
                    .await
            }
        };
        if matches!(written, Err(PasswordWriteError::Raced))
            && gateway.refused_to_agent(writer, &fresh).await?
        {
            return Err(DirectoryError::Forbidden.into());
        }
        match written {
            Ok(()) => return Ok(true),
            Err(PasswordWriteError::Raced) if round < WRITE_ROUNDS => {}
            Err(PasswordWriteError::Directory(
                DirectoryError::Timeout | DirectoryError::Unavailable,
            )) if !resent => {
                tracing::warn!(
                    "a password write lost its answer and was not applied; sending it once more"
                );
                resent = true;
            }
            Err(error) => return Err(error),
        }
    }
    Err(PasswordWriteError::Raced)
}
