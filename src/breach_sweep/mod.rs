//! `passerelle breach-sweep --config FILE [--notify]`: the passwords already
//! in use, checked against a breach list that grew since they were chosen.
//!
//! The sweep binds as its **own** account (`breach_sweep.reader_bind_dn`), which may
//! read people's `sambaNTPassword` and `pwdChangedTime` and write nothing;
//! the serving gateway keeps write-without-read on passwords and never reads
//! a hash. The accounts' NT hashes are read in pages and sorted in memory
//! (16 bytes and a DN each); the list (`breach_sweep.hashes_file`, Have I
//! Been Pwned's NTLM "ordered by hash") is read once, as a stream
//! ([`ListStream`]): its order is checked line by line and its SHA-256
//! computed on the way, which names the list's version unless the site
//! names it (`breach_sweep.list_version`). The domain merges the two
//! (`passerelle_domain::breach_sweep`). The report gives counts only, never
//! a hash nor who was found.
//!
//! `--notify` tells each person found, through a second account that may
//! read contact details and write only `passerelleBreachNotice` and
//! `pwdReset` (`breach_sweep.notice_bind_dn`): a mail with a link to reset
//! without the old password, optionally `pwdReset`, once per list version
//! and password. Each run writes its figures for node_exporter's textfile
//! collector (`breach_sweep.metrics_file`, `docs/metrics.md`).

use crate::audit_trail::Recorder;
use crate::config::Settings;
use crate::directory::Directory;
use crate::mail::Mailer;
use crate::policy::{PasswordPolicy, PolicyConfig};
use crate::secret_answer::AnswerHasher;
use anyhow::Context;
use passerelle_domain::breach_sweep::{self, Accounts, Merged, NoticeReport};
use passerelle_domain::{Adapters, Gateway};
use secrecy::SecretString;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub mod settings;
pub use settings::BreachSweepSettings;

/// Why the list cannot be used. Each names the file and the line.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}, line {line}: not `HEX32:COUNT` (the NTLM \"ordered by hash\" list of Have I Been Pwned)")]
    Malformed { path: PathBuf, line: u64 },
    #[error("{path}, line {line}: not sorted by hash (it sorts before the line above); a merge over it would miss accounts")]
    Unsorted { path: PathBuf, line: u64 },
}

/// The breach list read once, front to back, as NT hashes in ascending
/// order: each line is checked to sort at or after the one before, and
/// hashed into the file's SHA-256. Holds one line at a time.
pub struct ListStream {
    path: PathBuf,
    reader: BufReader<File>,
    line: Vec<u8>,
    number: u64,
    previous: Option<u128>,
    digest: Sha256,
    failed: bool,
}

/// Read buffer: large sequential reads, a fixed megabyte of memory.
const READ_BUFFER: usize = 1 << 20;

impl ListStream {
    /// Opens `path` for reading.
    pub fn open(path: &Path) -> Result<ListStream, ListError> {
        let file = File::open(path).map_err(|source| ListError::Io {
            path: path.to_owned(),
            source,
        })?;
        Ok(ListStream {
            path: path.to_owned(),
            reader: BufReader::with_capacity(READ_BUFFER, file),
            line: Vec::with_capacity(64),
            number: 0,
            previous: None,
            digest: Sha256::new(),
            failed: false,
        })
    }

    /// The version of the list read to its end: `sha256:` and the first 16
    /// hexadecimal digits of its SHA-256.
    pub fn digest_version(self) -> String {
        let digest = self.digest.finalize();
        format!("sha256:{}", hex::encode(&digest[..8]))
    }
}

impl Iterator for ListStream {
    type Item = Result<u128, ListError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        self.line.clear();
        match self.reader.read_until(b'\n', &mut self.line) {
            Ok(0) => return None,
            Ok(_) => {}
            Err(source) => {
                self.failed = true;
                return Some(Err(ListError::Io {
                    path: self.path.clone(),
                    source,
                }));
            }
        }
        self.number += 1;
        self.digest.update(&self.line);
        let Some(hash) = parse_line(&self.line) else {
            self.failed = true;
            return Some(Err(ListError::Malformed {
                path: self.path.clone(),
                line: self.number,
            }));
        };
        if self.previous.is_some_and(|previous| hash < previous) {
            self.failed = true;
            return Some(Err(ListError::Unsorted {
                path: self.path.clone(),
                line: self.number,
            }));
        }
        self.previous = Some(hash);
        Some(Ok(hash))
    }
}

