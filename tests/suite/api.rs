//! The JSON API (`docs/api.md`) over real HTTP, against a real slapd and a
//! real SMTP conversation: every route with a valid token, with a token
//! lacking its scope (403), without one (401), with a revoked one; the
//! change counted on the entry like the `/change` page's sign-in (the
//! count grows, the last allowed failure locks, a locked account is
//! refused even with the right password); the reset code mailed to the
//! person and never returned, the same answer for nobody; the audit
//! trail naming the client; problems in the caller's language; the rate
//! per token; the OpenAPI document against the routes it describes.

use crate::app;

use app::{spawn_app, spawn_app_with, TestApp, MAIL_WAIT, NEW_PASSWORD};
use passerelle::config::Settings;
use passerelle::web::api::settings::{ApiClient, Scope};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::path::Path;

const FULL: &str = "ent-0123456789abcdefghijklmnopqrstuvwxyz";
const READER: &str = "lecteur-0123456789abcdefghijklmnopqrstuvw";

/// The API on, with two clients: `ent` (every scope) and `lecteur`
/// (`rules` and `check` only), their tokens in files under `dir`.
fn with_api(dir: &Path, settings: &mut Settings) {
    settings.flows.code = true;
    std::fs::write(dir.join("ent.token"), format!("{FULL}\n")).expect("token file");
    std::fs::write(dir.join("lecteur.token"), READER).expect("token file");
    settings.api.enabled = true;
    settings.api.clients.insert(
        "ent".into(),
        ApiClient {
            token_file: dir.join("ent.token"),
            scopes: vec![Scope::Rules, Scope::Check, Scope::Change, Scope::ResetCode],
        },
    );
    settings.api.clients.insert(
        "lecteur".into(),
        ApiClient {
            token_file: dir.join("lecteur.token"),
            scopes: vec![Scope::Rules, Scope::Check],
        },
    );
}

async fn spawn_api(dir: &Path, configure: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = dir.to_owned();
    spawn_app_with(move |settings| {
        with_api(&dir, settings);
        configure(settings);
    })
    .await
}

/// An answer of the API, read.
#[derive(Debug)]
struct Answer {
    status: StatusCode,
    content_type: String,
    headers: reqwest::header::HeaderMap,
    body: Value,
    text: String,
}

async fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> Answer {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut request = app.client.request(method, app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    read(request.send().await.expect("request")).await
}

async fn read(response: reqwest::Response) -> Answer {
    let status = response.status();
    let headers = response.headers().clone();
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = response.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer {
        status,
        content_type,
        headers,
        body,
        text,
    }
}

/// A problem of `slug` with `status`, as RFC 9457 writes it.
fn assert_problem(answer: &Answer, status: StatusCode, slug: &str) {
    assert_eq!(answer.status, status, "{}", answer.text);
    assert_eq!(
        answer.content_type, "application/problem+json",
        "{answer:?}"
    );
    assert_eq!(
        answer.body["type"],
        format!("/api/problems/{slug}"),
        "{answer:?}"
    );
    assert_eq!(answer.body["status"], status.as_u16());
    for member in ["title", "detail"] {
        let text = answer.body[member].as_str().unwrap_or_default();
        assert!(
            !text.is_empty() && !text.starts_with("api-problem"),
            "{answer:?}"
        );
    }
}

fn failures(app: &TestApp, dn: &str) -> (usize, bool) {
    let view = app.admin_view(dn, &["passerelleFailureTime", "passerelleLockedUntil"]);
    (
        view.get("passerelleFailureTime").map_or(0, Vec::len),
        view.contains_key("passerelleLockedUntil"),
    )
}

fn audit(app: &TestApp) -> Vec<Value> {
    app.audit_text()
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON record"))
        .collect()
}

/// Every documented operation: its method, its path with `login` put in,
/// its scope and a body that makes it succeed.
fn operations(document: &Value, login: &str) -> Vec<(String, String, Option<String>, Value)> {
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("operations") {
            let scope = operation["security"][0]["bearer"][0]
                .as_str()
                .map(str::to_owned);
            let body = match operation["operationId"].as_str() {
                Some("check") => json!({ "password": NEW_PASSWORD }),
                Some("change") => {
                    json!({ "current": "", "new": NEW_PASSWORD, "rules_accepted": true })
                }
                Some("reset_code") => json!({ "person": login }),
                _ => Value::Null,
            };
            operations.push((
                method.to_uppercase(),
                path.replace("{login}", login),
                scope,
                body,
            ));
        }
    }
    operations
}

