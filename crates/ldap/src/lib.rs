//! The LDAP adapter: the gateway's only way into the directory, and the
//! implementation of the domain's `ports::Directory`: finding people by
//! what they type, proving a password with a bind as the person, writing a
//! new password in one atomic modify that also carries the Wi-Fi NT hash,
//! and storing the gateway's self-service state (failures, lockout, codes,
//! secret question) on the person's entry with a compare-and-swap, so
//! every replica shares one truth. It stores; the domain decides.
//!
//! Everything goes through the service account's connection pool, except a
//! bind as a person, which uses a connection of its own that is dropped
//! afterwards. Every network step is bounded by `timeout_seconds`. Errors
//! are typed ([`DirectoryError`], [`PasswordWriteError`]); their `Display`
//! is for the logs and never carries the directory's diagnostic text to a
//! person.
#![forbid(unsafe_code)]

mod error;
mod helpdesk;
pub use passerelle_domain::identity;
mod metrics;
pub use passerelle_domain::nthash;
mod password;
mod person;
mod policy;
mod pool;
mod port;
mod post_read;
pub mod ppolicy;
mod probe;
mod replicas;
mod settings;
mod state;
mod sweep;

pub use error::{DirectoryError, PasswordWriteError};
pub use identity::{BirthDate, Identifier, IdentifierCase, MailAddress};
pub use password::{BindProof, WriteKind};
pub use person::{
    format_generalized_time, parse_generalized_time, EntryPerson, GatewayState, Person,
    ADMINISTRATIVE_LOCK, GATEWAY_CLASS,
};
pub use policy::{DirectoryPolicy, PpolicyLock, PpolicyState, QualityCheck, POLICY_CACHE_SECONDS};
pub use probe::{PasswordRights, Right, Subschema, GATEWAY_STATE_ATTRIBUTES};
pub use replicas::ReplicaReport;
pub use settings::LdapSettings;

use error::{classify, rc_means_unavailable};
use ldap3::controls::RawControl;
use ldap3::{Ldap, LdapError, LdapResult, Mod, Scope, SearchEntry, SearchOptions};
use person::STATE_ATTRIBUTES;
use pool::Pool;
use secrecy::SecretString;
use std::collections::HashSet;
use std::future::Future;
use std::sync::Arc;

/// The handle the whole gateway shares (cheap to clone).
#[derive(Clone)]
pub struct Directory {
    inner: Arc<Inner>,
}

struct Inner {
    settings: LdapSettings,
    pool: Pool,
    /// Password policy entries read recently (see `policy.rs`).
    policies: policy::PolicyCache,
    /// Attributes asked for when reading a person.
    person_attributes: Vec<String>,
    /// `person_filter`, always parenthesised.
    person_filter: String,
    /// `replica_urls`, each with connections of its own.
    replicas: Vec<replicas::Replica>,
}

impl std::fmt::Debug for Directory {
    // No secret inside, but the password stays out of sight on principle.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Directory")
            .field("urls", &self.inner.settings.urls)
            .field("bind_dn", &self.inner.settings.bind_dn)
            .field("base_dn", &self.inner.settings.base_dn)
            .finish_non_exhaustive()
    }
}

/// What `passerelle check` wants to know about the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootDse {
    /// The root DSE advertises the password policy control.
    pub supports_ppolicy: bool,
    /// The root DSE advertises the assertion control (RFC 4528), which makes
    /// the self-service state safe across replicas.
    pub supports_assertion: bool,
    pub vendor: Option<String>,
    /// The suffixes the server holds (`namingContexts`).
    pub naming_contexts: Vec<String>,
}

/// Entries per page of the paged searches over the whole directory (RFC
/// 2696); the reading account's `olcLimits` lets it page past slapd's size
/// limit (`size.prtotal=unlimited`, config/ldap).
const PAGE: i32 = 500;

