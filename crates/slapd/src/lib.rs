//! A real, throwaway OpenLDAP server built from `config/ldap`, for the tests,
//! for `passerelle demo` and for anyone who wants to see the directory
//! contract at work. [`Slapd::start`] loads cn=config and the data with
//! `slapadd` into a temporary directory, runs `slapd` in the foreground on a
//! free 127.0.0.1 port as the current user, and returns once the server
//! answers a real LDAP search. The LDIF files are compiled into the binary,
//! so it works outside the repository; only Debian's own schemas
//! (`/etc/ldap/schema`), the modules (`/usr/lib/ldap`) and the `slapd`
//! and `ldap-utils` programs are taken from the system.
//!
//! Everything here is synchronous (std::process): call it from a plain test,
//! or from `spawn_blocking` in async code that must not stall.

use anyhow::{anyhow, bail, Context};
use base64::Engine as _;
use md4::{Digest as _, Md4};
use std::collections::HashMap;
use std::fs::{self, File};
use std::io::Write as _;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub const BASE_DN: &str = "dc=univ-exemple,dc=fr";
pub const PEOPLE_DN: &str = "ou=people,dc=univ-exemple,dc=fr";
pub const ADMIN_DN: &str = "cn=admin,dc=univ-exemple,dc=fr";
pub const ADMIN_PASSWORD: &str = "admin-demo-secret";
pub const SERVICE_DN: &str = "cn=passerelle,ou=services,dc=univ-exemple,dc=fr";
pub const SERVICE_PASSWORD: &str = "passerelle-demo-secret";
pub const RADIUS_DN: &str = "cn=radius,ou=services,dc=univ-exemple,dc=fr";
pub const RADIUS_PASSWORD: &str = "radius-demo-secret";
/// The breach sweep's own account: reads NT hashes, writes nothing.
pub const BREACH_SWEEP_DN: &str = "cn=breach-sweep,ou=services,dc=univ-exemple,dc=fr";
pub const BREACH_SWEEP_PASSWORD: &str = "breach-sweep-demo-secret";
/// The account of the sweep's notices: writes passerelleBreachNotice and
/// pwdReset, never a password.
pub const BREACH_NOTICE_DN: &str = "cn=breach-notice,ou=services,dc=univ-exemple,dc=fr";
pub const BREACH_NOTICE_PASSWORD: &str = "breach-notice-demo-secret";
/// The ppolicy entry every person falls under (`olcPPolicyDefault`).
pub const DEFAULT_POLICY_DN: &str = "cn=default,ou=policies,dc=univ-exemple,dc=fr";
/// rootdn of cn=config (same password as [`ADMIN_DN`]), to change the
/// overlay or the access rules of a running test server.
pub const CONFIG_ADMIN_DN: &str = "cn=admin,cn=config";

/// `slappasswd -h {SSHA} -s admin-demo-secret`, substituted for `@ROOTPW@`;
/// fixed so that starting a server needs no extra process.
const ADMIN_PASSWORD_HASH: &str = "{SSHA}WMSgBbcAf9JgUyTQ2hkD5EZBsXSdMJSi";
/// The account each provider of [`Slapd::start_providers`] binds as to
/// follow the other (`config/ldap/replication/replicator.ldif`).
pub const REPLICATOR_DN: &str = "cn=replicator,ou=services,dc=univ-exemple,dc=fr";
pub const REPLICATOR_PASSWORD: &str = "replicator-demo-secret";
/// `slappasswd -h {SSHA} -s replicator-demo-secret`, for `@REPLICATOR_HASH@`.
const REPLICATOR_PASSWORD_HASH: &str = "{SSHA}7dV6/QksWdqcdiELqlk9pIuU00C7U5hi";

