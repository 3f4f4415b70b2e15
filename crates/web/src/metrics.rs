//! Prometheus metrics: what an operator watches (`docs/metrics.md` lists
//! every name; `docs/grafana-dashboard.json` draws them).
//!
//! Built on `prometheus-client`, the Prometheus project's own Rust client:
//! its registry is a value, not a process-wide global, so each
//! [`crate::Application`] has its own (the tests run many gateways in
//! one process and read each one's counters), and every instrument is a
//! cheap, shareable handle, so the parts that own a measurement (the
//! directory pool, the answer hasher, the mailer) keep their instruments
//! and only hand them to the registry ([`Observed`]).
//!
//! The flow counters are not moved by the flows themselves: every audit
//! event passes through [`crate::audit_trail::Recorder`], which counts it
//! here ([`FlowMetrics::count_event`]), so the audit trail and the metrics
//! cannot disagree.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use passerelle_domain::audit::{AuditStep, Outcome};
use passerelle_domain::flow::FlowName;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

pub use passerelle_metrics::{
    directory_histogram, http_histogram, wait_histogram, Observed, DIRECTORY_BUCKETS, HTTP_BUCKETS,
    PREFIX, WAIT_BUCKETS,
};

/// `{method, route, status}` of an HTTP request; `route` is the matched
/// path template (`/captcha/{flow}/image.png`), never the raw path, so
/// that a scanner cannot create a series per URL it tries.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    pub route: String,
    pub status: u16,
}

/// `{flow}`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct FlowLabels {
    pub flow: String,
}

/// `{flow, outcome}`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct FlowOutcomeLabels {
    pub flow: String,
    pub outcome: String,
}

/// `{flow, step, outcome}` of one audit event.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct EventLabels {
    pub flow: String,
    pub step: String,
    pub outcome: String,
}

/// `{flow, step}`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct FlowStepLabels {
    pub flow: String,
    pub step: String,
}

/// `{flow, kind}` of a captcha served (`image` or `audio`).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CaptchaServedLabels {
    pub flow: String,
    pub kind: &'static str,
}

/// `{flow, result}` of a captcha checked (`passed` or `failed`).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CaptchaCheckLabels {
    pub flow: String,
    pub result: &'static str,
}

/// HTTP requests.
#[derive(Clone, Debug)]
pub struct HttpMetrics {
    /// `passerelle_http_requests_total{method, route, status}`.
    pub requests: Family<RequestLabels, Counter>,
    /// `passerelle_http_request_duration_seconds{method, route}` (status
    /// included too: a 503 is fast and would hide slow 200s).
    pub duration: Family<RequestLabels, Histogram, fn() -> Histogram>,
}

/// The flows, counted from their audit events.
#[derive(Clone, Debug)]
pub struct FlowMetrics {
    /// `passerelle_flows_started_total{flow}`: first pages served (each
    /// opens a new flow cookie).
    pub started: Family<FlowLabels, Counter>,
    /// `passerelle_flows_completed_total{flow, outcome}`: events that end
    /// a flow (`passerelle_domain::audit::Outcome::ends_flow`).
    pub completed: Family<FlowOutcomeLabels, Counter>,
    /// `passerelle_audit_events_total{flow, step, outcome}`: every event.
    pub events: Family<EventLabels, Counter>,
    /// `passerelle_lockouts_total{flow, step}`: failures that locked
    /// self-service for an account (outcomes `*_now_locked`).
    pub lockouts: Family<FlowStepLabels, Counter>,
    /// `passerelle_audit_write_errors_total`: records the audit output
    /// could not take (full disk, closed pipe); each is also logged.
    pub write_errors: Counter,
}

impl HttpMetrics {
    /// The pages every replica serves (home, each flow's first page, the
    /// readiness probe), as `GET … 200` at zero (see [`FlowMetrics`]):
    /// the status of other answers is not known in advance.
    fn start_at_zero(&self) {
        let pages = ["/", "/readyz"]
            .into_iter()
            .chain(FlowName::ALL.iter().map(|flow| flow.spec().path));
        for route in pages {
            let labels = RequestLabels {
                method: "GET".to_owned(),
                route: route.to_owned(),
                status: 200,
            };
            drop(self.requests.get_or_create(&labels));
            drop(self.duration.get_or_create(&labels));
        }
    }
}

