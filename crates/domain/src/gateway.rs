//! The gateway as the flows see it: the settings they decide with, the
//! adapters they talk to (directory, mailer, hooks, audit trail, clock),
//! the keys and rules they hold; and one flow instance ([`Journey`]), which
//! the web keeps between requests in its encrypted cookie and hands back
//! with each step.
//!
//! The adapters are reached only from the domain: [`Gateway`] does not hand
//! them out, so a step's rules cannot be bypassed by a caller that talks to
//! the directory itself.

use crate::audit::{AuditEvent, AuditSink, AuditStep, DeskFacts, Outcome, Visitor, Who};
use crate::entry_locks::EntryLocks;
use crate::floor::FailureFloor;
use crate::flow::FlowName;
use crate::identity::{Identifier, MailAddress};
use crate::mail::Mailer;
use crate::person::{PasswordMarker, Person};
use crate::policy::{PasswordPolicy, PolicyConfig};
use crate::ports::{Applied, Change, Clock, Directory, DirectoryError, Hooks, WifiCheck};
use crate::reset_code::CodeKey;
use crate::secret_answer::{AnswerError, AnswerHasher};
use crate::settings::{FlowSettings, HelpdeskSettings, LockoutSettings, SiteSettings};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// How many times a state update is re-read and re-tried after losing a
/// race with another replica. Each round has a winner, so with a handful of
/// replicas contending for one entry this is never reached in practice.
const RACE_ATTEMPTS: u64 = 12;

/// The settings the flows decide with.
#[derive(Debug, Clone, Default)]
pub struct GatewaySettings {
    pub flows: FlowSettings,
    pub lockout: LockoutSettings,
    pub site: SiteSettings,
    pub policy: PolicyConfig,
    /// `server.public_url`: every link in a mail starts with it.
    pub public_url: String,
    /// `[helpdesk]`: the help desk's profiles and limits.
    pub helpdesk: HelpdeskSettings,
}

/// The adapters the domain talks to.
pub struct Adapters {
    pub directory: Arc<dyn Directory>,
    pub mailer: Arc<dyn Mailer>,
    pub hooks: Arc<dyn Hooks>,
    pub audit: Arc<dyn AuditSink>,
    pub clock: Arc<dyn Clock>,
    /// SMS (`crate::sms::NoTexter` when the site sends none).
    pub texter: Arc<dyn crate::sms::Texter>,
    /// The Wi-Fi check after every chosen password written (`[radius]`);
    /// `None` when the site has none.
    pub wifi: Option<Arc<dyn WifiCheck>>,
}

/// What the steps work with. Cheap to clone.
#[derive(Clone)]
pub struct Gateway {
    inner: Arc<Inner>,
}

struct Inner {
    settings: GatewaySettings,
    adapters: Adapters,
    policy: PasswordPolicy,
    answers: AnswerHasher,
    code_key: CodeKey,
    failure_floor: FailureFloor,
    locks: EntryLocks,
    sms_limits: crate::sms::SmsLimits,
}

/// Why a step could not decide: the directory or the answer hasher failed,
/// or the flow's proof no longer names an entry. Never "the person is
/// wrong", which is an outcome.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    #[error(transparent)]
    Directory(#[from] DirectoryError),
    #[error(transparent)]
    Answer(#[from] AnswerError),
    /// The entry the flow proved is gone, or the step came without the
    /// proof it needs: the flow is over.
    #[error("the flow's proof names no entry")]
    Gone,
    /// The mailer did not accept what the step must hand it (its spool or
    /// its queue refused): nothing was sent, and the page must not say so.
    #[error(transparent)]
    Mail(#[from] crate::mail::MailFailure),
}

/// What a flow proved about a person, kept by the web between steps (in
/// the encrypted flow cookie): whose entry, and what the password was at
/// the proof, so that a write refuses to go ahead if it changed since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proof {
    pub dn: String,
    #[serde(default)]
    pub marker: PasswordMarker,
    /// The sign-in was proved by a held temporary password (spent then):
    /// the forced change does not ask for the current password again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub by_temporary: bool,
    /// The sign-in's counted attempt (its `passerelleFailureTime` value),
    /// left on the entry rather than forgiven: the password write clears
    /// it in its own modify, and the change form's second proof of the
    /// current password is evaluated under it (issue 25). Only the first
    /// evaluation that takes it off the entry gets its answer; every later
    /// one is counted afresh (the sign-in step's `prove_current`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "chrono::serde::ts_microseconds_option"
    )]
    pub attempt: Option<DateTime<Utc>>,
    /// The current password as the sign-in proved it, sealed
    /// ([`crate::reset_code::CodeKey::seal_current`]) for the second proof.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_seal: Option<String>,
    /// When the sign-in proved it: wrong second proofs are the failures
    /// recorded on the entry since.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "chrono::serde::ts_microseconds_option"
    )]
    pub proved_at: Option<DateTime<Utc>>,
    /// What the new-password page shows of the person, as the proof read
    /// the entry, so that showing it costs no directory read (issue 25):
    /// the page's rules and its meter only. Every submission reads the
    /// entry again and decides on that.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seen: Option<Box<Seen>>,
}

