//! The web adapter: the HTTP server, its pages and its forms. Each POST
//! makes one call into the domain (`passerelle_domain::flows`) with typed,
//! already-parsed input and maps its outcome to a redirect or a page; the
//! web never calls the directory, the mailer or the hooks, and emits no
//! audit event (the domain does).
//!
//! [`Application::bind`] binds the listeners first (port 0 gives a free
//! port, which the tests use), then [`Application::run_until_stopped`]
//! serves until SIGTERM or Ctrl-C. [`router`] builds the whole site from an
//! [`AppState`] so that a test can also drive it in process.
//!
//! Every response carries the security headers (CSP, no-store, nosniff, no
//! referrer); every form is protected by a CSRF token and a one-time step
//! nonce kept in an encrypted, expiring cookie ([`flow_state`]), and a form
//! another site's page sent is refused ([`origin`]); POSTs are
//! rate-limited per client address ([`client`]). One module per flow under
//! [`routes`].
#![forbid(unsafe_code)]

pub mod api;
pub mod client;
pub mod error;
pub mod flow_state;
pub mod form;
pub mod identity_step;
pub mod message;
pub mod metrics;
pub mod origin;
pub mod page;
pub mod recent;
pub mod recovery_views;
pub mod routes;
mod security;
pub mod server;
pub mod settings;
pub mod shared_steps;
pub mod site_texts;
pub mod step;
pub mod views;

use anyhow::Context;
use axum::extract::{DefaultBodyLimit, FromRef};
use axum::routing::get;
use axum::Router;
use axum_extra::extract::cookie::Key;
use passerelle_domain::flow::FlowName;
use passerelle_domain::Gateway;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha512};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

pub use client::RateLimitSettings;
pub use error::WebError;
pub use settings::WebSettings;

/// Everything a request handler needs, behind one shared pointer: every
/// middleware layer and extractor clones the state of each request, so a
/// clone is one reference count, not one per field.
#[derive(Clone)]
pub struct AppState(Arc<SiteState>);

impl std::ops::Deref for AppState {
    type Target = SiteState;

    fn deref(&self) -> &SiteState {
        &self.0
    }
}

/// What [`AppState`] shares: the domain's [`Gateway`], which every step
/// calls once, and what only the web needs.
pub struct SiteState {
    pub gateway: Gateway,
    /// What the pages show of the site's configuration.
    pub settings: Arc<WebSettings>,
    /// Derives the captcha texts from the challenge ids in flow cookies.
    pub captcha_key: passerelle_captcha::CaptchaKey,
    /// Encrypts and authenticates the flow cookies.
    pub cookie_key: Key,
    /// Per-address limit on form submissions.
    pub limiter: Arc<client::PostLimiter>,
    /// Per-address limit on the captcha's pictures and recordings, each
    /// rendered anew (three times the submissions' quota, counted apart).
    pub media_limiter: Arc<client::PostLimiter>,
    /// Step nonces already used on this replica.
    pub spent_nonces: Arc<flow_state::SpentNonces>,
    /// The Content-Security-Policy header of every response.
    pub csp: axum::http::HeaderValue,
    /// `server.public_url`'s origin, the only one a form may be posted
    /// from ([`origin`]).
    pub public_origin: Option<String>,
    /// The `Strict-Transport-Security` header, when the site sends one
    /// (`security::strict_transport_security`).
    pub hsts: Option<axum::http::HeaderValue>,
    /// Requests seen per address and identifier, for the captcha of the
    /// flows that answer the same page whatever happened.
    pub recent: Arc<recent::RecentRequests>,
    /// How often each captcha's recording was fetched on this replica.
    pub captcha_audio: Arc<recent::AudioFetches>,
    /// The Prometheus registry and the instruments the web moves.
    pub metrics: crate::metrics::Metrics,
    /// The JSON API's clients and rate, when `api.enabled`.
    pub api: Option<Arc<api::Api>>,
}

impl FromRef<AppState> for Key {
    fn from_ref(state: &AppState) -> Key {
        state.cookie_key.clone()
    }
}

