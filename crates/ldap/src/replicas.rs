//! The new password confirmed on every replica before a flow says "done"
//! (`ldap.replica_urls`). RADIUS, CAS or a mail server often read a replica,
//! not the provider the gateway writes to: a person told "done" who is then
//! refused by the Wi-Fi a few seconds later has been told something false.
//!
//! After the write, each replica is watched on connections of its own (one
//! small pool per replica, bound as the service account) until its copy of
//! the entry shows the change (`pwdChangedTime` at least the provider's),
//! and only then is the new password proved there with ONE bind as the
//! person: binding blindly in a loop would count every bind made before
//! the change arrived as a failed login in the replica's ppolicy, and could
//! lock the account. The whole check is bounded by
//! `ldap.replica_wait_seconds`; the replicas are checked at the same time.

use super::error::classify;
use super::pool::Pool;
use super::Directory;
use crate::settings::LdapSettings;
use ldap3::{Scope, SearchEntry};
use passerelle_text::normalize_password;
use secrecy::{ExposeSecret, SecretString};
use std::time::Duration;
use tokio::time::Instant;

/// First pause between two looks at a replica; it doubles up to
/// [`MAX_POLL`]. Replication on a LAN takes milliseconds.
const FIRST_POLL: Duration = Duration::from_millis(20);
const MAX_POLL: Duration = Duration::from_millis(250);

/// One replica: its URL and its own connections.
pub(super) struct Replica {
    url: String,
    pool: Pool,
}

/// Builds one pool per `replica_urls` entry, with the settings (TLS, CA,
/// service account, timeout) of the main pool.
pub(super) fn replicas(
    settings: &LdapSettings,
    password: &SecretString,
) -> Result<Vec<Replica>, super::DirectoryError> {
    settings
        .replica_urls
        .iter()
        .map(|url| {
            let one = LdapSettings {
                urls: vec![url.clone()],
                // One look and one bind at a time per write; a few writes
                // at once share these.
                pool_size: 2,
                ..settings.clone()
            };
            Ok(Replica {
                url: url.clone(),
                pool: Pool::new(&one, password.clone())?,
            })
        })
        .collect()
}

pub use passerelle_domain::ports::ReplicaReport;

/// How one replica's check ended.
enum Outcome {
    Confirmed,
    /// The change arrived but the bind was refused (the password changed
    /// again since, or the replica does not hold what was written).
    Refused,
    /// The wait ran out (replica behind or unreachable).
    TimedOut,
}

impl Directory {
    /// Waits, at most `ldap.replica_wait_seconds`, until every replica of
    /// `ldap.replica_urls` accepts `password` for `person`, just written on
    /// the provider. Never fails: a replica that cannot be reached is
    /// reported as lagging (and logged with its URL), since the password
    /// is written and will reach it once it is back.
    pub async fn confirm_on_replicas(
        &self,
        person: &super::Person,
        password: &SecretString,
    ) -> ReplicaReport {
        let mut report = ReplicaReport::default();
        if self.inner.replicas.is_empty() {
            return report;
        }
        let wait = Duration::from_secs(self.inner.settings.replica_wait_seconds);
        let deadline = Instant::now() + wait;
        let password = normalize_password(password);
        // What the replicas must show: the provider's pwdChangedTime after
        // the write (read afresh: the write set it).
        let changed = match self.read_person(&person.dn).await {
            Ok(Some(fresh)) => fresh.pwd_changed_time,
            _ => None,
        };
        let started = Instant::now();
        let mut checks = tokio::task::JoinSet::new();
        for index in 0..self.inner.replicas.len() {
            let directory = self.clone();
            let dn = person.dn.clone();
            let password = password.clone();
            let changed = changed.clone();
            checks.spawn(async move {
                let replica = &directory.inner.replicas[index];
                let outcome = tokio::time::timeout_at(
                    deadline,
                    watch(replica, &dn, changed.as_deref(), &password),
                )
                .await
                .unwrap_or(Outcome::TimedOut);
                (replica.url.clone(), outcome)
            });
        }
        while let Some(joined) = checks.join_next().await {
            let Ok((url, outcome)) = joined else {
                // A panicked check: reported, not propagated.
                report.lagging.push("?".to_owned());
                continue;
            };
            let waited_ms = started.elapsed().as_millis() as u64;
            match outcome {
                Outcome::Confirmed => {
                    tracing::debug!(replica = %url, waited_ms, "new password confirmed on a replica");
                    report.confirmed.push(url);
                }
                Outcome::Refused => {
                    tracing::warn!(replica = %url, waited_ms,
                        "a replica refused the new password after the change reached it");
                    report.lagging.push(url);
                }
                Outcome::TimedOut => {
                    tracing::warn!(replica = %url, waited_ms,
                        "a replica did not accept the new password within ldap.replica_wait_seconds");
                    report.lagging.push(url);
                }
            }
        }
        report.confirmed.sort();
        report.lagging.sort();
        report
    }
}

/// Looks at the replica's copy of the entry until the change is there,
/// then binds once as the person. Runs until it has an answer: the caller
/// bounds it.
async fn watch(
    replica: &Replica,
    dn: &str,
    changed: Option<&str>,
    password: &SecretString,
) -> Outcome {
    let mut pause = FIRST_POLL;
    loop {
        if arrived(replica, dn, changed).await {
            return match bind(replica, dn, password).await {
                Some(true) => Outcome::Confirmed,
                Some(false) => Outcome::Refused,
                // The replica went away between the look and the bind.
                None => Outcome::TimedOut,
            };
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(MAX_POLL);
    }
}

/// Whether the replica's entry shows a `pwdChangedTime` at least
/// `changed` (GeneralizedTime in the same form compares as text). Without
/// a provider value to compare, any readable entry counts. An unreachable
/// replica has not arrived.
async fn arrived(replica: &Replica, dn: &str, changed: Option<&str>) -> bool {
    let Ok(mut conn) = replica.pool.get().await else {
        return false;
    };
    let Some(mut ldap) = conn.handle() else {
        return false;
    };
    let search = tokio::time::timeout(
        replica.pool.timeout(),
        ldap.search(dn, Scope::Base, "(objectClass=*)", vec!["pwdChangedTime"]),
    )
    .await;
    let entries = match search {
        Ok(Ok(result)) => match result.success() {
            Ok((entries, _)) => entries,
            Err(_) => return false,
        },
        _ => {
            conn.discard();
            return false;
        }
    };
    let Some(entry) = entries.into_iter().next().map(SearchEntry::construct) else {
        return false;
    };
    let Some(changed) = changed else {
        return true;
    };
    entry
        .attrs
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("pwdChangedTime"))
        .and_then(|(_, values)| values.first())
        .is_some_and(|there| there.as_str() >= changed)
}

/// One bind as the person on the replica, on a connection of its own:
/// `Some(true)` accepted, `Some(false)` refused, `None` unreachable.
async fn bind(replica: &Replica, dn: &str, password: &SecretString) -> Option<bool> {
    let mut ldap = replica.pool.connect_unbound().await.ok()?;
    let bind = tokio::time::timeout(
        replica.pool.timeout(),
        ldap.simple_bind(dn, password.expose_secret()),
    )
    .await
    .ok()?
    .map_err(classify)
    .ok()?;
    let _ = tokio::time::timeout(replica.pool.timeout(), ldap.unbind()).await;
    Some(bind.rc == 0)
}
