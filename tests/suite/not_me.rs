//! « Ce n'était pas moi » against the real slapd and SMTP conversation: the
//! "password changed" mail carries a link built from the public URL; opening
//! it changes nothing; its button freezes self-service on the entry with the
//! reason, mails the help desk the facts of the change (never the
//! password), and says what happens next; the link is single-use, void after
//! a later change, refused once expired or altered; IT lifts the freeze
//! with ldapmodify and the spent link stays spent.

use crate::app;

use app::{spawn_app_with, test_secrets, TestApp, MAIL_WAIT, NEW_PASSWORD};
use passerelle::reset_code::CodeKey;
use passerelle_domain::steps::not_me::{seal, Disowned};
use reqwest::StatusCode;

const QUESTION: &str = "Dans quelle ville êtes-vous né(e) ?";
const HELPDESK: &str = "helpdesk@univ-exemple.fr";
const PUBLIC: &str = "https://sesame.univ-exemple.fr";

async fn app() -> TestApp {
    spawn_app_with(|s| {
        s.site.helpdesk_mail = Some(HELPDESK.into());
        s.server.public_url = PUBLIC.into();
    })
    .await
}

fn first(view: &std::collections::HashMap<String, Vec<String>>, name: &str) -> Option<String> {
    view.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.first().cloned())
}