/// The web layer's keys: the flow cookies' secret, and the key the
/// captcha's challenges are derived from (the code key).
pub struct WebKeys {
    pub cookie: SecretString,
    pub captcha: SecretString,
}

impl AppState {
    /// The shared state of a site over `gateway`. Does not contact the
    /// directory: the gateway starts, and answers "service unavailable",
    /// while it is down.
    pub fn new(
        settings: WebSettings,
        gateway: Gateway,
        metrics: crate::metrics::Metrics,
        keys: &WebKeys,
        rate_limit: RateLimitSettings,
    ) -> anyhow::Result<AppState> {
        let api = api::Api::load(&settings.api)?.map(Arc::new);
        Ok(AppState(Arc::new(SiteState {
            hsts: security::strict_transport_security(
                &settings.server.public_url,
                settings.server.hsts_max_age_seconds,
            ),
            api,
            metrics,
            cookie_key: cookie_key(&keys.cookie)?,
            csp: security::content_security_policy_for_images(
                [&settings.site.logo_url, &settings.site.favicon_url]
                    .into_iter()
                    .filter_map(|url| url.as_deref()),
            ),
            limiter: Arc::new(client::PostLimiter::new(rate_limit)),
            media_limiter: Arc::new(client::PostLimiter::new(client::RateLimitSettings {
                per_minute: rate_limit.per_minute.saturating_mul(3),
                burst: rate_limit.burst.saturating_mul(3),
            })),
            public_origin: origin::public_origin(&settings.server.public_url),
            recent: Arc::new(recent::RecentRequests::new(std::time::Duration::from_secs(
                settings.lockout.lock_seconds.max(60),
            ))),
            captcha_audio: Arc::new(recent::AudioFetches::new(std::time::Duration::from_secs(
                // A flow, hence its challenge, lives at most four
                // inactivity periods (`flow_state`).
                settings.server.inactivity_seconds.saturating_mul(4) + 60,
            ))),
            spent_nonces: Arc::new(flow_state::SpentNonces::new(
                settings.server.inactivity_seconds,
            )),
            captcha_key: passerelle_captcha::CaptchaKey::new(&keys.captcha),
            gateway,
            settings: Arc::new(settings),
        })))
    }
}

/// The cookie key: SHA-512 of the configured secret gives the 64 bytes the
/// cookie crate wants (32 to sign, 32 to encrypt) from a secret of any
/// length, and a different configured secret gives an unrelated key.
fn cookie_key(secret: &SecretString) -> anyhow::Result<Key> {
    let digest = Sha512::digest(secret.expose_secret().as_bytes());
    Key::try_from(digest.as_slice()).map_err(|e| anyhow::anyhow!("cookie key: {e}"))
}

/// The whole site.
pub fn router(state: AppState) -> Router {
    let max_form_bytes = state.settings.server.max_form_bytes;
    let mut site = Router::new();
    // `/metrics` is among the pages only when the site opts in
    // (`metrics.public`); otherwise the fallback answers 404 there.
    if state.settings.metrics.public {
        site = site.route(
            "/metrics",
            get(crate::metrics::serve_metrics).with_state(state.metrics.clone()),
        );
    }
    let api = state
        .api
        .is_some()
        .then(|| api::router(&state, &state.settings.api));
    let site = site
        .route("/", get(routes::home::home))
        .route("/forgotten", get(routes::home::forgotten))
        .route("/help", get(routes::home::help))
        .route("/healthz", get(routes::health::healthz))
        .route("/readyz", get(routes::health::readyz))
        .merge(message::routes())
        .merge(flow_routes())
        .merge(routes::captcha::routes())
        .merge(routes::assets::routes())
        .route_layer(axum::middleware::from_fn(crate::metrics::note_route))
        .fallback(routes::home::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            client::limit_posts,
        ))
        .layer(DefaultBodyLimit::max(max_form_bytes))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            page::finish,
        ));
    // The API comes after the pages' middleware (HTML error pages, the
    // per-address POST limit, the form size): it has its own.
    let site = match api {
        Some(api) => site.merge(api),
        None => site,
    };
    site.layer(axum::middleware::from_fn_with_state(
        state.clone(),
        security::headers,
    ))
    .layer(axum::middleware::from_fn_with_state(
        state.clone(),
        client::identify,
    ))
    .layer(axum::middleware::from_fn_with_state(
        // One reference count per request rather than one per instrument.
        Arc::new(state.metrics.clone()),
        crate::metrics::track_requests,
    ))
    .with_state(state)
}

