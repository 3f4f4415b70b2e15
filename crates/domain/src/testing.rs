//! In-process fakes of the interfaces the domain owns, for the unit tests of
//! its decisions: a [`FakeDirectory`] that stores, compares-and-swaps and
//! binds the way the LDAP adapter does against slapd (a version that
//! changes with every modify, removals by value that fail when the value
//! is gone, `pwdChangedTime` in whole seconds, a password history), a
//! [`FakeMailer`] and a [`FakeAudit`] that record what they are given, a
//! settable [`FakeClock`], [`FakeHooks`] that count the runs, and a
//! [`World`] that builds gateways (one per "replica") over them. The flow
//! tests live in the modules below; each asserts what a person or an
//! operator would notice.

use crate::audit::{AuditEvent, AuditSink, AuditStep, Outcome, Visitor, Who};
use crate::flow::FlowName;
use crate::flows::IdentityInput;
use crate::gateway::{Adapters, Gateway, GatewaySettings, Journey, Proof};
use crate::identity::{BirthDate, Identifier, MailAddress};
use crate::mail::{MailFailure, MailKind, MailWatch, Mailer, OutgoingMail, PreparedMail};
use crate::person::{GatewayState, Person};
use crate::policy::PasswordPolicy;
use crate::ports::{
    Applied, BindProof, Change, Clock, Directory, DirectoryError, GroupMembers, HookReport, Hooks,
    PasswordChange, PasswordWrite, PasswordWriteError, ReplicaReport, WifiAnswer, WifiCheck,
    WriteKind,
};
use crate::ppolicy::{DirectoryPolicy, PpolicyLock};
use crate::reset_code::{CodeKey, ResetCode};
use crate::secret_answer::AnswerHasher;
use crate::settings::{FlowSettings, LockoutSettings, SiteSettings};
use crate::steps::new_password::NewPassword;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use secrecy::{ExposeSecret, SecretString};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

mod activation;
mod cooldowns;
mod crashes;
mod expiry;
mod helpdesk;
mod lockout;
mod not_me;
mod recovery;
mod second_proof;
mod stopped;
mod texting;
mod twins;
mod wifi;
mod writes;

/// The activation filter the fake understands (the default of
/// `flows.activation_filter`).
pub(crate) const ACTIVATION_FILTER: &str = "(passerelleActivationPending=TRUE)";

/// The password every test person starts with.
pub(crate) const CURRENT: &str = "Ancien-Secret-2024";

/// The answer to every test person's secret question.
pub(crate) const ANSWER: &str = "Minou des bois";

/// The question every test person chose.
pub(crate) const QUESTION: &str = "Quel est le nom de votre premier animal de compagnie ?";

/// The time the tests start at: 2026-03-02 10:00:00 UTC.
pub(crate) fn start() -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(1_772_445_600, 0).expect("a valid time")
}

/// The DN of the test person `login`.
pub(crate) fn dn_of(login: &str) -> String {
    format!("uid={login},ou=people,dc=univ-exemple,dc=fr")
}

fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

// ---------------------------------------------------------------------------
// The clock.

/// A clock that says what the test sets.
pub(crate) struct FakeClock(Mutex<DateTime<Utc>>);

impl FakeClock {
    pub(crate) fn at(now: DateTime<Utc>) -> FakeClock {
        FakeClock(Mutex::new(now))
    }

    pub(crate) fn set(&self, now: DateTime<Utc>) {
        *locked(&self.0) = now;
    }

    /// Moves the clock by `seconds` (negative: back).
    pub(crate) fn advance(&self, seconds: i64) {
        let mut now = locked(&self.0);
        *now += chrono::Duration::seconds(seconds);
    }
}

impl Clock for FakeClock {
    fn now(&self) -> DateTime<Utc> {
        *locked(&self.0)
    }
}

// ---------------------------------------------------------------------------
// The directory.

/// One entry of the fake directory: the person as the adapter would read
/// it, and what only the directory knows (the cleartext password, its
/// history, the identifier values, the entry's own policy).
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub person: Person,
    /// The current `userPassword`, in clear (the fake binds by comparing).
    pub password: Option<String>,
    /// Earlier passwords, the newest last (`pwdHistory`).
    pub history: Vec<String>,
    /// Values of the identifier attributes besides the login
    /// (`supannEtuId`, ...), matched exactly.
    pub identifiers: Vec<String>,
    /// The entry's own policy (`pwdPolicySubentry`); the directory's
    /// default otherwise.
    pub policy: Option<DirectoryPolicy>,
    /// Other attributes a configured filter may test (`objectClass`,
    /// `departmentNumber`…), as `(name, value)`; the login is `uid`, the
    /// names `sn`, `givenName` and `cn`, the identifiers are
    /// `supannEtuId`, the recovery addresses `supannMailPerso`.
    pub attributes: Vec<(String, String)>,
}

impl Entry {
    /// Jean Dupont-like test person `login`: born 2001-09-15, one recovery
    /// address `<login>@example.net`, student number `22001234`, the
    /// password [`CURRENT`], last changed on 2025-01-01, no question yet.
    pub(crate) fn person(login: &str) -> Entry {
        Entry {
            person: Person {
                dn: dn_of(login),
                login: login.to_owned(),
                given_name: Some("Jean".into()),
                sn: Some("Dupont".into()),
                display_name: "Jean Dupont".into(),
                recovery_mails: vec![format!("{login}@example.net")],
                institutional_mail: None,
                own_recovery_mail: None,
                mobiles: vec![],
                own_mobile: None,
                birth_date: NaiveDate::from_ymd_opt(2001, 9, 15),
                is_samba: false,
                is_shadow: false,
                has_gateway_class: true,
                activation_pending: false,
                name_values: vec!["Jean".into(), "Dupont".into()],
                identifiers: Vec::new(),
                affiliations: Vec::new(),
                state: GatewayState::default(),
                ppolicy_locked: false,
                administratively_locked: false,
                ppolicy: Default::default(),
                password_must_change: false,
                pwd_changed_time: Some("20250101000000Z".into()),
                pwd_start_time: None,
                pwd_end_time: None,
                shadow_expire: None,
                version: None,
            },
            password: Some(CURRENT.into()),
            history: Vec::new(),
            identifiers: vec!["22001234".into()],
            policy: None,
            attributes: vec![
                ("objectClass".into(), "person".into()),
                ("eduPersonAffiliation".into(), "student".into()),
            ],
        }
    }

    /// The value of every attribute a filter may test on this entry.
    fn values(&self, name: &str) -> Vec<String> {
        let person = &self.person;
        let mut values: Vec<String> = self
            .attributes
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
            .collect();
        match name.to_ascii_lowercase().as_str() {
            "uid" => values.push(person.login.clone()),
            "sn" => values.extend(person.sn.clone()),
            "givenname" => values.extend(person.given_name.clone()),
            "cn" | "displayname" => values.push(person.display_name.clone()),
            "supannetuid" => values.extend(self.identifiers.clone()),
            "supannmailperso" => values.extend(person.recovery_mails.clone()),
            "passerelleactivationpending" if person.activation_pending => {
                values.push("TRUE".into())
            }
            "passerellefrozentime" => values.extend(person.state.frozen.clone()),
            _ => {}
        }
        values
    }
}

/// The fake directory's `ldap.base_dn` and `ldap.person_filter`: what the
/// help desk's search and its reading of a DN are bounded by.
pub(crate) const PEOPLE_BASE: &str = "ou=people,dc=univ-exemple,dc=fr";
pub(crate) const PERSON_FILTER: &str = "(objectClass=person)";

