//! The help desk (`/helpdesk`, issue 20) over real HTTP, against a real
//! slapd built from `config/ldap` (its H rules, `olcAuthzPolicy` and the
//! gateway's `authzTo`) and a real SMTP conversation: every action (unlock,
//! lift a freeze, clear the question, send a code or a temporary password,
//! a temporary password on screen, the list), every way of verifying a
//! caller, every refusal (a person outside the profile's scope even by an
//! edited form, oneself, another agent, an action the profile lacks, an
//! unverified caller, a student signing in, a locked agent, a session idle,
//! too old or moved, a form replayed or sent twice), both write modes (the
//! service account, and the agent through proxied authorization, refused
//! by an ACL on one branch), what the owner is mailed, and what the audit
//! trail and `passerelle audit --agent` tell.

use crate::app;

use app::{spawn_app_with, Page, Person, TestApp, MAIL_WAIT, NEW_PASSWORD};
use passerelle::config::{
    DeskAction, HelpdeskProfile, HelpdeskSettings, Settings, VerificationMethod, WriteAs,
};
use passerelle::directory::BindProof;
use passerelle::slapd::{person_ldif, TestPerson, PEOPLE_DN};
use reqwest::StatusCode;
use secrecy::SecretString;
use std::collections::HashMap;

const IT_GROUP: &str = "cn=helpdesk-it,ou=groups,dc=univ-exemple,dc=fr";
const SCI_GROUP: &str = "cn=helpdesk-sciences,ou=groups,dc=univ-exemple,dc=fr";
const AGENT_PASSWORD: &str = "Guichet-Bleu-2025!";
const QUESTION: &str = "Dans quelle ville êtes-vous né(e) ?";
const BINARY: &str = env!("CARGO_BIN_EXE_passerelle");

/// The profiles of these tests: the IT desk (every person, every action,
/// every way of verifying) and the science faculty's desk (its students;
/// in person or by identity; no question cleared, no code sent).
fn profiles() -> Vec<HelpdeskProfile> {
    vec![
        HelpdeskProfile {
            name: "it".into(),
            group: IT_GROUP.into(),
            scope: "(objectClass=inetOrgPerson)".into(),
            actions: DeskAction::ALL.to_vec(),
            verification: VerificationMethod::ALL.to_vec(),
        },
        HelpdeskProfile {
            name: "sciences".into(),
            group: SCI_GROUP.into(),
            scope: "(&(eduPersonAffiliation=student)(departmentNumber=SCI))".into(),
            actions: vec![
                DeskAction::Unlock,
                DeskAction::Unfreeze,
                DeskAction::SendTemporary,
                DeskAction::TemporaryOnScreen,
                DeskAction::ListStopped,
            ],
            verification: vec![VerificationMethod::InPerson, VerificationMethod::Identity],
        },
    ]
}

fn desk_settings(settings: &mut Settings, write_as: WriteAs) {
    settings.flows.code = true;
    settings.flows.temporary = true;
    settings.helpdesk = HelpdeskSettings {
        profiles: profiles(),
        write_as,
        ..HelpdeskSettings::default()
    };
}

/// A gateway with the help desk, its agents `it<port>` and `sci<port>` in
/// their groups, writing as `write_as`.
struct Desk {
    app: TestApp,
    it: Person,
    sci: Person,
}

async fn desk(write_as: WriteAs) -> Desk {
    desk_with(write_as, |_| {}).await
}

async fn desk_with(write_as: WriteAs, configure: impl FnOnce(&mut Settings)) -> Desk {
    let app = spawn_app_with(move |settings| {
        desk_settings(settings, write_as);
        configure(settings);
    })
    .await;
    let it = add_agent(&app, "agit").await;
    let sci = add_agent(&app, "agsci").await;
    app.slapd
        .lock()
        .unwrap()
        .add_ldif(&format!(
            "dn: {IT_GROUP}\nobjectClass: groupOfNames\ncn: helpdesk-it\nmember: {}\n\n\
             dn: {SCI_GROUP}\nobjectClass: groupOfNames\ncn: helpdesk-sciences\nmember: {}\n",
            it.dn, sci.dn
        ))
        .expect("groups");
    Desk { app, it, sci }
}

/// A staff member with their own password (no student number).
async fn add_agent(app: &TestApp, prefix: &str) -> Person {
    let uid = format!("{prefix}{}", app.port);
    let person = TestPerson {
        staff_number: Some(format!("S{}{prefix}", app.port)),
        recovery_mail: Some(format!("{uid}@perso.example.org")),
        password: AGENT_PASSWORD.into(),
        given_name: "Agent".into(),
        sn: format!("Guichet{prefix}"),
        ..TestPerson::default()
    };
    app.slapd
        .lock()
        .unwrap()
        .add_ldif(&person_ldif(&uid, &person))
        .expect("agent");
    Person {
        dn: format!("uid={uid},{PEOPLE_DN}"),
        uid,
        password: AGENT_PASSWORD.into(),
        birth_date: "15/09/2001".into(),
        student_number: String::new(),
        recovery_mail: person.recovery_mail.unwrap_or_default(),
        question: None,
        answer: String::new(),
    }
}

/// A student of `faculty` (`departmentNumber`), with a secret question.
async fn student(app: &TestApp, prefix: &str, faculty: &str) -> Person {
    let person = app.add_person(prefix, Some(QUESTION)).await;
    app.slapd
        .lock()
        .unwrap()
        .modify_ldif(&format!(
            "dn: {}\nchangetype: modify\nadd: departmentNumber\ndepartmentNumber: {faculty}\n",
            person.dn
        ))
        .expect("faculty");
    person
}

fn first(view: &HashMap<String, Vec<String>>, name: &str) -> Option<String> {
    view.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.first().cloned())
}

fn admin(app: &TestApp, dn: &str, attribute: &str) -> Option<String> {
    first(&app.admin_view(dn, &[attribute]), attribute)
}

/// Locks `dn` in the directory with failed binds (ppolicy: five).
async fn lock_by_binds(app: &TestApp, dn: &str) {
    for _ in 0..6 {
        assert!(!app.binds(dn, "not the password").await);
    }
    assert!(admin(app, dn, "pwdAccountLockedTime").is_some(), "locked");
}

fn location(page: &Page) -> String {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location().unwrap_or_default()
}

/// The audit trail's records, parsed.
fn records(app: &TestApp) -> Vec<serde_json::Value> {
    app.audit_text()
        .lines()
        .map(|line| serde_json::from_str(line).expect("a record"))
        .collect()
}