/// The part of an entry the new-password page uses ([`Proof::seen`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    /// The login, which a password must not contain.
    pub login: String,
    /// The name attributes' values, which it must not contain either.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<chrono::NaiveDate>,
    /// `pwdPolicySubentry`: which policy entry's rules apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
}

/// The most bytes of text [`Seen`] keeps in the flow cookie: an entry with
/// many or long names (a directory value is the directory's to choose)
/// would push the cookie past the 4 KiB browsers keep, and the page then
/// reads the entry instead.
pub const SEEN_MAX_BYTES: usize = 768;

impl Seen {
    /// What the page needs of `person`, unless it takes more than
    /// [`SEEN_MAX_BYTES`].
    pub fn of(person: &Person) -> Option<Seen> {
        let names: usize = person.name_values.iter().map(|name| name.len() + 4).sum();
        let policy = person.ppolicy.subentry.as_ref().map_or(0, String::len);
        (person.login.len() + names + policy <= SEEN_MAX_BYTES).then(|| Seen {
            login: person.login.clone(),
            names: person.name_values.clone(),
            birth_date: person.birth_date,
            policy: person.ppolicy.subentry.clone(),
        })
    }

    /// The entry as the proof saw it, as far as the page goes: the DN, the
    /// login, the names, the birth date and the policy named; nothing else.
    pub fn person(&self, dn: &str) -> Person {
        let mut person = Person::bare(dn);
        person.login = self.login.clone();
        person.name_values = self.names.clone();
        person.birth_date = self.birth_date;
        person.ppolicy.subentry = self.policy.clone();
        person
    }
}

impl Proof {
    /// The proof of `person`, as read now.
    pub fn of(person: &Person) -> Proof {
        Proof {
            dn: person.dn.clone(),
            marker: person.password_marker(),
            by_temporary: false,
            attempt: None,
            current_seal: None,
            proved_at: None,
            seen: Seen::of(person).map(Box::new),
        }
    }
}

/// One flow instance: which flow, its random id (every audit event of the
/// instance carries it), who is asking, and what it proved so far.
#[derive(Debug, Clone)]
pub struct Journey {
    pub flow: FlowName,
    pub id: String,
    pub visitor: Visitor,
    pub proof: Option<Proof>,
}

impl Journey {
    /// The proof a step after the first needs.
    pub fn proof(&self) -> Result<&Proof, StepError> {
        self.proof.as_ref().ok_or(StepError::Gone)
    }
}

impl Gateway {
    /// The gateway of `settings`, talking through `adapters`.
    pub fn new(
        settings: GatewaySettings,
        adapters: Adapters,
        policy: PasswordPolicy,
        answers: AnswerHasher,
        code_key: CodeKey,
    ) -> Gateway {
        Gateway {
            inner: Arc::new(Inner {
                settings,
                adapters,
                policy,
                answers,
                code_key,
                failure_floor: FailureFloor::default(),
                locks: EntryLocks::default(),
                sms_limits: crate::sms::SmsLimits::default(),
            }),
        }
    }

    /// The settings the flows decide with (the pages show them too).
    pub fn settings(&self) -> &GatewaySettings {
        &self.inner.settings
    }

    /// The site's password rules (`[policy]`), before any person's own
    /// directory policy is combined with them.
    pub fn site_policy(&self) -> &PasswordPolicy {
        &self.inner.policy
    }

    /// The key of codes, links and change ids.
    pub fn code_key(&self) -> &CodeKey {
        &self.inner.code_key
    }

    pub(crate) fn directory(&self) -> &dyn Directory {
        self.inner.adapters.directory.as_ref()
    }

    pub(crate) fn mailer(&self) -> &dyn Mailer {
        self.inner.adapters.mailer.as_ref()
    }

    /// The SMS adapter.
    pub(crate) fn texter(&self) -> &dyn crate::sms::Texter {
        self.inner.adapters.texter.as_ref()
    }

    /// Whether the site sends SMS (`sms.transport` is not `none`).
    pub fn texting(&self) -> bool {
        self.texter().is_enabled()
    }

    /// This replica's limits on SMS (per address, and the site's ceiling).
    pub(crate) fn sms_limits(&self) -> &crate::sms::SmsLimits {
        &self.inner.sms_limits
    }

