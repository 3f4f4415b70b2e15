//! Mot de passe provisoire (CAF, Ecolesoft): an address or identifier +
//! captcha, then always the same page
//! ([`crate::flow::FlowName::Temporary`]'s step). Off the request path,
//! for a person who matched, the temporary password is issued and mailed
//! with a link to `/change` ([`mailing::issue_temporary`]).

use super::code::Request;
use crate::audit::{AuditStep, Outcome, Who};
use crate::gateway::{Gateway, Journey};
use crate::steps::mailing;

/// The request's POST. The page that follows depends only on what was
/// typed, never on whether anyone matched.
pub fn request(gateway: &Gateway, journey: &Journey, request: Request<'_>) {
    let Request::Accepted(typed) = request else {
        gateway.event(
            journey,
            AuditStep::Request,
            Outcome::FormRefused,
            Who::Nobody,
        );
        return;
    };
    gateway.event(journey, AuditStep::Request, Outcome::Submitted, Who::Nobody);
    tokio::spawn(mailing::issue_temporary(
        gateway.clone(),
        journey.clone(),
        typed.to_owned(),
    ));
}
