//! Password expiry notices (`passerelle notify-expiring`) against the real
//! slapd and SMTP conversation, with the CAF Partenaires' six-month
//! validity as the directory's `pwdMaxAge`: a person five days from expiry
//! gets the 7-day notice with the « Gérer mon compte » link, once; the
//! 1-day notice comes on the last day; an expired password and a policy
//! without `pwdMaxAge` get nothing.

use crate::app;
use crate::directory_support::StateOps;

use app::{spawn_app, TestApp, MAIL_WAIT};
use chrono::{Duration, Utc};
use passerelle::assemble::notify_expiring;
use passerelle::mail::{MailBranding, Mailer};

const SIX_MONTHS_SECONDS: i64 = 180 * 86_400;

fn set_max_age(app: &TestApp, seconds: i64) {
    app.slapd
        .lock()
        .unwrap()
        .modify_ldif(&format!(
            "dn: cn=default,ou=policies,dc=univ-exemple,dc=fr\nchangetype: modify\nreplace: pwdMaxAge\npwdMaxAge: {seconds}\n"
        ))
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn each_threshold_is_mailed_once_with_the_account_link() {
    let app = spawn_app().await;
    let person = app.add_person("expiring", None).await;
    // A password the person chose, as the gateway writes it.
    let directory = app.directory();
    let entry = directory.read_person(&person.dn).await.unwrap().unwrap();
    directory
        .write_password(
            &entry,
            &secrecy::SecretString::from(app::NEW_PASSWORD),
            passerelle::directory::WriteKind::Chosen,
        )
        .await
        .unwrap();
    let view = app.admin_view(&person.dn, &["pwdChangedTime"]);
    let changed = view
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("pwdChangedTime"))
        .and_then(|(_, v)| v.first().cloned())
        .expect("the write records pwdChangedTime");
    let changed = passerelle::directory::parse_generalized_time(&changed).unwrap();
    let mailer = Mailer::build(&app.settings.mail, MailBranding::from(&app.settings.site)).unwrap();
    let run = |now| {
        let (settings, mailer) = (app.settings.clone(), mailer.clone());
        async move {
            notify_expiring(&settings, &app::test_secrets(), &mailer, now)
                .await
                .unwrap()
        }
    };

    // No pwdMaxAge (the bootstrap's default policy): nothing expires.
    let report = run(changed + Duration::days(175)).await;
    assert_eq!(report.mailed, 0, "{report:?}");

    set_max_age(&app, SIX_MONTHS_SECONDS);
    let five_days_before = changed + Duration::days(175) + Duration::hours(1);
    let report = run(five_days_before).await;
    assert_eq!(report.mailed, 1, "{report:?}");
    let mail = app
        .smtp
        .wait_for_mail(&person.recovery_mail, MAIL_WAIT)
        .await;
    assert!(
        mail.subject().contains("expire dans 5 jours"),
        "{}",
        mail.subject()
    );
    let text = mail.text_body();
    assert!(
        text.contains(&format!("{}/account", app.settings.server.public_url)),
        "{text}"
    );
    assert!(text.contains(&person.uid), "{text}");
    let notice = app.admin_view(&person.dn, &["passerelleExpiryNotice"]);
    assert!(
        notice.values().flatten().any(|v| v.ends_with(" 7")),
        "{notice:?}"
    );

    // The same threshold again, a day later: already sent.
    let report = run(five_days_before + Duration::days(1)).await;
    assert_eq!((report.mailed, report.already_sent), (0, 1), "{report:?}");

    // The last day: the 1-day notice.
    let report = run(changed + Duration::days(180) - Duration::hours(3)).await;
    assert_eq!(report.mailed, 1, "{report:?}");
    mailer.flush(MAIL_WAIT).await;
    let mails = app.smtp.mails_to(&person.recovery_mail);
    assert_eq!(mails.len(), 2);
    assert!(
        mails[1].subject().contains("expire dans 1 jour"),
        "{}",
        mails[1].subject()
    );

    // Expired: nothing more.
    let report = run(changed + Duration::days(181)).await;
    assert_eq!(report.mailed, 0, "{report:?}");
    assert!(
        Utc::now() < changed + Duration::days(1),
        "ran against the real clock"
    );
}
