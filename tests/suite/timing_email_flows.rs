//! Sameness in time of the e-mail flows: the first POST of `/code` and of
//! `/temporary` answers as fast for an address that matches nobody as for
//! one that matches somebody (the look-up, the code or password and the
//! mail all happen off the request path). 200 requests each, interleaved so
//! that drift in the machine's load hits both sides alike; the medians must
//! differ by less than 5 ms. The figures are printed (`--nocapture`).

use crate::app;

use app::{spawn_app_with, Person, TestApp};
use reqwest::StatusCode;
use std::time::{Duration, Instant};

const ROUNDS: usize = 200;
const KNOWN_PEOPLE: usize = 5;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn percentile(mut samples: Vec<Duration>, p: usize) -> Duration {
    samples.sort();
    samples[(samples.len() * p / 100).min(samples.len() - 1)]
}

async fn timed_post(app: &TestApp, path: &str, typed: &str, expected: StatusCode) -> Duration {
    let form = app.get(path).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let fields = [
        ("csrf", form.csrf()),
        ("nonce", form.nonce()),
        ("identifier", typed.to_owned()),
        ("captcha", app.captcha_answer(path.trim_start_matches('/'))),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let started = Instant::now();
    let page = app.post_form(path, &fields).await;
    let elapsed = started.elapsed();
    assert_eq!(page.status, expected, "{}", page.body);
    elapsed
}

async fn measure(path: &str, expected: StatusCode) {
    let flow = path.trim_start_matches('/').to_owned();
    let mut app = spawn_app_with(move |settings| {
        settings.flows.code = flow == "code";
        settings.flows.temporary = flow == "temporary";
    })
    .await;
    let mut people: Vec<Person> = Vec::new();
    for _ in 0..KNOWN_PEOPLE {
        people.push(app.add_person("timing", None).await);
    }
    // Warm up both paths (connections, caches, first writes).
    for person in &people {
        timed_post(&app, path, &person.recovery_mail, expected).await;
    }
    timed_post(&app, path, "warm-up@nowhere.example.org", expected).await;

    let mut known = Vec::with_capacity(ROUNDS);
    let mut unknown = Vec::with_capacity(ROUNDS);
    for round in 0..ROUNDS {
        if round % 40 == 0 {
            // A fresh client address now and then: the per-address POST
            // limit must not be what this test measures.
            app.new_browser();
        }
        let person = &people[round % KNOWN_PEOPLE];
        let stranger = format!("inconnu-{round}-{}@perso.example.org", app.port);
        if round % 2 == 0 {
            known.push(timed_post(&app, path, &person.recovery_mail, expected).await);
            unknown.push(timed_post(&app, path, &stranger, expected).await);
        } else {
            unknown.push(timed_post(&app, path, &stranger, expected).await);
            known.push(timed_post(&app, path, &person.recovery_mail, expected).await);
        }
    }
    let (known_median, unknown_median) = (median(known.clone()), median(unknown.clone()));
    let gap = known_median.abs_diff(unknown_median);
    println!(
        "{path}: median over {ROUNDS}: known {known_median:?}, unknown {unknown_median:?}, gap {gap:?}; p90 known {:?}, unknown {:?}",
        percentile(known, 90),
        percentile(unknown, 90),
    );
    assert!(
        gap < Duration::from_millis(5),
        "{path}: timing gap {gap:?} between known and unknown addresses"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn asking_for_a_code_takes_the_same_time_for_known_and_unknown_addresses() {
    measure("/code", StatusCode::SEE_OTHER).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn asking_for_a_temporary_password_takes_the_same_time_for_known_and_unknown_addresses() {
    measure("/temporary", StatusCode::OK).await;
}

/// Step 2 of `/code`: a wrong code for an address that matched somebody
/// (a try spent, a failure counted, later a lockout) and any code for one
/// that matched nobody are answered alike. Fewer rounds: every refusal
/// waits for the 250 ms floor.
#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_code_takes_the_same_time_for_known_and_unknown_addresses() {
    const CODE_ROUNDS: usize = 30;
    let mut app = spawn_app_with(|settings| settings.flows.code = true).await;
    let person = app.add_person("timingcode", None).await;
    let stranger = format!("inconnu-{}@perso.example.org", app.port);

    async fn step_two(app: &mut TestApp, typed: &str) {
        let sent = |app: &TestApp| app.audit_text().matches("\"step\":\"send_code\"").count();
        let before = sent(app);
        app.new_browser();
        let form = app.get("/code").await;
        let after = app
            .post_form(
                "/code",
                &[
                    ("csrf", &form.csrf()),
                    ("nonce", &form.nonce()),
                    ("identifier", typed),
                    ("captcha", &app.captcha_answer("code")),
                ],
            )
            .await;
        assert_eq!(after.status, StatusCode::SEE_OTHER, "{}", after.body);
        // The off-path work this request started (the look-up, the code,
        // the mail for a known address; nothing for an unknown one) is over
        // before the next request is timed: its load must not be mistaken
        // for the code step's.
        let deadline = Instant::now() + Duration::from_secs(10);
        while sent(app) == before && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        // The mail leaves after the audit event, and its spool record
        // (the request's promise for an unknown address) is removed with a
        // synced directory after that: the spool empty, the work is over.
        let metrics = format!(
            "http://127.0.0.1:{}/metrics",
            app.metrics_port.expect("a metrics listener")
        );
        while Instant::now() < deadline {
            let text = reqwest::get(&metrics)
                .await
                .expect("metrics")
                .text()
                .await
                .expect("metrics text");
            if text.contains("passerelle_mail_spool_depth 0\n") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }

    async fn wrong_code(app: &TestApp) -> Duration {
        let verify = app.get("/code/verify").await;
        let captcha = app.captcha_answer("code");
        let started = Instant::now();
        let page = app
            .post_form(
                "/code/verify",
                &[
                    ("csrf", &verify.csrf()),
                    ("nonce", &verify.nonce()),
                    ("code", "000000"),
                    ("captcha", &captcha),
                ],
            )
            .await;
        let elapsed = started.elapsed();
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Le code saisi est incorrect"),
            "{}",
            page.body
        );
        elapsed
    }

    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for _ in 0..CODE_ROUNDS {
        step_two(&mut app, &person.recovery_mail).await;
        known.push(wrong_code(&app).await);
        step_two(&mut app, &stranger).await;
        unknown.push(wrong_code(&app).await);
    }
    let (known_median, unknown_median) = (median(known), median(unknown));
    let gap = known_median.abs_diff(unknown_median);
    println!(
        "/code/verify: median over {CODE_ROUNDS}: known {known_median:?}, unknown {unknown_median:?}, gap {gap:?}"
    );
    assert!(gap < Duration::from_millis(5), "timing gap {gap:?}");
}
