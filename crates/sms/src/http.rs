//! The generic HTTP sender: one request per SMS, built from
//! [`HttpGatewaySettings`] (method, URL, query, headers, Basic
//! authentication, a form or JSON body), with a site-defined notion of
//! success, a timeout per attempt, and bounded retries with doubling waits
//! for the failures that may pass (no connection, HTTP 408, 429, 5xx) and
//! never for a refusal. Everything that can be checked is checked when the
//! sender is built, so a misconfigured gateway stops the start-up instead
//! of the first reset. Nothing it logs or returns holds the number, the
//! text, a secret or the gateway's answer (which may quote them).

use crate::number::MobileNumber;
use crate::outcome::{SmsError, SmsReceipt};
use crate::settings::{invalid, BodyFormat, HttpGatewaySettings, HttpMethod, SmsSettingsError};
use crate::template::{JsonTemplate, Secrets, Template, TemplateError, Values};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER,
};
use secrecy::SecretString;
use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;
use std::ops::RangeInclusive;
use std::sync::Arc;
use std::time::Duration;

/// The most of a gateway's answer that is read: enough for any JSON
/// receipt, and a hostile or broken gateway cannot fill the memory.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// The longest gateway reference kept in a receipt.
const MAX_REFERENCE_CHARS: usize = 128;

/// Characters left as they are when a value is put into the URL: RFC
/// 3986's unreserved set. Everything else, `/`, `?`, `#` and `&` included,
/// is percent-encoded, so a value stays one path segment or one query
/// value.
const URL_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Sends each SMS as one HTTP request to a gateway. Cheap to clone.
#[derive(Clone)]
pub struct HttpSender {
    inner: Arc<Inner>,
}

struct Inner {
    client: reqwest::Client,
    request: RequestTemplate,
    secrets: Secrets,
    success: SuccessRule,
    reference_pointer: Option<String>,
    error_code_pointer: Option<String>,
    timeout: Duration,
    max_attempts: u32,
    retry_base: Duration,
    retry_max_wait: Duration,
    described: String,
}

/// The request of [`HttpGatewaySettings`], parsed.
struct RequestTemplate {
    method: reqwest::Method,
    url: Template,
    query: Vec<(String, Template)>,
    headers: Vec<(HeaderName, Template)>,
    basic_auth: Option<(Template, Option<Template>)>,
    body: BodyTemplate,
}

enum BodyTemplate {
    None,
    Form(Vec<(String, Template)>),
    Json(JsonTemplate),
}

struct SuccessRule {
    status: RangeInclusive<u16>,
    json_pointer: Option<String>,
    json_values: Vec<serde_json::Value>,
    body_contains: Option<String>,
}

/// A request ready to be sent, once per attempt.
struct Prepared {
    url: url::Url,
    headers: HeaderMap,
    basic_auth: Option<(String, Option<String>)>,
    body: Option<Vec<u8>>,
}

/// What one attempt came to.
enum Outcome {
    Accepted {
        status: u16,
        reference: Option<String>,
    },
    /// Worth another attempt.
    Transient {
        last: String,
        retry_after: Option<Duration>,
    },
    /// Final, whatever attempts are left.
    Final(SmsError),
}

impl fmt::Debug for HttpSender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("HttpSender")
            .field(&self.inner.described)
            .finish()
    }
}

