//! A small pool of connections bound as the gateway's service account.
//!
//! ldap3 does not reconnect by itself, so the pool validates a connection
//! before lending it (closed ones and old ones are dropped; long-idle ones
//! are probed with a WhoAmI) and never takes back a connection whose
//! operation failed. New connections try the configured URLs in order,
//! skipping for a short while one that just refused, so a dead primary costs
//! one refused connect, not one per request. Binds as a person never happen
//! here: they use [`Pool::connect_unbound`], whose connection is dropped
//! after the bind.

use super::error::{classify, rc_means_unavailable, DirectoryError};
use super::metrics::{result_of, DirectoryMetrics};
use crate::settings::LdapSettings;
use anyhow::Context as _;
use ldap3::exop::WhoAmI;
use ldap3::{Ldap, LdapConnAsync, LdapConnSettings};
use secrecy::{ExposeSecret, SecretString};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

mod person_binds;

/// A connection idle longer than this is probed before being lent.
const PROBE_AFTER_IDLE: Duration = Duration::from_secs(30);
/// Connections are renewed after this, so that after a failover the pool
/// drifts back to the preferred (first) URL once it is up again.
const MAX_LIFETIME: Duration = Duration::from_secs(600);
/// How long a URL that refused a connection is skipped.
const URL_BACKOFF: Duration = Duration::from_secs(5);

pub(crate) struct Pool {
    inner: Arc<PoolInner>,
}

struct PoolInner {
    urls: Vec<String>,
    conn_settings: LdapConnSettings,
    bind_dn: String,
    bind_password: SecretString,
    timeout: Duration,
    idle: Mutex<Vec<IdleConnection>>,
    permits: Arc<Semaphore>,
    url_down_until: Mutex<Vec<Option<Instant>>>,
    metrics: DirectoryMetrics,
    /// Connections that answered a bind as a person, for the next one.
    kept_for_binds: Mutex<Vec<IdleConnection>>,
    /// How many of them may wait (`ldap.pool_size`).
    keep_for_binds: usize,
}

struct IdleConnection {
    ldap: Ldap,
    created: Instant,
    last_used: Instant,
}

/// A connection lent by the pool; it goes back when dropped unless an
/// operation on it failed.
pub(crate) struct PooledConnection {
    ldap: Option<Ldap>,
    created: Instant,
    healthy: bool,
    /// Taken from the idle list rather than opened for this request.
    reused: bool,
    pool: Arc<PoolInner>,
    _permit: OwnedSemaphorePermit,
}

impl PooledConnection {
    /// A handle on the connection (ldap3 handles are cheap clones).
    pub(crate) fn handle(&self) -> Option<Ldap> {
        self.ldap.clone()
    }

    /// Was this connection already open before this request? A failure on
    /// such a connection may only mean it went stale (a restart).
    pub(crate) fn reused(&self) -> bool {
        self.reused
    }

    /// Never lend this connection again.
    pub(crate) fn discard(&mut self) {
        self.healthy = false;
    }
}

impl Drop for PooledConnection {
    fn drop(&mut self) {
        self.pool.metrics.pool_in_use.dec();
        let Some(mut ldap) = self.ldap.take() else {
            return;
        };
        if !self.healthy || ldap.is_closed() {
            return;
        }
        if let Ok(mut idle) = self.pool.idle.lock() {
            idle.push(IdleConnection {
                ldap,
                created: self.created,
                last_used: Instant::now(),
            });
            self.pool.metrics.pool_idle.set(gauge_value(idle.len()));
        }
    }
}

impl Pool {
    pub(crate) fn new(
        settings: &LdapSettings,
        password: SecretString,
    ) -> Result<Self, DirectoryError> {
        if settings.urls.is_empty() {
            return Err(anyhow::anyhow!("ldap.urls is empty").into());
        }
        let timeout = Duration::from_secs(settings.timeout_seconds.max(1));
        let mut conn_settings = LdapConnSettings::new()
            .set_conn_timeout(timeout)
            .set_starttls(settings.starttls);
        let needs_tls = settings.starttls || settings.urls.iter().any(|u| u.starts_with("ldaps:"));
        if needs_tls {
            conn_settings = conn_settings.set_config(tls_config(settings)?);
        }
        Ok(Self {
            inner: Arc::new(PoolInner {
                urls: settings.urls.clone(),
                conn_settings,
                bind_dn: settings.bind_dn.clone(),
                bind_password: password,
                timeout,
                idle: Mutex::new(Vec::new()),
                permits: Arc::new(Semaphore::new(settings.pool_size.max(1))),
                url_down_until: Mutex::new(vec![None; settings.urls.len()]),
                metrics: DirectoryMetrics::new(settings.pool_size.max(1)),
                kept_for_binds: Mutex::new(Vec::new()),
                keep_for_binds: settings.pool_size.max(1),
            }),
        })
    }

    pub(crate) fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    pub(crate) fn metrics(&self) -> &DirectoryMetrics {
        &self.inner.metrics
    }

