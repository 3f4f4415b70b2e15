//! The [`Mailer`]: a bounded queue in front of the transport, drained by a
//! background task, so that a request never waits for (nor reveals by its
//! timing) a mail. Transient failures (a relay answering 4xx, a relay that
//! cannot be reached) are retried with exponential backoff; permanent ones
//! (5xx) are logged and given up. Every outcome is logged with the template
//! name and a short hash of the recipient; the address, the body and any SMTP
//! reply text (which often quotes the address) never reach a log line.
//!
//! Composition is separate from sending ([`Mailer::prepare`], then
//! [`Mailer::send_prepared`]) so that a flow learns that a mail cannot be
//! built BEFORE it stores the code or temporary password the mail carries.
//! Every value is checked before lettre sees it (lettre panics on some, such
//! as a line break in a display name), and a panic in composition is caught
//! as a last resort. Each queued mail holds a [`PendingSlot`] that gives its
//! place in the queue back when dropped: on success, on failure, and while
//! a panicking task unwinds, so that no mail can leak a slot.

use super::settings::{MailSettings, MailTransportKind, SmtpSecurity};
use super::{render, MailBranding, MailProgress, OutgoingMail};
use anyhow::Context as _;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use passerelle_domain::mail::{MailFailure, MailWatch};
use passerelle_text::safe_text::{self, MAX_NAME_CHARS, MAX_SUBJECT_CHARS};
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, Notify, Semaphore};

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
    /// Composition panicked (a value lettre does not handle slipped past
    /// the checks); caught so that it is one failed mail, not a dead task.
    #[error("composing the message failed unexpectedly")]
    ComposePanicked,
    /// `mail.queue_capacity` mails are already queued, being sent or
    /// waiting for a retry.
    #[error("the mail queue is full")]
    QueueFull,
    /// The gateway is stopping: the background sender no longer takes mail.
    #[error("the mail sender has stopped")]
    Stopped,
    /// The mail's task ended without reporting an outcome (it panicked).
    #[error("the mail was lost before its outcome was known")]
    Lost,
}

impl MailError {
    /// Whether trying again later may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            MailError::Relay { transient, .. } => *transient,
            // A full or unmounted disk can come back.
            MailError::File { .. } => true,
            MailError::InvalidRecipient
            | MailError::Render { .. }
            | MailError::Build(_)
            | MailError::ComposePanicked
            | MailError::QueueFull
            | MailError::Stopped
            | MailError::Lost => false,
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
    metrics: MailMetrics,
}

/// `{template}` of a mail (`reset_code`, `password_changed`, ...).
#[derive(Clone, Debug, Hash, PartialEq, Eq, prometheus_client::encoding::EncodeLabelSet)]
struct TemplateLabels {
    template: &'static str,
}

/// `{template, stage}` of a mail that did not leave: `compose` (it could
/// not be built), `queue` (the queue was full or stopping), `delivery`
/// (given up after its attempts).
#[derive(Clone, Debug, Hash, PartialEq, Eq, prometheus_client::encoding::EncodeLabelSet)]
struct FailureLabels {
    template: &'static str,
    stage: &'static str,
}

/// What the mailer counts (`docs/metrics.md`).
#[derive(Clone, Debug, Default)]
struct MailMetrics {
    queued: prometheus_client::metrics::family::Family<
        TemplateLabels,
        prometheus_client::metrics::counter::Counter,
    >,
    sent: prometheus_client::metrics::family::Family<
        TemplateLabels,
        prometheus_client::metrics::counter::Counter,
    >,
    failed: prometheus_client::metrics::family::Family<
        FailureLabels,
        prometheus_client::metrics::counter::Counter,
    >,
    retries: prometheus_client::metrics::counter::Counter,
    pending: prometheus_client::metrics::gauge::Gauge,
}

/// The stages of `passerelle_mail_failed_total{stage}`.
const FAILURE_STAGES: [&str; 3] = ["compose", "queue", "delivery"];

impl MailMetrics {
    /// Every known label set at zero, so that a replica that has sent
    /// nothing yet exports each family (rates, ratios and "absent" alerts
    /// then read 0, not "no data").
    fn start_at_zero(&self) {
        for &template in passerelle_domain::mail::TEMPLATE_NAMES {
            drop(self.queued.get_or_create(&TemplateLabels { template }));
            drop(self.sent.get_or_create(&TemplateLabels { template }));
            for stage in FAILURE_STAGES {
                drop(
                    self.failed
                        .get_or_create(&FailureLabels { template, stage }),
                );
            }
        }
    }

    fn failed(&self, template: &'static str, stage: &'static str) {
        self.failed
            .get_or_create(&FailureLabels { template, stage })
            .inc();
    }
}

