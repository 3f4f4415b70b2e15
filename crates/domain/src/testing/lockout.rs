//! The self-service lockout as people meet it: at every step that checks a
//! secret (identity, question, sign-in, code) the attempt is on the entry
//! before the secret is checked, the attempt after the last allowed one is
//! refused without any check even when it is right, a right attempt leaves
//! no failure behind, and the window and the lock end at their exact
//! second (3 failures within 60 s lock for 60 s in these tests).

use super::*;
use crate::flows::account::{self, SignInOutcome};
use crate::flows::code::{self, CodeInput, Request, VerifyOutcome};
use crate::flows::recover::{self, AnswerOutcome, IdentityOutcome};

fn at(seconds: i64) -> DateTime<Utc> {
    start() + chrono::Duration::seconds(seconds)
}

/// One identity attempt of `recover` for `jdupont` with `birth_date`, at
/// `seconds` after the start.
async fn identity_at(world: &World, seconds: i64, birth_date: &str) -> IdentityOutcome {
    world.clock.set(at(seconds));
    let journey = world.journey(FlowName::Recover);
    recover::identity(&world.gateway, &journey, &identity("jdupont", birth_date))
        .await
        .expect("identity")
}

const WRONG_DATE: &str = "16/09/2001";

#[tokio::test]
async fn a_right_birth_date_after_the_last_allowed_failure_is_refused_without_being_compared() {
    let world = World::new().await;
    for second in 0..3 {
        let outcome = identity_at(&world, second, WRONG_DATE).await;
        assert!(matches!(outcome, IdentityOutcome::Failed));
    }
    let outcome = identity_at(&world, 3, BORN).await;
    assert!(
        matches!(outcome, IdentityOutcome::Failed),
        "the lock let a right date through"
    );
    assert_eq!(
        world.audit.of_step(AuditStep::Identity),
        vec![
            Outcome::WrongBirthDate,
            Outcome::WrongBirthDate,
            Outcome::WrongBirthDateNowLocked,
            Outcome::Locked,
        ]
    );
    let state = world.person("jdupont").state;
    assert_eq!(
        state.failure_times,
        vec![at(0), at(1), at(2)],
        "a fourth attempt was counted"
    );
    assert_eq!(state.locked_until, Some(at(62)));
}

#[tokio::test]
async fn a_right_birth_date_is_forgiven_and_leaves_only_the_earlier_failures() {
    let world = World::new().await;
    assert!(matches!(
        identity_at(&world, 0, BORN).await,
        IdentityOutcome::Proved(_)
    ));
    assert!(world.person("jdupont").state.failure_times.is_empty());
    identity_at(&world, 1, WRONG_DATE).await;
    assert!(matches!(
        identity_at(&world, 2, BORN).await,
        IdentityOutcome::Proved(_)
    ));
    assert_eq!(world.person("jdupont").state.failure_times, vec![at(1)]);
}

#[tokio::test]
async fn a_right_birth_date_as_the_last_allowed_attempt_lifts_the_lock_it_set() {
    let world = World::new().await;
    identity_at(&world, 0, WRONG_DATE).await;
    identity_at(&world, 1, WRONG_DATE).await;
    assert!(matches!(
        identity_at(&world, 2, BORN).await,
        IdentityOutcome::Proved(_)
    ));
    let state = world.person("jdupont").state;
    assert_eq!(state.locked_until, None, "the right attempt left its lock");
    assert_eq!(state.failure_times, vec![at(0), at(1)]);
}

#[tokio::test]
async fn a_failure_exactly_lock_seconds_old_still_counts() {
    let world = World::new().await;
    identity_at(&world, 0, WRONG_DATE).await;
    identity_at(&world, 1, WRONG_DATE).await;
    // The first failure is exactly 60 s old: still within the window, so
    // this one is the third and locks.
    identity_at(&world, 60, WRONG_DATE).await;
    assert_eq!(
        world.audit.of_step(AuditStep::Identity).last(),
        Some(&Outcome::WrongBirthDateNowLocked)
    );
    assert_eq!(world.person("jdupont").state.locked_until, Some(at(120)));
}

