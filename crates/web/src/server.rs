//! The accept loop: serves the site on a bound listener while keeping slow
//! and stalled clients from exhausting the gateway (Passerelle issue 14,
//! item 5: 1,100 half-sent request lines used to take every descriptor and
//! stop even `/healthz`).
//!
//! Three bounds, from `[server]` ([`ConnectionLimits`]):
//!
//! - **header read**: hyper closes an HTTP/1 connection whose request head
//!   is not complete within `header_read_timeout_seconds`; the same bound
//!   is also kept here for any connection with no request in progress (one
//!   that sent nothing yet, a half-sent HTTP/2 preface, an idle
//!   keep-alive), which hyper's own timer does not cover;
//! - **request**: a request that has not been answered within
//!   `request_timeout_seconds` gets `408 Request Timeout`;
//! - **connections**: at most `max_connections` are held open. When they
//!   are all taken, the next accepted connection closes the *oldest idle*
//!   one (no request in progress): under a flood of half-open connections
//!   the attackers evict each other while a person's request, or the
//!   orchestrator's `/healthz`, which arrives whole, is answered at once.
//!   Simply not accepting at the bound would leave `/healthz` queued in the
//!   kernel behind the flood until the header timeout freed slots. A
//!   connection with a request in progress is not closed while it makes
//!   progress; one whose response its client has stopped taking (a reader
//!   that shrank its window to nothing) for twice the request timeout
//!   counts as idle, since the answer itself was bounded by that timeout:
//!   otherwise 512 slow readers of a large script would hold every slot.
//!   When all of them are working, new connections wait in the kernel's
//!   listen queue until one finishes or stalls.
//!
//! Accept errors such as "too many open files" (EMFILE) do not spin: the
//! loop closes the oldest idle connection, logs, and pauses briefly.
//!
//! Shutdown is graceful and bounded: the listener closes (new connections
//! are refused at once), idle connections close, requests in progress
//! finish within `shutdown_grace_seconds`, and whatever is still running
//! then has its connection closed. A password write is one LDAP modify, so
//! a request cut there has either been applied whole by the directory or
//! not at all; its client sees the connection close, never an error page.

use crate::settings::ServerSettings;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use std::collections::BTreeMap;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tower::ServiceExt;
use tower_http::timeout::TimeoutLayer;

/// How long the loop pauses after an accept error that is not about one
/// connection (out of descriptors or memory), so that it does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// How often the accept loop, full, looks again for a connection whose
/// responses stalled (time alone makes one freeable).
const STALL_RECHECK: Duration = Duration::from_secs(1);

/// How long the connections cut at the end of the shutdown grace may take
/// to be dropped by their tasks (they only need to be scheduled).
const CLOSE_WAIT: Duration = Duration::from_millis(500);

/// The bounds the server keeps, from `[server]` in the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// A connection with no request in progress, or an HTTP/1 request head
    /// still incomplete, is closed after this long.
    pub header_read_timeout: Duration,
    /// A request not answered after this long gets 408.
    pub request_timeout: Duration,
    /// Connections held open at once (at least 1).
    pub max_connections: usize,
    /// Once stopped, how long requests in progress may take to finish
    /// before their connections are closed.
    pub shutdown_grace: Duration,
}

impl ConnectionLimits {
    /// The limits of `[server]`: `header_read_timeout_seconds`,
    /// `request_timeout_seconds`, `max_connections` and
    /// `shutdown_grace_seconds` (validated by `Settings::validate`; a 0
    /// timeout here is raised to 1).
    pub fn from_settings(settings: &ServerSettings) -> ConnectionLimits {
        ConnectionLimits {
            header_read_timeout: Duration::from_secs(settings.header_read_timeout_seconds.max(1)),
            request_timeout: Duration::from_secs(settings.request_timeout_seconds.max(1)),
            max_connections: settings.max_connections.max(1),
            shutdown_grace: Duration::from_secs(settings.shutdown_grace_seconds),
        }
    }
}

