//! What the directory client measures: the time of each operation by kind
//! and result, and the connection pool's use and waits. Held by the pool,
//! handed to the registry by [`super::Directory`] (`docs/metrics.md`).

use passerelle_metrics::{directory_histogram, wait_histogram};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::time::Instant;

/// `{operation, result}` of one directory operation: `search`, `modify`,
/// `whoami`, `bind` (as a person), `connect` (a new pooled connection,
/// bound as the service account); `ok`, `error` or `timeout` (the network
/// exchange; an LDAP result code other than success is still `ok`).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OperationLabels {
    pub operation: &'static str,
    pub result: &'static str,
}

#[derive(Clone, Debug)]
pub(crate) struct DirectoryMetrics {
    operations: Family<OperationLabels, Histogram, fn() -> Histogram>,
    pool_max: Gauge,
    pub(crate) pool_in_use: Gauge,
    pub(crate) pool_idle: Gauge,
    pool_wait: Histogram,
    pool_wait_timeouts: Counter,
}

impl DirectoryMetrics {
    pub(crate) fn new(pool_size: usize) -> DirectoryMetrics {
        let metrics = DirectoryMetrics {
            operations: Family::new_with_constructor(directory_histogram),
            pool_max: Gauge::default(),
            pool_in_use: Gauge::default(),
            pool_idle: Gauge::default(),
            pool_wait: wait_histogram(),
            pool_wait_timeouts: Counter::default(),
        };
        metrics
            .pool_max
            .set(i64::try_from(pool_size).unwrap_or(i64::MAX));
        metrics
    }

    /// Records one operation that started at `started`.
    pub(crate) fn operation(
        &self,
        operation: &'static str,
        result: &'static str,
        started: Instant,
    ) {
        self.operations
            .get_or_create(&OperationLabels { operation, result })
            .observe(started.elapsed().as_secs_f64());
    }

    /// Records a wait for a pooled connection; `got` is false when the
    /// wait was given up (`ldap.timeout_seconds`).
    pub(crate) fn waited(&self, started: Instant, got: bool) {
        self.pool_wait.observe(started.elapsed().as_secs_f64());
        if !got {
            self.pool_wait_timeouts.inc();
        }
    }

    pub(crate) fn register(&self, registry: &mut Registry) {
        registry.register(
            "directory_operation_duration_seconds",
            "Directory operations by kind (search, modify, whoami, bind, connect) and result (ok, error, timeout)",
            self.operations.clone(),
        );
        registry.register(
            "directory_pool_max",
            "Connections the pool may hold (ldap.pool_size)",
            self.pool_max.clone(),
        );
        registry.register(
            "directory_pool_in_use",
            "Pooled connections lent to a request now",
            self.pool_in_use.clone(),
        );
        registry.register(
            "directory_pool_idle",
            "Pooled connections open and waiting to be lent",
            self.pool_idle.clone(),
        );
        registry.register(
            "directory_pool_wait_seconds",
            "Time a request waited for a pooled connection",
            self.pool_wait.clone(),
        );
        registry.register(
            "directory_pool_wait_timeouts",
            "Waits for a pooled connection given up after ldap.timeout_seconds",
            self.pool_wait_timeouts.clone(),
        );
    }
}

/// `ok`, `error` or `timeout` for an operation bounded by a timeout.
pub(crate) fn result_of<T, E>(
    outcome: &Result<Result<T, E>, tokio::time::error::Elapsed>,
) -> &'static str {
    match outcome {
        Ok(Ok(_)) => "ok",
        Ok(Err(_)) => "error",
        Err(_) => "timeout",
    }
}
