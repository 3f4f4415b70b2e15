//! The mailer against a real SMTP conversation: every mail kind in both
//! languages reaches the relay with the right subject, recipient, text and
//! HTML parts; a greylisting relay gets the mail on a later attempt; the
//! file transport writes a mail a client can open; `check_relay` tells an
//! operator whether the relay answers.

use crate::smtp;

use chrono::{DateTime, FixedOffset};
use passerelle::mail::{
    Delivery, Lang, MailBranding, MailError, MailKind, MailSettings, MailTransportKind, Mailer,
    OutgoingMail, SmtpSecurity,
};
use secrecy::SecretString;
use sha2::Digest as _;
use smtp::{CapturedMail, SinkOptions, SinkTls, SmtpSink, TestCa};

use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

fn branding() -> MailBranding {
    MailBranding {
        site_name: "Sésame".into(),
        help_contact: "assistance@univ-exemple.fr".into(),
        time_zone: chrono_tz::Europe::Paris,
    }
}

fn relay_settings(port: u16) -> MailSettings {
    MailSettings {
        transport: MailTransportKind::Smtp,
        from: "Sésame <no-reply@univ-exemple.fr>".into(),
        host: "127.0.0.1".into(),
        port: Some(port),
        security: SmtpSecurity::None,
        timeout_seconds: 5,
        max_attempts: Some(5),
        retry_base_seconds: 0.05,
        ..MailSettings::default()
    }
}

fn noon_in_paris() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-23T12:43:00+01:00").unwrap()
}

fn password_changed() -> MailKind {
    MailKind::PasswordChanged {
        login: "cserve".into(),
        when: noon_in_paris(),
        from_address: "192.0.2.10".parse().unwrap(),
        services: vec!["Wi-Fi eduroam".into(), "Impression (PaperCut)".into()],
        not_me_url: None,
        not_me_days: 7,
    }
}

fn reset_code() -> MailKind {
    MailKind::ResetCode {
        code: SecretString::from("238392"),
        valid_for: Duration::from_secs(24 * 3600),
        link: SecretString::from("https://sesame.univ-exemple.fr/code/verify?proof=abc&step=2"),
    }
}

fn temporary_password() -> MailKind {
    MailKind::TemporaryPassword {
        login: "cserve".into(),
        password: SecretString::from("Tq7-mWz4-Kp9x"),
        valid_for: Duration::from_secs(24 * 3600),
        change_url: "https://sesame.univ-exemple.fr/change".into(),
    }
}

