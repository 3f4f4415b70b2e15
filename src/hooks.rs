//! Change hooks: what the site wants done after every password the gateway
//! writes, besides the confirmation mail: an HTTP webhook (a signed JSON
//! notice, never the password) and/or a local command (for a sync to
//! another directory, which may receive the new password on its standard
//! input when the site says so explicitly).
//!
//! Both run in the background: the person's request never waits on them,
//! and a hook that fails never undoes the write (the password is already
//! the directory's). Each outcome is audited under the step `hook` of the
//! flow that wrote the password. At most [`MAX_PENDING`] hook runs are in
//! progress at once; beyond that a change is audited `hooks_busy` and its
//! hooks are skipped, so a dead receiver cannot make the gateway pile up
//! work without bound.
//!
//! The webhook: `POST webhook_url` with the body
//! `{"event":"password_changed","id","account","login","flow","time","client_address"}`
//! (`account` is the entry's DN, `time` RFC 3339 in UTC), the headers
//! `Content-Type: application/json`, `X-Passerelle-Delivery: <id>` and
//! `X-Passerelle-Signature: sha256=<hex HMAC-SHA256 of the body with
//! webhook_secret>`. A 2xx answer is delivered; a network error, a timeout,
//! 408, 429 or 5xx is tried again after `webhook_backoff_ms`, doubled at
//! each try (capped at ten minutes), `webhook_attempts` times in all; any
//! other answer (a 4xx: the receiver refuses this notice) stops at once.
//! Every try sends the same body and id, so a receiver can drop repeats.
//!
//! The command: `command[0]` with the other items as arguments, where
//! `{login}` and `{dn}` are replaced by the person's login and DN. It runs
//! in `/` with an empty environment but for `PATH` and `PASSERELLE_EVENT`,
//! `PASSERELLE_ACCOUNT` (the DN), `PASSERELLE_LOGIN`, `PASSERELLE_FLOW`,
//! `PASSERELLE_TIME` and `PASSERELLE_CLIENT_ADDRESS` (the gateway's own
//! environment may hold its secrets). Its standard input is empty, or the
//! new password (in NFC, as written) and a line feed when
//! `command_receives_password = true`. Exit status 0 is success; it is
//! killed after `command_timeout_seconds`.

use chrono::SecondsFormat;
use hmac::{Hmac, Mac};
use passerelle_domain::ports::{HookOutcome, HookReport, PasswordChange};
use passerelle_secrets::SecretError as ConfigError;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use sha2::Sha256;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Hook runs in progress at once, beyond which a change's hooks are
/// skipped (audited `hooks_busy`). Password changes come at a few per
/// second at most; this is only reached when a receiver hangs for long.
pub const MAX_PENDING: usize = 256;

/// The longest wait between two webhook tries.
const MAX_BACKOFF: Duration = Duration::from_secs(600);

/// The `[hooks]` table.
#[derive(Debug, Clone, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct HookSettings {
    /// Where to POST the notice of each change (`https://…`); none when
    /// absent.
    pub webhook_url: Option<String>,
    /// The key of the `X-Passerelle-Signature` HMAC (16 characters or
    /// more), inline or, as a site should, in a file. Required with
    /// `webhook_url`.
    #[serde(skip_serializing)]
    #[schemars(with = "Option<String>")]
    pub webhook_secret: Option<SecretString>,
    /// A file holding `webhook_secret` (read at start).
    pub webhook_secret_file: Option<PathBuf>,
    /// PEM file of the CA that signed the receiver's certificate; the
    /// system roots when absent.
    pub webhook_ca_file: Option<PathBuf>,
    /// Tries in all, the first included (1 to 20).
    pub webhook_attempts: u32,
    /// Milliseconds before the second try; doubled before each next one.
    pub webhook_backoff_ms: u64,
    /// Seconds one try may take, connection included (1 to 300).
    pub webhook_timeout_seconds: u64,
    /// The command to run after each change: an absolute path, then its
    /// arguments (`{login}` and `{dn}` replaced). Empty: none.
    pub command: Vec<String>,
    /// Give the command the new password on its standard input. Off by
    /// default: only for a sync to a directory that needs the cleartext.
    pub command_receives_password: bool,
    /// Seconds the command may run before it is killed (1 to 3600).
    pub command_timeout_seconds: u64,
}

