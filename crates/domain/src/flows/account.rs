//! Gérer mon compte (UPHF): sign in, then change the password or the
//! secret question ([`crate::flow::FlowName::Account`]'s steps). The
//! session lives with the web (signed in = the sign-in step passed; the
//! inactivity timeout applies) and never holds the password. Every page
//! reads the entry again and ends the session when the password changed
//! since the sign-in (changed elsewhere, or an old cookie replayed) or the
//! account may no longer use self-service (IT locked it, its owner froze
//! it, it closed): a session opened before such a lock cannot write
//! anything after it.

use super::{Asks, PasswordOutcome};
use crate::audit::{AuditStep, Outcome, Who};
use crate::gateway::{Gateway, Journey, Proof, StepError};
use crate::person::Person;
use crate::ports::{BindProof, Change};
use crate::standing::standing;
use crate::steps::new_password::NewPassword;
use crate::steps::secret::{self, Problem, SecretChoice};
use crate::steps::sign_in::{self, SignIn};
use secrecy::SecretString;

/// How the sign-in ended.
pub enum SignInOutcome {
    /// Signed in: on to the menu.
    SignedIn(Proof),
    /// Signed in with a temporary password, which opens only the forced
    /// change (`/change`).
    TemporaryOnly,
    /// The one failure.
    Refused,
}

/// The sign-in's POST.
pub async fn sign_in(
    gateway: &Gateway,
    journey: &Journey,
    login: &str,
    password: &SecretString,
) -> Result<SignInOutcome, StepError> {
    match sign_in::prove(gateway, journey, login, password, false, true).await? {
        SignIn::Refused => Ok(SignInOutcome::Refused),
        SignIn::Proved {
            person,
            proof,
            left,
            ..
        } => {
            if proof == BindProof::MustChange {
                left.forgive(gateway, &person).await?;
                gateway.event(
                    journey,
                    AuditStep::Login,
                    Outcome::TemporaryPassword,
                    &*person,
                );
                return Ok(SignInOutcome::TemporaryOnly);
            }
            gateway.event(journey, AuditStep::Login, Outcome::SignedIn, &*person);
            Ok(SignInOutcome::SignedIn(sign_in::proof_of(
                gateway, journey, &person, password, left,
            )))
        }
    }
}

/// The signed-in session as a page finds it.
pub enum Session {
    /// Open: the person's login for the menu.
    Open { login: String },
    /// Over: the password changed since the sign-in, or the account may no
    /// longer use self-service.
    Ended,
}

/// The session of `journey`, checked on the entry as it is now.
pub async fn session(gateway: &Gateway, journey: &Journey) -> Result<Session, StepError> {
    Ok(match signed_in(gateway, journey).await? {
        Some(person) => Session::Open {
            login: person.login,
        },
        None => Session::Ended,
    })
}

/// The signed-in person, if the session still holds.
async fn signed_in(gateway: &Gateway, journey: &Journey) -> Result<Option<Person>, StepError> {
    let proof = journey.proof()?;
    let person = match gateway.proved_person(journey).await {
        Ok(person) => person,
        Err(StepError::Gone) => return Ok(None),
        Err(error) => return Err(error),
    };
    if person.password_marker() != proof.marker {
        return Ok(None);
    }
    if crate::steps::standing_now(gateway, &person).await?.is_err() {
        gateway.event(journey, AuditStep::Login, Outcome::SessionEnded, &person);
        return Ok(None);
    }
    Ok(Some(person))
}

/// Signing out (audited when a session was open): the sign-in's attempt
/// still on the entry is forgiven, by value (nothing if a write or a
/// question change took it already).
///
/// Errors: the directory's, when the attempt could not be forgiven (the
/// session is over all the same).
pub async fn sign_out(gateway: &Gateway, journey: &Journey) -> Result<(), StepError> {
    let Some(proof) = &journey.proof else {
        return Ok(());
    };
    gateway.event(
        journey,
        AuditStep::Logout,
        Outcome::SignedOut,
        Who::Dn(&proof.dn),
    );
    if let Some(at) = proof.attempt {
        gateway.forgive_left_attempt(&proof.dn, at).await?;
    }
    Ok(())
}

/// The new-password POST of a signed-in person. The session holds no
/// password: under a policy with `pwdSafeModify` the page asks for the
/// current one, proved again and carried in the write as the directory
/// demands (`flows::password::asks_current`); otherwise "different from
/// the current one" is left to the directory, whose history check covers
/// the current password too (refused as "in history", explained).
pub async fn submit_password(
    gateway: &Gateway,
    journey: &Journey,
    form: &NewPassword<'_>,
) -> Result<PasswordOutcome, StepError> {
    // The session's own checks are the submission's (a password changed
    // since the sign-in is this form's twin or another request's; an
    // account that may no longer use self-service is stopped), so that a
    // double click and a second tab are told what happened.
    journey.proof()?;
    super::password::submit(gateway, journey, form, Asks::Nothing).await
}

/// How a change of secret question ended.
pub enum QuestionOutcome {
    Changed,
    Again(Vec<Problem>),
    /// The session is over (see [`Session::Ended`]): nothing written.
    Ended,
}

/// The question POST of a signed-in person: checked, the answer hashed,
/// then written only while the session still holds on the entry as it is
/// at the moment of writing (the password unchanged since the sign-in, the
/// account allowed self-service).
pub async fn choose_secret(
    gateway: &Gateway,
    journey: &Journey,
    choice: &SecretChoice<'_>,
) -> Result<QuestionOutcome, StepError> {
    let Some(person) = signed_in(gateway, journey).await? else {
        return Ok(QuestionOutcome::Ended);
    };
    let questions = &gateway.settings().flows.questions;
    let (question, answer) = match secret::choose(questions, journey.visitor.lang, &person, choice)
    {
        Ok(chosen) => chosen,
        Err(problems) => {
            gateway.event(journey, AuditStep::Question, Outcome::FormRefused, &person);
            return Ok(QuestionOutcome::Again(problems));
        }
    };
    let answer_hash = gateway.answers().hash(&answer).await?;
    let proof = journey.proof()?;
    let policy = gateway.directory().policy(&person).await?;
    let now = gateway.now();
    let written = gateway
        .update(&person, true, |fresh| {
            let holds =
                fresh.password_marker() == proof.marker && standing(fresh, &policy, now).is_ok();
            let mut changes = vec![Change::SetSecret {
                question: question.clone(),
                answer_hash: answer_hash.clone(),
            }];
            // The sign-in's attempt goes with this modify.
            if let Some(at) = proof
                .attempt
                .filter(|at| fresh.state.failure_times.contains(at))
            {
                changes.push(Change::RemoveFailures(vec![at]));
            }
            Some(if holds {
                (changes, true)
            } else {
                (Vec::new(), false)
            })
        })
        .await?
        .unwrap_or(false);
    if !written {
        gateway.event(journey, AuditStep::Question, Outcome::SessionEnded, &person);
        return Ok(QuestionOutcome::Ended);
    }
    gateway.event(
        journey,
        AuditStep::Question,
        Outcome::QuestionChanged,
        &person,
    );
    Ok(QuestionOutcome::Changed)
}
