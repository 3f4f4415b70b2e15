//! Logging: human-readable text on a terminal, one JSON object per line in
//! production. Audit events use the `audit` target so that a collector can
//! route them apart. What is never logged: passwords, answers, codes, keys,
//! cookie contents (see README, "Logging policy").

use crate::config::{LogFormat, LogSettings};
use tracing_subscriber::EnvFilter;

/// Installs the global subscriber. `RUST_LOG`, when set, overrides the
/// configured level. Calling it twice (tests) is harmless. Colours only
/// when standard error is a terminal: a log written to a file, a pipe or
/// the journal carries no escape codes.
pub fn init(settings: &LogSettings) {
    use std::io::IsTerminal;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(settings.level.clone()));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let _ = match settings.format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.compact().try_init(),
    };
}
