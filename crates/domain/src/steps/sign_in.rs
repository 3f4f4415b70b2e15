//! Prove a sign-in: a login and a password (`account`, and the forced
//! change of `change`). The password is proved by a bind as the person on
//! a connection of its own, never through the service account's; the
//! answer "must change after reset" is the expected proof of a temporary
//! password.
//!
//! The attempt is counted on the entry *before* the bind, like every other
//! secret the gateway checks, so that parallel guesses from any number of
//! addresses or replicas evaluate at most `lockout.max_failures` passwords
//! per window (ppolicy alone counts failures after the fact). A right
//! password is forgiven, or, for the flows that go on to write a password
//! (`change`, `account`), its attempt is left on the entry for that write
//! to clear in its own modify ([`LeftAttempt`]): a change then costs two
//! modifies and one bind (issue 25). An unknown login, a wrong password,
//! any lock and an account that may not use self-service give the same
//! outcome, no earlier than the sign-in floor.
//!
//! The change form asks for the current password once more
//! ([`prove_current`]). It is compared with the seal the sign-in left in
//! the flow, not bound again, and its answer is given only under a counted
//! attempt: the one the sign-in left, which the first evaluation takes off
//! the entry (the write, or a failure of its own), else one counted then.
//! Copies of the flow's cookie guessing in parallel therefore learn at most
//! one answer per counted attempt, as at the sign-in; and the flow ends
//! after [`CURRENT_PASSWORD_TRIES`] wrong ones.

use super::identity::{wait_for_floor, FailureKind};
use crate::audit::{AuditStep, Outcome, Who};
use crate::gateway::{Gateway, Journey, LookUp, Proof, StepError};
use crate::lockout::{self, Attempt};
use crate::person::Person;
use crate::ports::BindProof;
use crate::state::HeldTemporary;
use chrono::{DateTime, Utc};
use secrecy::SecretString;
use std::time::Instant;

/// Wrong second proofs of the current password after which the change flow
/// ends (each is also a failure on the entry, under the site's lockout).
pub const CURRENT_PASSWORD_TRIES: usize = 3;

/// How a sign-in ended.
pub enum SignIn {
    /// The password is right: `Valid`, `MustChange` (a temporary password)
    /// or `Expired` (right, but past its age; it still proves who it is).
    Proved {
        person: Box<Person>,
        proof: BindProof,
        /// Proved by a temporary password held as a keyed hash (now spent):
        /// the current password stays what it was until the person
        /// chooses theirs, so it cannot be proved again by a bind.
        held_temporary: bool,
        /// The attempt counted for it, when left on the entry.
        left: LeftAttempt,
    },
    /// Unknown login, wrong password, a locked or stopped account: one
    /// outcome for all (the reason went to the audit trail).
    Refused,
}

/// Proves `password` for the person `login` names. Failures are audited
/// under the step `login` with their reason; the proof is audited by the
/// flow. A temporary password held as a hash is spent only when
/// `spend_held` (the forced change, which then writes the person's own
/// password). A right password's attempt is forgiven, unless `leave` and
/// [`lockout::may_leave`] allow it to stay for the flow's write.
pub async fn prove(
    gateway: &Gateway,
    journey: &Journey,
    login: &str,
    password: &SecretString,
    spend_held: bool,
    leave: bool,
) -> Result<SignIn, StepError> {
    let started = Instant::now();
    let forgive = if leave {
        Forgive::UnlessAlone
    } else {
        Forgive::Now
    };
    let outcome = check(gateway, journey, login, password, spend_held, forgive).await?;
    if matches!(outcome, SignIn::Refused) {
        wait_for_floor(gateway, FailureKind::SignIn, started).await;
    }
    Ok(outcome)
}

