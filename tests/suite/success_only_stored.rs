//! Success only for what is stored (issue 19, §1), against the real slapd:
//! two different flows of one person finishing at the same moment on two
//! replicas (one is written and says « modifié », the other writes nothing
//! and is told the password changed moments ago; one confirmation mail;
//! only the winner's password binds), and the one-second case (the
//! previous change, a proof and a stale cookie's write inside one second of
//! `pwdChangedTime`: the stale cookie writes nothing).

use crate::app;
use crate::web_code::{ask_code, mailed_code, post_code};

use app::{spawn_app_with, Page, TestApp, MAIL_WAIT};
use reqwest::StatusCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const QUESTION: &str = "Dans quelle ville êtes-vous né(e) ?";
const CHANGED_MEANWHILE: &str = "Mot de passe déjà modifié";

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

/// The new-password fields for `password`.
fn chosen(password: &str) -> [(&str, &str); 3] {
    [
        ("password", password),
        ("confirm", password),
        ("rules", "accepted"),
    ]
}

/// Where a POST answered with a redirect led, and the page there.
async fn landed(app: &TestApp, answer: &Page) -> (String, Page) {
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let to = answer.location().expect("a redirect");
    let page = app.get(&to).await;
    assert_eq!(page.status, StatusCode::OK, "{to}: {}", page.body);
    (to, page)
}

/// Puts the cookies of a `Cookie` header (saved from another browser) into
/// `to`'s jar: that browser's stale copy, replayed on `to`'s replica.
fn replay_cookies(header: &str, to: &TestApp) {
    let url: reqwest::Url = to.url("/").parse().expect("url");
    for cookie in header.split("; ") {
        to.jar.add_cookie_str(cookie, &url);
    }
}

/// The « mot de passe modifié » mails sent to `to`.
fn change_mails(app: &TestApp, to: &str) -> usize {
    app.smtp
        .mails_to(to)
        .iter()
        .filter(|mail| mail.subject().contains("mot de passe a été modifié"))
        .count()
}

/// Waits for `count` change mails to `to`, then a little more, so that a
/// mail too many would be seen.
async fn expect_change_mails(app: &TestApp, to: &str, count: usize) {
    let deadline = std::time::Instant::now() + MAIL_WAIT;
    while change_mails(app, to) < count && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(change_mails(app, to), count, "confirmation mails to {to}");
}

fn pwd_changed_time(app: &TestApp, dn: &str) -> Option<String> {
    app.password_state(dn).1.into_iter().next()
}

#[tokio::test(flavor = "multi_thread")]
async fn two_flows_of_one_person_finishing_at_once_on_two_replicas_write_one_and_tell_the_other() {
    let a = spawn_app_with(|settings| settings.flows.code = true).await;
    let mut b = a.another_instance().await;
    for round in 0..3 {
        b.new_browser();
        let person = a.add_person("twoflows", Some(QUESTION)).await;
        // One browser on /recover, the other on /code, both proved.
        let recover_form = a.recover_until_password(&person).await;
        let verify = ask_code(&b, &person.recovery_mail).await;
        let (code, _) = mailed_code(&b, &person.recovery_mail, 1).await;
        let after = post_code(&b, &verify, &code).await;
        assert_eq!(after.location().as_deref(), Some("/code/password"));
        let code_form = b.get("/code/password").await;
        assert_eq!(code_form.status, StatusCode::OK, "{}", code_form.body);
        let before = a.password_state(&person.dn);

        let (by_recover, by_code) = ("Chemin-Recover-2026!", "Chemin-Code-2026!");
        let (recover_fields, code_fields) = (chosen(by_recover), chosen(by_code));
        let (recovered, coded) = tokio::join!(
            post(&a, "/recover/password", &recover_form, &recover_fields),
            post(&b, "/code/password", &code_form, &code_fields)
        );
        let (recover_to, recover_page) = landed(&a, &recovered).await;
        let (code_to, code_page) = landed(&b, &coded).await;
        let (winner, loser, loser_page) = match (recover_to.as_str(), code_to.as_str()) {
            ("/recover/done", "/message") => (by_recover, by_code, &code_page),
            ("/message", "/code/done") => (by_code, by_recover, &recover_page),
            other => panic!(
                "round {round}: one success and one refusal expected, got {other:?}:\n{}\n{}",
                recover_page.body, code_page.body
            ),
        };
        assert!(
            loser_page.body.contains(CHANGED_MEANWHILE),
            "round {round}: {}",
            loser_page.body
        );
        assert!(a.binds(&person.dn, winner).await, "round {round}");
        assert!(!a.binds(&person.dn, loser).await, "round {round}");
        assert_ne!(a.password_state(&person.dn), before);
        expect_change_mails(&a, &person.recovery_mail, 1).await;
        let trail = a.audit_text();
        let of = |outcome: &str| {
            trail
                .lines()
                .filter(|line| line.contains(&format!("\"dn\":\"{}\"", person.dn)))
                .filter(|line| line.contains(&format!("\"outcome\":\"{outcome}\"")))
                .count()
        };
        assert_eq!(of("changed"), 1, "round {round}: one write");
        assert_eq!(
            of("changed_meanwhile") + of("replayed"),
            1,
            "round {round}: the loser is audited"
        );
    }
}

