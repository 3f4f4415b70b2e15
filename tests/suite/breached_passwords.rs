//! Breached passwords, offline: with `policy.breached_hashes_file` set to
//! the shipped sample list (`config/breached-sample.txt`, sorted NT hashes
//! in the form sites download), the password page lists the rule, a
//! password of the list is refused on the server with its reason and
//! nothing is written, and another password goes through with the rule
//! ticked. A file that is not such a list stops the start, the
//! "ordered by prevalence" download among them, with the line that breaks
//! the order; `passerelle check` says which list it found and how many
//! hashes it holds.

use crate::app;

use app::{spawn_app_with, test_secrets, test_settings, NEW_PASSWORD};
use passerelle::mail::{MailBranding, Mailer};
use reqwest::StatusCode;
use std::path::PathBuf;

const QUESTION: &str = "Dans quelle ville êtes-vous né(e) ?";

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("config/breached-sample.txt")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_breached_password_is_refused_with_its_reason_and_another_is_written() {
    let app = spawn_app_with(|s| s.policy.breached_hashes_file = Some(sample())).await;
    let person = app.add_person("brc", Some(QUESTION)).await;

    let page = app.recover_until_password(&person).await;
    assert!(
        page.body.contains("data-rule=\"not_breached\"")
            && page
                .body
                .contains("N&#39;apparaît pas dans une fuite de mots de passe connue"),
        "the rule is listed before anything is typed:\n{}",
        page.body
    );
    assert!(page
        .body
        .contains("\"id\":\"not_breached\",\"client\":false"));

    let before = app.password_state(&person.dn);
    // Long enough, four classes: only the breached list refuses it.
    let refused = app
        .recover_password(&page, "Motdepasse2024!", "Motdepasse2024!", true)
        .await;
    assert_eq!(refused.status, StatusCode::OK, "{}", refused.body);
    assert!(
        refused
            .body
            .contains("Ce mot de passe apparaît dans une fuite de mots de passe connue"),
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("<li data-rule=\"not_breached\" class=\"rule-unmet\">"),
        "{}",
        refused.body
    );
    assert_eq!(app.password_state(&person.dn), before, "nothing written");
    assert!(!app.binds(&person.dn, "Motdepasse2024!").await);

    let done = app
        .recover_password(&refused, NEW_PASSWORD, NEW_PASSWORD, true)
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("Mot de passe modifié"), "{}", done.body);
    assert!(app.binds(&person.dn, NEW_PASSWORD).await);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_that_is_not_a_sorted_hash_list_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pwned.txt");
    std::fs::write(&path, "Password1!\nAzerty123!\n").unwrap();
    let mut settings = test_settings("ldap://127.0.0.1:9", 9);
    settings.policy.breached_hashes_file = Some(path.clone());
    let mailer = Mailer::build(&settings.mail, MailBranding::from(&settings.site)).unwrap();
    let error = passerelle::web::Application::build(settings, test_secrets(), mailer)
        .await
        .err()
        .expect("refused");
    let message = format!("{error:#}");
    assert!(
        message.contains("policy.breached_hashes_file") && message.contains("pwned.txt"),
        "{message}"
    );
}

/// Have I Been Pwned's other download, "ordered by prevalence": the lines
/// of the sample list, the most often seen first. Its first line sorts
/// before its last, as the start-up check used to compare, and a binary
/// search in it misses most of its passwords.
fn by_prevalence() -> String {
    let sorted = passerelle::policy::breached::sample_list(
        passerelle::policy::breached::SAMPLE_PASSWORDS
            .iter()
            .copied(),
    );
    let mut lines: Vec<String> = sorted.lines().map(str::to_owned).collect();
    let last = lines.pop().expect("lines");
    // The seen counts of a prevalence list, falling; the first and last
    // hash kept in place.
    let first = lines.remove(0);
    lines.reverse();
    lines.insert(0, first);
    lines.push(last);
    let total = lines.len();
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let hash = line.split(':').next().expect("hash");
            format!("{hash}:{}\r\n", 1000 * (total - i))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_list_ordered_by_prevalence_stops_the_start_with_the_line_that_breaks_the_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pwned-passwords-ntlm-ordered-by-count.txt");
    let text = by_prevalence();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0] < lines[lines.len() - 1],
        "first and last in order: the old check let it through"
    );
    std::fs::write(&path, &text).unwrap();
    let mut settings = test_settings("ldap://127.0.0.1:9", 9);
    settings.policy.breached_hashes_file = Some(path.clone());
    let mailer = Mailer::build(&settings.mail, MailBranding::from(&settings.site)).unwrap();
    let error = passerelle::web::Application::build(settings, test_secrets(), mailer)
        .await
        .err()
        .expect("refused");
    let message = format!("{error:#}");
    for part in [
        "policy.breached_hashes_file",
        "pwned-passwords-ntlm-ordered-by-count.txt, line 3",
        "sorts before the one on line 2",
        "ordered by prevalence",
    ] {
        assert!(message.contains(part), "{part} not in {message}");
    }
}

const BINARY: &str = env!("CARGO_BIN_EXE_passerelle");

/// `passerelle check` of a configuration whose only list is `list` (the
/// directory is not there: only the `breached` line matters here).
async fn check_with_list(dir: &std::path::Path, list: &std::path::Path) -> String {
    let config = dir.join("passerelle.toml");
    std::fs::write(
        &config,
        format!(
            "[ldap]\nurls = [\"ldap://127.0.0.1:9\"]\nbind_password = \"x\"\ntimeout_seconds = 1\n\
             [secrets]\ncookie_key = \"{k}\"\nanswer_pepper = \"{k}\"\ncode_key = \"{k}\"\n\
             [policy]\nbreached_hashes_file = \"{}\"\n",
            list.display(),
            k = "k".repeat(48),
        ),
    )
    .unwrap();
    let output = tokio::process::Command::new(BINARY)
        .args(["check", "--config"])
        .arg(&config)
        .output()
        .await
        .expect("runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn passerelle_check_names_the_list_and_counts_its_hashes_or_names_the_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let report = check_with_list(dir.path(), &sample()).await;
    let line = report
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some("breached"))
        .unwrap_or_else(|| panic!("no breached line in:\n{report}"));
    assert!(line.starts_with("ok "), "{line}");
    assert!(
        line.contains("Have I Been Pwned's NTLM list ordered by hash")
            && line.contains(&format!(
                "{} hashes",
                passerelle::policy::breached::SAMPLE_PASSWORDS.len()
            ))
            && line.contains("breached-sample.txt"),
        "{line}"
    );

    let bad = dir.path().join("by-count.txt");
    std::fs::write(&bad, by_prevalence()).unwrap();
    let report = check_with_list(dir.path(), &bad).await;
    let line = report
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some("breached"))
        .unwrap_or_else(|| panic!("no breached line in:\n{report}"));
    assert!(line.starts_with("FAIL "), "{line}");
    assert!(
        line.contains("by-count.txt, line 3") && line.contains("ordered by prevalence"),
        "{line}"
    );
}
