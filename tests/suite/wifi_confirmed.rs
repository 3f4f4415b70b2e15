//! "Wi-Fi accepts your new password", proven before the page says it (issue
//! 23): with `[radius]` the gateway asks the site's real FreeRADIUS, once,
//! after the password is written, and the success page and the audit say
//! what it answered. Against the FreeRADIUS the Wi-Fi tests start
//! (`tests/fixtures/freeradius`: rlm_ldap reads `sambaNTPassword`, rlm_mschap
//! checks MS-CHAPv2): accepted; a shared secret that differs and a server
//! nobody runs are "no answer" within `radius.timeout_seconds`; a
//! FreeRADIUS reading a provider that replication has left behind refuses,
//! every time, and the person is never locked for it; once replication
//! catches up, Wi-Fi takes the password.

use crate::app::{spawn_app_on, Person, TestApp};
use crate::radius::FreeRadius;
use passerelle::config::Settings;
use passerelle::slapd::{
    People, Slapd, PEOPLE_DN, RADIUS_DN, RADIUS_PASSWORD, REPLICATOR_DN, REPLICATOR_PASSWORD,
};
use reqwest::StatusCode;
use std::path::Path;
use std::time::{Duration, Instant};

const QUESTION: &str = "Dans quelle ville êtes-vous né(e) ?";
const WIFI_ACCEPTS: &str = "Le Wi-Fi (eduroam) accepte déjà votre nouveau mot de passe.";
const WIFI_LATER: &str = "Le Wi-Fi peut mettre une minute à l&#39;accepter";
const DONE: &str = "votre mot de passe a bien été modifié";
/// The check's deadline in these tests (`radius.timeout_seconds`).
const TIMEOUT_SECONDS: u64 = 2;
/// What a page may take beyond the check's deadline: the reset's own work
/// (argon2, the write, the mail queued) on a busy two-core machine.
const PAGE_SLACK: Duration = Duration::from_secs(3);

/// `[radius]` pointing at `server` with `secret` (written to a file in
/// `dir`), MS-CHAPv2 as eduroam checks it.
fn radius_settings(settings: &mut Settings, dir: &Path, server: String, secret: &str) {
    let file = dir.join("radius-secret");
    std::fs::write(&file, format!("{secret}\n")).expect("the secret file is written");
    settings.radius.server = Some(server);
    settings.radius.secret_file = Some(file);
    settings.radius.nas_identifier = "passerelle-test".into();
    settings.radius.timeout_seconds = TIMEOUT_SECONDS;
}

async fn start_freeradius(ldap_url: String) -> FreeRadius {
    tokio::task::spawn_blocking(move || {
        FreeRadius::start(&ldap_url, PEOPLE_DN, RADIUS_DN, RADIUS_PASSWORD)
    })
    .await
    .expect("join")
    .expect("FreeRADIUS starts")
}

async fn start_slapd() -> Slapd {
    tokio::task::spawn_blocking(|| Slapd::start(People::Empty))
        .await
        .expect("join")
        .expect("slapd starts")
}

/// The audit outcomes of the `password` step recorded for `login`, in order.
fn password_outcomes(app: &TestApp, login: &str) -> Vec<String> {
    app.audit_text()
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|v| v["login"] == login && v["step"] == "password")
        .filter_map(|v| v["outcome"].as_str().map(str::to_owned))
        .collect()
}

/// A whole `recover` flow to `password`: the success page, and how long
/// its POST took.
async fn reset(app: &TestApp, person: &Person, password: &str) -> (String, Duration) {
    let form = app.recover_until_password(person).await;
    let started = Instant::now();
    let done = app.recover_password(&form, password, password, true).await;
    let took = started.elapsed();
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains(DONE), "{}", done.body);
    (done.body, took)
}