/// The hash of one line `HEX32[:COUNT]` with its line ending.
fn parse_line(line: &[u8]) -> Option<u128> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.len() < 32 {
        return None;
    }
    let (hash, rest) = line.split_at(32);
    let count_ok = match rest.split_first() {
        None => true,
        Some((b':', digits)) => digits.iter().all(u8::is_ascii_digit),
        Some(_) => false,
    };
    if !count_ok {
        return None;
    }
    hash.iter().try_fold(0u128, |value, &byte| {
        let digit = char::from(byte).to_digit(16)?;
        Some((value << 4) | u128::from(digit))
    })
}

/// What one run saw and did: counts only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Accounts in scope (`ldap.person_filter` under `ldap.base_dn`).
    pub accounts: usize,
    pub with_nt_hash: usize,
    pub without_nt_hash: usize,
    /// Accounts whose NT hash is in the list.
    pub found: usize,
    /// Hashes (lines) in the list.
    pub list_hashes: u64,
    pub list_version: String,
    /// What `--notify` did; `None` without it.
    pub notices: Option<NoticeReport>,
    pub took: Duration,
}

impl SweepReport {
    /// The report as printed: counts, never a hash, never a name.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "breach sweep: list {} ({} hashes); {} accounts in scope, {} with an NT hash, {} without; {} found in the list",
            self.list_version,
            self.list_hashes,
            self.accounts,
            self.with_nt_hash,
            self.without_nt_hash,
            self.found
        )];
        if let Some(n) = &self.notices {
            lines.push(format!(
                "notices: {} recorded ({} mailed, {} without an address, {} marked to change at the next sign-in); {} already notified for this list, {} changed since, {} not open to self-service, {} errors",
                n.recorded,
                n.mailed,
                n.no_address,
                n.marked_for_change,
                n.already_notified,
                n.changed_since,
                n.stopped,
                n.errors
            ));
        }
        lines.push(format!("took {:.1} s", self.took.as_secs_f64()));
        lines
    }
}

/// The directory as `bind_dn` with `password`: the site's `[ldap]`
/// otherwise (URLs, TLS, base, filter), without replicas to confirm on.
fn directory_as(
    settings: &Settings,
    bind_dn: &str,
    password: SecretString,
) -> anyhow::Result<Directory> {
    let ldap = crate::config::LdapSettings {
        bind_dn: bind_dn.to_owned(),
        replica_urls: Vec::new(),
        ..settings.ldap.clone()
    };
    Ok(Directory::new(&ldap, password)?)
}

