//! Récupérer mon mot de passe (UPHF Sésame): identity, question, new
//! password ([`crate::flow::FlowName::Recover`]'s steps); the confirmation
//! mail leaves with the write.

use super::{Asks, IdentityInput, PasswordOutcome};
use crate::audit::{AuditStep, Outcome};
use crate::gateway::{Gateway, Journey, Proof, StepError};
use crate::lockout::{lock_state, LockState};
use crate::person::Person;
use crate::steps::identity::{self, Identity};
use crate::steps::new_password::NewPassword;
use crate::steps::question::{self, Answer};
use crate::steps::secret::question_text;
use chrono::{DateTime, Utc};
use secrecy::SecretString;

/// How the identity step ended.
pub enum IdentityOutcome {
    /// On to the question.
    Proved(Proof),
    /// Proved, but the account has no question: the person is sent to
    /// « Activer mon compte » or the help desk.
    NoQuestion,
    /// The one failure (the reason is in the audit trail).
    Failed,
}

/// The identity step's POST.
pub async fn identity(
    gateway: &Gateway,
    journey: &Journey,
    input: &IdentityInput,
) -> Result<IdentityOutcome, StepError> {
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
    if !has_question(&person) {
        gateway.event(journey, AuditStep::Identity, Outcome::NoQuestion, &*person);
        return Ok(IdentityOutcome::NoQuestion);
    }
    gateway.event(journey, AuditStep::Identity, Outcome::Proved, &*person);
    Ok(IdentityOutcome::Proved(Proof::of(&person)))
}

fn has_question(person: &Person) -> bool {
    person.state.question.is_some() && person.state.answer_hash.is_some()
}

/// What the question page shows.
pub enum QuestionPage {
    /// The question, in the reader's language when it is a built-in one.
    Ask {
        question: String,
    },
    Locked {
        until: DateTime<Utc>,
    },
    NoQuestion,
}

/// The question page (a GET).
pub async fn question_page(
    gateway: &Gateway,
    journey: &Journey,
) -> Result<QuestionPage, StepError> {
    let person = gateway.proved_person(journey).await?;
    if let LockState::Locked { until } =
        lock_state(&person.state, &gateway.settings().lockout, gateway.now())
    {
        return Ok(QuestionPage::Locked { until });
    }
    Ok(match person.state.question.as_deref() {
        Some(question) => QuestionPage::Ask {
            question: question_text(question, journey.visitor.lang),
        },
        None => QuestionPage::NoQuestion,
    })
}

/// How an answer ended.
pub enum AnswerOutcome {
    /// On to the new password, with the proof as it stands now.
    Right(Proof),
    Wrong {
        left: u32,
    },
    Locked {
        until: DateTime<Utc>,
    },
    /// Self-service stopped since the identity was proved (IT's lock, the
    /// owner's « Ce n'était pas moi », an end date): no answer is checked.
    Stopped,
}

/// The question step's POST (a non-empty answer).
pub async fn answer(
    gateway: &Gateway,
    journey: &Journey,
    answer: &SecretString,
) -> Result<AnswerOutcome, StepError> {
    let person = gateway.proved_person(journey).await?;
    Ok(
        match question::answer(gateway, journey, &person, answer).await? {
            Answer::Right => AnswerOutcome::Right(Proof::of(&person)),
            Answer::Wrong { left } => AnswerOutcome::Wrong { left },
            Answer::Locked { until } => AnswerOutcome::Locked { until },
            Answer::Stopped => AnswerOutcome::Stopped,
        },
    )
}

/// The new-password step's POST.
pub async fn submit_password(
    gateway: &Gateway,
    journey: &Journey,
    form: &NewPassword<'_>,
) -> Result<PasswordOutcome, StepError> {
    super::password::submit(gateway, journey, form, Asks::Nothing).await
}
