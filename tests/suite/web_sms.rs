//! Codes by SMS (issue 21) over real HTTP, against a real slapd and a real
//! HTTP receiver on loopback that speaks each SMS gateway of docs/sms.md:
//! the `sms` flow end to end through every documented gateway, numbers in
//! every common spelling, no text to a person without a mobile or with a
//! number that is none (the same page for strangers), and every limit on
//! what may be sent: per person on the entry (shared by replicas), per
//! client address, and the site's ceiling, which bounds what a stranger
//! can make the gateway send.

use crate::app::{spawn_app_with, Page, Person, TestApp, MAIL_WAIT, NEW_PASSWORD};
use crate::sms_gateway::{set_mobile, spelled, values, SmsGateway};
use passerelle::config::Settings;
use reqwest::StatusCode;
use std::time::Duration;

/// A gateway sending SMS through `gateway`, the `sms` flow and the code
/// flow's SMS choice on.
pub(crate) async fn spawn_sms(
    gateway: &SmsGateway,
    configure: impl FnOnce(&mut Settings),
) -> TestApp {
    spawn_app_with(|settings| {
        gateway.configure(settings);
        settings.flows.sms = true;
        settings.flows.code = true;
        settings.flows.code_sms = true;
        configure(settings);
    })
    .await
}

/// A person with the mobile `mobile`, as stored.
async fn person_with(app: &TestApp, mobile: Option<&str>) -> Person {
    let person = app.add_person("sms", None).await;
    if let Some(mobile) = mobile {
        set_mobile(app, &person.dn, mobile);
    }
    person
}

/// The `sms` flow's identity step for `person`: the channel page.
async fn channel_page(app: &TestApp, person: &Person) -> Page {
    let form = app.get("/sms").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let after = app
        .recover_identity_at("/sms", &form, &person.student_number, &person.birth_date)
        .await;
    assert_eq!(
        after.location().as_deref(),
        Some("/sms/channel"),
        "{}",
        after.body
    );
    let page = app.get("/sms/channel").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page
}

/// The code flow's first step for `typed`, the code asked by SMS: the page
/// it leads to (the code page, or the first page again with a refusal).
pub(crate) async fn ask_by_sms(app: &TestApp, typed: &str) -> Page {
    let form = app.get("/code").await;
    assert!(form.body.contains("name=\"channel\""), "{}", form.body);
    let after = app
        .post_form(
            "/code",
            &[
                ("csrf", &form.csrf()),
                ("nonce", &form.nonce()),
                ("identifier", typed),
                ("channel", "mobile"),
                ("captcha", &app.captcha_answer("code")),
            ],
        )
        .await;
    match after.location().as_deref() {
        Some("/code/verify") => app.get("/code/verify").await,
        _ => after,
    }
}

/// A page without what changes with every request (tokens, the captcha's
/// challenge): what tells two pages apart for a person.
fn shape(page: &Page, typed: &str) -> String {
    let body = page.without_tokens().replace(typed, "TYPED");
    let mut out = String::with_capacity(body.len());
    let mut rest = body.as_str();
    while let Some(at) = rest.find("?c=") {
        out.push_str(&rest[..at + 3]);
        rest = &rest[at + 3..];
        rest = rest.trim_start_matches(|c: char| c.is_ascii_hexdigit());
    }
    out.push_str(rest);
    out
}

/// Fails with the first line where `a` and `b` differ.
fn assert_same(a: &str, b: &str, what: &str) {
    if let Some((x, y)) = a.lines().zip(b.lines()).find(|(x, y)| x != y) {
        panic!("{what} differs:\n{x}\n{y}");
    }
    assert_eq!(a.lines().count(), b.lines().count(), "{what}");
}

