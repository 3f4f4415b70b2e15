//! The `[sms]` section of the gateway's configuration: which numbers are
//! accepted, where texts go (an HTTP gateway, an outbox directory, or
//! nowhere) and, for an HTTP gateway, the whole request described as data,
//! so that a site connects a new provider by writing TOML, not code.
//! Secrets are only ever named by file (`secret_files`), read once when the
//! sender is built, and held in `secrecy` types from then on.

use crate::number::{NumberRules, Region};
use crate::template::PLACEHOLDERS;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Where texts go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SmsTransportKind {
    /// Nowhere: SMS are off, and every send is refused (the SMS choices
    /// are not offered). The default, since a site must first have a
    /// contract with a gateway.
    #[default]
    None,
    /// An HTTP gateway described by `[sms.http]`.
    Http,
    /// One text file per SMS in `directory` (the demo, staging).
    File,
}

/// The HTTP method of the gateway's request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    /// Parameters in the query (`query`); no body.
    #[serde(alias = "get")]
    Get,
    /// The usual method of sending APIs.
    #[default]
    #[serde(alias = "post")]
    Post,
    /// For the few APIs that create a message with PUT.
    #[serde(alias = "put")]
    Put,
}

/// How `body` is written into the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum BodyFormat {
    /// No body (GET requests, or APIs that take everything in the query).
    None,
    /// `application/x-www-form-urlencoded`: each entry of `body` is a field
    /// whose value is a string, number or boolean.
    #[default]
    Form,
    /// `application/json`: `body` is the JSON object sent, any depth; every
    /// string in it is a template.
    Json,
}

/// `[sms]`: numbers and the way texts are sent.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SmsSettings {
    /// Where texts go: `none` (the default: SMS off), `http` (the gateway
    /// of `[sms.http]`) or `file` (`directory`, for the demo).
    pub transport: SmsTransportKind,
    /// The region whose national spellings people and the directory use
    /// (ISO 3166-1 alpha-2, `FR`): `06 12 34 56 78` is read as
    /// `+33 6 12 34 56 78` with FR. Numbers written with `+` or `00` are
    /// read as written whatever this says.
    pub default_region: String,
    /// Regions a national spelling is tried in, in order, when it is no
    /// number of `default_region`. Unset: the built-in list, which for FR is
    /// the overseas regions dialled like the mainland (RE, YT, GP, MQ, GF:
    /// `0692 12 34 56` is a Réunion mobile, per ARCEP's national plan), and
    /// empty for any other region. `[]` turns the fallback off.
    pub national_regions: Option<Vec<String>>,
    /// Accept numbers whose plan cannot tell a mobile from a fixed line
    /// (the +1 plan: United States, Canada, much of the Caribbean). On by
    /// default, or no North American mobile could be used; a code sent to
    /// a landline there is reported undeliverable by the gateway, never
    /// charged at a premium rate. Every other non-mobile type (fixed line,
    /// premium rate, shared cost, free phone, VoIP, personal, pager) is
    /// always refused.
    pub accept_fixed_line_or_mobile: bool,
    /// Country calling codes the gateway may send to (`[33, 262, 590, 594,
    /// 596]` for France and its overseas regions); empty (the default):
    /// every country. International SMS cost more, and some contracts
    /// cover one country only.
    pub allowed_country_codes: Vec<u16>,
    /// SMS segments one text may take at most (1 to 10; 3 by default): a
    /// text is refused before sending when it would be split into more
    /// (160 GSM characters fit in one SMS, 70 when a single character is
    /// outside the GSM alphabet, such as `’`, `ê` or `ç`). Operators bill
    /// each segment.
    pub max_segments: u32,
    /// Where the `file` transport writes one `.txt` file per SMS (created
    /// mode 0700 if missing; each file is mode 0600).
    pub directory: PathBuf,
    /// The HTTP gateway, for `transport = "http"`.
    pub http: HttpGatewaySettings,
}

impl Default for SmsSettings {
    fn default() -> Self {
        SmsSettings {
            transport: SmsTransportKind::None,
            default_region: "FR".into(),
            national_regions: None,
            accept_fixed_line_or_mobile: true,
            allowed_country_codes: Vec::new(),
            max_segments: 3,
            directory: PathBuf::from("outbox/sms"),
            http: HttpGatewaySettings::default(),
        }
    }
}

