//! `/metrics` as an operator's Prometheus reads it: after a recover flow,
//! a code flow, a sign-in lockout and a mail, the right counters moved;
//! routes are labelled by their template; the endpoint has a loopback
//! listener of its own by default and is among the pages only when a site
//! opts in (`metrics.public`); `/readyz` follows the directory down and up.

use crate::app::{spawn_app, spawn_app_with, TestApp, MAIL_WAIT, NEW_PASSWORD};
use reqwest::StatusCode;
use std::time::{Duration, Instant};

/// The value of one series (`name{labels}` exactly as exposed), 0 when
/// absent.
fn value(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .map(|v| v.trim().parse().expect("a number"))
        .unwrap_or(0.0)
}

/// `/metrics` as Prometheus reads it: on the listener of its own
/// (`metrics.listen`, loopback by default), never among the pages.
async fn scrape(app: &TestApp) -> String {
    let port = app.metrics_port.expect("a metrics listener");
    let answer = reqwest::get(format!("http://127.0.0.1:{port}/metrics"))
        .await
        .expect("metrics");
    let status = answer.status();
    let content_type = answer
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = answer.text().await.expect("text");
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        content_type
            .as_deref()
            .is_some_and(|t| t.starts_with("text/plain; version=0.0.4")),
        "{content_type:?}"
    );
    body
}