impl passerelle_metrics::Observed for Mailer {
    fn register_metrics(&self, registry: &mut prometheus_client::registry::Registry) {
        let m = &self.inner.metrics;
        m.start_at_zero();
        registry.register(
            "mail_queued",
            "Mails put in the sending queue, by template",
            m.queued.clone(),
        );
        registry.register(
            "mail_sent",
            "Mails the relay accepted (or the file transport wrote), by template",
            m.sent.clone(),
        );
        registry.register(
            "mail_failed",
            "Mails that did not leave, by template and stage (compose, queue, delivery)",
            m.failed.clone(),
        );
        registry.register(
            "mail_retries",
            "Attempts that failed transiently and were retried",
            m.retries.clone(),
        );
        registry.register(
            "mail_pending",
            "Mails queued, being sent or waiting for a retry",
            m.pending.clone(),
        );
    }
}

/// Sends mail off the request path. Cheap to clone; every clone feeds the
/// same queue. Must be built inside a Tokio runtime (it spawns its worker);
/// the worker ends once every clone is dropped and the queue is drained.
#[derive(Clone)]
pub struct Mailer {
    inner: Arc<Inner>,
    queue: mpsc::Sender<Queued>,
}

/// A mail composed and checked by [`Mailer::prepare`]: recipient, headers
/// and both parts are final, so sending it can only fail at the relay.
/// `Debug` shows the template and the recipient's hash, nothing the mail
/// says.
pub struct PreparedMail {
    message: Message,
    /// Told of each failed attempt and of a late success (the audit).
    watcher: Option<Watcher>,
    template: &'static str,
    /// [`recipient_hash`] of the address, for logs.
    recipient: String,
    /// The checked address and the subject, for the demo's console line.
    to: String,
    subject: String,
}

/// What [`PreparedMail::watched`] is told.
type Watcher = Box<dyn Fn(MailProgress) + Send + Sync>;

impl PreparedMail {
    /// Calls `watch` on each failed attempt, on a success that followed
    /// failures and when the mail is given up (never on a first-time
    /// success), from the sending task.
    pub fn watched(mut self, watch: impl Fn(MailProgress) + Send + Sync + 'static) -> Self {
        self.watcher = Some(Box::new(watch));
        self
    }

    fn tell(&self, progress: MailProgress) {
        if let Some(watch) = &self.watcher {
            watch(progress);
        }
    }

    /// The template it was rendered from (`password_changed`, ...).
    pub fn template(&self) -> &'static str {
        self.template
    }

    /// The short hash of the recipient that logs use.
    pub fn recipient_hash(&self) -> &str {
        &self.recipient
    }
}

impl std::fmt::Debug for PreparedMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedMail")
            .field("template", &self.template)
            .field("recipient", &self.recipient)
            .finish_non_exhaustive()
    }
}

/// The final outcome of one queued mail, after its retries. A flow may
/// await it off the request path (to audit `mail_failed`) or drop it.
#[derive(Debug)]
pub struct MailReceipt(oneshot::Receiver<Result<Delivery, MailError>>);

impl MailReceipt {
    /// Waits until the mail was handed over or given up. With the default
    /// retry settings this can take minutes (exponential backoff while the
    /// relay is down). [`MailError::Lost`] if its task ended without an
    /// answer.
    pub async fn outcome(self) -> Result<Delivery, MailError> {
        self.0.await.unwrap_or(Err(MailError::Lost))
    }
}

/// One place in the queue (`mail.queue_capacity` of them). Taken before a
/// mail is queued and given back when dropped, whatever ends the mail:
/// delivery, failure, a closed queue, or the unwinding of a panicking task.
struct PendingSlot(Arc<Inner>);

impl PendingSlot {
    /// Takes a place, or `None` when every place is taken.
    fn take(inner: &Arc<Inner>) -> Option<PendingSlot> {
        let before = inner.pending.fetch_add(1, Ordering::SeqCst);
        inner.metrics.pending.inc();
        let slot = PendingSlot(Arc::clone(inner));
        // Dropping `slot` here gives the place back at once.
        (before < inner.capacity).then_some(slot)
    }
}

impl Drop for PendingSlot {
    fn drop(&mut self) {
        self.0.finish_one();
    }
}