/// Whether the help desk could find `entry` with `within`: under
/// [`PEOPLE_BASE`], matching [`PERSON_FILTER`] and `within`.
fn findable(entry: &Entry, within: &str) -> bool {
    crate::dn::is_within(&entry.person.dn, PEOPLE_BASE)
        && filter_matches(PERSON_FILTER, entry)
        && filter_matches(within, entry)
}

/// The few LDAP filters the fake directory evaluates: `&`, `|`, `!`,
/// equality without regard to case, presence (`=*`) and `*` wildcards.
pub(crate) fn filter_matches(filter: &str, entry: &Entry) -> bool {
    fn parse<'f>(filter: &'f str, entry: &Entry) -> Option<(bool, &'f str)> {
        let rest = filter.trim_start().strip_prefix('(')?;
        let (op, inner) = match rest.chars().next()? {
            c @ ('&' | '|' | '!') => (Some(c), &rest[1..]),
            _ => (None, rest),
        };
        match op {
            Some(op) => {
                let mut results = Vec::new();
                let mut rest = inner;
                while rest.trim_start().starts_with('(') {
                    let (result, after) = parse(rest, entry)?;
                    results.push(result);
                    rest = after;
                }
                let rest = rest.trim_start().strip_prefix(')')?;
                let value = match op {
                    '&' => results.iter().all(|r| *r),
                    '|' => results.iter().any(|r| *r),
                    _ => !results.first().copied().unwrap_or(false),
                };
                Some((value, rest))
            }
            None => {
                let end = inner.find(')')?;
                let (name, pattern) = inner[..end].split_once('=')?;
                let wanted = pattern.to_lowercase();
                let found = entry.values(name).iter().any(|value| {
                    let value = value.to_lowercase();
                    if !wanted.contains('*') {
                        return value == wanted;
                    }
                    let parts: Vec<&str> = wanted.split('*').collect();
                    let mut at = 0;
                    for (i, part) in parts.iter().enumerate() {
                        if i == 0 {
                            if !value.starts_with(part) {
                                return false;
                            }
                            at = part.len();
                        } else if let Some(found) = value[at..].find(part) {
                            at += found + part.len();
                        } else {
                            return false;
                        }
                    }
                    parts
                        .last()
                        .is_none_or(|last| last.is_empty() || value.ends_with(last))
                });
                Some((found, &inner[end + 1..]))
            }
        }
    }
    parse(filter, entry).is_some_and(|(result, rest)| result && rest.trim().is_empty())
}

/// What one password write carried, as the directory received it.
#[derive(Debug, Clone)]
pub(crate) struct WriteRecord {
    pub dn: String,
    pub password: String,
    pub kind: WriteKind,
    pub change_id: String,
    pub also: Vec<Change>,
    pub old_password: Option<String>,
}

/// One bind as a person, and how many failed attempts the entry held at
/// that moment (an attempt is counted before its secret is checked).
#[derive(Debug, Clone)]
pub(crate) struct BindRecord {
    pub dn: String,
    pub failures_on_entry: usize,
}

/// How the next password write misbehaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WriteFault {
    /// The directory did not answer in time and did not apply it.
    TimeoutNotApplied,
    /// The directory applied it but its answer was lost (and the adapter's
    /// own re-read failed too): the domain sees a timeout.
    AppliedAnswerLost,
}

type Edit = Box<dyn FnOnce(&mut Entry) + Send>;
type ChangesMatch = Box<dyn Fn(&[Change]) -> bool + Send>;

#[derive(Default)]
struct Store {
    entries: BTreeMap<String, Entry>,
    last_version: u64,
    writes: Vec<WriteRecord>,
    applied: Vec<(String, Vec<Change>)>,
    binds: Vec<BindRecord>,
    write_faults: Vec<WriteFault>,
    /// Another writer landing just before the next password write.
    before_write: Vec<(String, Edit)>,
    /// Another writer landing just before the next state update whose
    /// changes match.
    before_apply: Vec<(String, ChangesMatch, Edit)>,
    /// Groups (their DN) and the DNs of their members.
    groups: BTreeMap<String, Vec<String>>,
    /// (agent, entry) pairs the directory's ACLs refuse a proxied write.
    denied: Vec<(String, String)>,
    /// The agent each proxied write (state or password) ran as, in order.
    written_as: Vec<(String, String)>,
}

impl Store {
    fn bump(&mut self, dn: &str) {
        self.last_version += 1;
        let version = format!("csn-{:06}", self.last_version);
        if let Some(entry) = self.entries.get_mut(dn) {
            entry.person.version = Some(version);
        }
    }

    fn run_edits_before_write(&mut self, dn: &str) {
        let (now, later): (Vec<_>, Vec<_>) = std::mem::take(&mut self.before_write)
            .into_iter()
            .partition(|(target, _)| target == dn);
        self.before_write = later;
        for (_, edit) in now {
            if let Some(entry) = self.entries.get_mut(dn) {
                edit(entry);
            }
            self.bump(dn);
        }
    }

    fn run_edits_before_apply(&mut self, dn: &str, changes: &[Change]) {
        let mut kept = Vec::new();
        let mut due = Vec::new();
        for (target, matches, edit) in std::mem::take(&mut self.before_apply) {
            if target == dn && matches(changes) && due.is_empty() {
                due.push(edit);
            } else {
                kept.push((target, matches, edit));
            }
        }
        self.before_apply = kept;
        for edit in due {
            if let Some(entry) = self.entries.get_mut(dn) {
                edit(entry);
            }
            self.bump(dn);
        }
    }
}

/// The directory, in memory, as the LDAP adapter presents slapd: see the
/// module's note.
pub(crate) struct FakeDirectory {
    store: Mutex<Store>,
    clock: Arc<FakeClock>,
    policy: Mutex<DirectoryPolicy>,
}

/// Lets other tasks run, as a round trip to slapd would: two replicas
/// asking at once interleave between their reads and their writes.
async fn round_trip() {
    tokio::task::yield_now().await;
}

impl FakeDirectory {
    pub(crate) fn new(clock: Arc<FakeClock>) -> FakeDirectory {
        FakeDirectory {
            store: Mutex::new(Store::default()),
            clock,
            policy: Mutex::new(DirectoryPolicy {
                dn: "cn=default,ou=policies,dc=univ-exemple,dc=fr".into(),
                in_history: 3,
                ..DirectoryPolicy::default()
            }),
        }
    }

    /// Adds `entry` (replacing one at the same DN).
    pub(crate) fn add(&self, entry: Entry) {
        let mut store = locked(&self.store);
        let dn = entry.person.dn.clone();
        store.entries.insert(dn.clone(), entry);
        store.bump(&dn);
    }

    /// Changes the entry at `dn` as IT (or another program) would: its
    /// version changes.
    pub(crate) fn edit(&self, dn: &str, edit: impl FnOnce(&mut Entry)) {
        let mut store = locked(&self.store);
        let entry = store.entries.get_mut(dn).expect("an entry to edit");
        edit(entry);
        store.bump(dn);
    }

    /// The directory's default policy, changed.
    pub(crate) fn set_policy(&self, edit: impl FnOnce(&mut DirectoryPolicy)) {
        edit(&mut locked(&self.policy));
    }

    /// The entry at `dn` as stored now.
    pub(crate) fn entry(&self, dn: &str) -> Entry {
        locked(&self.store)
            .entries
            .get(dn)
            .cloned()
            .expect("an entry")
    }

