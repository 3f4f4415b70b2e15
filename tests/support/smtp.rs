//! A small SMTP server inside the test process, so that tests exercise the
//! real SMTP conversation (EHLO, MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT)
//! instead of a mock transport, and can read every mail that was sent.
//!
//! It listens on 127.0.0.1, on a port the system chooses, and keeps each
//! message (envelope and raw data, dot-unstuffed) in a shared list. It can
//! answer `451` to the first N recipients it is given, as a greylisting relay
//! does, to test retries; speak TLS from the first byte or offer STARTTLS,
//! with a certificate from a throwaway CA ([`TestCa`]); and require
//! `AUTH PLAIN` / `AUTH LOGIN` with given credentials.
//!
//! Use it from a test file with
//! `#[path = "support/smtp.rs"] mod smtp;` and then
//! `let sink = smtp::SmtpSink::start().await;` and point the mailer at
//! `127.0.0.1:sink.port()` with `security = none`.
#![allow(dead_code)]

#[path = "tls.rs"]
mod tls;

use base64::Engine as _;
use mail_parser::MimeHeaders as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufStream};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio_rustls::TlsAcceptor;

/// The largest message the sink takes; beyond, it answers 552 as a relay would.
const MAX_MESSAGE_BYTES: usize = 10 * 1024 * 1024;

/// One message as the sink received it.
#[derive(Debug, Clone)]
pub struct CapturedMail {
    /// The envelope sender (`MAIL FROM`), without angle brackets.
    pub mail_from: String,
    /// The envelope recipients (`RCPT TO`), without angle brackets.
    pub rcpt_to: Vec<String>,
    /// The message as sent after `DATA`, dot-unstuffed, CRLF line ends.
    pub data: Vec<u8>,
}

impl CapturedMail {
    /// The message parsed; panics if it is not a valid message, which is
    /// what a test wants to hear about.
    pub fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default()
            .parse(&self.data)
            .expect("the captured mail parses as a message")
    }

    /// Whether the envelope names this recipient (case-insensitive).
    pub fn is_for(&self, to: &str) -> bool {
        self.rcpt_to.iter().any(|r| r.eq_ignore_ascii_case(to))
    }

    /// The decoded `Subject:`.
    pub fn subject(&self) -> String {
        self.parsed().subject().unwrap_or_default().to_owned()
    }

    /// The decoded text/plain part (quoted-printable or base64 undone).
    /// Panics when the mail has no text/plain part.
    pub fn text_body(&self) -> String {
        let parsed = self.parsed();
        let part = parsed
            .text_bodies()
            .find(|part| is_content_type(part, "text", "plain"))
            .expect("the mail has a text/plain part");
        part.text_contents()
            .expect("the text/plain part is text")
            .replace("\r\n", "\n")
    }

    /// The decoded text/html part. Panics when the mail has none.
    pub fn html_body(&self) -> String {
        let parsed = self.parsed();
        let part = parsed
            .html_bodies()
            .find(|part| is_content_type(part, "text", "html"))
            .expect("the mail has a text/html part");
        part.text_contents()
            .expect("the text/html part is text")
            .replace("\r\n", "\n")
    }

    /// A header's raw value, trimmed, if present.
    pub fn header(&self, name: &str) -> Option<String> {
        self.parsed()
            .header_raw(name)
            .map(|value| value.trim().to_owned())
    }

    /// The address in the `To:` header.
    pub fn to_header_address(&self) -> Option<String> {
        let parsed = self.parsed();
        let to = parsed.to()?.first()?;
        to.address().map(str::to_owned)
    }

    /// The display name in the `To:` header, decoded.
    pub fn to_header_name(&self) -> Option<String> {
        let parsed = self.parsed();
        let to = parsed.to()?.first()?;
        to.name().map(str::to_owned)
    }

    /// The `type/subtype` of the top-level part, lowercased.
    pub fn content_type(&self) -> String {
        let parsed = self.parsed();
        parsed
            .content_type()
            .map(|ct| {
                format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or_default()).to_ascii_lowercase()
            })
            .unwrap_or_default()
    }
}