/// What travels through the queue.
struct Queued {
    mail: PreparedMail,
    slot: PendingSlot,
    outcome: oneshot::Sender<Result<Delivery, MailError>>,
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
            metrics: MailMetrics::default(),
        });
        let (queue, receiver) = mpsc::channel(settings.queue_capacity);
        runtime.spawn(run_queue(Arc::clone(&inner), receiver));
        Ok(Mailer { inner, queue })
    }

    /// Composes and checks one mail now, on the caller's task, without
    /// queueing it: the recipient must parse, the name and subject are made
    /// one safe line, the templates must render. Call it BEFORE storing
    /// anything the mail carries (a code, a temporary password): an `Err`
    /// means the mail can never leave, so nothing should depend on it.
    ///
    /// # Errors
    /// [`MailError::InvalidRecipient`], [`MailError::Render`],
    /// [`MailError::Build`], or [`MailError::ComposePanicked`]. Each is
    /// logged here (template and recipient hash, never the address or the
    /// body); the caller audits the outcome.
    pub fn prepare(&self, mail: OutgoingMail) -> Result<PreparedMail, MailError> {
        let template = mail.kind.template_name();
        let recipient = recipient_hash(&mail.to);
        let prepared = self.inner.compose_guarded(&mail);
        if let Err(error) = &prepared {
            self.inner.metrics.failed(template, "compose");
            tracing::error!(template, recipient, %error, "mail not composed, not sent");
        }
        prepared
    }

    /// Queues a prepared mail and returns at once; the mail leaves off the
    /// request path, with retries. The receipt tells the final outcome to a
    /// caller that wants it (e.g. to audit `mail_failed`); dropping it is
    /// fine.
    ///
    /// # Errors
    /// [`MailError::QueueFull`] when `mail.queue_capacity` mails are
    /// already pending, [`MailError::Stopped`] when the gateway is
    /// stopping. Both are logged here; the mail is dropped.
    pub fn send_prepared(&self, mail: PreparedMail) -> Result<MailReceipt, MailError> {
        let template = mail.template;
        let recipient = mail.recipient.clone();
        let refuse = |error: MailError| {
            self.inner.metrics.failed(template, "queue");
            tracing::error!(template, recipient, %error, "mail dropped");
            Err(error)
        };
        let Some(slot) = PendingSlot::take(&self.inner) else {
            return refuse(MailError::QueueFull);
        };
        let (outcome, receipt) = oneshot::channel();
        // On failure the item comes back inside the error and is dropped
        // here, and its slot with it.
        match self.queue.try_send(Queued {
            mail,
            slot,
            outcome,
        }) {
            Ok(()) => {
                self.inner
                    .metrics
                    .queued
                    .get_or_create(&TemplateLabels { template })
                    .inc();
                Ok(MailReceipt(receipt))
            }
            Err(mpsc::error::TrySendError::Full(_)) => refuse(MailError::QueueFull),
            Err(mpsc::error::TrySendError::Closed(_)) => refuse(MailError::Stopped),
        }
    }

    /// Prepares and queues a mail, and returns at once: [`Mailer::prepare`]
    /// then [`Mailer::send_prepared`], for a flow that has nothing to undo
    /// when the mail cannot go. Every failure is only logged.
    pub fn send(&self, mail: OutgoingMail) {
        if let Ok(prepared) = self.prepare(mail) {
            // Already logged by `send_prepared`; this caller does not audit.
            let _ = self.send_prepared(prepared);
        }
    }

    /// Renders and sends one mail now, once, without the queue. For
    /// operator commands (`passerelle check`), not for request handlers.
    pub async fn send_now(&self, mail: &OutgoingMail) -> Result<Delivery, MailError> {
        let prepared = self.inner.compose_guarded(mail)?;
        let delivery = self.inner.transmit(&prepared.message).await?;
        self.inner.announce(&prepared, &delivery);
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

impl Inner {
    fn finish_one(&self) {
        self.metrics.pending.dec();
        if self.pending.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.idle.notify_waiters();
        }
    }

    /// [`Inner::compose`], with a panic inside lettre turned into an
    /// error: the checks in `compose` should make it impossible, and if one
    /// is missed the mail fails alone instead of the task that sends it.
    fn compose_guarded(&self, mail: &OutgoingMail) -> Result<PreparedMail, MailError> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.compose(mail)))
            .unwrap_or(Err(MailError::ComposePanicked))
    }

    fn compose(&self, mail: &OutgoingMail) -> Result<PreparedMail, MailError> {
        let template = mail.kind.template_name();
        let recipient = recipient_hash(&mail.to);
        // Flows pass addresses read through `Person::from_entry`, already
        // checked; checked again because the type cannot say so.
        let to = safe_text::mail_address(&mail.to).ok_or(MailError::InvalidRecipient)?;
        let address = to.parse().map_err(|_| MailError::InvalidRecipient)?;
        // A line break in a display name makes lettre panic while it
        // encodes the `To:` header; an overlong one is no name.
        let name = mail
            .name
            .as_deref()
            .and_then(|n| safe_text::single_line_opt(n, MAX_NAME_CHARS));
        let mailbox = Mailbox::new(name, address);
        let rendered = render(&self.branding, mail)
            .map_err(|source| MailError::Render { template, source })?;
        let subject = safe_text::single_line(&rendered.subject, MAX_SUBJECT_CHARS);
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(mailbox)
            .subject(subject.clone())
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
        Ok(PreparedMail {
            message,
            watcher: None,
            template,
            recipient,
            to,
            subject,
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
    fn announce(&self, mail: &PreparedMail, delivery: &Delivery) {
        if self.announce_files {
            if let Some(line) = announcement(&mail.to, &mail.subject, delivery) {
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

    /// Sends a prepared mail, retrying transient failures, and logs the
    /// outcome.
    async fn deliver(&self, mail: &PreparedMail) -> Result<Delivery, MailError> {
        let template = mail.template;
        let recipient = mail.recipient.as_str();
        let mut attempt = 1;
        loop {
            match self.transmit(&mail.message).await {
                Ok(delivery) => {
                    match &delivery {
                        Delivery::Discarded => tracing::info!(
                            template,
                            recipient,
                            "mail discarded (mail.transport = none)"
                        ),
                        _ => tracing::info!(template, recipient, attempt, "mail sent"),
                    }
                    if attempt > 1 {
                        mail.tell(MailProgress::SentAfterRetry { attempt });
                    }
                    self.announce(mail, &delivery);
                    self.metrics
                        .sent
                        .get_or_create(&TemplateLabels { template })
                        .inc();
                    return Ok(delivery);
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
                    self.metrics.retries.inc();
                    mail.tell(MailProgress::Deferred { attempt });
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                Err(error) => {
                    tracing::error!(template, recipient, attempt, %error, "mail given up");
                    self.metrics.failed(template, "delivery");
                    mail.tell(MailProgress::GivenUp { attempt });
                    return Err(error);
                }
            }
        }
    }
}

/// The line the demo prints for a mail written to the outbox.
fn announcement(to: &str, subject: &str, delivery: &Delivery) -> Option<String> {
    match delivery {
        Delivery::Written(path) => {
            Some(format!("mail to {}: {} ({})", to, subject, path.display()))
        }
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

async fn run_queue(inner: Arc<Inner>, mut queue: mpsc::Receiver<Queued>) {
    while let Some(queued) = queue.recv().await {
        let inner = Arc::clone(&inner);
        // One task per mail, so that a mail waiting for its retry does not
        // hold back the ones behind it; `sends` bounds the attempts and
        // `capacity` the tasks. The slot lives as long as the task: it is
        // given back when the task ends, also by a panic.
        tokio::spawn(async move {
            let Queued {
                mail,
                slot,
                outcome,
            } = queued;
            let result = inner.deliver(&mail).await;
            // The caller may have dropped its receipt: nobody to tell.
            let _ = outcome.send(result);
            drop(slot);
        });
    }
}

/// The mailer as the domain uses it: a composed mail travels through the
/// domain as an opaque [`passerelle_domain::mail::PreparedMail`].
impl passerelle_domain::mail::Mailer for Mailer {
    fn prepare(
        &self,
        mail: OutgoingMail,
    ) -> Result<passerelle_domain::mail::PreparedMail, MailFailure> {
        let prepared = Mailer::prepare(self, mail).map_err(|error| failure(&error))?;
        Ok(passerelle_domain::mail::PreparedMail::new(
            prepared.template(),
            prepared,
        ))
    }

    fn send(
        &self,
        mail: passerelle_domain::mail::PreparedMail,
        watch: Option<MailWatch>,
    ) -> Result<(), MailFailure> {
        let mut prepared: PreparedMail = mail.into_payload().ok_or(MailFailure::NotComposed)?;
        if let Some(watch) = watch {
            prepared.watcher = Some(watch);
        }
        self.send_prepared(prepared)
            .map(|_| ())
            .map_err(|error| failure(&error))
    }
}

/// What the domain hears of a mail error (the adapter logged the rest).
fn failure(error: &MailError) -> MailFailure {
    match error {
        MailError::InvalidRecipient => MailFailure::InvalidRecipient,
        MailError::QueueFull => MailFailure::QueueFull,
        MailError::Stopped => MailFailure::Stopped,
        _ => MailFailure::NotComposed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_line_names_recipient_subject_and_file() {
        let written = Delivery::Written(PathBuf::from("outbox/1.eml"));
        assert_eq!(
            announcement("alice@example.org", "Sésame : votre identifiant", &written).as_deref(),
            Some("mail to alice@example.org: Sésame : votre identifiant (outbox/1.eml)")
        );
        assert_eq!(
            announcement("alice@example.org", "x", &Delivery::Relayed),
            None
        );
    }

    #[test]
    fn recipient_hash_ignores_case_and_reveals_nothing_readable() {
        let hash = recipient_hash(" Camille.Serve@Example.org ");
        assert_eq!(hash, recipient_hash("camille.serve@example.org"));
        assert_eq!(hash.len(), 12);
        assert!(!hash.contains("camille"));
    }
}
