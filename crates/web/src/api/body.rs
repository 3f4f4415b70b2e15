//! A JSON body as the API reads it: `application/json`, at most
//! `api.max_body_bytes` (the router's body limit), valid UTF-8 and of the
//! expected shape; anything else is a 400, 413 or 415 problem, never the
//! serializer's message (which could quote what was sent).

use super::problem::{ApiError, ProblemKind};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use serde::de::DeserializeOwned;

/// The request's body, parsed as `T`.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
        if !json {
            return Err(ApiError::new(ProblemKind::UnsupportedMediaType));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::new(ProblemKind::TooLarge)
                } else {
                    ApiError::new(ProblemKind::BadRequest)
                }
            })?;
        serde_json::from_slice(&bytes)
            .map(ApiJson)
            .map_err(|error| {
                ApiError::new(ProblemKind::BadRequest)
                    .with("line", error.line())
                    .with("column", error.column())
            })
    }
}
