//! The interfaces the domain talks to the world through, owned here and
//! implemented by the adapters: the directory ([`Directory`], the LDAP
//! adapter), the hooks run after a password write ([`Hooks`]) and the clock
//! ([`Clock`]); the mailer's is in [`crate::mail`], the audit trail's in
//! [`crate::audit`]. The directory stores and compares-and-swaps; every
//! decision (lockout windows, cooldowns, who may use self-service now, what
//! a password write makes obsolete) is the domain's.

use crate::identity::{Identifier, MailAddress};
use crate::person::Person;
use crate::ppolicy::DirectoryPolicy;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use secrecy::SecretString;

/// The members of some groups: `member` and `uniqueMember` values (DNs)
/// and `memberUid` values (logins), as [`Directory::member_of`] reads them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupMembers {
    pub dns: Vec<String>,
    pub logins: Vec<String>,
}

impl GroupMembers {
    /// Whether `person` is among them: by DN (compared as LDAP compares
    /// DNs) or by login.
    pub fn hold(&self, person: &Person) -> bool {
        self.dns.iter().any(|dn| crate::dn::same(dn, &person.dn))
            || (!person.login.is_empty() && self.logins.contains(&person.login))
    }
}

/// Something went wrong talking to the directory. The `Display` strings are
/// for logs only and never carry the directory's diagnostic text to a
/// person.
#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    /// No directory server could be reached (all URLs refused, the
    /// connection dropped): "service unavailable, try again later".
    #[error("directory unavailable")]
    Unavailable,
    /// The directory did not answer within `timeout_seconds`.
    #[error("directory timed out")]
    Timeout,
    /// An identifier matched more than one entry; refused, logged with the DNs.
    #[error("identifier matches more than one entry")]
    Ambiguous,
    /// The directory refused the operation to the identity it ran as: the
    /// help-desk agent named by the Proxied Authorization control has no
    /// right to it (rc 50), or the gateway may not act for that agent (rc
    /// 123). Nothing was written.
    #[error("the directory refused the operation to the identity it ran as")]
    Forbidden,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// A password write refused by the directory's password policy, or a
/// directory failure during the write.
#[derive(Debug, thiserror::Error)]
pub enum PasswordWriteError {
    #[error("password expired")]
    Expired,
    #[error("account locked")]
    Locked,
    #[error("password must be changed after reset")]
    ChangeAfterReset,
    #[error("password modification not allowed")]
    ModNotAllowed,
    /// The person's policy has `pwdSafeModify`: the write must carry the
    /// current password.
    #[error("old password must be supplied")]
    MustSupplyOldPassword,
    #[error("password quality insufficient")]
    InsufficientQuality,
    #[error("password too short")]
    TooShort,
    #[error("password changed too recently")]
    TooYoung,
    #[error("password is in the history")]
    InHistory,
    #[error("password too long")]
    TooLong,
    /// The entry is no longer the one the write was planned from (the
    /// assertion on its version failed, rc 122), or another write to it
    /// collided inside ppolicy (rc 16, 19, 20): nothing was written; read
    /// it again and decide again.
    #[error("the entry changed while the password was written")]
    Raced,
    /// A constraint violation (or other refusal) the server did not explain
    /// with a policy control; the LDAP result code is kept for the logs.
    #[error("password refused by the directory (rc {0})")]
    Rejected(u32),
    #[error(transparent)]
    Directory(#[from] DirectoryError),
}

/// What kind of password is being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteKind {
    /// A password the person chose: live everywhere at once, Wi-Fi included.
    Chosen,
    /// A temporary password the gateway generated and mailed, written into
    /// `userPassword` with `pwdReset` (so other portals accept it too): it
    /// lets the person log in to choose their own before `expires`. A site's
    /// explicit choice (`flows.temporary_in_user_password`).
    Temporary { expires: DateTime<Utc> },
    /// A temporary password past its expiry, replaced by a random value
    /// nobody knows: services that accept any successful bind (and ignore
    /// `pwdReset`) must not keep accepting the mailed password.
    Retired,
}

/// What a bind as the person proved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BindProof {
    /// The password is right.
    Valid,
    /// The password is right and is a temporary one (`pwdReset`): the
    /// person must now choose their own.
    MustChange,
    /// Wrong password, unknown entry, or nothing typed.
    Invalid,
    /// ppolicy has locked the account (says nothing about the password).
    Locked,
    /// The password is right but has expired (ppolicy checks expiry only
    /// after the password matched), so it still proves who the person is.
    Expired,
}