impl HttpSender {
    /// A sender for `settings`: reads every file of `secret_files`, parses
    /// every template, builds the HTTP client (rustls, no redirects
    /// followed: a redirected POST would lose its body, and credentials
    /// must not follow it to another host).
    ///
    /// # Errors
    ///
    /// The first setting that cannot be used (named by its key), or a
    /// secret file that cannot be read or is empty.
    pub fn from_settings(settings: &HttpGatewaySettings) -> Result<HttpSender, SmsSettingsError> {
        let secrets = read_secrets(&settings.secret_files)?;
        let (request, success) = compile(settings, &secrets)?;
        let mut client = reqwest::Client::builder()
            .connect_timeout(seconds(settings.connect_timeout_seconds))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("passerelle-sms/", env!("CARGO_PKG_VERSION")));
        if let Some(ca_file) = &settings.ca_file {
            let pem = std::fs::read(ca_file).map_err(|error| {
                invalid(
                    "http.ca_file",
                    format!("a readable PEM file ({}: {error})", ca_file.display()),
                )
            })?;
            let certificates = reqwest::Certificate::from_pem_bundle(&pem)
                .ok()
                .filter(|certificates| !certificates.is_empty())
                .ok_or_else(|| {
                    invalid(
                        "http.ca_file",
                        format!("PEM certificates ({} holds none)", ca_file.display()),
                    )
                })?;
            for certificate in certificates {
                client = client.add_root_certificate(certificate);
            }
        }
        let client = client
            .build()
            .map_err(|error| invalid("http", format!("cannot build the HTTP client: {error}")))?;
        Ok(HttpSender {
            inner: Arc::new(Inner {
                client,
                request,
                secrets,
                success,
                reference_pointer: settings.reference_json_pointer.clone(),
                error_code_pointer: settings.error_code_json_pointer.clone(),
                timeout: seconds(settings.timeout_seconds),
                max_attempts: settings.max_attempts,
                retry_base: seconds(settings.retry_base_seconds),
                retry_max_wait: seconds(settings.retry_max_wait_seconds),
                described: describe(settings),
            }),
        })
    }

    /// Checks `settings` without reading the secret files (their names are
    /// enough for the templates).
    pub(crate) fn check_settings(settings: &HttpGatewaySettings) -> Result<(), SmsSettingsError> {
        let names = settings
            .secret_files
            .keys()
            .map(|name| (name.clone(), SecretString::from(String::new())))
            .collect();
        compile(settings, &Secrets::new(names)).map(|_| ())
    }

    /// `POST https://host/path`: the method and the URL without its query
    /// or credentials.
    pub fn describe(&self) -> &str {
        &self.inner.described
    }

    /// The longest [`send`](crate::SmsSender::send) can take: every
    /// attempt's timeout, and the longest wait between each two.
    pub fn max_duration(&self) -> Duration {
        let attempts = self.inner.max_attempts;
        self.inner.timeout * attempts + self.inner.retry_max_wait * attempts.saturating_sub(1)
    }

    pub(crate) async fn send(&self, to: &MobileNumber, text: &str) -> Result<SmsReceipt, SmsError> {
        let inner = &self.inner;
        let prepared = inner.prepare(&Values {
            number: to,
            message: text,
            secrets: &inner.secrets,
        })?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            match inner.attempt(&prepared, attempt).await {
                Outcome::Accepted { status, reference } => {
                    tracing::debug!(status, attempt, "SMS accepted by the gateway");
                    return Ok(SmsReceipt::Accepted {
                        status,
                        attempts: attempt,
                        reference,
                    });
                }
                // The caller logs the outcome once, with its own context;
                // only the retries, which it cannot see, are logged here.
                Outcome::Final(error) => {
                    tracing::debug!(attempt, error = %error, "SMS not sent");
                    return Err(error);
                }
                Outcome::Transient { last, retry_after } => {
                    if attempt >= inner.max_attempts {
                        tracing::debug!(attempt, failure = %last, "SMS gateway unavailable, SMS given up");
                        return Err(SmsError::Unavailable {
                            attempts: attempt,
                            last,
                        });
                    }
                    let backoff = inner
                        .retry_base
                        .saturating_mul(1 << (attempt - 1).min(16))
                        .min(inner.retry_max_wait);
                    let wait = match retry_after {
                        Some(asked) if asked > inner.retry_max_wait => {
                            tracing::debug!(
                                attempt,
                                failure = %last,
                                retry_after_seconds = asked.as_secs(),
                                "SMS gateway asks for a longer wait than sms.http.retry_max_wait_seconds, SMS given up"
                            );
                            return Err(SmsError::Unavailable {
                                attempts: attempt,
                                last: format!("{last}, Retry-After {} s", asked.as_secs()),
                            });
                        }
                        Some(asked) => asked.max(backoff),
                        None => backoff,
                    };
                    tracing::warn!(
                        attempt,
                        failure = %last,
                        wait_ms = wait.as_millis() as u64,
                        "SMS gateway failed, trying again"
                    );
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }
}

impl Inner {
    fn prepare(&self, values: &Values<'_>) -> Result<Prepared, SmsError> {
        let request = &self.request;
        let url_text = request.url.render_with(values, |value| {
            utf8_percent_encode(value, URL_VALUE).to_string()
        });
        let mut url = url::Url::parse(&url_text)
            .map_err(|error| SmsError::Request(format!("the URL is not valid: {error}")))?;
        if !request.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (key, template) in &request.query {
                pairs.append_pair(key, &template.render(values));
            }
        }
        let mut headers = HeaderMap::new();
        for (name, template) in &request.headers {
            let mut value = HeaderValue::from_str(&template.render(values)).map_err(|_| {
                SmsError::Request(format!(
                    "header `{name}` would hold a line break or another control character"
                ))
            })?;
            if template.mentions_secret() || name == AUTHORIZATION {
                value.set_sensitive(true);
            }
            headers.insert(name.clone(), value);
        }
        let basic_auth = request.basic_auth.as_ref().map(|(user, password)| {
            (
                user.render(values),
                password.as_ref().map(|password| password.render(values)),
            )
        });
        let body = match &request.body {
            BodyTemplate::None => None,
            BodyTemplate::Form(fields) => {
                let mut form = form_urlencoded::Serializer::new(String::new());
                for (key, template) in fields {
                    form.append_pair(key, &template.render(values));
                }
                set_default_content_type(&mut headers, "application/x-www-form-urlencoded");
                Some(form.finish().into_bytes())
            }
            BodyTemplate::Json(template) => {
                set_default_content_type(&mut headers, "application/json");
                let body = serde_json::to_vec(&template.render(values)).map_err(|error| {
                    SmsError::Request(format!("the JSON body cannot be written: {error}"))
                })?;
                Some(body)
            }
        };
        Ok(Prepared {
            url,
            headers,
            basic_auth,
            body,
        })
    }

    async fn attempt(&self, prepared: &Prepared, attempt: u32) -> Outcome {
        let mut request = self
            .client
            .request(self.request.method.clone(), prepared.url.clone())
            .headers(prepared.headers.clone())
            .timeout(self.timeout);
        if let Some((user, password)) = &prepared.basic_auth {
            request = request.basic_auth(user, password.as_ref());
        }
        if let Some(body) = &prepared.body {
            request = request.body(body.clone());
        }
        let response = match request.send().await {
            Ok(response) => response,
            Err(error) => return self.failed(&error, attempt),
        };
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let answer = match read_limited(response).await {
            Ok(answer) => answer,
            Err(error) => return self.failed(&error, attempt),
        };
        if self.success.status.contains(&status) {
            let json: Option<serde_json::Value> = serde_json::from_slice(&answer).ok();
            if !self.success.confirmed(&answer, json.as_ref()) {
                return Outcome::Final(SmsError::NotConfirmed {
                    status,
                    gateway_code: self.gateway_code(json.as_ref()),
                });
            }
            let reference = self
                .reference_pointer
                .as_deref()
                .and_then(|pointer| json.as_ref()?.pointer(pointer))
                .and_then(reference_text);
            return Outcome::Accepted { status, reference };
        }
        if status == 408 || status == 429 || (500..=599).contains(&status) {
            return Outcome::Transient {
                last: format!("HTTP {status}"),
                retry_after,
            };
        }
        let json: Option<serde_json::Value> = serde_json::from_slice(&answer).ok();
        Outcome::Final(SmsError::Refused {
            status,
            gateway_code: self.gateway_code(json.as_ref()),
        })
    }

    /// A request that got no whole answer.
    fn failed(&self, error: &reqwest::Error, attempt: u32) -> Outcome {
        if error.is_timeout() && !error.is_connect() {
            return Outcome::Final(SmsError::Timeout {
                after: self.timeout,
                attempts: attempt,
            });
        }
        // Connection refused, reset, DNS, TLS: nothing was accepted, or
        // (a connection cut after the request) nothing can be known, and
        // the code reaching the person matters more than a duplicate.
        Outcome::Transient {
            last: describe_error(error),
            retry_after: None,
        }
    }

    fn gateway_code(&self, json: Option<&serde_json::Value>) -> Option<String> {
        let found = json?.pointer(self.error_code_pointer.as_deref()?)?;
        gateway_code_text(found)
    }
}

