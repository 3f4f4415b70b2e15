//! Configuration: built-in defaults < the preset the site names (`preset =
//! "efp"`, one of [`PRESETS`], compiled into the binary) < TOML file <
//! `PASSERELLE_` environment variables (`__` for nesting). Every secret is held in a `secrecy` type and
//! can also be read from a file (`*_file` keys), so that no secret needs to
//! sit in the TOML file or in the process environment.

pub mod reference;

use figment::providers::{Env, Format, Toml};
use figment::Figment;
pub use passerelle_domain::settings::{
    Channel, DeskAction, FlowSettings, HelpdeskProfile, HelpdeskSettings, LockoutSettings,
    MailLogin, SiteSettings, VerificationMethod, WriteAs,
};
pub use passerelle_ldap::LdapSettings;
pub use passerelle_web::settings::{ForwardedHeader, MetricsSettings, ServerSettings};
use schemars::JsonSchema;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Keys the gateway holds. Each can be given inline (tests) or, as a site
/// should, in a file readable only by the gateway (`*_file`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SecretSettings {
    /// Encrypts the cookie that chains the steps of a flow (32+ bytes).
    #[serde(skip_serializing)]
    #[schemars(with = "Option<String>")]
    pub cookie_key: Option<SecretString>,
    /// A file holding `cookie_key`.
    pub cookie_key_file: Option<PathBuf>,
    /// Mixed into every secret-answer hash, so a copy of the directory
    /// alone does not allow guessing answers offline (16+ characters;
    /// changing it voids every stored answer).
    #[serde(skip_serializing)]
    #[schemars(with = "Option<String>")]
    pub answer_pepper: Option<SecretString>,
    /// A file holding `answer_pepper`.
    pub answer_pepper_file: Option<PathBuf>,
    /// Keys the hashes of e-mailed codes and captcha answers.
    /// 32+ characters.
    #[serde(skip_serializing)]
    #[schemars(with = "Option<String>")]
    pub code_key: Option<SecretString>,
    /// A file holding `code_key`.
    pub code_key_file: Option<PathBuf>,
}

/// Options of `passerelle check`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct CheckSettings {
    /// An identifier `check` looks up to prove searches work; the person it
    /// finds is also the one the service account's rights on
    /// `userPassword` are tested on (nothing is written). When unset, the
    /// first person under `ldap.base_dn` is used.
    pub test_identifier: Option<String>,
}

/// Log output.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct LogSettings {
    /// `text` for a terminal, `json` for production collection.
    pub format: LogFormat,
    /// A tracing filter, e.g. `info` or `passerelle=debug,info`.
    pub level: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One readable line per event, for a terminal.
    Text,
    /// One JSON object per line, for a log collector.
    Json,
}

impl Default for LogSettings {
    fn default() -> Self {
        Self {
            format: LogFormat::Text,
            level: "info".into(),
        }
    }
}

/// Where the audit trail goes (`docs/audit.md`): one JSON object per line,
/// one line per event, apart from the diagnostic log.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct AuditSettings {
    /// `stdout`, `stderr`, `file` (`audit.file`, reopened on SIGHUP for
    /// logrotate) or `off` (nothing written; for throwaway demos).
    pub output: AuditOutput,
    /// The file the trail is appended to when `output = "file"`.
    pub file: Option<PathBuf>,
    /// The name every record carries, to tell replicas apart; the host's
    /// name when absent.
    pub replica: Option<String>,
}

impl Default for AuditSettings {
    fn default() -> Self {
        Self {
            output: AuditOutput::Stdout,
            file: None,
            replica: None,
        }
    }
}

/// Password expiry notices (`passerelle notify-expiring`).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ExpirySettings {
    /// Mail people whose password expires within each of these numbers of
    /// days (from `pwdChangedTime` and their effective `pwdMaxAge`), once
    /// per threshold and password. Empty: no notices.
    pub notice_days: Vec<u32>,
}

impl Default for ExpirySettings {
    fn default() -> Self {
        Self {
            notice_days: vec![14, 7, 1],
        }
    }
}

/// Where audit records are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AuditOutput {
    /// Standard output (a container's log, journald).
    Stdout,
    /// Standard error.
    Stderr,
    /// `audit.file`, appended, reopened on SIGHUP.
    File,
    /// Nothing written (throwaway demos).
    Off,
}