/// `[sms.http]`: one HTTP request per SMS, described as data. Every string
/// of `url`, `query`, `headers`, `basic_auth_*` and `body` is a template
/// with the placeholders `{number}` or `{e164}` (`+33612345678`),
/// `{e164_digits}` (`33612345678`), `{international_00}`
/// (`0033612345678`), `{national}` (`0612345678`), `{message}` and
/// `{secret:NAME}` (the content of `secret_files.NAME`); `{{` and `}}` are
/// literal braces. Each value is encoded for the place it goes (percent
/// encoding in the URL, form encoding, JSON string escaping), so no
/// message can leave its field; `{message}` is refused in the URL and a
/// header value that would hold a line break is refused at sending time.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct HttpGatewaySettings {
    /// `"GET"`, `"POST"` (the default) or `"PUT"` (lowercase accepted).
    pub method: HttpMethod,
    /// The gateway's URL. `https://`; `http://` only to a loopback address
    /// or with `allow_plain_http`. The number and secrets may appear in it,
    /// percent-encoded; `{message}` may not (put it in `query` or `body`).
    pub url: String,
    /// Query parameters added to `url`, form-encoded, in key order.
    pub query: BTreeMap<String, String>,
    /// Request headers, e.g. `Authorization = "Bearer {secret:token}"`. A
    /// value that would hold a line break is refused at sending time, so
    /// put `{message}` in the body, not here.
    pub headers: BTreeMap<String, String>,
    /// HTTP Basic authentication: the user name (a template). Basic
    /// authentication is sent when this is set.
    pub basic_auth_username: Option<String>,
    /// HTTP Basic authentication: the password, normally
    /// `"{secret:NAME}"`.
    pub basic_auth_password: Option<String>,
    /// Secrets, by the name templates use in `{secret:NAME}`: each a file
    /// readable only by the gateway, holding the secret (a trailing newline
    /// is ignored). Read once when the gateway starts; never logged.
    pub secret_files: BTreeMap<String, PathBuf>,
    /// How `body` is sent: `form` (the default), `json` or `none`.
    pub body_format: BodyFormat,
    /// The body's fields: for `form`, strings, numbers or booleans; for
    /// `json`, any JSON (tables, arrays), every string a template.
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub body: BTreeMap<String, serde_json::Value>,
    /// Lowest HTTP status that may mean success (200).
    pub success_status_min: u16,
    /// Highest HTTP status that may mean success (299).
    pub success_status_max: u16,
    /// A JSON pointer (RFC 6901, e.g. `/status`) into the answer's body
    /// that must hold one of `success_json_values` (or, when that list is
    /// empty, anything but null, false or an empty string) for the answer
    /// to be a success. For gateways that answer 200 to a refusal.
    pub success_json_pointer: Option<String>,
    /// The values at `success_json_pointer` that mean success, e.g.
    /// `[100, 101]`. A number and a string compare by their text (`100`
    /// matches `"100"`).
    pub success_json_values: Vec<serde_json::Value>,
    /// Text the answer's body must contain for a success, e.g. `OK`.
    pub success_body_contains: Option<String>,
    /// A JSON pointer to the gateway's identifier of the message in a
    /// successful answer (`/sid` for Twilio), kept in the receipt for the
    /// audit.
    pub reference_json_pointer: Option<String>,
    /// A JSON pointer to the gateway's error code in a refusal (`/code`
    /// for Twilio, `/error` for SMS-U, `/status` for OVH), added to the
    /// error for the log when it is a short code: a number of at most six
    /// digits or a name such as `InvalidParameterException`. Error texts
    /// are never copied: they may quote the number.
    pub error_code_json_pointer: Option<String>,
    /// Seconds one attempt may take, from connecting to the answer's last
    /// byte (10 by default; may be fractional).
    pub timeout_seconds: f64,
    /// Seconds connecting may take (5 by default; may be fractional; less
    /// than `timeout_seconds`). A connection not made in time is retried;
    /// a request sent and not answered in time is not.
    pub connect_timeout_seconds: f64,
    /// Attempts per SMS, the first included (1 to 10; 3 by default). Only
    /// transient failures are retried: no connection, HTTP 408, 429 or 5xx.
    /// A refusal (another 4xx, or a success status whose body does not say
    /// success) and a timeout after the request was sent (the gateway may
    /// have accepted it: a retry could send the code twice) are not.
    pub max_attempts: u32,
    /// Seconds before the first retry, doubling at each further one (0.5
    /// by default; may be fractional).
    pub retry_base_seconds: f64,
    /// Longest wait between two attempts, in seconds (5 by default). A
    /// `Retry-After` longer than this ends the attempts at once rather than
    /// keeping a person waiting.
    pub retry_max_wait_seconds: f64,
    /// A PEM file of the CA (or CAs) to trust for the gateway's certificate
    /// in addition to the system's roots: an SMS-U inside the university
    /// behind an internal CA. Unset: the system's roots only.
    pub ca_file: Option<PathBuf>,
    /// Allow an `http://` URL to a host that is not a loopback address: the
    /// code and the credentials then cross the network in clear. Off by
    /// default.
    pub allow_plain_http: bool,
}

impl Default for HttpGatewaySettings {
    fn default() -> Self {
        HttpGatewaySettings {
            method: HttpMethod::Post,
            url: String::new(),
            query: BTreeMap::new(),
            headers: BTreeMap::new(),
            basic_auth_username: None,
            basic_auth_password: None,
            secret_files: BTreeMap::new(),
            body_format: BodyFormat::Form,
            body: BTreeMap::new(),
            success_status_min: 200,
            success_status_max: 299,
            success_json_pointer: None,
            success_json_values: Vec::new(),
            success_body_contains: None,
            reference_json_pointer: None,
            error_code_json_pointer: None,
            timeout_seconds: 10.0,
            connect_timeout_seconds: 5.0,
            max_attempts: 3,
            retry_base_seconds: 0.5,
            retry_max_wait_seconds: 5.0,
            ca_file: None,
            allow_plain_http: false,
        }
    }
}