impl SuccessRule {
    fn confirmed(&self, answer: &[u8], json: Option<&serde_json::Value>) -> bool {
        if let Some(needle) = &self.body_contains {
            if !String::from_utf8_lossy(answer).contains(needle.as_str()) {
                return false;
            }
        }
        let Some(pointer) = &self.json_pointer else {
            return true;
        };
        let Some(found) = json.and_then(|json| json.pointer(pointer)) else {
            return false;
        };
        if self.json_values.is_empty() {
            !matches!(
                found,
                serde_json::Value::Null | serde_json::Value::Bool(false)
            ) && found.as_str() != Some("")
        } else {
            self.json_values
                .iter()
                .any(|wanted| same_json(found, wanted))
        }
    }
}

/// Equal JSON, or scalars with the same text (`100` and `"100"`): gateways
/// are not consistent about quoting their status codes.
fn same_json(found: &serde_json::Value, wanted: &serde_json::Value) -> bool {
    fn scalar_text(value: &serde_json::Value) -> Option<String> {
        match value {
            serde_json::Value::String(text) => Some(text.clone()),
            serde_json::Value::Number(number) => Some(number.to_string()),
            serde_json::Value::Bool(flag) => Some(flag.to_string()),
            _ => None,
        }
    }
    found == wanted || scalar_text(found).is_some_and(|text| Some(text) == scalar_text(wanted))
}

