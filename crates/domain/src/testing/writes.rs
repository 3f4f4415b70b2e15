//! The password write itself: what it carries, what the directory's own
//! policy makes of it (history, safe modify), what a lost answer does, and
//! what the person is told about the confirmation mail.

use super::*;
use crate::flows::account::{self, SignInOutcome};
use crate::flows::{change, password, recover, PasswordOutcome};

#[tokio::test]
async fn a_write_that_timed_out_unapplied_is_sent_once_more_and_done() {
    let world = World::new().await;
    let journey = recover_proved(&world.gateway, &world, "jdupont").await;
    world
        .directory
        .fail_next_write(WriteFault::TimeoutNotApplied);
    let outcome = recover::submit_password(
        &world.gateway,
        &journey,
        &form(&secret("Nouveau-Secret-2026")),
    )
    .await
    .unwrap();
    assert!(
        matches!(outcome, PasswordOutcome::Done { mailed: true, .. }),
        "{outcome:?}"
    );
    assert_eq!(world.directory.writes().len(), 1);
    assert_eq!(world.audit.of_step(AuditStep::Password), [Outcome::Changed]);
    assert_eq!(world.mailer.of("password_changed").len(), 1);
}

#[tokio::test]
async fn a_write_applied_whose_answer_was_lost_is_reported_done_with_its_mail_and_hooks() {
    let world = World::new().await;
    let journey = recover_proved(&world.gateway, &world, "jdupont").await;
    world
        .directory
        .fail_next_write(WriteFault::AppliedAnswerLost);
    let outcome = recover::submit_password(
        &world.gateway,
        &journey,
        &form(&secret("Nouveau-Secret-2026")),
    )
    .await
    .unwrap();
    assert_eq!(world.directory.writes().len(), 1);
    assert!(
        matches!(outcome, PasswordOutcome::Done { mailed: true, .. }),
        "{outcome:?}"
    );
    assert_eq!(world.audit.of_step(AuditStep::Password), [Outcome::Changed]);
    assert_eq!(world.mailer.of("password_changed").len(), 1);
    assert_eq!(world.hooks.runs(), 1);
}

#[tokio::test]
async fn a_reset_under_a_safe_modify_policy_writes_nothing_and_says_the_old_password_is_needed() {
    let world = World::new().await;
    world.directory.set_policy(|p| p.safe_modify = true);
    let journey = recover_proved(&world.gateway, &world, "jdupont").await;
    let outcome = recover::submit_password(
        &world.gateway,
        &journey,
        &form(&secret("Nouveau-Secret-2026")),
    )
    .await
    .unwrap();
    assert!(
        matches!(outcome, PasswordOutcome::OldPasswordRequired),
        "{outcome:?}"
    );
    assert!(world.directory.writes().is_empty());
    assert!(world.mailer.of("password_changed").is_empty());
    assert_eq!(
        world.audit.of_step(AuditStep::Password),
        [Outcome::OldPasswordRequired]
    );
}

#[tokio::test]
async fn a_change_under_a_safe_modify_policy_carries_the_current_password_in_the_write() {
    let world = World::new().await;
    world.directory.set_policy(|p| p.safe_modify = true);
    let mut journey = world.journey(FlowName::Change);
    match change::sign_in(&world.gateway, &journey, "jdupont", &secret(CURRENT))
        .await
        .unwrap()
    {
        change::SignInOutcome::Proved(proof) => journey.proof = Some(proof),
        _ => panic!("not signed in: {:?}", world.audit.outcomes()),
    }
    let (chosen, current) = (secret("Nouveau-Secret-2026"), secret(CURRENT));
    let outcome = change::submit_password(
        &world.gateway,
        &journey,
        &form_with_current(&chosen, &current),
    )
    .await
    .unwrap();
    assert!(
        matches!(outcome, PasswordOutcome::Done { .. }),
        "{outcome:?}"
    );
    let writes = world.directory.writes();
    assert_eq!(writes.len(), 1);
    assert_eq!(writes[0].old_password.as_deref(), Some(CURRENT));
    assert_eq!(writes[0].password, "Nouveau-Secret-2026");
}

