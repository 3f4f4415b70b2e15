//! The e-mail code flow (`/code`, EFP) over real HTTP against a real slapd
//! and a real SMTP conversation: the whole flow to a bind with the new
//! password and a matching NT hash; every way a code must stop working
//! (used, expired, password changed, fourth try, replaced by a resend),
//! each refused without a write; the mail's link built from the public URL
//! whatever the Host header says; the link page's GET changing nothing.

use crate::app;
use crate::directory_support::StateOps;

use app::{spawn_app_with, Page, TestApp, MAIL_WAIT};
use figment::providers::{Format, Toml};
use figment::Figment;
use passerelle::config::{FlowSettings, Settings};
use passerelle::directory::nthash::nt_hash;
use passerelle::directory::WriteKind;
use passerelle::policy::PolicyConfig;
use reqwest::StatusCode;
use secrecy::SecretString;
use std::time::Duration;

const LOGIN_URL: &str = "https://connect.example.org/login";
const CHOSEN: &str = "Chemin-Neuf-2025";

fn preset(name: &str, settings: &mut Settings) {
    let figment = Figment::from(Toml::file(format!(
        "{}/config/presets/{name}.toml",
        env!("CARGO_MANIFEST_DIR")
    )));
    settings.policy = figment.extract_inner::<PolicyConfig>("policy").unwrap();
    settings.flows = figment.extract_inner::<FlowSettings>("flows").unwrap();
    settings.site.login_url = Some(LOGIN_URL.into());
}

async fn spawn_efp(configure: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_app_with(|settings| {
        preset("efp", settings);
        configure(settings);
    })
    .await
}

/// The 6 digits of a code mail ("2 3 8 3 9 2").
fn code_in(text: &str) -> String {
    text.lines()
        .map(|line| line.split_whitespace().collect::<String>())
        .find(|line| line.len() == 6 && line.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or_else(|| panic!("no code in:\n{text}"))
}

fn link_in(text: &str) -> String {
    text.split_whitespace()
        .find(|word| word.contains("/code/link/"))
        .unwrap_or_else(|| panic!("no link in:\n{text}"))
        .to_owned()
}

/// Step 1 for `address`; returns the step 2 page.
pub(crate) async fn ask_code(app: &TestApp, address: &str) -> Page {
    let form = app.get("/code").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let after = app
        .post_form(
            "/code",
            &[
                ("csrf", &form.csrf()),
                ("nonce", &form.nonce()),
                ("identifier", address),
                ("captcha", &app.captcha_answer("code")),
            ],
        )
        .await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "{}", after.body);
    assert_eq!(after.location().as_deref(), Some("/code/verify"));
    let verify = app.get("/code/verify").await;
    assert_eq!(verify.status, StatusCode::OK, "{}", verify.body);
    verify
}

pub(crate) async fn post_code(app: &TestApp, verify: &Page, code: &str) -> Page {
    app.post_form(
        "/code/verify",
        &[
            ("csrf", &verify.csrf()),
            ("nonce", &verify.nonce()),
            ("code", code),
            ("captcha", &app.captcha_answer("code")),
        ],
    )
    .await
}

async fn post_password(app: &TestApp, form: &Page, password: &str) -> Page {
    app.post_form(
        "/code/password",
        &[
            ("csrf", &form.csrf()),
            ("nonce", &form.nonce()),
            ("password", password),
            ("confirm", password),
        ],
    )
    .await
}

pub(crate) async fn mailed_code(app: &TestApp, to: &str, count: usize) -> (String, String) {
    let mails = app.smtp.wait_for_mails(to, count, MAIL_WAIT).await;
    let text = mails[count - 1].text_body();
    (code_in(&text), link_in(&text))
}