#[tokio::test(flavor = "multi_thread")]
async fn every_documented_route_answers_a_valid_token_and_refuses_a_missing_one_or_a_missing_scope()
{
    let dir = tempfile::tempdir().expect("dir");
    let app = spawn_api(dir.path(), |_| {}).await;
    let person = app.add_person("apiall", None).await;
    let document = send(&app, "GET", "/api/openapi.json", None, None, &[]).await;
    assert_eq!(document.status, StatusCode::OK, "{}", document.text);
    assert_eq!(document.body["openapi"], "3.1.0");
    let operations = operations(&document.body, &person.uid);
    let mut ids: Vec<_> = operations
        .iter()
        .map(|(m, p, _, _)| format!("{m} {p}"))
        .collect();
    ids.sort();
    assert_eq!(
        ids,
        [
            "GET /api/openapi.json".to_owned(),
            format!("GET /api/v1/people/{}/rules", person.uid),
            format!("POST /api/v1/people/{}/check", person.uid),
            format!("POST /api/v1/people/{}/password", person.uid),
            "POST /api/v1/reset-codes".to_owned(),
        ],
        "the document lists every route the router serves, and only those"
    );
    for (method, path, scope, body) in &operations {
        let mut body = body.clone();
        if body.get("current").is_some() {
            body["current"] = json!(person.password);
        }
        let body = (!body.is_null()).then_some(body);
        let Some(scope) = scope else {
            continue;
        };
        // Without a token, with a wrong one, with cookies only.
        let none = send(&app, method, path, None, body.clone(), &[]).await;
        assert_problem(&none, StatusCode::UNAUTHORIZED, "unauthorized");
        assert!(none.headers.contains_key("www-authenticate"), "{none:?}");
        let wrong = send(&app, method, path, Some(&FULL[1..]), body.clone(), &[]).await;
        assert_problem(&wrong, StatusCode::UNAUTHORIZED, "unauthorized");
        let cookies = send(
            &app,
            method,
            path,
            None,
            body.clone(),
            &[("cookie", "lang=fr")],
        )
        .await;
        assert_problem(&cookies, StatusCode::UNAUTHORIZED, "cookies-refused");
        // The reader lacks `change` and `reset_code`.
        let reader = send(&app, method, path, Some(READER), body.clone(), &[]).await;
        if matches!(scope.as_str(), "rules" | "check") {
            assert_eq!(
                reader.status,
                StatusCode::OK,
                "{method} {path}: {}",
                reader.text
            );
        } else {
            assert_problem(&reader, StatusCode::FORBIDDEN, "forbidden");
            assert_eq!(reader.body["scope"], scope.as_str());
        }
        // With every scope: what the document promises for success.
        let full = send(&app, method, path, Some(FULL), body.clone(), &[]).await;
        let documented = &document.body["paths"][path.replace(&person.uid, "{login}")]
            [method.to_lowercase()]["responses"];
        assert!(
            full.status.is_success() && documented.get(full.status.as_str()).is_some(),
            "{method} {path}: {} {}",
            full.status,
            full.text
        );
        assert_eq!(full.content_type, "application/json", "{method} {path}");
    }
    // What the document does not list is not served.
    let unknown = send(&app, "GET", "/api/v1/people", Some(FULL), None, &[]).await;
    assert_problem(&unknown, StatusCode::NOT_FOUND, "not-found");
    let method = send(&app, "DELETE", "/api/v1/reset-codes", Some(FULL), None, &[]).await;
    assert_problem(
        &method,
        StatusCode::METHOD_NOT_ALLOWED,
        "method-not-allowed",
    );
    // The change above wrote the new password.
    assert!(app.binds(&person.dn, NEW_PASSWORD).await);
    // The API's requests are counted like the pages' (by route template).
    let metrics = reqwest::get(format!(
        "http://127.0.0.1:{}/metrics",
        app.metrics_port.expect("metrics port")
    ))
    .await
    .expect("metrics")
    .text()
    .await
    .expect("text");
    assert!(
        metrics.contains("route=\"/api/v1/people/{login}/password\""),
        "{metrics}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_rules_and_a_check_count_the_person_s_own_data() {
    let dir = tempfile::tempdir().expect("dir");
    let app = spawn_api(dir.path(), |s| s.policy.min_zxcvbn_score = Some(3)).await;
    let person = app.add_person("apirul", None).await;
    let rules = send(
        &app,
        "GET",
        &format!("/api/v1/people/{}/rules", person.uid),
        Some(READER),
        None,
        &[("accept-language", "en")],
    )
    .await;
    assert_eq!(rules.status, StatusCode::OK, "{}", rules.text);
    assert_eq!(rules.body["login"], person.uid.as_str());
    let listed: Vec<&Value> = rules.body["rules"].as_array().unwrap().iter().collect();
    let rule = |id: &str| {
        listed
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id} missing: {listed:?}"))
    };
    assert_eq!(rule("length")["parameters"]["min"], 12);
    assert_eq!(rule("min_classes")["parameters"]["min"], 3);
    assert_eq!(rule("forbid_login")["client_side"], true);
    assert_eq!(rule("min_zxcvbn_score")["client_side"], false);
    assert!(
        rule("length")["description"]
            .as_str()
            .unwrap()
            .contains("12"),
        "{listed:?}"
    );

    let check = |password: String| {
        let app = &app;
        let uid = person.uid.clone();
        async move {
            send(
                app,
                "POST",
                &format!("/api/v1/people/{uid}/check"),
                Some(READER),
                Some(json!({ "password": password })),
                &[],
            )
            .await
        }
    };
    // The login inside: refused for it, with the rule named.
    let with_login = check(format!("Xy7-{}-Qz!", person.uid)).await;
    assert_eq!(with_login.status, StatusCode::OK, "{}", with_login.text);
    assert_eq!(with_login.body["acceptable"], false);
    let status = |answer: &Answer, id: &str| {
        answer.body["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .map(|r| r["status"].clone())
    };
    assert_eq!(status(&with_login, "forbid_login"), Some(json!("failed")));
    assert!(!with_login.body["problems"].as_array().unwrap().is_empty());
    let strong = check(NEW_PASSWORD.to_owned()).await;
    assert_eq!(strong.body["acceptable"], true, "{}", strong.text);
    assert!(strong.body["zxcvbn_score"].as_u64().unwrap() >= 3);
    assert_eq!(strong.body["problems"], json!([]));
    // The birth date proves identity elsewhere: its own digits score as any
    // other date's, so that naming a person tells nothing of it.
    for (own, other) in [("15092001", "16092001"), ("20010915", "20010916")] {
        let (own, other) = (check(own.to_owned()).await, check(other.to_owned()).await);
        assert_eq!(
            own.body["zxcvbn_score"], other.body["zxcvbn_score"],
            "{}",
            own.text
        );
        assert_eq!(own.body["acceptable"], other.body["acceptable"]);
        assert_eq!(own.body["problems"], other.body["problems"]);
    }

    let nobody = send(
        &app,
        "GET",
        "/api/v1/people/personne-inconnue/rules",
        Some(READER),
        None,
        &[],
    )
    .await;
    assert_problem(&nobody, StatusCode::NOT_FOUND, "unknown-person");
    // An address names nobody here: the answer would tell its login.
    let address = person.recovery_mail.clone();
    let by_address = send(
        &app,
        "GET",
        &format!("/api/v1/people/{address}/rules"),
        Some(READER),
        None,
        &[],
    )
    .await;
    assert_problem(&by_address, StatusCode::NOT_FOUND, "unknown-person");
    // Nothing was counted on the entry, nothing written.
    assert_eq!(failures(&app, &person.dn), (0, false));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_change_is_counted_like_the_page_s_and_the_last_failure_locks() {
    let dir = tempfile::tempdir().expect("dir");
    let app = spawn_api(dir.path(), |_| {}).await;
    let person = app.add_person("apilck", None).await;
    let path = format!("/api/v1/people/{}/password", person.uid);
    let change =
        |current: &str| json!({ "current": current, "new": NEW_PASSWORD, "rules_accepted": true });
    let max = app.settings.lockout.max_failures as usize;
    for attempt in 1..=max {
        let wrong = send(
            &app,
            "POST",
            &path,
            Some(FULL),
            Some(change("Pas-Le-Bon-2024")),
            &[],
        )
        .await;
        assert_problem(&wrong, StatusCode::UNPROCESSABLE_ENTITY, "sign-in-refused");
        let (count, locked) = failures(&app, &person.dn);
        assert_eq!(
            count, attempt,
            "each wrong current password is counted on the entry"
        );
        assert_eq!(locked, attempt == max, "attempt {attempt} of {max}");
    }
    // Locked: the right password is refused too, and nothing is written.
    let before = app.password_state(&person.dn);
    let right = send(
        &app,
        "POST",
        &path,
        Some(FULL),
        Some(change(&person.password)),
        &[],
    )
    .await;
    assert_problem(&right, StatusCode::UNPROCESSABLE_ENTITY, "sign-in-refused");
    assert_eq!(app.password_state(&person.dn), before);
    assert!(!app.binds(&person.dn, NEW_PASSWORD).await);
    let outcomes: Vec<String> = audit(&app)
        .iter()
        .filter(|r| r["dn"] == person.dn.as_str())
        .map(|r| {
            assert_eq!(r["api_client"], "ent", "{r}");
            assert_eq!(r["flow"], "change", "{r}");
            r["outcome"].as_str().unwrap().to_owned()
        })
        .collect();
    let mut expected = vec!["wrong_password"; max - 1];
    expected.extend(["wrong_password_now_locked", "locked"]);
    assert_eq!(outcomes, expected);
    for secret in [NEW_PASSWORD, "Pas-Le-Bon-2024", &person.password] {
        assert!(
            !app.audit_text().contains(secret),
            "{secret} reached the trail"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_change_writes_the_password_with_the_page_s_rules_and_says_why_when_it_cannot() {
    let dir = tempfile::tempdir().expect("dir");
    let app = spawn_api(dir.path(), |_| {}).await;
    let person = app.add_person("apichg", None).await;
    let path = format!("/api/v1/people/{}/password", person.uid);
    // Against the rules: nothing written, every problem said, in English
    // when asked, and the right current password costs no failure.
    let weak = send(
        &app,
        "POST",
        &path,
        Some(FULL),
        Some(json!({ "current": person.password, "new": "court", "rules_accepted": true })),
        &[("accept-language", "en-GB,en;q=0.8")],
    )
    .await;
    assert_problem(&weak, StatusCode::UNPROCESSABLE_ENTITY, "password-refused");
    assert_eq!(weak.body["title"], "New password refused");
    assert_eq!(weak.headers["content-language"], "en");
    assert!(
        !weak.body["problems"].as_array().unwrap().is_empty(),
        "{}",
        weak.text
    );
    assert_eq!(
        failures(&app, &person.dn),
        (0, false),
        "{}",
        app.audit_text()
    );
    // The site's rules not accepted: refused as on the page.
    let unaccepted = send(
        &app,
        "POST",
        &path,
        Some(FULL),
        Some(json!({ "current": person.password, "new": NEW_PASSWORD })),
        &[],
    )
    .await;
    assert_problem(
        &unaccepted,
        StatusCode::UNPROCESSABLE_ENTITY,
        "password-refused",
    );
    assert_eq!(unaccepted.body["title"], "Nouveau mot de passe refusé");
    assert!(
        unaccepted.text.contains("\"field\":\"rules\""),
        "{}",
        unaccepted.text
    );
    // Written.
    let done = send(
        &app,
        "POST",
        &path,
        Some(FULL),
        Some(json!({ "current": person.password, "new": NEW_PASSWORD, "rules_accepted": true })),
        &[],
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    assert_eq!(done.body["changed"], true);
    assert!(app.binds(&person.dn, NEW_PASSWORD).await);
    assert!(!app.binds(&person.dn, &person.password).await);
    assert_eq!(failures(&app, &person.dn), (0, false));
    app.smtp
        .wait_for_mail(&person.recovery_mail, MAIL_WAIT)
        .await;
    // The old password back: the directory's history refuses it, and the
    // refusal is explained (ppolicy's error mapped).
    let back = send(
        &app,
        "POST",
        &path,
        Some(FULL),
        Some(json!({ "current": NEW_PASSWORD, "new": person.password, "rules_accepted": true })),
        &[],
    )
    .await;
    assert_problem(&back, StatusCode::UNPROCESSABLE_ENTITY, "password-refused");
    assert!(app.binds(&person.dn, NEW_PASSWORD).await);
    let changed = audit(&app)
        .into_iter()
        .find(|r| r["outcome"] == "changed")
        .expect("a changed record");
    assert_eq!(changed["api_client"], "ent");
    assert_eq!(changed["client"], app.client_ip.as_str());
    assert_eq!(changed["dn"], person.dn.as_str());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reset_code_goes_to_the_person_and_the_answer_is_the_same_for_nobody() {
    let dir = tempfile::tempdir().expect("dir");
    let app = spawn_api(dir.path(), |_| {}).await;
    let person = app.add_person("apicod", None).await;
    let ask = |who: String| {
        let app = &app;
        async move {
            send(
                app,
                "POST",
                "/api/v1/reset-codes",
                Some(FULL),
                Some(json!({ "person": who })),
                &[],
            )
            .await
        }
    };
    let started = std::time::Instant::now();
    let known = ask(person.uid.clone()).await;
    let known_time = started.elapsed();
    let started = std::time::Instant::now();
    let nobody = ask("personne-inconnue@example.org".into()).await;
    let nobody_time = started.elapsed();
    assert_eq!(known.status, StatusCode::ACCEPTED, "{}", known.text);
    assert_eq!(
        (known.status, &known.text),
        (nobody.status, &nobody.text),
        "the same answer whoever it names"
    );
    // Neither waits for the directory or the mail.
    assert!(
        known_time < std::time::Duration::from_secs(1),
        "{known_time:?}"
    );
    assert!(
        nobody_time < std::time::Duration::from_secs(1),
        "{nobody_time:?}"
    );
    let mail = app
        .smtp
        .wait_for_mail(&person.recovery_mail, MAIL_WAIT)
        .await;
    let text = mail.text_body();
    let code = text
        .lines()
        .map(|line| line.split_whitespace().collect::<String>())
        .find(|line| line.len() == 6 && line.bytes().all(|b| b.is_ascii_digit()))
        .expect("a code in the mail");
    assert!(
        !known.text.contains(&code),
        "the code never reaches the caller"
    );
    assert!(text.contains("/code/link/"), "{text}");
    let records: Vec<Value> = audit(&app)
        .into_iter()
        .filter(|r| r["flow"] == "code")
        .collect();
    assert!(
        records.iter().all(|r| r["api_client"] == "ent"),
        "{records:?}"
    );
    assert!(
        records.iter().any(|r| r["outcome"] == "code_mailed"),
        "{records:?}"
    );
    // Empty: refused, nothing asked.
    let empty = ask("  ".into()).await;
    assert_problem(&empty, StatusCode::UNPROCESSABLE_ENTITY, "invalid-input");
}

#[tokio::test(flavor = "multi_thread")]
async fn bodies_that_are_not_the_expected_json_are_problems() {
    let dir = tempfile::tempdir().expect("dir");
    let app = spawn_api(dir.path(), |s| s.api.max_body_bytes = 256).await;
    let path = "/api/v1/people/quelquun/check";
    let raw = |body: Vec<u8>, content_type: &'static str| {
        let app = &app;
        async move {
            read(
                app.client
                    .post(app.url(path))
                    .bearer_auth(FULL)
                    .header("content-type", content_type)
                    .body(body)
                    .send()
                    .await
                    .expect("request"),
            )
            .await
        }
    };
    let not_json = raw(b"password=x".to_vec(), "application/x-www-form-urlencoded").await;
    assert_problem(
        &not_json,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported-media-type",
    );
    let broken = raw(b"{\"password\": ".to_vec(), "application/json").await;
    assert_problem(&broken, StatusCode::BAD_REQUEST, "bad-request");
    let latin1 = raw(b"{\"password\": \"caf\xe9\"}".to_vec(), "application/json").await;
    assert_problem(&latin1, StatusCode::BAD_REQUEST, "bad-request");
    let unknown_field = raw(b"{\"pass\": \"x\"}".to_vec(), "application/json").await;
    assert_problem(&unknown_field, StatusCode::BAD_REQUEST, "bad-request");
    let huge = raw(
        format!("{{\"password\": \"{}\"}}", "a".repeat(1000)).into_bytes(),
        "application/json",
    )
    .await;
    assert_problem(&huge, StatusCode::PAYLOAD_TOO_LARGE, "too-large");
}

#[tokio::test(flavor = "multi_thread")]
async fn each_token_has_its_own_rate() {
    let dir = tempfile::tempdir().expect("dir");
    let app = spawn_api(dir.path(), |s| {
        s.api.rate_limit_per_minute = 1;
        s.api.rate_limit_burst = 3;
    })
    .await;
    let rules = |token: &'static str| {
        let app = &app;
        async move {
            send(
                app,
                "GET",
                "/api/v1/people/personne/rules",
                Some(token),
                None,
                &[],
            )
            .await
        }
    };
    for _ in 0..3 {
        assert_eq!(rules(FULL).await.status, StatusCode::NOT_FOUND);
    }
    let over = rules(FULL).await;
    assert_problem(&over, StatusCode::TOO_MANY_REQUESTS, "rate-limited");
    let wait: u64 = over.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // The other client is not slowed by this one.
    assert_eq!(rules(READER).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deleted_token_file_revokes_its_client_at_the_next_start() {
    let dir = tempfile::tempdir().expect("dir");
    let app = spawn_api(dir.path(), |_| {}).await;
    let path = "/api/v1/people/personne/rules";
    let before = send(&app, "GET", path, Some(READER), None, &[]).await;
    assert_problem(&before, StatusCode::NOT_FOUND, "unknown-person");
    std::fs::remove_file(dir.path().join("lecteur.token")).expect("removed");
    let app = app.restart().await;
    let revoked = send(&app, "GET", path, Some(READER), None, &[]).await;
    assert_problem(&revoked, StatusCode::UNAUTHORIZED, "unauthorized");
    let other = send(&app, "GET", path, Some(FULL), None, &[]).await;
    assert_problem(&other, StatusCode::NOT_FOUND, "unknown-person");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_api_is_off_by_default() {
    let app = spawn_app().await;
    for path in ["/api/openapi.json", "/api/v1/reset-codes"] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            page.body.contains("<html"),
            "the pages' own 404: {}",
            page.body
        );
    }
}
