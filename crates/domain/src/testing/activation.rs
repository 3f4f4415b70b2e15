//! « Activer mon compte » opens only what the site positively marked
//! (`passerelleActivationPending=TRUE`, no question yet), and activates it
//! whole: the password, the question and the end of the mark in one write.

use super::stopped::{activation_chosen, to_activate};
use super::*;
use crate::flows::{activate, PasswordOutcome};

#[tokio::test]
async fn an_account_without_the_site_s_mark_is_never_opened_by_identity() {
    let world = World::empty(|_| {});
    // In use, loaded in bulk: a password but no pwdChangedTime, no mark.
    let mut entry = Entry::person("importe");
    entry.person.pwd_changed_time = None;
    world.add(entry);
    let journey = world.journey(FlowName::Activate);
    let outcome = activate::identity(&world.gateway, &journey, &identity("importe", BORN))
        .await
        .unwrap();
    assert!(matches!(outcome, activate::IdentityOutcome::Failed));
    assert_eq!(
        world.audit.of_step(AuditStep::Identity),
        [Outcome::AlreadyActive]
    );
    assert!(world.directory.writes().is_empty());
}

#[tokio::test]
async fn a_marked_account_that_already_has_a_question_is_not_opened() {
    let world = World::empty(|_| {});
    let mut entry = to_activate("marque");
    entry.person.state.question = Some(QUESTION.into());
    entry.person.state.answer_hash = Some("$argon2id$…".into());
    world.add(entry);
    let journey = world.journey(FlowName::Activate);
    let outcome = activate::identity(&world.gateway, &journey, &identity("marque", BORN))
        .await
        .unwrap();
    assert!(matches!(outcome, activate::IdentityOutcome::Failed));
    assert_eq!(
        world.audit.of_step(AuditStep::Identity),
        [Outcome::AlreadyActive]
    );
}

#[tokio::test]
async fn a_marked_account_is_activated_with_password_question_and_mark_in_one_write() {
    let world = World::empty(|_| {});
    world.add(to_activate("nouveau"));
    let (journey, pending) = activation_chosen(&world, "nouveau").await;
    assert!(
        world.directory.applied().iter().all(|(_, changes)| !changes
            .iter()
            .any(|c| matches!(c, Change::SetSecret { .. }))),
        "the question was written before the password"
    );
    let outcome = activate::submit_password(
        &world.gateway,
        &journey,
        &pending,
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
    assert!(writes[0].also.contains(&Change::EndActivation));
    assert!(writes[0].also.contains(&Change::SetSecret {
        question: pending.question.clone(),
        answer_hash: pending.answer_hash.clone(),
    }));
    let person = world.person("nouveau");
    assert!(!person.activation_pending);
    assert_eq!(person.state.question, Some(pending.question.clone()));
    assert_eq!(
        world.audit.of_step(AuditStep::Question),
        [Outcome::Chosen, Outcome::Activated]
    );
    // The account is in use now: a second activation is refused.
    let again = world.journey(FlowName::Activate);
    let outcome = activate::identity(&world.gateway, &again, &identity("nouveau", BORN))
        .await
        .unwrap();
    assert!(matches!(outcome, activate::IdentityOutcome::Failed));
}

#[tokio::test]
async fn an_activation_whose_mark_was_removed_before_the_password_writes_nothing() {
    let world = World::empty(|_| {});
    world.add(to_activate("nouveau"));
    let (journey, pending) = activation_chosen(&world, "nouveau").await;
    world
        .directory
        .edit(&dn_of("nouveau"), |e| e.person.activation_pending = false);
    let outcome = activate::submit_password(
        &world.gateway,
        &journey,
        &pending,
        &form(&secret("Nouveau-Secret-2026")),
    )
    .await
    .unwrap();
    assert!(
        matches!(outcome, PasswordOutcome::NotActivatable),
        "{outcome:?}"
    );
    assert!(world.directory.writes().is_empty());
    assert_eq!(world.person("nouveau").state.question, None);
    assert_eq!(
        world.audit.of_step(AuditStep::Password),
        [Outcome::AlreadyActive]
    );
}

#[tokio::test]
async fn an_activation_whose_mark_goes_at_the_moment_of_writing_writes_nothing() {
    let world = World::empty(|_| {});
    world.add(to_activate("nouveau"));
    let (journey, pending) = activation_chosen(&world, "nouveau").await;
    world
        .directory
        .before_next_write(&dn_of("nouveau"), |e| e.person.activation_pending = false);
    let outcome = activate::submit_password(
        &world.gateway,
        &journey,
        &pending,
        &form(&secret("Nouveau-Secret-2026")),
    )
    .await
    .unwrap();
    assert!(
        matches!(outcome, PasswordOutcome::NotActivatable),
        "{outcome:?}"
    );
    assert!(world.directory.writes().is_empty());
    assert_eq!(world.person("nouveau").state.question, None);
}

#[tokio::test]
async fn two_activations_of_one_account_at_once_activate_it_once() {
    let world = World::empty(|_| {});
    world.add(to_activate("nouveau"));
    let other = world.replica();
    let (first, first_secret) = activation_chosen(&world, "nouveau").await;
    let (second, second_secret) = activation_chosen(&world, "nouveau").await;
    let (a, b) = (secret("Premier-Secret-2026"), secret("Second-Secret-2026"));
    let (form_a, form_b) = (form(&a), form(&b));
    let (x, y) = tokio::join!(
        activate::submit_password(&world.gateway, &first, &first_secret, &form_a),
        activate::submit_password(&other, &second, &second_secret, &form_b),
    );
    let (x, y) = (x.unwrap(), y.unwrap());
    let done = |o: &PasswordOutcome| matches!(o, PasswordOutcome::Done { .. });
    assert!(done(&x) ^ done(&y), "{x:?} {y:?}");
    assert_eq!(world.directory.writes().len(), 1);
    assert_eq!(
        world.audit.count(AuditStep::Question, Outcome::Activated),
        1
    );
}

#[tokio::test]
async fn a_marked_account_whose_password_any_flow_wrote_is_never_opened_again() {
    let world = World::empty(|_| {});
    // A newcomer set their password by another flow (/code, /temporary,
    // the help desk): the write ends the mark.
    world.add(to_activate("parcode"));
    let person = world.person("parcode");
    world
        .gateway
        .write_password(&person, &secret("Choisi-Par-Code-2026"), WriteKind::Chosen)
        .await
        .unwrap();
    assert!(!world.person("parcode").activation_pending);
    // A site whose own filter still matches after a gateway write (a mark
    // of its own the gateway does not know): the change id says in use.
    let mut entry = to_activate("filtre");
    entry.person.state.change_id = Some("t1800000000-0a1b".into());
    world.add(entry);
    for login in ["parcode", "filtre"] {
        let journey = world.journey(FlowName::Activate);
        let outcome = activate::identity(&world.gateway, &journey, &identity(login, BORN))
            .await
            .unwrap();
        assert!(
            matches!(outcome, activate::IdentityOutcome::Failed),
            "{login}"
        );
    }
    assert_eq!(
        world.audit.of_step(AuditStep::Identity),
        [Outcome::AlreadyActive, Outcome::AlreadyActive]
    );
}
