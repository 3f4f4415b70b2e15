//! Directory states self-service must respect (issue 19, §2), against the
//! real slapd: accounts closed or not open yet (`pwdEndTime`,
//! `shadowExpire`, `pwdStartTime`, set by the rootdn) get the answer of any
//! account that may not use self-service, with nothing written; a policy
//! with `pwdSafeModify` gets the current password in the write (with the NT
//! hash, in one modify) where the person typed it, and a reset is told why
//! it cannot; a login renamed with its former value kept is mailed as the
//! RDN's; a person without any address is never promised a mail.

use crate::app;
use crate::web_code::ask_code;

use app::{spawn_app_with, Page, Person, TestApp, MAIL_WAIT, NEW_PASSWORD};
use passerelle::directory::nthash::nt_hash;
use passerelle::slapd::PEOPLE_DN;
use reqwest::StatusCode;
use secrecy::SecretString;
use std::collections::HashMap;
use std::time::Duration;

const QUESTION: &str = "Dans quelle ville êtes-vous né(e) ?";

fn as_rootdn(app: &TestApp, ldif: &str) {
    app.slapd
        .lock()
        .expect("slapd")
        .modify_ldif(ldif)
        .unwrap_or_else(|e| panic!("{e:#}\n{ldif}"));
}

/// Everything the rootdn sees of the entry, operational attributes too
/// (`entryCSN`, `modifyTimestamp`): any write shows.
fn whole_entry(app: &TestApp, dn: &str) -> HashMap<String, Vec<String>> {
    app.admin_view(dn, &["*", "+"])
}

fn first(app: &TestApp, dn: &str, attr: &str) -> Option<String> {
    app.admin_view(dn, &[attr])
        .into_iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(attr))
        .and_then(|(_, v)| v.into_iter().next())
}

/// The audit outcomes recorded for `person` (by DN or login), in order,
/// as `step/outcome`.
fn outcomes_of(app: &TestApp, person: &Person) -> Vec<String> {
    let (dn, login) = (
        format!("\"dn\":\"{}\"", person.dn),
        format!("\"login\":\"{}\"", person.uid),
    );
    app.audit_text()
        .lines()
        .filter(|line| line.contains(&dn) || line.contains(&login))
        .filter_map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).ok()?;
            Some(format!(
                "{}/{}",
                value["step"].as_str()?,
                value["outcome"].as_str()?
            ))
        })
        .collect()
}

/// A page with what differs between two people and two requests blanked:
/// every form's per-request tokens and what was typed.
fn comparable(page: &Page, typed: &[&str]) -> String {
    let mut body = page.body.clone();
    for name in ["csrf", "nonce"] {
        let marker = format!("name=\"{name}\" value=\"");
        let mut from = 0;
        while let Some(found) = body[from..].find(&marker) {
            let start = from + found + marker.len();
            let len = body[start..].find('"').unwrap_or(0);
            body.replace_range(start..start + len, "…");
            from = start;
        }
    }
    for value in typed {
        body = body.replace(value, "…");
    }
    body
}

