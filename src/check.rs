//! `passerelle check`: proves a configuration against the real parts before
//! a site goes live, and prints a report an operator can paste in a ticket:
//! one line per check, `ok`, `warn` or `FAIL`, each saying what was found
//! and, when something is wrong, what to do.
//!
//! Exit code: 0 when no check failed (warnings are allowed: a plain-http
//! demo on loopback or a `[policy]` stricter than the directory's are
//! choices, not faults), 1 when one failed or, with `--strict`, when one
//! warned; 2 (from the command line) when the configuration does not load.
//! Nothing is written anywhere: the service account's right to write
//! passwords is measured with an operation the directory aborts (see
//! `directory::probe`), and no mail is sent.

use crate::config::{secret, Settings};
use crate::directory::identity::Identifier;
use crate::directory::{
    Directory, DirectoryError, DirectoryPolicy, Person, Right, Subschema, GATEWAY_CLASS,
    GATEWAY_STATE_ATTRIBUTES,
};
use crate::mail::{MailTransportKind, SmtpSecurity};
use crate::policy::PolicyConfig;
use secrecy::{ExposeSecret, SecretString};
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// What one check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    Warn,
    Fail,
}

impl Status {
    fn label(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warn => "warn",
            Status::Fail => "FAIL",
        }
    }
}

/// The lines printed so far and their count by status.
#[derive(Debug, Default)]
struct Report {
    ok: usize,
    warn: usize,
    fail: usize,
}

impl Report {
    fn line(&mut self, status: Status, topic: &str, text: impl std::fmt::Display) {
        match status {
            Status::Ok => self.ok += 1,
            Status::Warn => self.warn += 1,
            Status::Fail => self.fail += 1,
        }
        println!("{:<5} {topic:<9} {text}", status.label());
    }
    fn ok(&mut self, topic: &str, text: impl std::fmt::Display) {
        self.line(Status::Ok, topic, text)
    }
    fn warn(&mut self, topic: &str, text: impl std::fmt::Display) {
        self.line(Status::Warn, topic, text)
    }
    fn fail(&mut self, topic: &str, text: impl std::fmt::Display) {
        self.line(Status::Fail, topic, text)
    }
}

