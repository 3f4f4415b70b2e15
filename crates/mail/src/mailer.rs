//! The [`Mailer`]: mails accepted on disk (the [`crate::spool`]), then
//! sent off the request path by one task each, so that a request never
//! waits for (nor reveals by its timing) a relay. Transient failures (a
//! relay answering 4xx, a relay that cannot be reached) are retried with
//! exponential backoff until `mail.give_up_after_seconds` after the mail
//! was accepted, across restarts; permanent ones (5xx) are given up at
//! once. A mail's file is removed right after the relay's 250 (or when it
//! is given up). Every outcome is logged with the template name and a
//! short hash of the recipient; the address, the body and any SMTP reply
//! text (which often quotes the address) never reach a log line.
//!
//! Composition is separate from sending ([`Mailer::prepare`], then
//! [`Mailer::send_prepared`]) so that a flow learns that a mail cannot be
//! built BEFORE it stores the code or temporary password the mail carries.
//! Every value is checked before lettre sees it (lettre panics on some, such
//! as a line break in a display name), and a panic in composition is caught
//! as a last resort. Each accepted mail holds a [`PendingSlot`] that gives
//! its place back when dropped: on success, on failure, and while a
//! panicking task unwinds, so that no mail can leak a slot.
//!
//! Mails go to the relay over kept connections ([`crate::relay`]), at most
//! `mail.max_concurrent_sends` at once, the mails a person waits for first
//! ([`crate::sends`]).

use super::relay::Relay;
use super::sends::Sends;
use super::settings::{MailSettings, MailTransportKind};
use super::spool::{MailHeader, Record, RecordId, Spool, SpoolKey};
use super::{render, MailBranding, MailProgress, OutgoingMail};
use lettre::address::Envelope;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncTransport, Message, Tokio1Executor};
use passerelle_domain::mail::{LeftOver, MailFailure, MailKind, MailWatch};
use passerelle_text::safe_text::{self, MAX_NAME_CHARS, MAX_SUBJECT_CHARS};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use tokio::sync::{oneshot, Notify};

/// The longest wait between two attempts, whatever the base and the count:
/// once the relay is back, no mail waits longer than this to leave.
const MAX_BACKOFF: Duration = Duration::from_secs(600);

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
        /// The relay's reply code, when it answered (`451`, `550`...).
        status: Option<String>,
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
    /// `mail.queue_capacity` mails are already accepted and not delivered.
    #[error("the mail queue is full")]
    QueueFull,
    /// The spool did not take the mail (a full or failing disk): it was
    /// not accepted.
    #[error("the mail could not be kept in the spool: {0}")]
    Spool(std::io::Error),
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
            | MailError::Spool(_)
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
    Smtp(Arc<Relay>),
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
    max_attempts: Option<u32>,
    give_up_after: Duration,
    retry_base: Duration,
    capacity: usize,
    /// Mails accepted and not yet delivered or given up, and promises.
    pending: AtomicUsize,
    idle: Notify,
    /// Bounds simultaneous attempts (and the connections kept), the mails
    /// a person waits for first.
    sends: Arc<Sends>,
    /// Where accepted mails wait; none for the commands' mailers and with
    /// `transport = "none"`.
    spool: Option<Arc<Spool>>,
    /// What the spool held at start, until the domain takes it.
    left_over: Mutex<Vec<Found>>,
    runtime: tokio::runtime::Handle,
    metrics: MailMetrics,
}

/// A record found at start, its place in the queue taken.
enum Found {
    Promise {
        id: RecordId,
        accepted_at: SystemTime,
        note: Vec<u8>,
        slot: PendingSlot,
    },
    Mail {
        id: RecordId,
        letter: Letter,
        held: bool,
        note: Option<Vec<u8>>,
        slot: PendingSlot,
    },
}

/// `{template}` of a mail (`reset_code`, `password_changed`, ...).
#[derive(Clone, Debug, Hash, PartialEq, Eq, prometheus_client::encoding::EncodeLabelSet)]
struct TemplateLabels {
    template: &'static str,
}