/// What a person must find in each mail, per kind and language:
/// (subject, phrases of the text part, phrases of the HTML part).
fn expectations(kind: &str, lang: Lang) -> (&'static str, Vec<&'static str>, Vec<&'static str>) {
    match (kind, lang) {
        ("password_changed", Lang::Fr) => (
            "Sésame : votre mot de passe a été modifié",
            vec![
                "Bonjour Camille Serve,",
                "Le mot de passe de votre compte cserve a été modifié",
                "le 23/11/2026 à 12:43 (UTC+01:00), depuis l'adresse IP 192.0.2.10.",
                "  - Wi-Fi eduroam\n  - Impression (PaperCut)",
                "contactez sans attendre assistance@univ-exemple.fr",
            ],
            vec![
                "<li>Wi-Fi eduroam</li>",
                "192.0.2.10",
                "assistance@univ-exemple.fr",
            ],
        ),
        ("password_changed", Lang::En) => (
            "Sésame: your password was changed",
            vec![
                "Hello Camille Serve,",
                "The password of your account cserve was changed",
                "on 2026-11-23 at 12:43 (UTC+01:00), from the IP address 192.0.2.10.",
                "  - Wi-Fi eduroam",
                "contact assistance@univ-exemple.fr without delay",
            ],
            vec![
                "<li>Impression (PaperCut)</li>",
                "<html lang=\"en\" dir=\"ltr\">",
            ],
        ),
        ("identifier_reminder", Lang::Fr) => (
            "Sésame : votre identifiant",
            vec!["Votre identifiant : cserve", "services de Sésame"],
            vec!["cserve</strong>", "<html lang=\"fr\" dir=\"ltr\">"],
        ),
        ("identifier_reminder", Lang::En) => (
            "Sésame: your login",
            vec!["Your login: cserve"],
            vec!["cserve</strong>"],
        ),
        ("reset_code", Lang::Fr) => (
            "Sésame : réinitialisation de votre mot de passe",
            vec![
                "voici le code de réinitialisation à saisir :\n\n    2 3 8 3 9 2\n",
                "Ce code est à usage unique. Il expirera au bout de 24 heures.",
                "https://sesame.univ-exemple.fr/code/verify?proof=abc&step=2",
            ],
            vec![
                "2 3 8 3 9 2",
                "href=\"https://sesame.univ-exemple.fr/code/verify?proof=abc&#38;step=2\"",
                "Réinitialiser mon mot de passe</a>",
            ],
        ),
        ("reset_code", Lang::En) => (
            "Sésame: resetting your password",
            vec![
                "    2 3 8 3 9 2\n",
                "This code can be used once only. It will expire in 24 hours.",
            ],
            vec!["Reset my password</a>"],
        ),
        ("temporary_password", Lang::Fr) => (
            "Sésame : votre mot de passe provisoire",
            vec![
                "Identifiant : cserve",
                "Mot de passe provisoire : Tq7-mWz4-Kp9x",
                "Il est valable 24 heures.",
                "Ce mot de passe est à modifier lors de votre première connexion.",
                "https://sesame.univ-exemple.fr/change",
            ],
            vec![
                "Tq7-mWz4-Kp9x",
                "href=\"https://sesame.univ-exemple.fr/change\"",
                "Ce mot de passe est à modifier lors de votre première connexion.",
            ],
        ),
        ("temporary_password", Lang::En) => (
            "Sésame: your temporary password",
            vec![
                "Temporary password: Tq7-mWz4-Kp9x",
                "It is valid for 24 hours.",
                "You must change this password when you first sign in.",
            ],
            vec!["Choose my new password</a>"],
        ),
        other => panic!("no expectations for {other:?}"),
    }
}

fn assert_is_a_proper_automatic_mail(mail: &CapturedMail, to: &str, lang: Lang) {
    assert_eq!(mail.rcpt_to, vec![to.to_owned()]);
    assert_eq!(mail.mail_from, "no-reply@univ-exemple.fr");
    assert_eq!(mail.to_header_address().as_deref(), Some(to));
    assert_eq!(mail.content_type(), "multipart/alternative");
    assert_eq!(
        mail.header("Auto-Submitted").as_deref(),
        Some("auto-generated")
    );
    assert_eq!(
        mail.header("Content-Language").as_deref(),
        Some(lang.code())
    );
    let message_id = mail.header("Message-ID").expect("a Message-ID");
    assert!(
        message_id.starts_with('<') && message_id.ends_with("@univ-exemple.fr>"),
        "{message_id}"
    );
    assert!(mail.header("Date").is_some(), "a Date header");
}

