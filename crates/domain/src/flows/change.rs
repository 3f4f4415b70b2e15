//! Changer mon mot de passe (`/change`, CAF and Ecolesoft's forced change
//! after a temporary password, also a plain change): sign in, then the new
//! password ([`crate::flow::FlowName::Change`]'s steps). As on the CAF page
//! the current password is typed again with the new one and proved again,
//! against the sign-in's sealed proof and under a counted attempt
//! ([`sign_in::prove_current`]), so the cookie never holds it and a stolen
//! cookie alone cannot change anything (the flow ends after a few wrong
//! ones). A temporary password past its expiry is refused,
//! only once it was proved right (so a stranger learns nothing); nothing is
//! written.

use super::{Asks, PasswordOutcome};
use crate::audit::{AuditStep, Outcome};
use crate::gateway::{Gateway, Journey, Proof, StepError};
use crate::ports::BindProof;
use crate::steps::new_password::NewPassword;
use crate::steps::sign_in::{self, SignIn};
use secrecy::SecretString;

/// How the sign-in ended.
pub enum SignInOutcome {
    /// On to the new password.
    Proved(Proof),
    /// The temporary password was right but has expired.
    TemporaryExpired,
    /// The one failure.
    Refused,
}

/// The sign-in's POST: it spends a temporary password held on the entry
/// (the flow's proof then stands for it, so a new password the rules refuse
/// is simply typed again on the next page).
pub async fn sign_in(
    gateway: &Gateway,
    journey: &Journey,
    login: &str,
    password: &SecretString,
) -> Result<SignInOutcome, StepError> {
    signed_in(gateway, journey, login, password, true).await
}

/// The sign-in, spending a held temporary password or (`spend_held`
/// false) only recognising it, for the write of the new password to remove
/// in its own modify ([`crate::writing::made_obsolete`]).
async fn signed_in(
    gateway: &Gateway,
    journey: &Journey,
    login: &str,
    password: &SecretString,
    spend_held: bool,
) -> Result<SignInOutcome, StepError> {
    let SignIn::Proved {
        person,
        proof,
        held_temporary,
        left,
    } = sign_in::prove(gateway, journey, login, password, spend_held, true).await?
    else {
        return Ok(SignInOutcome::Refused);
    };
    let event = |outcome| gateway.event(journey, AuditStep::Login, outcome, &*person);
    if super::password::temporary_expired(&person, gateway.now()) {
        left.forgive(gateway, &person).await?;
        event(Outcome::TemporaryPasswordExpired);
        return Ok(SignInOutcome::TemporaryExpired);
    }
    event(match proof {
        BindProof::MustChange => Outcome::TemporaryPasswordProved,
        BindProof::Expired => Outcome::ExpiredPasswordProved,
        _ => Outcome::PasswordProved,
    });
    let mut proved = sign_in::proof_of(gateway, journey, &person, password, left);
    proved.by_temporary = held_temporary;
    if held_temporary {
        // Spent: nothing to prove again with it.
        proved.current_seal = None;
    }
    Ok(SignInOutcome::Proved(proved))
}

/// Whether a sign-in left a current password to type again (not after a
/// held temporary password: that proof was spent at the sign-in). The
/// page's question is [`super::password::asks_current`].
pub fn asks_current(journey: &Journey) -> bool {
    !super::password::spent_temporary(journey)
}

/// The new-password POST, with the current password typed again
/// (`form.current`, empty or absent when the field was left blank) where
/// the page asks for it.
pub async fn submit_password(
    gateway: &Gateway,
    journey: &Journey,
    form: &NewPassword<'_>,
) -> Result<PasswordOutcome, StepError> {
    super::password::submit(gateway, journey, form, Asks::Nothing).await
}

/// How a change made in one request ended ([`knowing_current`]).
#[derive(Debug)]
pub enum OneRequestOutcome {
    /// The sign-in failed: unknown login, wrong password, a lock, an
    /// account that may not use self-service; one outcome for all, as on
    /// the page.
    SignInRefused,
    /// The temporary password was right but has expired.
    TemporaryExpired,
    /// Signed in; how the new-password step ended.
    Password(PasswordOutcome),
}

/// The whole change in one request, for a caller that holds the current
/// password and the new one at once (the JSON API): the sign-in's POST,
/// then the new-password POST with the current password typed again, as
/// the two pages make them, so that the attempt is counted, the lockout
/// and every rule of the write hold alike. `journey` has no proof yet.
///
/// A temporary password held on the entry is proved (counted, before any
/// rule of the new password is looked at) but not spent by the sign-in as
/// on the pages: no flow keeps that proof for another try, so it is spent
/// only by the write that stores the new password (which removes it in the
/// same modify, guarded by the password as proved, so two requests cannot
/// both use it). A new password the rules refuse leaves it usable.
pub async fn knowing_current(
    gateway: &Gateway,
    journey: &Journey,
    login: &str,
    current: &SecretString,
    new: &NewPassword<'_>,
) -> Result<OneRequestOutcome, StepError> {
    let proof = match signed_in(gateway, journey, login, current, false).await? {
        SignInOutcome::Proved(proof) => proof,
        SignInOutcome::TemporaryExpired => return Ok(OneRequestOutcome::TemporaryExpired),
        SignInOutcome::Refused => return Ok(OneRequestOutcome::SignInRefused),
    };
    let journey = Journey {
        proof: Some(proof),
        ..journey.clone()
    };
    let form = NewPassword {
        current: Some(current),
        ..*new
    };
    Ok(OneRequestOutcome::Password(
        submit_password(gateway, &journey, &form).await?,
    ))
}
