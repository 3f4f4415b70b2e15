//! Gérer mon compte over real HTTP, against a real slapd and a real SMTP
//! conversation: sign-in proved by a bind as the person; the same page for
//! an unknown login and a wrong password; a locked account; a password
//! change that moves the Wi-Fi hash in the same write; the directory's
//! history explained; a new question that `/recover` then asks; a session
//! that needs a sign-in and ends when the password changes.

use crate::app;

use app::{spawn_app, Page, TestApp, MAIL_WAIT, NEW_PASSWORD};
use passerelle::directory::nthash::nt_hash;
use reqwest::StatusCode;
use secrecy::SecretString;
use std::time::{Duration, Instant};

const QUESTION: &str = "Dans quelle ville êtes-vous né(e) ?";

fn first(view: &std::collections::HashMap<String, Vec<String>>, name: &str) -> Option<String> {
    view.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.first().cloned())
}

/// Signs in and returns the menu page.
async fn signed_in(app: &TestApp, login: &str, password: &str) -> Page {
    let form = app.get("/account").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let after = app.sign_in("/account", &form, login, password).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "{}", after.body);
    assert_eq!(after.location().as_deref(), Some("/account/menu"));
    let menu = app.get("/account/menu").await;
    assert_eq!(menu.status, StatusCode::OK, "{}", menu.body);
    menu
}

