//! One's own recovery data (issue 21) over real HTTP, against a real slapd
//! (whose ACL lets the gateway's account write `mobile` and
//! `supannMailPerso`), a real SMTP conversation and a real SMS gateway on
//! loopback: a new mobile or address is written only once the code sent to
//! it comes back, with the current password typed again; the old value and
//! the institutional address are told, with a « Ce n'était pas moi » link;
//! a changed question is told too; an activation verifies the mobile it
//! asks for and writes it with the password.

use crate::app::{Page, Person, TestApp, MAIL_WAIT, NEW_PASSWORD};
use crate::sms_gateway::{set_mobile, values, SmsGateway};
use crate::web_sms::spawn_sms;
use reqwest::StatusCode;

/// `person` signed in to « Gérer mon compte »: the menu.
async fn signed_in(app: &TestApp, person: &Person) -> Page {
    let form = app.get("/account").await;
    let after = app
        .sign_in("/account", &form, &person.uid, &person.password)
        .await;
    assert_eq!(
        after.location().as_deref(),
        Some("/account/menu"),
        "{}",
        after.body
    );
    app.get("/account/menu").await
}

/// Asks for `value` as the new `channel` value (`mail`, `mobile`), with
/// the current password `current`.
async fn ask(app: &TestApp, channel: &str, value: &str, current: &str) -> Page {
    let path = format!("/account/recovery/{channel}");
    let form = app.get(&path).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    app.post_with_tokens(
        &path,
        &form,
        &[("value", value), ("current", current), ("action", "set")],
    )
    .await
}