const SLAPD: &str = "/usr/sbin/slapd";
const SLAPADD: &str = "/usr/sbin/slapadd";
const SLAPCAT: &str = "/usr/sbin/slapcat";
const SYSTEM_SCHEMA_DIR: &str = "/etc/ldap/schema";
const MODULE_DIR: &str = "/usr/lib/ldap";
/// Debian's schemas, in dependency order, before ours.
const SYSTEM_SCHEMAS: [&str; 4] = ["core", "cosine", "nis", "inetorgperson"];
const NOT_INSTALLED: &str =
    "slapd is not installed: run scripts/test or apt-get install slapd ldap-utils";

const SLAPD_GLOBAL: &str = include_str!("../../../config/ldap/slapd-global.ldif");
const SLAPD_DATABASES: &str = include_str!("../../../config/ldap/slapd-databases.ldif");
const OUR_SCHEMAS: [&str; 5] = [
    include_str!("../../../config/ldap/schema/supann.ldif"),
    include_str!("../../../config/ldap/schema/schac.ldif"),
    include_str!("../../../config/ldap/schema/eduperson.ldif"),
    include_str!("../../../config/ldap/schema/samba.ldif"),
    include_str!("../../../config/ldap/schema/passerelle.ldif"),
];
const BASE_LDIF: &str = include_str!("../../../config/ldap/base.ldif");
const REPLICATOR_LDIF: &str = include_str!("../../../config/ldap/replication/replicator.ldif");
const PROVIDERS_LDIF: &str = include_str!("../../../config/ldap/replication/providers.ldif");
const DEMO_PEOPLE_LDIF: &str = include_str!("../../../config/ldap/demo-people.ldif");

/// How long a starting slapd may take to answer before we give up.
const START_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a stopping slapd may take to exit on SIGTERM before SIGKILL.
const STOP_TIMEOUT: Duration = Duration::from_secs(5);
/// Fresh ports tried when another process takes ours between probe and bind.
const PORT_ATTEMPTS: usize = 5;

/// An entry as [`Slapd::search_as_admin`] returns it: its DN, and each
/// attribute (spelled as the server spells it) with its values.
pub type LdifEntry = (String, HashMap<String, Vec<String>>);

/// Which people the new directory holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum People {
    /// The ~30 people of `config/ldap/demo-people.ldif` (see demo-people.md).
    Demo,
    /// Base entries, service accounts and the default policy; no people.
    Empty,
}

/// A running throwaway slapd. Dropping it kills the server and removes its
/// files.
#[derive(Debug)]
pub struct Slapd {
    // Declared before `dir` so the process is gone before its files are.
    child: Option<Child>,
    port: u16,
    /// Counts launches, so each keeps its own log file.
    launches: usize,
    dir: tempfile::TempDir,
}

impl Slapd {
    /// Loads a fresh directory and starts slapd on a free port; returns once
    /// it answers LDAP searches.
    pub fn start(people: People) -> anyhow::Result<Slapd> {
        Self::start_with(people, "")
    }

    /// [`Slapd::start`] with `more_ldif` loaded by `slapadd` along with the
    /// people, before the server starts: the fast way to a directory of
    /// thousands of entries (`scripts/bench`). Nothing is hashed on the way
    /// in (slapadd bypasses the overlays), so a `userPassword` should be
    /// given hashed (`{SSHA}…`).
    pub fn start_with(people: People, more_ldif: &str) -> anyhow::Result<Slapd> {
        let mut data = String::from(BASE_LDIF);
        if people == People::Demo {
            data.push('\n');
            data.push_str(DEMO_PEOPLE_LDIF);
        }
        if !more_ldif.is_empty() {
            data.push('\n');
            data.push_str(more_ldif);
        }
        Slapd::start_with_data(&data)
    }