/// Sleeps until just after the start of the next second, so that what
/// follows has the most of one second of `pwdChangedTime` to happen in.
async fn at_the_start_of_a_second() {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .subsec_millis();
    tokio::time::sleep(Duration::from_millis(u64::from(1000 - now) + 5)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn stale_cookies_write_nothing_when_the_changes_and_the_proof_fall_in_one_second() {
    let a = spawn_app_with(|_| {}).await;
    let mut b = a.another_instance().await;
    let mut in_one_second = 0;
    for round in 0..8 {
        b.new_browser();
        let person = a.add_person("onesecond", Some(QUESTION)).await;
        // Flow X (`/recover` on replica a) proved; its cookie as it is now.
        let recover_form = a.recover_until_password(&person).await;
        let stale_recover = a.cookie_header().expect("a flow cookie");
        at_the_start_of_a_second().await;
        // X writes P1: the previous change.
        let first = post(
            &a,
            "/recover/password",
            &recover_form,
            &chosen("Premier-Choix-2026!"),
        )
        .await;
        assert_eq!(landed(&a, &first).await.0, "/recover/done", "round {round}");
        let after_first = pwd_changed_time(&a, &person.dn);
        // Flow Y (`/account` on replica b) proves with P1 at once, in the
        // same second, and writes P2; its cookie before that write kept.
        let login_form = b.get("/account").await;
        let signed = b
            .sign_in("/account", &login_form, &person.uid, "Premier-Choix-2026!")
            .await;
        assert_eq!(
            signed.location().as_deref(),
            Some("/account/menu"),
            "{}",
            signed.body
        );
        let account_form = b.get("/account/password").await;
        assert_eq!(account_form.status, StatusCode::OK, "{}", account_form.body);
        let stale_account = b.cookie_header().expect("a flow cookie");
        let [password, confirm, rules] = chosen("Second-Choix-2026!");
        let second = post(
            &b,
            "/account/password",
            &account_form,
            &[("current", "Premier-Choix-2026!"), password, confirm, rules],
        )
        .await;
        assert_eq!(
            landed(&b, &second).await.0,
            "/account/done",
            "round {round}"
        );
        let after_second = pwd_changed_time(&a, &person.dn);
        let written = a.password_state(&person.dn);

        // Each stale copy replayed on the other replica, with another
        // password: nothing written, the person told.
        replay_cookies(&stale_recover, &b);
        let replayed = post(
            &b,
            "/recover/password",
            &recover_form,
            &chosen("Troisieme-Choix-2026!"),
        )
        .await;
        let (to, page) = landed(&b, &replayed).await;
        assert_eq!(to, "/message", "round {round}: {}", page.body);
        assert!(page.body.contains(CHANGED_MEANWHILE), "{}", page.body);
        replay_cookies(&stale_account, &a);
        let [password, confirm, rules] = chosen("Quatrieme-Choix-2026!");
        let replayed = post(
            &a,
            "/account/password",
            &account_form,
            &[("current", "Premier-Choix-2026!"), password, confirm, rules],
        )
        .await;
        let (to, page) = landed(&a, &replayed).await;
        assert_eq!(to, "/message", "round {round}: {}", page.body);
        assert!(page.body.contains(CHANGED_MEANWHILE), "{}", page.body);

        assert_eq!(
            a.password_state(&person.dn),
            written,
            "round {round}: nothing written"
        );
        assert!(
            a.binds(&person.dn, "Second-Choix-2026!").await,
            "round {round}"
        );
        for never in ["Troisieme-Choix-2026!", "Quatrieme-Choix-2026!"] {
            assert!(!a.binds(&person.dn, never).await, "round {round}: {never}");
        }
        expect_change_mails(&a, &person.recovery_mail, 2).await;
        // The case of the issue: the two writes in one second of
        // pwdChangedTime, so Y's stale copy saw the very pwdChangedTime its
        // own write left.
        if after_first.is_some() && after_first == after_second {
            in_one_second += 1;
            if in_one_second == 2 {
                return;
            }
        }
    }
    assert!(
        in_one_second > 0,
        "no round put both writes in one second of pwdChangedTime"
    );
}