async fn check(
    gateway: &Gateway,
    journey: &Journey,
    login: &str,
    password: &SecretString,
    spend_held: bool,
    forgive: Forgive,
) -> Result<SignIn, StepError> {
    let event = |outcome, who: Who<'_>| gateway.event(journey, AuditStep::Login, outcome, who);
    // The CAF agents sign in with their e-mail address.
    let Some(person) = gateway.find_named(login, LookUp::IdentifierFirst).await? else {
        event(Outcome::UnknownLogin, Who::Nobody);
        return Ok(SignIn::Refused);
    };
    let account = Who::Person(&person);
    let held = if spend_held {
        Held::Spend
    } else {
        Held::Recognise
    };
    match counted_check(gateway, &person, password, held, forgive).await? {
        Checked::Right {
            proof,
            held_temporary,
            attempt,
        } => Ok(SignIn::Proved {
            person: Box::new(person),
            proof,
            held_temporary,
            left: LeftAttempt(attempt),
        }),
        Checked::Wrong { now_locked } => {
            let outcome = if now_locked {
                Outcome::WrongPasswordNowLocked
            } else {
                Outcome::WrongPassword
            };
            event(outcome, account);
            Ok(SignIn::Refused)
        }
        // Told apart from a wrong password, a lock would say the login
        // exists (anyone can lock a real account with a few tries).
        Checked::LockedBefore => {
            event(Outcome::Locked, account);
            Ok(SignIn::Refused)
        }
        Checked::LockedByDirectory => {
            event(Outcome::LockedByDirectory, account);
            Ok(SignIn::Refused)
        }
        Checked::Stopped(outcome) => {
            event(outcome, account);
            Ok(SignIn::Refused)
        }
    }
}

/// Proves the current password again (the `change` form asks for it once
/// more, so the cookie never holds it), counted like a sign-in. A right one
/// leaves its counted attempt on the entry, for the password write that
/// follows to clear in its own modify ([`RightAttempt`]).
pub async fn prove_again(
    gateway: &Gateway,
    journey: &Journey,
    person: &Person,
    password: &SecretString,
) -> Result<Reproof, StepError> {
    let event = |outcome| gateway.event(journey, AuditStep::Password, outcome, person);
    match counted_check(gateway, person, password, Held::Ignore, Forgive::Later).await? {
        // Under `Forgive::Later` the attempt always stays on the entry.
        Checked::Right { attempt, .. } => Ok(Reproof::Right(RightAttempt {
            attempt: attempt.unwrap_or(Attempt::Locked {
                until: gateway.now(),
            }),
            on_entry_since_sign_in: false,
        })),
        Checked::Wrong { now_locked } => {
            event(if now_locked {
                Outcome::WrongCurrentPasswordNowLocked
            } else {
                Outcome::WrongCurrentPassword
            });
            Ok(Reproof::Wrong)
        }
        Checked::LockedBefore => {
            event(Outcome::Locked);
            Ok(Reproof::Locked)
        }
        Checked::LockedByDirectory => {
            event(Outcome::LockedByDirectory);
            Ok(Reproof::Locked)
        }
        Checked::Stopped(outcome) => {
            event(outcome);
            Ok(Reproof::Locked)
        }
    }
}

/// What to do with a temporary password held as a keyed hash.
#[derive(Clone, Copy)]
enum Held {
    /// Not a proof here (the current password is proved again).
    Ignore,
    /// A right one proves the sign-in and stays (only `/change` spends it).
    Recognise,
    /// A right one proves the sign-in and is spent (single use).
    Spend,
}

/// When a right attempt is forgiven.
#[derive(Clone, Copy)]
enum Forgive {
    /// At once.
    Now,
    /// By the caller ([`RightAttempt`]).
    Later,
    /// At once, unless [`lockout::may_leave`] lets it stay on the entry for
    /// the flow's write ([`LeftAttempt`]).
    UnlessAlone,
}

/// How a password checked as the person ended.
enum Checked {
    Right {
        proof: BindProof,
        held_temporary: bool,
        /// The attempt counted for it and still on the entry: `None` once
        /// forgiven.
        attempt: Option<Attempt>,
    },
    /// A wrong password; `now_locked` when this failure used the last
    /// attempt of the window.
    Wrong { now_locked: bool },
    /// Refused before the check: the attempts of the window are spent.
    LockedBefore,
    /// The directory's ppolicy said the account is locked.
    LockedByDirectory,
    /// The account may not use self-service (IT's lock, a freeze, an end
    /// date): refused before the check, the audit outcome says why.
    Stopped(Outcome),
}

