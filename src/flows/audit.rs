//! The audit trail as the steps see it: one event per thing that happened
//! in a flow, saying who (login and DN), what (flow, step, outcome), from
//! where (client address, user agent) and which flow instance (a random
//! id); the time and the replica are added where it is written
//! ([`crate::audit_trail::Recorder`], which also counts it in the metrics
//! and logs it). It never carries a secret: no password, answer, code,
//! token, nor what a person typed as identifier or birth date when it
//! matched nobody.

use super::FlowName;
use crate::audit_trail::{Event, Recorder};
use std::net::IpAddr;

pub use crate::audit_trail::Who;

/// Who is asking, as far as the gateway can tell: the client's address
/// (after trusted proxies) and user agent, and the language of the pages
/// and mails they get.
#[derive(Debug, Clone)]
pub struct Visitor {
    pub address: IpAddr,
    /// Already bounded and free of control characters.
    pub user_agent: String,
    pub lang: crate::i18n::Lang,
}

/// One flow instance's audit trail: every event of a flow carries its name
/// and random id, so its events can be followed together.
#[derive(Debug, Clone)]
pub struct Trail {
    pub flow: FlowName,
    pub id: String,
    pub visitor: Visitor,
    /// Where the events go.
    pub recorder: Recorder,
}

impl Trail {
    /// Records `outcome` of `step` for the account `who` names (a
    /// [`crate::directory::Person`], a login, or `None` when nobody
    /// matched). `outcome` must be one of
    /// [`crate::audit_trail::OUTCOMES`], documented in `docs/audit.md`.
    pub fn event<'a>(&self, step: &str, outcome: &str, who: impl Into<Who<'a>>) {
        self.recorder.record(Event {
            flow: self.flow.as_str(),
            flow_id: &self.id,
            step,
            outcome,
            who: who.into(),
            visitor: &self.visitor,
        });
    }
}
