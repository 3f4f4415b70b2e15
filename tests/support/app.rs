//! `spawn_app()`: the real gateway on a free port, in front of a real
//! throwaway slapd and a real SMTP sink, with an HTTP client that keeps
//! cookies and does not follow redirects, and one method per endpoint.
//! People are added per test with unique identifiers, their secret answer
//! hashed by the gateway's own `AnswerHasher`.
//!
//! Include with `#[path = "support/smtp.rs"] mod smtp;` and
//! `#[path = "support/app.rs"] mod app;`.
#![allow(dead_code)]

use crate::smtp::SmtpSink;
use passerelle::config::{ResolvedSecrets, Settings};
use passerelle::directory::{BindProof, Directory};
use passerelle::mail::{MailSettings, MailTransportKind, SmtpSecurity};
use passerelle::secret_answer::AnswerHasher;
use passerelle::slapd::{
    person_ldif, People, Slapd, TestPerson, PEOPLE_DN, SERVICE_DN, SERVICE_PASSWORD,
};
use passerelle::web::{Application, RateLimitSettings};
use reqwest::cookie::{CookieStore, Jar};
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::StatusCode;
use secrecy::SecretString;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::task::JoinHandle;

pub const COOKIE_KEY: &str = "test-cookie-key-0123456789-abcdefghijklmnopqrstuvwxyz";
pub const PEPPER: &str = "test-answer-pepper-0123456789";
pub const MAIL_WAIT: Duration = Duration::from_secs(15);

/// A password every test policy accepts and slapd's ppolicy too.
pub const NEW_PASSWORD: &str = "Passerelle-Neuve-2025!";

/// A running gateway and what it stands on.
pub struct TestApp {
    pub address: String,
    pub port: u16,
    pub slapd: Arc<Mutex<Slapd>>,
    pub ldap_url: String,
    pub smtp: Arc<SmtpSink>,
    pub settings: Settings,
    pub jar: Arc<Jar>,
    pub client: reqwest::Client,
    /// The address this client claims in `X-Forwarded-For` (each app its
    /// own, so the per-address limit of one test never hits another).
    pub client_ip: String,
    rate_limit: RateLimitSettings,
    server: JoinHandle<()>,
    /// Holds the audit trail file (`settings.audit.file`), shared with
    /// other instances of the same app.
    audit_dir: Arc<tempfile::TempDir>,
    /// The port of `metrics.listen` (unless the test emptied it).
    pub metrics_port: Option<u16>,
    /// Holds this instance's mail spool (`settings.mail.spool_directory`):
    /// each instance its own, as each replica of a site.
    _spool: Arc<tempfile::TempDir>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
        crate::logs::assert_no_gateway_panic();
    }
}

/// A person a test created, with what they would type.
#[derive(Debug, Clone)]
pub struct Person {
    pub uid: String,
    pub dn: String,
    pub password: String,
    /// As typed: jj/mm/aaaa.
    pub birth_date: String,
    pub student_number: String,
    pub recovery_mail: String,
    pub question: Option<String>,
    pub answer: String,
}

/// An HTTP answer, read.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub async fn read(response: reqwest::Response) -> Page {
        Page {
            status: response.status(),
            headers: response.headers().clone(),
            body: response.text().await.expect("body"),
        }
    }

    /// The value of the hidden field `name` of the page's form.
    pub fn hidden(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self
            .body
            .find(&marker)
            .unwrap_or_else(|| panic!("no hidden field {name} in:\n{}", self.body))
            + marker.len();
        self.body[start..]
            .split('"')
            .next()
            .expect("value")
            .to_owned()
    }

    pub fn csrf(&self) -> String {
        self.hidden("csrf")
    }

    pub fn nonce(&self) -> String {
        self.hidden("nonce")
    }

    pub fn location(&self) -> Option<String> {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    /// The body with the per-request tokens blanked, for comparing pages.
    pub fn without_tokens(&self) -> String {
        let mut body = self.body.clone();
        for name in ["csrf", "nonce"] {
            let marker = format!("name=\"{name}\" value=\"");
            if let Some(start) = body.find(&marker) {
                let start = start + marker.len();
                if let Some(len) = body[start..].find('"') {
                    body.replace_range(start..start + len, "…");
                }
            }
        }
        body
    }
}