/// Serves `router` on `listener` within `limits` until `shutdown`
/// completes, then stops accepting and waits for the open connections to
/// finish their requests (idle ones close at once; a stalled one within
/// the header timeout), at most `limits.shutdown_grace`: then the
/// connections still open are closed. Handlers see the peer as
/// `ConnectInfo<SocketAddr>`.
///
/// Errors: none today; accept errors are logged and retried, since the
/// listener itself stays valid.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let router = router.layer(TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        limits.request_timeout,
    ));
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    builder.http2().timer(TokioTimer::new());
    let builder = Arc::new(builder);
    let registry = Arc::new(Registry::new(
        limits.max_connections,
        limits.request_timeout,
    ));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);

    'serving: loop {
        // Accept only when a slot is free or can be freed: otherwise the
        // excess waits in the kernel's listen queue.
        loop {
            let changed = registry.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if registry.has_room() || registry.has_idle() {
                break;
            }
            // A response its client stops taking becomes freeable with
            // time alone, which no connection announces: look again.
            tokio::select! {
                _ = &mut changed => {}
                _ = tokio::time::sleep(STALL_RECHECK) => {}
                _ = &mut shutdown => break 'serving,
            }
        }
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    if is_connection_error(&error) {
                        continue;
                    }
                    // Out of descriptors (EMFILE, ENFILE) or memory: free
                    // what can be freed and let the process breathe.
                    let freed = registry.evict_oldest_idle();
                    tracing::warn!(%error, freed, "cannot accept a connection; pausing");
                    tokio::select! {
                        _ = tokio::time::sleep(ACCEPT_BACKOFF) => continue,
                        _ = &mut shutdown => break 'serving,
                    }
                }
            },
            _ = &mut shutdown => break 'serving,
        };
        // The connection is ours: make room for it, or wait until a
        // connection finishes a request or closes.
        loop {
            let changed = registry.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if registry.has_room() || registry.evict_oldest_idle() {
                break;
            }
            tokio::select! {
                _ = &mut changed => {}
                _ = tokio::time::sleep(STALL_RECHECK) => {}
                _ = &mut shutdown => break 'serving,
            }
        }
        let connection = registry.admit();
        let watcher = graceful.watcher();
        let builder = builder.clone();
        let router = router.clone();
        tokio::spawn(async move {
            serve_connection(stream, peer, connection, router, builder, watcher, limits).await;
        });
    }

    drop(listener);
    tracing::info!(
        open = registry.open(),
        grace_seconds = limits.shutdown_grace.as_secs_f64(),
        "no longer accepting; letting requests in progress finish"
    );
    if tokio::time::timeout(limits.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        let closed = registry.close_all();
        tracing::warn!(
            closed,
            grace_seconds = limits.shutdown_grace.as_secs_f64(),
            "requests still in progress when the shutdown grace ran out: their connections are closed"
        );
        // Each connection's task drops it as soon as it is woken.
        let deadline = tokio::time::Instant::now() + CLOSE_WAIT;
        while registry.open() > 0 && tokio::time::Instant::now() < deadline {
            let changed = registry.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if registry.open() == 0 {
                break;
            }
            let _ = tokio::time::timeout_at(deadline, changed).await;
        }
    }
    Ok(())
}

/// Errors about one connection that went away before it was accepted: the
/// next accept may succeed at once.
fn is_connection_error(error: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        error.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset | Interrupted | WouldBlock
    )
}