/// One change of the gateway's self-service state on an entry, in the
/// domain's words; the adapter turns each into LDAP modifications of the
/// `passerelleAccount` attributes (and adds the class when the entry lacks
/// it). Values are removed by value where the variant names one, so that
/// a removal never takes away what another replica added meanwhile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// One failed attempt, at this time.
    AddFailure(DateTime<Utc>),
    /// These failed attempts (by value).
    RemoveFailures(Vec<DateTime<Utc>>),
    /// Every failed attempt.
    ClearFailures,
    /// Self-service locked until then.
    LockUntil(DateTime<Utc>),
    /// The self-service lock removed: only this value when one is given.
    RemoveLock(Option<DateTime<Utc>>),
    /// The secret question and the PHC string of its answer's hash.
    SetSecret {
        question: String,
        answer_hash: String,
    },
    /// The secret question and its answer removed (the help desk's "clear
    /// the question").
    ClearSecret,
    /// A pending e-mailed code (its keyed hash), replacing any other.
    SetCode {
        hash: String,
        expiry: DateTime<Utc>,
        tries: u32,
        sent_at: DateTime<Utc>,
    },
    /// One try of the pending code spent: `left` becomes `left - 1` (by
    /// value, so two replicas cannot both spend the same try).
    SpendCodeTry { left: u32 },
    /// The pending code removed (used, expired or superseded).
    ClearCode,
    /// The gateway mailed this person at this time (the cooldown).
    MailSent(DateTime<Utc>),
    /// « Ce n'était pas moi »: self-service frozen at `at`, why, and which
    /// change was disowned.
    Freeze {
        at: DateTime<Utc>,
        reason: String,
        change_id: String,
    },
    /// The freeze lifted (the help desk).
    Unfreeze,
    /// A temporary password held on the entry as its keyed hash until
    /// `expiry`, replacing any other.
    HoldTemporary { hash: String, expiry: DateTime<Utc> },
    /// The held temporary password removed.
    DropHeldTemporary,
    /// The expiry of a temporary password written into `userPassword`
    /// removed.
    ClearTemporaryExpiry,
    /// The last expiry notice mailed: `<pwdChangedTime> <days>`.
    ExpiryNotice(String),
    /// The site's « to be activated » mark removed
    /// (`passerelleActivationPending`): the account is in use.
    EndActivation,
    /// The last breach notice (`passerelle breach-sweep --notify`):
    /// `<list version> <pwdChangedTime>` (`passerelleBreachNotice`).
    BreachNotice(String),
    /// ppolicy's `pwdReset: TRUE`: the password must be changed at the
    /// next sign-in (a breach notice, where the site asks for it).
    ForceChange,
    /// ppolicy's lock removed (`pwdAccountLockedTime`; slapd then drops
    /// `pwdFailureTime` too): the help desk's « Débloquer ».
    ClearPpolicyLock,
    /// The gateway sent this person an SMS at this time
    /// (`passerelleSmsSentTime`, one value per SMS: the cooldown and the
    /// daily cap).
    SmsSent(DateTime<Utc>),
    /// These SMS times (by value), older than the daily cap looks at.
    ForgetSmsSent(Vec<DateTime<Utc>>),
    /// The code of a new recovery value confirmed, kept as
    /// `<expiry> <keyed hash>` until it expires (`passerelleRecoveryCodeUsed`,
    /// one value each): it is never accepted again.
    RecoveryCodeUsed(String),
    /// These confirmed codes (by value), expired.
    ForgetRecoveryCodes(Vec<String>),
    /// The person's own recovery address (the first of
    /// `ldap.recovery_mail_attributes`) replaced, or removed (`None`). Not
    /// gateway state: the person's own attribute, which the gateway's
    /// account may write (config/ldap/slapd-databases.ldif).
    SetRecoveryMail(Option<String>),
    /// The person's own mobile (the first of `ldap.mobile_attributes`)
    /// replaced, in E.164, or removed (`None`).
    SetMobile(Option<String>),
}

/// Which of a person's own recovery values the directory lets the gateway
/// write (« Gérer mon compte », activation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnValues {
    /// A recovery address: the first of `ldap.recovery_mail_attributes`,
    /// when it is not the institutional address's attribute.
    pub mail: bool,
    /// A mobile: the first of `ldap.mobile_attributes`.
    pub mobile: bool,
}

/// What a password write carries besides the password.
#[derive(Debug)]
pub struct PasswordWrite<'a> {
    /// In NFC (`passerelle_text::normalize_password`).
    pub password: &'a SecretString,
    pub kind: WriteKind,
    /// Names this write on the entry (`passerelleChangeId`).
    pub change_id: String,
    /// The state changes that go in the same modify (what a new password
    /// makes obsolete; the activation's question).
    pub also: Vec<Change>,
    /// The current password, for a policy with `pwdSafeModify`: the write
    /// then deletes it by value, which ppolicy checks.
    pub old_password: Option<&'a SecretString>,
}