#[tokio::test]
async fn every_mail_kind_reaches_the_relay_in_french_and_in_english() {
    let sink = SmtpSink::start().await;
    let mailer = Mailer::build(&relay_settings(sink.port()), branding()).unwrap();
    let kinds = [
        password_changed(),
        MailKind::IdentifierReminder {
            login: "cserve".into(),
        },
        reset_code(),
        temporary_password(),
    ];
    let mut sent = Vec::new();
    for kind in kinds {
        for lang in [Lang::Fr, Lang::En] {
            let to = format!("{}.{}@example.org", kind.template_name(), lang.code());
            sent.push((to.clone(), kind.template_name(), lang));
            mailer.send(OutgoingMail::new(to, lang, kind.clone()).with_name("Camille Serve"));
        }
    }
    for (to, template, lang) in sent {
        let mail = sink.wait_for_mail(&to, WAIT).await;
        assert_is_a_proper_automatic_mail(&mail, &to, lang);
        let (subject, text_phrases, html_phrases) = expectations(template, lang);
        assert_eq!(mail.subject(), subject, "{template} {lang:?}");
        let text = mail.text_body();
        for phrase in text_phrases {
            assert!(
                text.contains(phrase),
                "{template} {lang:?}: {phrase:?} not in\n{text}"
            );
        }
        let html = mail.html_body();
        for phrase in html_phrases {
            assert!(
                html.contains(phrase),
                "{template} {lang:?}: {phrase:?} not in\n{html}"
            );
        }
        assert!(html.contains("Sésame"), "the site's name is in every mail");
        assert!(text.contains("Sésame"), "the site's name is in every mail");
    }
    assert_eq!(sink.mails().len(), 8);
}

#[tokio::test]
async fn a_code_never_shows_in_the_subject() {
    let sink = SmtpSink::start().await;
    let mailer = Mailer::build(&relay_settings(sink.port()), branding()).unwrap();
    mailer.send(OutgoingMail::new(
        "code@example.org",
        Lang::Fr,
        reset_code(),
    ));
    mailer.send(OutgoingMail::new(
        "temp@example.org",
        Lang::Fr,
        temporary_password(),
    ));
    let code = sink.wait_for_mail("code@example.org", WAIT).await;
    let temp = sink.wait_for_mail("temp@example.org", WAIT).await;
    assert!(!code.subject().contains("238392") && !code.subject().contains("2 3 8"));
    assert!(!temp.subject().contains("Tq7-mWz4-Kp9x"));
}

#[tokio::test]
async fn the_html_part_shows_a_hostile_name_as_text() {
    let sink = SmtpSink::start().await;
    let mailer = Mailer::build(&relay_settings(sink.port()), branding()).unwrap();
    let name = "<script>alert('x')</script>";
    mailer.send(
        OutgoingMail::new(
            "hostile@example.org",
            Lang::Fr,
            MailKind::IdentifierReminder {
                login: "<b>cserve</b>".into(),
            },
        )
        .with_name(name),
    );
    let mail = sink.wait_for_mail("hostile@example.org", WAIT).await;
    let html = mail.html_body();
    assert!(!html.contains("<script>"), "{html}");
    assert!(!html.contains("<b>cserve"), "{html}");
    assert!(html.contains("&#60;script&#62;"), "{html}");
    // The text part is not HTML: the name reads as typed.
    assert!(mail
        .text_body()
        .contains("Bonjour <script>alert('x')</script>,"));
    // And the header carries it encoded, not as a second address.
    assert_eq!(mail.to_header_name().as_deref(), Some(name));
    assert_eq!(mail.rcpt_to, vec!["hostile@example.org".to_owned()]);
}

#[tokio::test]
async fn a_relay_that_defers_twice_gets_the_mail_on_the_third_attempt() {
    let sink = SmtpSink::start_refusing(2).await;
    let mailer = Mailer::build(&relay_settings(sink.port()), branding()).unwrap();
    mailer.send(OutgoingMail::new(
        "greylisted@example.org",
        Lang::Fr,
        password_changed(),
    ));
    let mail = sink.wait_for_mail("greylisted@example.org", WAIT).await;
    assert_eq!(sink.refused(), 2);
    assert_eq!(mail.subject(), "Sésame : votre mot de passe a été modifié");
    assert!(mailer.flush(WAIT).await);
    assert_eq!(
        sink.mails_to("greylisted@example.org").len(),
        1,
        "sent once, not once per attempt"
    );
}

