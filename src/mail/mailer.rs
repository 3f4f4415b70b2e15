//! The [`Mailer`]: a bounded queue in front of the transport, drained by a
//! background task, so that a request never waits for (nor reveals by its
//! timing) a mail. Transient failures (a relay answering 4xx, a relay that
//! cannot be reached) are retried with exponential backoff; permanent ones
//! (5xx) are logged and given up. Every outcome is logged with the template
//! name and a short hash of the recipient; the address, the body and any SMTP
//! reply text (which often quotes the address) never reach a log line.

use super::settings::{MailSettings, MailTransportKind, SmtpSecurity};
use super::{render, MailBranding, OutgoingMail};
use anyhow::Context as _;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, Notify, Semaphore};

/// The longest wait between two attempts, whatever the base and the count.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);

/// Why one mail could not be sent. The texts are safe to log: they hold
/// neither the recipient nor anything the relay said besides its code.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the recipient address does not parse")]
    InvalidRecipient,
    #[error("template `{template}` failed to render: {source}")]
    Render {
        template: &'static str,
        source: askama::Error,
    },
    #[error("the message could not be built: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("the mail relay {relay}: {description}")]
    Relay {
        relay: String,
        description: String,
        transient: bool,
    },
    #[error("the mail could not be written to {directory}: {source}")]
    File {
        directory: PathBuf,
        source: lettre::transport::file::Error,
    },
}

impl MailError {
    /// Whether trying again later may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            MailError::Relay { transient, .. } => *transient,
            // A full or unmounted disk can come back.
            MailError::File { .. } => true,
            MailError::InvalidRecipient | MailError::Render { .. } | MailError::Build(_) => false,
        }
    }
}

/// What became of a mail that was handed over without error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// The SMTP relay accepted it.
    Relayed,
    /// Written as this `.eml` file.
    Written(PathBuf),
    /// The `none` transport dropped it.
    Discarded,
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File {
        transport: AsyncFileTransport<Tokio1Executor>,
        directory: PathBuf,
    },
    Disabled,
}

struct Inner {
    transport: Transport,
    /// `host:port (security)`, for messages about the relay.
    relay: String,
    from: Mailbox,
    reply_to: Option<Mailbox>,
    /// Right-hand side of generated Message-IDs: the sender's domain, so
    /// that ids look like the site's own rather than the container's name.
    message_id_domain: String,
    branding: MailBranding,
    announce_files: bool,
    max_attempts: u32,
    retry_base: Duration,
    capacity: usize,
    /// Mails queued, being sent or waiting for a retry.
    pending: AtomicUsize,
    idle: Notify,
    /// Bounds simultaneous attempts, so a burst does not open a connection
    /// per mail to the relay.
    sends: Semaphore,
}