/// Settings of a test gateway on `ldap_url`, mailing through `smtp_port`.
pub fn test_settings(ldap_url: &str, smtp_port: u16) -> Settings {
    let mut settings = Settings::default();
    settings.server.listen = "127.0.0.1:0".into();
    settings.server.public_url = "http://127.0.0.1".into();
    // reqwest does not send Secure cookies over plain http; a separate test
    // checks the flags with secure cookies on.
    settings.server.secure_cookies = false;
    // The test client is a proxy of ours: each app claims its own client
    // address in X-Forwarded-For (see `client_ip`).
    settings.server.trusted_proxies = vec!["127.0.0.1/32".parse().expect("network")];
    // Metrics on a listener of their own, as by default, on a free port.
    settings.metrics.listen = "127.0.0.1:0".into();
    settings.site.name = "Sésame".into();
    settings.site.rules_url = Some("https://www.univ-exemple.fr/reglement".into());
    settings.site.help_contact = "assistance@univ-exemple.fr".into();
    settings.ldap.urls = vec![ldap_url.to_owned()];
    settings.ldap.bind_dn = SERVICE_DN.into();
    settings.ldap.base_dn = PEOPLE_DN.into();
    settings.ldap.recovery_mail_attributes = vec!["supannMailPerso".into()];
    settings.ldap.timeout_seconds = 3;
    settings.ldap.pool_size = 4;
    settings.policy.min_length = Some(12);
    settings.policy.min_classes = Some(3);
    settings.policy.forbid_login = true;
    settings.policy.history = Some(3);
    settings.mail = MailSettings {
        transport: MailTransportKind::Smtp,
        from: "Sésame <no-reply@univ-exemple.fr>".into(),
        host: "127.0.0.1".into(),
        port: Some(smtp_port),
        security: SmtpSecurity::None,
        timeout_seconds: 5,
        retry_base_seconds: 0.05,
        ..MailSettings::default()
    };
    settings
}

pub fn test_secrets() -> ResolvedSecrets {
    ResolvedSecrets {
        bind_password: SecretString::from(SERVICE_PASSWORD),
        cookie_key: SecretString::from(COOKIE_KEY),
        answer_pepper: SecretString::from(PEPPER),
        code_key: SecretString::from("test-code-key-0123456789-abcdefghijklmnop"),
    }
}

fn next_ip() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    let n = NEXT.fetch_add(1, Ordering::SeqCst) + (std::process::id() as usize % 200) * 1000;
    format!("10.{}.{}.{}", (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff)
}

/// The gateway with default test settings.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// The per-client limit of test gateways: 600 a minute (one back every
/// 100 ms), 200 at once.
pub const TEST_RATE_LIMIT: RateLimitSettings = RateLimitSettings {
    per_minute: 600,
    burst: 200,
};

/// The gateway, with `configure` applied to the test settings.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_app_limited(TEST_RATE_LIMIT, configure).await
}

/// The gateway with its own per-client limit, and `configure` applied.
pub async fn spawn_app_limited(
    rate_limit: RateLimitSettings,
    configure: impl FnOnce(&mut Settings),
) -> TestApp {
    let slapd = tokio::task::spawn_blocking(|| Slapd::start(People::Empty))
        .await
        .expect("join")
        .expect("slapd starts");
    let smtp = Arc::new(SmtpSink::start().await);
    let mut settings = test_settings(&slapd.url(), smtp.port());
    // Each app writes its own audit trail, which a test can read back.
    let audit_dir = Arc::new(tempfile::tempdir().expect("audit dir"));
    settings.audit.output = passerelle::config::AuditOutput::File;
    settings.audit.file = Some(audit_dir.path().join("audit.jsonl"));
    settings.audit.replica = Some("test-replica".into());
    configure(&mut settings);
    let ldap_url = slapd.url();
    start(
        Arc::new(Mutex::new(slapd)),
        ldap_url,
        smtp,
        settings,
        rate_limit,
        audit_dir,
    )
    .await
}

