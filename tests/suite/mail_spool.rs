//! A mail accepted is a mail delivered (issue 25), against the real binary
//! (`passerelle serve` as a child process, killed with SIGKILL), a real
//! slapd and a real SMTP conversation: the page says a code was sent, the
//! gateway dies before the relay got the mail, a new one starts on the
//! same spool, and the mail arrives exactly once with a code that works;
//! the same with the relay down for longer than the old retry schedule
//! allowed (5 attempts, about 7.5 minutes at the defaults; here the
//! schedule is shrunk to milliseconds). The spool's files are the
//! gateway's only and do not show the code.

use crate::smtp::SmtpSink;

use passerelle::slapd::{
    person_ldif, People, Slapd, TestPerson, PEOPLE_DN, SERVICE_DN, SERVICE_PASSWORD,
};
use reqwest::StatusCode;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

const BINARY: &str = env!("CARGO_BIN_EXE_passerelle");
const WAIT: Duration = Duration::from_secs(30);

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("address")
        .port()
}

/// A TCP relay to slapd whose client-to-server direction can be stopped:
/// the gateway's searches then wait, as if the directory were slow.
struct DirectoryGate {
    port: u16,
    open: watch::Sender<bool>,
}

impl DirectoryGate {
    async fn start(upstream: u16) -> DirectoryGate {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("address").port();
        let (open, gate) = watch::channel(true);
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let server = TcpStream::connect(("127.0.0.1", upstream))
                    .await
                    .expect("slapd");
                let (mut from_client, mut to_client) = client.into_split();
                let (mut from_server, mut to_server) = server.into_split();
                tokio::spawn(async move {
                    let _ = tokio::io::copy(&mut from_server, &mut to_client).await;
                });
                let mut gate = gate.clone();
                tokio::spawn(async move {
                    let mut buffer = vec![0u8; 64 * 1024];
                    loop {
                        let Ok(read) = from_client.read(&mut buffer).await else {
                            return;
                        };
                        if read == 0 || gate.wait_for(|open| *open).await.is_err() {
                            return;
                        }
                        if to_server.write_all(&buffer[..read]).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        DirectoryGate { port, open }
    }

    fn url(&self) -> String {
        format!("ldap://127.0.0.1:{}", self.port)
    }

    fn close(&self) {
        self.open.send_replace(false);
    }
}

/// What each start of the gateway shares: the directory, the spool, the
/// secrets (so that the browser's flow cookie works across the restart).
struct Site {
    dir: tempfile::TempDir,
    slapd: Slapd,
    uid: String,
    address: String,
    smtp_port: u16,
}

impl Site {
    async fn new() -> Site {
        let slapd = tokio::task::spawn_blocking(|| Slapd::start(People::Empty))
            .await
            .expect("join")
            .expect("slapd");
        let uid = format!("spool{}", free_port());
        let address = format!("{uid}@perso.example.org");
        let person = TestPerson {
            password: "Tilleul-Argenté-2024".into(),
            recovery_mail: Some(address.clone()),
            ..TestPerson::default()
        };
        slapd.add_ldif(&person_ldif(&uid, &person)).expect("person");
        Site {
            dir: tempfile::tempdir().expect("dir"),
            slapd,
            uid,
            address,
            // Nothing listens there until the test starts the relay.
            smtp_port: free_port(),
        }
    }

    fn spool(&self) -> PathBuf {
        self.dir.path().join("spool")
    }

    /// The spool's record files.
    fn records(&self) -> Vec<PathBuf> {
        std::fs::read_dir(self.spool())
            .map(|entries| {
                entries
                    .map(|e| e.expect("entry").path())
                    .filter(|p| p.extension().is_some_and(|e| e == "rec"))
                    .collect()
            })
            .unwrap_or_default()
    }

    async fn wait_for_records(&self, count: usize) -> Vec<PathBuf> {
        let deadline = Instant::now() + WAIT;
        loop {
            let records = self.records();
            if records.len() == count {
                return records;
            }
            assert!(
                Instant::now() < deadline,
                "{} records in the spool, not {count}",
                records.len()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    fn code_hash_stored(&self) -> bool {
        let dn = format!("uid={},{PEOPLE_DN}", self.uid);
        let entries = self
            .slapd
            .search_as_admin(&dn, "(objectClass=*)", &["passerelleCodeHash"])
            .expect("search");
        entries
            .first()
            .is_some_and(|(_, attributes)| attributes.contains_key("passerelleCodeHash"))
    }

    async fn wait_for_code_hash(&self) {
        let deadline = Instant::now() + WAIT;
        while !self.code_hash_stored() {
            assert!(Instant::now() < deadline, "no code stored on the entry");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn audit(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("audit.jsonl")).unwrap_or_default()
    }
}

/// One run of `passerelle serve` on the site, its log in a file of its own.
struct Gateway {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Gateway {
    async fn start(site: &Site, ldap_url: &str, run: &str) -> Gateway {
        Gateway::start_with(site, ldap_url, run, "").await
    }

    /// `mail` adds lines to the `[mail]` section.
    async fn start_with(site: &Site, ldap_url: &str, run: &str, mail: &str) -> Gateway {
        let port = free_port();
        let dir = site.dir.path();
        let config = dir.join(format!("passerelle-{run}.toml"));
        std::fs::write(
            &config,
            format!(
                r#"
[server]
listen = "127.0.0.1:{port}"
public_url = "http://127.0.0.1:{port}"
secure_cookies = false
rate_limit_per_minute = 100000
rate_limit_burst = 100000
[metrics]
listen = "127.0.0.1:0"
[ldap]
urls = ["{ldap_url}"]
bind_dn = "{SERVICE_DN}"
bind_password = "{SERVICE_PASSWORD}"
base_dn = "{PEOPLE_DN}"
recovery_mail_attributes = ["supannMailPerso"]
timeout_seconds = 60
[flows]
code = true
[captcha]
mode = "never"
[mail]
host = "127.0.0.1"
port = {smtp_port}
security = "none"
timeout_seconds = 2
spool_directory = "{spool}"
retry_base_seconds = 0.05
{mail}
[secrets]
cookie_key = "{cookie}"
answer_pepper = "a pepper for the spool tests"
code_key = "{code}"
[audit]
output = "file"
file = "{audit}"
[log]
format = "json"
level = "info"
"#,
                smtp_port = site.smtp_port,
                spool = site.spool().display(),
                audit = dir.join("audit.jsonl").display(),
                cookie = "k".repeat(48),
                code = "c".repeat(48),
            ),
        )
        .expect("config");
        let log = dir.join(format!("gateway-{run}.log"));
        let child = Command::new(BINARY)
            .args(["serve", "--config"])
            .arg(&config)
            .env_remove("RUST_LOG")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .expect("passerelle serve");
        let mut gateway = Gateway { child, port, log };
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(answer) = reqwest::get(gateway.url("/readyz")).await {
                if answer.status() == StatusCode::OK {
                    break;
                }
            }
            if let Some(status) = gateway.child.try_wait().expect("wait") {
                panic!("the gateway exited ({status}): {}", gateway.log());
            }
            assert!(Instant::now() < deadline, "never ready: {}", gateway.log());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        gateway
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL: nothing of the gateway's runs after this.
    fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }

    /// Waits until the log says `line` at least `count` times.
    async fn wait_for_log(&self, line: &str, count: usize) {
        let deadline = Instant::now() + WAIT;
        while self.log().matches(line).count() < count {
            assert!(
                Instant::now() < deadline,
                "{line:?} not logged {count} times: {}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A browser: its cookies outlive the gateway that set them.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_provider(Arc::new(reqwest::cookie::Jar::default()))
        .redirect(reqwest::redirect::Policy::none())
        .timeout(WAIT)
        .build()
        .expect("client")
}

fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page
        .find(&marker)
        .unwrap_or_else(|| panic!("{name} in {page}"))
        + marker.len();
    page[start..].split('"').next().expect("value").to_owned()
}

async fn get(browser: &reqwest::Client, url: String) -> String {
    let page = browser.get(url).send().await.expect("GET");
    assert_eq!(page.status(), StatusCode::OK);
    page.text().await.expect("body")
}

/// The code flow's first step, as a person does it: the page says a code
/// was sent (303 to the code page).
async fn ask_code(browser: &reqwest::Client, gateway: &Gateway, address: &str) {
    let form = get(browser, gateway.url("/code")).await;
    let answer = browser
        .post(gateway.url("/code"))
        .form(&[
            ("csrf", hidden(&form, "csrf")),
            ("nonce", hidden(&form, "nonce")),
            ("identifier", address.to_owned()),
        ])
        .send()
        .await
        .expect("POST /code");
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        answer
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok()),
        Some("/code/verify")
    );
    let page = get(browser, gateway.url("/code/verify")).await;
    assert!(page.contains(address), "the page says where the code went");
}

/// The code typed on the code page: whether it opened the new-password
/// step.
async fn code_works(browser: &reqwest::Client, gateway: &Gateway, code: &str) -> bool {
    let form = get(browser, gateway.url("/code/verify")).await;
    let answer = browser
        .post(gateway.url("/code/verify"))
        .form(&[
            ("csrf", hidden(&form, "csrf")),
            ("nonce", hidden(&form, "nonce")),
            ("code", code.to_owned()),
        ])
        .send()
        .await
        .expect("POST /code/verify");
    answer.status() == StatusCode::SEE_OTHER
        && answer
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            == Some("/code/password")
}

/// The 6 digits of a code mail ("2 3 8 3 9 2").
fn code_in(text: &str) -> String {
    text.lines()
        .map(|line| line.split_whitespace().collect::<String>())
        .find(|line| line.len() == 6 && line.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or_else(|| panic!("no code in:\n{text}"))
}

/// The one code mail the relay got, once the spool is empty (nothing is
/// left that could arrive later): its code.
async fn delivered_once(site: &Site, sink: &SmtpSink) -> String {
    let mail = sink.wait_for_mail(&site.address, WAIT).await;
    site.wait_for_records(0).await;
    let codes: Vec<_> = sink
        .mails_to(&site.address)
        .into_iter()
        .filter(|m| m.text_body().contains("/code/link/"))
        .collect();
    assert_eq!(codes.len(), 1, "the code mail arrived once");
    code_in(&mail.text_body())
}

fn assert_private(path: &Path, mode: u32) {
    let actual = std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(actual, mode, "{}", path.display());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_code_requested_then_killed_before_its_lookup_is_mailed_once_after_the_restart() {
    let site = Site::new().await;
    let sink = SmtpSink::start_on(site.smtp_port).await;
    let gate = DirectoryGate::start(site.slapd.port()).await;
    let first = Gateway::start(&site, &gate.url(), "first").await;
    // The off-path work cannot look the address up: only the request,
    // recorded before the page answered, can bring the mail.
    gate.close();
    let browser = browser();
    ask_code(&browser, &first, &site.address).await;
    assert_eq!(site.records().len(), 1, "the request is on disk");
    first.kill();
    assert!(
        sink.mails().is_empty(),
        "killed before the relay got anything"
    );
    assert!(
        !site.code_hash_stored(),
        "killed before anything was stored"
    );

    let second = Gateway::start(&site, &site.slapd.url(), "second").await;
    let code = delivered_once(&site, &sink).await;
    assert!(code_works(&browser, &second, &code).await, "the code works");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_code_stored_then_killed_before_the_relay_got_it_is_mailed_once_after_the_restart() {
    let site = Site::new().await;
    let first = Gateway::start(&site, &site.slapd.url(), "first").await;
    let browser = browser();
    // The relay is down: the mail can only wait in the spool.
    ask_code(&browser, &first, &site.address).await;
    site.wait_for_code_hash().await;
    let records = site.wait_for_records(1).await;
    // What an intruder with a copy of the disk, or another account on the
    // machine, finds there.
    assert_private(&site.spool(), 0o700);
    assert_private(&records[0], 0o600);
    let on_disk = std::fs::read(&records[0]).expect("record");
    first.kill();

    let sink = SmtpSink::start_on(site.smtp_port).await;
    let second = Gateway::start(&site, &site.slapd.url(), "second").await;
    let code = delivered_once(&site, &sink).await;
    for clear in [
        code.clone(),
        code.chars().map(|c| format!("{c} ")).collect::<String>(),
        site.address.clone(),
    ] {
        let clear = clear.trim().as_bytes().to_vec();
        assert!(
            !on_disk.windows(clear.len()).any(|w| w == clear),
            "{} in clear in the spool",
            String::from_utf8_lossy(&clear)
        );
    }
    assert!(code_works(&browser, &second, &code).await, "the code works");
    assert!(
        site.audit().contains("\"mail_resumed\""),
        "the restart is in the audit trail: {}",
        site.audit()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_code_waits_out_a_relay_down_longer_than_the_old_retry_schedule_and_a_kill() {
    let site = Site::new().await;
    let first = Gateway::start(&site, &site.slapd.url(), "first").await;
    let browser = browser();
    ask_code(&browser, &first, &site.address).await;
    site.wait_for_code_hash().await;
    first
        .wait_for_log("mail attempt failed, will retry", 2)
        .await;
    first.kill();

    let second = Gateway::start(&site, &site.slapd.url(), "second").await;
    // The old schedule gave up after its 5th attempt.
    second
        .wait_for_log("mail attempt failed, will retry", 6)
        .await;
    assert!(!second.log().contains("mail given up"), "{}", second.log());
    let sink = SmtpSink::start_on(site.smtp_port).await;
    let code = delivered_once(&site, &sink).await;
    assert!(code_works(&browser, &second, &code).await, "the code works");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_code_the_relay_never_takes_is_given_up_at_its_age_across_a_kill_and_audited() {
    let site = Site::new().await;
    // A short age for the test; 3 days by default.
    let give_up = "give_up_after_seconds = 3";
    let first = Gateway::start_with(&site, &site.slapd.url(), "first", give_up).await;
    let browser = browser();
    let asked = Instant::now();
    ask_code(&browser, &first, &site.address).await;
    site.wait_for_code_hash().await;
    first
        .wait_for_log("mail attempt failed, will retry", 1)
        .await;
    first.kill();

    let second = Gateway::start_with(&site, &site.slapd.url(), "second", give_up).await;
    second.wait_for_log("mail given up", 1).await;
    // Its age counts from the first acceptance, not from the restart.
    let given_up_after = asked.elapsed();
    assert!(
        given_up_after >= Duration::from_secs(3),
        "given up after {given_up_after:?}"
    );
    assert!(
        given_up_after < Duration::from_secs(20),
        "given up after {given_up_after:?}"
    );
    // Nothing left that a relay back could get.
    site.wait_for_records(0).await;
    // Audited by the domain once the mailer told it (after the log line).
    let deadline = Instant::now() + WAIT;
    while !site.audit().contains("\"mail_given_up\"") {
        assert!(Instant::now() < deadline, "never audited: {}", site.audit());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let audit = site.audit();
    assert!(audit.contains("\"mail_resumed\""), "{audit}");
    assert_eq!(
        audit.matches("\"mail_given_up\"").count(),
        1,
        "given up once, in the audit trail: {audit}"
    );
}
