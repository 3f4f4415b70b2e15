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
use crate::reset_code::ResetCode;
use crate::settings::Channel;
use crate::steps::identity::{self, FailureKind, Identity};
use crate::steps::new_password::{activatable, NewPassword};
use crate::steps::recovery::{self, CodeBack, NotSent, PendingValue, VerifiedValue};
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
                recovery: Vec::new(),
                awaiting: Vec::new(),
            }))
        }
    }
}

/// The recovery values this site's activation asks for
/// (`flows.activation_asks`), as far as it can offer them: an address the
/// directory lets the gateway write, a mobile when SMS are on.
pub fn asks(gateway: &Gateway) -> Vec<Channel> {
    let own = gateway.directory().own_values();
    gateway
        .settings()
        .flows
        .activation_asks
        .iter()
        .copied()
        .filter(|channel| match channel {
            Channel::Mail => own.mail,
            Channel::Mobile => own.mobile && gateway.texting(),
        })
        .fold(Vec::new(), |mut asks, channel| {
            if !asks.contains(&channel) {
                asks.push(channel);
            }
            asks
        })
}

/// How the recovery values' POST ended.
pub enum ValuesOutcome {
    /// A code went to each value given: they wait for it.
    Sent(Vec<PendingValue>),
    /// Nothing given: on to the password.
    NoneGiven,
    /// Fields to fix.
    Again(Vec<Problem>),
    /// A code could not be sent now (the limits on mail and SMS).
    NotSent(NotSent),
    /// The account is no longer open to activation.
    NoLonger,
}

/// The recovery values' POST: each value typed (`(channel, typed)`, an
/// empty one left out) read, then a code sent to each.
pub async fn request_values(
    gateway: &Gateway,
    journey: &Journey,
    typed: &[(Channel, &str)],
) -> Result<ValuesOutcome, StepError> {
    let person = gateway.proved_person(journey).await?;
    if !activatable(gateway, &person).await? {
        return Ok(ValuesOutcome::NoLonger);
    }
    let lang = journey.visitor.lang;
    let asked = asks(gateway);
    let mut values = Vec::new();
    let mut problems = Vec::new();
    for (channel, typed) in typed {
        if !asked.contains(channel) || typed.trim().is_empty() {
            continue;
        }
        match recovery::read(gateway, &person, *channel, typed) {
            Ok(value) => values.push((*channel, value)),
            Err(unusable) => problems.push((
                field(*channel),
                passerelle_text::i18n::t(lang, &unusable.message_id(), None),
            )),
        }
    }
    if !problems.is_empty() {
        gateway.event(journey, AuditStep::Recovery, Outcome::FormRefused, &person);
        return Ok(ValuesOutcome::Again(problems));
    }
    if values.is_empty() {
        return Ok(ValuesOutcome::NoneGiven);
    }
    let mut sent = Vec::new();
    for (channel, value) in values {
        match recovery::send_code(gateway, journey, &person, channel, value, None).await {
            Ok(pending) => sent.push(pending),
            Err(not_sent) => return Ok(ValuesOutcome::NotSent(not_sent)),
        }
    }
    Ok(ValuesOutcome::Sent(sent))
}

/// The field of a channel's value on the recovery pages.
pub fn field(channel: Channel) -> &'static str {
    match channel {
        Channel::Mail => "mail",
        Channel::Mobile => "mobile",
    }
}

/// The field of the code sent to a channel's value.
pub fn code_field(channel: Channel) -> &'static str {
    match channel {
        Channel::Mail => "code_mail",
        Channel::Mobile => "code_mobile",
    }
}

/// How the codes' POST ended.
pub enum CodesOutcome {
    /// Every code right: the values wait to be written with the password.
    Verified(Vec<VerifiedValue>),
    /// A code wrong or missing: type it again.
    Again(Vec<Problem>),
    /// A code expired: give the values again.
    Restart,
    /// Self-service is locked, or the account may not use it now.
    Locked,
    /// The account is no longer open to activation.
    NoLonger,
}

/// The codes typed back for `awaiting`, by channel (`None`: not six
/// digits).
pub async fn verify_values(
    gateway: &Gateway,
    journey: &Journey,
    awaiting: &[PendingValue],
    codes: &[(Channel, Option<ResetCode>)],
) -> Result<CodesOutcome, StepError> {
    let person = gateway.proved_person(journey).await?;
    if !activatable(gateway, &person).await? {
        return Ok(CodesOutcome::NoLonger);
    }
    let lang = journey.visitor.lang;
    let mut verified = Vec::new();
    let mut problems = Vec::new();
    for pending in awaiting {
        let code = codes
            .iter()
            .find(|(channel, _)| *channel == pending.channel)
            .and_then(|(_, code)| code.as_ref());
        let Some(code) = code else {
            problems.push((
                code_field(pending.channel),
                passerelle_text::i18n::t(lang, "code-malformed", None),
            ));
            continue;
        };
        match recovery::check_code(gateway, journey, &person, pending, code).await? {
            CodeBack::Right => verified.push(VerifiedValue {
                channel: pending.channel,
                value: pending.value.clone(),
                masked: pending.masked.clone(),
            }),
            CodeBack::Wrong => problems.push((
                code_field(pending.channel),
                passerelle_text::i18n::t(lang, "recovery-code-wrong", None),
            )),
            CodeBack::Expired | CodeBack::Used => return Ok(CodesOutcome::Restart),
            CodeBack::Locked => return Ok(CodesOutcome::Locked),
        }
    }
    Ok(if problems.is_empty() {
        CodesOutcome::Verified(verified)
    } else {
        CodesOutcome::Again(problems)
    })
}

/// The new-password step's POST: the password, the question, the recovery
/// values verified and the end of the activation mark in one modify; an
/// address or a mobile that replaced one the account had is notified to
/// the old one.
pub async fn submit_password(
    gateway: &Gateway,
    journey: &Journey,
    pending: &PendingSecret,
    form: &NewPassword<'_>,
) -> Result<PasswordOutcome, StepError> {
    let before = gateway.proved_person(journey).await?;
    let outcome =
        super::password::submit(gateway, journey, form, Asks::Activation(pending)).await?;
    if let PasswordOutcome::Done { .. } = outcome {
        for value in &pending.recovery {
            let had = match value.channel {
                Channel::Mail => before.own_recovery_mail.is_some(),
                Channel::Mobile => before.own_mobile.is_some(),
            };
            if had {
                recovery::notify(
                    gateway,
                    journey,
                    &before,
                    recovery::factor(value.channel),
                    false,
                    Some(value.masked.clone()),
                )
                .await;
            }
        }
    }
    Ok(outcome)
}