/// Whether a guarded state update was applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    Yes,
    /// The entry changed since it was read (rc 122), a value to remove was
    /// gone (rc 16) or one to add was already there (rc 20): nothing was
    /// written; read it again and plan again.
    Raced,
}

/// What the replicas of `ldap.replica_urls` said of a new password within
/// `ldap.replica_wait_seconds`, by URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplicaReport {
    /// Replicas where a bind with the new password succeeded.
    pub confirmed: Vec<String>,
    /// Replicas that had not taken the new password when the wait ran out
    /// (behind, unreachable, or refusing it).
    pub lagging: Vec<String>,
}

impl ReplicaReport {
    /// Every configured replica accepts the new password (also true when
    /// none is configured).
    pub fn all_confirmed(&self) -> bool {
        self.lagging.is_empty()
    }
}

/// The directory as the domain uses it. Every method is bounded by
/// `ldap.timeout_seconds` in the adapter; a method's errors are the
/// directory's.
#[async_trait]
pub trait Directory: Send + Sync {
    /// Whether the directory answers the service account (readiness).
    async fn ping(&self) -> Result<(), DirectoryError>;

    /// The one person whose configured identifier attributes hold
    /// `identifier`; [`DirectoryError::Ambiguous`] for two.
    async fn find_by_identifier(
        &self,
        identifier: &Identifier,
    ) -> Result<Option<Person>, DirectoryError>;

    /// The one person whose recovery address is `mail`.
    async fn find_by_mail(&self, mail: &MailAddress) -> Result<Option<Person>, DirectoryError>;

    /// The person at `dn`, with the entry's version, `None` if it is gone.
    async fn read(&self, dn: &str) -> Result<Option<Person>, DirectoryError>;

    /// Whether the entry at `dn` matches `filter` (a configured LDAP filter,
    /// e.g. `flows.activation_filter`).
    async fn matches(&self, dn: &str, filter: &str) -> Result<bool, DirectoryError>;

    /// The person at `dn` only if a help-desk search with `within` (a
    /// profile's scope less the site's exclusions) could find them, as
    /// [`Directory::search_people`] does: under `ldap.base_dn` (compared RDN
    /// by RDN, [`crate::dn::is_within`]), matching `ldap.person_filter` and
    /// `within`; `None` otherwise, or if it is gone. For a DN an agent's
    /// form carries, which may name any entry of the directory.
    async fn read_findable(&self, dn: &str, within: &str)
        -> Result<Option<Person>, DirectoryError>;

    /// The password policy the directory enforces for `person`.
    async fn policy(&self, person: &Person) -> Result<DirectoryPolicy, DirectoryError>;

    /// Applies `changes` to the entry `person` was read from, only if it is
    /// still at `person.version` (when it has one; without, the changes are
    /// applied as they are, which value removals alone make safe).
    async fn apply(&self, person: &Person, changes: &[Change]) -> Result<Applied, DirectoryError>;

    /// Applies `changes` without looking at the version: for removals by
    /// value only, which remove what they name and nothing else.
    async fn apply_unguarded(
        &self,
        person: &Person,
        changes: &[Change],
    ) -> Result<Applied, DirectoryError>;

    /// Proves `password` with a bind as the person, on a connection of its
    /// own (never one the service account uses).
    async fn bind(
        &self,
        person: &Person,
        password: &SecretString,
    ) -> Result<BindProof, DirectoryError>;

    /// Writes a password in ONE modify of the entry (the password, the
    /// Wi-Fi NT hash, the shadow and Samba dates, `write.also`), applied
    /// only if the entry is still at `person.version`. Answers the entry as
    /// the write left it when the directory returned it with the write (the
    /// LDAP post-read control), so that no read follows; `None` otherwise.
    async fn write_password(
        &self,
        person: &Person,
        write: &PasswordWrite<'_>,
    ) -> Result<Option<Person>, PasswordWriteError>;

    /// Whether replicas are configured to confirm writes on.
    fn has_replicas(&self) -> bool;

    /// Waits (bounded) until every replica accepts `password` for `person`.
    async fn confirm_on_replicas(&self, person: &Person, password: &SecretString) -> ReplicaReport;

    /// People whose temporary password, written into `userPassword` or
    /// held as a hash, expired at or before `now` (one batch).
    async fn expired_temporaries(&self, now: DateTime<Utc>) -> Result<Vec<Person>, DirectoryError>;