    /// The person at `dn` as the adapter would read it now.
    pub(crate) fn person(&self, dn: &str) -> Person {
        self.entry(dn).person
    }

    /// Every password write the directory applied, in order.
    pub(crate) fn writes(&self) -> Vec<WriteRecord> {
        locked(&self.store).writes.clone()
    }

    /// Every state update the directory applied (guarded or not), in order.
    pub(crate) fn applied(&self) -> Vec<(String, Vec<Change>)> {
        locked(&self.store).applied.clone()
    }

    /// Every bind as a person, in order.
    pub(crate) fn binds(&self) -> Vec<BindRecord> {
        locked(&self.store).binds.clone()
    }

    /// The group at `dn` holds `members` (their DNs).
    pub(crate) fn set_group(&self, dn: &str, members: &[&str]) {
        locked(&self.store).groups.insert(
            dn.to_owned(),
            members.iter().map(|m| (*m).to_owned()).collect(),
        );
    }

    /// The directory's ACLs refuse the agent at `agent` any proxied write
    /// on the entry at `dn`.
    pub(crate) fn deny(&self, agent: &str, dn: &str) {
        locked(&self.store)
            .denied
            .push((agent.to_owned(), dn.to_owned()));
    }

    /// `(agent, entry)` of every proxied write applied, in order.
    pub(crate) fn written_as(&self) -> Vec<(String, String)> {
        locked(&self.store).written_as.clone()
    }

    fn allowed_as(&self, agent: &str, dn: &str) -> bool {
        let mut store = locked(&self.store);
        let denied = store.denied.iter().any(|(a, d)| a == agent && d == dn);
        if !denied {
            store.written_as.push((agent.to_owned(), dn.to_owned()));
        }
        !denied
    }

    /// The next password write misbehaves as `fault` says.
    pub(crate) fn fail_next_write(&self, fault: WriteFault) {
        locked(&self.store).write_faults.push(fault);
    }

    /// Just before the next password write to `dn` reaches the entry,
    /// another writer changes it with `edit`.
    pub(crate) fn before_next_write(
        &self,
        dn: &str,
        edit: impl FnOnce(&mut Entry) + Send + 'static,
    ) {
        locked(&self.store)
            .before_write
            .push((dn.to_owned(), Box::new(edit)));
    }

    /// Just before the next state update of `dn` whose changes satisfy
    /// `matches` reaches the entry, another writer changes it with `edit`.
    pub(crate) fn before_next_apply(
        &self,
        dn: &str,
        matches: impl Fn(&[Change]) -> bool + Send + 'static,
        edit: impl FnOnce(&mut Entry) + Send + 'static,
    ) {
        locked(&self.store)
            .before_apply
            .push((dn.to_owned(), Box::new(matches), Box::new(edit)));
    }

    fn policy_of(&self, entry: &Entry) -> DirectoryPolicy {
        entry
            .policy
            .clone()
            .unwrap_or_else(|| locked(&self.policy).clone())
    }

    fn apply_now(&self, person: &Person, changes: &[Change], guarded: bool) -> Applied {
        let mut store = locked(&self.store);
        store.run_edits_before_apply(&person.dn, changes);
        let Some(entry) = store.entries.get_mut(&person.dn) else {
            return Applied::Raced;
        };
        // The assertion on entryCSN (rc 122).
        if guarded && person.version.is_some() && person.version != entry.person.version {
            return Applied::Raced;
        }
        // One modify: all of it or nothing (rc 16, rc 20).
        let mut changed = entry.person.clone();
        if apply_changes(&mut changed, changes).is_err() {
            return Applied::Raced;
        }
        entry.person = changed;
        store.applied.push((person.dn.clone(), changes.to_vec()));
        store.bump(&person.dn);
        Applied::Yes
    }

    fn find(&self, matches: impl Fn(&Entry) -> bool) -> Result<Option<Person>, DirectoryError> {
        let store = locked(&self.store);
        let found: Vec<&Entry> = store.entries.values().filter(|e| matches(e)).collect();
        match found.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one.person.clone())),
            _ => Err(DirectoryError::Ambiguous),
        }
    }
}

/// The seconds-only `pwdChangedTime` slapd writes.
pub(crate) fn changed_time(at: DateTime<Utc>) -> String {
    at.format("%Y%m%d%H%M%SZ").to_string()
}

/// Applies `changes` to `person` as one LDAP modify would: a value to
/// remove that is gone (rc 16) or a value to add that is there (rc 20)
/// fails the whole of it.
fn apply_changes(person: &mut Person, changes: &[Change]) -> Result<(), ()> {
    let state = &mut person.state;
    for change in changes {
        match change {
            Change::AddFailure(at) => {
                if state.failure_times.contains(at) {
                    return Err(());
                }
                state.failure_times.push(*at);
            }
            Change::RemoveFailures(times) => {
                for time in times {
                    let at = state
                        .failure_times
                        .iter()
                        .position(|t| t == time)
                        .ok_or(())?;
                    state.failure_times.remove(at);
                }
            }
            Change::ClearFailures => state.failure_times.clear(),
            Change::LockUntil(until) => state.locked_until = Some(*until),
            Change::RemoveLock(Some(until)) => {
                if state.locked_until != Some(*until) {
                    return Err(());
                }
                state.locked_until = None;
            }
            Change::RemoveLock(None) => state.locked_until = None,
            Change::SetSecret {
                question,
                answer_hash,
            } => {
                state.question = Some(question.clone());
                state.answer_hash = Some(answer_hash.clone());
            }
            Change::ClearSecret => {
                state.question = None;
                state.answer_hash = None;
            }
            Change::SetCode {
                hash,
                expiry,
                tries,
                sent_at,
            } => {
                state.code_hash = Some(hash.clone());
                state.code_expiry = Some(*expiry);
                state.code_tries_left = Some(*tries);
                state.code_sent = Some(*sent_at);
            }
            Change::SpendCodeTry { left } => {
                if state.code_tries_left != Some(*left) {
                    return Err(());
                }
                state.code_tries_left = Some(left.saturating_sub(1));
            }
            Change::ClearCode => {
                state.code_hash = None;
                state.code_expiry = None;
                state.code_tries_left = None;
                state.code_sent = None;
            }
            Change::MailSent(at) => state.mail_sent = Some(*at),
            Change::Freeze {
                at,
                reason,
                change_id,
            } => {
                state.frozen = Some(crate::generalized_time::format_generalized_time(*at));
                state.frozen_reason = Some(reason.clone());
                state.disowned_change = Some(change_id.clone());
            }
            Change::Unfreeze => {
                state.frozen = None;
                state.frozen_reason = None;
            }
            Change::HoldTemporary { hash, expiry } => {
                state.pending_temp_hash = Some(hash.clone());
                state.pending_temp_expiry = Some(*expiry);
            }
            Change::DropHeldTemporary => {
                state.pending_temp_hash = None;
                state.pending_temp_expiry = None;
            }
            Change::ClearTemporaryExpiry => state.temp_password_expiry = None,
            Change::ExpiryNotice(notice) => state.expiry_notice = Some(notice.clone()),
            Change::EndActivation => person.activation_pending = false,
            Change::SmsSent(at) => {
                if state.sms_sent.contains(at) {
                    return Err(());
                }
                state.sms_sent.push(*at);
            }
            Change::ForgetSmsSent(times) => {
                for time in times {
                    let at = state.sms_sent.iter().position(|t| t == time).ok_or(())?;
                    state.sms_sent.remove(at);
                }
            }
            Change::RecoveryCodeUsed(used) => {
                if state.recovery_codes_used.contains(used) {
                    return Err(());
                }
                state.recovery_codes_used.push(used.clone());
            }
            Change::ForgetRecoveryCodes(used) => {
                for value in used {
                    let at = state
                        .recovery_codes_used
                        .iter()
                        .position(|v| v == value)
                        .ok_or(())?;
                    state.recovery_codes_used.remove(at);
                }
            }
            Change::SetRecoveryMail(value) => {
                if let Some(old) = person.own_recovery_mail.take() {
                    person.recovery_mails.retain(|m| *m != old);
                }
                if let Some(new) = value {
                    person.recovery_mails.insert(0, new.clone());
                }
                person.own_recovery_mail = value.clone();
            }
            Change::SetMobile(value) => {
                if let Some(old) = person.own_mobile.take() {
                    person.mobiles.retain(|m| *m != old);
                }
                if let Some(new) = value {
                    person.mobiles.insert(0, new.clone());
                }
                person.own_mobile = value.clone();
            }
            Change::BreachNotice(notice) => state.breach_notice = Some(notice.clone()),
            Change::ForceChange => person.password_must_change = true,
            Change::ClearPpolicyLock => {
                person.ppolicy.lock = PpolicyLock::None;
                person.ppolicy_locked = false;
                person.administratively_locked = false;
            }
        }
    }
    Ok(())
}