/// What a paged search over the whole directory does when the directory
/// ends it early (a size or time limit): a notice pass logs it and keeps
/// what it read; a sweep over part of the accounts must not report.
pub(crate) enum EndedEarly {
    /// Logged as a warning naming the search.
    Logged(&'static str),
    /// Handed to the caller as the last item, an error naming the search.
    Failed(&'static str),
}

impl Directory {
    /// Builds the handle without contacting the directory: the gateway must
    /// start (and answer "service unavailable") while the directory is down.
    /// Fails only on configuration errors (no URL, unreadable CA file, an
    /// attribute name that is not one).
    pub fn new(settings: &LdapSettings, password: SecretString) -> Result<Self, DirectoryError> {
        let mut names: Vec<&str> = vec![
            &settings.login_attribute,
            &settings.birth_date_attribute,
            &settings.mail_attribute,
        ];
        names.extend(settings.identifier_attributes.iter().map(String::as_str));
        names.extend(settings.recovery_mail_attributes.iter().map(String::as_str));
        names.extend(settings.mobile_attributes.iter().map(String::as_str));
        names.extend(settings.name_attributes.iter().map(String::as_str));
        names.extend(settings.affiliation_attributes.iter().map(String::as_str));
        if let Some(bad) = names.iter().find(|n| !is_attribute_name(n)) {
            return Err(anyhow::anyhow!("{bad:?} is not an LDAP attribute name").into());
        }
        if settings.identifier_attributes.is_empty() {
            return Err(anyhow::anyhow!("ldap.identifier_attributes is empty").into());
        }
        let mut person_attributes: Vec<String> = Vec::new();
        let mut add = |name: &str| {
            if !person_attributes
                .iter()
                .any(|a| a.eq_ignore_ascii_case(name))
            {
                person_attributes.push(name.to_owned());
            }
        };
        for fixed in ["objectClass", "givenName", "sn", "displayName"] {
            add(fixed);
        }
        for name in &names {
            add(name);
        }
        for name in STATE_ATTRIBUTES {
            add(name);
        }
        for name in [
            "pwdChangedTime",
            "pwdAccountLockedTime",
            "pwdReset",
            "pwdPolicySubentry",
            "pwdStartTime",
            "pwdEndTime",
            "shadowExpire",
            person::ATTR_ACTIVATION_PENDING,
            person::ATTR_BREACH_NOTICE,
            // The version, so that a state update can start from this
            // reading (`Directory::begin_attempt`).
            ENTRY_CSN,
        ] {
            add(name);
        }
        let filter = settings.person_filter.trim();
        let person_filter = if filter.is_empty() {
            "(objectClass=*)".to_owned()
        } else if filter.starts_with('(') {
            filter.to_owned()
        } else {
            format!("({filter})")
        };
        Ok(Self {
            inner: Arc::new(Inner {
                replicas: replicas::replicas(settings, &password)?,
                pool: Pool::new(settings, password)?,
                settings: settings.clone(),
                policies: policy::PolicyCache::default(),
                person_attributes,
                person_filter,
            }),
        })
    }

    pub fn settings(&self) -> &LdapSettings {
        &self.inner.settings
    }

    /// Checks that the directory answers and accepts the service account.
    pub async fn ping(&self) -> Result<(), DirectoryError> {
        let result = self
            .run("whoami", |mut ldap| async move {
                ldap.extended(ldap3::exop::WhoAmI).await
            })
            .await?;
        match result.1.rc {
            0 => Ok(()),
            rc => Err(unexpected_rc("whoami", &result.1, rc)),
        }
    }

    /// Every person (`person_filter`) whose password was ever set
    /// (`pwdChangedTime` present), for `passerelle notify-expiring`: read
    /// in pages of 500 (the paged results control, RFC 2696) by a task of
    /// its own and handed over through a channel of one page, so that the
    /// caller holds at most a page or two whatever the directory's size.
    /// The service account must be allowed to page past slapd's size limit
    /// (`olcLimits: … size.prtotal=unlimited`, config/ldap). Bounded by ten
    /// times `timeout_seconds` (at least ten minutes) for the whole read. A
    /// failure arrives as the last item; a search that ends early (a size
    /// limit) is logged, so that nobody is silently skipped.
    pub fn people_with_password(
        &self,
    ) -> tokio::sync::mpsc::Receiver<Result<Person, DirectoryError>> {
        let filter = format!("(&{}(pwdChangedTime=*))", self.inner.person_filter);
        let attrs = self.inner.person_attributes.clone();
        let settings = self.inner.settings.clone();
        self.paged_people(
            filter,
            attrs,
            EndedEarly::Logged("the search of people with a password"),
            move |entry| Person::from_entry(entry.dn, entry.attrs, &settings),
        )
    }

    /// One paged search (the paged results control, RFC 2696, pages of
    /// [`PAGE`]) of `filter` under `base_dn` for `attrs`, run by a task of
    /// its own; each entry, made into a `T` by `read`, is handed over
    /// through a channel of one page, so that the caller holds at most a
    /// page or two whatever the directory's size. Bounded by ten times
    /// `timeout_seconds` (at least ten minutes) for the whole read. A
    /// failure arrives as the last item; a search the directory ended early
    /// (a size or time limit) is logged or made that last item, as `early`
    /// says. The caller may stop listening at any time: nothing more is read.
    pub(crate) fn paged_people<T: Send + 'static>(
        &self,
        filter: String,
        attrs: Vec<String>,
        early: EndedEarly,
        read: impl Fn(SearchEntry) -> T + Send + 'static,
    ) -> tokio::sync::mpsc::Receiver<Result<T, DirectoryError>> {
        use ldap3::adapters::{Adapter, EntriesOnly, PagedResults};
        let (sender, receiver) = tokio::sync::mpsc::channel(PAGE as usize);
        let directory = self.clone();
        tokio::spawn(async move {
            let base = directory.inner.settings.base_dn.clone();
            let limit = directory
                .inner
                .pool
                .timeout()
                .max(std::time::Duration::from_secs(60))
                * 10;
            let out = sender.clone();
            let searched = directory
                .run_within("search", limit, move |mut ldap| async move {
                    let adapters: Vec<Box<dyn Adapter<'_, String, Vec<String>>>> = vec![
                        Box::new(EntriesOnly::new()),
                        Box::new(PagedResults::new(PAGE)),
                    ];
                    let mut stream = ldap
                        .streaming_search_with(adapters, &base, Scope::Subtree, &filter, attrs)
                        .await?;
                    let mut count = 0usize;
                    while let Some(entry) = stream.next().await? {
                        count += 1;
                        // The caller stopped listening: nothing more to read.
                        if out
                            .send(Ok(read(SearchEntry::construct(entry))))
                            .await
                            .is_err()
                        {
                            break;
                        }
                    }
                    let result = stream.finish().await;
                    Ok((count, result))
                })
                .await
                .map_err(|(e, _)| e);
            let failed = match searched {
                Ok((_, result)) if result.rc == 0 => None,
                Ok((count, result)) => match early {
                    EndedEarly::Logged(what) => {
                        tracing::warn!(rc = result.rc, text = %result.text, read = count, "{what} ended early");
                        None
                    }
                    EndedEarly::Failed(what) => Some(DirectoryError::Unexpected(anyhow::anyhow!(
                        "{what} ended early after {count} (rc {}: {})",
                        result.rc,
                        result.text
                    ))),
                },
                Err(error) => Some(error),
            };
            if let Some(error) = failed {
                let _ = sender.send(Err(error)).await;
            }
        });
        receiver
    }