/// `{template, stage}` of a mail that did not leave: `compose` (it could
/// not be built), `queue` (the queue was full, the spool refused it, or
/// the sender was stopping), `delivery` (given up).
#[derive(Clone, Debug, Hash, PartialEq, Eq, prometheus_client::encoding::EncodeLabelSet)]
struct FailureLabels {
    template: &'static str,
    stage: &'static str,
}

/// Buckets (seconds) of one spool write: a synced write takes a fraction
/// of a millisecond on an idle SSD and tens of milliseconds on a busy
/// shared disk.
const SPOOL_WRITE_BUCKETS: [f64; 12] = [
    0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0,
];

/// What the mailer counts (`docs/metrics.md`).
#[derive(Clone, Debug)]
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
    /// Seconds to put one record on disk (written, synced, renamed, the
    /// directory synced).
    spool_writes: prometheus_client::metrics::histogram::Histogram,
}

impl Default for MailMetrics {
    fn default() -> Self {
        MailMetrics {
            queued: Default::default(),
            sent: Default::default(),
            failed: Default::default(),
            retries: Default::default(),
            pending: Default::default(),
            spool_writes: prometheus_client::metrics::histogram::Histogram::new(
                SPOOL_WRITE_BUCKETS,
            ),
        }
    }
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

/// The spool's depth and its oldest record's age, read at each scrape.
#[derive(Debug)]
struct SpoolGauges(Option<Arc<Spool>>);

impl prometheus_client::collector::Collector for SpoolGauges {
    fn encode(
        &self,
        mut encoder: prometheus_client::encoding::DescriptorEncoder,
    ) -> Result<(), std::fmt::Error> {
        use prometheus_client::encoding::EncodeMetric as _;
        use prometheus_client::metrics::gauge::ConstGauge;
        let (depth, oldest) = match &self.0 {
            Some(spool) => (spool.depth() as i64, spool.oldest_age().as_secs_f64()),
            None => (0, 0.0),
        };
        let gauge = ConstGauge::new(depth);
        gauge.encode(encoder.encode_descriptor(
            "mail_spool_depth",
            "Records in the mail spool: mails accepted and not yet delivered, and requests being decided",
            None,
            gauge.metric_type(),
        )?)?;
        let gauge = ConstGauge::new(oldest);
        gauge.encode(encoder.encode_descriptor(
            "mail_spool_oldest_seconds",
            "Age of the oldest record in the mail spool (0 when it is empty)",
            None,
            gauge.metric_type(),
        )?)?;
        Ok(())
    }
}

impl passerelle_metrics::Observed for Mailer {
    fn register_metrics(&self, registry: &mut prometheus_client::registry::Registry) {
        let m = &self.inner.metrics;
        m.start_at_zero();
        registry.register(
            "mail_queued",
            "Mails accepted for sending, by template",
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
            "Mails accepted and not yet delivered (queued, being sent, waiting for a retry), and requests being decided",
            m.pending.clone(),
        );
        registry.register(
            "mail_spool_write_seconds",
            "Time to put one mail or request on disk in the spool (written and synced)",
            m.spool_writes.clone(),
        );
        registry.register_collector(Box::new(SpoolGauges(self.inner.spool.clone())));
    }
}

/// Sends mail off the request path. Cheap to clone; every clone feeds the
/// same queue. Must be built inside a Tokio runtime (it spawns its tasks).
#[derive(Clone)]
pub struct Mailer {
    inner: Arc<Inner>,
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

/// A mail as it goes to the relay: its envelope and bytes, and what logs
/// and the demo's console line say of it.
struct Letter {
    template: &'static str,
    recipient: String,
    to: String,
    subject: String,
    envelope: Envelope,
    message: Vec<u8>,
    /// When it was accepted (its promise's time for a code): the age at
    /// which it is given up runs from here.
    accepted_at: SystemTime,
}

impl Letter {
    fn of(mail: PreparedMail, accepted_at: SystemTime) -> (Letter, Option<Watcher>) {
        let letter = Letter {
            template: mail.template,
            envelope: mail.message.envelope().clone(),
            message: mail.message.formatted(),
            recipient: mail.recipient,
            to: mail.to,
            subject: mail.subject,
            accepted_at,
        };
        (letter, mail.watcher)
    }

