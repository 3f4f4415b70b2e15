//! Errors a request can end with. Each user-facing case becomes a status and
//! a translated page (rendered by `page::finish`, which knows the
//! request's language); the unexpected ones are logged once with their
//! cause and shown as a bare "unexpected error" page. No directory
//! diagnostic, no secret and no internal message ever reaches a page.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use passerelle_domain::ports::{DirectoryError, PasswordWriteError};
use passerelle_domain::secret_answer::AnswerError;

/// The error pages a person can meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The form could not be read: not UTF-8, fields missing, wrong type.
    BadRequest,
    TooLarge,
    /// No flow cookie, or the flow's inactivity timeout passed.
    Expired,
    /// The form's CSRF token is missing or not the flow's.
    Csrf,
    /// The form was sent by another site's page (`Origin`,
    /// `Sec-Fetch-Site`).
    CrossSite,
    /// A step posted twice, out of order, or after the flow moved on.
    Step,
    RateLimited,
    /// A captcha's recording fetched as often as one challenge allows.
    CaptchaAudioSpent,
    Unavailable,
    NotFound,
    MethodNotAllowed,
    Internal,
}

impl ErrorKind {
    pub fn status(self) -> StatusCode {
        match self {
            ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
            ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::Expired => StatusCode::BAD_REQUEST,
            ErrorKind::Csrf | ErrorKind::CrossSite => StatusCode::FORBIDDEN,
            ErrorKind::Step => StatusCode::CONFLICT,
            ErrorKind::RateLimited | ErrorKind::CaptchaAudioSpent => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn from_status(status: StatusCode) -> ErrorKind {
        match status {
            StatusCode::PAYLOAD_TOO_LARGE => ErrorKind::TooLarge,
            StatusCode::NOT_FOUND => ErrorKind::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => ErrorKind::MethodNotAllowed,
            StatusCode::TOO_MANY_REQUESTS => ErrorKind::RateLimited,
            StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT => ErrorKind::Unavailable,
            s if s.is_client_error() => ErrorKind::BadRequest,
            _ => ErrorKind::Internal,
        }
    }

    pub fn message_id(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "error-bad-request",
            ErrorKind::TooLarge => "error-too-large",
            ErrorKind::Expired => "error-expired",
            ErrorKind::Csrf => "error-csrf",
            ErrorKind::CrossSite => "error-cross-site",
            ErrorKind::Step => "error-step",
            ErrorKind::RateLimited => "error-rate-limited",
            ErrorKind::CaptchaAudioSpent => "error-captcha-audio-spent",
            ErrorKind::Unavailable => "error-unavailable",
            ErrorKind::NotFound | ErrorKind::MethodNotAllowed => "error-not-found",
            ErrorKind::Internal => "error-internal",
        }
    }

    /// Where "Recommencer" leads: the first page of the flow the person was
    /// in, when the error ends a flow.
    pub fn restart_link(self, path: &str) -> Option<&'static str> {
        if !matches!(
            self,
            ErrorKind::Expired
                | ErrorKind::Csrf
                | ErrorKind::CrossSite
                | ErrorKind::Step
                | ErrorKind::BadRequest
        ) {
            return None;
        }
        // A flow's first page, as the registry of flows declares it (the
        // « Ce n'était pas moi » link has none to start again from).
        passerelle_domain::flow::FlowName::at_path(path)
            .filter(|flow| *flow != passerelle_domain::flow::FlowName::NotMe)
            .map(|flow| flow.spec().path)
    }
}