    /// Two providers of the same directory that replicate to each other
    /// (multi-provider syncrepl, serverID 1 and 2), configured with
    /// `config/ldap/replication/` exactly as its README tells a site: the
    /// replicator account is added to the first, the second starts from a
    /// copy of the first's data (`slapcat`, so both hold the same entries
    /// with the same `entryUUID`s), then `providers.ldif` is applied to
    /// both. A change made on either reaches the other; each can be
    /// stopped and started again on its port.
    pub fn start_providers(people: People) -> anyhow::Result<[Slapd; 2]> {
        let first = Slapd::start(people)?;
        first
            .add_ldif(&REPLICATOR_LDIF.replace("@REPLICATOR_HASH@", REPLICATOR_PASSWORD_HASH))
            .context("adding the replicator account")?;
        let copy = first.export_data()?;
        let second = Slapd::start_with_data(&copy)?;
        let providers = PROVIDERS_LDIF
            .replace("@PROVIDER1@", &first.url())
            .replace("@PROVIDER2@", &second.url())
            .replace("@REPLICATOR_PASSWORD@", REPLICATOR_PASSWORD);
        for provider in [&first, &second] {
            provider
                .modify_config_ldif(&providers)
                .with_context(|| format!("turning {} into a provider", provider.url()))?;
        }
        Ok([first, second])
    }

    /// The data of the running server, as `slapcat -n1` prints it (with
    /// the operational attributes that make a faithful copy).
    pub fn export_data(&self) -> anyhow::Result<String> {
        let output = Command::new(SLAPCAT)
            .args(["-n1", "-F"])
            .arg(self.dir.path().join("slapd.d"))
            .stdin(Stdio::null())
            .output()
            .map_err(|error| tool_spawn_error(SLAPCAT, error))?;
        check_tool_output("slapcat", &output)?;
        String::from_utf8(output.stdout).context("slapcat output is not UTF-8")
    }

    /// Loads cn=config and `data` into a fresh directory and starts slapd
    /// on a free port.
    fn start_with_data(data: &str) -> anyhow::Result<Slapd> {
        check_installed()?;
        let dir = tempfile::Builder::new()
            .prefix("passerelle-slapd-")
            .tempdir_in(std::env::temp_dir())
            .context("creating the slapd temporary directory")?;
        load(dir.path(), data)?;
        let mut slapd = Slapd {
            child: None,
            port: 0,
            launches: 0,
            dir,
        };
        let mut last_error = None;
        for _ in 0..PORT_ATTEMPTS {
            slapd.port = free_port()?;
            match slapd.launch() {
                Ok(()) => return Ok(slapd),
                // Most likely the port was taken between our probe and
                // slapd's bind: try another one.
                Err(LaunchError::Exited(message)) => last_error = Some(message),
                Err(LaunchError::Other(error)) => return Err(error),
            }
        }
        Err(anyhow!(
            "slapd exited at start {PORT_ATTEMPTS} times, on different ports: {}",
            last_error.unwrap_or_default()
        ))
    }