impl Default for HookSettings {
    fn default() -> Self {
        Self {
            webhook_url: None,
            webhook_secret: None,
            webhook_secret_file: None,
            webhook_ca_file: None,
            // 2 s, 4 s, 8 s, 16 s, 32 s: a receiver restarted within a
            // minute still gets the notice.
            webhook_attempts: 6,
            webhook_backoff_ms: 2000,
            webhook_timeout_seconds: 10,
            command: Vec::new(),
            command_receives_password: false,
            command_timeout_seconds: 30,
        }
    }
}

/// A `[hooks]` key that cannot be used (the secrets' error: it names the
/// key and what it expects, as the configuration's own errors do).
fn invalid(key: &str, expected: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        key: key.into(),
        expected: expected.into(),
    }
}

impl HookSettings {
    /// Checks what serde cannot; errors name the key.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(raw) = &self.webhook_url {
            let url = url::Url::parse(raw)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some());
            if url.is_none() {
                return Err(invalid(
                    "hooks.webhook_url",
                    "an http:// or https:// URL with a host",
                ));
            }
            if self.webhook_secret.is_none() && self.webhook_secret_file.is_none() {
                return Err(invalid(
                    "hooks.webhook_secret",
                    "a key to sign the notices with (or hooks.webhook_secret_file)",
                ));
            }
        }
        if !(1..=20).contains(&self.webhook_attempts) {
            return Err(invalid("hooks.webhook_attempts", "a number from 1 to 20"));
        }
        if self.webhook_backoff_ms > 600_000 {
            return Err(invalid(
                "hooks.webhook_backoff_ms",
                "at most 600000 (ten minutes)",
            ));
        }
        if !(1..=300).contains(&self.webhook_timeout_seconds) {
            return Err(invalid(
                "hooks.webhook_timeout_seconds",
                "a number of seconds from 1 to 300",
            ));
        }
        if let Some(program) = self.command.first() {
            if !std::path::Path::new(program).is_absolute() {
                return Err(invalid(
                    "hooks.command",
                    format!("an absolute path first, not {program:?}"),
                ));
            }
        } else if self.command_receives_password {
            return Err(invalid(
                "hooks.command_receives_password",
                "true only with a hooks.command",
            ));
        }
        if !(1..=3600).contains(&self.command_timeout_seconds) {
            return Err(invalid(
                "hooks.command_timeout_seconds",
                "a number of seconds from 1 to 3600",
            ));
        }
        Ok(())
    }
}

/// The webhook's body for `change` (never the password).
fn notice_json(change: &PasswordChange) -> String {
    serde_json::json!({
        "event": "password_changed",
        "id": change.id,
        "account": change.dn,
        "login": change.login,
        "flow": change.flow,
        "time": change.time.to_rfc3339_opts(SecondsFormat::Secs, true),
        "client_address": change.client_address.to_string(),
    })
    .to_string()
}

