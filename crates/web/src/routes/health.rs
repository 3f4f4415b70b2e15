//! Probes for the orchestrator: `/healthz` says the process serves,
//! `/readyz` that the directory answers the service account.

use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;

pub async fn healthz() -> &'static str {
    "ok\n"
}

pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.gateway.directory_ready().await {
        Ok(()) => (StatusCode::OK, "ready\n"),
        Err(error) => {
            tracing::warn!(%error, "not ready: directory check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "directory unavailable\n")
        }
    }
}
