//! The SMTP relay as the mailer reaches it: connections opened with
//! `TCP_NODELAY` and kept for the next mail.
//!
//! lettre 0.11.23 (the latest release) writes a mail's body, then the
//! closing `\r\n.\r\n` in a second small write, on a socket without
//! `TCP_NODELAY`: the kernel holds that second write until the relay
//! acknowledges the body, and a relay that delays its ACK (Linux does, by
//! 40 ms) makes every mail wait that long. Here the socket is opened by us,
//! with `TCP_NODELAY`, and handed to lettre's SMTP client
//! (`AsyncSmtpConnection::connect_with_transport`), which does the
//! conversation, STARTTLS and AUTH as before; TLS from the first byte
//! (`security = "tls"`) is tokio-rustls under it, with the same roots
//! (Mozilla's, as lettre's, and `ca_file`).
//!
//! A connection that sent a mail is kept (at most one per send slot, so
//! `mail.max_concurrent_sends` of them), reused for the next mail, closed
//! with QUIT after [`IDLE_LIFETIME`] unused or [`MAILS_PER_CONNECTION`]
//! mails. A kept connection the relay closed meanwhile fails on its first
//! command: it is dropped and the mail goes at once on a fresh one, which
//! is not counted as an attempt.

use crate::settings::{MailSettings, SmtpSecurity};
use crate::MailError;
use anyhow::Context as _;
use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{
    AsyncSmtpConnection, AsyncTokioStream, Certificate, TlsParameters,
};
use lettre::transport::smtp::extension::ClientId;
use secrecy::ExposeSecret as _;
use std::pin::Pin;
use std::sync::{Arc, Mutex, Weak};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// How long a kept connection may stay unused: under the minutes relays
/// wait before they close an idle client themselves (Postfix 300 s), so
/// that a reused connection is nearly always still open.
pub(crate) const IDLE_LIFETIME: Duration = Duration::from_secs(30);

/// Mails sent over one connection before it is closed and another opened:
/// Exchange closes a connection after 20 by default
/// (`MaxMessagesPerConnection`); a new connection every 20 mails costs
/// nothing that shows.
pub(crate) const MAILS_PER_CONNECTION: u32 = 20;

/// A connection kept for the next mail.
struct Kept {
    connection: AsyncSmtpConnection,
    idle_since: Instant,
    sent: u32,
}

/// The relay of `[mail]`, and the connections kept to it.
pub(crate) struct Relay {
    host: String,
    port: u16,
    /// STARTTLS's parameters (lettre's), for `security = "starttls"`.
    starttls: Option<TlsParameters>,
    /// TLS from the first byte, for `security = "tls"`.
    implicit: Option<(
        tokio_rustls::TlsConnector,
        rustls::pki_types::ServerName<'static>,
    )>,
    credentials: Option<Credentials>,
    timeout: Duration,
    hello: ClientId,
    /// `host:port (security)`, for messages.
    name: String,
    kept: Mutex<Vec<Kept>>,
}

impl std::fmt::Debug for Relay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Relay")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// Why a connection could not be used, as the mailer reports it.
pub(crate) struct RelayFailure {
    pub error: MailError,
    /// The relay answered (a 4xx or 5xx reply), as opposed to a
    /// connection that broke, timed out or was never made.
    pub answered: bool,
}