/// A gateway's reference for the receipt: a string or a number, printable
/// ASCII only, at most [`MAX_REFERENCE_CHARS`].
fn reference_text(value: &serde_json::Value) -> Option<String> {
    let text = match value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Number(number) => number.to_string(),
        _ => return None,
    };
    let text: String = text
        .chars()
        .filter(|c| c.is_ascii_graphic())
        .take(MAX_REFERENCE_CHARS)
        .collect();
    (!text.is_empty()).then_some(text)
}

/// A gateway's error code, fit for a log line: a number of at most six
/// digits (longer runs of digits may be a phone number) or a name of
/// letters, digits, `_`, `.` and `-` of at most 64 characters (an exception
/// class, `InvalidParameterException`). Anything else, a sentence that may
/// quote the number, is dropped.
fn gateway_code_text(value: &serde_json::Value) -> Option<String> {
    let text = match value {
        serde_json::Value::Number(number) => number.to_string(),
        serde_json::Value::String(text) => text.clone(),
        _ => return None,
    };
    let all_digits = text.chars().all(|c| c.is_ascii_digit());
    let name_like = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
    let fits = if all_digits {
        text.len() <= 6
    } else {
        text.len() <= 64
    };
    (!text.is_empty() && name_like && fits).then_some(text)
}

fn set_default_content_type(headers: &mut HeaderMap, content_type: &'static str) {
    if !headers.contains_key(CONTENT_TYPE) {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
}

/// The answer's first [`MAX_ANSWER_BYTES`] bytes.
async fn read_limited(mut response: reqwest::Response) -> Result<Vec<u8>, reqwest::Error> {
    let mut answer = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = MAX_ANSWER_BYTES - answer.len();
        answer.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if answer.len() == MAX_ANSWER_BYTES {
            break;
        }
    }
    Ok(answer)
}

/// A reqwest error as a short cause, without the URL (whose query may
/// hold credentials, as OVH's http2sms does).
fn describe_error(error: &reqwest::Error) -> String {
    let kind = if error.is_connect() {
        "cannot connect"
    } else if error.is_body() || error.is_decode() {
        "the answer was cut off"
    } else {
        "the request failed"
    };
    let mut cause: &dyn std::error::Error = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    let cause = cause.to_string();
    if cause.is_empty() || cause.contains("://") {
        kind.to_owned()
    } else {
        format!("{kind}: {cause}")
    }
}

fn seconds(value: f64) -> Duration {
    Duration::try_from_secs_f64(value).unwrap_or(Duration::ZERO)
}

fn describe(settings: &HttpGatewaySettings) -> String {
    let method = method_of(settings.method);
    let url = settings.url.split(['?', '#']).next().unwrap_or_default();
    // Credentials written into the URL (`https://user:password@host/`)
    // are left out as well.
    let url = match url.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            let host = authority.rsplit('@').next().unwrap_or(authority);
            format!("{scheme}://{host}{path}")
        }
        None => url.to_owned(),
    };
    format!("{method} {url}")
}