/// Scrapes until `series` reaches `at_least` (work done off the request
/// path, such as a mail, lands a moment later).
async fn scrape_until(app: &TestApp, series: &str, at_least: f64) -> String {
    let deadline = Instant::now() + MAIL_WAIT;
    loop {
        let text = scrape(app).await;
        if value(&text, series) >= at_least || Instant::now() > deadline {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_recover_flow_moves_its_flow_http_directory_argon2_and_mail_counters() {
    let app = spawn_app().await;
    let person = app.add_person("metrec", Some("Ville ?")).await;
    let form = app.recover_until_password(&person).await;
    let done = app
        .recover_password(&form, NEW_PASSWORD, NEW_PASSWORD, true)
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    app.smtp
        .wait_for_mail(&person.recovery_mail, MAIL_WAIT)
        .await;

    let text = scrape_until(
        &app,
        "passerelle_mail_sent_total{template=\"password_changed\"}",
        2.0,
    )
    .await;
    for (series, expected) in [
        ("passerelle_flows_started_total{flow=\"recover\"}", 1.0),
        (
            "passerelle_flows_completed_total{flow=\"recover\",outcome=\"changed\"}",
            1.0,
        ),
        (
            "passerelle_audit_events_total{flow=\"recover\",step=\"identity\",outcome=\"proved\"}",
            1.0,
        ),
        (
            "passerelle_audit_events_total{flow=\"recover\",step=\"question\",outcome=\"answered\"}",
            1.0,
        ),
        (
            "passerelle_http_requests_total{method=\"POST\",route=\"/recover/password\",status=\"303\"}",
            1.0,
        ),
        (
            "passerelle_http_requests_total{method=\"GET\",route=\"/recover/question\",status=\"200\"}",
            1.0,
        ),
        // The confirmation goes to the recovery and institutional addresses.
        (
            "passerelle_mail_queued_total{template=\"password_changed\"}",
            2.0,
        ),
        ("passerelle_mail_sent_total{template=\"password_changed\"}", 2.0),
        ("passerelle_directory_pool_max", 4.0),
        ("passerelle_mail_pending", 0.0),
        ("passerelle_audit_undocumented_outcomes_total", 0.0),
    ] {
        assert_eq!(value(&text, series), expected, "{series} in:\n{text}");
    }
    for (series, at_least) in [
        (
            "passerelle_directory_operation_duration_seconds_count{operation=\"search\",result=\"ok\"}",
            3.0,
        ),
        (
            "passerelle_directory_operation_duration_seconds_count{operation=\"modify\",result=\"ok\"}",
            1.0,
        ),
        (
            "passerelle_directory_operation_duration_seconds_count{operation=\"connect\",result=\"ok\"}",
            1.0,
        ),
        // One argon2 run per reset: the answer's (issue 12).
        ("passerelle_argon2_duration_seconds_count", 1.0),
        ("passerelle_argon2_wait_seconds_count", 1.0),
        ("passerelle_directory_pool_wait_seconds_count", 3.0),
    ] {
        assert!(
            value(&text, series) >= at_least,
            "{series} below {at_least} in:\n{text}"
        );
    }
    assert_eq!(
        value(&text, "passerelle_argon2_duration_seconds_count"),
        1.0,
        "one argon2 run per reset:\n{text}"
    );
    let documented = names_in(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/metrics.md"))
            .expect("docs/metrics.md"),
    );
    for name in text
        .lines()
        .filter_map(|l| l.strip_prefix("# TYPE "))
        .filter_map(|l| l.split_whitespace().next())
    {
        assert!(
            documented.contains(name),
            "{name} is not in docs/metrics.md"
        );
    }
    assert_eq!(value(&text, "passerelle_argon2_running"), 0.0);
    assert_eq!(value(&text, "passerelle_directory_pool_in_use"), 0.0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_code_flow_counts_its_mail_its_captcha_and_its_completion() {
    let app = spawn_app_with(|s| s.flows.code = true).await;
    let person = app.add_person("metcode", None).await;
    let form = app.get("/code").await;
    let picture = app.get("/captcha/code/image.png").await;
    assert_eq!(picture.status, StatusCode::OK);
    let after = app
        .post_with_tokens(
            "/code",
            &form,
            &[
                ("identifier", &person.recovery_mail),
                ("captcha", &app.captcha_answer("code")),
            ],
        )
        .await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "{}", after.body);
    let mail = app
        .smtp
        .wait_for_mail(&person.recovery_mail, MAIL_WAIT)
        .await;
    let code: String = mail
        .text_body()
        .lines()
        .map(|l| l.split_whitespace().collect::<String>())
        .find(|l| l.len() == 6 && l.bytes().all(|b| b.is_ascii_digit()))
        .expect("a code");
    let verify = app.get("/code/verify").await;
    let after = app
        .post_with_tokens("/code/verify", &verify, &[("code", &code)])
        .await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "{}", after.body);
    let form = app.get("/code/password").await;
    let done = app
        .post_with_tokens(
            "/code/password",
            &form,
            &[
                ("password", NEW_PASSWORD),
                ("confirm", NEW_PASSWORD),
                ("rules", "accepted"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);

    let text = scrape_until(
        &app,
        "passerelle_mail_sent_total{template=\"password_changed\"}",
        2.0,
    )
    .await;
    for (series, expected) in [
        ("passerelle_flows_started_total{flow=\"code\"}", 1.0),
        (
            "passerelle_flows_completed_total{flow=\"code\",outcome=\"changed\"}",
            1.0,
        ),
        (
            "passerelle_audit_events_total{flow=\"code\",step=\"send_code\",outcome=\"code_mailed\"}",
            1.0,
        ),
        (
            "passerelle_audit_events_total{flow=\"code\",step=\"code\",outcome=\"code_right\"}",
            1.0,
        ),
        ("passerelle_mail_sent_total{template=\"reset_code\"}", 1.0),
        (
            "passerelle_captcha_served_total{flow=\"code\",kind=\"image\"}",
            1.0,
        ),
        (
            "passerelle_captcha_checks_total{flow=\"code\",result=\"passed\"}",
            1.0,
        ),
        (
            "passerelle_http_requests_total{method=\"GET\",route=\"/captcha/{flow}/image.png\",status=\"200\"}",
            1.0,
        ),
    ] {
        assert_eq!(value(&text, series), expected, "{series} in:\n{text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_sign_ins_that_lock_an_account_count_one_lockout() {
    let app = spawn_app().await;
    let person = app.add_person("metlock", None).await;
    let mut form = app.get("/account").await;
    for _ in 0..app.settings.lockout.max_failures {
        form = app
            .sign_in("/account", &form, &person.uid, "Pas-Le-Bon-2024")
            .await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    }
    let text = scrape(&app).await;
    assert_eq!(
        value(
            &text,
            "passerelle_lockouts_total{flow=\"account\",step=\"login\"}"
        ),
        1.0,
        "{text}"
    );
    assert_eq!(
        value(
            &text,
            "passerelle_audit_events_total{flow=\"account\",step=\"login\",outcome=\"wrong_password\"}"
        ),
        f64::from(app.settings.lockout.max_failures - 1),
        "{text}"
    );
    assert_eq!(
        value(
            &text,
            "passerelle_directory_operation_duration_seconds_count{operation=\"bind\",result=\"ok\"}"
        ),
        f64::from(app.settings.lockout.max_failures),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn routes_are_labelled_by_their_template_never_by_the_raw_path() {
    let app = spawn_app().await;
    for path in [
        "/no/such/page",
        "/another/unknown",
        "/captcha/nothing/image.png",
    ] {
        app.get(path).await;
    }
    let text = scrape(&app).await;
    assert_eq!(
        value(
            &text,
            "passerelle_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"}"
        ),
        2.0,
        "{text}"
    );
    assert!(!text.contains("/no/such/page"), "{text}");
    assert!(!text.contains("nothing"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn by_default_the_metrics_have_a_loopback_listener_of_their_own_and_the_site_answers_404() {
    let defaults = passerelle::config::Settings::default();
    assert_eq!(defaults.metrics.listen, "127.0.0.1:9464");
    assert!(!defaults.metrics.public);

    // The test gateways keep the default but for the port (a free one).
    let app = spawn_app().await;
    let public = app.get("/metrics").await;
    assert_eq!(public.status, StatusCode::NOT_FOUND);
    assert!(!public.body.contains("passerelle_"), "{}", public.body);
    let text = scrape(&app).await;
    // The site's own 404 was counted, on the site's registry.
    assert!(
        text.contains(
            "passerelle_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1"
        ),
        "{text}"
    );
    let port = app.metrics_port.expect("metrics port");
    let other = reqwest::get(format!("http://127.0.0.1:{port}/"))
        .await
        .expect("other");
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_site_that_opts_in_serves_the_metrics_with_its_pages() {
    let app = spawn_app_with(|s| {
        s.metrics.public = true;
        s.metrics.listen = String::new();
    })
    .await;
    assert_eq!(app.metrics_port, None, "no listener of its own");
    let page = app.get("/metrics").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("# TYPE passerelle_"), "{}", page.body);

    // Neither: no metrics anywhere.
    let off = spawn_app_with(|s| s.metrics.listen = String::new()).await;
    assert_eq!(off.metrics_port, None);
    assert_eq!(off.get("/metrics").await.status, StatusCode::NOT_FOUND);
}

async fn readyz_until(app: &TestApp, status: StatusCode) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let got = app.get("/readyz").await.status;
        if got == status {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "/readyz stayed {got}, not {status}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn readyz_turns_503_when_the_directory_stops_and_200_when_it_returns() {
    let app = spawn_app().await;
    readyz_until(&app, StatusCode::OK).await;
    app.slapd.lock().expect("slapd").stop();
    readyz_until(&app, StatusCode::SERVICE_UNAVAILABLE).await;
    let text = scrape(&app).await;
    assert_eq!(
        value(
            &text,
            "passerelle_http_requests_total{method=\"GET\",route=\"/readyz\",status=\"503\"}"
        ),
        1.0,
        "{text}"
    );
    tokio::task::spawn_blocking({
        let slapd = app.slapd.clone();
        move || slapd.lock().expect("slapd").start_again().expect("restart")
    })
    .await
    .expect("join");
    readyz_until(&app, StatusCode::OK).await;
}

/// The `passerelle_…` names in `text`, without the histogram suffixes.
fn names_in(text: &str) -> std::collections::BTreeSet<String> {
    let mut names = std::collections::BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("passerelle_") {
        let name: String = rest[at..]
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
            .collect();
        rest = &rest[at + name.len()..];
        let base = ["_bucket", "_count", "_sum"]
            .iter()
            .find_map(|s| name.strip_suffix(s))
            .unwrap_or(&name);
        names.insert(base.to_owned());
    }
    names
}

#[tokio::test(flavor = "multi_thread")]
async fn every_exposed_metric_is_documented_and_the_dashboard_uses_only_documented_ones() {
    let app = spawn_app().await;
    let text = scrape(&app).await;
    let exposed: std::collections::BTreeSet<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("# TYPE "))
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect();
    let read = |file: &str| {
        std::fs::read_to_string(format!("{}/{file}", env!("CARGO_MANIFEST_DIR"))).expect(file)
    };
    let documented = names_in(&read("docs/metrics.md"));
    let dashboard = names_in(&read("docs/grafana-dashboard.json"));
    // What is exposed must be documented, and the dashboard may use only
    // documented names.
    let undocumented: Vec<&String> = exposed.difference(&documented).collect();
    assert!(
        undocumented.is_empty(),
        "not in docs/metrics.md: {undocumented:?}"
    );
    // Every instrument without labels is exposed from the start.
    assert!(exposed.len() >= 14, "{exposed:?}");
    let unknown: Vec<&String> = dashboard.difference(&documented).collect();
    assert!(unknown.is_empty(), "the dashboard uses {unknown:?}");
    assert!(dashboard.len() >= 20, "{dashboard:?}");
    // Issue 22: right after start, before any flow, every series name the
    // dashboard queries already has samples (known label sets at zero), so
    // rates, ratios and "absent" alerts read a quiet replica right.
    let samples: String = text
        .lines()
        .filter(|line| !line.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let sampled = names_in(&samples);
    let missing: Vec<&String> = dashboard.difference(&sampled).collect();
    assert!(missing.is_empty(), "no samples at start for {missing:?}");
    // Each mail template is counted from zero, by its directory's name.
    for template in std::fs::read_dir(format!("{}/templates/mail", env!("CARGO_MANIFEST_DIR")))
        .expect("templates/mail")
        .map(|entry| entry.expect("entry"))
        .filter(|entry| entry.path().is_dir())
    {
        let name = template.file_name().into_string().expect("utf-8");
        for family in ["mail_queued", "mail_sent"] {
            let series = format!("passerelle_{family}_total{{template=\"{name}\"}}");
            assert_eq!(at_start(&text, &series), Some(0.0), "{series}");
        }
    }
    for flow in ["code", "temporary"] {
        let series =
            format!("passerelle_captcha_checks_total{{flow=\"{flow}\",result=\"failed\"}}");
        assert_eq!(at_start(&text, &series), Some(0.0), "{series}");
    }
    assert_eq!(
        at_start(
            &text,
            "passerelle_flows_completed_total{flow=\"recover\",outcome=\"changed\"}"
        ),
        Some(0.0)
    );
}

/// The value of one series when it is exposed at all.
fn at_start(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|v| v.trim().parse().ok())
}