/// What a handler returns when it cannot answer with its own page.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("unreadable form: {0}")]
    BadRequest(&'static str),
    #[error("form too large")]
    TooLarge,
    #[error("flow expired or absent")]
    Expired,
    #[error("CSRF token missing or wrong")]
    Csrf,
    #[error("form sent by another site")]
    CrossSite,
    #[error("step replayed or out of order")]
    Step,
    #[error("rate limited")]
    RateLimited,
    #[error("captcha recording fetched too often")]
    CaptchaAudioSpent,
    #[error("directory unavailable")]
    Unavailable,
    #[error("not found")]
    NotFound,
    /// The same step was posted again (a double click) after it passed:
    /// the browser goes where the first submission led.
    #[error("step already passed")]
    AlreadyPassed(String),
    /// The same form was posted to two replicas (a double click behind a
    /// load balancer), and the other one passed the step: this answer
    /// takes the browser where that one led, its cookie updated.
    #[error("step passed by another replica")]
    PassedElsewhere(Box<Response>),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl WebError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            WebError::BadRequest(_) => ErrorKind::BadRequest,
            WebError::TooLarge => ErrorKind::TooLarge,
            WebError::Expired => ErrorKind::Expired,
            WebError::Csrf => ErrorKind::Csrf,
            WebError::CrossSite => ErrorKind::CrossSite,
            WebError::Step => ErrorKind::Step,
            WebError::RateLimited => ErrorKind::RateLimited,
            WebError::CaptchaAudioSpent => ErrorKind::CaptchaAudioSpent,
            WebError::Unavailable => ErrorKind::Unavailable,
            WebError::NotFound => ErrorKind::NotFound,
            WebError::AlreadyPassed(_) | WebError::PassedElsewhere(_) => ErrorKind::Step,
            WebError::Unexpected(_) => ErrorKind::Internal,
        }
    }
}

impl From<DirectoryError> for WebError {
    fn from(error: DirectoryError) -> Self {
        match error {
            DirectoryError::Unavailable | DirectoryError::Timeout => WebError::Unavailable,
            other => WebError::Unexpected(anyhow::Error::new(other)),
        }
    }
}

impl From<AnswerError> for WebError {
    fn from(error: AnswerError) -> Self {
        match error {
            // The hashing queue is full: for the person, the service is busy.
            AnswerError::Busy => {
                tracing::warn!("secret-answer checks queued too long; answered as unavailable");
                WebError::Unavailable
            }
            AnswerError::Unexpected(e) => WebError::Unexpected(e),
        }
    }
}

impl From<passerelle_domain::StepError> for WebError {
    fn from(error: passerelle_domain::StepError) -> Self {
        match error {
            passerelle_domain::StepError::Directory(error) => error.into(),
            passerelle_domain::StepError::Answer(error) => error.into(),
            // The flow's proof names no entry any more: the flow is over.
            passerelle_domain::StepError::Gone => WebError::Expired,
            // The mail could not be kept (a full disk, a full queue): the
            // page must not say it was sent. Logged by the mailer.
            passerelle_domain::StepError::Mail(_) => WebError::Unavailable,
        }
    }
}

impl From<PasswordWriteError> for WebError {
    fn from(error: PasswordWriteError) -> Self {
        match error {
            PasswordWriteError::Directory(e) => e.into(),
            other => WebError::Unexpected(anyhow::Error::new(other)),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::AlreadyPassed(to) => {
                return axum::response::Redirect::to(&to).into_response()
            }
            WebError::PassedElsewhere(response) => return *response,
            _ => {}
        }
        let kind = self.kind();
        match &self {
            WebError::Unexpected(error) => tracing::error!(error = ?error, "request failed"),
            WebError::Unavailable => tracing::warn!("service unavailable"),
            other => tracing::debug!(error = %other, "request refused"),
        }
        // The page is drawn by `page::finish`, which knows the language.
        let mut response = kind.status().into_response();
        response.extensions_mut().insert(kind);
        response
    }
}

#[cfg(test)]
mod restart_tests {
    use super::ErrorKind;

    #[test]
    fn recommencer_leads_to_the_first_page_of_the_flow_the_person_was_in() {
        assert_eq!(
            ErrorKind::Expired.restart_link("/recover/password"),
            Some("/recover")
        );
        assert_eq!(ErrorKind::Csrf.restart_link("/code/verify"), Some("/code"));
        assert_eq!(ErrorKind::Step.restart_link("/change"), Some("/change"));
        assert_eq!(
            ErrorKind::Expired.restart_link("/accountant"),
            None,
            "a prefix that is not a flow"
        );
        assert_eq!(ErrorKind::Expired.restart_link("/help"), None);
    }
}