    /// `ldap://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("ldap://127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops the server (SIGTERM, then SIGKILL after 5 s) and keeps its data
    /// for [`Slapd::start_again`].
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let terminated = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .map(|status| status.success())
                .unwrap_or(false);
            if terminated {
                let deadline = Instant::now() + STOP_TIMEOUT;
                while Instant::now() < deadline {
                    if let Ok(Some(_)) = child.try_wait() {
                        return;
                    }
                    thread::sleep(Duration::from_millis(5));
                }
            }
            // Already exited, or deaf to SIGTERM: neither error helps a caller.
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Kills the server at once (SIGKILL: no clean shutdown, as in a crash
    /// or an OOM kill) and keeps its data for [`Slapd::start_again`].
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the stopped server again, on the same port with the same data.
    pub fn start_again(&mut self) -> anyhow::Result<()> {
        if let Some(child) = self.child.as_mut() {
            if child.try_wait()?.is_none() {
                return Ok(());
            }
            self.child = None;
        }
        self.launch().map_err(|error| match error {
            LaunchError::Exited(message) => {
                anyhow!("slapd did not start again on port {}: {message}", self.port)
            }
            LaunchError::Other(error) => error,
        })
    }

    /// `ldapadd` as the rootdn. A cleartext `userPassword` is hashed by the
    /// server ({ARGON2}); as rootdn, no quality or history check applies.
    pub fn add_ldif(&self, ldif: &str) -> anyhow::Result<()> {
        self.ldap_tool_as_admin("ldapadd", &[], Some(ldif))
            .map(drop)
            .context("ldapadd as rootdn")
    }

    /// `ldapmodify` as the rootdn. Beware: a `userPassword` written by the
    /// rootdn skips ppolicy's history and sets `pwdReset` (pwdMustChange).
    pub fn modify_ldif(&self, ldif: &str) -> anyhow::Result<()> {
        self.ldap_tool_as_admin("ldapmodify", &[], Some(ldif))
            .map(drop)
            .context("ldapmodify as rootdn")
    }

    /// `ldapmodify` as the rootdn of cn=config, to change the running
    /// server's configuration (overlays, access rules, replication).
    pub fn modify_config_ldif(&self, ldif: &str) -> anyhow::Result<()> {
        let output = self.run_ldap_tool_as("ldapmodify", CONFIG_ADMIN_DN, &[], Some(ldif))?;
        check_tool_output("ldapmodify", &output).context("ldapmodify as the cn=config rootdn")
    }

    /// Subtree search as the rootdn, past every access rule: for tests that
    /// must see what the gateway cannot (userPassword, pwdHistory, ...).
    /// Returns (DN, attribute name as the server spells it -> values); an
    /// empty `attrs` asks for all user attributes; a missing base gives no
    /// entries. Binary values are decoded lossily as UTF-8.
    pub fn search_as_admin(
        &self,
        base: &str,
        filter: &str,
        attrs: &[&str],
    ) -> anyhow::Result<Vec<LdifEntry>> {
        let mut args = vec!["-LLL", "-o", "ldif-wrap=no", "-b", base, filter];
        args.extend_from_slice(attrs);
        let output = self.run_ldap_tool_as_admin("ldapsearch", &args, None)?;
        // 32 noSuchObject: the base does not exist, so nothing matches.
        if output.status.code() == Some(32) {
            return Ok(Vec::new());
        }
        check_tool_output("ldapsearch", &output).context("ldapsearch as rootdn")?;
        parse_ldif_entries(&String::from_utf8_lossy(&output.stdout))
    }

    /// Where the database, cn=config and slapd's logs live (removed on drop).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// What slapd printed on stderr during its latest launch.
    pub fn log(&self) -> String {
        fs::read_to_string(self.log_path(self.launches)).unwrap_or_default()
    }

    fn log_path(&self, launch: usize) -> PathBuf {
        self.dir.path().join(format!("slapd-{launch}.log"))
    }

    /// Runs slapd in the foreground on `self.port` and polls until it
    /// answers; if it exits first, says so with its stderr.
    fn launch(&mut self) -> Result<(), LaunchError> {
        self.launches += 1;
        let log_path = self.log_path(self.launches);
        let log = File::create(&log_path).context("creating the slapd log file")?;
        let url = self.url();
        let config_dir = self.dir.path().join("slapd.d");
        // -d 0 keeps slapd in the foreground (our child, in our process
        // group, so it also dies on ^C); no -u: it runs as the current user.
        let mut child = Command::new(SLAPD)
            .arg("-h")
            .arg(&url)
            .arg("-F")
            .arg(&config_dir)
            .args(["-d", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .with_context(|| format!("running {SLAPD}"))?;
        let started = Instant::now();
        loop {
            if let Some(status) = child.try_wait().context("waiting for slapd")? {
                let log = fs::read_to_string(&log_path).unwrap_or_default();
                return Err(LaunchError::Exited(format!(
                    "slapd on {url} exited ({status}); its stderr: {}",
                    log.trim()
                )));
            }
            if answers(&url) {
                self.child = Some(child);
                return Ok(());
            }
            if started.elapsed() > START_TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                let log = fs::read_to_string(&log_path).unwrap_or_default();
                return Err(LaunchError::Other(anyhow!(
                    "slapd on {url} did not answer within {} s; its stderr: {}",
                    START_TIMEOUT.as_secs(),
                    log.trim()
                )));
            }
            thread::sleep(Duration::from_millis(5));
        }
    }

    fn ldap_tool_as_admin(
        &self,
        tool: &str,
        args: &[&str],
        stdin: Option<&str>,
    ) -> anyhow::Result<Output> {
        let output = self.run_ldap_tool_as_admin(tool, args, stdin)?;
        check_tool_output(tool, &output)?;
        Ok(output)
    }

    fn run_ldap_tool_as_admin(
        &self,
        tool: &str,
        args: &[&str],
        stdin: Option<&str>,
    ) -> anyhow::Result<Output> {
        self.run_ldap_tool_as(tool, ADMIN_DN, args, stdin)
    }

    /// Runs an ldap-utils tool bound as `bind_dn`, one of the two rootdns
    /// (they share a password).
    fn run_ldap_tool_as(
        &self,
        tool: &str,
        bind_dn: &str,
        args: &[&str],
        stdin: Option<&str>,
    ) -> anyhow::Result<Output> {
        // The password goes through a file (-y), never the command line.
        let password_file = self.dir.path().join("admin.password");
        let mut child = Command::new(tool)
            .args(["-x", "-H", &self.url(), "-D", bind_dn, "-y"])
            .arg(&password_file)
            .args(["-o", "nettimeout=10"])
            .args(args)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|error| tool_spawn_error(tool, error))?;
        if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
            pipe.write_all(text.as_bytes())
                .with_context(|| format!("writing LDIF to {tool}"))?;
        }
        child
            .wait_with_output()
            .with_context(|| format!("waiting for {tool}"))
    }
}