/// The gateway in front of `slapd`, a server the test started itself (a
/// provider of a replicated pair), with `configure` applied.
pub async fn spawn_app_on(slapd: Slapd, configure: impl FnOnce(&mut Settings)) -> TestApp {
    let smtp = Arc::new(SmtpSink::start().await);
    let mut settings = test_settings(&slapd.url(), smtp.port());
    let audit_dir = Arc::new(tempfile::tempdir().expect("audit dir"));
    settings.audit.output = passerelle::config::AuditOutput::File;
    settings.audit.file = Some(audit_dir.path().join("audit.jsonl"));
    settings.audit.replica = Some("test-replica".into());
    configure(&mut settings);
    let ldap_url = slapd.url();
    start(
        Arc::new(Mutex::new(slapd)),
        ldap_url,
        smtp,
        settings,
        TEST_RATE_LIMIT,
        audit_dir,
    )
    .await
}

async fn start(
    slapd: Arc<Mutex<Slapd>>,
    ldap_url: String,
    smtp: Arc<SmtpSink>,
    mut settings: Settings,
    rate_limit: RateLimitSettings,
    audit_dir: Arc<tempfile::TempDir>,
) -> TestApp {
    crate::logs::captured();
    let spool = Arc::new(tempfile::tempdir().expect("spool dir"));
    settings.mail.spool_directory = spool.path().join("spool");
    let mailer = passerelle::assemble::site_mailer(&settings, &test_secrets()).expect("mailer");
    let application = Application::build_with(settings.clone(), test_secrets(), mailer, rate_limit)
        .await
        .expect("application builds");
    let port = application.port();
    let metrics_port = application.metrics_port();
    let server = tokio::spawn(async move {
        let _ = application.run_until_stopped().await;
    });
    let jar = Arc::new(Jar::default());
    let client_ip = next_ip();
    let client = client_with(jar.clone(), &client_ip);
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        port,
        slapd,
        ldap_url,
        smtp,
        settings,
        jar,
        client,
        client_ip,
        rate_limit,
        server,
        audit_dir,
        metrics_port,
        _spool: spool,
    }
}