/// An `/account` session of jdupont, signed in with the current password.
async fn account_signed_in(world: &World) -> Journey {
    let mut journey = world.journey(FlowName::Account);
    match account::sign_in(&world.gateway, &journey, "jdupont", &secret(CURRENT))
        .await
        .unwrap()
    {
        SignInOutcome::SignedIn(proof) => journey.proof = Some(proof),
        _ => panic!("not signed in: {:?}", world.audit.outcomes()),
    }
    journey
}

#[tokio::test]
async fn the_account_password_page_always_asks_for_the_current_password_and_carries_it_under_safe_modify(
) {
    let world = World::new().await;
    let journey = account_signed_in(&world).await;
    let page = password::page(&world.gateway, &journey).await.unwrap();
    assert!(
        page.asks_current,
        "asked as /change asks it: a session is not enough"
    );
    let (chosen, current) = (secret("Nouveau-Secret-2026"), secret(CURRENT));
    // Left empty: the page again, asking for it; nothing written.
    let outcome = account::submit_password(&world.gateway, &journey, &form(&chosen))
        .await
        .unwrap();
    assert!(
        matches!(&outcome, PasswordOutcome::Again { problems, .. } if problems[0].0 == "current"),
        "{outcome:?}"
    );
    assert!(world.directory.writes().is_empty());
    // A wrong one: refused, nothing written.
    let wrong = secret("Pas-Le-Bon-2026");
    let outcome = account::submit_password(
        &world.gateway,
        &journey,
        &form_with_current(&chosen, &wrong),
    )
    .await
    .unwrap();
    assert!(
        matches!(&outcome, PasswordOutcome::Again { problems, .. } if problems[0].0 == "current"),
        "{outcome:?}"
    );
    assert!(world.directory.writes().is_empty());
    world.clock.advance(1);
    let outcome = account::submit_password(
        &world.gateway,
        &journey,
        &form_with_current(&chosen, &current),
    )
    .await
    .unwrap();
    assert!(
        matches!(outcome, PasswordOutcome::Done { .. }),
        "{outcome:?}"
    );

    let world = World::new().await;
    world.directory.set_policy(|p| p.safe_modify = true);
    let journey = account_signed_in(&world).await;
    let page = password::page(&world.gateway, &journey).await.unwrap();
    assert!(page.asks_current, "pwdSafeModify: asked");
    // Left empty: the page again, asking for it.
    let outcome = account::submit_password(&world.gateway, &journey, &form(&chosen))
        .await
        .unwrap();
    let PasswordOutcome::Again {
        problems,
        asks_current,
        ..
    } = outcome
    else {
        panic!("{outcome:?}");
    };
    assert!(asks_current);
    assert_eq!(
        problems.iter().map(|p| p.0).collect::<Vec<_>>(),
        ["current"]
    );
    assert!(world.directory.writes().is_empty());
    // Wrong: proved again by a bind, refused, nothing written.
    let wrong = secret("Pas-Le-Bon-2026");
    let outcome = account::submit_password(
        &world.gateway,
        &journey,
        &form_with_current(&chosen, &wrong),
    )
    .await
    .unwrap();
    assert!(
        matches!(&outcome, PasswordOutcome::Again { problems, .. } if problems[0].0 == "current"),
        "{outcome:?}"
    );
    assert!(world.directory.writes().is_empty());
    // Right: carried in the write, as the directory demands (a second
    // later: attempts are counted by their time).
    world.clock.advance(1);
    let outcome = account::submit_password(
        &world.gateway,
        &journey,
        &form_with_current(&chosen, &current),
    )
    .await
    .unwrap();
    assert!(
        matches!(outcome, PasswordOutcome::Done { mailed: true, .. }),
        "{outcome:?}"
    );
    let writes = world.directory.writes();
    assert_eq!(writes.len(), 1);
    assert_eq!(writes[0].old_password.as_deref(), Some(CURRENT));
    assert_eq!(world.mailer.of("password_changed").len(), 1);
}

