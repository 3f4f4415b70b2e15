//! The settings the domain decides with, each a table of the site's
//! configuration (`[flows]`, `[lockout]`, `[site]`): the binary assembles
//! them with the others (`passerelle::config`), and their doc comments are
//! the configuration reference (`docs/configuration.md`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Self-service lockout kept on the entry, shared by every replica.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct LockoutSettings {
    /// Failed identity, answer or code attempts before self-service locks.
    pub max_failures: u32,
    /// How long the lock lasts, and the window failures are counted in.
    pub lock_seconds: u64,
}

impl Default for LockoutSettings {
    fn default() -> Self {
        Self {
            max_failures: 5,
            lock_seconds: 15 * 60,
        }
    }
}

/// What people see of the site: its name, logo, favicon, main colour and
/// links.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SiteSettings {
    /// The service's name, in every page title and mail.
    pub name: String,
    /// Address of the logo shown at the top of every page; none when unset.
    pub logo_url: Option<String>,
    /// URL of the icon browsers show in the tab; Passerelle's own when
    /// absent.
    pub favicon_url: Option<String>,
    /// The main colour of the pages (header, title, buttons, links), as
    /// `#rrggbb`. White text is drawn on it and it is drawn on white, so
    /// it must contrast at least 4.5:1 with white (WCAG 2.1 AA, 1.4.3):
    /// a lighter colour is refused when the configuration loads.
    pub main_color: Option<String>,
    /// The rules people must accept before choosing a password (UPHF's
    /// "règlement intérieur").
    pub rules_url: Option<String>,
    /// Where "Terminer" leads once a password is changed (the CAS login).
    pub login_url: Option<String>,
    /// Who to contact when something is wrong, shown in pages and mails.
    pub help_contact: String,
    /// The help desk's address, mailed when a person says a password change
    /// was not theirs (« Ce n'était pas moi »). When absent, `help_contact`
    /// if it is an address.
    pub helpdesk_mail: Option<String>,
    /// Services that use the new password at once, listed on the success
    /// page and in the confirmation mail. None by default: a gateway does
    /// not know which services a site runs (the `uphf` preset lists its
    /// seed's).
    pub services: Vec<String>,
    /// The language when the person chose none and the browser states no
    /// language the gateway has: `fr`, `en`, `es`, `de`, `it`, `pt`, `ar`,
    /// `zh-Hans` or `uk`.
    pub default_language: String,
    /// The site's time zone, an IANA name (`Europe/Paris`,
    /// `America/Cayenne`): every time shown in a page or a mail is shown in
    /// it, with its summer time. A name the tz database does not know is
    /// refused when the configuration loads, naming `site.timezone`.
    #[serde(deserialize_with = "time_zone")]
    #[schemars(with = "String")]
    pub timezone: chrono_tz::Tz,
}

impl SiteSettings {
    /// `instant` as people at the site read it: in `site.timezone`, with
    /// the offset in force on that date (Paris: +01:00 in winter, +02:00
    /// in summer). Use it for every time a page or a mail shows.
    pub fn local_time<Z: chrono::TimeZone>(
        &self,
        instant: &chrono::DateTime<Z>,
    ) -> chrono::DateTime<chrono_tz::Tz> {
        instant.with_timezone(&self.timezone)
    }
}

/// Reads `site.timezone` with an error that says what is expected (the
/// crate's own says only that parsing failed); figment adds the key.
fn time_zone<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<chrono_tz::Tz, D::Error> {
    let name = String::deserialize(deserializer)?;
    name.trim().parse::<chrono_tz::Tz>().map_err(|_| {
        serde::de::Error::custom(format!(
            "an IANA time zone name such as \"Europe/Paris\", not {name:?}"
        ))
    })
}

impl Default for SiteSettings {
    fn default() -> Self {
        Self {
            name: "Passerelle".into(),
            logo_url: None,
            favicon_url: None,
            main_color: None,
            rules_url: None,
            login_url: None,
            help_contact: "support@univ-exemple.fr".into(),
            services: Vec::new(),
            helpdesk_mail: None,
            default_language: "fr".into(),
            timezone: chrono_tz::Europe::Paris,
        }
    }
}