fn method_of(method: HttpMethod) -> reqwest::Method {
    match method {
        HttpMethod::Get => reqwest::Method::GET,
        HttpMethod::Post => reqwest::Method::POST,
        HttpMethod::Put => reqwest::Method::PUT,
    }
}

fn read_secrets(files: &BTreeMap<String, std::path::PathBuf>) -> Result<Secrets, SmsSettingsError> {
    let mut secrets = BTreeMap::new();
    for (name, path) in files {
        let secret_error = |source| SmsSettingsError::SecretFile {
            name: name.clone(),
            path: path.clone(),
            source,
        };
        let text = std::fs::read_to_string(path).map_err(secret_error)?;
        // Files written by `echo` or an editor end with a newline that is
        // not part of the secret.
        let value = text.trim_end_matches(['\n', '\r']);
        if value.is_empty() {
            return Err(secret_error(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "the file is empty",
            )));
        }
        secrets.insert(name.clone(), SecretString::from(value.to_owned()));
    }
    Ok(Secrets::new(secrets))
}

/// Parses and checks every part of `settings`.
fn compile(
    settings: &HttpGatewaySettings,
    secrets: &Secrets,
) -> Result<(RequestTemplate, SuccessRule), SmsSettingsError> {
    for name in settings.secret_files.keys() {
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(invalid(
                format!("http.secret_files.{name}"),
                "a name of letters, digits, `_` and `-`, as written in `{secret:NAME}`",
            ));
        }
    }
    let template = |key: &str, source: &str| {
        Template::parse(source, secrets)
            .map_err(|error: TemplateError| invalid(key, error.to_string()))
    };

    if settings.url.trim().is_empty() {
        return Err(invalid(
            "http.url",
            "the gateway's URL, e.g. https://api.example.com/sms",
        ));
    }
    let url = template("http.url", &settings.url)?;
    if url.mentions_message() {
        // No encoding keeps a text of `.` or `..` from being read as a dot
        // segment of the path (URL parsers decode `%2E` for that).
        return Err(invalid(
            "http.url",
            "no `{message}`: put the text in `query` or `body`",
        ));
    }
    check_url(settings)?;

    let query = settings
        .query
        .iter()
        .map(|(key, source)| Ok((key.clone(), template(&format!("http.query.{key}"), source)?)))
        .collect::<Result<Vec<_>, SmsSettingsError>>()?;

    let headers = settings
        .headers
        .iter()
        .map(|(name, source)| {
            let key = format!("http.headers.{name}");
            let header = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| invalid(&key, "a valid HTTP header name"))?;
            Ok((header, template(&key, source)?))
        })
        .collect::<Result<Vec<_>, SmsSettingsError>>()?;

    let basic_auth = match (&settings.basic_auth_username, &settings.basic_auth_password) {
        (Some(user), password) => Some((
            template("http.basic_auth_username", user)?,
            password
                .as_deref()
                .map(|password| template("http.basic_auth_password", password))
                .transpose()?,
        )),
        (None, Some(_)) => {
            return Err(invalid(
                "http.basic_auth_password",
                "set together with `basic_auth_username`",
            ))
        }
        (None, None) => None,
    };
    if basic_auth.is_some()
        && settings
            .headers
            .keys()
            .any(|name| name.eq_ignore_ascii_case("authorization"))
    {
        return Err(invalid(
            "http.headers.Authorization",
            "either an Authorization header or `basic_auth_username`, not both",
        ));
    }

    let body = match settings.body_format {
        BodyFormat::None if settings.body.is_empty() => BodyTemplate::None,
        BodyFormat::None => {
            return Err(invalid(
                "http.body",
                "empty when `body_format = \"none\"` (or choose `form` or `json`)",
            ))
        }
        _ if settings.method == HttpMethod::Get && !settings.body.is_empty() => {
            return Err(invalid(
                "http.body",
                "empty for a GET request: put the fields in `query`",
            ))
        }
        _ if settings.method == HttpMethod::Get => BodyTemplate::None,
        BodyFormat::Form => BodyTemplate::Form(
            settings
                .body
                .iter()
                .map(|(key, value)| {
                    let field = format!("http.body.{key}");
                    let source = match value {
                        serde_json::Value::String(text) => text.clone(),
                        serde_json::Value::Number(number) => number.to_string(),
                        serde_json::Value::Bool(flag) => flag.to_string(),
                        _ => {
                            return Err(invalid(
                                field,
                                "a string, number or boolean: a form field holds one value",
                            ))
                        }
                    };
                    Ok((key.clone(), template(&field, &source)?))
                })
                .collect::<Result<Vec<_>, SmsSettingsError>>()?,
        ),
        BodyFormat::Json => {
            let object = serde_json::Value::Object(
                settings
                    .body
                    .iter()
                    .map(|(key, value)| (key.clone(), value.clone()))
                    .collect(),
            );
            BodyTemplate::Json(
                JsonTemplate::parse(&object, secrets)
                    .map_err(|error| invalid("http.body", error.to_string()))?,
            )
        }
    };

    let request = RequestTemplate {
        method: method_of(settings.method),
        url,
        query,
        headers,
        basic_auth,
        body,
    };
    let templates = request.templates();
    if !templates.iter().any(|template| template.mentions_message()) {
        return Err(invalid(
            "http",
            "`{message}` in the query, a header or the body: the request would not carry the text",
        ));
    }
    if !templates.iter().any(|template| template.mentions_number()) {
        return Err(invalid(
            "http",
            "a number placeholder ({number}, {e164}, {e164_digits}, {international_00} or {national}) \
             in the URL, the query, a header or the body",
        ));
    }

    let (min, max) = (settings.success_status_min, settings.success_status_max);
    if !(100..=499).contains(&min) || !(100..=499).contains(&max) || min > max {
        return Err(invalid(
            "http.success_status_min",
            "success_status_min ≤ success_status_max, both from 100 to 499 (5xx always means a failure)",
        ));
    }
    for (key, pointer) in [
        ("http.success_json_pointer", &settings.success_json_pointer),
        (
            "http.reference_json_pointer",
            &settings.reference_json_pointer,
        ),
        (
            "http.error_code_json_pointer",
            &settings.error_code_json_pointer,
        ),
    ] {
        if let Some(pointer) = pointer {
            if !pointer.is_empty() && !pointer.starts_with('/') {
                return Err(invalid(key, "a JSON pointer (RFC 6901) such as `/status`"));
            }
        }
    }
    if !settings.success_json_values.is_empty() && settings.success_json_pointer.is_none() {
        return Err(invalid(
            "http.success_json_values",
            "set together with `success_json_pointer`",
        ));
    }
    check_timing(settings)?;
    let success = SuccessRule {
        status: min..=max,
        json_pointer: settings.success_json_pointer.clone(),
        json_values: settings.success_json_values.clone(),
        body_contains: settings.success_body_contains.clone(),
    };
    Ok((request, success))
}

