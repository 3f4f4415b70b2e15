//! Check an e-mailed code (`code`, typed at step 2 or carried by the
//! mail's link). The code lives on the entry only as a keyed hash with its
//! expiry and tries left ([`crate::reset_code`]): the attempt is counted
//! towards the lockout and one try of the code spent, both before the
//! comparison; a right code is cleared at once (single use) and the
//! attempt forgiven.

use super::identity::{wait_for_floor, FailureKind};
use super::{FlowError, Gateway, Trail};
use crate::directory::{Attempt, CodeTry, Person};
use crate::flows::Who;
use crate::reset_code::ResetCode;
use chrono::Utc;
use std::time::Instant;

/// How a code check ended.
pub enum CodeCheck {
    Proved(Box<Person>),
    /// Unknown address, wrong, expired or spent code, locked account: one
    /// outcome for all (the reason went to the audit trail).
    Refused,
}

/// Checks `code` for `person` (`None` when the address matched nobody),
/// auditing under `step` (`code` or `link`). Refusals are answered no
/// sooner than the identity floor after `started`, whoever the person is,
/// or is not.
pub async fn check(
    gateway: &Gateway,
    trail: &Trail,
    step: &str,
    person: Option<Person>,
    code: &ResetCode,
    started: Instant,
) -> Result<CodeCheck, FlowError> {
    let (outcome, reason, account) = check_now(gateway, person, code).await?;
    match &outcome {
        CodeCheck::Proved(person) => trail.event(step, "code_right", Who::Person(person)),
        CodeCheck::Refused => {
            trail.event(step, reason, account.as_deref());
            wait_for_floor(gateway, FailureKind::Code, started).await;
        }
    }
    Ok(outcome)
}

async fn check_now(
    gateway: &Gateway,
    person: Option<Person>,
    code: &ResetCode,
) -> Result<(CodeCheck, &'static str, Option<String>), FlowError> {
    let Some(person) = person else {
        return Ok((CodeCheck::Refused, "unknown_address", None));
    };
    let account = Some(person.login.clone());
    let attempt = gateway
        .directory
        .begin_attempt(&person, &gateway.settings.lockout)
        .await?;
    let locks_until = match attempt {
        Attempt::Locked { .. } => return Ok((CodeCheck::Refused, "locked", account)),
        Attempt::Counted { locks_until, .. } => locks_until,
    };
    if let CodeTry::NoneLeft = gateway.directory.spend_code_try(&person).await? {
        return Ok((CodeCheck::Refused, "no_code_or_no_try_left", account));
    }
    let right = person
        .state
        .code_hash
        .as_deref()
        .is_some_and(|stored| gateway.code_key.matches(&person.dn, code, stored));
    let live = person
        .state
        .code_expiry
        .is_some_and(|expiry| expiry > Utc::now());
    if right {
        // A right code, even expired, is the mailbox owner's, not a guess.
        gateway.directory.forgive_attempt(&person, &attempt).await?;
        if !live {
            return Ok((CodeCheck::Refused, "expired_code", account));
        }
        gateway.directory.clear_code(&person).await?;
        return Ok((CodeCheck::Proved(Box::new(person)), "code_right", None));
    }
    let reason = if locks_until.is_some() {
        "wrong_code_now_locked"
    } else {
        "wrong_code"
    };
    Ok((CodeCheck::Refused, reason, account))
}
