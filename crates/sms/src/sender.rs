//! The one entry point the gateway's flows call to send a text:
//! [`SmsSender::send`], whatever carries it (an HTTP gateway, the outbox
//! directory of the demo, memory in tests, or nothing when SMS are off).
//! It checks what every transport must (an empty text, a text that would
//! cost more segments than the site allows) before handing over, and its
//! receipts and errors hold neither the number nor the text, so they can
//! go to the log and the audit as they are.

use crate::file::FileSender;
use crate::http::HttpSender;
use crate::memory::MemorySender;
use crate::number::MobileNumber;
use crate::settings::{SmsSettings, SmsSettingsError, SmsTransportKind};
use crate::text::measure;
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

#[derive(Debug, Clone)]
enum Transport {
    Disabled,
    Http(HttpSender),
    File(FileSender),
    Memory(MemorySender),
}

/// Sends texts to mobile numbers. Cheap to clone (the HTTP client and the
/// memory outbox are shared).
#[derive(Debug, Clone)]
pub struct SmsSender {
    transport: Transport,
    max_segments: u32,
}

impl SmsSender {
    /// The sender `[sms]` describes. Reads the secret files and builds the
    /// HTTP client (`http`), or creates the outbox mode 0700 (`file`).
    ///
    /// # Errors
    ///
    /// Any value [`SmsSettings::validate`] refuses, a secret file that
    /// cannot be read or is empty, an outbox that cannot be created.
    pub fn from_settings(settings: &SmsSettings) -> Result<SmsSender, SmsSettingsError> {
        settings.validate()?;
        let transport = match settings.transport {
            SmsTransportKind::None => Transport::Disabled,
            SmsTransportKind::Http => Transport::Http(HttpSender::from_settings(&settings.http)?),
            SmsTransportKind::File => {
                Transport::File(FileSender::new(&settings.directory).map_err(|source| {
                    SmsSettingsError::Outbox {
                        path: settings.directory.clone(),
                        source,
                    }
                })?)
            }
        };
        Ok(SmsSender {
            transport,
            max_segments: settings.max_segments,
        })
    }

    /// A sender that refuses every text with [`SmsError::Disabled`].
    pub fn disabled() -> SmsSender {
        SmsSender::with_transport(Transport::Disabled)
    }

    /// A sender through `http`.
    pub fn http(http: HttpSender) -> SmsSender {
        SmsSender::with_transport(Transport::Http(http))
    }

    /// A sender into the outbox of `file`.
    pub fn file(file: FileSender) -> SmsSender {
        SmsSender::with_transport(Transport::File(file))
    }

    /// A sender that keeps texts in `memory` (tests of the flows).
    pub fn memory(memory: MemorySender) -> SmsSender {
        SmsSender::with_transport(Transport::Memory(memory))
    }

    fn with_transport(transport: Transport) -> SmsSender {
        SmsSender {
            transport,
            max_segments: SmsSettings::default().max_segments,
        }
    }

    /// The same sender with another limit of segments per text.
    pub fn with_max_segments(mut self, max_segments: u32) -> SmsSender {
        self.max_segments = max_segments;
        self
    }

    /// Whether texts go anywhere (`transport` is not `none`): a flow that
    /// offers SMS must not be offered when this is false.
    pub fn is_enabled(&self) -> bool {
        !matches!(self.transport, Transport::Disabled)
    }

    /// The longest [`send`](SmsSender::send) can take before it returns,
    /// for a caller that waits on it: every attempt's timeout and the
    /// longest waits between them (HTTP); a fixed second for the others.
    pub fn max_duration(&self) -> Duration {
        match &self.transport {
            Transport::Http(http) => http.max_duration(),
            _ => Duration::from_secs(1),
        }
    }

    /// Where texts go, for the start-up log line: `http POST
    /// https://host/path` (no query, no credentials), `file <directory>`,
    /// `memory`, `none`.
    pub fn describe(&self) -> String {
        match &self.transport {
            Transport::Disabled => "none".to_owned(),
            Transport::Http(http) => format!("http {}", http.describe()),
            Transport::File(file) => format!("file {}", file.directory().display()),
            Transport::Memory(_) => "memory".to_owned(),
        }
    }

    /// Sends `text` to `to`.
    ///
    /// # Errors
    ///
    /// [`SmsError`]: SMS off, an empty text, a text over
    /// `max_segments`, or the transport's failure.
    pub async fn send(&self, to: &MobileNumber, text: &str) -> Result<SmsReceipt, SmsError> {
        if let Transport::Disabled = self.transport {
            return Err(SmsError::Disabled);
        }
        if text.trim().is_empty() {
            return Err(SmsError::EmptyText);
        }
        let length = measure(text);
        if length.segments > self.max_segments {
            return Err(SmsError::TooLong {
                segments: length.segments,
                max: self.max_segments,
            });
        }
        match &self.transport {
            Transport::Disabled => Err(SmsError::Disabled),
            Transport::Http(http) => http.send(to, text).await,
            Transport::File(file) => file.send(to, text).await,
            Transport::Memory(memory) => Ok(memory.send(to, text)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::NumberRules;

    fn number() -> MobileNumber {
        MobileNumber::parse("06 12 34 56 78", &NumberRules::default()).expect("mobile")
    }

    #[tokio::test]
    async fn a_disabled_sender_refuses_every_text() {
        let sender = SmsSender::from_settings(&SmsSettings::default()).expect("defaults");
        assert!(!sender.is_enabled());
        assert_eq!(sender.describe(), "none");
        let error = sender.send(&number(), "code").await.expect_err("off");
        assert_eq!(error.label(), "disabled");
    }

    #[tokio::test]
    async fn an_empty_text_is_never_sent() {
        let memory = MemorySender::new();
        let sender = SmsSender::memory(memory.clone());
        let error = sender.send(&number(), " \n ").await.expect_err("empty");
        assert!(matches!(error, SmsError::EmptyText));
        assert!(memory.sent().is_empty());
    }

    #[tokio::test]
    async fn a_text_over_the_segment_limit_is_never_sent() {
        let memory = MemorySender::new();
        let sender = SmsSender::memory(memory.clone()).with_max_segments(1);
        let error = sender
            .send(&number(), &"a".repeat(161))
            .await
            .expect_err("two segments");
        assert!(matches!(
            error,
            SmsError::TooLong {
                segments: 2,
                max: 1
            }
        ));
        assert!(memory.sent().is_empty());
        sender
            .send(&number(), &"a".repeat(160))
            .await
            .expect("one segment");
        assert_eq!(memory.sent().len(), 1);
    }

    #[test]
    fn errors_say_whether_trying_later_may_pass() {
        assert!(SmsError::Unavailable {
            attempts: 3,
            last: "HTTP 503".into()
        }
        .may_pass());
        assert!(!SmsError::Refused {
            status: 400,
            gateway_code: None
        }
        .may_pass());
    }
}
