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

/// The sign-in's POST: it spends a temporary password held on the entry.
pub async fn sign_in(
    gateway: &Gateway,
    journey: &Journey,
    login: &str,
    password: &SecretString,
) -> Result<SignInOutcome, StepError> {
    let SignIn::Proved {
        person,
        proof,
        held_temporary,
        left,
    } = sign_in::prove(gateway, journey, login, password, true, true).await?
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
