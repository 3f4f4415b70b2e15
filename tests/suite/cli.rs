//! The `passerelle` binary as an operator meets it: `hash-answer`, `demo`
//! from start to Ctrl-C, and the log `serve` writes to a file (`check`, a
//! configuration that does not load included: `check.rs`).

use passerelle::slapd::{SERVICE_DN, SERVICE_PASSWORD};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BINARY: &str = env!("CARGO_BIN_EXE_passerelle");

fn config(dir: &Path, ldap_url: &str, smtp_port: u16, extra: &str) -> std::path::PathBuf {
    let secret = dir.join("bind-password");
    std::fs::write(&secret, format!("{SERVICE_PASSWORD}\n")).unwrap();
    let path = dir.join("passerelle.toml");
    std::fs::write(
        &path,
        format!(
            r#"
[ldap]
urls = ["{ldap_url}"]
bind_dn = "{SERVICE_DN}"
bind_password_file = "{}"
[mail]
host = "127.0.0.1"
port = {smtp_port}
spool_directory = "{}"
[secrets]
cookie_key = "{}"
answer_pepper = "a pepper for the cli tests"
code_key = "{}"
{extra}
[metrics]
listen = "127.0.0.1:0"
"#,
            secret.display(),
            dir.join("spool").display(),
            "k".repeat(48),
            "c".repeat(48),
        ),
    )
    .unwrap();
    path
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[tokio::test]
async fn hash_answer_prints_a_hash_the_gateway_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), "ldap://127.0.0.1:1", 1, "");
    let mut child = Command::new(BINARY)
        .args(["hash-answer", "--config"])
        .arg(&config)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Saint-Etienne\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let phc = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    let hasher = passerelle::secret_answer::AnswerHasher::new(
        &secrecy::SecretString::from("a pepper for the cli tests"),
        1,
    )
    .unwrap();
    let typed = secrecy::SecretString::from(" saint-étienne ");
    assert!(hasher.verify(&typed, Some(&phc)).await.unwrap());
}

/// `demo` prints the people to try, serves the pages, and on Ctrl-C stops
/// and removes its throwaway directory.
#[test]
fn the_demo_serves_pages_and_cleans_up_on_ctrl_c() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let outbox = tempfile::tempdir().unwrap();
    let mut child = Command::new(BINARY)
        .args(["demo", "--port", &port.to_string(), "--outbox"])
        .arg(outbox.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let Some(Ok(line)) = lines.next() else { break };
        let ready = line.starts_with("Passerelle demo: http://");
        printed.push(line);
        if ready {
            break;
        }
    }
    let printed = printed.join("\n");
    assert!(
        printed.contains("jdupont") && printed.contains("Médor"),
        "{printed}"
    );
    let ldap_url = printed
        .split_whitespace()
        .find(|w| w.starts_with("ldap://"))
        .expect("the demo prints its directory")
        .to_owned();

    let page = http_get(port, "/recover");
    assert!(page.contains("Numéro personnel"), "{page}");

    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the demo did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    // slapd is gone with it.
    let port = ldap_url.rsplit(':').next().unwrap();
    assert!(std::net::TcpStream::connect(format!("127.0.0.1:{port}")).is_err());
}

/// A demo started with `args` (after `demo --port P --outbox DIR`): the
/// child, its port and what it printed up to its address.
struct Demo {
    child: std::process::Child,
    port: u16,
    printed: String,
    /// Kept open: the demo prints again when it stops.
    _stdout: std::io::Lines<BufReader<std::process::ChildStdout>>,
    _outbox: tempfile::TempDir,
}

impl Demo {
    fn start(args: &[&str]) -> Demo {
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let outbox = tempfile::tempdir().unwrap();
        let mut child = Command::new(BINARY)
            .args(["demo", "--port", &port.to_string(), "--outbox"])
            .arg(outbox.path())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut printed = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            let Some(Ok(line)) = lines.next() else { break };
            let ready = line.starts_with("Passerelle demo: http://");
            printed.push(line);
            if ready {
                break;
            }
        }
        Demo {
            child,
            port,
            printed: printed.join("\n"),
            _stdout: lines,
            _outbox: outbox,
        }
    }

    /// Ctrl-C, and the demo ends well.
    fn stop(mut self) {
        let killed = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let deadline = Instant::now() + Duration::from_secs(20);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "the demo did not stop on Ctrl-C");
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(status.success(), "{status:?}");
    }
}