fn assert_refused(page: &Page) {
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body
            .contains("Le code saisi est incorrect ou n&#39;est plus valide")
            || page
                .body
                .contains("Le code saisi est incorrect ou n'est plus valide"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Étape 2 sur 3"), "{}", page.body);
}

fn code_state(app: &TestApp, dn: &str) -> Vec<(String, Vec<String>)> {
    let mut view: Vec<(String, Vec<String>)> = app
        .admin_view(
            dn,
            &[
                "passerelleCodeHash",
                "passerelleCodeExpiry",
                "passerelleCodeTriesLeft",
                "passerelleCodeSentTime",
            ],
        )
        .into_iter()
        .collect();
    view.sort();
    view
}

fn first(app: &TestApp, dn: &str, attr: &str) -> Option<String> {
    app.admin_view(dn, &[attr])
        .into_iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(attr))
        .and_then(|(_, v)| v.into_iter().next())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_person_resets_with_the_mailed_code_from_the_first_page_to_a_bind_with_the_new_one() {
    let app = spawn_efp(|_| {}).await;
    let person = app.add_person("efp", None).await;

    let form = app.get("/code").await;
    for text in ["Étape 1 sur 3", "Identifiant (e-mail)", "Suivant"] {
        assert!(form.body.contains(text), "{text} in {}", form.body);
    }
    let verify = ask_code(&app, &person.recovery_mail).await;
    for text in [
        "Étape 2 sur 3",
        "Si un compte correspond",
        "un e-mail contenant un code vous a été envoyé",
        "Renvoyer le code",
    ] {
        assert!(verify.body.contains(text), "{text} in {}", verify.body);
    }

    let mail = app
        .smtp
        .wait_for_mail(&person.recovery_mail, MAIL_WAIT)
        .await;
    let text = mail.text_body();
    assert!(
        text.contains("Ce code est à usage unique. Il expirera au bout de 24 heures."),
        "{text}"
    );
    let code = code_in(&text);
    let spaced: String = code
        .chars()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains(&spaced), "the code is spaced out: {text}");
    // Only the keyed hash is stored.
    let stored = first(&app, &person.dn, "passerelleCodeHash").expect("hash stored");
    assert_eq!(stored.len(), 64);
    assert!(!stored.contains(&code));

    let after = post_code(&app, &verify, &code).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "{}", after.body);
    assert_eq!(after.location().as_deref(), Some("/code/password"));
    // Single use: the code is gone from the entry once proved.
    assert_eq!(first(&app, &person.dn, "passerelleCodeHash"), None);

    let password_page = app.get("/code/password").await;
    assert_eq!(password_page.status, StatusCode::OK);
    // The effective rules: the preset's 12 with the directory's maximum.
    for text in [
        "Étape 3 sur 3",
        "12",
        "64 caractères",
        "data-password-policy",
    ] {
        assert!(
            password_page.body.contains(text),
            "{text} in {}",
            password_page.body
        );
    }
    let done = post_password(&app, &password_page, CHOSEN).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(
        done.body
            .contains("Votre mot de passe a été modifié avec succès."),
        "{}",
        done.body
    );
    assert!(done.body.contains(LOGIN_URL), "Terminer → login page");
    assert!(done.body.contains("Terminer"));

    assert!(app.binds(&person.dn, CHOSEN).await);
    assert!(!app.binds(&person.dn, &person.password).await);
    let nt = first(&app, &person.dn, "sambaNTPassword").expect("NT hash");
    assert_eq!(nt, nt_hash(&SecretString::from(CHOSEN)));
    assert_eq!(first(&app, &person.dn, "pwdReset"), None);
    assert!(code_state(&app, &person.dn).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_address_gets_the_same_pages_and_any_code_fails_like_a_wrong_one() {
    let mut app = spawn_efp(|_| {}).await;
    let person = app.add_person("efpsame", None).await;
    let unknown = format!("nobody-{}@perso.example.org", app.port);

    let known_verify = ask_code(&app, &person.recovery_mail).await;
    app.smtp
        .wait_for_mail(&person.recovery_mail, MAIL_WAIT)
        .await;
    let known_wrong = post_code(&app, &known_verify, "000000").await;
    app.new_browser();
    let unknown_verify = ask_code(&app, &unknown).await;
    let unknown_wrong = post_code(&app, &unknown_verify, "000000").await;

    let blank = |page: &Page, address: &str| {
        let body = page
            .body
            .replace(&page.csrf(), "CSRF")
            .replace(&page.nonce(), "NONCE")
            .replace(address, "ADDRESS");
        // The captcha's per-challenge tag in its image and audio URLs.
        let mut parts = body.split("?c=");
        let mut blanked = parts.next().unwrap_or_default().to_owned();
        for part in parts {
            blanked.push_str("?c=TAG");
            blanked.push_str(&part[part.find('"').unwrap_or(0)..]);
        }
        blanked
    };
    assert_eq!(
        blank(&known_verify, &person.recovery_mail),
        blank(&unknown_verify, &unknown)
    );
    assert_refused(&known_wrong);
    assert_refused(&unknown_wrong);
    assert_eq!(
        blank(&known_wrong, &person.recovery_mail),
        blank(&unknown_wrong, &unknown)
    );
    assert!(app.smtp.mails_to(&unknown).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_code_works_once() {
    let mut app = spawn_efp(|_| {}).await;
    let person = app.add_person("efponce", None).await;
    let before = app.password_state(&person.dn);

    let verify = ask_code(&app, &person.recovery_mail).await;
    let (code, _) = mailed_code(&app, &person.recovery_mail, 1).await;
    let first_use = post_code(&app, &verify, &code).await;
    assert_eq!(first_use.status, StatusCode::SEE_OTHER);

    // Another browser, the same code: refused.
    app.new_browser();
    let verify = ask_code(&app, &person.recovery_mail).await;
    let second_use = post_code(&app, &verify, &code).await;
    assert_refused(&second_use);
    assert_eq!(app.password_state(&person.dn), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_code_after_its_expiry_is_refused_and_nothing_is_written() {
    let app = spawn_efp(|settings| settings.flows.code_validity_seconds = 2).await;
    let person = app.add_person("efpexp", None).await;
    let before = app.password_state(&person.dn);

    let verify = ask_code(&app, &person.recovery_mail).await;
    let (code, _) = mailed_code(&app, &person.recovery_mail, 1).await;
    // Wait for the clock to pass the expiry written on the entry.
    let expiry = first(&app, &person.dn, "passerelleCodeExpiry").expect("expiry");
    let expiry = passerelle::directory::parse_generalized_time(&expiry).expect("time");
    while chrono::Utc::now() <= expiry {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let late = post_code(&app, &verify, &code).await;
    assert_refused(&late);
    assert_eq!(app.password_state(&person.dn), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_code_stops_working_once_the_password_has_changed() {
    let app = spawn_efp(|_| {}).await;
    let person = app.add_person("efpchg", None).await;

    let verify = ask_code(&app, &person.recovery_mail).await;
    let (code, _) = mailed_code(&app, &person.recovery_mail, 1).await;
    // The password changes by another way (another flow, IT).
    let directory = app.directory();
    let entry = directory
        .read_person(&person.dn)
        .await
        .unwrap()
        .expect("entry");
    directory
        .write_password(
            &entry,
            &SecretString::from("Autre-Chemin-2025"),
            WriteKind::Chosen,
        )
        .await
        .unwrap();
    let after_change = app.password_state(&person.dn);

    let late = post_code(&app, &verify, &code).await;
    assert_refused(&late);
    assert_eq!(app.password_state(&person.dn), after_change);
    assert!(app.binds(&person.dn, "Autre-Chemin-2025").await);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_fourth_code_is_refused_even_when_right() {
    let app = spawn_efp(|_| {}).await;
    let person = app.add_person("efptry", None).await;
    let before = app.password_state(&person.dn);

    let mut verify = ask_code(&app, &person.recovery_mail).await;
    let (code, _) = mailed_code(&app, &person.recovery_mail, 1).await;
    let wrong = if code == "111111" { "222222" } else { "111111" };
    for _ in 0..3 {
        verify = post_code(&app, &verify, wrong).await;
        assert_refused(&verify);
    }
    let fourth = post_code(&app, &verify, &code).await;
    assert_refused(&fourth);
    assert_eq!(app.password_state(&person.dn), before);
    assert_eq!(
        first(&app, &person.dn, "passerelleCodeTriesLeft").as_deref(),
        Some("0")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_resent_code_voids_its_predecessor() {
    let app = spawn_efp(|settings| settings.flows.code_resend_seconds = 1).await;
    let person = app.add_person("efpres", None).await;
    let before = app.password_state(&person.dn);

    let verify = ask_code(&app, &person.recovery_mail).await;
    let (old_code, _) = mailed_code(&app, &person.recovery_mail, 1).await;
    // Past the cooldown written on the entry.
    let sent = first(&app, &person.dn, "passerelleCodeSentTime").expect("sent");
    let sent = passerelle::directory::parse_generalized_time(&sent).expect("time");
    while chrono::Utc::now() <= sent + chrono::Duration::seconds(1) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let resent = app
        .post_form(
            "/code/resend",
            &[("csrf", &verify.csrf()), ("nonce", &verify.nonce())],
        )
        .await;
    assert_eq!(resent.status, StatusCode::OK, "{}", resent.body);
    assert!(resent.body.contains("le précédent ne fonctionne plus"));
    let (new_code, _) = mailed_code(&app, &person.recovery_mail, 2).await;

    if new_code != old_code {
        let stale = post_code(&app, &resent, &old_code).await;
        assert_refused(&stale);
        assert_eq!(app.password_state(&person.dn), before);
        let fresh = post_code(&app, &stale, &new_code).await;
        assert_eq!(fresh.status, StatusCode::SEE_OTHER, "{}", fresh.body);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forged_host_header_does_not_change_the_mailed_link() {
    let app = spawn_efp(|_| {}).await;
    let person = app.add_person("efphost", None).await;
    let form = app.get_with("/code", &[("host", "evil.example")]).await;
    let after = app
        .post_form_headers(
            "/code",
            &[
                ("host", "evil.example"),
                ("x-forwarded-host", "evil.example"),
            ],
            &[
                ("csrf", &form.csrf()),
                ("nonce", &form.nonce()),
                ("identifier", &person.recovery_mail),
                ("captcha", &app.captcha_answer("code")),
            ],
        )
        .await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    let (_, link) = mailed_code(&app, &person.recovery_mail, 1).await;
    assert!(
        link.starts_with(&format!("{}/code/link/", app.settings.server.public_url)),
        "{link}"
    );
    assert!(!link.contains("evil"));
    assert!(!link.contains('?'), "no secret in a query: {link}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_link_page_changes_nothing_and_its_button_works_once() {
    let mut app = spawn_efp(|_| {}).await;
    let person = app.add_person("efplink", None).await;
    let before = app.password_state(&person.dn);

    ask_code(&app, &person.recovery_mail).await;
    let (code, link) = mailed_code(&app, &person.recovery_mail, 1).await;
    assert!(
        !link.contains(&code),
        "the code is not readable in the link"
    );
    let path = link
        .strip_prefix(&app.settings.server.public_url)
        .expect("public URL")
        .to_owned();
    let state = code_state(&app, &person.dn);

    // A mail scanner opens the link, twice: nothing changes.
    app.new_browser();
    let scanned = app.get(&path).await;
    assert_eq!(scanned.status, StatusCode::OK, "{}", scanned.body);
    app.get(&path).await;
    assert_eq!(code_state(&app, &person.dn), state);
    assert_eq!(app.password_state(&person.dn), before);

    // The person presses the button.
    app.new_browser();
    let page = app.get(&path).await;
    assert!(page.body.contains("Réinitialiser mon mot de passe"));
    let token = page.hidden("token");
    let pressed = app
        .post_form(
            "/code/link",
            &[
                ("csrf", &page.csrf()),
                ("nonce", &page.nonce()),
                ("token", &token),
            ],
        )
        .await;
    assert_eq!(pressed.status, StatusCode::SEE_OTHER, "{}", pressed.body);
    assert_eq!(pressed.location().as_deref(), Some("/code/password"));
    let password_page = app.get("/code/password").await;
    assert!(password_page.body.contains("Étape 3 sur 3"));

    // The same link again, from another browser: refused.
    let mut other = app.another_instance().await;
    other.new_browser();
    let again = other.get(&path).await;
    let pressed_again = other
        .post_form(
            "/code/link",
            &[
                ("csrf", &again.csrf()),
                ("nonce", &again.nonce()),
                ("token", &again.hidden("token")),
            ],
        )
        .await;
    assert_eq!(pressed_again.status, StatusCode::OK);
    assert!(
        pressed_again.body.contains("Ce lien n&#39;est plus valide")
            || pressed_again.body.contains("Ce lien n'est plus valide"),
        "{}",
        pressed_again.body
    );

    let done = post_password(&app, &password_page, CHOSEN).await;
    assert!(done
        .body
        .contains("Votre mot de passe a été modifié avec succès."));
    assert!(app.binds(&person.dn, CHOSEN).await);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_altered_or_foreign_link_is_refused_without_a_try_spent() {
    let app = spawn_efp(|_| {}).await;
    let person = app.add_person("efpalt", None).await;
    ask_code(&app, &person.recovery_mail).await;
    let (_, link) = mailed_code(&app, &person.recovery_mail, 1).await;
    let path = link
        .strip_prefix(&app.settings.server.public_url)
        .unwrap()
        .to_owned();
    let state = code_state(&app, &person.dn);
    let mut altered = path.clone().into_bytes();
    let i = altered.len() - 4;
    altered[i] = if altered[i] == b'A' { b'B' } else { b'A' };
    let page = app.get(std::str::from_utf8(&altered).unwrap()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("plus valide"), "{}", page.body);
    assert_eq!(code_state(&app, &person.dn), state);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_captcha_says_so_keeps_the_address_and_sends_nothing() {
    let app = spawn_efp(|_| {}).await;
    let person = app.add_person("efpcap", None).await;
    let witness = app.add_person("efpcapwit", None).await;
    let form = app.get("/code").await;
    assert!(
        form.body.contains("/captcha/code/image.png"),
        "{}",
        form.body
    );
    assert!(form.body.contains("/captcha/code/audio.wav"));
    let refused = app
        .post_form(
            "/code",
            &[
                ("csrf", &form.csrf()),
                ("nonce", &form.nonce()),
                ("identifier", &person.recovery_mail),
                ("captcha", "pas-ça"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::OK, "{}", refused.body);
    assert!(
        refused.body.contains("La vérification du texte a échoué"),
        "{}",
        refused.body
    );
    assert!(refused
        .body
        .contains(&format!("value=\"{}\"", person.recovery_mail)));
    // The same form, now with the new challenge's text, goes through.
    let after = app
        .post_form(
            "/code",
            &[
                ("csrf", &refused.csrf()),
                ("nonce", &refused.nonce()),
                ("identifier", &witness.recovery_mail),
                ("captcha", &app.captcha_answer("code")),
            ],
        )
        .await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "{}", after.body);
    app.smtp
        .wait_for_mail(&witness.recovery_mail, MAIL_WAIT)
        .await;
    assert!(app.smtp.mails_to(&person.recovery_mail).is_empty());
    assert!(code_state(&app, &person.dn).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_solved_captcha_copied_to_another_replica_and_client_sends_nothing() {
    let app = spawn_efp(|_| {}).await;
    // Same keys and directory, its own spent nonces, another client address.
    let replica = app.another_instance().await;
    assert_ne!(replica.client_ip, app.client_ip);
    let person = app.add_person("efprep", None).await;
    let victim = app.add_person("efprepv", None).await;
    let form = app.get("/code").await;
    let answer = app.captcha_answer("code");
    // The cookie as it is before the form is posted: it holds the challenge
    // this answer solves.
    let copied = app.cookie_header().expect("flow cookie");
    let fields = |address: &str| {
        [
            ("csrf", form.csrf()),
            ("nonce", form.nonce()),
            ("identifier", address.to_owned()),
            ("captcha", answer.clone()),
        ]
    };
    fn as_refs<'a>(fields: &'a [(&'static str, String); 4]) -> Vec<(&'static str, &'a str)> {
        fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
    }
    let own = fields(&person.recovery_mail);
    let after = app.post_form("/code", &as_refs(&own)).await;
    assert_eq!(after.location().as_deref(), Some("/code/verify"));
    app.smtp
        .wait_for_mail(&person.recovery_mail, MAIL_WAIT)
        .await;

    // The copy and the answer, on the other replica, from another machine,
    // for another address: the captcha fails there, nothing is asked of the
    // directory.
    let stolen = fields(&victim.recovery_mail);
    let replayed = replica
        .post_form_with_cookie("/code", &copied, &as_refs(&stolen))
        .await;
    assert_eq!(replayed.status, StatusCode::SEE_OTHER, "{}", replayed.body);
    assert_eq!(
        replayed.location().as_deref(),
        Some("/code"),
        "the request page again, not the code page"
    );
    assert!(code_state(&app, &victim.dn).is_empty(), "no code stored");
    assert!(replica.smtp.mails_to(&victim.recovery_mail).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn after_a_wrong_code_the_next_code_needs_the_captcha() {
    let app = spawn_efp(|_| {}).await;
    let person = app.add_person("efpcap2", None).await;
    let verify = ask_code(&app, &person.recovery_mail).await;
    assert!(!verify.body.contains("/captcha/code/image.png"));
    let (code, _) = mailed_code(&app, &person.recovery_mail, 1).await;
    let wrong = if code == "111111" { "222222" } else { "111111" };
    let refused = post_code(&app, &verify, wrong).await;
    assert_refused(&refused);
    assert!(refused.body.contains("/captcha/code/image.png"));
    // The right code without the captcha's text: refused, no try spent.
    let tries = first(&app, &person.dn, "passerelleCodeTriesLeft");
    let no_captcha = app
        .post_form(
            "/code/verify",
            &[
                ("csrf", &refused.csrf()),
                ("nonce", &refused.nonce()),
                ("code", &code),
                ("captcha", "x"),
            ],
        )
        .await;
    assert!(no_captcha
        .body
        .contains("La vérification du texte a échoué"));
    assert_eq!(first(&app, &person.dn, "passerelleCodeTriesLeft"), tries);
    let right = post_code(&app, &no_captcha, &code).await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
}

fn captured_logs() -> std::sync::Arc<std::sync::Mutex<Vec<u8>>> {
    crate::logs::captured()
}

#[tokio::test(flavor = "multi_thread")]
async fn each_event_is_audited_and_neither_code_nor_link_nor_password_reaches_the_log() {
    let logs = captured_logs();
    let mut app = spawn_efp(|_| {}).await;
    let person = app.add_person("efpaudit", None).await;

    let verify = ask_code(&app, &person.recovery_mail).await;
    let (code, link) = mailed_code(&app, &person.recovery_mail, 1).await;
    let wrong = if code == "111111" { "222222" } else { "111111" };
    post_code(&app, &verify, wrong).await;
    app.new_browser();
    let path = link
        .strip_prefix(&app.settings.server.public_url)
        .unwrap()
        .to_owned();
    let page = app.get(&path).await;
    let pressed = app
        .post_form(
            "/code/link",
            &[
                ("csrf", &page.csrf()),
                ("nonce", &page.nonce()),
                ("token", &page.hidden("token")),
            ],
        )
        .await;
    assert_eq!(pressed.status, StatusCode::SEE_OTHER, "{}", pressed.body);
    let form = app.get("/code/password").await;
    let done = post_password(&app, &form, CHOSEN).await;
    assert!(done
        .body
        .contains("Votre mot de passe a été modifié avec succès."));

    let text = String::from_utf8(logs.lock().expect("logs").clone()).expect("utf-8");
    let outcomes: Vec<String> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["target"] == "audit" && v["flow"] == "code")
        .filter(|v| v["account"] == person.uid.as_str())
        .map(|v| {
            format!(
                "{}:{}",
                v["step"].as_str().unwrap_or_default(),
                v["outcome"].as_str().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            "send_code:code_mailed",
            "code:wrong_code",
            "link:code_right",
            "password:changed"
        ],
        "{text}"
    );
    let token = path.trim_start_matches("/code/link/");
    for secret in [code.as_str(), token, CHOSEN, person.password.as_str()] {
        assert!(!text.contains(secret), "{secret} reached the log");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_site_that_turns_the_captcha_off_shows_none() {
    let app = spawn_efp(|settings| {
        settings.captcha.mode = passerelle::captcha::CaptchaMode::Never;
    })
    .await;
    let person = app.add_person("efpnocap", None).await;
    let form = app.get("/code").await;
    assert!(!form.body.contains("/captcha/"), "{}", form.body);
    let verify = ask_code(&app, &person.recovery_mail).await;
    let refused = post_code(&app, &verify, "000000").await;
    assert_refused(&refused);
    assert!(!refused.body.contains("/captcha/"));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_identifier_instead_of_an_address_also_gets_a_code_at_the_recovery_address() {
    let app = spawn_efp(|_| {}).await;
    let person = app.add_person("efpuid", None).await;
    let verify = ask_code(&app, &person.uid).await;
    let (code, _) = mailed_code(&app, &person.recovery_mail, 1).await;
    let after = post_code(&app, &verify, &code).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "{}", after.body);
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_codes_count_towards_the_lockout_which_then_refuses_even_a_right_code() {
    let app = spawn_efp(|settings| settings.lockout.max_failures = 2).await;
    let person = app.add_person("efplock", None).await;
    let before = app.password_state(&person.dn);
    let mut verify = ask_code(&app, &person.recovery_mail).await;
    let (code, _) = mailed_code(&app, &person.recovery_mail, 1).await;
    let wrong = if code == "111111" { "222222" } else { "111111" };
    for _ in 0..2 {
        verify = post_code(&app, &verify, wrong).await;
        assert_refused(&verify);
    }
    assert!(first(&app, &person.dn, "passerelleLockedUntil").is_some());
    let right = post_code(&app, &verify, &code).await;
    assert_refused(&right);
    assert_eq!(app.password_state(&person.dn), before);
}

#[test]
fn every_text_of_the_email_flows_exists_in_french_and_english() {
    for lang in ["fr", "en"] {
        let source = std::fs::read_to_string(format!(
            "{}/locales/{lang}/email_flows.ftl",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let ids: Vec<&str> = source
            .lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter_map(|l| l.split(" =").next())
            .collect();
        assert!(ids.len() > 30, "{ids:?}");
        for id in ids {
            assert!(passerelle::i18n::has(id), "{id} missing in a language");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_resend_too_soon_says_how_long_to_wait_and_sends_nothing() {
    let app = spawn_efp(|settings| settings.flows.code_resend_seconds = 600).await;
    let person = app.add_person("efpsoon", None).await;
    let verify = ask_code(&app, &person.recovery_mail).await;
    let (code, _) = mailed_code(&app, &person.recovery_mail, 1).await;
    let resent = app
        .post_form(
            "/code/resend",
            &[("csrf", &verify.csrf()), ("nonce", &verify.nonce())],
        )
        .await;
    assert_eq!(resent.status, StatusCode::OK);
    assert!(resent.body.contains("patientez encore"), "{}", resent.body);
    // The first code still works.
    let after = post_code(&app, &resent, &code).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "{}", after.body);
    assert_eq!(app.smtp.mails_to(&person.recovery_mail).len(), 1);
}
