//! How a site grows past one machine (issue 12) and why "done" means done
//! on every replica (issue 13, item 2). Two slapd providers built from
//! `config/ldap` and `config/ldap/replication/` exactly as the README tells
//! a site (multi-provider syncrepl, serverID 1 and 2), and two gateways:
//! A in front of provider 1, B in front of provider 2. What one gateway
//! stores on the entry (failed attempts, a code, the mail cooldown, the
//! password) is what the other reads once syncrepl carried it over; each
//! test measures that delay and prints it (`--nocapture`).

use crate::app::{self, spawn_app_on, Person, TestApp, NEW_PASSWORD};
use passerelle::config::Settings;
use passerelle::slapd::{People, Slapd};
use reqwest::StatusCode;
use std::time::{Duration, Instant};

const QUESTION: &str = "Dans quelle ville êtes-vous né(e) ?";
/// How long a change may take to reach the other provider before a test
/// calls replication broken (measured: a few milliseconds on loopback).
const REPLICATION_BOUND: Duration = Duration::from_secs(5);
const WIFI_LATER: &str = "Le Wi-Fi peut mettre une minute à l&#39;accepter";

fn providers() -> [Slapd; 2] {
    Slapd::start_providers(People::Empty).expect("two providers start")
}

/// Gateway A on provider 1 and gateway B on provider 2, both configured
/// with `configure` (and the code flow on).
async fn two_sites(configure: impl Fn(&mut Settings) + Clone) -> (TestApp, TestApp) {
    let [first, second] = tokio::task::spawn_blocking(providers).await.expect("join");
    let configure_a = configure.clone();
    let a = spawn_app_on(first, move |settings| {
        settings.flows.code = true;
        configure_a(settings);
    })
    .await;
    let b = a.instance_on(second, configure).await;
    (a, b)
}