/// Everything the gateway is configured with.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// The seed system whose flows, rules, captcha and texts lie under the
    /// site's file: `uphf`, `efp`, `caf-services`, `caf-partenaires` or
    /// `ecolesoft` (config/presets/, compiled into the binary). Its values
    /// come between the built-in defaults and the file, so the file says
    /// only what differs at the site; `passerelle check` lists the keys
    /// the file overrides.
    pub preset: Option<String>,
    /// The texts a site adds to its pages: a notice on every page, and per
    /// page kind a lead, a help aside, the button's label, "Annuler".
    pub texts: crate::site_texts::TextSettings,
    pub server: ServerSettings,
    pub site: SiteSettings,
    pub ldap: LdapSettings,
    pub lockout: LockoutSettings,
    pub policy: crate::policy::PolicyConfig,
    pub flows: FlowSettings,
    pub mail: crate::mail::MailSettings,
    pub captcha: crate::captcha::CaptchaSettings,
    pub secrets: SecretSettings,
    pub check: CheckSettings,
    pub log: LogSettings,
    /// The Prometheus endpoint (`docs/metrics.md`).
    pub metrics: MetricsSettings,
    /// The audit trail (`docs/audit.md`).
    pub audit: AuditSettings,
    /// What runs after every password written (`crate::hooks`).
    pub hooks: crate::hooks::HookSettings,
    /// Password expiry notices (`crate::expiry`).
    pub expiry: ExpirySettings,
    /// SMS: how numbers are read and where texts go (an HTTP gateway, an
    /// outbox directory), for the codes and notices of issue 21
    /// (docs/sms.md). Off (`transport = "none"`) by default.
    pub sms: passerelle_sms::SmsSettings,
    /// "Wi-Fi accepts your new password": the RADIUS server asked after
    /// every chosen password written (`docs/radius.md`).
    pub radius: passerelle_radius::RadiusSettings,
    /// The sweep of passwords in use against the breach list
    /// (`passerelle breach-sweep`, `docs/breach-sweep.md`).
    pub breach_sweep: crate::breach_sweep::settings::BreachSweepSettings,
    /// The help desk (`/helpdesk`, docs/helpdesk.md).
    pub helpdesk: HelpdeskSettings,
    /// The JSON API (`docs/api.md`).
    pub api: passerelle_web::api::ApiSettings,
}

/// Secrets read from their files (or inline values), ready for use.
#[derive(Debug, Clone)]
pub struct ResolvedSecrets {
    pub bind_password: SecretString,
    pub cookie_key: SecretString,
    pub answer_pepper: SecretString,
    pub code_key: SecretString,
}

/// Why a configuration cannot be used; each names the key at fault.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0}")]
    Load(Box<figment::Error>),
    /// An unknown key that another section has: written in the wrong
    /// table (the hint names the right one).
    #[error("{error}; {hint}")]
    Misplaced {
        error: Box<figment::Error>,
        hint: String,
    },
    #[error("`{key}`: {expected}")]
    Invalid { key: String, expected: String },
    #[error("`{key}`: cannot read {path}: {source}")]
    SecretFile {
        key: String,
        path: PathBuf,
        source: std::io::Error,
    },
}

impl From<passerelle_secrets::SecretError> for ConfigError {
    fn from(error: passerelle_secrets::SecretError) -> Self {
        match error {
            passerelle_secrets::SecretError::Invalid { key, expected } => {
                ConfigError::Invalid { key, expected }
            }
            passerelle_secrets::SecretError::File { key, path, source } => {
                ConfigError::SecretFile { key, path, source }
            }
        }
    }
}

fn invalid(key: &str, expected: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        key: key.into(),
        expected: expected.into(),
    }
}

/// The presets, by name: each reproduces one seed system (its flows, rules,
/// captcha and texts; `config/presets/<name>.toml`), compiled into the
/// binary so that `preset = "efp"` works wherever the binary runs.
pub const PRESETS: [(&str, &str); 5] = [
    ("uphf", include_str!("../../config/presets/uphf.toml")),
    ("efp", include_str!("../../config/presets/efp.toml")),
    (
        "caf-services",
        include_str!("../../config/presets/caf-services.toml"),
    ),
    (
        "caf-partenaires",
        include_str!("../../config/presets/caf-partenaires.toml"),
    ),
    (
        "ecolesoft",
        include_str!("../../config/presets/ecolesoft.toml"),
    ),
];