#[tokio::test]
async fn a_mail_is_given_up_after_the_last_attempt() {
    let sink = SmtpSink::start_refusing(100).await;
    let settings = MailSettings {
        max_attempts: Some(3),
        ..relay_settings(sink.port())
    };
    let mailer = Mailer::build(&settings, branding()).unwrap();
    mailer.send(OutgoingMail::new(
        "never@example.org",
        Lang::Fr,
        password_changed(),
    ));
    assert!(mailer.flush(WAIT).await, "the mailer stops trying");
    assert_eq!(sink.refused(), 3);
    assert!(sink.mails().is_empty());
}

#[tokio::test]
async fn send_returns_at_once_even_when_the_relay_is_down() {
    let port = closed_port().await;
    let settings = MailSettings {
        retry_base_seconds: 60.0,
        ..relay_settings(port)
    };
    let mailer = Mailer::build(&settings, branding()).unwrap();
    let started = std::time::Instant::now();
    for i in 0..50 {
        mailer.send(OutgoingMail::new(
            format!("p{i}@example.org"),
            Lang::Fr,
            password_changed(),
        ));
    }
    assert!(
        started.elapsed() < Duration::from_millis(200),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(mailer.pending(), 50);
}

#[tokio::test]
async fn a_full_queue_drops_new_mail_instead_of_growing() {
    let port = closed_port().await;
    let settings = MailSettings {
        retry_base_seconds: 60.0,
        queue_capacity: 3,
        ..relay_settings(port)
    };
    let mailer = Mailer::build(&settings, branding()).unwrap();
    for i in 0..10 {
        mailer.send(OutgoingMail::new(
            format!("q{i}@example.org"),
            Lang::Fr,
            password_changed(),
        ));
    }
    assert_eq!(mailer.pending(), 3);
}

#[tokio::test]
async fn the_file_transport_writes_a_mail_a_client_can_open() {
    let outbox = tempfile::tempdir().unwrap();
    let settings = MailSettings {
        transport: MailTransportKind::File,
        directory: outbox.path().join("outbox"),
        ..MailSettings::default()
    };
    let mailer = Mailer::build(&settings, branding()).unwrap();
    let mail = OutgoingMail::new("demo@example.org", Lang::Fr, temporary_password());
    let Delivery::Written(path) = mailer.send_now(&mail).await.unwrap() else {
        panic!("the file transport writes a file");
    };
    assert_eq!(path.extension().and_then(|e| e.to_str()), Some("eml"));
    let captured = CapturedMail {
        mail_from: String::new(),
        rcpt_to: vec!["demo@example.org".into()],
        data: std::fs::read(&path).unwrap(),
    };
    assert_eq!(captured.subject(), "Sésame : votre mot de passe provisoire");
    assert_eq!(
        captured.to_header_address().as_deref(),
        Some("demo@example.org")
    );
    assert!(captured
        .text_body()
        .contains("Mot de passe provisoire : Tq7-mWz4-Kp9x"));
    assert!(captured.html_body().contains("Tq7-mWz4-Kp9x"));

    // Through the queue as well.
    mailer.send(OutgoingMail::new(
        "queued@example.org",
        Lang::En,
        reset_code(),
    ));
    assert!(mailer.flush(WAIT).await);
    let files = std::fs::read_dir(outbox.path().join("outbox"))
        .unwrap()
        .count();
    assert_eq!(files, 2);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(outbox.path().join("outbox"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the outbox holds secrets: owner only");
    }
}

#[tokio::test]
async fn check_relay_succeeds_against_a_relay_that_answers() {
    let sink = SmtpSink::start().await;
    let mailer = Mailer::build(&relay_settings(sink.port()), branding()).unwrap();
    mailer.check_relay().await.unwrap();
    assert_eq!(sink.connections(), 1);
    assert!(sink.mails().is_empty());
}

#[tokio::test]
async fn check_relay_on_a_closed_port_names_the_relay_and_the_cause() {
    let port = closed_port().await;
    let mailer = Mailer::build(&relay_settings(port), branding()).unwrap();
    let error = format!("{:#}", mailer.check_relay().await.unwrap_err());
    assert!(
        error.contains(&format!(
            "cannot reach the mail relay 127.0.0.1:{port} (none)"
        )),
        "{error}"
    );
    assert!(error.to_lowercase().contains("refused"), "{error}");
}

#[tokio::test]
async fn starttls_is_required_not_opportunistic() {
    // The sink offers no STARTTLS: a relay that stops offering it (or a
    // man in the middle that strips it) must not receive codes in clear.
    let sink = SmtpSink::start().await;
    let settings = MailSettings {
        security: SmtpSecurity::Starttls,
        ..relay_settings(sink.port())
    };
    let mailer = Mailer::build(&settings, branding()).unwrap();
    assert!(mailer.check_relay().await.is_err());
    let mail = OutgoingMail::new("clear@example.org", Lang::Fr, reset_code());
    assert!(mailer.send_now(&mail).await.is_err());
    assert!(sink.mails().is_empty());
}

#[tokio::test]
async fn tls_with_the_site_ca_delivers_the_mail_encrypted() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::create(dir.path());
    let sink = SmtpSink::start_with(SinkOptions {
        tls: SinkTls::Implicit(ca.acceptor.clone()),
        ..SinkOptions::default()
    })
    .await;
    let settings = MailSettings {
        security: SmtpSecurity::Tls,
        ca_file: Some(ca.ca_file.clone()),
        ..relay_settings(sink.port())
    };
    let mailer = Mailer::build(&settings, branding()).unwrap();
    mailer.check_relay().await.unwrap();
    mailer.send(OutgoingMail::new("tls@example.org", Lang::Fr, reset_code()));
    let mail = sink.wait_for_mail("tls@example.org", WAIT).await;
    assert!(mail.text_body().contains("2 3 8 3 9 2"));
    assert_eq!(sink.mails_in_clear(), 0);
}

#[tokio::test]
async fn starttls_with_a_password_file_authenticates_then_delivers() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::create(dir.path());
    let sink = SmtpSink::start_with(SinkOptions {
        tls: SinkTls::Starttls(ca.acceptor.clone()),
        credentials: Some(("passerelle".into(), "relay-secret".into())),
        ..SinkOptions::default()
    })
    .await;
    let password_file = dir.path().join("smtp-password");
    std::fs::write(&password_file, "relay-secret\n").unwrap();
    let settings = MailSettings {
        security: SmtpSecurity::Starttls,
        ca_file: Some(ca.ca_file.clone()),
        username: Some("passerelle".into()),
        password_file: Some(password_file),
        ..relay_settings(sink.port())
    };
    let mailer = Mailer::build(&settings, branding()).unwrap();
    mailer.send(OutgoingMail::new(
        "auth@example.org",
        Lang::En,
        temporary_password(),
    ));
    let mail = sink.wait_for_mail("auth@example.org", WAIT).await;
    assert_eq!(mail.subject(), "Sésame: your temporary password");
    assert_eq!(sink.authenticated(), vec!["passerelle".to_owned()]);
    assert_eq!(sink.mails_in_clear(), 0);
}

