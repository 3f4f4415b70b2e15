//! Activer mon compte (UPHF): identity, choose the secret question, choose
//! the password ([`crate::flow::FlowName::Activate`]'s steps). Only an
//! account the site positively marked as never activated qualifies: no
//! secret question yet, and the entry matches `flows.activation_filter`
//! (by default `(passerelleActivationPending=TRUE)`, which the site's
//! provisioning sets). Any other account gets the same page as any
//! identity failure, so birth dates never open an account in use; the
//! audit says why.
//!
//! Nothing is written until the end: the chosen question and the argon2id
//! hash of its answer (never the answer) wait with the web
//! ([`PendingSecret`]), then go in the same modify as the password, with
//! the end of the activation mark: the account is activated whole or not
//! at all.

use super::{Asks, IdentityInput, PasswordOutcome, PendingSecret};
use crate::audit::{AuditStep, Outcome};
use crate::gateway::{Gateway, Journey, Proof, StepError};
use crate::steps::identity::{self, FailureKind, Identity};
use crate::steps::new_password::{activatable, NewPassword};
use crate::steps::secret::{self, Problem, SecretChoice};
use std::time::Instant;

/// How the identity step ended.
pub enum IdentityOutcome {
    /// On to the choice of a question.
    Proved(Proof),
    /// The one failure, an account already in use included (after the
    /// same floor).
    Failed,
}

/// The identity step's POST.
pub async fn identity(
    gateway: &Gateway,
    journey: &Journey,
    input: &IdentityInput,
) -> Result<IdentityOutcome, StepError> {
    let started = Instant::now();
    let proved = identity::prove(
        gateway,
        journey,
        input.identifier.as_ref(),
        &input.birth_date,
    )
    .await?;
    let Identity::Proved(person) = proved else {
        return Ok(IdentityOutcome::Failed);
    };
    if activatable(gateway, &person).await? {
        gateway.event(journey, AuditStep::Identity, Outcome::Proved, &*person);
        return Ok(IdentityOutcome::Proved(Proof::of(&person)));
    }
    gateway.event(
        journey,
        AuditStep::Identity,
        Outcome::AlreadyActive,
        &*person,
    );
    identity::wait_for_floor(gateway, FailureKind::Identity, started).await;
    Ok(IdentityOutcome::Failed)
}

/// Whether the account the flow proved may still be activated (someone may
/// have activated it meanwhile): the question page's GET.
pub async fn still_open(gateway: &Gateway, journey: &Journey) -> Result<bool, StepError> {
    let person = gateway.proved_person(journey).await?;
    Ok(activatable(gateway, &person).await?)
}

/// How the choice of a question ended.
pub enum SecretOutcome {
    /// Kept by the web until the password is written with it.
    Chosen(PendingSecret),
    /// What the person must fix.
    Again(Vec<Problem>),
    /// The account is no longer open to activation.
    NoLonger,
}

/// The question step's POST: checked, and the answer hashed (argon2id);
/// nothing written yet.
pub async fn choose_secret(
    gateway: &Gateway,
    journey: &Journey,
    choice: &SecretChoice<'_>,
) -> Result<SecretOutcome, StepError> {
    let person = gateway.proved_person(journey).await?;
    if !activatable(gateway, &person).await? {
        return Ok(SecretOutcome::NoLonger);
    }
    let questions = &gateway.settings().flows.questions;
    match secret::choose(questions, journey.visitor.lang, &person, choice) {
        Err(problems) => {
            gateway.event(journey, AuditStep::Question, Outcome::FormRefused, &person);
            Ok(SecretOutcome::Again(problems))
        }
        Ok((question, answer)) => {
            let answer_hash = gateway.answers().hash(&answer).await?;
            gateway.event(journey, AuditStep::Question, Outcome::Chosen, &person);
            Ok(SecretOutcome::Chosen(PendingSecret {
                question,
                answer_hash,
            }))
        }
    }
}

/// The new-password step's POST: the password, the question and the end
/// of the activation mark in one modify.
pub async fn submit_password(
    gateway: &Gateway,
    journey: &Journey,
    pending: &PendingSecret,
    form: &NewPassword<'_>,
) -> Result<PasswordOutcome, StepError> {
    super::password::submit(gateway, journey, form, Asks::Activation(pending)).await
}
