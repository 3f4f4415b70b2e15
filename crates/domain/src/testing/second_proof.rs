//! The change at the directory's pace (issue 25): a change costs one bind
//! and two modifies (the sign-in's attempt counted, the write that clears
//! it), and every rule of the lockout still holds. The sign-in leaves its
//! counted attempt on the entry; the change form's second proof of the
//! current password is compared with the seal the sign-in left in the
//! flow and answered only under a counted attempt (the one left, taken by
//! the first evaluation, else one counted then), so that copies of the
//! flow's cookie learn no more than sign-ins would; the flow ends after
//! three wrong ones.

use super::*;
use crate::flows::account::{self, QuestionOutcome, SignInOutcome};
use crate::flows::change::{self, SignInOutcome as ChangeSignIn};
use crate::flows::PasswordOutcome;
use crate::steps::secret::SecretChoice;

const CHOSEN: &str = "Nouveau-Secret-2026";
const WRONG: &str = "Pas-Le-Bon-2024";

fn at(seconds: i64) -> DateTime<Utc> {
    start() + chrono::Duration::seconds(seconds)
}

/// A `/change` flow of `jdupont` signed in with the current password.
async fn signed_in(world: &World) -> Journey {
    let mut journey = world.journey(FlowName::Change);
    match change::sign_in(&world.gateway, &journey, "jdupont", &secret(CURRENT))
        .await
        .unwrap()
    {
        ChangeSignIn::Proved(proof) => journey.proof = Some(proof),
        _ => panic!("not signed in: {:?}", world.audit.outcomes()),
    }
    journey
}