/// The new-password form of `/account` posted: the current password typed
/// again (asked whatever the policy), the new one twice, the rules ticked.
async fn change_password(app: &TestApp, form: &Page, current: &str, password: &str) -> Page {
    app.post_with_tokens(
        "/account/password",
        form,
        &[
            ("current", current),
            ("password", password),
            ("confirm", password),
            ("rules", "accepted"),
        ],
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_person_changes_their_password_and_the_wifi_hash_changes_in_the_same_write() {
    let app = spawn_app().await;
    let person = app.add_person("acc", Some(QUESTION)).await;

    let form = app.get("/account").await;
    for text in [
        "Gérer mon compte",
        "Identifiant",
        "Mot de passe actuel",
        "Valider",
    ] {
        assert!(form.body.contains(text), "{text} missing:\n{}", form.body);
    }
    let menu = signed_in(&app, &person.uid, &person.password).await;
    assert!(menu.body.contains(&person.uid), "{}", menu.body);
    assert!(menu.body.contains("Changer mon mot de passe"));
    assert!(menu.body.contains("Changer ma question"));
    assert!(
        menu.body
            .contains("href=\"/account\" aria-current=\"page\""),
        "the navigation shows where the person is"
    );

    let page = app.get("/account/password").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Nouveau mot de passe"));
    assert!(page.body.contains("data-password-policy"));
    assert!(
        !page.body.contains(&person.password),
        "the session never holds the password"
    );

    let done = change_password(&app, &page, &person.password, NEW_PASSWORD).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("Voilà"), "{}", done.body);
    assert!(
        app.binds(&person.dn, NEW_PASSWORD).await,
        "the new password binds"
    );
    assert!(
        !app.binds(&person.dn, &person.password).await,
        "the old one no longer does"
    );
    let view = app.admin_view(&person.dn, &["sambaNTPassword"]);
    assert_eq!(
        first(&view, "sambaNTPassword"),
        Some(nt_hash(&SecretString::from(NEW_PASSWORD))),
        "Wi-Fi accepts the new password"
    );
    let mail = app
        .smtp
        .wait_for_mail(&person.recovery_mail, MAIL_WAIT)
        .await;
    assert!(mail.text_body().contains(&person.uid));
    assert!(!mail.text_body().contains(NEW_PASSWORD));

    // The session ended with the change.
    assert_ne!(app.get("/account/menu").await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_login_and_a_wrong_password_give_the_same_page_in_the_same_time() {
    let app = spawn_app().await;
    let person = app.add_person("accs", Some(QUESTION)).await;
    let unknown = format!("x{}", person.uid);
    let wrong = "Pas-Le-Bon-Mot-2024";

    let form = app.get("/account").await;
    let started = Instant::now();
    let nobody = app.sign_in("/account", &form, &unknown, wrong).await;
    let nobody_time = started.elapsed();
    let started = Instant::now();
    let known = app.sign_in("/account", &nobody, &person.uid, wrong).await;
    let known_time = started.elapsed();

    assert_eq!(nobody.status, StatusCode::OK);
    assert_eq!(known.status, StatusCode::OK);
    assert!(
        known.body.contains("Identifiant ou mot de passe incorrect"),
        "{}",
        known.body
    );
    // The pages differ only by the login each one typed back.
    assert_eq!(
        nobody.without_tokens().replace(&unknown, "LOGIN"),
        known.without_tokens().replace(&person.uid, "LOGIN")
    );
    for time in [nobody_time, known_time] {
        assert!(time >= Duration::from_millis(250), "{time:?}");
    }
    // ppolicy counted the wrong password.
    let view = app.admin_view(&person.dn, &["pwdFailureTime"]);
    assert!(first(&view, "pwdFailureTime").is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_locked_account_gets_the_same_page_as_an_unknown_login() {
    let app = spawn_app().await;
    let person = app.add_person("accl", Some(QUESTION)).await;
    let mut form = app.get("/account").await;
    // The default policy locks after 5 failures (pwdMaxFailure).
    for _ in 0..5 {
        form = app
            .sign_in("/account", &form, &person.uid, "Pas-Le-Bon-2024")
            .await;
        assert_eq!(form.status, StatusCode::OK);
    }
    // Even the right password now fails, with the page an unknown login gets:
    // a lock told apart would say the login exists.
    let locked = app
        .sign_in("/account", &form, &person.uid, &person.password)
        .await;
    let unknown = app
        .sign_in("/account", &locked, "nobody-at-all", &person.password)
        .await;
    assert_eq!(locked.status, StatusCode::OK);
    assert!(
        locked
            .body
            .contains("Identifiant ou mot de passe incorrect"),
        "{}",
        locked.body
    );
    assert!(locked.body.contains("verrouillé pour un moment"));
    assert_eq!(
        locked.without_tokens().replace(&person.uid, "LOGIN"),
        unknown.without_tokens().replace("nobody-at-all", "LOGIN")
    );
    assert_ne!(app.get("/account/menu").await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_recent_password_is_refused_with_the_translated_history_message() {
    let app = spawn_app().await;
    let person = app.add_person("acch", Some(QUESTION)).await;
    signed_in(&app, &person.uid, &person.password).await;
    let page = app.get("/account/password").await;
    let before = app.password_state(&person.dn);

    let refused = change_password(&app, &page, &person.password, &person.password).await;
    assert_eq!(refused.status, StatusCode::OK);
    assert!(
        refused
            .body
            .contains("doit être différent des 3 derniers mots de passe"),
        "{}",
        refused.body
    );
    assert_eq!(app.password_state(&person.dn), before, "nothing written");

    let done = change_password(&app, &refused, &person.password, NEW_PASSWORD).await;
    assert!(done.body.contains("Voilà"), "{}", done.body);
    assert!(app.binds(&person.dn, NEW_PASSWORD).await);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_question_is_the_one_recover_then_asks() {
    let mut app = spawn_app().await;
    let person = app.add_person("accq", Some(QUESTION)).await;
    signed_in(&app, &person.uid, &person.password).await;
    let form = app.get("/account/question").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let new_question = "Quel était le nom de mon premier vélo ?";
    let done = app
        .post_with_tokens(
            "/account/question",
            &form,
            &[
                ("question", "own"),
                ("own_question", new_question),
                ("answer", "Le Rouge Éclair"),
                ("answer_confirm", "le rouge eclair"),
                ("current", &person.password),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("Question enregistrée"), "{}", done.body);
    assert!(done.body.contains("/account/menu"));
    // The session goes on after a question change.
    assert_eq!(app.get("/account/menu").await.status, StatusCode::OK);

    app.new_browser();
    let form = app.recover_start().await;
    let after = app
        .recover_identity(&form, &person.student_number, &person.birth_date)
        .await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "{}", after.body);
    let question = app.recover_question().await;
    assert!(question.body.contains("premier vélo"), "{}", question.body);
    let old = app.recover_answer(&question, &person.answer).await;
    assert_eq!(old.status, StatusCode::OK, "the old answer no longer works");
    let right = app.recover_answer(&old, "LE ROUGE ECLAIR").await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_session_needs_a_sign_in_and_ends_when_the_password_changes() {
    let mut app = spawn_app().await;
    let person = app.add_person("accx", Some(QUESTION)).await;

    // No sign-in: no menu, no write.
    assert_ne!(app.get("/account/menu").await.status, StatusCode::OK);
    let form = app.get("/account").await;
    let skipped = change_password(&app, &form, &person.password, NEW_PASSWORD).await;
    assert_ne!(skipped.status, StatusCode::OK);
    assert!(!app.binds(&person.dn, NEW_PASSWORD).await);

    // Signed in, then the password changes elsewhere: the session is over.
    app.new_browser();
    signed_in(&app, &person.uid, &person.password).await;
    let question_form = app.get("/account/question").await;
    let old_cookie = app.cookie_header().expect("cookie");
    let page = app.get("/account/password").await;
    let done = change_password(&app, &page, &person.password, NEW_PASSWORD).await;
    assert!(done.body.contains("Voilà"), "{}", done.body);
    let replayed = app
        .post_form_with_cookie(
            "/account/question",
            &old_cookie,
            &[
                ("csrf", &question_form.csrf()),
                ("nonce", &question_form.nonce()),
                ("question", "0"),
                ("own_question", ""),
                ("answer", "Réponse volée"),
                ("answer_confirm", "Réponse volée"),
                ("current", &person.password),
            ],
        )
        .await;
    assert_ne!(replayed.status, StatusCode::OK, "{}", replayed.body);
    // Even a page view with the old session is refused: the password
    // changed since the sign-in.
    let menu = reqwest::Client::new()
        .get(app.url("/account/menu"))
        .header("cookie", &old_cookie)
        .send()
        .await
        .expect("GET");
    assert_eq!(menu.status(), StatusCode::BAD_REQUEST);
    let view = app.admin_view(&person.dn, &["passerelleQuestion"]);
    assert_eq!(
        first(&view, "passerelleQuestion").as_deref(),
        Some(QUESTION)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_logins_and_wrong_passwords_take_the_same_median_time() {
    let app = spawn_app().await;
    // Four wrong passwords each, below ppolicy's lockout at five.
    let mut people = Vec::new();
    for _ in 0..3 {
        people.push(app.add_person("acct", Some(QUESTION)).await);
    }
    let mut form = app.get("/account").await;
    let (mut unknown, mut wrong) = (Vec::new(), Vec::new());
    for round in 0..12 {
        let person = &people[round % people.len()];
        let started = Instant::now();
        form = app
            .sign_in(
                "/account",
                &form,
                &format!("nobody{round}"),
                "Pas-Le-Bon-2024",
            )
            .await;
        unknown.push(started.elapsed());
        let started = Instant::now();
        form = app
            .sign_in("/account", &form, &person.uid, "Pas-Le-Bon-2024")
            .await;
        wrong.push(started.elapsed());
        assert!(form.body.contains("Identifiant ou mot de passe incorrect"));
    }
    unknown.sort();
    wrong.sort();
    let (unknown, wrong) = (unknown[unknown.len() / 2], wrong[wrong.len() / 2]);
    println!("median: unknown login {unknown:?}, wrong password {wrong:?}");
    let gap = unknown.abs_diff(wrong);
    let allowed = Duration::from_millis(25).max(unknown / 10);
    assert!(gap < allowed, "timing gap {gap:?} (allowed {allowed:?})");
}

/// 20 wrong passwords for one login at the same moment from 20 addresses,
/// then 19 wrong and the right one last: whatever the parallelism, at most
/// `lockout.max_failures` guesses reach the directory, and the right
/// password posted after them is refused (issue 14, item 4).
#[tokio::test(flavor = "multi_thread")]
async fn parallel_wrong_passwords_from_many_addresses_cannot_pass_the_lockout() {
    let logs = crate::logs::captured();
    let app = spawn_app().await;
    for round in 0..2 {
        let person = app.add_person(&format!("par{round}"), None).await;
        let mut forms = Vec::new();
        for _ in 0..20 {
            let browser = app.browser();
            let page =
                Page::read(browser.get(app.url("/account")).send().await.expect("GET")).await;
            forms.push((browser, page));
        }
        let right_last = round == 1;
        let posts = forms.into_iter().enumerate().map(|(i, (browser, page))| {
            let url = app.url("/account");
            let login = person.uid.clone();
            let password = if right_last && i == 19 {
                person.password.clone()
            } else {
                format!("Wrong-Guess-{i}-2025!")
            };
            tokio::spawn(async move {
                if right_last && i == 19 {
                    // Last: after the others have been posted.
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
                let body = app::encode(&[
                    ("csrf", &page.csrf()),
                    ("nonce", &page.nonce()),
                    ("login", &login),
                    ("password", &password),
                ]);
                let response = browser
                    .post(url)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(body)
                    .send()
                    .await
                    .expect("POST");
                Page::read(response).await
            })
        });
        let handles: Vec<_> = posts.collect();
        let mut pages = Vec::new();
        for handle in handles {
            pages.push(handle.await.expect("join"));
        }
        let signed_in = pages
            .iter()
            .filter(|p| p.location().as_deref() == Some("/account/menu"))
            .count();
        assert_eq!(signed_in, 0, "no guess and no late right password passes");
        // Every bind that reached slapd and failed leaves one audit line
        // (wrong password, or ppolicy's lock); `pwdFailureTime` cannot
        // tell, as ppolicy records no more than pwdMaxFailure of them.
        let logged = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
        let account = format!("\"account\":\"{}\"", person.uid);
        let binds = logged
            .lines()
            .filter(|l| l.contains(&account))
            .filter(|l| {
                l.contains("\"outcome\":\"wrong_password\"")
                    || l.contains("\"outcome\":\"locked_by_directory\"")
            })
            .count();
        assert!(
            binds <= 5,
            "{binds} binds reached the directory for round {round}"
        );
    }
}
