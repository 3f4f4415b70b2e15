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
    /// « Recevoir un code par SMS » (`/sms`): identifier + birth date, then
    /// a 6-digit code to the person's mobile (or to their recovery address,
    /// when they have both and choose it), then a new password. Needs an
    /// SMS gateway (`sms.transport`, docs/sms.md).
    pub sms: bool,
    /// The code flow (`/code`) also offers to send its code by SMS to the
    /// mobile of the account named, with the same page for everyone.
    /// Needs an SMS gateway (`sms.transport`).
    pub code_sms: bool,
    /// Seconds a code sent by SMS stays valid (a code sent by mail:
    /// `code_validity_seconds`).
    pub sms_code_validity_seconds: u64,
    /// Per person: seconds before another SMS may be sent to them,
    /// recorded on the entry (`passerelleSmsSentTime`) so that every
    /// replica shares it.
    pub sms_resend_seconds: u64,
    /// Per person: SMS sent to them in any 24 hours, at most (on the entry,
    /// like the cooldown); and per number, whichever entries hold it or
    /// type it as their new mobile (per replica, in memory).
    pub sms_daily_max: u32,
    /// Per client address (an IPv6 client by its network of
    /// `server.rate_limit_ipv6_prefix` bits, a /64 by default): requests
    /// for an SMS an hour, at most, every SMS asked for counting, the one
    /// that verifies a new mobile included (kept in memory by each
    /// replica).
    pub sms_per_address_per_hour: u32,
    /// Site-wide ceiling on the SMS sent a minute, per replica: the bill is
    /// bounded by `sms_per_minute` × replicas × 1440 a day whatever anyone
    /// does (docs/sms.md).
    pub sms_per_minute: u32,
    /// What « Activer mon compte » asks for besides the secret question:
    /// `"mail"` (a recovery address) and/or `"mobile"` (needs
    /// `sms.transport`), each verified by a code sent to it before it is
    /// written with the password. Empty: nothing more.
    pub activation_asks: Vec<Channel>,
    /// « Gérer mon compte » lets a person set, change and remove their own
    /// recovery address (the first of `ldap.recovery_mail_attributes`,
    /// unless it is `ldap.mail_attribute`) and mobile (the first of
    /// `ldap.mobile_attributes`, when SMS are on). A new value is written
    /// only after a code sent to it is typed back; every change is
    /// notified to the old value and the institutional address.
    pub own_recovery: bool,
    /// Seconds within which the current password, typed again on the form,
    /// proves a change of a recovery factor: a code for a new address or
    /// mobile typed back later than this after it writes nothing.
    pub recovery_proof_seconds: u64,
}

/// A way to reach a person: their recovery address or their mobile.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// A recovery address (mail).
    #[default]
    Mail,
    /// A mobile number (SMS).
    Mobile,
}

impl Channel {
    /// Its name in forms, cookies and the audit trail.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Mail => "mail",
            Channel::Mobile => "mobile",
        }
    }

    /// The channel a form names.
    pub fn parse(value: &str) -> Option<Channel> {
        match value.trim() {
            "mail" => Some(Channel::Mail),
            "mobile" | "sms" => Some(Channel::Mobile),
            _ => None,
        }
    }
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
            sms: false,
            code_sms: false,
            sms_code_validity_seconds: 15 * 60,
            sms_resend_seconds: 120,
            sms_daily_max: 4,
            sms_per_address_per_hour: 10,
            sms_per_minute: 20,
            activation_asks: Vec::new(),
            own_recovery: true,
            recovery_proof_seconds: 10 * 60,
        }
    }
}

