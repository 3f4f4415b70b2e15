//! Post/Redirect/Get on every step (issue 9, item 6): a POST, refused or
//! not, answers with a redirect to a GET page, so the browser's history
//! holds only GET pages and Back never meets "confirm form resubmission".
//! A refused POST's errors and what was typed (never a secret) reach that
//! page; a flow's last answer reaches `/message`, once.

use crate::app;

use app::{spawn_app, spawn_app_with, Page, TestApp, NEW_PASSWORD};
use reqwest::StatusCode;

const QUESTION: &str = "Dans quelle ville êtes-vous né(e) ?";

/// A POST as a browser sends it, the redirect not followed.
async fn post(app: &TestApp, path: &str, form: &Page, fields: &[(&str, &str)]) -> Page {
    let (csrf, nonce) = (form.csrf(), form.nonce());
    let mut all = vec![("csrf", csrf.as_str()), ("nonce", nonce.as_str())];
    all.extend_from_slice(fields);
    Page::read(
        app.client
            .post(app.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(app::encode(&all))
            .send()
            .await
            .expect("POST"),
    )
    .await
}

/// The POST answered 303 to `to`; the page there.
async fn followed(app: &TestApp, answer: &Page, to: &str) -> Page {
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert_eq!(answer.location().as_deref(), Some(to));
    let page = app.get(to).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page
}

#[tokio::test(flavor = "multi_thread")]
async fn every_post_of_the_recover_flow_redirects_refused_or_passed() {
    let app = spawn_app().await;
    let person = app.add_person("prg", Some(QUESTION)).await;

    // A date that is no date: the identity page again, by a GET, with the
    // error and what was typed.
    let form = app.get("/recover").await;
    let refused = post(
        &app,
        "/recover",
        &form,
        &[
            ("identifier", &person.student_number),
            ("birth_date", "31/02"),
        ],
    )
    .await;
    let again = followed(&app, &refused, "/recover").await;
    assert!(
        again.body.contains("href=\"#birth_date\""),
        "{}",
        again.body
    );
    assert!(again
        .body
        .contains(&format!("value=\"{}\"", person.student_number)));
    assert!(again.body.contains("value=\"31/02\""));
    // The same form posted twice (a double click) leads to the same page.
    let twice = post(
        &app,
        "/recover",
        &form,
        &[
            ("identifier", &person.student_number),
            ("birth_date", "31/02"),
        ],
    )
    .await;
    assert_eq!(twice.status, StatusCode::SEE_OTHER, "{}", twice.body);
    assert_eq!(twice.location().as_deref(), Some("/recover"));
    // A reload shows the form, the errors gone with the first showing.
    let reloaded = app.get("/recover").await;
    assert!(!reloaded.body.contains("href=\"#birth_date\""));

    // The generic failure.
    let failed = post(
        &app,
        "/recover",
        &reloaded,
        &[
            ("identifier", &person.student_number),
            ("birth_date", "01/01/1901"),
        ],
    )
    .await;
    let failed = followed(&app, &failed, "/recover").await;
    assert!(failed
        .body
        .contains("Les informations saisies ne permettent pas de vous identifier"));

    // Right: on to the question.
    let proved = post(
        &app,
        "/recover",
        &failed,
        &[
            ("identifier", &person.student_number),
            ("birth_date", &person.birth_date),
        ],
    )
    .await;
    let question = followed(&app, &proved, "/recover/question").await;

    let wrong = post(&app, "/recover/question", &question, &[("answer", "Lyon")]).await;
    let question = followed(&app, &wrong, "/recover/question").await;
    assert!(
        question.body.contains("href=\"#answer\""),
        "{}",
        question.body
    );
    assert!(!question.body.contains("Lyon"), "the answer is never shown");

    let right = post(
        &app,
        "/recover/question",
        &question,
        &[("answer", &person.answer)],
    )
    .await;
    let password = followed(&app, &right, "/recover/password").await;

    // Refused by the rules: the marks and the checkbox come back, never
    // the password.
    let weak = post(
        &app,
        "/recover/password",
        &password,
        &[
            ("password", "court"),
            ("confirm", "court"),
            ("rules", "accepted"),
        ],
    )
    .await;
    let password = followed(&app, &weak, "/recover/password").await;
    assert!(
        password.body.contains("class=\"rule-unmet\""),
        "{}",
        password.body
    );
    assert!(!password.body.contains("value=\"court\""));

    let written = post(
        &app,
        "/recover/password",
        &password,
        &[
            ("password", NEW_PASSWORD),
            ("confirm", NEW_PASSWORD),
            ("rules", "accepted"),
        ],
    )
    .await;
    followed(&app, &written, "/recover/done").await;
    assert!(app.binds(&person.dn, NEW_PASSWORD).await);

    // Back, to any page of the flow: its success, never an error.
    for back in ["/recover/password", "/recover/question"] {
        let page = app.get(back).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{back}: {}", page.body);
        assert_eq!(page.location().as_deref(), Some("/recover/done"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_flows_last_answer_is_shown_by_a_get_once() {
    let app = spawn_app().await;
    let person = app.add_person("prgmsg", Some(QUESTION)).await;
    let form = app.get("/identifier").await;
    let sent = post(
        &app,
        "/identifier",
        &form,
        &[
            ("identifier", &person.student_number),
            ("birth_date", &person.birth_date),
        ],
    )
    .await;
    let message = followed(&app, &sent, "/message").await;
    assert!(
        message.body.contains("Demande enregistrée"),
        "{}",
        message.body
    );
    // Shown once: later, /message leads home.
    let later = app.get("/message").await;
    assert_eq!(later.status, StatusCode::SEE_OTHER);
    assert_eq!(later.location().as_deref(), Some("/"));
}

#[tokio::test(flavor = "multi_thread")]
async fn refused_sign_ins_and_mail_requests_redirect_with_every_error() {
    let app = spawn_app_with(|settings| {
        settings.flows.account = true;
        settings.flows.code = true;
        settings.flows.temporary = true;
    })
    .await;
    let person = app.add_person("prgsign", Some(QUESTION)).await;

    for path in ["/change", "/account"] {
        let form = app.get(path).await;
        let wrong = post(
            &app,
            path,
            &form,
            &[("login", &person.uid), ("password", "pas-le-bon")],
        )
        .await;
        let again = followed(&app, &wrong, path).await;
        assert!(
            again.body.contains("href=\"#login\""),
            "{path}: {}",
            again.body
        );
        assert!(again.body.contains(&format!("value=\"{}\"", person.uid)));
        assert!(!again.body.contains("pas-le-bon"));
    }

    for path in ["/code", "/temporary"] {
        let form = app.get(path).await;
        let empty = post(&app, path, &form, &[("identifier", ""), ("captcha", "")]).await;
        let again = followed(&app, &empty, path).await;
        assert!(
            again.body.contains("href=\"#identifier\""),
            "{path}: {}",
            again.body
        );
        assert!(
            again.body.contains("href=\"#captcha\""),
            "{path}: {}",
            again.body
        );
    }
}

/// `to` holds the cookies `from` holds for the gateway: one browser whose
/// requests a load balancer sends to either replica.
fn share_cookies(from: &TestApp, to: &TestApp) {
    let url: reqwest::Url = to.url("/").parse().expect("url");
    let cookies = from.cookie_header().expect("a flow cookie");
    for cookie in cookies.split("; ") {
        to.jar.add_cookie_str(cookie, &url);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_double_click_that_two_replicas_answer_writes_once_and_both_show_the_success() {
    let logs = crate::logs::captured();
    let a = spawn_app().await;
    let b = a.another_instance().await;
    for (round, at_once) in [("one-after-the-other", false), ("at-once", true)] {
        let person = a.add_person("twin", Some(QUESTION)).await;
        let form = a.recover_until_password(&person).await;
        share_cookies(&a, &b);
        let fields = [
            ("password", NEW_PASSWORD),
            ("confirm", NEW_PASSWORD),
            ("rules", "accepted"),
        ];
        let (first, second) = if at_once {
            tokio::join!(
                post(&a, "/recover/password", &form, &fields),
                post(&b, "/recover/password", &form, &fields)
            )
        } else {
            let first = post(&a, "/recover/password", &form, &fields).await;
            (first, post(&b, "/recover/password", &form, &fields).await)
        };
        for (app, answer) in [(&a, &first), (&b, &second)] {
            let done = followed(app, answer, "/recover/done").await;
            assert!(done.body.contains("Terminer"), "{round}: {}", done.body);
        }
        assert!(a.binds(&person.dn, NEW_PASSWORD).await, "{round}");
        let logged = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
        let account = format!("\"account\":\"{}\"", person.uid);
        let of = |outcome: &str| {
            logged
                .lines()
                .filter(|l| l.contains(&account))
                .filter(|l| l.contains(&format!("\"outcome\":\"{outcome}\"")))
                .count()
        };
        assert_eq!(of("changed"), 1, "{round}: one write, not two");
        assert_eq!(of("already_written"), 1, "{round}");
        assert_eq!(of("replayed"), 0, "{round}");
        a.smtp
            .wait_for_mail(&person.recovery_mail, app::MAIL_WAIT)
            .await;
        assert_eq!(
            a.smtp.mails_to(&person.recovery_mail).len(),
            1,
            "{round}: one confirmation mail"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn after_a_change_the_same_flow_elsewhere_sees_its_success_and_another_flow_is_refused() {
    let a = spawn_app().await;
    let b = a.another_instance().await;
    let person = a.add_person("twinno", Some(QUESTION)).await;
    // Another browser proved the same person first: its own flow.
    let mut c = a.another_instance().await;
    c.new_browser();
    let earlier = c.recover_until_password(&person).await;
    let form = a.recover_until_password(&person).await;
    share_cookies(&a, &b);
    let mine = [
        ("password", NEW_PASSWORD),
        ("confirm", NEW_PASSWORD),
        ("rules", "accepted"),
    ];
    followed(
        &a,
        &post(&a, "/recover/password", &form, &mine).await,
        "/recover/done",
    )
    .await;
    let theirs = [
        ("password", "Autre-Choix-2026!"),
        ("confirm", "Autre-Choix-2026!"),
        ("rules", "accepted"),
    ];
    // The same flow, on the other replica, with another password: never
    // « modifié » for a password that is not the one stored; the person is
    // told another request changed it moments ago, and nothing is written
    // (issue 19).
    let again = post(&b, "/recover/password", &form, &theirs).await;
    let told = followed(&b, &again, "/message").await;
    assert!(
        told.body.contains("Mot de passe déjà modifié"),
        "{}",
        told.body
    );
    // The other browser's flow, which lost: told the same, nothing written.
    let other = post(&c, "/recover/password", &earlier, &theirs).await;
    let told = followed(&c, &other, "/message").await;
    assert!(
        told.body.contains("Mot de passe déjà modifié"),
        "{}",
        told.body
    );
    assert!(a.binds(&person.dn, NEW_PASSWORD).await);
    assert!(!a.binds(&person.dn, "Autre-Choix-2026!").await);
}
