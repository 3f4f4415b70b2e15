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

use super::identity::wait_for_floor;
use super::{FlowError, Gateway, Trail};
use crate::directory::{Attempt, BindProof, DirectoryError, PendingTemporary, Person};
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

/// Finds the person a login names: any configured identifier, or, when it
/// is an address and no identifier matched, a recovery address (the CAF
/// agents sign in with their e-mail). An ambiguous value finds nobody.
pub async fn find_by_login(gateway: &Gateway, typed: &str) -> Result<Option<Person>, FlowError> {
    let not_ambiguous = |found: Result<Option<Person>, DirectoryError>| match found {
        Ok(person) => Ok(person),
        Err(DirectoryError::Ambiguous) => Ok(None),
        Err(error) => Err(FlowError::from(error)),
    };
    let person = not_ambiguous(gateway.directory.find_person_by_input(typed).await)?;
    if person.is_some() || !typed.contains('@') {
        return Ok(person);
    }
    not_ambiguous(gateway.directory.find_by_mail(typed).await)
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
        wait_for_floor(started).await;
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
    let Some(person) = find_by_login(gateway, login).await? else {
        trail.event(step, "unknown_login", None);
        return Ok(SignIn::Refused);
    };
    let account = Some(person.login.as_str());
    let attempt = gateway
        .directory
        .begin_attempt(&person, &gateway.settings.lockout)
        .await?;
    if let Attempt::Locked { .. } = attempt {
        trail.event(step, "locked", account);
        return Ok(SignIn::Refused);
    }
    // A temporary password held as a keyed hash (the default): proved
    // against the hash, before any bind (a bind with it would count a
    // ppolicy failure against the real account), and spent at once.
    if let (Some(stored), Some(expiry)) = (
        person.state.pending_temp_hash.as_deref(),
        person.state.pending_temp_expiry,
    ) {
        // Only the forced change spends it; elsewhere (`/account`) a right
        // temporary password is recognised, left in place, and the person
        // is sent to the forced change.
        if !spend_held
            && expiry > chrono::Utc::now()
            && gateway
                .code_key
                .matches_temporary(&person.dn, password, stored)
        {
            gateway.directory.forgive_attempt(&person, &attempt).await?;
            return Ok(SignIn::Proved {
                person: Box::new(person),
                proof: BindProof::MustChange,
                held_temporary: true,
            });
        }
    }
    if spend_held && person.state.pending_temp_hash.is_some() {
        let taken = gateway
            .directory
            .take_pending_temporary(&person, chrono::Utc::now(), |stored| {
                gateway
                    .code_key
                    .matches_temporary(&person.dn, password, stored)
            })
            .await?;
        if let PendingTemporary::Taken = taken {
            gateway.directory.forgive_attempt(&person, &attempt).await?;
            return Ok(SignIn::Proved {
                person: Box::new(person),
                proof: BindProof::MustChange,
                held_temporary: true,
            });
        }
    }
    match gateway.directory.verify_password(&person, password).await? {
        proof @ (BindProof::Valid | BindProof::MustChange | BindProof::Expired) => {
            gateway.directory.forgive_attempt(&person, &attempt).await?;
            Ok(SignIn::Proved {
                person: Box::new(person),
                proof,
                held_temporary: false,
            })
        }
        BindProof::Invalid => {
            trail.event(step, "wrong_password", account);
            Ok(SignIn::Refused)
        }
        // Told apart from a wrong password, a lock would say the login
        // exists (anyone can lock a real account with a few tries).
        BindProof::Locked => {
            trail.event(step, "locked", account);
            Ok(SignIn::Refused)
        }
    }
}

/// Proves the current password again (the `change` form asks for it once
/// more, so the cookie never holds it), counted like a sign-in.
pub async fn prove_again(
    gateway: &Gateway,
    trail: &Trail,
    person: &Person,
    password: &SecretString,
) -> Result<Reproof, FlowError> {
    let account = Some(person.login.as_str());
    let attempt = gateway
        .directory
        .begin_attempt(person, &gateway.settings.lockout)
        .await?;
    if let Attempt::Locked { .. } = attempt {
        trail.event("password", "locked", account);
        return Ok(Reproof::Locked);
    }
    match gateway.directory.verify_password(person, password).await? {
        BindProof::Valid | BindProof::MustChange | BindProof::Expired => {
            gateway.directory.forgive_attempt(person, &attempt).await?;
            Ok(Reproof::Right)
        }
        BindProof::Invalid => {
            trail.event("password", "wrong_current_password", account);
            Ok(Reproof::Wrong)
        }
        BindProof::Locked => {
            trail.event("password", "locked", account);
            Ok(Reproof::Locked)
        }
    }
}

/// What proving the current password again led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reproof {
    Right,
    Wrong,
    Locked,
}