impl RequestTemplate {
    fn templates(&self) -> Vec<&Template> {
        let mut templates = vec![&self.url];
        templates.extend(self.query.iter().map(|(_, template)| template));
        templates.extend(self.headers.iter().map(|(_, template)| template));
        if let Some((user, password)) = &self.basic_auth {
            templates.push(user);
            templates.extend(password);
        }
        match &self.body {
            BodyTemplate::None => {}
            BodyTemplate::Form(fields) => {
                templates.extend(fields.iter().map(|(_, template)| template))
            }
            BodyTemplate::Json(json) => templates.extend(json.templates()),
        }
        templates
    }
}

/// The URL must be https, or http to this machine, unless the site says
/// otherwise. Placeholders are replaced by a letter to read the rest.
fn check_url(settings: &HttpGatewaySettings) -> Result<(), SmsSettingsError> {
    let mut sample = String::new();
    let mut in_placeholder = false;
    for c in settings.url.replace("{{", "").replace("}}", "").chars() {
        match c {
            '{' => in_placeholder = true,
            '}' => {
                in_placeholder = false;
                sample.push('x');
            }
            c if !in_placeholder => sample.push(c),
            _ => {}
        }
    }
    let url = url::Url::parse(&sample)
        .map_err(|error| invalid("http.url", format!("a valid URL ({error})")))?;
    match url.scheme() {
        "https" => Ok(()),
        "http" if settings.allow_plain_http || is_loopback(&url) => Ok(()),
        "http" => Err(invalid(
            "http.url",
            "an https:// URL: over http the code and the credentials would cross the network in \
             clear (set `allow_plain_http = true` to accept that)",
        )),
        _ => Err(invalid("http.url", "an https:// URL")),
    }
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(address)) => IpAddr::V4(address).is_loopback(),
        Some(url::Host::Ipv6(address)) => IpAddr::V6(address).is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

