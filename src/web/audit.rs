//! Refused submissions in the audit trail (the flows' own events are
//! recorded by their steps, see [`crate::flows::audit`]): no flow cookie
//! (expired), a wrong CSRF token, or a step replayed or skipped.

use super::error::WebError;
use super::flow_state::{FlowName, FlowState};
use crate::flows::audit::{event, Visitor};

/// Records a refused POST of `step`. The account is the DN the cookie
/// names, if the identity was already proved.
pub fn refusal(
    flow: FlowName,
    step: &str,
    state: Option<&FlowState>,
    error: &WebError,
    visitor: &Visitor,
) {
    let outcome = match error {
        WebError::Expired => "refused_expired",
        WebError::Csrf => "refused_csrf",
        WebError::Step => "refused_replay_or_skipped_step",
        _ => "refused",
    };
    event(
        flow.as_str(),
        step,
        outcome,
        state.and_then(|s| s.dn.as_deref()),
        state.map_or("-", |s| s.id.as_str()),
        visitor,
    );
}
