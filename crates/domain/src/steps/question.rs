//! Answer the secret question ("question joker"): the second proof of
//! `recover`. An account whose self-service stopped since its identity was
//! proved gets no answer checked. The attempt is counted on the entry before the (slow) argon2
//! check, so answers sent in parallel cannot all read an open lock before
//! any of them is recorded; a right answer is then forgiven.

use crate::audit::{AuditStep, Outcome, Who};
use crate::gateway::{Gateway, Journey, StepError};
use crate::lockout::Attempt;
use crate::person::Person;
use crate::secret_answer::AnswerCheck;
use chrono::{DateTime, Utc};
use secrecy::SecretString;

/// What answering led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Right,
    /// Wrong; `left` more wrong answers lock self-service.
    Wrong {
        left: u32,
    },
    /// Self-service is locked until then (by this answer or before it).
    Locked {
        until: DateTime<Utc>,
    },
    /// Self-service is stopped for the account ([`crate::standing`]): the
    /// answer is not checked, so that a frozen or locked account is no
    /// answer oracle for whoever holds a proved identity.
    Stopped,
}

/// Checks `answer` against the person's stored hash. Every outcome is
/// audited under the step `question`.
pub async fn answer(
    gateway: &Gateway,
    journey: &Journey,
    person: &Person,
    answer: &SecretString,
) -> Result<Answer, StepError> {
    let account = Who::Person(person);
    let event = |outcome| gateway.event(journey, AuditStep::Question, outcome, account);
    if let Err(stopped) = super::standing_now(gateway, person).await? {
        event(super::stopped_outcome(stopped));
        return Ok(Answer::Stopped);
    }
    let attempt = super::count_attempt(gateway, person).await?;
    let (left, locks_until) = match attempt {
        Attempt::Locked { until } => {
            event(Outcome::Locked);
            return Ok(Answer::Locked { until });
        }
        Attempt::Counted {
            failures_left,
            locks_until,
            ..
        } => (failures_left, locks_until),
    };
    let checked = gateway
        .answers()
        .check(answer, person.state.answer_hash.as_deref())
        .await?;
    if checked.is_right() {
        super::forgive(gateway, person, &attempt).await?;
        if let (AnswerCheck::RightRehash(hash), Some(question), Some(old)) = (
            &checked,
            person.state.question.as_deref(),
            person.state.answer_hash.as_deref(),
        ) {
            // Hashed under an older normalisation: stored again under
            // today's, unless the owner changed the question meanwhile.
            // The answer was right either way.
            let stored = gateway.rehash_secret(person, question, old, hash).await;
            if let Err(error) = stored {
                tracing::warn!(%error, "re-hashing a secret answer failed");
            }
        }
        event(Outcome::Answered);
        return Ok(Answer::Right);
    }
    if let Some(until) = locks_until {
        event(Outcome::WrongAnswerNowLocked);
        return Ok(Answer::Locked { until });
    }
    event(Outcome::WrongAnswer);
    Ok(Answer::Wrong { left })
}
