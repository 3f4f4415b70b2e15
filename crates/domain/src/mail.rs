//! What the gateway mails, as the domain decides it: to whom, in which
//! language, and what each kind of mail must say ([`OutgoingMail`],
//! [`MailKind`]); and the mailer's interface ([`Mailer`]), which the mail
//! adapter implements: it composes a mail from the templates under
//! `templates/mail/`, keeps it on disk (its spool) from the moment it is
//! accepted until the relay took it, and sends it off the request path,
//! with retries.
//!
//! A step has a mail composed and checked ([`Mailer::prepare`]) before it
//! stores anything the mail carries (a code, a temporary password); a mail
//! that cannot be composed means nothing is stored. A mail accepted
//! ([`Mailer::send`]) is on disk before the call returns, so a page that
//! says "sent" never says it of a mail a crash can lose.
//!
//! The mails decided off the request path (the code, the temporary
//! password) go through three records, so that a crash at any point ends,
//! after the restart, in exactly one mail carrying something that works:
//! the *promise* ([`Mailer::promise`]), written before the page answers,
//! the same for everyone; the mail *held* ([`Mailer::hold`]), which
//! replaces the promise once composed and before the entry stores what it
//! carries; and its *release* ([`Mailer::release`]) once stored. At start,
//! what a previous run left ([`Mailer::left_over`]) comes back to the
//! domain, with the notes it wrote, to be done again, released or
//! withdrawn according to what the entry holds
//! (the mailing step's `recover`).

use chrono::{DateTime, FixedOffset};
use passerelle_text::Lang;
use secrecy::SecretString;
use std::net::IpAddr;
use std::time::Duration;

/// One mail to send: to whom, in which language, and what it says.
#[derive(Debug, Clone)]
pub struct OutgoingMail {
    /// The recipient's address, as read from the directory. An address
    /// that does not parse, or holds a control character, makes
    /// [`Mailer::prepare`] fail with [`MailFailure::InvalidRecipient`].
    pub to: String,
    /// The person's name, for the `To:` header and the greeting. Made one
    /// safe line of at most [`passerelle_text::safe_text::MAX_NAME_CHARS`] characters
    /// when the mail is composed.
    pub name: Option<String>,
    pub lang: Lang,
    pub kind: MailKind,
}

impl OutgoingMail {
    pub fn new(to: impl Into<String>, lang: Lang, kind: MailKind) -> Self {
        Self {
            to: to.into(),
            name: None,
            lang,
            kind,
        }
    }

    /// Greets the person by name.
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
}