    /// Finds the one person whose configured identifier attributes hold
    /// `identifier`, each attribute searched with the value in the case it
    /// stores ([`LdapSettings::identifier_case_of`]): `p4106a` finds the
    /// staff number `P4106A`. Two distinct entries are refused as ambiguous
    /// (and logged with their DNs); nobody is `Ok(None)`.
    pub async fn find_person(
        &self,
        identifier: &Identifier,
    ) -> Result<Option<Person>, DirectoryError> {
        let settings = &self.inner.settings;
        let alternatives: String = settings
            .identifier_attributes
            .iter()
            .map(|attribute| {
                let value = identifier.for_case(settings.identifier_case_of(attribute));
                format!("({attribute}={})", ldap3::ldap_escape(value))
            })
            .collect();
        let filter = format!("(&{}(|{alternatives}))", self.inner.person_filter);
        self.find_one(&filter, "identifier").await
    }

    /// [`Identifier::parse`] then [`Directory::find_person`]: what a person
    /// typed that cannot be an identifier simply finds nobody.
    pub async fn find_person_by_input(
        &self,
        typed: &str,
    ) -> Result<Option<Person>, DirectoryError> {
        match Identifier::parse(typed) {
            Some(identifier) => self.find_person(&identifier).await,
            None => Ok(None),
        }
    }

