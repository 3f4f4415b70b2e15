//! The site put together: the web adapter (`passerelle_web`) over the
//! gateway the configuration describes (the `assemble` module), as `serve`,
//! `demo` and the tests start it. Everything of the web crate is reachable
//! here under its own name.

pub use passerelle_web::*;

use crate::assemble::Parts;
use crate::audit_trail::{AuditSink, Recorder};
use crate::config::{ResolvedSecrets, Settings};
use crate::hooks::Hooks;
use crate::mail::Mailer;

/// How long queued mails and running hooks may take to finish once the
/// gateway is asked to stop.
pub const MAIL_FLUSH: std::time::Duration = std::time::Duration::from_secs(10);

/// What the pages show of `settings`.
pub fn web_settings(settings: &Settings) -> WebSettings {
    WebSettings {
        server: settings.server.clone(),
        site: settings.site.clone(),
        flows: settings.flows.clone(),
        lockout: settings.lockout.clone(),
        captcha: settings.captcha.clone(),
        texts: settings.texts.clone(),
        metrics: settings.metrics.clone(),
        helpdesk: settings.helpdesk.clone(),
        api: settings.api.clone(),
    }
}

/// The shared state of the site `settings` describe, mailing through
/// `mailer`: the gateway (directory, audit trail, hooks) and the web's own
/// parts, with their metrics in one registry; and the hooks, to give them
/// time on shutdown. What the mailer's spool held from a previous run is
/// handed to the gateway, which sees it through in the background. Does
/// not contact the directory itself.
///
/// Errors: a part cannot be built (a breached list that cannot be read, an
/// audit file that cannot be opened, a hook's key too short…).
pub fn app_state(
    settings: &Settings,
    secrets: &ResolvedSecrets,
    mailer: &Mailer,
    rate_limit: RateLimitSettings,
) -> anyhow::Result<(AppState, Hooks)> {
    let parts = Parts::build(settings, secrets)?;
    let metrics = metrics::Metrics::new(&[&parts.directory, &parts.answers, mailer, &parts.texter]);
    tracing::info!(sms = %parts.texter.describe(), "SMS");
    let audit = Recorder::new(
        AuditSink::open(&settings.audit)?,
        settings.audit.replica.as_deref(),
        metrics.flows.clone(),
    );
    let gateway = parts.gateway(settings, secrets, mailer, &audit);
    passerelle_domain::steps::mailing::recover(&gateway);
    let keys = WebKeys {
        cookie: secrets.cookie_key.clone(),
        captcha: secrets.code_key.clone(),
    };
    let state = AppState::new(web_settings(settings), gateway, metrics, &keys, rate_limit)?;
    Ok((state, parts.hooks))
}

/// The server of the site `settings` describe, bound and ready to run.
pub struct Application {
    server: passerelle_web::Application,
    hooks: Hooks,
}

impl Application {
    /// Binds `server.listen` (and `metrics.listen`) first, so the port is
    /// known, and taken, before anything else can fail; then builds the
    /// state.
    pub async fn build(
        settings: Settings,
        secrets: ResolvedSecrets,
        mailer: Mailer,
    ) -> anyhow::Result<Application> {
        let rate_limit = RateLimitSettings {
            per_minute: settings.server.rate_limit_per_minute,
            burst: settings.server.rate_limit_burst,
        };
        Self::build_with(settings, secrets, mailer, rate_limit).await
    }

    /// [`Application::build`] with a rate limit other than the configured one.
    pub async fn build_with(
        settings: Settings,
        secrets: ResolvedSecrets,
        mailer: Mailer,
        rate_limit: RateLimitSettings,
    ) -> anyhow::Result<Application> {
        let listeners = Listeners::bind(&web_settings(&settings)).await?;
        let (state, hooks) = app_state(&settings, &secrets, &mailer, rate_limit)?;
        Ok(Application {
            server: passerelle_web::Application::new(listeners, state)?,
            hooks,
        })
    }

    /// The port actually bound (useful with port 0).
    pub fn port(&self) -> u16 {
        self.server.port()
    }

    /// The address and port actually bound, for the start lines of the log.
    pub fn address(&self) -> String {
        self.server.address()
    }

    /// The port `metrics.listen` bound, when set.
    pub fn metrics_port(&self) -> Option<u16> {
        self.server.metrics_port()
    }

    pub fn state(&self) -> &AppState {
        self.server.state()
    }

    /// The change hooks, to give them time on shutdown.
    pub fn hooks(&self) -> &Hooks {
        &self.hooks
    }

    /// Serves until SIGTERM or Ctrl-C, then lets requests in flight finish.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.server.run_until_stopped().await
    }
}

/// `passerelle serve`: builds the mailer (its spool) and the server,
/// serves until stopped, then gives accepted mails and running hooks a
/// moment to finish; mails still pending stay in the spool for the next
/// start.
pub async fn serve(settings: Settings, secrets: ResolvedSecrets) -> anyhow::Result<()> {
    let mailer = crate::assemble::site_mailer(&settings, &secrets)?;
    let application = Application::build(settings, secrets, mailer.clone()).await?;
    tracing::info!(address = %application.address(), "passerelle is serving");
    let hooks = application.hooks().clone();
    let outcome = application.run_until_stopped().await;
    if !mailer.flush(MAIL_FLUSH).await {
        tracing::warn!(
            pending = mailer.pending(),
            "stopped with mails still pending: they stay in the spool and leave at the next start"
        );
    }
    if !hooks.flush(MAIL_FLUSH).await {
        tracing::warn!(
            pending = hooks.pending(),
            "stopped with change hooks still running"
        );
    }
    outcome
}