/// What a help-desk profile lets its agents do (`helpdesk.profiles[].actions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeskAction {
    /// Send the person an e-mailed code to their own recovery address
    /// (the `/code` flow's mail; the agent never sees it). Needs
    /// `flows.code`.
    SendCode,
    /// Send the person a temporary password to their own recovery address
    /// (the `/temporary` flow's mail, changed at `/change`; the agent never
    /// sees it). Needs `/change` (`flows.temporary` or `flows.account`).
    SendTemporary,
    /// Give a temporary password on the agent's screen, once, for an
    /// in-person desk: written into `userPassword` with `pwdReset`, so the
    /// person must change it at their first sign-in (`/change`), and void
    /// after `flows.temporary_validity_seconds`.
    TemporaryOnScreen,
    /// Lift the self-service lock (failed attempts) and ppolicy's timed
    /// lock (failed binds).
    Unlock,
    /// Also lift IT's lock for good (`pwdAccountLockedTime:
    /// 000001010000Z`, or ppolicy's lock under a policy without a lockout
    /// duration). With `unlock` only, such an account is left to IT.
    UnlockItLock,
    /// Lift a « Ce n'était pas moi » freeze.
    Unfreeze,
    /// Clear the secret question and its answer, so that the person
    /// chooses a new one (signed in at `/account`).
    ClearQuestion,
    /// See the text of the person's secret question on the card (never
    /// the answer, which the gateway does not know).
    ShowQuestion,
    /// List the accounts of the profile's scope that are frozen or locked
    /// now.
    ListStopped,
}

impl DeskAction {
    /// Every action, in the order the card offers them.
    pub const ALL: [DeskAction; 9] = [
        DeskAction::Unlock,
        DeskAction::UnlockItLock,
        DeskAction::Unfreeze,
        DeskAction::SendCode,
        DeskAction::SendTemporary,
        DeskAction::TemporaryOnScreen,
        DeskAction::ClearQuestion,
        DeskAction::ShowQuestion,
        DeskAction::ListStopped,
    ];

    /// Its name in the configuration, the forms and the audit trail.
    pub fn as_str(self) -> &'static str {
        match self {
            DeskAction::SendCode => "send_code",
            DeskAction::SendTemporary => "send_temporary",
            DeskAction::TemporaryOnScreen => "temporary_on_screen",
            DeskAction::Unlock => "unlock",
            DeskAction::UnlockItLock => "unlock_it_lock",
            DeskAction::Unfreeze => "unfreeze",
            DeskAction::ClearQuestion => "clear_question",
            DeskAction::ShowQuestion => "show_question",
            DeskAction::ListStopped => "list_stopped",
        }
    }

    /// The action named `name` (as [`DeskAction::as_str`] writes it).
    pub fn parse(name: &str) -> Option<DeskAction> {
        DeskAction::ALL.into_iter().find(|a| a.as_str() == name)
    }

    /// It changes the account (and is verified, reasoned, audited and
    /// mailed to the owner), as opposed to a permission to see.
    pub fn acts(self) -> bool {
        !matches!(self, DeskAction::ShowQuestion | DeskAction::ListStopped)
    }
}

/// How an agent made sure the caller is the account's owner
/// (`helpdesk.profiles[].verification`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VerificationMethod {
    /// At the desk: the agent checked an identity document (and ticks it).
    InPerson,
    /// On the phone: the gateway mails a short code to the person's own
    /// recovery address and the caller reads it back.
    PhoneCode,
    /// The public flows' identity step: an identifier and the birth date,
    /// counted on the entry like every identity attempt.
    Identity,
}

impl VerificationMethod {
    pub const ALL: [VerificationMethod; 3] = [
        VerificationMethod::InPerson,
        VerificationMethod::PhoneCode,
        VerificationMethod::Identity,
    ];

    /// Its name in the configuration, the forms and the audit trail.
    pub fn as_str(self) -> &'static str {
        match self {
            VerificationMethod::InPerson => "in_person",
            VerificationMethod::PhoneCode => "phone_code",
            VerificationMethod::Identity => "identity",
        }
    }

    /// The method named `name` (as [`VerificationMethod::as_str`] writes it).
    pub fn parse(name: &str) -> Option<VerificationMethod> {
        VerificationMethod::ALL
            .into_iter()
            .find(|m| m.as_str() == name)
    }
}

/// Whose rights the help desk's writes run with (`helpdesk.write_as`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WriteAs {
    /// The gateway's service account writes, once the profile allowed the
    /// action: the gateway alone decides.
    #[default]
    Service,
    /// The writes carry the LDAP Proxied Authorization control (RFC 4370,
    /// `dn:<agent>`): slapd decides them again with the agent's own rights
    /// (`olcAuthzPolicy`, the service account's `authzTo` and the H rules
    /// of config/ldap/slapd-databases.ldif; docs/helpdesk.md). What the
    /// directory refuses is refused, and the agent's page says so.
    Agent,
}

