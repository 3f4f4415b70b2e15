//! A real, throwaway FreeRADIUS for tests that prove a password written by the
//! gateway is the one Wi-Fi accepts.
//!
//! `FreeRadius::start` writes a complete raddb (from
//! `tests/fixtures/freeradius/radiusd.conf`, a throwaway CA and server
//! certificate for PEAP, a random shared secret) into a temporary directory,
//! runs Debian's `freeradius` in the foreground on a free UDP port, and waits
//! until it answers a Status-Server. rlm_ldap reads the person's
//! `sambaNTPassword` from the directory under test; logins are then tried the
//! way a Wi-Fi access point would: MS-CHAP through `radtest`, and
//! PEAP-MSCHAPv2 (what eduroam laptops and phones use) through `eapol_test`.
//! The server is killed and its directory removed on drop; its log is kept
//! until then and quoted in every failure.

#![allow(dead_code)]

#[path = "tls.rs"]
mod tls;

use std::fmt::Write as _;
use std::fs::File;
use std::io::Write as _;
use std::net::UdpSocket;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use rand::distributions::Alphanumeric;
use rand::Rng;

const CONFIG_TEMPLATE: &str = include_str!("../fixtures/freeradius/radiusd.conf");

/// How long FreeRADIUS may take to load its modules and bind (it usually
/// needs well under a second).
const START_TIMEOUT: Duration = Duration::from_secs(15);

/// How long one login attempt may take before the client is killed: an
/// unanswered `radtest` would otherwise retry for 15 s.
const LOGIN_TIMEOUT: Duration = Duration::from_secs(10);

/// A running FreeRADIUS that authenticates against one LDAP directory.
pub struct FreeRadius {
    child: Child,
    port: u16,
    secret: String,
    dir: tempfile::TempDir,
    log_path: PathBuf,
    eapol_configs: AtomicUsize,
}

