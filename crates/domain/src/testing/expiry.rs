//! Expiry: an e-mailed code, a held or written temporary password, the
//! retirement of expired temporary passwords, and the password expiry
//! notices. Codes last 600 s and temporary passwords 3600 s here.

use super::lockout::code_asked;
use super::*;
use crate::flows::account::{self, SignInOutcome};
use crate::flows::change::{self, SignInOutcome as ChangeSignIn};
use crate::flows::code::{self, CodeInput, Request, VerifyOutcome};
use crate::flows::{temporary, PasswordOutcome};

#[tokio::test]
async fn a_right_code_is_refused_from_its_expiry_second_and_the_attempt_is_forgiven() {
    let world = World::new().await;
    let journey = world.journey(FlowName::Code);
    let (claim, right) = code_asked(&world, &journey).await;
    world.clock.advance(600);
    let outcome = code::verify(
        &world.gateway,
        &journey,
        Some(&claim),
        CodeInput::Code(right),
    )
    .await
    .unwrap();
    assert!(matches!(outcome, VerifyOutcome::Refused));
    assert_eq!(world.audit.of_step(AuditStep::Code), [Outcome::ExpiredCode]);
    assert!(
        world.person("jdupont").state.failure_times.is_empty(),
        "the mailbox owner's expired code counted as a guess"
    );
}

#[tokio::test]
async fn a_right_code_proves_until_the_second_before_its_expiry_and_only_once() {
    let world = World::new().await;
    let journey = world.journey(FlowName::Code);
    let (claim, right) = code_asked(&world, &journey).await;
    world.clock.advance(599);
    let outcome = code::verify(
        &world.gateway,
        &journey,
        Some(&claim),
        CodeInput::Code(right.clone()),
    )
    .await
    .unwrap();
    assert!(matches!(outcome, VerifyOutcome::Proved(_)));
    let outcome = code::verify(
        &world.gateway,
        &journey,
        Some(&claim),
        CodeInput::Code(right),
    )
    .await
    .unwrap();
    assert!(
        matches!(outcome, VerifyOutcome::Refused),
        "a code proved twice"
    );
    assert_eq!(
        world.audit.of_step(AuditStep::Code),
        [Outcome::CodeRight, Outcome::NoCodeOrNoTryLeft]
    );
}

/// The link of the last code mailed to `jdupont`.
fn last_link(world: &World) -> String {
    world
        .mailer
        .sent()
        .iter()
        .rev()
        .find_map(|m| match &m.kind {
            crate::mail::MailKind::ResetCode { link, .. } => {
                link.expose_secret().rsplit('/').next().map(str::to_owned)
            }
            _ => None,
        })
        .expect("a link")
}

#[tokio::test]
async fn the_first_mail_s_link_after_a_newer_code_counts_no_failure() {
    let world = World::new().await;
    code_asked(&world, &world.journey(FlowName::Code)).await;
    let first = last_link(&world);
    // Past the resend cooldown (60 s here), within the code's 600 s.
    world.clock.advance(61);
    code_asked(&world, &world.journey(FlowName::Code)).await;
    let newer = last_link(&world);
    assert_ne!(first, newer);
    let before = world.person("jdupont").state;
    // The person clicks the older mail's link: refused, nothing counted,
    // the newer code untouched.
    let journey = world.journey(FlowName::Code);
    let outcome = code::verify_link(&world.gateway, &journey, &first)
        .await
        .unwrap();
    assert!(matches!(outcome, code::LinkOutcome::Invalid));
    let after = world.person("jdupont").state;
    assert_eq!(
        after.failure_times, before.failure_times,
        "a failure counted"
    );
    assert_eq!(after.code_tries_left, before.code_tries_left, "a try spent");
    assert_eq!(
        world.audit.of_step(AuditStep::Link),
        [Outcome::LinkSuperseded]
    );
    // The newer link proves.
    let outcome = code::verify_link(&world.gateway, &journey, &newer)
        .await
        .unwrap();
    assert!(matches!(outcome, code::LinkOutcome::Proved(_)));
}

/// Asks for a temporary password for `jdupont` and returns it.
async fn temporary_asked(world: &World) -> SecretString {
    let journey = world.journey(FlowName::Temporary);
    temporary::request(&world.gateway, &journey, Request::Accepted("jdupont"))
        .await
        .expect("the request recorded");
    let sent = world.audit.wait_for(AuditStep::SendTemporary, 1).await;
    assert_eq!(sent, [Outcome::TemporaryPasswordMailed]);
    world.mailer.last_temporary()
}

