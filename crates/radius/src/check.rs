//! One check: the Access-Request for a person and their new password, sent
//! to the site's RADIUS server and waited on for at most the configured
//! time. This is where "never a second attempt" is made true.
//!
//! # One attempt, whatever happens
//!
//! Each refused Access-Request may be counted by the server (or the
//! directory behind it) as a failed login of the person: a server that
//! checks PAP by binding to OpenLDAP adds a `pwdFailureTime` per refusal,
//! and enough of them lock the account (ppolicy `pwdMaxFailure`). So
//! [`RadiusCheck::check_password`] builds exactly one request (one
//! identifier, one Request Authenticator, one pair of MS-CHAPv2
//! challenges) before its loop, and the loop can only send *those same
//! bytes* again, from the same socket, at most [`TRANSMISSIONS`] times
//! within the deadline. RADIUS servers recognise such a copy as a
//! retransmission (same client address and port, identifier and
//! authenticator: RFC 5080 §2.2.2) and answer it from their cache without
//! authenticating again; FreeRADIUS keeps that cache for `cleanup_delay`
//! seconds (5 by default), longer than the deadline. The first genuine
//! answer, Accept or Reject, ends the check: nothing is ever sent after
//! it. Nothing in this crate calls the check again; the gateway calls it
//! once per password written.

use std::net::SocketAddr;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use tokio::net::UdpSocket;
use tokio::time::Instant;
use tracing::{debug, warn};

use crate::packet::{AccessRequest, Answer, Credentials};
use crate::settings::{PasswordMethod, RadiusSettings};
use crate::RadiusError;

/// How many times, at most, the one request is sent: at the start, then
/// at a third and at two thirds of the deadline, for a datagram (or its
/// answer) lost on the way.
pub const TRANSMISSIONS: u32 = 3;

/// The longest deadline a site may set: the success page waits for it.
const MAX_TIMEOUT_SECONDS: u64 = 30;

/// RFC 2865 §3 prefers secrets of at least 16 octets.
const RECOMMENDED_SECRET_LENGTH: usize = 16;

/// What the RADIUS server said about a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RadiusOutcome {
    /// Access-Accept, genuine (signed with the shared secret) and, for
    /// MS-CHAPv2, with the server's proof that it checked the NT hash:
    /// Wi-Fi takes the password now.
    Accepted,
    /// Access-Reject, genuine: the server does not take the password (yet:
    /// typically it reads a replica that has not received it). It was asked
    /// once; it is not asked again.
    Rejected,
    /// No genuine answer within the deadline: the server is down,
    /// unreachable, not listening, dropping the gateway's requests (an
    /// unknown client or a shared secret that differs), or every answer
    /// failed its signature check (each such datagram is logged).
    NoAnswer,
}

/// A RADIUS server ready to be asked, built from [`RadiusSettings`] and the
/// shared secret read from `secret_file`.
#[derive(Debug, Clone)]
pub struct RadiusCheck {
    server: String,
    secret: SecretString,
    nas_identifier: String,
    method: PasswordMethod,
    timeout: Duration,
}

impl RadiusCheck {
    /// Checks the settings and keeps them with `secret` (the content of
    /// `secret_file`, which the gateway reads as it reads its other
    /// secret files).
    ///
    /// # Errors
    ///
    /// [`RadiusError::Settings`] naming the key at fault: no or a malformed
    /// `server` (it must be `host:port`), an empty secret, a
    /// `nas_identifier` outside 1 to 253 octets (RFC 2865 §5.32), a
    /// `timeout_seconds` outside 1 to 30.
    pub fn new(settings: &RadiusSettings, secret: SecretString) -> Result<Self, RadiusError> {
        let server = settings.server.as_deref().ok_or(RadiusError::Settings {
            key: "radius.server",
            reason: "required to check passwords against RADIUS".into(),
        })?;
        check_server_address(server)?;
        if secret.expose_secret().is_empty() {
            return Err(RadiusError::Settings {
                key: "radius.secret_file",
                reason: "the shared secret is empty".into(),
            });
        }
        if secret.expose_secret().len() < RECOMMENDED_SECRET_LENGTH {
            warn!(
                server,
                "the RADIUS shared secret is shorter than the 16 octets RFC 2865 §3 recommends"
            );
        }
        if settings.nas_identifier.is_empty() || settings.nas_identifier.len() > 253 {
            return Err(RadiusError::Settings {
                key: "radius.nas_identifier",
                reason: "1 to 253 octets (RFC 2865 §5.32)".into(),
            });
        }
        if !(1..=MAX_TIMEOUT_SECONDS).contains(&settings.timeout_seconds) {
            return Err(RadiusError::Settings {
                key: "radius.timeout_seconds",
                reason: format!("1 to {MAX_TIMEOUT_SECONDS} seconds"),
            });
        }
        Ok(RadiusCheck {
            server: server.to_owned(),
            secret,
            nas_identifier: settings.nas_identifier.clone(),
            method: settings.method,
            timeout: Duration::from_secs(settings.timeout_seconds),
        })
    }

