//! Prove a sign-in: a login and a password (`account`, and the forced
//! change of `change`). The password is proved by a bind as the person on
//! a connection of its own, never through the pool; the answer "must change
//! after reset" is the expected proof of a temporary password.
//!
//! The attempt is counted on the entry *before* the bind, like every other
//! secret the gateway checks, so that parallel guesses from any number of
//! addresses or replicas evaluate at most `lockout.max_failures` passwords
//! per window (ppolicy alone counts failures after the fact); a right
//! password is then forgiven. An unknown login, a wrong password and any
//! lock give the same outcome, no earlier than the identity floor.

use super::identity::{wait_for_floor, FailureKind};
use super::{FlowError, Gateway, Trail};
use crate::directory::{Attempt, BindProof, PendingTemporary, Person};
use crate::flows::Who;
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
    /// Unknown login, wrong password or a locked account: one outcome for
    /// all (the reason went to the audit trail).
    Refused,
}

/// Proves `password` for the person `login` names. Failures are audited
/// under `step` with their reason; the proof is audited by the flow. A
/// temporary password held as a hash is spent only when `spend_held` (the
/// forced change, which then writes the person's own password).
pub async fn prove(
    gateway: &Gateway,
    trail: &Trail,
    step: &str,
    login: &str,
    password: &SecretString,
    spend_held: bool,
) -> Result<SignIn, FlowError> {
    let started = Instant::now();
    let outcome = check(gateway, trail, step, login, password, spend_held).await?;
    if matches!(outcome, SignIn::Refused) {
        wait_for_floor(gateway, FailureKind::SignIn, started).await;
    }
    Ok(outcome)
}

async fn check(
    gateway: &Gateway,
    trail: &Trail,
    step: &str,
    login: &str,
    password: &SecretString,
    spend_held: bool,
) -> Result<SignIn, FlowError> {
    // The CAF agents sign in with their e-mail address.
    let Some(person) = super::find_named(gateway, login, super::LookUp::IdentifierFirst).await?
    else {
        trail.event(step, "unknown_login", Who::Nobody);
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
                "wrong_password_now_locked"
            } else {
                "wrong_password"
            };
            trail.event(step, outcome, account);
            Ok(SignIn::Refused)
        }
        // Told apart from a wrong password, a lock would say the login
        // exists (anyone can lock a real account with a few tries).
        Checked::LockedBefore => {
            trail.event(step, "locked", account);
            Ok(SignIn::Refused)
        }
        Checked::LockedByDirectory => {
            trail.event(step, "locked_by_directory", account);
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
    trail: &Trail,
    person: &Person,
    password: &SecretString,
) -> Result<Reproof, FlowError> {
    let account = Who::Person(person);
    match counted_check(gateway, person, password, Held::Ignore, Forgive::Later).await? {
        Checked::Right { attempt, .. } => Ok(Reproof::Right(RightAttempt(attempt))),
        Checked::Wrong { now_locked } => {
            let outcome = if now_locked {
                "wrong_current_password_now_locked"
            } else {
                "wrong_current_password"
            };
            trail.event("password", outcome, account);
            Ok(Reproof::Wrong)
        }
        Checked::LockedBefore => {
            trail.event("password", "locked", account);
            Ok(Reproof::Locked)
        }
        Checked::LockedByDirectory => {
            trail.event("password", "locked_by_directory", account);
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
}

/// The one check of a password as the person: the attempt is counted on
/// the entry first, then the held temporary password (before any bind: a
/// bind with it would count a ppolicy failure against the real account),
/// then a bind; a right password is forgiven.
async fn counted_check(
    gateway: &Gateway,
    person: &Person,
    password: &SecretString,
    held: Held,
    forgive: Forgive,
) -> Result<Checked, FlowError> {
    // The owner's « Ce n'était pas moi » froze self-service: nobody signs
    // in to change the password or the secret question until IT lifts it.
    if person.state.frozen.is_some() {
        return Ok(Checked::LockedByDirectory);
    }
    let attempt = gateway
        .directory
        .begin_attempt(person, &gateway.settings.lockout)
        .await?;
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
        match gateway.directory.verify_password(person, password).await? {
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
        gateway.directory.forgive_attempt(person, attempt).await?;
    }
    Ok(proof)
}

/// Whether `password` is the person's held temporary password (spent now
/// when `held` says so).
async fn held_temporary_proves(
    gateway: &Gateway,
    person: &Person,
    password: &SecretString,
    held: Held,
) -> Result<bool, FlowError> {
    let Some(stored) = person.state.pending_temp_hash.as_deref() else {
        return Ok(false);
    };
    let matches = |stored: &str| {
        gateway
            .code_key
            .matches_temporary(&person.dn, password, stored)
    };
    let now = chrono::Utc::now();
    Ok(match held {
        Held::Ignore => false,
        Held::Recognise => {
            person.state.pending_temp_expiry.is_some_and(|e| e > now) && matches(stored)
        }
        Held::Spend => matches!(
            gateway
                .directory
                .take_pending_temporary(person, now, matches)
                .await?,
            PendingTemporary::Taken
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
    /// Forgives the attempt ([`crate::directory::Directory::forgive_attempt`]):
    /// for when no password of this flow was written (a form refused, the
    /// directory's policy refused it, or another replica wrote it).
    ///
    /// Errors: the directory's.
    pub async fn forgive(self, gateway: &Gateway, person: &Person) -> Result<(), FlowError> {
        Ok(gateway.directory.forgive_attempt(person, &self.0).await?)
    }
}