#[tokio::test]
async fn a_failure_one_second_older_than_the_window_no_longer_counts_and_is_tidied_away() {
    let world = World::new().await;
    identity_at(&world, 0, WRONG_DATE).await;
    identity_at(&world, 1, WRONG_DATE).await;
    identity_at(&world, 61, WRONG_DATE).await;
    assert_eq!(
        world.audit.of_step(AuditStep::Identity).last(),
        Some(&Outcome::WrongBirthDate)
    );
    let state = world.person("jdupont").state;
    assert_eq!(state.locked_until, None);
    assert_eq!(state.failure_times, vec![at(1), at(61)]);
}

#[tokio::test]
async fn a_self_service_lock_lifts_at_its_exact_second() {
    let world = World::new().await;
    for second in 0..3 {
        identity_at(&world, second, WRONG_DATE).await;
    }
    // Locked until 2 + 60.
    assert!(matches!(
        identity_at(&world, 61, BORN).await,
        IdentityOutcome::Failed
    ));
    assert!(matches!(
        identity_at(&world, 62, BORN).await,
        IdentityOutcome::Proved(_)
    ));
    assert_eq!(
        world.audit.of_step(AuditStep::Identity)[3..],
        [Outcome::Locked, Outcome::Proved]
    );
}

#[tokio::test]
async fn a_right_answer_after_the_last_allowed_wrong_one_is_refused_without_an_argon2_run() {
    let world = World::new().await;
    let mut journey = world.journey(FlowName::Recover);
    let IdentityOutcome::Proved(proof) =
        recover::identity(&world.gateway, &journey, &identity("jdupont", BORN))
            .await
            .unwrap()
    else {
        panic!("identity not proved");
    };
    journey.proof = Some(proof);
    let mut seen = Vec::new();
    for second in 0..3 {
        world.clock.set(at(second));
        let outcome = recover::answer(&world.gateway, &journey, &secret("Médor"))
            .await
            .unwrap();
        seen.push(match outcome {
            AnswerOutcome::Wrong { left } => format!("wrong, {left} left"),
            AnswerOutcome::Locked { until } => format!("locked until {}", until - start()),
            AnswerOutcome::Right(_) => "right".into(),
            AnswerOutcome::Stopped => "stopped".into(),
        });
    }
    assert_eq!(
        seen,
        ["wrong, 2 left", "wrong, 1 left", "locked until PT62S"]
    );
    let runs = world.gateway.answers().runs();
    world.clock.set(at(3));
    let outcome = recover::answer(&world.gateway, &journey, &secret(ANSWER))
        .await
        .unwrap();
    assert!(matches!(outcome, AnswerOutcome::Locked { until } if until == at(62)));
    assert_eq!(
        world.gateway.answers().runs(),
        runs,
        "the locked answer was checked"
    );
    assert_eq!(
        world.audit.of_step(AuditStep::Question),
        [
            Outcome::WrongAnswer,
            Outcome::WrongAnswer,
            Outcome::WrongAnswerNowLocked,
            Outcome::Locked
        ]
    );
}

#[tokio::test]
async fn a_right_answer_is_forgiven_and_leaves_no_failure() {
    let world = World::new().await;
    let journey = recover_proved(&world.gateway, &world, "jdupont").await;
    assert!(journey.proof.is_some());
    let state = world.person("jdupont").state;
    assert!(state.failure_times.is_empty(), "{:?}", state.failure_times);
    assert_eq!(state.locked_until, None);
    // Identity and answer each counted, then forgave, their attempt.
    let counted = world
        .directory
        .applied()
        .iter()
        .filter(|(_, changes)| changes.iter().any(|c| matches!(c, Change::AddFailure(_))))
        .count();
    assert_eq!(counted, 2);
}

#[tokio::test]
async fn a_sign_in_attempt_is_on_the_entry_before_the_password_is_checked() {
    let world = World::new().await;
    let journey = world.journey(FlowName::Account);
    let refused = account::sign_in(&world.gateway, &journey, "jdupont", &secret("devine"))
        .await
        .unwrap();
    assert!(matches!(refused, SignInOutcome::Refused));
    world.clock.advance(1);
    let signed = account::sign_in(&world.gateway, &journey, "jdupont", &secret(CURRENT))
        .await
        .unwrap();
    assert!(matches!(signed, SignInOutcome::SignedIn(_)));
    let binds: Vec<usize> = world
        .directory
        .binds()
        .iter()
        .inspect(|b| assert_eq!(b.dn, dn_of("jdupont")))
        .map(|b| b.failures_on_entry)
        .collect();
    assert_eq!(binds, [1, 2], "a bind came before its attempt was counted");
    assert_eq!(world.person("jdupont").state.failure_times, vec![start()]);
}