    /// Finds the one person whose recovery address (`recovery_mail_attributes`)
    /// is `typed`. `mail_attribute` is not searched unless a site lists it
    /// as a recovery attribute: a person who lost their password often
    /// cannot read their institutional mailbox.
    pub async fn find_by_mail(&self, typed: &str) -> Result<Option<Person>, DirectoryError> {
        let Some(mail) = MailAddress::parse(typed) else {
            return Ok(None);
        };
        if self.inner.settings.recovery_mail_attributes.is_empty() {
            return Ok(None);
        }
        let value = ldap3::ldap_escape(mail.as_str());
        let alternatives: String = self
            .inner
            .settings
            .recovery_mail_attributes
            .iter()
            .map(|a| format!("({a}={value})"))
            .collect();
        let filter = format!("(&{}(|{alternatives}))", self.inner.person_filter);
        self.find_one(&filter, "mail").await
    }

    /// Reads a person's entry again (fresh state), `None` if it is gone.
    pub async fn reload(&self, person: &Person) -> Result<Option<Person>, DirectoryError> {
        self.read_person(&person.dn).await
    }

    /// Reads the person at `dn`, `None` if there is no such entry.
    pub async fn read_person(&self, dn: &str) -> Result<Option<Person>, DirectoryError> {
        Ok(self.read_versioned(dn).await?.map(|(person, _)| person))
    }

    /// Reads the person at `dn` with the entry's `entryCSN` (its version:
    /// slapd changes it on every modify), `None` if there is no such entry.
    /// The CSN is `None` when the server does not keep one.
    async fn read_versioned(
        &self,
        dn: &str,
    ) -> Result<Option<(Person, Option<String>)>, DirectoryError> {
        let (entries, result) = self
            .search(
                dn,
                Scope::Base,
                "(objectClass=*)",
                &self.inner.person_attributes,
                1,
            )
            .await?;
        match result.rc {
            0 => Ok(entries.into_iter().next().map(|e| {
                let person = Person::from_entry(e.dn, e.attrs, &self.inner.settings);
                let csn = person.version.clone();
                (person, csn)
            })),
            32 => Ok(None),
            rc => Err(unexpected_rc("read", &result, rc)),
        }
    }

    /// Whether the entry at `dn` matches `filter` (a configured LDAP
    /// filter, e.g. `flows.activation_filter`), read by the service
    /// account. A missing entry matches nothing.
    pub async fn entry_matches(&self, dn: &str, filter: &str) -> Result<bool, DirectoryError> {
        let filter = format!("(&(objectClass=*){filter})");
        let (entries, result) = self.search(dn, Scope::Base, &filter, &["1.1"], 1).await?;
        match result.rc {
            0 => Ok(!entries.is_empty()),
            32 => Ok(false),
            rc => Err(unexpected_rc("match", &result, rc)),
        }
    }

    /// Reads the root DSE.
    pub async fn root_dse(&self) -> Result<RootDse, DirectoryError> {
        let attrs = [
            "supportedControl",
            "vendorName",
            "vendorVersion",
            "objectClass",
            "structuralObjectClass",
            "namingContexts",
        ];
        let (entries, result) = self
            .search("", Scope::Base, "(objectClass=*)", &attrs, 1)
            .await?;
        if result.rc != 0 {
            return Err(unexpected_rc("root DSE", &result, result.rc));
        }
        let Some(entry) = entries.into_iter().next() else {
            return Err(anyhow::anyhow!("the root DSE is not readable").into());
        };
        let values = |name: &str| -> Vec<String> {
            entry
                .attrs
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                .flat_map(|(_, v)| v.iter().cloned())
                .collect()
        };
        let supports_ppolicy = values("supportedControl")
            .iter()
            .any(|oid| oid == ppolicy::PPOLICY_OID);
        let supports_assertion = values("supportedControl")
            .iter()
            .any(|oid| oid == ASSERTION_OID);
        let vendor = match (
            values("vendorName").first(),
            values("vendorVersion").first(),
        ) {
            (Some(name), Some(version)) => Some(format!("{name} {version}")),
            (Some(name), None) => Some(name.clone()),
            _ => values("objectClass")
                .iter()
                .chain(values("structuralObjectClass").iter())
                .any(|c| c.eq_ignore_ascii_case("OpenLDAProotDSE"))
                .then(|| "OpenLDAP".to_owned()),
        };
        Ok(RootDse {
            supports_ppolicy,
            supports_assertion,
            vendor,
            naming_contexts: values("namingContexts"),
        })
    }