#[tokio::test]
async fn a_wrong_relay_password_is_a_clear_error_not_a_retry_loop() {
    let sink = SmtpSink::start_with(SinkOptions {
        credentials: Some(("passerelle".into(), "relay-secret".into())),
        ..SinkOptions::default()
    })
    .await;
    let settings = MailSettings {
        // Plain SMTP with a password is allowed towards this host only.
        username: Some("passerelle".into()),
        password: Some(SecretString::from("wrong")),
        ..relay_settings(sink.port())
    };
    let mailer = Mailer::build(&settings, branding()).unwrap();
    let error = format!("{:#}", mailer.check_relay().await.unwrap_err());
    assert!(error.contains("535"), "{error}");
    assert!(
        !error.contains("wrong"),
        "the password is not repeated: {error}"
    );
}

#[tokio::test]
async fn a_relay_certificate_from_an_unknown_ca_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::create(dir.path());
    let sink = SmtpSink::start_with(SinkOptions {
        tls: SinkTls::Implicit(ca.acceptor.clone()),
        ..SinkOptions::default()
    })
    .await;
    let settings = MailSettings {
        security: SmtpSecurity::Tls,
        ca_file: None,
        ..relay_settings(sink.port())
    };
    let mailer = Mailer::build(&settings, branding()).unwrap();
    let error = format!("{:#}", mailer.check_relay().await.unwrap_err());
    assert!(
        error.contains("cannot reach the mail relay 127.0.0.1:"),
        "{error}"
    );
    assert!(error.to_lowercase().contains("certificate"), "{error}");
    let mail = OutgoingMail::new("mitm@example.org", Lang::Fr, reset_code());
    assert!(mailer.send_now(&mail).await.is_err());
    assert!(sink.mails().is_empty());
}