impl FlowMetrics {
    /// Every label set known before the first event, at zero, so that a
    /// quiet replica already exports each family the dashboard queries
    /// (Prometheus' instrumentation guidance): each flow started; each
    /// flow's completing outcomes, completed and as events at each of the
    /// flow's own steps; a lock at each of those steps.
    fn start_at_zero(&self) {
        for flow in FlowName::ALL {
            let name = flow.as_str();
            drop(self.started.get_or_create(&FlowLabels {
                flow: name.to_owned(),
            }));
            let steps = AuditStep::ALL.iter().filter(|step| step.occurs_in(flow));
            let ends = Outcome::ALL
                .iter()
                .filter(|outcome| passerelle_domain::audit::ends(**outcome, flow));
            for outcome in ends.clone() {
                drop(self.completed.get_or_create(&FlowOutcomeLabels {
                    flow: name.to_owned(),
                    outcome: outcome.name().to_owned(),
                }));
            }
            for step in steps {
                drop(self.lockouts.get_or_create(&FlowStepLabels {
                    flow: name.to_owned(),
                    step: step.name().to_owned(),
                }));
                for outcome in ends.clone() {
                    drop(self.events.get_or_create(&EventLabels {
                        flow: name.to_owned(),
                        step: step.name().to_owned(),
                        outcome: outcome.name().to_owned(),
                    }));
                }
            }
        }
    }

    /// Counts one audit event: in `events`, and in `completed` and
    /// `lockouts` when its outcome says so.
    pub fn count_event(&self, flow: FlowName, step: AuditStep, outcome: Outcome) {
        self.events
            .get_or_create(&EventLabels {
                flow: flow.as_str().to_owned(),
                step: step.name().to_owned(),
                outcome: outcome.name().to_owned(),
            })
            .inc();
        if passerelle_domain::audit::ends(outcome, flow) {
            self.completed
                .get_or_create(&FlowOutcomeLabels {
                    flow: flow.as_str().to_owned(),
                    outcome: outcome.name().to_owned(),
                })
                .inc();
        }
        if outcome.locks() {
            self.lockouts
                .get_or_create(&FlowStepLabels {
                    flow: flow.as_str().to_owned(),
                    step: step.name().to_owned(),
                })
                .inc();
        }
    }

    /// Counts a flow's first page.
    pub fn count_start(&self, flow: &str) {
        self.started
            .get_or_create(&FlowLabels {
                flow: flow.to_owned(),
            })
            .inc();
    }
}

/// Captchas.
#[derive(Clone, Debug)]
pub struct CaptchaMetrics {
    /// `passerelle_captcha_served_total{flow, kind}`.
    pub served: Family<CaptchaServedLabels, Counter>,
    /// `passerelle_captcha_checks_total{flow, result}`.
    pub checks: Family<CaptchaCheckLabels, Counter>,
}

impl CaptchaMetrics {
    /// Each flow whose first page asks a captcha, served as each kind and
    /// checked with each result, at zero (see [`FlowMetrics`]).
    fn start_at_zero(&self) {
        let with_captcha = FlowName::ALL
            .into_iter()
            .filter(|flow| flow.spec().request.is_some());
        for flow in with_captcha {
            for kind in ["image", "audio"] {
                drop(self.served.get_or_create(&CaptchaServedLabels {
                    flow: flow.as_str().to_owned(),
                    kind,
                }));
            }
            for result in ["passed", "failed"] {
                drop(self.checks.get_or_create(&CaptchaCheckLabels {
                    flow: flow.as_str().to_owned(),
                    result,
                }));
            }
        }
    }

    /// Counts one picture or recording served for `flow`.
    pub fn served(&self, flow: &str, kind: &'static str) {
        self.served
            .get_or_create(&CaptchaServedLabels {
                flow: flow.to_owned(),
                kind,
            })
            .inc();
    }

    /// Counts one captcha answer checked for `flow`.
    pub fn checked(&self, flow: &str, passed: bool) {
        self.checks
            .get_or_create(&CaptchaCheckLabels {
                flow: flow.to_owned(),
                result: if passed { "passed" } else { "failed" },
            })
            .inc();
    }
}