    async fn find_one(&self, filter: &str, what: &str) -> Result<Option<Person>, DirectoryError> {
        let base = self.inner.settings.base_dn.clone();
        // Two entries are enough to know the answer is ambiguous.
        let (entries, result) = self
            .search(
                &base,
                Scope::Subtree,
                filter,
                &self.inner.person_attributes,
                2,
            )
            .await?;
        match result.rc {
            0 | 4 => {}
            rc => return Err(unexpected_rc("search", &result, rc)),
        }
        let mut dns: Vec<String> = entries.iter().map(|e| e.dn.clone()).collect();
        dns.sort_by_key(|d| d.to_lowercase());
        dns.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        if dns.len() > 1 {
            tracing::warn!(by = what, dns = ?dns, "one value matches several entries; refused");
            return Err(DirectoryError::Ambiguous);
        }
        Ok(entries
            .into_iter()
            .next()
            .map(|e| Person::from_entry(e.dn, e.attrs, &self.inner.settings)))
    }

    /// A search on a pooled connection; retried when a pooled connection
    /// turns out to be dead (e.g. after a restart), but not when the
    /// directory itself cannot be reached.
    async fn search(
        &self,
        base: &str,
        scope: Scope,
        filter: &str,
        attrs: &[impl AsRef<str> + Sync],
        sizelimit: i32,
    ) -> Result<(Vec<SearchEntry>, LdapResult), DirectoryError> {
        let attrs: Vec<String> = attrs.iter().map(|a| a.as_ref().to_owned()).collect();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let (base, filter, attrs) = (base.to_owned(), filter.to_owned(), attrs.clone());
            let outcome = self
                .run_reporting_staleness("search", move |mut ldap| async move {
                    let found = ldap
                        .with_search_options(SearchOptions::new().sizelimit(sizelimit))
                        .search(&base, scope, &filter, attrs)
                        .await?;
                    Ok((found.0, found.1))
                })
                .await;
            match outcome {
                Ok((_, result)) if rc_means_unavailable(result.rc) => {
                    tracing::warn!(rc = result.rc, "directory busy or unavailable");
                    return Err(DirectoryError::Unavailable);
                }
                Ok((entries, result)) => {
                    let entries = entries.into_iter().map(SearchEntry::construct).collect();
                    return Ok((entries, result));
                }
                // Every idle connection may be stale after a restart.
                Err((DirectoryError::Unavailable, true))
                    if attempt <= self.inner.settings.pool_size => {}
                Err((e, _)) => return Err(e),
            }
        }
    }

    /// One modify on a pooled connection, with the given request controls.
    /// Not retried: a write that failed in flight may have been applied.
    async fn modify(
        &self,
        dn: &str,
        mods: Vec<Mod<String>>,
        with_ppolicy: bool,
    ) -> Result<LdapResult, DirectoryError> {
        let controls = if with_ppolicy {
            vec![ppolicy::request_control()]
        } else {
            Vec::new()
        };
        self.modify_with(dn, mods, controls).await
    }

    /// One modify that the directory applies only if the entry's
    /// `entryCSN` is still `csn` (assertion control, RFC 4528): a modify
    /// planned from a read that another replica has since overtaken fails
    /// with rc 122 instead of being applied. Without a CSN (a server that
    /// keeps none) the modify goes unconditionally.
    async fn modify_if_unchanged(
        &self,
        dn: &str,
        mods: Vec<Mod<String>>,
        csn: Option<&str>,
        agent: Option<&str>,
    ) -> Result<LdapResult, DirectoryError> {
        let mut controls = match csn {
            Some(csn) => vec![assertion_control(&format!(
                "({ENTRY_CSN}={})",
                ldap3::ldap_escape(csn)
            ))?],
            None => Vec::new(),
        };
        if let Some(agent) = agent {
            controls.push(proxied_authorization(agent));
        }
        self.modify_with(dn, mods, controls).await
    }

    pub(crate) async fn modify_with(
        &self,
        dn: &str,
        mods: Vec<Mod<String>>,
        controls: Vec<RawControl>,
    ) -> Result<LdapResult, DirectoryError> {
        let dn = dn.to_owned();
        self.run("modify", move |mut ldap| async move {
            if !controls.is_empty() {
                ldap.with_controls(controls);
            }
            ldap.modify(&dn, mods).await
        })
        .await
    }

    /// Runs one operation on a pooled connection within the timeout; a
    /// connection whose operation failed or timed out is never reused.
    async fn run<T, F, Fut>(&self, operation: &'static str, op: F) -> Result<T, DirectoryError>
    where
        F: FnOnce(Ldap) -> Fut,
        Fut: Future<Output = Result<T, LdapError>>,
    {
        self.run_reporting_staleness(operation, op)
            .await
            .map_err(|(e, _)| e)
    }

    /// [`Directory::run`], also saying whether the error came from a pooled
    /// connection that may merely have gone stale (worth one retry on a
    /// fresh one) rather than from the directory itself.
    async fn run_reporting_staleness<T, F, Fut>(
        &self,
        operation: &'static str,
        op: F,
    ) -> Result<T, (DirectoryError, bool)>
    where
        F: FnOnce(Ldap) -> Fut,
        Fut: Future<Output = Result<T, LdapError>>,
    {
        self.run_within(operation, self.inner.pool.timeout(), op)
            .await
    }

    /// [`Directory::run_reporting_staleness`] with its own time limit, for
    /// the few operations that read many entries (a paged search).
    async fn run_within<T, F, Fut>(
        &self,
        operation: &'static str,
        limit: std::time::Duration,
        op: F,
    ) -> Result<T, (DirectoryError, bool)>
    where
        F: FnOnce(Ldap) -> Fut,
        Fut: Future<Output = Result<T, LdapError>>,
    {
        let mut conn = self.inner.pool.get().await.map_err(|e| (e, false))?;
        let Some(ldap) = conn.handle() else {
            return Err((DirectoryError::Unavailable, false));
        };
        let started = std::time::Instant::now();
        let outcome = tokio::time::timeout(limit, op(ldap)).await;
        self.inner
            .pool
            .metrics()
            .operation(operation, metrics::result_of(&outcome), started);
        match outcome {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => {
                conn.discard();
                Err((classify(e), conn.reused()))
            }
            Err(_) => {
                // Reported once here, with the bound that was hit; the
                // person gets the "temporarily unavailable" page.
                tracing::warn!(
                    timeout_ms = self.inner.pool.timeout().as_millis() as u64,
                    "a directory operation did not answer within ldap.timeout_seconds; connection dropped"
                );
                conn.discard();
                Err((DirectoryError::Timeout, false))
            }
        }
    }
}

