//! Mails that cannot crash, and values made safe where they enter (issue 14
//! item 1), against a real SMTP conversation and a real slapd: a display
//! name with a line break, a lone CR or LF, a Unicode line separator or
//! 10 kB of text reaches the relay as one clean `To:` line with no injected
//! header; such mails never leak a queue slot; a mail that cannot be built
//! is refused before anything depends on it; the caller learns each
//! mail's outcome. And times in the site's time zone (issue 9 item 7).

use crate::smtp;

use base64::Engine as _;
use chrono::{DateTime, TimeZone, Utc};
use figment::providers::Format as _;
use passerelle::config::{LdapSettings, Settings, SiteSettings};
use passerelle::directory::{Directory, EntryPerson, Person};
use passerelle::mail::{
    render, Delivery, Lang, MailBranding, MailError, MailKind, MailSettings, MailTransportKind,
    Mailer, OutgoingMail, SmtpSecurity,
};
use passerelle::slapd::{person_ldif, Slapd, TestPerson, PEOPLE_DN, SERVICE_DN, SERVICE_PASSWORD};
use secrecy::SecretString;
use smtp::{CapturedMail, SmtpSink};
use std::collections::HashMap;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(10);

/// What a hostile entry puts in its name: every way to break a line.
const HOSTILE_NAMES: [&str; 4] = [
    "Eve Martin\r\nBcc: x@example.net",
    "Eve Martin\rBcc: x@example.net",
    "Eve Martin\nBcc: x@example.net",
    "Eve Martin\u{2028}Bcc: x@example.net",
];

fn branding() -> MailBranding {
    MailBranding::from(&SiteSettings {
        name: "Sésame".into(),
        help_contact: "assistance@univ-exemple.fr".into(),
        ..SiteSettings::default()
    })
}

fn relay_settings(port: u16) -> MailSettings {
    MailSettings {
        transport: MailTransportKind::Smtp,
        from: "Sésame <no-reply@univ-exemple.fr>".into(),
        host: "127.0.0.1".into(),
        port: Some(port),
        security: SmtpSecurity::None,
        timeout_seconds: 5,
        max_attempts: Some(3),
        retry_base_seconds: 0.05,
        ..MailSettings::default()
    }
}

fn reminder(to: &str, name: &str) -> OutgoingMail {
    OutgoingMail::new(
        to,
        Lang::Fr,
        MailKind::IdentifierReminder {
            login: "emartin".into(),
        },
    )
    .with_name(name)
}

/// The header section of a captured mail, as the relay got it.
fn raw_headers(mail: &CapturedMail) -> String {
    let data = String::from_utf8_lossy(&mail.data);
    data.split("\r\n\r\n").next().unwrap_or_default().to_owned()
}

/// What a person's mail client would show wrong with this mail, if
/// anything: a header nobody wrote, a second recipient, a broken name.
fn assert_sane(mail: &CapturedMail, to: &str) {
    assert_eq!(mail.rcpt_to, vec![to.to_owned()], "one envelope recipient");
    let headers = raw_headers(mail);
    for line in headers.split("\r\n") {
        assert!(
            !line.to_ascii_lowercase().starts_with("bcc:"),
            "injected header: {headers}"
        );
        // Every line is a header or the folded continuation of one.
        assert!(
            line.starts_with([' ', '\t']) || line.contains(':'),
            "a line that is no header: {line:?} in {headers}"
        );
    }
    assert_eq!(mail.to_header_address().as_deref(), Some(to));
    let name = mail.to_header_name().unwrap_or_default();
    assert!(
        !name.chars().any(|c| c.is_control() || c == '\u{2028}'),
        "{name:?}"
    );
    assert!(mail.text_body().contains("emartin"));
}

#[tokio::test]
async fn names_with_line_breaks_reach_the_relay_as_one_clean_line() {
    let sink = SmtpSink::start().await;
    let mailer = Mailer::build(&relay_settings(sink.port()), branding()).unwrap();
    for (i, name) in HOSTILE_NAMES.iter().enumerate() {
        let to = format!("eve{i}@example.org");
        let prepared = mailer.prepare(reminder(&to, name)).expect("composed");
        let receipt = mailer.send_prepared(prepared).await.expect("queued");
        assert_eq!(receipt.outcome().await.unwrap(), Delivery::Relayed);
        let mail = sink.wait_for_mail(&to, WAIT).await;
        assert_sane(&mail, &to);
        assert_eq!(
            mail.to_header_name().as_deref(),
            Some("Eve Martin Bcc: x@example.net"),
            "{name:?}"
        );
        // The greeting is one line too.
        assert!(
            mail.text_body()
                .contains("Bonjour Eve Martin Bcc: x@example.net,"),
            "{}",
            mail.text_body()
        );
    }
    assert!(sink.mails_to("x@example.net").is_empty());
    assert!(mailer.flush(WAIT).await);
}

