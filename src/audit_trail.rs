//! The audit trail as its own stream: one JSON object per line, one line
//! per flow event, written to `[audit] output` (a file reopened on SIGHUP
//! for logrotate, standard output or standard error), apart from the
//! diagnostic log. It answers "who did what to which account, when, from
//! where" months later; `passerelle audit --account` reads it back.
//!
//! Every event of every flow passes through [`Recorder::record`]: it
//! writes the record, counts the event in the metrics
//! ([`crate::metrics::FlowMetrics`]) and leaves the diagnostic log line,
//! so the three cannot disagree. `docs/audit.md` documents each field and
//! each outcome ([`OUTCOMES`]; a test holds the two lists equal), and what
//! is never recorded: no password, answer, code, temporary password, link
//! token, captcha text nor birth date has a field, and what a person typed
//! that matched nobody is not kept either.

use crate::config::{AuditOutput, AuditSettings};
use crate::metrics::FlowMetrics;
use anyhow::Context as _;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// One outcome value an audit record may carry, with what the metrics
/// make of it. The meanings are in `docs/audit.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub name: &'static str,
    /// The flow did what it is for (counted in `flows_completed`).
    pub ends_flow: bool,
    /// This failure locked self-service for the account (counted in
    /// `lockouts`).
    pub locks: bool,
}

const fn outcome(name: &'static str) -> Outcome {
    Outcome {
        name,
        ends_flow: false,
        locks: false,
    }
}

const fn ending(name: &'static str) -> Outcome {
    Outcome {
        name,
        ends_flow: true,
        locks: false,
    }
}

const fn locking(name: &'static str) -> Outcome {
    Outcome {
        name,
        ends_flow: false,
        locks: true,
    }
}

/// Every outcome the gateway records, in the order of `docs/audit.md`.
pub const OUTCOMES: &[Outcome] = &[
    // Identity (identifier + birth date).
    outcome("proved"),
    outcome("unknown_identifier"),
    outcome("wrong_birth_date"),
    locking("wrong_birth_date_now_locked"),
    outcome("locked"),
    outcome("locked_by_it"),
    outcome("no_question"),
    outcome("already_active"),
    // Secret question.
    outcome("answered"),
    outcome("wrong_answer"),
    locking("wrong_answer_now_locked"),
    outcome("chosen"),
    outcome("not_saved"),
    ending("activated"),
    ending("question_changed"),
    // Sign-in.
    outcome("unknown_login"),
    outcome("wrong_password"),
    locking("wrong_password_now_locked"),
    outcome("locked_by_directory"),
    outcome("signed_in"),
    outcome("password_proved"),
    outcome("temporary_password"),
    outcome("temporary_password_proved"),
    outcome("expired_password_proved"),
    outcome("temporary_password_expired"),
    outcome("signed_out"),
    // Mails a visitor asks for.
    outcome("submitted"),
    outcome("requested"),
    outcome("too_soon"),
    outcome("unknown_address"),
    outcome("no_recovery_address"),
    outcome("account_locked_by_directory"),
    outcome("cooldown"),
    outcome("code_mailed"),
    ending("temporary_password_mailed"),
    ending("login_mailed"),
    outcome("mail_failed"),
    outcome("write_refused"),
    // E-mailed code.
    outcome("captcha_failed"),
    outcome("code_right"),
    outcome("wrong_code"),
    locking("wrong_code_now_locked"),
    outcome("expired_code"),
    outcome("no_code_or_no_try_left"),
    outcome("link_expired"),
    // New password.
    ending("changed"),
    outcome("form_refused"),
    outcome("wrong_current_password"),
    locking("wrong_current_password_now_locked"),
    outcome("replayed"),
    outcome("already_written"),
    outcome("refused_by_directory"),
    outcome("directory_error"),
    // Refused submissions.
    outcome("refused_expired"),
    outcome("refused_csrf"),
    outcome("refused_replay_or_skipped_step"),
    outcome("refused"),
];

