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
//! each step and outcome (its steps and outcomes sections are generated
//! from the domain's typed events, `passerelle_domain::audit::reference`,
//! and a test holds the file equal to them), and what
//! is never recorded: no password, answer, code, temporary password, link
//! token, captcha text nor birth date has a field, and what a person typed
//! that matched nobody is not kept either.

use crate::config::{AuditOutput, AuditSettings};
use crate::metrics::FlowMetrics;
use anyhow::Context as _;
use chrono::{DateTime, SecondsFormat, Utc};
use passerelle_domain::audit::{AuditEvent, Who};
use passerelle_domain::flow::FlowName;
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

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
    /// At the help desk: the agent who acted (their login; the account
    /// fields name the person acted on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// At the help desk: the agent's entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_dn: Option<String>,
    /// At the help desk: the agent's profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// At the help desk: the reason the agent typed for an action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// At the help desk: how the caller was verified (`in_person`,
    /// `phone_code`, `identity`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_by: Option<String>,
    /// At the help desk: what the agent searched for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// The JSON API client whose token the request carried
    /// (`api.clients`); absent for the pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_client: Option<String>,
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

/// The longest DN a record keeps (characters).
const MAX_DN_CHARS: usize = 512;

/// (login, DN) of `who`, each one safe, bounded line.
fn parts(who: &Who<'_>) -> (Option<String>, Option<String>) {
    use crate::safe_text::{single_line, MAX_LOGIN_CHARS};
    let login = |l: &str| Some(single_line(l, MAX_LOGIN_CHARS));
    let dn = |d: &str| Some(single_line(d, MAX_DN_CHARS));
    match who {
        Who::Nobody => (None, None),
        Who::Login(l) => (login(l), None),
        Who::Dn(d) => (None, dn(d)),
        Who::Person(p) => (login(&p.login), dn(&p.dn)),
    }
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
    pub fn record(&self, event: &AuditEvent<'_>) {
        let (login, dn) = parts(&event.who);
        let (flow, step, outcome) = (event.flow.as_str(), event.step.name(), event.outcome.name());
        let desk = event.desk.unwrap_or_default();
        let line = |value: &str, max: usize| {
            (!value.is_empty()).then(|| crate::safe_text::single_line(value, max))
        };
        let record = AuditRecord {
            time: Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
            replica: self.inner.replica.clone(),
            flow: flow.to_owned(),
            flow_id: event.flow_id.to_owned(),
            step: step.to_owned(),
            outcome: outcome.to_owned(),
            login,
            dn,
            client: event.visitor.address.to_string(),
            user_agent: event.visitor.user_agent.clone(),
            agent: line(desk.agent_login, crate::safe_text::MAX_LOGIN_CHARS),
            agent_dn: line(desk.agent_dn, MAX_DN_CHARS),
            profile: line(desk.profile, MAX_REPLICA_CHARS),
            reason: desk.reason.and_then(|r| line(r, 256)),
            verified_by: desk.verified_by.and_then(|v| line(v, 32)),
            query: desk.query.and_then(|q| line(q, 128)),
            api_client: event.visitor.api_client.clone(),
        };
        tracing::info!(
            target: "audit",
            flow,
            step,
            outcome,
            account = record.login.as_deref().or(record.dn.as_deref()).unwrap_or("-"),
            flow_id = event.flow_id,
            client = %record.client,
            user_agent = %record.user_agent,
            api_client = record.api_client.as_deref().unwrap_or("-"),
            "{flow} {step}: {outcome}"
        );
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
    pub fn flow_started(&self, flow: FlowName) {
        self.inner.metrics.count_start(flow.as_str());
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

/// The domain's events go through the recorder.
impl passerelle_domain::audit::AuditSink for Recorder {
    fn record(&self, event: &AuditEvent<'_>) {
        Recorder::record(self, event);
    }

    fn flow_started(&self, flow: FlowName) {
        Recorder::flow_started(self, flow);
    }

    fn reopen(&self) {
        Recorder::reopen(self);
    }

    fn flush(&self) {
        Recorder::flush(self);
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

/// What the help-desk agent `agent` (a login or a DN, compared without
/// regard to case) did, oldest first: every record that names them as the
/// agent (sign-ins, searches, cards, verifications, actions).
pub fn agent_history<'r>(records: &'r [AuditRecord], agent: &str) -> Vec<&'r AuditRecord> {
    let agent = agent.trim();
    let same = |value: &Option<String>| {
        value
            .as_deref()
            .is_some_and(|v| v.eq_ignore_ascii_case(agent))
    };
    let mut found: Vec<&AuditRecord> = records
        .iter()
        .filter(|r| same(&r.agent) || same(&r.agent_dn))
        .collect();
    found.sort_by_key(|r| r.instant());
    found
}

/// One record as a line a person reads:
/// `2025-03-14 09:26:53 UTC  recover/identity  proved  jdupont  from 10.1.2.3 (Firefox…)  flow 3f9c…  on web-1`.
///
/// A trail file is only text on a disk: whoever could write it (or a
/// value the gateway let through) may have put a terminal escape sequence,
/// a bidirectional override or a line separator in a field, which would
/// recolour, rewrite or reorder what the operator reads. Every field is
/// shown through [`escape_for_terminal`].
pub fn describe(record: &AuditRecord) -> String {
    escape_for_terminal(&describe_raw(record))
}

/// `text` with every character that is not plain text to a terminal
/// written as `\u{XXXX}`: controls (C0 with ESC, tab and line feed, DEL,
/// C1), line and paragraph separators, and format characters (the
/// bidirectional overrides and isolates, zero-width spaces, BOM), as
/// [`passerelle_text::safe_text::is_unsafe_char`] names them; and the
/// backslash as `\\`, so that an escape cannot be forged by writing one.
pub fn escape_for_terminal(text: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\\' {
            out.push_str("\\\\");
        } else if passerelle_text::safe_text::is_unsafe_char(c) {
            let _ = write!(out, "\\u{{{:04X}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

fn describe_raw(record: &AuditRecord) -> String {
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
    let mut desk = String::new();
    if let Some(by) = &record.agent {
        desk.push_str(&format!("  by agent {by}"));
        if let Some(profile) = &record.profile {
            desk.push_str(&format!(" ({profile})"));
        }
    }
    if let Some(method) = &record.verified_by {
        desk.push_str(&format!("  verified {method}"));
    }
    if let Some(reason) = &record.reason {
        desk.push_str(&format!("  reason \"{reason}\""));
    }
    if let Some(query) = &record.query {
        desk.push_str(&format!("  searched \"{query}\""));
    }
    let api = record
        .api_client
        .as_deref()
        .map(|name| format!(" via API client {name}"))
        .unwrap_or_default();
    format!(
        "{time}  {}/{}  {}  {who}{desk}  from {}{agent}{api}  flow {}  on {}",
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
            agent: None,
            agent_dn: None,
            profile: None,
            reason: None,
            verified_by: None,
            query: None,
            api_client: None,
        }
    }

    #[test]
    fn an_agent_s_history_is_every_record_that_names_them_as_agent() {
        let mut signed_in = record("2025-01-01T10:00:00.000Z", Some("alice"), None, "d");
        signed_in.agent = Some("alice".into());
        let mut unlocked = record("2025-01-01T10:05:00.000Z", Some("jdupont"), None, "d");
        unlocked.agent = Some("alice".into());
        unlocked.agent_dn = Some("uid=alice,ou=people,dc=x".into());
        unlocked.reason = Some("appel".into());
        unlocked.verified_by = Some("in_person".into());
        let other = record("2025-01-01T10:06:00.000Z", Some("jdupont"), None, "e");
        let records = vec![unlocked.clone(), other, signed_in];
        let found = agent_history(&records, "ALICE");
        assert_eq!(found.len(), 2);
        assert_eq!(found[1], &unlocked);
        assert_eq!(agent_history(&records, "uid=alice,ou=people,dc=x").len(), 1);
        let line = describe(&unlocked);
        assert!(line.contains("by agent alice"), "{line}");
        assert!(
            line.contains("verified in_person") && line.contains("reason \"appel\""),
            "{line}"
        );
        // Records written before the help desk existed read as they were.
        let old: AuditRecord = serde_json::from_str(
            r#"{"time":"2025-01-01T10:00:00.000Z","replica":"r","flow":"recover","flow_id":"a","step":"identity","outcome":"proved","login":null,"dn":null,"client":"10.0.0.1","user_agent":""}"#,
        )
        .unwrap();
        assert_eq!(old.agent, None);
        assert!(!serde_json::to_string(&old).unwrap().contains("\"agent\""));
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
    fn a_hostile_record_is_printed_with_its_controls_escaped() {
        let mut hostile = record(
            "2025-01-01T10:00:02.000Z",
            Some("jdupont\u{1b}[2J\u{1b}]0;owned\u{7}"),
            Some("uid=jdupont\\,x,ou=people"),
            "a\u{2028}b",
        );
        hostile.user_agent =
            "Firefox\u{202E}txt.exe\u{2066}\r\nforged line\t\u{9b}31m\u{7f}".into();
        hostile.client = "10.0.0.1\u{200B}".into();
        let line = describe(&hostile);
        assert!(
            !line.chars().any(passerelle_text::safe_text::is_unsafe_char),
            "{line:?}"
        );
        assert_eq!(line.lines().count(), 1);
        for escaped in [
            "jdupont\\u{001B}[2J\\u{001B}]0;owned\\u{0007}",
            "flow a\\u{2028}b",
            "Firefox\\u{202E}txt.exe\\u{2066}\\u{000D}\\u{000A}forged line\\u{0009}\\u{009B}31m\\u{007F}",
            "from 10.0.0.1\\u{200B}",
        ] {
            assert!(line.contains(escaped), "{escaped} not in {line}");
        }
        // A backslash of the record cannot pass for an escape.
        hostile.login = Some("\\u{001B}".into());
        assert!(describe(&hostile).contains("  \\\\u{001B}  from"));
        // Plain text, accents and joiners as they are.
        assert_eq!(
            escape_for_terminal("Zoé d'Arc \u{200D}"),
            "Zoé d'Arc \u{200D}"
        );
    }

    /// The generated part of `docs/audit.md`: from `## Steps` to the
    /// section after `## Outcomes`.
    fn documented_events(doc: &str) -> Option<&str> {
        let start = doc.find("## Steps")?;
        let end = doc.find("## Never recorded")?;
        doc.get(start..end)
    }

    /// Issue 19, §5: freezes and hook runs were recorded as undocumented
    /// outcomes, raised an alarm and were counted neither as completed
    /// flows nor as locks. Every outcome the gateway can record, in every
    /// flow (and every step, in turn), passes through the recorder: each is
    /// counted in `passerelle_audit_events_total{flow,step,outcome}` under
    /// its own name, in `passerelle_flows_completed_total` exactly when it
    /// ends its flow and in `passerelle_lockouts_total` exactly when it
    /// locks, and is a row of docs/audit.md's outcomes table.
    #[test]
    fn every_outcome_the_gateway_can_record_is_counted_in_the_metrics_and_documented() {
        use passerelle_domain::audit::{AuditStep, Outcome, Visitor};
        use std::collections::HashMap;
        let metrics = crate::metrics::Metrics::new(&[]);
        let recorder = Recorder::new(AuditSink::off(), Some("r1"), metrics.flows.clone());
        let visitor = Visitor {
            address: std::net::IpAddr::from([192, 0, 2, 1]),
            network: passerelle_domain::audit::client_network(
                std::net::IpAddr::from([192, 0, 2, 1]),
                64,
            ),
            user_agent: "test".into(),
            lang: passerelle_text::Lang::En,
            api_client: None,
        };
        let mut expected: HashMap<(&str, String), f64> = HashMap::new();
        let mut count = |name: &'static str, labels: String| {
            *expected.entry((name, labels)).or_default() += 1.0;
        };
        let mut steps = AuditStep::ALL.iter().cycle();
        for flow in FlowName::ALL {
            for outcome in Outcome::ALL {
                let step = *steps.next().expect("a step");
                recorder.record(&AuditEvent {
                    flow,
                    flow_id: "f",
                    step,
                    outcome: *outcome,
                    who: Who::Login("jdupont"),
                    visitor: &visitor,
                    desk: None,
                });
                let (flow, step, name) = (flow.as_str(), step.name(), outcome.name());
                count(
                    "passerelle_audit_events_total",
                    format!("flow=\"{flow}\",step=\"{step}\",outcome=\"{name}\""),
                );
                if outcome.locks() {
                    count(
                        "passerelle_lockouts_total",
                        format!("flow=\"{flow}\",step=\"{step}\""),
                    );
                }
            }
        }
        for flow in FlowName::ALL {
            for outcome in Outcome::ALL {
                if passerelle_domain::audit::ends(*outcome, flow) {
                    count(
                        "passerelle_flows_completed_total",
                        format!("flow=\"{}\",outcome=\"{}\"", flow.as_str(), outcome.name()),
                    );
                }
            }
        }
        let text = metrics.encode();
        for ((name, labels), value) in &expected {
            let head = format!("{name}{{{labels}}} ");
            let found = text
                .lines()
                .find_map(|line| line.strip_prefix(&head))
                .and_then(|v| v.trim().parse::<f64>().ok());
            assert_eq!(found, Some(*value), "{name}{{{labels}}} in:\n{text}");
        }
        // Nothing else was counted as completed or as a lock.
        for name in [
            "passerelle_flows_completed_total",
            "passerelle_lockouts_total",
        ] {
            // Every known label set is exported from the start at zero:
            // what was counted is what is above zero.
            let series = text
                .lines()
                .filter(|line| line.starts_with(&format!("{name}{{")))
                .filter(|line| !line.ends_with(" 0"))
                .count();
            let wanted = expected.keys().filter(|(n, _)| *n == name).count();
            assert_eq!(series, wanted, "{name}:\n{text}");
        }
        let doc = include_str!("../docs/audit.md");
        for outcome in Outcome::ALL {
            assert!(
                doc.contains(&format!("| `{}` |", outcome.name())),
                "{} is not in docs/audit.md's outcomes table",
                outcome.name()
            );
        }
        // The outcomes the issue found uncounted, by name.
        for name in [
            "frozen",
            "helpdesk_mailed",
            "already_used",
            "link_invalid",
            "webhook_delivered",
            "command_succeeded",
            "command_timed_out",
        ] {
            assert!(
                text.lines().any(|line| line
                    .starts_with("passerelle_audit_events_total{flow=\"not_me\"")
                    && line.contains(&format!("outcome=\"{name}\"}} 1"))),
                "{name} not counted"
            );
        }
        assert!(
            text.contains("passerelle_flows_completed_total{flow=\"not_me\",outcome=\"frozen\"} 1"),
            "a freeze ends its flow"
        );
        assert!(
            !text.contains("undocumented"),
            "no metric of undocumented outcomes is left: none can be recorded"
        );
    }

    #[test]
    fn docs_audit_md_lists_every_step_and_outcome_the_gateway_can_record() {
        let doc = include_str!("../docs/audit.md");
        let documented = documented_events(doc).expect("docs/audit.md has its sections");
        assert_eq!(
            documented.trim_end(),
            passerelle_domain::audit::reference().trim_end(),
            "docs/audit.md is not current: regenerate its Steps and Outcomes sections with `passerelle audit-reference`"
        );
    }
}