/// Which login a mail gives (`flows.mail_login`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MailLogin {
    /// The value of `ldap.login_attribute`.
    Login,
    /// What the person typed when they asked (an address or an identifier).
    AsTyped,
}

/// Which flows the site offers, and their own settings.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct FlowSettings {
    /// "Récupérer mon mot de passe": identifier + birth date, secret
    /// question, new password (`/recover`).
    pub recover: bool,
    /// "Activer mon compte": identity, choose a secret question, choose a
    /// password, for accounts matching `activation_filter` (`/activate`).
    pub activate: bool,
    /// "Gérer mon compte": sign in, then change the password or the secret
    /// question (`/account`).
    pub account: bool,
    /// "Récupérer mon identifiant": identity check, then the login is
    /// mailed to the recovery address (`/identifier`).
    pub identifier: bool,
    /// A single-use code sent by e-mail, then a new password (`/code`).
    pub code: bool,
    /// A temporary password sent by e-mail, changed at first sign-in
    /// (`/temporary`, `/change`).
    pub temporary: bool,
    /// The "I have read the rules" checkbox before a new password.
    pub require_rules_checkbox: bool,
    /// Questions offered at activation; people may also write their own.
    pub questions: Vec<String>,
    /// Which accounts "Activer mon compte" may open, as an LDAP filter the
    /// entry must match (besides having no secret question yet): what the
    /// site's provisioning positively marks on an account its owner must
    /// activate, never the absence of an attribute (`ldapadd` and
    /// `slapadd` leave `pwdChangedTime` out of accounts in use). The
    /// default, `(passerelleActivationPending=TRUE)`, is the marker of
    /// `config/ldap/schema/passerelle.ldif`, which the gateway removes once
    /// the account is activated (docs/provisioning.md). A site whose
    /// provisioning already marks new accounts another way names that
    /// here, e.g. `(eduPersonEntitlement=urn:x:to-activate)`.
    /// `passerelle check` fails when the filter opens accounts that
    /// already have a password.
    pub activation_filter: String,
    /// Seconds an e-mailed code stays valid.
    pub code_validity_seconds: u64,
    /// Wrong tries before an e-mailed code is void.
    pub code_tries: u32,
    /// Seconds before a code may be sent again.
    pub code_resend_seconds: u64,
    /// Seconds a temporary password stays valid.
    pub temporary_validity_seconds: u64,
    /// Length of a generated temporary password.
    pub temporary_length: usize,
    /// Write a temporary password into `userPassword` with `pwdReset`, so
    /// that other portals accept it too. It then voids the current
    /// password and the Wi-Fi hash of whoever was named in the request, so
    /// the default (`false`) holds it on the entry as a keyed hash only and
    /// the current password keeps working until the temporary one is used
    /// (docs/email-flows.md).
    pub temporary_in_user_password: bool,
    /// The login the temporary-password mail gives: `login` (the value of
    /// `ldap.login_attribute`) or `as_typed` (what the person typed when
    /// they asked, an address or an identifier of theirs: the seeds of CAF
    /// and Ecolesoft sign in with that). Either is accepted by `/change`
    /// and `/account`, which look up every configured identifier and the
    /// recovery address.
    pub mail_login: MailLogin,
    /// Days the « Ce n'était pas moi » link of a "password changed" mail
    /// stays valid (docs/not-me.md); 0 leaves the link out of the mails
    /// and turns `/not-me` off.
    pub not_me_days: u32,
}

impl Default for FlowSettings {
    fn default() -> Self {
        Self {
            recover: true,
            activate: true,
            account: true,
            identifier: true,
            code: false,
            temporary: false,
            require_rules_checkbox: true,
            questions: vec![
                "Quel est le nom de votre premier animal de compagnie ?".into(),
                "Dans quelle ville êtes-vous né(e) ?".into(),
                "Quel était le nom de votre école primaire ?".into(),
            ],
            activation_filter: "(passerelleActivationPending=TRUE)".into(),
            mail_login: MailLogin::Login,
            code_validity_seconds: 24 * 3600,
            code_tries: 3,
            code_resend_seconds: 60,
            temporary_validity_seconds: 24 * 3600,
            temporary_length: 14,
            temporary_in_user_password: false,
            not_me_days: 7,
        }
    }
}