#[tokio::test]
async fn a_malformed_recipient_is_refused_by_send_now_and_dropped_by_send() {
    let sink = SmtpSink::start().await;
    let mailer = Mailer::build(&relay_settings(sink.port()), branding()).unwrap();
    let bad = OutgoingMail::new("not an address", Lang::Fr, password_changed());
    assert!(mailer.send_now(&bad).await.is_err());
    mailer.send(bad);
    assert!(mailer.flush(WAIT).await);
    assert!(sink.mails().is_empty());
}

#[tokio::test]
async fn logs_name_the_template_but_never_the_address_nor_the_code() {
    let logs = crate::logs::captured();
    let sink = SmtpSink::start_refusing(1).await;
    let mailer = Mailer::build(&relay_settings(sink.port()), branding()).unwrap();
    let address = "Secret.Person@example.org";
    mailer.send(OutgoingMail::new(address, Lang::Fr, reset_code()));
    sink.wait_for_mail(address, WAIT).await;
    assert!(mailer.flush(WAIT).await);

    // The documented way for an operator to find an address's lines.
    let hash = hex::encode(&sha2::Sha256::digest(address.to_lowercase().as_bytes())[..6]);
    // The whole binary's log (JSON lines, shared by every test).
    let logged = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    let ours: Vec<&str> = logged.lines().filter(|l| l.contains(&hash)).collect();
    assert!(
        ours.iter()
            .any(|l| l.contains("mail attempt failed, will retry")
                && l.contains("\"template\":\"reset_code\"")
                && l.contains("(451)")),
        "{logged}"
    );
    assert!(ours.iter().any(|l| l.contains("mail sent")), "{logged}");
    // Nothing this test sent leaks: no address, no code, no link.
    assert!(
        !logged.to_lowercase().contains("secret.person@"),
        "{logged}"
    );
    assert!(
        !logged.contains("238392") && !logged.contains("2 3 8 3 9 2"),
        "{logged}"
    );
    assert!(!logged.contains("proof=abc"), "{logged}");
    assert!(!logged.contains("Tq7-mWz4-Kp9x"), "{logged}");
}

#[tokio::test]
async fn the_french_confirmation_reads_as_expected() {
    let sink = SmtpSink::start().await;
    let mailer = Mailer::build(&relay_settings(sink.port()), branding()).unwrap();
    let now = chrono::Local::now().fixed_offset();
    mailer.send(
        OutgoingMail::new(
            "snapshot@example.org",
            Lang::Fr,
            MailKind::PasswordChanged {
                login: "cserve".into(),
                when: now,
                from_address: "2001:db8::7".parse().unwrap(),
                services: vec!["Wi-Fi eduroam".into(), "CAS".into()],
                not_me_url: None,
                not_me_days: 7,
            },
        )
        .with_name("Camille Serve"),
    );
    let mail = sink.wait_for_mail("snapshot@example.org", WAIT).await;
    // Shown in the site's time zone, whatever the machine's.
    let local = now.with_timezone(&chrono_tz::Europe::Paris);
    let stamp = format!(
        "{} (UTC{})",
        local.format("%d/%m/%Y à %H:%M"),
        local.format("%:z")
    );
    let text = mail.text_body().replace(&stamp, "[DATE]");
    let expected = "\
Bonjour Camille Serve,

Le mot de passe de votre compte cserve a été modifié le [DATE], depuis l'adresse IP 2001:db8::7.

Le nouveau mot de passe est dès maintenant celui de :
  - Wi-Fi eduroam
  - CAS

Si vous êtes à l'origine de cette modification, vous n'avez rien à faire.

Si ce n'est pas vous, quelqu'un d'autre connaît peut-être votre mot de passe :
contactez sans attendre assistance@univ-exemple.fr.

-- 
Sésame
Ce message a été envoyé automatiquement, merci de ne pas y répondre.
Besoin d'aide ? Contactez assistance@univ-exemple.fr.";
    assert_eq!(text.trim_end(), expected);
}

