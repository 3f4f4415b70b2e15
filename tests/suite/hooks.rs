//! Change hooks against real parts: a real HTTP receiver (an axum listener
//! in the test) gets a signed JSON notice after a password is written,
//! again after it answered 503, never with the password; a receiver that
//! hangs neither delays the success page nor undoes the write; a real
//! command (a shell script in a temporary directory) gets the login on its
//! arguments and environment, and the new password on its standard input
//! only when the site enables it; a failing command is audited and the
//! password stands.

use crate::app;

use app::{spawn_app_with, TestApp, NEW_PASSWORD};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use passerelle::config::Settings;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

const QUESTION: &str = "Dans quelle ville êtes-vous né(e) ?";
const WEBHOOK_KEY: &str = "webhook-key-0123456789abcdef";
const WAIT: Duration = Duration::from_secs(20);

/// What the receiver saw, and how it answers.
#[derive(Default)]
struct Receiver {
    requests: Mutex<Vec<(HeaderMap, String)>>,
    /// Answer 503 to this many requests first.
    failures: Mutex<u32>,
    /// Never answer (until the test ends).
    hang: bool,
    arrived: Notify,
}

async fn receive(
    State(receiver): State<Arc<Receiver>>,
    headers: HeaderMap,
    body: String,
) -> StatusCode {
    receiver.requests.lock().unwrap().push((headers, body));
    receiver.arrived.notify_waiters();
    if receiver.hang {
        std::future::pending::<()>().await;
    }
    let mut failures = receiver.failures.lock().unwrap();
    if *failures > 0 {
        *failures -= 1;
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    StatusCode::NO_CONTENT
}

/// Starts a receiver on a free port; its URL.
async fn start_receiver(receiver: Arc<Receiver>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(receive))
        .with_state(receiver);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://127.0.0.1:{port}/hook")
}

async fn requests_after(receiver: &Receiver, count: usize) -> Vec<(HeaderMap, String)> {
    tokio::time::timeout(WAIT, async {
        loop {
            let arrived = receiver.arrived.notified();
            tokio::pin!(arrived);
            arrived.as_mut().enable();
            let seen = receiver.requests.lock().unwrap().clone();
            if seen.len() >= count {
                return seen;
            }
            arrived.await;
        }
    })
    .await
    .expect("the receiver got the notices")
}

/// The `hook` audit outcomes for `login` so far.
fn hook_outcomes(login: &str) -> Vec<String> {
    let logs = crate::logs::captured();
    let text = String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["target"] == "audit" && v["step"] == "hook" && v["account"] == login)
        .filter_map(|v| v["outcome"].as_str().map(str::to_owned))
        .collect()
}