/// The TOML of the preset `name`, if there is one by that name.
pub fn preset_toml(name: &str) -> Option<&'static str> {
    PRESETS
        .iter()
        .find(|(known, _)| *known == name.trim())
        .map(|(_, toml)| *toml)
}

/// The names of the presets, quoted and comma-separated, for messages.
fn preset_names() -> String {
    PRESETS
        .iter()
        .map(|(name, _)| format!("\"{name}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The layers, lowest first: built-in defaults (the `Default` impls), the
/// preset named by `preset` (in the file or `PASSERELLE_PRESET`), the TOML
/// file, then `PASSERELLE_` variables with `__` between levels
/// (`PASSERELLE_LDAP__BIND_DN`). A site thus writes only what differs from
/// its preset. An unknown preset adds no layer and is refused by
/// [`Settings::validate`], which lists the names.
pub fn figment(file: Option<&Path>) -> Figment {
    let mut site = Figment::new();
    if let Some(file) = file {
        site = site.merge(Toml::file_exact(file));
    }
    let site = site.merge(Env::prefixed("PASSERELLE_").split("__"));
    let preset = site
        .extract_inner::<String>("preset")
        .ok()
        .and_then(|name| preset_toml(&name));
    match preset {
        Some(toml) => Figment::from(Toml::string(toml)).merge(site),
        None => site,
    }
}

/// The layers of a site that names `preset` and nothing else: the built-in
/// defaults under the preset (the demo's start, and a test's).
pub fn preset_figment(preset: &str) -> Result<Figment, ConfigError> {
    let toml = preset_toml(preset).ok_or_else(unknown_preset(preset))?;
    Ok(Figment::from(Toml::string(toml)).merge(("preset", preset.trim())))
}

/// A key that both the site's file and the preset it names set, to
/// different values: the file's wins ([`figment`]), which `passerelle
/// check` lists so that no override goes unnoticed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresetOverride {
    /// Dotted key, e.g. `site.name`.
    pub key: String,
    /// The preset's value and the file's, as TOML writes them.
    pub preset_value: String,
    pub file_value: String,
    /// The file sets the built-in default: most likely a line copied from
    /// the example configuration, which undoes what the preset decided.
    pub back_to_default: bool,
}

/// The preset `file` names (or `PASSERELLE_PRESET`), and every key where
/// the file sets another value than that preset; `None` when it names no
/// known preset.
pub fn preset_overrides(file: &Path) -> Result<Option<(String, Vec<PresetOverride>)>, ConfigError> {
    let Some(name) = figment(Some(file)).extract_inner::<String>("preset").ok() else {
        return Ok(None);
    };
    let Some(preset) = preset_toml(&name) else {
        return Ok(None);
    };
    let load = |figment: Figment| -> Result<serde_json::Value, ConfigError> {
        figment
            .extract()
            .map_err(|e| ConfigError::Load(Box::new(e)))
    };
    let preset = load(Figment::from(Toml::string(preset)))?;
    let site = load(Figment::from(Toml::file_exact(file)))?;
    let defaults = serde_json::to_value(Settings::default())
        .map_err(|e| invalid("preset", format!("the built-in defaults: {e}")))?;
    let mut overrides = Vec::new();
    let mut leaves = Vec::new();
    json_leaves(&preset, String::new(), &mut leaves);
    for (key, preset_value) in leaves {
        let pointer = format!("/{}", key.replace('.', "/"));
        let Some(file_value) = site.pointer(&pointer) else {
            continue;
        };
        if file_value == preset_value {
            continue;
        }
        overrides.push(PresetOverride {
            back_to_default: defaults.pointer(&pointer) == Some(file_value),
            preset_value: preset_value.to_string(),
            file_value: file_value.to_string(),
            key,
        });
    }
    Ok(Some((name.trim().to_owned(), overrides)))
}

/// Every value of `value` that is not a table, with its dotted key.
fn json_leaves<'a>(
    value: &'a serde_json::Value,
    key: String,
    leaves: &mut Vec<(String, &'a serde_json::Value)>,
) {
    match value.as_object() {
        Some(table) => {
            for (name, inner) in table {
                let dotted = if key.is_empty() {
                    name.clone()
                } else {
                    format!("{key}.{name}")
                };
                json_leaves(inner, dotted, leaves);
            }
        }
        None => leaves.push((key, value)),
    }
}

fn unknown_preset(name: &str) -> impl FnOnce() -> ConfigError + '_ {
    move || invalid("preset", format!("one of {}, not {name:?}", preset_names()))
}

impl Settings {
    /// Reads and validates the configuration.
    pub fn load(file: Option<&Path>) -> Result<Settings, ConfigError> {
        Self::from_figment(figment(file))
    }

    pub fn from_figment(figment: Figment) -> Result<Settings, ConfigError> {
        let settings: Settings = figment.extract().map_err(load_error)?;
        settings.validate()?;
        Ok(settings)
    }

    /// Checks what serde cannot: addresses that parse, numbers in range.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(name) = &self.preset {
            preset_toml(name).ok_or_else(unknown_preset(name))?;
        }
        if let Some(colour) = &self.site.main_color {
            crate::site_texts::check_main_color(colour)
                .map_err(|expected| invalid("site.main_color", expected))?;
        }
        self.texts
            .validate()
            .map_err(|(key, expected)| invalid(&format!("texts.{key}"), expected))?;
        self.server
            .listen
            .parse::<std::net::SocketAddr>()
            .map_err(|_| {
                invalid(
                    "server.listen",
                    "an address and port such as 127.0.0.1:8080",
                )
            })?;
        let public = url::Url::parse(&self.server.public_url).map_err(|_| {
            invalid(
                "server.public_url",
                "an absolute URL such as https://sesame.univ.fr",
            )
        })?;
        if !matches!(public.scheme(), "http" | "https") || public.host_str().is_none() {
            return Err(invalid(
                "server.public_url",
                "an http:// or https:// URL with a host",
            ));
        }
        if self.server.inactivity_seconds < 60 {
            return Err(invalid("server.inactivity_seconds", "at least 60 seconds"));
        }
        if self.server.rate_limit_per_minute == 0 || self.server.rate_limit_burst == 0 {
            return Err(invalid(
                "server.rate_limit_per_minute",
                "rate_limit_per_minute and rate_limit_burst of at least 1",
            ));
        }
        if !(32..=128).contains(&self.server.rate_limit_ipv6_prefix) {
            return Err(invalid(
                "server.rate_limit_ipv6_prefix",
                "a prefix length from 32 to 128 bits (64 counts one subscriber's /64)",
            ));
        }
        if self.server.max_form_bytes < 1024 {
            return Err(invalid("server.max_form_bytes", "at least 1024 bytes"));
        }
        if !(1..=300).contains(&self.server.header_read_timeout_seconds) {
            return Err(invalid(
                "server.header_read_timeout_seconds",
                "a number of seconds from 1 to 300",
            ));
        }
        if !(1..=3600).contains(&self.server.request_timeout_seconds) {
            return Err(invalid(
                "server.request_timeout_seconds",
                "a number of seconds from 1 to 3600",
            ));
        }
        if self.server.shutdown_grace_seconds > 600 {
            return Err(invalid(
                "server.shutdown_grace_seconds",
                "a number of seconds from 0 to 600",
            ));
        }
        if self.server.max_connections < 2 {
            return Err(invalid("server.max_connections", "at least 2"));
        }
        if self.ldap.urls.is_empty() {
            return Err(invalid("ldap.urls", "at least one ldap:// or ldaps:// URL"));
        }
        for url in &self.ldap.urls {
            if !(url.starts_with("ldap://") || url.starts_with("ldaps://")) {
                return Err(invalid(
                    "ldap.urls",
                    format!("ldap:// or ldaps:// URLs, not {url:?}"),
                ));
            }
        }
        for url in &self.ldap.replica_urls {
            if !(url.starts_with("ldap://") || url.starts_with("ldaps://")) {
                return Err(invalid(
                    "ldap.replica_urls",
                    format!("ldap:// or ldaps:// URLs, not {url:?}"),
                ));
            }
        }
        // The wait happens inside the request that writes the password.
        if !(1..=60).contains(&self.ldap.replica_wait_seconds)
            || self.ldap.replica_wait_seconds >= self.server.request_timeout_seconds
        {
            return Err(invalid(
                "ldap.replica_wait_seconds",
                "a number of seconds from 1 to 60, below server.request_timeout_seconds",
            ));
        }
        // The RADIUS check also happens inside the request that writes the
        // password, after the replicas' wait.
        if self.radius.is_configured()
            && self.radius.timeout_seconds + self.ldap.replica_wait_seconds
                >= self.server.request_timeout_seconds
        {
            return Err(invalid(
                "radius.timeout_seconds",
                "a number of seconds that, added to ldap.replica_wait_seconds, stays below server.request_timeout_seconds",
            ));
        }
        if self.ldap.identifier_attributes.is_empty() {
            return Err(invalid(
                "ldap.identifier_attributes",
                "at least one attribute",
            ));
        }
        // A case stated for an attribute nobody searches is a typo that
        // would silently leave the real attribute at its default.
        if let Some(stray) = self.ldap.identifier_case.keys().find(|name| {
            !self
                .ldap
                .identifier_attributes
                .iter()
                .any(|a| a.eq_ignore_ascii_case(name))
        }) {
            return Err(invalid(
                "ldap.identifier_case",
                format!("attributes listed in ldap.identifier_attributes, not {stray:?}"),
            ));
        }
        for (key, value) in [
            ("ldap.bind_dn", &self.ldap.bind_dn),
            ("ldap.base_dn", &self.ldap.base_dn),
            ("ldap.login_attribute", &self.ldap.login_attribute),
            ("ldap.birth_date_attribute", &self.ldap.birth_date_attribute),
        ] {
            if value.trim().is_empty() {
                return Err(invalid(key, "a non-empty value"));
            }
        }
        if !(self.ldap.person_filter.starts_with('(') && self.ldap.person_filter.ends_with(')')) {
            return Err(invalid(
                "ldap.person_filter",
                "an LDAP filter in parentheses",
            ));
        }
        if self.ldap.pool_size == 0 || self.ldap.pool_size > 256 {
            return Err(invalid("ldap.pool_size", "a number from 1 to 256"));
        }
        if self.ldap.timeout_seconds == 0 {
            return Err(invalid("ldap.timeout_seconds", "at least 1 second"));
        }
        if self.lockout.max_failures == 0 {
            return Err(invalid("lockout.max_failures", "at least 1"));
        }
        if self.flows.code_tries == 0 {
            return Err(invalid("flows.code_tries", "at least 1"));
        }
        if !(8..=64).contains(&self.flows.temporary_length) {
            return Err(invalid("flows.temporary_length", "a length from 8 to 64"));
        }
        if self.flows.not_me_days > 365 {
            return Err(invalid(
                "flows.not_me_days",
                "a number of days from 0 to 365",
            ));
        }
        self.sms.validate().map_err(|error| match error {
            passerelle_sms::SmsSettingsError::Invalid { key, expected } => {
                invalid(&format!("sms.{key}"), expected)
            }
            other => invalid("sms", other.to_string()),
        })?;
        let texting = self.sms.transport != passerelle_sms::SmsTransportKind::None;
        for (key, on) in [
            ("flows.sms", self.flows.sms),
            ("flows.code_sms", self.flows.code_sms),
            (
                "flows.activation_asks",
                self.flows
                    .activation_asks
                    .contains(&passerelle_domain::settings::Channel::Mobile),
            ),
        ] {
            if on && !texting {
                return Err(invalid(
                    key,
                    "SMS to be on first: sms.transport = \"http\" (or \"file\"), docs/sms.md",
                ));
            }
        }
        for (key, value) in [
            ("flows.sms_daily_max", self.flows.sms_daily_max),
            ("flows.sms_per_minute", self.flows.sms_per_minute),
            (
                "flows.sms_per_address_per_hour",
                self.flows.sms_per_address_per_hour,
            ),
        ] {
            if value == 0 {
                return Err(invalid(key, "at least 1"));
            }
        }
        if !(60..=3600).contains(&self.flows.recovery_proof_seconds) {
            return Err(invalid(
                "flows.recovery_proof_seconds",
                "a number of seconds from 60 to 3600",
            ));
        }
        if let Some(address) = &self.site.helpdesk_mail {
            if crate::directory::MailAddress::parse(address).is_none() {
                return Err(invalid("site.helpdesk_mail", "an e-mail address"));
            }
        }
        let languages = passerelle_text::Lang::ALL;
        if !languages
            .iter()
            .any(|lang| lang.code() == self.site.default_language)
        {
            let codes: Vec<String> = languages
                .iter()
                .map(|lang| format!("\"{}\"", lang.code()))
                .collect();
            return Err(invalid(
                "site.default_language",
                format!("one of {}", codes.join(", ")),
            ));
        }
        if let Some(listen) = self.metrics.own_listener() {
            listen.parse::<std::net::SocketAddr>().map_err(|_| {
                invalid(
                    "metrics.listen",
                    "an address and port such as 127.0.0.1:9464, or \"\" for no listener of its own",
                )
            })?;
        }
        if self.audit.output == AuditOutput::File && self.audit.file.is_none() {
            return Err(invalid(
                "audit.file",
                "a file path when audit.output = \"file\"",
            ));
        }
        if let Some(replica) = &self.audit.replica {
            if replica.trim().is_empty() || replica.chars().any(char::is_control) {
                return Err(invalid("audit.replica", "a non-empty name on one line"));
            }
        }
        self.captcha
            .validate()
            .map_err(|message| invalid("captcha.length", message))?;
        self.mail.validate().map_err(|e| ConfigError::Invalid {
            key: format!("mail.{}", e.key),
            expected: e.expected,
        })?;
        self.hooks.validate()?;
        self.breach_sweep
            .validate()
            .map_err(|(key, expected)| invalid(key, expected))?;
        self.validate_helpdesk()?;
        if self
            .expiry
            .notice_days
            .iter()
            .any(|d| !(1..=365).contains(d))
        {
            return Err(invalid(
                "expiry.notice_days",
                "numbers of days from 1 to 365, e.g. [14, 7, 1]",
            ));
        }
        Ok(())
    }

    /// `[helpdesk]`: profiles that can work (a name, a group DN, filters
    /// the directory can parse, at least one verification; the reset
    /// actions only where the public pages they end on are on), and limits
    /// that hold together.
    fn validate_helpdesk(&self) -> Result<(), ConfigError> {
        let desk = &self.helpdesk;
        if !desk.exclusion_filter.trim().is_empty()
            && !crate::directory::is_filter(&desk.exclusion_filter)
        {
            return Err(invalid(
                "helpdesk.exclusion_filter",
                "an LDAP filter in parentheses, or empty",
            ));
        }
        if !(60..=self.server.inactivity_seconds.max(60)).contains(&desk.idle_seconds) {
            return Err(invalid(
                "helpdesk.idle_seconds",
                "at least 60 seconds and at most server.inactivity_seconds",
            ));
        }
        if desk.session_seconds < desk.idle_seconds || desk.session_seconds > 24 * 3600 {
            return Err(invalid(
                "helpdesk.session_seconds",
                "at least helpdesk.idle_seconds and at most a day (86400)",
            ));
        }
        if !(1..=100).contains(&desk.max_results) {
            return Err(invalid("helpdesk.max_results", "a number from 1 to 100"));
        }
        if !(60..=3600).contains(&desk.verification_seconds) {
            return Err(invalid(
                "helpdesk.verification_seconds",
                "a number of seconds from 60 to 3600",
            ));
        }
        if !(60..=3600).contains(&desk.code_validity_seconds) {
            return Err(invalid(
                "helpdesk.code_validity_seconds",
                "a number of seconds from 60 to 3600",
            ));
        }
        let mut names = std::collections::HashSet::new();
        for (i, profile) in desk.profiles.iter().enumerate() {
            let key = |field: &str| format!("helpdesk.profiles[{i}].{field}");
            let name = profile.name.trim();
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(invalid(
                    &key("name"),
                    "a name of letters, digits, - and _ (it goes into the audit trail)",
                ));
            }
            if !names.insert(name.to_owned()) {
                return Err(invalid(
                    &key("name"),
                    format!("a name no other profile has, not {name:?} again"),
                ));
            }
            if !profile.group.contains('=') {
                return Err(invalid(&key("group"), "the DN of a group"));
            }
            if !crate::directory::is_filter(&profile.scope) {
                return Err(invalid(&key("scope"), "an LDAP filter in parentheses"));
            }
            if profile.verification.is_empty() {
                return Err(invalid(
                    &key("verification"),
                    "at least one of \"in_person\", \"phone_code\", \"identity\"",
                ));
            }
            if profile.allows(DeskAction::SendCode) && !self.flows.code {
                return Err(invalid(
                    &key("actions"),
                    "\"send_code\" only with flows.code on (the mailed code leads to /code)",
                ));
            }
            let change = self.flows.temporary || self.flows.account;
            if (profile.allows(DeskAction::SendTemporary)
                || profile.allows(DeskAction::TemporaryOnScreen))
                && !change
            {
                return Err(invalid(
                    &key("actions"),
                    "temporary passwords only with /change on (flows.temporary or flows.account)",
                ));
            }
        }
        Ok(())
    }

    /// Reads every secret the gateway needs to serve. A secret given both
    /// inline and as a file is refused: which one wins would be a guess.
    pub fn resolve_secrets(&self) -> Result<ResolvedSecrets, ConfigError> {
        let bind_password = required_secret(
            "ldap.bind_password",
            &self.ldap.bind_password,
            &self.ldap.bind_password_file,
        )?;
        let cookie_key = required_secret(
            "secrets.cookie_key",
            &self.secrets.cookie_key,
            &self.secrets.cookie_key_file,
        )?;
        if cookie_key.expose_secret().len() < 32 {
            return Err(invalid("secrets.cookie_key", "at least 32 characters"));
        }
        let answer_pepper = required_secret(
            "secrets.answer_pepper",
            &self.secrets.answer_pepper,
            &self.secrets.answer_pepper_file,
        )?;
        if answer_pepper.expose_secret().len() < 16 {
            return Err(invalid("secrets.answer_pepper", "at least 16 characters"));
        }
        let code_key = required_secret(
            "secrets.code_key",
            &self.secrets.code_key,
            &self.secrets.code_key_file,
        )?;
        if code_key.expose_secret().len() < 32 {
            return Err(invalid("secrets.code_key", "at least 32 characters"));
        }
        Ok(ResolvedSecrets {
            bind_password,
            cookie_key,
            answer_pepper,
            code_key,
        })
    }
}