    /// Lends a validated connection bound as the service account, opening
    /// one if none is idle.
    pub(crate) async fn get(&self) -> Result<PooledConnection, DirectoryError> {
        let waiting = Instant::now();
        let permit = tokio::time::timeout(
            self.inner.timeout,
            self.inner.permits.clone().acquire_owned(),
        )
        .await;
        self.inner.metrics.waited(waiting, permit.is_ok());
        let permit = permit
            .map_err(|_| {
                tracing::warn!(
                    timeout_ms = self.inner.timeout.as_millis() as u64,
                    "no directory connection became free within ldap.timeout_seconds"
                );
                DirectoryError::Timeout
            })?
            .map_err(|_| anyhow::anyhow!("connection pool closed"))?;
        while let Some(candidate) = self.take_idle() {
            if self.still_good(&candidate).await {
                self.inner.metrics.pool_in_use.inc();
                return Ok(PooledConnection {
                    ldap: Some(candidate.ldap),
                    created: candidate.created,
                    healthy: true,
                    reused: true,
                    pool: self.inner.clone(),
                    _permit: permit,
                });
            }
        }
        let connecting = Instant::now();
        let connected = self.connect_bound().await;
        let result = match &connected {
            Ok(_) => "ok",
            Err(DirectoryError::Timeout) => "timeout",
            Err(_) => "error",
        };
        self.inner.metrics.operation("connect", result, connecting);
        let ldap = connected?;
        self.inner.metrics.pool_in_use.inc();
        Ok(PooledConnection {
            ldap: Some(ldap),
            created: Instant::now(),
            healthy: true,
            reused: false,
            pool: self.inner.clone(),
            _permit: permit,
        })
    }

    fn take_idle(&self) -> Option<IdleConnection> {
        // Most recently used first: it is the most likely to be alive.
        let mut idle = self.inner.idle.lock().ok()?;
        let taken = idle.pop();
        self.inner.metrics.pool_idle.set(gauge_value(idle.len()));
        taken
    }

    async fn still_good(&self, candidate: &IdleConnection) -> bool {
        let mut ldap = candidate.ldap.clone();
        if ldap.is_closed() || candidate.created.elapsed() > MAX_LIFETIME {
            return false;
        }
        if candidate.last_used.elapsed() < PROBE_AFTER_IDLE {
            return true;
        }
        let probing = Instant::now();
        let probe = tokio::time::timeout(self.inner.timeout, ldap.extended(WhoAmI)).await;
        self.inner
            .metrics
            .operation("whoami", result_of(&probe), probing);
        matches!(probe, Ok(Ok(result)) if result.1.rc == 0)
    }

    /// A new connection bound as the service account.
    async fn connect_bound(&self) -> Result<Ldap, DirectoryError> {
        let mut ldap = self.connect_unbound().await?;
        let bind = tokio::time::timeout(
            self.inner.timeout,
            ldap.simple_bind(
                &self.inner.bind_dn,
                self.inner.bind_password.expose_secret(),
            ),
        )
        .await
        .map_err(|_| {
            tracing::warn!(
                timeout_ms = self.inner.timeout.as_millis() as u64,
                "the service account bind did not answer within ldap.timeout_seconds"
            );
            DirectoryError::Timeout
        })?
        .map_err(classify)?;
        match bind.rc {
            0 => Ok(ldap),
            rc if rc_means_unavailable(rc) => Err(DirectoryError::Unavailable),
            rc => {
                tracing::error!(rc, bind_dn = %self.inner.bind_dn, text = %bind.text,
                    "the directory refused the gateway's service account");
                Err(
                    anyhow::anyhow!("the directory refused the service account bind (rc {rc})")
                        .into(),
                )
            }
        }
    }

    /// Binds the service account on a connection of its own with
    /// `controls` and returns the bind's result, controls included
    /// (`passerelle check` asks whether ppolicy answers its control).
    pub(crate) async fn bind_service_with(
        &self,
        controls: Vec<ldap3::controls::RawControl>,
    ) -> Result<ldap3::LdapResult, DirectoryError> {
        let mut ldap = self.connect_unbound().await?;
        let bind = tokio::time::timeout(
            self.inner.timeout,
            ldap.with_controls(controls).simple_bind(
                &self.inner.bind_dn,
                self.inner.bind_password.expose_secret(),
            ),
        )
        .await
        .map_err(|_| DirectoryError::Timeout)?
        .map_err(classify)?;
        let _ = tokio::time::timeout(self.inner.timeout, ldap.unbind()).await;
        Ok(bind)
    }