/// Serves one connection until it ends, is evicted to make room, or stays
/// without a request in progress for the header timeout.
async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    connection: Admitted,
    router: Router,
    builder: Arc<Builder<TokioExecutor>>,
    watcher: hyper_util::server::graceful::Watcher,
    limits: ConnectionLimits,
) {
    let tracked = connection.tracked.clone();
    let registry = connection.registry.clone();
    let service = {
        let tracked = tracked.clone();
        let registry = registry.clone();
        hyper::service::service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            let busy = Busy::start(tracked.clone(), registry.clone());
            let router = router.clone();
            async move {
                let response = router.oneshot(request).await;
                // The request counts as in progress until its answer has
                // been written out, not only computed.
                response.map(|response| {
                    response.map(|body| Body::new(BodyUntilSent { body, _busy: busy }))
                })
            }
        })
    };
    let served = watcher.watch(builder.serve_connection(TokioIo::new(stream), service));
    tokio::pin!(served);
    loop {
        let check_at = tokio::time::Instant::from_std(
            tracked.idle_deadline(&registry, limits.header_read_timeout),
        );
        tokio::select! {
            outcome = &mut served => {
                if let Err(error) = outcome {
                    tracing::debug!(%error, %peer, "connection ended with an error");
                }
                break;
            }
            _ = tracked.evict.notified() => {
                tracing::debug!(%peer, "closed an idle connection to make room");
                break;
            }
            _ = tokio::time::sleep_until(check_at) => {
                if tracked.idle_for(&registry) >= Some(limits.header_read_timeout) {
                    tracing::debug!(%peer, "closed a connection that sent no request in time");
                    break;
                }
            }
        }
    }
    drop(connection);
}

/// The open connections, oldest first.
struct Registry {
    max: usize,
    /// A response still being written this long after the connection last
    /// made progress (a request started or finished) is one its client does
    /// not take: the answer itself is bounded by the request timeout, so
    /// what is left is a reader too slow or gone (ms).
    stalled_after_ms: u64,
    /// The clock idle times are counted from.
    epoch: Instant,
    next_id: AtomicU64,
    open: Mutex<BTreeMap<u64, Arc<Tracked>>>,
    /// Woken when a connection closes or finishes a request: a slot may
    /// have become free or freeable.
    changed: Notify,
}

/// One open connection, as the accept loop sees it.
struct Tracked {
    /// Requests in progress (HTTP/2 may carry several at once).
    in_progress: AtomicUsize,
    /// When the last request finished, or the connection opened (ms since
    /// the registry's epoch).
    idle_since_ms: AtomicU64,
    /// When a request last started or finished (ms since the epoch): the
    /// connection's last progress while requests are in progress.
    progress_ms: AtomicU64,
    /// Already asked to close, so not counted against the bound.
    evicted: AtomicBool,
    evict: Notify,
}

