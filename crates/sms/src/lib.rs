//! Passerelle's SMS side, as a library the gateway's flows call: a
//! [`MobileNumber`] that can only exist valid (parsed from what a person or
//! a directory attribute holds into E.164, refused with a
//! [`NumberRefusal`] the pages translate), and an [`SmsSender`] that
//! delivers a text to it through an HTTP gateway described entirely by
//! [`SmsSettings`] (ESUP's SMS-U, OVH, Twilio and others; see
//! `docs/sms.md`), an outbox directory for the demo, or memory for tests.
//! Cost and abuse limits (per person, per address, per site) are the
//! flows' business: this crate sends what it is given, once it is sure the
//! number and the text are fit to be sent.
//!
//! ```
//! use passerelle_sms::{MobileNumber, NumberRefusal, NumberRules};
//!
//! let rules = NumberRules::default(); // FR
//! let number = MobileNumber::parse("+33 (0)6 12 34 56 78", &rules)?;
//! assert_eq!(number.e164(), "+33612345678");
//! assert_eq!(number.masked(), "•• •• •• •• 78");
//! assert_eq!(
//!     MobileNumber::parse("01 42 68 53 00", &rules),
//!     Err(NumberRefusal::Landline)
//! );
//! # Ok::<(), NumberRefusal>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod file;
mod http;
mod memory;
mod number;
mod outcome;
mod sender;
mod settings;
mod template;
mod text;

pub use file::FileSender;
pub use http::HttpSender;
pub use memory::{MemorySender, SentSms};
pub use number::{
    MobileNumber, NumberRefusal, NumberRules, Region, UnknownRegion, MASK, MAX_INPUT_CHARS,
    VISIBLE_DIGITS,
};
pub use outcome::{SmsError, SmsReceipt};
pub use sender::SmsSender;
pub use settings::{
    placeholders, BodyFormat, HttpGatewaySettings, HttpMethod, SmsSettings, SmsSettingsError,
    SmsTransportKind,
};
pub use template::TemplateError;
pub use text::{measure, SmsEncoding, SmsLength};