fn client_with(jar: Arc<Jar>, ip: &str) -> reqwest::Client {
    let mut headers = HeaderMap::new();
    headers.insert("x-forwarded-for", HeaderValue::from_str(ip).expect("ip"));
    reqwest::Client::builder()
        .cookie_provider(jar)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

impl TestApp {
    /// Another gateway (a second replica, or the same one restarted) on the
    /// same directory and SMTP sink, with its own settings copy, cookies
    /// and client address.
    pub async fn another_instance(&self) -> TestApp {
        start(
            self.slapd.clone(),
            self.ldap_url.clone(),
            self.smtp.clone(),
            self.settings.clone(),
            self.rate_limit,
            self.audit_dir.clone(),
        )
        .await
    }

    /// Another gateway in front of another directory server (the other
    /// provider of a replicated pair), sharing this one's SMTP sink and
    /// secrets; its settings are this one's with `ldap.urls` pointing at
    /// `slapd`, then `configure` applied.
    pub async fn instance_on(
        &self,
        slapd: Slapd,
        configure: impl FnOnce(&mut Settings),
    ) -> TestApp {
        let ldap_url = slapd.url();
        let mut settings = self.settings.clone();
        settings.ldap.urls = vec![ldap_url.clone()];
        configure(&mut settings);
        start(
            Arc::new(Mutex::new(slapd)),
            ldap_url,
            self.smtp.clone(),
            settings,
            self.rate_limit,
            self.audit_dir.clone(),
        )
        .await
    }

    /// Stops this gateway and starts it again (new process state, same
    /// directory).
    pub async fn restart(self) -> TestApp {
        let again = self.another_instance().await;
        drop(self);
        again
    }

    /// Another browser on this gateway, with its own cookies and client
    /// address (for requests from many people at once).
    pub fn browser(&self) -> reqwest::Client {
        client_with(Arc::new(Jar::default()), &next_ip())
    }

    /// The same gateway seen by a fresh browser (no cookies, new address).
    pub fn new_browser(&mut self) {
        self.jar = Arc::new(Jar::default());
        self.client_ip = next_ip();
        self.client = client_with(self.jar.clone(), &self.client_ip);
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// The `Cookie` header this client would send now (to replay later).
    pub fn cookie_header(&self) -> Option<String> {
        let url = self.address.parse().expect("url");
        self.jar
            .cookies(&url)
            .and_then(|v| v.to_str().ok().map(str::to_owned))
    }

    /// The audit trail written so far, one JSON record a line (empty when
    /// the test configured another output).
    pub fn audit_text(&self) -> String {
        self.settings
            .audit
            .file
            .as_ref()
            .and_then(|path| std::fs::read_to_string(path).ok())
            .unwrap_or_default()
    }

    pub fn directory(&self) -> Directory {
        Directory::new(&self.settings.ldap, SecretString::from(SERVICE_PASSWORD))
            .expect("directory")
    }

    // ------------------------------------------------------------ people

    /// Adds a person with a secret question (unless `question` is None).
    pub async fn add_person(&self, prefix: &str, question: Option<&str>) -> Person {
        self.add_person_marked(prefix, question, false).await
    }

    /// Adds a person the site's provisioning marked for « Activer mon
    /// compte » (`passerelleActivationPending: TRUE`, the default
    /// `flows.activation_filter`), with an initial password and no
    /// question.
    pub async fn add_person_to_activate(&self, prefix: &str) -> Person {
        self.add_person_marked(prefix, None, true).await
    }

    async fn add_person_marked(
        &self,
        prefix: &str,
        question: Option<&str>,
        activation_pending: bool,
    ) -> Person {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let uid = format!("{prefix}{n}p{}", self.port);
        let student_number = format!("E{}{:04}", self.port, n);
        let recovery_mail = format!("{uid}@perso.example.org");
        let person = TestPerson {
            student_number: Some(student_number.clone()),
            recovery_mail: Some(recovery_mail.clone()),
            birth_date: "20010915".into(),
            activation_pending,
            ..TestPerson::default()
        };
        let ldif = person_ldif(&uid, &person);
        let dn = format!("uid={uid},{PEOPLE_DN}");
        let answer = "Saint-Étienne".to_owned();
        {
            let slapd = self.slapd.lock().expect("slapd");
            slapd.add_ldif(&ldif).expect("add person");
        }
        if let Some(question) = question {
            let hasher = AnswerHasher::new(&SecretString::from(PEPPER), 2).expect("hasher");
            let hash = hasher
                .hash(&SecretString::from(answer.clone()))
                .await
                .expect("hash");
            let modify = format!(
                "dn: {dn}\nchangetype: modify\nadd: objectClass\nobjectClass: passerelleAccount\n-\nreplace: passerelleQuestion\npasserelleQuestion: {question}\n-\nreplace: passerelleAnswerHash\npasserelleAnswerHash: {hash}\n-\n"
            );
            self.slapd
                .lock()
                .expect("slapd")
                .modify_ldif(&modify)
                .expect("set question");
        }
        Person {
            uid,
            dn,
            password: person.password.clone(),
            birth_date: "15/09/2001".into(),
            student_number,
            recovery_mail,
            question: question.map(str::to_owned),
            answer,
        }
    }

    /// What the rootdn sees of an entry (past every ACL).
    pub fn admin_view(&self, dn: &str, attrs: &[&str]) -> HashMap<String, Vec<String>> {
        let slapd = self.slapd.lock().expect("slapd");
        slapd
            .search_as_admin(dn, "(objectClass=*)", attrs)
            .expect("admin search")
            .into_iter()
            .next()
            .map(|(_, attrs)| attrs)
            .unwrap_or_default()
    }

    /// userPassword and pwdChangedTime, to prove nothing was written.
    pub fn password_state(&self, dn: &str) -> (Vec<String>, Vec<String>) {
        let view = self.admin_view(dn, &["userPassword", "pwdChangedTime"]);
        let get = |name: &str| {
            view.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        (get("userPassword"), get("pwdChangedTime"))
    }

    /// Does a simple bind as the person with `password` succeed?
    pub async fn binds(&self, dn: &str, password: &str) -> bool {
        matches!(
            self.directory()
                .verify_password_dn(dn, &SecretString::from(password.to_owned()))
                .await,
            Ok(BindProof::Valid)
        )
    }

    // ------------------------------------------------------------ HTTP

    pub async fn get(&self, path: &str) -> Page {
        Page::read(self.client.get(self.url(path)).send().await.expect("GET")).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Page {
        let mut request = self.client.get(self.url(path));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Page::read(request.send().await.expect("GET")).await
    }

    /// A form posted as a browser posts it: a redirect to a flow's done
    /// page (Post/Redirect/Get after the last step) is followed, as the
    /// browser would, and that page is returned; other redirects are not.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let page = Page::read(
            self.client
                .post(self.url(path))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(encode(fields))
                .send()
                .await
                .expect("POST"),
        )
        .await;
        // As a browser would: the success page, a message, or the step's
        // page again after a refused POST (Post/Redirect/Get); a redirect
        // to the next step is left for the test to see.
        match page.location() {
            Some(to)
                if page.status == StatusCode::SEE_OTHER
                    && (to.ends_with("/done")
                        || to == "/message"
                        || to == path
                        || (path == "/code/resend" && to == "/code/verify")) =>
            {
                self.get(&to).await
            }
            _ => page,
        }
    }

    /// A POST with extra `headers` (a forged `Host`, say), the redirect
    /// not followed.
    pub async fn post_form_headers(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        fields: &[(&str, &str)],
    ) -> Page {
        let mut request = self
            .client
            .post(self.url(path))
            .header("content-type", "application/x-www-form-urlencoded");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Page::read(request.body(encode(fields)).send().await.expect("POST")).await
    }

    /// A raw body, as a hostile client would send it.
    pub async fn post_raw(&self, path: &str, body: Vec<u8>) -> Page {
        Page::read(
            self.client
                .post(self.url(path))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .expect("POST"),
        )
        .await
    }

    /// A POST that carries `cookie` instead of this client's cookies (a
    /// replayed old cookie).
    pub async fn post_form_with_cookie(
        &self,
        path: &str,
        cookie: &str,
        fields: &[(&str, &str)],
    ) -> Page {
        let plain = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Page::read(
            plain
                .post(self.url(path))
                .header("cookie", cookie)
                .header("x-forwarded-for", &self.client_ip)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(encode(fields))
                .send()
                .await
                .expect("POST"),
        )
        .await
    }

    // ------------------------------------------------------------ recover

    pub async fn recover_start(&self) -> Page {
        self.get("/recover").await
    }

    pub async fn recover_identity(&self, form: &Page, identifier: &str, birth_date: &str) -> Page {
        self.post_form(
            "/recover",
            &[
                ("csrf", &form.csrf()),
                ("nonce", &form.nonce()),
                ("identifier", identifier),
                ("birth_date", birth_date),
            ],
        )
        .await
    }

    pub async fn recover_question(&self) -> Page {
        self.get("/recover/question").await
    }

    pub async fn recover_answer(&self, form: &Page, answer: &str) -> Page {
        self.post_form(
            "/recover/question",
            &[
                ("csrf", &form.csrf()),
                ("nonce", &form.nonce()),
                ("answer", answer),
            ],
        )
        .await
    }

    pub async fn recover_password_page(&self) -> Page {
        self.get("/recover/password").await
    }

    pub async fn recover_password(
        &self,
        form: &Page,
        password: &str,
        confirm: &str,
        rules: bool,
    ) -> Page {
        let (csrf, nonce) = (form.csrf(), form.nonce());
        let mut fields = vec![
            ("csrf", csrf.as_str()),
            ("nonce", nonce.as_str()),
            ("password", password),
            ("confirm", confirm),
        ];
        if rules {
            fields.push(("rules", "accepted"));
        }
        self.post_form("/recover/password", &fields).await
    }

    /// Walks the flow up to the password page (identity and answer right).
    pub async fn recover_until_password(&self, person: &Person) -> Page {
        let form = self.recover_start().await;
        let after = self
            .recover_identity(&form, &person.student_number, &person.birth_date)
            .await;
        assert_eq!(after.status, StatusCode::SEE_OTHER, "{}", after.body);
        let question = self.recover_question().await;
        assert_eq!(question.status, StatusCode::OK, "{}", question.body);
        let after = self.recover_answer(&question, &person.answer).await;
        assert_eq!(after.status, StatusCode::SEE_OTHER, "{}", after.body);
        let page = self.recover_password_page().await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        page
    }

    // ------------------------------------------------------------ identifier

    pub async fn identifier_start(&self) -> Page {
        self.get("/identifier").await
    }

    pub async fn identifier_submit(&self, form: &Page, identifier: &str, birth_date: &str) -> Page {
        self.post_form(
            "/identifier",
            &[
                ("csrf", &form.csrf()),
                ("nonce", &form.nonce()),
                ("identifier", identifier),
                ("birth_date", birth_date),
            ],
        )
        .await
    }

    // ------------------------------------------------------------ any form

    /// Posts `fields` to `path` with the CSRF token and step nonce of the
    /// form on `form`.
    pub async fn post_with_tokens(&self, path: &str, form: &Page, fields: &[(&str, &str)]) -> Page {
        let (csrf, nonce) = (form.csrf(), form.nonce());
        let mut all = vec![("csrf", csrf.as_str()), ("nonce", nonce.as_str())];
        all.extend_from_slice(fields);
        self.post_form(path, &all).await
    }

    /// Signs in on `/account` or `/change` (login + current password).
    pub async fn sign_in(&self, path: &str, form: &Page, login: &str, password: &str) -> Page {
        self.post_with_tokens(path, form, &[("login", login), ("password", password)])
            .await
    }
}

/// `application/x-www-form-urlencoded` encoding of `fields`.
pub fn encode(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", percent(k), percent(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl TestApp {
    /// The text of the captcha the flow `flow` ("code", "temporary", …)
    /// shows now, found the way the gateway finds it: the flow cookie
    /// decrypted with the test cookie key, the text derived from its
    /// challenge with the test code key. Empty when the flow shows none.
    pub fn captcha_answer(&self, flow: &str) -> String {
        use secrecy::ExposeSecret;
        use sha2::{Digest, Sha512};
        let name = format!("passerelle-{flow}");
        let Some(value) = self.cookie_header().and_then(|header| {
            header
                .split(';')
                .filter_map(|pair| pair.trim().split_once('='))
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_owned())
        }) else {
            return String::new();
        };
        let key = cookie::Key::try_from(Sha512::digest(COOKIE_KEY.as_bytes()).as_slice())
            .expect("cookie key");
        let mut jar = cookie::CookieJar::new();
        // The jar hands values back percent-encoded.
        let mut bytes = Vec::with_capacity(value.len());
        let raw = value.as_bytes();
        let mut i = 0;
        while i < raw.len() {
            match (raw[i], raw.get(i + 1..i + 3)) {
                (b'%', Some(hex)) => {
                    let hex = std::str::from_utf8(hex).expect("hex");
                    bytes.push(u8::from_str_radix(hex, 16).expect("hex"));
                    i += 3;
                }
                (b, _) => {
                    bytes.push(b);
                    i += 1;
                }
            }
        }
        let value = String::from_utf8(bytes).expect("cookie value");
        jar.add_original(cookie::Cookie::new(name.clone(), value));
        let Some(plain) = jar.private(&key).get(&name) else {
            return String::new();
        };
        let state: passerelle::web::flow_state::FlowState =
            serde_json::from_str(plain.value()).expect("flow state");
        let captcha_key = passerelle::captcha::CaptchaKey::new(&test_secrets().code_key);
        state
            .captcha
            .map(|challenge| challenge.text(&captcha_key).expose_secret().to_owned())
            .unwrap_or_default()
    }
}