#[tokio::test]
async fn a_new_mobile_is_written_once_its_code_comes_back_and_the_old_number_and_addresses_are_told(
) {
    let gateway = SmsGateway::start("smsu").await;
    let app = spawn_sms(&gateway, |_| {}).await;
    let person = app.add_person("rec", None).await;
    set_mobile(&app, &person.dn, "06 12 34 56 01");
    let menu = signed_in(&app, &person).await;
    assert!(menu.body.contains("/account/recovery"), "{}", menu.body);
    let overview = app.get("/account/recovery").await;
    assert!(
        overview.body.contains("•• •• •• •• 01"),
        "{}",
        overview.body
    );
    // Without the current password, or with a landline: nothing sent.
    let refused = ask(&app, "mobile", "07 81 22 33 44", "").await;
    assert!(
        refused.body.contains("mot de passe actuel"),
        "{}",
        refused.body
    );
    let landline = ask(&app, "mobile", "01 42 68 53 00", &person.password).await;
    assert!(
        landline.body.contains("téléphone fixe"),
        "{}",
        landline.body
    );
    assert!(gateway.received().is_empty());
    // A mobile in a national spelling.
    let sent = ask(&app, "mobile", "07 81 22 33 44", &person.password).await;
    assert_eq!(
        sent.location().as_deref(),
        Some("/account/recovery/verify"),
        "{}",
        sent.body
    );
    let code = gateway.code_for("+33781223344", MAIL_WAIT).await;
    assert_eq!(
        values(&app, &person.dn, "mobile"),
        ["06 12 34 56 01"],
        "written early"
    );
    let verify = app.get("/account/recovery/verify").await;
    assert!(verify.body.contains("•• •• •• •• 44"), "{}", verify.body);
    let done = app
        .post_with_tokens(
            "/account/recovery/verify",
            &verify,
            &[("code_mobile", &code)],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(
        done.body
            .contains("nouveau numéro de mobile est enregistré"),
        "{}",
        done.body
    );
    assert_eq!(values(&app, &person.dn, "mobile"), ["+33781223344"]);
    // The old number by SMS, the recovery and institutional addresses by
    // mail, with the link that freezes.
    let texts = gateway.wait_for(2, MAIL_WAIT).await;
    assert!(
        texts
            .iter()
            .any(|(to, text)| to == "+33612345601" && text.contains("n'est plus")),
        "{texts:?}"
    );
    for to in [
        &person.recovery_mail,
        &format!("{}@univ-exemple.fr", person.uid),
    ] {
        let mail = app.smtp.wait_for_mail(to, MAIL_WAIT).await;
        assert!(
            mail.subject().contains("numéro de mobile a été modifié"),
            "{}",
            mail.subject()
        );
        let text = mail.text_body();
        assert!(text.contains("/not-me/"), "{text}");
        assert!(text.contains("•• •• •• •• 44"), "{text}");
        assert!(!text.contains("81 22 33"), "{text}");
    }
    let trail = app.audit_text();
    for outcome in [
        "recovery_code_sent",
        "recovery_verified",
        "mobile_changed",
        "notice_mailed",
    ] {
        assert!(
            trail.contains(&format!("\"outcome\":\"{outcome}\"")),
            "{outcome}"
        );
    }
}

#[tokio::test]
async fn a_new_recovery_address_is_verified_by_mail_and_the_old_one_is_told() {
    let gateway = SmsGateway::start("json").await;
    let app = spawn_sms(&gateway, |_| {}).await;
    let person = app.add_person("rec", None).await;
    signed_in(&app, &person).await;
    let new = format!("{}.neuf@autre.example.org", person.uid);
    let institutional = format!("{}@univ-exemple.fr", person.uid);
    let refused = ask(&app, "mail", &institutional, &person.password).await;
    assert!(
        refused
            .body
            .contains("votre adresse de l&#39;établissement"),
        "{}",
        refused.body
    );
    let sent = ask(&app, "mail", &new, &person.password).await;
    assert_eq!(sent.location().as_deref(), Some("/account/recovery/verify"));
    let mail = app.smtp.wait_for_mail(&new, MAIL_WAIT).await;
    let code: String = mail
        .text_body()
        .lines()
        .map(|l| l.split_whitespace().collect::<String>())
        .find(|l| l.len() == 6 && l.bytes().all(|b| b.is_ascii_digit()))
        .expect("a code");
    let verify = app.get("/account/recovery/verify").await;
    let done = app
        .post_with_tokens("/account/recovery/verify", &verify, &[("code_mail", &code)])
        .await;
    assert!(
        done.body
            .contains("nouvelle adresse de secours est enregistrée"),
        "{}",
        done.body
    );
    assert_eq!(values(&app, &person.dn, "supannMailPerso"), [new.as_str()]);
    let notice = app
        .smtp
        .wait_for_mail(&person.recovery_mail, MAIL_WAIT)
        .await;
    assert!(notice
        .subject()
        .contains("adresse de secours a été modifiée"));
    assert!(notice.text_body().contains("/not-me/"));
    app.smtp.wait_for_mail(&institutional, MAIL_WAIT).await;
}

#[tokio::test]
async fn the_question_change_asks_the_current_password_and_is_told_to_its_owner() {
    let gateway = SmsGateway::start("json").await;
    let app = spawn_sms(&gateway, |_| {}).await;
    let person = app
        .add_person(
            "rec",
            Some("Quel est le nom de votre premier animal de compagnie ?"),
        )
        .await;
    signed_in(&app, &person).await;
    let form = app.get("/account/question").await;
    assert!(form.body.contains("name=\"current\""), "{}", form.body);
    let fields = |current| {
        [
            ("question", "1"),
            ("own_question", ""),
            ("answer", "Une réponse longue"),
            ("answer_confirm", "Une réponse longue"),
            ("current", current),
        ]
    };
    let refused = app
        .post_with_tokens("/account/question", &form, &fields(""))
        .await;
    assert_eq!(refused.status, StatusCode::OK);
    assert!(
        refused.body.contains("mot de passe actuel"),
        "{}",
        refused.body
    );
    let form = app.get("/account/question").await;
    let done = app
        .post_with_tokens("/account/question", &form, &fields(&person.password))
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let notice = app
        .smtp
        .wait_for_mail(&person.recovery_mail, MAIL_WAIT)
        .await;
    assert!(
        notice.subject().contains("question secrète a été modifiée"),
        "{}",
        notice.subject()
    );
    assert!(notice.text_body().contains("/not-me/"));
}

#[tokio::test]
async fn an_activation_verifies_the_mobile_it_asks_for_and_writes_it_with_the_password() {
    let gateway = SmsGateway::start("twilio").await;
    let app = spawn_sms(&gateway, |settings| {
        settings.flows.activation_asks = vec![
            passerelle::config::Channel::Mail,
            passerelle::config::Channel::Mobile,
        ];
    })
    .await;
    let person = app.add_person_to_activate("act").await;
    let form = app.get("/activate").await;
    let after = app
        .recover_identity_at(
            "/activate",
            &form,
            &person.student_number,
            &person.birth_date,
        )
        .await;
    assert_eq!(
        after.location().as_deref(),
        Some("/activate/question"),
        "{}",
        after.body
    );
    let form = app.get("/activate/question").await;
    let after = app
        .post_with_tokens(
            "/activate/question",
            &form,
            &[
                ("question", "0"),
                ("own_question", ""),
                ("answer", "Une réponse longue"),
                ("answer_confirm", "Une réponse longue"),
            ],
        )
        .await;
    assert_eq!(
        after.location().as_deref(),
        Some("/activate/recovery"),
        "{}",
        after.body
    );
    let form = app.get("/activate/recovery").await;
    assert!(form.body.contains("Étape 3 sur 4"), "{}", form.body);
    let after = app
        .post_with_tokens(
            "/activate/recovery",
            &form,
            &[("mail", ""), ("mobile", "+33 7 81 22 33 55")],
        )
        .await;
    assert_eq!(
        after.location().as_deref(),
        Some("/activate/recovery/verify"),
        "{}",
        after.body
    );
    let code = gateway.code_for("+33781223355", MAIL_WAIT).await;
    let verify = app.get("/activate/recovery/verify").await;
    let after = app
        .post_with_tokens(
            "/activate/recovery/verify",
            &verify,
            &[("code_mobile", &code)],
        )
        .await;
    assert_eq!(
        after.location().as_deref(),
        Some("/activate/password"),
        "{}",
        after.body
    );
    assert!(
        values(&app, &person.dn, "mobile").is_empty(),
        "written before the password"
    );
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
    assert_eq!(values(&app, &person.dn, "mobile"), ["+33781223355"]);
    assert!(app.binds(&person.dn, NEW_PASSWORD).await);
}