    /// The deadline of one check (`timeout_seconds`).
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Asks the server, once, whether `user_name` may log in with
    /// `password`, and returns its verdict within [`RadiusCheck::timeout`]
    /// (plus the time the runtime takes to wake up). The request may be
    /// sent up to [`TRANSMISSIONS`] times, always the same bytes, which the
    /// server takes as one login attempt; a refusal is never retried (see
    /// the module documentation for why and how).
    ///
    /// `user_name` is sent as the User-Name (for MS-CHAPv2, a `DOMAIN\`
    /// prefix is left out of the challenge hash as RFC 2759 §8.2 asks);
    /// `password` should be the one written, in the same normal form (NFC).
    ///
    /// # Errors
    ///
    /// - [`RadiusError::Unsendable`]: the name or password cannot travel
    ///   (a name outside 1 to 253 octets; PAP over 128 octets; MS-CHAPv2
    ///   over 256 characters). Nothing was sent.
    /// - [`RadiusError::Socket`]: no local UDP socket. Nothing was sent.
    /// - [`RadiusError::UnprovenAccept`], [`RadiusError::UnexpectedAnswer`],
    ///   [`RadiusError::MalformedAnswer`]: a genuine answer that is neither
    ///   a proven Accept nor a Reject. The request was answered once; it
    ///   is not retried either.
    pub async fn check_password(
        &self,
        user_name: &str,
        password: &SecretString,
    ) -> Result<RadiusOutcome, RadiusError> {
        let password = password.expose_secret();
        let credentials = match self.method {
            PasswordMethod::Pap => Credentials::Pap { password },
            PasswordMethod::Mschapv2 => Credentials::fresh_mschapv2(password),
        };
        let secret = self.secret.expose_secret().as_bytes();
        // The one request of this check: built here, before the deadline
        // starts, and never again.
        let request = AccessRequest::new(user_name, &self.nas_identifier, credentials, secret)?;
        let started = Instant::now();
        let deadline = started + self.timeout;
        match tokio::time::timeout_at(deadline, self.exchange(&request, started)).await {
            Ok(result) => result,
            Err(_elapsed) => {
                warn!(
                    server = %self.server,
                    identifier = request.identifier(),
                    timeout_seconds = self.timeout.as_secs(),
                    "no genuine RADIUS answer within the deadline"
                );
                Ok(RadiusOutcome::NoAnswer)
            }
        }
    }