#[tokio::test]
async fn a_held_temporary_password_past_its_expiry_proves_no_sign_in_and_is_removed() {
    let world = World::new().await;
    let temporary = temporary_asked(&world).await;
    world.clock.advance(3600);
    let journey = world.journey(FlowName::Change);
    let outcome = change::sign_in(&world.gateway, &journey, "jdupont", &temporary)
        .await
        .unwrap();
    assert!(matches!(outcome, ChangeSignIn::Refused));
    world.clock.advance(1);
    let journey = world.journey(FlowName::Account);
    let outcome = account::sign_in(&world.gateway, &journey, "jdupont", &temporary)
        .await
        .unwrap();
    assert!(matches!(outcome, SignInOutcome::Refused));
    let state = world.person("jdupont").state;
    assert_eq!(
        state.pending_temp_hash, None,
        "the expired one stays on the entry"
    );
    assert_eq!(
        world.audit.of_step(AuditStep::Login),
        [Outcome::WrongPassword, Outcome::WrongPassword]
    );
}

#[tokio::test]
async fn a_held_temporary_password_proves_the_forced_change_once_before_its_expiry() {
    let world = World::new().await;
    let temporary = temporary_asked(&world).await;
    world.clock.advance(3599);
    let mut journey = world.journey(FlowName::Change);
    match change::sign_in(&world.gateway, &journey, "jdupont", &temporary)
        .await
        .unwrap()
    {
        ChangeSignIn::Proved(proof) => {
            assert!(proof.by_temporary);
            journey.proof = Some(proof);
        }
        _ => panic!("not proved: {:?}", world.audit.outcomes()),
    }
    assert!(!change::asks_current(&journey));
    world.clock.advance(1);
    let again = change::sign_in(
        &world.gateway,
        &world.journey(FlowName::Change),
        "jdupont",
        &temporary,
    )
    .await
    .unwrap();
    assert!(
        matches!(again, ChangeSignIn::Refused),
        "a temporary password proved twice"
    );
    let outcome = change::submit_password(
        &world.gateway,
        &journey,
        &form(&secret("Nouveau-Secret-2026")),
    )
    .await
    .unwrap();
    assert!(
        matches!(outcome, PasswordOutcome::Done { .. }),
        "{outcome:?}"
    );
    assert_eq!(
        world.directory.entry(&dn_of("jdupont")).password.as_deref(),
        Some("Nouveau-Secret-2026")
    );
}

#[tokio::test]
async fn signing_in_to_change_with_an_expired_written_temporary_password_says_it_expired() {
    let world = World::with(|s| s.flows.temporary_in_user_password = true).await;
    let temporary = temporary_asked(&world).await;
    let writes = world.directory.writes();
    assert_eq!(writes.len(), 1);
    assert!(matches!(writes[0].kind, WriteKind::Temporary { .. }));
    world.clock.advance(3600);
    let journey = world.journey(FlowName::Change);
    let outcome = change::sign_in(&world.gateway, &journey, "jdupont", &temporary)
        .await
        .unwrap();
    assert!(matches!(outcome, ChangeSignIn::TemporaryExpired));
    assert_eq!(
        world.audit.of_step(AuditStep::Login),
        [Outcome::TemporaryPasswordExpired]
    );
    assert!(world.person("jdupont").state.failure_times.is_empty());
}

#[tokio::test]
async fn a_written_temporary_password_that_expires_before_the_submission_writes_nothing() {
    let world = World::with(|s| s.flows.temporary_in_user_password = true).await;
    let temporary = temporary_asked(&world).await;
    let mut journey = world.journey(FlowName::Change);
    match change::sign_in(&world.gateway, &journey, "jdupont", &temporary)
        .await
        .unwrap()
    {
        ChangeSignIn::Proved(proof) => journey.proof = Some(proof),
        _ => panic!("not proved: {:?}", world.audit.outcomes()),
    }
    world.clock.advance(3600);
    let chosen = secret("Nouveau-Secret-2026");
    let outcome = change::submit_password(
        &world.gateway,
        &journey,
        &form_with_current(&chosen, &temporary),
    )
    .await
    .unwrap();
    assert!(
        matches!(outcome, PasswordOutcome::TemporaryExpired),
        "{outcome:?}"
    );
    assert_eq!(world.directory.writes().len(), 1, "only the temporary one");
    assert!(
        world.person("jdupont").state.failure_times.is_empty(),
        "the right password stayed counted"
    );
    assert_eq!(
        world.audit.of_step(AuditStep::Password),
        [Outcome::TemporaryPasswordExpired]
    );
}