/// `sha256=<hex>`: the HMAC-SHA256 of `body` under `key`, as the
/// `X-Passerelle-Signature` header carries it.
pub fn signature(key: &SecretString, body: &[u8]) -> String {
    // HMAC takes a key of any length: `new_from_slice` cannot fail here.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.expose_secret().as_bytes())
        .unwrap_or_else(|_| unreachable!());
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

struct Webhook {
    url: reqwest::Url,
    key: SecretString,
    client: reqwest::Client,
    attempts: u32,
    backoff: Duration,
}

struct CommandHook {
    program: PathBuf,
    args: Vec<String>,
    receives_password: bool,
    timeout: Duration,
}

struct Inner {
    webhook: Option<Webhook>,
    command: Option<CommandHook>,
    pending: AtomicUsize,
    idle: Notify,
}

/// The configured hooks (cheap to clone); does nothing when none are.
#[derive(Clone, Default)]
pub struct Hooks {
    inner: Option<Arc<Inner>>,
}

/// Counts one run as pending while it lives.
struct PendingRun(Arc<Inner>);

impl Drop for PendingRun {
    fn drop(&mut self) {
        if self.0.pending.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

impl Hooks {
    /// Builds the hooks of `settings` (validated): reads the webhook key
    /// and CA file. Errors name the key at fault.
    pub fn new(settings: &HookSettings) -> Result<Hooks, ConfigError> {
        let webhook = match &settings.webhook_url {
            None => None,
            Some(url) => {
                let url = reqwest::Url::parse(url)
                    .map_err(|_| invalid("hooks.webhook_url", "an http:// or https:// URL"))?;
                let key = passerelle_secrets::read(
                    "hooks.webhook_secret",
                    &settings.webhook_secret,
                    &settings.webhook_secret_file,
                )?
                .ok_or_else(|| invalid("hooks.webhook_secret", "a key to sign notices with"))?;
                if key.expose_secret().len() < 16 {
                    return Err(invalid("hooks.webhook_secret", "at least 16 characters"));
                }
                let mut client = reqwest::Client::builder()
                    .timeout(Duration::from_secs(settings.webhook_timeout_seconds))
                    .redirect(reqwest::redirect::Policy::none())
                    .user_agent(concat!("passerelle/", env!("CARGO_PKG_VERSION")));
                if let Some(path) = &settings.webhook_ca_file {
                    let pem = std::fs::read(path).map_err(|source| ConfigError::File {
                        key: "hooks.webhook_ca_file".into(),
                        path: path.clone(),
                        source,
                    })?;
                    let ca = reqwest::Certificate::from_pem(&pem)
                        .map_err(|_| invalid("hooks.webhook_ca_file", "a PEM certificate"))?;
                    client = client.add_root_certificate(ca);
                }
                let client = client.build().map_err(|error| {
                    invalid("hooks.webhook_url", format!("an HTTP client: {error}"))
                })?;
                Some(Webhook {
                    url,
                    key,
                    client,
                    attempts: settings.webhook_attempts.max(1),
                    backoff: Duration::from_millis(settings.webhook_backoff_ms),
                })
            }
        };
        let command = settings
            .command
            .split_first()
            .map(|(program, args)| CommandHook {
                program: PathBuf::from(program),
                args: args.to_vec(),
                receives_password: settings.command_receives_password,
                timeout: Duration::from_secs(settings.command_timeout_seconds),
            });
        if webhook.is_none() && command.is_none() {
            return Ok(Hooks::default());
        }
        Ok(Hooks {
            inner: Some(Arc::new(Inner {
                webhook,
                command,
                pending: AtomicUsize::new(0),
                idle: Notify::new(),
            })),
        })
    }

    /// Whether any hook is configured.
    pub fn enabled(&self) -> bool {
        self.inner.is_some()
    }

    /// Starts the hooks for `change` in the background and returns at
    /// once; `report` hears how each run ended. `password` reaches the
    /// command only when the site enabled it.
    pub fn after_change(
        &self,
        change: PasswordChange,
        password: &SecretString,
        report: HookReport,
    ) {
        let Some(inner) = &self.inner else {
            return;
        };
        if inner.pending.fetch_add(1, Ordering::AcqRel) >= MAX_PENDING {
            inner.pending.fetch_sub(1, Ordering::AcqRel);
            report(HookOutcome::Busy);
            return;
        }
        let run = PendingRun(inner.clone());
        let password = inner
            .command
            .as_ref()
            .filter(|c| c.receives_password)
            .map(|_| crate::policy::normalize_password(password));
        tokio::spawn(async move {
            let inner = run.0.clone();
            let webhook = async {
                if let Some(webhook) = &inner.webhook {
                    report(deliver(webhook, &change).await);
                }
            };
            let command = async {
                if let Some(command) = &inner.command {
                    report(run_command(command, &change, password.as_ref()).await);
                }
            };
            tokio::join!(webhook, command);
            drop(run);
        });
    }

    /// Hook runs in progress.
    pub fn pending(&self) -> usize {
        self.inner
            .as_ref()
            .map_or(0, |inner| inner.pending.load(Ordering::Acquire))
    }

    /// Waits until no hook run is in progress, or `timeout` passes
    /// (graceful shutdown, tests). Returns whether none is left.
    pub async fn flush(&self, timeout: Duration) -> bool {
        let Some(inner) = &self.inner else {
            return true;
        };
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let idle = inner.idle.notified();
            tokio::pin!(idle);
            idle.as_mut().enable();
            if self.pending() == 0 {
                return true;
            }
            if tokio::time::timeout_at(deadline, idle).await.is_err() {
                return self.pending() == 0;
            }
        }
    }
}

/// Posts the notice until it is delivered, refused, or the tries run out.
/// Returns the audit outcome: `webhook_delivered`, `webhook_refused` or
/// `webhook_failed`.
async fn deliver(webhook: &Webhook, change: &PasswordChange) -> HookOutcome {
    let body = notice_json(change);
    let signature = signature(&webhook.key, body.as_bytes());
    let mut wait = webhook.backoff;
    for attempt in 1..=webhook.attempts {
        let sent = webhook
            .client
            .post(webhook.url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("X-Passerelle-Delivery", &change.id)
            .header("X-Passerelle-Signature", &signature)
            .body(body.clone())
            .send()
            .await;
        match sent {
            Ok(answer) if answer.status().is_success() => return HookOutcome::WebhookDelivered,
            Ok(answer) => {
                let status = answer.status();
                tracing::warn!(%status, attempt, delivery = %change.id, "the webhook answered an error");
                let transient = status.is_server_error()
                    || status == reqwest::StatusCode::REQUEST_TIMEOUT
                    || status == reqwest::StatusCode::TOO_MANY_REQUESTS;
                if !transient {
                    return HookOutcome::WebhookRefused;
                }
            }
            Err(error) => {
                // No URL in the message: it may carry a token of the receiver.
                let error = error.without_url();
                tracing::warn!(%error, attempt, delivery = %change.id, "the webhook could not be reached");
            }
        }
        if attempt < webhook.attempts {
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(MAX_BACKOFF);
        }
    }
    HookOutcome::WebhookFailed
}

/// Runs the command once. Returns the audit outcome: `command_succeeded`,
/// `command_failed` (it could not start, or exited with another status) or
/// `command_timed_out` (killed).
async fn run_command(
    command: &CommandHook,
    change: &PasswordChange,
    password: Option<&SecretString>,
) -> HookOutcome {
    use std::process::Stdio;
    use tokio::io::AsyncWriteExt;
    let args = command.args.iter().map(|arg| {
        arg.replace("{login}", &change.login)
            .replace("{dn}", &change.dn)
    });
    let time = change.time.to_rfc3339_opts(SecondsFormat::Secs, true);
    let mut child = match tokio::process::Command::new(&command.program)
        .args(args)
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("PASSERELLE_EVENT", "password_changed")
        .env("PASSERELLE_ACCOUNT", &change.dn)
        .env("PASSERELLE_LOGIN", &change.login)
        .env("PASSERELLE_FLOW", change.flow)
        .env("PASSERELLE_TIME", &time)
        .env(
            "PASSERELLE_CLIENT_ADDRESS",
            change.client_address.to_string(),
        )
        .current_dir("/")
        .stdin(if password.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
    {
        Ok(child) => child,
        Err(error) => {
            tracing::warn!(%error, program = %command.program.display(), "the hook command could not start");
            return HookOutcome::CommandFailed;
        }
    };
    let finished = async {
        if let (Some(password), Some(mut stdin)) = (password, child.stdin.take()) {
            let mut line = password.expose_secret().as_bytes().to_vec();
            line.push(b'\n');
            // A command that exits without reading its input is its own
            // business: its exit status says how it went.
            let _ = stdin.write_all(&line).await;
            line.fill(0);
            drop(stdin);
        }
        child.wait().await
    };
    match tokio::time::timeout(command.timeout, finished).await {
        Ok(Ok(status)) if status.success() => HookOutcome::CommandSucceeded,
        Ok(Ok(status)) => {
            tracing::warn!(%status, program = %command.program.display(), "the hook command failed");
            HookOutcome::CommandFailed
        }
        Ok(Err(error)) => {
            tracing::warn!(%error, program = %command.program.display(), "the hook command could not be waited for");
            HookOutcome::CommandFailed
        }
        Err(_) => {
            // kill_on_drop ends it when `child` goes out of scope.
            tracing::warn!(program = %command.program.display(), "the hook command took too long and was killed");
            HookOutcome::CommandTimedOut
        }
    }
}

/// The hooks as the domain uses them.
impl passerelle_domain::ports::Hooks for Hooks {
    fn after_change(&self, change: PasswordChange, password: &SecretString, report: HookReport) {
        Hooks::after_change(self, change, password, report);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_hmac_sha256_of_the_body_in_hex() {
        // RFC 4231 test case 2.
        let key = SecretString::from("Jefe");
        assert_eq!(
            signature(&key, b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn settings_are_checked_with_the_key_named() {
        let key = |settings: HookSettings| match settings.validate() {
            Err(ConfigError::Invalid { key, .. }) => key,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            key(HookSettings {
                webhook_url: Some("https://hooks.univ-exemple.fr/pw".into()),
                ..HookSettings::default()
            }),
            "hooks.webhook_secret"
        );
        assert_eq!(
            key(HookSettings {
                webhook_url: Some("ftp://x".into()),
                ..HookSettings::default()
            }),
            "hooks.webhook_url"
        );
        assert_eq!(
            key(HookSettings {
                command: vec!["sync.sh".into()],
                ..HookSettings::default()
            }),
            "hooks.command"
        );
        assert_eq!(
            key(HookSettings {
                command_receives_password: true,
                ..HookSettings::default()
            }),
            "hooks.command_receives_password"
        );
        assert!(HookSettings::default().validate().is_ok());
    }
}