/// The gateway's metrics: the registry and the instruments the web layer
/// and the audit recorder move. Cheap to clone.
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Registry>,
    pub http: HttpMetrics,
    pub flows: FlowMetrics,
    pub captcha: CaptchaMetrics,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Metrics {
    /// A registry with the web, flow and captcha instruments, and those of
    /// each part in `parts`.
    pub fn new(parts: &[&dyn Observed]) -> Metrics {
        let mut registry = Registry::with_prefix(PREFIX);
        let http = HttpMetrics {
            requests: Family::default(),
            duration: Family::new_with_constructor(http_histogram),
        };
        http.start_at_zero();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, matched route template and status",
            http.requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time from a request's head to its answer, by method, route and status",
            http.duration.clone(),
        );
        let flows = FlowMetrics {
            started: Family::default(),
            completed: Family::default(),
            events: Family::default(),
            lockouts: Family::default(),
            write_errors: Counter::default(),
        };
        flows.start_at_zero();
        registry.register(
            "flows_started",
            "Flows started (first page served, new flow cookie), by flow",
            flows.started.clone(),
        );
        registry.register(
            "flows_completed",
            "Flows that reached an end, by flow and the audit outcome that ended them",
            flows.completed.clone(),
        );
        registry.register(
            "audit_events",
            "Audit events, by flow, step and outcome",
            flows.events.clone(),
        );
        registry.register(
            "lockouts",
            "Failed attempts that locked self-service for an account, by flow and step",
            flows.lockouts.clone(),
        );
        registry.register(
            "audit_write_errors",
            "Audit records the configured output could not take",
            flows.write_errors.clone(),
        );
        let captcha = CaptchaMetrics {
            served: Family::default(),
            checks: Family::default(),
        };
        captcha.start_at_zero();
        registry.register(
            "captcha_served",
            "Captcha pictures and recordings served, by flow and kind",
            captcha.served.clone(),
        );
        registry.register(
            "captcha_checks",
            "Captcha answers checked, by flow and result (passed, failed)",
            captcha.checks.clone(),
        );
        for part in parts {
            part.register_metrics(&mut registry);
        }
        Metrics {
            registry: Arc::new(registry),
            http,
            flows,
            captcha,
        }
    }

    /// Every metric in the Prometheus text format (version 0.0.4).
    pub fn encode(&self) -> String {
        let mut text = String::new();
        if let Err(error) =
            prometheus_client::encoding::prometheus_text::encode(&mut text, &self.registry)
        {
            tracing::error!(%error, "encoding the metrics failed");
        }
        text
    }
}

/// `GET /metrics`.
pub async fn serve_metrics(State(metrics): State<Metrics>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(prometheus_client::encoding::prometheus_text::CONTENT_TYPE),
        )],
        metrics.encode(),
    )
        .into_response()
}

/// Where the router writes the matched route template of a request, for
/// [`track_requests`] (the outer middleware sees the request before the
/// router matched it, and the error pages it meets on the way out are new
/// responses without the inner one's extensions).
#[derive(Clone, Default)]
pub struct RouteSlot(Arc<OnceLock<String>>);

/// Outermost middleware: counts and times every request by its route
/// template and final status.
pub async fn track_requests(
    State(metrics): State<Arc<Metrics>>,
    mut request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = match request.method().as_str() {
        method @ ("GET" | "HEAD" | "POST") => method.to_owned(),
        // Anything else is answered 405: one series for all of them.
        _ => "other".to_owned(),
    };
    let slot = RouteSlot::default();
    request.extensions_mut().insert(slot.clone());
    let response = next.run(request).await;
    let labels = RequestLabels {
        method,
        route: slot
            .0
            .get()
            .cloned()
            .unwrap_or_else(|| "unmatched".to_owned()),
        status: response.status().as_u16(),
    };
    metrics.http.requests.get_or_create(&labels).inc();
    metrics
        .http
        .duration
        .get_or_create(&labels)
        .observe(started.elapsed().as_secs_f64());
    response
}

/// Route middleware: records the matched path template in the request's
/// [`RouteSlot`].
pub async fn note_route(request: Request, next: Next) -> Response {
    if let (Some(matched), Some(slot)) = (
        request.extensions().get::<MatchedPath>(),
        request.extensions().get::<RouteSlot>(),
    ) {
        let _ = slot.0.set(matched.as_str().to_owned());
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_are_named_with_the_prefix_and_total() {
        let metrics = Metrics::new(&[]);
        metrics.flows.count_start("recover");
        metrics.flows.count_event(
            FlowName::Recover,
            AuditStep::Question,
            Outcome::WrongAnswerNowLocked,
        );
        let text = metrics.encode();
        assert!(
            text.contains("passerelle_flows_started_total{flow=\"recover\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("passerelle_lockouts_total{flow=\"recover\",step=\"question\"} 1"),
            "{text}"
        );
    }
}