/// Waits (bounded) until `person` has `count` audit outcomes ending in
/// `/outcome` (the mail steps are audited off the request path).
async fn audited_as(app: &TestApp, person: &Person, outcome: &str, count: usize) -> Vec<String> {
    let deadline = std::time::Instant::now() + MAIL_WAIT;
    loop {
        let found: Vec<String> = outcomes_of(app, person)
            .into_iter()
            .filter(|o| o.ends_with(&format!("/{outcome}")))
            .collect();
        if found.len() >= count || std::time::Instant::now() > deadline {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// How self-service is stopped, as IT or the calendar sets it (`replace:`
/// lines of a modify by the rootdn), and the audit outcome it gives.
const STOPS: [(&str, &str, &str); 4] = [
    (
        "IT's lock",
        "replace: pwdAccountLockedTime\npwdAccountLockedTime: 000001010000Z",
        "locked_by_it",
    ),
    (
        "pwdEndTime passed",
        "replace: pwdEndTime\npwdEndTime: 20200101000000Z",
        "account_closed",
    ),
    (
        "shadowExpire reached",
        "replace: shadowExpire\nshadowExpire: 19000",
        "account_closed",
    ),
    (
        "pwdStartTime to come",
        "replace: pwdStartTime\npwdStartTime: 20990101000000Z",
        "account_not_open_yet",
    ),
];

/// The three answers a stopped person gets, made comparable: the identity
/// step of `/recover`, the code request of `/code`, the sign-in of
/// `/change`.
async fn answers_of(app: &mut TestApp, person: &Person) -> [String; 3] {
    app.new_browser();
    let form = app.recover_start().await;
    let recovered = app
        .recover_identity(&form, &person.student_number, &person.birth_date)
        .await;
    assert_eq!(recovered.status, StatusCode::OK, "{}", recovered.body);
    app.new_browser();
    let verify = ask_code(app, &person.recovery_mail).await;
    app.new_browser();
    let form = app.get("/change").await;
    let changed = app
        .sign_in("/change", &form, &person.uid, &person.password)
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let typed = [
        person.student_number.as_str(),
        person.recovery_mail.as_str(),
        person.uid.as_str(),
    ];
    [
        comparable(&recovered, &typed),
        comparable(&verify, &typed),
        comparable(&changed, &typed),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn closed_and_not_yet_open_accounts_get_the_stopped_answer_everywhere_and_nothing_is_written()
{
    let mut app = spawn_app_with(|settings| settings.flows.code = true).await;
    let mut reference: Option<[String; 3]> = None;
    for (why, stop, audited) in STOPS {
        let person = app.add_person("closed", Some(QUESTION)).await;
        as_rootdn(
            &app,
            &format!("dn: {}\nchangetype: modify\n{stop}\n", person.dn),
        );
        let before = whole_entry(&app, &person.dn);
        let answers = answers_of(&mut app, &person).await;
        match &reference {
            // IT's lock: the answer of an account that may not use
            // self-service, which the others must give alike.
            None => {
                assert!(
                    answers[0].contains("ne permettent pas de vous identifier"),
                    "{}",
                    answers[0]
                );
                assert!(
                    answers[1].contains("Si un compte correspond"),
                    "{}",
                    answers[1]
                );
                reference = Some(answers);
            }
            Some(reference) => {
                for (flow, (got, want)) in ["/recover", "/code", "/change"]
                    .iter()
                    .zip(answers.iter().zip(reference.iter()))
                {
                    assert_eq!(
                        got, want,
                        "{why}: {flow} answers otherwise than for IT's lock"
                    );
                }
            }
        }
        assert_eq!(
            whole_entry(&app, &person.dn),
            before,
            "{why}: the entry was written"
        );
        let mut audited_here = audited_as(&app, &person, audited, 3).await;
        audited_here.sort();
        assert_eq!(
            audited_here,
            [
                format!("identity/{audited}"),
                format!("login/{audited}"),
                format!("send_code/{audited}"),
            ],
            "{why}: {:?}",
            outcomes_of(&app, &person)
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(
            app.smtp.mails_to(&person.recovery_mail).is_empty(),
            "{why}: a code was mailed"
        );
    }
}

/// A flow proved while the account was open, closed before the password
/// is posted: nothing written, the stopped page.
#[tokio::test(flavor = "multi_thread")]
async fn an_account_closed_after_the_proof_gets_no_password() {
    let app = spawn_app_with(|_| {}).await;
    for (why, stop, audited) in &STOPS[1..] {
        let person = app.add_person("closing", Some(QUESTION)).await;
        let form = app.recover_until_password(&person).await;
        as_rootdn(
            &app,
            &format!("dn: {}\nchangetype: modify\n{stop}\n", person.dn),
        );
        let before = whole_entry(&app, &person.dn);
        let page = app
            .recover_password(&form, NEW_PASSWORD, NEW_PASSWORD, true)
            .await;
        assert!(
            page.body
                .contains("Libre-service indisponible pour ce compte"),
            "{why}: {}",
            page.body
        );
        assert_eq!(whole_entry(&app, &person.dn), before, "{why}");
        assert!(
            outcomes_of(&app, &person).contains(&format!("password/{audited}")),
            "{why}"
        );
    }
}

/// A policy with `pwdSafeModify: TRUE`, as a site writes it, and a person
/// under it.
fn under_safe_modify(app: &TestApp, person: &Person) {
    let policy = "cn=safe,ou=policies,dc=univ-exemple,dc=fr";
    let slapd = app.slapd.lock().expect("slapd");
    let exists = !slapd
        .search_as_admin(policy, "(objectClass=pwdPolicy)", &["cn"])
        .unwrap_or_default()
        .is_empty();
    if !exists {
        slapd
            .add_ldif(&format!(
                "dn: {policy}\nobjectClass: organizationalRole\nobjectClass: pwdPolicy\ncn: safe\npwdAttribute: userPassword\npwdInHistory: 3\npwdCheckQuality: 1\npwdMinLength: 6\npwdMaxLength: 64\npwdAllowUserChange: TRUE\npwdSafeModify: TRUE\n"
            ))
            .expect("add the policy");
    }
    slapd
        .modify_ldif(&format!(
            "dn: {}\nchangetype: modify\nreplace: pwdPolicySubentry\npwdPolicySubentry: {policy}\n",
            person.dn
        ))
        .expect("the person under it");
}

#[tokio::test(flavor = "multi_thread")]
async fn under_safe_modify_change_and_account_carry_the_current_password_with_the_nt_hash() {
    let mut app = spawn_app_with(|_| {}).await;
    let person = app.add_person("safe", Some(QUESTION)).await;
    under_safe_modify(&app, &person);

    // /change: the current password typed again goes into the write.
    let form = app.get("/change").await;
    let after = app
        .sign_in("/change", &form, &person.uid, &person.password)
        .await;
    assert_eq!(after.location().as_deref(), Some("/change/password"));
    let form = app.get("/change/password").await;
    assert!(form.body.contains("name=\"current\""), "{}", form.body);
    let done = app
        .post_with_tokens(
            "/change/password",
            &form,
            &[
                ("current", &person.password),
                ("password", NEW_PASSWORD),
                ("confirm", NEW_PASSWORD),
                ("rules", "accepted"),
            ],
        )
        .await;
    assert!(done.body.contains("Voilà"), "{}", done.body);
    assert!(app.binds(&person.dn, NEW_PASSWORD).await);
    assert!(!app.binds(&person.dn, &person.password).await);
    assert_eq!(
        first(&app, &person.dn, "sambaNTPassword"),
        Some(nt_hash(&SecretString::from(NEW_PASSWORD)))
    );

    // /account: its page asks for the current password under this policy
    // (and only under it), proves it again, and writes it in.
    app.new_browser();
    let form = app.get("/account").await;
    let after = app
        .sign_in("/account", &form, &person.uid, NEW_PASSWORD)
        .await;
    assert_eq!(after.location().as_deref(), Some("/account/menu"));
    let form = app.get("/account/password").await;
    assert!(form.body.contains("name=\"current\""), "{}", form.body);
    let before = app.password_state(&person.dn);
    let next = "Troisieme-Chemin-2026!";
    let again = app
        .post_with_tokens(
            "/account/password",
            &form,
            &[("password", next), ("confirm", next), ("rules", "accepted")],
        )
        .await;
    assert!(
        again.body.contains("Saisissez votre mot de passe actuel."),
        "{}",
        again.body
    );
    assert!(again.body.contains("name=\"current\""));
    assert_eq!(app.password_state(&person.dn), before, "nothing written");
    let done = app
        .post_with_tokens(
            "/account/password",
            &again,
            &[
                ("current", NEW_PASSWORD),
                ("password", next),
                ("confirm", next),
                ("rules", "accepted"),
            ],
        )
        .await;
    assert!(done.body.contains("Voilà"), "{}", done.body);
    assert!(app.binds(&person.dn, next).await);
    assert!(!app.binds(&person.dn, NEW_PASSWORD).await);
    assert_eq!(
        first(&app, &person.dn, "sambaNTPassword"),
        Some(nt_hash(&SecretString::from(next)))
    );
    assert_eq!(
        outcomes_of(&app, &person)
            .iter()
            .filter(|o| *o == "password/changed")
            .count(),
        2
    );

    // Without pwdSafeModify, /account asks for the current password all
    // the same (a session is not enough to replace it).
    let plain = app.add_person("plain", Some(QUESTION)).await;
    app.new_browser();
    let form = app.get("/account").await;
    app.sign_in("/account", &form, &plain.uid, &plain.password)
        .await;
    let form = app.get("/account/password").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("name=\"current\""), "{}", form.body);
}

#[tokio::test(flavor = "multi_thread")]
async fn under_safe_modify_a_reset_writes_nothing_and_says_why() {
    let app = spawn_app_with(|_| {}).await;
    let person = app.add_person("safereset", Some(QUESTION)).await;
    under_safe_modify(&app, &person);
    let form = app.recover_until_password(&person).await;
    let before = whole_entry(&app, &person.dn);
    let page = app
        .recover_password(&form, NEW_PASSWORD, NEW_PASSWORD, true)
        .await;
    for said in [
        "Changement impossible ici",
        "L&#39;annuaire exige votre mot de passe actuel",
        "Gérer mon compte",
    ] {
        assert!(page.body.contains(said), "{said}: {}", page.body);
    }
    assert!(!page.body.contains("Voilà"));
    assert_eq!(whole_entry(&app, &person.dn), before, "nothing written");
    assert!(app.binds(&person.dn, &person.password).await);
    assert!(outcomes_of(&app, &person).contains(&"password/old_password_required".to_owned()));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_login_renamed_with_its_former_value_kept_is_mailed_as_the_rdn_s() {
    let app = spawn_app_with(|_| {}).await;
    let person = app.add_person("renamed", Some(QUESTION)).await;
    // The new login sorts after the former one, which the directory also
    // returns first: only the RDN rule gives it.
    let new_uid = person.uid.replace("renamed", "zzmoved");
    as_rootdn(
        &app,
        &format!(
            "dn: {}\nchangetype: modrdn\nnewrdn: uid={new_uid}\ndeleteoldrdn: 0\n",
            person.dn
        ),
    );
    let dn = format!("uid={new_uid},{PEOPLE_DN}");
    let uids = app
        .admin_view(&dn, &["uid"])
        .remove("uid")
        .unwrap_or_default();
    assert_eq!(uids, [person.uid.clone(), new_uid.clone()]);

    // The login reminder.
    let form = app.identifier_start().await;
    app.identifier_submit(&form, &person.student_number, &person.birth_date)
        .await;
    let reminder = app
        .smtp
        .wait_for_mail(&person.recovery_mail, MAIL_WAIT)
        .await
        .text_body();
    assert!(reminder.contains(&new_uid), "{reminder}");
    assert!(!reminder.contains(&person.uid), "{reminder}");

    // The confirmation mail of a reset.
    let form = app.recover_until_password(&person).await;
    let done = app
        .recover_password(&form, NEW_PASSWORD, NEW_PASSWORD, true)
        .await;
    assert!(done.body.contains("Voilà"), "{}", done.body);
    let mails = app
        .smtp
        .wait_for_mails(&person.recovery_mail, 2, MAIL_WAIT)
        .await;
    let confirmation = mails[1].text_body();
    assert!(confirmation.contains(&new_uid), "{confirmation}");
    assert!(!confirmation.contains(&person.uid), "{confirmation}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_person_without_any_address_is_not_promised_a_mail_and_requests_look_like_anyone_s() {
    let mut app = spawn_app_with(|settings| {
        settings.flows.code = true;
        settings.flows.temporary = true;
    })
    .await;
    let person = app.add_person("nomail", Some(QUESTION)).await;
    as_rootdn(
        &app,
        &format!(
            "dn: {}\nchangetype: modify\ndelete: supannMailPerso\n-\ndelete: mail\n",
            person.dn
        ),
    );
    let institutional = format!("{}@univ-exemple.fr", person.uid);

    // Requests that could tell who has an address: the same page as for
    // an identifier that is nobody's.
    let nobody = "E0000000";
    for flow in ["code", "temporary"] {
        let mut pages = Vec::new();
        for typed in [person.student_number.as_str(), nobody] {
            app.new_browser();
            let form = app.get(&format!("/{flow}")).await;
            let answer = app
                .post_form(
                    &format!("/{flow}"),
                    &[
                        ("csrf", &form.csrf()),
                        ("nonce", &form.nonce()),
                        ("identifier", typed),
                        ("captcha", &app.captcha_answer(flow)),
                    ],
                )
                .await;
            let page = match answer.location() {
                Some(to) => app.get(&to).await,
                None => answer,
            };
            assert_eq!(page.status, StatusCode::OK, "{flow}: {}", page.body);
            pages.push(comparable(&page, &[typed]));
        }
        assert_eq!(pages[0], pages[1], "{flow}: the address-less person shows");
    }

    // Once proved, an honest success page.
    let form = app.recover_until_password(&person).await;
    let done = app
        .recover_password(&form, NEW_PASSWORD, NEW_PASSWORD, true)
        .await;
    assert!(
        done.body
            .contains("Aucun mail de confirmation n&#39;a pu être envoyé"),
        "{}",
        done.body
    );
    assert!(!done.body.contains("vous recevrez également un mail"));
    assert!(app.binds(&person.dn, NEW_PASSWORD).await);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(app.smtp.mails_to(&person.recovery_mail).is_empty());
    assert!(app.smtp.mails_to(&institutional).is_empty());
}