#[tokio::test]
async fn a_right_password_after_the_last_allowed_wrong_one_is_refused_without_a_bind() {
    let world = World::new().await;
    let journey = world.journey(FlowName::Account);
    for second in 0..3 {
        world.clock.set(at(second));
        account::sign_in(&world.gateway, &journey, "jdupont", &secret("devine"))
            .await
            .unwrap();
    }
    world.clock.set(at(3));
    let outcome = account::sign_in(&world.gateway, &journey, "jdupont", &secret(CURRENT))
        .await
        .unwrap();
    assert!(matches!(outcome, SignInOutcome::Refused));
    assert_eq!(
        world.directory.binds().len(),
        3,
        "the locked password was bound"
    );
    assert_eq!(
        world.audit.of_step(AuditStep::Login),
        [
            Outcome::WrongPassword,
            Outcome::WrongPassword,
            Outcome::WrongPasswordNowLocked,
            Outcome::Locked
        ]
    );
}

/// A code different from `code`.
pub(super) fn other_than(code: &ResetCode) -> ResetCode {
    let value: u32 = code.secret().expose_secret().parse().expect("six digits");
    ResetCode::parse(&format!("{:06}", (value + 1) % 1_000_000)).expect("a code")
}

/// Asks for a code for `jdupont` and waits for its mail: the claim the
/// browser keeps, and the code.
pub(super) async fn code_asked(world: &World, journey: &Journey) -> (code::CodeClaim, ResetCode) {
    let before = world.audit.of_step(AuditStep::SendCode).len();
    let claim = code::request(
        &world.gateway,
        journey,
        Request::Accepted("jdupont@example.net"),
    )
    .await
    .expect("the request recorded")
    .expect("a claim");
    let sent = world.audit.wait_for(AuditStep::SendCode, before + 1).await;
    assert_eq!(sent.last(), Some(&Outcome::CodeMailed));
    (claim, world.mailer.last_code())
}

#[tokio::test]
async fn a_right_code_after_the_last_allowed_wrong_one_is_refused_without_spending_a_try() {
    let world = World::with(|s| s.flows.code_tries = 10).await;
    let journey = world.journey(FlowName::Code);
    let (claim, right) = code_asked(&world, &journey).await;
    for second in 0..3 {
        world.clock.set(at(second));
        let outcome = code::verify(
            &world.gateway,
            &journey,
            Some(&claim),
            CodeInput::Code(other_than(&right)),
        )
        .await
        .unwrap();
        assert!(matches!(outcome, VerifyOutcome::Refused));
    }
    world.clock.set(at(3));
    let outcome = code::verify(
        &world.gateway,
        &journey,
        Some(&claim),
        CodeInput::Code(right),
    )
    .await
    .unwrap();
    assert!(matches!(outcome, VerifyOutcome::Refused));
    assert_eq!(
        world.audit.of_step(AuditStep::Code),
        [
            Outcome::WrongCode,
            Outcome::WrongCode,
            Outcome::WrongCodeNowLocked,
            Outcome::Locked
        ]
    );
    let state = world.person("jdupont").state;
    assert_eq!(
        state.code_tries_left,
        Some(7),
        "the locked attempt spent a try"
    );
    assert!(state.code_hash.is_some(), "the code is still pending");
}

#[tokio::test]
async fn a_code_whose_tries_are_spent_refuses_the_right_code() {
    let world = World::with(|s| {
        s.flows.code_tries = 2;
        s.lockout.max_failures = 5;
    })
    .await;
    let journey = world.journey(FlowName::Code);
    let (claim, right) = code_asked(&world, &journey).await;
    for second in 0..2 {
        world.clock.set(at(second));
        code::verify(
            &world.gateway,
            &journey,
            Some(&claim),
            CodeInput::Code(other_than(&right)),
        )
        .await
        .unwrap();
    }
    world.clock.set(at(2));
    let outcome = code::verify(
        &world.gateway,
        &journey,
        Some(&claim),
        CodeInput::Code(right),
    )
    .await
    .unwrap();
    assert!(matches!(outcome, VerifyOutcome::Refused));
    assert_eq!(
        world.audit.of_step(AuditStep::Code),
        [
            Outcome::WrongCode,
            Outcome::WrongCode,
            Outcome::NoCodeOrNoTryLeft
        ]
    );
}
