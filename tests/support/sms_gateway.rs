//! A real HTTP server on a loopback port the system chooses, standing in
//! for an SMS gateway of `docs/sms.md` (SMS-U, OVH, Twilio, a JSON
//! gateway): it records every request (method, path, query, body) and
//! answers as that gateway answers a success, so that a test reads the
//! code a phone would have received from what the gateway got on the
//! wire. The examples are read from the page itself, so the TOML a site
//! copies is the TOML these tests run; their secrets are written to
//! temporary files, as a site writes them.
#![allow(dead_code)]

use crate::app::TestApp;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use figment::providers::{Format, Toml};
use passerelle::config::Settings;
use passerelle::sms::{SmsSettings, SmsTransportKind};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request as the gateway received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: Method,
    pub path: String,
    pub query: Option<String>,
    pub body: Vec<u8>,
}

impl Received {
    fn pairs(raw: &[u8]) -> Vec<(String, String)> {
        url::form_urlencoded::parse(raw).into_owned().collect()
    }

    fn find(pairs: Vec<(String, String)>, key: &str) -> Option<String> {
        pairs.into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn query_value(&self, key: &str) -> Option<String> {
        Self::find(
            Self::pairs(self.query.as_deref().unwrap_or_default().as_bytes()),
            key,
        )
    }

    pub fn form_value(&self, key: &str) -> Option<String> {
        Self::find(Self::pairs(&self.body), key)
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }

    /// (number, text) as the gateway of `example` reads them.
    pub fn sms(&self, example: &str) -> (String, String) {
        let pick = |value: Option<String>, what: &str| {
            value.unwrap_or_else(|| panic!("no {what} in the {example} request {self:?}"))
        };
        match example {
            "smsu" => (
                pick(self.form_value("phoneNumber"), "phoneNumber"),
                pick(self.form_value("message"), "message"),
            ),
            "ovh" => (
                pick(self.query_value("to"), "to"),
                pick(self.query_value("message"), "message"),
            ),
            "twilio" => (
                pick(self.form_value("To"), "To"),
                pick(self.form_value("Body"), "Body"),
            ),
            _ => {
                let json = self.json();
                (
                    json["recipients"][0]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    json["text"].as_str().unwrap_or_default().to_owned(),
                )
            }
        }
    }
}

/// How each documented gateway answers a message it accepts.
fn success(example: &str) -> (u16, String) {
    match example {
        "smsu" => (200, r#"{"id":12,"status":"OK"}"#.into()),
        "ovh" => (
            200,
            r#"{"status":100,"creditLeft":"1987","SmsIds":["10867690"]}"#.into(),
        ),
        "twilio" => (201, r#"{"sid":"SM0123","status":"queued"}"#.into()),
        _ => (200, "{}".into()),
    }
}

#[derive(Clone)]
struct Shared {
    received: Arc<Mutex<Vec<Received>>>,
    answer: (u16, String),
}

/// The running gateway, speaking `example`'s format.
pub struct SmsGateway {
    pub example: String,
    pub base_url: String,
    received: Arc<Mutex<Vec<Received>>>,
    _secrets: Arc<tempfile::TempDir>,
    settings: SmsSettings,
}

impl SmsGateway {
    /// A gateway that accepts every message as `example` does.
    pub async fn start(example: &str) -> SmsGateway {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let address = listener.local_addr().expect("its address");
        let shared = Shared {
            received: Arc::new(Mutex::new(Vec::new())),
            answer: success(example),
        };
        let received = shared.received.clone();
        let app = axum::Router::new().fallback(handle).with_state(shared);
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        let base_url = format!("http://{address}");
        let secrets = Arc::new(tempfile::tempdir().expect("a secrets directory"));
        let mut settings = example_settings(example);
        settings.http.url = repoint(&settings.http.url, &base_url);
        for (name, path) in settings.http.secret_files.iter_mut() {
            let file = secrets.path().join(name);
            std::fs::write(&file, "a-test-secret\n").expect("a secret file");
            *path = file;
        }
        settings.http.retry_base_seconds = 0.01;
        SmsGateway {
            example: example.to_owned(),
            base_url,
            received,
            _secrets: secrets,
            settings,
        }
    }

    /// Points a gateway's `[sms]` at this receiver.
    pub fn configure(&self, settings: &mut Settings) {
        settings.sms = self.settings.clone();
        settings.sms.transport = SmsTransportKind::Http;
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("not poisoned").clone()
    }

    /// Every (number, text) received so far.
    pub fn texts(&self) -> Vec<(String, String)> {
        self.received()
            .iter()
            .map(|r| r.sms(&self.example))
            .collect()
    }

    /// Waits (polling, at most `timeout`) for `n` texts in all.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<(String, String)> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let texts = self.texts();
            if texts.len() >= n {
                return texts;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{n} SMS never came to the {} gateway: {texts:?}",
                self.example
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The 6-digit code of the last text to `number` (as this gateway
    /// spells numbers), waiting for it.
    pub async fn code_for(&self, number: &str, timeout: Duration) -> String {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(code) = self
                .texts()
                .iter()
                .rev()
                .filter(|(to, _)| to == number)
                .find_map(|(_, text)| code_in(text))
            {
                return code;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no code to {number}: {:?}",
                self.texts()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// The six digits of a text.
pub fn code_in(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|word| word.len() == 6)
        .map(str::to_owned)
}

async fn handle(State(shared): State<Shared>, method: Method, uri: Uri, body: Bytes) -> Response {
    shared
        .received
        .lock()
        .expect("not poisoned")
        .push(Received {
            method,
            path: uri.path().to_owned(),
            query: uri.query().map(str::to_owned),
            body: body.to_vec(),
        });
    let (status, body) = shared.answer.clone();
    (
        StatusCode::from_u16(status).expect("a status"),
        [("content-type", "application/json")],
        body,
    )
        .into_response()
}

const PAGE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/sms.md");

/// The `[sms]` of the example `name` of docs/sms.md, as a site's file
/// gives it.
pub fn example_settings(name: &str) -> SmsSettings {
    let page = std::fs::read_to_string(PAGE).expect("docs/sms.md");
    let marker = format!("<!-- example: {name} -->");
    let block = page
        .split_once(&marker)
        .unwrap_or_else(|| panic!("no {marker}"))
        .1
        .trim_start()
        .strip_prefix("```toml\n")
        .expect("a toml block")
        .split_once("\n```")
        .expect("its end")
        .0
        .to_owned();
    figment::Figment::from(Toml::string(&block))
        .extract_inner::<SmsSettings>("sms")
        .unwrap_or_else(|error| panic!("example {name}: {error}"))
}

/// `https://host/path` → `<base_url>/path`.
fn repoint(url: &str, base_url: &str) -> String {
    let after_scheme = url.split_once("://").expect("an absolute URL").1;
    let path = &after_scheme[after_scheme.find('/').unwrap_or(after_scheme.len())..];
    format!("{base_url}{path}")
}

/// How the gateway of `example` spells the number a directory holds as
/// `e164` (`+33612345678`).
pub fn spelled(example: &str, e164: &str) -> String {
    match example {
        "ovh" => format!("00{}", e164.trim_start_matches('+')),
        _ => e164.to_owned(),
    }
}

/// Gives the person at `dn` the mobile `value`, as stored.
pub fn set_mobile(app: &TestApp, dn: &str, value: &str) {
    app.slapd
        .lock()
        .expect("slapd")
        .modify_ldif(&format!(
            "dn: {dn}\nchangetype: modify\nreplace: mobile\nmobile: {value}\n"
        ))
        .expect("set the mobile");
}

/// The values the directory holds for `attribute` of `dn` (as the rootdn).
pub fn values(app: &TestApp, dn: &str, attribute: &str) -> Vec<String> {
    app.admin_view(dn, &[attribute])
        .into_iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(attribute))
        .map(|(_, v)| v)
        .unwrap_or_default()
}
