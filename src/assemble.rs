//! The gateway put together from its parts: the domain ([`Gateway`]) over
//! the LDAP adapter, the mailer, the hooks, the audit trail and the
//! system clock, as the server and the commands that act on people (e.g.
//! `notify-expiring`) both need it.

use crate::audit_trail::Recorder;
use crate::config::{ResolvedSecrets, Settings};
use crate::directory::Directory;
use crate::hooks::Hooks;
use crate::mail::Mailer;
use crate::policy::PasswordPolicy;
use crate::secret_answer::AnswerHasher;
use anyhow::Context;
use passerelle_domain::{Adapters, Gateway, GatewaySettings};
use std::sync::Arc;

/// How many secret-answer hashes may run at once (each ~19 MiB): beyond the
/// two cores of a typical VM, more only adds latency.
pub const ANSWER_HASHING_SLOTS: usize = 2;

/// The settings the domain decides with, from the site's configuration.
pub fn gateway_settings(settings: &Settings) -> GatewaySettings {
    GatewaySettings {
        flows: settings.flows.clone(),
        lockout: settings.lockout.clone(),
        site: settings.site.clone(),
        policy: settings.policy.clone(),
        public_url: settings.server.public_url.clone(),
        helpdesk: settings.helpdesk.clone(),
    }
}

/// The server's mailer: its spool at `mail.spool_directory`, sealed with a
/// key derived from `secrets.code_key`, opened and locked for this
/// gateway. What a previous run left in it is seen through once the
/// gateway is built (the `web` module's `app_state`).
///
/// Errors: the relay's files (password, CA) cannot be read, or the spool
/// cannot be opened (not writable, or held by another gateway).
pub fn site_mailer(settings: &Settings, secrets: &ResolvedSecrets) -> anyhow::Result<Mailer> {
    Mailer::build_spooled(
        &settings.mail,
        (&settings.site).into(),
        crate::mail::SpoolKey::derive(&secrets.code_key),
    )
}

/// The parts a gateway is made of, built from the configuration; the
/// directory, mailer, hasher, hooks and recorder stay reachable for the
/// metrics and the shutdown.
pub struct Parts {
    pub directory: Directory,
    pub policy: PasswordPolicy,
    pub answers: AnswerHasher,
    pub hooks: Hooks,
    /// SMS (`[sms]`; off by default).
    pub texter: crate::texting::SmsTexter,
    /// The Wi-Fi check, when `[radius]` names a server.
    pub wifi: Option<crate::wifi::RadiusWifi>,
}

impl Parts {
    /// Builds the parts of `settings`. Does not contact the directory.
    pub fn build(settings: &Settings, secrets: &ResolvedSecrets) -> anyhow::Result<Parts> {
        settings
            .policy
            .validate()
            .context("the [policy] table cannot be satisfied")?;
        let directory = Directory::new(&settings.ldap, secrets.bind_password.clone())
            .context("building the directory client")?;
        if let Some(path) = &settings.policy.breached_hashes_file {
            let megabytes = std::fs::metadata(path).map_or(0, |m| m.len() / 1_000_000);
            tracing::info!(
                path = %path.display(),
                megabytes,
                "reading the breached-password list whole before serving (every line in hash order)"
            );
        }
        let policy = PasswordPolicy::load(&settings.policy)
            .context("policy.breached_hashes_file cannot be used")?;
        if let Some(list) = policy.breached_list() {
            let summary = list.summary();
            tracing::info!(
                path = %list.path().display(),
                list = summary.kind(),
                hashes = summary.hashes,
                seconds = summary.checked_in.as_secs_f64(),
                "the breached-password list is in use"
            );
        }
        let answers = AnswerHasher::new(&secrets.answer_pepper, ANSWER_HASHING_SLOTS)
            .context("preparing the secret-answer hasher")?;
        let hooks = Hooks::new(&settings.hooks).context("[hooks]")?;
        let texter = crate::texting::SmsTexter::from_settings(&settings.sms).context("[sms]")?;
        let wifi = crate::wifi::RadiusWifi::build(&settings.radius).context("[radius]")?;
        Ok(Parts {
            directory,
            policy,
            answers,
            hooks,
            texter,
            wifi,
        })
    }