/// Each kind of mail with the data it needs. Secrets it must deliver (a code,
/// a link carrying a code's proof, a temporary password) are held in
/// `SecretString` so that a `{:?}` in a log cannot reveal them.
#[derive(Debug, Clone)]
pub enum MailKind {
    /// A password was written: when, from where, which services now use it,
    /// and whom to call if it was not them.
    PasswordChanged {
        login: String,
        /// The instant of the write, with any offset: the mail shows it in
        /// the site's time zone (`site.timezone`).
        when: DateTime<FixedOffset>,
        from_address: IpAddr,
        services: Vec<String>,
        /// The « Ce n'était pas moi » link of this change, and the days it
        /// is valid (`flows::not_me`); none when the site turned it off.
        not_me_url: Option<String>,
        not_me_days: u32,
    },
    /// The password expires soon: when, and where to change it.
    PasswordExpiring {
        login: String,
        expires: DateTime<FixedOffset>,
        /// Whole days left, rounded up (1 on the last day).
        days_left: u32,
        /// « Gérer mon compte », from the public URL.
        account_url: String,
    },
    /// To the help desk: the owner of `login` disowned a password change
    /// and self-service is frozen. The audit facts of the change, never a
    /// secret.
    NotMeAlert {
        login: String,
        dn: String,
        frozen_at: DateTime<FixedOffset>,
        changed_at: DateTime<FixedOffset>,
        flow: String,
        flow_id: String,
        client_address: String,
        user_agent: String,
    },
    /// The login, sent to the recovery address (never shown on a page).
    IdentifierReminder { login: String },
    /// A single-use 6-digit code, and a link that carries the same proof.
    ResetCode {
        code: SecretString,
        valid_for: Duration,
        /// Built from the configured public URL, never from a Host header.
        link: SecretString,
    },
    /// A code proving a new recovery address is the person's (« Gérer mon
    /// compte », activation): typed back before the address is written.
    RecoveryCode {
        code: SecretString,
        valid_for: Duration,
    },
    /// A recovery factor of the account changed (its secret question, its
    /// recovery address, its mobile), to a channel that was already the
    /// owner's: when, from where, what, and the « Ce n'était pas moi »
    /// link of that change.
    RecoveryChanged {
        login: String,
        factor: RecoveryFactor,
        /// The value was removed, not replaced.
        removed: bool,
        /// The instant of the change, in any offset (shown in the site's
        /// time zone).
        when: DateTime<FixedOffset>,
        from_address: IpAddr,
        /// The new value, masked (`j•••@g•••.fr`, `•• •• •• •• 78`); none
        /// for a question or a removal.
        new_value: Option<String>,
        not_me_url: Option<String>,
        not_me_days: u32,
    },
    /// The password in use was found in a list of breached passwords
    /// (`passerelle breach-sweep --notify`): change it, through a reset
    /// that does not need it.
    PasswordBreached {
        login: String,
        /// The reset flow's first page, from the public URL.
        reset_url: String,
        /// The directory will ask for a change at the next sign-in
        /// (`pwdReset`).
        must_change: bool,
    },
    /// What the help desk did to the account: when, which action, by whom
    /// (the help desk, or the agent's name where the site wants it), with
    /// the « Ce n'était pas moi » link of that action (or the help desk's
    /// contact when there is none).
    HelpdeskAction {
        login: String,
        action: crate::settings::DeskAction,
        when: DateTime<FixedOffset>,
        /// The agent's name, only where `helpdesk.name_agent_in_mail`.
        agent: Option<String>,
        not_me_url: Option<String>,
        not_me_days: u32,
    },
    /// The short code the help desk mails to verify a caller on the phone:
    /// the caller reads it back to the agent. Never a way to reset.
    DeskCode {
        code: SecretString,
        valid_for: Duration,
    },
    /// A temporary password to change at the first login.
    TemporaryPassword {
        login: String,
        password: SecretString,
        valid_for: Duration,
        /// The page where the person logs in with it and chooses their own.
        change_url: String,
    },
}

/// Every name [`MailKind::template_name`] gives: the template directories
/// under `templates/mail/` (a test holds the two equal). The mailer's
/// metrics start at zero for each, so a quiet replica already exports them.
pub const TEMPLATE_NAMES: &[&str] = &[
    "password_changed",
    "not_me_alert",
    "password_expiring",
    "identifier_reminder",
    "reset_code",
    "temporary_password",
    "recovery_code",
    "recovery_changed",
    "helpdesk_action",
    "helpdesk_code",
    "password_breached",
];

impl MailKind {
    /// Every template name [`MailKind::template_name`] gives.
    pub const TEMPLATES: [&'static str; 6] = [
        "password_changed",
        "not_me_alert",
        "password_expiring",
        "identifier_reminder",
        "reset_code",
        "temporary_password",
    ];

    /// Whether a person waits for this mail on a page (a code, a temporary
    /// password, a login reminder): such mails go before the others
    /// waiting to be sent.
    pub fn is_awaited_template(template: &str) -> bool {
        matches!(
            template,
            "reset_code" | "temporary_password" | "identifier_reminder"
        )
    }