/// The logins FreeRADIUS logged for `user`, once they number `total`
/// (its log is written as it answers).
async fn logins_once(wifi: &FreeRadius, user: &str, total: usize) -> (usize, usize) {
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let (ok, incorrect) = wifi.logins_of(user);
        if ok + incorrect >= total || Instant::now() > deadline {
            return (ok, incorrect);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The values of `attr` on `slapd`'s copy of `dn`, as its rootdn sees them.
fn values_on(slapd: &Slapd, dn: &str, attr: &str) -> Vec<String> {
    slapd
        .search_as_admin(dn, "(objectClass=*)", &[attr])
        .expect("admin search")
        .into_iter()
        .next()
        .and_then(|(_, attrs)| {
            attrs
                .into_iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(attr))
                .map(|(_, values)| values)
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_success_page_says_wifi_accepts_the_new_password_once_radius_accepted_it() {
    let slapd = start_slapd().await;
    let wifi = start_freeradius(slapd.url()).await;
    let dir = tempfile::tempdir().expect("dir");
    let (server, secret) = (
        format!("127.0.0.1:{}", wifi.port()),
        wifi.secret().to_owned(),
    );
    let app = spawn_app_on(slapd, |s| radius_settings(s, dir.path(), server, &secret)).await;
    let person = app.add_person("wificonf", Some(QUESTION)).await;

    let (page, took) = reset(&app, &person, "Chataignier-Neuf-2026").await;
    println!("write and RADIUS confirmation took {took:?}");
    assert!(page.contains(WIFI_ACCEPTS), "{page}");
    assert!(!page.contains(WIFI_LATER), "{page}");
    assert_eq!(
        password_outcomes(&app, &person.uid),
        ["changed", "radius_confirmed"]
    );
    // One login, the gateway's, accepted.
    assert_eq!(logins_once(&wifi, &person.uid, 1).await, (1, 0));
    // In English too.
    let english = app.get("/recover/done?lang=en").await;
    assert!(
        english
            .body
            .contains("Wi-Fi (eduroam) already accepts your new password."),
        "{}",
        english.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_secret_that_differs_is_no_answer_within_the_bound_and_no_login_attempt() {
    let slapd = start_slapd().await;
    let wifi = start_freeradius(slapd.url()).await;
    let dir = tempfile::tempdir().expect("dir");
    let server = format!("127.0.0.1:{}", wifi.port());
    let app = spawn_app_on(slapd, |s| {
        radius_settings(s, dir.path(), server, "not-the-secret-of-this-server")
    })
    .await;
    let person = app.add_person("wifisecret", Some(QUESTION)).await;

    let (page, took) = reset(&app, &person, "Chataignier-Neuf-2026").await;
    println!("with a wrong shared secret the page came after {took:?}");
    assert!(page.contains(WIFI_LATER), "{page}");
    assert!(!page.contains(WIFI_ACCEPTS), "{page}");
    assert!(took >= Duration::from_secs(TIMEOUT_SECONDS), "{took:?}");
    assert!(
        took < Duration::from_secs(TIMEOUT_SECONDS) + PAGE_SLACK,
        "{took:?}"
    );
    assert_eq!(
        password_outcomes(&app, &person.uid),
        ["changed", "radius_lagging"]
    );
    // FreeRADIUS dropped every copy of the request before any login.
    assert!(
        wifi.log().contains("Shared secret is incorrect"),
        "{}",
        wifi.log_tail()
    );
    assert_eq!(wifi.logins_of(&person.uid), (0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_radius_server_nobody_runs_leaves_the_page_within_the_bound() {
    let slapd = start_slapd().await;
    let dir = tempfile::tempdir().expect("dir");
    // A UDP port nobody listens on: the datagrams are refused (or lost).
    let port = std::net::UdpSocket::bind("127.0.0.1:0")
        .and_then(|socket| socket.local_addr())
        .expect("a free port")
        .port();
    let app = spawn_app_on(slapd, |s| {
        radius_settings(
            s,
            dir.path(),
            format!("127.0.0.1:{port}"),
            "a-shared-secret-of-24-ch",
        )
    })
    .await;
    let person = app.add_person("wifidown", Some(QUESTION)).await;

    let (page, took) = reset(&app, &person, "Chataignier-Neuf-2026").await;
    println!("with no RADIUS server the page came after {took:?}");
    assert!(page.contains(WIFI_LATER), "{page}");
    assert!(took >= Duration::from_secs(TIMEOUT_SECONDS), "{took:?}");
    assert!(
        took < Duration::from_secs(TIMEOUT_SECONDS) + PAGE_SLACK,
        "{took:?}"
    );
    assert_eq!(
        password_outcomes(&app, &person.uid),
        ["changed", "radius_lagging"]
    );
    // The password is written all the same.
    assert!(app.binds(&person.dn, "Chataignier-Neuf-2026").await);
}

/// Sets the replicator's password on `app`'s provider (as its rootdn).
fn set_replicator_password(app: &TestApp, password: &str) {
    app.slapd
        .lock()
        .expect("slapd")
        .modify_ldif(&format!(
            "dn: {REPLICATOR_DN}\nchangetype: modify\nreplace: userPassword\nuserPassword: {password}\n"
        ))
        .expect("the replicator's password is set");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_radius_server_reading_a_replica_behind_refuses_every_time_and_never_locks_the_person() {
    let [first, second] = tokio::task::spawn_blocking(|| Slapd::start_providers(People::Empty))
        .await
        .expect("join")
        .expect("two providers start");
    // Wi-Fi reads provider 2; the gateway writes to provider 1.
    let wifi = start_freeradius(second.url()).await;
    let dir = tempfile::tempdir().expect("dir");
    let (server, secret) = (
        format!("127.0.0.1:{}", wifi.port()),
        wifi.secret().to_owned(),
    );
    let app = spawn_app_on(first, |s| radius_settings(s, dir.path(), server, &secret)).await;
    let person = app.add_person("wifilag", Some(QUESTION)).await;
    let arrived = Instant::now();
    while values_on(&second, &person.dn, "passerelleAnswerHash").is_empty() {
        assert!(
            arrived.elapsed() < Duration::from_secs(5),
            "never replicated"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    // Replication into provider 2 breaks, as when the replicator's password
    // is changed on one side only: provider 1 refuses its binds, and a
    // restart ends the session provider 2 already had. Provider 2 keeps
    // answering, with the old NT hash.
    set_replicator_password(&app, "Un-Autre-Secret-Du-Replicateur-2026");
    let mut second = second;
    let restarted = tokio::task::block_in_place(|| {
        second.stop();
        second.start_again()
    });
    if let Err(error) = restarted {
        panic!(
            "provider 2 did not start again: {error:#}\n{}",
            second.log()
        );
    }
    let old_hash = values_on(&second, &person.dn, "sambaNTPassword");
    assert_eq!(old_hash.len(), 1);
    // FreeRADIUS reconnects to it (a login of nobody: not the person's).
    assert!(
        !tokio::task::block_in_place(|| wifi.radtest_mschap("personne", "Rien-2026"))
            .expect("FreeRADIUS answers")
    );

    // More resets in a row than ppolicy's pwdMaxFailure (5), each refused
    // by Wi-Fi: none may count as a failed login anywhere.
    let passwords: Vec<String> = (1..=6)
        .map(|n| format!("Chataignier-Neuf-{n}-2026"))
        .collect();
    for password in &passwords {
        let (page, _) = reset(&app, &person, password).await;
        assert!(page.contains(WIFI_LATER), "{page}");
        assert!(!page.contains(WIFI_ACCEPTS), "{page}");
    }
    let outcomes = password_outcomes(&app, &person.uid);
    assert_eq!(outcomes.len(), 12, "{outcomes:?}");
    for pair in outcomes.chunks(2) {
        assert_eq!(pair, ["changed", "radius_refused"]);
    }
    // One login attempt per password written, each refused, never repeated.
    assert_eq!(logins_once(&wifi, &person.uid, 6).await, (0, 6));
    assert_eq!(values_on(&second, &person.dn, "sambaNTPassword"), old_hash);

    // Nobody locked, on either provider: FreeRADIUS read the NT hash with
    // its own account and never bound as the person.
    for (which, slapd) in [
        ("provider 1", &*app.slapd.lock().expect("slapd")),
        ("provider 2", &second),
    ] {
        for attr in ["pwdAccountLockedTime", "pwdFailureTime"] {
            assert!(
                values_on(slapd, &person.dn, attr).is_empty(),
                "{attr} on {which}"
            );
        }
    }
    let last = passwords.last().expect("six");
    assert!(app.binds(&person.dn, last).await);

    // Replication resumes: provider 2 catches up and Wi-Fi takes it.
    set_replicator_password(&app, REPLICATOR_PASSWORD);
    let resumed = Instant::now();
    while values_on(&second, &person.dn, "sambaNTPassword") == old_hash {
        assert!(
            resumed.elapsed() < Duration::from_secs(15),
            "provider 2 never caught up"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!(
        "provider 2 caught up {:?} after replication resumed",
        resumed.elapsed()
    );
    assert!(
        tokio::task::block_in_place(|| wifi.radtest_mschap(&person.uid, last)).expect("radtest")
    );
}