    pub(crate) fn hooks(&self) -> &dyn Hooks {
        self.inner.adapters.hooks.as_ref()
    }

    pub(crate) fn wifi(&self) -> Option<&dyn WifiCheck> {
        self.inner.adapters.wifi.as_deref()
    }

    pub(crate) fn answers(&self) -> &AnswerHasher {
        &self.inner.answers
    }

    /// Sleeps until the failure floor of `kind` has passed since
    /// `started`: at least [`crate::floor::FAILURE_FLOOR`], more while the
    /// gateway is busy ([`FailureFloor`]).
    pub(crate) async fn wait_for_floor(
        &self,
        kind: crate::floor::FailureKind,
        started: std::time::Instant,
    ) {
        self.inner.failure_floor.wait(kind, started).await;
    }

    pub(crate) fn audit_sink(&self) -> &dyn AuditSink {
        self.inner.adapters.audit.as_ref()
    }

    /// The time now, from the clock adapter.
    pub fn now(&self) -> DateTime<Utc> {
        self.inner.adapters.clock.now()
    }

    /// Holds the entry at `dn` for this replica's writes (see
    /// [`EntryLocks`]).
    pub(crate) async fn hold(&self, dn: &str) -> crate::entry_locks::EntryGuard {
        self.inner.locks.lock(dn).await
    }

