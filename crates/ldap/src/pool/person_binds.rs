//! Connections kept for binds as a person.
//!
//! Proving a password is a bind as the person. Opening a connection for
//! each one (a TCP handshake, a TLS one where configured, a task to drive
//! it, an unbind) cost more than the bind itself, so a connection whose
//! bind was answered is kept for the next bind, for a while. These
//! connections live apart from the service account's pool: one bound as a
//! person is never used for anything but another bind as a person (each
//! bind replaces the identity the last one left), never for a search or a
//! write (DESIGN.md: "a connection re-bound as a user never goes back to
//! the shared pool").

use super::{IdleConnection, Pool, PoolInner, MAX_LIFETIME, PROBE_AFTER_IDLE};
use crate::DirectoryError;
use ldap3::Ldap;
use std::sync::Arc;
use std::time::Instant;

/// A connection lent for one bind as a person. Closed when dropped, unless
/// [`BindConnection::keep`] gives it back.
pub(crate) struct BindConnection {
    ldap: Ldap,
    created: Instant,
    reused: bool,
    pool: Arc<PoolInner>,
}

impl BindConnection {
    /// The connection, for the bind.
    pub(crate) fn ldap(&mut self) -> &mut Ldap {
        &mut self.ldap
    }

    /// Whether the connection was kept from an earlier bind: a send error
    /// on it means the server closed it meanwhile, and the bind never left.
    pub(crate) fn reused(&self) -> bool {
        self.reused
    }

    /// The bind was answered: the connection waits for the next one (at
    /// most `ldap.pool_size` wait; the rest are closed).
    pub(crate) fn keep(mut self) {
        if self.ldap.is_closed() || self.created.elapsed() > MAX_LIFETIME {
            return;
        }
        let Ok(mut kept) = self.pool.kept_for_binds.lock() else {
            return;
        };
        if kept.len() < self.pool.keep_for_binds {
            kept.push(IdleConnection {
                ldap: self.ldap,
                created: self.created,
                last_used: Instant::now(),
            });
        }
    }
}

impl Pool {
    /// A connection for one bind as a person: the most recently kept one
    /// that is still open, used within [`PROBE_AFTER_IDLE`] and younger
    /// than [`MAX_LIFETIME`] (older ones are closed, not probed: a probe
    /// would cost what keeping saves), else a new one.
    ///
    /// Errors: those of [`Pool::connect_unbound`].
    pub(crate) async fn bind_connection(&self) -> Result<BindConnection, DirectoryError> {
        while let Some(mut kept) = self.take_kept() {
            let fresh = kept.created.elapsed() < MAX_LIFETIME
                && kept.last_used.elapsed() < PROBE_AFTER_IDLE;
            if fresh && !kept.ldap.is_closed() {
                return Ok(BindConnection {
                    ldap: kept.ldap,
                    created: kept.created,
                    reused: true,
                    pool: self.inner.clone(),
                });
            }
        }
        self.new_bind_connection().await
    }

    /// A new connection for a bind as a person, never one kept.
    ///
    /// Errors: those of [`Pool::connect_unbound`].
    pub(crate) async fn new_bind_connection(&self) -> Result<BindConnection, DirectoryError> {
        Ok(BindConnection {
            ldap: self.connect_unbound().await?,
            created: Instant::now(),
            reused: false,
            pool: self.inner.clone(),
        })
    }

    fn take_kept(&self) -> Option<IdleConnection> {
        self.inner.kept_for_binds.lock().ok()?.pop()
    }
}