#[tokio::test]
async fn mails_one_after_another_share_one_connection_and_wait_for_no_acknowledgement() {
    let sink = SmtpSink::start().await;
    let mailer = Mailer::build(&relay_settings(sink.port()), branding()).unwrap();
    let started = std::time::Instant::now();
    for i in 0..20 {
        let mail = OutgoingMail::new(format!("seq{i}@example.org"), Lang::Fr, password_changed());
        let receipt = mailer
            .send_prepared(mailer.prepare(mail).unwrap())
            .await
            .unwrap();
        assert_eq!(receipt.outcome().await.unwrap(), Delivery::Relayed);
    }
    let took = started.elapsed();
    assert_eq!(sink.mails().len(), 20);
    assert_eq!(sink.connections(), 1, "one connection carried them all");
    // lettre alone waited for the relay's delayed acknowledgement of each
    // body (Nagle's algorithm): 40 ms a mail, 800 ms for these.
    assert!(took < Duration::from_millis(400), "{took:?}");
}

/// Issue 25: lettre alone left Nagle's algorithm on, and each mail waited
/// for the relay's delayed acknowledgement of its body: about 42 ms a mail
/// even on loopback. Measured one mail after another over the real SMTP
/// conversation, from the mail handed over to the relay's 250: without a
/// spool (the relay's part alone, asserted), then as `serve` sends, each
/// mail written and synced to the spool before it is accepted and its
/// file removed with a synced directory after the 250 (the disk's part,
/// which a busy shared disk stretches: printed).
#[tokio::test]
async fn a_mail_reaches_a_relay_on_loopback_in_a_few_milliseconds() {
    /// Median and maximum of (accepted, accepted to told relayed) over 40
    /// mails after the first (which opens the connection).
    async fn measure(mailer: &Mailer, sink: &SmtpSink) -> [(Duration, Duration); 2] {
        let mut accepted = Vec::new();
        let mut relayed = Vec::new();
        for i in 0..41 {
            let mail = OutgoingMail::new(format!("fast{i}@example.org"), Lang::Fr, reset_code());
            let prepared = mailer.prepare(mail).unwrap();
            let started = std::time::Instant::now();
            let receipt = mailer.send_prepared(prepared).await.unwrap();
            let on_its_way = std::time::Instant::now();
            assert_eq!(receipt.outcome().await.unwrap(), Delivery::Relayed);
            if i > 0 {
                accepted.push(on_its_way - started);
                relayed.push(on_its_way.elapsed());
            }
        }
        assert_eq!(sink.mails().len(), 41);
        [accepted, relayed].map(|mut times| {
            times.sort();
            (times[times.len() / 2], times[times.len() - 1])
        })
    }

    let sink = SmtpSink::start().await;
    let mailer = Mailer::build(&relay_settings(sink.port()), branding()).unwrap();
    let [_, (relayed, relayed_max)] = measure(&mailer, &sink).await;
    eprintln!("per mail without a spool, median (max): {relayed:?} ({relayed_max:?})");
    assert!(
        relayed < Duration::from_millis(10),
        "a mail reached the relay in {relayed:?} (the median): Nagle's 40 ms are back"
    );

    let sink = SmtpSink::start().await;
    let dir = tempfile::tempdir().unwrap();
    let settings = MailSettings {
        spool_directory: dir.path().join("spool"),
        ..relay_settings(sink.port())
    };
    let key = passerelle::mail::SpoolKey::derive(&SecretString::from("k".repeat(40)));
    let mailer = Mailer::build_spooled(&settings, branding(), key).unwrap();
    let [(accepted, accepted_max), (relayed, relayed_max)] = measure(&mailer, &sink).await;
    eprintln!(
        "per mail with the spool, median (max): accepted (on disk) {accepted:?} \
         ({accepted_max:?}), then relayed and its file removed {relayed:?} ({relayed_max:?})"
    );
}