#[async_trait]
impl Directory for FakeDirectory {
    async fn ping(&self) -> Result<(), DirectoryError> {
        Ok(())
    }

    async fn find_by_identifier(
        &self,
        identifier: &Identifier,
    ) -> Result<Option<Person>, DirectoryError> {
        round_trip().await;
        let typed = identifier.as_str();
        self.find(|e| {
            e.person.login.eq_ignore_ascii_case(typed) || e.identifiers.iter().any(|i| i == typed)
        })
    }

    async fn find_by_mail(&self, mail: &MailAddress) -> Result<Option<Person>, DirectoryError> {
        round_trip().await;
        let typed = mail.as_str();
        self.find(|e| {
            e.person
                .recovery_mails
                .iter()
                .any(|m| m.eq_ignore_ascii_case(typed))
        })
    }

    async fn read(&self, dn: &str) -> Result<Option<Person>, DirectoryError> {
        round_trip().await;
        Ok(locked(&self.store)
            .entries
            .get(dn)
            .map(|e| e.person.clone()))
    }

    async fn matches(&self, dn: &str, filter: &str) -> Result<bool, DirectoryError> {
        round_trip().await;
        let store = locked(&self.store);
        let Some(entry) = store.entries.get(dn) else {
            return Ok(false);
        };
        match filter {
            ACTIVATION_FILTER => Ok(entry.person.activation_pending),
            "(objectClass=*)" => Ok(true),
            other => Ok(filter_matches(other, entry)),
        }
    }

    async fn read_findable(
        &self,
        dn: &str,
        within: &str,
    ) -> Result<Option<Person>, DirectoryError> {
        round_trip().await;
        let store = locked(&self.store);
        Ok(store
            .entries
            .get(dn)
            .filter(|entry| findable(entry, within))
            .map(|e| e.person.clone()))
    }

    async fn policy(&self, person: &Person) -> Result<DirectoryPolicy, DirectoryError> {
        let store = locked(&self.store);
        Ok(match store.entries.get(&person.dn) {
            Some(entry) => self.policy_of(entry),
            None => locked(&self.policy).clone(),
        })
    }

    async fn apply(&self, person: &Person, changes: &[Change]) -> Result<Applied, DirectoryError> {
        round_trip().await;
        Ok(self.apply_now(person, changes, true))
    }

    async fn apply_unguarded(
        &self,
        person: &Person,
        changes: &[Change],
    ) -> Result<Applied, DirectoryError> {
        round_trip().await;
        Ok(self.apply_now(person, changes, false))
    }

    async fn bind(
        &self,
        person: &Person,
        password: &SecretString,
    ) -> Result<BindProof, DirectoryError> {
        round_trip().await;
        let now = self.clock.now();
        let mut store = locked(&self.store);
        let Some(entry) = store.entries.get(&person.dn).cloned() else {
            return Ok(BindProof::Invalid);
        };
        store.binds.push(BindRecord {
            dn: person.dn.clone(),
            failures_on_entry: entry.person.state.failure_times.len(),
        });
        let policy = self.policy_of(&entry);
        match entry.person.ppolicy.lock {
            PpolicyLock::None => {}
            PpolicyLock::Administrative => return Ok(BindProof::Locked),
            PpolicyLock::Timed { .. } => {
                let ends = entry.person.ppolicy.lock.ends_at(&policy);
                if ends.is_none_or(|end| end > now) {
                    return Ok(BindProof::Locked);
                }
            }
        }
        let typed = password.expose_secret();
        let right = !typed.is_empty() && entry.password.as_deref() == Some(typed);
        Ok(match (right, entry.person.password_must_change) {
            (false, _) => BindProof::Invalid,
            (true, true) => BindProof::MustChange,
            (true, false) => BindProof::Valid,
        })
    }

    async fn write_password(
        &self,
        person: &Person,
        write: &PasswordWrite<'_>,
    ) -> Result<Option<Person>, PasswordWriteError> {
        round_trip().await;
        let now = self.clock.now();
        let mut store = locked(&self.store);
        let fault = (!store.write_faults.is_empty()).then(|| store.write_faults.remove(0));
        if fault == Some(WriteFault::TimeoutNotApplied) {
            return Err(DirectoryError::Timeout.into());
        }
        store.run_edits_before_write(&person.dn);
        let Some(entry) = store.entries.get(&person.dn).cloned() else {
            return Err(DirectoryError::Unexpected(anyhow::anyhow!("no such entry")).into());
        };
        let policy = self.policy_of(&entry);
        let new = write.password.expose_secret();
        // ppolicy judges the history before the assertion is evaluated.
        if policy.in_history > 0 {
            let recent = entry
                .password
                .iter()
                .chain(entry.history.iter().rev())
                .take(policy.in_history as usize);
            if recent.into_iter().any(|old| old == new) {
                return Err(PasswordWriteError::InHistory);
            }
        }
        if policy.safe_modify {
            match write.old_password {
                None => return Err(PasswordWriteError::MustSupplyOldPassword),
                // ppolicy checks the old value before the version: a wrong
                // one is refused as "must supply the old password" (rc 53,
                // ppolicy error 4, measured on slapd 2.5.13).
                Some(old) if entry.password.as_deref() != Some(old.expose_secret()) => {
                    return Err(PasswordWriteError::MustSupplyOldPassword)
                }
                Some(_) => {}
            }
        }
        if person.version.is_some() && person.version != entry.person.version {
            return Err(PasswordWriteError::Raced);
        }
        let mut written = entry.clone();
        if apply_changes(&mut written.person, &write.also).is_err() {
            return Err(PasswordWriteError::Raced);
        }
        if let Some(old) = written.password.replace(new.to_owned()) {
            written.history.push(old);
        }
        let person = &mut written.person;
        person.pwd_changed_time = Some(changed_time(now));
        person.state.change_id = Some(write.change_id.clone());
        // A password write lifts ppolicy's lock (it clears
        // pwdAccountLockedTime and pwdFailureTime).
        person.ppolicy.lock = PpolicyLock::None;
        person.ppolicy_locked = false;
        match write.kind {
            WriteKind::Chosen => person.password_must_change = false,
            WriteKind::Temporary { expires } => {
                person.password_must_change = true;
                person.state.temp_password_expiry = Some(expires);
            }
            WriteKind::Retired => person.password_must_change = true,
        }
        let dn = written.person.dn.clone();
        store.entries.insert(dn.clone(), written);
        store.bump(&dn);
        let after = store.entries.get(&dn).map(|entry| entry.person.clone());
        store.writes.push(WriteRecord {
            dn,
            password: new.to_owned(),
            kind: write.kind,
            change_id: write.change_id.clone(),
            also: write.also.clone(),
            old_password: write.old_password.map(|p| p.expose_secret().to_owned()),
        });
        if fault == Some(WriteFault::AppliedAnswerLost) {
            return Err(DirectoryError::Timeout.into());
        }
        Ok(after)
    }

