//! The directory's own password policy (the ppolicy overlay's `pwdPolicy`
//! entries) as it applies to one person, and the lock ppolicy keeps on an
//! entry (`pwdAccountLockedTime`).
//!
//! ppolicy enforces the policy named by the person's `pwdPolicySubentry`,
//! else the overlay's `olcPPolicyDefault` (configured here as
//! `ldap.default_policy_dn`). The gateway reads the same entry so that the
//! rules it lists, ticks and checks are the numbers the directory will
//! enforce on the write, and so that it can tell ppolicy's timed lock (which
//! a reset that proves identity lifts) from a lock that lasts until an
//! administrator lifts it. Policy entries change rarely and are shared by
//! thousands of people: each is cached for [`POLICY_CACHE_SECONDS`].

use super::{unexpected_rc, Directory, DirectoryError, Person};

use ldap3::Scope;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a policy entry read from the directory is reused, in seconds:
/// an operator's change reaches the pages within a minute, and a busy
/// gateway reads each policy once a minute, not once per person.
pub const POLICY_CACHE_SECONDS: u64 = 60;

/// Policies kept at most; beyond that the cache starts again empty. A site
/// has a handful of policies, so this only bounds a misconfiguration.
const POLICY_CACHE_CAPACITY: usize = 256;

/// Policy entries a search for `passerelle check` looks at, at most.
const SAFE_MODIFY_SEARCH_LIMIT: i32 = 200;

/// The policy attributes the gateway reads (draft-behera-ldap-password-policy
/// §5.2, as OpenLDAP 2.5 names them).
const POLICY_ATTRIBUTES: [&str; 10] = [
    "pwdMinLength",
    "pwdMaxLength",
    "pwdInHistory",
    "pwdCheckQuality",
    "pwdMaxFailure",
    "pwdLockout",
    "pwdLockoutDuration",
    "pwdMaxAge",
    "pwdMustChange",
    "pwdSafeModify",
];

pub use passerelle_domain::ppolicy::{DirectoryPolicy, PpolicyLock, PpolicyState, QualityCheck};

/// Builds a policy from an entry's attributes (names compared without
/// case, as LDAP does).
fn policy_from_attributes(dn: String, attrs: &HashMap<String, Vec<String>>) -> DirectoryPolicy {
    let value = |name: &str| -> Option<&str> {
        attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.first())
            .map(|v| v.trim())
    };
    let number = |name: &str| -> u32 { value(name).and_then(|v| v.parse().ok()).unwrap_or(0) };
    let flag = |name: &str| value(name).is_some_and(|v| v.eq_ignore_ascii_case("TRUE"));
    let seconds = |name: &str| Duration::from_secs(u64::from(number(name)));
    DirectoryPolicy {
        dn,
        min_length: number("pwdMinLength"),
        max_length: number("pwdMaxLength"),
        in_history: number("pwdInHistory"),
        check_quality: match number("pwdCheckQuality") {
            0 => QualityCheck::Off,
            1 => QualityCheck::IfPossible,
            _ => QualityCheck::Required,
        },
        max_failure: number("pwdMaxFailure"),
        lockout: flag("pwdLockout"),
        lockout_duration: seconds("pwdLockoutDuration"),
        max_age: Some(seconds("pwdMaxAge")).filter(|d| !d.is_zero()),
        must_change: flag("pwdMustChange"),
        safe_modify: flag("pwdSafeModify"),
    }
}

/// Policy entries read recently, by lowercase DN.
#[derive(Default)]
pub(crate) struct PolicyCache {
    entries: Mutex<HashMap<String, (Instant, Arc<DirectoryPolicy>)>>,
}

impl PolicyCache {
    fn get(&self, key: &str) -> Option<Arc<DirectoryPolicy>> {
        let entries = self.entries.lock().ok()?;
        let (read_at, policy) = entries.get(key)?;
        (read_at.elapsed() < Duration::from_secs(POLICY_CACHE_SECONDS)).then(|| policy.clone())
    }

    fn put(&self, key: String, policy: Arc<DirectoryPolicy>) {
        // A poisoned lock only means another request panicked mid-insert:
        // skipping the cache is always correct.
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= POLICY_CACHE_CAPACITY {
            entries.clear();
        }
        entries.insert(key, (Instant::now(), policy));
    }
}

impl Directory {
    /// The password policy the directory enforces for `person`: the entry
    /// named by their `pwdPolicySubentry`, else `ldap.default_policy_dn`
    /// (the overlay's `olcPPolicyDefault`). A policy entry that does not
    /// exist or that the service account may not read gives
    /// [`DirectoryPolicy::unenforced`], as slapd itself does (logged).
    /// Cached for [`POLICY_CACHE_SECONDS`] per policy DN.
    ///
    /// Errors: the directory is unreachable or slow
    /// ([`DirectoryError::Unavailable`], [`DirectoryError::Timeout`]) or
    /// answers the read with an unexpected result code.
    pub async fn effective_policy(
        &self,
        person: &Person,
    ) -> Result<DirectoryPolicy, DirectoryError> {
        let dn = match person.ppolicy.subentry.as_deref() {
            Some(dn) if !dn.trim().is_empty() => dn.trim().to_owned(),
            _ => self.inner.settings.default_policy_dn.trim().to_owned(),
        };
        self.policy_at(&dn).await
    }

    /// The policy ppolicy applies to people without `pwdPolicySubentry`
    /// (`ldap.default_policy_dn`), for `passerelle check`. Errors as
    /// [`Directory::effective_policy`].
    pub async fn default_policy(&self) -> Result<DirectoryPolicy, DirectoryError> {
        let dn = self.inner.settings.default_policy_dn.trim().to_owned();
        self.policy_at(&dn).await
    }

