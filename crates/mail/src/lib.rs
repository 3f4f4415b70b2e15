//! Mail to the people who use the gateway: the confirmation that a password
//! changed, a forgotten login, an e-mailed reset code, a temporary password.
//!
//! A flow builds an [`OutgoingMail`] (recipient, language, and a [`MailKind`]
//! carrying what that mail must say), has it composed and checked by
//! [`Mailer::prepare`] before it stores anything the mail carries, then
//! hands the [`PreparedMail`] to [`Mailer::send_prepared`] ([`Mailer::send`]
//! does both when nothing depends on the mail), which puts it in the spool
//! (on disk, sealed: the `spool` module) and returns: mail leaves off the request
//! path, so a page answers in the same time whether or not a mail was
//! sent, and a mail accepted survives a crash. A task per mail sends it
//! through the configured transport (an SMTP relay over kept connections
//! with `TCP_NODELAY`: the `relay` module) and retries transient failures with
//! exponential backoff until `mail.give_up_after_seconds`. The mails are
//! rendered from the files under `templates/mail/` (subject, text and
//! HTML parts, French or English). Logs name the template and a hash of
//! the recipient, never the address or the body.

mod mailer;
mod relay;
mod sends;
pub mod settings;
mod spool;
mod templates;

pub use mailer::{Delivery, MailError, MailReceipt, Mailer, PreparedMail};
pub use passerelle_domain::mail::{MailKind, MailProgress, OutgoingMail};
pub use settings::{InvalidMailSetting, MailSettings, MailTransportKind, SmtpSecurity};
pub use spool::{check_writable as check_spool, SpoolKey};
pub use templates::{render, RenderedMail};

/// The language a mail is written in: the gateway's one language type.
pub use passerelle_text::i18n::Lang;

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

impl From<&passerelle_domain::settings::SiteSettings> for MailBranding {
    fn from(site: &passerelle_domain::settings::SiteSettings) -> Self {
        Self {
            site_name: site.name.clone(),
            help_contact: site.help_contact.clone(),
            time_zone: site.timezone,
        }
    }
}