/// Runs every check on `settings` (loaded from `file`), printing one line
/// each and a summary, and returns the exit code (see the module
/// documentation).
pub async fn run(settings: &Settings, file: &Path, strict: bool) -> ExitCode {
    println!(
        "passerelle {} check of {}",
        env!("CARGO_PKG_VERSION"),
        file.display()
    );
    let mut report = Report::default();
    report.ok("config", "the configuration loads and every value is valid");
    check_preset(file, &mut report);

    let secrets = check_secrets(settings, &mut report);
    check_public_url(settings, &mut report);
    let now = settings.site.local_time(&chrono::Utc::now());
    report.ok(
        "timezone",
        format!(
            "site.timezone {} is known (it is {} there now)",
            settings.site.timezone.name(),
            now.format("%Y-%m-%d %H:%M %:z")
        ),
    );
    check_breached(settings, &mut report).await;
    check_argon2(secrets.as_ref(), &mut report).await;
    match &secrets {
        Some(secrets) => match Directory::new(&settings.ldap, secrets.bind_password.clone()) {
            Ok(directory) => check_directory(settings, &directory, &mut report).await,
            Err(e) => report.fail("directory", format!("{e}: correct the [ldap] section")),
        },
        None => report.fail(
            "directory",
            "not tried: the service account's password (ldap.bind_password) is missing",
        ),
    }
    check_mail(settings, &mut report).await;

    let failed = report.fail > 0 || (strict && report.warn > 0);
    println!(
        "{} ok, {} warn, {} FAIL: {}",
        report.ok,
        report.warn,
        report.fail,
        if report.fail > 0 {
            "not ready"
        } else if report.warn > 0 {
            "ready, read the warnings"
        } else {
            "ready"
        }
    );
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The breached-password list (`policy.breached_hashes_file`), read whole
/// as the gateway reads it when it starts: which list it is and how many
/// hashes it holds, or the line that makes it unusable.
async fn check_breached(settings: &Settings, report: &mut Report) {
    let Some(path) = settings.policy.breached_hashes_file.clone() else {
        report.ok(
            "breached",
            "policy.breached_hashes_file is not set: no list of breached passwords is searched",
        );
        return;
    };
    let opened =
        tokio::task::spawn_blocking(move || crate::policy::BreachedHashes::open(&path)).await;
    match opened {
        Ok(Ok(list)) => {
            let summary = list.summary();
            let seconds = summary.checked_in.as_secs_f64();
            report.ok(
                "breached",
                format!(
                    "policy.breached_hashes_file {}: {}, {} hashes, every line in order (read whole in {seconds:.1} s, {:.0} MB/s)",
                    list.path().display(),
                    summary.kind(),
                    thousands(summary.hashes),
                    summary.bytes as f64 / 1e6 / seconds.max(1e-6),
                ),
            );
        }
        Ok(Err(error)) => report.fail(
            "breached",
            format!("policy.breached_hashes_file: {error}. The gateway does not start with it"),
        ),
        Err(error) => report.fail("breached", format!("reading the list failed: {error}")),
    }
}

/// `1234567` as `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The keys where the file overrides the preset it names, listed: a key
/// set back to its built-in default (a line copied from the example
/// configuration, most likely) undoes the preset silently, so it warns.
fn check_preset(file: &Path, report: &mut Report) {
    let (name, overrides) = match crate::config::preset_overrides(file) {
        Ok(Some(found)) => found,
        Ok(None) => return,
        Err(e) => {
            report.warn("preset", format!("comparing the file with its preset: {e}"));
            return;
        }
    };
    if overrides.is_empty() {
        report.ok(
            "preset",
            format!("the file overrides nothing the preset \"{name}\" sets"),
        );
        return;
    }
    let list = |wanted: bool| -> Vec<String> {
        overrides
            .iter()
            .filter(|o| o.back_to_default == wanted)
            .map(|o| format!("{} ({} → {})", o.key, o.preset_value, o.file_value))
            .collect()
    };
    let (undone, changed) = (list(true), list(false));
    if !changed.is_empty() {
        report.ok(
            "preset",
            format!(
                "the file overrides {} key(s) of the preset \"{name}\" (preset → file): {}",
                changed.len(),
                changed.join(", ")
            ),
        );
    }
    if !undone.is_empty() {
        report.warn(
            "preset",
            format!(
                "the file sets {} key(s) of the preset \"{name}\" back to the built-in default (preset → file): {}; a copy of an example configuration does that: remove these lines to keep the preset's values",
                undone.len(),
                undone.join(", ")
            ),
        );
    }
}

/// What `check` could read of the secrets: the service account's password
/// is kept apart so that the directory is tried even when another secret
/// is missing.
struct Secrets {
    bind_password: SecretString,
    answer_pepper: Option<SecretString>,
}

/// Every secret readable, each where the site should keep it, and each key
/// strong enough.
fn check_secrets(settings: &Settings, report: &mut Report) -> Option<Secrets> {
    let bind_password = match secret(
        "ldap.bind_password",
        &settings.ldap.bind_password,
        &settings.ldap.bind_password_file,
    ) {
        Ok(Some(password)) => Some(password),
        Ok(None) => {
            report.fail(
                "secrets",
                "`ldap.bind_password` is not set: name a file holding it in ldap.bind_password_file",
            );
            None
        }
        Err(e) => {
            report.fail("secrets", e);
            None
        }
    };
    let mut answer_pepper = None;
    match settings.resolve_secrets() {
        Ok(resolved) => {
            report.ok(
                "secrets",
                "ldap.bind_password, secrets.cookie_key, secrets.answer_pepper and secrets.code_key are readable",
            );
            for (key, value, bits) in [
                ("secrets.cookie_key", &resolved.cookie_key, KEY_BITS),
                ("secrets.code_key", &resolved.code_key, KEY_BITS),
                (
                    "secrets.answer_pepper",
                    &resolved.answer_pepper,
                    PEPPER_BITS,
                ),
            ] {
                check_key_strength(key, value, bits, report);
            }
            answer_pepper = Some(resolved.answer_pepper);
        }
        // The bind password's own failure is already reported.
        Err(e) if bind_password.is_some() || !e.to_string().contains("ldap.bind_password") => {
            report.fail(
                "secrets",
                format!("{e}: fix it, or the gateway will not start"),
            )
        }
        Err(_) => {}
    }
    if let Err(e) = secret(
        "mail.password",
        &settings.mail.password,
        &settings.mail.password_file,
    ) {
        report.fail("secrets", e);
    }
    check_secret_file_modes(settings, report);
    let inline: Vec<&str> = [
        ("ldap.bind_password", settings.ldap.bind_password.is_some()),
        ("secrets.cookie_key", settings.secrets.cookie_key.is_some()),
        (
            "secrets.answer_pepper",
            settings.secrets.answer_pepper.is_some(),
        ),
        ("secrets.code_key", settings.secrets.code_key.is_some()),
        ("mail.password", settings.mail.password.is_some()),
    ]
    .into_iter()
    .filter_map(|(key, inline)| inline.then_some(key))
    .collect();
    if !inline.is_empty() {
        report.warn(
            "secrets",
            format!(
                "{} given inline (in the file or the environment): keep each in a file readable only by the gateway and name it with `<key>_file`",
                inline.join(", ")
            ),
        );
    }
    bind_password.map(|bind_password| Secrets {
        bind_password,
        answer_pepper,
    })
}

/// Each secret file may be read by its owner only (the user the gateway
/// runs as, or root for systemd's `LoadCredential=`): ok names the mode,
/// a file its group or others may read or write warns with the mode.
fn check_secret_file_modes(settings: &Settings, report: &mut Report) {
    use std::os::unix::fs::PermissionsExt;
    let files = [
        ("ldap.bind_password_file", &settings.ldap.bind_password_file),
        ("secrets.cookie_key_file", &settings.secrets.cookie_key_file),
        (
            "secrets.answer_pepper_file",
            &settings.secrets.answer_pepper_file,
        ),
        ("secrets.code_key_file", &settings.secrets.code_key_file),
        ("mail.password_file", &settings.mail.password_file),
        (
            "hooks.webhook_secret_file",
            &settings.hooks.webhook_secret_file,
        ),
        ("radius.secret_file", &settings.radius.secret_file),
        (
            "breach_sweep.reader_bind_password_file",
            &settings.breach_sweep.reader_bind_password_file,
        ),
        (
            "breach_sweep.notice_bind_password_file",
            &settings.breach_sweep.notice_bind_password_file,
        ),
    ];
    for (key, path) in files {
        let Some(path) = path else { continue };
        // A file that cannot be read is already reported.
        let Ok(metadata) = std::fs::metadata(path) else {
            continue;
        };
        let mode = metadata.permissions().mode() & 0o7777;
        let shared = mode & 0o077;
        if shared == 0 {
            report.ok(
                "secrets",
                format!(
                    "{key} {} can be read by its owner only ({mode:04o})",
                    path.display()
                ),
            );
            continue;
        }
        let who = if shared & 0o007 != 0 {
            "every user of this machine"
        } else {
            "its group"
        };
        report.warn(
            "secrets",
            format!(
                "{key} {} is mode {mode:04o}: {who} can read or change the secret; `chmod 600 {}` (owned by the user the gateway runs as, or root with systemd's LoadCredential=)",
                path.display(),
                path.display()
            ),
        );
    }
}

/// Estimated strength, in bits, below which a key fails and below which it
/// warns. The estimate counts about 3.3 bits for a random character (see
/// [`estimated_bits`]), so a random key of 32 characters scores about 106:
/// the cookie and code keys must look like at least 30 random characters,
/// the pepper (16 or more) like 15.
const KEY_BITS: (f64, f64) = (64.0, 100.0);
const PEPPER_BITS: (f64, f64) = (40.0, 50.0);

fn check_key_strength(
    key: &str,
    value: &SecretString,
    (fail, warn): (f64, f64),
    report: &mut Report,
) {
    let bits = estimated_bits(value.expose_secret());
    let advice = "generate one with `openssl rand -base64 48`";
    if bits < fail {
        report.fail(
            "keys",
            format!("{key} is weak (about {bits:.0} bits: repeats, sequences or words): {advice}"),
        );
    } else if bits < warn {
        report.warn(
            "keys",
            format!("{key} has about {bits:.0} bits, below {warn:.0}: {advice}"),
        );
    } else {
        report.ok("keys", format!("{key} looks random (about {bits:.0} bits)"));
    }
}

/// Characters zxcvbn rates at once: its guess count is a `u64`, which 16
/// unexplained characters (10^16 guesses) stay below.
const WINDOW: usize = 16;

/// The strength of a key in bits, as zxcvbn sees it: repeats, sequences,
/// keyboard walks, dates and words cost an attacker little; a character it
/// cannot explain costs 10 guesses (an underestimate for a random key,
/// which is what a threshold wants). A key that repeats a shorter one is
/// worth that one; zxcvbn rates each 16 characters (its count saturates
/// beyond), and a window seen before adds nothing.
pub fn estimated_bits(key: &str) -> f64 {
    let chars: Vec<char> = key.chars().take(256).collect();
    let period = (1..=chars.len())
        .find(|&p| chars.iter().enumerate().all(|(i, c)| *c == chars[i % p]))
        .unwrap_or(chars.len());
    let mut seen = std::collections::HashSet::new();
    chars[..period]
        .chunks(WINDOW)
        .map(|window| window.iter().collect::<String>())
        .filter(|window| seen.insert(window.clone()))
        .map(|window| zxcvbn::zxcvbn(&window, &[]).guesses_log10() * std::f64::consts::LOG2_10)
        .sum()
}

/// `server.public_url`: https, or plain http on loopback only.
fn check_public_url(settings: &Settings, report: &mut Report) {
    let text = &settings.server.public_url;
    // Validated when the configuration loaded.
    let Ok(url) = url::Url::parse(text) else {
        report.fail("url", format!("server.public_url {text:?} is not a URL"));
        return;
    };
    let loopback = match url.host() {
        Some(url::Host::Domain(name)) => name == "localhost" || name.ends_with(".localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    if url.query().is_some() || url.fragment().is_some() {
        report.warn(
            "url",
            format!("server.public_url {text} has a query or a fragment, which links in mails would carry: remove it"),
        );
    }
    match (url.scheme(), loopback) {
        ("https", _) => {
            report.ok("url", format!("server.public_url {text} is https"));
            if !settings.server.secure_cookies {
                report.warn(
                    "url",
                    "server.secure_cookies is off although people use https: turn it on",
                );
            }
        }
        (_, true) => report.ok(
            "url",
            format!("server.public_url {text} is plain http on this machine only (a demo or a test)"),
        ),
        (_, false) if settings.server.secure_cookies => report.fail(
            "url",
            format!(
                "server.public_url {text} is plain http: browsers never send the Secure flow cookie back over it, so no flow can finish; serve https (a TLS reverse proxy) and write its https:// address"
            ),
        ),
        (_, false) => report.warn(
            "url",
            format!(
                "server.public_url {text} is plain http: passwords and codes cross the network in clear; serve https and write its https:// address"
            ),
        ),
    }
}

/// The argon2id parameters secret answers are hashed with, and what one
/// hash costs on this machine.
async fn check_argon2(secrets: Option<&Secrets>, report: &mut Report) {
    use crate::secret_answer::{AnswerHasher, MEMORY_KIB, PASSES};
    // The cost does not depend on the pepper; a stand-in serves when the
    // real one is missing (already reported).
    let pepper = secrets
        .and_then(|s| s.answer_pepper.clone())
        .unwrap_or_else(|| SecretString::from("passerelle-check-stand-in-pepper"));
    let hasher = match AnswerHasher::new(&pepper, 1) {
        Ok(hasher) => hasher,
        Err(e) => {
            report.fail("argon2", format!("cannot prepare argon2id: {e:#}"));
            return;
        }
    };
    let started = Instant::now();
    let hashed = hasher
        .hash(&SecretString::from("passerelle check".to_owned()))
        .await;
    let elapsed = started.elapsed();
    let parameters =
        format!("argon2id m={MEMORY_KIB} KiB, t={PASSES}, p=1 (OWASP's recommendation)");
    match hashed {
        Err(e) => report.fail("argon2", format!("{parameters}: hashing failed: {e}")),
        Ok(_) if elapsed > Duration::from_secs(1) => report.warn(
            "argon2",
            format!(
                "{parameters}: one secret answer took {} ms here; every answer checked holds a worker that long, so pages will queue under load: give the gateway a faster or less busy machine",
                elapsed.as_millis()
            ),
        ),
        Ok(_) => report.ok(
            "argon2",
            format!(
                "{parameters}: one secret answer takes {} ms here",
                elapsed.as_millis()
            ),
        ),
    }
}

/// A directory error with what an operator should look at.
fn directory_failure(settings: &Settings, e: &DirectoryError) -> String {
    let what = match e {
        DirectoryError::Unavailable => format!(
            "no server of ldap.urls ({}) answers: check the URLs, the network and that slapd runs",
            settings.ldap.urls.join(", ")
        ),
        DirectoryError::Timeout => format!(
            "the directory did not answer within ldap.timeout_seconds ({} s)",
            settings.ldap.timeout_seconds
        ),
        other => {
            let text = format!("{other:#}");
            if text.contains("rc 49") {
                refused_credentials(settings)
            } else {
                text
            }
        }
    };
    format!("directory: {what}")
}

/// Why the directory answers "invalid credentials" to the service
/// account, most likely first.
fn refused_credentials(settings: &Settings) -> String {
    format!(
        "the directory refused the service account {} (invalid credentials): check ldap.bind_dn and the password in ldap.bind_password_file. The gateway reads that file without its trailing newline, but `slappasswd -T FILE` hashes the newline too: write the file without one (`printf '%s'`, `base64 -w0`) and hash that same file (docs/deployment.md, \"Secrets from files\"). Under a policy that locks accounts after failed binds, a lock answers the same way",
        settings.ldap.bind_dn
    )
}

/// What the service account's own policy says at its bind: locked,
/// expired, or to be changed after a reset (its bind then succeeds and
/// every other operation is refused with rc 50), each named with what to
/// do, or expiring soon. Whether the other directory checks can run.
async fn check_service_account(
    settings: &Settings,
    directory: &Directory,
    report: &mut Report,
) -> bool {
    use crate::directory::ppolicy::{PpolicyError, PpolicyWarning};
    let dn = &settings.ldap.bind_dn;
    let (rc, policy) = match directory.service_account_bind().await {
        Ok(answer) => answer,
        Err(e) => {
            report.fail("directory", directory_failure(settings, &e));
            return false;
        }
    };
    let own_policy = "give ou=services a password policy of its own, as config/ldap/base.ldif does (cn=services: pwdLockout FALSE, pwdMustChange FALSE, no pwdMaxAge), named by the account's pwdPolicySubentry";
    let error = policy.and_then(|p| p.error);
    match (rc, error) {
        (_, Some(PpolicyError::AccountLocked)) => {
            report.fail(
                "directory",
                format!(
                    "the service account {dn} is locked by the directory's password policy (failed binds: pwdAccountLockedTime on its entry), so every flow would answer « service unavailable »: as the rootdn, delete pwdAccountLockedTime and pwdFailureTime from {dn}; then {own_policy}, so that wrong binds never lock it again"
                ),
            );
            false
        }
        (_, Some(PpolicyError::PasswordExpired)) => {
            report.fail(
                "directory",
                format!(
                    "the password of the service account {dn} has expired (pwdMaxAge of its policy): as the rootdn, give it a new one (and put it in ldap.bind_password_file); then {own_policy}"
                ),
            );
            false
        }
        (0, Some(PpolicyError::ChangeAfterReset)) => {
            report.fail(
                "directory",
                format!(
                    "the service account {dn} must change its password (pwdReset: TRUE, which a reset by the rootdn sets under a policy with pwdMustChange): its bind succeeds, but the directory refuses every search and write it makes (rc 50). As the rootdn, delete pwdReset from {dn}; then {own_policy}"
                ),
            );
            false
        }
        (0, _) => {
            match policy.and_then(|p| p.warning) {
                Some(PpolicyWarning::GraceAuthNsRemaining(left)) => report.fail(
                    "directory",
                    format!(
                        "the password of the service account {dn} has expired and {left} grace bind(s) remain before the gateway is shut out: as the rootdn, give it a new one (and put it in ldap.bind_password_file); then {own_policy}"
                    ),
                ),
                Some(PpolicyWarning::TimeBeforeExpiration(seconds)) => report.warn(
                    "directory",
                    format!(
                        "the password of the service account {dn} expires in {} day(s) (pwdMaxAge of its policy), and the gateway with it: {own_policy}",
                        seconds.div_ceil(86_400)
                    ),
                ),
                None => {}
            }
            true
        }
        (49, _) => {
            report.fail(
                "directory",
                format!("directory: {}", refused_credentials(settings)),
            );
            false
        }
        (rc, _) => {
            report.fail(
                "directory",
                format!("the directory refused the bind of the service account {dn} (rc {rc})"),
            );
            false
        }
    }
}

async fn check_directory(settings: &Settings, directory: &Directory, report: &mut Report) {
    if !check_service_account(settings, directory, report).await {
        return;
    }
    let root = match directory.root_dse().await {
        Ok(root) => root,
        Err(e) => {
            report.fail("directory", directory_failure(settings, &e));
            return;
        }
    };
    report.ok(
        "directory",
        format!(
            "bound to {} as {}{}",
            settings.ldap.urls.join(", "),
            settings.ldap.bind_dn,
            root.vendor
                .as_deref()
                .map(|v| format!(" ({v})"))
                .unwrap_or_default()
        ),
    );
    if !root.supports_assertion {
        report.fail(
            "controls",
            "the directory does not advertise the assertion control (1.3.6.1.1.12): every self-service state update would be refused; use OpenLDAP 2.5 or later",
        );
    }
    match directory.ppolicy_answers_bind().await {
        Ok(Ok(true)) => report.ok(
            "ppolicy",
            "the password-policy overlay answers its control: history, quality and lockout are enforced and explained",
        ),
        Ok(Ok(false)) if root.supports_ppolicy => report.warn(
            "ppolicy",
            "the password-policy control is advertised but a bind of the service account got no answer to it: set the overlay's olcPPolicyDefault (config/ldap/slapd-databases.ldif)",
        ),
        Ok(Ok(false)) => report.fail(
            "ppolicy",
            "the directory neither advertises nor answers the password-policy control: load the ppolicy overlay as config/ldap/slapd-databases.ldif does, or history and lockout are not enforced",
        ),
        Ok(Err(rc)) => report.fail(
            "ppolicy",
            format!("a bind of the service account with the password-policy control was refused (rc {rc})"),
        ),
        Err(e) => report.fail("ppolicy", directory_failure(settings, &e)),
    }
    match directory.subschema().await {
        Ok(schema) => check_schema(settings, &schema, report),
        Err(e) => report.fail(
            "schema",
            format!("reading the subschema: {}", directory_failure(settings, &e)),
        ),
    }
    match directory.default_policy().await {
        Ok(policy) if policy.dn.is_empty() => {
            if !settings.ldap.default_policy_dn.trim().is_empty() {
                report.warn(
                    "policy",
                    format!(
                        "ldap.default_policy_dn `{}` is not a pwdPolicy entry the gateway can read: only [policy] is shown and checked for people without pwdPolicySubentry",
                        settings.ldap.default_policy_dn
                    ),
                );
            }
        }
        Ok(policy) => {
            let lines = policy_disagreements(&settings.policy, &policy);
            if lines.is_empty() {
                report.ok("policy", format!("[policy] and {} agree", policy.dn));
            }
            for line in lines {
                report.warn(
                    "policy",
                    format!("{line} (a warning, not a failure: every password the gateway writes meets both)"),
                );
            }
        }
        Err(e) => report.fail(
            "policy",
            format!(
                "reading the default password policy: {}",
                directory_failure(settings, &e)
            ),
        ),
    }
    check_safe_modify(settings, directory, &root.naming_contexts, report).await;
    if settings.flows.activate {
        check_activation(settings, directory, report).await;
    }
    if settings.helpdesk.enabled() {
        check_helpdesk(settings, directory, report).await;
    }
    let mut person = None;
    if let Some(identifier) = &settings.check.test_identifier {
        let found = match Identifier::parse(identifier) {
            Some(id) => directory.find_person(&id).await,
            None => Ok(None),
        };
        match found {
            Ok(Some(found)) => {
                report.ok("search", format!("`{identifier}` is {}", found.dn));
                person = Some(found);
            }
            Ok(None) => report.fail(
                "search",
                format!(
                    "`check.test_identifier` `{identifier}` finds nobody under {}: check ldap.base_dn, ldap.person_filter and ldap.identifier_attributes",
                    settings.ldap.base_dn
                ),
            ),
            Err(e) => report.fail(
                "search",
                format!("searching `{identifier}`: {}", directory_failure(settings, &e)),
            ),
        }
    }
    if person.is_none() {
        match directory.any_person().await {
            Ok(found) => person = found,
            Err(e) => report.fail("search", directory_failure(settings, &e)),
        }
    }
    match person {
        Some(person) => check_rights(settings, directory, &person, report).await,
        None => report.warn(
            "rights",
            format!(
                "nobody matches ldap.person_filter under {}: the service account's rights on userPassword were not measured (set check.test_identifier)",
                settings.ldap.base_dn
            ),
        ),
    }
}

/// A policy with `pwdSafeModify: TRUE` demands the old password in every
/// change (measured on slapd 2.5.13: without it, rc 50 and ppolicy error
/// 4, "mustSupplyOldPassword"). The gateway supplies it where the person
/// typed it (`/change`, and `/account`, whose page then asks for it), in
/// the same modify as the NT hash; a reset has none, so the people under
/// such a policy cannot use `/recover`, `/code`, `/activate` or a
/// temporary password, and are sent to the help desk.
async fn check_safe_modify(
    settings: &Settings,
    directory: &Directory,
    naming_contexts: &[String],
    report: &mut Report,
) {
    let bases = if naming_contexts.is_empty() {
        vec![settings.ldap.base_dn.clone()]
    } else {
        naming_contexts.to_vec()
    };
    match directory.safe_modify_policies(&bases).await {
        Ok(found) if found.is_empty() => {}
        Ok(found) => report.warn(
            "policy",
            format!(
                "{} set{} pwdSafeModify: TRUE: the people under {} change their password at /change and /account (the page asks for the current password, which the write carries as the directory demands), but no reset can write one: /recover, /code, /activate and temporary passwords end on a page that sends them to {}",
                found.join(", "),
                if found.len() == 1 { "s" } else { "" },
                if found.len() == 1 { "it" } else { "them" },
                settings.site.help_contact,
            ),
        ),
        Err(e) => report.warn(
            "policy",
            format!(
                "searching the password policies for pwdSafeModify: {}",
                directory_failure(settings, &e)
            ),
        ),
    }
}

/// What tells the service account that an account already has a
/// password, each with why it is one. `userPassword` and
/// `sambaNTPassword` count only where the service account may search them:
/// with `=w`, as `config/ldap` grants, a filter on them is Undefined, so
/// what an online write leaves (`pwdChangedTime`) and what goes with every
/// NT hash (`sambaPwdLastSet`) are looked for as well.
const PASSWORD_SIGNS: [(&str, &str); 4] = [
    ("(pwdChangedTime=*)", "pwdChangedTime"),
    (
        "(&(sambaPwdLastSet=*)(!(sambaPwdLastSet=0)))",
        "a sambaPwdLastSet other than 0",
    ),
    ("(sambaNTPassword=*)", "sambaNTPassword"),
    ("(userPassword=*)", "userPassword"),
];

/// `flows.activation_filter` opens only accounts without a password: one
/// that has a password is in use, and « Activer mon compte » would let
/// whoever knows its identifier and birth date take it over (issue 24).
async fn check_activation(settings: &Settings, directory: &Directory, report: &mut Report) {
    let filter = settings.flows.activation_filter.trim();
    if filter.starts_with("(!") {
        report.warn(
            "activate",
            format!(
                "flows.activation_filter {filter} opens an account by what it lacks: ldapadd and slapadd leave operational attributes such as pwdChangedTime out of accounts in use, so those would be opened too; mark the accounts to activate at provisioning (passerelleActivationPending: TRUE) and use the default filter (passerelleActivationPending=TRUE)"
            ),
        );
    }
    let signs: String = PASSWORD_SIGNS.iter().map(|(f, _)| *f).collect();
    let names: Vec<&str> = PASSWORD_SIGNS.iter().map(|(_, n)| *n).collect();
    let looked_for = format!(
        "signs of a password looked for: {} (the last two only where the service account may search them, which `=w` on them does not allow)",
        names.join(", ")
    );
    // An account with a question already is never opened (the flow's own
    // rule), whatever the filter says.
    let openable =
        format!("(&{filter}(!(passerelleQuestion=*))(!(passerelleAnswerHash=*))(|{signs}))");
    match directory.count_people_matching(&openable, 3).await {
        Ok((0, _)) => report.ok(
            "activate",
            format!("flows.activation_filter {filter} opens no account that already has a password ({looked_for})"),
        ),
        Ok((count, dns)) => report.fail(
            "activate",
            format!(
                "flows.activation_filter {filter} opens {count} account(s) that already have a password ({}{}): whoever knows one's identifier and birth date could set its question and password through « Activer mon compte », and its owner's password would stop working. Mark only accounts that have no password yet (remove passerelleActivationPending from accounts in use: `ldapmodify` with `delete: passerelleActivationPending`), or narrow the filter; {looked_for}",
                dns.join("; "),
                if count > dns.len() { "; …" } else { "" }
            ),
        ),
        Err(e) => report.fail(
            "activate",
            format!(
                "counting the accounts flows.activation_filter {filter} opens: {}",
                directory_failure(settings, &e)
            ),
        ),
    }
}

/// Each help-desk profile's group, read by the service account as the
/// sign-in reads it: missing, or unreadable to the gateway, its agents
/// could never sign in.
async fn check_helpdesk(settings: &Settings, directory: &Directory, report: &mut Report) {
    for profile in &settings.helpdesk.profiles {
        match directory.entry_matches(&profile.group, "(objectClass=*)").await {
            Ok(true) => report.ok(
                "helpdesk",
                format!(
                    "profile {}: its group {} is readable; writes as {}",
                    profile.name,
                    profile.group,
                    match settings.helpdesk.write_as {
                        crate::config::WriteAs::Service => "the service account",
                        crate::config::WriteAs::Agent =>
                            "the agent (proxied authorization: olcAuthzPolicy, authzTo and the H rules, docs/helpdesk.md)",
                    }
                ),
            ),
            Ok(false) => report.fail(
                "helpdesk",
                format!(
                    "profile {}: the group {} does not exist or the service account may not read it: its agents cannot sign in (create the group, or give {} read access to it: config/ldap rule 15)",
                    profile.name, profile.group, settings.ldap.bind_dn
                ),
            ),
            Err(e) => report.fail("helpdesk", directory_failure(settings, &e)),
        }
    }
}

/// The attribute names an LDAP filter tests, e.g. `passerelleActivationPending`
/// in `(passerelleActivationPending=TRUE)`.
fn filter_attributes(filter: &str) -> Vec<String> {
    let mut names = Vec::new();
    for part in filter.split('(').skip(1) {
        let name: String = part
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == ';' || *c == '.')
            .collect();
        let rest = &part[name.len()..];
        let compares = ["=", "~=", ">=", "<="]
            .iter()
            .any(|op| rest.starts_with(op));
        if !name.is_empty() && compares && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// `passerelleAccount` and every configured attribute in the subschema.
fn check_schema(settings: &Settings, schema: &Subschema, report: &mut Report) {
    let ldap = &settings.ldap;
    let one = |name: &String| vec![name.clone()];
    let mut wanted: Vec<(&str, Vec<String>, &str)> = vec![
        (
            "ldap.identifier_attributes",
            ldap.identifier_attributes.clone(),
            "correct the name or load its schema",
        ),
        (
            "ldap.login_attribute",
            one(&ldap.login_attribute),
            "correct the name or load its schema",
        ),
        (
            "ldap.birth_date_attribute",
            one(&ldap.birth_date_attribute),
            "correct the name or load its schema (SCHAC: config/ldap/schema/schac.ldif)",
        ),
        (
            "ldap.recovery_mail_attributes",
            ldap.recovery_mail_attributes.clone(),
            "correct the name or load its schema",
        ),
        (
            "ldap.mail_attribute",
            one(&ldap.mail_attribute),
            "correct the name or load its schema",
        ),
        (
            "ldap.name_attributes",
            ldap.name_attributes.clone(),
            "correct the name or load its schema",
        ),
    ];
    if settings.flows.activate {
        wanted.push((
            "flows.activation_filter",
            filter_attributes(&settings.flows.activation_filter),
            "load config/ldap/schema/passerelle.ldif (it brings passerelleActivationPending) or correct the filter: nobody could be activated",
        ));
    }
    wanted.push((
        "the gateway's state",
        GATEWAY_STATE_ATTRIBUTES
            .iter()
            .map(|a| a.to_string())
            .collect(),
        "load config/ldap/schema/passerelle.ldif",
    ));
    wanted.push((
        "the password policy",
        [
            "pwdChangedTime",
            "pwdAccountLockedTime",
            "pwdReset",
            "pwdPolicySubentry",
        ]
        .iter()
        .map(|a| a.to_string())
        .collect(),
        "load the ppolicy overlay, which brings them",
    ));
    let mut all_there = true;
    if !schema.has_object_class(GATEWAY_CLASS) {
        all_there = false;
        report.fail(
            "schema",
            format!("the object class {GATEWAY_CLASS} is not in the directory's schema: load config/ldap/schema/passerelle.ldif"),
        );
    }
    let mut count = 0;
    for (key, names, advice) in wanted {
        count += names.len();
        let missing: Vec<String> = names
            .iter()
            .filter(|n| !n.trim().is_empty() && !schema.has_attribute(n))
            .map(|n| format!("`{n}`"))
            .collect();
        if !missing.is_empty() {
            all_there = false;
            report.fail(
                "schema",
                format!(
                    "{key}: {} not in the directory's schema: {advice}",
                    if missing.len() == 1 {
                        format!("{} is", missing[0])
                    } else {
                        format!("{} are", missing.join(", "))
                    }
                ),
            );
        }
    }
    if all_there {
        report.ok(
            "schema",
            format!("{GATEWAY_CLASS} and the {count} attributes the gateway uses are in the directory's schema"),
        );
    }
}

/// The service account writes passwords and cannot read them.
async fn check_rights(
    settings: &Settings,
    directory: &Directory,
    person: &Person,
    report: &mut Report,
) {
    let rights = match directory.password_rights(person).await {
        Ok(rights) => rights,
        Err(e) => {
            report.fail("rights", directory_failure(settings, &e));
            return;
        }
    };
    match &rights.readable_on {
        Some(dn) => report.fail(
            "rights",
            format!(
                "{} can read or search userPassword (on {dn}): grant it `=w` on userPassword (write without read) as config/ldap/slapd-databases.ldif does, never read, write or manage: a compromised gateway would read every password hash",
                settings.ldap.bind_dn
            ),
        ),
        None => report.ok(
            "rights",
            format!("{} cannot read userPassword", settings.ldap.bind_dn),
        ),
    }
    match rights.write {
        Right::Granted => report.ok(
            "rights",
            format!(
                "{} may write a new password (the gateway's whole write, tried on {} by {}; nothing was written)",
                settings.ldap.bind_dn, rights.person, rights.write_method
            ),
        ),
        Right::Refused => report.fail(
            "rights",
            format!(
                "{} may not write a new password on {} (insufficient access, measured by {}): grant it `=w` on userPassword and sambaNTPassword and `write` on shadowLastChange, sambaPwdLastSet, pwdReset and the passerelle attributes, as config/ldap/slapd-databases.ldif does",
                settings.ldap.bind_dn, rights.person, rights.write_method
            ),
        ),
        Right::Unknown(why) => report.warn(
            "rights",
            format!(
                "whether {} may write passwords could not be measured on {} ({why})",
                settings.ldap.bind_dn, rights.person
            ),
        ),
    }
}

async fn check_mail(settings: &Settings, report: &mut Report) {
    let mail = &settings.mail;
    check_spool(settings, report);
    let needing_mail: Vec<&str> = [
        ("flows.code", settings.flows.code),
        ("flows.temporary", settings.flows.temporary),
        ("flows.identifier", settings.flows.identifier),
    ]
    .into_iter()
    .filter_map(|(key, on)| on.then_some(key))
    .collect();
    match mail.transport {
        MailTransportKind::Smtp => {
            let relay = format!("{}:{}", mail.host, mail.smtp_port());
            match relay_answers(settings).await {
                Ok(()) => report.ok(
                    "mail",
                    format!(
                        "the mail relay {relay} answers{} (no mail sent)",
                        match mail.security {
                            SmtpSecurity::None => "",
                            SmtpSecurity::Starttls => ", STARTTLS and its certificate included",
                            SmtpSecurity::Tls => ", TLS and its certificate included",
                        }
                    ),
                ),
                Err(e) => report.fail(
                    "mail",
                    format!("mail relay: {e:#}: check mail.host, mail.port, mail.security and mail.username"),
                ),
            }
            let local = matches!(mail.host.as_str(), "localhost" | "127.0.0.1" | "::1");
            if mail.security == SmtpSecurity::None && !local {
                report.warn(
                    "mail",
                    format!("mail to {relay} crosses the network in clear (codes, temporary passwords): set mail.security = \"starttls\" or \"tls\""),
                );
            }
        }
        MailTransportKind::File => match relay_answers(settings).await {
            Ok(()) => report.warn(
                "mail",
                format!(
                    "mail is written to {} as files, nobody receives it (a demo or a test): set mail.transport = \"smtp\" to send it",
                    mail.directory.display()
                ),
            ),
            Err(e) => report.fail("mail", format!("{e:#}")),
        },
        MailTransportKind::None if !needing_mail.is_empty() => report.fail(
            "mail",
            format!(
                "mail.transport is \"none\" but {} cannot work without mail: configure a relay or turn them off",
                needing_mail.join(", ")
            ),
        ),
        MailTransportKind::None => report.warn(
            "mail",
            "mail is disabled (mail.transport = \"none\"): nobody is told when their password changes",
        ),
    }
}

/// Whether `serve` can keep its mail spool: the directory exists or can be
/// created, and takes a file. Checked without taking the spool's lock, so
/// it runs beside a serving gateway.
fn check_spool(settings: &Settings, report: &mut Report) {
    let mail = &settings.mail;
    if mail.transport == MailTransportKind::None {
        return;
    }
    let directory = mail.spool_directory.display();
    match crate::mail::check_spool(&mail.spool_directory) {
        Ok(()) => report.ok(
            "mail",
            format!("the mail spool {directory} takes files (each replica needs a spool of its own)"),
        ),
        Err(e) => report.warn(
            "mail",
            format!("the mail spool is not writable: {e}: `serve` will not start; set mail.spool_directory to a directory of the gateway's own (each replica its own)"),
        ),
    }
}

/// Each point where the site's `[policy]` and the directory's policy
/// `directory` say different things, one sentence each, naming both values
/// and what a person will meet (the effective rules of
/// [`crate::policy::PasswordPolicy::effective`]).
pub fn policy_disagreements(site: &PolicyConfig, directory: &DirectoryPolicy) -> Vec<String> {
    let positive = |n: Option<u32>| n.filter(|&n| n > 0);
    let dn = &directory.dn;
    // Why each is a warning and not a failure: people meet the stricter
    // rule wherever the gateway writes, but the configuration misstates
    // it, or another tool that writes passwords applies the looser one.
    let mut lines = Vec::new();
    let site_min = positive(site.min_length);
    let directory_min = directory.enforced_min_length();
    if site_min != directory_min {
        let (site_n, directory_n) = (site_min.unwrap_or(0), directory_min.unwrap_or(0));
        lines.push(if directory_min < site_min {
            format!(
                "policy.min_length is {site_n}, pwdMinLength of {dn} is {directory_n}: the gateway asks for at least {site_n} characters, but other tools that write passwords (ldappasswd, an IDM) are held only to {directory_n}; set pwdMinLength: {site_n} in {dn} so that every tool asks the same"
            )
        } else {
            format!(
                "policy.min_length is {site_n}, pwdMinLength of {dn} is {directory_n}: the directory refuses fewer than {directory_n} characters, so the gateway shows and checks {directory_n} although [policy] says {site_n}; set policy.min_length = {directory_n} so that the configuration says what people meet"
            )
        });
    }
    let site_max = positive(site.max_length);
    let directory_max = directory.enforced_max_length();
    if site_max != directory_max {
        lines.push(match (site_max, directory_max) {
            (None, Some(directory_n)) => format!(
                "policy.max_length is 0 (no maximum), pwdMaxLength of {dn} is {directory_n}: the directory refuses a longer password, so the gateway shows and checks at most {directory_n} characters although [policy] sets no maximum; set policy.max_length = {directory_n} so that the configuration says what people meet (or remove pwdMaxLength from {dn})"
            ),
            (Some(site_n), directory_n) if directory_n.is_none_or(|d| site_n < d) => format!(
                "policy.max_length is {site_n}, pwdMaxLength of {dn} is {} (0 = no maximum): the gateway refuses more than {site_n} characters, but other tools that write passwords accept {}; set pwdMaxLength: {site_n} in {dn} if no tool may, or raise policy.max_length",
                directory_n.unwrap_or(0),
                directory_n.map_or("any length".to_owned(), |d| format!("up to {d}"))
            ),
            (site_n, directory_n) => format!(
                "policy.max_length is {}, pwdMaxLength of {dn} is {}: the directory refuses more than {} characters, so the gateway shows and checks that; set policy.max_length = {} so that the configuration says what people meet",
                site_n.unwrap_or(0),
                directory_n.unwrap_or(0),
                directory_n.unwrap_or(0),
                directory_n.unwrap_or(0)
            ),
        });
    }
    if let (Some(max), Some(min)) = (site_max, directory_min) {
        if max < min {
            lines.push(format!(
                "policy.max_length ({max}) is below pwdMinLength of {dn} ({min}): no password could meet both; the directory's minimum wins: raise policy.max_length to {min} or more"
            ));
        }
    }
    let site_history = positive(site.history).unwrap_or(0);
    if site_history != directory.in_history {
        lines.push(format!(
            "policy.history is {site_history}, pwdInHistory of {dn} is {}: the directory decides, so the gateway shows and explains {} (the directory's number); set policy.history = {} so that the configuration says what people meet",
            directory.in_history, directory.in_history, directory.in_history
        ));
    }
    lines
}

async fn relay_answers(settings: &Settings) -> anyhow::Result<()> {
    crate::mail::Mailer::build(&settings.mail, (&settings.site).into())?
        .check_relay()
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::QualityCheck;

    #[test]
    fn placeholder_keys_are_weak_and_random_ones_strong() {
        for weak in [
            "k".repeat(48),
            "changeme-changeme-changeme-changeme".to_owned(),
            "0123456789abcdef0123456789abcdef".to_owned(),
        ] {
            let bits = estimated_bits(&weak);
            assert!(bits < KEY_BITS.0, "{weak}: {bits}");
        }
        for strong in [
            "q0JX8c2vTn7LmA4pZr9WsE1yUb6KdH3f",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "Vw3nXc+Qm1r/8TzKp0YbLs6GdHa2eJfUo4NiRt5ZkWq7PyC9",
        ] {
            let bits = estimated_bits(strong);
            assert!(bits >= KEY_BITS.1, "{strong}: {bits}");
        }
    }

    #[test]
    fn the_attributes_a_filter_tests_are_named() {
        assert_eq!(
            filter_attributes("(passerelleActivationPending=TRUE)"),
            ["passerelleActivationPending"]
        );
        assert_eq!(
            filter_attributes(
                "(&(eduPersonEntitlement=urn:x:a)(!(pwdChangedTime=*))(cn;lang-fr>=b))"
            ),
            ["eduPersonEntitlement", "pwdChangedTime", "cn;lang-fr"]
        );
        assert!(filter_attributes("(&(|))").is_empty());
    }

    #[test]
    fn each_disagreement_is_one_line_and_agreement_is_silent() {
        let directory = DirectoryPolicy {
            dn: "cn=default,ou=policies,dc=univ-exemple,dc=fr".into(),
            min_length: 24,
            max_length: 64,
            in_history: 3,
            check_quality: QualityCheck::IfPossible,
            ..DirectoryPolicy::default()
        };
        let site = PolicyConfig {
            min_length: Some(8),
            max_length: Some(20),
            history: None,
            ..PolicyConfig::default()
        };
        let lines = policy_disagreements(&site, &directory);
        assert_eq!(lines.len(), 4, "{lines:#?}");
        assert!(lines[0].contains("pwdMinLength") && lines[0].contains("24"));
        assert!(lines[1].contains("pwdMaxLength"));
        assert!(lines[1].contains("set pwdMaxLength: 20 in"), "{}", lines[1]);
        assert!(lines[2].contains("no password could meet both"));
        assert!(lines[3].contains("pwdInHistory") && lines[3].contains('3'));
        let same = PolicyConfig {
            min_length: Some(24),
            max_length: Some(64),
            history: Some(3),
            ..PolicyConfig::default()
        };
        assert!(policy_disagreements(&same, &directory).is_empty());
    }

    /// Issue 24: "max_length 0 vs pwdMaxLength 64… the smaller one
    /// applies" said neither why it is a warning nor what to set.
    #[test]
    fn a_disagreement_says_what_people_meet_and_what_to_set() {
        let directory = DirectoryPolicy {
            dn: "cn=default,ou=policies,dc=univ-exemple,dc=fr".into(),
            min_length: 6,
            max_length: 64,
            in_history: 3,
            check_quality: QualityCheck::IfPossible,
            ..DirectoryPolicy::default()
        };
        let site = PolicyConfig {
            min_length: Some(8),
            max_length: None,
            history: Some(3),
            ..PolicyConfig::default()
        };
        let lines = policy_disagreements(&site, &directory);
        assert_eq!(lines.len(), 2, "{lines:#?}");
        assert!(
            lines[0].contains("other tools that write passwords")
                && lines[0].contains("set pwdMinLength: 8 in cn=default"),
            "{}",
            lines[0]
        );
        assert!(
            lines[1].contains("at most 64 characters")
                && lines[1].contains("set policy.max_length = 64"),
            "{}",
            lines[1]
        );
    }
}