/// The one check of a password as the person: whether the account may use
/// self-service, then the attempt counted on the entry, then the held
/// temporary password (before any bind: a bind with it would count a
/// ppolicy failure against the real account), then a bind; a right
/// password is forgiven.
async fn counted_check(
    gateway: &Gateway,
    person: &Person,
    password: &SecretString,
    held: Held,
    forgive: Forgive,
) -> Result<Checked, StepError> {
    // The owner's « Ce n'était pas moi », IT's lock, an end date: nobody
    // signs in to change the password or the secret question.
    if let Err(stopped) = super::standing_now(gateway, person).await? {
        return Ok(Checked::Stopped(super::stopped_outcome(stopped)));
    }
    let attempt = super::count_attempt(gateway, person).await?;
    if let Attempt::Locked { .. } = attempt {
        return Ok(Checked::LockedBefore);
    }
    let (proof, held_temporary) = if held_temporary_proves(gateway, person, password, held).await? {
        (BindProof::MustChange, true)
    } else {
        match gateway.directory().bind(person, password).await? {
            proof @ (BindProof::Valid | BindProof::MustChange | BindProof::Expired) => {
                (proof, false)
            }
            BindProof::Invalid => {
                let now_locked = matches!(
                    attempt,
                    Attempt::Counted {
                        locks_until: Some(_),
                        ..
                    }
                );
                return Ok(Checked::Wrong { now_locked });
            }
            BindProof::Locked => return Ok(Checked::LockedByDirectory),
        }
    };
    let stays = match forgive {
        Forgive::Now => false,
        Forgive::Later => true,
        Forgive::UnlessAlone => lockout::may_leave(&attempt, &gateway.settings().lockout),
    };
    if !stays {
        super::forgive(gateway, person, &attempt).await?;
    }
    Ok(Checked::Right {
        proof,
        held_temporary,
        attempt: stays.then_some(attempt),
    })
}

/// Whether `password` is the person's held temporary password (spent now
/// when `held` says so). A match before its expiry is removed in a modify
/// that only one of several replicas can win, so two sign-ins racing with
/// the same mailed password cannot both spend it; an expired one is
/// removed and proves nothing.
async fn held_temporary_proves(
    gateway: &Gateway,
    person: &Person,
    password: &SecretString,
    held: Held,
) -> Result<bool, StepError> {
    if person.state.pending_temp_hash.is_none() {
        return Ok(false);
    }
    let matches = |stored: &str| {
        gateway
            .code_key()
            .matches_temporary(&person.dn, password, stored)
    };
    let now = gateway.now();
    Ok(match held {
        Held::Ignore => false,
        Held::Recognise => {
            person.state.pending_temp_expiry.is_some_and(|e| e > now)
                && person
                    .state
                    .pending_temp_hash
                    .as_deref()
                    .is_some_and(matches)
        }
        Held::Spend => matches!(
            gateway.take_held_temporary(person, now, matches).await?,
            HeldTemporary::Taken
        ),
    })
}

/// What proving the current password again led to.
#[derive(Debug)]
pub enum Reproof {
    Right(RightAttempt),
    Wrong,
    /// Wrong, and the flow's [`CURRENT_PASSWORD_TRIES`]-th since its
    /// sign-in: the flow ends.
    TooManyWrong,
    Locked,
}

/// A current password proved right, whose attempt is still counted on the
/// entry: the password write that follows clears it in its own modify
/// (every counted attempt goes with a new password), which saves a read and
/// a modify per change. Anything else than a write must forgive it.
#[derive(Debug)]
#[must_use = "forgive it unless this flow's password write succeeded"]
pub struct RightAttempt {
    attempt: Attempt,
    /// The sign-in's attempt ([`Proof::attempt`]), which other copies of the
    /// flow share: the write goes ahead only while it is still on the entry
    /// (else another evaluation took it, and this one is counted afresh).
    on_entry_since_sign_in: bool,
}

impl RightAttempt {
    /// The sign-in's attempt the write must find on the entry, if this is
    /// the one.
    pub fn shared(&self) -> Option<DateTime<Utc>> {
        match self.attempt {
            Attempt::Counted { at, .. } if self.on_entry_since_sign_in => Some(at),
            _ => None,
        }
    }

    /// An attempt counted for this very request (no other copy of the flow
    /// knows it).
    pub fn counted(attempt: Attempt) -> RightAttempt {
        RightAttempt {
            attempt,
            on_entry_since_sign_in: false,
        }
    }

    /// Forgives the attempt: for when no password of this flow was written
    /// (a form refused, the directory's policy refused it, or another
    /// request wrote first).
    ///
    /// Errors: the directory's.
    pub async fn forgive(self, gateway: &Gateway, person: &Person) -> Result<(), StepError> {
        Ok(super::forgive(gateway, person, &self.attempt).await?)
    }
}

/// A right sign-in's counted attempt, when it stays on the entry
/// ([`lockout::may_leave`]): the flow keeps its time in [`Proof::attempt`]
/// for the password write to clear, or forgives it when it goes no further.
#[derive(Debug)]
#[must_use = "keep it in the flow's proof or forgive it"]
pub struct LeftAttempt(Option<Attempt>);