/// Sends mail off the request path. Cheap to clone; every clone feeds the
/// same queue. Must be built inside a Tokio runtime (it spawns its worker);
/// the worker ends once every clone is dropped and the queue is drained.
#[derive(Clone)]
pub struct Mailer {
    inner: Arc<Inner>,
    queue: mpsc::Sender<OutgoingMail>,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("relay", &self.inner.relay)
            .field("pending", &self.inner.pending.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// Builds the transport from the settings (reading the relay password
    /// file and the CA file now, so a mistake shows at start-up) and starts
    /// the background sender.
    pub fn build(settings: &MailSettings, branding: MailBranding) -> anyhow::Result<Mailer> {
        settings.validate()?;
        let runtime = tokio::runtime::Handle::try_current()
            .context("the mailer must be built inside a Tokio runtime")?;
        let from = settings.from_mailbox()?;
        let reply_to = settings.reply_to_mailbox()?;
        let port = settings.smtp_port();
        let relay = format!("{}:{} ({})", settings.host, port, settings.security);
        let transport = match settings.transport {
            MailTransportKind::Smtp => Transport::Smtp(smtp_transport(settings, port)?),
            MailTransportKind::File => {
                let directory = settings.directory.clone();
                create_private_dir(&directory)?;
                Transport::File {
                    transport: AsyncFileTransport::new(&directory),
                    directory,
                }
            }
            MailTransportKind::None => Transport::Disabled,
        };
        let message_id_domain = from.email.domain().to_owned();
        let inner = Arc::new(Inner {
            transport,
            relay,
            from,
            reply_to,
            message_id_domain,
            branding,
            announce_files: settings.announce_files,
            max_attempts: settings.max_attempts,
            retry_base: Duration::from_secs_f64(settings.retry_base_seconds),
            capacity: settings.queue_capacity,
            pending: AtomicUsize::new(0),
            idle: Notify::new(),
            sends: Semaphore::new(settings.max_concurrent_sends),
        });
        let (queue, receiver) = mpsc::channel(settings.queue_capacity);
        runtime.spawn(run_queue(Arc::clone(&inner), receiver));
        Ok(Mailer { inner, queue })
    }

    /// Queues a mail and returns at once. The outcome is only logged: a flow
    /// answers the same whether or not a mail goes out. When the queue is
    /// full (the relay has been down for long, or a flood), the mail is
    /// dropped and that is logged as an error.
    pub fn send(&self, mail: OutgoingMail) {
        let template = mail.kind.template_name();
        let recipient = recipient_hash(&mail.to);
        let pending = self.inner.pending.fetch_add(1, Ordering::SeqCst);
        if pending >= self.inner.capacity {
            self.inner.finish_one();
            tracing::error!(template, recipient, "mail queue full, mail dropped");
            return;
        }
        if let Err(error) = self.queue.try_send(mail) {
            self.inner.finish_one();
            let reason = match error {
                mpsc::error::TrySendError::Full(_) => "mail queue full, mail dropped",
                mpsc::error::TrySendError::Closed(_) => "mail sender stopped, mail dropped",
            };
            tracing::error!(template, recipient, "{reason}");
        }
    }

    /// Renders and sends one mail now, once, without the queue. For
    /// operator commands (`passerelle check`), not for request handlers.
    pub async fn send_now(&self, mail: &OutgoingMail) -> Result<Delivery, MailError> {
        let composed = self.inner.compose(mail)?;
        let delivery = self.inner.transmit(&composed.message).await?;
        self.inner.announce(mail, &composed.subject, &delivery);
        Ok(delivery)
    }

    /// Connects to the relay and greets it (EHLO, STARTTLS or TLS, AUTH as
    /// configured, then NOOP), for `passerelle check`. With the `file`
    /// transport, checks that the directory takes a file.
    pub async fn check_relay(&self) -> anyhow::Result<()> {
        match &self.inner.transport {
            Transport::Smtp(transport) => {
                let relay = &self.inner.relay;
                // The relay's own words are shown here: an operator runs this
                // with no recipient involved, and "535 5.7.8 ..." is the hint.
                let answered = transport.test_connection().await.map_err(|error| {
                    let cause = root_cause(&error);
                    match error.status() {
                        Some(code) => {
                            anyhow::anyhow!("the mail relay {relay} answered {code} {cause}")
                        }
                        None => anyhow::anyhow!("cannot reach the mail relay {relay}: {cause}"),
                    }
                })?;
                anyhow::ensure!(
                    answered,
                    "the mail relay {relay} accepted the connection but did not answer NOOP"
                );
                Ok(())
            }
            Transport::File { directory, .. } => {
                tempfile::NamedTempFile::new_in(directory).with_context(|| {
                    format!("cannot write mail files into {}", directory.display())
                })?;
                Ok(())
            }
            Transport::Disabled => Ok(()),
        }
    }

    /// Mails queued, being sent or waiting for a retry.
    pub fn pending(&self) -> usize {
        self.inner.pending.load(Ordering::SeqCst)
    }

    /// Waits until no mail is pending, or the timeout passes (graceful
    /// shutdown, tests). Returns whether the queue is empty.
    pub async fn flush(&self, timeout: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let idle = self.inner.idle.notified();
            tokio::pin!(idle);
            idle.as_mut().enable();
            if self.pending() == 0 {
                return true;
            }
            if tokio::time::timeout_at(deadline, idle).await.is_err() {
                return self.pending() == 0;
            }
        }
    }
}