    fn has_replicas(&self) -> bool {
        false
    }

    async fn confirm_on_replicas(&self, _: &Person, _: &SecretString) -> ReplicaReport {
        ReplicaReport::default()
    }

    async fn apply_as(
        &self,
        agent: &str,
        person: &Person,
        changes: &[Change],
    ) -> Result<Applied, DirectoryError> {
        round_trip().await;
        if !self.allowed_as(agent, &person.dn) {
            return Err(DirectoryError::Forbidden);
        }
        Ok(self.apply_now(person, changes, true))
    }

    async fn write_password_as(
        &self,
        agent: &str,
        person: &Person,
        write: &PasswordWrite<'_>,
    ) -> Result<(), PasswordWriteError> {
        if !self.allowed_as(agent, &person.dn) {
            return Err(DirectoryError::Forbidden.into());
        }
        self.write_password(person, write).await.map(drop)
    }

    async fn group_members(&self, groups: &[String]) -> Result<GroupMembers, DirectoryError> {
        round_trip().await;
        let store = locked(&self.store);
        Ok(GroupMembers {
            dns: groups
                .iter()
                .filter_map(|group| store.groups.get(group))
                .flatten()
                .cloned()
                .collect(),
            logins: Vec::new(),
        })
    }

    async fn member_of(
        &self,
        person: &Person,
        groups: &[String],
    ) -> Result<Vec<String>, DirectoryError> {
        round_trip().await;
        let store = locked(&self.store);
        Ok(groups
            .iter()
            .filter(|group| {
                store.groups.get(*group).is_some_and(|members| {
                    members
                        .iter()
                        .any(|m| crate::helpdesk::same_dn(m, &person.dn))
                })
            })
            .cloned()
            .collect())
    }

    async fn search_people(
        &self,
        search: &crate::ports::PeopleSearch,
        within: &str,
        limit: usize,
    ) -> Result<Vec<Person>, DirectoryError> {
        use crate::ports::PeopleSearch;
        round_trip().await;
        let store = locked(&self.store);
        let wanted = |entry: &Entry| match search {
            PeopleSearch::Text(text) => {
                let typed = text.as_str().to_lowercase();
                let person = &entry.person;
                person.login.eq_ignore_ascii_case(&typed)
                    || entry.identifiers.iter().any(|i| i.to_lowercase() == typed)
                    || person
                        .recovery_mails
                        .iter()
                        .any(|m| m.to_lowercase() == typed)
                    || [
                        &person.sn,
                        &person.given_name,
                        &Some(person.display_name.clone()),
                    ]
                    .into_iter()
                    .flatten()
                    .any(|name| name.to_lowercase().starts_with(&typed))
            }
            PeopleSearch::Stopped { now } => {
                let state = &entry.person.state;
                state.frozen.is_some()
                    || state.locked_until.is_some_and(|until| until > *now)
                    || entry.person.ppolicy.lock != PpolicyLock::None
            }
        };
        Ok(store
            .entries
            .values()
            .filter(|e| wanted(e) && findable(e, within))
            .take(limit)
            .map(|e| e.person.clone())
            .collect())
    }

    async fn expired_temporaries(&self, now: DateTime<Utc>) -> Result<Vec<Person>, DirectoryError> {
        round_trip().await;
        let store = locked(&self.store);
        Ok(store
            .entries
            .values()
            .filter(|e| {
                let state = &e.person.state;
                state.temp_password_expiry.is_some_and(|t| t <= now)
                    || state.pending_temp_expiry.is_some_and(|t| t <= now)
            })
            .map(|e| e.person.clone())
            .collect())
    }
}

// ---------------------------------------------------------------------------
// The mailer, the audit trail, the hooks.

/// Records every mail delivered, and keeps a spool the way the mail
/// adapter does (promises, held mails), so that a test can stop a gateway
/// at a chosen point ([`Crash`]) and start another on what it left
/// ([`World::restart`]).
#[derive(Default)]
pub(crate) struct FakeMailer {
    sent: Mutex<Vec<OutgoingMail>>,
    spool: Mutex<BTreeMap<u64, FakeRecord>>,
    next_id: AtomicUsize,
    crash: Mutex<Option<Crash>>,
    left: Mutex<Vec<crate::mail::LeftOver>>,
}

/// A record of the fake spool.
#[derive(Clone)]
enum FakeRecord {
    Promise(Vec<u8>),
    Held(OutgoingMail, Vec<u8>),
    OnItsWay(OutgoingMail, Option<Vec<u8>>),
}

/// Where a gateway stops, as a process killed there would: the call
/// never returns and nothing after it happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Crash {
    /// When the promise is to be replaced by the held mail (not written).
    BeforeHold,
    /// Once the held mail is on disk, before the entry stores anything.
    AfterHold,
    /// When the held mail is released: the entry stored what it carries,
    /// the mail never leaves.
    AtRelease,
    /// When a mail is accepted: on disk, never delivered.
    AtSend,
}

/// A crashed call: never returns.
async fn crashed<T>() -> T {
    std::future::pending().await
}

impl FakeMailer {
    /// Stops the gateway at `crash` from now on.
    pub(crate) fn crash_at(&self, crash: Crash) {
        *locked(&self.crash) = Some(crash);
    }

    fn crashes_at(&self, crash: Crash) -> bool {
        *locked(&self.crash) == Some(crash)
    }

    /// What a new gateway started on this one's spool finds: the same
    /// records, and the mails delivered so far (to read them in one list).
    pub(crate) fn restarted(&self) -> FakeMailer {
        use crate::mail::{HeldMail, LeftOver, MailPromise, SpooledMail};
        let spool = locked(&self.spool).clone();
        let left = spool
            .iter()
            .map(|(id, record)| match record {
                FakeRecord::Promise(note) => LeftOver::Promise {
                    promise: MailPromise::new(*id),
                    note: note.clone(),
                },
                FakeRecord::Held(_, note) => LeftOver::Held {
                    held: HeldMail::new(*id),
                    note: note.clone(),
                },
                FakeRecord::OnItsWay(_, note) => LeftOver::OnItsWay {
                    mail: SpooledMail::new(*id),
                    note: note.clone(),
                },
            })
            .collect();
        FakeMailer {
            sent: Mutex::new(self.sent()),
            spool: Mutex::new(spool),
            next_id: AtomicUsize::new(self.next_id.load(Ordering::SeqCst)),
            crash: Mutex::new(None),
            left: Mutex::new(left),
        }
    }

    /// How many records the spool holds.
    pub(crate) fn spooled(&self) -> usize {
        locked(&self.spool).len()
    }

