//! Answer the secret question ("question joker"): the second proof of
//! `recover`. The attempt is counted on the entry before the (slow) argon2
//! check, so answers sent in parallel cannot all read an open lock before
//! any of them is recorded; a right answer is then forgiven.

use super::{FlowError, Gateway, Trail};
use crate::directory::{Attempt, Person};
use crate::flows::Who;
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
}

/// Checks `answer` against the person's stored hash. Every outcome is
/// audited under the step `question`.
pub async fn answer(
    gateway: &Gateway,
    trail: &Trail,
    person: &Person,
    answer: &SecretString,
) -> Result<Answer, FlowError> {
    let account = Who::Person(person);
    let attempt = gateway
        .directory
        .begin_attempt(person, &gateway.settings.lockout)
        .await?;
    let (left, locks_until) = match attempt {
        Attempt::Locked { until } => {
            trail.event("question", "locked", account);
            return Ok(Answer::Locked { until });
        }
        Attempt::Counted {
            failures_left,
            locks_until,
            ..
        } => (failures_left, locks_until),
    };
    let checked = gateway
        .answers
        .check(answer, person.state.answer_hash.as_deref())
        .await?;
    if checked.is_right() {
        gateway.directory.forgive_attempt(person, &attempt).await?;
        if let (AnswerCheck::RightRehash(hash), Some(question)) =
            (&checked, person.state.question.as_deref())
        {
            // Hashed under an older normalisation: stored again under
            // today's. The answer was right either way.
            if let Err(error) = gateway.directory.set_secret(person, question, hash).await {
                tracing::warn!(%error, "re-hashing a secret answer failed");
            }
        }
        trail.event("question", "answered", account);
        return Ok(Answer::Right);
    }
    if let Some(until) = locks_until {
        trail.event("question", "wrong_answer_now_locked", account);
        return Ok(Answer::Locked { until });
    }
    trail.event("question", "wrong_answer", account);
    Ok(Answer::Wrong { left })
}