#[tokio::test]
async fn retiring_replaces_only_expired_written_temporaries_and_removes_expired_held_ones() {
    let world = World::empty(|_| {});
    let past = start() - chrono::Duration::seconds(1);
    let later = start() + chrono::Duration::seconds(3600);
    let with = |login: &str, edit: fn(&mut Entry, DateTime<Utc>, DateTime<Utc>)| {
        let mut entry = Entry::person(login);
        entry.identifiers.clear();
        edit(&mut entry, past, later);
        world.add(entry);
    };
    with("ecrit-expire", |e, past, _| {
        e.password = Some("Provisoire-1".into());
        e.person.password_must_change = true;
        e.person.state.temp_password_expiry = Some(past);
    });
    with("ecrit-valide", |e, _, later| {
        e.password = Some("Provisoire-2".into());
        e.person.password_must_change = true;
        e.person.state.temp_password_expiry = Some(later);
    });
    with("tenu-expire", |e, past, _| {
        e.person.state.pending_temp_hash = Some("aa".into());
        e.person.state.pending_temp_expiry = Some(past);
    });
    with("tenu-valide", |e, _, later| {
        e.person.state.pending_temp_hash = Some("bb".into());
        e.person.state.pending_temp_expiry = Some(later);
    });
    let retired = temporary::retire_expired(&world.gateway).await.unwrap();
    assert_eq!(retired, 1);
    let writes = world.directory.writes();
    assert_eq!(writes.len(), 1);
    assert_eq!(writes[0].dn, dn_of("ecrit-expire"));
    assert_eq!(writes[0].kind, WriteKind::Retired);
    let entry = |login: &str| world.directory.entry(&dn_of(login));
    assert_ne!(
        entry("ecrit-expire").password.as_deref(),
        Some("Provisoire-1")
    );
    assert_eq!(
        entry("ecrit-expire").person.state.temp_password_expiry,
        None
    );
    assert_eq!(
        entry("ecrit-valide").password.as_deref(),
        Some("Provisoire-2")
    );
    assert_eq!(entry("tenu-expire").person.state.pending_temp_hash, None);
    assert_eq!(entry("tenu-expire").password.as_deref(), Some(CURRENT));
    assert_eq!(
        entry("tenu-valide")
            .person
            .state
            .pending_temp_hash
            .as_deref(),
        Some("bb")
    );
}

#[tokio::test]
async fn retiring_never_replaces_a_password_chosen_after_the_search() {
    let world = World::empty(|_| {});
    let mut entry = Entry::person("jdupont");
    entry.password = Some("Provisoire-1".into());
    entry.person.password_must_change = true;
    entry.person.state.temp_password_expiry = Some(start() - chrono::Duration::seconds(1));
    world.add(entry);
    // Between the search and the retirement, the person resets their
    // password elsewhere (a /recover write: chosen, the expiry cleared).
    world.directory.before_next_write(&dn_of("jdupont"), |e| {
        e.history.push(e.password.take().unwrap_or_default());
        e.password = Some("Choisi-Par-Moi-2026".into());
        e.person.password_must_change = false;
        e.person.state.temp_password_expiry = None;
        e.person.state.change_id = Some("the person's own change".into());
    });
    let retired = temporary::retire_expired(&world.gateway).await.unwrap();
    assert_eq!(
        world.directory.entry(&dn_of("jdupont")).password.as_deref(),
        Some("Choisi-Par-Moi-2026"),
        "the person's new password was retired"
    );
    assert_eq!(retired, 0);
}