#[tokio::test]
async fn a_ten_kilobyte_name_is_cut_and_the_mail_still_arrives() {
    let sink = SmtpSink::start().await;
    let mailer = Mailer::build(&relay_settings(sink.port()), branding()).unwrap();
    let name = format!("Eve {}\r\nBcc: x@example.net", "Martin ".repeat(1500));
    assert!(name.len() > 10_000);
    mailer.send(reminder("long@example.org", &name));
    let mail = sink.wait_for_mail("long@example.org", WAIT).await;
    assert_sane(&mail, "long@example.org");
    let shown = mail.to_header_name().unwrap_or_default();
    assert!(shown.starts_with("Eve Martin Martin"), "{shown}");
    assert!(shown.chars().count() <= passerelle::safe_text::MAX_NAME_CHARS);
    assert!(mailer.flush(WAIT).await);
}

#[tokio::test]
async fn hostile_mails_never_leak_a_queue_slot() {
    let sink = SmtpSink::start().await;
    let settings = MailSettings {
        queue_capacity: 3,
        ..relay_settings(sink.port())
    };
    let mailer = Mailer::build(&settings, branding()).unwrap();
    for i in 0..10 {
        let name = HOSTILE_NAMES[i % HOSTILE_NAMES.len()];
        mailer.send(reminder(&format!("h{i}@example.org"), name));
        // Before the fix each of these left its slot taken for good: the
        // fourth waited forever and every later mail was dropped.
        let started = Instant::now();
        assert!(mailer.flush(WAIT).await, "mail {i} still pending");
        assert!(started.elapsed() < Duration::from_secs(5));
    }
    assert_eq!(mailer.pending(), 0);
    mailer.send(reminder("normal@example.org", "Camille Serve"));
    let mail = sink.wait_for_mail("normal@example.org", WAIT).await;
    assert_eq!(mail.to_header_name().as_deref(), Some("Camille Serve"));
    assert_eq!(sink.mails().len(), 11, "every hostile mail arrived too");
    let started = Instant::now();
    assert!(mailer.flush(WAIT).await);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "flush is prompt"
    );
}

#[tokio::test]
async fn a_mail_that_cannot_be_sent_is_refused_before_anything_depends_on_it() {
    let sink = SmtpSink::start().await;
    let mailer = Mailer::build(&relay_settings(sink.port()), branding()).unwrap();
    for bad in [
        "eve@example.org\r\nBcc: x@example.net",
        "eve@example.org\n",
        "not an address",
        "",
    ] {
        let refused = mailer.prepare(reminder(bad, "Eve"));
        assert!(
            matches!(refused, Err(MailError::InvalidRecipient)),
            "{bad:?}: {refused:?}"
        );
    }
    // Nothing was queued, nothing is waited for, nothing arrived.
    assert_eq!(mailer.pending(), 0);
    assert!(mailer.flush(Duration::from_millis(100)).await);
    assert!(sink.mails().is_empty());
}

#[tokio::test]
async fn the_caller_learns_that_a_mail_was_given_up() {
    // A relay that defers every attempt: the mailer gives up after
    // `max_attempts`, and the receipt says so (the flow audits mail_failed).
    let sink = SmtpSink::start_refusing(100).await;
    let settings = MailSettings {
        max_attempts: Some(2),
        ..relay_settings(sink.port())
    };
    let mailer = Mailer::build(&settings, branding()).unwrap();
    let prepared = mailer
        .prepare(reminder("deferred@example.org", "Camille"))
        .unwrap();
    let receipt = mailer.send_prepared(prepared).await.unwrap();
    let outcome = tokio::time::timeout(WAIT, receipt.outcome()).await.unwrap();
    assert!(
        matches!(outcome, Err(MailError::Relay { .. })),
        "{outcome:?}"
    );
    assert!(mailer.flush(WAIT).await, "the given-up mail left the queue");
}

#[tokio::test]
async fn a_full_queue_is_reported_to_the_caller() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let settings = MailSettings {
        queue_capacity: 1,
        retry_base_seconds: 60.0,
        ..relay_settings(port)
    };
    let mailer = Mailer::build(&settings, branding()).unwrap();
    let first = mailer.prepare(reminder("a@example.org", "A")).unwrap();
    let _receipt = mailer.send_prepared(first).await.unwrap();
    let second = mailer.prepare(reminder("b@example.org", "B")).unwrap();
    assert!(matches!(
        mailer.send_prepared(second).await,
        Err(MailError::QueueFull)
    ));
    assert_eq!(mailer.pending(), 1, "the refused mail holds no slot");
}

// ------------------------------------------------------ values that enter