fn outcomes(app: &TestApp, step: &str) -> Vec<String> {
    records(app)
        .into_iter()
        .filter(|r| r["flow"] == "helpdesk" && r["step"] == step)
        .map(|r| r["outcome"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The fields `docs/audit.md` documents in the table of `section`.
fn documented(section: &str) -> std::collections::BTreeSet<String> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/audit.md"))
        .expect("docs/audit.md");
    let part = doc.split(section).nth(1).expect("the section");
    let part = part.split("\n## ").next().expect("its end");
    part.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_owned)
        .collect()
}

/// The fields of a section of docs/audit.md that only some records have
/// (their description starts "Only").
fn documented_optional(section: &str) -> std::collections::BTreeSet<String> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/audit.md"))
        .expect("docs/audit.md");
    let part = doc.split(section).nth(1).expect("the section");
    let part = part.split("\n## ").next().expect("its end");
    part.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter(|l| l.contains("` | Only"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_owned)
        .collect()
}

/// Every help-desk record has the fields every record has, some of the
/// help desk's, and a documented step and outcome.
fn assert_documented(app: &TestApp) {
    let every = documented("## Fields\n");
    let desk = documented("## Help-desk fields\n");
    let steps = documented("## Steps\n");
    let outcomes = documented("## Outcomes\n");
    for record in records(app) {
        let keys: std::collections::BTreeSet<String> =
            record.as_object().unwrap().keys().cloned().collect();
        // A field documented "Only for …" (the JSON API's client) is
        // absent from the help desk's records.
        let optional = documented_optional("## Fields\n");
        assert!(
            every.difference(&optional).all(|k| keys.contains(k)),
            "{record}"
        );
        assert!(
            keys.iter().all(|k| every.contains(k) || desk.contains(k)),
            "{record}"
        );
        assert!(steps.contains(record["step"].as_str().unwrap()), "{record}");
        assert!(
            outcomes.contains(record["outcome"].as_str().unwrap()),
            "{record}"
        );
    }
}

// ---------------------------------------------------------------- steps

async fn sign_in(app: &TestApp, login: &str, password: &str) -> Page {
    let form = app.get("/helpdesk").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    app.post_with_tokens(
        "/helpdesk",
        &form,
        &[("login", login), ("password", password)],
    )
    .await
}

/// Signs in as `agent` and returns the desk's page.
async fn signed_in(app: &TestApp, agent: &Person) -> Page {
    let after = sign_in(app, &agent.uid, &agent.password).await;
    assert_eq!(location(&after), "/helpdesk/desk");
    let page = app.get("/helpdesk/desk").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page
}

async fn search(app: &TestApp, query: &str) -> Page {
    let page = app.get("/helpdesk/desk").await;
    let after = app
        .post_with_tokens("/helpdesk/search", &page, &[("query", query)])
        .await;
    assert_eq!(location(&after), "/helpdesk/desk");
    app.get("/helpdesk/desk").await
}

/// Opens the card of `dn` (what the form sends, edited or not); the page
/// the answer leads to.
async fn open(app: &TestApp, dn: &str) -> Page {
    let page = app.get("/helpdesk/desk").await;
    let after = app
        .post_with_tokens("/helpdesk/open", &page, &[("dn", dn)])
        .await;
    let to = location(&after);
    app.get(&to).await
}

/// The pages' sign-out button.
async fn sign_out(app: &TestApp) -> Page {
    let page = app.get("/helpdesk/logout").await;
    app.post_with_tokens("/helpdesk/logout", &page, &[]).await
}

/// Posts a form of the card's page to `path`; the page it leads to.
async fn on_card(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> Page {
    let card = app.get("/helpdesk/card").await;
    assert_eq!(card.status, StatusCode::OK, "{}", card.body);
    let after = app.post_with_tokens(path, &card, fields).await;
    let to = location(&after);
    app.get(&to).await
}

async fn verify_in_person(app: &TestApp) -> Page {
    let page = on_card(
        app,
        "/helpdesk/verify",
        &[("method", "in_person"), ("document", "checked")],
    )
    .await;
    assert!(page.body.contains("Appelant vérifié"), "{}", page.body);
    page
}

async fn act(app: &TestApp, action: &str, reason: &str) -> Page {
    on_card(
        app,
        "/helpdesk/act",
        &[("action", action), ("reason", reason)],
    )
    .await
}

/// Signed in as `agent`, the card of `person` open, the caller verified at
/// the desk.
async fn ready(app: &TestApp, agent: &Person, person: &Person) -> Page {
    signed_in(app, agent).await;
    let card = open(app, &person.dn).await;
    assert!(card.body.contains("Fiche"), "{}", card.body);
    verify_in_person(app).await
}

// ---------------------------------------------------------------- tests

#[tokio::test(flavor = "multi_thread")]
async fn the_help_desk_is_off_unless_configured_and_linked_from_no_public_page() {
    let app = app::spawn_app().await;
    assert_eq!(app.get("/helpdesk").await.status, StatusCode::NOT_FOUND);
    let desk = desk(WriteAs::Service).await;
    let app = &desk.app;
    assert_eq!(app.get("/helpdesk").await.status, StatusCode::OK);
    for path in ["/", "/forgotten", "/help", "/recover", "/account"] {
        let page = app.get(path).await;
        assert!(
            !page.body.contains("/helpdesk"),
            "{path} links the help desk"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn without_signing_in_the_help_desk_shows_nothing_and_does_nothing() {
    let desk = desk(WriteAs::Service).await;
    let app = &desk.app;
    let person = student(app, "hdnone", "SCI").await;
    lock_by_binds(app, &person.dn).await;
    for path in ["/helpdesk/desk", "/helpdesk/card", "/helpdesk/list"] {
        let page = app.get(path).await;
        assert_eq!(
            page.status,
            StatusCode::BAD_REQUEST,
            "{path}: {}",
            page.body
        );
        assert!(!page.body.contains(&person.uid), "{path}");
    }
    // A form posted with tokens of the sign-in page (a flow, not a session).
    let form = app.get("/helpdesk").await;
    for (path, fields) in [
        ("/helpdesk/open", vec![("dn", person.dn.as_str())]),
        (
            "/helpdesk/act",
            vec![("action", "unlock"), ("reason", "essai")],
        ),
        ("/helpdesk/search", vec![("query", "Essai")]),
    ] {
        let page = app.post_with_tokens(path, &form, &fields).await;
        assert_eq!(page.status, StatusCode::CONFLICT, "{path}: {}", page.body);
    }
    assert!(admin(app, &person.dn, "pwdAccountLockedTime").is_some());
    assert!(outcomes(app, "desk")
        .iter()
        .all(|o| o == "refused_replay_or_skipped_step"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_student_s_own_password_opens_no_desk_and_a_wrong_one_says_the_same_as_always() {
    let desk = desk(WriteAs::Service).await;
    let app = &desk.app;
    let person = student(app, "hdstu", "SCI").await;
    let page = sign_in(app, &person.uid, &person.password).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("n&#39;a pas accès à l&#39;assistance"),
        "{}",
        page.body
    );
    assert!(outcomes(app, "login").contains(&"not_an_agent".to_owned()));
    let page = sign_in(app, &person.uid, "wrong").await;
    assert!(
        page.body.contains("Identifiant ou mot de passe incorrect"),
        "{}",
        page.body
    );
    // No session: the desk is a step this flow has not reached.
    assert_eq!(app.get("/helpdesk/desk").await.status, StatusCode::CONFLICT);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_locked_agent_cannot_sign_in_even_with_the_right_password() {
    let desk = desk(WriteAs::Service).await;
    let app = &desk.app;
    for _ in 0..5 {
        let page = sign_in(app, &desk.it.uid, "Pas-le-bon-1").await;
        assert!(page.body.contains("incorrect"), "{}", page.body);
    }
    let page = sign_in(app, &desk.it.uid, AGENT_PASSWORD).await;
    assert_eq!(page.status, StatusCode::OK, "refused: {}", page.body);
    assert!(page.body.contains("incorrect"), "{}", page.body);
    assert!(outcomes(app, "login").contains(&"locked".to_owned()));
    assert!(!outcomes(app, "login").contains(&"agent_signed_in".to_owned()));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_agent_unlocks_a_student_and_the_owner_is_told_with_a_link() {
    let desk = desk(WriteAs::Service).await;
    let app = &desk.app;
    let person = student(app, "hdunl", "SCI").await;
    lock_by_binds(app, &person.dn).await;
    assert!(!app.binds(&person.dn, &person.password).await, "locked");
    let card = ready(app, &desk.it, &person).await;
    assert!(
        card.body
            .contains("verrouillé après des échecs de connexion"),
        "{}",
        card.body
    );
    assert!(card.body.contains("value=\"unlock\""), "{}", card.body);
    // The recovery address, masked; never in clear.
    assert!(!card.body.contains(&person.recovery_mail), "{}", card.body);
    assert!(card.body.contains("•••@p•••.org"), "{}", card.body);
    let done = act(app, "unlock", "Appel, compte verrouillé").await;
    assert!(done.body.contains("Compte débloqué"), "{}", done.body);
    assert!(
        done.body.contains("Rien ne bloque ce compte"),
        "{}",
        done.body
    );
    assert_eq!(admin(app, &person.dn, "pwdAccountLockedTime"), None);
    assert_eq!(admin(app, &person.dn, "pwdFailureTime"), None);
    assert!(app.binds(&person.dn, &person.password).await, "unlocked");
    assert_eq!(
        admin(app, &person.dn, "modifiersName").as_deref(),
        Some(passerelle::slapd::SERVICE_DN),
        "the service account wrote"
    );
    // Both of the owner's addresses are told, by the help desk, with a link.
    let mail = app
        .smtp
        .wait_for_mail(&person.recovery_mail, MAIL_WAIT)
        .await;
    let text = mail.text_body();
    assert!(
        text.contains("le service d'assistance\na débloqué votre compte"),
        "{text}"
    );
    assert!(
        !text.contains(&desk.it.uid) && !text.contains("Guichet"),
        "{text}"
    );
    assert!(text.contains("http://127.0.0.1/not-me/"), "{text}");
    app.smtp
        .wait_for_mail(&format!("{}@univ-exemple.fr", person.uid), MAIL_WAIT)
        .await;
    // Audited with the agent, the profile, the reason and the verification.
    let unlocked = records(app)
        .into_iter()
        .find(|r| r["outcome"] == "unlocked")
        .expect("an unlock record");
    assert_eq!(unlocked["login"], person.uid.as_str());
    assert_eq!(unlocked["agent"], desk.it.uid.as_str());
    assert_eq!(unlocked["agent_dn"], desk.it.dn.as_str());
    assert_eq!(unlocked["profile"], "it");
    assert_eq!(unlocked["reason"], "Appel, compte verrouillé");
    assert_eq!(unlocked["verified_by"], "in_person");
    assert_eq!(unlocked["client"], app.client_ip.as_str());
    // `passerelle audit --agent` answers "what did this agent do".
    let output = std::process::Command::new(BINARY)
        .args(["audit", "--agent", &desk.it.uid])
        .arg(app.settings.audit.file.as_ref().unwrap())
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{printed}");
    for step in [
        "helpdesk/login  agent_signed_in",
        "helpdesk/card  card_viewed",
        "helpdesk/verify  verified",
        "helpdesk/unlock  unlocked",
    ] {
        assert!(printed.contains(step), "{step} missing:\n{printed}");
    }
    assert!(
        printed.contains("reason \"Appel, compte verrouillé\""),
        "{printed}"
    );
    assert_documented(app);
}

#[tokio::test(flavor = "multi_thread")]
async fn it_s_lock_for_good_is_left_to_the_profiles_that_may_lift_it() {
    let desk = desk(WriteAs::Service).await;
    let app = &desk.app;
    let person = student(app, "hditl", "SCI").await;
    app.slapd
        .lock()
        .unwrap()
        .modify_ldif(&format!(
            "dn: {}\nchangetype: modify\nadd: pwdAccountLockedTime\npwdAccountLockedTime: 000001010000Z\n",
            person.dn
        ))
        .unwrap();
    let card = ready(app, &desk.sci, &person).await;
    assert!(card.body.contains("verrouillé par la DSI"), "{}", card.body);
    assert!(
        !card.body.contains("value=\"unlock"),
        "nothing offered: {}",
        card.body
    );
    // Posted anyway, by hand.
    let refused = act(app, "unlock", "essai").await;
    assert!(
        refused.body.contains("verrouillé par la DSI"),
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("votre profil ne permet pas de lever ce verrou"),
        "{}",
        refused.body
    );
    assert_eq!(
        admin(app, &person.dn, "pwdAccountLockedTime").as_deref(),
        Some("000001010000Z")
    );
    // The IT desk may.
    sign_out(app).await;
    let card = ready(app, &desk.it, &person).await;
    assert!(
        card.body.contains("value=\"unlock_it_lock\""),
        "{}",
        card.body
    );
    let done = act(app, "unlock_it_lock", "Levée du verrou, ticket 4242").await;
    assert!(done.body.contains("Compte débloqué"), "{}", done.body);
    assert_eq!(admin(app, &person.dn, "pwdAccountLockedTime"), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_freeze_is_lifted_and_the_owner_s_link_freezes_again_once() {
    let desk = desk(WriteAs::Service).await;
    let app = &desk.app;
    let person = student(app, "hdfrz", "SCI").await;
    app.slapd
        .lock()
        .unwrap()
        .modify_ldif(&format!(
            "dn: {}\nchangetype: modify\nreplace: passerelleFrozenTime\npasserelleFrozenTime: 20260301100000Z\n-\nreplace: passerelleFrozenReason\npasserelleFrozenReason: not-me: test\n",
            person.dn
        ))
        .unwrap();
    let card = ready(app, &desk.sci, &person).await;
    assert!(card.body.contains("bloqué depuis le"), "{}", card.body);
    assert!(card.body.contains("not-me: test"), "{}", card.body);
    let done = act(app, "unfreeze", "Appel, identité vérifiée au guichet").await;
    assert!(done.body.contains("Blocage levé"), "{}", done.body);
    assert_eq!(admin(app, &person.dn, "passerelleFrozenTime"), None);
    // Self-service works again.
    let form = app.recover_start().await;
    let after = app
        .recover_identity(&form, &person.student_number, &person.birth_date)
        .await;
    assert_eq!(after.location().as_deref(), Some("/recover/question"));
    // The owner did not call: their link freezes self-service again, once.
    let mail = app
        .smtp
        .wait_for_mail(&person.recovery_mail, MAIL_WAIT)
        .await;
    let text = mail.text_body();
    let link = text
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1/not-me/"))
        .expect("a link")
        .trim_start_matches("http://127.0.0.1")
        .to_owned();
    let mut owner = app.another_instance().await;
    owner.new_browser();
    let page = owner.get(&link).await;
    assert!(
        page.body
            .contains("Le service d&#39;assistance a levé le blocage du libre-service"),
        "{}",
        page.body
    );
    let token = link.trim_start_matches("/not-me/");
    let frozen = owner
        .post_with_tokens("/not-me", &page, &[("token", token)])
        .await;
    assert!(
        frozen.body.contains("Signalement enregistré"),
        "{}",
        frozen.body
    );
    let reason = admin(app, &person.dn, "passerelleFrozenReason").unwrap();
    assert!(reason.contains("help desk's unfreeze"), "{reason}");
    let again = owner.get(&link).await;
    assert!(again.body.contains("déjà été enregistré"), "{}", again.body);
}

#[tokio::test(flavor = "multi_thread")]
async fn clearing_the_question_lets_the_person_choose_a_new_one_and_shows_it_only_where_allowed() {
    let desk = desk(WriteAs::Service).await;
    let app = &desk.app;
    let person = student(app, "hdqst", "SCI").await;
    let card = ready(app, &desk.it, &person).await;
    // The IT profile may see the question, never the answer.
    assert!(
        card.body.contains(&QUESTION.replace('\'', "&#39;")),
        "{}",
        card.body
    );
    assert!(!card.body.contains(&person.answer), "{}", card.body);
    let done = act(app, "clear_question", "Question oubliée").await;
    assert!(
        done.body.contains("Question secrète effacée"),
        "{}",
        done.body
    );
    assert_eq!(admin(app, &person.dn, "passerelleQuestion"), None);
    assert_eq!(admin(app, &person.dn, "passerelleAnswerHash"), None);
    // The password is untouched: the person signs in and chooses another.
    assert!(app.binds(&person.dn, &person.password).await);
    let form = app.get("/account").await;
    let after = app
        .sign_in("/account", &form, &person.uid, &person.password)
        .await;
    assert_eq!(after.location().as_deref(), Some("/account/menu"));
    // The faculty's desk sees that one is set, not which.
    sign_out(app).await;
    let other = student(app, "hdqst2", "SCI").await;
    let card = ready(app, &desk.sci, &other).await;
    assert!(card.body.contains("définie"), "{}", card.body);
    assert!(!card.body.contains("Dans quelle ville"), "{}", card.body);
    assert!(
        !card.body.contains("value=\"clear_question\""),
        "{}",
        card.body
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_temporary_password_is_shown_once_works_nowhere_but_change_and_must_be_changed() {
    let desk = desk(WriteAs::Service).await;
    let app = &desk.app;
    let person = student(app, "hdtmp", "SCI").await;
    ready(app, &desk.sci, &person).await;
    let done = act(app, "temporary_on_screen", "Au guichet, carte vue").await;
    assert!(
        done.body.contains("Mot de passe provisoire enregistré"),
        "{}",
        done.body
    );
    let start = done.body.find("<code>").expect("shown") + "<code>".len();
    let end = done.body[start..].find("</code>").unwrap() + start;
    let password = done.body[start..end].to_owned();
    assert!(password.len() >= 10, "{password}");
    // Once only.
    let again = app.get("/helpdesk/card").await;
    assert!(!again.body.contains(&password), "shown twice");
    assert!(
        again.body.contains("à changer à la prochaine connexion"),
        "{}",
        again.body
    );
    // The old password is gone; the temporary one must be changed; Wi-Fi
    // refuses it (no NT hash).
    assert!(!app.binds(&person.dn, &person.password).await);
    let proof = app
        .directory()
        .verify_password_dn(&person.dn, &SecretString::from(password.clone()))
        .await
        .unwrap();
    assert_eq!(proof, BindProof::MustChange);
    assert_eq!(admin(app, &person.dn, "sambaNTPassword"), None);
    assert!(
        !records(app)
            .iter()
            .any(|r| r.to_string().contains(&password)),
        "no password in the trail"
    );
    let log = String::from_utf8(crate::logs::captured().lock().unwrap().clone()).unwrap();
    assert!(!log.contains(&password), "no password in the log");
    // At /change the person chooses their own.
    let mut owner = app.another_instance().await;
    owner.new_browser();
    let form = owner.get("/change").await;
    let after = owner
        .sign_in("/change", &form, &person.uid, &password)
        .await;
    assert_eq!(
        after.location().as_deref(),
        Some("/change/password"),
        "{}",
        after.body
    );
    let page = owner.get("/change/password").await;
    let done = owner
        .post_with_tokens(
            "/change/password",
            &page,
            &[
                ("current", password.as_str()),
                ("password", NEW_PASSWORD),
                ("confirm", NEW_PASSWORD),
                ("rules", "accepted"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(owner.binds(&person.dn, NEW_PASSWORD).await);
    // The owner's notice carries the password change's own link.
    let notice = app
        .smtp
        .mails_to(&person.recovery_mail)
        .into_iter()
        .find(|m| m.text_body().contains("mot de passe provisoire"))
        .expect("a notice");
    assert!(notice.text_body().contains("/not-me/"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reset_goes_to_the_person_s_own_address_and_the_agent_never_sees_it() {
    let desk = desk(WriteAs::Service).await;
    let app = &desk.app;
    let person = student(app, "hdrst", "SCI").await;
    ready(app, &desk.it, &person).await;
    let done = act(app, "send_code", "Appel, mot de passe oublié").await;
    assert!(
        done.body.contains("Code de réinitialisation envoyé"),
        "{}",
        done.body
    );
    let mails = app
        .smtp
        .wait_for_mails(&person.recovery_mail, 2, MAIL_WAIT)
        .await;
    let code_mail = mails
        .iter()
        .find(|m| m.text_body().contains("code de réinitialisation à saisir"))
        .expect("the code mail");
    let text = code_mail.text_body();
    let link = text
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1/code/link/"))
        .expect("a link");
    let code: String = text
        .lines()
        .find(|l| l.trim().len() == 11 && l.trim().chars().all(|c| c.is_ascii_digit() || c == ' '))
        .unwrap()
        .split_whitespace()
        .collect();
    assert!(!done.body.contains(&code), "the agent never sees the code");
    // The cooldown holds for the help desk too.
    let again = act(app, "send_code", "Encore").await;
    assert!(
        again.body.contains("moins d&#39;une minute"),
        "{}",
        again.body
    );
    // The person uses the link.
    let mut owner = app.another_instance().await;
    owner.new_browser();
    let page = owner.get(link.trim_start_matches("http://127.0.0.1")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
}

#[tokio::test(flavor = "multi_thread")]
async fn on_the_phone_a_code_mailed_to_the_person_verifies_the_caller() {
    let desk = desk(WriteAs::Service).await;
    let app = &desk.app;
    let person = student(app, "hdphn", "LET").await;
    signed_in(app, &desk.it).await;
    let card = open(app, &person.dn).await;
    assert!(
        card.body.contains("Vérifiez d&#39;abord l&#39;appelant"),
        "{}",
        card.body
    );
    assert!(!card.body.contains("name=\"action\""), "no action yet");
    let sent = on_card(app, "/helpdesk/phone-code", &[]).await;
    assert!(sent.body.contains("Code envoyé"), "{}", sent.body);
    let mail = app
        .smtp
        .wait_for_mail(&person.recovery_mail, MAIL_WAIT)
        .await;
    assert!(
        mail.subject().contains("votre code pour l'assistance"),
        "{}",
        mail.subject()
    );
    let code: String = mail
        .text_body()
        .lines()
        .find(|l| l.trim().len() == 11 && l.trim().chars().all(|c| c.is_ascii_digit() || c == ' '))
        .unwrap()
        .split_whitespace()
        .collect();
    assert!(!sent.body.contains(&code));
    // A wrong code is counted on the person's entry.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let page = on_card(
        app,
        "/helpdesk/verify",
        &[("method", "phone_code"), ("code", wrong)],
    )
    .await;
    assert!(
        page.body.contains("Ce code n&#39;est pas le bon"),
        "{}",
        page.body
    );
    assert!(admin(app, &person.dn, "passerelleFailureTime").is_some());
    let page = on_card(
        app,
        "/helpdesk/verify",
        &[("method", "phone_code"), ("code", &code)],
    )
    .await;
    assert!(
        page.body.contains("Appelant vérifié (Au téléphone"),
        "{}",
        page.body
    );
    assert!(page.body.contains("name=\"action\""), "{}", page.body);
    // The help desk's code never opens /code.
    let hash = admin(app, &person.dn, "passerelleCodeHash");
    assert_eq!(hash, None, "spent");
    let verified = records(app)
        .into_iter()
        .find(|r| r["outcome"] == "verified")
        .unwrap();
    assert_eq!(verified["verified_by"], "phone_code");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_identity_check_names_the_card_s_person_and_counts_like_the_public_step() {
    let desk = desk(WriteAs::Service).await;
    let app = &desk.app;
    let person = student(app, "hdidt", "SCI").await;
    let other = student(app, "hdidt2", "SCI").await;
    signed_in(app, &desk.sci).await;
    open(app, &person.dn).await;
    let verify = |identifier: String, born: &'static str| async move {
        on_card(
            app,
            "/helpdesk/verify",
            &[
                ("method", "identity"),
                ("identifier", &identifier),
                ("birth_date", born),
            ],
        )
        .await
    };
    let page = verify(other.student_number.clone(), "15/09/2001").await;
    assert!(
        page.body.contains("ne désigne pas la personne de la fiche"),
        "{}",
        page.body
    );
    let page = verify(person.student_number.clone(), "01/01/1999").await;
    assert!(
        page.body.contains("La date de naissance ne correspond pas"),
        "{}",
        page.body
    );
    assert!(
        admin(app, &person.dn, "passerelleFailureTime").is_some(),
        "counted"
    );
    let page = verify(person.student_number.clone(), "15/09/2001").await;
    assert!(
        page.body.contains("Appelant vérifié (Identifiant et date"),
        "{}",
        page.body
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_faculty_agent_cannot_reach_another_faculty_s_student_even_by_editing_the_form() {
    let desk = desk(WriteAs::Service).await;
    let app = &desk.app;
    let letters = student(app, "hdlet", "LET").await;
    lock_by_binds(app, &letters.dn).await;
    signed_in(app, &desk.sci).await;
    // Not found by a search.
    let results = search(app, &letters.uid).await;
    assert!(
        results.body.contains("Personne ne correspond"),
        "{}",
        results.body
    );
    assert!(!results.body.contains(&letters.dn));
    // Nor opened by a DN put in the form by hand.
    let page = open(app, &letters.dn).await;
    assert!(
        page.body.contains("pas dans votre périmètre"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Fiche"), "{}", page.body);
    assert!(outcomes(app, "card").contains(&"out_of_scope".to_owned()));
    assert!(
        admin(app, &letters.dn, "pwdAccountLockedTime").is_some(),
        "untouched"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_site_s_exclusions_and_entries_that_are_nobody_stay_out_of_the_widest_scope() {
    // The widest scope a site could write: the site's exclusion filter
    // (by default service accounts, `simpleSecurityObject`) and the need
    // for a login still bound it.
    let desk = desk_with(WriteAs::Service, |settings| {
        settings.helpdesk.profiles[0].scope = "(objectClass=*)".into();
    })
    .await;
    let app = &desk.app;
    let service = student(app, "hdsvc", "SCI").await;
    let nobody = format!("cn=Imprimante {},{PEOPLE_DN}", app.port);
    {
        let slapd = app.slapd.lock().unwrap();
        slapd
            .modify_ldif(&format!(
                "dn: {}\nchangetype: modify\nadd: objectClass\nobjectClass: simpleSecurityObject\n",
                service.dn
            ))
            .expect("a service account");
        slapd
            .add_ldif(&format!(
                "dn: {nobody}\nobjectClass: inetOrgPerson\ncn: Imprimante {}\nsn: Imprimante\n",
                app.port
            ))
            .expect("an entry without a login");
    }
    lock_by_binds(app, &service.dn).await;
    signed_in(app, &desk.it).await;
    // Not found by a search, nor listed.
    for query in [service.uid.as_str(), "Imprimante"] {
        let results = search(app, query).await;
        assert!(
            results.body.contains("Personne ne correspond"),
            "{query}: {}",
            results.body
        );
    }
    let list = app.get("/helpdesk/list").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(!list.body.contains(&service.uid), "{}", list.body);
    // Nor opened by a DN put in the form by hand: the service account, the
    // entry without a login, a group, the branch itself.
    for dn in [service.dn.as_str(), &nobody, SCI_GROUP, PEOPLE_DN] {
        let page = open(app, dn).await;
        assert!(
            page.body.contains("pas dans votre périmètre"),
            "{dn}: {}",
            page.body
        );
        assert!(!page.body.contains("Fiche"), "{dn}: {}", page.body);
    }
    assert_eq!(outcomes(app, "card"), ["out_of_scope"; 4]);
    assert!(
        admin(app, &service.dn, "pwdAccountLockedTime").is_some(),
        "untouched"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dn_edited_into_the_form_opens_only_someone_the_search_could_find() {
    // The search runs under `ldap.base_dn` with `ldap.person_filter`; a DN
    // typed into the form is held to the same: an account outside the base
    // (here a person-like entry under `ou=groups`, which the gateway may
    // read) and one under it that the person filter leaves out.
    let desk = desk_with(WriteAs::Service, |settings| {
        settings.ldap.person_filter = "(&(objectClass=person)(!(employeeType=robot)))".into();
    })
    .await;
    let app = &desk.app;
    let outside = format!("uid=hdadmin{},ou=groups,dc=univ-exemple,dc=fr", app.port);
    let robot = student(app, "hdrobot", "SCI").await;
    {
        let slapd = app.slapd.lock().unwrap();
        slapd
            .add_ldif(&format!(
                "dn: {outside}\nobjectClass: inetOrgPerson\nuid: hdadmin{0}\n\
                 cn: Admin {0}\nsn: Admin\n",
                app.port
            ))
            .expect("an entry outside the base");
        slapd
            .modify_ldif(&format!(
                "dn: {}\nchangetype: modify\nadd: employeeType\nemployeeType: robot\n",
                robot.dn
            ))
            .expect("left out by the person filter");
    }
    signed_in(app, &desk.it).await;
    for dn in [outside.as_str(), robot.dn.as_str()] {
        let page = open(app, dn).await;
        assert!(
            page.body.contains("pas dans votre périmètre"),
            "{dn}: {}",
            page.body
        );
        assert!(!page.body.contains("Fiche"), "{dn}: {}", page.body);
    }
    assert_eq!(outcomes(app, "card"), ["out_of_scope"; 2]);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_agent_acts_neither_on_themselves_nor_on_another_agent() {
    let desk = desk(WriteAs::Service).await;
    let app = &desk.app;
    signed_in(app, &desk.it).await;
    let page = open(app, &desk.it.dn).await;
    assert!(page.body.contains("votre propre compte"), "{}", page.body);
    let page = open(app, &desk.sci.dn).await;
    assert!(
        page.body.contains("un agent de l&#39;assistance"),
        "{}",
        page.body
    );
    // A DN spelt differently is the same entry.
    let page = open(app, &desk.it.dn.to_uppercase()).await;
    assert!(page.body.contains("votre propre compte"), "{}", page.body);
    let outcomes = outcomes(app, "card");
    assert!(outcomes.contains(&"oneself".to_owned()), "{outcomes:?}");
    assert!(
        outcomes.contains(&"target_is_agent".to_owned()),
        "{outcomes:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_action_the_profile_lacks_or_without_a_verified_caller_writes_nothing() {
    let desk = desk(WriteAs::Service).await;
    let app = &desk.app;
    let person = student(app, "hdlack", "SCI").await;
    signed_in(app, &desk.sci).await;
    open(app, &person.dn).await;
    // Not verified yet: refused.
    let page = act(app, "unlock", "essai").await;
    assert!(
        page.body.contains("Vérifiez d&#39;abord l&#39;appelant"),
        "{}",
        page.body
    );
    verify_in_person(app).await;
    // Not in the profile, posted by hand.
    let page = act(app, "clear_question", "essai").await;
    assert!(
        page.body
            .contains("Votre profil n&#39;autorise pas cette action"),
        "{}",
        page.body
    );
    assert!(admin(app, &person.dn, "passerelleQuestion").is_some());
    // No reason.
    let page = act(app, "temporary_on_screen", "").await;
    assert!(page.body.contains("Saisissez le motif"), "{}", page.body);
    assert!(app.binds(&person.dn, &person.password).await, "unchanged");
    // An action that is no action.
    let card = app.get("/helpdesk/card").await;
    let page = app
        .post_with_tokens(
            "/helpdesk/act",
            &card,
            &[("action", "drop_table"), ("reason", "essai")],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    let seen = outcomes(app, "clear_question");
    assert_eq!(seen, ["not_allowed"]);
    assert_eq!(outcomes(app, "unlock"), ["not_verified"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_agent_session_ends_when_idle_too_old_or_used_from_elsewhere() {
    let desk = desk_with(WriteAs::Service, |settings| {
        settings.helpdesk.idle_seconds = 2;
        settings.helpdesk.session_seconds = 3;
    })
    .await;
    let app = &desk.app;
    let person = student(app, "hdexp", "SCI").await;
    // Elsewhere: the same cookies from another address.
    signed_in(app, &desk.it).await;
    let elsewhere = reqwest::Client::builder()
        .cookie_provider(app.jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let moved = elsewhere
        .get(app.url("/helpdesk/desk"))
        .header("x-forwarded-for", "10.250.0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), StatusCode::SEE_OTHER);
    assert_eq!(moved.headers()["location"].to_str().unwrap(), "/helpdesk");
    assert!(outcomes(app, "login").contains(&"session_moved".to_owned()));
    // Over: the desk is a step this browser has not reached again.
    assert_eq!(app.get("/helpdesk/desk").await.status, StatusCode::CONFLICT);
    // Idle.
    signed_in(app, &desk.it).await;
    let card = open(app, &person.dn).await;
    tokio::time::sleep(std::time::Duration::from_millis(3_200)).await;
    let after = app
        .post_with_tokens(
            "/helpdesk/verify",
            &card,
            &[("method", "in_person"), ("document", "checked")],
        )
        .await;
    assert_eq!(after.status, StatusCode::BAD_REQUEST, "{}", after.body);
    assert!(outcomes(app, "desk").contains(&"refused_expired".to_owned()));
    // Too old, however active (the cookie's own limit, before the
    // domain's: see the domain's tests).
    signed_in(app, &desk.it).await;
    let mut ended = false;
    for _ in 0..6 {
        tokio::time::sleep(std::time::Duration::from_millis(900)).await;
        if app.get("/helpdesk/desk").await.status != StatusCode::OK {
            ended = true;
            break;
        }
    }
    assert!(ended, "a session outlived helpdesk.session_seconds");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_ends_once_slapd_locks_the_agent_and_only_the_button_signs_out() {
    let desk = desk(WriteAs::Service).await;
    let app = &desk.app;
    signed_in(app, &desk.it).await;
    // A GET of the sign-out address (a link, a prefetch, another site's
    // image) ends nothing: it shows the button.
    let page = app.get("/helpdesk/logout").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("action=\"/helpdesk/logout\""),
        "{}",
        page.body
    );
    assert_eq!(app.get("/helpdesk/desk").await.status, StatusCode::OK);
    assert!(outcomes(app, "logout").is_empty());
    // The button of the latest page (each page's form carries a fresh
    // one-time nonce).
    let page = app.get("/helpdesk/logout").await;
    let out = app.post_with_tokens("/helpdesk/logout", &page, &[]).await;
    assert!(
        out.body.contains("déconnecté de l&#39;assistance"),
        "{}",
        out.body
    );
    assert_eq!(outcomes(app, "logout"), ["signed_out"]);
    assert_ne!(app.get("/helpdesk/desk").await.status, StatusCode::OK);
    // slapd locks the agent (failed binds elsewhere) while a session is
    // open: its next request ends it.
    signed_in(app, &desk.sci).await;
    lock_by_binds(app, &desk.sci.dn).await;
    assert_ne!(app.get("/helpdesk/desk").await.status, StatusCode::OK);
    assert!(
        outcomes(app, "login").contains(&"session_ended".to_owned()),
        "{:?}",
        outcomes(app, "login")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_form_sent_twice_or_replayed_later_does_one_thing() {
    let desk = desk(WriteAs::Service).await;
    let app = &desk.app;
    let person = student(app, "hdtwice", "SCI").await;
    lock_by_binds(app, &person.dn).await;
    ready(app, &desk.it, &person).await;
    let card = app.get("/helpdesk/card").await;
    let fields = [("action", "unlock"), ("reason", "Double clic")];
    let (first, second) = tokio::join!(
        app.post_with_tokens("/helpdesk/act", &card, &fields),
        app.post_with_tokens("/helpdesk/act", &card, &fields),
    );
    // Both land on the card (Post/Redirect/Get); one unlock.
    assert_eq!(location(&first), "/helpdesk/card");
    assert_eq!(location(&second), "/helpdesk/card");
    assert_eq!(outcomes(app, "unlock"), ["unlocked", "owner_mailed"]);
    // Replayed later: led to the same page, nothing done again.
    lock_by_binds(app, &person.dn).await;
    let replayed = app.post_with_tokens("/helpdesk/act", &card, &fields).await;
    assert_eq!(location(&replayed), "/helpdesk/card");
    assert!(
        admin(app, &person.dn, "pwdAccountLockedTime").is_some(),
        "not again"
    );
    assert_eq!(outcomes(app, "unlock"), ["unlocked", "owner_mailed"]);
    let mails = app.smtp.mails_to(&person.recovery_mail);
    assert_eq!(mails.len(), 1, "the owner is told once");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_action_posted_by_another_site_s_page_does_nothing() {
    let desk = desk(WriteAs::Service).await;
    let app = &desk.app;
    let person = student(app, "hdxsite", "SCI").await;
    lock_by_binds(app, &person.dn).await;
    ready(app, &desk.it, &person).await;
    let card = app.get("/helpdesk/card").await;
    // The agent's own cookie, token and nonce: only the origin is wrong.
    let fields = [
        ("csrf", card.csrf()),
        ("nonce", card.nonce()),
        ("action", "unlock".to_owned()),
        ("reason", "Forgé".to_owned()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = app
        .post_form_headers(
            "/helpdesk/act",
            &[("origin", "https://evil.example")],
            &fields,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert!(
        admin(app, &person.dn, "pwdAccountLockedTime").is_some(),
        "still locked"
    );
    assert!(outcomes(app, "unlock").is_empty());
    assert!(outcomes(app, "desk").contains(&"refused_cross_site".to_owned()));
    // The same form from the desk's own page (its nonce unspent) unlocks.
    let done = app.post_form_headers("/helpdesk/act", &[], &fields).await;
    assert_eq!(location(&done), "/helpdesk/card");
    assert_eq!(admin(app, &person.dn, "pwdAccountLockedTime"), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_search_with_filter_metacharacters_finds_only_itself() {
    let desk = desk(WriteAs::Service).await;
    let app = &desk.app;
    let person = student(app, "hdmeta", "SCI").await;
    signed_in(app, &desk.it).await;
    let found = search(app, "Essai").await;
    assert!(found.body.contains(&person.uid), "{}", found.body);
    for query in ["*)(uid=*", "Ess*", "*", "(|(uid=*))", "\\2a", "E\u{0}"] {
        let page = search(app, query).await;
        assert!(!page.body.contains(&person.uid), "{query}: {}", page.body);
    }
    let searched: Vec<String> = records(app)
        .into_iter()
        .filter(|r| r["outcome"] == "searched")
        .map(|r| r["query"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(searched.contains(&"*)(uid=*".to_owned()), "{searched:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_search_shows_at_most_max_results_and_asks_for_more_precision() {
    let desk = desk_with(WriteAs::Service, |settings| {
        settings.helpdesk.max_results = 2;
    })
    .await;
    let app = &desk.app;
    for prefix in ["hdmax", "hdmay", "hdmaz"] {
        student(app, prefix, "SCI").await;
    }
    signed_in(app, &desk.it).await;
    let page = search(app, "Essai").await;
    assert_eq!(
        page.body.matches("action=\"/helpdesk/open\"").count(),
        2,
        "{}",
        page.body
    );
    assert!(page.body.contains("précisez la recherche"), "{}", page.body);
    // One precise enough: no such notice.
    let one = student(app, "hdmaw", "SCI").await;
    let page = search(app, &one.uid).await;
    assert_eq!(page.body.matches("action=\"/helpdesk/open\"").count(), 1);
    assert!(
        !page.body.contains("précisez la recherche"),
        "{}",
        page.body
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_list_shows_the_scope_s_frozen_and_locked_accounts() {
    let desk = desk(WriteAs::Service).await;
    let app = &desk.app;
    let locked = student(app, "hdlst", "SCI").await;
    let letters = student(app, "hdlst2", "LET").await;
    let plain = student(app, "hdlst3", "SCI").await;
    lock_by_binds(app, &locked.dn).await;
    lock_by_binds(app, &letters.dn).await;
    signed_in(app, &desk.sci).await;
    let list = app.get("/helpdesk/list").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(list.body.contains(&locked.uid), "{}", list.body);
    assert!(!list.body.contains(&letters.uid), "another faculty's");
    assert!(!list.body.contains(&plain.uid), "not locked");
    assert!(outcomes(app, "list_stopped").contains(&"listed".to_owned()));
}

#[tokio::test(flavor = "multi_thread")]
async fn as_the_agent_the_write_runs_with_the_agent_s_rights() {
    let desk = desk(WriteAs::Agent).await;
    let app = &desk.app;
    let person = student(app, "hdprx", "SCI").await;
    lock_by_binds(app, &person.dn).await;
    ready(app, &desk.sci, &person).await;
    let done = act(app, "unlock", "Appel").await;
    assert!(done.body.contains("Compte débloqué"), "{}", done.body);
    assert_eq!(admin(app, &person.dn, "pwdAccountLockedTime"), None);
    assert_eq!(admin(app, &person.dn, "pwdFailureTime"), None);
    assert!(app.binds(&person.dn, &person.password).await, "unlocked");
    // slapd records who it decided the write for.
    assert_eq!(
        admin(app, &person.dn, "modifiersName").map(|d| d.to_lowercase()),
        Some(desk.sci.dn.to_lowercase())
    );
    let done = act(app, "temporary_on_screen", "Au guichet").await;
    assert!(done.body.contains("<code>"), "{}", done.body);
    assert_eq!(
        admin(app, &person.dn, "modifiersName").map(|d| d.to_lowercase()),
        Some(desk.sci.dn.to_lowercase())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn as_the_agent_an_acl_that_forbids_a_branch_refuses_and_the_page_says_so() {
    // The gateway's profile lets the science desk act on every student;
    // the directory's H0 rule gives it the science students only.
    let desk = desk_with(WriteAs::Agent, |settings| {
        settings.helpdesk.profiles[1].scope = "(eduPersonAffiliation=student)".into();
    })
    .await;
    let app = &desk.app;
    let letters = student(app, "hdacl", "LET").await;
    lock_by_binds(app, &letters.dn).await;
    let card = ready(app, &desk.sci, &letters).await;
    assert!(
        card.body.contains("value=\"unlock\""),
        "the gateway allows it"
    );
    let refused = act(app, "unlock", "Appel").await;
    assert!(
        refused
            .body
            .contains("L&#39;annuaire a refusé cette action avec vos droits"),
        "{}",
        refused.body
    );
    assert!(
        admin(app, &letters.dn, "pwdAccountLockedTime").is_some(),
        "nothing written"
    );
    assert_eq!(outcomes(app, "unlock"), ["forbidden_by_directory"]);
    assert!(
        app.smtp.mails_to(&letters.recovery_mail).is_empty(),
        "nobody told of nothing"
    );
    // A branch the site closes to the IT desk too: a rule before H1.
    let vip = "ou=vip,ou=people,dc=univ-exemple,dc=fr";
    let uid = format!("hdvip{}", app.port);
    let ldif = person_ldif(
        &uid,
        &TestPerson {
            student_number: Some(format!("V{}", app.port)),
            recovery_mail: Some(format!("{uid}@perso.example.org")),
            ..TestPerson::default()
        },
    )
    .replace(
        &format!("uid={uid},{PEOPLE_DN}"),
        &format!("uid={uid},{vip}"),
    );
    {
        let slapd = app.slapd.lock().unwrap();
        slapd
            .add_ldif(&format!(
                "dn: {vip}\nobjectClass: organizationalUnit\nou: vip\n\n{ldif}"
            ))
            .unwrap();
        slapd
            .modify_config_ldif(&format!(
                "dn: olcDatabase={{1}}mdb,cn=config\nchangetype: modify\nadd: olcAccess\n\
                 olcAccess: {{1}}to dn.subtree=\"{vip}\" attrs=passerelleFrozenTime,passerelleFrozenReason \
                 by group/groupOfNames/member.exact=\"{IT_GROUP}\" none by * break\n"
            ))
            .unwrap();
        slapd
            .modify_ldif(&format!(
                "dn: uid={uid},{vip}\nchangetype: modify\nadd: objectClass\nobjectClass: passerelleAccount\n-\nreplace: passerelleFrozenTime\npasserelleFrozenTime: 20260301100000Z\n"
            ))
            .unwrap();
    }
    sign_out(app).await;
    let vip_dn = format!("uid={uid},{vip}");
    signed_in(app, &desk.it).await;
    open(app, &vip_dn).await;
    verify_in_person(app).await;
    let refused = act(app, "unfreeze", "Appel").await;
    assert!(
        refused
            .body
            .contains("L&#39;annuaire a refusé cette action avec vos droits"),
        "{}",
        refused.body
    );
    assert!(admin(app, &vip_dn, "passerelleFrozenTime").is_some());
}

/// No agent is found by another agent's search, however it is typed, read
/// against slapd's groups (one read of each group per search).
#[tokio::test(flavor = "multi_thread")]
async fn another_agent_is_never_found_by_a_search() {
    let desk = desk(WriteAs::Service).await;
    let app = &desk.app;
    signed_in(app, &desk.it).await;
    for query in ["Guichetagsci", desk.sci.uid.as_str()] {
        let found = search(app, query).await;
        // The results carry each person's DN (the search box echoes the
        // query, so the login alone would be there anyway).
        assert!(
            !found.body.contains(&desk.sci.dn),
            "{query}: an agent found:\n{}",
            found.body
        );
    }
    // A student is found as before.
    let someone = student(app, "stu", "sciences").await;
    let found = search(app, &someone.uid).await;
    assert!(found.body.contains(&someone.dn), "{}", found.body);
}
