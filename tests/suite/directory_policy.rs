//! The directory's password policy as the gateway applies it, against a real
//! slapd started from `config/ldap`: the rules a person reads and the server
//! checks are their own policy's numbers (`pwdPolicySubentry`, else the
//! default), and ppolicy's timed lock — running or run out — no longer shuts
//! self-service, while IT's lock still does.

use crate::directory_support;

use chrono::Utc;
use directory_support::*;
use passerelle::config::LdapSettings;
use passerelle::directory::{
    format_generalized_time, Directory, DirectoryPolicy, PasswordWriteError, Person, PpolicyLock,
    WriteKind,
};
use passerelle::policy::{explain, Lang, PasswordPolicy, PersonContext, PolicyConfig, Violation};
use passerelle::slapd::{TestPerson, DEFAULT_POLICY_DN};
use secrecy::SecretString;
use std::time::Duration;

const OLD: &str = "Tilleul-Argenté-2024";

fn secret(s: &str) -> SecretString {
    SecretString::from(s)
}

/// Adds (as the rootdn) a policy entry under ou=policies and returns its DN.
fn add_policy(slapd: &passerelle::slapd::Slapd, cn: &str, extra: &str) -> String {
    let dn = format!("cn={cn},ou=policies,dc=univ-exemple,dc=fr");
    slapd
        .add_ldif(&format!(
            "dn: {dn}\nobjectClass: organizationalRole\nobjectClass: pwdPolicy\ncn: {cn}\n\
             pwdAttribute: userPassword\n{extra}"
        ))
        .expect("add policy");
    dn
}

/// Points the person's pwdPolicySubentry at `policy` (as the rootdn).
fn attach_policy(slapd: &passerelle::slapd::Slapd, person: &Person, policy: &str) {
    slapd
        .modify_ldif(&format!(
            "dn: {}\nchangetype: modify\nreplace: pwdPolicySubentry\npwdPolicySubentry: {policy}\n",
            person.dn
        ))
        .expect("set pwdPolicySubentry");
}

fn set_locked_time(slapd: &passerelle::slapd::Slapd, person: &Person, value: &str) {
    slapd
        .modify_ldif(&format!(
            "dn: {}\nchangetype: modify\nreplace: pwdAccountLockedTime\npwdAccountLockedTime: {value}\n",
            person.dn
        ))
        .expect("set pwdAccountLockedTime");
}

async fn reload(directory: &Directory, person: &Person) -> Person {
    directory
        .reload(person)
        .await
        .expect("read")
        .expect("still there")
}

