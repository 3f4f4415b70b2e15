//! What the gateway mails, as the domain decides it: to whom, in which
//! language, and what each kind of mail must say ([`OutgoingMail`],
//! [`MailKind`]); and the mailer's interface ([`Mailer`]), which the mail
//! adapter implements: it composes a mail from the templates under
//! `templates/mail/` and sends it off the request path, with retries.
//!
//! A step has a mail composed and checked ([`Mailer::prepare`]) before it
//! stores anything the mail carries (a code, a temporary password), then
//! queues it ([`Mailer::send`]); a mail that cannot be composed means
//! nothing is stored.

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
];

impl MailKind {
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

/// Why a mail was not composed or not queued (each already logged by the
/// adapter, with the template and a hash of the recipient).
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
}

/// The mailer, as the domain uses it.
pub trait Mailer: Send + Sync {
    /// Composes and checks `mail` without sending it.
    fn prepare(&self, mail: OutgoingMail) -> Result<PreparedMail, MailFailure>;

    /// Queues a prepared mail and returns at once; `watch` hears of its
    /// delivery troubles.
    fn send(&self, mail: PreparedMail, watch: Option<MailWatch>) -> Result<(), MailFailure>;
}