/// One help-desk profile: who its agents are (a group), whom they may act
/// on (a filter) and what they may do.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HelpdeskProfile {
    /// Its name, in the audit trail and on the agent's pages (`it`,
    /// `scolarite-sciences`).
    pub name: String,
    /// The DN of the group whose members are this profile's agents: a
    /// `groupOfNames` (`member`), a `groupOfUniqueNames` (`uniqueMember`)
    /// or a `posixGroup` (`memberUid`).
    pub group: String,
    /// An LDAP filter of the people its agents may find and act on, e.g.
    /// `(&(eduPersonAffiliation=student)(supannEntiteAffectation=SCI))`;
    /// every person (`(objectClass=person)`) when absent. Also bounded by
    /// `helpdesk.exclusion_filter`; never the agents themselves nor any
    /// other agent, nor an entry without a login.
    #[serde(default = "everyone")]
    pub scope: String,
    /// What its agents may do (`unlock`, `unlock_it_lock`, `unfreeze`,
    /// `send_code`, `send_temporary`, `temporary_on_screen`,
    /// `clear_question`, `show_question`, `list_stopped`).
    pub actions: Vec<DeskAction>,
    /// How its agents may verify a caller before acting (`in_person`,
    /// `phone_code`, `identity`); every action needs one.
    pub verification: Vec<VerificationMethod>,
}

fn everyone() -> String {
    "(objectClass=person)".into()
}

impl HelpdeskProfile {
    /// Whether the profile lets its agents do `action`.
    pub fn allows(&self, action: DeskAction) -> bool {
        self.actions.contains(&action)
    }

    /// Whether the profile accepts `method` to verify a caller.
    pub fn accepts(&self, method: VerificationMethod) -> bool {
        self.verification.contains(&method)
    }
}

/// The help desk (`/helpdesk`, docs/helpdesk.md): agents sign in with
/// their own directory account and act on people within their profile.
/// Off unless at least one profile is configured; reached from no public
/// page.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct HelpdeskSettings {
    /// The profiles, tried in this order at sign-in: an agent gets the
    /// first whose group holds them. None (the default): the help desk is
    /// off and `/helpdesk` answers 404.
    pub profiles: Vec<HelpdeskProfile>,
    /// People no agent may find or act on, whatever their profile says
    /// (service accounts, administrators), as an LDAP filter.
    pub exclusion_filter: String,
    /// An agent's session ends after this many seconds without a page.
    pub idle_seconds: u64,
    /// An agent's session ends this many seconds after the sign-in,
    /// however active.
    pub session_seconds: u64,
    /// Most people a search shows; the agent is asked to be more precise
    /// beyond.
    pub max_results: usize,
    /// How long a verification of the caller holds for actions on that
    /// person (seconds).
    pub verification_seconds: u64,
    /// How long the phone code mailed to the person stays valid (seconds).
    pub code_validity_seconds: u64,
    /// `service` (the gateway's account writes after the profile check) or
    /// `agent` (writes carry the Proxied Authorization control naming the
    /// agent, and slapd's ACLs decide again).
    pub write_as: WriteAs,
    /// The mail that tells a person what the help desk did names the agent
    /// (their display name). Off by default: "by the help desk".
    pub name_agent_in_mail: bool,
}

impl Default for HelpdeskSettings {
    fn default() -> Self {
        Self {
            profiles: Vec::new(),
            exclusion_filter:
                "(|(objectClass=simpleSecurityObject)(objectClass=applicationProcess))".into(),
            idle_seconds: 10 * 60,
            session_seconds: 2 * 3600,
            max_results: 20,
            verification_seconds: 15 * 60,
            code_validity_seconds: 10 * 60,
            write_as: WriteAs::Service,
            name_agent_in_mail: false,
        }
    }
}

impl HelpdeskSettings {
    /// Whether the help desk is on.
    pub fn enabled(&self) -> bool {
        !self.profiles.is_empty()
    }

    /// The profile named `name`.
    pub fn profile(&self, name: &str) -> Option<&HelpdeskProfile> {
        self.profiles.iter().find(|p| p.name == name)
    }

    /// Every profile's group, once each.
    pub fn groups(&self) -> Vec<String> {
        let mut groups: Vec<String> = Vec::new();
        for profile in &self.profiles {
            if !groups
                .iter()
                .any(|g| g.eq_ignore_ascii_case(&profile.group))
            {
                groups.push(profile.group.clone());
            }
        }
        groups
    }
}
