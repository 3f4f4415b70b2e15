//! What every layer of the gateway needs to be measured: the prefix of
//! metric names, the histogram buckets, and [`Observed`], by which a part
//! that owns instruments (the directory pool, the answer hasher, the
//! mailer) hands them to the registry the binary assembles. Built on
//! `prometheus-client`; depends on no other part of the gateway.
#![forbid(unsafe_code)]

use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

/// The prefix of every metric name.
pub const PREFIX: &str = "passerelle";

/// Buckets (seconds) of one directory operation: a search answers in well
/// under a millisecond, an `{ARGON2}` write in ~20 ms, a dead server at
/// `ldap.timeout_seconds` (5 s by default).
pub const DIRECTORY_BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Buckets (seconds) of an HTTP request: a page in milliseconds, a step
/// that checks a secret no sooner than its sameness floor, up to
/// `server.request_timeout_seconds` (30 s by default).
pub const HTTP_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// Buckets (seconds) of a wait for a shared resource (a pooled directory
/// connection, an argon2 slot): nothing when it is free, up to the few
/// seconds after which the wait is given up.
pub const WAIT_BUCKETS: [f64; 11] = [
    0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// A histogram of directory operation times.
pub fn directory_histogram() -> Histogram {
    Histogram::new(DIRECTORY_BUCKETS)
}

/// A histogram of HTTP request times.
pub fn http_histogram() -> Histogram {
    Histogram::new(HTTP_BUCKETS)
}

/// A histogram of waits for a shared resource.
pub fn wait_histogram() -> Histogram {
    Histogram::new(WAIT_BUCKETS)
}

/// A part of the gateway that owns instruments and hands them to the
/// registry.
pub trait Observed {
    /// Registers this part's instruments (names without the prefix and,
    /// for counters, without `_total`: the encoder adds both).
    fn register_metrics(&self, registry: &mut Registry);
}