    /// Records `outcome` of `step` in `journey`, for the account `who` names.
    pub(crate) fn event<'a>(
        &self,
        journey: &Journey,
        step: AuditStep,
        outcome: Outcome,
        who: impl Into<Who<'a>>,
    ) {
        self.audit_sink().record(&AuditEvent {
            flow: journey.flow,
            flow_id: &journey.id,
            step,
            outcome,
            who: who.into(),
            visitor: &journey.visitor,
            desk: None,
        });
    }

    /// Records `outcome` of the help-desk `step` in `journey`, for the
    /// account `who` names, with what the agent did it as ([`DeskFacts`]).
    pub(crate) fn desk_event<'a>(
        &self,
        journey: &Journey,
        step: AuditStep,
        outcome: Outcome,
        who: impl Into<Who<'a>>,
        facts: DeskFacts<'_>,
    ) {
        self.audit_sink().record(&AuditEvent {
            flow: journey.flow,
            flow_id: &journey.id,
            step,
            outcome,
            who: who.into(),
            visitor: &journey.visitor,
            desk: Some(facts),
        });
    }

    /// Whether the directory answers the service account (`/readyz`).
    pub async fn directory_ready(&self) -> Result<(), DirectoryError> {
        self.directory().ping().await
    }

    /// Accepts `mail` unaudited (the help desk's alert, an expiry notice:
    /// no flow step of the person's); a failure is only logged by the
    /// mailer.
    pub(crate) async fn send_unwatched(&self, mail: crate::mail::OutgoingMail) {
        if let Ok(prepared) = self.mailer().prepare(mail) {
            let _ = self.mailer().send(prepared, None, None).await;
        }
    }

    /// Opens the audit trail's output again (on SIGHUP).
    pub fn reopen_audit(&self) {
        self.audit_sink().reopen();
    }

    /// Puts the audit trail on disk (on shutdown, once requests finished).
    pub fn flush_audit(&self) {
        self.audit_sink().flush();
    }

    /// Counts a flow's first page.
    pub fn flow_started(&self, flow: FlowName) {
        self.audit_sink().flow_started(flow);
    }

    /// The person a flow proved, read afresh.
    pub(crate) async fn proved_person(&self, journey: &Journey) -> Result<Person, StepError> {
        let proof = journey.proof()?;
        self.directory()
            .read(&proof.dn)
            .await?
            .ok_or(StepError::Gone)
    }

    /// Plans a change of the person's self-service state from a reading of
    /// the entry and applies it only if the entry is still that reading
    /// (the directory's assertion on its version): a plan that lost a race
    /// with another replica is planned again from a fresh reading, after a
    /// short random pause so that the same replicas do not collide again in
    /// step. `plan` gives the changes and what they mean, or `None` for
    /// nothing to do; no changes is an outcome without a write. It starts
    /// from `person` as given when `from_given` (a reading made in this very
    /// request), which saves a read on the common path.
    pub(crate) async fn update<T>(
        &self,
        person: &Person,
        from_given: bool,
        plan: impl Fn(&Person) -> Option<(Vec<Change>, T)>,
    ) -> Result<Option<T>, DirectoryError> {
        self.update_as(person, from_given, Writer::Gateway, plan)
            .await
    }

    /// [`Gateway::update`], the modifies made by `writer` (the help desk's
    /// agent, through proxied authorization, when the site asks for it).
    pub(crate) async fn update_as<T>(
        &self,
        person: &Person,
        from_given: bool,
        writer: Writer<'_>,
        plan: impl Fn(&Person) -> Option<(Vec<Change>, T)>,
    ) -> Result<Option<T>, DirectoryError> {
        let _entry = self.hold(&person.dn).await;
        for round in 1..=RACE_ATTEMPTS {
            let given = round == 1 && from_given && person.version.is_some();
            let fresh = if given {
                person.clone()
            } else {
                self.directory()
                    .read(&person.dn)
                    .await?
                    .ok_or_else(|| DirectoryError::Unexpected(anyhow::anyhow!("entry vanished")))?
            };
            let Some((changes, outcome)) = plan(&fresh) else {
                return Ok(None);
            };
            if changes.is_empty() {
                return Ok(Some(outcome));
            }
            let applied = match writer {
                Writer::Gateway => self.directory().apply(&fresh, &changes).await?,
                Writer::Agent(agent) => self.directory().apply_as(agent, &fresh, &changes).await?,
            };
            if applied == Applied::Raced && self.refused_to_agent(writer, &fresh).await? {
                return Err(DirectoryError::Forbidden);
            }
            match applied {
                Applied::Yes => return Ok(Some(outcome)),
                // The given reading was out of date: read it now.
                Applied::Raced if given => {}
                Applied::Raced => {
                    tracing::debug!(round, "state update raced; re-reading");
                    let pause = rand::Rng::gen_range(&mut rand::thread_rng(), 1..10) * round;
                    tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
                }
            }
        }
        Err(anyhow::anyhow!("state update still racing after {RACE_ATTEMPTS} attempts").into())
    }

    /// Whether a proxied write that "raced" was in fact refused to the
    /// agent: the entry is still the version the write was guarded by. slapd
    /// evaluates the guard (an assertion on `entryCSN`) with the agent's
    /// rights, so an agent who may not even compare the version of an entry
    /// outside their rights sees "assertion failed" (rc 122), which is no
    /// race when nothing changed.
    pub(crate) async fn refused_to_agent(
        &self,
        writer: Writer<'_>,
        tried: &Person,
    ) -> Result<bool, DirectoryError> {
        if writer == Writer::Gateway || tried.version.is_none() {
            return Ok(false);
        }
        let now = self.directory().read(&tried.dn).await?;
        Ok(now.is_some_and(|now| now.version == tried.version))
    }

    /// The person `typed` names: any configured identifier, or (when it is
    /// an address) a recovery address, in the order `look_up` says. A value
    /// two entries share names nobody (the adapter logs them).
    pub(crate) async fn find_named(
        &self,
        typed: &str,
        look_up: LookUp,
    ) -> Result<Option<Person>, DirectoryError> {
        let unambiguous = |found| match found {
            Err(DirectoryError::Ambiguous) => Ok(None),
            other => other,
        };
        let by_mail = || async {
            match MailAddress::parse(typed).filter(|_| typed.contains('@')) {
                Some(mail) => unambiguous(self.directory().find_by_mail(&mail).await),
                None => Ok(None),
            }
        };
        if look_up == LookUp::MailFirst {
            if let Some(person) = by_mail().await? {
                return Ok(Some(person));
            }
        }
        if let Some(identifier) = Identifier::parse(typed) {
            if let Some(person) =
                unambiguous(self.directory().find_by_identifier(&identifier).await)?
            {
                return Ok(Some(person));
            }
        }
        match look_up {
            LookUp::IdentifierFirst => by_mail().await,
            LookUp::MailFirst | LookUp::IdentifierOnly => Ok(None),
        }
    }
}

/// Whose rights a write runs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writer<'a> {
    /// The gateway's service account.
    Gateway,
    /// The help-desk agent at this DN, through the Proxied Authorization
    /// control (`helpdesk.write_as = "agent"`).
    Agent(&'a str),
}

/// Which of a person's values a flow looks up first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LookUp {
    /// A configured identifier, then a recovery address (sign-ins).
    IdentifierFirst,
    /// A recovery address, then a configured identifier (e-mail flows).
    MailFirst,
    /// A configured identifier only: for a caller who names the person
    /// without proving them and is told their login (the API's rules and
    /// check), a recovery address — the person's own, often private —
    /// must not lead to the login.
    IdentifierOnly,
}

/// A duration in seconds from the configuration, as chrono wants it.
pub(crate) fn seconds(value: u64) -> chrono::Duration {
    chrono::Duration::seconds(i64::try_from(value).unwrap_or(i64::MAX / 1000))
}
