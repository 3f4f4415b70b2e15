//! Récupérer mon identifiant (UPHF): identity, then the login by mail
//! ([`crate::flow::FlowName::Identifier`]'s steps). The page never shows the
//! login and says the same thing, in the same time, whether or not somebody
//! matched: the identity check waits for its floor on every outcome here,
//! success included, and the mail leaves off the request path.

use super::IdentityInput;
use crate::gateway::{Gateway, Journey, StepError};
use crate::steps::identity::{self, FailureKind, Identity};
use crate::steps::mailing;
use std::time::Instant;

/// The identity step's POST: the login is mailed to whoever was proved;
/// everyone gets the same answer, after the same floor.
pub async fn identity(
    gateway: &Gateway,
    journey: &Journey,
    input: &IdentityInput,
) -> Result<(), StepError> {
    let started = Instant::now();
    if let Identity::Proved(person) = identity::prove(
        gateway,
        journey,
        input.identifier.as_ref(),
        &input.birth_date,
    )
    .await?
    {
        mailing::send_login(gateway, journey, &person).await;
        identity::wait_for_floor(gateway, FailureKind::Identity, started).await;
    }
    Ok(())
}