fn smtp_transport(
    settings: &MailSettings,
    port: u16,
) -> anyhow::Result<AsyncSmtpTransport<Tokio1Executor>> {
    let host = settings.host.as_str();
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(port)
        .timeout(Some(Duration::from_secs(settings.timeout_seconds)));
    if settings.security != SmtpSecurity::None {
        let mut tls = TlsParameters::builder(host.to_owned());
        if let Some(ca_file) = &settings.ca_file {
            let pem = std::fs::read(ca_file)
                .with_context(|| format!("`mail.ca_file`: cannot read {}", ca_file.display()))?;
            let certificate = Certificate::from_pem(&pem).with_context(|| {
                format!(
                    "`mail.ca_file`: no PEM certificate in {}",
                    ca_file.display()
                )
            })?;
            tls = tls.add_root_certificate(certificate);
        }
        let tls = tls
            .build_rustls()
            .context("`mail`: cannot set up TLS for the relay")?;
        builder = builder.tls(match settings.security {
            SmtpSecurity::Tls => Tls::Wrapper(tls),
            // Required, not opportunistic: a relay that stops offering
            // STARTTLS must not silently receive codes in clear.
            _ => Tls::Required(tls),
        });
    }
    if let Some(username) = &settings.username {
        let password = settings
            .resolved_password()?
            .context("`mail.username` is set but neither `password` nor `password_file`")?;
        builder = builder.credentials(Credentials::new(
            username.clone(),
            password.expose_secret().to_owned(),
        ));
    }
    Ok(builder.build())
}

/// Creates the outbox readable by the gateway only: its files hold codes
/// and temporary passwords.
fn create_private_dir(directory: &std::path::Path) -> anyhow::Result<()> {
    if directory.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(directory)
        .with_context(|| format!("`mail.directory`: cannot create {}", directory.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(directory, std::fs::Permissions::from_mode(0o700)).with_context(
            || format!("`mail.directory`: cannot restrict {}", directory.display()),
        )?;
    }
    Ok(())
}

/// A short, stable stand-in for an address in logs: the first 12 hex digits
/// of SHA-256 over the trimmed, lowercased address. An operator who is told
/// an address can find its lines with
/// `printf %s "$address" | tr A-Z a-z | sha256sum | cut -c1-12`.
pub(crate) fn recipient_hash(address: &str) -> String {
    let digest = Sha256::digest(address.trim().to_lowercase().as_bytes());
    hex::encode(&digest[..6])
}

struct Composed {
    message: Message,
    subject: String,
}

impl Inner {
    fn finish_one(&self) {
        if self.pending.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.idle.notify_waiters();
        }
    }

    fn compose(&self, mail: &OutgoingMail) -> Result<Composed, MailError> {
        let template = mail.kind.template_name();
        let address = mail
            .to
            .trim()
            .parse()
            .map_err(|_| MailError::InvalidRecipient)?;
        let to = Mailbox::new(mail.name.clone(), address);
        let rendered = render(&self.branding, mail)
            .map_err(|source| MailError::Render { template, source })?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(rendered.subject.clone())
            .date_now()
            .message_id(Some(format!(
                "<{}@{}>",
                hex::encode(rand::random::<[u8; 16]>()),
                self.message_id_domain
            )))
            // RFC 3834: tells vacation responders and ticketing systems not
            // to answer a machine.
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("Auto-Submitted"),
                "auto-generated".to_owned(),
            ))
            // Exchange's equivalent.
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("X-Auto-Response-Suppress"),
                "All".to_owned(),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("Content-Language"),
                mail.lang.code().to_owned(),
            ));
        if let Some(reply_to) = &self.reply_to {
            builder = builder.reply_to(reply_to.clone());
        }
        let message = builder.multipart(MultiPart::alternative_plain_html(
            rendered.text,
            rendered.html,
        ))?;
        Ok(Composed {
            message,
            subject: rendered.subject,
        })
    }

    async fn transmit(&self, message: &Message) -> Result<Delivery, MailError> {
        let _permit = self.sends.acquire().await;
        match &self.transport {
            Transport::Smtp(transport) => match transport.send(message.clone()).await {
                Ok(_) => Ok(Delivery::Relayed),
                Err(error) => Err(MailError::Relay {
                    relay: self.relay.clone(),
                    description: describe_smtp_error(&error),
                    transient: !(error.is_permanent() || error.is_client() || error.is_response()),
                }),
            },
            Transport::File {
                transport,
                directory,
            } => match transport.send(message.clone()).await {
                Ok(id) => Ok(Delivery::Written(directory.join(format!("{id}.eml")))),
                Err(source) => Err(MailError::File {
                    directory: directory.clone(),
                    source,
                }),
            },
            Transport::Disabled => Ok(Delivery::Discarded),
        }
    }

    /// The demo's console line. The address is printed in clear on purpose:
    /// `announce_files` exists so a newcomer sees where the mail went.
    fn announce(&self, mail: &OutgoingMail, subject: &str, delivery: &Delivery) {
        if self.announce_files {
            if let Some(line) = announcement(mail, subject, delivery) {
                println!("{line}");
            }
        }
    }

    fn backoff(&self, failed_attempts: u32) -> Duration {
        let factor = 2u32.saturating_pow(failed_attempts.saturating_sub(1));
        // ±10 % so that mails held back by one outage do not all come back
        // to the relay in the same second.
        let jitter = rand::Rng::gen_range(&mut rand::thread_rng(), 0.9..1.1);
        self.retry_base
            .saturating_mul(factor)
            .min(MAX_BACKOFF)
            .mul_f64(jitter)
    }

    async fn deliver(&self, mail: OutgoingMail) {
        let template = mail.kind.template_name();
        let recipient = recipient_hash(&mail.to);
        let composed = match self.compose(&mail) {
            Ok(composed) => composed,
            Err(error) => {
                tracing::error!(template, recipient, %error, "mail not sent");
                return;
            }
        };
        let mut attempt = 1;
        loop {
            match self.transmit(&composed.message).await {
                Ok(delivery) => {
                    match &delivery {
                        Delivery::Discarded => tracing::info!(
                            template,
                            recipient,
                            "mail discarded (mail.transport = none)"
                        ),
                        _ => tracing::info!(template, recipient, attempt, "mail sent"),
                    }
                    self.announce(&mail, &composed.subject, &delivery);
                    return;
                }
                Err(error) if error.is_transient() && attempt < self.max_attempts => {
                    let delay = self.backoff(attempt);
                    tracing::warn!(
                        template,
                        recipient,
                        attempt,
                        retry_in_ms = delay.as_millis() as u64,
                        %error,
                        "mail attempt failed, will retry"
                    );
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                Err(error) => {
                    tracing::error!(template, recipient, attempt, %error, "mail given up");
                    return;
                }
            }
        }
    }
}

