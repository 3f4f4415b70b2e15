//! The audit trail as an operator keeps it: every flow run once with the
//! trail in a file, then every record parses, carries the documented
//! fields and only documented outcomes, and none of the secrets used
//! (passwords, answers, codes, temporary passwords, link tokens, birth
//! dates) is in the trail or the diagnostic log; `passerelle audit
//! --account` tells one account's story; SIGHUP moves the trail to a new
//! file after logrotate renamed the old one.

use crate::app::{spawn_app_with, Page, TestApp, MAIL_WAIT, NEW_PASSWORD};
use passerelle::audit_trail::AuditRecord;
use reqwest::StatusCode;
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

const BINARY: &str = env!("CARGO_BIN_EXE_passerelle");
const AGENT: &str = "AuditTrailTest/1.0 (X11)";
const SECOND: &str = "Deuxieme-Mot-De-Passe-2025!";
const THIRD: &str = "Troisieme-Mot-De-Passe-2025!";
const ANSWER: &str = "Le Rouge Eclair de Valenciennes";

/// The documented field names (`docs/audit.md`, table under `## Fields`).
fn documented_fields() -> BTreeSet<String> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/audit.md"))
        .expect("docs/audit.md");
    let section = doc.split("## Fields").nth(1).expect("Fields section");
    let section = section.split("\n## ").next().expect("section");
    section
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_owned)
        .collect()
}

/// The documented outcomes (`docs/audit.md`, table under `## Outcomes`).
fn documented_outcomes() -> BTreeSet<String> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/audit.md"))
        .expect("docs/audit.md");
    let section = doc.split("## Outcomes").nth(1).expect("Outcomes section");
    let section = section.split("\n## ").next().expect("section");
    section
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_owned)
        .collect()
}

fn six_digits(text: &str) -> String {
    text.lines()
        .map(|l| l.split_whitespace().collect::<String>())
        .find(|l| l.len() == 6 && l.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or_else(|| panic!("no code in:\n{text}"))
}

fn line_value(text: &str, label: &str) -> String {
    text.lines()
        .find_map(|line| line.trim().strip_prefix(label))
        .map(|v| v.trim().to_owned())
        .unwrap_or_else(|| panic!("no {label} in:\n{text}"))
}

async fn all_flows_app() -> TestApp {
    spawn_app_with(|s| {
        s.flows.code = true;
        s.flows.temporary = true;
    })
    .await
}

fn assert_redirect(page: &Page, to: &str) {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location().as_deref(), Some(to), "{}", page.body);
}