    /// A mail read back from the spool; `None` when its envelope no longer
    /// parses (it was written by this code: never in practice).
    fn from_record(
        header: MailHeader,
        message: Vec<u8>,
        accepted_at: SystemTime,
    ) -> Option<Letter> {
        let from = match header.envelope_from {
            Some(from) => Some(from.parse().ok()?),
            None => None,
        };
        let to = header
            .envelope_to
            .iter()
            .map(|to| to.parse().ok())
            .collect::<Option<Vec<_>>>()?;
        Some(Letter {
            template: MailKind::TEMPLATES
                .iter()
                .find(|t| **t == header.template)
                .copied()
                .unwrap_or("unknown"),
            recipient: header.recipient,
            to: header.to,
            subject: header.subject,
            envelope: Envelope::new(from, to).ok()?,
            message,
            accepted_at,
        })
    }

    fn record(&self, held: bool, note: Option<Vec<u8>>) -> Record {
        Record::Mail {
            accepted_at: self.accepted_at,
            header: MailHeader {
                template: self.template.to_owned(),
                recipient: self.recipient.clone(),
                to: self.to.clone(),
                subject: self.subject.clone(),
                envelope_from: self.envelope.from().map(|a| a.to_string()),
                envelope_to: self.envelope.to().iter().map(|a| a.to_string()).collect(),
                held,
            },
            note,
            message: self.message.clone(),
        }
    }

    /// A person waits for it on a page: it goes first.
    fn awaited(&self) -> bool {
        MailKind::is_awaited_template(self.template)
    }

    fn age(&self) -> Duration {
        SystemTime::now()
            .duration_since(self.accepted_at)
            .unwrap_or_default()
    }
}

/// The final outcome of one accepted mail, after its retries. A flow may
/// await it off the request path or drop it.
#[derive(Debug)]
pub struct MailReceipt(oneshot::Receiver<Result<Delivery, MailError>>);

impl MailReceipt {
    /// Waits until the mail was handed over or given up. While the relay
    /// is down this can take as long as `mail.give_up_after_seconds`.
    /// [`MailError::Lost`] if its task ended without an answer.
    pub async fn outcome(self) -> Result<Delivery, MailError> {
        self.0.await.unwrap_or(Err(MailError::Lost))
    }
}

/// One place in the queue (`mail.queue_capacity` of them). Taken before a
/// mail or a promise is accepted and given back when dropped, whatever
/// ends it: delivery, failure, withdrawal, or the unwinding of a panicking
/// task.
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

    /// Takes a place even beyond the capacity: for what a previous run
    /// accepted, which is never dropped.
    fn force(inner: &Arc<Inner>) -> PendingSlot {
        inner.pending.fetch_add(1, Ordering::SeqCst);
        inner.metrics.pending.inc();
        PendingSlot(Arc::clone(inner))
    }
}

impl Drop for PendingSlot {
    fn drop(&mut self) {
        self.0.finish_one();
    }
}

/// A mail on its way: what its task owns.
struct Job {
    letter: Letter,
    /// Its record in the spool, removed once it is delivered or given up.
    record: Option<RecordId>,
    watcher: Option<Watcher>,
    slot: PendingSlot,
    outcome: Option<oneshot::Sender<Result<Delivery, MailError>>>,
}

/// The adapter's side of a [`passerelle_domain::mail::MailPromise`].
struct Promised {
    id: Option<RecordId>,
    accepted_at: SystemTime,
    slot: PendingSlot,
}

/// The adapter's side of a [`passerelle_domain::mail::HeldMail`] and of a
/// [`passerelle_domain::mail::SpooledMail`].
struct Kept {
    id: Option<RecordId>,
    letter: Letter,
    slot: PendingSlot,
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
    /// file and the CA file now, so a mistake shows at start-up), without a
    /// spool: accepted mails live in memory only. For the commands
    /// (`check`, `notify-expiring`) and the mailer's own tests; the server
    /// uses [`Mailer::build_spooled`].
    pub fn build(settings: &MailSettings, branding: MailBranding) -> anyhow::Result<Mailer> {
        Self::assemble(settings, branding, None)
    }

