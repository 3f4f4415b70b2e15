//! What the tests stand on: a real, throwaway FreeRADIUS (Debian's
//! `freeradius`) started from `tests/fixtures/freeradius/radiusd.conf` on a
//! free port with a `users` file of the test's people, and small UDP parts
//! put between the check and the server (a relay that can lose or alter
//! answers, a server that never answers) to see exactly what travels.
//!
//! The server is killed and its directory removed on drop; its log is kept
//! until then and quoted in failures. Nothing sleeps a fixed time: start-up
//! and log lines are polled for, with deadlines.

#![allow(dead_code)]

use std::fs::File;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use passerelle_radius::{PasswordMethod, RadiusCheck, RadiusOutcome, RadiusSettings};
use rand::distributions::Alphanumeric;
use rand::Rng;
use secrecy::SecretString;
use tokio::net::UdpSocket;
use tokio::task::JoinHandle;

const CONFIG_TEMPLATE: &str = include_str!("../fixtures/freeradius/radiusd.conf");

/// FreeRADIUS loads its few modules in well under a second.
const START_TIMEOUT: Duration = Duration::from_secs(15);
/// How long a log line the test waits for may take to appear.
const LOG_TIMEOUT: Duration = Duration::from_secs(10);
/// A person who is never in the `users` file: a check for them marks a
/// point in the server's log (see [`FreeRadius::logins_of`]).
const MARKER: &str = "marqueur.de.fin";

/// How a person's known-good password is written in the `users` file.
pub enum KnownGood {
    /// `NT-Password`, computed by FreeRADIUS's own `smbencrypt`: what a
    /// site's server reads from `sambaNTPassword`.
    NtHash(&'static str),
    /// `Cleartext-Password`: FreeRADIUS derives the NT hash itself.
    Cleartext(&'static str),
    /// `Auth-Type := Accept`: a server that accepts without checking.
    AcceptAnything,
}

/// Logins FreeRADIUS made for one person, from its `auth = yes` lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Logins {
    pub ok: usize,
    pub incorrect: usize,
}

/// A running FreeRADIUS.
pub struct FreeRadius {
    child: Child,
    port: u16,
    secret: String,
    log_path: PathBuf,
    // Last, so the process is gone before its directory is.
    dir: tempfile::TempDir,
}

impl FreeRadius {
    /// Starts FreeRADIUS with `people` in its `users` file and a fresh
    /// random shared secret, and returns once it is ready. Refusals are
    /// answered at once.
    pub fn start(people: &[(&str, KnownGood)]) -> FreeRadius {
        FreeRadius::start_with_reject_delay(people, 0)
    }