impl passerelle_metrics::Observed for Directory {
    fn register_metrics(&self, registry: &mut prometheus_client::registry::Registry) {
        self.inner.pool.metrics().register(registry);
    }
}

/// The operational attribute slapd changes on every modify of an entry
/// (its change sequence number), with `CSNMatch` equality.
pub(crate) const ENTRY_CSN: &str = "entryCSN";

/// OID of the assertion control (RFC 4528).
const ASSERTION_OID: &str = "1.3.6.1.1.12";

/// The Proxied Authorization control (RFC 4370, OID
/// 2.16.840.1.113730.3.4.18), critical, naming the help-desk agent at `dn`:
/// the operation is decided with that agent's rights.
pub(crate) fn proxied_authorization(dn: &str) -> RawControl {
    ldap3::controls::ProxyAuth {
        authzid: format!("dn:{dn}"),
    }
    .into()
}

/// A result that refuses an operation to the identity it ran as:
/// insufficientAccess (50), or authorizationDenied (123) when the service
/// account may not act for the identity the control names.
pub(crate) fn forbidden(rc: u32) -> bool {
    matches!(rc, 50 | 123)
}

/// Whether `filter` is an LDAP filter the directory can be sent (a
/// configured one: `helpdesk.profiles[].scope`, `exclusion_filter`).
pub fn is_filter(filter: &str) -> bool {
    let filter = filter.trim();
    filter.starts_with('(') && ldap3::parse_filter(filter).is_ok()
}

