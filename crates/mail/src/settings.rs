//! How the gateway sends mail: through an SMTP relay, into a directory of
//! `.eml` files (the demo), or not at all; where a mail waits on disk until
//! the relay took it (the spool), and how long it is tried. The password
//! of the relay account can sit in a file readable only by the gateway
//! (`password_file`), like every other secret of the configuration.

use lettre::message::Mailbox;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Where mail goes.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum MailTransportKind {
    /// An SMTP relay (the site's MTA).
    #[default]
    Smtp,
    /// One `.eml` file per mail in `directory` (demo, staging).
    File,
    /// Mail is dropped; each drop is logged. For sites that run no mail flow.
    None,
}

/// How the connection to the relay is protected.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain SMTP. Acceptable only towards a relay on the same host.
    #[default]
    None,
    /// SMTP upgraded with STARTTLS; the upgrade is required, never optional.
    Starttls,
    /// TLS from the first byte (SMTPS, port 465).
    Tls,
}

impl SmtpSecurity {
    /// The port each mode is usually served on, used when `port` is unset.
    pub fn default_port(self) -> u16 {
        match self {
            SmtpSecurity::None => 25,
            SmtpSecurity::Starttls => 587,
            SmtpSecurity::Tls => 465,
        }
    }
}

impl std::fmt::Display for SmtpSecurity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SmtpSecurity::None => "none",
            SmtpSecurity::Starttls => "starttls",
            SmtpSecurity::Tls => "tls",
        })
    }
}

/// Where the spool is unless configured: under the directory systemd's
/// `StateDirectory=passerelle` makes the service's own.
pub const DEFAULT_SPOOL: &str = "/var/lib/passerelle/spool";

/// The `[mail]` section of the configuration.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct MailSettings {
    /// Where mail goes.
    pub transport: MailTransportKind,
    /// The sender, e.g. `Passerelle <no-reply@univ-exemple.fr>`.
    pub from: String,
    /// Where replies go, when people should be able to answer (the help desk).
    pub reply_to: Option<String>,

    /// SMTP relay host name (also the name its certificate must carry).
    pub host: String,
    /// Relay port; 25, 587 or 465 by `security` when unset.
    pub port: Option<u16>,
    /// How the connection to the relay is protected.
    pub security: SmtpSecurity,
    /// Account on the relay, when it asks for authentication.
    pub username: Option<String>,
    /// The relay password, inline (tests); a site uses `password_file`.
    #[serde(skip_serializing)]
    #[schemars(with = "Option<String>")]
    pub password: Option<SecretString>,
    /// A file holding the relay password (a trailing newline is ignored).
    pub password_file: Option<PathBuf>,
    /// PEM file of a CA to trust for the relay, in addition to the public
    /// roots (an internal CA).
    pub ca_file: Option<PathBuf>,
    /// Seconds before a connection or an SMTP answer is given up.
    pub timeout_seconds: u64,

    /// Where the `file` transport writes its `.eml` files.
    pub directory: PathBuf,
    /// With the `file` transport, print one line per mail on stdout
    /// (`mail to <recipient>: <subject> (<path>)`). For the demo only: the
    /// line holds the address in clear.
    pub announce_files: bool,

    /// Where every mail the gateway accepted waits until the relay took it:
    /// one file per mail, sealed under a key derived from
    /// `secrets.code_key`, readable by the gateway only (0600, directory
    /// 0700), written to disk before a page says the mail was sent, sent
    /// again after a restart. Each replica needs its own: a lock file keeps
    /// a second gateway out of it. The default is the directory the
    /// systemd unit's `StateDirectory=passerelle` gives the service; the
    /// demo uses a throwaway one.
    pub spool_directory: PathBuf,
    /// A mail the relay has not taken this many seconds after it was
    /// accepted is given up (logged, audited `mail_given_up`); until then
    /// it is retried, across restarts. 3 days by default: a relay down for
    /// a long weekend still gets every mail.
    pub give_up_after_seconds: u64,
    /// Attempts per mail before it is given up (the first included), on
    /// top of `give_up_after_seconds`; unset: no limit but the age.
    pub max_attempts: Option<u32>,
    /// Wait before the first retry; it doubles at each further retry
    /// (capped at ten minutes). May be fractional.
    pub retry_base_seconds: f64,
    /// Mails accepted and not yet delivered at most (queued, being sent,
    /// waiting for a retry, or requested and being decided); beyond, new
    /// ones are refused and logged, so a flood cannot exhaust memory.
    pub queue_capacity: usize,
    /// Mails sent at the same time at most, which is also the number of
    /// connections kept open to the relay. 8 by default: each connection
    /// sends one mail after another at the relay's own pace (a few
    /// milliseconds a mail), so 8 carry hundreds of mails a second, more
    /// than the flows produce, and stay far below what relays allow one
    /// client (Postfix 50 connections, Exchange 20 per source). Microsoft
    /// 365's authenticated submission allows 3 per mailbox: set 3 there.
    pub max_concurrent_sends: usize,
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            transport: MailTransportKind::Smtp,
            from: "Passerelle <no-reply@univ-exemple.fr>".into(),
            reply_to: None,
            host: "localhost".into(),
            port: None,
            security: SmtpSecurity::None,
            username: None,
            password: None,
            password_file: None,
            ca_file: None,
            timeout_seconds: 10,
            directory: PathBuf::from("outbox"),
            announce_files: false,
            spool_directory: PathBuf::from(DEFAULT_SPOOL),
            give_up_after_seconds: 3 * 24 * 3600,
            max_attempts: None,
            retry_base_seconds: 30.0,
            queue_capacity: 1000,
            max_concurrent_sends: 8,
        }
    }
}

