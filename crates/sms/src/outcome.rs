//! What sending one text came to: its receipt or its error, holding
//! neither the number nor the text, so they can go to the log and the
//! audit as they are.

use std::path::PathBuf;
use std::time::Duration;

/// What became of a text that was handed over.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SmsReceipt {
    /// The HTTP gateway accepted it (which is not yet delivery to the
    /// phone).
    Accepted {
        /// The HTTP status of the accepting answer.
        status: u16,
        /// Attempts it took, the first included.
        attempts: u32,
        /// The gateway's identifier of the message, when
        /// `reference_json_pointer` found one (at most 128 characters).
        reference: Option<String>,
    },
    /// Written to the outbox.
    Written {
        /// The file.
        path: PathBuf,
    },
    /// Kept by a [`MemorySender`] (tests).
    Recorded,
}

/// Why a text was not handed over. The text of each variant names no
/// number, no message, no secret and no piece of the gateway's answer
/// (which may quote all three).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SmsError {
    /// SMS are off (`sms.transport = "none"`).
    #[error("SMS are turned off (sms.transport = \"none\")")]
    Disabled,
    /// The text is empty (or only spaces).
    #[error("the text is empty")]
    EmptyText,
    /// The text would be split into more SMS segments than
    /// `sms.max_segments` allows.
    #[error("the text needs {segments} SMS segments, more than sms.max_segments = {max}")]
    TooLong {
        /// Segments the text needs.
        segments: u32,
        /// The site's limit.
        max: u32,
    },
    /// The gateway refused the message: an HTTP status outside the success
    /// range that is not transient (a 4xx other than 408 and 429, a 3xx).
    /// Not retried: the same request would be refused again.
    #[error(
        "the SMS gateway refused the message (HTTP {status}{})",
        code_text(gateway_code)
    )]
    Refused {
        /// The HTTP status.
        status: u16,
        /// The gateway's error code, when `error_code_json_pointer` found a
        /// short one (`21211`, `InvalidParameterException`).
        gateway_code: Option<String>,
    },
    /// The gateway answered with a success status, but its body did not
    /// say success (`success_json_pointer`, `success_body_contains`), as
    /// gateways that report refusals inside a 200 do. Not retried.
    #[error(
        "the SMS gateway answered HTTP {status} without confirming the message{}",
        code_text(gateway_code)
    )]
    NotConfirmed {
        /// The HTTP status.
        status: u16,
        /// The gateway's error code, as for [`SmsError::Refused`].
        gateway_code: Option<String>,
    },
    /// The request was sent and no complete answer came within
    /// `timeout_seconds`. Not retried: the gateway may have accepted it.
    #[error("the SMS gateway did not answer within {} s (attempt {attempts})", after.as_secs_f64())]
    Timeout {
        /// The timeout of one attempt.
        after: Duration,
        /// Attempts made, this one included.
        attempts: u32,
    },
    /// Every attempt failed in a way that may pass: no connection, HTTP
    /// 408, 429 or 5xx (or a `Retry-After` longer than the site waits).
    #[error("the SMS gateway is unavailable after {attempts} attempt(s): {last}")]
    Unavailable {
        /// Attempts made.
        attempts: u32,
        /// The last failure: `HTTP 503`, or the connection error.
        last: String,
    },
    /// The request could not be built from the settings and this text,
    /// e.g. a header template that would hold a line break.
    #[error("the SMS request cannot be built: {0}")]
    Request(String),
    /// The outbox file could not be written.
    #[error("cannot write the SMS to the outbox: {0}")]
    Outbox(#[source] std::io::Error),
}

fn code_text(code: &Option<String>) -> String {
    code.as_ref()
        .map(|code| format!(", gateway code {code}"))
        .unwrap_or_default()
}

impl SmsError {
    /// A stable label for metrics and the audit: `disabled`, `empty_text`,
    /// `too_long`, `refused`, `not_confirmed`, `timeout`, `unavailable`,
    /// `request`, `outbox`.
    pub fn label(&self) -> &'static str {
        match self {
            SmsError::Disabled => "disabled",
            SmsError::EmptyText => "empty_text",
            SmsError::TooLong { .. } => "too_long",
            SmsError::Refused { .. } => "refused",
            SmsError::NotConfirmed { .. } => "not_confirmed",
            SmsError::Timeout { .. } => "timeout",
            SmsError::Unavailable { .. } => "unavailable",
            SmsError::Request(_) => "request",
            SmsError::Outbox(_) => "outbox",
        }
    }

    /// Whether trying again later may succeed (a page may say "try again
    /// in a few minutes"): a gateway that was unavailable or slow. A
    /// refusal, a text too long or a misconfiguration will fail again.
    pub fn may_pass(&self) -> bool {
        matches!(
            self,
            SmsError::Unavailable { .. } | SmsError::Timeout { .. }
        )
    }
}