    /// The template directory under `templates/mail/`, also the name logs use.
    pub fn template_name(&self) -> &'static str {
        match self {
            MailKind::PasswordChanged { .. } => "password_changed",
            MailKind::NotMeAlert { .. } => "not_me_alert",
            MailKind::PasswordExpiring { .. } => "password_expiring",
            MailKind::IdentifierReminder { .. } => "identifier_reminder",
            MailKind::ResetCode { .. } => "reset_code",
            MailKind::TemporaryPassword { .. } => "temporary_password",
            MailKind::PasswordBreached { .. } => "password_breached",
            MailKind::HelpdeskAction { .. } => "helpdesk_action",
            MailKind::DeskCode { .. } => "helpdesk_code",
            MailKind::RecoveryCode { .. } => "recovery_code",
            MailKind::RecoveryChanged { .. } => "recovery_changed",
        }
    }
}

/// What a person may recover their account with, and so what a notice
/// says changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecoveryFactor {
    /// The secret question and its answer.
    Question,
    /// The recovery address.
    Mail,
    /// The mobile.
    Mobile,
}

impl RecoveryFactor {
    /// Its name in links and the audit trail.
    pub fn as_str(self) -> &'static str {
        match self {
            RecoveryFactor::Question => "question",
            RecoveryFactor::Mail => "mail",
            RecoveryFactor::Mobile => "mobile",
        }
    }
}

/// A mail composed and checked by [`Mailer::prepare`]: its recipient,
/// headers and parts are final, so sending it can only fail at the relay.
/// What it holds is the mail adapter's own (the domain never looks inside).
pub struct PreparedMail {
    template: &'static str,
    payload: Box<dyn std::any::Any + Send>,
}

impl PreparedMail {
    /// A mail of `template` composed by an adapter as `payload`.
    pub fn new(template: &'static str, payload: impl std::any::Any + Send) -> PreparedMail {
        PreparedMail {
            template,
            payload: Box::new(payload),
        }
    }

    /// The template it was rendered from (`password_changed`, ...).
    pub fn template(&self) -> &'static str {
        self.template
    }

    /// What the adapter composed, if it is of type `T`.
    pub fn into_payload<T: 'static>(self) -> Option<T> {
        self.payload.downcast::<T>().ok().map(|boxed| *boxed)
    }
}

impl std::fmt::Debug for PreparedMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedMail")
            .field("template", &self.template)
            .finish_non_exhaustive()
    }
}

/// Declares an opaque record of the mailer's spool that the domain holds
/// and hands back (the adapter's own payload inside; the domain never
/// looks in).
macro_rules! spooled {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        pub struct $name {
            payload: Box<dyn std::any::Any + Send>,
        }

        impl $name {
            /// A record of the adapter's, as `payload`.
            pub fn new(payload: impl std::any::Any + Send) -> $name {
                $name {
                    payload: Box::new(payload),
                }
            }

            /// What the adapter put in, if it is of type `T`.
            pub fn into_payload<T: 'static>(self) -> Option<T> {
                self.payload.downcast::<T>().ok().map(|boxed| *boxed)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name)).finish_non_exhaustive()
            }
        }
    };
}

spooled!(
    /// Off-path work a page answered for, on disk ([`Mailer::promise`]):
    /// it ends in a held mail ([`Mailer::hold`]) or is withdrawn
    /// ([`Mailer::withdraw_promise`]); left unended, it is done again at
    /// the next start.
    MailPromise
);

spooled!(
    /// A composed mail on disk that waits for the entry to store what it
    /// carries ([`Mailer::hold`]): released ([`Mailer::release`]) once it
    /// did, withdrawn ([`Mailer::withdraw_held`]) when it did not.
    HeldMail
);

spooled!(
    /// A mail a previous run accepted and did not deliver, found on disk
    /// at start: it goes on its way again with [`Mailer::resume`].
    SpooledMail
);