    /// Sends `request` and waits for its genuine answer; runs until the
    /// caller's deadline cuts it short if none comes.
    async fn exchange(
        &self,
        request: &AccessRequest,
        started: Instant,
    ) -> Result<RadiusOutcome, RadiusError> {
        let Some(server) = self.resolve().await else {
            return Ok(RadiusOutcome::NoAnswer);
        };
        let local: SocketAddr = if server.is_ipv4() {
            (std::net::Ipv4Addr::UNSPECIFIED, 0).into()
        } else {
            (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
        };
        // One socket for the whole check: the server recognises a
        // retransmission by its source port too.
        let socket = UdpSocket::bind(local).await.map_err(RadiusError::Socket)?;
        // Connected, so the kernel drops datagrams from anyone else.
        if let Err(error) = socket.connect(server).await {
            warn!(%server, %error, "the RADIUS server cannot be reached");
            return Ok(RadiusOutcome::NoAnswer);
        }
        let secret = self.secret.expose_secret().as_bytes();
        let interval = self.timeout / TRANSMISSIONS;
        let mut sent = 0;
        let mut buffer = vec![0u8; 4096];
        loop {
            if sent < TRANSMISSIONS && Instant::now() >= started + interval * sent {
                sent += 1;
                // Always the same bytes: see the module documentation.
                match socket.send(request.datagram()).await {
                    Ok(_) => debug!(
                        %server,
                        identifier = request.identifier(),
                        transmission = sent,
                        "Access-Request sent"
                    ),
                    Err(error) => debug!(%server, %error, "Access-Request not sent"),
                }
            }
            // After the last transmission, only the deadline ends the wait.
            let next_send = if sent < TRANSMISSIONS {
                started + interval * sent
            } else {
                started + self.timeout * 2
            };
            let received = tokio::select! {
                received = socket.recv(&mut buffer) => received,
                () = tokio::time::sleep_until(next_send) => continue,
            };
            let length = match received {
                Ok(length) => length,
                Err(error) => {
                    // ICMP port unreachable and the like: the server may be
                    // starting; the next transmission (or the deadline)
                    // decides. Waiting first keeps this from spinning.
                    debug!(%server, %error, "no RADIUS answer");
                    tokio::time::sleep_until(next_send).await;
                    continue;
                }
            };
            match request.read_answer(&buffer[..length], secret) {
                Ok(answer) => return self.verdict(answer, request, sent),
                Err(why) => warn!(
                    %server,
                    identifier = request.identifier(),
                    "a datagram from the RADIUS server is ignored: {why}"
                ),
            }
        }
    }

    /// The first address `server` resolves to, or `None` (logged) when it
    /// resolves to none: to the person, that is no answer.
    async fn resolve(&self) -> Option<SocketAddr> {
        match tokio::net::lookup_host(self.server.as_str()).await {
            Ok(mut addresses) => {
                let first = addresses.next();
                if first.is_none() {
                    warn!(server = %self.server, "the RADIUS server's name has no address");
                }
                first
            }
            Err(error) => {
                warn!(server = %self.server, %error, "the RADIUS server's name does not resolve");
                None
            }
        }
    }

    fn verdict(
        &self,
        answer: Answer,
        request: &AccessRequest,
        transmissions: u32,
    ) -> Result<RadiusOutcome, RadiusError> {
        let identifier = request.identifier();
        match answer {
            Answer::Accepted => {
                debug!(server = %self.server, identifier, transmissions, "Access-Accept");
                Ok(RadiusOutcome::Accepted)
            }
            Answer::Rejected { ms_chap_error } => {
                debug!(
                    server = %self.server,
                    identifier,
                    transmissions,
                    ms_chap_error,
                    "Access-Reject"
                );
                Ok(RadiusOutcome::Rejected)
            }
            Answer::AcceptedWithoutProof => Err(RadiusError::UnprovenAccept),
            Answer::Challenged => Err(RadiusError::UnexpectedAnswer("Access-Challenge")),
            Answer::Malformed(why) => Err(RadiusError::MalformedAnswer(why)),
        }
    }
}

/// `host:port` with a port of 1 to 65535 (`[v6]:port` for an IPv6
/// literal), checked without resolving the name, which may not resolve
/// yet when the gateway starts.
fn check_server_address(server: &str) -> Result<(), RadiusError> {
    let malformed = || RadiusError::Settings {
        key: "radius.server",
        reason: format!("{server:?} is not host:port, e.g. radius.univ-exemple.fr:1812"),
    };
    let (host, port) = server.rsplit_once(':').ok_or_else(malformed)?;
    let port: u16 = port.parse().map_err(|_| malformed())?;
    let bare_v6 = host.contains(':') && !(host.starts_with('[') && host.ends_with(']'));
    if host.is_empty() || port == 0 || bare_v6 || host.chars().any(char::is_whitespace) {
        return Err(malformed());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(server: &str) -> RadiusSettings {
        RadiusSettings {
            server: Some(server.into()),
            ..Default::default()
        }
    }

    fn secret() -> SecretString {
        SecretString::from("a-shared-secret-of-24-ch")
    }

    fn settings_error(settings: &RadiusSettings, secret: SecretString) -> String {
        match RadiusCheck::new(settings, secret) {
            Err(RadiusError::Settings { key, .. }) => key.to_owned(),
            other => panic!("expected a settings error, got {other:?}"),
        }
    }

    #[test]
    fn server_addresses_are_host_and_port() {
        for good in [
            "radius.univ-exemple.fr:1812",
            "127.0.0.1:1812",
            "[2001:db8::1]:1812",
        ] {
            assert!(
                RadiusCheck::new(&settings(good), secret()).is_ok(),
                "{good}"
            );
        }
        for bad in [
            "radius.univ-exemple.fr",
            ":1812",
            "radius:0",
            "radius:65536",
            "radius:port",
            "2001:db8::1:1812",
            "radius univ:1812",
        ] {
            assert_eq!(
                settings_error(&settings(bad), secret()),
                "radius.server",
                "{bad}"
            );
        }
        assert_eq!(
            settings_error(&RadiusSettings::default(), secret()),
            "radius.server"
        );
    }

    #[test]
    fn every_other_setting_is_checked_by_name() {
        assert_eq!(
            settings_error(&settings("r:1812"), SecretString::from("")),
            "radius.secret_file"
        );
        let mut nas = settings("r:1812");
        nas.nas_identifier = String::new();
        assert_eq!(settings_error(&nas, secret()), "radius.nas_identifier");
        nas.nas_identifier = "n".repeat(254);
        assert_eq!(settings_error(&nas, secret()), "radius.nas_identifier");
        for seconds in [0, 31] {
            let mut timeout = settings("r:1812");
            timeout.timeout_seconds = seconds;
            assert_eq!(settings_error(&timeout, secret()), "radius.timeout_seconds");
        }
    }

    #[test]
    fn the_secret_never_shows_in_debug_output() {
        let check = RadiusCheck::new(&settings("r:1812"), secret()).expect("valid settings");
        let shown = format!("{check:?}");
        assert!(!shown.contains("a-shared-secret"), "{shown}");
    }
}