/// One sweep at `now`: the accounts read by the sweep's account, merged
/// with the list; with `notify`, the notices, mailed through `mailer`.
///
/// Errors: a setting or secret is missing, the directory cannot be read
/// whole, the list cannot be read whole or is out of order.
pub async fn run(
    settings: &Settings,
    notify: Option<&Mailer>,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<SweepReport> {
    let started = Instant::now();
    let sweep = &settings.breach_sweep;
    let list_path = sweep
        .hashes_file
        .clone()
        .or_else(|| settings.policy.breached_hashes_file.clone())
        .context("`breach_sweep.hashes_file`: no list to sweep against (nor policy.breached_hashes_file)")?;
    let list = ListStream::open(&list_path)?;
    let password = passerelle_secrets::read(
        "breach_sweep.reader_bind_password",
        &sweep.reader_bind_password,
        &sweep.reader_bind_password_file,
    )?
    .context(
        "`breach_sweep.reader_bind_password_file`: the sweep account's password is required",
    )?;
    // Checked before the long part: a notice account that cannot be used
    // is a configuration error, not a surprise at the end.
    let notice_password = match notify {
        Some(_) => Some(
            passerelle_secrets::read(
                "breach_sweep.notice_bind_password",
                &sweep.notice_bind_password,
                &sweep.notice_bind_password_file,
            )?
            .context("`breach_sweep.notice_bind_password_file`: --notify acts as the notice account, whose password is required")?,
        ),
        None => None,
    };

    let reader = directory_as(settings, &sweep.reader_bind_dn, password)
        .context("building the sweep account's directory client")?;
    let accounts = Accounts::collect(reader.nt_hashes())
        .await
        .context("reading the accounts' NT hashes as the sweep account")?;
    // The list is read on a thread of its own: a long, blocking read.
    let (accounts, merged, list_version) = tokio::task::spawn_blocking(move || {
        let mut list = list;
        let merged = breach_sweep::merge(&accounts, list.by_ref());
        (accounts, merged, list.digest_version())
    })
    .await
    .context("the merge stopped")?;
    let Merged { found, list_hashes } = merged?;
    let list_version = sweep.list_version.clone().unwrap_or(list_version);
    let mut report = SweepReport {
        accounts: accounts.read,
        with_nt_hash: accounts.with_hash(),
        without_nt_hash: accounts.without_hash,
        found: found.len(),
        list_hashes,
        list_version,
        notices: None,
        took: Duration::ZERO,
    };
    drop(accounts);

    if let (Some(mailer), Some(notice_password)) = (notify, notice_password) {
        let directory = directory_as(settings, &sweep.notice_bind_dn, notice_password)
            .context("building the notice account's directory client")?;
        let gateway = notice_gateway(settings, directory, mailer)?;
        report.notices = Some(
            breach_sweep::notify(
                &gateway,
                &found,
                &report.list_version,
                sweep.force_change,
                now,
            )
            .await,
        );
    }
    report.took = started.elapsed();
    Ok(report)
}

/// The domain over the notice account: it reads, claims and mails; it
/// writes no password, runs no hook, keeps no audit trail of its own (each
/// notice is logged under the target `audit`). Its keys are throwaway
/// ones: a notice hashes and seals nothing.
fn notice_gateway(
    settings: &Settings,
    directory: Directory,
    mailer: &Mailer,
) -> anyhow::Result<Gateway> {
    let random = || {
        SecretString::from(rand::distributions::DistString::sample_string(
            &rand::distributions::Alphanumeric,
            &mut rand::thread_rng(),
            48,
        ))
    };
    let audit = Recorder::new(
        crate::audit_trail::AuditSink::off(),
        settings.audit.replica.as_deref(),
        crate::metrics::Metrics::new(&[]).flows.clone(),
    );
    Ok(Gateway::new(
        crate::assemble::gateway_settings(settings),
        Adapters {
            directory: Arc::new(directory),
            mailer: Arc::new(mailer.clone()),
            hooks: Arc::new(passerelle_domain::ports::NoHooks),
            audit: Arc::new(audit),
            clock: Arc::new(passerelle_domain::ports::SystemClock),
            texter: Arc::new(passerelle_domain::sms::NoTexter),
            wifi: None,
        },
        PasswordPolicy::from_config(&PolicyConfig::default()),
        AnswerHasher::new(&random(), 1)?,
        crate::reset_code::CodeKey::new(&random()),
    ))
}

/// The last run's figures in Prometheus' text format (`docs/metrics.md`):
/// `report` for a run that completed, `None` for one that failed; the last
/// success's time is carried over from `previous` (the file as the last run
/// left it) when this one failed.
pub fn metrics_text(
    report: Option<&SweepReport>,
    ended: chrono::DateTime<chrono::Utc>,
    took: Duration,
    previous: Option<&str>,
) -> String {
    const LAST_SUCCESS: &str = "passerelle_breach_sweep_last_success_timestamp_seconds";
    let mut out = String::new();
    let mut metric = |name: &str, help: &str, samples: &[(String, String)]| {
        out.push_str(&format!("# HELP {name} {help}\n# TYPE {name} gauge\n"));
        for (labels, value) in samples {
            out.push_str(&format!("{name}{labels} {value}\n"));
        }
    };
    let one = |value: String| vec![(String::new(), value)];
    let ended_seconds = ended.timestamp().to_string();
    metric(
        "passerelle_breach_sweep_last_run_timestamp_seconds",
        "When the last breach sweep ended (Unix time), whatever its outcome.",
        &one(ended_seconds.clone()),
    );
    metric(
        "passerelle_breach_sweep_success",
        "1 if the last breach sweep read every account and the whole list, else 0.",
        &one(u8::from(report.is_some()).to_string()),
    );
    let last_success = match report {
        Some(_) => Some(ended_seconds),
        None => previous.and_then(|text| {
            text.lines()
                .find_map(|line| line.strip_prefix(&format!("{LAST_SUCCESS} ")))
                .map(|value| value.trim().to_owned())
        }),
    };
    if let Some(value) = last_success {
        metric(
            LAST_SUCCESS,
            "When the last breach sweep that completed ended (Unix time).",
            &one(value),
        );
    }
    metric(
        "passerelle_breach_sweep_duration_seconds",
        "How long the last breach sweep took.",
        &one(format!("{:.3}", took.as_secs_f64())),
    );
    let Some(report) = report else {
        return out;
    };
    metric(
        "passerelle_breach_sweep_accounts",
        "Accounts of the last breach sweep: in scope, with and without an NT hash, found in the list.",
        &[
            ("read", report.accounts),
            ("with_nt_hash", report.with_nt_hash),
            ("without_nt_hash", report.without_nt_hash),
            ("found", report.found),
        ]
        .map(|(state, n)| (format!("{{state=\"{state}\"}}"), n.to_string())),
    );
    metric(
        "passerelle_breach_sweep_list_hashes",
        "Hashes in the breach list the last sweep read.",
        &one(report.list_hashes.to_string()),
    );
    metric(
        "passerelle_breach_sweep_list_info",
        "The version of the breach list the last sweep read.",
        &[(
            format!(
                "{{version=\"{}\"}}",
                report.list_version.replace(['"', '\\', '\n'], "_")
            ),
            "1".to_owned(),
        )],
    );
    if let Some(notices) = &report.notices {
        let samples: Vec<(String, String)> = breach_sweep::notice_counts(notices)
            .into_iter()
            .map(|(outcome, n)| (format!("{{outcome=\"{outcome}\"}}"), n.to_string()))
            .collect();
        metric(
            "passerelle_breach_sweep_notices",
            "What the last breach sweep's notices did (--notify), by outcome.",
            &samples,
        );
    }
    out
}

/// Writes `text` to `path` through a temporary file renamed over it, so
/// the collector never reads half a file.
pub fn write_metrics(path: &Path, text: &str) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(dir).with_context(|| {
        format!(
            "breach_sweep.metrics_file: creating a file in {}",
            dir.display()
        )
    })?;
    std::io::Write::write_all(&mut file, text.as_bytes())?;
    // node_exporter runs as another user: the figures are not secret.
    std::fs::set_permissions(
        file.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o644),
    )?;
    file.persist(path)
        .with_context(|| format!("breach_sweep.metrics_file: writing {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn list_file(text: &str) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(text.as_bytes()).unwrap();
        file
    }

    fn read_all(text: &str) -> Result<Vec<u128>, ListError> {
        ListStream::open(list_file(text).path()).unwrap().collect()
    }

    #[test]
    fn the_list_is_read_in_order_with_or_without_counts_and_line_feeds() {
        let text = "0000000000000000000000000000000A:3\r\n0000000000000000000000000000000a\n0000000000000000000000000000000B:12";
        assert_eq!(read_all(text).unwrap(), [10, 10, 11]);
        assert_eq!(read_all("").unwrap(), Vec::<u128>::new());
    }

    #[test]
    fn a_list_out_of_order_or_malformed_is_an_error_naming_the_line() {
        let unsorted = "0000000000000000000000000000000B\n0000000000000000000000000000000A\n";
        assert!(matches!(
            read_all(unsorted),
            Err(ListError::Unsorted { line: 2, .. })
        ));
        for bad in ["password\n", "0000000000000000000000000000000A:x\n", "\n"] {
            assert!(
                matches!(read_all(bad), Err(ListError::Malformed { line: 1, .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn the_version_is_the_digest_of_the_whole_file() {
        let text = "0000000000000000000000000000000A:3\n";
        let mut list = ListStream::open(list_file(text).path()).unwrap();
        assert_eq!(list.by_ref().count(), 1);
        let expected = hex::encode(&Sha256::digest(text.as_bytes())[..8]);
        assert_eq!(list.digest_version(), format!("sha256:{expected}"));
    }

    #[test]
    fn the_metrics_of_a_failed_run_keep_the_last_success() {
        let ended = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let report = SweepReport {
            accounts: 3,
            with_nt_hash: 2,
            without_nt_hash: 1,
            found: 1,
            list_hashes: 10,
            list_version: "hibp-2026-11".into(),
            notices: None,
            took: Duration::from_secs(2),
        };
        let good = metrics_text(Some(&report), ended, report.took, None);
        assert!(
            good.contains("passerelle_breach_sweep_success 1\n"),
            "{good}"
        );
        assert!(good.contains("passerelle_breach_sweep_accounts{state=\"found\"} 1\n"));
        assert!(good.contains("passerelle_breach_sweep_list_info{version=\"hibp-2026-11\"} 1\n"));
        let later = ended + chrono::Duration::days(1);
        let bad = metrics_text(None, later, Duration::from_secs(1), Some(&good));
        assert!(bad.contains("passerelle_breach_sweep_success 0\n"), "{bad}");
        assert!(bad.contains("passerelle_breach_sweep_last_success_timestamp_seconds 1800000000\n"));
        assert!(bad.contains("passerelle_breach_sweep_last_run_timestamp_seconds 1800086400\n"));
        assert!(!bad.contains("passerelle_breach_sweep_accounts"));
    }
}