/// A refusal of figment's, with the right section named when an unknown
/// key is one of another section's (`breached_hashes_file` under
/// `[texts]` belongs in `[policy]`).
fn load_error(error: figment::Error) -> ConfigError {
    let hint = match &error.kind {
        figment::error::Kind::UnknownField(field, _) => misplaced_key_hint(&error.path, field),
        _ => None,
    };
    match hint {
        Some(hint) => ConfigError::Misplaced {
            error: Box::new(error),
            hint,
        },
        None => ConfigError::Load(Box::new(error)),
    }
}

/// Where an unknown key `field`, found at `path` (its section's names,
/// then the key), belongs when another section has a key of that name.
fn misplaced_key_hint(path: &[String], field: &str) -> Option<String> {
    let section = path
        .split_last()
        .map(|(_, sections)| sections.join("."))
        .unwrap_or_default();
    let known = reference::key_names().ok()?;
    let homes: Vec<String> = known
        .iter()
        .filter_map(|key| {
            let (home, name) = key.rsplit_once('.').unwrap_or(("", key.as_str()));
            (name.eq_ignore_ascii_case(field) && !home.eq_ignore_ascii_case(&section))
                .then(|| key.clone())
        })
        .collect();
    if homes.is_empty() {
        return None;
    }
    let table = |key: &str| match key.rsplit_once('.') {
        Some((home, _)) => format!("[{home}]"),
        None => "the top of the file, before any [section]".to_owned(),
    };
    let placed = if section.is_empty() {
        "the top of the file".to_owned()
    } else {
        format!("[{section}]")
    };
    Some(format!(
        "`{field}` is not a key of {placed}: it belongs in {} ({})",
        homes
            .iter()
            .map(|k| table(k))
            .collect::<Vec<_>>()
            .join(" or "),
        homes.join(", ")
    ))
}

/// A secret given inline or in a file (`<key>_file`), exactly one of them.
pub fn secret(
    key: &str,
    inline: &Option<SecretString>,
    file: &Option<PathBuf>,
) -> Result<Option<SecretString>, ConfigError> {
    Ok(passerelle_secrets::read(key, inline, file)?)
}

fn required_secret(
    key: &str,
    inline: &Option<SecretString>,
    file: &Option<PathBuf>,
) -> Result<SecretString, ConfigError> {
    secret(key, inline, file)?.ok_or_else(|| {
        invalid(
            key,
            format!("a value, in `{key}` or in a file named by `{key}_file`"),
        )
    })
}