#[tokio::test]
async fn a_kept_connection_the_relay_closed_is_replaced_without_delaying_the_mail() {
    let sink = SmtpSink::start_with(SinkOptions {
        close_after_each_mail: true,
        ..SinkOptions::default()
    })
    .await;
    // A retry would wait a minute: the mail must go at once on a fresh one.
    let settings = MailSettings {
        retry_base_seconds: 60.0,
        ..relay_settings(sink.port())
    };
    let mailer = Mailer::build(&settings, branding()).unwrap();
    for i in 0..3 {
        let mail = OutgoingMail::new(format!("kept{i}@example.org"), Lang::Fr, reset_code());
        let receipt = mailer
            .send_prepared(mailer.prepare(mail).unwrap())
            .await
            .unwrap();
        let outcome = tokio::time::timeout(WAIT, receipt.outcome()).await;
        assert_eq!(outcome.expect("no retry wait").unwrap(), Delivery::Relayed);
    }
    assert_eq!(sink.mails().len(), 3);
    assert_eq!(sink.connections(), 3);
}

#[tokio::test]
async fn a_mail_the_relay_never_takes_is_given_up_at_its_age_and_leaves_the_spool() {
    use passerelle_metrics::Observed as _;
    let sink = SmtpSink::start_refusing(10_000).await;
    let dir = tempfile::tempdir().unwrap();
    let settings = MailSettings {
        give_up_after_seconds: 1,
        max_attempts: None,
        spool_directory: dir.path().join("spool"),
        ..relay_settings(sink.port())
    };
    let key = passerelle::mail::SpoolKey::derive(&SecretString::from("k".repeat(40)));
    let mailer = Mailer::build_spooled(&settings, branding(), key).unwrap();
    let mut registry = prometheus_client::registry::Registry::with_prefix("passerelle");
    mailer.register_metrics(&mut registry);
    let scrape = || {
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &registry).unwrap();
        text
    };
    assert!(
        scrape().contains("passerelle_mail_spool_depth 0"),
        "{}",
        scrape()
    );
    assert!(scrape().contains("passerelle_mail_spool_oldest_seconds 0"));
    let mail = OutgoingMail::new("never@example.org", Lang::Fr, reset_code());
    let receipt = mailer
        .send_prepared(mailer.prepare(mail).unwrap())
        .await
        .unwrap();
    // On disk when accepted.
    let records = || {
        std::fs::read_dir(dir.path().join("spool"))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "rec")
            })
            .count()
    };
    assert_eq!(records(), 1);
    assert!(
        scrape().contains("passerelle_mail_spool_depth 1"),
        "{}",
        scrape()
    );
    let outcome = tokio::time::timeout(WAIT, receipt.outcome()).await.unwrap();
    assert!(
        matches!(outcome, Err(MailError::Relay { .. })),
        "{outcome:?}"
    );
    assert!(
        sink.refused() >= 3,
        "retried until its age: {}",
        sink.refused()
    );
    assert_eq!(records(), 0, "a mail given up leaves the spool");
    assert!(scrape().contains("passerelle_mail_spool_depth 0"));
    assert!(sink.mails().is_empty());
}

/// A port nothing listens on: bound, then released.
async fn closed_port() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    port
}