fn check_timing(settings: &HttpGatewaySettings) -> Result<(), SmsSettingsError> {
    let in_range = |value: f64, low: f64, high: f64, low_included: bool| {
        value.is_finite() && value <= high && (value > low || (low_included && value == low))
    };
    if !in_range(settings.timeout_seconds, 0.0, 120.0, false) {
        return Err(invalid(
            "http.timeout_seconds",
            "seconds, more than 0 and at most 120",
        ));
    }
    // Shorter than the whole attempt, so that a connection that cannot be
    // made is told from a gateway that received the request and stalls:
    // only the first is retried.
    if !in_range(settings.connect_timeout_seconds, 0.0, 60.0, false)
        || settings.connect_timeout_seconds >= settings.timeout_seconds
    {
        return Err(invalid(
            "http.connect_timeout_seconds",
            "seconds, more than 0, at most 60 and less than `timeout_seconds`",
        ));
    }
    if !(1..=10).contains(&settings.max_attempts) {
        return Err(invalid("http.max_attempts", "from 1 to 10 attempts"));
    }
    if !in_range(settings.retry_base_seconds, 0.0, 60.0, true) {
        return Err(invalid("http.retry_base_seconds", "seconds, from 0 to 60"));
    }
    if !in_range(settings.retry_max_wait_seconds, 0.0, 60.0, true) {
        return Err(invalid(
            "http.retry_max_wait_seconds",
            "seconds, from 0 to 60",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn settings() -> HttpGatewaySettings {
        HttpGatewaySettings {
            url: "https://sms.example.org/send".into(),
            body: BTreeMap::from([
                ("to".into(), json!("{e164}")),
                ("text".into(), json!("{message}")),
            ]),
            ..HttpGatewaySettings::default()
        }
    }

    fn refused(settings: HttpGatewaySettings) -> String {
        HttpSender::check_settings(&settings)
            .expect_err("refused")
            .to_string()
    }

    #[test]
    fn a_minimal_gateway_is_accepted_and_described_without_its_query() {
        HttpSender::check_settings(&settings()).expect("valid");
        let mut with_query = settings();
        with_query.url = "https://user:pw@sms.example.org/send?key=abc#x".into();
        assert_eq!(describe(&with_query), "POST https://sms.example.org/send");
    }

    #[test]
    fn one_send_lasts_at_most_forty_seconds_with_the_defaults() {
        let sender = HttpSender::from_settings(&settings()).expect("a sender");
        assert_eq!(sender.max_duration(), Duration::from_secs(40));
    }

    #[test]
    fn plain_http_is_refused_except_to_this_machine_or_when_allowed() {
        let mut plain = settings();
        plain.url = "http://sms.example.org/send".into();
        assert!(refused(plain.clone()).contains("https://"));
        plain.allow_plain_http = true;
        HttpSender::check_settings(&plain).expect("allowed");
        for local in [
            "http://127.0.0.1:9/send",
            "http://[::1]:9/send",
            "http://localhost/x",
        ] {
            let mut loopback = settings();
            loopback.url = local.into();
            HttpSender::check_settings(&loopback).expect(local);
        }
    }

    #[test]
    fn a_request_without_the_message_or_the_number_is_refused() {
        let mut no_message = settings();
        no_message.body.remove("text");
        assert!(refused(no_message).contains("{message}"));
        let mut no_number = settings();
        no_number.body.remove("to");
        assert!(refused(no_number).contains("{number}"));
    }

    #[test]
    fn mistakes_are_named_by_their_key() {
        let mut typo = settings();
        typo.body.insert("to".into(), json!("{numbr}"));
        assert!(refused(typo).starts_with("`sms.http.body.to`"));

        let mut missing_secret = settings();
        missing_secret
            .headers
            .insert("Authorization".into(), "Bearer {secret:token}".into());
        assert!(refused(missing_secret).contains("secret_files"));

        let mut bad_header = settings();
        bad_header.headers.insert("Bad Header".into(), "x".into());
        assert!(refused(bad_header).starts_with("`sms.http.headers.Bad Header`"));

        let mut nested_form = settings();
        nested_form.body.insert("to".into(), json!(["{e164}"]));
        assert!(refused(nested_form).contains("one value"));

        let mut get_with_body = settings();
        get_with_body.method = HttpMethod::Get;
        assert!(refused(get_with_body).contains("query"));

        let mut both_auths = settings();
        both_auths.basic_auth_username = Some("user".into());
        both_auths
            .headers
            .insert("authorization".into(), "Basic x".into());
        assert!(refused(both_auths).contains("not both"));

        let mut password_alone = settings();
        password_alone.basic_auth_password = Some("x".into());
        assert!(refused(password_alone).contains("basic_auth_username"));

        let mut upside_down = settings();
        upside_down.success_status_min = 300;
        upside_down.success_status_max = 200;
        assert!(refused(upside_down).contains("success_status_min"));

        let mut five_hundred = settings();
        five_hundred.success_status_max = 503;
        assert!(refused(five_hundred).contains("5xx"));

        let mut pointer = settings();
        pointer.success_json_pointer = Some("status".into());
        assert!(refused(pointer).contains("RFC 6901"));

        let mut values_alone = settings();
        values_alone.success_json_values = vec![json!(100)];
        assert!(refused(values_alone).contains("success_json_pointer"));

        let mut secret_name = settings();
        secret_name
            .secret_files
            .insert("a:b".into(), "/nonexistent".into());
        assert!(refused(secret_name).contains("secret_files"));
    }

    #[test]
    fn timings_are_bounded() {
        for change in [
            |s: &mut HttpGatewaySettings| s.timeout_seconds = 0.0,
            |s: &mut HttpGatewaySettings| s.timeout_seconds = f64::NAN,
            |s: &mut HttpGatewaySettings| s.connect_timeout_seconds = 600.0,
            |s: &mut HttpGatewaySettings| s.connect_timeout_seconds = s.timeout_seconds,
            |s: &mut HttpGatewaySettings| s.max_attempts = 0,
            |s: &mut HttpGatewaySettings| s.max_attempts = 11,
            |s: &mut HttpGatewaySettings| s.retry_base_seconds = -1.0,
            |s: &mut HttpGatewaySettings| s.retry_max_wait_seconds = 61.0,
        ] {
            let mut wrong = settings();
            change(&mut wrong);
            assert!(HttpSender::check_settings(&wrong).is_err(), "{wrong:?}");
        }
    }

    #[test]
    fn json_values_match_across_quoting() {
        assert!(same_json(&json!(100), &json!("100")));
        assert!(same_json(&json!("OK"), &json!("OK")));
        assert!(!same_json(&json!(201), &json!(100)));
        assert!(!same_json(&json!({"a": 1}), &json!("{\"a\":1}")));
    }

    #[test]
    fn only_short_codes_reach_an_error_message() {
        assert_eq!(gateway_code_text(&json!(21211)), Some("21211".into()));
        assert_eq!(
            gateway_code_text(&json!("InvalidParameterException")),
            Some("InvalidParameterException".into())
        );
        assert_eq!(gateway_code_text(&json!("33612345678")), None);
        assert_eq!(
            gateway_code_text(&json!("invalid phoneNumber +33612345678")),
            None
        );
        assert_eq!(gateway_code_text(&json!({"code": 1})), None);
    }

    #[test]
    fn references_are_printable_and_bounded() {
        assert_eq!(reference_text(&json!("SM123")), Some("SM123".into()));
        assert_eq!(reference_text(&json!(42)), Some("42".into()));
        assert_eq!(reference_text(&json!("a\nb")), Some("ab".into()));
        assert_eq!(
            reference_text(&json!("x".repeat(500))).map(|text| text.len()),
            Some(MAX_REFERENCE_CHARS)
        );
        assert_eq!(reference_text(&json!(null)), None);
    }
}