/// The line the demo prints for a mail written to the outbox.
fn announcement(mail: &OutgoingMail, subject: &str, delivery: &Delivery) -> Option<String> {
    match delivery {
        Delivery::Written(path) => Some(format!(
            "mail to {}: {} ({})",
            mail.to.trim(),
            subject,
            path.display()
        )),
        Delivery::Relayed | Delivery::Discarded => None,
    }
}

/// What went wrong, without the relay's reply text: a refusal usually
/// quotes the recipient's address.
fn describe_smtp_error(error: &lettre::transport::smtp::Error) -> String {
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
fn root_cause(error: &lettre::transport::smtp::Error) -> String {
    let mut cause: &dyn std::error::Error = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    cause.to_string()
}

async fn run_queue(inner: Arc<Inner>, mut queue: mpsc::Receiver<OutgoingMail>) {
    while let Some(mail) = queue.recv().await {
        let inner = Arc::clone(&inner);
        // One task per mail, so that a mail waiting for its retry does not
        // hold back the ones behind it; `sends` bounds the attempts and
        // `capacity` the tasks.
        tokio::spawn(async move {
            inner.deliver(mail).await;
            inner.finish_one();
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_line_names_recipient_subject_and_file() {
        let mail = OutgoingMail::new(
            "alice@example.org",
            crate::mail::Lang::Fr,
            crate::mail::MailKind::IdentifierReminder {
                login: "alice".into(),
            },
        );
        let written = Delivery::Written(PathBuf::from("outbox/1.eml"));
        assert_eq!(
            announcement(&mail, "Sésame : votre identifiant", &written).as_deref(),
            Some("mail to alice@example.org: Sésame : votre identifiant (outbox/1.eml)")
        );
        assert_eq!(announcement(&mail, "x", &Delivery::Relayed), None);
    }

    #[test]
    fn recipient_hash_ignores_case_and_reveals_nothing_readable() {
        let hash = recipient_hash(" Camille.Serve@Example.org ");
        assert_eq!(hash, recipient_hash("camille.serve@example.org"));
        assert_eq!(hash.len(), 12);
        assert!(!hash.contains("camille"));
    }
}