/// The change form posted a second later.
async fn post(world: &World, journey: &Journey, current: &str) -> PasswordOutcome {
    world.clock.advance(1);
    let (chosen, current) = (secret(CHOSEN), secret(current));
    change::submit_password(
        &world.gateway,
        journey,
        &form_with_current(&chosen, &current),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn a_change_costs_one_bind_and_two_modifies_and_leaves_no_failure() {
    let world = World::new().await;
    let journey = signed_in(&world).await;
    assert_eq!(
        world.person("jdupont").state.failure_times.len(),
        1,
        "the sign-in's attempt stays counted until the write"
    );
    let outcome = post(&world, &journey, CURRENT).await;
    assert!(
        matches!(outcome, PasswordOutcome::Done { .. }),
        "{outcome:?}"
    );
    assert_eq!(world.directory.binds().len(), 1, "one bind");
    assert_eq!(world.directory.applied().len(), 1, "one state modify");
    assert_eq!(world.directory.writes().len(), 1, "one password write");
    let state = world.person("jdupont").state;
    assert!(state.failure_times.is_empty(), "{:?}", state.failure_times);
    assert_eq!(state.locked_until, None);
}

#[tokio::test]
async fn sign_ins_left_unfinished_never_add_up_to_more_than_one_counted_attempt() {
    let world = World::new().await;
    for second in 0..5 {
        world.clock.set(at(second));
        signed_in(&world).await;
    }
    let state = world.person("jdupont").state;
    assert_eq!(state.failure_times, vec![at(0)]);
    assert_eq!(state.locked_until, None);
    // The person still has the window's other attempts.
    world.clock.set(at(6));
    signed_in(&world).await;
}

#[tokio::test]
async fn a_wrong_current_password_takes_the_sign_in_s_attempt_as_its_failure() {
    let world = World::new().await;
    let journey = signed_in(&world).await;
    let outcome = post(&world, &journey, WRONG).await;
    assert!(
        matches!(outcome, PasswordOutcome::Again { .. }),
        "{outcome:?}"
    );
    let state = world.person("jdupont").state;
    assert_eq!(state.failure_times.len(), 1, "counted once, not twice");
    assert_ne!(
        state.failure_times.first().copied(),
        journey.proof.as_ref().and_then(|p| p.attempt),
        "the sign-in's attempt is no longer there to pay for another guess"
    );
    assert!(world.directory.writes().is_empty());
    // The right one now: counted afresh, then written, then nothing left.
    let outcome = post(&world, &journey, CURRENT).await;
    assert!(
        matches!(outcome, PasswordOutcome::Done { .. }),
        "{outcome:?}"
    );
    assert!(world.person("jdupont").state.failure_times.is_empty());
    assert_eq!(world.directory.binds().len(), 1, "never bound again");
}

#[tokio::test]
async fn copies_of_one_flow_guessing_learn_nothing_once_the_window_s_attempts_are_spent() {
    // Three copies of the same cookie (a stolen open session, replayed):
    // each guess is paid by a counted attempt, whatever cookie it comes
    // with, and once the window's three are spent even the right password
    // is refused without an answer.
    let world = World::with(|settings| settings.lockout.max_failures = 3).await;
    let journey = signed_in(&world).await;
    let first = post(&world, &journey, WRONG).await;
    assert!(matches!(first, PasswordOutcome::Again { .. }), "{first:?}");
    let second = post(&world, &journey, "Autre-Essai-2024").await;
    assert!(
        matches!(second, PasswordOutcome::Again { .. }),
        "{second:?}"
    );
    let third = post(&world, &journey, "Troisieme-Essai-2024").await;
    assert!(
        matches!(third, PasswordOutcome::CurrentWrongTooOften),
        "{third:?}"
    );
    assert_eq!(world.person("jdupont").state.failure_times.len(), 3);
    let right = post(&world, &journey, CURRENT).await;
    assert!(matches!(right, PasswordOutcome::Locked { .. }), "{right:?}");
    assert!(world.directory.writes().is_empty());
}

#[tokio::test]
async fn the_flow_ends_after_three_wrong_current_passwords_even_when_the_lockout_allows_more() {
    let world = World::with(|settings| settings.lockout.max_failures = 10).await;
    let journey = signed_in(&world).await;
    for guess in ["Essai-Un-2024", "Essai-Deux-2024"] {
        let outcome = post(&world, &journey, guess).await;
        assert!(
            matches!(outcome, PasswordOutcome::Again { .. }),
            "{outcome:?}"
        );
    }
    let outcome = post(&world, &journey, "Essai-Trois-2024").await;
    assert!(
        matches!(outcome, PasswordOutcome::CurrentWrongTooOften),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn a_right_proof_whose_attempt_another_copy_took_is_counted_afresh_before_the_write() {
    let world = World::new().await;
    let journey = signed_in(&world).await;
    let taken = journey.proof.as_ref().and_then(|p| p.attempt).unwrap();
    // Between this copy's check and its write, another copy's wrong guess
    // takes the attempt (replaced by a failure of its own).
    world
        .directory
        .before_next_write(&dn_of("jdupont"), move |entry| {
            let failures = &mut entry.person.state.failure_times;
            failures.retain(|t| *t != taken);
            failures.push(taken + chrono::Duration::microseconds(1));
        });
    let outcome = post(&world, &journey, CURRENT).await;
    assert!(
        matches!(outcome, PasswordOutcome::Done { .. }),
        "{outcome:?}"
    );
    // The sign-in's count and this one's.
    assert_eq!(
        world.directory.applied().len(),
        2,
        "{:?}",
        world.directory.applied()
    );
    assert_eq!(world.directory.writes().len(), 1);
}

#[tokio::test]
async fn a_form_refused_with_the_right_current_password_forgives_its_attempt() {
    let world = World::new().await;
    let journey = signed_in(&world).await;
    let (chosen, current) = (secret("court"), secret(CURRENT));
    let outcome = change::submit_password(
        &world.gateway,
        &journey,
        &form_with_current(&chosen, &current),
    )
    .await
    .unwrap();
    assert!(
        matches!(outcome, PasswordOutcome::Again { .. }),
        "{outcome:?}"
    );
    assert!(world.person("jdupont").state.failure_times.is_empty());
}

/// A `/account` session of `jdupont`.
async fn account_session(world: &World) -> Journey {
    let mut journey = world.journey(FlowName::Account);
    match account::sign_in(&world.gateway, &journey, "jdupont", &secret(CURRENT))
        .await
        .unwrap()
    {
        SignInOutcome::SignedIn(proof) => journey.proof = Some(proof),
        _ => panic!("not signed in"),
    }
    journey
}

#[tokio::test]
async fn signing_out_of_the_account_forgives_the_sign_in_s_attempt() {
    let world = World::new().await;
    let journey = account_session(&world).await;
    assert_eq!(world.person("jdupont").state.failure_times.len(), 1);
    account::sign_out(&world.gateway, &journey).await.unwrap();
    assert!(world.person("jdupont").state.failure_times.is_empty());
    // Twice (another tab) is harmless.
    account::sign_out(&world.gateway, &journey).await.unwrap();
}

#[tokio::test]
async fn a_question_changed_in_the_account_takes_the_sign_in_s_attempt_in_the_same_modify() {
    let world = World::new().await;
    let journey = account_session(&world).await;
    let applied_before = world.directory.applied().len();
    let answer = secret("Une réponse toute neuve");
    let choice = SecretChoice {
        question: "1",
        own_question: "",
        answer: &answer,
        answer_confirm: &answer,
    };
    let outcome = account::choose_secret(&world.gateway, &journey, &choice, Some(&secret(CURRENT)))
        .await
        .unwrap();
    assert!(
        matches!(outcome, QuestionOutcome::Changed),
        "{:?}",
        world.audit.outcomes()
    );
    assert_eq!(world.directory.applied().len(), applied_before + 1);
    assert!(world.person("jdupont").state.failure_times.is_empty());
}

#[tokio::test]
async fn an_account_password_write_clears_the_sign_in_s_attempt() {
    let world = World::new().await;
    let journey = account_session(&world).await;
    let chosen = secret(CHOSEN);
    let current = secret(CURRENT);
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
    assert_eq!(world.directory.applied().len(), 1);
    assert_eq!(world.directory.binds().len(), 1);
    assert!(world.person("jdupont").state.failure_times.is_empty());
}

/// The JSON API's change in one request (`change::knowing_current`) of
/// `jdupont`, from `current` to `new`.
async fn in_one_request(
    world: &World,
    current: &SecretString,
    new: &str,
) -> change::OneRequestOutcome {
    world.clock.advance(1);
    let new = secret(new);
    change::knowing_current(
        &world.gateway,
        &world.journey(FlowName::Change),
        "jdupont",
        current,
        &form(&new),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn in_one_request_a_refused_new_password_leaves_the_mailed_temporary_password_usable() {
    let world = World::new().await;
    let journey = world.journey(FlowName::Temporary);
    crate::flows::temporary::request(
        &world.gateway,
        &journey,
        crate::flows::code::Request::Accepted("jdupont"),
    )
    .await
    .expect("the request recorded");
    world.audit.wait_for(AuditStep::SendTemporary, 1).await;
    let temporary = world.mailer.last_temporary();
    assert!(world.person("jdupont").state.pending_temp_hash.is_some());

    // A new password that breaks a rule: refused, and nothing spent.
    let refused = in_one_request(&world, &temporary, "court").await;
    assert!(
        matches!(
            refused,
            change::OneRequestOutcome::Password(PasswordOutcome::Again { .. })
        ),
        "{refused:?}"
    );
    assert!(
        world.person("jdupont").state.pending_temp_hash.is_some(),
        "the temporary password is still held"
    );
    assert!(world.directory.writes().is_empty());

    // The next try with a good one is written, and spends it.
    let done = in_one_request(&world, &temporary, CHOSEN).await;
    assert!(
        matches!(
            done,
            change::OneRequestOutcome::Password(PasswordOutcome::Done { .. })
        ),
        "{done:?}"
    );
    assert!(world.person("jdupont").state.pending_temp_hash.is_none());
    let again = in_one_request(&world, &temporary, "Encore-Un-Autre-2027").await;
    assert!(
        matches!(again, change::OneRequestOutcome::SignInRefused),
        "{again:?}"
    );

    // And the rules are never told before the temporary password is
    // proved: a wrong one with a refused new password is a refused sign-in.
    let wrong = in_one_request(&world, &secret(WRONG), "court").await;
    assert!(
        matches!(wrong, change::OneRequestOutcome::SignInRefused),
        "{wrong:?}"
    );
}
