//! Check an e-mailed code (`code`, typed at step 2 or carried by the
//! mail's link). The code lives on the entry only as a keyed hash with its
//! expiry and tries left (`crate::reset_code`): the attempt is counted
//! towards the lockout and one try of the code spent, both before the
//! comparison and in one modify; a right code is cleared at once (single
//! use) and the attempt forgiven, in one modify too.

use super::identity::{wait_for_floor, FailureKind};
use crate::audit::{AuditStep, Outcome, Who};
use crate::gateway::{Gateway, Journey, StepError};
use crate::lockout::Attempt;
use crate::person::Person;
use crate::reset_code::ResetCode;
use crate::state::CodeTry;
use std::time::Instant;

/// How a code check ended.
pub enum CodeCheck {
    Proved(Box<Person>),
    /// Unknown address, wrong, expired or spent code, a locked or stopped
    /// account: one outcome for all (the reason went to the audit trail).
    Refused,
}

/// Checks `code` for `person` (`None` when the address matched nobody),
/// auditing under `step` (`code` or `link`). Refusals are answered no
/// sooner than the code floor after `started`, whoever the person is, or
/// is not.
pub async fn check(
    gateway: &Gateway,
    journey: &Journey,
    step: AuditStep,
    person: Option<Person>,
    code: &ResetCode,
    started: Instant,
) -> Result<CodeCheck, StepError> {
    let (outcome, reason, account) = check_now(gateway, person, code).await?;
    match &outcome {
        CodeCheck::Proved(person) => {
            gateway.event(journey, step, Outcome::CodeRight, Who::Person(person))
        }
        CodeCheck::Refused => {
            gateway.event(journey, step, reason, Who::from(account.as_deref()));
            wait_for_floor(gateway, FailureKind::Code, started).await;
        }
    }
    Ok(outcome)
}

async fn check_now(
    gateway: &Gateway,
    person: Option<Person>,
    code: &ResetCode,
) -> Result<(CodeCheck, Outcome, Option<String>), StepError> {
    let Some(person) = person else {
        return Ok((CodeCheck::Refused, Outcome::UnknownAddress, None));
    };
    let account = Some(person.login.clone());
    if let Err(stopped) = super::standing_now(gateway, &person).await? {
        return Ok((CodeCheck::Refused, super::stopped_outcome(stopped), account));
    }
    // One modify: the attempt counted and a try spent.
    let (attempt, code_try) = gateway.count_attempt_and_spend_code_try(&person).await?;
    let locks_until = match attempt {
        Attempt::Locked { .. } => return Ok((CodeCheck::Refused, Outcome::Locked, account)),
        Attempt::Counted { locks_until, .. } => locks_until,
    };
    // The code compared is the one whose try was spent: a newer code
    // stored meanwhile (another tab's resend) voided the one looked up.
    let CodeTry::Spent { hash, expiry, .. } = code_try else {
        return Ok((CodeCheck::Refused, Outcome::NoCodeOrNoTryLeft, account));
    };
    let right = gateway.code_key().matches(&person.dn, code, &hash);
    let live = expiry.is_some_and(|expiry| expiry > gateway.now());
    if right {
        // A right code, even expired, is the mailbox owner's, not a guess.
        if !live {
            super::forgive(gateway, &person, &attempt).await?;
            return Ok((CodeCheck::Refused, Outcome::ExpiredCode, account));
        }
        // One modify: forgiven, and the code spent for good.
        gateway
            .forgive_attempt_and_clear_code(&person, &attempt)
            .await?;
        return Ok((
            CodeCheck::Proved(Box::new(person)),
            Outcome::CodeRight,
            None,
        ));
    }
    let reason = if locks_until.is_some() {
        Outcome::WrongCodeNowLocked
    } else {
        Outcome::WrongCode
    };
    Ok((CodeCheck::Refused, reason, account))
}
