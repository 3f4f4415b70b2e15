//! Check an e-mailed code (`code`, typed at step 2 or carried by the
//! mail's link). The code lives on the entry only as a keyed hash with its
//! expiry and tries left (`crate::reset_code`). One modify per try, whose
//! success gates the answer: a wrong code counts the attempt towards the
//! lockout and spends a try, a right one is removed at once (single use);
//! see the state operation `try_code`.

use super::identity::{wait_for_floor, FailureKind};
use crate::audit::{AuditStep, Outcome, Who};
use crate::gateway::{Gateway, Journey, StepError};
use crate::person::Person;
use crate::reset_code::ResetCode;
use crate::state::CodeTried;
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
    // One modify, whose success gates the answer. The code compared is
    // the one on the entry as the modify found it: a newer code stored
    // meanwhile (another tab's resend) voided the one looked up.
    let key = gateway.code_key();
    let tried = gateway
        .try_code(&person, |hash| key.matches(&person.dn, code, hash))
        .await?;
    Ok(match tried {
        CodeTried::Locked => (CodeCheck::Refused, Outcome::Locked, account),
        CodeTried::NoneLeft => (CodeCheck::Refused, Outcome::NoCodeOrNoTryLeft, account),
        // A right code, even expired, is the mailbox owner's, not a guess:
        // nothing counted.
        CodeTried::Right { live: false } => (CodeCheck::Refused, Outcome::ExpiredCode, account),
        CodeTried::Right { live: true } => (
            CodeCheck::Proved(Box::new(person)),
            Outcome::CodeRight,
            None,
        ),
        CodeTried::Wrong { now_locked: true } => {
            (CodeCheck::Refused, Outcome::WrongCodeNowLocked, account)
        }
        CodeTried::Wrong { now_locked: false } => (CodeCheck::Refused, Outcome::WrongCode, account),
    })
}
