//! The gateway's state on the entry, proved against a real slapd with
//! several independent `Directory` clients standing for gateway replicas
//! behind a load balancer: attempts counted once across replicas, one mail
//! per cooldown whoever asks, and a temporary password that is only held
//! (as a keyed hash) until the person uses it.

use crate::directory_support;

use chrono::Utc;
use directory_support::*;
use passerelle::config::LockoutSettings;
use passerelle::directory::{nthash::nt_hash, BindProof, Directory, Person, WriteKind};
use passerelle::reset_code::CodeKey;
use passerelle::slapd::{Slapd, TestPerson};
use secrecy::SecretString;
use std::time::Duration;

const OLD: &str = "Tilleul-Argenté-2024";

fn secret(s: &str) -> SecretString {
    SecretString::from(s)
}

fn code_key() -> CodeKey {
    CodeKey::new(&secret("a-code-key-of-more-than-32-characters!"))
}

async fn new_person(slapd: &Slapd, gateway: &Directory, prefix: &str) -> Person {
    add_person(slapd, gateway, &unique_uid(prefix), &TestPerson::default()).await
}

/// Runs every future at once on the runtime and collects the outcomes.
async fn all_at_once<T: Send + 'static>(
    futures: Vec<impl std::future::Future<Output = T> + Send + 'static>,
) -> Vec<T> {
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut outcomes = Vec::new();
    for handle in handles {
        outcomes.push(handle.await.expect("task"));
    }
    outcomes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_directory_advertises_the_assertion_control_the_state_relies_on() {
    let slapd = start_slapd().await;
    let dse = directory(&slapd).root_dse().await.unwrap();
    assert!(dse.supports_assertion, "{dse:?}");
}

/// Twenty guesses at once through two replicas sharing one slapd: each
/// replica serialises its own, but only the directory can order the two.
/// Repeated, because a lost race shows only now and then.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_never_check_more_guesses_than_allowed() {
    let slapd = start_slapd().await;
    let replicas = [directory(&slapd), directory(&slapd)];
    let settings = LockoutSettings {
        max_failures: 5,
        lock_seconds: 600,
    };
    for round in 0..4 {
        let person = new_person(&slapd, &replicas[0], "tworeplicas").await;
        let attempts = (0..20)
            .map(|i| {
                let gateway = replicas[i % 2].clone();
                let (person, settings) = (person.clone(), settings.clone());
                async move { gateway.begin_attempt(&person, &settings).await }
            })
            .collect();
        let outcomes = all_at_once(attempts).await;
        let counted = outcomes
            .iter()
            .filter(|o| matches!(o, Ok(Attempt::Counted { .. })))
            .count();
        let locked = outcomes
            .iter()
            .filter(|o| matches!(o, Ok(Attempt::Locked { .. })))
            .count();
        assert_eq!((counted, locked), (5, 15), "round {round}: {outcomes:?}");
        let fresh = replicas[1].reload(&person).await.unwrap().unwrap();
        assert_eq!(fresh.state.failure_times.len(), 5, "round {round}");
        assert!(fresh.state.locked_until.is_some(), "round {round}");
    }
}