/// Every flow once; returns the secrets it used.
async fn every_flow(app: &mut TestApp) -> Vec<String> {
    let mut secrets = Vec::new();

    // recover, with one wrong answer first.
    let alice = app.add_person("audrec", Some("Ville ?")).await;
    secrets.extend([
        alice.password.clone(),
        alice.answer.clone(),
        alice.birth_date.clone(),
        "20010915".to_owned(),
    ]);
    let form = app.recover_start().await;
    let after = app
        .recover_identity(&form, &alice.student_number, &alice.birth_date)
        .await;
    assert_redirect(&after, "/recover/question");
    let question = app.recover_question().await;
    let wrong = app.recover_answer(&question, "Pas la bonne reponse").await;
    secrets.push("Pas la bonne reponse".to_owned());
    let after = app.recover_answer(&wrong, &alice.answer).await;
    assert_redirect(&after, "/recover/password");
    let form = app.recover_password_page().await;
    let done = app
        .recover_password(&form, NEW_PASSWORD, NEW_PASSWORD, true)
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    secrets.push(NEW_PASSWORD.to_owned());

    // identifier.
    app.new_browser();
    let bob = app.add_person("audid", Some("Ville ?")).await;
    secrets.push(bob.password.clone());
    let form = app.identifier_start().await;
    let page = app
        .identifier_submit(&form, &bob.student_number, &bob.birth_date)
        .await;
    assert!(page.status.is_success() || page.status.is_redirection());
    app.smtp.wait_for_mail(&bob.recovery_mail, MAIL_WAIT).await;

    // activate.
    app.new_browser();
    let carol = app.add_person_to_activate("audact").await;
    secrets.push(carol.password.clone());
    let form = app.get("/activate").await;
    let after = app
        .post_with_tokens(
            "/activate",
            &form,
            &[
                ("identifier", &carol.student_number),
                ("birth_date", &carol.birth_date),
            ],
        )
        .await;
    assert_redirect(&after, "/activate/question");
    let form = app.get("/activate/question").await;
    let after = app
        .post_with_tokens(
            "/activate/question",
            &form,
            &[
                ("question", "0"),
                ("own_question", ""),
                ("answer", ANSWER),
                ("answer_confirm", ANSWER),
            ],
        )
        .await;
    assert_redirect(&after, "/activate/password");
    secrets.push(ANSWER.to_owned());
    let form = app.get("/activate/password").await;
    let done = app
        .post_with_tokens(
            "/activate/password",
            &form,
            &[
                ("password", NEW_PASSWORD),
                ("confirm", NEW_PASSWORD),
                ("rules", "accepted"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);

    // account: sign in, change the password, sign out.
    app.new_browser();
    let dave = app.add_person("audacc", Some("Ville ?")).await;
    secrets.push(dave.password.clone());
    let form = app.get("/account").await;
    let after = app
        .sign_in("/account", &form, &dave.uid, &dave.password)
        .await;
    assert_redirect(&after, "/account/menu");
    let form = app.get("/account/password").await;
    let done = app
        .post_with_tokens(
            "/account/password",
            &form,
            &[
                ("password", SECOND),
                ("confirm", SECOND),
                ("rules", "accepted"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    secrets.push(SECOND.to_owned());
    app.get("/account/logout").await;

    // code: address, code from the mail, new password.
    app.new_browser();
    let erin = app.add_person("audcode", None).await;
    secrets.push(erin.password.clone());
    let form = app.get("/code").await;
    let after = app
        .post_with_tokens(
            "/code",
            &form,
            &[
                ("identifier", &erin.recovery_mail),
                ("captcha", &app.captcha_answer("code")),
            ],
        )
        .await;
    assert_redirect(&after, "/code/verify");
    let text = app
        .smtp
        .wait_for_mail(&erin.recovery_mail, MAIL_WAIT)
        .await
        .text_body();
    let code = six_digits(&text);
    let link = text
        .split_whitespace()
        .find(|w| w.contains("/code/link/"))
        .expect("link")
        .to_owned();
    secrets.push(code.clone());
    secrets.push(link.rsplit('/').next().expect("token").to_owned());
    let verify = app.get("/code/verify").await;
    let after = app
        .post_with_tokens("/code/verify", &verify, &[("code", &code)])
        .await;
    assert_redirect(&after, "/code/password");
    let form = app.get("/code/password").await;
    let done = app
        .post_with_tokens(
            "/code/password",
            &form,
            &[
                ("password", THIRD),
                ("confirm", THIRD),
                ("rules", "accepted"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    secrets.push(THIRD.to_owned());

    // temporary, then change with it.
    app.new_browser();
    let frank = app.add_person("audtmp", None).await;
    secrets.push(frank.password.clone());
    let form = app.get("/temporary").await;
    let page = app
        .post_with_tokens(
            "/temporary",
            &form,
            &[
                ("identifier", &frank.recovery_mail),
                ("captcha", &app.captcha_answer("temporary")),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let text = app
        .smtp
        .wait_for_mail(&frank.recovery_mail, MAIL_WAIT)
        .await
        .text_body();
    let temporary = line_value(&text, "Mot de passe provisoire :");
    secrets.push(temporary.clone());
    app.new_browser();
    let form = app.get("/change").await;
    let after = app.sign_in("/change", &form, &frank.uid, &temporary).await;
    assert_redirect(&after, "/change/password");
    let form = app.get("/change/password").await;
    let done = app
        .post_with_tokens(
            "/change/password",
            &form,
            &[
                ("current", &temporary),
                ("password", NEW_PASSWORD),
                ("confirm", NEW_PASSWORD),
                ("rules", "accepted"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);

    // A refused submission (no flow cookie), with a user agent.
    let refused = reqwest::Client::new()
        .post(app.url("/recover"))
        .header("user-agent", AGENT)
        .header("x-forwarded-for", &app.client_ip)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("csrf=x&nonce=y&identifier=z&birth_date=01%2F01%2F2000")
        .send()
        .await
        .expect("POST");
    assert!(refused.status().is_client_error(), "{}", refused.status());
    secrets
}

/// The trail once every record expected is in (mails are decided off the
/// request path).
async fn trail_with(app: &TestApp, outcome: &str) -> String {
    let deadline = Instant::now() + MAIL_WAIT;
    loop {
        let text = app.audit_text();
        if text.contains(&format!("\"outcome\":\"{outcome}\"")) || Instant::now() > deadline {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_flow_leaves_parsable_documented_records_and_no_secret_in_trail_or_log() {
    let logs = crate::logs::captured();
    let mut app = all_flows_app().await;
    let secrets = every_flow(&mut app).await;
    let text = trail_with(&app, "refused_expired").await;

    // `api_client` is documented too, and present only on the API's
    // records (tests/suite/api.rs); the pages' records have every other.
    let mut fields = documented_fields();
    assert!(fields.remove("api_client"), "{fields:?}");
    let outcomes = documented_outcomes();
    let mut seen_flows = BTreeSet::new();
    let mut seen_outcomes = BTreeSet::new();
    for line in text.lines() {
        let value: serde_json::Value = serde_json::from_str(line).expect("a JSON record");
        let keys: BTreeSet<String> = value
            .as_object()
            .expect("an object")
            .keys()
            .cloned()
            .collect();
        assert_eq!(keys, fields, "{line}");
        let record: AuditRecord = serde_json::from_value(value).expect("a record");
        assert!(record.time.ends_with('Z'), "{line}");
        assert!(record.instant().is_some(), "{line}");
        assert_eq!(record.replica, "test-replica");
        assert!(record.client.parse::<std::net::IpAddr>().is_ok(), "{line}");
        assert!(
            record.flow_id == "-" || record.flow_id.len() == 12,
            "{line}"
        );
        assert!(
            outcomes.contains(&record.outcome),
            "outcome {} is not in docs/audit.md",
            record.outcome
        );
        seen_flows.insert(record.flow.clone());
        seen_outcomes.insert(record.outcome.clone());
    }
    let all_flows: BTreeSet<String> = [
        "recover",
        "identifier",
        "activate",
        "account",
        "code",
        "temporary",
        "change",
    ]
    .map(str::to_owned)
    .into();
    assert_eq!(seen_flows, all_flows, "{text}");
    for outcome in [
        "proved",
        "wrong_answer",
        "answered",
        "changed",
        "login_mailed",
        "chosen",
        "activated",
        "signed_in",
        "signed_out",
        "code_mailed",
        "code_right",
        "temporary_password_mailed",
        "temporary_password_proved",
        "refused_expired",
    ] {
        assert!(
            seen_outcomes.contains(outcome),
            "{outcome} missing:\n{text}"
        );
    }
    // Accounts are named by login and DN once known.
    assert!(
        text.lines()
            .any(|l| l.contains("\"outcome\":\"changed\"") && l.contains("\"dn\":\"uid=audrec")),
        "{text}"
    );
    assert!(
        text.contains(&format!("\"user_agent\":\"{AGENT}\"")),
        "{text}"
    );

    // Without the log's own timestamps, whose microseconds are six digits
    // that a code could equal by chance.
    let log: String = String::from_utf8(logs.lock().expect("logs").clone())
        .expect("utf-8")
        .lines()
        .map(
            |line| match serde_json::from_str::<serde_json::Value>(line) {
                Ok(serde_json::Value::Object(mut fields)) => {
                    fields.remove("timestamp");
                    serde_json::Value::Object(fields).to_string()
                }
                _ => line.to_owned(),
            },
        )
        .collect::<Vec<_>>()
        .join("\n");
    for secret in &secrets {
        assert!(!text.contains(secret.as_str()), "{secret} is in the trail");
        assert!(!log.contains(secret.as_str()), "{secret} is in the log");
    }
    assert!(
        !log.contains("an audit outcome docs/audit.md does not list"),
        "an undocumented outcome was emitted"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn passerelle_audit_tells_what_happened_to_one_account_in_time_order() {
    let app = all_flows_app().await;
    let alice = app.add_person("audcli", Some("Ville ?")).await;
    let other = app.add_person("audoth", Some("Ville ?")).await;
    // The other person fails once; alice recovers.
    let form = app.recover_start().await;
    app.recover_identity(&form, &other.student_number, "01/01/1999")
        .await;
    let form = app.recover_until_password(&alice).await;
    app.recover_password(&form, NEW_PASSWORD, NEW_PASSWORD, true)
        .await;
    let trail = app.settings.audit.file.clone().expect("file");

    let output = tokio::process::Command::new(BINARY)
        .args(["audit", "--account", &alice.uid.to_uppercase()])
        .arg(&trail)
        .output()
        .await
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let printed = String::from_utf8(output.stdout).expect("utf-8");
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 3, "{printed}");
    for (line, what) in lines.iter().zip([
        "recover/identity  proved",
        "recover/question  answered",
        "recover/password  changed",
    ]) {
        assert!(line.contains(what), "{what} not in {line}");
        assert!(line.contains(&alice.uid), "{line}");
        assert!(line.contains(" UTC "), "{line}");
        assert!(line.contains(&format!("from {}", app.client_ip)), "{line}");
    }
    assert!(!printed.contains(&other.uid), "{printed}");

    // By DN, and from standard input, the same story.
    let mut child = tokio::process::Command::new(BINARY)
        .args(["audit", "--account", &alice.dn, "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawns");
    {
        use tokio::io::AsyncWriteExt;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(&std::fs::read(&trail).expect("trail"))
            .await
            .expect("write");
    }
    let by_dn = child.wait_with_output().await.expect("output");
    assert_eq!(String::from_utf8(by_dn.stdout).expect("utf-8"), printed);

    let nobody = tokio::process::Command::new(BINARY)
        .args(["audit", "--account", "nobody-at-all"])
        .arg(&trail)
        .output()
        .await
        .expect("runs");
    assert!(nobody.status.success());
    assert!(String::from_utf8_lossy(&nobody.stdout).starts_with("no event for nobody-at-all"));
}

/// A trail line as someone who could write the file (or a value let
/// through) would plant it: a terminal escape that clears the screen and
/// retitles the window, a bidirectional override, a line separator, a
/// forged second line and C1 controls, in the fields `passerelle audit`
/// prints.
const HOSTILE_LINE: &str = r#"{"time":"2025-03-14T09:26:53.000Z","replica":"web-1\u001b[2J","flow":"recover","flow_id":"f\u2028g","step":"identity","outcome":"proved\u001b]0;owned\u0007","login":"mallory","dn":"uid=mallory,ou=people,dc=x","client":"10.0.0.1\u202e","user_agent":"Firefox\u202etxt.exe\r\n2025-03-14 09:27:00 UTC  recover/password  changed  mallory\u009b31m\u2029"}"#;

#[tokio::test]
async fn passerelle_audit_prints_escape_sequences_and_overrides_of_a_trail_escaped() {
    let dir = tempfile::tempdir().expect("dir");
    let trail = dir.path().join("audit.jsonl");
    std::fs::write(&trail, format!("{HOSTILE_LINE}\n")).expect("trail");
    let output = tokio::process::Command::new(BINARY)
        .args(["audit", "--account", "mallory"])
        .arg(&trail)
        .output()
        .await
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let printed = String::from_utf8(output.stdout).expect("utf-8");
    // One record, one line; nothing a terminal would act on.
    assert_eq!(printed.lines().count(), 1, "{printed:?}");
    let line = printed.trim_end_matches('\n');
    assert!(
        !line.chars().any(passerelle::safe_text::is_unsafe_char),
        "{line:?}"
    );
    for shown in [
        "on web-1\\u{001B}[2J",
        "proved\\u{001B}]0;owned\\u{0007}",
        "flow f\\u{2028}g",
        "from 10.0.0.1\\u{202E}",
        "Firefox\\u{202E}txt.exe\\u{000D}\\u{000A}2025-03-14 09:27:00 UTC",
        "mallory\\u{009B}31m\\u{2029}",
    ] {
        assert!(line.contains(shown), "{shown} not in {line}");
    }
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn after_logrotate_renames_the_file_sighup_sends_records_to_a_new_one() {
    let dir = tempfile::tempdir().expect("dir");
    let trail = dir.path().join("audit.jsonl");
    let rotated = dir.path().join("audit.jsonl.1");
    let app = spawn_app_with(|s| s.audit.file = Some(trail.clone())).await;
    let person = app.add_person("audhup", Some("Ville ?")).await;
    let form = app.recover_start().await;
    app.recover_identity(&form, &person.student_number, &person.birth_date)
        .await;
    std::fs::rename(&trail, &rotated).expect("rename");

    // The gateway runs inside this test process: the signal is ours.
    let hup = std::process::Command::new("kill")
        .args(["-HUP", &std::process::id().to_string()])
        .status()
        .expect("kill");
    assert!(hup.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    while !trail.exists() {
        assert!(Instant::now() < deadline, "no new file after SIGHUP");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let question = app.recover_question().await;
    app.recover_answer(&question, &person.answer).await;

    let old = std::fs::read_to_string(&rotated).expect("rotated");
    let new = std::fs::read_to_string(&trail).expect("new");
    assert!(old.contains("\"outcome\":\"proved\""), "{old}");
    assert!(!old.contains("\"outcome\":\"answered\""), "{old}");
    assert!(new.contains("\"outcome\":\"answered\""), "{new}");
}