#[tokio::test]
async fn retiring_keeps_a_password_replaced_outside_the_gateway_and_never_lifts_it_s_lock() {
    use crate::ppolicy::PpolicyLock;
    use crate::writing::temporary_change_id;
    let world = World::empty(|_| {});
    let written = start() - chrono::Duration::seconds(7200);
    let expired = start() - chrono::Duration::seconds(3600);
    let with = |login: &str, edit: &dyn Fn(&mut Entry)| {
        let mut entry = Entry::person(login);
        entry.identifiers.clear();
        // As the gateway wrote it two hours ago, expired an hour ago.
        entry.password = Some(format!("Provisoire-{login}"));
        entry.person.password_must_change = true;
        entry.person.state.temp_password_expiry = Some(expired);
        entry.person.state.change_id = Some(temporary_change_id(written));
        entry.person.pwd_changed_time = Some(changed_time(written));
        edit(&mut entry);
        world.add(entry);
    };
    with("intact", &|_| {});
    // IT's `ldappasswd` an hour after the write (ppolicy's pwdMustChange
    // set pwdReset again): the password is IT's, not the mailed one.
    with("par-la-dsi", &|e| {
        e.password = Some("Donne-Par-La-DSI-1".into());
        e.person.pwd_changed_time = Some(changed_time(written + chrono::Duration::seconds(3600)));
    });
    // The person's own change in another portal: ppolicy removed pwdReset.
    with("ailleurs", &|e| {
        e.password = Some("Choisi-Ailleurs-2026".into());
        e.person.password_must_change = false;
    });
    // IT locked the account after the write.
    with("verrouille", &|e| {
        e.person.ppolicy.lock = PpolicyLock::Administrative
    });

    let retired = temporary::retire_expired(&world.gateway).await.unwrap();
    assert_eq!(retired, 1);
    let entry = |login: &str| world.directory.entry(&dn_of(login));
    assert_ne!(
        entry("intact").password.as_deref(),
        Some("Provisoire-intact")
    );
    for (login, password) in [
        ("par-la-dsi", "Donne-Par-La-DSI-1"),
        ("ailleurs", "Choisi-Ailleurs-2026"),
    ] {
        assert_eq!(entry(login).password.as_deref(), Some(password), "{login}");
        assert_eq!(
            entry(login).person.state.temp_password_expiry,
            None,
            "{login}: found again at every sweep"
        );
    }
    let locked = entry("verrouille");
    assert_eq!(locked.password.as_deref(), Some("Provisoire-verrouille"));
    assert_eq!(
        locked.person.ppolicy.lock,
        PpolicyLock::Administrative,
        "the lock lifted"
    );
    assert_eq!(locked.person.state.temp_password_expiry, Some(expired));

    // IT lifts the lock: the next sweep retires the mailed password.
    world.directory.edit(&dn_of("verrouille"), |e| {
        e.person.ppolicy.lock = PpolicyLock::None
    });
    assert_eq!(temporary::retire_expired(&world.gateway).await.unwrap(), 1);
    assert_ne!(
        entry("verrouille").password.as_deref(),
        Some("Provisoire-verrouille")
    );
}

#[test]
fn an_expiry_notice_is_due_from_the_threshold_s_exact_day() {
    use crate::expiry::due;
    let now = start();
    let days = |d: i64, s: i64| now + chrono::Duration::days(d) + chrono::Duration::seconds(s);
    let notices = [14, 7, 1];
    assert_eq!(due(days(14, 0), now, &notices), Some((14, 14)));
    assert_eq!(due(days(14, 1), now, &notices), None, "15 days started");
    assert_eq!(due(days(7, 0), now, &notices), Some((7, 7)));
    assert_eq!(due(days(7, 1), now, &notices), Some((14, 8)));
    assert_eq!(due(days(1, 0), now, &notices), Some((1, 1)));
    assert_eq!(due(days(1, 1), now, &notices), Some((7, 2)));
    assert_eq!(
        due(days(0, 1), now, &notices),
        Some((1, 1)),
        "the last second"
    );
    assert_eq!(due(now, now, &notices), None, "expired at this very second");
}

#[tokio::test]
async fn two_expiry_runs_at_once_mail_each_notice_once_and_a_stopped_account_none() {
    let world = World::empty(|_| {});
    world
        .directory
        .set_policy(|p| p.max_age = Some(Duration::from_secs(30 * 86_400)));
    // Changed 25 days ago: expires in 5 days, the 7-day notice.
    let changed = changed_time(start() - chrono::Duration::days(25));
    for login in ["actif", "gele"] {
        let mut entry = Entry::person(login);
        entry.identifiers.clear();
        entry.person.pwd_changed_time = Some(changed.clone());
        world.add(entry);
    }
    world.directory.edit(&dn_of("gele"), |e| {
        e.person.state.frozen = Some("20260301000000Z".into())
    });
    let people = || vec![world.person("actif"), world.person("gele")];
    let other = world.replica();
    let (a, b) = tokio::join!(
        crate::expiry::notify_expiring(
            &world.gateway,
            crate::expiry::paged(people()),
            &[14, 7, 1],
            start()
        ),
        crate::expiry::notify_expiring(
            &other,
            crate::expiry::paged(people()),
            &[14, 7, 1],
            start()
        ),
    );
    assert_eq!(a.mailed + b.mailed, 1, "{a:?} {b:?}");
    assert_eq!(a.already_sent + b.already_sent, 1, "{a:?} {b:?}");
    let mails = world.mailer.of("password_expiring");
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, "actif@example.net");
    assert_eq!(
        world.person("actif").state.expiry_notice,
        Some(format!("{changed} 7"))
    );
}