impl Drop for Slapd {
    fn drop(&mut self) {
        // SIGKILL: the data is about to be removed, a clean shutdown is moot.
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

enum LaunchError {
    /// slapd exited before answering (port taken, bad configuration).
    Exited(String),
    Other(anyhow::Error),
}

impl From<anyhow::Error> for LaunchError {
    fn from(error: anyhow::Error) -> Self {
        LaunchError::Other(error)
    }
}

fn check_installed() -> anyhow::Result<()> {
    let schema_dir = Path::new(SYSTEM_SCHEMA_DIR);
    if !Path::new(SLAPD).exists()
        || !Path::new(SLAPADD).exists()
        || !schema_dir.join("core.ldif").exists()
    {
        bail!(NOT_INSTALLED);
    }
    Ok(())
}

fn tool_spawn_error(tool: &str, error: std::io::Error) -> anyhow::Error {
    if error.kind() == std::io::ErrorKind::NotFound {
        anyhow!("{tool} not found. {NOT_INSTALLED}")
    } else {
        anyhow::Error::new(error).context(format!("running {tool}"))
    }
}

fn check_tool_output(tool: &str, output: &Output) -> anyhow::Result<()> {
    if output.status.success() {
        return Ok(());
    }
    bail!(
        "{tool} failed ({}): {} {}",
        output.status,
        String::from_utf8_lossy(&output.stderr).trim(),
        String::from_utf8_lossy(&output.stdout).trim()
    )
}

/// A port nobody listens on now. Another process may take it before slapd
/// binds it: [`Slapd::start`] then retries with a new one.
fn free_port() -> anyhow::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}

/// One real LDAP round trip: an anonymous read of the root DSE.
fn answers(url: &str) -> bool {
    Command::new("ldapsearch")
        .args(["-x", "-H", url, "-o", "nettimeout=2", "-LLL", "-s", "base"])
        .args(["-b", "", "namingContexts"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|status| status.success())
        .unwrap_or(false)
}

/// cn=config and `data` into `dir`, with slapadd; also the rootdn password
/// file the ldap-utils read.
fn load(dir: &Path, data: &str) -> anyhow::Result<()> {
    let config_dir = dir.join("slapd.d");
    let data_dir = dir.join("data");
    for path in [&config_dir, &data_dir] {
        fs::create_dir(path).with_context(|| format!("creating {}", path.display()))?;
    }
    let config = config_ldif(dir, &data_dir)?;
    let config_file = dir.join("config.ldif");
    fs::write(&config_file, config).context("writing config.ldif")?;
    slapadd(&["-n0"], &config_dir, &config_file).context("loading cn=config")?;

    let data_file = dir.join("data.ldif");
    fs::write(&data_file, data).context("writing data.ldif")?;
    // -q: no consistency checks, the input is ours.
    slapadd(&["-q", "-n1"], &config_dir, &data_file).context("loading the people")?;

    let password_file = dir.join("admin.password");
    write_private(&password_file, ADMIN_PASSWORD)?;
    Ok(())
}

/// The one LDIF stream `slapadd -n0` needs: our global part, Debian's
/// schemas, ours, then the databases; placeholders filled in.
fn config_ldif(run_dir: &Path, data_dir: &Path) -> anyhow::Result<String> {
    let mut parts = vec![SLAPD_GLOBAL.to_string()];
    for name in SYSTEM_SCHEMAS {
        let path = Path::new(SYSTEM_SCHEMA_DIR).join(format!("{name}.ldif"));
        let text = fs::read_to_string(&path)
            .with_context(|| format!("reading {}. {NOT_INSTALLED}", path.display()))?;
        parts.push(text);
    }
    parts.extend(OUR_SCHEMAS.iter().map(|text| text.to_string()));
    parts.push(SLAPD_DATABASES.to_string());
    // Entries must be separated by a blank line; Debian's files do not end
    // with one.
    let joined = parts
        .iter()
        .map(|part| part.trim_end())
        .collect::<Vec<_>>()
        .join("\n\n");
    Ok(joined
        .replace("@RUNDIR@", &path_text(run_dir)?)
        .replace("@DATADIR@", &path_text(data_dir)?)
        .replace("@MODULEDIR@", MODULE_DIR)
        .replace("@ROOTPW@", ADMIN_PASSWORD_HASH)
        + "\n")
}

fn path_text(path: &Path) -> anyhow::Result<String> {
    let text = path
        .to_str()
        .ok_or_else(|| anyhow!("temporary path is not UTF-8: {}", path.display()))?;
    if text.contains(char::is_whitespace) {
        bail!("temporary path contains a space, slapd.conf values cannot: {text}");
    }
    Ok(text.to_string())
}

fn slapadd(args: &[&str], config_dir: &Path, ldif: &Path) -> anyhow::Result<()> {
    let output = Command::new(SLAPADD)
        .args(args)
        .arg("-F")
        .arg(config_dir)
        .arg("-l")
        .arg(ldif)
        .stdin(Stdio::null())
        .output()
        .map_err(|error| tool_spawn_error(SLAPADD, error))?;
    check_tool_output("slapadd", &output)
}

fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))
}

