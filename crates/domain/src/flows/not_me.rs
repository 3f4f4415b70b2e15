//! « Ce n'était pas moi » ([`crate::flow::FlowName::NotMe`]): the link of a
//! "password changed" mail. Opening it changes nothing (mail scanners open
//! links): it shows what the change was and one button; the button
//! freezes self-service, alerts the help desk and says what happens next
//! ([`crate::steps::not_me`]).

use crate::audit::{AuditStep, Outcome, Who};
use crate::gateway::{Gateway, Journey, StepError};
use crate::steps::not_me::{self, Freeze, Link};
use chrono::{DateTime, Utc};

/// Why a link cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unusable {
    /// Altered, expired, or its entry is gone.
    Invalid,
    /// The password changed again since.
    Superseded,
    /// This change was already disowned.
    AlreadyUsed,
}

/// What the link's page shows.
pub enum LinkPage {
    /// The change, and the button.
    Usable {
        login: String,
        /// When the change was written.
        at: DateTime<Utc>,
        /// From which address.
        address: String,
        /// The help desk's action the link names, when it changed no
        /// password.
        action: Option<crate::settings::DeskAction>,
    },
    Unusable(Unusable),
}

fn unusable(link: &Link) -> Unusable {
    match link {
        Link::Superseded => Unusable::Superseded,
        Link::AlreadyUsed => Unusable::AlreadyUsed,
        _ => Unusable::Invalid,
    }
}

/// The link's page (a GET): nothing is written.
pub async fn open(gateway: &Gateway, token: &str) -> Result<LinkPage, StepError> {
    Ok(match not_me::check(gateway, token).await? {
        Link::Usable(disowned, person) => LinkPage::Usable {
            login: person.login,
            at: DateTime::<Utc>::from_timestamp(disowned.at, 0).unwrap_or_else(|| gateway.now()),
            address: disowned.client_address,
            action: disowned.action,
        },
        other => LinkPage::Unusable(unusable(&other)),
    })
}

/// How the button ended.
pub enum DisownOutcome {
    Frozen,
    Unusable(Unusable),
}

/// The button's POST.
pub async fn disown(
    gateway: &Gateway,
    journey: &Journey,
    token: &str,
) -> Result<DisownOutcome, StepError> {
    let link = not_me::check(gateway, token).await?;
    let Link::Usable(disowned, person) = link else {
        let why = unusable(&link);
        let outcome = match why {
            Unusable::Superseded => Outcome::Superseded,
            Unusable::AlreadyUsed => Outcome::AlreadyUsed,
            Unusable::Invalid => Outcome::LinkInvalid,
        };
        gateway.event(journey, AuditStep::NotMe, outcome, Who::Nobody);
        return Ok(DisownOutcome::Unusable(why));
    };
    Ok(
        match not_me::disown(gateway, journey, &disowned, &person).await? {
            Freeze::Frozen => DisownOutcome::Frozen,
            Freeze::AlreadyDone => DisownOutcome::Unusable(Unusable::AlreadyUsed),
            Freeze::Superseded => DisownOutcome::Unusable(Unusable::Superseded),
        },
    )
}