#[tokio::test]
async fn no_expiry_notice_for_a_password_changed_since_the_run_read_it() {
    let world = World::empty(|_| {});
    world
        .directory
        .set_policy(|p| p.max_age = Some(Duration::from_secs(30 * 86_400)));
    let changed = changed_time(start() - chrono::Duration::days(25));
    let mut entry = Entry::person("actif");
    entry.identifiers.clear();
    entry.person.pwd_changed_time = Some(changed);
    world.add(entry);
    let read = world.person("actif");
    // The person changes their password between the run's read and its
    // notice: the old password's expiry is no news to them.
    world.directory.edit(&dn_of("actif"), |e| {
        e.person.pwd_changed_time = Some(changed_time(start()))
    });
    let report = crate::expiry::notify_expiring(
        &world.gateway,
        crate::expiry::paged(vec![read]),
        &[14, 7, 1],
        start(),
    )
    .await;
    assert_eq!(report.mailed, 0, "{report:?}");
    assert!(world.mailer.of("password_expiring").is_empty());
    assert_eq!(world.person("actif").state.expiry_notice, None);
}

#[tokio::test]
async fn the_code_s_link_proves_like_the_typed_code_once_and_not_after_its_expiry() {
    let world = World::new().await;
    let journey = world.journey(FlowName::Code);
    code_asked(&world, &journey).await;
    let token = last_link(&world);
    assert!(code::link_is_valid(&world.gateway, &token));
    let outcome = code::verify_link(&world.gateway, &journey, &token)
        .await
        .unwrap();
    assert!(matches!(outcome, code::LinkOutcome::Proved(_)));
    let outcome = code::verify_link(&world.gateway, &journey, &token)
        .await
        .unwrap();
    assert!(
        matches!(outcome, code::LinkOutcome::Invalid),
        "a link proved twice"
    );
    world.clock.advance(600);
    assert!(!code::link_is_valid(&world.gateway, &token));
    assert_eq!(
        world.audit.of_step(AuditStep::Link),
        [Outcome::CodeRight, Outcome::LinkSuperseded]
    );
}

#[tokio::test]
async fn a_code_voided_by_a_newer_one_stored_during_its_check_does_not_prove() {
    let world = World::new().await;
    let journey = world.journey(FlowName::Code);
    let (claim, old) = code_asked(&world, &journey).await;
    // Another tab's "Renvoyer le code" stores a new code while this one
    // is being checked (after the look-up, before the try is spent).
    let newer = super::lockout::other_than(&old);
    let newer_hash = world.code_hash("jdupont", &newer);
    world.directory.before_next_apply(
        &dn_of("jdupont"),
        // The try's one modify: a right code's clears it.
        |changes| {
            changes
                .iter()
                .any(|c| matches!(c, Change::AddFailure(_) | Change::ClearCode))
        },
        move |e| {
            let state = &mut e.person.state;
            state.code_hash = Some(newer_hash);
            state.code_tries_left = Some(3);
            state.code_expiry = Some(start() + chrono::Duration::seconds(600));
        },
    );
    let outcome = code::verify(&world.gateway, &journey, Some(&claim), CodeInput::Code(old))
        .await
        .unwrap();
    assert!(
        matches!(outcome, VerifyOutcome::Refused),
        "a voided code proved"
    );
}

#[tokio::test]
async fn the_same_right_code_typed_in_two_tabs_at_once_proves_one_of_them() {
    let world = World::new().await;
    let journey = world.journey(FlowName::Code);
    let (claim, right) = code_asked(&world, &journey).await;
    // Both read the entry with the code on it; the try is one guarded
    // modify, so only one removes the code, and the other, read again,
    // finds none.
    let (one, two) = tokio::join!(
        code::verify(
            &world.gateway,
            &journey,
            Some(&claim),
            CodeInput::Code(right.clone())
        ),
        code::verify(
            &world.gateway,
            &journey,
            Some(&claim),
            CodeInput::Code(right.clone())
        ),
    );
    let proved = [one.unwrap(), two.unwrap()]
        .iter()
        .filter(|outcome| matches!(outcome, VerifyOutcome::Proved(_)))
        .count();
    assert_eq!(proved, 1, "{:?}", world.audit.outcomes());
    let entry = world.directory.person(&dn_of("jdupont"));
    assert!(entry.state.code_hash.is_none(), "the code stays usable");
}