/// Entries of `ldapsearch -LLL` output: blank-line separated, `name: value`,
/// `name:: base64`, continuation lines starting with one space.
fn parse_ldif_entries(text: &str) -> anyhow::Result<Vec<LdifEntry>> {
    let mut entries = Vec::new();
    for block in text.split("\n\n") {
        // Unfold first: a line starting with a space continues the previous.
        let mut lines: Vec<String> = Vec::new();
        for line in block.lines() {
            if let (Some(rest), Some(last)) = (line.strip_prefix(' '), lines.last_mut()) {
                last.push_str(rest);
            } else if !line.is_empty() && !line.starts_with('#') {
                lines.push(line.to_string());
            }
        }
        let mut dn = None;
        let mut attributes: HashMap<String, Vec<String>> = HashMap::new();
        for line in lines {
            let (name, value) = parse_ldif_line(&line)?;
            if dn.is_none() && name.eq_ignore_ascii_case("dn") {
                dn = Some(value);
            } else {
                attributes.entry(name).or_default().push(value);
            }
        }
        if let Some(dn) = dn {
            entries.push((dn, attributes));
        } else if !attributes.is_empty() {
            bail!("LDIF entry without a dn: {block}");
        }
    }
    Ok(entries)
}

fn parse_ldif_line(line: &str) -> anyhow::Result<(String, String)> {
    let (name, rest) = line
        .split_once(':')
        .ok_or_else(|| anyhow!("not an LDIF line: {line}"))?;
    let value = if let Some(encoded) = rest.strip_prefix(':') {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .with_context(|| format!("base64 value of {name}"))?;
        String::from_utf8_lossy(&bytes).into_owned()
    } else if rest.starts_with('<') {
        bail!("LDIF URL values are not supported: {line}");
    } else {
        rest.strip_prefix(' ').unwrap_or(rest).to_string()
    };
    Ok((name.to_string(), value))
}