impl LeftAttempt {
    /// Nothing left on the entry.
    pub fn none() -> LeftAttempt {
        LeftAttempt(None)
    }

    /// The attempt's value on the entry, kept by the flow's proof.
    pub fn keep(self) -> Option<DateTime<Utc>> {
        match self.0 {
            Some(Attempt::Counted { at, .. }) => Some(at),
            _ => None,
        }
    }

    /// Forgives it: the sign-in goes no further.
    ///
    /// Errors: the directory's.
    pub async fn forgive(self, gateway: &Gateway, person: &Person) -> Result<(), StepError> {
        match self.0 {
            Some(attempt) => Ok(super::forgive(gateway, person, &attempt).await?),
            None => Ok(()),
        }
    }
}

/// The proof a right sign-in gives its flow: the entry and its password as
/// proved, the attempt left on the entry, and the current password sealed
/// for the change form's second proof.
pub fn proof_of(
    gateway: &Gateway,
    journey: &Journey,
    person: &Person,
    password: &SecretString,
    left: LeftAttempt,
) -> Proof {
    let mut proof = Proof::of(person);
    proof.attempt = left.keep();
    proof.current_seal = Some(
        gateway
            .code_key()
            .seal_current(&journey.id, &person.dn, password),
    );
    proof.proved_at = Some(proof.attempt.unwrap_or_else(|| gateway.now()));
    proof
}

/// Proves the current password once more in a flow whose sign-in proved
/// it (`person` as read in this request), under the rules of the module's
/// note: compared with the sealed proof, answered only under a counted
/// attempt. A flow proved without a seal (an older cookie) binds, counted
/// like a sign-in ([`prove_again`]). Wrong ones are audited under
/// `password`.
pub async fn prove_current(
    gateway: &Gateway,
    journey: &Journey,
    person: &Person,
    proof: &Proof,
    password: &SecretString,
) -> Result<Reproof, StepError> {
    let Some(seal) = proof.current_seal.as_deref() else {
        return prove_again(gateway, journey, person, password).await;
    };
    let event = |outcome| gateway.event(journey, AuditStep::Password, outcome, person);
    let right = gateway
        .code_key()
        .current_matches(&journey.id, &person.dn, password, seal);
    let settings = &gateway.settings().lockout;
    let left = proof
        .attempt
        .filter(|at| lockout::left_attempt_holds(&person.state, settings, *at, gateway.now()));
    // The sign-in's attempt pays for this evaluation: a right one is taken
    // off the entry by the write (which goes ahead only while it is there),
    // a wrong one now.
    if let Some(at) = left {
        if right {
            return Ok(Reproof::Right(RightAttempt {
                attempt: Attempt::Counted {
                    at,
                    failures_left: 0,
                    locks_until: None,
                },
                on_entry_since_sign_in: true,
            }));
        }
        if gateway.take_left_attempt(person, at).await? {
            event(Outcome::WrongCurrentPassword);
            return Ok(wrong(person, proof));
        }
    }
    // No attempt left for it (taken by another copy of the flow, forgiven,
    // older than the window): one counted now, before any answer.
    match super::count_attempt(gateway, person).await? {
        Attempt::Locked { .. } => {
            event(Outcome::Locked);
            Ok(Reproof::Locked)
        }
        attempt @ Attempt::Counted { .. } if right => {
            Ok(Reproof::Right(RightAttempt::counted(attempt)))
        }
        Attempt::Counted { locks_until, .. } => {
            event(if locks_until.is_some() {
                Outcome::WrongCurrentPasswordNowLocked
            } else {
                Outcome::WrongCurrentPassword
            });
            Ok(wrong(person, proof))
        }
    }
}

/// A wrong second proof, just recorded after the reading `person`: the
/// flow ends once [`CURRENT_PASSWORD_TRIES`] were wrong since its sign-in
/// (the failures on the entry since then, whoever made them).
fn wrong(person: &Person, proof: &Proof) -> Reproof {
    let since = proof.proved_at.map_or(0, |proved| {
        person
            .state
            .failure_times
            .iter()
            .filter(|t| **t >= proved && Some(**t) != proof.attempt)
            .count()
    });
    if since + 1 >= CURRENT_PASSWORD_TRIES {
        Reproof::TooManyWrong
    } else {
        Reproof::Wrong
    }
}