    /// [`FreeRadius::start`] with refusals held back `reject_delay` seconds
    /// before they are sent, as sites do to slow down guessing.
    pub fn start_with_reject_delay(people: &[(&str, KnownGood)], reject_delay: u32) -> FreeRadius {
        let dir = tempfile::Builder::new()
            .prefix("passerelle-radius-crate-")
            .tempdir()
            .expect("a temporary directory");
        std::fs::write(dir.path().join("users"), users_file(people)).expect("users file written");
        let secret: String = rand::thread_rng()
            .sample_iter(&Alphanumeric)
            .take(24)
            .map(char::from)
            .collect();
        // A port found free can be taken before FreeRADIUS binds it: then
        // another one is tried.
        for attempt in 1..=3 {
            let port = free_udp_port();
            let config = CONFIG_TEMPLATE
                .replace("@DIR@", &dir.path().display().to_string())
                .replace("@PORT@", &port.to_string())
                .replace("@SECRET@", &secret)
                .replace("@REJECT_DELAY@", &reject_delay.to_string());
            std::fs::write(dir.path().join("radiusd.conf"), config).expect("radiusd.conf written");
            let log_path = dir.path().join(format!("radiusd-{port}.log"));
            let log = File::create(&log_path).expect("log file created");
            let mut child = Command::new("freeradius")
                // -X: foreground, one thread, the full log (which says why
                // a login was refused when a test fails).
                .args(["-X", "-d"])
                .arg(dir.path())
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("log file shared"))
                .stderr(log)
                .spawn()
                .expect(
                    "freeradius runs (apt-get install freeradius freeradius-utils, \
                     or scripts/test which installs them)",
                );
            match wait_until_ready(&mut child, &log_path) {
                Ok(()) => {
                    return FreeRadius {
                        child,
                        port,
                        secret,
                        log_path,
                        dir,
                    }
                }
                Err(why) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    if !(why.contains("Address already in use") && attempt < 3) {
                        panic!("FreeRADIUS did not start: {why}");
                    }
                }
            }
        }
        unreachable!("the last attempt returns or panics")
    }

    /// `127.0.0.1:port`, as `radius.server` takes it.
    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    pub fn socket_address(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    /// The shared secret of the gateway's client entry.
    pub fn secret(&self) -> SecretString {
        SecretString::from(self.secret.clone())
    }

    /// A check against this server, with its secret.
    pub fn check(&self, method: PasswordMethod, timeout_seconds: u64) -> RadiusCheck {
        check_for(&self.address(), self.secret(), method, timeout_seconds)
    }

    /// Everything the server has logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }

    /// The logins the server has made for `user` so far, counted once it
    /// has certainly handled every datagram already sent to it: a check
    /// for [`MARKER`] is made first and its refusal waited for in the log.
    /// With `-X` the server handles requests one at a time in the order
    /// they arrived, so a copy of an earlier request that it took for a new
    /// login would be logged before the marker's.
    pub async fn logins_of(&self, user: &str) -> Logins {
        let markers_before = self.log().matches(&format!("[{MARKER}]")).count();
        let outcome = self
            .check(PasswordMethod::Pap, 5)
            .check_password(MARKER, &SecretString::from("rien"))
            .await
            .expect("the marker check runs");
        assert_eq!(outcome, RadiusOutcome::Rejected, "the marker is refused");
        let deadline = Instant::now() + LOG_TIMEOUT;
        let log = loop {
            let log = self.log();
            if log.matches(&format!("[{MARKER}]")).count() > markers_before {
                break log;
            }
            assert!(
                Instant::now() < deadline,
                "the marker's refusal never reached the log:\n{log}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        };
        let tag = format!(": [{user}]");
        let mut logins = Logins {
            ok: 0,
            incorrect: 0,
        };
        for line in log.lines().filter(|line| line.contains(&tag)) {
            if line.contains("Login OK") {
                logins.ok += 1;
            } else if line.contains("Login incorrect") {
                logins.incorrect += 1;
            }
        }
        logins
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for FreeRadius {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Polls the log until FreeRADIUS says it is ready, failing at once if it
/// exits.
fn wait_until_ready(child: &mut Child, log_path: &Path) -> Result<(), String> {
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        let log = std::fs::read_to_string(log_path).unwrap_or_default();
        if log.contains("Ready to process requests") {
            return Ok(());
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("exited ({status}):\n{log}"));
        }
        if Instant::now() > deadline {
            return Err(format!("not ready after {START_TIMEOUT:?}:\n{log}"));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A check against `server` with `secret`.
pub fn check_for(
    server: &str,
    secret: SecretString,
    method: PasswordMethod,
    timeout_seconds: u64,
) -> RadiusCheck {
    let settings = RadiusSettings {
        server: Some(server.into()),
        secret_file: None,
        nas_identifier: "passerelle-tests".into(),
        method,
        timeout_seconds,
    };
    RadiusCheck::new(&settings, secret).expect("valid settings")
}

fn users_file(people: &[(&str, KnownGood)]) -> String {
    let mut users = String::new();
    for (name, known_good) in people {
        let check_items = match known_good {
            KnownGood::NtHash(password) => format!("NT-Password := 0x{}", smbencrypt(password)),
            KnownGood::Cleartext(password) => {
                assert!(
                    !password.contains(['"', '\\']),
                    "the users file quotes passwords as is"
                );
                format!("Cleartext-Password := \"{password}\"")
            }
            KnownGood::AcceptAnything => "Auth-Type := Accept".to_owned(),
        };
        users.push_str(&format!("\"{name}\"\t{check_items}\n\n"));
    }
    users
}

/// The NT hash of `password` as FreeRADIUS's `smbencrypt` computes it, so
/// that the server's idea of the hash does not come from the code under
/// test.
fn smbencrypt(password: &str) -> String {
    let output = Command::new("smbencrypt")
        .arg(password)
        .output()
        .expect("smbencrypt runs (freeradius-utils)");
    let text = String::from_utf8_lossy(&output.stdout);
    let hash = text
        .lines()
        .last()
        .and_then(|line| line.split_whitespace().last())
        .expect("smbencrypt prints the hashes");
    assert_eq!(hash.len(), 32, "an NT hash in hexadecimal: {text}");
    hash.to_owned()
}

fn free_udp_port() -> u16 {
    std::net::UdpSocket::bind("127.0.0.1:0")
        .and_then(|socket| socket.local_addr())
        .expect("a free UDP port")
        .port()
}

/// What a [`Relay`] does with the server's answers.
#[derive(Clone, Copy)]
pub enum OnAnswer {
    /// Loses the first `n` answers, passes the rest.
    Lose(usize),
    /// Turns every Access-Reject into an Access-Accept (code 3 to 2),
    /// leaving the rest of the datagram alone: what a forger on the path
    /// who does not know the secret can do.
    RejectToAccept,
}

/// A UDP relay between the check and a server, which records every
/// datagram the check sends.
pub struct Relay {
    address: SocketAddr,
    requests: Arc<Mutex<Vec<Vec<u8>>>>,
    task: JoinHandle<()>,
}

impl Relay {
    pub async fn start(server: SocketAddr, on_answer: OnAnswer) -> Relay {
        let front = UdpSocket::bind("127.0.0.1:0").await.expect("relay front");
        // One upstream socket: the server sees every copy from one port, as
        // it would from the gateway directly.
        let back = UdpSocket::bind("127.0.0.1:0").await.expect("relay back");
        back.connect(server).await.expect("relay connects");
        let address = front.local_addr().expect("relay address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            let mut client = None;
            let mut lost = 0;
            let mut from_client = vec![0u8; 4096];
            let mut from_server = vec![0u8; 4096];
            loop {
                tokio::select! {
                    received = front.recv_from(&mut from_client) => {
                        let Ok((length, from)) = received else { continue };
                        client = Some(from);
                        let datagram = from_client[..length].to_vec();
                        recorded.lock().expect("relay record").push(datagram.clone());
                        let _ = back.send(&datagram).await;
                    }
                    received = back.recv(&mut from_server) => {
                        let Ok(length) = received else { continue };
                        let Some(client) = client else { continue };
                        let mut datagram = from_server[..length].to_vec();
                        match on_answer {
                            OnAnswer::Lose(n) if lost < n => {
                                lost += 1;
                                continue;
                            }
                            OnAnswer::Lose(_) => {}
                            OnAnswer::RejectToAccept => {
                                if datagram.first() == Some(&3) {
                                    datagram[0] = 2;
                                }
                            }
                        }
                        let _ = front.send_to(&datagram, client).await;
                    }
                }
            }
        });
        Relay {
            address,
            requests,
            task,
        }
    }

    /// `127.0.0.1:port` of the relay's side facing the check.
    pub fn address(&self) -> String {
        self.address.to_string()
    }

    /// Every datagram the check sent, in order.
    pub fn requests(&self) -> Vec<Vec<u8>> {
        self.requests.lock().expect("relay record").clone()
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A server that receives and never answers (a firewall dropping the
/// gateway's datagrams, a server too busy to answer).
pub struct Silent {
    address: SocketAddr,
    requests: Arc<Mutex<Vec<Vec<u8>>>>,
    task: JoinHandle<()>,
}

impl Silent {
    pub async fn start() -> Silent {
        let socket = UdpSocket::bind("127.0.0.1:0").await.expect("silent server");
        let address = socket.local_addr().expect("silent server address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            let mut buffer = vec![0u8; 4096];
            while let Ok(length) = socket.recv(&mut buffer).await {
                recorded
                    .lock()
                    .expect("silent record")
                    .push(buffer[..length].to_vec());
            }
        });
        Silent {
            address,
            requests,
            task,
        }
    }

    pub fn address(&self) -> String {
        self.address.to_string()
    }

    pub fn requests(&self) -> Vec<Vec<u8>> {
        self.requests.lock().expect("silent record").clone()
    }
}

impl Drop for Silent {
    fn drop(&mut self) {
        self.task.abort();
    }
}