/// `demo --preset NAME` runs as that seed system: it says so, prints
/// what to type for it, and serves the seed's first page with its words.
fn preset_demo_serves(preset: &str, printed: &[&str], path: &str, shown: &[&str]) {
    let demo = Demo::start(&["--preset", preset]);
    assert!(
        demo.printed
            .contains(&format!("Running as the preset \"{preset}\"")),
        "{}",
        demo.printed
    );
    for text in printed {
        assert!(demo.printed.contains(text), "{text} in {}", demo.printed);
    }
    let page = http_get(demo.port, path);
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    for text in shown {
        assert!(page.contains(text), "{text} in {page}");
    }
    demo.stop();
}

#[test]
fn the_uphf_demo_serves_sesame() {
    preset_demo_serves(
        "uphf",
        &["jdupont", "Médor"],
        "/recover",
        &["Sésame (démo Passerelle)", "Numéro personnel"],
    );
}

#[test]
fn the_efp_demo_asks_for_an_address_and_a_captcha() {
    preset_demo_serves(
        "efp",
        &["jdupont@univ-exemple.fr"],
        "/code",
        &[
            "EFP Connect (démo Passerelle)",
            "Étape 1 sur 3",
            "Code de sécurité",
        ],
    );
}

#[test]
fn the_caf_services_demo_shows_the_notice() {
    preset_demo_serves(
        "caf-services",
        &["jdupont@univ-exemple.fr", "Soleil-Vert-42"],
        "/temporary",
        &["Loi n° 88-19 du 5 Janvier 1988", "Annuler"],
    );
}

#[test]
fn the_caf_partenaires_demo_shows_the_notice() {
    preset_demo_serves(
        "caf-partenaires",
        &["jdupont", "Soleil-Vert-42"],
        "/change",
        &[
            "Loi n° 88-19 du 5 Janvier 1988",
            "Pourquoi changer son mot de passe ?",
        ],
    );
}

#[test]
fn the_ecolesoft_demo_prints_family_numbers() {
    preset_demo_serves(
        "ecolesoft",
        &["123456780123001"],
        "/temporary",
        &["Accès famille (démo Passerelle)"],
    );
}

#[test]
fn an_unknown_demo_preset_is_refused_with_the_names() {
    let output = Command::new(BINARY)
        .args(["demo", "--port", "1", "--preset", "sesame"])
        .output()
        .unwrap();
    let printed = text(&output);
    assert!(!output.status.success(), "{printed}");
    assert!(
        printed.contains("\"uphf\"") && printed.contains("\"ecolesoft\""),
        "{printed}"
    );
}

/// A minimal HTTP GET, so this test needs no client of its own.
fn http_get(port: u16, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    String::from_utf8_lossy(&response).into_owned()
}

/// Issue 24: the log written to a file carried ANSI colour codes, and the
/// start lines gave the port without the address. Colour only on a
/// terminal; the address and port where the gateway listens.
#[test]
fn serve_writes_a_plain_log_to_a_file_naming_the_address_it_listens_on() {
    let slapd = passerelle::slapd::Slapd::start(passerelle::slapd::People::Empty).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let config = config(
        dir.path(),
        &slapd.url(),
        1,
        &format!(
            "[server]\nlisten = \"127.0.0.1:{port}\"\npublic_url = \"http://127.0.0.1:{port}\"\n[log]\nformat = \"text\"\n"
        ),
    );
    let log = dir.path().join("gateway.log");
    let mut child = Command::new(BINARY)
        .args(["serve", "--config"])
        .arg(&config)
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let text = loop {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if text.contains("listening") || Instant::now() > deadline {
            break text;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("serve exited ({status}): {text}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = child.kill();
    let _ = child.wait();
    assert!(!text.contains('\u{1b}'), "colour codes in a file: {text:?}");
    let address = format!("127.0.0.1:{port}");
    for line in ["passerelle is serving", "listening"] {
        assert!(
            text.lines()
                .any(|l| l.contains(line) && l.contains(&format!("address={address}"))),
            "{line} without {address}: {text}"
        );
    }
}
