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
use crate::outcome::{SmsError, SmsReceipt};
use crate::settings::{SmsSettings, SmsSettingsError, SmsTransportKind};
use crate::text::measure;
use std::time::Duration;

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

    /// The most SMS segments one text may take (`sms.max_segments`).
    pub fn max_segments(&self) -> u32 {
        self.max_segments
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

impl SmsSettings {
    /// Checks what can be checked without reading files: the regions,
    /// `max_segments`, and for `transport = "http"` every template, the
    /// URL, the success rule and the timings. [`crate::SmsSender::from_settings`]
    /// does it too; this is for `passerelle check`.
    ///
    /// # Errors
    ///
    /// The first key whose value cannot be used.
    pub fn validate(&self) -> Result<(), SmsSettingsError> {
        self.number_rules()?;
        if !(1..=10).contains(&self.max_segments) {
            return Err(crate::settings::invalid(
                "max_segments",
                "a number of SMS from 1 to 10",
            ));
        }
        if self.transport == SmsTransportKind::Http {
            HttpSender::check_settings(&self.http)?;
        }
        Ok(())
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
