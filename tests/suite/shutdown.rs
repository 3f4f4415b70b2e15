//! SIGTERM during a password write, against the real binary (`passerelle
//! serve` as a child process, a real signal), a real slapd and a real SMTP
//! conversation. The gateway reaches slapd through a small LDAP relay that
//! holds the one modify carrying `userPassword` until the test lets it go,
//! so the signal lands while the write is in flight, deterministically.
//!
//! Either the write finishes within `server.shutdown_grace_seconds` and
//! the directory holds the new password whole (bind, NT hash, shadow date),
//! with the person's browser getting its complete answer; or the grace runs
//! out first, the process exits anyway, the browser sees its connection
//! close (never a 500), and the directory holds the old password whole.

use crate::smtp::SmtpSink;

use passerelle::config::LdapSettings;
use passerelle::directory::nthash::nt_hash;
use passerelle::directory::{BindProof, Directory};
use passerelle::slapd::{
    person_ldif, People, Slapd, TestPerson, PEOPLE_DN, SERVICE_DN, SERVICE_PASSWORD,
};
use reqwest::StatusCode;
use secrecy::SecretString;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};

const BINARY: &str = env!("CARGO_BIN_EXE_passerelle");
const OLD_PASSWORD: &str = "Tilleul-Argenté-2024";
const NEW_PASSWORD: &str = "Passerelle-Neuve-2025!";
const OLD_SHADOW_DAY: &str = "19000";
const OLD_SAMBA_TIME: &str = "1600000000";

/// An LDAP relay to slapd that holds every modify request naming
/// `userPassword` until `release` says true.
struct WriteHolder {
    port: u16,
    /// Notified when a password write reached the relay and is held.
    held: Arc<Notify>,
    release: watch::Sender<bool>,
}

impl WriteHolder {
    async fn start(upstream: SocketAddr) -> WriteHolder {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("address").port();
        let held = Arc::new(Notify::new());
        let (release, gate) = watch::channel(false);
        let notify = held.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let server = TcpStream::connect(upstream).await.expect("slapd");
                tokio::spawn(relay(client, server, notify.clone(), gate.clone()));
            }
        });
        WriteHolder {
            port,
            held,
            release,
        }
    }

    fn url(&self) -> String {
        format!("ldap://127.0.0.1:{}", self.port)
    }
}

async fn relay(
    client: TcpStream,
    server: TcpStream,
    held: Arc<Notify>,
    mut gate: watch::Receiver<bool>,
) {
    let (mut from_client, mut to_client) = client.into_split();
    let (mut from_server, mut to_server) = server.into_split();
    tokio::spawn(async move {
        let _ = tokio::io::copy(&mut from_server, &mut to_client).await;
    });
    while let Some(message) = read_message(&mut from_client).await {
        if is_password_modify(&message) {
            held.notify_one();
            if gate.wait_for(|open| *open).await.is_err() {
                return;
            }
        }
        if to_server.write_all(&message).await.is_err() {
            return;
        }
    }
}

/// One BER-encoded LDAPMessage (`SEQUENCE`, definite length), whole.
async fn read_message(stream: &mut tokio::net::tcp::OwnedReadHalf) -> Option<Vec<u8>> {
    let mut head = [0u8; 2];
    stream.read_exact(&mut head).await.ok()?;
    let mut message = head.to_vec();
    let length = if head[1] < 0x80 {
        usize::from(head[1])
    } else {
        let mut bytes = vec![0u8; usize::from(head[1] & 0x7f)];
        stream.read_exact(&mut bytes).await.ok()?;
        message.extend_from_slice(&bytes);
        bytes.iter().fold(0usize, |n, b| (n << 8) | usize::from(*b))
    };
    let start = message.len();
    message.resize(start + length, 0);
    stream.read_exact(&mut message[start..]).await.ok()?;
    Some(message)
}