/// A site `[policy]` that a 20-character password meets: 8 characters and
/// one of each class, as the caf-partenaires preset asks (without its 20
/// maximum, which a 24 minimum could never meet).
fn site_policy() -> PasswordPolicy {
    PasswordPolicy::from_config(&PolicyConfig {
        min_length: Some(8),
        min_uppercase: Some(1),
        min_lowercase: Some(1),
        min_digits: Some(1),
        min_special: Some(1),
        ..PolicyConfig::default()
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_with_a_24_character_policy_is_told_and_checked_against_24() {
    let slapd = start_slapd().await;
    let directory = directory(&slapd);
    let policy_dn = add_policy(
        &slapd,
        "long-passwords",
        "pwdMinLength: 24\npwdCheckQuality: 1\npwdInHistory: 5\npwdLockout: TRUE\n\
         pwdMaxFailure: 3\npwdLockoutDuration: 600\n",
    );
    let person = add_person(
        &slapd,
        &directory,
        &unique_uid("long"),
        &TestPerson::default(),
    )
    .await;
    attach_policy(&slapd, &person, &policy_dn);
    let person = reload(&directory, &person).await;

    let theirs = directory.effective_policy(&person).await.expect("policy");
    assert_eq!(theirs.dn, policy_dn);
    assert_eq!(theirs.enforced_min_length(), Some(24));
    assert_eq!(theirs.in_history, 5);
    assert_eq!(theirs.max_failure, 3);
    assert_eq!(theirs.lockout_duration, Duration::from_secs(600));

    let site = site_policy();
    let effective = site.effective(&theirs);
    let twenty = "Bouleau-Rouge-2024!x";
    assert_eq!(twenty.chars().count(), 20);
    let context = PersonContext {
        login: person.login.clone(),
        ..PersonContext::default()
    };
    assert!(
        site.check(&secret(twenty), &context).is_acceptable(),
        "the site's [policy] alone accepts it"
    );
    let verdict = effective.check(&secret(twenty), &context);
    assert_eq!(verdict.violations(), vec![Violation::TooShort { min: 24 }]);
    let message = explain(&Violation::TooShort { min: 24 }, Lang::Fr);
    assert!(message.contains("24"), "{message}");

    // What the page lists and ticks live says 24 and the history depth.
    let json: serde_json::Value =
        serde_json::from_str(&effective.client_rules_json()).expect("json");
    assert_eq!(json["rules"][0]["id"], "length");
    assert_eq!(json["rules"][0]["min"], 24);
    assert!(
        json["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == "history" && r["count"] == 5),
        "{json}"
    );

    // The directory does refuse it, and its refusal is explained with 24.
    let refused = directory
        .write_password(&person, &secret(twenty), WriteKind::Chosen)
        .await;
    assert!(
        matches!(refused, Err(PasswordWriteError::TooShort)),
        "{refused:?}"
    );
    let explained = effective
        .violation_for_ppolicy_error(6)
        .map(|v| explain(&v, Lang::Fr))
        .unwrap_or_default();
    assert!(explained.contains("24"), "{explained}");
    assert!(
        binds(&slapd.url(), &person.dn, OLD).await,
        "nothing written"
    );

    let long_enough = "Bouleau-Rouge-2024!Sapin-Vert";
    assert!(effective
        .check(&secret(long_enough), &context)
        .is_acceptable());
    directory
        .write_password(&person, &secret(long_enough), WriteKind::Chosen)
        .await
        .expect("a password of their policy's length is written");
    assert!(binds(&slapd.url(), &person.dn, long_enough).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_without_subentry_gets_the_default_policy_s_numbers() {
    let slapd = start_slapd().await;
    let directory = directory(&slapd);
    let person = add_person(
        &slapd,
        &directory,
        &unique_uid("dflt"),
        &TestPerson::default(),
    )
    .await;
    assert_eq!(person.ppolicy.subentry, None);
    let policy = directory.effective_policy(&person).await.expect("policy");
    // config/ldap/base.ldif, cn=default: read by the service account (ACL 10).
    assert_eq!(policy.dn.to_lowercase(), DEFAULT_POLICY_DN.to_lowercase());
    assert_eq!(policy.enforced_min_length(), Some(6));
    assert_eq!(policy.enforced_max_length(), Some(64));
    assert_eq!(policy.in_history, 3);
    assert!(policy.lockout);
    assert_eq!(policy.max_failure, 5);
    assert_eq!(policy.lockout_duration, Duration::from_secs(900));
    assert_eq!(policy.max_age, None);
    assert!(policy.must_change);
    assert_eq!(directory.default_policy().await.expect("default"), policy);

    // The site's stricter 8 stays; the directory adds its 64 and history 3.
    let effective = site_policy().effective(&policy);
    let json: serde_json::Value =
        serde_json::from_str(&effective.client_rules_json()).expect("json");
    assert_eq!(json["rules"][0]["min"], 8);
    assert_eq!(json["rules"][0]["max"], 64);

    // Without a readable default, nothing but [policy] applies.
    let elsewhere = directory_with(LdapSettings {
        default_policy_dn: "cn=nowhere,ou=policies,dc=univ-exemple,dc=fr".into(),
        ..settings_for(vec![slapd.url()])
    });
    assert_eq!(
        elsewhere.effective_policy(&person).await.expect("policy"),
        DirectoryPolicy::unenforced()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_wrong_binds_are_a_timed_lock_that_a_reset_lifts() {
    let slapd = start_slapd().await;
    let directory = directory(&slapd);
    let person = add_person(
        &slapd,
        &directory,
        &unique_uid("timed"),
        &TestPerson::default(),
    )
    .await;
    for _ in 0..5 {
        assert!(!binds(&slapd.url(), &person.dn, "wrong-guess").await);
    }
    let locked = reload(&directory, &person).await;
    let PpolicyLock::Timed { since } = locked.ppolicy.lock else {
        panic!("ppolicy's lock is timed: {:?}", locked.ppolicy.lock);
    };
    assert!((Utc::now() - since).num_seconds().abs() < 60, "{since}");
    let policy = directory.effective_policy(&locked).await.expect("policy");
    assert!(passerelle_domain::standing::standing(&locked, &policy, Utc::now()).is_ok());
    assert!(!directory.self_service_stopped(&locked).await.expect("read"));
    assert_eq!(
        locked.ppolicy.lock.ends_at(&policy),
        Some(since + chrono::Duration::seconds(900))
    );

    let new = "Nouveau-Depart-88";
    directory
        .write_password(&locked, &secret(new), WriteKind::Chosen)
        .await
        .expect("the gateway's write lifts a timed lock");
    assert!(binds(&slapd.url(), &person.dn, new).await);
    assert_eq!(
        reload(&directory, &person).await.ppolicy.lock,
        PpolicyLock::None
    );
}

/// caf-partenaires: the lock ran out 45 minutes ago, slapd still keeps
/// `pwdAccountLockedTime` until the next good bind; « Mot de passe oublié »
/// must go on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lock_that_has_run_out_does_not_stop_self_service() {
    let slapd = start_slapd().await;
    let directory = directory(&slapd);
    let person = add_person(
        &slapd,
        &directory,
        &unique_uid("ranout"),
        &TestPerson::default(),
    )
    .await;
    let an_hour_ago = Utc::now() - chrono::Duration::minutes(60);
    set_locked_time(&slapd, &person, &format_generalized_time(an_hour_ago));
    let locked = reload(&directory, &person).await;
    assert!(locked.ppolicy_locked, "the raw fact is still there");
    assert!(!locked.administratively_locked);
    assert!(matches!(locked.ppolicy.lock, PpolicyLock::Timed { .. }));
    assert!(!directory.self_service_stopped(&locked).await.expect("read"));
    directory
        .write_password(&locked, &secret("Printemps-Revenu-31"), WriteKind::Chosen)
        .await
        .expect("written");
    assert!(binds(&slapd.url(), &person.dn, "Printemps-Revenu-31").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn it_s_lock_and_a_lock_without_duration_stop_self_service() {
    let slapd = start_slapd().await;
    let directory = directory(&slapd);

    let it_locked = add_person(
        &slapd,
        &directory,
        &unique_uid("itlock"),
        &TestPerson::default(),
    )
    .await;
    set_locked_time(&slapd, &it_locked, "000001010000Z");
    let it_locked = reload(&directory, &it_locked).await;
    assert_eq!(it_locked.ppolicy.lock, PpolicyLock::Administrative);
    assert!(it_locked.administratively_locked);
    assert!(directory
        .self_service_stopped(&it_locked)
        .await
        .expect("read"));
    let refused = directory
        .write_password(&it_locked, &secret("Ne-Passera-Pas-11"), WriteKind::Chosen)
        .await;
    assert!(
        matches!(refused, Err(PasswordWriteError::Locked)),
        "{refused:?}"
    );
    let view = admin_view(&slapd, &it_locked.dn, &["pwdAccountLockedTime"]);
    assert_eq!(
        first(&view, "pwdAccountLockedTime").as_deref(),
        Some("000001010000Z"),
        "IT's lock stays"
    );

    // Under a policy whose pwdLockoutDuration is 0, ppolicy's own lock lasts
    // until an administrator lifts it: self-service must not either.
    let forever = add_policy(
        &slapd,
        "until-unlocked",
        "pwdLockout: TRUE\npwdMaxFailure: 3\npwdLockoutDuration: 0\n",
    );
    let person = add_person(
        &slapd,
        &directory,
        &unique_uid("forever"),
        &TestPerson::default(),
    )
    .await;
    attach_policy(&slapd, &person, &forever);
    for _ in 0..3 {
        assert!(!binds(&slapd.url(), &person.dn, "wrong-guess").await);
    }
    let locked = reload(&directory, &person).await;
    // slapd 2.5.13 stamps the time of the lock (measured); a server that
    // writes 000001010000Z instead means the same to the gateway.
    assert_ne!(locked.ppolicy.lock, PpolicyLock::None);
    assert!(directory.self_service_stopped(&locked).await.expect("read"));
    let refused = directory
        .write_password(&locked, &secret("Ne-Passera-Pas-12"), WriteKind::Chosen)
        .await;
    assert!(
        matches!(refused, Err(PasswordWriteError::Locked)),
        "{refused:?}"
    );
    assert!(!binds(&slapd.url(), &person.dn, OLD).await, "still locked");
}

/// `passerelle check` names each point where `[policy]` and the directory's
/// default policy disagree, one warning line each, and still passes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_warns_once_per_disagreement_with_the_default_policy() {
    use passerelle::slapd::{SERVICE_DN, SERVICE_PASSWORD};
    let slapd = start_slapd().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let secret_file = dir.path().join("bind-password");
    std::fs::write(&secret_file, format!("{SERVICE_PASSWORD}\n")).expect("secret");
    let config = dir.path().join("passerelle.toml");
    // base.ldif's cn=default says 6 to 64 characters and a history of 3.
    std::fs::write(
        &config,
        format!(
            "[ldap]\nurls = [\"{}\"]\nbind_dn = \"{SERVICE_DN}\"\nbind_password_file = \"{}\"\n\
             [mail]\ntransport = \"none\"\n\
             [secrets]\ncookie_key = \"{}\"\nanswer_pepper = \"a pepper for the policy tests\"\ncode_key = \"{}\"\n\
             [flows]\nidentifier = false\n\
             [policy]\nmin_length = 8\nmax_length = 64\nhistory = 0\n",
            slapd.url(),
            secret_file.display(),
            "Gq7vR2xLm9TzW4bN8kYs3PdF6hJc1QaE5uVo0XiK-wr_tHnM",
            "pZ8eL3yU7oA2sD6fG1hJ9kQ4wE0rT5xC-bN_vM7iO3uY2tRa",
        ),
    )
    .expect("config");
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_passerelle"))
            .args(["check", "--config"])
            .arg(config)
            .output()
            .expect("run passerelle check")
    })
    .await
    .expect("join");
    let printed = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(output.status.success(), "{printed}");
    let warnings: Vec<&str> = printed
        .lines()
        .filter(|l| l.starts_with("warn  policy"))
        .collect();
    assert_eq!(warnings.len(), 2, "{printed}");
    assert!(
        warnings[0].contains("policy.min_length is 8, pwdMinLength of")
            && warnings[0].contains(" is 6"),
        "{printed}"
    );
    assert!(
        warnings[1].contains("policy.history is 0, pwdInHistory of")
            && warnings[1].contains(" is 3"),
        "{printed}"
    );
}