fn is_content_type(part: &mail_parser::MessagePart<'_>, ctype: &str, subtype: &str) -> bool {
    part.content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case(ctype)
            && ct
                .subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case(subtype))
    })
}

/// How the sink protects its connections.
#[derive(Clone, Default)]
pub enum SinkTls {
    /// Plain SMTP.
    #[default]
    None,
    /// Plain first, `STARTTLS` offered in the EHLO answer.
    Starttls(TlsAcceptor),
    /// TLS from the first byte (SMTPS).
    Implicit(TlsAcceptor),
}

/// What the sink does besides accepting mail.
#[derive(Clone, Default)]
pub struct SinkOptions {
    /// Answer `451` to this many `RCPT TO` first (greylisting).
    pub refuse_first_recipients: usize,
    pub tls: SinkTls,
    /// Require `AUTH` with this username and password before `MAIL FROM`.
    pub credentials: Option<(String, String)>,
    /// Close the connection after each accepted mail, without a word, as a
    /// relay that limits mails per connection or drops idle clients does.
    pub close_after_each_mail: bool,
}

#[derive(Default)]
struct SinkState {
    mails: Mutex<Vec<CapturedMail>>,
    arrived: Notify,
    /// Recipients still to be answered 451.
    refusals_left: AtomicUsize,
    refused: AtomicUsize,
    connections: AtomicUsize,
    /// Usernames that authenticated successfully.
    authenticated: Mutex<Vec<String>>,
    /// Whether a mail arrived over a connection that was not TLS.
    mails_in_clear: AtomicUsize,
}

/// The running sink. Stops listening when dropped.
pub struct SmtpSink {
    port: u16,
    state: Arc<SinkState>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl SmtpSink {
    /// Starts a sink that accepts every mail over plain SMTP.
    pub async fn start() -> SmtpSink {
        Self::start_with(SinkOptions::default()).await
    }

    /// Starts a sink that answers `451 4.7.1` to the first `refusals`
    /// `RCPT TO` commands (greylisting), then accepts.
    pub async fn start_refusing(refusals: usize) -> SmtpSink {
        Self::start_with(SinkOptions {
            refuse_first_recipients: refusals,
            ..SinkOptions::default()
        })
        .await
    }

    /// Starts a sink on `port` (a relay coming back where it was).
    pub async fn start_on(port: u16) -> SmtpSink {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind the SMTP sink on its old port");
        Self::serve(listener, SinkOptions::default())
    }

    pub async fn start_with(options: SinkOptions) -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the SMTP sink on a free port");
        Self::serve(listener, options)
    }

    fn serve(listener: TcpListener, options: SinkOptions) -> SmtpSink {
        let port = listener.local_addr().expect("sink address").port();
        let state = Arc::new(SinkState::default());
        state
            .refusals_left
            .store(options.refuse_first_recipients, Ordering::SeqCst);
        let server = tokio::spawn({
            let state = Arc::clone(&state);
            async move {
                while let Ok((stream, _)) = listener.accept().await {
                    state.connections.fetch_add(1, Ordering::SeqCst);
                    let state = Arc::clone(&state);
                    let options = options.clone();
                    tokio::spawn(async move {
                        // A client that hangs up mid-conversation (or fails
                        // its TLS handshake) is not the test's concern; what
                        // was completed is kept.
                        let _ = handle(stream, state, options).await;
                    });
                }
            }
        });
        SmtpSink {
            port,
            state,
            server,
        }
    }

    /// Usernames that authenticated, in order.
    pub fn authenticated(&self) -> Vec<String> {
        self.state.authenticated.lock().expect("sink lock").clone()
    }

