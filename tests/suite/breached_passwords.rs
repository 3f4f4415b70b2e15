//! Breached passwords, offline: with `policy.breached_hashes_file` set to
//! the shipped sample list (`config/breached-sample.txt`, sorted NT hashes
//! in the form sites download), the password page lists the rule, a
//! password of the list is refused on the server with its reason and
//! nothing is written, and another password goes through with the rule
//! ticked. A file that is not such a list stops the start.

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