/// Waits for `n` `send_sms` records in the audit trail (the work done off
/// the request path).
async fn wait_for_sends(app: &TestApp, n: usize) -> String {
    let deadline = tokio::time::Instant::now() + MAIL_WAIT;
    loop {
        let trail = app.audit_text();
        if trail.matches("\"step\":\"send_sms\"").count() >= n {
            return trail;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{n} send_sms records never came:\n{trail}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn an_sms_reset_goes_end_to_end_through_each_documented_gateway() {
    for example in ["smsu", "ovh", "twilio", "json"] {
        let gateway = SmsGateway::start(example).await;
        let app = spawn_sms(&gateway, |_| {}).await;
        let person = person_with(&app, Some("06 12 34 56 01")).await;
        let channel = channel_page(&app, &person).await;
        // Masked, and both offered to the person who proved who they are.
        assert!(channel.body.contains("•• •• •• •• 01"), "{}", channel.body);
        assert!(channel.body.contains("s•••@p•••.org"), "{}", channel.body);
        assert!(!channel.body.contains("34 56"), "a number shown in clear");
        let sent = app
            .post_with_tokens("/sms/channel", &channel, &[("channel", "mobile")])
            .await;
        assert_eq!(
            sent.location().as_deref(),
            Some("/sms/verify"),
            "{}",
            sent.body
        );
        let code = gateway
            .code_for(&spelled(example, "+33612345601"), MAIL_WAIT)
            .await;
        let verify = app.get("/sms/verify").await;
        assert!(verify.body.contains("•• •• •• •• 01"), "{}", verify.body);
        let after = app
            .post_with_tokens("/sms/verify", &verify, &[("code", &code)])
            .await;
        assert_eq!(
            after.location().as_deref(),
            Some("/sms/password"),
            "{example}: {}",
            after.body
        );
        let form = app.get("/sms/password").await;
        let done = app
            .post_with_tokens(
                "/sms/password",
                &form,
                &[
                    ("password", NEW_PASSWORD),
                    ("confirm", NEW_PASSWORD),
                    ("rules", "accepted"),
                ],
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{example}: {}", done.body);
        assert!(done.body.contains("Mot de passe modifié"), "{}", done.body);
        assert!(app.binds(&person.dn, NEW_PASSWORD).await, "{example}");
        // The code is single use (gone with the write), and the gateway
        // got one message.
        assert!(
            values(&app, &person.dn, "passerelleCodeHash").is_empty(),
            "{example}"
        );
        assert_eq!(gateway.received().len(), 1, "{example}");
        assert!(app.audit_text().contains("\"outcome\":\"sms_sent\""));
    }
}

/// The `sms` flow up to its code page for `person`, the code sent: the
/// page and the code the phone got.
async fn code_page(
    app: &TestApp,
    gateway: &SmsGateway,
    person: &Person,
    e164: &str,
) -> (Page, String) {
    let page = channel_page(app, person).await;
    let sent = app
        .post_with_tokens("/sms/channel", &page, &[("channel", "mobile")])
        .await;
    assert_eq!(
        sent.location().as_deref(),
        Some("/sms/verify"),
        "{}",
        sent.body
    );
    let code = gateway.code_for(e164, MAIL_WAIT).await;
    (app.get("/sms/verify").await, code)
}

fn assert_code_refused(page: &Page) {
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body
            .contains("Le code saisi est incorrect ou n&#39;est plus valide"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn the_fourth_sms_code_is_refused_even_when_right() {
    let gateway = SmsGateway::start("json").await;
    let app = spawn_sms(&gateway, |_| {}).await;
    let person = person_with(&app, Some("06 12 34 56 21")).await;
    let before = app.password_state(&person.dn);
    let (mut verify, code) = code_page(&app, &gateway, &person, "+33612345621").await;
    let wrong = if code == "111111" { "222222" } else { "111111" };
    for _ in 0..3 {
        verify = app
            .post_with_tokens("/sms/verify", &verify, &[("code", wrong)])
            .await;
        assert_code_refused(&verify);
    }
    let fourth = app
        .post_with_tokens("/sms/verify", &verify, &[("code", &code)])
        .await;
    assert_code_refused(&fourth);
    assert_eq!(values(&app, &person.dn, "passerelleCodeTriesLeft"), ["0"]);
    assert_eq!(app.password_state(&person.dn), before);
}

#[tokio::test]
async fn an_sms_code_after_its_expiry_is_refused_and_nothing_is_written() {
    let gateway = SmsGateway::start("json").await;
    let app = spawn_sms(&gateway, |settings| {
        settings.flows.sms_code_validity_seconds = 2;
    })
    .await;
    let person = person_with(&app, Some("06 12 34 56 22")).await;
    let before = app.password_state(&person.dn);
    let (verify, code) = code_page(&app, &gateway, &person, "+33612345622").await;
    // Wait for the clock to pass the expiry written on the entry.
    let expiry = values(&app, &person.dn, "passerelleCodeExpiry");
    let expiry = passerelle::directory::parse_generalized_time(&expiry[0]).expect("a time");
    while chrono::Utc::now() <= expiry {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let late = app
        .post_with_tokens("/sms/verify", &verify, &[("code", &code)])
        .await;
    assert_code_refused(&late);
    assert_eq!(app.password_state(&person.dn), before);
}

#[tokio::test]
async fn numbers_in_every_common_spelling_reach_one_mobile_in_e164() {
    let gateway = SmsGateway::start("smsu").await;
    let mut app = spawn_sms(&gateway, |settings| {
        settings.flows.sms_per_address_per_hour = 100;
        settings.flows.sms_per_minute = 100;
        // Eight entries share one number here.
        settings.flows.sms_daily_max = 100;
    })
    .await;
    let spellings = [
        ("06 12 34 56 78", "+33612345678"),
        ("06.12.34.56.78", "+33612345678"),
        ("06-12-34-56-78", "+33612345678"),
        ("0612345678", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+33612345678", "+33612345678"),
        ("0033 6 12 34 56 78", "+33612345678"),
        ("+33 (0)6 12 34 56 78", "+33612345678"),
        ("07 81 22 33 44", "+33781223344"),
        ("0692 12 34 56", "+262692123456"),
        ("+32 470 12 34 56", "+32470123456"),
    ];
    for (stored, _) in spellings {
        let person = person_with(&app, Some(stored)).await;
        app.new_browser();
        let page = ask_by_sms(&app, &person.recovery_mail).await;
        assert_eq!(page.status, StatusCode::OK, "{stored}: {}", page.body);
    }
    let texts = gateway.wait_for(spellings.len(), MAIL_WAIT).await;
    let mut got: Vec<String> = texts.into_iter().map(|(to, _)| to).collect();
    let mut want: Vec<String> = spellings
        .iter()
        .map(|(_, e164)| (*e164).to_owned())
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
}

#[tokio::test]
async fn no_text_goes_to_a_person_without_a_mobile_or_with_a_number_that_is_none() {
    let gateway = SmsGateway::start("json").await;
    let app = spawn_sms(&gateway, |settings| {
        settings.flows.sms_per_address_per_hour = 100;
    })
    .await;
    let none = person_with(&app, None).await;
    let landline = person_with(&app, Some("01 42 68 53 00")).await;
    let premium = person_with(&app, Some("08 99 12 34 56")).await;
    let invalid = person_with(&app, Some("06 12 34")).await;
    let mobile = person_with(&app, Some("06 12 34 56 05")).await;
    // A stranger sees the same page whoever is named, and whatever they have.
    let mut pages = Vec::new();
    for typed in [
        &none.recovery_mail,
        &landline.recovery_mail,
        &premium.recovery_mail,
        &invalid.recovery_mail,
        &mobile.recovery_mail,
        &"personne@perso.example.org".to_owned(),
    ] {
        let page = ask_by_sms(&app, typed).await;
        pages.push(shape(&page, typed));
    }
    for (i, page) in pages.iter().enumerate().skip(1) {
        assert_same(&pages[0], page, &format!("page {i}"));
    }
    let trail = wait_for_sends(&app, 6).await;
    for outcome in [
        "no_mobile",
        "unusable_mobile",
        "unknown_address",
        "sms_sent",
    ] {
        assert!(
            trail.contains(&format!("\"outcome\":\"{outcome}\"")),
            "{outcome}:\n{trail}"
        );
    }
    let texts = gateway.wait_for(1, MAIL_WAIT).await;
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert_eq!(texts[0].0, "+33612345605");
    // Its owner, once identity is proved, is told why the number is no use.
    let page = channel_page(&app, &landline).await;
    assert!(page.body.contains("téléphone fixe"), "{}", page.body);
    assert!(!page.body.contains("name=\"channel\" value=\"mobile\""));
    let page = channel_page(&app, &premium).await;
    assert!(page.body.contains("surtaxé"), "{}", page.body);
    let page = channel_page(&app, &invalid).await;
    assert!(!page.body.contains("name=\"channel\" value=\"mobile\""));
    assert!(
        page.body.contains("existe pas sous cette forme"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn one_sms_per_cooldown_per_person_whichever_replica_asks() {
    let gateway = SmsGateway::start("json").await;
    let app = spawn_sms(&gateway, |_| {}).await;
    let other = app.another_instance().await;
    let person = person_with(&app, Some("06 12 34 56 07")).await;
    let page = channel_page(&app, &person).await;
    let sent = app
        .post_with_tokens("/sms/channel", &page, &[("channel", "mobile")])
        .await;
    assert_eq!(sent.location().as_deref(), Some("/sms/verify"));
    let page = channel_page(&other, &person).await;
    let again = other
        .post_with_tokens("/sms/channel", &page, &[("channel", "mobile")])
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert!(again.body.contains("patientez encore"), "{}", again.body);
    gateway.wait_for(1, MAIL_WAIT).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(gateway.received().len(), 1);
    assert_eq!(values(&app, &person.dn, "passerelleSmsSentTime").len(), 1);
}

#[tokio::test]
async fn a_person_gets_so_many_sms_a_day_and_no_more() {
    let gateway = SmsGateway::start("json").await;
    let app = spawn_sms(&gateway, |settings| {
        settings.flows.sms_resend_seconds = 0;
        settings.flows.sms_daily_max = 2;
    })
    .await;
    let person = person_with(&app, Some("06 12 34 56 08")).await;
    let page = channel_page(&app, &person).await;
    let sent = app
        .post_with_tokens("/sms/channel", &page, &[("channel", "mobile")])
        .await;
    assert_eq!(
        sent.location().as_deref(),
        Some("/sms/verify"),
        "{}",
        sent.body
    );
    // The second by « Renvoyer », the third refused.
    for _ in 0..2 {
        let verify = app.get("/sms/verify").await;
        assert!(!verify.body.contains("nombre maximal"), "{}", verify.body);
        let resent = app.post_with_tokens("/sms/resend", &verify, &[]).await;
        assert_eq!(resent.status, StatusCode::SEE_OTHER, "{}", resent.body);
    }
    let verify = app.get("/sms/verify").await;
    assert!(
        verify.body.contains("nombre maximal de SMS"),
        "{}",
        verify.body
    );
    gateway.wait_for(2, MAIL_WAIT).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(gateway.received().len(), 2);
    assert!(app.audit_text().contains("\"outcome\":\"sms_daily_cap\""));
}

#[tokio::test]
async fn one_address_asks_for_so_many_sms_an_hour_whoever_it_names() {
    let gateway = SmsGateway::start("json").await;
    let app = spawn_sms(&gateway, |settings| {
        settings.flows.sms_per_address_per_hour = 2;
    })
    .await;
    let first = person_with(&app, Some("06 12 34 56 11")).await;
    let second = person_with(&app, Some("06 12 34 56 12")).await;
    let page = ask_by_sms(&app, &first.recovery_mail).await;
    assert!(page.body.contains("par SMS"), "{}", page.body);
    ask_by_sms(&app, "personne@perso.example.org").await;
    // The third from this address: refused before anything is looked up,
    // the same for a real person and for nobody.
    let known = ask_by_sms(&app, &second.recovery_mail).await;
    let unknown = ask_by_sms(&app, "quelquun@perso.example.org").await;
    for page in [&known, &unknown] {
        assert!(
            page.body.contains("depuis votre connexion"),
            "{}",
            page.body
        );
    }
    assert_eq!(
        shape(&known, &second.recovery_mail),
        shape(&unknown, "quelquun@perso.example.org")
    );
    gateway.wait_for(1, MAIL_WAIT).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(gateway.texts().len(), 1);
    assert!(app
        .audit_text()
        .contains("\"outcome\":\"sms_address_limit\""));
}

#[tokio::test]
async fn the_site_ceiling_bounds_what_a_stranger_makes_the_gateway_send() {
    let gateway = SmsGateway::start("json").await;
    let mut app = spawn_sms(&gateway, |settings| {
        settings.flows.sms_per_minute = 3;
        settings.flows.sms_per_address_per_hour = 100;
    })
    .await;
    let mut people = Vec::new();
    for i in 0..6 {
        people.push(person_with(&app, Some(&format!("06 12 34 57 {:02}", 10 + i))).await);
    }
    // A stranger, from a new address each time, names six real people.
    let (mut accepted, mut refused) = (0, 0);
    for person in &people {
        app.new_browser();
        let page = ask_by_sms(&app, &person.recovery_mail).await;
        if page.body.contains("momentanément indisponibles") {
            refused += 1;
        } else {
            accepted += 1;
            // Its off-path work is done before the next request.
            wait_for_sends(&app, accepted).await;
        }
    }
    let texts = gateway.wait_for(3, MAIL_WAIT).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(gateway.texts().len(), 3, "{texts:?}");
    assert_eq!(refused, 3);
    // Once the ceiling is reached, nobody at all is even looked up.
    let page = ask_by_sms(&app, "personne@perso.example.org").await;
    assert!(page.body.contains("momentanément indisponibles"));
    assert!(app.audit_text().contains("\"outcome\":\"sms_ceiling\""));
}

#[tokio::test]
async fn the_sms_flow_is_the_same_page_for_a_stranger_until_identity_is_proved() {
    let gateway = SmsGateway::start("json").await;
    let app = spawn_sms(&gateway, |_| {}).await;
    let person = person_with(&app, Some("06 12 34 56 09")).await;
    let form = app.get("/sms").await;
    let wrong = app
        .recover_identity_at("/sms", &form, &person.student_number, "01/01/1990")
        .await;
    let form = app.get("/sms").await;
    let unknown = app
        .recover_identity_at("/sms", &form, "E00000000", "01/01/1990")
        .await;
    assert_eq!(wrong.status, StatusCode::OK);
    assert_eq!(
        wrong.without_tokens().replace(&person.student_number, "X"),
        unknown.without_tokens().replace("E00000000", "X")
    );
    assert!(
        !wrong.body.contains("••"),
        "a mask before the identity step"
    );
    assert!(gateway.received().is_empty());
}

impl TestApp {
    /// The identity step of the flow at `path` (`/recover`, `/sms`…).
    pub async fn recover_identity_at(
        &self,
        path: &str,
        form: &Page,
        identifier: &str,
        birth_date: &str,
    ) -> Page {
        self.post_form(
            path,
            &[
                ("csrf", &form.csrf()),
                ("nonce", &form.nonce()),
                ("identifier", identifier),
                ("birth_date", birth_date),
            ],
        )
        .await
    }
}
