//! Prove a sign-in: a login and a password (`account`, and the forced
//! change of `change`). The password is proved by a bind as the person on
//! a connection of its own, never through the service account's; the
//! answer "must change after reset" is the expected proof of a temporary
//! password.
//!
//! The attempt is counted on the entry *before* the bind, like every other
//! secret the gateway checks, so that parallel guesses from any number of
//! addresses or replicas evaluate at most `lockout.max_failures` passwords
//! per window (ppolicy alone counts failures after the fact); a right
//! password is then forgiven. An unknown login, a wrong password, any lock
//! and an account that may not use self-service give the same outcome, no
//! earlier than the sign-in floor.

use super::identity::{wait_for_floor, FailureKind};
use crate::audit::{AuditStep, Outcome, Who};
use crate::gateway::{Gateway, Journey, LookUp, StepError};
use crate::lockout::Attempt;
use crate::person::Person;
use crate::ports::BindProof;
use crate::state::HeldTemporary;
use secrecy::SecretString;
use std::time::Instant;

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
    },
    /// Unknown login, wrong password, a locked or stopped account: one
    /// outcome for all (the reason went to the audit trail).
    Refused,
}

/// Proves `password` for the person `login` names. Failures are audited
/// under the step `login` with their reason; the proof is audited by the
/// flow. A temporary password held as a hash is spent only when
/// `spend_held` (the forced change, which then writes the person's own
/// password).
pub async fn prove(
    gateway: &Gateway,
    journey: &Journey,
    login: &str,
    password: &SecretString,
    spend_held: bool,
) -> Result<SignIn, StepError> {
    let started = Instant::now();
    let outcome = check(gateway, journey, login, password, spend_held).await?;
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
    match counted_check(gateway, &person, password, held, Forgive::Now).await? {
        Checked::Right {
            proof,
            held_temporary,
            ..
        } => Ok(SignIn::Proved {
            person: Box::new(person),
            proof,
            held_temporary,
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
        Checked::Right { attempt, .. } => Ok(Reproof::Right(RightAttempt(attempt))),
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
}

/// How a password checked as the person ended.
enum Checked {
    Right {
        proof: BindProof,
        held_temporary: bool,
        /// The attempt counted for it (forgiven already under
        /// [`Forgive::Now`]).
        attempt: Attempt,
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
    let proof = if held_temporary_proves(gateway, person, password, held).await? {
        Checked::Right {
            proof: BindProof::MustChange,
            held_temporary: true,
            attempt,
        }
    } else {
        match gateway.directory().bind(person, password).await? {
            proof @ (BindProof::Valid | BindProof::MustChange | BindProof::Expired) => {
                Checked::Right {
                    proof,
                    held_temporary: false,
                    attempt,
                }
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
    if let (Forgive::Now, Checked::Right { attempt, .. }) = (forgive, &proof) {
        super::forgive(gateway, person, attempt).await?;
    }
    Ok(proof)
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
    Locked,
}

/// A current password proved right, whose attempt is still counted on the
/// entry: the password write that follows clears it in its own modify
/// (every counted attempt goes with a new password), which saves a read and
/// a modify per change. Anything else than a write must forgive it.
#[derive(Debug)]
#[must_use = "forgive it unless this flow's password write succeeded"]
pub struct RightAttempt(Attempt);

impl RightAttempt {
    /// Forgives the attempt: for when no password of this flow was written
    /// (a form refused, the directory's policy refused it, or another
    /// request wrote first).
    ///
    /// Errors: the directory's.
    pub async fn forgive(self, gateway: &Gateway, person: &Person) -> Result<(), StepError> {
        Ok(super::forgive(gateway, person, &self.0).await?)
    }
}
