//! `docker/` checked with what runs here (no Docker engine): the image's
//! ENTRYPOINT, CMD and HEALTHCHECK are command lines the real binary
//! accepts, it runs as a non-root user, every COPY source exists, the
//! compose file parses and mounts files that exist, the demo configuration
//! loads with the real loader, and the directory container's bootstrap
//! script, run here on a free port, serves `config/ldap` to the gateway's
//! service account. `docker compose config` runs too when Docker Compose
//! is installed.

use passerelle::config::{LdapSettings, Settings};
use passerelle::directory::Directory;
use passerelle::slapd::{PEOPLE_DN, SERVICE_DN, SERVICE_PASSWORD};
use secrecy::SecretString;
use serde_norway::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn docker() -> PathBuf {
    repo().join("docker")
}

/// A Dockerfile's instructions: continuation lines joined, comments and
/// the parser directive left out; each as (INSTRUCTION, arguments).
fn instructions(path: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).expect("Dockerfile");
    let mut joined = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if current.is_empty() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        match trimmed.strip_suffix('\\') {
            Some(start) => {
                current.push_str(start);
                current.push(' ');
            }
            None => {
                current.push_str(trimmed);
                joined.push(std::mem::take(&mut current));
            }
        }
    }
    joined
        .into_iter()
        .map(|line| {
            let (name, rest) = line.split_once(' ').unwrap_or((&line, ""));
            (name.to_uppercase(), rest.trim().to_owned())
        })
        .collect()
}

/// The instructions of the last stage (the image that runs).
fn final_stage(all: &[(String, String)]) -> Vec<(String, String)> {
    let start = all
        .iter()
        .rposition(|(name, _)| name == "FROM")
        .expect("a FROM");
    all[start..].to_vec()
}

/// An exec-form argument list (`["a", "b"]`).
fn exec_form(arguments: &str) -> Vec<String> {
    serde_json::from_str(arguments)
        .unwrap_or_else(|e| panic!("not the exec form (JSON array): {arguments}: {e}"))
}

fn one(stage: &[(String, String)], name: &str) -> String {
    let found: Vec<&String> = stage
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, a)| a)
        .collect();
    assert_eq!(found.len(), 1, "one {name} in the final stage: {found:?}");
    found[0].clone()
}

/// The command line as `passerelle` would see it: the program name, then
/// what follows the binary's path.
fn accepted(binary_and_arguments: &[String]) {
    let (binary, arguments) = binary_and_arguments.split_first().expect("a command");
    assert_eq!(binary, "/usr/local/bin/passerelle");
    let mut argv = vec!["passerelle".to_owned()];
    argv.extend(arguments.iter().cloned());
    if let Err(error) = passerelle::cli::accepts(&argv) {
        panic!("passerelle refuses {argv:?}: {error}");
    }
}

const CONFIG_IN_IMAGE: &str = "/etc/passerelle/passerelle.toml";

#[test]
fn the_image_runs_real_subcommands_as_a_user_that_is_not_root() {
    let all = instructions(&docker().join("Dockerfile"));
    let stage = final_stage(&all);
    let from = one(&stage, "FROM");
    assert!(from.starts_with("gcr.io/distroless/"), "{from}");

    let user = one(&stage, "USER");
    let uid = user.split(':').next().unwrap_or_default();
    assert!(
        !matches!(uid, "" | "0" | "root"),
        "the image must not run as root: USER {user}"
    );

    let mut command = exec_form(&one(&stage, "ENTRYPOINT"));
    let cmd = exec_form(&one(&stage, "CMD"));
    assert_eq!(cmd, ["serve", "--config", CONFIG_IN_IMAGE]);
    command.extend(cmd);
    accepted(&command);

    let healthcheck = one(&stage, "HEALTHCHECK");
    let probe = exec_form(
        healthcheck
            .split_once("CMD ")
            .expect("HEALTHCHECK ... CMD [...]")
            .1,
    );
    assert_eq!(probe.get(1).map(String::as_str), Some("healthcheck"));
    assert!(probe.iter().any(|a| a == CONFIG_IN_IMAGE), "{probe:?}");
    accepted(&probe);
    assert_eq!(one(&stage, "STOPSIGNAL"), "SIGTERM");
}

