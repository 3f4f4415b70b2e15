//! The words of Passerelle, at the bottom of every layer: the languages
//! ([`Lang`]) and their translations ([`i18n`], Fluent files compiled in),
//! text from the directory made safe for a page, a mail header or a log
//! line ([`safe_text`]), what a person types read as it reads ([`as_read`])
//! and the one form of a password ([`normalize_password`]). It depends on
//! no other part of the gateway.
#![forbid(unsafe_code)]

pub mod i18n;
mod lang;
mod password;
pub mod safe_text;
mod typed;

pub use lang::Lang;
pub use password::{normalize_password, normalize_password_str};
pub use typed::as_read;
