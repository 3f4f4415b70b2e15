//! Success is shown only for what is stored (issue 19, §1): the same form
//! posted twice writes once and both pages say done; any other submission
//! after a change (another password, another tab, another flow, a stale
//! cookie) writes nothing and is told the password changed meanwhile, also
//! when everything happens within one second.

use super::*;
use crate::flows::{code, recover, PasswordOutcome};

fn done(outcome: &PasswordOutcome) -> bool {
    matches!(outcome, PasswordOutcome::Done { .. })
}

#[tokio::test]
async fn the_same_form_posted_twice_writes_once_and_both_pages_say_done() {
    let world = World::new().await;
    let journey = recover_proved(&world.gateway, &world, "jdupont").await;
    let chosen = secret("Nouveau-Secret-2026");
    let first = recover::submit_password(&world.gateway, &journey, &form(&chosen))
        .await
        .unwrap();
    let second = recover::submit_password(&world.gateway, &journey, &form(&chosen))
        .await
        .unwrap();
    assert!(
        matches!(first, PasswordOutcome::Done { mailed: true, .. }),
        "{first:?}"
    );
    assert!(matches!(second, PasswordOutcome::DoneByTwin), "{second:?}");
    let writes = world.directory.writes();
    assert_eq!(writes.len(), 1);
    let entry = world.directory.entry(&dn_of("jdupont"));
    assert_eq!(entry.password.as_deref(), Some("Nouveau-Secret-2026"));
    // The entry names the write: this flow, this password.
    assert_eq!(
        entry.person.state.change_id,
        Some(writes[0].change_id.clone())
    );
    assert_eq!(
        world.audit.of_step(AuditStep::Password),
        [Outcome::Changed, Outcome::AlreadyWritten]
    );
    assert_eq!(world.mailer.of("password_changed").len(), 1);
    assert_eq!(world.hooks.runs(), 1);
}

#[tokio::test]
async fn the_same_flow_posted_again_with_another_password_writes_nothing_and_says_it_changed() {
    let world = World::new().await;
    let journey = recover_proved(&world.gateway, &world, "jdupont").await;
    let first = secret("Nouveau-Secret-2026");
    let second = secret("Autre-Secret-2026");
    recover::submit_password(&world.gateway, &journey, &form(&first))
        .await
        .unwrap();
    let outcome = recover::submit_password(&world.gateway, &journey, &form(&second))
        .await
        .unwrap();
    assert!(
        matches!(outcome, PasswordOutcome::ChangedMeanwhile),
        "{outcome:?}"
    );
    assert_eq!(world.directory.writes().len(), 1);
    assert_eq!(
        world.directory.entry(&dn_of("jdupont")).password.as_deref(),
        Some("Nouveau-Secret-2026"),
        "the page would have promised a password that does not work"
    );
    assert_eq!(
        world.audit.of_step(AuditStep::Password),
        [Outcome::Changed, Outcome::Replayed]
    );
    assert_eq!(world.mailer.of("password_changed").len(), 1);
}