    /// [`Mailer::build`] with the spool at `mail.spool_directory`, sealed
    /// with `key`: opened and locked for this gateway (an error when
    /// another gateway holds it), and read. What a previous run left waits
    /// for the domain ([`passerelle_domain::steps::mailing::recover`]).
    /// With `transport = "none"` there is nothing to keep and no spool.
    pub fn build_spooled(
        settings: &MailSettings,
        branding: MailBranding,
        key: SpoolKey,
    ) -> anyhow::Result<Mailer> {
        settings.validate()?;
        let spool = match settings.transport {
            MailTransportKind::None => None,
            _ => Some(Arc::new(Spool::open(&settings.spool_directory, key)?)),
        };
        let mailer = Self::assemble(settings, branding, spool.clone())?;
        if let Some(spool) = spool {
            let found = spool.scan()?;
            if found.unreadable > 0 {
                tracing::error!(
                    unreadable = found.unreadable,
                    directory = %spool.directory().display(),
                    "spool records that do not open with this gateway's key (secrets.code_key changed?) are set aside as *.unreadable and never sent"
                );
            }
            let mut left = Vec::new();
            for (id, record) in found.records {
                let slot = PendingSlot::force(&mailer.inner);
                match record {
                    Record::Promise { accepted_at, note } => left.push(Found::Promise {
                        id,
                        accepted_at,
                        note,
                        slot,
                    }),
                    Record::Mail {
                        accepted_at,
                        header,
                        note,
                        message,
                    } => {
                        let held = header.held;
                        match Letter::from_record(header, message, accepted_at) {
                            Some(letter) => left.push(Found::Mail {
                                id,
                                letter,
                                held,
                                note,
                                slot,
                            }),
                            None => {
                                tracing::error!(record = %id, "a spooled mail's envelope does not parse; left in the spool")
                            }
                        }
                    }
                }
            }
            if !left.is_empty() {
                tracing::info!(
                    records = left.len(),
                    directory = %spool.directory().display(),
                    "the spool holds what the previous run accepted: it is sent on"
                );
            }
            *mailer.inner.left_over() = left;
        }
        Ok(mailer)
    }