/// What a previous run left in the spool, with the note the domain wrote
/// with each record.
#[derive(Debug)]
pub enum LeftOver {
    /// Off-path work whose mail was never composed: do it again.
    Promise { promise: MailPromise, note: Vec<u8> },
    /// A mail held for the entry: release it if the entry holds what it
    /// carries, else withdraw it (or do its work again).
    Held { held: HeldMail, note: Vec<u8> },
    /// A mail on its way: resume it.
    OnItsWay {
        mail: SpooledMail,
        note: Option<Vec<u8>>,
    },
}

/// A turn in a mail's delivery worth an audit line: the person saw the
/// same page whatever the relay did, so this is where a failure shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailProgress {
    /// Attempt `attempt` failed and another will follow (relay down,
    /// deferred with 4xx).
    Deferred { attempt: u32 },
    /// Sent at attempt `attempt`, after failed ones.
    SentAfterRetry { attempt: u32 },
    /// Given up at attempt `attempt` (a permanent refusal, or
    /// `mail.max_attempts` reached).
    GivenUp { attempt: u32 },
}

/// Told of each failed attempt of a mail, of a late success and of giving
/// up (never of a first-time success), from the sending task.
pub type MailWatch = Box<dyn Fn(MailProgress) + Send + Sync>;

/// Why a mail was not composed, not accepted or not queued (each already
/// logged by the adapter, with the template and a hash of the recipient).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MailFailure {
    #[error("the recipient address does not parse")]
    InvalidRecipient,
    #[error("the mail could not be composed")]
    NotComposed,
    #[error("the mail queue is full")]
    QueueFull,
    #[error("the mail sender has stopped")]
    Stopped,
    /// The spool did not take the record (a full or failing disk): nothing
    /// was accepted.
    #[error("the mail could not be kept on disk")]
    NotSpooled,
}

/// The mailer, as the domain uses it.
///
/// `note`s are the domain's own words about a record (what to do with it
/// after a restart), kept with it on disk, sealed like the mail, and
/// handed back by [`Mailer::left_over`]; the adapter never reads them.
#[async_trait::async_trait]
pub trait Mailer: Send + Sync {
    /// Composes and checks `mail` without sending it.
    fn prepare(&self, mail: OutgoingMail) -> Result<PreparedMail, MailFailure>;

    /// Accepts a prepared mail: on disk when this returns `Ok`, then sent
    /// off the request path; `watch` hears of its delivery troubles.
    async fn send(
        &self,
        mail: PreparedMail,
        note: Option<Vec<u8>>,
        watch: Option<MailWatch>,
    ) -> Result<(), MailFailure>;

    /// Records on disk the off-path work a page is about to answer for;
    /// every promise takes a place in the queue until it ends.
    async fn promise(&self, note: Vec<u8>) -> Result<MailPromise, MailFailure>;

    /// Replaces `promise` by the mail that fulfils it, held: on disk when
    /// this returns `Ok`, sent only once released. On `Err` the promise is
    /// withdrawn too: nothing may be stored for it.
    async fn hold(
        &self,
        promise: MailPromise,
        mail: PreparedMail,
        note: Vec<u8>,
    ) -> Result<HeldMail, MailFailure>;

    /// Sends a held mail (its record stays until the relay took it).
    fn release(&self, held: HeldMail, watch: Option<MailWatch>);

    /// The held mail's record as a promise again, when its work must be
    /// done over (nothing is written: the next hold replaces the record).
    fn reopen(&self, held: HeldMail) -> MailPromise;

    /// Ends a promise with nothing to send: its record is removed.
    async fn withdraw_promise(&self, promise: MailPromise);

    /// Ends a held mail unsent: its record is removed.
    async fn withdraw_held(&self, held: HeldMail);

    /// What a previous run left on disk, handed over once (empty after).
    fn left_over(&self) -> Vec<LeftOver>;

    /// Sends a mail a previous run left on its way.
    fn resume(&self, mail: SpooledMail, watch: Option<MailWatch>);
}