#[test]
fn every_copied_path_exists_in_the_repository() {
    for dockerfile in ["docker/Dockerfile", "docker/ldap/Dockerfile"] {
        let mut copied = 0;
        for (name, arguments) in instructions(&repo().join(dockerfile)) {
            if name != "COPY" || arguments.starts_with("--from=") {
                continue;
            }
            let words: Vec<&str> = arguments
                .split_whitespace()
                .filter(|w| !w.starts_with("--"))
                .collect();
            let (_, sources) = words.split_last().expect("COPY sources destination");
            for source in sources {
                assert!(
                    repo().join(source).exists(),
                    "{dockerfile} copies {source}, which does not exist (context: the repository root)"
                );
                copied += 1;
            }
        }
        assert!(copied > 0, "{dockerfile}");
    }
    // The build needs every target Cargo.toml declares.
    let manifest = std::fs::read_to_string(repo().join("Cargo.toml")).expect("Cargo.toml");
    let dockerfile = std::fs::read_to_string(docker().join("Dockerfile")).expect("Dockerfile");
    if manifest.contains("[[bench]]") {
        assert!(dockerfile.contains("COPY benches benches"));
    }
}

fn compose() -> Value {
    let text = std::fs::read_to_string(docker().join("compose.yaml")).expect("compose.yaml");
    serde_norway::from_str(&text).expect("compose.yaml parses as YAML")
}

fn service<'a>(compose: &'a Value, name: &str) -> &'a Value {
    compose
        .get("services")
        .and_then(|s| s.get(name))
        .unwrap_or_else(|| panic!("service {name}"))
}

/// Short-form volume entries `source:target[:mode]`.
fn volumes(service: &Value) -> Vec<(String, String)> {
    service
        .get("volumes")
        .and_then(Value::as_sequence)
        .map(|entries| {
            entries
                .iter()
                .filter_map(Value::as_str)
                .map(|entry| {
                    let mut parts = entry.split(':');
                    let source = parts.next().unwrap_or_default().to_owned();
                    let target = parts.next().unwrap_or_default().to_owned();
                    (source, target)
                })
                .collect()
        })
        .unwrap_or_default()
}

fn demo_settings() -> Settings {
    Settings::load(Some(&docker().join("passerelle.toml")))
        .expect("docker/passerelle.toml loads with the real loader")
}

#[test]
fn the_compose_file_parses_builds_what_exists_and_mounts_what_exists() {
    let compose = compose();
    let services = compose
        .get("services")
        .and_then(Value::as_mapping)
        .expect("services");
    for (name, service) in services {
        let name = name.as_str().unwrap_or_default();
        if let Some(build) = service.get("build") {
            let context = docker().join(
                build
                    .get("context")
                    .and_then(Value::as_str)
                    .expect("context"),
            );
            assert!(context.is_dir(), "{name}: build context {context:?}");
            let dockerfile = build
                .get("dockerfile")
                .and_then(Value::as_str)
                .expect("dockerfile");
            assert!(context.join(dockerfile).is_file(), "{name}: {dockerfile}");
        }
        for (source, _) in volumes(service) {
            if source.starts_with('.') || source.starts_with('/') {
                assert!(
                    docker().join(&source).exists(),
                    "{name} mounts {source}, which does not exist"
                );
            }
        }
    }

    // The directory is loaded from config/ldap itself, every file the
    // bootstrap script reads.
    let ldap = service(&compose, "ldap");
    let (source, _) = volumes(ldap)
        .into_iter()
        .find(|(_, target)| target == "/passerelle/ldap")
        .expect("config/ldap mounted where the bootstrap script reads it");
    let mounted = docker().join(source);
    assert_eq!(
        mounted.canonicalize().expect("path"),
        repo().join("config/ldap").canonicalize().expect("path")
    );
    let script = std::fs::read_to_string(docker().join("ldap/bootstrap.sh")).expect("script");
    for file in [
        "slapd-global.ldif",
        "schema/supann.ldif",
        "schema/schac.ldif",
        "schema/eduperson.ldif",
        "schema/samba.ldif",
        "schema/passerelle.ldif",
        "slapd-databases.ldif",
        "base.ldif",
        "demo-people.ldif",
    ] {
        assert!(mounted.join(file).is_file(), "{file}");
        assert!(script.contains(file), "the bootstrap script loads {file}");
    }

    // The gateway gets its configuration where the image looks for it, its
    // secrets where the configuration names them, and reaches the other
    // services by their names.
    let gateway = service(&compose, "passerelle");
    let mounts = volumes(gateway);
    assert!(
        mounts
            .iter()
            .any(|(s, t)| s == "./passerelle.toml" && t == CONFIG_IN_IMAGE),
        "{mounts:?}"
    );
    let settings = demo_settings();
    let keys_dir = mounts
        .iter()
        .find(|(s, _)| s == "keys")
        .map(|(_, t)| PathBuf::from(t))
        .expect("the keys volume");
    for secret in [
        &settings.ldap.bind_password_file,
        &settings.secrets.cookie_key_file,
        &settings.secrets.answer_pepper_file,
        &settings.secrets.code_key_file,
    ] {
        let secret = secret.as_ref().expect("a secret file");
        assert_eq!(secret.parent(), Some(keys_dir.as_path()), "{secret:?}");
    }
    assert_eq!(settings.ldap.urls, ["ldap://ldap:389"]);
    assert_eq!(settings.mail.host, "mailpit");
    // The container's root is read-only: the mail spool needs a volume of
    // its own, or the gateway cannot start (and mails would not survive).
    let spool = settings.mail.spool_directory.display().to_string();
    assert!(
        gateway.get("read_only").and_then(Value::as_bool) != Some(true)
            || mounts.iter().any(|(_, t)| *t == spool),
        "no volume on the mail spool {spool}: {mounts:?}"
    );
    let dockerfile = std::fs::read_to_string(docker().join("Dockerfile")).expect("Dockerfile");
    assert!(
        spool.starts_with("/var/lib/passerelle/")
            && dockerfile.contains("--chown=65532:65532 /state/passerelle /var/lib/passerelle"),
        "the image gives the gateway user {spool}"
    );
    for name in ["ldap", "mailpit", "keys"] {
        service(&compose, name);
    }
    let port = settings.server.listen.rsplit(':').next().expect("port");
    let published = gateway
        .get("ports")
        .and_then(Value::as_sequence)
        .and_then(|p| p.first())
        .and_then(Value::as_str)
        .expect("a published port");
    assert!(published.ends_with(&format!(":{port}")), "{published}");
}