#[tokio::test]
async fn a_safe_modify_change_that_another_request_beat_is_told_the_password_changed() {
    for flow in [FlowName::Change, FlowName::Account] {
        let world = World::new().await;
        world.directory.set_policy(|p| p.safe_modify = true);
        let journey = match flow {
            FlowName::Account => account_signed_in(&world).await,
            _ => world.proved(FlowName::Change, &dn_of("jdupont")),
        };
        // Between this request's proof of the current password and its
        // write, another request writes another one: ppolicy then finds
        // the old password wrong before the entry's version is checked.
        world.directory.before_next_write(&dn_of("jdupont"), |e| {
            e.history.push(e.password.take().unwrap_or_default());
            e.password = Some("Choisi-Ailleurs-2026".into());
            e.person.pwd_changed_time = Some("20260302100000Z".into());
            e.person.state.change_id = Some("another request's".into());
        });
        let (chosen, current) = (secret("Nouveau-Secret-2026"), secret(CURRENT));
        let submitted = form_with_current(&chosen, &current);
        let outcome = match flow {
            FlowName::Account => {
                account::submit_password(&world.gateway, &journey, &submitted).await
            }
            _ => change::submit_password(&world.gateway, &journey, &submitted).await,
        }
        .unwrap();
        assert!(
            matches!(outcome, PasswordOutcome::ChangedMeanwhile),
            "{flow:?}: {outcome:?}"
        );
        assert!(world.directory.writes().is_empty(), "{flow:?}");
        assert!(world.mailer.of("password_changed").is_empty(), "{flow:?}");
        assert_eq!(
            world.audit.of_step(AuditStep::Password).last(),
            Some(&Outcome::ChangedMeanwhile),
            "{flow:?}"
        );
    }
}

#[tokio::test]
async fn a_person_without_any_address_is_told_no_confirmation_mail_was_sent() {
    let world = World::new().await;
    let mut entry = Entry::person("sansmail");
    entry.person.recovery_mails.clear();
    entry.identifiers.clear();
    world.add_with_question(entry).await;
    let journey = recover_proved(&world.gateway, &world, "sansmail").await;
    let outcome = recover::submit_password(
        &world.gateway,
        &journey,
        &form(&secret("Nouveau-Secret-2026")),
    )
    .await
    .unwrap();
    assert!(
        matches!(outcome, PasswordOutcome::Done { mailed: false, .. }),
        "{outcome:?}"
    );
    assert!(world.mailer.sent().is_empty());
    assert_eq!(world.directory.writes().len(), 1);
}

#[tokio::test]
async fn the_confirmation_goes_to_the_recovery_and_the_institutional_address() {
    let world = World::new().await;
    world.directory.edit(&dn_of("jdupont"), |e| {
        e.person.institutional_mail = Some("jean.dupont@univ-exemple.fr".into())
    });
    let journey = recover_proved(&world.gateway, &world, "jdupont").await;
    let outcome = recover::submit_password(
        &world.gateway,
        &journey,
        &form(&secret("Nouveau-Secret-2026")),
    )
    .await
    .unwrap();
    assert!(matches!(
        outcome,
        PasswordOutcome::Done { mailed: true, .. }
    ));
    let mut to: Vec<String> = world
        .mailer
        .of("password_changed")
        .into_iter()
        .map(|m| m.to)
        .collect();
    to.sort();
    assert_eq!(to, ["jdupont@example.net", "jean.dupont@univ-exemple.fr"]);
}

#[tokio::test]
async fn a_password_of_the_history_is_refused_with_its_reason_and_nothing_written() {
    let world = World::new().await;
    world.directory.edit(&dn_of("jdupont"), |e| {
        e.history.push("Ancien-Secret-2023".into())
    });
    let journey = recover_proved(&world.gateway, &world, "jdupont").await;
    let outcome = recover::submit_password(
        &world.gateway,
        &journey,
        &form(&secret("Ancien-Secret-2023")),
    )
    .await
    .unwrap();
    let PasswordOutcome::Again { problems, .. } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].0, "password");
    assert!(problems[0].1.contains('3'), "{}", problems[0].1);
    assert!(world.directory.writes().is_empty());
    assert_eq!(
        world.audit.of_step(AuditStep::Password),
        [Outcome::RefusedByDirectory]
    );
    assert!(world.mailer.sent().is_empty());
}