fn entry(pairs: &[(&str, &[&str])]) -> HashMap<String, Vec<String>> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
        .collect()
}

fn is_one_safe_line(value: &str) -> bool {
    !value.is_empty()
        && !passerelle::safe_text::has_unsafe_chars(value)
        && value.trim() == value
        && !value.contains("  ")
}

#[test]
fn hostile_directory_values_come_out_of_a_person_safe() {
    let settings = LdapSettings {
        recovery_mail_attributes: vec!["supannMailPerso".into()],
        ..LdapSettings::default()
    };
    let long = "x".repeat(10_000);
    let person = Person::from_entry(
        "uid=emartin,ou=people,dc=univ-exemple,dc=fr".into(),
        entry(&[
            ("uid", &["emartin\r\n"]),
            ("displayName", &["Eve\u{202E}nitraM\r\nBcc: x@example.net"]),
            ("givenName", &["Eve\u{2028}"]),
            ("sn", &[long.as_str()]),
            (
                "supannMailPerso",
                &[
                    "eve@example.org\r\nBcc: x@example.net",
                    "not an address",
                    "eve.martin@example.org",
                ],
            ),
            ("mail", &["emartin@univ-exemple.fr\n"]),
            ("passerelleQuestion", &["Ville ?\u{0}\u{1b}[2J"]),
        ]),
        &settings,
    );
    assert_eq!(person.login, "emartin");
    assert_eq!(person.display_name, "EvenitraM Bcc: x@example.net");
    assert_eq!(person.given_name.as_deref(), Some("Eve"));
    let sn = person.sn.clone().unwrap_or_default();
    assert_eq!(sn.chars().count(), passerelle::safe_text::MAX_NAME_CHARS);
    for value in [&person.login, &person.display_name, &sn]
        .into_iter()
        .chain(&person.name_values)
    {
        assert!(is_one_safe_line(value), "{value:?}");
    }
    // Only the clean address remains a recipient; the institutional one
    // with a line break is not used at all.
    assert_eq!(person.recovery_mails, vec!["eve.martin@example.org"]);
    assert_eq!(person.institutional_mail, None);
    assert_eq!(person.state.question.as_deref(), Some("Ville ? [2J"));
}