    fn assemble(
        settings: &MailSettings,
        branding: MailBranding,
        spool: Option<Arc<Spool>>,
    ) -> anyhow::Result<Mailer> {
        settings.validate()?;
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|_| anyhow::anyhow!("the mailer must be built inside a Tokio runtime"))?;
        let from = settings.from_mailbox()?;
        let reply_to = settings.reply_to_mailbox()?;
        let port = settings.smtp_port();
        let relay = format!("{}:{} ({})", settings.host, port, settings.security);
        let transport = match settings.transport {
            MailTransportKind::Smtp => Transport::Smtp(Relay::new(settings, port)?),
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
            give_up_after: Duration::from_secs(settings.give_up_after_seconds),
            retry_base: Duration::from_secs_f64(settings.retry_base_seconds),
            capacity: settings.queue_capacity,
            pending: AtomicUsize::new(0),
            idle: Notify::new(),
            sends: Sends::new(settings.max_concurrent_sends),
            spool,
            left_over: Mutex::new(Vec::new()),
            runtime,
            metrics: MailMetrics::default(),
        });
        Ok(Mailer { inner })
    }

    /// The spool's directory, when this mailer keeps one.
    pub fn spool_directory(&self) -> Option<&Path> {
        self.inner.spool.as_deref().map(Spool::directory)
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

    /// Accepts a prepared mail: in the spool (written and synced) when
    /// this returns, then sent off the request path, with retries. The
    /// receipt tells the final outcome to a caller that wants it; dropping
    /// it is fine.
    ///
    /// # Errors
    /// [`MailError::QueueFull`] when `mail.queue_capacity` mails are
    /// already pending, [`MailError::Spool`] when the spool does not take
    /// it. Both are logged here; the mail is dropped.
    pub async fn send_prepared(&self, mail: PreparedMail) -> Result<MailReceipt, MailError> {
        self.accept(mail, None).await
    }

    async fn accept(
        &self,
        mail: PreparedMail,
        note: Option<Vec<u8>>,
    ) -> Result<MailReceipt, MailError> {
        let template = mail.template;
        let Some(slot) = PendingSlot::take(&self.inner) else {
            return self.refuse(template, &mail.recipient, MailError::QueueFull);
        };
        self.accept_in(mail, note, slot).await
    }

    async fn accept_in(
        &self,
        mail: PreparedMail,
        note: Option<Vec<u8>>,
        slot: PendingSlot,
    ) -> Result<MailReceipt, MailError> {
        let (letter, watcher) = Letter::of(mail, SystemTime::now());
        let record = match &self.inner.spool {
            Some(_) => {
                let id = RecordId::random();
                if let Err(error) = self.inner.write(&id, letter.record(false, note)).await {
                    return self.refuse(letter.template, &letter.recipient, error);
                }
                Some(id)
            }
            None => None,
        };
        let (outcome, receipt) = oneshot::channel();
        self.inner.counted(letter.template);
        self.inner.start(Job {
            letter,
            record,
            watcher,
            slot,
            outcome: Some(outcome),
        });
        Ok(MailReceipt(receipt))
    }

    fn refuse<T>(
        &self,
        template: &'static str,
        recipient: &str,
        error: MailError,
    ) -> Result<T, MailError> {
        self.inner.metrics.failed(template, "queue");
        tracing::error!(template, recipient, %error, "mail dropped");
        Err(error)
    }

    /// Prepares and accepts a mail, and returns at once (the spool write
    /// happens on the mail's task): for a caller that has nothing to undo
    /// when the mail cannot go, and says nothing of it. Every failure is
    /// only logged.
    pub fn send(&self, mail: OutgoingMail) {
        let Ok(prepared) = self.prepare(mail) else {
            return;
        };
        let Some(slot) = PendingSlot::take(&self.inner) else {
            let _ = self.refuse::<()>(prepared.template, &prepared.recipient, MailError::QueueFull);
            return;
        };
        let mailer = self.clone();
        self.inner.runtime.spawn(async move {
            // Already logged when refused; this caller does not audit.
            let _ = mailer.accept_in(prepared, None, slot).await;
        });
    }

    /// Renders and sends one mail now, once, without the queue nor the
    /// spool. For operator commands (`passerelle check`), not for request
    /// handlers.
    pub async fn send_now(&self, mail: &OutgoingMail) -> Result<Delivery, MailError> {
        let prepared = self.inner.compose_guarded(mail)?;
        let (letter, _) = Letter::of(prepared, SystemTime::now());
        let delivery = self.inner.transmit(&letter).await?;
        self.inner.announce(&letter, &delivery);
        Ok(delivery)
    }

    /// Connects to the relay and greets it (EHLO, STARTTLS or TLS, AUTH as
    /// configured, then NOOP), for `passerelle check`. With the `file`
    /// transport, checks that the directory takes a file.
    pub async fn check_relay(&self) -> anyhow::Result<()> {
        match &self.inner.transport {
            Transport::Smtp(relay) => relay.check().await,
            Transport::File { directory, .. } => {
                tempfile::NamedTempFile::new_in(directory).map_err(|e| {
                    anyhow::anyhow!("cannot write mail files into {}: {e}", directory.display())
                })?;
                Ok(())
            }
            Transport::Disabled => Ok(()),
        }
    }

    /// Mails accepted and not yet delivered or given up, and promises.
    pub fn pending(&self) -> usize {
        self.inner.pending.load(Ordering::SeqCst)
    }

    /// Connections kept open to the relay now (tests).
    pub fn relay_connections(&self) -> usize {
        match &self.inner.transport {
            Transport::Smtp(relay) => relay.kept_count(),
            _ => 0,
        }
    }

    /// Waits until no mail is pending, or the timeout passes (graceful
    /// shutdown, tests). Returns whether the queue is empty. What is still
    /// pending stays in the spool, for the next start.
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

    // ------------------------------------------- the domain's three records

    async fn promise(&self, note: Vec<u8>) -> Result<Promised, MailError> {
        let Some(slot) = PendingSlot::take(&self.inner) else {
            return self.refuse("request", "-", MailError::QueueFull);
        };
        let accepted_at = SystemTime::now();
        let id = match &self.inner.spool {
            Some(_) => {
                let id = RecordId::random();
                let record = Record::Promise { accepted_at, note };
                if let Err(error) = self.inner.write(&id, record).await {
                    return self.refuse("request", "-", error);
                }
                Some(id)
            }
            None => None,
        };
        Ok(Promised {
            id,
            accepted_at,
            slot,
        })
    }

    async fn hold(
        &self,
        promised: Promised,
        mail: PreparedMail,
        note: Vec<u8>,
    ) -> Result<Kept, (Promised, MailError)> {
        let (letter, _) = Letter::of(mail, promised.accepted_at);
        if let Some(id) = &promised.id {
            if let Err(error) = self.inner.write(id, letter.record(true, Some(note))).await {
                self.inner.metrics.failed(letter.template, "queue");
                tracing::error!(template = letter.template, recipient = letter.recipient, %error, "mail dropped");
                return Err((promised, error));
            }
        }
        Ok(Kept {
            id: promised.id,
            letter,
            slot: promised.slot,
        })
    }

    fn release(&self, kept: Kept, watcher: Option<Watcher>) {
        self.inner.counted(kept.letter.template);
        self.inner.start(Job {
            letter: kept.letter,
            record: kept.id,
            watcher,
            slot: kept.slot,
            outcome: None,
        });
    }

    async fn withdraw(&self, id: Option<RecordId>, slot: PendingSlot) {
        if let Some(id) = id {
            self.inner.unspool(&id).await;
        }
        drop(slot);
    }
}