/// The assertion control for `filter`, critical: a server that does not
/// know it must refuse the operation rather than apply it unconditionally.
/// Built here rather than with `ldap3::controls::Assertion`, which panics on
/// a filter it cannot parse.
pub(crate) fn assertion_control(filter: &str) -> Result<RawControl, DirectoryError> {
    use ldap3::asn1::ASNTag;
    let tag =
        ldap3::parse_filter(filter).map_err(|()| anyhow::anyhow!("unparsable assertion filter"))?;
    let mut value = bytes::BytesMut::new();
    ldap3::asn1::write::encode_into(&mut value, tag.into_structure())
        .map_err(|e| anyhow::anyhow!("encoding an assertion filter: {e}"))?;
    Ok(RawControl {
        ctype: ASSERTION_OID.to_owned(),
        crit: true,
        val: Some(value.to_vec()),
    })
}

fn unexpected_rc(what: &str, result: &LdapResult, rc: u32) -> DirectoryError {
    if rc_means_unavailable(rc) {
        return DirectoryError::Unavailable;
    }
    DirectoryError::Unexpected(anyhow::anyhow!(
        "directory {what} failed: rc {rc} ({})",
        result.text
    ))
}

/// An attribute description: a name (letters, digits, hyphens) or an OID,
/// optionally with options. Configured names are put into filters as they
/// are, so anything else is refused at start.
fn is_attribute_name(name: &str) -> bool {
    let mut parts = name.split(';');
    let Some(base) = parts.next() else {
        return false;
    };
    let is_descr = base.starts_with(|c: char| c.is_ascii_alphabetic())
        && base.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let is_oid = !base.is_empty()
        && base
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    (is_descr || is_oid)
        && parts.all(|o| !o.is_empty() && o.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

/// `Mod::Replace` with one value.
fn replace(attr: &str, value: impl Into<String>) -> Mod<String> {
    Mod::Replace(attr.to_owned(), HashSet::from([value.into()]))
}

/// `Mod::Replace` with no value: removes the attribute if present, and is
/// not an error if it is absent (RFC 4511 §4.6), unlike a delete.
fn remove(attr: &str) -> Mod<String> {
    Mod::Replace(attr.to_owned(), HashSet::new())
}

fn add_value(attr: &str, value: impl Into<String>) -> Mod<String> {
    Mod::Add(attr.to_owned(), HashSet::from([value.into()]))
}

fn delete_values(attr: &str, values: impl IntoIterator<Item = String>) -> Mod<String> {
    Mod::Delete(attr.to_owned(), values.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_names_are_checked_before_they_reach_a_filter() {
        for good in [
            "uid",
            "supannEtuId",
            "mail;lang-fr",
            "2.5.4.3",
            "x-custom-1",
        ] {
            assert!(is_attribute_name(good), "{good}");
        }
        for bad in [
            "",
            "uid)(objectClass=*",
            "uid=",
            "1uid",
            "ui d",
            "2.5..3",
            "mail;",
        ] {
            assert!(!is_attribute_name(bad), "{bad}");
        }
    }

    #[tokio::test]
    async fn a_directory_can_be_built_while_the_server_is_down() {
        let settings = LdapSettings {
            urls: vec!["ldap://127.0.0.1:1".into()],
            timeout_seconds: 1,
            ..LdapSettings::default()
        };
        let directory = Directory::new(&settings, SecretString::from("x")).unwrap();
        let started = std::time::Instant::now();
        let outcome = directory.find_person_by_input("jdupont").await;
        assert!(
            matches!(outcome, Err(DirectoryError::Unavailable)),
            "{outcome:?}"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(3));
    }

    #[test]
    fn a_configured_filter_injection_is_refused_at_start() {
        let settings = LdapSettings {
            identifier_attributes: vec!["uid)(uid=*".into()],
            ..LdapSettings::default()
        };
        assert!(Directory::new(&settings, SecretString::from("x")).is_err());
    }
}