/// A person a test creates for itself (with [`Slapd::add_ldif`]); each test
/// picks its own uid and identifiers so tests can share a server.
#[derive(Debug, Clone)]
pub struct TestPerson {
    /// Stored in clear in the LDIF; slapd hashes it ({ARGON2}) on add.
    pub password: String,
    /// `schacDateOfBirth`, YYYYMMDD.
    pub birth_date: String,
    /// `supannEtuId`
    pub student_number: Option<String>,
    /// `supannCodeINE`
    pub ine: Option<String>,
    /// `supannEmpId`
    pub staff_number: Option<String>,
    /// `supannMailPerso`
    pub recovery_mail: Option<String>,
    /// `mobile`, as stored (any spelling).
    pub mobile: Option<String>,
    /// `sambaSamAccount` with the NT hash of `password` and `sambaPwdLastSet`.
    pub samba: bool,
    /// `posixAccount` + `shadowAccount` with `shadowLastChange`.
    pub shadow: bool,
    /// `passerelleAccount` with `passerelleActivationPending: TRUE`: an
    /// account the site's provisioning marks for « Activer mon compte »
    /// (the default `flows.activation_filter`).
    pub activation_pending: bool,
    pub given_name: String,
    pub sn: String,
}

impl Default for TestPerson {
    fn default() -> Self {
        TestPerson {
            password: "Tilleul-Argenté-2024".into(),
            birth_date: "20010915".into(),
            student_number: None,
            ine: None,
            staff_number: None,
            recovery_mail: None,
            mobile: None,
            samba: true,
            shadow: true,
            activation_pending: false,
            given_name: "Camille".into(),
            sn: "Essai".into(),
        }
    }
}