    /// How many of them are held mails.
    pub(crate) fn held(&self) -> usize {
        locked(&self.spool)
            .values()
            .filter(|r| matches!(r, FakeRecord::Held(..)))
            .count()
    }

    fn id_of<T: 'static>(token: Option<T>) -> T {
        token.expect("a token of this mailer")
    }

    /// Delivers the record `id` (the relay took it): its file is removed.
    fn deliver(&self, id: u64) {
        let record = locked(&self.spool).remove(&id);
        match record {
            Some(FakeRecord::Held(mail, _)) | Some(FakeRecord::OnItsWay(mail, _)) => {
                locked(&self.sent).push(mail)
            }
            Some(FakeRecord::Promise(_)) => panic!("a promise is never delivered"),
            None => panic!("no record {id} to deliver"),
        }
    }

    /// Every mail queued, in order.
    pub(crate) fn sent(&self) -> Vec<OutgoingMail> {
        locked(&self.sent).clone()
    }

    /// The mails of `template` (`password_changed`, `reset_code`, ...).
    pub(crate) fn of(&self, template: &str) -> Vec<OutgoingMail> {
        self.sent()
            .into_iter()
            .filter(|m| m.kind.template_name() == template)
            .collect()
    }

    /// The code of the last code mail.
    pub(crate) fn last_code(&self) -> ResetCode {
        self.sent()
            .iter()
            .rev()
            .find_map(|m| match &m.kind {
                MailKind::ResetCode { code, .. } => ResetCode::parse(code.expose_secret()),
                _ => None,
            })
            .expect("a code mail")
    }

    /// The password of the last temporary-password mail.
    pub(crate) fn last_temporary(&self) -> SecretString {
        self.sent()
            .iter()
            .rev()
            .find_map(|m| match &m.kind {
                MailKind::TemporaryPassword { password, .. } => Some(password.clone()),
                _ => None,
            })
            .expect("a temporary-password mail")
    }

    /// The « Ce n'était pas moi » token of the last "password changed" mail.
    pub(crate) fn last_not_me_token(&self) -> String {
        self.sent()
            .iter()
            .rev()
            .find_map(|m| match &m.kind {
                MailKind::PasswordChanged {
                    not_me_url: Some(url),
                    ..
                } => url.rsplit('/').next().map(str::to_owned),
                _ => None,
            })
            .expect("a password-changed mail with a not-me link")
    }
}

#[async_trait]
impl Mailer for FakeMailer {
    fn prepare(&self, mail: OutgoingMail) -> Result<PreparedMail, MailFailure> {
        if !mail.to.contains('@') || mail.to.chars().any(char::is_control) {
            return Err(MailFailure::InvalidRecipient);
        }
        Ok(PreparedMail::new(mail.kind.template_name(), mail))
    }

    async fn send(
        &self,
        mail: PreparedMail,
        note: Option<Vec<u8>>,
        _: Option<MailWatch>,
    ) -> Result<(), MailFailure> {
        let mail = mail
            .into_payload::<OutgoingMail>()
            .ok_or(MailFailure::NotComposed)?;
        let id = self.next_id.fetch_add(1, Ordering::SeqCst) as u64;
        locked(&self.spool).insert(id, FakeRecord::OnItsWay(mail, note));
        if !self.crashes_at(Crash::AtSend) {
            self.deliver(id);
        }
        Ok(())
    }

    async fn promise(&self, note: Vec<u8>) -> Result<crate::mail::MailPromise, MailFailure> {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst) as u64;
        locked(&self.spool).insert(id, FakeRecord::Promise(note));
        Ok(crate::mail::MailPromise::new(id))
    }

    async fn hold(
        &self,
        promise: crate::mail::MailPromise,
        mail: PreparedMail,
        note: Vec<u8>,
    ) -> Result<crate::mail::HeldMail, MailFailure> {
        if self.crashes_at(Crash::BeforeHold) {
            return crashed().await;
        }
        let id: u64 = Self::id_of(promise.into_payload());
        let mail = mail
            .into_payload::<OutgoingMail>()
            .ok_or(MailFailure::NotComposed)?;
        locked(&self.spool).insert(id, FakeRecord::Held(mail, note));
        if self.crashes_at(Crash::AfterHold) {
            return crashed().await;
        }
        Ok(crate::mail::HeldMail::new(id))
    }

    fn release(&self, held: crate::mail::HeldMail, _: Option<MailWatch>) {
        if !self.crashes_at(Crash::AtRelease) {
            self.deliver(Self::id_of(held.into_payload()));
        }
    }

    fn reopen(&self, held: crate::mail::HeldMail) -> crate::mail::MailPromise {
        crate::mail::MailPromise::new(Self::id_of::<u64>(held.into_payload()))
    }

    async fn withdraw_promise(&self, promise: crate::mail::MailPromise) {
        let id: u64 = Self::id_of(promise.into_payload());
        locked(&self.spool).remove(&id);
    }

    async fn withdraw_held(&self, held: crate::mail::HeldMail) {
        let id: u64 = Self::id_of(held.into_payload());
        locked(&self.spool).remove(&id);
    }

    fn left_over(&self) -> Vec<crate::mail::LeftOver> {
        std::mem::take(&mut *locked(&self.left))
    }

    fn resume(&self, mail: crate::mail::SpooledMail, _: Option<MailWatch>) {
        self.deliver(Self::id_of(mail.into_payload()));
    }
}

/// One audit event as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Recorded {
    pub flow: FlowName,
    pub flow_id: String,
    pub step: AuditStep,
    pub outcome: Outcome,
    /// The login (or the DN when only that is known).
    pub account: Option<String>,
    /// At the help desk: the agent's login, the profile, the reason, how
    /// the caller was verified, what was searched.
    pub agent: Option<String>,
    pub profile: Option<String>,
    pub reason: Option<String>,
    pub verified_by: Option<String>,
    pub query: Option<String>,
}

/// Records every audit event.
#[derive(Default)]
pub(crate) struct FakeAudit {
    events: Mutex<Vec<Recorded>>,
}

impl FakeAudit {
    pub(crate) fn events(&self) -> Vec<Recorded> {
        locked(&self.events).clone()
    }

    /// The (step, outcome) of every event, in order.
    pub(crate) fn outcomes(&self) -> Vec<(AuditStep, Outcome)> {
        self.events().iter().map(|e| (e.step, e.outcome)).collect()
    }

    /// How many events of `step` ended with `outcome`.
    pub(crate) fn count(&self, step: AuditStep, outcome: Outcome) -> usize {
        self.events()
            .iter()
            .filter(|e| e.step == step && e.outcome == outcome)
            .count()
    }

    /// The outcomes recorded under `step`, in order.
    pub(crate) fn of_step(&self, step: AuditStep) -> Vec<Outcome> {
        self.events()
            .iter()
            .filter(|e| e.step == step)
            .map(|e| e.outcome)
            .collect()
    }