/// A throwaway slapd from `config/ldap` and the gateway's view of it.
/// (`support/directory_support.rs` is not included: it and `smtp.rs` both
/// bring in `tls.rs`, which clippy refuses twice.)
async fn slapd_and_directory() -> (Slapd, Directory) {
    let slapd = tokio::task::spawn_blocking(|| Slapd::start(passerelle::slapd::People::Empty))
        .await
        .expect("join")
        .expect("slapd starts");
    let settings = LdapSettings {
        urls: vec![slapd.url()],
        bind_dn: SERVICE_DN.into(),
        base_dn: PEOPLE_DN.into(),
        recovery_mail_attributes: vec!["supannMailPerso".into()],
        timeout_seconds: 3,
        pool_size: 2,
        ..LdapSettings::default()
    };
    let directory =
        Directory::new(&settings, SecretString::from(SERVICE_PASSWORD)).expect("directory");
    (slapd, directory)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_entry_in_slapd_is_read_safe_and_mailed_cleanly() {
    let (slapd, directory) = slapd_and_directory().await;
    let uid = "hostile1";
    let b64 = |v: &str| base64::engine::general_purpose::STANDARD.encode(v);
    // Written as the rootdn, as an import or a careless tool could.
    let mut ldif = person_ldif(
        uid,
        &TestPerson {
            given_name: "Eve\r\nBcc: x@example.net".into(),
            sn: "Martin\u{2028}".into(),
            recovery_mail: Some("eve@example.org\r\nBcc: x@example.net".into()),
            ..TestPerson::default()
        },
    );
    ldif.push_str(&format!(
        "displayName:: {}\n",
        b64("Eve Martin\r\nBcc: x@example.net")
    ));
    slapd.add_ldif(&ldif).expect("the rootdn writes the entry");
    let person = directory
        .find_person_by_input(uid)
        .await
        .expect("search")
        .expect("found");
    assert_eq!(person.display_name, "Eve Martin Bcc: x@example.net");
    assert_eq!(person.given_name.as_deref(), Some("Eve Bcc: x@example.net"));
    assert_eq!(person.sn.as_deref(), Some("Martin"));
    assert!(
        person.recovery_mails.is_empty(),
        "{:?}",
        person.recovery_mails
    );
    let institutional = person.institutional_mail.clone().expect("clean mail kept");

    let sink = SmtpSink::start().await;
    let mailer = Mailer::build(&relay_settings(sink.port()), branding()).unwrap();
    let mail = OutgoingMail::new(
        institutional.clone(),
        Lang::Fr,
        MailKind::IdentifierReminder {
            login: person.login.clone(),
        },
    )
    .with_name(person.display_name.clone());
    let receipt = mailer
        .send_prepared(mailer.prepare(mail).unwrap())
        .await
        .unwrap();
    assert_eq!(receipt.outcome().await.unwrap(), Delivery::Relayed);
    let captured = sink.wait_for_mail(&institutional, WAIT).await;
    assert_eq!(captured.rcpt_to, vec![institutional.clone()]);
    assert!(!raw_headers(&captured)
        .to_ascii_lowercase()
        .contains("\nbcc:"));
    assert!(sink.mails_to("x@example.net").is_empty());
}

// ----------------------------------------------------- the site's time zone

fn password_changed_at(when: DateTime<Utc>) -> OutgoingMail {
    OutgoingMail::new(
        "cserve@example.org",
        Lang::Fr,
        MailKind::PasswordChanged {
            login: "cserve".into(),
            when: when.fixed_offset(),
            from_address: "192.0.2.10".parse().unwrap(),
            services: vec!["CAS".into()],
            not_me_url: None,
            not_me_days: 7,
        },
    )
}

#[test]
fn a_password_changed_mail_shows_paris_time_in_winter_and_in_summer() {
    let branding = branding();
    let winter = Utc.with_ymd_and_hms(2026, 11, 29, 6, 42, 0).unwrap();
    let text = render(&branding, &password_changed_at(winter))
        .unwrap()
        .text;
    assert!(text.contains("le 29/11/2026 à 07:42 (UTC+01:00)"), "{text}");
    let summer = Utc.with_ymd_and_hms(2026, 7, 14, 6, 42, 0).unwrap();
    let rendered = render(&branding, &password_changed_at(summer)).unwrap();
    assert!(
        rendered.text.contains("le 14/07/2026 à 08:42 (UTC+02:00)"),
        "{}",
        rendered.text
    );
    assert!(rendered.html.contains("08:42"), "{}", rendered.html);
}

#[tokio::test]
async fn the_mail_that_leaves_shows_the_site_time_zone() {
    let sink = SmtpSink::start().await;
    let site = SiteSettings {
        timezone: "America/Cayenne".parse().unwrap(),
        ..SiteSettings::default()
    };
    let mailer = Mailer::build(&relay_settings(sink.port()), MailBranding::from(&site)).unwrap();
    let winter = Utc.with_ymd_and_hms(2026, 11, 29, 6, 42, 0).unwrap();
    mailer.send(password_changed_at(winter));
    let mail = sink.wait_for_mail("cserve@example.org", WAIT).await;
    assert!(
        mail.text_body()
            .contains("le 29/11/2026 à 03:42 (UTC-03:00)"),
        "{}",
        mail.text_body()
    );
    assert_eq!(
        site.local_time(&winter).to_rfc3339(),
        "2026-11-29T03:42:00-03:00"
    );
}

fn load_toml(toml: &str) -> Result<Settings, passerelle::config::ConfigError> {
    Settings::from_figment(figment::Figment::new().merge(figment::providers::Toml::string(toml)))
}

#[test]
fn the_time_zone_defaults_to_paris_and_a_wrong_name_is_refused_by_key() {
    let settings = load_toml("").unwrap();
    assert_eq!(settings.site.timezone, chrono_tz::Europe::Paris);
    let settings = load_toml("[site]\ntimezone = \"Indian/Reunion\"\n").unwrap();
    assert_eq!(settings.site.timezone, chrono_tz::Indian::Reunion);
    let error = load_toml("[site]\ntimezone = \"Europe/Pariss\"\n")
        .unwrap_err()
        .to_string();
    assert!(error.contains("site.timezone"), "{error}");
    assert!(error.contains("IANA time zone"), "{error}");
}

#[test]
fn every_preset_names_its_time_zone() {
    let presets = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/presets");
    for entry in std::fs::read_dir(presets).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let preset: toml_site::Preset = toml_site::parse(&text);
        let name = preset
            .timezone
            .unwrap_or_else(|| panic!("{} sets no site.timezone", path.display()));
        assert!(
            name.parse::<chrono_tz::Tz>().is_ok(),
            "{}: {name}",
            path.display()
        );
    }
}

/// Just the `site.timezone` of a preset file, read with figment so the
/// test does not depend on the rest of the preset's shape.
mod toml_site {
    use figment::providers::Format as _;

    #[derive(serde::Deserialize)]
    pub struct Preset {
        pub timezone: Option<String>,
    }

    pub fn parse(text: &str) -> Preset {
        figment::Figment::new()
            .merge(figment::providers::Toml::string(text))
            .extract_inner("site")
            .unwrap_or(Preset { timezone: None })
    }
}