    /// The domain over these parts, mailing through `mailer` and recording
    /// to `audit`.
    pub fn gateway(
        &self,
        settings: &Settings,
        secrets: &ResolvedSecrets,
        mailer: &Mailer,
        audit: &Recorder,
    ) -> Gateway {
        Gateway::new(
            gateway_settings(settings),
            Adapters {
                directory: Arc::new(self.directory.clone()),
                mailer: Arc::new(mailer.clone()),
                hooks: Arc::new(self.hooks.clone()),
                audit: Arc::new(audit.clone()),
                clock: Arc::new(passerelle_domain::ports::SystemClock),
                texter: self.texter.port(),
                wifi: self
                    .wifi
                    .clone()
                    .map(|wifi| Arc::new(wifi) as Arc<dyn passerelle_domain::ports::WifiCheck>),
            },
            self.policy.clone(),
            self.answers.clone(),
            crate::reset_code::CodeKey::new(&secrets.code_key),
        )
    }
}

/// One run of `passerelle notify-expiring` at `now`: every person with a
/// password, mailed through `mailer` (`crate::expiry`).
///
/// Errors: the configuration's parts cannot be built, or the directory
/// cannot be searched.
pub async fn notify_expiring(
    settings: &Settings,
    secrets: &ResolvedSecrets,
    mailer: &Mailer,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<crate::expiry::Report> {
    let parts = Parts::build(settings, secrets)?;
    // The notices are logged (target `audit`), not part of a flow's trail.
    let audit = Recorder::new(
        crate::audit_trail::AuditSink::off(),
        settings.audit.replica.as_deref(),
        crate::metrics::Metrics::new(&[]).flows.clone(),
    );
    let gateway = parts.gateway(settings, secrets, mailer, &audit);
    let people = parts.directory.people_with_password();
    Ok(crate::expiry::notify_expiring(&gateway, people, &settings.expiry.notice_days, now).await)
}

/// A gateway over `directory` that mails nothing, runs no hook and records
/// no audit trail: the domain's state operations (attempts, locks, codes,
/// claims) as one replica performs them, for benchmarks, tests and tools.
/// Its keys are throwaway ones: nothing it hashes or seals is meant to be
/// read by a serving gateway. Call it inside a Tokio runtime (the mailer
/// starts its worker).
///
/// Errors: the parts cannot be built (never with the built-in defaults).
pub fn quiet_gateway(
    directory: &Directory,
    lockout: &crate::config::LockoutSettings,
) -> anyhow::Result<Gateway> {
    use secrecy::SecretString;
    let random = || {
        SecretString::from(rand::distributions::DistString::sample_string(
            &rand::distributions::Alphanumeric,
            &mut rand::thread_rng(),
            48,
        ))
    };
    let settings = Settings::default();
    let mail = crate::mail::MailSettings {
        transport: crate::mail::MailTransportKind::None,
        ..crate::mail::MailSettings::default()
    };
    let mailer = Mailer::build(&mail, (&settings.site).into())?;
    let audit = Recorder::new(
        crate::audit_trail::AuditSink::off(),
        Some("quiet"),
        crate::metrics::Metrics::new(&[]).flows.clone(),
    );
    Ok(Gateway::new(
        GatewaySettings {
            lockout: lockout.clone(),
            ..gateway_settings(&settings)
        },
        Adapters {
            directory: Arc::new(directory.clone()),
            mailer: Arc::new(mailer),
            hooks: Arc::new(passerelle_domain::ports::NoHooks),
            audit: Arc::new(audit),
            clock: Arc::new(passerelle_domain::ports::SystemClock),
            texter: Arc::new(passerelle_domain::sms::NoTexter),
            wifi: None,
        },
        PasswordPolicy::from_config(&crate::policy::PolicyConfig::default()),
        AnswerHasher::new(&random(), ANSWER_HASHING_SLOTS)?,
        crate::reset_code::CodeKey::new(&random()),
    ))
}