impl FreeRadius {
    /// Starts FreeRADIUS with rlm_ldap bound as `bind_dn` to the directory at
    /// `ldap_url` (`ldap://host:port`), looking people up by `uid` under
    /// `base_dn`, and returns once it answers.
    pub fn start(
        ldap_url: &str,
        base_dn: &str,
        bind_dn: &str,
        bind_password: &str,
    ) -> Result<Self> {
        require_tools()?;
        let url = url::Url::parse(ldap_url).with_context(|| format!("LDAP URL {ldap_url:?}"))?;
        if url.scheme() != "ldap" {
            bail!("the Wi-Fi test launcher speaks plain ldap:// only, got {ldap_url:?}");
        }
        let ldap_host = url.host_str().context("LDAP URL without host")?.to_owned();
        let ldap_port = url.port().unwrap_or(389);
        for (what, value) in [
            ("LDAP host", ldap_host.as_str()),
            ("base DN", base_dn),
            ("bind DN", bind_dn),
            ("bind password", bind_password),
        ] {
            ensure_config_safe(what, value)?;
        }

        let dir = tempfile::Builder::new()
            .prefix("passerelle-radius-")
            .tempdir()?;
        write_certificates(dir.path())?;
        let secret: String = rand::thread_rng()
            .sample_iter(&Alphanumeric)
            .take(24)
            .map(char::from)
            .collect();

        // A port picked by binding port 0 can be taken again before
        // FreeRADIUS binds it; when that happens, try another one.
        let mut attempts = 0;
        loop {
            attempts += 1;
            let port = free_udp_port()?;
            let config = CONFIG_TEMPLATE
                .replace("@DIR@", &dir.path().display().to_string())
                .replace("@PORT@", &port.to_string())
                .replace("@SECRET@", &secret)
                .replace("@LDAP_HOST@", &ldap_host)
                .replace("@LDAP_PORT@", &ldap_port.to_string())
                .replace("@BASE_DN@", base_dn)
                .replace("@BIND_DN@", bind_dn)
                .replace("@BIND_PASSWORD@", bind_password);
            std::fs::write(dir.path().join("radiusd.conf"), config)?;
            let log_path = dir.path().join(format!("radiusd-{port}.log"));
            let log = File::create(&log_path)?;
            let mut child = Command::new("freeradius")
                // -X: foreground, one thread, full debug to stdout (the log
                // is what explains a rejected login when a test fails).
                .args(["-X", "-d"])
                .arg(dir.path())
                .stdin(Stdio::null())
                .stdout(log.try_clone()?)
                .stderr(log)
                .spawn()
                .context("running freeradius")?;
            match wait_until_ready(&mut child, port, &secret, &log_path) {
                Ok(()) => {
                    return Ok(FreeRadius {
                        child,
                        port,
                        secret,
                        dir,
                        log_path,
                        eapol_configs: AtomicUsize::new(0),
                    })
                }
                Err(error) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    let port_taken = read_log(&log_path).contains("Address already in use");
                    if !port_taken || attempts == 3 {
                        return Err(error);
                    }
                }
            }
        }
    }

    /// The UDP port FreeRADIUS listens on for Access-Requests (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The shared secret of its one client entry (127.0.0.1), for a
    /// gateway that asks it itself (`[radius]`).
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// How many logins of `user` FreeRADIUS has accepted and refused so
    /// far, from its own log (`Login OK` / `Login incorrect` lines).
    pub fn logins_of(&self, user: &str) -> (usize, usize) {
        let log = self.log();
        let count = |what: &str| {
            log.lines()
                .filter(|line| line.contains(what) && line.contains(&format!(": [{user}]")))
                .count()
        };
        (count("Login OK"), count("Login incorrect"))
    }

    /// Everything FreeRADIUS has logged so far.
    pub fn log(&self) -> String {
        read_log(&self.log_path)
    }

    /// Tries an MS-CHAP login with `radtest -t mschap`: `Ok(true)` on
    /// Access-Accept, `Ok(false)` on Access-Reject, an error (quoting the
    /// client's output and the server's log) on anything else.
    pub fn radtest_mschap(&self, user: &str, password: &str) -> Result<bool> {
        for (what, value) in [("user", user), ("password", password)] {
            // radtest writes the values between double quotes for radclient.
            if value.is_empty()
                || value
                    .chars()
                    .any(|c| c == '"' || c == '\\' || c.is_control())
            {
                bail!("radtest cannot carry this {what}: use one without quotes, backslashes or control characters");
            }
        }
        let server = format!("127.0.0.1:{}", self.port);
        let mut command = Command::new("radtest");
        command.args([
            "-t",
            "mschap",
            user,
            password,
            &server,
            "0",
            &self.secret,
            "0",
            "127.0.0.1",
        ]);
        let output = run_with_timeout(command, LOGIN_TIMEOUT).context("running radtest")?;
        let text = redact(&output_text(&output), password);
        if text.contains("Received Access-Accept") {
            Ok(true)
        } else if text.contains("Received Access-Reject") {
            Ok(false)
        } else {
            bail!(
                "radtest -t mschap for {user:?} got neither Accept nor Reject ({}):\n{text}\n{}",
                output.status,
                self.log_tail()
            )
        }
    }

    /// Tries a PEAP-MSCHAPv2 login with `eapol_test`, checking the server
    /// certificate against the throwaway CA: `Ok(true)` when the whole EAP
    /// conversation succeeds (Access-Accept with matching MPPE keys),
    /// `Ok(false)` on Access-Reject, an error on anything else.
    pub fn eapol_peap_mschapv2(&self, user: &str, password: &str) -> Result<bool> {
        let n = self.eapol_configs.fetch_add(1, Ordering::Relaxed);
        let config_path = self.dir.path().join(format!("eapol-{n}.conf"));
        // Identity and password go in hex so that no character can break
        // wpa_supplicant's quoting.
        let config = format!(
            "network={{\n\tkey_mgmt=WPA-EAP\n\teap=PEAP\n\tidentity={}\n\tanonymous_identity=\"anonymous\"\n\tpassword={}\n\tphase2=\"auth=MSCHAPV2\"\n\tca_cert=\"{}\"\n}}\n",
            hex::encode(user),
            hex::encode(password),
            self.dir.path().join("ca.pem").display(),
        );
        std::fs::write(&config_path, config)?;
        let mut command = Command::new("eapol_test");
        command.arg("-c").arg(&config_path).args([
            "-a",
            "127.0.0.1",
            "-p",
            &self.port.to_string(),
            "-s",
            &self.secret,
            "-t",
            "8",
        ]);
        let output = run_with_timeout(command, LOGIN_TIMEOUT);
        // The file holds the password: it goes as soon as it is read.
        let _ = std::fs::remove_file(&config_path);
        let output = output.context("running eapol_test")?;
        let text = redact(&output_text(&output), password);
        let rejected = text.contains("(Access-Reject)");
        let accepted = text.contains("(Access-Accept)");
        if output.status.success() && text.trim_end().ends_with("SUCCESS") && accepted {
            Ok(true)
        } else if rejected && !accepted {
            Ok(false)
        } else {
            let tail: Vec<&str> = text.lines().rev().take(40).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            bail!(
                "eapol_test PEAP-MSCHAPv2 for {user:?} got neither Accept nor Reject ({}):\n{}\n{}",
                output.status,
                tail.join("\n"),
                self.log_tail()
            )
        }
    }

    /// The end of the server's log, for failure messages.
    pub fn log_tail(&self) -> String {
        log_tail(&self.log_path)
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_log(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

fn log_tail(path: &Path) -> String {
    let log = read_log(path);
    let lines: Vec<&str> = log.lines().collect();
    let start = lines.len().saturating_sub(80);
    let mut tail = String::from("--- FreeRADIUS log (end) ---\n");
    for line in &lines[start..] {
        let _ = writeln!(tail, "{line}");
    }
    tail
}

/// Polls until FreeRADIUS has loaded everything and answers a Status-Server,
/// failing at once if it exits.
fn wait_until_ready(child: &mut Child, port: u16, secret: &str, log_path: &Path) -> Result<()> {
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        if let Some(status) = child.try_wait()? {
            bail!(
                "freeradius exited during start-up ({status})\n{}",
                log_tail(log_path)
            );
        }
        if read_log(log_path).contains("Ready to process requests")
            && answers_status_server(port, secret)?
        {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!(
                "freeradius did not answer within {START_TIMEOUT:?}\n{}",
                log_tail(log_path)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// One Status-Server round trip (RFC 5997) with a short timeout.
fn answers_status_server(port: u16, secret: &str) -> Result<bool> {
    let mut child = Command::new("radclient")
        .args(["-c", "1", "-t", "0.5", "-r", "1"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["status", secret])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("running radclient")?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(b"Message-Authenticator = 0x00\n")?;
    }
    let output = child.wait_with_output()?;
    Ok(output_text(&output).contains("Received Access-Accept"))
}

impl Drop for FreeRadius {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Fails with the one command that fixes it when FreeRADIUS or its clients are
/// missing: the Wi-Fi proof never skips.
fn require_tools() -> Result<()> {
    let missing: Vec<&str> = [
        "freeradius",
        "radtest",
        "radclient",
        "eapol_test",
        "openssl",
    ]
    .into_iter()
    .filter(|tool| !on_path(tool))
    .collect();
    let ldap_module = Path::new("/usr/lib/freeradius/rlm_ldap.so").exists();
    if !missing.is_empty() || !ldap_module {
        let mut what = missing.join(", ");
        if !ldap_module {
            if !what.is_empty() {
                what.push_str(", ");
            }
            what.push_str("rlm_ldap (freeradius-ldap)");
        }
        bail!(
            "the Wi-Fi test needs FreeRADIUS and its clients; missing: {what}. Run scripts/test, \
             which installs freeradius, freeradius-ldap, freeradius-utils and eapoltest"
        );
    }
    Ok(())
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()))
        .unwrap_or(false)
}

/// The values go into double-quoted strings of radiusd.conf, where `"`, `\`
/// and `${` have meanings of their own.
fn ensure_config_safe(what: &str, value: &str) -> Result<()> {
    if value
        .chars()
        .any(|c| c == '"' || c == '\\' || c.is_control())
        || value.contains("${")
    {
        bail!("the {what} cannot be written into radiusd.conf as is: {value:?}");
    }
    Ok(())
}

fn free_udp_port() -> Result<u16> {
    let socket = UdpSocket::bind("127.0.0.1:0")?;
    Ok(socket.local_addr()?.port())
}

/// A throwaway CA and a server certificate it signed, for the PEAP tunnel,
/// as `ca.pem`, `server.pem` and `server.key` in `dir`.
fn write_certificates(dir: &Path) -> Result<()> {
    tls::write_test_ca(dir).map_err(anyhow::Error::msg)?;
    Ok(())
}

/// Runs a client, killing it if it has not finished by `timeout`.
fn run_with_timeout(mut command: Command, timeout: Duration) -> Result<Output> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let deadline = Instant::now() + timeout;
    // Read the pipes on their own threads so a chatty client cannot block on
    // a full pipe while we wait.
    let stdout = child.stdout.take().map(read_in_background);
    let stderr = child.stderr.take().map(read_in_background);
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            bail!(
                "{:?} did not finish within {timeout:?}",
                command.get_program()
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let collect = |handle: Option<std::thread::JoinHandle<Vec<u8>>>| {
        handle.and_then(|h| h.join().ok()).unwrap_or_default()
    };
    Ok(Output {
        status,
        stdout: collect(stdout),
        stderr: collect(stderr),
    })
}

fn read_in_background<R: std::io::Read + Send + 'static>(
    mut reader: R,
) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buffer = Vec::new();
        let _ = reader.read_to_end(&mut buffer);
        buffer
    })
}

fn output_text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// radtest echoes the password it sends; a failure message must not.
fn redact(text: &str, password: &str) -> String {
    text.replace(password, "<password>")
}