fn create_private_dir(directory: &std::path::Path) -> anyhow::Result<()> {
    use anyhow::Context as _;
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

    fn left_over(&self) -> std::sync::MutexGuard<'_, Vec<Found>> {
        self.left_over
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn counted(&self, template: &'static str) {
        self.metrics
            .queued
            .get_or_create(&TemplateLabels { template })
            .inc();
    }

    /// Puts `record` on disk as `id`, off the async threads.
    async fn write(&self, id: &RecordId, record: Record) -> Result<(), MailError> {
        let Some(spool) = self.spool.clone() else {
            return Ok(());
        };
        let id = id.clone();
        let started = Instant::now();
        let written = tokio::task::spawn_blocking(move || spool.write(&id, &record))
            .await
            .unwrap_or_else(|_| Err(std::io::Error::other("the spool write panicked")));
        self.metrics
            .spool_writes
            .observe(started.elapsed().as_secs_f64());
        written.map_err(MailError::Spool)
    }

    /// Removes the record `id` from the spool, off the async threads. A
    /// failure is logged: the record stays, and the next start sends it
    /// again (a duplicate rather than a loss).
    async fn unspool(&self, id: &RecordId) {
        let Some(spool) = self.spool.clone() else {
            return;
        };
        let owned = id.clone();
        let removed = tokio::task::spawn_blocking(move || spool.remove(&owned))
            .await
            .unwrap_or_else(|_| Err(std::io::Error::other("the spool removal panicked")));
        if let Err(error) = removed {
            tracing::error!(record = %id, %error, "a spooled record could not be removed; the next start handles it again");
        }
    }

    /// Starts the task of a mail: one per mail, so that a mail waiting for
    /// its retry does not hold back the ones behind it; `sends` bounds the
    /// attempts and `capacity` the tasks. The slot lives as long as the
    /// task: it is given back when the task ends, also by a panic.
    fn start(self: &Arc<Self>, job: Job) {
        let inner = Arc::clone(self);
        self.runtime.spawn(async move { inner.deliver(job).await });
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

    async fn transmit(&self, letter: &Letter) -> Result<Delivery, MailError> {
        let _slot = self.sends.acquire(letter.awaited()).await;
        match &self.transport {
            Transport::Smtp(relay) => relay
                .send(&letter.envelope, &letter.message)
                .await
                .map(|()| Delivery::Relayed),
            Transport::File {
                transport,
                directory,
            } => match transport.send_raw(&letter.envelope, &letter.message).await {
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
    fn announce(&self, letter: &Letter, delivery: &Delivery) {
        if self.announce_files {
            if let Some(line) = announcement(&letter.to, &letter.subject, delivery) {
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

    /// The wait before attempt `attempt + 1` of `letter`, or `None` when it
    /// is to be given up: its attempts are spent, or it reached
    /// `give_up_after` (the last attempt is made at that age).
    fn next_attempt(&self, attempt: u32, letter: &Letter) -> Option<Duration> {
        if self.max_attempts.is_some_and(|max| attempt >= max) {
            return None;
        }
        let left = self.give_up_after.checked_sub(letter.age())?;
        (!left.is_zero()).then(|| self.backoff(attempt).min(left))
    }

    /// Sends a mail, retrying transient failures; removes its record once
    /// the relay took it or it is given up; logs and tells the outcome.
    async fn deliver(self: Arc<Self>, job: Job) {
        let Job {
            letter,
            record,
            watcher,
            slot,
            outcome,
        } = job;
        let tell = |progress| {
            if let Some(watch) = &watcher {
                watch(progress);
            }
        };
        let template = letter.template;
        let recipient = letter.recipient.as_str();
        let mut attempt = 1;
        let result = loop {
            match self.transmit(&letter).await {
                Ok(delivery) => {
                    // Right after the 250: the one window where a crash
                    // sends it twice is as short as it can be.
                    if let Some(id) = &record {
                        self.unspool(id).await;
                    }
                    match &delivery {
                        Delivery::Discarded => tracing::info!(
                            template,
                            recipient,
                            "mail discarded (mail.transport = none)"
                        ),
                        _ => tracing::info!(template, recipient, attempt, "mail sent"),
                    }
                    if attempt > 1 {
                        tell(MailProgress::SentAfterRetry { attempt });
                    }
                    self.announce(&letter, &delivery);
                    self.metrics
                        .sent
                        .get_or_create(&TemplateLabels { template })
                        .inc();
                    break Ok(delivery);
                }
                Err(error) if error.is_transient() => match self.next_attempt(attempt, &letter) {
                    Some(delay) => {
                        tracing::warn!(
                            template,
                            recipient,
                            attempt,
                            retry_in_ms = delay.as_millis() as u64,
                            %error,
                            "mail attempt failed, will retry"
                        );
                        self.metrics.retries.inc();
                        tell(MailProgress::Deferred { attempt });
                        tokio::time::sleep(delay).await;
                        attempt += 1;
                    }
                    None => break self.given_up(&letter, &record, attempt, error, &tell).await,
                },
                Err(error) => break self.given_up(&letter, &record, attempt, error, &tell).await,
            }
        };
        // The caller may have dropped its receipt: nobody to tell.
        if let Some(outcome) = outcome {
            let _ = outcome.send(result);
        }
        drop(slot);
    }

    async fn given_up(
        &self,
        letter: &Letter,
        record: &Option<RecordId>,
        attempt: u32,
        error: MailError,
        tell: &impl Fn(MailProgress),
    ) -> Result<Delivery, MailError> {
        let (template, recipient) = (letter.template, letter.recipient.as_str());
        let age_s = letter.age().as_secs();
        tracing::error!(template, recipient, attempt, age_s, %error, "mail given up");
        if let Some(id) = record {
            self.unspool(id).await;
        }
        self.metrics.failed(template, "delivery");
        tell(MailProgress::GivenUp { attempt });
        Err(error)
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

/// The mailer as the domain uses it: a composed mail travels through the
/// domain as an opaque [`passerelle_domain::mail::PreparedMail`], the
/// spool's records as opaque tokens.
#[async_trait::async_trait]
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

    async fn send(
        &self,
        mail: passerelle_domain::mail::PreparedMail,
        note: Option<Vec<u8>>,
        watch: Option<MailWatch>,
    ) -> Result<(), MailFailure> {
        let mut prepared: PreparedMail = mail.into_payload().ok_or(MailFailure::NotComposed)?;
        if let Some(watch) = watch {
            prepared.watcher = Some(watch);
        }
        self.accept(prepared, note)
            .await
            .map(|_| ())
            .map_err(|error| failure(&error))
    }

    async fn promise(
        &self,
        note: Vec<u8>,
    ) -> Result<passerelle_domain::mail::MailPromise, MailFailure> {
        Mailer::promise(self, note)
            .await
            .map(passerelle_domain::mail::MailPromise::new)
            .map_err(|error| failure(&error))
    }

    async fn hold(
        &self,
        promise: passerelle_domain::mail::MailPromise,
        mail: passerelle_domain::mail::PreparedMail,
        note: Vec<u8>,
    ) -> Result<passerelle_domain::mail::HeldMail, MailFailure> {
        let promised: Promised = promise.into_payload().ok_or(MailFailure::NotComposed)?;
        let Some(prepared) = mail.into_payload::<PreparedMail>() else {
            self.withdraw(promised.id, promised.slot).await;
            return Err(MailFailure::NotComposed);
        };
        match Mailer::hold(self, promised, prepared, note).await {
            Ok(kept) => Ok(passerelle_domain::mail::HeldMail::new(kept)),
            Err((promised, error)) => {
                // Nothing will be stored for it: the promise goes too.
                self.withdraw(promised.id, promised.slot).await;
                Err(failure(&error))
            }
        }
    }

    fn release(&self, held: passerelle_domain::mail::HeldMail, watch: Option<MailWatch>) {
        if let Some(kept) = held.into_payload::<Kept>() {
            Mailer::release(self, kept, watch);
        }
    }

    fn reopen(
        &self,
        held: passerelle_domain::mail::HeldMail,
    ) -> passerelle_domain::mail::MailPromise {
        match held.into_payload::<Kept>() {
            Some(kept) => passerelle_domain::mail::MailPromise::new(Promised {
                id: kept.id,
                accepted_at: kept.letter.accepted_at,
                slot: kept.slot,
            }),
            // Not this mailer's: a promise nothing can hold.
            None => passerelle_domain::mail::MailPromise::new(()),
        }
    }

    async fn withdraw_promise(&self, promise: passerelle_domain::mail::MailPromise) {
        if let Some(promised) = promise.into_payload::<Promised>() {
            self.withdraw(promised.id, promised.slot).await;
        }
    }

    async fn withdraw_held(&self, held: passerelle_domain::mail::HeldMail) {
        if let Some(kept) = held.into_payload::<Kept>() {
            self.withdraw(kept.id, kept.slot).await;
        }
    }

    fn left_over(&self) -> Vec<LeftOver> {
        let found = std::mem::take(&mut *self.inner.left_over());
        found
            .into_iter()
            .map(|found| match found {
                Found::Promise {
                    id,
                    accepted_at,
                    note,
                    slot,
                } => LeftOver::Promise {
                    promise: passerelle_domain::mail::MailPromise::new(Promised {
                        id: Some(id),
                        accepted_at,
                        slot,
                    }),
                    note,
                },
                Found::Mail {
                    id,
                    letter,
                    held: true,
                    note,
                    slot,
                } => LeftOver::Held {
                    held: passerelle_domain::mail::HeldMail::new(Kept {
                        id: Some(id),
                        letter,
                        slot,
                    }),
                    note: note.unwrap_or_default(),
                },
                Found::Mail {
                    id,
                    letter,
                    held: false,
                    note,
                    slot,
                } => LeftOver::OnItsWay {
                    mail: passerelle_domain::mail::SpooledMail::new(Kept {
                        id: Some(id),
                        letter,
                        slot,
                    }),
                    note,
                },
            })
            .collect()
    }

    fn resume(&self, mail: passerelle_domain::mail::SpooledMail, watch: Option<MailWatch>) {
        if let Some(kept) = mail.into_payload::<Kept>() {
            Mailer::release(self, kept, watch);
        }
    }
}

/// What the domain hears of a mail error (the adapter logged the rest).
fn failure(error: &MailError) -> MailFailure {
    match error {
        MailError::InvalidRecipient => MailFailure::InvalidRecipient,
        MailError::QueueFull => MailFailure::QueueFull,
        MailError::Stopped => MailFailure::Stopped,
        MailError::Spool(_) => MailFailure::NotSpooled,
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
