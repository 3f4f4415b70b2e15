//! The API's errors as RFC 9457 problem details
//! (`application/problem+json`): `type` (a URI reference naming the
//! problem, `/api/problems/<slug>`), `title` (translated by the request's
//! `Accept-Language`), `status`, `detail`, and the members a kind adds
//! (the password's problems, the end of a lock). A handler or an extractor
//! returns an [`ApiError`]; [`render`], the API's outer middleware, writes
//! it in the caller's language, and turns the router's own bare refusals
//! (405, 404 under `/api/`, a body over the limit) into problems too. No
//! directory diagnostic and no secret ever reaches a problem.

use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use passerelle_text::i18n::{negotiate, t, Lang};
use serde::Serialize;
use serde_json::{Map, Value};

/// The media type of every error of the API.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Every problem the API can answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// The body is not JSON of the expected shape, or not UTF-8.
    BadRequest,
    /// The body is not `application/json`.
    UnsupportedMediaType,
    /// The body is over `api.max_body_bytes`.
    TooLarge,
    /// No bearer token, an unknown or a revoked one.
    Unauthorized,
    /// Cookies but no bearer token: the API takes tokens only.
    CookiesRefused,
    /// The token's client may not take this action.
    Forbidden,
    /// The client (or, without a valid token, the address) is over its
    /// rate.
    RateLimited,
    /// No such route under `/api/`.
    NotFound,
    MethodNotAllowed,
    /// The site turned off the flow this action is part of.
    ActionDisabled,
    /// The login names nobody (`rules`, `check`).
    UnknownPerson,
    /// A field is missing or empty.
    InvalidInput,
    /// The login and current password were not accepted (unknown login,
    /// wrong password, a lock, an account that may not use self-service:
    /// one answer, as on the page).
    SignInRefused,
    /// The new password breaks a rule (or the directory refused it).
    PasswordRefused,
    /// Self-service is locked for the account (failed attempts).
    Locked,
    /// The account may not use self-service now (IT's lock, a freeze, an
    /// end date).
    SelfServiceStopped,
    /// The password changed since the sign-in of this very request.
    ChangedMeanwhile,
    /// The directory demands the old password in a way the gateway cannot
    /// give.
    OldPasswordRequired,
    /// The temporary password was right but has expired.
    TemporaryExpired,
    /// The directory is down or too slow.
    Unavailable,
    Internal,
}

impl ProblemKind {
    /// The name of the problem in its `type` URI and its texts.
    pub fn slug(self) -> &'static str {
        match self {
            ProblemKind::BadRequest => "bad-request",
            ProblemKind::UnsupportedMediaType => "unsupported-media-type",
            ProblemKind::TooLarge => "too-large",
            ProblemKind::Unauthorized => "unauthorized",
            ProblemKind::CookiesRefused => "cookies-refused",
            ProblemKind::Forbidden => "forbidden",
            ProblemKind::RateLimited => "rate-limited",
            ProblemKind::NotFound => "not-found",
            ProblemKind::MethodNotAllowed => "method-not-allowed",
            ProblemKind::ActionDisabled => "action-disabled",
            ProblemKind::UnknownPerson => "unknown-person",
            ProblemKind::InvalidInput => "invalid-input",
            ProblemKind::SignInRefused => "sign-in-refused",
            ProblemKind::PasswordRefused => "password-refused",
            ProblemKind::Locked => "locked",
            ProblemKind::SelfServiceStopped => "self-service-stopped",
            ProblemKind::ChangedMeanwhile => "changed-meanwhile",
            ProblemKind::OldPasswordRequired => "old-password-required",
            ProblemKind::TemporaryExpired => "temporary-expired",
            ProblemKind::Unavailable => "unavailable",
            ProblemKind::Internal => "internal",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            ProblemKind::BadRequest => StatusCode::BAD_REQUEST,
            ProblemKind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ProblemKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ProblemKind::Unauthorized | ProblemKind::CookiesRefused => StatusCode::UNAUTHORIZED,
            ProblemKind::Forbidden => StatusCode::FORBIDDEN,
            ProblemKind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ProblemKind::NotFound | ProblemKind::ActionDisabled | ProblemKind::UnknownPerson => {
                StatusCode::NOT_FOUND
            }
            ProblemKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ProblemKind::InvalidInput
            | ProblemKind::SignInRefused
            | ProblemKind::PasswordRefused
            | ProblemKind::TemporaryExpired => StatusCode::UNPROCESSABLE_ENTITY,
            ProblemKind::Locked => StatusCode::LOCKED,
            ProblemKind::SelfServiceStopped => StatusCode::FORBIDDEN,
            ProblemKind::ChangedMeanwhile | ProblemKind::OldPasswordRequired => {
                StatusCode::CONFLICT
            }
            ProblemKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ProblemKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The kind of a bare refusal of the router (no problem attached).
    fn from_status(status: StatusCode) -> ProblemKind {
        match status {
            StatusCode::NOT_FOUND => ProblemKind::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => ProblemKind::MethodNotAllowed,
            StatusCode::PAYLOAD_TOO_LARGE => ProblemKind::TooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ProblemKind::UnsupportedMediaType,
            StatusCode::TOO_MANY_REQUESTS => ProblemKind::RateLimited,
            StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT => {
                ProblemKind::Unavailable
            }
            s if s.is_client_error() => ProblemKind::BadRequest,
            _ => ProblemKind::Internal,
        }
    }

    /// The `type` member.
    pub fn type_uri(self) -> String {
        format!("/api/problems/{}", self.slug())
    }

    /// Every kind, for the tests that hold the texts complete.
    pub const ALL: [ProblemKind; 21] = [
        ProblemKind::BadRequest,
        ProblemKind::UnsupportedMediaType,
        ProblemKind::TooLarge,
        ProblemKind::Unauthorized,
        ProblemKind::CookiesRefused,
        ProblemKind::Forbidden,
        ProblemKind::RateLimited,
        ProblemKind::NotFound,
        ProblemKind::MethodNotAllowed,
        ProblemKind::ActionDisabled,
        ProblemKind::UnknownPerson,
        ProblemKind::InvalidInput,
        ProblemKind::SignInRefused,
        ProblemKind::PasswordRefused,
        ProblemKind::Locked,
        ProblemKind::SelfServiceStopped,
        ProblemKind::ChangedMeanwhile,
        ProblemKind::OldPasswordRequired,
        ProblemKind::TemporaryExpired,
        ProblemKind::Unavailable,
        ProblemKind::Internal,
    ];
}

/// A problem as a handler or an extractor returns it: its kind, and the
/// members it adds (already in the caller's language where they are text).
#[derive(Debug)]
pub struct ApiError {
    pub kind: ProblemKind,
    /// Boxed: a handler's `Result` stays small.
    extra: Box<Extra>,
}

#[derive(Debug, Default)]
struct Extra {
    members: Map<String, Value>,
    /// Headers the answer carries (`Retry-After`, `WWW-Authenticate`).
    headers: HeaderMap,
}

impl ApiError {
    pub fn new(kind: ProblemKind) -> ApiError {
        let mut headers = HeaderMap::new();
        if kind.status() == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"passerelle\""),
            );
        }
        ApiError {
            kind,
            extra: Box::new(Extra {
                members: Map::new(),
                headers,
            }),
        }
    }

    /// Adds the member `name`.
    pub fn with(mut self, name: &str, value: impl Serialize) -> ApiError {
        if let Ok(value) = serde_json::to_value(value) {
            self.extra.members.insert(name.to_owned(), value);
        }
        self
    }

    pub fn retry_after(mut self, seconds: u64) -> ApiError {
        if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
            self.extra.headers.insert(header::RETRY_AFTER, value);
        }
        self
    }
}