/// The pages of every declared flow (each answers 404 while the site turns
/// it off). The match is exhaustive: a flow declared without pages does not
/// compile.
fn flow_routes() -> Router<AppState> {
    FlowName::ALL.into_iter().fold(Router::new(), |site, flow| {
        site.merge(match flow {
            FlowName::Recover => routes::recover::routes(),
            FlowName::Identifier => routes::identifier::routes(),
            FlowName::Code => routes::code::routes(),
            FlowName::Temporary => routes::temporary::routes(),
            FlowName::Activate => routes::activate::routes(),
            FlowName::Account => routes::account::routes(),
            FlowName::Change => routes::change::routes(),
            FlowName::NotMe => routes::not_me::routes(),
            FlowName::Sms => routes::sms::routes(),
            FlowName::Helpdesk => routes::helpdesk::routes(),
        })
    })
}

/// The router of `metrics.listen`: `/metrics` and nothing else.
pub fn metrics_router(metrics: crate::metrics::Metrics) -> Router {
    Router::new()
        .route("/metrics", get(crate::metrics::serve_metrics))
        .with_state(metrics)
}

/// The server, bound and ready to run.
pub struct Application {
    listener: TcpListener,
    port: u16,
    /// `metrics.listen`, bound, unless empty.
    metrics_listener: Option<TcpListener>,
    state: AppState,
    stop: StopSignals,
}

/// The listeners of `server.listen` and `metrics.listen`, bound.
pub struct Listeners {
    listener: TcpListener,
    metrics_listener: Option<TcpListener>,
}

impl Listeners {
    /// Binds `server.listen`, and `metrics.listen` unless empty: first, so
    /// that the ports are known, and taken, before anything else can fail.
    pub async fn bind(settings: &WebSettings) -> anyhow::Result<Listeners> {
        let address: SocketAddr = settings
            .server
            .listen
            .parse()
            .with_context(|| format!("server.listen {:?}", settings.server.listen))?;
        let listener = TcpListener::bind(address)
            .await
            .with_context(|| format!("binding {address}"))?;
        let metrics_listener = match settings.metrics.own_listener() {
            Some(listen) => {
                let address: SocketAddr = listen
                    .parse()
                    .with_context(|| format!("metrics.listen {listen:?}"))?;
                Some(
                    TcpListener::bind(address)
                        .await
                        .with_context(|| format!("binding {address} (metrics.listen)"))?,
                )
            }
            None => None,
        };
        Ok(Listeners {
            listener,
            metrics_listener,
        })
    }
}

impl Application {
    /// The server on `listeners`, serving `state`.
    pub fn new(listeners: Listeners, state: AppState) -> anyhow::Result<Application> {
        let port = listeners.listener.local_addr()?.port();
        Ok(Application {
            listener: listeners.listener,
            port,
            metrics_listener: listeners.metrics_listener,
            state,
            stop: StopSignals::listen(),
        })
    }

    /// The port actually bound (useful with port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The address and port actually bound, for the start lines of the log
    /// (`server.listen` when the system cannot tell).
    pub fn address(&self) -> String {
        self.listener
            .local_addr()
            .map(|address| address.to_string())
            .unwrap_or_else(|_| self.state.settings.server.listen.clone())
    }

