//! The `passerelle` binary as an operator meets it: a configuration that
//! does not load, `hash-answer`, and `demo` from start to Ctrl-C (`check`
//! against the real parts: `check.rs`).

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
[secrets]
cookie_key = "{}"
answer_pepper = "a pepper for the cli tests"
code_key = "{}"
{extra}
"#,
            secret.display(),
            "k".repeat(48),
            "c".repeat(48),
        ),
    )
    .unwrap();
    path
}

async fn check(config: &Path) -> Output {
    let config = config.to_owned();
    tokio::task::spawn_blocking(move || {
        Command::new(BINARY)
            .args(["check", "--config"])
            .arg(config)
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[tokio::test]
async fn an_invalid_configuration_stops_with_the_key_named() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bad.toml");
    std::fs::write(&config, "[ldap]\nbind_dnn = \"cn=typo\"\n").unwrap();
    let output = check(&config).await;
    let printed = text(&output);
    assert_eq!(output.status.code(), Some(2), "{printed}");
    assert!(printed.contains("bind_dnn"), "{printed}");
    assert_eq!(printed.trim().lines().count(), 1, "{printed}");
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