#[tokio::test]
async fn a_double_click_landing_on_two_replicas_at_once_writes_once_and_both_say_done() {
    let world = World::new().await;
    let other = world.replica();
    let journey = recover_proved(&world.gateway, &world, "jdupont").await;
    let chosen = secret("Nouveau-Secret-2026");
    let posted = form(&chosen);
    let (a, b) = tokio::join!(
        recover::submit_password(&world.gateway, &journey, &posted),
        recover::submit_password(&other, &journey, &posted),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    let twin = |o: &PasswordOutcome| matches!(o, PasswordOutcome::DoneByTwin);
    assert!(
        (done(&a) && twin(&b)) || (twin(&a) && done(&b)),
        "{a:?} {b:?}"
    );
    assert_eq!(world.directory.writes().len(), 1);
    assert_eq!(world.audit.count(AuditStep::Password, Outcome::Changed), 1);
    assert_eq!(
        world
            .audit
            .count(AuditStep::Password, Outcome::AlreadyWritten),
        1
    );
    assert_eq!(world.mailer.of("password_changed").len(), 1);
}

/// A `code` flow of `jdupont` proved by the mailed code.
async fn code_proved(world: &World) -> Journey {
    let mut journey = world.journey(FlowName::Code);
    let (claim, right) = super::lockout::code_asked(world, &journey).await;
    match code::verify(
        &world.gateway,
        &journey,
        Some(&claim),
        code::CodeInput::Code(right),
    )
    .await
    .unwrap()
    {
        code::VerifyOutcome::Proved(proof) => journey.proof = Some(proof),
        _ => panic!("the code did not prove: {:?}", world.audit.outcomes()),
    }
    journey
}

#[tokio::test]
async fn two_flows_of_one_person_finishing_at_once_write_one_password_and_mail_once() {
    let world = World::new().await;
    let other = world.replica();
    let by_question = recover_proved(&world.gateway, &world, "jdupont").await;
    let by_code = code_proved(&world).await;
    let (a, b) = (secret("Par-La-Question-2026"), secret("Par-Le-Code-2026"));
    let (form_a, form_b) = (form(&a), form(&b));
    let (recovered, coded) = tokio::join!(
        recover::submit_password(&world.gateway, &by_question, &form_a),
        code::submit_password(&other, &by_code, &form_b),
    );
    let (recovered, coded) = (recovered.unwrap(), coded.unwrap());
    assert!(done(&recovered) ^ done(&coded), "{recovered:?} {coded:?}");
    let (winner, loser) = if done(&recovered) {
        ("Par-La-Question-2026", &coded)
    } else {
        ("Par-Le-Code-2026", &recovered)
    };
    assert!(
        matches!(loser, PasswordOutcome::ChangedMeanwhile),
        "{loser:?}"
    );
    assert_eq!(world.directory.writes().len(), 1);
    assert_eq!(
        world.directory.entry(&dn_of("jdupont")).password.as_deref(),
        Some(winner)
    );
    assert_eq!(world.mailer.of("password_changed").len(), 1);
    assert_eq!(
        world
            .audit
            .count(AuditStep::Password, Outcome::ChangedMeanwhile),
        1
    );
}

#[tokio::test]
async fn a_flow_proved_before_another_flow_wrote_is_told_the_password_changed() {
    let world = World::new().await;
    let first = recover_proved(&world.gateway, &world, "jdupont").await;
    let second = recover_proved(&world.gateway, &world, "jdupont").await;
    recover::submit_password(
        &world.gateway,
        &first,
        &form(&secret("Premier-Secret-2026")),
    )
    .await
    .unwrap();
    let outcome = recover::submit_password(
        &world.gateway,
        &second,
        &form(&secret("Second-Secret-2026")),
    )
    .await
    .unwrap();
    assert!(
        matches!(outcome, PasswordOutcome::ChangedMeanwhile),
        "{outcome:?}"
    );
    assert_eq!(
        world.directory.entry(&dn_of("jdupont")).password.as_deref(),
        Some("Premier-Secret-2026")
    );
    assert_eq!(world.mailer.of("password_changed").len(), 1);
}

#[tokio::test]
async fn a_stale_proof_is_refused_when_the_previous_change_the_proof_and_the_write_share_a_second()
{
    let world = World::new().await;
    let dn = dn_of("jdupont");
    // The clock stands still: everything below happens in one second.
    let earlier = recover_proved(&world.gateway, &world, "jdupont").await;
    recover::submit_password(
        &world.gateway,
        &earlier,
        &form(&secret("Premier-Secret-2026")),
    )
    .await
    .unwrap();
    let changed = world.person("jdupont").pwd_changed_time;
    assert_eq!(changed, Some(changed_time(start())));
    // Two flows prove the person after that change, in the same second.
    let stale = recover_proved(&world.gateway, &world, "jdupont").await;
    let winner = recover_proved(&world.gateway, &world, "jdupont").await;
    let won = recover::submit_password(
        &world.gateway,
        &winner,
        &form(&secret("Deuxieme-Secret-2026")),
    )
    .await
    .unwrap();
    assert!(done(&won), "{won:?}");
    assert_eq!(
        world.person("jdupont").pwd_changed_time,
        changed,
        "pwdChangedTime alone cannot tell these writes apart"
    );
    let outcome = recover::submit_password(
        &world.gateway,
        &stale,
        &form(&secret("Troisieme-Secret-2026")),
    )
    .await
    .unwrap();
    assert!(
        matches!(outcome, PasswordOutcome::ChangedMeanwhile),
        "{outcome:?}"
    );
    assert_eq!(world.directory.writes().len(), 2);
    assert_eq!(
        world.directory.entry(&dn).password.as_deref(),
        Some("Deuxieme-Secret-2026")
    );
}

#[tokio::test]
async fn the_same_activation_posted_twice_activates_once_and_both_pages_say_done() {
    let world = World::empty(|_| {});
    world.add(super::stopped::to_activate("nouveau"));
    let (journey, pending) = super::stopped::activation_chosen(&world, "nouveau").await;
    let chosen = secret("Nouveau-Secret-2026");
    let first =
        crate::flows::activate::submit_password(&world.gateway, &journey, &pending, &form(&chosen))
            .await
            .unwrap();
    let second =
        crate::flows::activate::submit_password(&world.gateway, &journey, &pending, &form(&chosen))
            .await
            .unwrap();
    assert!(done(&first), "{first:?}");
    assert!(matches!(second, PasswordOutcome::DoneByTwin), "{second:?}");
    assert_eq!(world.directory.writes().len(), 1);
    assert_eq!(
        world.audit.count(AuditStep::Question, Outcome::Activated),
        1
    );
}

#[tokio::test]
async fn the_same_change_form_posted_twice_writes_once_and_both_pages_say_done() {
    let world = World::new().await;
    let journey = world.proved(FlowName::Change, &dn_of("jdupont"));
    let (chosen, current) = (secret("Nouveau-Secret-2026"), secret(CURRENT));
    let posted = form_with_current(&chosen, &current);
    let first = crate::flows::change::submit_password(&world.gateway, &journey, &posted)
        .await
        .unwrap();
    let second = crate::flows::change::submit_password(&world.gateway, &journey, &posted)
        .await
        .unwrap();
    assert!(done(&first), "{first:?}");
    assert!(matches!(second, PasswordOutcome::DoneByTwin), "{second:?}");
    assert_eq!(world.directory.writes().len(), 1);
    // The twin was recognised without binding the old password again.
    assert_eq!(world.directory.binds().len(), 1);
}

#[tokio::test]
async fn the_same_account_form_posted_twice_writes_once_and_both_pages_say_done() {
    use crate::flows::account;
    let world = World::new().await;
    let mut journey = world.journey(FlowName::Account);
    match account::sign_in(&world.gateway, &journey, "jdupont", &secret(CURRENT))
        .await
        .unwrap()
    {
        account::SignInOutcome::SignedIn(proof) => journey.proof = Some(proof),
        _ => panic!("not signed in"),
    }
    let (chosen, current) = (secret("Nouveau-Secret-2026"), secret(CURRENT));
    let first = account::submit_password(
        &world.gateway,
        &journey,
        &form_with_current(&chosen, &current),
    )
    .await
    .unwrap();
    assert!(done(&first), "{first:?}");
    let second = account::submit_password(
        &world.gateway,
        &journey,
        &form_with_current(&chosen, &current),
    )
    .await;
    assert!(
        matches!(second, Ok(PasswordOutcome::DoneByTwin)),
        "{second:?}"
    );
    assert_eq!(world.directory.writes().len(), 1);
}

#[tokio::test]
async fn a_second_account_tab_with_another_password_is_told_the_password_changed() {
    use crate::flows::account;
    let world = World::new().await;
    let mut journey = world.journey(FlowName::Account);
    match account::sign_in(&world.gateway, &journey, "jdupont", &secret(CURRENT))
        .await
        .unwrap()
    {
        account::SignInOutcome::SignedIn(proof) => journey.proof = Some(proof),
        _ => panic!("not signed in"),
    }
    let (a, b) = (secret("Premier-Secret-2026"), secret("Second-Secret-2026"));
    let current = secret(CURRENT);
    let first =
        account::submit_password(&world.gateway, &journey, &form_with_current(&a, &current))
            .await
            .unwrap();
    assert!(done(&first), "{first:?}");
    let second =
        account::submit_password(&world.gateway, &journey, &form_with_current(&b, &current)).await;
    assert!(
        matches!(second, Ok(PasswordOutcome::ChangedMeanwhile)),
        "{second:?}"
    );
    assert_eq!(world.directory.writes().len(), 1);
}
