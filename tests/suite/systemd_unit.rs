//! `config/systemd/`: the gateway's service and the expiry notices' service
//! (the Debian package ships both, with the timer): each ExecStart is a
//! command line the binary accepts at the path the package installs it,
//! every `PASSERELLE_*` variable a unit sets is a real configuration key
//! whose secret file `LoadCredential=` provides, the hardening the
//! deployment guide promises is there, and, where `systemd-analyze`
//! exists, systemd itself verifies the units.

use figment::providers::{Format, Toml};
use figment::Figment;
use passerelle::config::Settings;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

const SERVICE: &str = "passerelle.service";
const NOTICES: &str = "passerelle-notify-expiring.service";
const TIMER: &str = "passerelle-notify-expiring.timer";

fn unit_path(unit: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("config/systemd")
        .join(unit)
}

/// `Key=value` lines of the unit, in order (comments left out).
fn directives(unit: &str) -> Vec<(String, String)> {
    std::fs::read_to_string(unit_path(unit))
        .expect("unit")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('['))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect()
}

fn values(unit: &str, name: &str) -> Vec<String> {
    directives(unit)
        .into_iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v)
        .collect()
}

#[test]
fn exec_start_is_a_command_the_binary_accepts() {
    for (unit, command) in [(SERVICE, "serve"), (NOTICES, "notify-expiring")] {
        let exec = values(unit, "ExecStart");
        assert_eq!(exec.len(), 1, "{unit}: {exec:?}");
        let words: Vec<&str> = exec[0].split_whitespace().collect();
        // Where the Debian package puts the binary.
        assert_eq!(words[0], "/usr/bin/passerelle", "{unit}");
        let mut argv = vec!["passerelle"];
        argv.extend(&words[1..]);
        if let Err(error) = passerelle::cli::accepts(&argv) {
            panic!("passerelle refuses {argv:?}: {error}");
        }
        assert_eq!(words[1], command, "{unit}");
    }
}

#[test]
fn the_hardening_is_there() {
    for (name, expected) in [
        ("DynamicUser", "yes"),
        ("ProtectSystem", "strict"),
        ("ProtectHome", "yes"),
        ("PrivateTmp", "yes"),
        ("PrivateDevices", "yes"),
        ("NoNewPrivileges", "yes"),
        ("CapabilityBoundingSet", ""),
        ("AmbientCapabilities", ""),
        ("RestrictAddressFamilies", "AF_INET AF_INET6 AF_UNIX"),
        ("MemoryDenyWriteExecute", "yes"),
        ("StateDirectory", "passerelle"),
        ("LogsDirectory", "passerelle"),
    ] {
        assert_eq!(values(SERVICE, name), [expected], "{name}");
        // The notices read the same secrets under the same guard: no
        // system user to make, nothing on disk to own.
        assert_eq!(values(NOTICES, name), [expected], "{NOTICES}: {name}");
    }
    for unit in [SERVICE, NOTICES] {
        assert!(values(unit, "SystemCallFilter").contains(&"@system-service".to_owned()));
        // One throwaway user for both: systemd gives a StateDirectory= to
        // the user of the unit that starts, so two names would take the
        // gateway's spool from it every morning.
        assert_eq!(values(unit, "User"), ["passerelle"], "{unit}");
    }
    // Stopping waits longer than the gateway's own bound (20 s for the
    // requests, 10 s for the mails).
    let stop = values(SERVICE, "TimeoutStopSec");
    let seconds: u64 = stop[0].trim_end_matches('s').parse().expect("seconds");
    assert!(seconds > 30, "{stop:?}");
}

/// The environment the unit sets, `%d` (the credentials directory) made
/// `credentials`, loaded on top of a configuration without secrets through
/// the real loader: each variable names a real key, and each secret comes
/// from a file `LoadCredential=` provides.
#[test]
fn credentials_reach_the_secret_file_keys() {
    for unit in [SERVICE, NOTICES] {
        credentials_of_the_unit_reach_the_secret_file_keys(unit);
    }
}

fn credentials_of_the_unit_reach_the_secret_file_keys(unit: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let credentials = dir.path().join("credentials");
    std::fs::create_dir(&credentials).expect("credentials directory");
    let mut provided = Vec::new();
    for credential in values(unit, "LoadCredential") {
        let (name, source) = credential.split_once(':').expect("NAME:PATH");
        assert!(source.starts_with("/etc/passerelle/"), "{source}");
        std::fs::write(
            credentials.join(name),
            format!("{name}-{}\n", "x".repeat(40)),
        )
        .expect("credential");
        provided.push(name.to_owned());
    }
    let mut figment = Figment::new().merge(Toml::string(
        "[ldap]\nbind_dn = \"cn=passerelle,ou=services,dc=univ-exemple,dc=fr\"\n",
    ));
    let mut used = BTreeMap::new();
    for assignment in values(unit, "Environment") {
        let (variable, value) = assignment.split_once('=').expect("VAR=value");
        let key = variable
            .strip_prefix("PASSERELLE_")
            .expect("a Passerelle variable")
            .to_lowercase()
            .replace("__", ".");
        let file = value
            .strip_prefix("%d/")
            .expect("a file in the credentials");
        assert!(
            provided.iter().any(|p| p == file),
            "{unit}: {file} is not loaded"
        );
        used.insert(key.clone(), file.to_owned());
        figment = figment.merge((key, credentials.join(file)));
    }
    let settings = Settings::from_figment(figment).expect("every variable is a real key");
    if let Err(error) = settings.resolve_secrets() {
        panic!("{unit}: a secret the gateway needs comes from no credential: {error}");
    }
    assert_eq!(
        used.len(),
        provided.len(),
        "{unit}: {used:?} / {provided:?}"
    );
}