impl Outcome {
    /// The documented outcome called `name`.
    pub fn find(name: &str) -> Option<&'static Outcome> {
        OUTCOMES.iter().find(|o| o.name == name)
    }

    /// Whether this outcome ends `flow` having done its work. Activation
    /// writes the password, then the secret question: it is `activated`
    /// that ends it, not the `changed` before.
    pub fn ends(&self, flow: &str) -> bool {
        self.ends_flow && !(flow == "activate" && self.name == "changed")
    }
}

/// One line of the trail. Field names and meanings: `docs/audit.md`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// When it happened, RFC 3339 in UTC with milliseconds.
    pub time: String,
    /// `audit.replica` (the host's name by default).
    pub replica: String,
    pub flow: String,
    /// The flow instance (random, one per flow cookie).
    pub flow_id: String,
    pub step: String,
    pub outcome: String,
    /// The account's login (`ldap.login_attribute`), when known.
    pub login: Option<String>,
    /// The account's entry, when known.
    pub dn: Option<String>,
    /// The client's address, after trusted proxies.
    pub client: String,
    pub user_agent: String,
}

impl AuditRecord {
    /// The record's time, if it parses.
    pub fn instant(&self) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(&self.time)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }
}

/// Where records go.
enum Output {
    Stdout,
    Stderr,
    File { path: PathBuf, file: Mutex<File> },
    Off,
}

/// The configured output, written one whole line at a time (a single
/// `write` on a file opened for appending, so lines of several writers
/// never interleave) and without a buffer of its own: a record is in the
/// file, or in the pipe, when the event's request goes on.
pub struct AuditSink {
    output: Output,
}

impl std::fmt::Debug for AuditSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let output = match &self.output {
            Output::Stdout => "stdout".to_owned(),
            Output::Stderr => "stderr".to_owned(),
            Output::File { path, .. } => path.display().to_string(),
            Output::Off => "off".to_owned(),
        };
        f.debug_struct("AuditSink")
            .field("output", &output)
            .finish()
    }
}

impl AuditSink {
    /// Opens the configured output. Errors: `audit.file` missing or not
    /// writable (the gateway must not serve without its trail).
    pub fn open(settings: &AuditSettings) -> anyhow::Result<AuditSink> {
        let output = match settings.output {
            AuditOutput::Stdout => Output::Stdout,
            AuditOutput::Stderr => Output::Stderr,
            AuditOutput::Off => Output::Off,
            AuditOutput::File => {
                let path = settings
                    .file
                    .clone()
                    .context("`audit.file` is required with audit.output = \"file\"")?;
                let file = open_append(&path)?;
                Output::File {
                    path,
                    file: Mutex::new(file),
                }
            }
        };
        Ok(AuditSink { output })
    }

    /// A sink that writes nothing.
    pub fn off() -> AuditSink {
        AuditSink {
            output: Output::Off,
        }
    }

    /// Writes one line (`line` ends with a newline).
    fn write(&self, line: &[u8]) -> std::io::Result<()> {
        match &self.output {
            Output::Stdout => std::io::stdout().lock().write_all(line),
            Output::Stderr => std::io::stderr().lock().write_all(line),
            Output::File { file, .. } => lock(file).write_all(line),
            Output::Off => Ok(()),
        }
    }

    /// Opens `audit.file` again under its name, so that records go to a
    /// new file once logrotate has renamed the old one (on SIGHUP). When
    /// it cannot be opened, records keep going to the old file. Nothing
    /// to do for the other outputs.
    pub fn reopen(&self) -> anyhow::Result<()> {
        if let Output::File { path, file } = &self.output {
            let fresh = open_append(path)?;
            let mut current = lock(file);
            let _ = current.sync_data();
            *current = fresh;
        }
        Ok(())
    }

    /// Puts what was written on disk (on shutdown).
    pub fn flush(&self) -> std::io::Result<()> {
        match &self.output {
            Output::Stdout => std::io::stdout().lock().flush(),
            Output::Stderr => std::io::stderr().lock().flush(),
            Output::File { file, .. } => lock(file).sync_data(),
            Output::Off => Ok(()),
        }
    }
}

fn lock(file: &Mutex<File>) -> std::sync::MutexGuard<'_, File> {
    // A write that panicked leaves at worst a partial line; the handle
    // itself is still good.
    file.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Opens `path` for appending, creating it readable by the gateway's user