/// Polls `check` (every 10 ms) until it holds; returns how long it took.
/// Panics after [`REPLICATION_BOUND`].
async fn until(what: &str, mut check: impl FnMut() -> bool) -> Duration {
    let started = Instant::now();
    loop {
        if check() {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < REPLICATION_BOUND,
            "{what}: not within {REPLICATION_BOUND:?}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The values of `attr` on `app`'s own provider, as its rootdn sees them.
fn on(app: &TestApp, dn: &str, attr: &str) -> Vec<String> {
    app.admin_view(dn, &[attr])
        .into_iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(attr))
        .map(|(_, values)| values)
        .unwrap_or_default()
}

/// A person added on provider 1, once provider 2 has them too.
async fn person_on_both(a: &TestApp, b: &TestApp, prefix: &str) -> Person {
    let person = a.add_person(prefix, Some(QUESTION)).await;
    until("the new person reaching provider 2", || {
        !on(b, &person.dn, "passerelleAnswerHash").is_empty()
    })
    .await;
    person
}

/// The audit outcomes of `step` recorded for `account`, in order.
fn audited(account: &str, step: &str) -> Vec<String> {
    let logs = crate::logs::captured();
    let text = String::from_utf8(logs.lock().expect("logs").clone()).expect("utf-8");
    text.lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|v| v["target"] == "audit" && v["account"] == account && v["step"] == step)
        .filter_map(|v| v["outcome"].as_str().map(str::to_owned))
        .collect()
}

/// The first step of `code` for `address`, through `app`.
async fn ask_code(app: &TestApp, address: &str) {
    let form = app.get("/code").await;
    let asked = app
        .post_form(
            "/code",
            &[
                ("csrf", &form.csrf()),
                ("nonce", &form.nonce()),
                ("identifier", address),
                ("captcha", &app.captcha_answer("code")),
            ],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
}

/// A whole `recover` flow through `app`, ending on the success page.
async fn reset(app: &TestApp, person: &Person, password: &str) -> app::Page {
    let form = app.recover_until_password(person).await;
    let done = app.recover_password(&form, password, password, true).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(
        done.body.contains("votre mot de passe a bien été modifié"),
        "{}",
        done.body
    );
    done
}

#[tokio::test(flavor = "multi_thread")]
async fn failed_attempts_through_one_gateway_lock_the_person_for_the_other() {
    let (a, b) = two_sites(|_| {}).await;
    let person = person_on_both(&a, &b, "repllock").await;
    let max = a.settings.lockout.max_failures;

    for _ in 0..max {
        let form = a.recover_start().await;
        let page = a
            .recover_identity(&form, &person.student_number, "01/01/1990")
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    }
    assert!(!on(&a, &person.dn, "passerelleLockedUntil").is_empty());
    let delay = until("the lock reaching provider 2", || {
        !on(&b, &person.dn, "passerelleLockedUntil").is_empty()
    })
    .await;
    println!("lockout replicated in {delay:?}");

    // The right birth date through B: the same failure page, audited as
    // the lock.
    let form = b.recover_start().await;
    let page = b
        .recover_identity(&form, &person.student_number, &person.birth_date)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.location().is_none(), "not let through");
    assert_eq!(
        audited(&person.uid, "identity").last().map(String::as_str),
        Some("locked")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_code_requested_through_one_gateway_works_through_the_other() {
    let (a, mut b) = two_sites(|_| {}).await;
    let person = person_on_both(&a, &b, "replcode").await;

    ask_code(&a, &person.recovery_mail).await;
    let mail = a
        .smtp
        .wait_for_mail(&person.recovery_mail, app::MAIL_WAIT)
        .await;
    let link = mail
        .text_body()
        .split_whitespace()
        .find(|word| word.contains("/code/link/"))
        .expect("a link in the mail")
        .to_owned();
    let code_hash = on(&a, &person.dn, "passerelleCodeHash");
    assert!(!code_hash.is_empty());
    let delay = until("the code reaching provider 2", || {
        on(&b, &person.dn, "passerelleCodeHash") == code_hash
    })
    .await;
    println!("code replicated in {delay:?}");

    // The person opens the mail's link on gateway B.
    b.new_browser();
    let path = link
        .strip_prefix(&b.settings.server.public_url)
        .expect("public URL");
    let page = b.get(path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let pressed = b
        .post_form(
            "/code/link",
            &[
                ("csrf", &page.csrf()),
                ("nonce", &page.nonce()),
                ("token", &page.hidden("token")),
            ],
        )
        .await;
    assert_eq!(pressed.status, StatusCode::SEE_OTHER, "{}", pressed.body);
    assert_eq!(pressed.location().as_deref(), Some("/code/password"));
    let form = b.get("/code/password").await;
    let done = b
        .post_form(
            "/code/password",
            &[
                ("csrf", &form.csrf()),
                ("nonce", &form.nonce()),
                ("password", NEW_PASSWORD),
                ("confirm", NEW_PASSWORD),
                ("rules", "accepted"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(b.binds(&person.dn, NEW_PASSWORD).await);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reset_through_one_gateway_binds_on_the_other_providers_directory() {
    let (a, b) = two_sites(|_| {}).await;
    let person = person_on_both(&a, &b, "replreset").await;

    reset(&a, &person, NEW_PASSWORD).await;
    let changed = on(&a, &person.dn, "pwdChangedTime");
    // Watched by its pwdChangedTime, not by binding in a loop: each bind
    // made before the password arrived would count as a failed login.
    let delay = until("the new password reaching provider 2", || {
        on(&b, &person.dn, "pwdChangedTime") == changed
    })
    .await;
    assert!(b.binds(&person.dn, NEW_PASSWORD).await);
    let expected_nt = on(&a, &person.dn, "sambaNTPassword");
    println!("new password reached provider 2 {delay:?} after the success page");
    assert_eq!(on(&b, &person.dn, "sambaNTPassword"), expected_nt);
    assert!(!b.binds(&person.dn, &person.password).await, "old one gone");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_per_person_mail_cooldown_holds_across_both_gateways() {
    let (a, b) = two_sites(|_| {}).await;
    let person = person_on_both(&a, &b, "replmail").await;

    ask_code(&a, &person.recovery_mail).await;
    a.smtp
        .wait_for_mail(&person.recovery_mail, app::MAIL_WAIT)
        .await;
    let claimed = on(&a, &person.dn, "passerelleMailSentTime");
    let delay = until("the mail claim reaching provider 2", || {
        on(&b, &person.dn, "passerelleMailSentTime") == claimed
    })
    .await;
    println!("mail claim replicated in {delay:?}");

    ask_code(&b, &person.recovery_mail).await;
    // B decides off the request path: wait for its audit line.
    until("gateway B deciding", || {
        audited(&person.uid, "send_code").len() >= 2
    })
    .await;
    assert_eq!(
        audited(&person.uid, "send_code"),
        ["code_mailed", "cooldown"]
    );
    assert_eq!(a.smtp.mails_to(&person.recovery_mail).len(), 1);
}

/// Gateway A with provider 2 as its replica, waiting at most 2 s.
async fn with_replica_check() -> (TestApp, TestApp) {
    let [first, second] = tokio::task::spawn_blocking(providers).await.expect("join");
    let replica = second.url();
    let a = spawn_app_on(first, move |settings| {
        settings.ldap.replica_urls = vec![replica];
        settings.ldap.replica_wait_seconds = 2;
    })
    .await;
    let b = a.instance_on(second, |_| {}).await;
    (a, b)
}

#[tokio::test(flavor = "multi_thread")]
async fn done_is_said_once_the_replica_accepts_the_new_password() {
    let (a, b) = with_replica_check().await;
    let person = person_on_both(&a, &b, "replok").await;

    let form = a.recover_until_password(&person).await;
    let started = Instant::now();
    let done = a
        .recover_password(&form, NEW_PASSWORD, NEW_PASSWORD, true)
        .await;
    let took = started.elapsed();
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(!done.body.contains(WIFI_LATER), "{}", done.body);
    println!("write and replica confirmation took {took:?}");
    // Said done: the replica already takes it, without waiting.
    assert!(b.binds(&person.dn, NEW_PASSWORD).await);
    assert_eq!(
        audited(&person.uid, "password"),
        ["changed", "replicas_confirmed"]
    );
    // Confirmed without a failed bind on the replica.
    assert!(on(&b, &person.dn, "pwdFailureTime").is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_replica_that_lags_past_the_wait_is_told_on_the_success_page_and_audited() {
    let (a, b) = with_replica_check().await;
    let person = person_on_both(&a, &b, "repllag").await;
    b.slapd.lock().expect("slapd").stop();

    let form = a.recover_until_password(&person).await;
    let started = Instant::now();
    let done = a
        .recover_password(&form, NEW_PASSWORD, NEW_PASSWORD, true)
        .await;
    let took = started.elapsed();
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(
        done.body.contains("votre mot de passe a bien été modifié"),
        "{}",
        done.body
    );
    assert!(done.body.contains(WIFI_LATER), "{}", done.body);
    println!("with the replica down the success page came after {took:?}");
    assert!(took >= Duration::from_secs(2), "waited the configured 2 s");
    assert!(
        took < Duration::from_secs(6),
        "and not much longer: {took:?}"
    );
    assert_eq!(
        audited(&person.uid, "password"),
        ["changed", "replica_lagging"]
    );
    // In English too.
    let english = a.get("/recover/done?lang=en").await;
    assert_eq!(english.status, StatusCode::OK, "{}", english.body);
    assert!(
        english
            .body
            .contains("Wi-Fi may take a minute to accept it"),
        "{}",
        english.body
    );

    // The replica comes back and catches up by itself.
    let changed = on(&a, &person.dn, "pwdChangedTime");
    b.slapd.lock().expect("slapd").start_again().expect("again");
    let delay = until("provider 2 catching up once back", || {
        on(&b, &person.dn, "pwdChangedTime") == changed
    })
    .await;
    assert!(b.binds(&person.dn, NEW_PASSWORD).await);
    println!("provider 2 caught up {delay:?} after its restart");
}