/// A `[mail]` key whose value cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("`mail.{key}`: {expected}")]
pub struct InvalidMailSetting {
    pub key: &'static str,
    pub expected: String,
}

fn invalid(key: &'static str, expected: impl Into<String>) -> InvalidMailSetting {
    InvalidMailSetting {
        key,
        expected: expected.into(),
    }
}

impl MailSettings {
    /// The relay port: the configured one, or the usual one for `security`.
    pub fn smtp_port(&self) -> u16 {
        self.port.unwrap_or_else(|| self.security.default_port())
    }

    /// The relay password, from `password` or read from `password_file`.
    pub fn resolved_password(&self) -> anyhow::Result<Option<SecretString>> {
        Ok(passerelle_secrets::read(
            "mail.password",
            &self.password,
            &self.password_file,
        )?)
    }

    /// The sender as a mailbox.
    pub fn from_mailbox(&self) -> Result<Mailbox, InvalidMailSetting> {
        self.from
            .parse()
            .map_err(|_| invalid("from", "a mailbox such as `Passerelle <no-reply@univ.fr>`"))
    }

    /// The reply address as a mailbox, when set.
    pub fn reply_to_mailbox(&self) -> Result<Option<Mailbox>, InvalidMailSetting> {
        self.reply_to
            .as_deref()
            .map(|r| {
                r.parse().map_err(|_| {
                    invalid("reply_to", "a mailbox such as `Support <support@univ.fr>`")
                })
            })
            .transpose()
    }