/// and group only (the trail names people and their addresses).
fn open_append(path: &Path) -> anyhow::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o640);
    }
    options
        .open(path)
        .with_context(|| format!("`audit.file`: cannot open {} for appending", path.display()))
}

/// Whose account an event concerns, as far as the step knows.
#[derive(Debug, Clone, Copy)]
pub enum Who<'a> {
    /// Nobody matched (what was typed is not recorded).
    Nobody,
    /// The login only.
    Login(&'a str),
    /// The entry only (a flow cookie names it).
    Dn(&'a str),
    /// The person: login and entry.
    Person(&'a crate::directory::Person),
}

impl<'a> From<Option<&'a str>> for Who<'a> {
    fn from(login: Option<&'a str>) -> Who<'a> {
        login.map_or(Who::Nobody, Who::Login)
    }
}

impl<'a> From<Option<&'a String>> for Who<'a> {
    fn from(login: Option<&'a String>) -> Who<'a> {
        login.map_or(Who::Nobody, |login| Who::Login(login))
    }
}

impl<'a> From<&'a crate::directory::Person> for Who<'a> {
    fn from(person: &'a crate::directory::Person) -> Who<'a> {
        Who::Person(person)
    }
}

impl<'a> From<Option<&'a crate::directory::Person>> for Who<'a> {
    fn from(person: Option<&'a crate::directory::Person>) -> Who<'a> {
        person.map_or(Who::Nobody, Who::Person)
    }
}

impl Who<'_> {
    /// (login, DN), each one safe, bounded line.
    fn parts(&self) -> (Option<String>, Option<String>) {
        use crate::safe_text::{single_line, MAX_LOGIN_CHARS};
        let login = |l: &str| Some(single_line(l, MAX_LOGIN_CHARS));
        let dn = |d: &str| Some(single_line(d, MAX_DN_CHARS));
        match self {
            Who::Nobody => (None, None),
            Who::Login(l) => (login(l), None),
            Who::Dn(d) => (None, dn(d)),
            Who::Person(p) => (login(&p.login), dn(&p.dn)),
        }
    }
}

/// The longest DN a record keeps (characters).
const MAX_DN_CHARS: usize = 512;

/// One event, as a step reports it.
#[derive(Debug, Clone, Copy)]
pub struct Event<'a> {
    pub flow: &'a str,
    pub flow_id: &'a str,
    pub step: &'a str,
    pub outcome: &'a str,
    pub who: Who<'a>,
    pub visitor: &'a crate::flows::Visitor,
}

/// The one place audit events flow through: record, metrics, log line.
/// Cheap to clone.
#[derive(Clone)]
pub struct Recorder {
    inner: Arc<RecorderInner>,
}

struct RecorderInner {
    sink: AuditSink,
    replica: String,
    metrics: FlowMetrics,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("sink", &self.inner.sink)
            .field("replica", &self.inner.replica)
            .finish()
    }
}

impl Recorder {
    /// A recorder writing to `sink`, naming itself `replica` (the host's
    /// name when `None`), counting in `metrics`.
    pub fn new(sink: AuditSink, replica: Option<&str>, metrics: FlowMetrics) -> Recorder {
        let replica = replica.map_or_else(host_name, |r| {
            crate::safe_text::single_line(r.trim(), MAX_REPLICA_CHARS)
        });
        Recorder {
            inner: Arc::new(RecorderInner {
                sink,
                replica,
                metrics,
            }),
        }
    }

    /// The replica name records carry.
    pub fn replica(&self) -> &str {
        &self.inner.replica
    }