    /// Must self-service stop for `person` (see
    /// [`PpolicyLock::stops_self_service`])? Reads the effective policy only
    /// when the entry carries a timed lock. Errors as
    /// [`Directory::effective_policy`].
    pub async fn self_service_stopped(&self, person: &Person) -> Result<bool, DirectoryError> {
        // The owner's « Ce n'était pas moi » stops it too, until IT lifts it.
        if person.state.frozen.is_some() {
            return Ok(true);
        }
        match person.ppolicy.lock {
            PpolicyLock::None => Ok(false),
            PpolicyLock::Administrative => Ok(true),
            lock @ PpolicyLock::Timed { .. } => {
                let policy = self.effective_policy(person).await?;
                Ok(lock.stops_self_service(&policy))
            }
        }
    }

    /// The DNs of the `pwdPolicy` entries under `bases` that set
    /// `pwdSafeModify: TRUE` (and that the service account may read), for
    /// `passerelle check`: under such a policy a change must carry the old
    /// password, which no reset has. A base that does not exist holds none.
    pub async fn safe_modify_policies(
        &self,
        bases: &[String],
    ) -> Result<Vec<String>, DirectoryError> {
        let mut found = Vec::new();
        for base in bases {
            let (entries, result) = self
                .search(
                    base,
                    Scope::Subtree,
                    "(objectClass=pwdPolicy)",
                    &POLICY_ATTRIBUTES,
                    SAFE_MODIFY_SEARCH_LIMIT,
                )
                .await?;
            match result.rc {
                // 4: more policies than a search may return; those seen
                // are enough to warn.
                0 | 4 | 32 => {}
                rc => return Err(unexpected_rc("policy search", &result, rc)),
            }
            found.extend(
                entries
                    .into_iter()
                    .map(|entry| policy_from_attributes(entry.dn, &entry.attrs))
                    .filter(|policy| policy.safe_modify)
                    .map(|policy| policy.dn),
            );
        }
        Ok(found)
    }

    async fn policy_at(&self, dn: &str) -> Result<DirectoryPolicy, DirectoryError> {
        if dn.is_empty() {
            return Ok(DirectoryPolicy::unenforced());
        }
        let key = dn.to_lowercase();
        if let Some(policy) = self.inner.policies.get(&key) {
            return Ok((*policy).clone());
        }
        let (entries, result) = self
            .search(
                dn,
                Scope::Base,
                "(objectClass=pwdPolicy)",
                &POLICY_ATTRIBUTES,
                1,
            )
            .await?;
        let policy = match result.rc {
            0 => match entries.into_iter().next() {
                Some(entry) => policy_from_attributes(entry.dn, &entry.attrs),
                None => {
                    tracing::warn!(dn, "not a pwdPolicy entry; no directory policy applies");
                    DirectoryPolicy::unenforced()
                }
            },
            // No such entry, or one the service account may not see (the
            // ACL of ou=policies in config/ldap/slapd-databases.ldif).
            32 => {
                tracing::warn!(dn, "password policy entry not found or not readable");
                DirectoryPolicy::unenforced()
            }
            rc => return Err(unexpected_rc("policy read", &result, rc)),
        };
        self.inner.policies.put(key, Arc::new(policy.clone()));
        Ok(policy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use passerelle_domain::generalized_time::parse_generalized_time;
    use passerelle_domain::person::ADMINISTRATIVE_LOCK;

    fn attrs(pairs: &[(&str, &str)]) -> HashMap<String, Vec<String>> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), vec![v.to_string()]))
            .collect()
    }

    #[test]
    fn a_policy_entry_is_read_with_units_and_defaults() {
        let policy = policy_from_attributes(
            "cn=p".into(),
            &attrs(&[
                ("pwdminlength", "24"),
                ("pwdInHistory", "3"),
                ("pwdCheckQuality", "1"),
                ("pwdLockout", "TRUE"),
                ("pwdMaxFailure", "5"),
                ("pwdLockoutDuration", "900"),
                ("pwdMaxAge", "0"),
                ("pwdMaxLength", "garbage"),
            ]),
        );
        assert_eq!(policy.enforced_min_length(), Some(24));
        assert_eq!(policy.enforced_max_length(), None);
        assert_eq!(policy.in_history, 3);
        assert!(policy.lockout && policy.max_failure == 5);
        assert_eq!(policy.lockout_duration, Duration::from_secs(900));
        assert_eq!(policy.max_age, None);
        assert!(!policy.must_change);
        let unchecked = DirectoryPolicy {
            check_quality: QualityCheck::Off,
            ..policy
        };
        assert_eq!(unchecked.enforced_min_length(), None);
    }

    #[test]
    fn only_a_lock_without_end_stops_self_service() {
        let timed = DirectoryPolicy {
            lockout_duration: Duration::from_secs(900),
            ..DirectoryPolicy::default()
        };
        let forever = DirectoryPolicy::default();
        let lock = PpolicyLock::parse(Some("20240102030405Z"));
        let since = parse_generalized_time("20240102030405Z").unwrap();
        assert_eq!(lock, PpolicyLock::Timed { since });
        assert!(!lock.stops_self_service(&timed));
        assert!(lock.stops_self_service(&forever));
        assert_eq!(
            lock.ends_at(&timed),
            Some(since + chrono::Duration::seconds(900))
        );
        assert_eq!(lock.ends_at(&forever), None);
        let it = PpolicyLock::parse(Some(ADMINISTRATIVE_LOCK));
        assert_eq!(it, PpolicyLock::Administrative);
        assert!(it.stops_self_service(&timed));
        assert_eq!(
            PpolicyLock::parse(Some("not a time")),
            PpolicyLock::Administrative
        );
        assert!(!PpolicyLock::parse(None).stops_self_service(&forever));
    }
}