    /// The port `metrics.listen` bound, unless it is empty.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics_listener
            .as_ref()
            .and_then(|l| l.local_addr().ok())
            .map(|a| a.port())
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until SIGTERM or Ctrl-C, then lets requests in flight finish.
    pub async fn run_until_stopped(mut self) -> anyhow::Result<()> {
        let (limiter, media) = (self.state.limiter.clone(), self.state.media_limiter.clone());
        let sweeper = tokio::spawn(async move {
            tokio::join!(limiter.sweep_forever(), media.sweep_forever());
        });
        let gateway = self.state.gateway.clone();
        let retirer = tokio::spawn(async move { retire_temporary_passwords(gateway).await });
        let limits = server::ConnectionLimits::from_settings(&self.state.settings.server);
        let gateway = self.state.gateway.clone();
        let reopener = self.stop.hangups.take().map(|hangups| {
            let state = self.state.clone();
            tokio::spawn(reopen_on_hangup(hangups, state))
        });
        let (metrics_stop, metrics_stopped) = tokio::sync::oneshot::channel::<()>();
        let metrics_server = self.metrics_listener.map(|listener| {
            match listener.local_addr() {
                Ok(address) => tracing::info!(%address, "serving /metrics"),
                Err(_) => tracing::info!("serving /metrics"),
            }
            let app = metrics_router(self.state.metrics.clone());
            tokio::spawn(async move {
                let stopped = async {
                    let _ = metrics_stopped.await;
                };
                if let Err(error) = server::serve(listener, app, limits, stopped).await {
                    tracing::error!(error = format!("{error:#}"), "the metrics listener failed");
                }
            })
        });
        let app = router(self.state);
        match self.listener.local_addr() {
            Ok(address) => tracing::info!(%address, "listening"),
            Err(_) => tracing::info!(port = self.port, "listening"),
        }
        let served = server::serve(self.listener, app, limits, self.stop.received())
            .await
            .context("serving HTTP");
        sweeper.abort();
        retirer.abort();
        if let Some(reopener) = reopener {
            reopener.abort();
        }
        let _ = metrics_stop.send(());
        if let Some(metrics_server) = metrics_server {
            let _ = metrics_server.await;
        }
        // The requests in flight have finished: their records are all in.
        gateway.flush_audit();
        tracing::info!("stopped");
        served
    }
}

/// Reopens the audit file (logrotate's `postrotate`) and reads the API's
/// token files again on each SIGHUP.
#[cfg(unix)]
async fn reopen_on_hangup(mut hangups: tokio::signal::unix::Signal, state: AppState) {
    while hangups.recv().await.is_some() {
        state.gateway.reopen_audit();
        api::reload(&state);
    }
}

#[cfg(not(unix))]
async fn reopen_on_hangup(_hangups: (), _state: AppState) {}

/// How often expired temporary passwords are looked for in the directory.
const RETIRE_EVERY: std::time::Duration = std::time::Duration::from_secs(300);

/// Retires expired temporary passwords every [`RETIRE_EVERY`], so that one
/// never outlives its validity in services that ignore `pwdReset`.
async fn retire_temporary_passwords(gateway: Gateway) {
    let mut every = tokio::time::interval(RETIRE_EVERY);
    loop {
        every.tick().await;
        if let Err(error) = passerelle_domain::flows::temporary::retire_expired(&gateway).await {
            tracing::warn!(%error, "could not look for expired temporary passwords");
        }
    }
}

/// The signals that stop the server (SIGINT, SIGTERM), listened to from
/// the moment the application is built: a signal sent as soon as the
/// gateway has announced itself (the demo prints its address first) must
/// stop it gracefully, not kill it.
struct StopSignals {
    #[cfg(unix)]
    interrupt: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    terminate: Option<tokio::signal::unix::Signal>,
    /// SIGHUP, which reopens the audit file rather than stopping.
    #[cfg(unix)]
    hangups: Option<tokio::signal::unix::Signal>,
    #[cfg(not(unix))]
    hangups: Option<()>,
}

impl StopSignals {
    fn listen() -> StopSignals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            StopSignals {
                interrupt: signal(SignalKind::interrupt()).ok(),
                terminate: signal(SignalKind::terminate()).ok(),
                hangups: signal(SignalKind::hangup()).ok(),
            }
        }
        #[cfg(not(unix))]
        StopSignals { hangups: None }
    }

    /// Resolves when one of the signals arrives.
    async fn received(self) {
        #[cfg(unix)]
        {
            async fn one(signal: Option<tokio::signal::unix::Signal>) {
                match signal {
                    Some(mut signal) => {
                        signal.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            }
            tokio::select! {
                _ = one(self.interrupt) => {},
                _ = one(self.terminate) => {},
            }
        }
        #[cfg(not(unix))]
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}