    /// Records `event`: its line in the trail, its counters, its line in
    /// the diagnostic log. A record the output cannot take is logged and
    /// counted, and the request goes on (refusing people because a disk
    /// is full would turn an operator's problem into an outage).
    pub fn record(&self, event: Event<'_>) {
        let (login, dn) = event.who.parts();
        let record = AuditRecord {
            time: Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
            replica: self.inner.replica.clone(),
            flow: event.flow.to_owned(),
            flow_id: event.flow_id.to_owned(),
            step: event.step.to_owned(),
            outcome: event.outcome.to_owned(),
            login,
            dn,
            client: event.visitor.address.to_string(),
            user_agent: event.visitor.user_agent.clone(),
        };
        tracing::info!(
            target: "audit",
            flow = event.flow,
            step = event.step,
            outcome = event.outcome,
            account = record.login.as_deref().or(record.dn.as_deref()).unwrap_or("-"),
            flow_id = event.flow_id,
            client = %record.client,
            user_agent = %record.user_agent,
            "{} {}: {}", event.flow, event.step, event.outcome
        );
        if Outcome::find(event.outcome).is_none() {
            tracing::error!(
                outcome = event.outcome,
                "an audit outcome docs/audit.md does not list"
            );
        }
        self.inner
            .metrics
            .count_event(event.flow, event.step, event.outcome);
        match serde_json::to_vec(&record) {
            Ok(mut line) => {
                line.push(b'\n');
                if let Err(error) = self.inner.sink.write(&line) {
                    self.inner.metrics.write_errors.inc();
                    tracing::error!(%error, "an audit record could not be written");
                }
            }
            Err(error) => {
                self.inner.metrics.write_errors.inc();
                tracing::error!(%error, "an audit record could not be encoded");
            }
        }
    }

    /// Counts a flow's first page (no record: nobody is named yet).
    pub fn flow_started(&self, flow: &str) {
        self.inner.metrics.count_start(flow);
    }

    /// [`AuditSink::reopen`], logged.
    pub fn reopen(&self) {
        match self.inner.sink.reopen() {
            Ok(()) => tracing::info!("audit trail reopened"),
            Err(error) => tracing::error!(
                error = format!("{error:#}"),
                "the audit file could not be reopened; records go to the old one"
            ),
        }
    }

    /// [`AuditSink::flush`], logged.
    pub fn flush(&self) {
        if let Err(error) = self.inner.sink.flush() {
            tracing::error!(%error, "the audit trail could not be flushed");
        }
    }
}

/// The longest replica name a record keeps (characters).
const MAX_REPLICA_CHARS: usize = 128;

/// The host's name, for records of a replica that was given none.
fn host_name() -> String {
    hostname::get()
        .ok()
        .map(|name| crate::safe_text::single_line(&name.to_string_lossy(), MAX_REPLICA_CHARS))
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "passerelle".to_owned())
}

// ---------------------------------------------------------------- reading

/// The records of `files` (`-` is standard input, e.g. `zcat
/// audit.jsonl.2.gz | passerelle audit --account jdupont -`), and how many
/// lines were not records (skipped).
pub fn read_records(files: &[PathBuf]) -> anyhow::Result<(Vec<AuditRecord>, usize)> {
    let mut records = Vec::new();
    let mut skipped = 0;
    for path in files {
        let reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
            Box::new(std::io::BufReader::new(std::io::stdin()))
        } else {
            let file =
                File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
            Box::new(std::io::BufReader::new(file))
        };
        for line in reader.lines() {
            let line = line.with_context(|| format!("reading {}", path.display()))?;
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<AuditRecord>(&line) {
                Ok(record) => records.push(record),
                Err(_) => skipped += 1,
            }
        }
    }
    Ok((records, skipped))
}

/// What happened to `account` (a login or a DN, compared without regard
/// to case), oldest first: the records that name it, those that name an
/// entry it was seen with, and the other events of the same flow
/// instances (e.g. the address submitted before the code was mailed).
pub fn history<'r>(records: &'r [AuditRecord], account: &str) -> Vec<&'r AuditRecord> {
    let account = account.trim();
    let same = |value: &Option<String>| {
        value
            .as_deref()
            .is_some_and(|v| v.eq_ignore_ascii_case(account))
    };
    let dns: Vec<String> = records
        .iter()
        .filter(|r| same(&r.login) || same(&r.dn))
        .filter_map(|r| r.dn.as_ref().map(|d| d.to_lowercase()))
        .collect();
    let names_it = |r: &AuditRecord| {
        same(&r.login)
            || same(&r.dn)
            || r.dn
                .as_ref()
                .is_some_and(|d| dns.contains(&d.to_lowercase()))
    };
    let flows: Vec<&str> = records
        .iter()
        .filter(|r| names_it(r) && r.flow_id != "-")
        .map(|r| r.flow_id.as_str())
        .collect();
    let mut found: Vec<&AuditRecord> = records
        .iter()
        .filter(|r| names_it(r) || flows.contains(&r.flow_id.as_str()))
        .collect();
    found.sort_by_key(|r| r.instant());
    found.dedup_by(|a, b| a == b);
    found
}

