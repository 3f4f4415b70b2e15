//! The flows, one module each: for every request a flow's pages make, one
//! function the web calls with typed, already-parsed input, returning one
//! typed outcome the web maps to a page or a redirect. Each is its steps
//! ([`crate::flow::FlowName::steps`]) put together from the shared ones
//! ([`crate::steps`]); the new-password step is shared whole
//! ([`password`]).

pub mod account;
pub mod activate;
pub mod change;
pub mod code;
pub mod helpdesk;
pub mod identifier;
pub mod not_me;
pub mod password;
pub mod recover;
pub mod rules;
pub mod temporary;

use crate::audit::{AuditEvent, AuditStep, Outcome, Visitor, Who};
use crate::flow::{FlowName, Step};
use crate::gateway::Gateway;
use crate::identity::{BirthDate, Identifier};

pub use password::{Asks, PasswordOutcome, PasswordPage, PendingSecret};

/// The identity step's input, parsed: the identifier (`None` when what was
/// typed cannot be anybody's) and the birth date.
pub struct IdentityInput {
    pub identifier: Option<Identifier>,
    pub birth_date: BirthDate,
}

/// Why the web refused a submission before any step saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No valid flow cookie (expired, or none).
    Expired,
    /// A wrong CSRF token.
    Csrf,
    /// Sent by another site's page (`Origin`, `Sec-Fetch-Site`).
    CrossSite,
    /// A step posted twice, or before the step it follows.
    ReplayOrSkippedStep,
    /// Another reason.
    Other,
}

/// A submission the web refused (audited under the step's name): the flow
/// instance when its cookie was valid, and the entry it names when the
/// identity was already proved.
pub fn refused(
    gateway: &Gateway,
    flow: FlowName,
    flow_id: Option<&str>,
    dn: Option<&str>,
    step: Step,
    refusal: Refusal,
    visitor: &Visitor,
) {
    let outcome = match refusal {
        Refusal::Expired => Outcome::RefusedExpired,
        Refusal::Csrf => Outcome::RefusedCsrf,
        Refusal::CrossSite => Outcome::RefusedCrossSite,
        Refusal::ReplayOrSkippedStep => Outcome::RefusedReplayOrSkippedStep,
        Refusal::Other => Outcome::Refused,
    };
    let step = match step {
        Step::Identity | Step::LoginMail => AuditStep::Identity,
        Step::Question | Step::ChooseSecret => AuditStep::Question,
        Step::SignIn => AuditStep::Login,
        Step::MailRequest => AuditStep::Request,
        Step::Code => AuditStep::Code,
        Step::NewPassword => AuditStep::Password,
        Step::Disown => AuditStep::NotMe,
        Step::Desk => AuditStep::Desk,
    };
    gateway.audit_sink().record(&AuditEvent {
        flow,
        flow_id: flow_id.unwrap_or("-"),
        step,
        outcome,
        who: dn.map_or(Who::Nobody, Who::Dn),
        visitor,
        desk: None,
    });
}