#[test]
fn the_demo_configuration_loads_and_reads_its_secrets_from_files() {
    let settings = demo_settings();
    assert_eq!(settings.server.listen, "0.0.0.0:8080");
    assert!(settings.ldap.bind_password.is_none());
    assert!(settings.secrets.cookie_key.is_none());
}

#[test]
fn docker_compose_accepts_the_file_when_it_is_installed() {
    let available = Command::new("docker")
        .args(["compose", "version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !available {
        eprintln!("skipped: `docker compose` is not installed here; the static checks ran");
        return;
    }
    let output = Command::new("docker")
        .args(["compose", "-f"])
        .arg(docker().join("compose.yaml"))
        .args(["config", "--quiet"])
        .output()
        .expect("docker compose config");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("address")
        .port()
}

/// `ldapsearch` of the root DSE, as the compose health check runs it.
fn root_dse_answers(url: &str) -> bool {
    Command::new("ldapsearch")
        .args(["-x", "-H", url, "-b", "", "-s", "base", "1.1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_directory_container_script_serves_config_ldap_to_the_gateway() {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let url = format!("ldap://127.0.0.1:{port}");
    let log = std::fs::File::create(dir.path().join("bootstrap.log")).expect("log");
    let mut slapd = Command::new(docker().join("ldap/bootstrap.sh"))
        .env("LDIF_DIR", repo().join("config/ldap"))
        .env("SLAPD_CONFIG_DIR", dir.path().join("slapd.d"))
        .env("SLAPD_DATA_DIR", dir.path().join("data"))
        .env("SLAPD_RUN_DIR", dir.path().join("run"))
        .env("SLAPD_URLS", &url)
        .env("SLAPD_USER", "")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("bootstrap.sh");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !root_dse_answers(&url) {
        if let Some(status) = slapd.try_wait().expect("wait") {
            panic!(
                "the script stopped ({status}): {}",
                std::fs::read_to_string(dir.path().join("bootstrap.log")).unwrap_or_default()
            );
        }
        assert!(Instant::now() < deadline, "slapd never answered");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The gateway's service account finds a demo person.
    let settings = LdapSettings {
        urls: vec![url.clone()],
        bind_dn: SERVICE_DN.into(),
        base_dn: PEOPLE_DN.into(),
        ..LdapSettings::default()
    };
    let directory =
        Directory::new(&settings, SecretString::from(SERVICE_PASSWORD)).expect("directory");
    let found = directory.find_person_by_input("jdupont").await;
    let _ = Command::new("kill")
        .args(["-TERM", &slapd.id().to_string()])
        .status();
    let _ = slapd.wait();
    assert!(matches!(found, Ok(Some(_))), "{found:?}");

    // The keys script writes each secret once, long enough for the loader.
    let keys = dir.path().join("keys");
    let run_keys = || {
        let status = Command::new(docker().join("ldap/demo-keys.sh"))
            .env("KEYS_DIR", &keys)
            .status()
            .expect("demo-keys.sh");
        assert!(status.success());
    };
    run_keys();
    let cookie_key = std::fs::read_to_string(keys.join("cookie_key")).expect("cookie key");
    assert!(cookie_key.len() >= 32, "{}", cookie_key.len());
    run_keys();
    assert_eq!(
        std::fs::read_to_string(keys.join("cookie_key")).expect("cookie key"),
        cookie_key,
        "kept across restarts"
    );
    assert_eq!(
        std::fs::read_to_string(keys.join("bind_password")).expect("password"),
        SERVICE_PASSWORD
    );
}