#[tokio::test]
async fn a_written_password_clears_the_failures_the_code_and_a_held_temporary_in_the_same_write() {
    let world = World::new().await;
    let dn = dn_of("jdupont");
    let journey = recover_proved(&world.gateway, &world, "jdupont").await;
    world.directory.edit(&dn, |e| {
        let state = &mut e.person.state;
        state.failure_times = vec![start() - chrono::Duration::seconds(5)];
        state.code_hash = Some("00".into());
        state.code_expiry = Some(start() + chrono::Duration::seconds(60));
        state.code_tries_left = Some(2);
        state.pending_temp_hash = Some("11".into());
        state.pending_temp_expiry = Some(start() + chrono::Duration::seconds(60));
    });
    let outcome = recover::submit_password(
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
    let writes = world.directory.writes();
    assert_eq!(writes.len(), 1);
    for obsolete in [
        Change::ClearFailures,
        Change::RemoveLock(None),
        Change::ClearCode,
        Change::DropHeldTemporary,
        Change::ClearTemporaryExpiry,
    ] {
        assert!(
            writes[0].also.contains(&obsolete),
            "{obsolete:?} not in the write"
        );
    }
    let state = world.person("jdupont").state;
    assert!(state.failure_times.is_empty());
    assert_eq!(state.code_hash, None);
    assert_eq!(state.pending_temp_hash, None);
    assert_eq!(
        state.question.as_deref(),
        Some(QUESTION),
        "the question went too"
    );
}

#[tokio::test]
async fn a_change_with_a_wrong_current_password_writes_nothing_and_counts_it() {
    let world = World::new().await;
    let mut journey = world.journey(FlowName::Change);
    match change::sign_in(&world.gateway, &journey, "jdupont", &secret(CURRENT))
        .await
        .unwrap()
    {
        change::SignInOutcome::Proved(proof) => journey.proof = Some(proof),
        _ => panic!("not signed in"),
    }
    world.clock.advance(1);
    let (chosen, wrong) = (secret("Nouveau-Secret-2026"), secret("pas-le-bon"));
    let outcome = change::submit_password(
        &world.gateway,
        &journey,
        &form_with_current(&chosen, &wrong),
    )
    .await
    .unwrap();
    let PasswordOutcome::Again { problems, .. } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(problems[0].0, "current");
    assert!(world.directory.writes().is_empty());
    assert_eq!(world.person("jdupont").state.failure_times.len(), 1);
    assert_eq!(
        world.audit.of_step(AuditStep::Password),
        [Outcome::WrongCurrentPassword, Outcome::FormRefused]
    );
}

#[tokio::test]
async fn the_password_page_shows_the_person_as_the_proof_saw_them_without_a_read() {
    let world = World::new().await;
    let mut journey = account_signed_in(&world).await;
    // Renamed in the directory since the sign-in: the page, which decides
    // nothing, shows the rules for the person the proof saw (issue 25: no
    // directory read to show a form); the submission reads the entry.
    world.directory.edit(&dn_of("jdupont"), |entry| {
        entry.person.login = "jdupont2".into();
        entry.person.name_values = vec!["Jeanne".into()];
    });
    let page = password::page(&world.gateway, &journey).await.unwrap();
    assert_eq!(page.context.login, "jdupont");
    assert_eq!(page.context.names, vec!["Jean", "Dupont"]);
    assert_eq!(page.context.birth_date.as_deref(), Some("20010915"));
    // A proof from an older cookie, without what it saw: the entry is read.
    if let Some(proof) = journey.proof.as_mut() {
        proof.seen = None;
    }
    let page = password::page(&world.gateway, &journey).await.unwrap();
    assert_eq!(page.context.login, "jdupont2");
    assert_eq!(page.context.names, vec!["Jeanne"]);
}

#[tokio::test]
async fn an_entry_with_too_many_names_for_the_flow_cookie_is_read_by_the_page_instead() {
    let world = World::new().await;
    // A directory value is the directory's to choose: forty names of 200
    // characters would take the flow cookie past what browsers keep.
    world.directory.edit(&dn_of("jdupont"), |entry| {
        entry.person.name_values = (0..40).map(|n| format!("{n:0>200}")).collect();
    });
    let journey = account_signed_in(&world).await;
    let proof = journey.proof.as_ref().unwrap();
    assert!(proof.seen.is_none(), "kept {} names", 40);
    assert!(serde_json::to_string(proof).unwrap().len() < 1024);
    let page = password::page(&world.gateway, &journey).await.unwrap();
    assert_eq!(page.context.login, "jdupont");
    assert_eq!(page.context.names.len(), 40);
}