    /// A new, unbound connection to the first URL that answers; the caller
    /// owns it and drops it when done (used for binds as a person).
    pub(crate) async fn connect_unbound(&self) -> Result<Ldap, DirectoryError> {
        let order = self.url_order();
        let mut last_error = DirectoryError::Unavailable;
        for index in order {
            let url = &self.inner.urls[index];
            let attempt = tokio::time::timeout(
                self.inner.timeout,
                LdapConnAsync::with_settings(self.inner.conn_settings.clone(), url),
            )
            .await;
            match attempt {
                Ok(Ok((conn, ldap))) => {
                    self.mark_url(index, None);
                    tokio::spawn(async move {
                        if let Err(e) = conn.drive().await {
                            tracing::debug!(error = %e, "directory connection ended");
                        }
                    });
                    return Ok(ldap);
                }
                Ok(Err(e)) => {
                    tracing::warn!(url = %url, error = %e, "directory server not reachable");
                    self.mark_url(index, Some(Instant::now() + URL_BACKOFF));
                    // A TLS or URL problem is a configuration error the
                    // operator must see, not an outage.
                    last_error = match tls_failure(&e) {
                        Some(reason) => DirectoryError::Unexpected(anyhow::anyhow!(
                            "TLS with {url} failed: {reason}"
                        )),
                        None => match classify(e) {
                            DirectoryError::Unexpected(e) => DirectoryError::Unexpected(e),
                            _ => DirectoryError::Unavailable,
                        },
                    };
                }
                Err(_) => {
                    tracing::warn!(url = %url, "directory server did not answer in time");
                    self.mark_url(index, Some(Instant::now() + URL_BACKOFF));
                    last_error = DirectoryError::Unavailable;
                }
            }
        }
        Err(last_error)
    }

    /// URLs in configured order, the ones that just failed last.
    fn url_order(&self) -> Vec<usize> {
        let now = Instant::now();
        let down = self
            .inner
            .url_down_until
            .lock()
            .map(|d| d.clone())
            .unwrap_or_default();
        let is_down = |i: usize| matches!(down.get(i), Some(Some(until)) if *until > now);
        let mut order: Vec<usize> = (0..self.inner.urls.len())
            .filter(|&i| !is_down(i))
            .collect();
        order.extend((0..self.inner.urls.len()).filter(|&i| is_down(i)));
        order
    }

    fn mark_url(&self, index: usize, down_until: Option<Instant>) {
        if let Ok(mut down) = self.inner.url_down_until.lock() {
            if let Some(slot) = down.get_mut(index) {
                *slot = down_until;
            }
        }
    }
}

/// A count as a gauge value.
fn gauge_value(count: usize) -> i64 {
    i64::try_from(count).unwrap_or(i64::MAX)
}

/// The rustls error inside a failed connection (tokio-rustls reports a
/// refused certificate as an I/O error of kind `InvalidData`).
fn tls_failure(error: &ldap3::LdapError) -> Option<String> {
    let ldap3::LdapError::Io { source } = error else {
        return None;
    };
    source
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        .map(ToString::to_string)
}

/// rustls configuration with the ring provider (set explicitly, so nothing
/// depends on a process-wide default) and the configured CA, else the
/// system roots.
fn tls_config(settings: &LdapSettings) -> Result<Arc<rustls::ClientConfig>, DirectoryError> {
    use rustls::pki_types::{pem::PemObject, CertificateDer};
    let mut roots = rustls::RootCertStore::empty();
    match &settings.ca_file {
        Some(path) => {
            let certs = CertificateDer::pem_file_iter(path)
                .with_context(|| format!("cannot read ldap.ca_file {}", path.display()))?;
            for cert in certs {
                let cert =
                    cert.with_context(|| format!("ldap.ca_file {} is not PEM", path.display()))?;
                roots
                    .add(cert)
                    .with_context(|| format!("invalid certificate in {}", path.display()))?;
            }
            if roots.is_empty() {
                return Err(anyhow::anyhow!(
                    "ldap.ca_file {} holds no certificate",
                    path.display()
                )
                .into());
            }
        }
        None => {
            let native = rustls_native_certs::load_native_certs();
            for error in &native.errors {
                tracing::warn!(error = %error, "could not load a system CA certificate");
            }
            let (added, _ignored) = roots.add_parsable_certificates(native.certs);
            if added == 0 {
                return Err(
                    anyhow::anyhow!("no system CA certificate found; set ldap.ca_file").into(),
                );
            }
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("TLS protocol versions")?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_ca_file_is_a_clear_configuration_error() {
        let settings = LdapSettings {
            urls: vec!["ldaps://ldap.example.org".into()],
            ca_file: Some("/nonexistent/ca.pem".into()),
            ..LdapSettings::default()
        };
        let error = Pool::new(&settings, SecretString::from("x")).err().unwrap();
        assert!(format!("{error:#}").contains("ca_file"), "{error:#}");
    }

    #[test]
    fn a_ca_file_without_certificates_is_refused() {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), "not a certificate\n").unwrap();
        let settings = LdapSettings {
            urls: vec!["ldap://ldap.example.org".into()],
            starttls: true,
            ca_file: Some(file.path().into()),
            ..LdapSettings::default()
        };
        assert!(Pool::new(&settings, SecretString::from("x")).is_err());
    }

    #[test]
    fn plain_ldap_needs_no_certificates() {
        let settings = LdapSettings {
            urls: vec!["ldap://127.0.0.1:1".into()],
            ca_file: Some("/nonexistent/ca.pem".into()),
            ..LdapSettings::default()
        };
        assert!(Pool::new(&settings, SecretString::from("x")).is_ok());
    }
}