    /// Waits (polling, at most 5 s) until `step` was recorded `n` times:
    /// for the work a flow does off the request path.
    pub(crate) async fn wait_for(&self, step: AuditStep, n: usize) -> Vec<Outcome> {
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        loop {
            let seen = self.of_step(step);
            if seen.len() >= n {
                return seen;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{} event(s) under {} never came: {:?}",
                n,
                step.name(),
                self.outcomes()
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }
}

impl AuditSink for FakeAudit {
    fn record(&self, event: &AuditEvent<'_>) {
        let account = match event.who {
            Who::Nobody => None,
            Who::Login(login) => Some(login.to_owned()),
            Who::Dn(dn) => Some(dn.to_owned()),
            Who::Person(person) => Some(person.login.clone()),
        };
        let desk = event.desk.unwrap_or_default();
        let some = |value: &str| (!value.is_empty()).then(|| value.to_owned());
        locked(&self.events).push(Recorded {
            flow: event.flow,
            flow_id: event.flow_id.to_owned(),
            step: event.step,
            outcome: event.outcome,
            account,
            agent: some(desk.agent_login),
            profile: some(desk.profile),
            reason: desk.reason.map(str::to_owned),
            verified_by: desk.verified_by.map(str::to_owned),
            query: desk.query.map(str::to_owned),
        });
    }

    fn flow_started(&self, _: FlowName) {}
}

/// Counts the hook runs started (the site's webhook and command).
#[derive(Default)]
pub(crate) struct FakeHooks {
    runs: AtomicUsize,
}

impl FakeHooks {
    pub(crate) fn runs(&self) -> usize {
        self.runs.load(Ordering::SeqCst)
    }
}

impl Hooks for FakeHooks {
    fn after_change(&self, _: PasswordChange, _: &SecretString, _: HookReport) {
        self.runs.fetch_add(1, Ordering::SeqCst);
    }
}

/// The SMS adapter in memory: French numbers read the way libphonenumber
/// reads them for the tests' needs (06/07 mobiles, in every spelling the
/// pages accept; 01-05 and 09 landlines; 08 premium rate), and every text
/// sent recorded.
#[derive(Default)]
pub(crate) struct FakeTexter {
    sent: Mutex<Vec<(String, String)>>,
    /// Texts are refused by the gateway (a 4xx).
    pub refusing: std::sync::atomic::AtomicBool,
}

impl FakeTexter {
    /// Every text sent: (E.164 number, text).
    pub(crate) fn sent(&self) -> Vec<(String, String)> {
        locked(&self.sent).clone()
    }

    /// The texts sent to `e164`.
    pub(crate) fn to(&self, e164: &str) -> Vec<String> {
        self.sent()
            .into_iter()
            .filter(|(to, _)| to == e164)
            .map(|(_, text)| text)
            .collect()
    }

    /// The 6-digit code of the last text sent to `e164`.
    pub(crate) fn last_code(&self, e164: &str) -> ResetCode {
        self.to(e164)
            .iter()
            .rev()
            .find_map(|text| {
                text.split(|c: char| !c.is_ascii_digit())
                    .find(|word| word.len() == 6)
                    .and_then(ResetCode::parse)
            })
            .expect("a text with a code")
    }

    /// Waits (polling, at most 5 s) until `n` texts were sent: for the
    /// work a flow does off the request path.
    pub(crate) async fn wait_for(&self, n: usize) -> Vec<(String, String)> {
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        loop {
            let sent = self.sent();
            if sent.len() >= n {
                return sent;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{n} text(s) never came: {sent:?}"
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }
}

/// The site's RADIUS server as the Wi-Fi check sees it: answers what it is
/// set to (Accepted unless told otherwise) and keeps every question asked
/// (login and password), so a test can count the login attempts.
pub(crate) struct FakeWifi {
    answer: Mutex<WifiAnswer>,
    asked: Mutex<Vec<(String, String)>>,
}

impl Default for FakeWifi {
    fn default() -> Self {
        FakeWifi {
            answer: Mutex::new(WifiAnswer::Accepted),
            asked: Mutex::new(Vec::new()),
        }
    }
}

#[async_trait]
impl crate::sms::Texter for FakeTexter {
    fn is_enabled(&self) -> bool {
        true
    }

    fn mobile(&self, raw: &str) -> Result<crate::sms::Mobile, crate::sms::NumberRefused> {
        use crate::sms::{Mobile, NumberRefused};
        let digits: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}' | '(' | ')'))
            .collect();
        let national = if let Some(rest) = digits
            .strip_prefix("+33")
            .or_else(|| digits.strip_prefix("0033"))
        {
            // `+33 (0)6 …`: the national 0 written in parentheses.
            format!("0{}", rest.strip_prefix('0').unwrap_or(rest))
        } else {
            digits
        };
        if national.len() != 10 || !national.chars().all(|c| c.is_ascii_digit()) {
            return Err(NumberRefused("not-a-number"));
        }
        match &national[..2] {
            "06" | "07" => Ok(Mobile::new(
                format!("+33{}", &national[1..]),
                format!("•• •• •• •• {}", &national[8..]),
            )),
            "08" => Err(NumberRefused("premium-rate")),
            _ => Err(NumberRefused("landline")),
        }
    }

    fn fits(&self, text: &str) -> bool {
        !text.trim().is_empty() && text.chars().count() <= 3 * 153
    }

    async fn send(
        &self,
        to: &crate::sms::Mobile,
        text: &SecretString,
    ) -> Result<(), crate::sms::SmsFailure> {
        round_trip().await;
        if self.refusing.load(Ordering::SeqCst) {
            return Err(crate::sms::SmsFailure { label: "refused" });
        }
        locked(&self.sent).push((to.e164().to_owned(), text.expose_secret().to_owned()));
        Ok(())
    }
}

impl FakeWifi {
    pub(crate) fn answer(&self, answer: WifiAnswer) {
        *locked(&self.answer) = answer;
    }

    /// Every (login, password) asked about, in order.
    pub(crate) fn asked(&self) -> Vec<(String, String)> {
        locked(&self.asked).clone()
    }
}

#[async_trait]
impl WifiCheck for FakeWifi {
    async fn check(&self, login: &str, password: &SecretString) -> WifiAnswer {
        locked(&self.asked).push((login.to_owned(), password.expose_secret().to_owned()));
        *locked(&self.answer)
    }
}

// ---------------------------------------------------------------------------
// The world the tests run in.

const PEPPER: &str = "a test pepper, never a real one";
const CODE_KEY: &str = "a test code key, never a real one";

/// The settings the tests start from: every flow on, 3 failures in 60 s
/// lock for 60 s, codes valid 10 minutes with 3 tries, one mail a minute.
pub(crate) fn test_settings() -> GatewaySettings {
    GatewaySettings {
        flows: FlowSettings {
            code: true,
            temporary: true,
            sms: true,
            code_sms: true,
            code_validity_seconds: 600,
            code_tries: 3,
            code_resend_seconds: 60,
            temporary_validity_seconds: 3600,
            ..FlowSettings::default()
        },
        lockout: LockoutSettings {
            max_failures: 3,
            lock_seconds: 60,
        },
        site: SiteSettings {
            helpdesk_mail: Some("helpdesk@univ-exemple.fr".into()),
            ..SiteSettings::default()
        },
        policy: Default::default(),
        public_url: "https://passerelle.univ-exemple.fr".into(),
        helpdesk: Default::default(),
    }
}

/// A directory, a mailer, an audit trail, a clock and hooks, and gateways
/// (replicas) over them.
pub(crate) struct World {
    pub directory: Arc<FakeDirectory>,
    pub mailer: Arc<FakeMailer>,
    pub audit: Arc<FakeAudit>,
    pub clock: Arc<FakeClock>,
    pub hooks: Arc<FakeHooks>,
    pub texter: Arc<FakeTexter>,
    /// Asked only by gateways built with [`World::with_wifi`].
    pub wifi: Arc<FakeWifi>,
    pub gateway: Gateway,
    settings: GatewaySettings,
}

impl World {
    /// The world of [`test_settings`], with the person `jdupont` (who has
    /// a secret question) in the directory.
    pub(crate) async fn new() -> World {
        World::with(|_| {}).await
    }

    /// The same, with the settings adjusted.
    pub(crate) async fn with(adjust: impl FnOnce(&mut GatewaySettings)) -> World {
        let world = World::empty(adjust);
        world.add_with_question(Entry::person("jdupont")).await;
        world
    }

    /// The world with nobody in the directory.
    pub(crate) fn empty(adjust: impl FnOnce(&mut GatewaySettings)) -> World {
        let mut settings = test_settings();
        adjust(&mut settings);
        let clock = Arc::new(FakeClock::at(start()));
        let directory = Arc::new(FakeDirectory::new(clock.clone()));
        let mailer = Arc::new(FakeMailer::default());
        let audit = Arc::new(FakeAudit::default());
        let hooks = Arc::new(FakeHooks::default());
        let texter = Arc::new(FakeTexter::default());
        let gateway = gateway_over(
            &settings,
            adapters(&directory, &mailer, &audit, &clock, &hooks, &texter),
        );
        World {
            directory,
            mailer,
            audit,
            clock,
            hooks,
            texter,
            wifi: Arc::new(FakeWifi::default()),
            gateway,
            settings,
        }
    }

    /// [`World::with`] and a RADIUS check configured: its gateway asks
    /// [`World::wifi`] after every password written.
    pub(crate) async fn with_wifi(adjust: impl FnOnce(&mut GatewaySettings)) -> World {
        let mut world = World::empty(adjust);
        world.gateway = gateway_over(
            &world.settings,
            Adapters {
                wifi: Some(world.wifi.clone()),
                ..world.adapters()
            },
        );
        world.add_with_question(Entry::person("jdupont")).await;
        world
    }

    /// The gateway stopped where its mailer was told to crash, and a new
    /// one started on the same directory, trail, clock and spool, which
    /// then sees the spool through ([`crate::steps::mailing::recover`]).
    pub(crate) fn restart(&mut self) {
        self.mailer = Arc::new(self.mailer.restarted());
        self.gateway = self.replica();
        crate::steps::mailing::recover(&self.gateway);
    }

    /// Another replica: a gateway of its own (its own per-entry write
    /// locks) over the same directory, mailer, trail and clock.
    pub(crate) fn replica(&self) -> Gateway {
        gateway_over(&self.settings, self.adapters())
    }

    /// The world's fakes as a gateway's adapters (no RADIUS check).
    fn adapters(&self) -> Adapters {
        adapters(
            &self.directory,
            &self.mailer,
            &self.audit,
            &self.clock,
            &self.hooks,
            &self.texter,
        )
    }

    /// Adds `entry` as it is.
    pub(crate) fn add(&self, entry: Entry) {
        self.directory.add(entry);
    }

    /// Adds `entry` with the secret question [`QUESTION`] answered
    /// [`ANSWER`].
    pub(crate) async fn add_with_question(&self, mut entry: Entry) {
        let hash = self
            .gateway
            .answers()
            .hash(&SecretString::from(ANSWER))
            .await
            .expect("an answer hash");
        entry.person.state.question = Some(QUESTION.into());
        entry.person.state.answer_hash = Some(hash);
        self.add(entry);
    }

    /// A new instance of `flow`, from a loopback address, in French.
    pub(crate) fn journey(&self, flow: FlowName) -> Journey {
        Journey {
            flow,
            id: hex::encode(rand::random::<[u8; 8]>()),
            visitor: Visitor {
                address: std::net::IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
                network: crate::audit::client_network(
                    std::net::IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
                    crate::audit::DEFAULT_IPV6_PREFIX,
                ),
                user_agent: "unit test".into(),
                lang: passerelle_text::Lang::Fr,
                api_client: None,
            },
            proof: None,
        }
    }

    /// A new instance of `flow` that proved the person at `dn` as the entry
    /// is now (what the web hands back from its cookie).
    pub(crate) fn proved(&self, flow: FlowName, dn: &str) -> Journey {
        let mut journey = self.journey(flow);
        journey.proof = Some(Proof::of(&self.directory.person(dn)));
        journey
    }

    /// The entry of `login` as stored now.
    pub(crate) fn person(&self, login: &str) -> Person {
        self.directory.person(&dn_of(login))
    }

    /// The hash of `code` for `login`'s entry, as the gateway stores it.
    pub(crate) fn code_hash(&self, login: &str, code: &ResetCode) -> String {
        self.gateway.code_key().hash(&dn_of(login), code)
    }
}

/// The gateway the tests run, over `adapters`, with the tests' pepper
/// and code key.
fn gateway_over(settings: &GatewaySettings, adapters: Adapters) -> Gateway {
    Gateway::new(
        settings.clone(),
        adapters,
        PasswordPolicy::from_config(&settings.policy),
        AnswerHasher::new(&SecretString::from(PEPPER), 2).expect("an answer hasher"),
        CodeKey::new(&SecretString::from(CODE_KEY)),
    )
}

fn adapters(
    directory: &Arc<FakeDirectory>,
    mailer: &Arc<FakeMailer>,
    audit: &Arc<FakeAudit>,
    clock: &Arc<FakeClock>,
    hooks: &Arc<FakeHooks>,
    texter: &Arc<FakeTexter>,
) -> Adapters {
    Adapters {
        directory: directory.clone(),
        mailer: mailer.clone(),
        hooks: hooks.clone(),
        audit: audit.clone(),
        clock: clock.clone(),
        texter: texter.clone(),
        wifi: None,
    }
}

/// The identity step's input for `identifier` and `birth_date`
/// (`dd/mm/yyyy`).
pub(crate) fn identity(identifier: &str, birth_date: &str) -> IdentityInput {
    IdentityInput {
        identifier: Identifier::parse(identifier),
        birth_date: BirthDate::parse(birth_date).expect("a birth date"),
    }
}

/// The right birth date of every test person.
pub(crate) const BORN: &str = "15/09/2001";

/// A secret.
pub(crate) fn secret(text: &str) -> SecretString {
    SecretString::from(text.to_owned())
}

/// A new-password form with `password` typed twice and the rules accepted.
pub(crate) fn form(password: &SecretString) -> NewPassword<'_> {
    NewPassword {
        password,
        confirm: password,
        rules_accepted: true,
        current: None,
    }
}

/// The same with the current password typed again (`change`).
pub(crate) fn form_with_current<'a>(
    password: &'a SecretString,
    current: &'a SecretString,
) -> NewPassword<'a> {
    NewPassword {
        current: Some(current),
        ..form(password)
    }
}

/// A `recover` flow of `login` through identity and question, as the web
/// would chain it: the journey carries the proof the answer step gave.
pub(crate) async fn recover_proved(gateway: &Gateway, world: &World, login: &str) -> Journey {
    use crate::flows::recover::{self, AnswerOutcome, IdentityOutcome};
    let mut journey = world.journey(FlowName::Recover);
    match recover::identity(gateway, &journey, &identity(login, BORN))
        .await
        .expect("identity")
    {
        IdentityOutcome::Proved(proof) => journey.proof = Some(proof),
        _ => panic!(
            "identity of {login} not proved: {:?}",
            world.audit.outcomes()
        ),
    }
    match recover::answer(gateway, &journey, &secret(ANSWER))
        .await
        .expect("answer")
    {
        AnswerOutcome::Right(proof) => journey.proof = Some(proof),
        _ => panic!("answer of {login} not right: {:?}", world.audit.outcomes()),
    }
    journey
}