/// What the sign-in steps (`/account`, `/change`) will do: count the
/// attempt before the bind, forgive it when the password was right.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_right_sign_in_counted_first_then_forgiven_leaves_no_failure() {
    let slapd = start_slapd().await;
    let gateway = directory(&slapd);
    let settings = LockoutSettings {
        max_failures: 5,
        lock_seconds: 600,
    };
    let person = new_person(&slapd, &gateway, "signin").await;
    let attempt = gateway.begin_attempt(&person, &settings).await.unwrap();
    assert!(matches!(attempt, Attempt::Counted { .. }), "{attempt:?}");
    assert_eq!(
        gateway
            .verify_password(&person, &secret(OLD))
            .await
            .unwrap(),
        BindProof::Valid
    );
    gateway.forgive_attempt(&person, &attempt).await.unwrap();
    let fresh = gateway.reload(&person).await.unwrap().unwrap();
    assert!(fresh.state.failure_times.is_empty(), "{:?}", fresh.state);
    assert_eq!(fresh.state.locked_until, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_mail_per_cooldown_whichever_replica_is_asked() {
    let slapd = start_slapd().await;
    let replicas = [directory(&slapd), directory(&slapd)];
    let cooldown = Duration::from_secs(300);
    let now = Utc::now();
    let next = now + chrono::Duration::from_std(cooldown).unwrap();
    // Repeated, because a lost race shows only now and then.
    let mut person = None;
    for round in 0..4 {
        let someone = new_person(&slapd, &replicas[0], "mailclaim").await;
        // Someone who used self-service before: the entry has the class
        // already (adding it would fail for all but one replica, and hide
        // the race).
        slapd
            .modify_ldif(&format!(
                "dn: {}\nchangetype: modify\nadd: objectClass\nobjectClass: passerelleAccount\n",
                someone.dn
            ))
            .expect("class added");
        // Both replicas hold open connections, so that their claims overlap.
        for gateway in &replicas {
            gateway.reload(&someone).await.unwrap();
        }
        let claims = (0..6)
            .map(|i| {
                let (gateway, someone) = (replicas[i % 2].clone(), someone.clone());
                async move { gateway.claim_mail(&someone, cooldown, now).await }
            })
            .collect();
        let outcomes = all_at_once(claims).await;
        let granted = outcomes
            .iter()
            .filter(|o| matches!(o, Ok(MailClaim::Granted)))
            .count();
        assert_eq!(granted, 1, "round {round}: {outcomes:?}");
        for outcome in &outcomes {
            match outcome {
                Ok(MailClaim::Granted) => {}
                Ok(MailClaim::TooSoon { next_at }) => {
                    // The directory keeps microseconds.
                    assert!((*next_at - next).num_milliseconds().abs() < 1, "{next_at}");
                }
                Err(e) => panic!("{e}"),
            }
        }
        person = Some(someone);
    }
    let person = person.unwrap();

    // Just before the cooldown ends: still too soon; once it has: granted.
    let almost = next - chrono::Duration::seconds(1);
    assert!(matches!(
        replicas[1].claim_mail(&person, cooldown, almost).await,
        Ok(MailClaim::TooSoon { .. })
    ));
    assert_eq!(
        replicas[1]
            .claim_mail(&person, cooldown, next)
            .await
            .unwrap(),
        MailClaim::Granted
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mail_time_far_in_the_future_blocks_nobody() {
    let slapd = start_slapd().await;
    let gateway = directory(&slapd);
    let person = new_person(&slapd, &gateway, "mailskew").await;
    slapd
        .modify_ldif(&format!(
            "dn: {}\nchangetype: modify\nadd: objectClass\nobjectClass: passerelleAccount\n-\n\
             replace: passerelleMailSentTime\npasserelleMailSentTime: 20991231000000Z\n",
            person.dn
        ))
        .expect("a clock far ahead wrote this");
    let cooldown = Duration::from_secs(300);
    assert_eq!(
        gateway
            .claim_mail(&person, cooldown, Utc::now())
            .await
            .unwrap(),
        MailClaim::Granted
    );
    // A few seconds ahead is clock skew between replicas: it still counts.
    let now = Utc::now();
    gateway
        .claim_mail(&person, cooldown, now + chrono::Duration::seconds(3))
        .await
        .unwrap();
    assert!(matches!(
        gateway.claim_mail(&person, cooldown, now).await.unwrap(),
        MailClaim::TooSoon { .. }
    ));
}

/// A stranger who knows someone's login asks for a temporary password: the
/// person's password, Wi-Fi included, keeps working.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_temporary_password_leaves_the_current_one_working() {
    let slapd = start_slapd().await;
    let gateway = directory(&slapd);
    let person = new_person(&slapd, &gateway, "heldtemp").await;
    let key = code_key();
    let temporary = secret("Kx7#mPq2!rTz9w");
    let hash = key.hash_temporary(&person.dn, &temporary);
    let expires = Utc::now() + chrono::Duration::hours(24);
    gateway
        .set_pending_temporary(&person, &hash, expires)
        .await
        .unwrap();

    assert!(binds(&slapd.url(), &person.dn, OLD).await, "old password");
    assert!(
        !binds(&slapd.url(), &person.dn, "Kx7#mPq2!rTz9w").await,
        "the temporary password is no LDAP password"
    );
    let view = admin_view(
        &slapd,
        &person.dn,
        &["sambaNTPassword", "pwdReset", "passerelleTempPasswordHash"],
    );
    assert_eq!(
        first(&view, "sambaNTPassword"),
        Some(nt_hash(&secret(OLD))),
        "Wi-Fi untouched"
    );
    assert_eq!(first(&view, "pwdReset"), None);
    assert_eq!(first(&view, "passerelleTempPasswordHash"), Some(hash));

    // Wrong: it stays. Right: taken, once.
    let fresh = gateway.reload(&person).await.unwrap().unwrap();
    assert_eq!(
        fresh.state.pending_temp_expiry.map(|e| e.timestamp()),
        Some(expires.timestamp())
    );
    let wrong = secret("Kx7#mPq2!rTz9W");
    let take = |typed: SecretString| {
        let (gateway, person, key) = (gateway.clone(), person.clone(), key.clone());
        async move {
            gateway
                .take_pending_temporary(&person, Utc::now(), |stored| {
                    key.matches_temporary(&person.dn, &typed, stored)
                })
                .await
                .unwrap()
        }
    };
    assert_eq!(take(wrong).await, HeldTemporary::Wrong);
    assert_eq!(take(temporary.clone()).await, HeldTemporary::Taken);
    assert_eq!(take(temporary.clone()).await, HeldTemporary::NoneHeld);

    // Proved by it, the person chooses a password: nothing is left held.
    gateway
        .set_pending_temporary(
            &person,
            &key.hash_temporary(&person.dn, &temporary),
            expires,
        )
        .await
        .unwrap();
    let chosen = "Châtaigne-Verte-77";
    gateway
        .write_password(&person, &secret(chosen), WriteKind::Chosen)
        .await
        .unwrap();
    assert!(binds(&slapd.url(), &person.dn, chosen).await);
    let view = admin_view(
        &slapd,
        &person.dn,
        &[
            "passerelleTempPasswordHash",
            "passerelleTempPasswordHashExpiry",
            "sambaNTPassword",
        ],
    );
    assert_eq!(first(&view, "passerelleTempPasswordHash"), None);
    assert_eq!(first(&view, "passerelleTempPasswordHashExpiry"), None);
    assert_eq!(
        first(&view, "sambaNTPassword"),
        Some(nt_hash(&secret(chosen)))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_temporary_password_proves_once_even_through_two_replicas() {
    let slapd = start_slapd().await;
    let replicas = [directory(&slapd), directory(&slapd)];
    let key = code_key();
    let temporary = secret("Wn4=bHs8?kLp3e");
    for round in 0..4 {
        let person = new_person(&slapd, &replicas[0], "takeonce").await;
        replicas[0]
            .set_pending_temporary(
                &person,
                &key.hash_temporary(&person.dn, &temporary),
                Utc::now() + chrono::Duration::hours(1),
            )
            .await
            .unwrap();
        let takes = (0..6)
            .map(|i| {
                let (gateway, person) = (replicas[i % 2].clone(), person.clone());
                let (key, typed) = (key.clone(), temporary.clone());
                async move {
                    gateway
                        .take_pending_temporary(&person, Utc::now(), |stored| {
                            key.matches_temporary(&person.dn, &typed, stored)
                        })
                        .await
                }
            })
            .collect();
        let outcomes = all_at_once(takes).await;
        let taken = outcomes
            .iter()
            .filter(|o| matches!(o, Ok(HeldTemporary::Taken)))
            .count();
        assert_eq!(taken, 1, "round {round}: {outcomes:?}");
    }
}

/// The sweep retires only what reached `userPassword`; a held one that
/// expired just disappears, and the person's password is untouched.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sweep_retires_written_temporary_passwords_and_drops_expired_held_ones() {
    let slapd = start_slapd().await;
    let gateway = directory(&slapd);
    let key = code_key();
    let past = Utc::now() - chrono::Duration::seconds(5);

    let held = new_person(&slapd, &gateway, "sweepheld").await;
    let temporary = secret("Qz5+cVt7@nMa2s");
    gateway
        .set_pending_temporary(&held, &key.hash_temporary(&held.dn, &temporary), past)
        .await
        .unwrap();
    let written = new_person(&slapd, &gateway, "sweepwritten").await;
    gateway
        .write_password(&written, &temporary, WriteKind::Temporary { expires: past })
        .await
        .unwrap();

    assert_eq!(
        gateway.retire_expired_temporary_passwords().await.unwrap(),
        1,
        "only the written one is retired"
    );
    assert!(binds(&slapd.url(), &held.dn, OLD).await, "held: untouched");
    let view = admin_view(
        &slapd,
        &held.dn,
        &[
            "passerelleTempPasswordHash",
            "passerelleTempPasswordHashExpiry",
            "sambaNTPassword",
            "pwdReset",
        ],
    );
    assert_eq!(first(&view, "passerelleTempPasswordHash"), None);
    assert_eq!(first(&view, "passerelleTempPasswordHashExpiry"), None);
    assert_eq!(first(&view, "sambaNTPassword"), Some(nt_hash(&secret(OLD))));
    assert_eq!(first(&view, "pwdReset"), None);
    assert_eq!(
        gateway.verify_password(&written, &temporary).await.unwrap(),
        BindProof::Invalid,
        "written: retired"
    );
}

/// A temporary password IT replaced since (`ldappasswd` as an
/// administrator: ppolicy moves `pwdChangedTime`) is IT's: the sweep keeps
/// it and forgets the expiry; one under IT's lock is kept, and its lock too,
/// until IT lifts the lock.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sweep_keeps_a_password_it_replaced_and_never_lifts_it_s_lock() {
    let slapd = start_slapd().await;
    let gateway = directory(&slapd);
    let past = Utc::now() - chrono::Duration::seconds(5);
    let an_hour_ago = Utc::now() - chrono::Duration::hours(1);
    let temporary = secret("Rk4=pWz7!qXc2v");
    let replaced = new_person(&slapd, &gateway, "sweepreplaced").await;
    let locked = new_person(&slapd, &gateway, "sweeplocked").await;
    for person in [&replaced, &locked] {
        gateway
            .write_password(person, &temporary, WriteKind::Temporary { expires: past })
            .await
            .unwrap();
    }
    // Written an hour ago, as far as the gateway's change id tells.
    let written = passerelle_domain::writing::temporary_change_id(an_hour_ago);
    slapd
        .modify_ldif(&format!(
            "dn: {}\nchangetype: modify\nreplace: passerelleChangeId\npasserelleChangeId: {written}\n-\n\
             replace: userPassword\nuserPassword: Donne-Par-La-DSI-7\n",
            replaced.dn
        ))
        .expect("IT's ldappasswd");
    slapd
        .modify_ldif(&format!(
            "dn: {}\nchangetype: modify\nreplace: pwdAccountLockedTime\npwdAccountLockedTime: 000001010000Z\n",
            locked.dn
        ))
        .expect("IT's lock");

    assert_eq!(
        gateway.retire_expired_temporary_passwords().await.unwrap(),
        0
    );
    assert!(
        binds(&slapd.url(), &replaced.dn, "Donne-Par-La-DSI-7").await,
        "IT's password retired"
    );
    let view = admin_view(&slapd, &replaced.dn, &["passerelleTempPasswordExpiry"]);
    assert_eq!(
        first(&view, "passerelleTempPasswordExpiry"),
        None,
        "found again at every sweep"
    );
    let view = admin_view(
        &slapd,
        &locked.dn,
        &["pwdAccountLockedTime", "passerelleTempPasswordExpiry"],
    );
    assert_eq!(
        first(&view, "pwdAccountLockedTime").as_deref(),
        Some("000001010000Z")
    );
    assert!(first(&view, "passerelleTempPasswordExpiry").is_some());

    // IT lifts the lock: the next sweep retires the mailed password.
    slapd
        .modify_ldif(&format!(
            "dn: {}\nchangetype: modify\ndelete: pwdAccountLockedTime\n",
            locked.dn
        ))
        .expect("IT's unlock");
    assert_eq!(
        gateway.retire_expired_temporary_passwords().await.unwrap(),
        1
    );
    assert!(
        !binds(&slapd.url(), &locked.dn, "Rk4=pWz7!qXc2v").await,
        "the mailed password still binds"
    );
}

/// The new state attributes are the gateway's alone, like the others: a
/// person cannot fetch the hash of a temporary password meant for them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_but_the_gateway_reads_a_held_temporary_password_or_the_mail_time() {
    let slapd = start_slapd().await;
    let gateway = directory(&slapd);
    let person = new_person(&slapd, &gateway, "heldacl").await;
    let key = code_key();
    let hash = key.hash_temporary(&person.dn, &secret("Hj6!tRe4=wQa8z"));
    gateway
        .set_pending_temporary(&person, &hash, Utc::now() + chrono::Duration::hours(1))
        .await
        .unwrap();
    gateway
        .claim_mail(&person, Duration::from_secs(60), Utc::now())
        .await
        .unwrap();
    let state = [
        "passerelleTempPasswordHash",
        "passerelleTempPasswordHashExpiry",
        "passerelleMailSentTime",
    ];
    let seen = service_view(&slapd.url(), &person.dn, &state).await;
    assert_eq!(seen[0].attrs.len(), 3, "the gateway reads them: {seen:?}");

    let (conn, mut ldap) = ldap3::LdapConnAsync::new(&slapd.url()).await.unwrap();
    ldap3::drive!(conn);
    ldap.simple_bind(&person.dn, OLD)
        .await
        .unwrap()
        .success()
        .unwrap();
    let (own, _) = ldap
        .search(
            &person.dn,
            ldap3::Scope::Base,
            "(objectClass=*)",
            state.to_vec(),
        )
        .await
        .unwrap()
        .success()
        .unwrap();
    let own = ldap3::SearchEntry::construct(own.into_iter().next().unwrap());
    assert!(own.attrs.is_empty(), "the person read {:?}", own.attrs);
}