impl Registry {
    fn new(max: usize, request_timeout: Duration) -> Registry {
        Registry {
            max,
            // The answer within the request timeout, then as long again
            // to be taken (a phone on a slow link fetching the 800 KB
            // strength-meter script needs about that much).
            stalled_after_ms: u64::try_from(request_timeout.saturating_mul(2).as_millis())
                .unwrap_or(u64::MAX),
            epoch: Instant::now(),
            next_id: AtomicU64::new(0),
            open: Mutex::new(BTreeMap::new()),
            changed: Notify::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, BTreeMap<u64, Arc<Tracked>>> {
        // The map stays consistent even if a holder panicked: every
        // operation on it is a single insert, remove or scan.
        self.open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn open(&self) -> usize {
        self.lock().len()
    }

    /// Fewer connections than the bound, not counting those already asked
    /// to close.
    fn has_room(&self) -> bool {
        self.lock()
            .values()
            .filter(|c| !c.evicted.load(Ordering::Acquire))
            .count()
            < self.max
    }

    /// Whether a connection may be closed to make room: none in progress,
    /// or only responses its client stopped taking ([`Tracked::is_stalled`]).
    fn has_idle(&self) -> bool {
        self.lock()
            .values()
            .any(|c| c.is_idle() || c.is_stalled(self))
    }

    /// Asks the oldest connection with no request in progress to close,
    /// else the oldest whose responses its client stopped taking; false
    /// when every connection is working.
    fn evict_oldest_idle(&self) -> bool {
        let open = self.lock();
        let idle = open.values().find(|c| c.is_idle());
        let Some(connection) = idle.or_else(|| open.values().find(|c| c.is_stalled(self))) else {
            return false;
        };
        connection.evicted.store(true, Ordering::Release);
        // notify_one keeps a permit: the connection closes even if its task
        // is not waiting at this instant.
        connection.evict.notify_one();
        true
    }

    /// Asks every open connection to close, busy or not (the shutdown
    /// grace ran out); returns how many were asked.
    fn close_all(&self) -> usize {
        let open = self.lock();
        for connection in open.values() {
            connection.evicted.store(true, Ordering::Release);
            connection.evict.notify_one();
        }
        open.len()
    }

    fn admit(self: &Arc<Self>) -> Admitted {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let tracked = Arc::new(Tracked {
            in_progress: AtomicUsize::new(0),
            idle_since_ms: AtomicU64::new(self.now_ms()),
            progress_ms: AtomicU64::new(self.now_ms()),
            evicted: AtomicBool::new(false),
            evict: Notify::new(),
        });
        self.lock().insert(id, tracked.clone());
        Admitted {
            id,
            tracked,
            registry: self.clone(),
        }
    }
}

impl Tracked {
    fn is_idle(&self) -> bool {
        !self.evicted.load(Ordering::Acquire) && self.in_progress.load(Ordering::Acquire) == 0
    }

    /// Requests in progress, none started or finished for longer than the
    /// request timeout allows an answer: responses the client is not
    /// taking (a slow reader holding its slot).
    fn is_stalled(&self, registry: &Registry) -> bool {
        !self.evicted.load(Ordering::Acquire)
            && self.in_progress.load(Ordering::Acquire) > 0
            && registry
                .now_ms()
                .saturating_sub(self.progress_ms.load(Ordering::Acquire))
                >= registry.stalled_after_ms
    }

    /// How long the connection has had no request in progress; None while
    /// one is.
    fn idle_for(&self, registry: &Registry) -> Option<Duration> {
        if self.in_progress.load(Ordering::Acquire) > 0 {
            return None;
        }
        let since = self.idle_since_ms.load(Ordering::Acquire);
        Some(Duration::from_millis(
            registry.now_ms().saturating_sub(since),
        ))
    }

    /// When to look again whether the connection has been idle too long.
    fn idle_deadline(&self, registry: &Registry, timeout: Duration) -> Instant {
        match self.idle_for(registry) {
            Some(idle) => Instant::now() + timeout.saturating_sub(idle),
            None => Instant::now() + timeout,
        }
    }
}

/// A connection's place in the registry, given back when it closes.
struct Admitted {
    id: u64,
    tracked: Arc<Tracked>,
    registry: Arc<Registry>,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        self.registry.lock().remove(&self.id);
        self.registry.changed.notify_waiters();
    }
}

/// A request in progress on its connection, from its head until its answer
/// is written out or dropped.
struct Busy {
    tracked: Arc<Tracked>,
    registry: Arc<Registry>,
}

impl Busy {
    fn start(tracked: Arc<Tracked>, registry: Arc<Registry>) -> Busy {
        tracked
            .progress_ms
            .store(registry.now_ms(), Ordering::Release);
        tracked.in_progress.fetch_add(1, Ordering::AcqRel);
        Busy { tracked, registry }
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        let now = self.registry.now_ms();
        self.tracked.idle_since_ms.store(now, Ordering::Release);
        self.tracked.progress_ms.store(now, Ordering::Release);
        self.tracked.in_progress.fetch_sub(1, Ordering::AcqRel);
        self.registry.changed.notify_waiters();
    }
}

/// A response body that keeps its request counted as in progress until it
/// has been sent (or the connection dropped it).
struct BodyUntilSent {
    body: Body,
    /// Held for its `Drop`.
    _busy: Busy,
}

impl http_body::Body for BodyUntilSent {
    type Data = <Body as http_body::Body>::Data;
    type Error = <Body as http_body::Body>::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}
