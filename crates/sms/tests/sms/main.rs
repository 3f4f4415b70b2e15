//! The integration suite of `passerelle-sms`, one binary: the documented
//! gateways against receivers that speak their formats, retries and
//! timeouts, hostile texts, the outbox, and numbers in every spelling.

mod examples;
mod gateways;
mod hostile;
mod numbers;
mod outbox;
mod receiver;
mod retries;
mod tls;
