//! The steps flows are made of, each written once and shared: it carries
//! its own audit events, attempt counting and lockout, and every step that
//! writes asks, at the moment of writing, whether the person may use
//! self-service now ([`crate::standing`]), so no flow can forget a rule.
//!
//! | step | module |
//! |---|---|
//! | prove identity (identifier + birth date) | [`identity`] |
//! | answer the secret question | [`question`] |
//! | choose a secret question | [`secret`] |
//! | prove a sign-in (login + current or temporary password) | [`sign_in`] |
//! | request a mail (code, temporary password, login reminder) | [`mailing`] |
//! | check an e-mailed code | [`code`] |
//! | choose and write the new password, confirm by mail | [`new_password`] |
//! | disown a change (« Ce n'était pas moi ») | [`not_me`] |
//! | send a code by SMS, within every limit on SMS | [`texting`] |
//! | a recovery address or mobile of one's own, verified, written, notified | [`recovery`] |

pub mod code;
pub mod identity;
pub mod mailing;
pub mod new_password;
pub mod not_me;
pub mod question;
pub mod recovery;
pub mod secret;
pub mod sign_in;
pub mod texting;

use crate::audit::Outcome;
use crate::gateway::Gateway;
use crate::lockout::Attempt;
use crate::person::Person;
use crate::ports::DirectoryError;
use crate::standing::{standing, Stopped};

/// Whether `person` (as read) may use self-service now, under their
/// effective directory policy (cached by the adapter).
pub(crate) async fn standing_now(
    gateway: &Gateway,
    person: &Person,
) -> Result<Result<(), Stopped>, DirectoryError> {
    let policy = gateway.directory().policy(person).await?;
    Ok(standing(person, &policy, gateway.now()))
}

/// The audit outcome of a stopped account.
pub(crate) fn stopped_outcome(stopped: Stopped) -> Outcome {
    match stopped {
        Stopped::ItLock => Outcome::LockedByIt,
        Stopped::Frozen => Outcome::SelfServiceFrozen,
        Stopped::Closed => Outcome::AccountClosed,
        Stopped::NotOpenYet => Outcome::AccountNotOpenYet,
    }
}

/// Counts an attempt before its secret is checked
/// ([`Gateway::count_attempt`]).
pub(crate) async fn count_attempt(
    gateway: &Gateway,
    person: &Person,
) -> Result<Attempt, DirectoryError> {
    gateway.count_attempt(person).await
}

/// Forgives a right attempt ([`Gateway::forgive_attempt`]).
pub(crate) async fn forgive(
    gateway: &Gateway,
    person: &Person,
    attempt: &Attempt,
) -> Result<(), DirectoryError> {
    gateway.forgive_attempt(person, attempt).await
}