/// A value of `[sms]` that cannot be used, or a secret file that cannot be
/// read. Its text names the key; it never holds a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SmsSettingsError {
    /// A key whose value cannot be used, and what it expects.
    #[error("`sms.{key}`: {expected}")]
    Invalid {
        /// The key under `sms.`, e.g. `http.url`.
        key: String,
        /// What would be accepted.
        expected: String,
    },
    /// A file of `sms.http.secret_files` that cannot be read or is empty.
    #[error("`sms.http.secret_files.{name}`: cannot read {path}: {source}")]
    SecretFile {
        /// The secret's name.
        name: String,
        /// The file.
        path: PathBuf,
        /// Why it cannot be read.
        source: std::io::Error,
    },
    /// The outbox directory cannot be created or restricted.
    #[error("`sms.directory`: cannot prepare {path}: {source}")]
    Outbox {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

pub(crate) fn invalid(key: impl Into<String>, expected: impl Into<String>) -> SmsSettingsError {
    SmsSettingsError::Invalid {
        key: key.into(),
        expected: expected.into(),
    }
}

impl SmsSettings {
    /// The numbers the site accepts, from `default_region`,
    /// `national_regions`, `accept_fixed_line_or_mobile` and
    /// `allowed_country_codes`.
    ///
    /// # Errors
    ///
    /// A region that is no ISO 3166-1 alpha-2 code of the metadata.
    pub fn number_rules(&self) -> Result<NumberRules, SmsSettingsError> {
        let region = |key: &str, code: &str| {
            code.parse::<Region>()
                .map_err(|error| invalid(key, error.to_string()))
        };
        let mut rules = NumberRules::new(region("default_region", &self.default_region)?)
            .accept_fixed_line_or_mobile(self.accept_fixed_line_or_mobile)
            .allow_only_country_codes(&self.allowed_country_codes);
        if let Some(regions) = &self.national_regions {
            let regions = regions
                .iter()
                .map(|code| region("national_regions", code))
                .collect::<Result<Vec<_>, _>>()?;
            rules = rules.with_national_regions(&regions);
        }
        Ok(rules)
    }
}

/// The placeholders, for error messages and the configuration reference.
pub fn placeholders() -> &'static str {
    PLACEHOLDERS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_turn_sms_off_and_read_french_numbers() {
        let settings = SmsSettings::default();
        assert_eq!(settings.transport, SmsTransportKind::None);
        let rules = settings.number_rules().expect("rules");
        assert_eq!(rules.default_region().code(), "FR");
        settings.validate().expect("the defaults are valid");
    }

    #[test]
    fn unknown_keys_are_refused() {
        let error = toml::from_str::<SmsSettings>("transprt = \"http\"").expect_err("typo");
        assert!(error.to_string().contains("transprt"), "{error}");
        let error = toml::from_str::<SmsSettings>("[http]\nsecrets = {}").expect_err("typo");
        assert!(error.to_string().contains("secrets"), "{error}");
    }

    #[test]
    fn a_region_that_does_not_exist_is_named_with_its_key() {
        let settings = SmsSettings {
            default_region: "France".into(),
            ..SmsSettings::default()
        };
        let error = settings.number_rules().expect_err("not a code");
        assert!(
            error.to_string().starts_with("`sms.default_region`"),
            "{error}"
        );
        let settings = SmsSettings {
            national_regions: Some(vec!["RE".into(), "ZZ".into()]),
            ..SmsSettings::default()
        };
        let error = settings.validate().expect_err("not a code");
        assert!(
            error.to_string().starts_with("`sms.national_regions`"),
            "{error}"
        );
    }

    #[test]
    fn max_segments_is_bounded() {
        for wrong in [0, 11] {
            let settings = SmsSettings {
                max_segments: wrong,
                ..SmsSettings::default()
            };
            assert!(settings.validate().is_err(), "{wrong}");
        }
    }

    #[test]
    fn every_field_has_a_description_in_the_schema() {
        let schema = schemars::schema_for!(SmsSettings);
        let value = serde_json::to_value(&schema).expect("schema");
        let mut missing = Vec::new();
        let mut check = |properties: &serde_json::Value, owner: &str| {
            for (name, property) in properties.as_object().into_iter().flatten() {
                if property.get("description").is_none() {
                    missing.push(format!("{owner}.{name}"));
                }
            }
        };
        check(&value["properties"], "sms");
        check(
            &value["$defs"]["HttpGatewaySettings"]["properties"],
            "sms.http",
        );
        assert!(
            missing.is_empty(),
            "fields without a doc comment: {missing:?}"
        );
    }
}