/// Recovers `person`'s password with `password`; the path of the
/// « Ce n'était pas moi » link of the mail that follows (the `n`th mail).
async fn change_and_link(app: &TestApp, person: &app::Person, password: &str, n: usize) -> String {
    let page = app.recover_until_password(person).await;
    let done = app.recover_password(&page, password, password, true).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let deadline = tokio::time::Instant::now() + MAIL_WAIT;
    let mail = loop {
        let mails = app.smtp.mails_to(&person.recovery_mail);
        if mails.len() >= n {
            break mails[n - 1].clone();
        }
        assert!(tokio::time::Instant::now() < deadline, "no mail {n}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let text = mail.text_body();
    let url = text
        .split_whitespace()
        .find(|w| w.starts_with(&format!("{PUBLIC}/not-me/")))
        .unwrap_or_else(|| panic!("no link in:\n{text}"))
        .to_owned();
    assert!(mail.html_body().contains(&url));
    url.trim_start_matches(PUBLIC).to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_owner_disowns_a_change_and_self_service_freezes_until_it_lifts_it() {
    let app = app().await;
    let person = app.add_person("notme", Some(QUESTION)).await;
    let link = change_and_link(&app, &person, NEW_PASSWORD, 1).await;

    // Opening the link changes nothing.
    let page = app.get(&link).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("Ce n&#39;était pas moi"),
        "{}",
        page.body
    );
    assert!(page.body.contains(&person.uid), "{}", page.body);
    assert!(page
        .body
        .contains("<form method=\"post\" action=\"/not-me\">"));
    let frozen = |app: &TestApp| {
        app.admin_view(
            &person.dn,
            &[
                "passerelleFrozenTime",
                "passerelleFrozenReason",
                "passerelleDisownedChange",
                "pwdChangedTime",
            ],
        )
    };
    assert_eq!(first(&frozen(&app), "passerelleFrozenTime"), None);

    // The button freezes self-service, recorded with its reason.
    let token = link.trim_start_matches("/not-me/");
    let done = app
        .post_with_tokens("/not-me", &page, &[("token", token)])
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(
        done.body.contains("Signalement enregistré"),
        "{}",
        done.body
    );
    assert!(
        done.body.contains("vérifier votre identité"),
        "{}",
        done.body
    );
    let view = frozen(&app);
    assert!(first(&view, "passerelleFrozenTime").is_some(), "{view:?}");
    let reason = first(&view, "passerelleFrozenReason").unwrap();
    assert!(
        reason.starts_with("not-me:") && reason.contains("recover"),
        "{reason}"
    );
    assert_eq!(
        first(&view, "passerelleDisownedChange"),
        first(
            &app.admin_view(&person.dn, &["passerelleChangeId"]),
            "passerelleChangeId"
        )
    );

    // The help desk has the facts of the change, and no secret.
    let alert = app.smtp.wait_for_mail(HELPDESK, MAIL_WAIT).await;
    let text = alert.text_body();
    for fact in [
        person.uid.as_str(),
        person.dn.as_str(),
        app.client_ip.as_str(),
        "recover",
    ] {
        assert!(text.contains(fact), "{fact} missing:\n{text}");
    }
    assert!(!text.contains(NEW_PASSWORD) && !alert.html_body().contains(NEW_PASSWORD));

    // Self-service is stopped: the identity step proves nothing.
    let form = app.recover_start().await;
    let after = app
        .recover_identity(&form, &person.student_number, &person.birth_date)
        .await;
    assert_ne!(
        after.location().as_deref(),
        Some("/recover/question"),
        "{}",
        after.body
    );

    // Nor does a sign-in to "Gérer mon compte" with the new password.
    let form = app.get("/account").await;
    let after = app
        .sign_in("/account", &form, &person.uid, NEW_PASSWORD)
        .await;
    assert_ne!(after.status, StatusCode::SEE_OTHER, "{}", after.body);

    // Single use: the page says so, and the form posted again does too.
    let again = app.get(&link).await;
    assert!(again.body.contains("déjà été enregistré"), "{}", again.body);
    let again = app
        .post_with_tokens("/not-me", &page, &[("token", token)])
        .await;
    assert!(
        !again.body.contains("Signalement enregistré"),
        "{}",
        again.body
    );

    // IT lifts it; the spent link stays spent.
    app.slapd
        .lock()
        .unwrap()
        .modify_ldif(&format!(
            "dn: {}\nchangetype: modify\ndelete: passerelleFrozenTime\n-\ndelete: passerelleFrozenReason\n",
            person.dn
        ))
        .unwrap();
    let form = app.recover_start().await;
    let after = app
        .recover_identity(&form, &person.student_number, &person.birth_date)
        .await;
    assert_eq!(
        after.location().as_deref(),
        Some("/recover/question"),
        "{}",
        after.body
    );
    let page = app.get(&link).await;
    assert!(page.body.contains("déjà été enregistré"), "{}", page.body);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_link_is_void_after_a_later_change_once_expired_or_altered() {
    let app = app().await;
    let person = app.add_person("notmevoid", Some(QUESTION)).await;
    let first_link = change_and_link(&app, &person, NEW_PASSWORD, 1).await;
    let second_link = change_and_link(&app, &person, "Autre-Passerelle-2026!", 2).await;

    let page = app.get(&first_link).await;
    assert!(page.body.contains("ne vaut plus"), "{}", page.body);
    let pressed = app
        .post_with_tokens(
            "/not-me",
            &app.get(&second_link).await,
            &[("token", first_link.trim_start_matches("/not-me/"))],
        )
        .await;
    assert!(pressed.body.contains("ne vaut plus"), "{}", pressed.body);
    let view = app.admin_view(&person.dn, &["passerelleFrozenTime"]);
    assert_eq!(first(&view, "passerelleFrozenTime"), None, "nothing frozen");

    // One character of the sealed part changed (in the middle: the last
    // base64 character may carry only padding bits, and may be an A).
    let middle = second_link.len() - 20;
    let swapped = if &second_link[middle..=middle] == "A" {
        "B"
    } else {
        "A"
    };
    let mut altered = second_link.clone();
    altered.replace_range(middle..=middle, swapped);
    assert_ne!(altered, second_link);
    let page = app.get(&altered).await;
    assert!(
        page.body.contains("pas valide ou a expiré"),
        "{}",
        page.body
    );

    let view = app.admin_view(&person.dn, &["pwdChangedTime", "passerelleChangeId"]);
    let changed = first(&view, "pwdChangedTime").unwrap();
    let change_id = first(&view, "passerelleChangeId").unwrap();
    let key = CodeKey::new(&test_secrets().code_key);
    let now = chrono::Utc::now().timestamp();
    let expired = seal(
        &key,
        &Disowned {
            dn: person.dn.clone(),
            changed,
            change_id,
            at: now - 8 * 86400,
            flow: "recover".into(),
            flow_id: "x".into(),
            client_address: "192.0.2.1".into(),
            user_agent: "test".into(),
            exp: now - 86400,
            action: None,
            action_id: None,
        },
    )
    .unwrap();
    let page = app.get(&format!("/not-me/{expired}")).await;
    assert!(
        page.body.contains("pas valide ou a expiré"),
        "{}",
        page.body
    );
}