impl Relay {
    /// The relay `settings` describe, reading the CA and password files
    /// now so that a mistake shows at start-up. Starts the task that closes
    /// idle connections (it ends with the relay).
    pub(crate) fn new(settings: &MailSettings, port: u16) -> anyhow::Result<Arc<Relay>> {
        let host = settings.host.clone();
        let ca = match &settings.ca_file {
            Some(path) => Some(
                std::fs::read(path)
                    .with_context(|| format!("`mail.ca_file`: cannot read {}", path.display()))?,
            ),
            None => None,
        };
        let starttls = match settings.security {
            SmtpSecurity::Starttls => {
                let mut tls = TlsParameters::builder(host.clone());
                if let (Some(pem), Some(path)) = (&ca, &settings.ca_file) {
                    let certificate = Certificate::from_pem(pem).with_context(|| {
                        format!("`mail.ca_file`: no PEM certificate in {}", path.display())
                    })?;
                    tls = tls.add_root_certificate(certificate);
                }
                Some(
                    tls.build_rustls()
                        .context("`mail`: cannot set up TLS for the relay")?,
                )
            }
            _ => None,
        };
        let implicit = match settings.security {
            SmtpSecurity::Tls => Some(implicit_tls(&host, ca.as_deref(), settings)?),
            _ => None,
        };
        let credentials = match &settings.username {
            Some(username) => {
                let password = settings
                    .resolved_password()?
                    .context("`mail.username` is set but neither `password` nor `password_file`")?;
                Some(Credentials::new(
                    username.clone(),
                    password.expose_secret().to_owned(),
                ))
            }
            None => None,
        };
        let relay = Arc::new(Relay {
            name: format!("{host}:{port} ({})", settings.security),
            host,
            port,
            starttls,
            implicit,
            credentials,
            timeout: Duration::from_secs(settings.timeout_seconds),
            hello: ClientId::default(),
            kept: Mutex::new(Vec::new()),
        });
        tokio::spawn(close_idle(Arc::downgrade(&relay)));
        Ok(relay)
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Vec<Kept>> {
        self.kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Connections kept open now.
    pub(crate) fn kept_count(&self) -> usize {
        self.kept().len()
    }

    /// Sends one mail: over a kept connection when there is one that still
    /// works, else over a new one. The caller holds a send slot, so kept
    /// connections never outnumber the slots.
    pub(crate) async fn send(&self, envelope: &Envelope, message: &[u8]) -> Result<(), MailError> {
        loop {
            let taken = self.kept().pop();
            let Some(mut kept) = taken else { break };
            if kept.idle_since.elapsed() >= IDLE_LIFETIME {
                quit_later(kept.connection);
                continue;
            }
            match self.transmit(&mut kept.connection, envelope, message).await {
                Ok(()) => {
                    kept.sent += 1;
                    self.keep(kept);
                    return Ok(());
                }
                // The relay closed it while it waited (a drop, a timeout,
                // `421 closing`): the mail goes on a fresh one.
                Err(failure) if !failure.answered || failure.error.status_is(421) => {
                    tracing::debug!(relay = %self.name, error = %failure.error, "a kept connection to the relay no longer works; opening another");
                }
                Err(failure) => return Err(failure.error),
            }
        }
        let mut connection = self.connect().await?;
        match self.transmit(&mut connection, envelope, message).await {
            Ok(()) => {
                self.keep(Kept {
                    connection,
                    idle_since: Instant::now(),
                    sent: 1,
                });
                Ok(())
            }
            Err(failure) => Err(failure.error),
        }
    }

    fn keep(&self, mut kept: Kept) {
        if kept.sent >= MAILS_PER_CONNECTION || kept.connection.has_broken() {
            quit_later(kept.connection);
            return;
        }
        kept.idle_since = Instant::now();
        self.kept().push(kept);
    }

    async fn transmit(
        &self,
        connection: &mut AsyncSmtpConnection,
        envelope: &Envelope,
        message: &[u8],
    ) -> Result<(), RelayFailure> {
        match tokio::time::timeout(self.timeout, connection.send(envelope, message)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(error)) => Err(RelayFailure {
                answered: error.status().is_some(),
                error: self.error(&error),
            }),
            Err(_) => Err(RelayFailure {
                answered: false,
                error: self.timed_out(),
            }),
        }
    }

    fn timed_out(&self) -> MailError {
        MailError::Relay {
            relay: self.name.clone(),
            description: "timed out".to_owned(),
            transient: true,
            status: None,
        }
    }

    fn error(&self, error: &lettre::transport::smtp::Error) -> MailError {
        MailError::Relay {
            relay: self.name.clone(),
            description: describe_smtp_error(error),
            transient: !(error.is_permanent() || error.is_client() || error.is_response()),
            status: error.status().map(|code| code.to_string()),
        }
    }

    /// A new connection, greeted, secured and authenticated as configured,
    /// within `timeout_seconds`.
    pub(crate) async fn connect(&self) -> Result<AsyncSmtpConnection, MailError> {
        match tokio::time::timeout(self.timeout, self.open()).await {
            Ok(opened) => opened,
            Err(_) => Err(self.timed_out()),
        }
    }

    async fn open(&self) -> Result<AsyncSmtpConnection, MailError> {
        let unreachable = |error: &dyn std::fmt::Display| MailError::Relay {
            relay: self.name.clone(),
            description: error.to_string(),
            transient: true,
            status: None,
        };
        let tcp = TcpStream::connect((self.host.as_str(), self.port))
            .await
            .map_err(|e| unreachable(&e))?;
        // The point of opening the socket here (see the module's note).
        tcp.set_nodelay(true).map_err(|e| unreachable(&e))?;
        let stream: Box<dyn AsyncTokioStream> = match &self.implicit {
            Some((connector, server)) => Box::new(TlsOverTcp(
                connector
                    .connect(server.clone(), tcp)
                    .await
                    .map_err(|e| unreachable(&e))?,
            )),
            None => Box::new(tcp),
        };
        let mut connection = AsyncSmtpConnection::connect_with_transport(stream, &self.hello)
            .await
            .map_err(|e| self.error(&e))?;
        if let Some(tls) = &self.starttls {
            // Required, not opportunistic: a relay that stops offering
            // STARTTLS must not silently receive codes in clear.
            if !connection.can_starttls() {
                connection.abort().await;
                return Err(MailError::Relay {
                    relay: self.name.clone(),
                    description: "does not offer STARTTLS".to_owned(),
                    transient: false,
                    status: None,
                });
            }
            connection
                .starttls(tls.clone(), &self.hello)
                .await
                .map_err(|e| self.error(&e))?;
        }
        if let Some(credentials) = &self.credentials {
            connection
                .auth(DEFAULT_MECHANISMS, credentials)
                .await
                .map_err(|e| self.error(&e))?;
        }
        Ok(connection)
    }

    /// Connects and greets the relay (EHLO, STARTTLS or TLS, AUTH as
    /// configured, then NOOP) on a connection of its own, for `passerelle
    /// check`; the relay's own words are kept (no recipient is involved,
    /// and "535 5.7.8 ..." is the operator's hint).
    pub(crate) async fn check(&self) -> anyhow::Result<()> {
        let relay = &self.name;
        let checked = tokio::time::timeout(self.timeout, async {
            let mut connection = self.open_for_check().await?;
            let answered = connection.test_connected().await;
            let _ = connection.quit().await;
            Ok::<bool, anyhow::Error>(answered)
        })
        .await
        .map_err(|_| anyhow::anyhow!("cannot reach the mail relay {relay}: timed out"))??;
        anyhow::ensure!(
            checked,
            "the mail relay {relay} accepted the connection but did not answer NOOP"
        );
        Ok(())
    }

    /// [`Relay::open`] with the relay's reply text in the error.
    async fn open_for_check(&self) -> anyhow::Result<AsyncSmtpConnection> {
        let relay = &self.name;
        let said = |error: lettre::transport::smtp::Error| {
            let cause = root_cause(&error);
            match error.status() {
                Some(code) => anyhow::anyhow!("the mail relay {relay} answered {code} {cause}"),
                None => anyhow::anyhow!("cannot reach the mail relay {relay}: {cause}"),
            }
        };
        let unreachable = |error: &dyn std::fmt::Display| {
            anyhow::anyhow!("cannot reach the mail relay {relay}: {error}")
        };
        let tcp = TcpStream::connect((self.host.as_str(), self.port))
            .await
            .map_err(|e| unreachable(&e))?;
        tcp.set_nodelay(true).map_err(|e| unreachable(&e))?;
        let stream: Box<dyn AsyncTokioStream> = match &self.implicit {
            Some((connector, server)) => Box::new(TlsOverTcp(
                connector
                    .connect(server.clone(), tcp)
                    .await
                    .map_err(|e| unreachable(&e))?,
            )),
            None => Box::new(tcp),
        };
        let mut connection = AsyncSmtpConnection::connect_with_transport(stream, &self.hello)
            .await
            .map_err(said)?;
        if let Some(tls) = &self.starttls {
            anyhow::ensure!(
                connection.can_starttls(),
                "the mail relay {relay} does not offer STARTTLS (mail.security = \"starttls\" requires it)"
            );
            connection
                .starttls(tls.clone(), &self.hello)
                .await
                .map_err(said)?;
        }
        if let Some(credentials) = &self.credentials {
            connection
                .auth(DEFAULT_MECHANISMS, credentials)
                .await
                .map_err(said)?;
        }
        Ok(connection)
    }

    /// Closes the kept connections unused for [`IDLE_LIFETIME`].
    fn close_idle_now(&self) {
        let stale: Vec<Kept> = {
            let mut kept = self.kept();
            let (stale, fresh) = kept
                .drain(..)
                .partition(|k| k.idle_since.elapsed() >= IDLE_LIFETIME);
            *kept = fresh;
            stale
        };
        for kept in stale {
            quit_later(kept.connection);
        }
    }
}

impl MailError {
    /// Whether this is the relay's reply `code` (e.g. 421).
    fn status_is(&self, code: u16) -> bool {
        matches!(self, MailError::Relay { status: Some(s), .. } if *s == code.to_string())
    }
}

/// The TLS connector of `security = "tls"`: Mozilla's roots (the ones
/// lettre's STARTTLS trusts) and the site's CA.
fn implicit_tls(
    host: &str,
    ca: Option<&[u8]>,
    settings: &MailSettings,
) -> anyhow::Result<(
    tokio_rustls::TlsConnector,
    rustls::pki_types::ServerName<'static>,
)> {
    use rustls::pki_types::pem::PemObject as _;
    use rustls::pki_types::CertificateDer;
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let (Some(pem), Some(path)) = (ca, &settings.ca_file) {
        let certificates: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(pem)
            .collect::<Result<_, _>>()
            .ok()
            .filter(|c: &Vec<_>| !c.is_empty())
            .with_context(|| format!("`mail.ca_file`: no PEM certificate in {}", path.display()))?;
        for certificate in certificates {
            roots.add(certificate).with_context(|| {
                format!(
                    "`mail.ca_file`: a certificate of {} is not usable",
                    path.display()
                )
            })?;
        }
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .context("`mail`: cannot set up TLS for the relay")?
    .with_root_certificates(roots)
    .with_no_client_auth();
    let server = rustls::pki_types::ServerName::try_from(host.to_owned())
        .with_context(|| format!("`mail.host`: {host} is not a name a certificate can carry"))?;
    Ok((tokio_rustls::TlsConnector::from(Arc::new(config)), server))
}

/// Says QUIT on a connection no longer needed, off the caller's path.
fn quit_later(mut connection: AsyncSmtpConnection) {
    tokio::spawn(async move {
        let _ = tokio::time::timeout(Duration::from_secs(5), connection.quit()).await;
    });
}

/// Closes idle connections every few seconds, until the relay is dropped.
async fn close_idle(relay: Weak<Relay>) {
    let mut tick = tokio::time::interval(IDLE_LIFETIME / 3);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match relay.upgrade() {
            Some(relay) => relay.close_idle_now(),
            None => return,
        }
    }
}

/// A TLS stream (TLS from the first byte) as lettre takes a transport.
#[derive(Debug)]
struct TlsOverTcp(tokio_rustls::client::TlsStream<TcpStream>);

impl AsyncRead for TlsOverTcp {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for TlsOverTcp {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

impl AsyncTokioStream for TlsOverTcp {
    fn peer_addr(&self) -> std::io::Result<std::net::SocketAddr> {
        self.0.get_ref().0.peer_addr()
    }
}

/// What went wrong, without the relay's reply text: a refusal usually
/// quotes the recipient's address.
pub(crate) fn describe_smtp_error(error: &lettre::transport::smtp::Error) -> String {
    if let Some(code) = error.status() {
        let kind = if error.is_permanent() {
            "refused"
        } else {
            "deferred"
        };
        format!("{kind} the mail ({code})")
    } else if error.is_timeout() {
        "timed out".to_owned()
    } else if error.is_response() {
        "answered something that is not SMTP".to_owned()
    } else {
        // Connection, network and TLS errors come from the system and carry
        // no address.
        root_cause(error)
    }
}

/// The innermost error's text: lettre nests its errors and repeats each
/// level's text in its `Display`, which reads badly in a one-line message.
pub(crate) fn root_cause(error: &lettre::transport::smtp::Error) -> String {
    let mut cause: &dyn std::error::Error = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    cause.to_string()
}