/// The `hook` audit outcomes for `login`, once `expected` is among them.
async fn hook_outcome(login: &str, expected: &str) -> Vec<String> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let outcomes = hook_outcomes(login);
        if outcomes.iter().any(|o| o == expected) {
            return outcomes;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no {expected} for {login}: {outcomes:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Recovers `person`'s password through the pages; the success page.
async fn change_password(app: &TestApp, person: &app::Person) -> app::Page {
    let page = app.recover_until_password(person).await;
    let done = app
        .recover_password(&page, NEW_PASSWORD, NEW_PASSWORD, true)
        .await;
    assert_eq!(done.status, reqwest::StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("Mot de passe modifié"), "{}", done.body);
    done
}

fn with_webhook(url: String, settings: &mut Settings) {
    settings.hooks.webhook_url = Some(url);
    settings.hooks.webhook_secret = Some(WEBHOOK_KEY.to_owned().into());
    settings.hooks.webhook_backoff_ms = 20;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_change_is_posted_to_the_webhook_signed_and_posted_again_after_a_failure() {
    let receiver = Arc::new(Receiver {
        failures: Mutex::new(1),
        ..Receiver::default()
    });
    let url = start_receiver(receiver.clone()).await;
    let app = spawn_app_with(|s| with_webhook(url, s)).await;
    let person = app.add_person("hook", Some(QUESTION)).await;

    change_password(&app, &person).await;
    let seen = requests_after(&receiver, 2).await;
    assert_eq!(seen[0].1, seen[1].1, "the same notice, tried again");
    let (headers, body) = &seen[1];
    let header = |name: &str| headers.get(name).unwrap().to_str().unwrap().to_owned();
    assert_eq!(header("content-type"), "application/json");
    assert_eq!(
        header("x-passerelle-signature"),
        passerelle::hooks::signature(&WEBHOOK_KEY.to_owned().into(), body.as_bytes())
    );
    let notice: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(notice["event"], "password_changed");
    assert_eq!(notice["account"], person.dn.as_str());
    assert_eq!(notice["login"], person.uid.as_str());
    assert_eq!(notice["flow"], "recover");
    assert_eq!(notice["client_address"], app.client_ip.as_str());
    assert_eq!(notice["id"], header("x-passerelle-delivery").as_str());
    let time = chrono::DateTime::parse_from_rfc3339(notice["time"].as_str().unwrap()).unwrap();
    assert!((chrono::Utc::now() - time.to_utc()).num_seconds().abs() < 60);
    assert!(!body.contains(NEW_PASSWORD));
    assert_eq!(
        hook_outcome(&person.uid, "webhook_delivered").await,
        ["webhook_delivered"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hanging_webhook_neither_delays_the_page_nor_undoes_the_write() {
    let receiver = Arc::new(Receiver {
        hang: true,
        ..Receiver::default()
    });
    let url = start_receiver(receiver.clone()).await;
    let app = spawn_app_with(|s| {
        with_webhook(url, s);
        s.hooks.webhook_timeout_seconds = 1;
        s.hooks.webhook_attempts = 2;
    })
    .await;
    let person = app.add_person("hookhang", Some(QUESTION)).await;

    // The page is back while the notice is unanswered: the hook's tries
    // (two of one second each) have not ended yet.
    change_password(&app, &person).await;
    assert!(hook_outcomes(&person.uid).is_empty());
    requests_after(&receiver, 1).await;
    assert_eq!(
        hook_outcome(&person.uid, "webhook_failed").await,
        ["webhook_failed"]
    );
    assert_eq!(receiver.requests.lock().unwrap().len(), 2, "tried twice");
    assert!(
        app.binds(&person.dn, NEW_PASSWORD).await,
        "the write stands"
    );
}

/// A script that writes its arguments, its environment and its standard
/// input into `dir`, then exits with `status`.
fn script(dir: &std::path::Path, status: u8) -> String {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("sync.sh");
    let out = dir.display();
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{out}/args'\nenv | sort > '{out}/env'\n\
             cat > '{out}/stdin.part' && mv '{out}/stdin.part' '{out}/stdin'\nexit {status}\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700)).unwrap();
    path.display().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_command_gets_the_login_and_the_password_only_on_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let program = script(dir.path(), 0);
    let app = spawn_app_with(|s| {
        s.hooks.command = vec![program, "--login={login}".into(), "{dn}".into()];
        s.hooks.command_receives_password = true;
    })
    .await;
    let person = app.add_person("hookcmd", Some(QUESTION)).await;

    change_password(&app, &person).await;
    assert_eq!(
        hook_outcome(&person.uid, "command_succeeded").await,
        ["command_succeeded"]
    );
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    assert_eq!(
        read("args"),
        format!("--login={}\n{}\n", person.uid, person.dn)
    );
    assert_eq!(read("stdin"), format!("{NEW_PASSWORD}\n"));
    let env = read("env");
    assert!(
        env.contains(&format!("PASSERELLE_LOGIN={}\n", person.uid)),
        "{env}"
    );
    assert!(
        env.contains(&format!("PASSERELLE_ACCOUNT={}\n", person.dn)),
        "{env}"
    );
    assert!(env.contains("PASSERELLE_FLOW=recover\n"), "{env}");
    assert!(!env.contains(NEW_PASSWORD), "{env}");
    assert!(
        !env.contains("LDAP"),
        "the gateway's own environment stays out: {env}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_command_is_audited_gets_no_password_and_the_write_stands() {
    let dir = tempfile::tempdir().unwrap();
    let program = script(dir.path(), 3);
    let app = spawn_app_with(|s| s.hooks.command = vec![program]).await;
    let person = app.add_person("hookfail", Some(QUESTION)).await;

    change_password(&app, &person).await;
    assert_eq!(
        hook_outcome(&person.uid, "command_failed").await,
        ["command_failed"]
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("stdin")).unwrap(),
        "",
        "no password unless the site enables it"
    );
    assert!(app.binds(&person.dn, NEW_PASSWORD).await);
}
