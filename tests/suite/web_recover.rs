//! The recover and identifier flows over real HTTP, against a real slapd
//! and a real SMTP conversation: from the first page to a bind with the new
//! password; lockout that holds across replicas and restarts and expires;
//! replayed steps refused without a write; sameness of failures.

use crate::app;

use app::{spawn_app, spawn_app_with, TestApp, MAIL_WAIT, NEW_PASSWORD};
use reqwest::StatusCode;
use std::time::{Duration, Instant};

const QUESTION: &str = "Dans quelle ville êtes-vous né(e) ?";

fn assert_generic_failure(page: &app::Page) {
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body
            .contains("Les informations saisies ne permettent pas de vous identifier"),
        "{}",
        page.body
    );
    assert!(!page.body.contains(QUESTION));
}

/// IT's permanent lock (`pwdAccountLockedTime: 000001010000Z`) is lifted by
/// any password write of the gateway's: self-service must never make one.
#[tokio::test(flavor = "multi_thread")]
async fn an_account_it_locked_gets_the_generic_failure_and_stays_locked() {
    let app = spawn_app().await;
    let person = app.add_person("itlock", Some(QUESTION)).await;
    app.slapd
        .lock()
        .expect("slapd")
        .modify_ldif(&format!(
            "dn: {}\nchangetype: modify\nreplace: pwdAccountLockedTime\npwdAccountLockedTime: 000001010000Z\n",
            person.dn
        ))
        .expect("lock");
    let before = app.password_state(&person.dn);

    let form = app.recover_start().await;
    let page = app
        .recover_identity(&form, &person.student_number, &person.birth_date)
        .await;
    assert_generic_failure(&page);

    // Even a flow that got past the identity step before IT locked the
    // account cannot write.
    let other = app.add_person("itlock-late", Some(QUESTION)).await;
    let password = app.recover_until_password(&other).await;
    app.slapd
        .lock()
        .expect("slapd")
        .modify_ldif(&format!(
            "dn: {}\nchangetype: modify\nreplace: pwdAccountLockedTime\npwdAccountLockedTime: 000001010000Z\n",
            other.dn
        ))
        .expect("lock");
    let other_before = app.password_state(&other.dn);
    let page = app
        .recover_password(&password, NEW_PASSWORD, NEW_PASSWORD, true)
        .await;
    assert!(!page.body.contains("Voilà"), "{}", page.body);
    assert_eq!(
        app.password_state(&other.dn),
        other_before,
        "nothing written"
    );
    assert_eq!(app.password_state(&person.dn), before);
    let locks = app.admin_view(&other.dn, &["pwdAccountLockedTime"]);
    assert_eq!(
        locks.get("pwdAccountLockedTime").map(Vec::as_slice),
        Some(&["000001010000Z".to_owned()][..])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_person_recovers_their_password_from_the_first_page_to_a_bind_with_the_new_one() {
    let app = spawn_app().await;
    let person = app.add_person("rec", Some(QUESTION)).await;

    let form = app.recover_start().await;
    assert_eq!(form.status, StatusCode::OK);
    for text in [
        "Récupérer mon mot de passe",
        "Numéro personnel",
        "Date de naissance",
        "jj/mm/aaaa",
        "Valider",
        "numéro d&#39;étudiant ou votre INE",
        "matricule personnel",
        "identifiant unique",
        "Étape 1 sur 3",
    ] {
        assert!(form.body.contains(text), "{text} missing:\n{}", form.body);
    }

    let after = app
        .recover_identity(&form, &person.student_number, &person.birth_date)
        .await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "{}", after.body);
    assert_eq!(after.location().as_deref(), Some("/recover/question"));

    let question = app.recover_question().await;
    assert_eq!(question.status, StatusCode::OK);
    assert!(
        question.body.contains(&html_escape(QUESTION)),
        "{}",
        question.body
    );
    assert!(question.body.contains("Étape 2 sur 3"));
    // The bar says what the text says: step 2 of 3 is two thirds.
    assert!(question.body.contains("value=\"66\""));
    assert!(question.body.contains("votre réponse"));

    // Answers are compared normalised: case, accents and spaces do not matter.
    let after = app.recover_answer(&question, "  saint-etienne ").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "{}", after.body);
    assert_eq!(after.location().as_deref(), Some("/recover/password"));

    let password = app.recover_password_page().await;
    for text in [
        "Étape 3 sur 3",
        "value=\"100\"",
        "Nouveau mot de passe",
        "Confirmation",
        "Je reconnais avoir pris connaissance du règlement intérieur.",
        "https://www.univ-exemple.fr/reglement",
        "Pour être valide, votre mot de passe :",
        "id=\"password-rules\"",
        "data-password-policy",
        "data-rule=\"length\"",
        "data-confirm-for=\"password\"",
    ] {
        assert!(
            password.body.contains(text),
            "{text} missing:\n{}",
            password.body
        );
    }

    let done = app
        .recover_password(&password, NEW_PASSWORD, NEW_PASSWORD, true)
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done
        .body
        .contains("Voilà, votre mot de passe a bien été modifié"));
    for service in &app.settings.site.services {
        assert!(done.body.contains(&html_escape(service)), "{service}");
    }

    assert!(
        app.binds(&person.dn, NEW_PASSWORD).await,
        "the new password binds"
    );
    assert!(
        !app.binds(&person.dn, &person.password).await,
        "the old one no longer does"
    );

    let mail = app
        .smtp
        .wait_for_mail(&person.recovery_mail, MAIL_WAIT)
        .await;
    let text = mail.text_body();
    assert!(text.contains(&person.uid), "{text}");
    assert!(
        text.contains(&app.client_ip),
        "the mail says from which address: {text}"
    );
    assert!(!text.contains(NEW_PASSWORD));

    // The flow is over. The same password posted again (a double click,
    // Back then submit) is this form's own write: its success again,
    // nothing more written (issue 9, item 6).
    let same = app
        .recover_password(&password, NEW_PASSWORD, NEW_PASSWORD, true)
        .await;
    assert!(same.body.contains("Terminer"), "{}", same.body);
    // Back to the password page: the success again, not an error.
    let back = app.get("/recover/password").await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    assert_eq!(back.location().as_deref(), Some("/recover/done"));
    // With another password (a second tab) nothing is written, and the
    // page never says « modifié » for a password that is not the one
    // stored: the person is told it was changed moments ago (issue 19).
    let again = app
        .recover_password(
            &password,
            "Encore-Un-Autre-2025!",
            "Encore-Un-Autre-2025!",
            true,
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert!(
        again.body.contains("Mot de passe déjà modifié") && !again.body.contains("Voilà"),
        "{}",
        again.body
    );
    assert!(app.binds(&person.dn, NEW_PASSWORD).await);
    assert!(!app.binds(&person.dn, "Encore-Un-Autre-2025!").await);
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_password_that_breaks_the_rules_is_refused_with_the_rules_marked() {
    let app = spawn_app().await;
    let person = app.add_person("rules", Some(QUESTION)).await;
    let password = app.recover_until_password(&person).await;
    let before = app.password_state(&person.dn);

    let refused = app
        .recover_password(&password, "court", "autre", false)
        .await;
    assert_eq!(refused.status, StatusCode::OK);
    assert!(
        refused.body.contains("Il y a un problème"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("href=\"#password\""));
    assert!(refused.body.contains("href=\"#confirm\""));
    assert!(refused.body.contains("href=\"#rules\""));
    assert!(refused
        .body
        .contains("aria-describedby=\"password-rules-list password-error\""));
    assert!(refused.body.contains("La confirmation ne correspond pas"));
    assert!(
        refused.body.contains("class=\"rule-unmet\""),
        "{}",
        refused.body
    );
    assert_eq!(app.password_state(&person.dn), before, "nothing written");

    // The directory's history refuses the current password, explained.
    let again = app
        .recover_password(&refused, &person.password, &person.password, true)
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(
        again
            .body
            .contains("doit être différent des 3 derniers mots de passe"),
        "{}",
        again.body
    );
    assert_eq!(app.password_state(&person.dn), before, "nothing written");

    // The same flow still works after the refusals.
    let done = app
        .recover_password(&again, NEW_PASSWORD, NEW_PASSWORD, true)
        .await;
    assert!(done.body.contains("Voilà"), "{}", done.body);
    assert!(app.binds(&person.dn, NEW_PASSWORD).await);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_answer_is_counted_and_says_how_many_tries_are_left() {
    let app = spawn_app().await;
    let person = app.add_person("ans", Some(QUESTION)).await;
    let form = app.recover_start().await;
    app.recover_identity(&form, &person.student_number, &person.birth_date)
        .await;
    let question = app.recover_question().await;
    let wrong = app.recover_answer(&question, "Lille").await;
    assert_eq!(wrong.status, StatusCode::OK);
    assert!(
        wrong.body.contains("Il vous reste 4 essais"),
        "{}",
        wrong.body
    );
    let view = app.admin_view(&person.dn, &["passerelleFailureTime"]);
    assert_eq!(view.get("passerelleFailureTime").map(Vec::len), Some(1));

    let mut page = wrong;
    for _ in 0..4 {
        page = app.recover_answer(&page, "Lille").await;
    }
    assert!(
        page.body.contains("Récupération bloquée temporairement"),
        "{}",
        page.body
    );
    // Locked: even the right answer, in a new flow, gets no further.
    let form = app.recover_start().await;
    let after = app
        .recover_identity(&form, &person.student_number, &person.birth_date)
        .await;
    assert_generic_failure(&after);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_person_without_a_secret_question_is_sent_to_activation() {
    let app = spawn_app().await;
    let person = app.add_person("noq", None).await;
    let form = app.recover_start().await;
    let page = app
        .recover_identity(&form, &person.student_number, &person.birth_date)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("Votre compte n&#39;est pas encore activé"),
        "{}",
        page.body
    );
    assert!(page.body.contains("activez d&#39;abord votre compte"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_identifier_flow_mails_the_login_and_the_page_never_shows_it() {
    let app = spawn_app().await;
    let person = app.add_person("idf", Some(QUESTION)).await;

    let form = app.identifier_start().await;
    assert!(form.body.contains("Récupérer mon identifiant"));
    let known = app
        .identifier_submit(&form, &person.student_number, &person.birth_date)
        .await;
    assert_eq!(known.status, StatusCode::OK);
    assert!(
        !known.body.contains(&person.uid),
        "the page shows the login"
    );

    let mail = app
        .smtp
        .wait_for_mail(&person.recovery_mail, MAIL_WAIT)
        .await;
    assert!(mail.text_body().contains(&person.uid));

    let form = app.identifier_start().await;
    let unknown = app
        .identifier_submit(&form, "E-nobody-42", "01/01/2000")
        .await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert_eq!(known.body, unknown.body, "same page for a stranger");

    let form = app.identifier_start().await;
    let wrong = app
        .identifier_submit(&form, &person.student_number, "16/09/2001")
        .await;
    assert_eq!(known.body, wrong.body);
    assert_eq!(
        app.smtp.mails_to(&person.recovery_mail).len(),
        1,
        "no mail for a wrong birth date"
    );
}

async fn fail_birth_date(app: &TestApp, identifier: &str, times: usize) -> app::Page {
    let mut last = None;
    for _ in 0..times {
        let form = app.recover_start().await;
        let page = app.recover_identity(&form, identifier, "01/01/1990").await;
        assert_generic_failure(&page);
        last = Some(page);
    }
    last.expect("at least one")
}

#[tokio::test(flavor = "multi_thread")]
async fn five_wrong_birth_dates_lock_self_service_across_replicas_and_restarts() {
    let app = spawn_app().await;
    let person = app.add_person("lock", Some(QUESTION)).await;
    fail_birth_date(&app, &person.student_number, 5).await;
    let view = app.admin_view(&person.dn, &["passerelleLockedUntil"]);
    assert!(
        view.contains_key("passerelleLockedUntil"),
        "lock on the entry: {view:?}"
    );

    // The right birth date no longer opens the flow, here...
    let form = app.recover_start().await;
    let page = app
        .recover_identity(&form, &person.student_number, &person.birth_date)
        .await;
    assert_generic_failure(&page);

    // ...nor on another replica...
    let replica = app.another_instance().await;
    let form = replica.recover_start().await;
    let page = replica
        .recover_identity(&form, &person.student_number, &person.birth_date)
        .await;
    assert_generic_failure(&page);

    // ...nor after a restart.
    let restarted = app.restart().await;
    let form = restarted.recover_start().await;
    let page = restarted
        .recover_identity(&form, &person.student_number, &person.birth_date)
        .await;
    assert_generic_failure(&page);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_lock_expires() {
    // Failures are counted within `lock_seconds`: the window must hold the
    // three failures even on a slow debug build.
    let app = spawn_app_with(|s| {
        s.lockout.max_failures = 3;
        s.lockout.lock_seconds = 10;
    })
    .await;
    let person = app.add_person("exp", Some(QUESTION)).await;
    fail_birth_date(&app, &person.student_number, 3).await;
    let form = app.recover_start().await;
    let page = app
        .recover_identity(&form, &person.student_number, &person.birth_date)
        .await;
    assert_generic_failure(&page);

    let deadline = Instant::now() + Duration::from_secs(40);
    loop {
        let form = app.recover_start().await;
        let page = app
            .recover_identity(&form, &person.student_number, &person.birth_date)
            .await;
        if page.status == StatusCode::SEE_OTHER {
            break;
        }
        assert!(Instant::now() < deadline, "the lock never expired");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_password_form_posted_twice_writes_once_and_the_second_sees_the_success_on_any_replica() {
    let app = spawn_app().await;
    let person = app.add_person("twice", Some(QUESTION)).await;
    let password = app.recover_until_password(&person).await;
    let cookie = app.cookie_header().expect("flow cookie");

    let done = app
        .recover_password(&password, NEW_PASSWORD, NEW_PASSWORD, true)
        .await;
    assert!(done.body.contains("Voilà"));
    let after_first = app.password_state(&person.dn);

    // The same form with the same (old) cookie, as a double click or a
    // replay would send it.
    let other = "Tout-Autre-Secret-2025!";
    let fields = [
        ("csrf", password.csrf()),
        ("nonce", password.nonce()),
        ("password", other.to_owned()),
        ("confirm", other.to_owned()),
        ("rules", "accepted".to_owned()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let replay = app
        .post_form_with_cookie("/recover/password", &cookie, &fields)
        .await;
    // Another password than the one written (a second tab, an old copy):
    // never « modifié »; the person is told another request changed it a
    // moment ago, and nothing is written (issue 19).
    assert_eq!(replay.status, StatusCode::SEE_OTHER, "{}", replay.body);
    assert_eq!(replay.location().as_deref(), Some("/message"));
    assert_eq!(
        app.password_state(&person.dn),
        after_first,
        "nothing written"
    );
    assert!(app.binds(&person.dn, NEW_PASSWORD).await);

    // On another replica (no memory of spent nonces) with another
    // password: the entry says this flow wrote a password, but not this
    // one (its change id names the flow and the password), so the page
    // never says « modifié »: it says the password was changed a moment
    // ago by another request, and nothing is written (issue 19).
    let replica = app.another_instance().await;
    let replay = replica
        .post_form_with_cookie("/recover/password", &cookie, &fields)
        .await;
    assert_eq!(replay.status, StatusCode::SEE_OTHER, "{}", replay.body);
    assert_eq!(replay.location().as_deref(), Some("/message"));
    assert_eq!(
        app.password_state(&person.dn),
        after_first,
        "nothing written"
    );
    // The same password again, as a double click that a load balancer
    // sends elsewhere: that one is this form's own write, whose success
    // is shown again; nothing more is written.
    let same: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| match *k {
            "password" | "confirm" => (*k, NEW_PASSWORD),
            _ => (*k, *v),
        })
        .collect();
    let twin = app
        .another_instance()
        .await
        .post_form_with_cookie("/recover/password", &cookie, &same)
        .await;
    assert_eq!(twin.status, StatusCode::SEE_OTHER, "{}", twin.body);
    assert_eq!(twin.location().as_deref(), Some("/recover/done"));
    assert_eq!(app.password_state(&person.dn), after_first);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_old_cookie_from_an_earlier_step_is_refused() {
    let app = spawn_app().await;
    let person = app.add_person("old", Some(QUESTION)).await;
    let form = app.recover_start().await;
    app.recover_identity(&form, &person.student_number, &person.birth_date)
        .await;
    let question = app.recover_question().await;
    let step1_cookie = app.cookie_header().expect("cookie");
    app.recover_answer(&question, &person.answer).await;
    let password = app.recover_password_page().await;
    let before = app.password_state(&person.dn);

    // The step-1 cookie with the step-3 form: the cookie says step 3 was
    // never reached.
    let fields = [
        ("csrf", password.csrf()),
        ("nonce", password.nonce()),
        ("password", NEW_PASSWORD.to_owned()),
        ("confirm", NEW_PASSWORD.to_owned()),
        ("rules", "accepted".to_owned()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let replay = app
        .post_form_with_cookie("/recover/password", &step1_cookie, &fields)
        .await;
    assert_eq!(replay.status, StatusCode::CONFLICT, "{}", replay.body);
    // And the step-1 answer form, posted again with its own cookie: spent.
    let again = app
        .post_form_with_cookie(
            "/recover/question",
            &step1_cookie,
            &[
                ("csrf", &question.csrf()),
                ("nonce", &question.nonce()),
                ("answer", &person.answer),
            ],
        )
        .await;
    // It passed once: the browser is sent where it led, and that page
    // still needs a cookie that reached it.
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    assert_eq!(again.location().as_deref(), Some("/recover/password"));
    let page = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(app.url("/recover/password"))
        .header("cookie", &step1_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::CONFLICT);
    assert_eq!(app.password_state(&person.dn), before, "nothing written");
}

#[tokio::test(flavor = "multi_thread")]
async fn typing_a_later_step_url_directly_is_refused() {
    let mut app = spawn_app().await;
    let person = app.add_person("skip", Some(QUESTION)).await;
    let before = app.password_state(&person.dn);

    // No flow at all.
    let page = app.recover_password_page().await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(
        page.body.contains("Votre session a expiré, recommencez."),
        "{}",
        page.body
    );

    // Identity proved, question skipped.
    let form = app.recover_start().await;
    app.recover_identity(&form, &person.student_number, &person.birth_date)
        .await;
    let page = app.recover_password_page().await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
    let question = app.recover_question().await;
    let post = app
        .post_form(
            "/recover/password",
            &[
                ("csrf", &question.csrf()),
                ("nonce", &question.nonce()),
                ("password", NEW_PASSWORD),
                ("confirm", NEW_PASSWORD),
                ("rules", "accepted"),
            ],
        )
        .await;
    assert_eq!(post.status, StatusCode::CONFLICT, "{}", post.body);

    // A fresh browser typing the question URL.
    app.new_browser();
    let page = app.recover_question().await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.password_state(&person.dn), before, "nothing written");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_directory_down_mid_flow_shows_the_unavailable_page_and_writes_nothing() {
    let app = spawn_app().await;
    let person = app.add_person("down", Some(QUESTION)).await;
    let password = app.recover_until_password(&person).await;
    let before = app.password_state(&person.dn);

    app.slapd.lock().expect("slapd").stop();
    let page = app
        .recover_password(&password, NEW_PASSWORD, NEW_PASSWORD, true)
        .await;
    assert_eq!(
        page.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        page.body
    );
    assert!(
        page.body.contains("momentanément indisponible"),
        "{}",
        page.body
    );

    app.slapd
        .lock()
        .expect("slapd")
        .start_again()
        .expect("slapd again");
    assert_eq!(app.password_state(&person.dn), before, "nothing written");
    assert!(app.binds(&person.dn, &person.password).await);

    // The same gateway, without a restart of its own, works again: its pool
    // replaced the connections that died with slapd.
    let password = app.recover_until_password(&person).await;
    let page = app
        .recover_password(&password, NEW_PASSWORD, NEW_PASSWORD, true)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(app.binds(&person.dn, NEW_PASSWORD).await);
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_identifier_and_wrong_birth_date_give_the_same_page_in_the_same_time() {
    // A high lockout so that 50 wrong birth dates do not lock (the locked
    // page is the same anyway, but we measure the failure write here).
    let app = spawn_app_with(|s| s.lockout.max_failures = 1_000).await;
    let person = app.add_person("same", Some(QUESTION)).await;

    let form = app.recover_start().await;
    let unknown = app
        .recover_identity(&form, "E-nobody-0000", "15/09/2001")
        .await;
    let form = app.recover_start().await;
    let wrong = app
        .recover_identity(&form, &person.student_number, "16/09/2001")
        .await;
    assert_generic_failure(&unknown);
    assert_eq!(unknown.status, wrong.status);
    // Each page gives back what was typed; apart from that, the same.
    let blanked = |page: &app::Page, typed: [&str; 2]| {
        typed.iter().fold(page.without_tokens(), |body, value| {
            body.replace(&format!("value=\"{value}\""), "value=\"…\"")
        })
    };
    assert_eq!(
        blanked(&unknown, ["E-nobody-0000", "15/09/2001"]),
        blanked(&wrong, [&person.student_number, "16/09/2001"])
    );

    let rounds = 50;
    let mut unknown_times = Vec::new();
    let mut wrong_times = Vec::new();
    for i in 0..rounds {
        let form = app.recover_start().await;
        let started = Instant::now();
        app.recover_identity(&form, &format!("E-nobody-{i}"), "15/09/2001")
            .await;
        unknown_times.push(started.elapsed());
        let form = app.recover_start().await;
        let started = Instant::now();
        app.recover_identity(&form, &person.student_number, "16/09/2001")
            .await;
        wrong_times.push(started.elapsed());
    }
    let (unknown_median, wrong_median) = (median(unknown_times), median(wrong_times));
    println!(
        "median over {rounds}: unknown identifier {unknown_median:?}, wrong birth date {wrong_median:?}"
    );
    // Tests run in parallel on a small machine: allow the noise of a busy
    // host, never a difference the size of a directory round trip plus a
    // write on a quiet one.
    let gap = unknown_median.abs_diff(wrong_median);
    let allowed = Duration::from_millis(25).max(unknown_median / 10);
    assert!(gap < allowed, "timing gap {gap:?} (allowed {allowed:?})");
}

fn captured_logs() -> std::sync::Arc<std::sync::Mutex<Vec<u8>>> {
    crate::logs::captured()
}

#[tokio::test(flavor = "multi_thread")]
async fn each_flow_event_leaves_one_audit_line_and_no_secret_reaches_the_log() {
    let logs = captured_logs();
    let app = spawn_app().await;
    let person = app.add_person("audit", Some(QUESTION)).await;

    let form = app.recover_start().await;
    app.recover_identity(&form, &person.student_number, "02/02/1999")
        .await;
    let password = app.recover_until_password(&person).await;
    let done = app
        .recover_password(&password, NEW_PASSWORD, NEW_PASSWORD, true)
        .await;
    assert!(done.body.contains("Voilà"));
    app.smtp
        .wait_for_mail(&person.recovery_mail, MAIL_WAIT)
        .await;

    let text = String::from_utf8(logs.lock().expect("logs").clone()).expect("utf-8");
    let audit: Vec<serde_json::Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["target"] == "audit" && v["account"] == person.uid.as_str())
        .collect();
    let outcomes: Vec<&str> = audit
        .iter()
        .map(|v| v["outcome"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        outcomes,
        ["wrong_birth_date", "proved", "answered", "changed"],
        "{audit:#?}"
    );
    for event in &audit {
        assert_eq!(event["flow"], "recover");
        assert_eq!(event["client"], app.client_ip.as_str());
        assert!(event["step"].is_string() && event["user_agent"].is_string());
    }
    for secret in [
        NEW_PASSWORD,
        "Saint-Étienne",
        &person.password,
        "02/02/1999",
        &form.csrf(),
    ] {
        assert!(!text.contains(secret), "{secret} reached the log");
    }
}

/// Six `/identifier` requests for one person within seconds, from six
/// addresses: one mail, and six identical pages (issue 14, item 7).
#[tokio::test(flavor = "multi_thread")]
async fn the_login_reminder_is_mailed_once_per_cooldown_whoever_asks() {
    let app = spawn_app().await;
    let person = app.add_person("flood", Some(QUESTION)).await;
    let mut handles = Vec::new();
    for _ in 0..6 {
        let browser = app.browser();
        let url = app.url("/identifier");
        let (number, date) = (person.student_number.clone(), person.birth_date.clone());
        handles.push(tokio::spawn(async move {
            let form = app::Page::read(browser.get(&url).send().await.expect("GET")).await;
            let body = app::encode(&[
                ("csrf", &form.csrf()),
                ("nonce", &form.nonce()),
                ("identifier", &number),
                ("birth_date", &date),
            ]);
            let response = browser
                .post(&url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .expect("POST");
            let answer = app::Page::read(response).await;
            assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
            let to = answer.location().expect("a redirect");
            let url = url.replace("/identifier", &to);
            app::Page::read(browser.get(&url).send().await.expect("GET")).await
        }));
    }
    let mut pages = Vec::new();
    for handle in handles {
        pages.push(handle.await.expect("join"));
    }
    for page in &pages {
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(page.without_tokens(), pages[0].without_tokens());
    }
    app.smtp
        .wait_for_mail(&person.recovery_mail, MAIL_WAIT)
        .await;
    // Every request was answered after its decision was made; give a
    // queued second mail, if any, the time the first one took.
    let deadline = Instant::now() + Duration::from_secs(2);
    while Instant::now() < deadline {
        assert_eq!(
            app.smtp.mails_to(&person.recovery_mail).len(),
            1,
            "one mail"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// What people paste: no field cuts it (no `maxlength`), and a birth date
/// with spaces around it, a staff number in the wrong case or a student
/// number in full-width digits still proves the identity (issue 9, item 2).
#[tokio::test(flavor = "multi_thread")]
async fn pasted_values_are_neither_cut_nor_refused_for_their_spaces() {
    let app = spawn_app().await;
    let person = app.add_person("paste", Some(QUESTION)).await;
    let form = app.recover_start().await;
    assert!(!form.body.contains("maxlength"), "{}", form.body);
    let full_width: String = person
        .student_number
        .chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c),
            other => other,
        })
        .collect();
    let after = app
        .recover_identity(&form, &full_width, &format!(" {} ", person.birth_date))
        .await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "{}", after.body);
}

/// Two submits of the last step at the same moment (a double click): one
/// write, and both answers show the success (issue 9, item 6).
#[tokio::test(flavor = "multi_thread")]
async fn a_double_click_on_the_last_step_writes_once_and_shows_the_success_twice() {
    let logs = crate::logs::captured();
    let app = spawn_app().await;
    let person = app.add_person("dbl", Some(QUESTION)).await;
    let password = app.recover_until_password(&person).await;
    let (first, second) = tokio::join!(
        app.recover_password(&password, NEW_PASSWORD, NEW_PASSWORD, true),
        app.recover_password(&password, NEW_PASSWORD, NEW_PASSWORD, true),
    );
    for page in [&first, &second] {
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("Terminer"), "{}", page.body);
    }
    assert!(app.binds(&person.dn, NEW_PASSWORD).await);
    let logged = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    let account = format!("\"account\":\"{}\"", person.uid);
    let writes = logged
        .lines()
        .filter(|l| l.contains(&account) && l.contains("\"outcome\":\"changed\""))
        .count();
    assert_eq!(writes, 1, "one write, not two");
}