/// The LDIF of a person `uid=<uid>,ou=people,...` (ready for
/// [`Slapd::add_ldif`]): inetOrgPerson + supannPerson +
/// schacPersonalCharacteristics + eduPerson, mail `<uid>@univ-exemple.fr`,
/// and the options of `opts`. An empty password leaves out `userPassword`
/// and the NT hash (an account provisioned to be activated).
pub fn person_ldif(uid: &str, opts: &TestPerson) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or(0);
    let uid_number = 100_000 + fnv1a(uid) % 800_000;
    let mut classes = vec![
        "inetOrgPerson",
        "supannPerson",
        "schacPersonalCharacteristics",
        "eduPerson",
    ];
    if opts.shadow {
        classes.extend(["posixAccount", "shadowAccount"]);
    }
    if opts.samba {
        classes.push("sambaSamAccount");
    }
    if opts.activation_pending {
        classes.push("passerelleAccount");
    }
    let mut ldif = String::new();
    let mut line = |name: &str, value: &str| ldif.push_str(&ldif_line(name, value));
    line("dn", &format!("uid={uid},{PEOPLE_DN}"));
    for class in classes {
        line("objectClass", class);
    }
    line("uid", uid);
    line("cn", &format!("{} {}", opts.given_name, opts.sn));
    line("givenName", &opts.given_name);
    line("sn", &opts.sn);
    line("mail", &format!("{uid}@univ-exemple.fr"));
    if let Some(mail) = &opts.recovery_mail {
        line("supannMailPerso", mail);
    }
    if let Some(mobile) = &opts.mobile {
        line("mobile", mobile);
    }
    if let Some(number) = &opts.student_number {
        line("supannEtuId", number);
    }
    if let Some(ine) = &opts.ine {
        line("supannCodeINE", ine);
    }
    if let Some(number) = &opts.staff_number {
        line("supannEmpId", number);
    }
    line("schacDateOfBirth", &opts.birth_date);
    let student = opts.student_number.is_some() || opts.ine.is_some();
    if student {
        line("eduPersonAffiliation", "student");
    }
    if opts.staff_number.is_some() {
        line("eduPersonAffiliation", "employee");
    }
    line("eduPersonAffiliation", "member");
    line("eduPersonPrincipalName", &format!("{uid}@univ-exemple.fr"));
    // An empty password: an account provisioned without one (never
    // activated).
    if !opts.password.is_empty() {
        line("userPassword", &opts.password);
    }
    if opts.activation_pending {
        line("passerelleActivationPending", "TRUE");
    }
    if opts.shadow {
        line("uidNumber", &uid_number.to_string());
        line("gidNumber", if student { "10000" } else { "20000" });
        line("homeDirectory", &format!("/home/{uid}"));
        line("loginShell", "/bin/bash");
        line("shadowLastChange", &(now / 86_400).to_string());
    }
    if opts.samba {
        line(
            "sambaSID",
            &format!(
                "S-1-5-21-3623811015-3361044348-30300820-{}",
                2 * uid_number + 1000
            ),
        );
        // No password, no NT hash: Wi-Fi opens once one is chosen.
        if !opts.password.is_empty() {
            line("sambaNTPassword", &nt_hash(&opts.password));
            line("sambaPwdLastSet", &now.to_string());
        }
        line("sambaAcctFlags", "[U          ]");
    }
    ldif
}

/// Uppercase hex MD4 of the UTF-16LE password, as `sambaNTPassword` holds it.
fn nt_hash(password: &str) -> String {
    let utf16: Vec<u8> = password.encode_utf16().flat_map(u16::to_le_bytes).collect();
    hex::encode_upper(Md4::digest(&utf16))
}

/// A stable number from a uid, so a test person keeps its uidNumber/SID.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// `name: value`, or `name:: base64` when LDIF does not allow the value as
/// is (non-ASCII, leading space, colon or `<`, trailing space).
fn ldif_line(name: &str, value: &str) -> String {
    let safe = value.bytes().all(|b| (0x20..0x7f).contains(&b))
        && !value.starts_with([' ', ':', '<'])
        && !value.ends_with(' ');
    if safe {
        format!("{name}: {value}\n")
    } else {
        let encoded = base64::engine::general_purpose::STANDARD.encode(value);
        format!("{name}:: {encoded}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nt_hash_is_uppercase_md4_of_utf16le() {
        // Well-known value: NT hash of "password".
        assert_eq!(nt_hash("password"), "8846F7EAEE8FB117AD06BDD830B7586C");
    }

    #[test]
    fn ldif_values_that_ldif_forbids_are_base64() {
        assert_eq!(ldif_line("sn", "Dupont"), "sn: Dupont\n");
        assert_eq!(ldif_line("sn", "Lefèvre"), "sn:: TGVmw6h2cmU=\n");
        assert_eq!(ldif_line("cn", " x"), "cn:: IHg=\n");
    }

    #[test]
    fn ldapsearch_output_is_parsed_with_base64_and_folding() {
        let text = "dn: uid=a,ou=people,dc=x\nuserPassword:: e1NTSEF9YWJj\nmail: a@\n b.fr\nmail: c@d\n\ndn:: dWlkPWIsZGM9eA==\ncn: B\n\n";
        let entries = parse_ldif_entries(text).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].0, "uid=a,ou=people,dc=x");
        assert_eq!(entries[0].1["userPassword"], vec!["{SSHA}abc"]);
        assert_eq!(entries[0].1["mail"], vec!["a@b.fr", "c@d"]);
        assert_eq!(entries[1].0, "uid=b,dc=x");
    }
}