#[test]
fn systemd_verifies_the_unit_where_it_is_installed() {
    let Ok(version) = Command::new("systemd-analyze").arg("--version").output() else {
        eprintln!("skipped: systemd-analyze is not installed; the static checks ran");
        return;
    };
    assert!(version.status.success());
    // verify needs the binary the units name: this build's.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut copies = Vec::new();
    for unit in [SERVICE, NOTICES, TIMER] {
        let text = std::fs::read_to_string(unit_path(unit))
            .expect("unit")
            .replace("/usr/bin/passerelle", env!("CARGO_BIN_EXE_passerelle"));
        let copy = dir.path().join(unit);
        std::fs::write(&copy, text).expect("copy");
        copies.push(copy);
    }
    let copy = copies[0].clone();
    let verified = Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .args(&copies)
        .output()
        .expect("systemd-analyze verify");
    let said = String::from_utf8_lossy(&verified.stderr).into_owned();
    let about_ours: Vec<&str> = said.lines().filter(|l| l.contains("passerelle")).collect();
    assert!(verified.status.success() && about_ours.is_empty(), "{said}");

    // The exposure score systemd gives the unit (0 best, 10 worst).
    let security = Command::new("systemd-analyze")
        .args(["security", "--offline=yes", "--no-pager"])
        .arg(&copy)
        .output()
        .expect("systemd-analyze security");
    let printed = String::from_utf8_lossy(&security.stdout);
    if let Some(line) = printed
        .lines()
        .find(|l| l.contains("Overall exposure level"))
    {
        let score: f64 = line
            .split(": ")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .and_then(|s| s.parse().ok())
            .unwrap_or(10.0);
        assert!(score <= 2.0, "{line}");
    } else {
        eprintln!("this systemd-analyze cannot score an offline unit: {printed}");
    }
}

/// `config/systemd/passerelle-breach-sweep.service`: its ExecStart is a
/// command the binary accepts, and each variable names a real key of
/// `[breach_sweep]` read from a credential the unit loads.
#[test]
fn the_breach_sweep_unit_runs_a_command_the_binary_accepts_with_its_credentials() {
    let unit = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("config/systemd/passerelle-breach-sweep.service"),
    )
    .expect("unit");
    let directives: Vec<(String, String)> = unit
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('['))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let values = |name: &str| -> Vec<String> {
        directives
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let exec = values("ExecStart");
    assert_eq!(exec.len(), 1, "{exec:?}");
    let words: Vec<&str> = exec[0].split_whitespace().collect();
    // Where the Debian package puts the binary.
    assert_eq!(words[0], "/usr/bin/passerelle");
    let mut argv = vec!["passerelle"];
    argv.extend(&words[1..]);
    if let Err(error) = passerelle::cli::accepts(&argv) {
        panic!("passerelle refuses {argv:?}: {error}");
    }
    assert_eq!(words[1], "breach-sweep");
    assert!(words.contains(&"--notify"));
    let loaded: Vec<String> = values("LoadCredential")
        .iter()
        .map(|c| c.split_once(':').expect("NAME:PATH").0.to_owned())
        .collect();
    let mut figment = Figment::new();
    for assignment in values("Environment") {
        let (variable, value) = assignment.split_once('=').expect("VAR=value");
        let key = variable
            .strip_prefix("PASSERELLE_")
            .expect("a Passerelle variable")
            .to_lowercase()
            .replace("__", ".");
        let file = value.strip_prefix("%d/").expect("a credential");
        assert!(loaded.iter().any(|l| l == file), "{file} is not loaded");
        figment = figment.merge((key, format!("/run/credentials/{file}")));
    }
    let settings = Settings::from_figment(figment).expect("every variable is a real key");
    assert!(settings.breach_sweep.reader_bind_password_file.is_some());
    assert!(settings.breach_sweep.notice_bind_password_file.is_some());
    for (name, expected) in [("NoNewPrivileges", "yes"), ("ProtectSystem", "strict")] {
        assert_eq!(values(name), [expected], "{name}");
    }
}
