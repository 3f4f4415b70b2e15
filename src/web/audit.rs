//! Refused submissions in the audit trail (the flows' own events are
//! recorded by their steps, see [`crate::flows::audit`]): no flow cookie
//! (expired), a wrong CSRF token, or a step replayed or skipped.

use super::error::WebError;
use super::flow_state::{FlowName, FlowState};
use crate::audit_trail::{Event, Recorder, Who};
use crate::flows::audit::Visitor;

/// Records a refused POST of `step`. The account is the DN the cookie
/// names, if the identity was already proved.
pub fn refusal(
    recorder: &Recorder,
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
    recorder.record(Event {
        flow: flow.as_str(),
        flow_id: state.map_or("-", |s| s.id.as_str()),
        step,
        outcome,
        who: state
            .and_then(|s| s.dn.as_deref())
            .map_or(Who::Nobody, Who::Dn),
        visitor,
    });
}