/// A ModifyRequest (`[APPLICATION 6]`, after the message ID) that names
/// `userPassword`: the gateway's one atomic password write.
fn is_password_modify(message: &[u8]) -> bool {
    let header = if message[1] < 0x80 {
        2
    } else {
        2 + usize::from(message[1] & 0x7f)
    };
    let id_length = usize::from(message[header + 1]);
    let operation = message[header + 2 + id_length];
    operation == 0x66 && message.windows(12).any(|w| w == b"userPassword")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("address")
        .port()
}

fn days_since_epoch() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    (seconds / 86_400).to_string()
}

/// The gateway as an operator runs it, with its log on stderr in a file.
struct Gateway {
    child: Child,
    port: u16,
    config: std::path::PathBuf,
    log: std::path::PathBuf,
}

impl Gateway {
    async fn start(dir: &Path, ldap_url: &str, smtp_port: u16, grace_seconds: u64) -> Gateway {
        let port = free_port();
        let secret = dir.join("bind-password");
        std::fs::write(&secret, SERVICE_PASSWORD).expect("secret");
        let config = dir.join("passerelle.toml");
        std::fs::write(
            &config,
            format!(
                r#"
[server]
listen = "127.0.0.1:{port}"
public_url = "http://127.0.0.1:{port}"
secure_cookies = false
shutdown_grace_seconds = {grace_seconds}
[ldap]
urls = ["{ldap_url}"]
bind_dn = "{SERVICE_DN}"
bind_password_file = "{secret}"
base_dn = "{PEOPLE_DN}"
recovery_mail_attributes = ["supannMailPerso"]
timeout_seconds = 60
[mail]
host = "127.0.0.1"
port = {smtp_port}
security = "none"
spool_directory = "{spool}"
[secrets]
cookie_key = "{cookie}"
answer_pepper = "a pepper for the shutdown tests"
code_key = "{code}"
[metrics]
listen = "127.0.0.1:0"
[log]
format = "json"
level = "info"
"#,
                secret = secret.display(),
                spool = dir.join("spool").display(),
                cookie = "k".repeat(48),
                code = "c".repeat(48),
            ),
        )
        .expect("config");
        let log = dir.join("gateway.log");
        let child = Command::new(BINARY)
            .args(["serve", "--config"])
            .arg(&config)
            .env_remove("RUST_LOG")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .expect("passerelle serve");
        let gateway = Gateway {
            child,
            port,
            config,
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(answer) = reqwest::get(gateway.url("/healthz")).await {
                if answer.status() == StatusCode::OK {
                    break;
                }
            }
            assert!(
                Instant::now() < deadline,
                "the gateway never answered: {}",
                gateway.log()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        gateway
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// `passerelle healthcheck --config <this gateway's> [extra]`: exit
    /// code and what it printed.
    async fn healthcheck(&self, extra: &[&str]) -> (Option<i32>, String) {
        let mut command = tokio::process::Command::new(BINARY);
        command
            .args(["healthcheck", "--config"])
            .arg(&self.config)
            .args(extra);
        let output = command.output().await.expect("healthcheck");
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (output.status.code(), printed)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn terminate(&self) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(sent.success());
    }

    /// Polls until a new connection is refused: the door is closed.
    async fn wait_until_refusing(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", self.port)).await.is_ok() {
            assert!(Instant::now() < deadline, "still accepting after SIGTERM");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Waits for the process to exit; how long it took from `since`.
    async fn wait_for_exit(&mut self, since: Instant, within: Duration) -> Duration {
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                assert!(status.success(), "{status:?}: {}", self.log());
                return since.elapsed();
            }
            assert!(since.elapsed() < within, "still running: {}", self.log());
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

/// The directory, a person with Samba and shadow attributes, the relay,
/// the SMTP sink and the gateway; a browser signed in on `/change` with
/// the new-password form in front of them.
struct Scene {
    slapd: Slapd,
    holder: WriteHolder,
    gateway: Gateway,
    browser: reqwest::Client,
    dn: String,
    form: String,
    _smtp: SmtpSink,
    _dir: tempfile::TempDir,
}

fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page
        .find(&marker)
        .unwrap_or_else(|| panic!("{name} in {page}"))
        + marker.len();
    page[start..].split('"').next().expect("value").to_owned()
}

async fn scene(grace_seconds: u64) -> Scene {
    let slapd = tokio::task::spawn_blocking(|| Slapd::start(People::Empty))
        .await
        .expect("join")
        .expect("slapd");
    let uid = format!("stop{}", free_port());
    let person = TestPerson {
        password: OLD_PASSWORD.into(),
        samba: true,
        shadow: true,
        ..TestPerson::default()
    };
    slapd.add_ldif(&person_ldif(&uid, &person)).expect("person");
    // Dates of an older change, so that the write's own are seen.
    slapd
        .modify_ldif(&format!(
            "dn: uid={uid},{PEOPLE_DN}\nchangetype: modify\nreplace: shadowLastChange\nshadowLastChange: {OLD_SHADOW_DAY}\n-\nreplace: sambaPwdLastSet\nsambaPwdLastSet: {OLD_SAMBA_TIME}\n-\n"
        ))
        .expect("older dates");
    let upstream: SocketAddr = format!("127.0.0.1:{}", slapd.port())
        .parse()
        .expect("address");
    let holder = WriteHolder::start(upstream).await;
    let smtp = SmtpSink::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let gateway = Gateway::start(dir.path(), &holder.url(), smtp.port(), grace_seconds).await;

    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let page = browser
        .get(gateway.url("/change"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    let signed_in = browser
        .post(gateway.url("/change"))
        .form(&[
            ("csrf", hidden(&page, "csrf").as_str()),
            ("nonce", hidden(&page, "nonce").as_str()),
            ("login", uid.as_str()),
            ("password", OLD_PASSWORD),
        ])
        .send()
        .await
        .expect("sign in");
    assert_eq!(
        signed_in.status(),
        StatusCode::SEE_OTHER,
        "{}",
        gateway.log()
    );
    let form = browser
        .get(gateway.url("/change/password"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    Scene {
        dn: format!("uid={uid},{PEOPLE_DN}"),
        slapd,
        holder,
        gateway,
        browser,
        form,
        _smtp: smtp,
        _dir: dir,
    }
}

impl Scene {
    /// Submits the new password in the background.
    fn submit(&self) -> tokio::task::JoinHandle<reqwest::Result<reqwest::Response>> {
        let request = self
            .browser
            .post(self.gateway.url("/change/password"))
            .form(&[
                ("csrf", hidden(&self.form, "csrf").as_str()),
                ("nonce", hidden(&self.form, "nonce").as_str()),
                ("current", OLD_PASSWORD),
                ("password", NEW_PASSWORD),
                ("confirm", NEW_PASSWORD),
                ("rules", "accepted"),
            ]);
        tokio::spawn(request.send())
    }

    async fn binds(&self, password: &str) -> bool {
        let settings = LdapSettings {
            urls: vec![self.slapd.url()],
            bind_dn: SERVICE_DN.into(),
            base_dn: PEOPLE_DN.into(),
            ..LdapSettings::default()
        };
        let directory =
            Directory::new(&settings, SecretString::from(SERVICE_PASSWORD)).expect("directory");
        matches!(
            directory
                .verify_password_dn(&self.dn, &SecretString::from(password.to_owned()))
                .await,
            Ok(BindProof::Valid)
        )
    }

    fn attribute(&self, name: &str) -> Option<String> {
        self.slapd
            .search_as_admin(&self.dn, "(objectClass=*)", &[name])
            .expect("admin search")
            .into_iter()
            .next()
            .and_then(|(_, attrs)| {
                attrs
                    .into_iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .and_then(|(_, v)| v.into_iter().next())
            })
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_during_a_password_write_lets_it_finish_whole() {
    let mut scene = scene(20).await;
    let submitted = scene.submit();
    scene.holder.held.notified().await;

    let signalled = Instant::now();
    scene.gateway.terminate();
    scene.gateway.wait_until_refusing().await;
    // The door is closed and the write still in flight: let it through.
    scene.holder.release.send(true).expect("release");

    let answer = submitted.await.expect("join").expect("a complete answer");
    assert_eq!(
        answer.status(),
        StatusCode::SEE_OTHER,
        "{}",
        scene.gateway.log()
    );
    assert_eq!(
        answer
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some("/change/done")
    );
    scene
        .gateway
        .wait_for_exit(signalled, Duration::from_secs(20))
        .await;

    assert!(scene.binds(NEW_PASSWORD).await, "the new password binds");
    assert!(
        !scene.binds(OLD_PASSWORD).await,
        "the old one no longer does"
    );
    assert_eq!(
        scene.attribute("sambaNTPassword"),
        Some(nt_hash(&SecretString::from(NEW_PASSWORD)))
    );
    assert_eq!(
        scene.attribute("shadowLastChange"),
        Some(days_since_epoch())
    );
    assert_ne!(
        scene.attribute("sambaPwdLastSet").as_deref(),
        Some(OLD_SAMBA_TIME)
    );
    let log = scene.gateway.log();
    assert!(log.contains("no longer accepting"), "{log}");
    assert!(log.contains("\"stopped\""), "{log}");
    assert!(!log.contains("panicked"), "{log}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_write_held_past_the_grace_never_happens_and_the_browser_sees_no_error_page() {
    let mut scene = scene(1).await;
    let submitted = scene.submit();
    scene.holder.held.notified().await;

    let signalled = Instant::now();
    scene.gateway.terminate();
    let took = scene
        .gateway
        .wait_for_exit(signalled, Duration::from_secs(15))
        .await;
    assert!(took >= Duration::from_secs(1), "{took:?}");

    match submitted.await.expect("join") {
        Err(error) => assert!(!error.is_status(), "{error}"),
        Ok(answer) => panic!(
            "the browser got {} instead of a closed connection",
            answer.status()
        ),
    }
    // The relay never sent the held modify: the old password, whole.
    assert!(
        scene.binds(OLD_PASSWORD).await,
        "the old password still binds"
    );
    assert!(!scene.binds(NEW_PASSWORD).await);
    assert_eq!(
        scene.attribute("sambaNTPassword"),
        Some(nt_hash(&SecretString::from(OLD_PASSWORD)))
    );
    assert_eq!(
        scene.attribute("shadowLastChange").as_deref(),
        Some(OLD_SHADOW_DAY)
    );
    assert_eq!(
        scene.attribute("sambaPwdLastSet").as_deref(),
        Some(OLD_SAMBA_TIME)
    );
    let log = scene.gateway.log();
    assert!(log.contains("shutdown grace ran out"), "{log}");
    assert!(!log.contains("panicked"), "{log}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_healthcheck_command_says_whether_the_gateway_and_its_directory_answer() {
    let mut scene = scene(20).await;
    let (code, printed) = scene.gateway.healthcheck(&[]).await;
    assert_eq!(code, Some(0), "{printed}");
    assert!(printed.starts_with("ok: http://127.0.0.1:"), "{printed}");
    assert!(printed.contains("/healthz answered 200"), "{printed}");
    let (code, printed) = scene.gateway.healthcheck(&["--ready"]).await;
    assert_eq!(code, Some(0), "{printed}");

    scene.slapd.stop();
    let (code, printed) = scene.gateway.healthcheck(&["--ready"]).await;
    assert_eq!(code, Some(1), "{printed}");
    assert!(printed.contains("/readyz answered 503"), "{printed}");
    let (code, _) = scene.gateway.healthcheck(&[]).await;
    assert_eq!(code, Some(0), "alive without its directory");

    let signalled = Instant::now();
    scene.gateway.terminate();
    scene
        .gateway
        .wait_for_exit(signalled, Duration::from_secs(20))
        .await;
    let (code, printed) = scene.gateway.healthcheck(&[]).await;
    assert_eq!(code, Some(1), "{printed}");
    assert!(printed.starts_with("error: "), "{printed}");
    assert_eq!(printed.trim().lines().count(), 1, "{printed}");
}
