//! Mail to the people who use the gateway: the confirmation that a password
//! changed, a forgotten login, an e-mailed reset code, a temporary password.
//!
//! A flow builds an [`OutgoingMail`] (recipient, language, and a [`MailKind`]
//! carrying what that mail must say), has it composed and checked by
//! [`Mailer::prepare`] before it stores anything the mail carries, then
//! hands the [`PreparedMail`] to [`Mailer::send_prepared`] ([`Mailer::send`]
//! does both when nothing depends on the mail), which queues it and returns
//! at once: mail leaves off the request path, so a page
//! answers in the same time whether or not a mail was sent. A background task
//! renders the mail from the files under `templates/mail/` (subject, text and
//! HTML parts, French or English), sends it through the configured transport
//! and retries transient failures with exponential backoff. Logs name the
//! template and a hash of the recipient, never the address or the body.

mod mailer;
pub mod settings;
mod templates;

pub use mailer::{Delivery, MailError, MailProgress, MailReceipt, Mailer, PreparedMail};
pub use settings::{InvalidMailSetting, MailSettings, MailTransportKind, SmtpSecurity};
pub use templates::{render, RenderedMail};

use chrono::{DateTime, FixedOffset};
use secrecy::SecretString;
use std::net::IpAddr;
use std::time::Duration;

/// The language a mail is written in: the gateway's one language type.
pub use crate::i18n::Lang;

/// What the site says about itself in every mail.
#[derive(Debug, Clone)]
pub struct MailBranding {
    /// The site's name, e.g. `Sésame`.
    pub site_name: String,
    /// Who to contact when something is wrong (an address or a desk).
    pub help_contact: String,
    /// The site's time zone (`site.timezone`): every time a mail shows is
    /// shown in it, whatever offset the flow's instant carries.
    pub time_zone: chrono_tz::Tz,
}

impl From<&crate::config::SiteSettings> for MailBranding {
    fn from(site: &crate::config::SiteSettings) -> Self {
        Self {
            site_name: site.name.clone(),
            help_contact: site.help_contact.clone(),
            time_zone: site.timezone,
        }
    }
}

/// One mail to send: to whom, in which language, and what it says.
#[derive(Debug, Clone)]
pub struct OutgoingMail {
    /// The recipient's address, as read from the directory. An address
    /// that does not parse, or holds a control character, makes
    /// [`Mailer::prepare`] fail with [`MailError::InvalidRecipient`].
    pub to: String,
    /// The person's name, for the `To:` header and the greeting. Made one
    /// safe line of at most [`crate::safe_text::MAX_NAME_CHARS`] characters
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
        /// the site's time zone ([`MailBranding::time_zone`]).
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
    /// A temporary password to change at the first login.
    TemporaryPassword {
        login: String,
        password: SecretString,
        valid_for: Duration,
        /// The page where the person logs in with it and chooses their own.
        change_url: String,
    },
}

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
        }
    }
}