    /// Checks what serde cannot.
    pub fn validate(&self) -> Result<(), InvalidMailSetting> {
        self.from_mailbox()?;
        self.reply_to_mailbox()?;
        if self.max_attempts == Some(0) {
            return Err(invalid("max_attempts", "at least 1, or unset"));
        }
        if self.give_up_after_seconds == 0 {
            return Err(invalid("give_up_after_seconds", "at least 1 second"));
        }
        if self.transport != MailTransportKind::None && self.spool_directory.as_os_str().is_empty()
        {
            return Err(invalid(
                "spool_directory",
                "the directory accepted mails wait in",
            ));
        }
        // Bounded so that it always makes a `Duration` (and a sane wait).
        if !(0.0..=3600.0).contains(&self.retry_base_seconds) {
            return Err(invalid(
                "retry_base_seconds",
                "a number of seconds from 0 to 3600",
            ));
        }
        if self.queue_capacity == 0 {
            return Err(invalid("queue_capacity", "at least 1"));
        }
        if self.max_concurrent_sends == 0 {
            return Err(invalid("max_concurrent_sends", "at least 1"));
        }
        match self.transport {
            MailTransportKind::Smtp => {
                if self.host.trim().is_empty() {
                    return Err(invalid("host", "the host name of the SMTP relay"));
                }
                if self.timeout_seconds == 0 {
                    return Err(invalid("timeout_seconds", "at least 1 second"));
                }
                if self.password.is_some() && self.password_file.is_some() {
                    return Err(invalid(
                        "password_file",
                        "either `password` or `password_file`, not both",
                    ));
                }
                let has_password = self.password.is_some() || self.password_file.is_some();
                if self.username.is_some() != has_password {
                    return Err(invalid(
                        "username",
                        "a username and a password (or password_file) together",
                    ));
                }
                // A relay password sent in clear over the network can be read by
                // anyone on the path; only a relay on this host is exempt.
                if self.username.is_some()
                    && self.security == SmtpSecurity::None
                    && !is_loopback_host(&self.host)
                {
                    return Err(invalid(
                        "security",
                        "`starttls` or `tls` when authenticating to a relay on another host",
                    ));
                }
            }
            MailTransportKind::File => {
                if self.directory.as_os_str().is_empty() {
                    return Err(invalid(
                        "directory",
                        "the directory .eml files are written to",
                    ));
                }
            }
            MailTransportKind::None => {}
        }
        Ok(())
    }
}

fn is_loopback_host(host: &str) -> bool {
    host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn defaults_are_valid() {
        MailSettings::default().validate().unwrap();
    }

    #[test]
    fn password_file_loses_its_trailing_newline_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("smtp-password");
        std::fs::write(&path, " s3cret \n").unwrap();
        let settings = MailSettings {
            username: Some("gateway".into()),
            password_file: Some(path),
            ..MailSettings::default()
        };
        let password = settings.resolved_password().unwrap().unwrap();
        assert_eq!(password.expose_secret(), " s3cret ");
    }

    #[test]
    fn a_missing_password_file_names_the_key() {
        let settings = MailSettings {
            password_file: Some("/nonexistent/passerelle-smtp".into()),
            ..MailSettings::default()
        };
        let error = settings.resolved_password().unwrap_err().to_string();
        assert!(error.contains("mail.password_file"), "{error}");
    }

    #[test]
    fn authentication_in_clear_to_a_remote_relay_is_refused() {
        let settings = MailSettings {
            host: "smtp.univ-exemple.fr".into(),
            username: Some("gateway".into()),
            password: Some(SecretString::from("x")),
            ..MailSettings::default()
        };
        assert_eq!(settings.validate().unwrap_err().key, "security");
        let settings = MailSettings {
            security: SmtpSecurity::Starttls,
            ..settings
        };
        settings.validate().unwrap();
    }

    #[test]
    fn an_absurd_retry_wait_is_refused_rather_than_overflowing() {
        for wait in [f64::NAN, f64::INFINITY, -1.0, 1e30] {
            let settings = MailSettings {
                retry_base_seconds: wait,
                ..MailSettings::default()
            };
            assert_eq!(settings.validate().unwrap_err().key, "retry_base_seconds");
        }
    }

    #[test]
    fn a_malformed_sender_is_refused() {
        let settings = MailSettings {
            from: "not an address".into(),
            ..MailSettings::default()
        };
        assert_eq!(settings.validate().unwrap_err().key, "from");
    }

    #[test]
    fn unknown_keys_are_refused() {
        let parsed: Result<MailSettings, _> = figment::Figment::new()
            .merge(figment::providers::Serialized::defaults(
                serde_json::json!({
                    "transport": "file",
                    "smtp_host": "x",
                }),
            ))
            .extract();
        assert!(parsed.is_err());
    }
}
