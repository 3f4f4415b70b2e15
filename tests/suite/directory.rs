//! Proofs of the directory module against a real slapd started from
//! `config/ldap` (the same bootstrap a site deploys). Each test starts its
//! own server or creates its own uniquely named people.

use crate::directory_support;

use chrono::Utc;
use directory_support::*;
use passerelle::config::{LdapSettings, LockoutSettings};
use passerelle::directory::{
    nthash::nt_hash, BindProof, Directory, DirectoryError, PasswordWriteError, WriteKind,
};
use passerelle::slapd::{TestPerson, ADMIN_DN, ADMIN_PASSWORD};
use secrecy::SecretString;
use std::time::{Duration, Instant};

fn secret(s: &str) -> SecretString {
    SecretString::from(s)
}

const OLD: &str = "Tilleul-Argenté-2024";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_password_binds_and_the_old_one_no_longer_does() {
    let slapd = start_slapd().await;
    let directory = directory(&slapd);
    let uid = unique_uid("write");
    let person = add_person(&slapd, &directory, &uid, &TestPerson::default()).await;
    assert!(binds(&slapd.url(), &person.dn, OLD).await);

    let new = "Châtaigne-Verte-77";
    let started = Instant::now();
    directory
        .write_password(&person, &secret(new), WriteKind::Chosen)
        .await
        .expect("write");
    eprintln!(
        "one password write ({{ARGON2}}, history 3): {:?}",
        started.elapsed()
    );

    assert!(
        binds(&slapd.url(), &person.dn, new).await,
        "new password binds"
    );
    assert!(
        !binds(&slapd.url(), &person.dn, OLD).await,
        "old password refused"
    );
    assert_eq!(
        directory
            .verify_password(&person, &secret(new))
            .await
            .unwrap(),
        BindProof::Valid
    );
    assert_eq!(
        directory
            .verify_password(&person, &secret(OLD))
            .await
            .unwrap(),
        BindProof::Invalid
    );

    let view = admin_view(
        &slapd,
        &person.dn,
        &[
            "sambaNTPassword",
            "shadowLastChange",
            "sambaPwdLastSet",
            "pwdReset",
        ],
    );
    assert_eq!(
        first(&view, "sambaNTPassword").as_deref(),
        Some(nt_hash(&secret(new)).as_str())
    );
    // An independent vector: the module's NT hash is the well-known one.
    assert_eq!(
        nt_hash(&secret("password")),
        "8846F7EAEE8FB117AD06BDD830B7586C"
    );
    assert_eq!(
        first(&view, "shadowLastChange")
            .unwrap()
            .parse::<i64>()
            .unwrap(),
        today_in_days()
    );
    let last_set: i64 = first(&view, "sambaPwdLastSet").unwrap().parse().unwrap();
    assert!((Utc::now().timestamp() - last_set).abs() < 60);
    assert_eq!(
        first(&view, "pwdReset"),
        None,
        "a chosen password is not temporary"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_password_proves_nothing() {
    let slapd = start_slapd().await;
    let directory = directory(&slapd);
    let person = add_person(
        &slapd,
        &directory,
        &unique_uid("empty"),
        &TestPerson::default(),
    )
    .await;
    assert_eq!(
        directory
            .verify_password(&person, &secret(""))
            .await
            .unwrap(),
        BindProof::Invalid
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_in_history_is_refused_and_changes_nothing() {
    let slapd = start_slapd().await;
    let directory = directory(&slapd);
    let person = add_person(
        &slapd,
        &directory,
        &unique_uid("hist"),
        &TestPerson::default(),
    )
    .await;
    directory
        .write_password(&person, &secret("Premier-Essai-01"), WriteKind::Chosen)
        .await
        .expect("first write");
    directory
        .write_password(&person, &secret("Second-Essai-02"), WriteKind::Chosen)
        .await
        .expect("second write");
    // Old markers, so that "unchanged" is visible even within the same day.
    slapd
        .modify_ldif(&format!(
            "dn: {}\nchangetype: modify\nreplace: shadowLastChange\nshadowLastChange: 100\n-\nreplace: sambaPwdLastSet\nsambaPwdLastSet: 1\n",
            person.dn
        ))
        .unwrap();
    let watched = [
        "userPassword",
        "sambaNTPassword",
        "shadowLastChange",
        "sambaPwdLastSet",
        "pwdChangedTime",
    ];
    let before = admin_view(&slapd, &person.dn, &watched);

    for reused in [OLD, "Premier-Essai-01", "Second-Essai-02"] {
        let outcome = directory
            .write_password(&person, &secret(reused), WriteKind::Chosen)
            .await;
        assert!(
            matches!(outcome, Err(PasswordWriteError::InHistory)),
            "{reused}: {outcome:?}"
        );
    }
    assert_eq!(
        admin_view(&slapd, &person.dn, &watched),
        before,
        "nothing changed"
    );
    assert!(binds(&slapd.url(), &person.dn, "Second-Essai-02").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_refused_for_its_length_is_typed_and_changes_nothing() {
    let slapd = start_slapd().await;
    let directory = directory(&slapd);
    let person = add_person(
        &slapd,
        &directory,
        &unique_uid("short"),
        &TestPerson::default(),
    )
    .await;
    let watched = ["userPassword", "sambaNTPassword", "sambaPwdLastSet"];
    let before = admin_view(&slapd, &person.dn, &watched);
    let outcome = directory
        .write_password(&person, &secret("abc"), WriteKind::Chosen)
        .await;
    assert!(
        matches!(outcome, Err(PasswordWriteError::TooShort)),
        "{outcome:?}"
    );
    let outcome = directory
        .write_password(&person, &secret(&"x".repeat(65)), WriteKind::Chosen)
        .await;
    assert!(
        matches!(outcome, Err(PasswordWriteError::TooLong)),
        "{outcome:?}"
    );
    assert_eq!(admin_view(&slapd, &person.dn, &watched), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_unlocks_an_account_that_ppolicy_had_locked() {
    let slapd = start_slapd().await;
    let directory = directory(&slapd);
    let person = add_person(
        &slapd,
        &directory,
        &unique_uid("locked"),
        &TestPerson::default(),
    )
    .await;
    for _ in 0..5 {
        assert!(!binds(&slapd.url(), &person.dn, "wrong-guess").await);
    }
    let view = admin_view(&slapd, &person.dn, &["pwdAccountLockedTime"]);
    assert!(
        first(&view, "pwdAccountLockedTime").is_some(),
        "ppolicy locked the account"
    );
    assert!(
        !binds(&slapd.url(), &person.dn, OLD).await,
        "even the right password is refused"
    );
    assert_eq!(
        directory
            .verify_password(&person, &secret(OLD))
            .await
            .unwrap(),
        BindProof::Locked
    );
    let locked = directory.reload(&person).await.unwrap().unwrap();
    assert!(locked.ppolicy_locked, "the gateway sees the lock");

    directory
        .write_password(&locked, &secret("Nouveau-Depart-88"), WriteKind::Chosen)
        .await
        .expect("write unlocks");
    assert!(binds(&slapd.url(), &person.dn, "Nouveau-Depart-88").await);
    let view = admin_view(
        &slapd,
        &person.dn,
        &["pwdAccountLockedTime", "pwdFailureTime"],
    );
    assert_eq!(first(&view, "pwdAccountLockedTime"), None);
    assert_eq!(first(&view, "pwdFailureTime"), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_identifiers_find_nobody_and_never_error() {
    let slapd = start_slapd().await;
    let directory = directory(&slapd);
    // Somebody to find, so that a wildcard that slipped through would show.
    add_person(
        &slapd,
        &directory,
        &unique_uid("target"),
        &TestPerson::default(),
    )
    .await;
    let long = "a".repeat(10_000);
    for hostile in [
        "*)(uid=*",
        "*",
        "\0",
        "target\0",
        "\\",
        "(",
        ")",
        "*)(|(objectClass=*)",
        "\\2a",
        "Zoë",
        "名前",
        "\u{202e}target",
        "target)",
        long.as_str(),
        "",
        "   ",
    ] {
        let found = directory.find_person_by_input(hostile).await;
        assert!(
            matches!(found, Ok(None)),
            "{:?}: {found:?}",
            hostile.chars().take(20).collect::<String>()
        );
        let found = directory.find_by_mail(hostile).await;
        assert!(
            matches!(found, Ok(None)),
            "mail {:?}: {found:?}",
            hostile.chars().take(20).collect::<String>()
        );
    }
    // 256 characters is still a (nobody's) identifier, searched for real.
    assert!(matches!(
        directory.find_person_by_input(&"b".repeat(256)).await,
        Ok(None)
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_are_found_by_every_configured_identifier_and_their_birth_date() {
    let slapd = start_slapd().await;
    let directory = directory(&slapd);
    let uid = unique_uid("ident");
    let person = TestPerson {
        student_number: Some("21004567".into()),
        ine: Some("0912345678X".into()),
        staff_number: Some("E123".into()),
        recovery_mail: Some("camille.essai@exemple.org".into()),
        ..TestPerson::default()
    };
    let found = add_person(&slapd, &directory, &uid, &person).await;
    for typed in [
        uid.as_str(),
        "21004567",
        "0912345678X",
        "E123",
        &format!("  {uid} "),
    ] {
        let again = directory.find_person_by_input(typed).await.unwrap();
        assert_eq!(again.map(|p| p.dn), Some(found.dn.clone()), "{typed}");
    }
    let by_mail = directory
        .find_by_mail("camille.essai@exemple.org")
        .await
        .unwrap();
    assert_eq!(by_mail.map(|p| p.dn), Some(found.dn.clone()));
    // The institutional address is not a recovery address.
    assert!(directory
        .find_by_mail(&format!("{uid}@univ-exemple.fr"))
        .await
        .unwrap()
        .is_none());

    assert_eq!(found.login, uid);
    assert_eq!(found.display_name, "Camille Essai");
    assert_eq!(found.recovery_mails, vec!["camille.essai@exemple.org"]);
    assert_eq!(
        found.institutional_mail,
        Some(format!("{uid}@univ-exemple.fr"))
    );
    assert!(found.is_samba && found.is_shadow && !found.has_gateway_class);
    use passerelle::directory::BirthDate;
    assert!(found.birth_date_matches(&BirthDate::parse("15/09/2001").unwrap()));
    assert!(found.birth_date_matches(&BirthDate::parse("2001-09-15").unwrap()));
    assert!(!found.birth_date_matches(&BirthDate::parse("16/09/2001").unwrap()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_identifier_held_by_two_entries_is_refused_as_ambiguous() {
    let slapd = start_slapd().await;
    let directory = directory(&slapd);
    let shared = TestPerson {
        student_number: Some("99000001".into()),
        ..TestPerson::default()
    };
    slapd
        .add_ldif(&passerelle::slapd::person_ldif(
            &unique_uid("twin"),
            &shared,
        ))
        .unwrap();
    slapd
        .add_ldif(&passerelle::slapd::person_ldif(
            &unique_uid("twin"),
            &shared,
        ))
        .unwrap();
    let found = directory.find_person_by_input("99000001").await;
    assert!(matches!(found, Err(DirectoryError::Ambiguous)), "{found:?}");
    // One person whose uid is another's student number is ambiguous too.
    let uid = unique_uid("clash");
    slapd
        .add_ldif(&passerelle::slapd::person_ldif(
            "88000002",
            &TestPerson::default(),
        ))
        .unwrap();
    slapd
        .add_ldif(&passerelle::slapd::person_ldif(
            &uid,
            &TestPerson {
                student_number: Some("88000002".into()),
                ..TestPerson::default()
            },
        ))
        .unwrap();
    assert!(matches!(
        directory.find_person_by_input("88000002").await,
        Err(DirectoryError::Ambiguous)
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_account_cannot_read_passwords_yet_its_writes_are_history_checked() {
    let slapd = start_slapd().await;
    let directory = directory(&slapd);
    let person = add_person(
        &slapd,
        &directory,
        &unique_uid("acl"),
        &TestPerson::default(),
    )
    .await;
    let seen = service_view(
        &slapd.url(),
        &person.dn,
        &["userPassword", "sambaNTPassword", "pwdHistory", "uid"],
    )
    .await;
    assert_eq!(seen.len(), 1);
    let attrs: Vec<String> = seen[0]
        .attrs
        .keys()
        .chain(seen[0].bin_attrs.keys())
        .map(|k| k.to_ascii_lowercase())
        .collect();
    assert_eq!(
        attrs,
        vec!["uid".to_string()],
        "the service account sees no password"
    );
    assert!(first(
        &admin_view(&slapd, &person.dn, &["userPassword"]),
        "userPassword"
    )
    .is_some());

    directory
        .write_password(&person, &secret("Encore-Un-Autre-5"), WriteKind::Chosen)
        .await
        .unwrap();
    let outcome = directory
        .write_password(&person, &secret(OLD), WriteKind::Chosen)
        .await;
    assert!(
        matches!(outcome, Err(PasswordWriteError::InHistory)),
        "{outcome:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_simultaneous_resets_of_one_person_both_end_cleanly() {
    let slapd = start_slapd().await;
    // Two replicas, so the in-process serialisation does not hide the race.
    let (one, two) = (directory(&slapd), directory(&slapd));
    let person = add_person(&slapd, &one, &unique_uid("race"), &TestPerson::default()).await;
    for round in 0..5 {
        let (a, b) = (
            format!("Course-A-{round}-xyz"),
            format!("Course-B-{round}-xyz"),
        );
        let (sa, sb) = (secret(&a), secret(&b));
        let (first_outcome, second_outcome, third_outcome) = tokio::join!(
            one.write_password(&person, &sa, WriteKind::Chosen),
            two.write_password(&person, &sb, WriteKind::Chosen),
            one.write_password(&person, &sb, WriteKind::Chosen),
        );
        for outcome in [&first_outcome, &second_outcome, &third_outcome] {
            assert!(
                matches!(outcome, Ok(()) | Err(PasswordWriteError::InHistory)),
                "round {round}: {outcome:?}"
            );
        }
        assert!(
            first_outcome.is_ok() || second_outcome.is_ok(),
            "round {round}: someone wins"
        );
        let a_binds = binds(&slapd.url(), &person.dn, &a).await;
        let b_binds = binds(&slapd.url(), &person.dn, &b).await;
        assert!(
            a_binds ^ b_binds,
            "round {round}: exactly one password is live"
        );
        let live = if a_binds { &a } else { &b };
        let view = admin_view(&slapd, &person.dn, &["sambaNTPassword"]);
        assert_eq!(
            first(&view, "sambaNTPassword"),
            Some(nt_hash(&secret(live))),
            "round {round}: Wi-Fi agrees with LDAP"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pool_recovers_after_the_directory_restarts() {
    let mut slapd = start_slapd().await;
    let directory = directory(&slapd);
    let uid = unique_uid("restart");
    add_person(&slapd, &directory, &uid, &TestPerson::default()).await;
    // Fill the pool with a few live connections.
    let (a, b, c) = tokio::join!(
        directory.find_person_by_input(&uid),
        directory.find_person_by_input(&uid),
        directory.find_person_by_input(&uid)
    );
    assert!(a.unwrap().is_some() && b.unwrap().is_some() && c.unwrap().is_some());

    slapd.stop();
    let started = Instant::now();
    let down = directory.find_person_by_input(&uid).await;
    assert!(matches!(down, Err(DirectoryError::Unavailable)), "{down:?}");
    assert!(matches!(
        directory.ping().await,
        Err(DirectoryError::Unavailable)
    ));
    let person_while_down = directory
        .verify_password_dn(&dn_of(&uid), &secret(OLD))
        .await;
    assert!(
        matches!(person_while_down, Err(DirectoryError::Unavailable)),
        "{person_while_down:?}"
    );
    let elapsed = started.elapsed();
    eprintln!("three operations while the directory is down: {elapsed:?}");
    assert!(
        elapsed < Duration::from_secs(3),
        "answers promptly while down: {elapsed:?}"
    );

    slapd.start_again().unwrap();
    let found = directory
        .find_person_by_input(&uid)
        .await
        .expect("works again");
    let person = found.expect("found after restart");
    directory
        .write_password(&person, &secret("Apres-Redemarrage-1"), WriteKind::Chosen)
        .await
        .expect("writes after restart");
    assert_eq!(
        directory
            .verify_password(&person, &secret("Apres-Redemarrage-1"))
            .await
            .unwrap(),
        BindProof::Valid
    );
    // A restart nobody noticed: the pooled connections are stale, the next
    // request still succeeds.
    let (a, b) = tokio::join!(
        directory.find_person_by_input(&uid),
        directory.find_person_by_input(&uid)
    );
    assert!(a.unwrap().is_some() && b.unwrap().is_some());
    slapd.stop();
    slapd.start_again().unwrap();
    for _ in 0..3 {
        let found = directory.find_person_by_input(&uid).await;
        assert!(matches!(found, Ok(Some(_))), "{found:?}");
    }
    // The connection kept for binds as a person is stale too.
    let proof = directory
        .verify_password(&person, &secret("Apres-Redemarrage-1"))
        .await;
    assert!(matches!(proof, Ok(BindProof::Valid)), "{proof:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binds_as_people_reuse_connections_of_their_own_and_the_service_account_stays_itself() {
    let slapd = start_slapd().await;
    let proxy = LossyProxy::start(slapd.port()).await;
    let directory = directory_with(settings_for(vec![proxy.url()]));
    let uid = unique_uid("keptbind");
    let person = add_person(&slapd, &directory, &uid, &TestPerson::default()).await;
    let other = add_person(
        &slapd,
        &directory,
        &unique_uid("keptbind2"),
        &TestPerson::default(),
    )
    .await;
    let before = proxy.connections();
    // Thirteen binds, right and wrong (fewer than ppolicy's lockout), one
    // after the other, as two people.
    for round in 0..10 {
        let right = directory.verify_password(&person, &secret(OLD)).await;
        assert!(matches!(right, Ok(BindProof::Valid)), "{round}: {right:?}");
        if round % 4 == 1 {
            let wrong = directory
                .verify_password(&other, &secret("Pas-Le-Bon-1"))
                .await;
            assert!(
                matches!(wrong, Ok(BindProof::Invalid)),
                "{round}: {wrong:?}"
            );
        }
    }
    assert_eq!(
        proxy.connections() - before,
        1,
        "one connection served every bind"
    );
    // The person's bind never lent its identity to the service account:
    // the gateway's state attributes, which only the service account may
    // write, are still written.
    let found = directory
        .find_person_by_input(&uid)
        .await
        .expect("search")
        .expect("found");
    directory
        .record_failure(&found, &LockoutSettings::default())
        .await
        .expect("the service account writes its state");
    // And a connection bound as a person is not used to prove another's
    // password: each bind replaces the identity.
    let wrong = directory
        .verify_password(&person, &secret("Pas-Le-Bon-2"))
        .await;
    assert!(matches!(wrong, Ok(BindProof::Invalid)), "{wrong:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_first_url_fails_over_to_the_second() {
    let slapd = start_slapd().await;
    let dead = format!("ldap://127.0.0.1:{}", dead_port());
    let directory = directory_with(settings_for(vec![dead, slapd.url()]));
    let uid = unique_uid("failover");
    let person = add_person(&slapd, &directory, &uid, &TestPerson::default()).await;
    assert_eq!(
        directory
            .verify_password(&person, &secret(OLD))
            .await
            .unwrap(),
        BindProof::Valid
    );
    directory
        .write_password(&person, &secret("Bascule-Secours-3"), WriteKind::Chosen)
        .await
        .unwrap();
    assert!(binds(&slapd.url(), &person.dn, "Bascule-Secours-3").await);
    // Both dead: unavailable, promptly.
    let nowhere = directory_with(settings_for(vec![
        format!("ldap://127.0.0.1:{}", dead_port()),
        format!("ldap://127.0.0.1:{}", dead_port()),
    ]));
    let started = Instant::now();
    assert!(matches!(
        nowhere.find_person_by_input(&uid).await,
        Err(DirectoryError::Unavailable)
    ));
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_temporary_password_must_be_changed_and_never_opens_wifi() {
    let slapd = start_slapd().await;
    let directory = directory(&slapd);
    let person = add_person(
        &slapd,
        &directory,
        &unique_uid("temp"),
        &TestPerson::default(),
    )
    .await;
    let expires = Utc::now() + chrono::Duration::hours(24);
    directory
        .write_password(
            &person,
            &secret("Provisoire-4821"),
            WriteKind::Temporary { expires },
        )
        .await
        .expect("temporary write");

    let view = admin_view(&slapd, &person.dn, &["pwdReset", "sambaNTPassword"]);
    assert_eq!(first(&view, "pwdReset").as_deref(), Some("TRUE"));
    assert_eq!(
        first(&view, "sambaNTPassword"),
        None,
        "Wi-Fi refuses until a chosen password"
    );
    assert_eq!(
        directory
            .verify_password(&person, &secret("Provisoire-4821"))
            .await
            .unwrap(),
        BindProof::MustChange
    );
    assert_eq!(
        directory
            .verify_password(&person, &secret(OLD))
            .await
            .unwrap(),
        BindProof::Invalid
    );
    let reread = directory.reload(&person).await.unwrap().unwrap();
    assert!(reread.password_must_change && reread.has_gateway_class);
    let stored = reread.state.temp_password_expiry.expect("expiry stored");
    assert!((stored - expires).num_milliseconds().abs() < 1);

    directory
        .write_password(&reread, &secret("Choisi-Enfin-2025"), WriteKind::Chosen)
        .await
        .expect("chosen write");
    let view = admin_view(
        &slapd,
        &person.dn,
        &[
            "pwdReset",
            "sambaNTPassword",
            "passerelleTempPasswordExpiry",
        ],
    );
    assert_eq!(
        first(&view, "pwdReset"),
        None,
        "the chosen password removes pwdReset"
    );
    assert_eq!(first(&view, "passerelleTempPasswordExpiry"), None);
    assert_eq!(
        first(&view, "sambaNTPassword"),
        Some(nt_hash(&secret("Choisi-Enfin-2025")))
    );
    assert_eq!(
        directory
            .verify_password(&person, &secret("Choisi-Enfin-2025"))
            .await
            .unwrap(),
        BindProof::Valid
    );
}

/// Twenty guesses sent at once through one gateway: every one is counted
/// before it is checked, so no more than `max_failures` are ever checked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_attempts_never_check_more_than_the_allowed_number() {
    let slapd = start_slapd().await;
    let gateway = directory(&slapd);
    let settings = LockoutSettings {
        max_failures: 5,
        lock_seconds: 600,
    };
    let person = add_person(
        &slapd,
        &gateway,
        &unique_uid("parallel"),
        &TestPerson::default(),
    )
    .await;
    let attempts = (0..20).map(|_| {
        let (gateway, person, settings) = (gateway.clone(), person.clone(), settings.clone());
        async move { gateway.begin_attempt(&person, &settings).await }
    });
    let outcomes = futures_join_all(attempts).await;
    let counted = outcomes
        .iter()
        .filter(|o| matches!(o, Ok(Attempt::Counted { .. })))
        .count();
    let locked = outcomes
        .iter()
        .filter(|o| matches!(o, Ok(Attempt::Locked { .. })))
        .count();
    assert_eq!((counted, locked), (5, 15), "{outcomes:?}");

    // A right attempt is forgiven: it neither counts nor leaves a lock.
    let other = add_person(
        &slapd,
        &gateway,
        &unique_uid("forgiven"),
        &TestPerson::default(),
    )
    .await;
    for _ in 0..settings.max_failures {
        let attempt = gateway.begin_attempt(&other, &settings).await.unwrap();
        assert!(matches!(attempt, Attempt::Counted { .. }), "{attempt:?}");
        gateway.forgive_attempt(&other, &attempt).await.unwrap();
    }
    let fresh = gateway.reload(&other).await.unwrap().unwrap();
    assert!(fresh.state.failure_times.is_empty(), "{:?}", fresh.state);
    assert_eq!(fresh.state.locked_until, None);
}

/// `join_all` without a dependency: spawns each future on the runtime.
async fn futures_join_all<T: Send + 'static>(
    futures: impl Iterator<Item = impl std::future::Future<Output = T> + Send + 'static>,
) -> Vec<T> {
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut outcomes = Vec::new();
    for handle in handles {
        outcomes.push(handle.await.unwrap());
    }
    outcomes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_lock_self_service_until_the_lock_expires_on_every_replica() {
    let slapd = start_slapd().await;
    let (one, two) = (directory(&slapd), directory(&slapd));
    let settings = LockoutSettings {
        max_failures: 3,
        lock_seconds: 2,
    };
    let person = add_person(&slapd, &one, &unique_uid("lockout"), &TestPerson::default()).await;
    assert_eq!(
        one.lock_state(&person, &settings, Utc::now()),
        LockState::Open { failures_left: 3 }
    );
    assert_eq!(
        one.record_failure(&person, &settings).await.unwrap(),
        LockState::Open { failures_left: 2 }
    );
    assert_eq!(
        two.record_failure(&person, &settings).await.unwrap(),
        LockState::Open { failures_left: 1 }
    );
    let third = one.record_failure(&person, &settings).await.unwrap();
    assert!(matches!(third, LockState::Locked { .. }), "{third:?}");

    // The second replica sees the lock from the directory.
    let seen = two
        .find_person_by_input(&person.login)
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(
        two.lock_state(&seen, &settings, Utc::now()),
        LockState::Locked { .. }
    ));
    assert_eq!(seen.state.failure_times.len(), 3);

    // The lock lifts by itself.
    let lifted = eventually(Duration::from_secs(10), || async {
        let now = Utc::now();
        let p = two.reload(&person).await.unwrap().unwrap();
        matches!(
            two.lock_state(&p, &settings, now),
            LockState::Open { failures_left: 3 }
        )
    })
    .await;
    assert!(lifted, "the lock expired");
    // And old failures are pruned by the next one.
    assert_eq!(
        one.record_failure(&person, &settings).await.unwrap(),
        LockState::Open { failures_left: 2 }
    );
    let p = one.reload(&person).await.unwrap().unwrap();
    assert_eq!(p.state.failure_times.len(), 1);
    assert_eq!(p.state.locked_until, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_failures_on_two_replicas_are_all_counted() {
    let slapd = start_slapd().await;
    let (one, two) = (directory(&slapd), directory(&slapd));
    let settings = LockoutSettings {
        max_failures: 100,
        lock_seconds: 600,
    };
    let person = add_person(
        &slapd,
        &one,
        &unique_uid("manyfail"),
        &TestPerson::default(),
    )
    .await;
    let mut tasks = Vec::new();
    for i in 0..10 {
        let d = if i % 2 == 0 { one.clone() } else { two.clone() };
        let (p, s) = (person.clone(), settings.clone());
        tasks.push(tokio::spawn(async move { d.record_failure(&p, &s).await }));
    }
    for task in tasks {
        task.await.unwrap().expect("recorded");
    }
    let p = one.reload(&person).await.unwrap().unwrap();
    assert_eq!(p.state.failure_times.len(), 10);
    one.clear_failures(&p).await.unwrap();
    let p = one.reload(&person).await.unwrap().unwrap();
    assert!(p.state.failure_times.is_empty());
    assert_eq!(
        one.lock_state(&p, &settings, Utc::now()),
        LockState::Open { failures_left: 100 }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_try_is_spent_once_even_by_concurrent_gateways() {
    let slapd = start_slapd().await;
    let replicas = [directory(&slapd), directory(&slapd), directory(&slapd)];
    let person = add_person(
        &slapd,
        &replicas[0],
        &unique_uid("code"),
        &TestPerson::default(),
    )
    .await;
    let now = Utc::now();
    replicas[0]
        .set_code(&person, "c0ffee", now + chrono::Duration::hours(24), 3, now)
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for i in 0..12 {
        let d = replicas[i % 3].clone();
        let p = person.clone();
        tasks.push(tokio::spawn(async move { d.spend_code_try(&p).await }));
    }
    let mut remaining = Vec::new();
    let mut refused = 0;
    for task in tasks {
        match task.await.unwrap().expect("no directory error") {
            CodeTry::Spent { remaining: r, .. } => remaining.push(r),
            CodeTry::NoneLeft => refused += 1,
        }
    }
    remaining.sort();
    assert_eq!(remaining, vec![0, 1, 2], "exactly three tries were spent");
    assert_eq!(refused, 9);
    let p = replicas[1].reload(&person).await.unwrap().unwrap();
    assert_eq!(p.state.code_tries_left, Some(0));
    replicas[1].clear_code(&p).await.unwrap();
    let p = replicas[1].reload(&person).await.unwrap().unwrap();
    assert_eq!(p.state.code_hash, None);
    assert_eq!(p.state.code_tries_left, None);
    assert_eq!(
        replicas[2].spend_code_try(&p).await.unwrap(),
        CodeTry::NoneLeft
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_password_clears_pending_state_but_keeps_the_secret_question() {
    let slapd = start_slapd().await;
    let directory = directory(&slapd);
    let person = add_person(
        &slapd,
        &directory,
        &unique_uid("state"),
        &TestPerson::default(),
    )
    .await;
    directory
        .set_secret(
            &person,
            "Nom de mon premier chat ?",
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
        )
        .await
        .unwrap();
    let now = Utc::now();
    directory
        .set_code(&person, "abcdef", now + chrono::Duration::hours(1), 5, now)
        .await
        .unwrap();
    let settings = LockoutSettings::default();
    directory.record_failure(&person, &settings).await.unwrap();
    let p = directory.reload(&person).await.unwrap().unwrap();
    assert!(p.has_gateway_class);
    assert_eq!(
        p.state.question.as_deref(),
        Some("Nom de mon premier chat ?")
    );
    assert_eq!(p.state.code_tries_left, Some(5));
    assert_eq!(p.state.failure_times.len(), 1);
    let sent = p.state.code_sent.unwrap();
    assert!(
        (sent - now).num_milliseconds().abs() < 1,
        "microseconds survive the round trip"
    );

    directory
        .write_password(&p, &secret("Etat-Remis-A-Zero-9"), WriteKind::Chosen)
        .await
        .unwrap();
    let p = directory.reload(&person).await.unwrap().unwrap();
    assert_eq!(
        p.state.question.as_deref(),
        Some("Nom de mon premier chat ?")
    );
    assert!(p.state.answer_hash.is_some());
    assert_eq!(p.state.code_hash, None);
    assert_eq!(p.state.code_tries_left, None);
    assert_eq!(p.state.code_expiry, None);
    assert_eq!(p.state.code_sent, None);
    assert!(p.state.failure_times.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_root_dse_advertises_the_password_policy_control() {
    let slapd = start_slapd().await;
    let directory = directory(&slapd);
    directory.ping().await.expect("service account binds");
    let dse = directory.root_dse().await.unwrap();
    assert!(dse.supports_ppolicy, "{dse:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_service_password_is_a_clear_error_not_an_outage() {
    let slapd = start_slapd().await;
    let wrong =
        Directory::new(&settings_for(vec![slapd.url()]), secret("not-the-password")).unwrap();
    let outcome = wrong.ping().await;
    match outcome {
        Err(DirectoryError::Unexpected(e)) => assert!(format!("{e}").contains("service account")),
        other => panic!("{other:?}"),
    }
    let _ = (ADMIN_DN, ADMIN_PASSWORD);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_whose_answer_is_lost_is_rechecked_before_it_is_reported() {
    let slapd = start_slapd().await;
    let proxy = LossyProxy::start(slapd.port()).await;
    let directory = directory_with(LdapSettings {
        timeout_seconds: 1,
        ..settings_for(vec![proxy.url()])
    });
    let person = add_person(
        &slapd,
        &directory,
        &unique_uid("lost"),
        &TestPerson::default(),
    )
    .await;
    // A first change through the gateway gives the entry a pwdChangedTime
    // (an entry added by the rootdn has none), which has a one-second
    // resolution: let that second pass, as it would between two real changes.
    directory
        .write_password(&person, &secret("Premiere-Fois-34"), WriteKind::Chosen)
        .await
        .unwrap();
    let changed = person_changed_second(&slapd, &person.dn).expect("pwdChangedTime");
    assert!(
        eventually(Duration::from_secs(3), || async {
            Utc::now().format("%Y%m%d%H%M%S").to_string() > changed
        })
        .await
    );

    proxy.lose_modify_answers(1);
    let started = Instant::now();
    let outcome = directory
        .write_password(&person, &secret("Reponse-Perdue-12"), WriteKind::Chosen)
        .await;
    assert!(outcome.is_ok(), "applied, so reported as done: {outcome:?}");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "the answer really was lost"
    );
    assert!(binds(&slapd.url(), &person.dn, "Reponse-Perdue-12").await);

    // A write the directory refused, with its answer lost: reported as a
    // failure (timeout), and nothing changed.
    let before = admin_view(&slapd, &person.dn, &["userPassword", "sambaNTPassword"]);
    proxy.lose_modify_answers(2);
    let outcome = directory
        .write_password(&person, &secret(OLD), WriteKind::Chosen)
        .await;
    assert!(
        matches!(
            outcome,
            Err(PasswordWriteError::Directory(DirectoryError::Timeout))
        ),
        "{outcome:?}"
    );
    assert_eq!(
        admin_view(&slapd, &person.dn, &["userPassword", "sambaNTPassword"]),
        before
    );

    proxy.lose_modify_answers(0);
    let outcome = directory
        .write_password(&person, &secret(OLD), WriteKind::Chosen)
        .await;
    assert!(
        matches!(outcome, Err(PasswordWriteError::InHistory)),
        "{outcome:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_write_in_the_same_second_as_the_previous_change_is_not_misreported() {
    let slapd = start_slapd().await;
    let proxy = LossyProxy::start(slapd.port()).await;
    let directory = directory_with(LdapSettings {
        timeout_seconds: 1,
        ..settings_for(vec![proxy.url()])
    });
    let person = add_person(
        &slapd,
        &directory,
        &unique_uid("samesec"),
        &TestPerson::default(),
    )
    .await;
    for round in 0..3 {
        // Two changes in a row (usually within one second, which
        // pwdChangedTime cannot tell apart); the second one's answer is lost.
        let first_password = format!("Rapide-{round}-Un");
        let second_password = format!("Rapide-{round}-Deux");
        directory
            .write_password(&person, &secret(&first_password), WriteKind::Chosen)
            .await
            .unwrap();
        proxy.lose_modify_answers(1);
        let outcome = directory
            .write_password(&person, &secret(&second_password), WriteKind::Chosen)
            .await;
        assert!(
            outcome.is_ok(),
            "round {round}: applied, so done: {outcome:?}"
        );
        assert!(binds(&slapd.url(), &person.dn, &second_password).await);
    }
}

fn person_changed_second(slapd: &passerelle::slapd::Slapd, dn: &str) -> Option<String> {
    let view = admin_view(slapd, dn, &["pwdChangedTime"]);
    first(&view, "pwdChangedTime").map(|t| t.chars().take(14).collect())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starttls_with_the_configured_ca_works_and_a_foreign_ca_is_refused() {
    let slapd = start_slapd().await;
    let material = tempfile::tempdir().unwrap();
    let (ca, cert, key) = tls_material(material.path());
    enable_tls(&slapd, &cert, &key);

    let directory = directory_with(LdapSettings {
        starttls: true,
        ca_file: Some(ca),
        ..settings_for(vec![slapd.url()])
    });
    let person = add_person(
        &slapd,
        &directory,
        &unique_uid("tls"),
        &TestPerson::default(),
    )
    .await;
    assert_eq!(
        directory
            .verify_password(&person, &secret(OLD))
            .await
            .unwrap(),
        BindProof::Valid
    );
    directory
        .write_password(
            &person,
            &secret("Chiffre-De-Bout-En-Bout-6"),
            WriteKind::Chosen,
        )
        .await
        .unwrap();

    // Another CA: the certificate is refused, reported as a configuration
    // error (not as an outage), and nothing is sent in clear.
    let other = tempfile::tempdir().unwrap();
    let (other_ca, _, _) = tls_material(other.path());
    let mistrusting = directory_with(LdapSettings {
        starttls: true,
        ca_file: Some(other_ca),
        ..settings_for(vec![slapd.url()])
    });
    let outcome = mistrusting.find_person_by_input(&person.login).await;
    assert!(
        matches!(outcome, Err(DirectoryError::Unexpected(_))),
        "{outcome:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_password_is_told_apart_from_a_wrong_one() {
    let slapd = start_slapd().await;
    let directory = directory(&slapd);
    let person = add_person(
        &slapd,
        &directory,
        &unique_uid("expired"),
        &TestPerson::default(),
    )
    .await;
    directory
        .write_password(&person, &secret("Bientot-Perime-41"), WriteKind::Chosen)
        .await
        .unwrap();
    // This test's own directory: passwords now expire after one second.
    slapd
        .modify_ldif(
            "dn: cn=default,ou=policies,dc=univ-exemple,dc=fr\nchangetype: modify\nreplace: pwdMaxAge\npwdMaxAge: 1\n-\nreplace: pwdGraceAuthNLimit\npwdGraceAuthNLimit: 0\n",
        )
        .unwrap();
    let expired = eventually(Duration::from_secs(5), || async {
        directory
            .verify_password(&person, &secret("Bientot-Perime-41"))
            .await
            .unwrap()
            == BindProof::Expired
    })
    .await;
    assert!(expired, "the right but expired password says so");
    assert_eq!(
        directory
            .verify_password(&person, &secret("pas-le-bon"))
            .await
            .unwrap(),
        BindProof::Invalid
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_pool_serves_many_requests_at_once() {
    let slapd = start_slapd().await;
    let directory = directory_with(LdapSettings {
        pool_size: 2,
        ..settings_for(vec![slapd.url()])
    });
    let uid = unique_uid("busy");
    add_person(&slapd, &directory, &uid, &TestPerson::default()).await;
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let (d, u) = (directory.clone(), uid.clone());
        tasks.push(tokio::spawn(
            async move { d.find_person_by_input(&u).await },
        ));
    }
    for task in tasks {
        assert!(task.await.unwrap().unwrap().is_some());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ldaps_with_the_configured_ca_works() {
    let slapd = start_slapd().await;
    let material = tempfile::tempdir().unwrap();
    let (ca, cert, key) = tls_material(material.path());
    let url = ldaps_front(slapd.port(), &cert, &key).await;
    let directory = directory_with(LdapSettings {
        ca_file: Some(ca),
        ..settings_for(vec![url.clone()])
    });
    let person = add_person(
        &slapd,
        &directory,
        &unique_uid("ldaps"),
        &TestPerson::default(),
    )
    .await;
    assert_eq!(
        directory
            .verify_password(&person, &secret(OLD))
            .await
            .unwrap(),
        BindProof::Valid
    );
    directory
        .write_password(&person, &secret("Tunnel-Chiffre-7"), WriteKind::Chosen)
        .await
        .unwrap();
    assert!(binds(&slapd.url(), &person.dn, "Tunnel-Chiffre-7").await);
    // Without the CA (system roots only), the test certificate is refused
    // (or, on a machine without system roots, the settings are).
    match Directory::new(
        &settings_for(vec![url]),
        secret(passerelle::slapd::SERVICE_PASSWORD),
    ) {
        Ok(untrusting) => {
            let outcome = untrusting.ping().await;
            assert!(
                matches!(outcome, Err(DirectoryError::Unexpected(_))),
                "{outcome:?}"
            );
        }
        Err(error) => assert!(matches!(error, DirectoryError::Unexpected(_))),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_lm_hash_goes_with_the_password_it_belonged_to() {
    let slapd = start_slapd().await;
    let directory = directory(&slapd);
    let person = add_person(
        &slapd,
        &directory,
        &unique_uid("lm"),
        &TestPerson::default(),
    )
    .await;
    slapd
        .modify_ldif(&format!(
            "dn: {}\nchangetype: modify\nreplace: sambaLMPassword\nsambaLMPassword: E52CAC67419A9A224A3B108F3FA6CB6D\n",
            person.dn
        ))
        .unwrap();
    directory
        .write_password(&person, &secret("Lanterne-Neuve-31"), WriteKind::Chosen)
        .await
        .unwrap();
    let view = admin_view(&slapd, &person.dn, &["sambaLMPassword", "sambaNTPassword"]);
    assert_eq!(first(&view, "sambaLMPassword"), None);
    assert!(first(&view, "sambaNTPassword").is_some());
}

/// A temporary password past its expiry stops working everywhere, not only
/// at the gateway: services that take any successful bind would otherwise
/// keep accepting the mailed password.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_temporary_password_is_retired_in_the_directory() {
    let slapd = start_slapd().await;
    let directory = directory(&slapd);
    let (expired, pending) = (unique_uid("retired"), unique_uid("pending"));
    let expired = add_person(&slapd, &directory, &expired, &TestPerson::default()).await;
    let pending = add_person(&slapd, &directory, &pending, &TestPerson::default()).await;
    let temporary = secret("Provisoire-Mail-42");
    directory
        .write_password(
            &expired,
            &temporary,
            WriteKind::Temporary {
                expires: Utc::now() - chrono::Duration::seconds(1),
            },
        )
        .await
        .unwrap();
    directory
        .write_password(
            &pending,
            &temporary,
            WriteKind::Temporary {
                expires: Utc::now() + chrono::Duration::hours(24),
            },
        )
        .await
        .unwrap();

    assert_eq!(
        directory
            .retire_expired_temporary_passwords()
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        directory
            .verify_password(&expired, &temporary)
            .await
            .unwrap(),
        BindProof::Invalid
    );
    assert_eq!(
        directory
            .verify_password(&pending, &temporary)
            .await
            .unwrap(),
        BindProof::MustChange
    );
    let view = admin_view(
        &slapd,
        &expired.dn,
        &[
            "pwdReset",
            "sambaNTPassword",
            "passerelleTempPasswordExpiry",
        ],
    );
    assert_eq!(first(&view, "pwdReset").as_deref(), Some("TRUE"));
    assert_eq!(first(&view, "sambaNTPassword"), None);
    assert_eq!(first(&view, "passerelleTempPasswordExpiry"), None);
    // Nothing left to retire.
    assert_eq!(
        directory
            .retire_expired_temporary_passwords()
            .await
            .unwrap(),
        0
    );
}
