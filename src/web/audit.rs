//! The audit trail: one structured event per flow event, on the `audit`
//! target so a collector can route it apart. It says who (login or DN),
//! what (flow, step, outcome), when (the event's time), from where (client
//! address, user agent) and which flow instance (a random id). It never
//! carries a secret: no password, answer, code, token, nor what a person
//! typed as identifier or birth date when it matched nobody.

use super::client::ClientInfo;
use crate::safe_text::{single_line, MAX_LOGIN_CHARS};

/// One audit event. `account` is made one safe, bounded line here (it is
/// usually a login already made safe by `Person::from_entry`, but a caller
/// may pass a DN or another value from outside); the client's user agent
/// was made safe when it was read.
pub fn event(
    flow: &str,
    step: &str,
    outcome: &str,
    account: Option<&str>,
    flow_id: &str,
    client: &ClientInfo,
) {
    tracing::info!(
        target: "audit",
        flow,
        step,
        outcome,
        account = %account.map_or_else(|| "-".to_owned(), |a| single_line(a, MAX_LOGIN_CHARS)),
        flow_id,
        client = %client.address,
        user_agent = %client.user_agent,
        "{flow} {step}: {outcome}"
    );
}

/// A refused submission: no flow cookie (expired), a wrong CSRF token, or
/// a step replayed or skipped. The account is the DN the cookie names, if
/// the identity was already proved.
pub fn refusal(
    flow: &str,
    step: &str,
    state: Option<&super::flow_state::FlowState>,
    error: &super::error::WebError,
    client: &ClientInfo,
) {
    use super::error::WebError;
    let outcome = match error {
        WebError::Expired => "refused_expired",
        WebError::Csrf => "refused_csrf",
        WebError::Step => "refused_replay_or_skipped_step",
        _ => "refused",
    };
    event(
        flow,
        step,
        outcome,
        state.and_then(|s| s.dn.as_deref()),
        state.map_or("-", |s| s.id.as_str()),
        client,
    );
}
