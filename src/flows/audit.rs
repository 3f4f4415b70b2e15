//! The audit trail: one structured event per flow event, on the `audit`
//! target so a collector can route it apart. It says who (login or DN),
//! what (flow, step, outcome), when (the event's time), from where (client
//! address, user agent) and which flow instance (a random id). It never
//! carries a secret: no password, answer, code, token, nor what a person
//! typed as identifier or birth date when it matched nobody.

use super::FlowName;
use crate::safe_text::{single_line, MAX_LOGIN_CHARS};
use std::net::IpAddr;

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
}

impl Trail {
    /// Records `outcome` of `step` for `account` (a login or DN; `None`
    /// when nobody matched).
    pub fn event(&self, step: &str, outcome: &str, account: Option<&str>) {
        event(
            self.flow.as_str(),
            step,
            outcome,
            account,
            &self.id,
            &self.visitor,
        );
    }
}

/// One audit event. `account` is made one safe, bounded line here (it is
/// usually a login already made safe by `Person::from_entry`, but a caller
/// may pass a DN); the user agent was made safe when it was read.
pub fn event(
    flow: &str,
    step: &str,
    outcome: &str,
    account: Option<&str>,
    flow_id: &str,
    visitor: &Visitor,
) {
    tracing::info!(
        target: "audit",
        flow,
        step,
        outcome,
        account = %account.map_or_else(|| "-".to_owned(), |a| single_line(a, MAX_LOGIN_CHARS)),
        flow_id,
        client = %visitor.address,
        user_agent = %visitor.user_agent,
        "{flow} {step}: {outcome}"
    );
}