    /// How many mails arrived over a connection without TLS.
    pub fn mails_in_clear(&self) -> usize {
        self.state.mails_in_clear.load(Ordering::SeqCst)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Every mail received so far, in order of arrival.
    pub fn mails(&self) -> Vec<CapturedMail> {
        self.state.mails.lock().expect("sink lock").clone()
    }

    /// Mails received so far for this recipient.
    pub fn mails_to(&self, to: &str) -> Vec<CapturedMail> {
        self.mails().into_iter().filter(|m| m.is_for(to)).collect()
    }

    /// How many `RCPT TO` were answered 451.
    pub fn refused(&self) -> usize {
        self.state.refused.load(Ordering::SeqCst)
    }

    /// How many connections were accepted.
    pub fn connections(&self) -> usize {
        self.state.connections.load(Ordering::SeqCst)
    }

    /// Waits (woken by each arrival, no blind sleep) until a mail for `to`
    /// has arrived, and returns the first one. Panics after `timeout`.
    pub async fn wait_for_mail(&self, to: &str, timeout: Duration) -> CapturedMail {
        self.wait_for_mails(to, 1, timeout)
            .await
            .into_iter()
            .next()
            .expect("one mail")
    }

    /// Waits until `count` mails for `to` have arrived, and returns the
    /// first `count`. Panics after `timeout`.
    pub async fn wait_for_mails(
        &self,
        to: &str,
        count: usize,
        timeout: Duration,
    ) -> Vec<CapturedMail> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let arrived = self.state.arrived.notified();
            tokio::pin!(arrived);
            // Registered before looking, so an arrival in between is not missed.
            arrived.as_mut().enable();
            let mails = self.mails_to(to);
            if mails.len() >= count {
                return mails.into_iter().take(count).collect();
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                let seen: Vec<Vec<String>> = self.mails().into_iter().map(|m| m.rcpt_to).collect();
                panic!(
                    "{count} mail(s) for {to} did not arrive within {timeout:?}; \
                     got {} for it; recipients seen: {seen:?}",
                    self.mails_to(to).len()
                );
            }
        }
    }
}

/// The address inside `<...>` of `MAIL FROM:<a> PARAMS` / `RCPT TO:<a>`.
fn path_argument(argument: &str) -> Option<String> {
    let start = argument.find('<')?;
    let end = start + argument[start..].find('>')?;
    Some(argument[start + 1..end].to_owned())
}