impl From<passerelle_domain::StepError> for ApiError {
    fn from(error: passerelle_domain::StepError) -> ApiError {
        use passerelle_domain::ports::DirectoryError;
        use passerelle_domain::StepError;
        match error {
            StepError::Directory(DirectoryError::Unavailable | DirectoryError::Timeout) => {
                tracing::warn!("API: directory unavailable");
                ApiError::new(ProblemKind::Unavailable)
            }
            other => {
                tracing::error!(error = ?other, "API request failed");
                ApiError::new(ProblemKind::Internal)
            }
        }
    }
}

/// Carried by a response until [`render`] writes it.
#[derive(Debug, Clone)]
struct Pending(std::sync::Arc<Map<String, Value>>, ProblemKind);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = self.kind.status().into_response();
        let Extra { members, headers } = *self.extra;
        response.headers_mut().extend(headers);
        response
            .extensions_mut()
            .insert(Pending(std::sync::Arc::new(members), self.kind));
        response
    }
}

/// The language of a caller: its `Accept-Language`, else the site's.
pub fn caller_lang(headers: &HeaderMap, default_language: &str) -> Lang {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    negotiate(None, None, accept, default_language)
}

/// The problem document of `kind` in `lang`, with `members`.
pub fn document(kind: ProblemKind, lang: Lang, members: &Map<String, Value>) -> Value {
    let mut body = Map::new();
    body.insert("type".into(), Value::String(kind.type_uri()));
    body.insert(
        "title".into(),
        Value::String(t(lang, &format!("api-problem-{}", kind.slug()), None)),
    );
    body.insert("status".into(), Value::from(kind.status().as_u16()));
    body.insert(
        "detail".into(),
        Value::String(t(
            lang,
            &format!("api-problem-{}-detail", kind.slug()),
            None,
        )),
    );
    for (name, value) in members {
        body.insert(name.clone(), value.clone());
    }
    Value::Object(body)
}

/// The API's outer middleware: writes each problem in the caller's
/// language, and makes a problem of every other error answer.
pub async fn render(default_language: String, request: Request, next: Next) -> Response {
    let lang = caller_lang(request.headers(), &default_language);
    let response = next.run(request).await;
    let pending = response.extensions().get::<Pending>().cloned();
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/"));
    let (kind, members) = match pending {
        Some(Pending(members, kind)) => (kind, members),
        None if (status.is_client_error() || status.is_server_error()) && !is_json => (
            ProblemKind::from_status(status),
            std::sync::Arc::new(Map::new()),
        ),
        None => return response,
    };
    let body = document(kind, lang, &members);
    let (mut parts, _) = response.into_parts();
    parts.status = kind.status();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    parts.headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.code()),
    );
    Response::from_parts(parts, axum::body::Body::from(body.to_string()))
}