/// One record as a line a person reads:
/// `2025-03-14 09:26:53 UTC  recover/identity  proved  jdupont  from 10.1.2.3 (Firefox…)  flow 3f9c…  on web-1`.
pub fn describe(record: &AuditRecord) -> String {
    let time = record.instant().map_or_else(
        || record.time.clone(),
        |t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
    );
    let who = record
        .login
        .as_deref()
        .or(record.dn.as_deref())
        .unwrap_or("-");
    let agent = if record.user_agent.is_empty() {
        String::new()
    } else {
        format!(" ({})", record.user_agent)
    };
    format!(
        "{time}  {}/{}  {}  {who}  from {}{agent}  flow {}  on {}",
        record.flow, record.step, record.outcome, record.client, record.flow_id, record.replica
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(time: &str, login: Option<&str>, dn: Option<&str>, flow_id: &str) -> AuditRecord {
        AuditRecord {
            time: time.into(),
            replica: "r1".into(),
            flow: "recover".into(),
            flow_id: flow_id.into(),
            step: "identity".into(),
            outcome: "proved".into(),
            login: login.map(Into::into),
            dn: dn.map(Into::into),
            client: "10.0.0.1".into(),
            user_agent: "Firefox".into(),
        }
    }

    #[test]
    fn an_account_history_follows_its_dn_and_its_flows_in_time_order() {
        let dn = "uid=jdupont,ou=people,dc=x";
        let records = vec![
            record("2025-01-01T10:00:02.000Z", Some("jdupont"), Some(dn), "a"),
            record("2025-01-01T10:00:01.000Z", None, None, "a"),
            record("2025-01-01T10:00:03.000Z", None, Some(dn), "b"),
            record("2025-01-01T10:00:04.000Z", Some("other"), None, "c"),
        ];
        let found = history(&records, "JDUPONT");
        let times: Vec<&str> = found.iter().map(|r| r.time.as_str()).collect();
        assert_eq!(
            times,
            [
                "2025-01-01T10:00:01.000Z",
                "2025-01-01T10:00:02.000Z",
                "2025-01-01T10:00:03.000Z"
            ]
        );
        assert_eq!(history(&records, dn).len(), 3);
    }

    #[test]
    fn outcome_names_are_unique() {
        for (i, a) in OUTCOMES.iter().enumerate() {
            assert!(
                OUTCOMES[i + 1..].iter().all(|b| b.name != a.name),
                "{}",
                a.name
            );
        }
    }

    /// The outcome names of the table under `## Outcomes` in `docs/audit.md`.
    fn documented_outcomes() -> Vec<String> {
        let doc = include_str!("../docs/audit.md");
        let section = doc
            .split("## Outcomes")
            .nth(1)
            .and_then(|rest| rest.split("\n## ").next())
            .expect("docs/audit.md has an Outcomes section");
        section
            .lines()
            .filter_map(|line| line.strip_prefix("| `"))
            .filter_map(|rest| rest.split('`').next())
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn every_outcome_is_documented_and_every_documented_one_exists() {
        let documented = documented_outcomes();
        let known: Vec<&str> = OUTCOMES.iter().map(|o| o.name).collect();
        assert_eq!(documented, known, "docs/audit.md and OUTCOMES differ");
        // The flags of the table agree with the code's.
        let doc = include_str!("../docs/audit.md");
        for outcome in OUTCOMES {
            let row = doc
                .lines()
                .find(|l| l.starts_with(&format!("| `{}` |", outcome.name)))
                .expect("row");
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            assert_eq!(cells[3] == "yes", outcome.ends_flow, "ends: {row}");
            assert_eq!(cells[4] == "yes", outcome.locks, "locks: {row}");
        }
    }

    #[test]
    fn activation_ends_with_its_question_not_its_password() {
        let changed = Outcome::find("changed").unwrap();
        assert!(changed.ends("recover"));
        assert!(!changed.ends("activate"));
    }
}