async fn handle(
    stream: TcpStream,
    state: Arc<SinkState>,
    options: SinkOptions,
) -> std::io::Result<()> {
    match &options.tls {
        SinkTls::None => {
            session(BufStream::new(stream), &state, &options, Security::Clear).await?;
        }
        SinkTls::Implicit(acceptor) => {
            let stream = acceptor.accept(stream).await?;
            session(BufStream::new(stream), &state, &options, Security::Tls).await?;
        }
        SinkTls::Starttls(acceptor) => {
            let upgrade = session(
                BufStream::new(stream),
                &state,
                &options,
                Security::OffersStarttls,
            )
            .await?;
            if let Some(stream) = upgrade {
                let stream = acceptor.accept(stream).await?;
                // RFC 3207: the client starts over with EHLO; nothing said
                // before the upgrade counts.
                session(BufStream::new(stream), &state, &options, Security::Tls).await?;
            }
        }
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Security {
    Clear,
    OffersStarttls,
    Tls,
}

/// One SMTP session. Returns the stream when the client asked for STARTTLS
/// and was told to go ahead.
async fn session<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: BufStream<S>,
    state: &SinkState,
    options: &SinkOptions,
    security: Security,
) -> std::io::Result<Option<S>> {
    if security != Security::Tls || matches!(options.tls, SinkTls::Implicit(_)) {
        stream
            .write_all(b"220 sink.test ESMTP test sink\r\n")
            .await?;
        stream.flush().await?;
    }
    let mut authenticated = options.credentials.is_none();
    let mut mail_from: Option<String> = None;
    let mut rcpt_to: Vec<String> = Vec::new();
    let mut line = Vec::new();
    let mut hang_up = false;
    loop {
        if hang_up {
            return Ok(None);
        }
        line.clear();
        if stream.read_until(b'\n', &mut line).await? == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        let (verb, argument) = match text.split_once(' ') {
            Some((verb, argument)) => (verb.to_ascii_uppercase(), argument.trim()),
            None => (text.to_ascii_uppercase(), ""),
        };
        let reply: String = match verb.as_str() {
            "EHLO" => {
                let mut lines = vec!["250-sink.test greets you", "250-8BITMIME", "250-SMTPUTF8"];
                if security == Security::OffersStarttls {
                    lines.push("250-STARTTLS");
                }
                if options.credentials.is_some() && security != Security::OffersStarttls {
                    lines.push("250-AUTH PLAIN LOGIN");
                }
                lines.push("250 SIZE 10485760");
                lines.join("\r\n") + "\r\n"
            }
            "HELO" => "250 sink.test\r\n".into(),
            "STARTTLS" if security == Security::OffersStarttls => {
                stream
                    .write_all(b"220 2.0.0 Ready to start TLS\r\n")
                    .await?;
                stream.flush().await?;
                return Ok(Some(stream.into_inner()));
            }
            "AUTH" if options.credentials.is_some() && security != Security::OffersStarttls => {
                let (mechanism, initial) = argument.split_once(' ').unwrap_or((argument, ""));
                let given = match mechanism.to_ascii_uppercase().as_str() {
                    "PLAIN" => {
                        let response = if initial.is_empty() {
                            prompt(&mut stream, &mut line, "").await?
                        } else {
                            initial.to_owned()
                        };
                        let decoded = decode_base64(&response);
                        let mut fields = decoded.split('\0').skip(1);
                        fields
                            .next()
                            .zip(fields.next())
                            .map(|(u, p)| (u.to_owned(), p.to_owned()))
                    }
                    "LOGIN" => {
                        let user = if initial.is_empty() {
                            prompt(&mut stream, &mut line, "VXNlcm5hbWU6").await?
                        } else {
                            initial.to_owned()
                        };
                        let pass = prompt(&mut stream, &mut line, "UGFzc3dvcmQ6").await?;
                        Some((decode_base64(&user), decode_base64(&pass)))
                    }
                    _ => None,
                };
                if given.is_some() && given == options.credentials {
                    authenticated = true;
                    let user = given.map(|(u, _)| u).unwrap_or_default();
                    state.authenticated.lock().expect("sink lock").push(user);
                    "235 2.7.0 Authentication successful\r\n".into()
                } else {
                    "535 5.7.8 Authentication credentials invalid\r\n".into()
                }
            }
            "MAIL" if !authenticated => "530 5.7.0 Authentication required\r\n".into(),
            "MAIL" => match argument
                .get(..5)
                .filter(|p| p.eq_ignore_ascii_case("FROM:"))
                .and_then(|_| path_argument(argument))
            {
                Some(from) => {
                    mail_from = Some(from);
                    rcpt_to.clear();
                    "250 2.1.0 OK\r\n".into()
                }
                None => "501 5.5.4 Syntax: MAIL FROM:<address>\r\n".into(),
            },
            "RCPT" => {
                let to = argument
                    .get(..3)
                    .filter(|p| p.eq_ignore_ascii_case("TO:"))
                    .and_then(|_| path_argument(argument));
                match (mail_from.is_some(), to) {
                    (false, _) => "503 5.5.1 MAIL first\r\n".into(),
                    (true, None) => "501 5.5.4 Syntax: RCPT TO:<address>\r\n".into(),
                    (true, Some(to)) => {
                        let refuse = state
                            .refusals_left
                            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                            .is_ok();
                        if refuse {
                            state.refused.fetch_add(1, Ordering::SeqCst);
                            // The text quotes the address, as real relays do,
                            // so a test can check that logs do not repeat it.
                            format!("451 4.7.1 <{to}>: Greylisted, try again later\r\n")
                        } else {
                            rcpt_to.push(to);
                            "250 2.1.5 OK\r\n".into()
                        }
                    }
                }
            }
            "DATA" if mail_from.is_none() || rcpt_to.is_empty() => {
                "503 5.5.1 RCPT first\r\n".into()
            }
            "DATA" => {
                stream
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                stream.flush().await?;
                let mut data = Vec::new();
                let mut too_big = false;
                loop {
                    line.clear();
                    if stream.read_until(b'\n', &mut line).await? == 0 {
                        return Ok(None);
                    }
                    if line == b".\r\n" || line == b".\n" {
                        break;
                    }
                    // Dot-unstuffing (RFC 5321 4.5.2).
                    let content = if line.starts_with(b"..") {
                        &line[1..]
                    } else {
                        &line[..]
                    };
                    if data.len() + content.len() > MAX_MESSAGE_BYTES {
                        too_big = true;
                    } else {
                        data.extend_from_slice(content);
                    }
                }
                let from = mail_from.take().unwrap_or_default();
                let to = std::mem::take(&mut rcpt_to);
                if too_big {
                    "552 5.3.4 Message too big\r\n".into()
                } else {
                    if security != Security::Tls {
                        state.mails_in_clear.fetch_add(1, Ordering::SeqCst);
                    }
                    state.mails.lock().expect("sink lock").push(CapturedMail {
                        mail_from: from,
                        rcpt_to: to,
                        data,
                    });
                    state.arrived.notify_waiters();
                    hang_up = options.close_after_each_mail;
                    "250 2.0.0 OK queued\r\n".into()
                }
            }
            "RSET" => {
                mail_from = None;
                rcpt_to.clear();
                "250 2.0.0 OK\r\n".into()
            }
            "NOOP" => "250 2.0.0 OK\r\n".into(),
            "VRFY" => "252 2.5.2 Cannot VRFY user\r\n".into(),
            "QUIT" => {
                stream.write_all(b"221 2.0.0 Bye\r\n").await?;
                stream.flush().await?;
                return Ok(None);
            }
            _ => "502 5.5.2 Command not recognized\r\n".into(),
        };
        stream.write_all(reply.as_bytes()).await?;
        stream.flush().await?;
    }
}

/// Sends a `334` challenge and reads the client's base64 answer.
async fn prompt<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut BufStream<S>,
    line: &mut Vec<u8>,
    challenge: &str,
) -> std::io::Result<String> {
    stream
        .write_all(format!("334 {challenge}\r\n").as_bytes())
        .await?;
    stream.flush().await?;
    line.clear();
    stream.read_until(b'\n', line).await?;
    Ok(String::from_utf8_lossy(line).trim().to_owned())
}

fn decode_base64(text: &str) -> String {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A throwaway certificate authority and a certificate it signed for
/// `localhost` and `127.0.0.1`, made with the `openssl` command in a
/// directory of the test's own.
pub struct TestCa {
    /// The CA certificate (PEM), for the client's `ca_file`.
    pub ca_file: PathBuf,
    /// A TLS acceptor serving the signed certificate.
    pub acceptor: TlsAcceptor,
}

impl TestCa {
    pub fn create(dir: &Path) -> TestCa {
        use tokio_rustls::rustls;
        use tokio_rustls::rustls::pki_types::pem::PemObject as _;
        use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

        let files = tls::write_test_ca(dir).expect("a test CA");

        let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&files.cert)
            .expect("read server.pem")
            .collect::<Result<_, _>>()
            .expect("parse server.pem");
        let key = PrivateKeyDer::from_pem_file(&files.key).expect("read server.key");
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("server certificate");
        TestCa {
            ca_file: files.ca,
            acceptor: TlsAcceptor::from(Arc::new(config)),
        }
    }
}