    /// Which of a person's own recovery values may be written
    /// ([`Change::SetRecoveryMail`], [`Change::SetMobile`]).
    fn own_values(&self) -> OwnValues {
        OwnValues {
            mail: true,
            mobile: true,
        }
    }
    /// [`Directory::apply`] with the rights of the help-desk agent at
    /// `agent` (the Proxied Authorization control, RFC 4370, `dn:<agent>`):
    /// [`DirectoryError::Forbidden`] when the directory refuses it to them.
    async fn apply_as(
        &self,
        agent: &str,
        person: &Person,
        changes: &[Change],
    ) -> Result<Applied, DirectoryError>;

    /// [`Directory::write_password`] with the rights of the help-desk agent
    /// at `agent`, as [`Directory::apply_as`].
    async fn write_password_as(
        &self,
        agent: &str,
        person: &Person,
        write: &PasswordWrite<'_>,
    ) -> Result<(), PasswordWriteError>;

    /// Everyone `groups` (DNs) hold, read once: a group that is gone holds
    /// nobody. For leaving agents out of a list of people in one read per
    /// group, where [`Directory::member_of`] would take one per person.
    async fn group_members(&self, groups: &[String]) -> Result<GroupMembers, DirectoryError>;

    /// Which of `groups` (DNs) hold `person`: as `member` or
    /// `uniqueMember` (their DN) or `memberUid` (their login).
    async fn member_of(
        &self,
        person: &Person,
        groups: &[String],
    ) -> Result<Vec<String>, DirectoryError>;

    /// At most `limit` people who match `search` and the configured filter
    /// `within` (a help-desk profile's scope without the site's
    /// exclusions), read by the service account. Every value the search
    /// carries is escaped into the filter.
    async fn search_people(
        &self,
        search: &PeopleSearch,
        within: &str,
        limit: usize,
    ) -> Result<Vec<Person>, DirectoryError>;
}

/// What the help desk looks for ([`Directory::search_people`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeopleSearch {
    /// What an agent typed: a configured identifier or a recovery or
    /// institutional address (equal), or the start of a name (`cn`, `sn`,
    /// `givenName`, `displayName`).
    Text(crate::identity::SearchText),
    /// Accounts frozen by their owner, locked by the gateway until after
    /// `now`, or holding ppolicy's lock (the domain keeps those whose lock
    /// still holds).
    Stopped { now: DateTime<Utc> },
}

/// What a hook is told about one change (never the password).
#[derive(Debug, Clone)]
pub struct PasswordChange {
    /// Random, the same on every try: lets a receiver drop repeats.
    pub id: String,
    pub dn: String,
    pub login: String,
    pub flow: &'static str,
    pub time: DateTime<Utc>,
    pub client_address: std::net::IpAddr,
}

/// How one hook run ended, for the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookOutcome {
    WebhookDelivered,
    WebhookRefused,
    WebhookFailed,
    CommandSucceeded,
    CommandFailed,
    CommandTimedOut,
    /// Too many runs pending: this change's hooks were skipped.
    Busy,
}

/// Told how each hook run of a change ended (from the hooks' task).
pub type HookReport = Box<dyn Fn(HookOutcome) + Send + Sync>;

/// The site's hooks after a password write (`[hooks]`): a webhook, a
/// command. They run in the background; `report` hears each outcome.
pub trait Hooks: Send + Sync {
    /// Starts the hooks for `change` and returns at once. `password` reaches
    /// a command only where the site enabled it.
    fn after_change(&self, change: PasswordChange, password: &SecretString, report: HookReport);
}

/// Hooks that do nothing (no `[hooks]` configured, unit tests).
pub struct NoHooks;

impl Hooks for NoHooks {
    fn after_change(&self, _: PasswordChange, _: &SecretString, _: HookReport) {}
}

/// The time, as the domain reads it.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// What the site's RADIUS server said of a password just written
/// ([`WifiCheck`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WifiAnswer {
    /// A genuine Access-Accept (for MS-CHAPv2, with the server's proof that
    /// it checked the NT hash): Wi-Fi takes the new password now.
    Accepted,
    /// A genuine Access-Reject: the server does not take it yet (it reads
    /// a replica that is behind, a cache, another attribute).
    Refused,
    /// No genuine answer within the check's deadline (the server is down
    /// or unreachable, the shared secret differs), or an answer that proves
    /// nothing either way.
    NoAnswer,
}

/// "Wi-Fi accepts your new password" (`[radius]`): asks the server eduroam
/// access points ask whether `login` may log in with `password`. Called
/// once per chosen password written, never for a temporary one, never
/// again after its answer: one login attempt, bounded by the adapter's
/// deadline, so that it can never lock anyone through the directory's
/// password policy. Never fails: whatever goes wrong is
/// [`WifiAnswer::NoAnswer`] (and logged by the adapter).
#[async_trait]
pub trait WifiCheck: Send + Sync {
    async fn check(&self, login: &str, password: &SecretString) -> WifiAnswer;
}
